//! Properties: export then read gives back the dataset; reading never panics.

use chrono::{Days, NaiveDate};
use portail_core::frequency::FREQUENCIES;
use portail_core::licenses::LICENSES;
use portail_core::model::{Checksum, Dataset, Resource, TemporalCoverage};
use portail_dcat::{RdfFormat, ReadLimits, read_page, write_dataset};
use proptest::prelude::*;
use proptest::sample::select;

use crate::support::{SITE, datasets, export, minimal_dataset, now, resource};

/// Formats with a dct:format IRI or label that reads back as itself (`jpeg` reads back as
/// `jpg`, the EU table's spelling, so it is left out).
const FORMATS: &[&str] = &[
    "csv",
    "json",
    "geojson",
    "xlsx",
    "zip",
    "shp",
    "pdf",
    "parquet",
    "gtfs",
    "csv.gz",
    "7z",
    "weird-format",
];

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9éàçœ][A-Za-z0-9éàçœ '.,:()&>-]{0,40}".prop_map(|s| s.trim_end().to_owned())
}

fn description() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        proptest::collection::vec(text(), 1..4).prop_map(|lines| lines.join("\n\n- ")),
    ]
}

fn checksum() -> impl Strategy<Value = Checksum> {
    (
        select(&[("sha1", 40usize), ("sha256", 64), ("md5", 32)][..]),
        any::<[u8; 32]>(),
    )
        .prop_map(|((kind, len), bytes)| {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            Checksum {
                kind: kind.to_owned(),
                value: hex[..len].to_owned(),
            }
        })
}

/// Format, size, checksum, API or not, title, description of a generated resource.
type ResourceParts = (
    Option<&'static str>,
    Option<i64>,
    Option<Checksum>,
    bool,
    String,
    Option<String>,
);

fn resource_strategy() -> impl Strategy<Value = ResourceParts> {
    (
        proptest::option::of(select(FORMATS)),
        proptest::option::of(0..i64::MAX),
        proptest::option::of(checksum()),
        any::<bool>(),
        text(),
        proptest::option::of(text()),
    )
}

fn dataset_strategy() -> impl Strategy<Value = Dataset> {
    (
        text(),
        description(),
        proptest::option::of("[A-Z]{2,6}"),
        proptest::collection::btree_set("[a-z]{3,8}(-[a-z0-9]{1,5})?", 0..5),
        select(LICENSES.iter().map(|l| l.id).collect::<Vec<_>>()),
        select(FREQUENCIES.iter().map(|f| f.id).collect::<Vec<_>>()),
        proptest::option::of((0u64..40_000, proptest::option::of(0u64..5_000))),
        proptest::collection::vec(resource_strategy(), 0..4),
    )
        .prop_map(
            |(title, description, acronym, tags, license, frequency, temporal, resources)| {
                let mut d = minimal_dataset("ds-prop");
                d.title = title;
                d.description = description;
                d.acronym = acronym;
                d.tags = tags.into_iter().collect();
                d.license = license.to_owned();
                d.frequency = frequency.to_owned();
                let epoch = NaiveDate::from_ymd_opt(1950, 1, 1).expect("valid date");
                d.temporal_coverage = temporal.map(|(start, length)| {
                    let start = epoch + Days::new(start);
                    TemporalCoverage {
                        start,
                        end: length.map(|l| start + Days::new(l)),
                    }
                });
                d.resources = resources
                    .into_iter()
                    .enumerate()
                    .map(
                        |(i, (format, filesize, checksum, api, title, description))| {
                            let mut r: Resource = resource(&format!("r{i}"), format);
                            r.filesize = filesize;
                            r.checksum = checksum;
                            r.kind = if api { "api" } else { "main" }.to_owned();
                            r.title = title;
                            r.description = description;
                            r
                        },
                    )
                    .collect();
                d
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn export_then_read_gives_the_dataset_back(dataset in dataset_strategy()) {
        let exported = export(&dataset);
        for format in [RdfFormat::Turtle, RdfFormat::RdfXml, RdfFormat::JsonLd, RdfFormat::NTriples] {
            let bytes = write_dataset(&exported, format).expect("writes");
            let page = read_page(&bytes, format, SITE, &ReadLimits::default(), now()).expect("reads");
            let found = datasets(&page);
            prop_assert_eq!(found.len(), 1);
            let back = found[0];
            prop_assert_eq!(&back.remote_id, &dataset.id);
            prop_assert_eq!(&back.title, &dataset.title);
            prop_assert_eq!(&back.description, &dataset.description);
            prop_assert_eq!(&back.acronym, &dataset.acronym);
            prop_assert_eq!(&back.tags, &dataset.tags);
            prop_assert_eq!(back.license.as_deref(), Some(dataset.license.as_str()), "{}", format);
            prop_assert_eq!(back.frequency.as_deref(), Some(dataset.frequency.as_str()));
            prop_assert_eq!(back.temporal_coverage, dataset.temporal_coverage);
            prop_assert_eq!(back.resources.len(), dataset.resources.len());
            for r in &dataset.resources {
                let got = back.resources.iter().find(|g| g.remote_id.as_deref() == Some(r.id.as_str()));
                prop_assert!(got.is_some(), "{} missing", r.id);
                let got = got.expect("checked");
                prop_assert_eq!(&got.url, &r.url);
                prop_assert_eq!(&got.title, &r.title);
                prop_assert_eq!(&got.description, &r.description);
                prop_assert_eq!(&got.format, &r.format);
                prop_assert_eq!(got.filesize, r.filesize);
                prop_assert_eq!(&got.checksum, &r.checksum);
                prop_assert_eq!(&got.kind, &r.kind);
            }
        }
    }

    #[test]
    fn read_page_never_panics_on_arbitrary_bytes(
        format in select(&RdfFormat::ALL[..]),
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let _ = read_page(&bytes, format, SITE, &ReadLimits::default(), now());
    }

    #[test]
    fn read_page_never_panics_on_damaged_documents(
        format in select(&RdfFormat::ALL[..]),
        damage in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        // A real document with a few bytes changed, then cut: reaches deeper than noise.
        let dataset = crate::support::full_dataset();
        let mut bytes = write_dataset(&export(&dataset), format).expect("writes");
        for (at, byte) in damage {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        let limits = ReadLimits { max_triples: 10_000, max_datasets: 10 };
        let _ = read_page(&bytes, format, SITE, &limits, now());
    }

    #[test]
    fn read_page_never_panics_on_arbitrary_values(value in any::<String>(), predicate in select(&[
        "dct:title", "dct:description", "dct:temporal", "dct:issued", "dct:modified",
        "dct:accrualPeriodicity", "dct:license", "dct:rights", "dct:spatial", "dcat:keyword",
        "dcat:theme", "dct:identifier",
    ][..])) {
        // Any string as the literal value of any mapped property.
        let escaped = value
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        let doc = format!(
            "{}\n<https://remote.example/d> a dcat:Dataset ; dct:title \"T\" ; {predicate} \"{escaped}\" ; \
             dcat:distribution [ dcat:downloadURL \"{escaped}\" ; dcat:byteSize \"{escaped}\" ; dct:format \"{escaped}\" ;\
             spdx:checksum [ spdx:algorithm \"{escaped}\" ; spdx:checksumValue \"{escaped}\" ] ] .",
            crate::support::PREFIXES
        );
        let page = read_page(doc.as_bytes(), RdfFormat::Turtle, SITE, &ReadLimits::default(), now());
        prop_assert!(page.is_ok(), "{:?}\n{}", page.err(), doc);
    }
}

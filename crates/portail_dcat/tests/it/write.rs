//! Writing: the DCAT-AP 3 mapping, Hydra paging, determinism, and that every output format
//! reads back to the same records.

use portail_core::harvest::{RemoteDataset, RemoteRecord};
use portail_dcat::{
    DcatError, ExportDataset, Paging, RdfFormat, ReadLimits, read_page, write_catalog,
    write_dataset,
};

use crate::support::{
    SITE, catalog, datasets, export, full_dataset, minimal_dataset, now, resource,
};

fn read_back(bytes: &[u8], format: RdfFormat, base: &str) -> Vec<RemoteDataset> {
    let page = read_page(bytes, format, base, &ReadLimits::default(), now())
        .unwrap_or_else(|e| panic!("{format}: {e}\n{}", String::from_utf8_lossy(bytes)));
    datasets(&page).into_iter().cloned().collect()
}

fn ntriples(d: &ExportDataset<'_>) -> String {
    let bytes = write_dataset(d, RdfFormat::NTriples).expect("writes");
    String::from_utf8(bytes).expect("N-Triples is UTF-8")
}

#[test]
fn full_dataset_reads_back() {
    let dataset = full_dataset();
    let bytes = write_dataset(&export(&dataset), RdfFormat::Turtle).unwrap();
    let back = read_back(&bytes, RdfFormat::Turtle, SITE);
    assert_eq!(back.len(), 1);
    let d = &back[0];
    assert_eq!(d.remote_id, "ds-1");
    assert_eq!(
        d.uri.as_deref(),
        Some("https://portail.example/datasets/ds-1")
    );
    assert_eq!(
        d.remote_url.as_deref(),
        Some("https://portail.example/datasets/ds-1/")
    );
    assert_eq!(d.title, dataset.title);
    assert_eq!(d.acronym, dataset.acronym);
    assert_eq!(d.description, dataset.description);
    assert_eq!(d.license.as_deref(), Some("lov2"));
    assert_eq!(d.frequency.as_deref(), Some("hourly"));
    assert_eq!(d.tags, dataset.tags);
    assert_eq!(d.temporal_coverage, dataset.temporal_coverage);
    assert_eq!(
        d.spatial.as_ref().map(|s| &s.zones),
        dataset.spatial.as_ref().map(|s| &s.zones)
    );
    assert_eq!(d.issued_at, Some(dataset.created_at()));
    assert_eq!(d.modified_at, Some(dataset.last_modified()));
    assert_eq!(
        d.extras["dcat:accessRights"],
        "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
    );
    assert_eq!(d.resources.len(), 3);
    for r in &dataset.resources {
        let got = d
            .resources
            .iter()
            .find(|g| g.remote_id.as_deref() == Some(r.id.as_str()))
            .unwrap_or_else(|| panic!("{} missing", r.id));
        assert_eq!(got.url, r.url);
        assert_eq!(got.title, r.title);
        assert_eq!(got.description, r.description);
        assert_eq!(got.format, r.format);
        assert_eq!(got.filesize, r.filesize);
        assert_eq!(got.checksum, r.checksum);
        assert_eq!(got.kind, r.kind);
        assert_eq!(got.issued_at, Some(r.created_at()));
        assert_eq!(got.modified_at, Some(r.last_modified()));
    }
    let csv = d
        .resources
        .iter()
        .find(|r| r.format.as_deref() == Some("csv"))
        .unwrap();
    assert_eq!(csv.mime.as_deref(), Some("text/csv"));
    let json = d
        .resources
        .iter()
        .find(|r| r.format.as_deref() == Some("json"))
        .unwrap();
    assert_eq!(
        json.mime.as_deref(),
        Some("application/json"),
        "from the format table"
    );
}

#[test]
fn dcat_ap_terms_are_used() {
    let dataset = full_dataset();
    let nt = ntriples(&export(&dataset));
    let ds = "<https://portail.example/datasets/ds-1>";
    let csv = "<https://portail.example/datasets/ds-1/resources/r-csv>";
    for line in [
        format!("{ds} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> ."),
        format!("{ds} <http://purl.org/dc/terms/identifier> \"ds-1\" ."),
        format!("{ds} <http://www.w3.org/ns/dcat#keyword> \"pollution\" ."),
        format!("{ds} <http://www.w3.org/2004/02/skos/core#altLabel> \"QA\" ."),
        format!("{ds} <http://purl.org/dc/terms/license> <https://www.etalab.gouv.fr/licence-ouverte-open-licence> ."),
        "<https://www.etalab.gouv.fr/licence-ouverte-open-licence> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/dc/terms/LicenseDocument> .".to_owned(),
        format!("{ds} <http://purl.org/dc/terms/accrualPeriodicity> <http://publications.europa.eu/resource/authority/frequency/HOURLY> ."),
        "<http://publications.europa.eu/resource/authority/frequency/HOURLY> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/dc/terms/Frequency> .".to_owned(),
        format!("{ds} <http://purl.org/dc/terms/issued> \"2024-01-01T10:30:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> ."),
        format!("{ds} <http://purl.org/dc/terms/modified> \"2024-05-06T10:30:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> ."),
        format!("{ds} <http://www.w3.org/ns/dcat#landingPage> <https://portail.example/datasets/ds-1/> ."),
        format!("{ds} <http://purl.org/dc/terms/publisher> <https://portail.example/organizations/org-1/> ."),
        "<https://portail.example/organizations/org-1/> <http://xmlns.com/foaf/0.1/name> \"Ville d'Exemple\" .".to_owned(),
        format!("{ds} <http://purl.org/dc/terms/accessRights> <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ."),
        format!("{csv} <http://www.w3.org/ns/dcat#accessURL> <https://portail.example/datasets/r/r-csv> ."),
        format!("{csv} <http://www.w3.org/ns/dcat#downloadURL> <https://files.example/r-csv.csv> ."),
        format!("{csv} <http://purl.org/dc/terms/format> <http://publications.europa.eu/resource/authority/file-type/CSV> ."),
        format!("{csv} <http://www.w3.org/ns/dcat#mediaType> <https://www.iana.org/assignments/media-types/text/csv> ."),
        format!("{csv} <http://www.w3.org/ns/dcat#byteSize> \"123456\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> ."),
        format!("{csv} <http://purl.org/dc/terms/license> <https://www.etalab.gouv.fr/licence-ouverte-open-licence> ."),
    ] {
        assert!(nt.contains(&line), "missing: {line}\n{nt}");
    }
    for fragment in [
        "<http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:opendata@ville.example> .",
        "<http://www.w3.org/2006/vcard/ns#hasURL> <https://ville.example> .",
        "<http://www.w3.org/2006/vcard/ns#fn> \"Ville d'Exemple\" .",
        "<http://www.w3.org/ns/dcat#startDate> \"2020-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> .",
        "<http://www.w3.org/ns/dcat#endDate> \"2020-12-31\"^^<http://www.w3.org/2001/XMLSchema#date> .",
        "<http://spdx.org/rdf/terms#algorithm> <http://spdx.org/rdf/terms#checksumAlgorithm_sha256> .",
        "<http://spdx.org/rdf/terms#checksumValue> \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"^^<http://www.w3.org/2001/XMLSchema#hexBinary> .",
        "<http://purl.org/dc/terms/identifier> \"fr:commune:75056\" .",
        "<http://www.w3.org/ns/dcat#endpointURL> <https://files.example/r-api.json> .",
        "<http://www.w3.org/2000/01/rdf-schema#label> \"csv.gz\" .",
    ] {
        assert!(nt.contains(fragment), "missing: {fragment}\n{nt}");
    }
}

#[test]
fn turtle_is_readable() {
    let dataset = full_dataset();
    let ttl =
        String::from_utf8(write_dataset(&export(&dataset), RdfFormat::Turtle).unwrap()).unwrap();
    for prefix in [
        "dcat", "dct", "foaf", "vcard", "spdx", "xsd", "hydra", "skos", "adms",
    ] {
        assert!(
            ttl.contains(&format!("@prefix {prefix}: <")),
            "@prefix {prefix}\n{ttl}"
        );
    }
    assert!(ttl.contains("a dcat:Dataset"), "{ttl}");
    assert!(ttl.contains("spdx:checksumAlgorithm_sha256"), "{ttl}");
    assert!(ttl.contains("\"123456\"^^xsd:nonNegativeInteger"), "{ttl}");
    // One block per subject: the dataset's IRI starts exactly one statement.
    assert_eq!(
        ttl.matches("\n<https://portail.example/datasets/ds-1> ")
            .count(),
        1,
        "{ttl}"
    );
}

#[test]
fn every_format_reads_back_the_same() {
    let dataset = full_dataset();
    let d = export(&dataset);
    let reference = read_back(
        &write_dataset(&d, RdfFormat::Turtle).unwrap(),
        RdfFormat::Turtle,
        SITE,
    );
    for format in RdfFormat::ALL {
        let bytes = write_dataset(&d, format).unwrap();
        assert_eq!(
            bytes,
            write_dataset(&d, format).unwrap(),
            "{format}: deterministic"
        );
        assert_eq!(read_back(&bytes, format, SITE), reference, "{format}");
    }
}

#[test]
fn json_ld_uses_prefixes() {
    let dataset = minimal_dataset("m");
    let json = write_dataset(&export(&dataset), RdfFormat::JsonLd).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(value["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    assert!(
        value["@graph"].as_array().is_some_and(|g| !g.is_empty()),
        "{value}"
    );
}

#[test]
fn licenses_without_url_are_rights_statements() {
    for (id, expected) in [
        ("other-open", "other-open"),
        ("notspecified", "notspecified"),
        ("other-pd", "other-pd"),
    ] {
        let mut dataset = minimal_dataset("m");
        dataset.license = id.to_owned();
        let nt = ntriples(&export(&dataset));
        assert!(
            nt.contains("<http://purl.org/dc/terms/RightsStatement>"),
            "{nt}"
        );
        assert!(!nt.contains("<http://purl.org/dc/terms/license>"), "{nt}");
        let back = read_back(nt.as_bytes(), RdfFormat::NTriples, SITE);
        assert_eq!(back[0].license.as_deref(), Some(expected));
    }
    let mut dataset = minimal_dataset("m");
    dataset.license = "no-such-license".to_owned();
    let nt = ntriples(&export(&dataset));
    assert!(!nt.contains("license") && !nt.contains("rights>"), "{nt}");
}

#[test]
fn minimal_dataset_and_private_access() {
    let mut dataset = minimal_dataset("m");
    let back = read_back(
        &write_dataset(&export(&dataset), RdfFormat::Turtle).unwrap(),
        RdfFormat::Turtle,
        SITE,
    );
    let d = &back[0];
    assert_eq!(
        (d.title.as_str(), d.description.as_str()),
        ("Dataset m", "")
    );
    assert_eq!(d.frequency.as_deref(), Some("unknown"));
    assert_eq!(
        (d.temporal_coverage, &d.spatial, d.acronym.as_deref()),
        (None, &None, None)
    );
    assert!(d.tags.is_empty() && d.resources.is_empty());
    dataset.private = true;
    let nt = ntriples(&export(&dataset));
    assert!(
        nt.contains("<http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC>"),
        "{nt}"
    );
}

#[test]
fn urls_that_are_not_iris() {
    let mut dataset = minimal_dataset("m");
    let mut spaced = resource("r1", Some("csv"));
    spaced.url = "https://files.example/a file.csv".to_owned();
    let mut broken = resource("r2", Some("csv"));
    broken.url = "not a url".to_owned();
    dataset.resources = vec![spaced, broken];
    let nt = ntriples(&export(&dataset));
    assert!(
        nt.contains(
            "<http://www.w3.org/ns/dcat#downloadURL> <https://files.example/a%20file.csv> ."
        ),
        "{nt}"
    );
    assert_eq!(
        nt.matches("#downloadURL>").count(),
        1,
        "the broken one has only its access URL\n{nt}"
    );
    assert_eq!(nt.matches("#accessURL>").count(), 2, "{nt}");

    let mut bad = export(&dataset);
    bad.iri = "no iri".to_owned();
    assert!(matches!(
        write_dataset(&bad, RdfFormat::Turtle),
        Err(DcatError::InvalidIri { .. })
    ));
    let mut bad = export(&dataset);
    bad.resource_urls.pop();
    let error = write_dataset(&bad, RdfFormat::Turtle).unwrap_err();
    assert_eq!(
        error,
        DcatError::Export("dataset m: 1 resource URLs for 2 resources".to_owned())
    );
}

fn page_iri(n: u64) -> String {
    format!("{SITE}/catalog.ttl?page={n}")
}

#[test]
fn catalog_with_paging() {
    let first = full_dataset();
    let second = minimal_dataset("ds-2");
    let exports = [export(&first), export(&second)];
    let paging = Paging {
        page: 2,
        page_size: 2,
        total: 5,
        page_iri: &page_iri,
    };
    let bytes = write_catalog(&catalog(), &exports, Some(&paging), RdfFormat::NTriples).unwrap();
    let nt = String::from_utf8(bytes.clone()).unwrap();
    let page = "<https://portail.example/catalog.ttl?page=2>";
    let cat = "<https://portail.example/catalog>";
    let h = "http://www.w3.org/ns/hydra/core#";
    for line in [
        format!(
            "{cat} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Catalog> ."
        ),
        format!("{cat} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{h}Collection> ."),
        format!("{cat} <{h}totalItems> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> ."),
        format!("{cat} <{h}view> {page} ."),
        format!("{cat} <http://purl.org/dc/terms/title> \"Portail d'exemple\"@fr ."),
        format!(
            "{cat} <http://purl.org/dc/terms/language> <http://publications.europa.eu/resource/authority/language/FRA> ."
        ),
        format!("{cat} <http://xmlns.com/foaf/0.1/homepage> <https://portail.example> ."),
        format!(
            "{cat} <http://purl.org/dc/terms/publisher> <https://portail.example/organizations/org-1/> ."
        ),
        format!(
            "{cat} <http://www.w3.org/ns/dcat#dataset> <https://portail.example/datasets/ds-2> ."
        ),
        format!(
            "{page} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{h}PartialCollectionView> ."
        ),
        format!("{page} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{h}PagedCollection> ."),
        format!("{page} <{h}itemsPerPage> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> ."),
        format!("{page} <{h}first> <https://portail.example/catalog.ttl?page=1> ."),
        format!("{page} <{h}firstPage> <https://portail.example/catalog.ttl?page=1> ."),
        format!("{page} <{h}last> <https://portail.example/catalog.ttl?page=3> ."),
        format!("{page} <{h}lastPage> <https://portail.example/catalog.ttl?page=3> ."),
        format!("{page} <{h}previous> <https://portail.example/catalog.ttl?page=1> ."),
        format!("{page} <{h}previousPage> <https://portail.example/catalog.ttl?page=1> ."),
        format!("{page} <{h}next> <https://portail.example/catalog.ttl?page=3> ."),
        format!("{page} <{h}nextPage> <https://portail.example/catalog.ttl?page=3> ."),
    ] {
        assert!(nt.contains(&line), "missing: {line}\n{nt}");
    }
    // Our own reader pages through it, as a udata-style harvester.
    let read = read_page(
        &bytes,
        RdfFormat::NTriples,
        &page_iri(2),
        &ReadLimits::default(),
        now(),
    )
    .unwrap();
    assert_eq!(read.next_page.as_deref(), Some(page_iri(3).as_str()));
    assert_eq!(read.total_items, Some(5));
    assert_eq!(read.records.len(), 2);
    assert!(
        read.records
            .iter()
            .all(|r| matches!(r, RemoteRecord::Dataset(_)))
    );
    for format in RdfFormat::ALL {
        let bytes = write_catalog(&catalog(), &exports, Some(&paging), format).unwrap();
        assert_eq!(
            bytes,
            write_catalog(&catalog(), &exports, Some(&paging), format).unwrap()
        );
        let again = read_page(&bytes, format, &page_iri(2), &ReadLimits::default(), now()).unwrap();
        assert_eq!(again, read, "{format}");
    }
}

#[test]
fn first_last_and_empty_pages() {
    let links = |page: u64, total: u64| {
        let paging = Paging {
            page,
            page_size: 10,
            total,
            page_iri: &page_iri,
        };
        let nt = String::from_utf8(
            write_catalog(&catalog(), &[], Some(&paging), RdfFormat::NTriples).unwrap(),
        )
        .unwrap();
        ["first>", "last>", "previous>", "next>"].map(|p| {
            nt.lines().find(|l| l.contains(&format!("#{p}"))).map(|l| {
                l.rsplit_once("page=")
                    .map(|(_, n)| n.trim_end_matches("> .").to_owned())
                    .unwrap_or_default()
            })
        })
    };
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(links(1, 25), [s("1"), s("3"), None, s("2")]);
    assert_eq!(links(3, 25), [s("1"), s("3"), s("2"), None]);
    assert_eq!(links(1, 0), [s("1"), s("1"), None, None]);
    assert_eq!(links(1, 10), [s("1"), s("1"), None, None]);
    // Without paging: no Hydra at all.
    let nt = String::from_utf8(write_catalog(&catalog(), &[], None, RdfFormat::NTriples).unwrap())
        .unwrap();
    assert!(!nt.contains("hydra"), "{nt}");
}

#[test]
#[ignore = "prints a sample, for a look"]
fn print_sample() {
    let first = full_dataset();
    let exports = [export(&first)];
    let paging = Paging {
        page: 1,
        page_size: 2,
        total: 5,
        page_iri: &page_iri,
    };
    for format in [RdfFormat::Turtle, RdfFormat::JsonLd] {
        let bytes = write_catalog(&catalog(), &exports, Some(&paging), format).unwrap();
        println!("{}", String::from_utf8(bytes).unwrap());
    }
}

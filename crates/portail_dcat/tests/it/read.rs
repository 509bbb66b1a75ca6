//! Reading: every mapping rule of `read_page`, on small documents written for these tests.

use chrono::{NaiveDate, TimeZone, Utc};
use portail_core::harvest::{RecordError, RemoteRecord};
use portail_core::model::{Checksum, Spatial, TemporalCoverage};
use portail_dcat::{DcatError, RdfFormat, ReadLimits, read_page};
use serde_json::json;

use crate::support::{BASE, PREFIXES, datasets, fixture, now, one, read_ttl, with};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[test]
fn full_dataset() {
    let page = read_page(
        &fixture("full.ttl"),
        RdfFormat::Turtle,
        BASE,
        &ReadLimits::default(),
        now(),
    )
    .unwrap();
    assert_eq!(
        page.next_page.as_deref(),
        Some("https://remote.example/catalog.ttl?page=2")
    );
    assert_eq!(page.total_items, Some(42));
    let d = datasets(&page)[0].clone();
    assert_eq!(d.remote_id, "air-quality-2020");
    assert_eq!(d.dct_identifier.as_deref(), Some("air-quality-2020"));
    assert_eq!(d.uri.as_deref(), Some("https://remote.example/dataset/air"));
    assert_eq!(
        d.remote_url.as_deref(),
        Some("https://remote.example/pages/air")
    );
    assert_eq!(d.title, "Qualité de l'air");
    assert_eq!(d.acronym.as_deref(), Some("AQ"));
    assert_eq!(
        d.description,
        "Hourly NO2 & PM10 measures.\n\nLine one\nline two"
    );
    assert_eq!(d.license.as_deref(), Some("lov2"));
    assert_eq!(d.frequency.as_deref(), Some("monthly"));
    assert_eq!(
        d.tags,
        ["air-quality", "envi", "pollution", "sante-publique"]
    );
    assert_eq!(
        d.temporal_coverage,
        Some(TemporalCoverage {
            start: date(2020, 1, 1),
            end: Some(date(2020, 12, 31))
        })
    );
    assert_eq!(
        d.spatial,
        Some(Spatial {
            granularity: None,
            zones: vec!["fr:commune:75056".to_owned()]
        })
    );
    assert_eq!(
        d.created_at,
        Some(Utc.with_ymd_and_hms(2019, 12, 1, 8, 0, 0).unwrap())
    );
    assert_eq!(
        d.issued_at,
        Some(Utc.with_ymd_and_hms(2020, 1, 15, 0, 0, 0).unwrap())
    );
    assert_eq!(
        d.modified_at,
        Some(Utc.with_ymd_and_hms(2021, 2, 3, 3, 5, 6).unwrap())
    );
    assert_eq!(
        d.extras["dcat:rights"],
        json!("Free reuse, mention the source")
    );
    assert_eq!(
        d.extras["dcat:accessRights"],
        json!("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
    );
    assert_eq!(d.extras["dcat:provenance"], json!("Measured by sensors"));
    assert_eq!(d.extras["dcat:spatial"], json!(["POINT(2.35 48.85)"]));
    assert!(
        !d.extras.contains_key("dcat:license"),
        "a recognised license is not kept raw"
    );

    // The distribution without any URL is ignored; the others come sorted by IRI.
    assert_eq!(d.resources.len(), 2);
    let csv = &d.resources[1];
    assert_eq!(csv.remote_id.as_deref(), Some("air-csv"));
    assert_eq!(
        csv.uri.as_deref(),
        Some("https://remote.example/dataset/air/csv")
    );
    assert_eq!(csv.url, "https://remote.example/files/air.csv");
    assert_eq!(csv.title, "Measures (CSV)");
    assert_eq!(csv.description.as_deref(), Some("All stations"));
    assert_eq!(csv.kind, "main");
    assert_eq!(csv.format.as_deref(), Some("csv"));
    assert_eq!(csv.mime.as_deref(), Some("text/csv"));
    assert_eq!(csv.filesize, Some(123_456));
    assert_eq!(
        csv.checksum,
        Some(Checksum {
            kind: "sha256".to_owned(),
            value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_owned()
        })
    );
    assert_eq!(
        csv.issued_at,
        Some(Utc.with_ymd_and_hms(2020, 1, 15, 0, 0, 0).unwrap())
    );
    assert_eq!(
        csv.modified_at, None,
        "a modification date in the future is dropped"
    );
    let api = &d.resources[0];
    assert_eq!(api.url, "https://remote.example/api/air/");
    assert_eq!(api.kind, "api");
    assert_eq!(api.format.as_deref(), Some("json"));
    assert_eq!(api.title, "air", "the URL's last segment");
}

#[test]
fn identity_and_records_in_document_order() {
    let page = read_ttl(
        r#"
        <https://remote.example/b> a dcat:Dataset ; dct:title "B" .
        <https://remote.example/a> a dcat:Dataset ; dct:title "A" ; dct:identifier "id-a" .
        [] a dcat:Dataset ; dct:title "Blank" ; dct:identifier "blank-1" .
        [] a dcat:Dataset ; dct:title "Anonymous" .
        <https://remote.example/untitled> a dcat:Dataset ; dct:identifier "u-1" .
        <https://remote.example/series> a dcat:DatasetSeries ; dct:title "Series" .
        "#,
    );
    let ids: Vec<Option<&str>> = page.records.iter().map(RemoteRecord::remote_id).collect();
    assert_eq!(
        ids,
        [
            Some("https://remote.example/b"),
            Some("id-a"),
            Some("blank-1"),
            None,
            Some("u-1"),
            Some("https://remote.example/series")
        ]
    );
    match &page.records[3] {
        RemoteRecord::Failed(RecordError {
            remote_id: None,
            message,
        }) => {
            assert!(message.contains("\"Anonymous\""), "{message}");
            assert!(message.contains("dct:identifier"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        page.records[4],
        RemoteRecord::Failed(RecordError {
            remote_id: Some("u-1".to_owned()),
            message: "dct:title is missing".to_owned()
        })
    );
    assert_eq!(page.next_page, None);
    assert_eq!(page.total_items, None);
}

#[test]
fn title_less_parts_are_skipped() {
    let page = read_ttl(
        r#"
        <https://remote.example/service> a dcat:DataService ; dcat:servesDataset <https://remote.example/served> .
        <https://remote.example/served> a dcat:Dataset .
        <https://remote.example/series> a dcat:DatasetSeries ; dct:title "S" ; dct:hasPart <https://remote.example/part> .
        <https://remote.example/part> a dcat:Dataset .
        <https://remote.example/catalog> dcat:dataset <https://remote.example/listed> .
        <https://remote.example/listed> a dcat:Dataset .
        <https://remote.example/service> dcat:servesDataset <https://remote.example/listed> .
        "#,
    );
    let kinds: Vec<&str> = page
        .records
        .iter()
        .map(|r| match r {
            RemoteRecord::Dataset(_) => "dataset",
            RemoteRecord::Skipped { .. } => "skipped",
            RemoteRecord::Failed(_) => "failed",
        })
        .collect();
    // A title-less dataset also listed in the catalog is an error of the catalog, not a part.
    assert_eq!(kinds, ["skipped", "dataset", "skipped", "failed"]);
    match &page.records[0] {
        RemoteRecord::Skipped { remote_id, reason } => {
            assert_eq!(remote_id.as_deref(), Some("https://remote.example/served"));
            assert!(reason.contains("dcat:servesDataset"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn text_language_preference() {
    let d = with(
        r#"dct:title "Titel"@de, "Title"@en-GB ; dct:description "Sans langue", "Beschreibung"@de ; skos:altLabel "X"@it"#,
    );
    // `T` (untagged) from `with` comes after English.
    assert_eq!(d.title, "Title");
    assert_eq!(d.description, "Sans langue");
    assert_eq!(d.acronym.as_deref(), Some("X"));
    let d =
        one(r#"<https://remote.example/d> a dcat:Dataset ; dct:title "Titel"@de, "Titre"@fr-FR ."#);
    assert_eq!(d.title, "Titre");
    let d = one(r#"<https://remote.example/d> a dcat:Dataset ; dct:title "  Spaced  "@de ."#);
    assert_eq!(d.title, "Spaced");
}

#[test]
fn description_falls_back_to_abstract_and_converts_html() {
    assert_eq!(with(r#"dct:abstract "Short""#).description, "Short");
    assert_eq!(
        with(r#"dct:description "<ul><li>one</li><li>two &eacute;</li></ul><script>x()</script>""#)
            .description,
        "- one\n- two é"
    );
    assert_eq!(
        with(r#"dct:description "a < b & c""#).description,
        "a < b & c"
    );
    assert_eq!(with("").description, "");
}

#[test]
fn frequencies() {
    let f = |s: &str| with(s).frequency;
    assert_eq!(f("dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL_2>").as_deref(), Some("semiannual"));
    assert_eq!(
        f("dct:accrualPeriodicity <http://purl.org/cld/freq/biweekly>").as_deref(),
        Some("biweekly")
    );
    assert_eq!(
        f(r#"dct:accrualPeriodicity "IRREG""#).as_deref(),
        Some("irregular")
    );
    assert_eq!(
        f(r#"dct:accrualPeriodicity "weekly""#).as_deref(),
        Some("weekly")
    );
    assert_eq!(
        f(r#"dct:accrualPeriodicity "threeTimesAYear""#).as_deref(),
        Some("threeTimesAYear")
    );
    assert_eq!(f(r#"dct:accrualPeriodicity "http://publications.europa.eu/resource/authority/frequency/DAILY""#).as_deref(), Some("daily"));
    assert_eq!(
        f(r#"dct:accrualPeriodicity [ a dct:Frequency ; rdf:value "QUARTERLY" ]"#).as_deref(),
        Some("quarterly")
    );
    assert_eq!(
        f(r#"dct:accrualPeriodicity "R/P1Y""#).as_deref(),
        Some("annual")
    );
    let d = with(r#"dct:accrualPeriodicity "whenever""#);
    assert_eq!(d.frequency, None);
    assert_eq!(d.extras["dcat:accrualPeriodicity"], json!("whenever"));
    assert_eq!(f(""), None);
}

#[test]
fn tags_from_keywords_and_themes() {
    let d = with(
        r#"dcat:keyword "Open Data", "open-data", "a", "Énergie" ;
           dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN>, "Économie", <https://remote.example/t/x>, [ skos:prefLabel "Agriculture" ] .
           <https://remote.example/t/x> skos:prefLabel "Xylophones"@en, "Xylophones ici"@fr"#,
    );
    assert_eq!(
        d.tags,
        [
            "agriculture",
            "economie",
            "energie",
            "open-data",
            "tran",
            "xylophones-ici"
        ]
    );
    // One language of a multilingual catalog, with the untagged keywords.
    let d = with(r#"dcat:keyword "eau"@fr, "water"@en, "Wasser"@de, "hydro""#);
    assert_eq!(d.tags, ["eau", "hydro"]);
    let d = with(r#"dcat:keyword "water"@en, "Wasser"@de"#);
    assert_eq!(d.tags, ["water"]);
}

#[test]
fn licenses() {
    let l = |s: &str| with(s).license;
    assert_eq!(
        l("dct:license <https://creativecommons.org/licenses/by/4.0/>").as_deref(),
        Some("cc-by")
    );
    assert_eq!(
        l(r#"dct:license [ a dct:LicenseDocument ; rdfs:label "ODbL" ]"#).as_deref(),
        Some("odc-odbl")
    );
    assert_eq!(l(r#"dct:license <https://remote.example/licence> . <https://remote.example/licence> dct:title "Licence Ouverte v2.0""#).as_deref(), Some("lov2"));
    assert_eq!(
        l(r#"dct:rights "Licence Ouverte / Open Licence version 2.0""#).as_deref(),
        Some("lov2")
    );
    assert_eq!(
        l(r#"dct:rights [ a dct:RightsStatement ; rdfs:label "Other (Open)" ]"#).as_deref(),
        Some("other-open")
    );
    assert_eq!(
        l(r#"dcat:distribution [ dcat:accessURL <https://remote.example/f> ; dct:license <http://opendatacommons.org/licenses/odbl/summary/> ]"#).as_deref(),
        Some("odc-odbl")
    );
    // The dataset's own license is tried before its distributions'.
    assert_eq!(
        l(r#"dct:license <http://www.opendefinition.org/licenses/cc-zero> ; dcat:distribution [ dcat:accessURL <https://remote.example/f> ; dct:license <http://opendatacommons.org/licenses/odbl/summary/> ]"#).as_deref(),
        Some("cc-zero")
    );
    let d = with("dct:license <https://remote.example/our-own-licence>");
    assert_eq!(d.license, None);
    assert_eq!(
        d.extras["dcat:license"],
        json!("https://remote.example/our-own-licence")
    );
    assert_eq!(l(""), None);
}

#[test]
fn temporal_forms() {
    let t = |s: &str| {
        with(&format!("dct:temporal {s}"))
            .temporal_coverage
            .map(|c| (c.start, c.end))
    };
    let y2020 = Some((date(2020, 1, 1), Some(date(2020, 12, 31))));
    assert_eq!(
        t(r#"[ dcat:startDate "2020-01-01"^^xsd:date ; dcat:endDate "2020-12-31"^^xsd:date ]"#),
        y2020
    );
    assert_eq!(
        t(
            r#"[ schema:startDate "2020-01-01" ; schema:endDate "2020-12-31T23:00:00Z"^^xsd:dateTime ]"#
        ),
        y2020
    );
    assert_eq!(
        t(r#"[ <https://schema.org/startDate> "2020" ; <https://schema.org/endDate> "2020" ]"#),
        y2020
    );
    assert_eq!(
        t(
            r#"[ time:hasBeginning [ time:inXSDDate "2020-01-01"^^xsd:date ] ; time:hasEnd [ time:inXSDDateTime "2020-12-31T00:00:00"^^xsd:dateTime ] ]"#
        ),
        y2020
    );
    assert_eq!(
        t(r#"[ scovo:min "2020-01-01" ; scovo:max "2020-12-31" ]"#),
        y2020
    );
    assert_eq!(t(r#""2020""#), y2020);
    assert_eq!(
        t(r#""2020-02""#),
        Some((date(2020, 2, 1), Some(date(2020, 2, 29))))
    );
    assert_eq!(
        t(r#""2020-02-03""#),
        Some((date(2020, 2, 3), Some(date(2020, 2, 3))))
    );
    assert_eq!(t(r#""2020-01-01/2020-12-31""#), y2020);
    assert_eq!(
        t(r#""2019/2020""#),
        Some((date(2019, 1, 1), Some(date(2020, 12, 31))))
    );
    // Only a start; swapped bounds; nothing usable.
    assert_eq!(
        t(r#"[ dcat:startDate "2020-05-01"^^xsd:date ]"#),
        Some((date(2020, 5, 1), None))
    );
    assert_eq!(
        t(r#"[ dcat:startDate "2021-01-01" ; dcat:endDate "2020-01-01" ]"#),
        Some((date(2020, 1, 1), Some(date(2021, 1, 1))))
    );
    assert_eq!(t(r#"[ dcat:endDate "2020-01-01" ]"#), None);
    assert_eq!(t(r#""sometime""#), None);
}

#[test]
fn spatial_coverage() {
    let d = with(
        r#"dct:spatial <country:fr>, <http://publications.europa.eu/resource/authority/country/FRA>,
             "{\"type\":\"Point\",\"coordinates\":[2.3,48.8]}",
             [ a dct:Location ; dct:identifier "fr:departement:13" ; dcat:bbox "POLYGON((0 0,1 0,1 1,0 0))" ; dcat:centroid "POINT(0.5 0.5)" ]"#,
    );
    assert_eq!(
        d.spatial,
        Some(Spatial {
            granularity: None,
            zones: vec!["country:fr".to_owned(), "fr:departement:13".to_owned()]
        })
    );
    let kept: Vec<&str> = d.extras["dcat:spatial"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(kept.len(), 4, "{kept:?}");
    for expected in [
        "http://publications.europa.eu/resource/authority/country/FRA",
        "{\"type\":\"Point\",\"coordinates\":[2.3,48.8]}",
        "POLYGON((0 0,1 0,1 1,0 0))",
        "POINT(0.5 0.5)",
    ] {
        assert!(kept.contains(&expected), "{expected} in {kept:?}");
    }
    let d = with("");
    assert_eq!(d.spatial, None);
    assert!(!d.extras.contains_key("dcat:spatial"));
}

#[test]
fn dates_and_remote_url() {
    let d = with(
        r#"dct:issued "2020-03"^^xsd:gYearMonth ; dct:created "2019"^^xsd:gYear ; dct:modified "2025-06-01T11:59:59Z"^^xsd:dateTime"#,
    );
    assert_eq!(
        d.issued_at,
        Some(Utc.with_ymd_and_hms(2020, 3, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        d.created_at,
        Some(Utc.with_ymd_and_hms(2019, 1, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        d.modified_at,
        Some(Utc.with_ymd_and_hms(2025, 6, 1, 11, 59, 59).unwrap())
    );
    assert_eq!(
        with(r#"dct:modified "2025-06-02""#).modified_at,
        None,
        "after `now`"
    );
    assert_eq!(with(r#"dct:issued "not a date""#).issued_at, None);
    assert_eq!(
        with("").remote_url.as_deref(),
        Some("https://remote.example/d")
    );
    assert_eq!(
        with(r#"dcat:landingPage "https://remote.example/page""#)
            .remote_url
            .as_deref(),
        Some("https://remote.example/page")
    );
    let d = one(r#"[] a dcat:Dataset ; dct:title "T" ; dct:identifier "x" ."#);
    assert_eq!((d.uri, d.remote_url), (None, None));
}

#[test]
fn distributions() {
    let d = with(
        r#"dcat:distribution
            [ dcat:accessURL <https://remote.example/access> ; dct:format "CSV" ],
            [ dcat:accessURL "https://remote.example/literal/data.geojson" ; dcat:mediaType "application/geo+json" ],
            [ dcat:downloadURL <https://remote.example/> ; dct:format <https://www.iana.org/assignments/media-types/application/vnd.ms-excel> ; dcat:byteSize "1024.0"^^xsd:decimal ],
            [ dcat:downloadURL <https://remote.example/x/> ; dct:format [ a dct:MediaTypeOrExtent ; rdfs:label "Shapefile" ] ; dcat:mediaType <http://www.iana.org/assignments/media-types/application/zip> ],
            [ dcat:downloadURL <https://remote.example/y/> ; dct:format <http://publications.europa.eu/resource/authority/file-type/GEOJSON> ; dcat:byteSize "lots" ],
            [ dcat:downloadURL <https://remote.example/> ],
            [ dct:title "No URL at all" ] ;
        dcat:distributions [ dcat:downloadURL <https://remote.example/misspelt.csv> ]"#,
    );
    type Row<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<i64>,
    );
    let rows: Vec<Row<'_>> = d
        .resources
        .iter()
        .map(|r| {
            (
                r.url.as_str(),
                r.title.as_str(),
                r.format.as_deref(),
                r.mime.as_deref(),
                r.filesize,
            )
        })
        .collect();
    // Blank nodes come in a stable order, not the document's: compare as sets.
    let expected = [
        (
            "https://remote.example/access",
            "access",
            Some("csv"),
            None,
            None,
        ),
        (
            "https://remote.example/literal/data.geojson",
            "data.geojson",
            Some("geojson"),
            Some("application/geo+json"),
            None,
        ),
        (
            "https://remote.example/",
            "XLS resource",
            Some("xls"),
            None,
            Some(1024),
        ),
        (
            "https://remote.example/x/",
            "x",
            Some("shapefile"),
            Some("application/zip"),
            None,
        ),
        (
            "https://remote.example/y/",
            "y",
            Some("geojson"),
            None,
            None,
        ),
        ("https://remote.example/", "Resource", None, None, None),
        (
            "https://remote.example/misspelt.csv",
            "misspelt.csv",
            None,
            None,
            None,
        ),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:#?}");
    for row in expected {
        assert!(rows.contains(&row), "{row:?} not in {rows:#?}");
    }
    assert!(
        d.resources
            .iter()
            .all(|r| r.kind == "main" && r.uri.is_none())
    );
}

#[test]
fn checksums() {
    let c = |algorithm: &str, value: &str| {
        with(&format!(
            r#"dcat:distribution [ dcat:downloadURL <https://remote.example/f> ; spdx:checksum [ spdx:algorithm {algorithm} ; spdx:checksumValue "{value}" ] ]"#
        ))
        .resources[0]
            .checksum
            .clone()
            .map(|c| (c.kind, c.value))
    };
    let sha1 = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";
    assert_eq!(
        c("spdx:checksumAlgorithm_sha1", sha1),
        Some(("sha1".to_owned(), sha1.to_owned()))
    );
    assert_eq!(
        c(
            "spdx:checksumAlgorithm_md5",
            "D41D8CD98F00B204E9800998ECF8427E"
        ),
        Some((
            "md5".to_owned(),
            "d41d8cd98f00b204e9800998ecf8427e".to_owned()
        ))
    );
    assert_eq!(
        c(r#""SHA-256""#, "ab").map(|c| c.0),
        Some("sha256".to_owned())
    );
    assert_eq!(
        c("spdx:checksumAlgorithm_sha512", "ab"),
        None,
        "not one of ours"
    );
    assert_eq!(c("spdx:checksumAlgorithm_sha1", "not hex"), None);
}

#[test]
fn legacy_paging_in_rdf_xml_with_owl_time() {
    let page = read_page(
        &fixture("catalog.rdf"),
        RdfFormat::RdfXml,
        "https://remote.example/catalog.rdf?page=2",
        &ReadLimits::default(),
        now(),
    )
    .unwrap();
    assert_eq!(
        page.next_page.as_deref(),
        Some("https://remote.example/catalog.rdf?page=3")
    );
    assert_eq!(page.total_items, Some(3));
    let d = datasets(&page)[0];
    assert_eq!(d.remote_id, "https://remote.example/dataset/2");
    assert_eq!(
        d.temporal_coverage,
        Some(TemporalCoverage {
            start: date(2018, 5, 1),
            end: Some(date(2018, 6, 30))
        })
    );
    assert_eq!(d.resources[0].title, "2.zip");
}

#[test]
fn paging_variants() {
    let next = |s: &str| read_ttl(s).next_page;
    // Both vocabularies on one node, as ckanext-dcat writes them: hydra:next wins.
    assert_eq!(
        next(r#"<https://remote.example/catalog.ttl> a hydra:PartialCollectionView, hydra:PagedCollection ; hydra:next <?page=2> ; hydra:nextPage "?page=9" ."#).as_deref(),
        Some("https://remote.example/catalog.ttl?page=2")
    );
    assert_eq!(
        next(r#"[] a hydra:PagedCollection ; hydra:nextPage "https://other.example/p/3" ."#)
            .as_deref(),
        Some("https://other.example/p/3")
    );
    // A next link without a page type, or pointing at this very page, is no next page.
    assert_eq!(next(r#"[] hydra:next <?page=2> ."#), None);
    assert_eq!(
        next(r#"[] a hydra:PartialCollectionView ; hydra:next <catalog.ttl> ."#),
        None
    );
    assert_eq!(
        read_ttl(r#"[] hydra:totalItems "12" ."#).total_items,
        Some(12)
    );
}

#[test]
fn json_ld_with_the_bundled_dcat_ap_context() {
    let page = read_page(
        &fixture("dcat-ap-3-context.jsonld"),
        RdfFormat::JsonLd,
        "https://remote.example/catalog.jsonld",
        &ReadLimits::default(),
        now(),
    )
    .unwrap();
    let d = datasets(&page)[0];
    assert_eq!(d.remote_id, "https://data.gov.gr/id/dataset/Bees");
    assert_eq!(d.title, "Abeilles");
    assert_eq!(d.description, "Bee counts");
    assert_eq!(d.frequency.as_deref(), Some("annual"));
    assert_eq!(
        d.issued_at,
        Some(Utc.with_ymd_and_hms(2021, 4, 1, 0, 0, 0).unwrap())
    );
}

#[test]
fn json_ld_with_an_unknown_remote_context_is_a_clear_error() {
    let doc = br#"{"@context": "https://remote.example/context.jsonld", "@id": "https://remote.example/d", "@type": "Dataset"}"#;
    let error = read_page(doc, RdfFormat::JsonLd, BASE, &ReadLimits::default(), now()).unwrap_err();
    assert_eq!(
        error,
        DcatError::RemoteContext {
            url: "https://remote.example/context.jsonld".to_owned()
        }
    );
    assert!(
        error.to_string().contains("not available offline"),
        "{error}"
    );
}

#[test]
fn json_ld_inline_context() {
    let doc = br#"{
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
        "@graph": [{"@id": "https://remote.example/d", "@type": "dcat:Dataset", "dct:title": "Inline",
                    "dcat:keyword": ["alpha", "beta"]}]
    }"#;
    let page = read_page(doc, RdfFormat::JsonLd, BASE, &ReadLimits::default(), now()).unwrap();
    assert_eq!(datasets(&page)[0].tags, ["alpha", "beta"]);
}

#[test]
fn named_graphs_are_merged() {
    let trig = format!(
        "{PREFIXES}\n<https://remote.example/g1> {{ <https://remote.example/d> a dcat:Dataset . }}\n\
         <https://remote.example/g2> {{ <https://remote.example/d> dct:title \"From another graph\" . }}"
    );
    let page = read_page(
        trig.as_bytes(),
        RdfFormat::TriG,
        BASE,
        &ReadLimits::default(),
        now(),
    )
    .unwrap();
    assert_eq!(datasets(&page)[0].title, "From another graph");
    let nq = "<https://remote.example/d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> <https://remote.example/g> .\n\
              <https://remote.example/d> <http://purl.org/dc/terms/title> \"NQ\" .\n";
    let page = read_page(
        nq.as_bytes(),
        RdfFormat::NQuads,
        BASE,
        &ReadLimits::default(),
        now(),
    )
    .unwrap();
    assert_eq!(datasets(&page)[0].title, "NQ");
}

#[test]
fn syntax_errors_say_where() {
    let doc = format!(
        "{PREFIXES}\n<https://remote.example/d> a dcat:Dataset ;\n  dct:title \"unterminated .\n"
    );
    let error = read_page(
        doc.as_bytes(),
        RdfFormat::Turtle,
        BASE,
        &ReadLimits::default(),
        now(),
    )
    .unwrap_err();
    let DcatError::Syntax { format, line, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*format, RdfFormat::Turtle);
    assert_eq!(*line, Some(16));
    assert!(
        error
            .to_string()
            .starts_with("Turtle syntax error at line 16"),
        "{error}"
    );

    let error = read_page(
        b"{\"@id\": ",
        RdfFormat::JsonLd,
        BASE,
        &ReadLimits::default(),
        now(),
    )
    .unwrap_err();
    assert!(
        error.to_string().starts_with("JSON-LD syntax error"),
        "{error}"
    );
    let error = read_page(
        b"<rdf:RDF",
        RdfFormat::RdfXml,
        BASE,
        &ReadLimits::default(),
        now(),
    )
    .unwrap_err();
    assert!(
        error.to_string().starts_with("RDF/XML syntax error"),
        "{error}"
    );
    let error = read_page(
        b"<a> <b> .",
        RdfFormat::NTriples,
        BASE,
        &ReadLimits::default(),
        now(),
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("N-Triples syntax error at line 1"),
        "{error}"
    );
}

#[test]
fn limits() {
    let doc = format!(
        "{PREFIXES}\n<https://remote.example/d> a dcat:Dataset ; dct:title \"T\" ; dcat:keyword \"a\", \"b\", \"c\" ."
    );
    let limits = ReadLimits {
        max_triples: 4,
        ..ReadLimits::default()
    };
    let error = read_page(doc.as_bytes(), RdfFormat::Turtle, BASE, &limits, now()).unwrap_err();
    assert_eq!(error, DcatError::TooManyTriples { limit: 4 });
    assert_eq!(
        error.to_string(),
        "too many triples: the document has more than 4"
    );
    let limits = ReadLimits {
        max_triples: 5,
        ..ReadLimits::default()
    };
    assert!(read_page(doc.as_bytes(), RdfFormat::Turtle, BASE, &limits, now()).is_ok());

    let doc = format!(
        "{PREFIXES}\n<https://remote.example/a> a dcat:Dataset . <https://remote.example/b> a dcat:Dataset ."
    );
    let limits = ReadLimits {
        max_datasets: 1,
        ..ReadLimits::default()
    };
    let error = read_page(doc.as_bytes(), RdfFormat::Turtle, BASE, &limits, now()).unwrap_err();
    assert_eq!(error, DcatError::TooManyDatasets { found: 2, limit: 1 });
    assert!(ReadLimits::default().max_triples >= 100_000);
}

#[test]
fn base_iri() {
    let doc =
        b"<d> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"T\" .";
    let error = read_page(
        doc,
        RdfFormat::Turtle,
        "not a url",
        &ReadLimits::default(),
        now(),
    )
    .unwrap_err();
    assert!(matches!(error, DcatError::InvalidIri { .. }), "{error:?}");
    let page = read_page(
        doc,
        RdfFormat::Turtle,
        "https://remote.example/x/",
        &ReadLimits::default(),
        now(),
    )
    .unwrap();
    assert_eq!(datasets(&page)[0].remote_id, "https://remote.example/x/d");
}

#[test]
fn empty_documents() {
    for format in RdfFormat::ALL {
        let bytes: &[u8] = if format == RdfFormat::JsonLd {
            b"{}"
        } else if format == RdfFormat::RdfXml {
            b"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>"
        } else {
            b""
        };
        let page = read_page(bytes, format, BASE, &ReadLimits::default(), now()).unwrap();
        assert!(page.records.is_empty());
        assert_eq!(page.next_page, None);
    }
}

//! Helpers shared by the tests.

use chrono::{DateTime, TimeZone, Utc};
use portail_core::harvest::{RemoteDataset, RemoteRecord};
use portail_dcat::{DcatPage, RdfFormat, ReadLimits, read_page};

/// The harvest time of the tests.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0)
        .single()
        .expect("valid time")
}

pub const BASE: &str = "https://remote.example/catalog.ttl";

pub const PREFIXES: &str = "\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix schema: <http://schema.org/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix scovo: <http://purl.org/NET/scovo#> .
@prefix locn: <http://www.w3.org/ns/locn#> .
";

pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads Turtle written after [`PREFIXES`].
pub fn read_ttl(body: &str) -> DcatPage {
    let doc = format!("{PREFIXES}\n{body}");
    read_page(
        doc.as_bytes(),
        RdfFormat::Turtle,
        BASE,
        &ReadLimits::default(),
        now(),
    )
    .unwrap_or_else(|e| panic!("{e}\n{doc}"))
}

/// The datasets of a page, failing on any other record.
pub fn datasets(page: &DcatPage) -> Vec<&RemoteDataset> {
    page.records
        .iter()
        .map(|r| match r {
            RemoteRecord::Dataset(d) => d.as_ref(),
            other => panic!("expected a dataset, got {other:?}"),
        })
        .collect()
}

/// The one dataset of a Turtle document.
pub fn one(body: &str) -> RemoteDataset {
    let page = read_ttl(body);
    let found = datasets(&page);
    assert_eq!(found.len(), 1, "{:?}", page.records);
    found[0].clone()
}

/// A minimal dataset with extra Turtle statements on it.
pub fn with(statements: &str) -> RemoteDataset {
    one(&format!(
        "<https://remote.example/d> a dcat:Dataset ; dct:title \"T\" ; {statements} ."
    ))
}

// --- export inputs ---------------------------------------------------------------------------

use chrono::NaiveDate;
use portail_core::model::{
    Checksum, Dataset, DatasetMetrics, Extras, Filetype, Publisher, Resource, Spatial,
    TemporalCoverage,
};
use portail_dcat::{Agent, CatalogInfo, ExportDataset, ResourceUrls};

pub const SITE: &str = "https://portail.example";

pub fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 30, 0)
        .single()
        .expect("valid time")
}

pub fn resource(id: &str, format: Option<&str>) -> Resource {
    Resource {
        id: id.to_owned(),
        dataset_id: "ds-1".to_owned(),
        position: 0,
        title: format!("File {id}"),
        description: None,
        filetype: Filetype::Remote,
        kind: "main".to_owned(),
        url: format!("https://files.example/{id}.{}", format.unwrap_or("bin")),
        format: format.map(str::to_owned),
        mime: None,
        filesize: None,
        checksum: None,
        extras: Extras::new(),
        harvest: None,
        fs_filename: None,
        downloads: 0,
        created_at_internal: at(2024, 1, 2),
        last_modified_internal: at(2024, 3, 4),
    }
}

/// A dataset with the fields the export needs, nothing optional filled.
pub fn minimal_dataset(id: &str) -> Dataset {
    Dataset {
        id: id.to_owned(),
        slug: id.to_owned(),
        title: format!("Dataset {id}"),
        acronym: None,
        description: String::new(),
        description_short: None,
        license: "notspecified".to_owned(),
        frequency: "unknown".to_owned(),
        frequency_date: None,
        tags: Vec::new(),
        temporal_coverage: None,
        spatial: None,
        private: false,
        featured: false,
        archived_at: None,
        deleted_at: None,
        publisher: Publisher::Organization("org-1".to_owned()),
        extras: Extras::new(),
        harvest: None,
        created_at_internal: at(2024, 1, 1),
        last_modified_internal: at(2024, 5, 6),
        metrics: DatasetMetrics::default(),
        version: 1,
        resources: Vec::new(),
    }
}

/// A dataset with every exported field filled.
pub fn full_dataset() -> Dataset {
    let mut csv = resource("r-csv", Some("csv"));
    csv.description = Some("Every station, every hour".to_owned());
    csv.mime = Some("text/csv".to_owned());
    csv.filesize = Some(123_456);
    csv.checksum = Some(Checksum {
        kind: "sha256".to_owned(),
        value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_owned(),
    });
    let mut api = resource("r-api", Some("json"));
    api.kind = "api".to_owned();
    api.checksum = Some(Checksum {
        kind: "md5".to_owned(),
        value: "d41d8cd98f00b204e9800998ecf8427e".to_owned(),
    });
    let mut odd = resource("r-odd", Some("csv.gz"));
    odd.checksum = Some(Checksum {
        kind: "sha1".to_owned(),
        value: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3".to_owned(),
    });
    Dataset {
        title: "Qualité de l'air".to_owned(),
        acronym: Some("QA".to_owned()),
        description: "Mesures horaires.\n\n- NO2\n- PM10".to_owned(),
        license: "lov2".to_owned(),
        frequency: "hourly".to_owned(),
        tags: vec!["air".to_owned(), "pollution".to_owned()],
        temporal_coverage: Some(TemporalCoverage {
            start: NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date"),
            end: NaiveDate::from_ymd_opt(2020, 12, 31),
        }),
        spatial: Some(Spatial {
            granularity: Some("fr:commune".to_owned()),
            zones: vec!["fr:commune:75056".to_owned()],
        }),
        resources: vec![csv, api, odd],
        ..minimal_dataset("ds-1")
    }
}

pub fn organization() -> Agent {
    Agent {
        iri: format!("{SITE}/organizations/org-1/"),
        name: "Ville d'Exemple".to_owned(),
        homepage: Some("https://ville.example".to_owned()),
        email: Some("opendata@ville.example".to_owned()),
    }
}

pub fn export(dataset: &Dataset) -> ExportDataset<'_> {
    ExportDataset {
        dataset,
        iri: format!("{SITE}/datasets/{}", dataset.id),
        landing_page: format!("{SITE}/datasets/{}/", dataset.slug),
        publisher: organization(),
        contact_point: Some(organization()),
        resource_urls: dataset
            .resources
            .iter()
            .map(|r| ResourceUrls {
                iri: format!("{SITE}/datasets/{}/resources/{}", dataset.id, r.id),
                access_url: format!("{SITE}/datasets/r/{}", r.id),
                download_url: r.url.clone(),
            })
            .collect(),
    }
}

pub fn catalog() -> CatalogInfo {
    CatalogInfo {
        iri: format!("{SITE}/catalog"),
        title: "Portail d'exemple".to_owned(),
        description: "Les données ouvertes de l'exemple".to_owned(),
        homepage: SITE.to_owned(),
        language: "fr".to_owned(),
        publisher: organization(),
    }
}

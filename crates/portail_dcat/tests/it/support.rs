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

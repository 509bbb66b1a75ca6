//! Conformance over the shared fixtures: real and official DCAT documents (ckanext-dcat's
//! examples, the SEMIC DCAT-AP examples). Every file must give exactly the expected records,
//! and the deliberately broken ones a clean `DcatError`.
//!
//! The fixtures folder comes from `PORTAIL_FIXTURES` (CI sets it; a set variable naming a
//! missing folder fails the test), else `../../../shared/fixtures` from this crate when it
//! exists, else the test is skipped with a warning.

use std::path::{Path, PathBuf};

use portail_core::harvest::RemoteRecord;
use portail_dcat::{DcatError, ReadLimits, guess_format, read_page};

use crate::support::now;

/// What a file must give.
enum Expected {
    /// Records (datasets + skipped + failed), of which datasets.
    Records { total: usize, datasets: usize },
    /// A syntax error with a line number.
    SyntaxError,
}
use Expected::{Records, SyntaxError};

const fn records(total: usize, datasets: usize) -> Expected {
    Records { total, datasets }
}

/// Counts were checked against rdflib (nodes typed dcat:Dataset or dcat:DatasetSeries, and
/// those without dct:title). The title-less nodes of the SEMIC series examples are series
/// members described elsewhere: they fail with "dct:title is missing".
#[rustfmt::skip]
const TABLE: &[(&str, Expected)] = &[
    ("ckanext-dcat/examples/dcat/catalog.rdf", records(2, 2)),
    ("ckanext-dcat/examples/dcat/catalog_datasets_list.rdf", records(2, 2)),
    ("ckanext-dcat/examples/dcat/catalog_pod.jsonld", records(1, 1)),
    ("ckanext-dcat/examples/dcat/catalog_with_at_graph.jsonld", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset.rdf", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset.ttl", SyntaxError),
    ("ckanext-dcat/examples/dcat/dataset_afs.ttl", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset_deri.ttl", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset_gob_es.ttl", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset_gov_de.rdf", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset_health.ttl", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset_health_multilingual.ttl", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset_health_no_blank.ttl", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset_multilingual.ttl", records(1, 1)),
    ("ckanext-dcat/examples/dcat/dataset_sweden.rdf", records(1, 1)),
    ("DCAT-AP/releases/2.1.1/examples/example1.nt", records(1, 1)),
    ("DCAT-AP/releases/2.1.1/examples/example2.nt", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-bees_wasps_dataset.jsonld", records(2, 2)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-bees_wasps_dataset.ttl", SyntaxError),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-data_service_openapi_sla.jsonld", records(0, 0)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-data_service_openapi_sla.ttl", records(0, 0)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-data_service_service_desk.jsonld", records(0, 0)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-data_service_service_desk.ttl", records(0, 0)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-data_service_terms_sla.jsonld", records(2, 2)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-data_service_terms_sla.ttl", records(2, 2)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-map_licenses.jsonld", records(0, 0)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-map_licenses.ttl", records(0, 0)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_catalogue.jsonld", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_catalogue.ttl", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_catalogue_hvd.jsonld", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_catalogue_hvd.ttl", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_catalogue_simple.jsonld", records(0, 0)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_catalogue_simple.ttl", records(0, 0)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset.jsonld", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset.ttl", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_2_distributions.jsonld", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_2_distributions.ttl", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_2_identifiers.jsonld", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_2_identifiers.ttl", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_2_licenses.jsonld", records(2, 2)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_2_licenses.ttl", records(2, 2)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_data_service.jsonld", records(2, 2)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_data_service.ttl", records(2, 2)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_hvd_profile.jsonld", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-ms_dataset_hvd_profile.ttl", records(1, 1)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-restrict_licenses.jsonld", records(2, 2)),
    ("DCAT-AP/releases/3.0.0-hvd/html/examples/example-restrict_licenses.ttl", records(2, 2)),
    // The context itself: a JSON-LD document with no triples.
    ("DCAT-AP/releases/3.0.1/html/examples/context.jsonld", records(0, 0)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-2022-2023.jsonld", records(2, 2)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-2022-2023.ttl", records(2, 2)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-frequency.jsonld", records(1, 0)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-frequency.ttl", records(1, 0)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-api.jsonld", records(1, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-api.ttl", SyntaxError),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-combined.jsonld", records(5, 5)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-combined.ttl", SyntaxError),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-frequency.jsonld", records(3, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-frequency.ttl", records(3, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-gea-nha.jsonld", records(4, 4)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-gea-nha.ttl", records(4, 4)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-issued.jsonld", records(3, 3)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-issued.ttl", records(3, 3)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-life-count.jsonld", records(1, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-life-count.ttl", records(1, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-modified.jsonld", records(4, 4)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-modified.ttl", records(4, 4)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-ordered.jsonld", records(3, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-ordered.ttl", records(3, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-spatial-thessaloniki-athens.jsonld", records(3, 3)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-spatial-thessaloniki-athens.ttl", records(3, 3)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-spatial-thessaloniki.jsonld", records(2, 2)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series-spatial-thessaloniki.ttl", records(2, 2)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series.jsonld", records(3, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population-dataset-series.ttl", records(3, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population.jsonld", records(1, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-population.ttl", records(1, 1)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-populaton-2022-2023.jsonld", records(2, 2)),
    ("DCAT-AP/releases/3.0.1/html/examples/example-bee-populaton-2022-2023.ttl", records(2, 2)),
];

/// The shared fixtures folder, or `None` (skip) when it is not configured and not found.
pub fn fixtures_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PORTAIL_FIXTURES") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.is_dir(),
            "PORTAIL_FIXTURES={} is not a folder: CI expects the shared fixtures there",
            dir.display()
        );
        return Some(dir);
    }
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
    if default.is_dir() {
        return Some(default);
    }
    eprintln!(
        "WARNING: skipped: PORTAIL_FIXTURES is not set and {} does not exist",
        default.display()
    );
    None
}

/// Every DCAT file under the walked folders, as paths relative to `root`, sorted.
fn walk(root: &Path) -> Vec<String> {
    fn visit(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, found);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["rdf", "ttl", "nt", "jsonld", "json"].contains(&e))
            {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    visit(&root.join("ckanext-dcat/examples/dcat"), &mut found);
    if let Ok(releases) = std::fs::read_dir(root.join("DCAT-AP/releases")) {
        for release in releases.flatten() {
            visit(&release.path(), &mut found);
        }
    }
    let mut relative: Vec<String> = found
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    relative.sort();
    relative
}

#[test]
fn shared_dcat_fixtures() {
    let Some(root) = fixtures_dir() else {
        return;
    };
    let walked = walk(&root);
    let listed: Vec<&str> = TABLE.iter().map(|(path, _)| *path).collect();
    for path in &walked {
        assert!(
            listed.contains(&path.as_str()),
            "{path}: not in the table of this test, add it"
        );
    }
    let mut failures = Vec::new();
    for (path, expected) in TABLE {
        assert!(
            walked.iter().any(|w| w == path),
            "{path}: listed but not found under {}",
            root.display()
        );
        let format = guess_format(path, None).unwrap_or_else(|| panic!("{path}: no format"));
        let bytes = std::fs::read(root.join(path)).unwrap();
        let base = format!("https://fixtures.example/{path}");
        let result = read_page(&bytes, format, &base, &ReadLimits::default(), now());
        match (expected, result) {
            (Records { total, datasets }, Ok(page)) => {
                let found = page
                    .records
                    .iter()
                    .filter(|r| matches!(r, RemoteRecord::Dataset(_)))
                    .count();
                if (page.records.len(), found) != (*total, *datasets) {
                    failures.push(format!(
                        "{path}: expected {total} records / {datasets} datasets, got {} / {found}: {:?}",
                        page.records.len(),
                        page.records.iter().filter(|r| !matches!(r, RemoteRecord::Dataset(_))).collect::<Vec<_>>()
                    ));
                }
                for record in &page.records {
                    if let RemoteRecord::Failed(e) = record {
                        assert_eq!(e.message, "dct:title is missing", "{path}");
                    }
                }
            }
            (SyntaxError, Err(DcatError::Syntax { line: Some(_), .. })) => {}
            (Records { .. }, Err(e)) => failures.push(format!("{path}: unexpected error: {e}")),
            (SyntaxError, other) => failures.push(format!(
                "{path}: expected a syntax error with a line, got {other:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

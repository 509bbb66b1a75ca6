//! The readers over the real payloads of the shared fixtures folder, served from a loopback
//! server so the whole fetch path runs.
//!
//! The folder comes from `PORTAIL_FIXTURES` (CI sets it; a missing folder then fails the
//! test). Without the variable, `../../../shared/fixtures` next to the repository is used when
//! present, and the tests are skipped with a warning otherwise. The fixtures are not copied
//! into this repository.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use portail_core::harvest::RemoteRecord;
use portail_harvest::{Backend, HarvestError, Harvester};
use serde_json::{Value, json};

use crate::support::{Reply, Seen, TestServer, fetcher, source};

fn fixtures_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PORTAIL_FIXTURES") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.is_dir(),
            "PORTAIL_FIXTURES={} is not a folder",
            dir.display()
        );
        return Some(dir);
    }
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
    if default.is_dir() {
        Some(default)
    } else {
        eprintln!(
            "warning: conformance tests skipped: set PORTAIL_FIXTURES to the shared fixtures folder ({} does not exist)",
            default.display()
        );
        None
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    datasets: usize,
    skipped: usize,
    failed: usize,
}

fn count(records: &[RemoteRecord]) -> Counts {
    let mut counts = Counts::default();
    for record in records {
        match record {
            RemoteRecord::Dataset(d) => {
                assert!(!d.title.is_empty() && !d.remote_id.is_empty(), "{d:?}");
                assert!(
                    !d.description.contains('<'),
                    "description keeps HTML: {:?}",
                    d.description
                );
                counts.datasets += 1;
            }
            RemoteRecord::Skipped { .. } => counts.skipped += 1,
            RemoteRecord::Failed(e) => {
                eprintln!("failed record: {e:?}");
                counts.failed += 1;
            }
        }
    }
    counts
}

async fn harvest(server: &TestServer, backend: Backend) -> Result<Vec<RemoteRecord>, HarvestError> {
    let mut harvester = Harvester::new(source(server, "/", backend), fetcher());
    let mut all = Vec::new();
    while let Some(page) = harvester.next_page().await? {
        all.extend(page);
    }
    Ok(all)
}

/// How a CKAN fixture is served.
#[derive(Debug, Clone, Copy)]
enum CkanServe {
    /// A full `package_search` response, served for `start=0`.
    Search,
    /// A full `package_show` response, reached through the package_list fallback.
    Show,
    /// A bare package dict (`stable/*.inner.*`), wrapped in a `package_show` envelope.
    InnerShow,
    /// A bare package dict from search results, wrapped in a one-result `package_search`.
    InnerSearch,
}

/// Every `package_search` / `package_show` response of the CKAN fixtures, with the datasets
/// it must give.
const CKAN_TABLE: &[(&str, CkanServe, usize)] = &[
    ("package_search.json", CkanServe::Search, 4),
    ("package_show.json", CkanServe::Show, 1),
    (
        "stable/package_search.inner.test.json",
        CkanServe::InnerSearch,
        1,
    ),
    (
        "stable/package_show-2.9.default_schema.inner.test.json",
        CkanServe::InnerShow,
        1,
    ),
    (
        "stable/package_show.default_schema.inner.civil-service-people-survey-2011.json",
        CkanServe::InnerShow,
        1,
    ),
    (
        "stable/package_show.default_schema.inner.test.json",
        CkanServe::InnerShow,
        1,
    ),
    (
        "stable/package_show.inner.civil-service-people-survey-2011.json",
        CkanServe::InnerShow,
        1,
    ),
    (
        "stable/package_show.inner.test.json",
        CkanServe::InnerShow,
        1,
    ),
];

const CKAN_DIR: &str = "ckan-functional-tests/ckanfunctionaltests/api/example_responses";

async fn serve_ckan(body: Vec<u8>, how: CkanServe) -> TestServer {
    let body: Arc<Vec<u8>> = Arc::new(match how {
        CkanServe::Search | CkanServe::Show => body,
        CkanServe::InnerShow | CkanServe::InnerSearch => {
            let package: Value = serde_json::from_slice(&body).expect("fixture JSON");
            let result = match how {
                CkanServe::InnerSearch => json!({"count": 1, "results": [package]}),
                _ => package,
            };
            json!({"success": true, "result": result})
                .to_string()
                .into_bytes()
        }
    });
    let search = matches!(how, CkanServe::Search | CkanServe::InnerSearch);
    TestServer::start(move |seen: &Seen| {
        let body = Arc::clone(&body);
        match seen.path.as_str() {
            "/api/3/action/package_search" if search && seen.param("start") == Some("0") => {
                Reply::json(body.to_vec())
            }
            "/api/3/action/package_search" if search => Reply::json(
                json!({"success": true, "result": {"count": 0, "results": []}}).to_string(),
            ),
            "/api/3/action/package_list" => {
                Reply::json(json!({"success": true, "result": ["the-package"]}).to_string())
            }
            "/api/3/action/package_show" if !search => Reply::json(body.to_vec()),
            _ => Reply::not_found(),
        }
    })
    .await
}

#[tokio::test]
async fn ckan_fixtures_map_to_the_expected_datasets() {
    let Some(root) = fixtures_dir() else { return };
    let dir = root.join(CKAN_DIR);
    assert!(dir.is_dir(), "{} is missing", dir.display());

    // The table must cover every package_search / package_show response of the folder.
    let mut present = Vec::new();
    for sub in ["", "stable"] {
        for entry in std::fs::read_dir(dir.join(sub))
            .expect("read_dir")
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("package_search") || name.starts_with("package_show") {
                present.push(if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                });
            }
        }
    }
    present.sort();
    let mut listed: Vec<String> = CKAN_TABLE.iter().map(|(f, _, _)| (*f).to_owned()).collect();
    listed.sort();
    assert_eq!(present, listed, "a CKAN fixture is missing from the table");

    for (file, how, expected) in CKAN_TABLE {
        let server = serve_ckan(read(&dir.join(file)), *how).await;
        let records = harvest(&server, Backend::Ckan)
            .await
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            count(&records),
            Counts {
                datasets: *expected,
                skipped: 0,
                failed: 0
            },
            "{file}"
        );
    }
}

#[tokio::test]
async fn ckan_package_show_fixture_details() {
    let Some(root) = fixtures_dir() else { return };
    let server = serve_ckan(
        read(&root.join(CKAN_DIR).join("package_show.json")),
        CkanServe::Show,
    )
    .await;
    let records = harvest(&server, Backend::Ckan).await.expect("harvest");
    let RemoteRecord::Dataset(dataset) = &records[0] else {
        panic!("{records:?}")
    };
    let raw: Value = serde_json::from_slice(&read(&root.join(CKAN_DIR).join("package_show.json")))
        .expect("json");
    assert_eq!(dataset.remote_id, raw["result"]["id"].as_str().expect("id"));
    assert_eq!(dataset.license, None, "license_id is empty");
    assert!(dataset.extras.contains_key("ckan:spatial"));
    assert!(dataset.modified_at.is_some() && dataset.created_at.is_some());
    assert!(!dataset.resources.is_empty());
}

/// ODS files: how many datasets each gives, or that it is refused as API v1.
#[tokio::test]
async fn ods_fixtures_map_or_fail_cleanly() {
    let Some(root) = fixtures_dir() else { return };
    let v2: &[(&str, usize)] = &[
        ("opendatasoft-explore-sdk/extracted/datasets-v2.1.json", 2),
        ("opendatasoft-explore-sdk/extracted/dataset-v2.1.json", 1),
    ];
    for (file, expected) in v2 {
        let server = serve_ods(read(&root.join(file))).await;
        let records = harvest(&server, Backend::Ods)
            .await
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            count(&records),
            Counts {
                datasets: *expected,
                skipped: 0,
                failed: 0
            },
            "{file}"
        );
        for record in &records {
            let RemoteRecord::Dataset(d) = record else {
                continue;
            };
            assert!(
                d.remote_id.starts_with(&server.url("/explore/dataset/")),
                "{}",
                d.remote_id
            );
            assert!(
                d.resources
                    .iter()
                    .any(|r| r.format.as_deref() == Some("csv")),
                "{file}"
            );
        }
    }

    let v1_dir = root.join("udata-ods/tests/data");
    let mut v1_files: Vec<PathBuf> = std::fs::read_dir(&v1_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", v1_dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v1_files.sort();
    assert_eq!(v1_files.len(), 8, "udata-ods payloads");
    for file in v1_files {
        let server = serve_ods(read(&file)).await;
        let error = harvest(&server, Backend::Ods)
            .await
            .expect_err("v1 payload");
        assert!(
            matches!(&error, HarvestError::Unsupported { message } if message.starts_with("ODS API v1 payload")),
            "{}: {error}",
            file.display()
        );
    }
}

#[tokio::test]
async fn ods_extracted_catalog_details() {
    let Some(root) = fixtures_dir() else { return };
    let server = serve_ods(read(
        &root.join("opendatasoft-explore-sdk/extracted/datasets-v2.1.json"),
    ))
    .await;
    let records = harvest(&server, Backend::Ods).await.expect("harvest");
    let formats = |i: usize| -> Vec<String> {
        match &records[i] {
            RemoteRecord::Dataset(d) => d
                .resources
                .iter()
                .filter_map(|r| r.format.clone())
                .collect(),
            other => panic!("{other:?}"),
        }
    };
    // 256 records, geo: every export; 137 609 records: no shapefile, plus the zip attachment.
    assert_eq!(formats(0), ["csv", "json", "geojson", "shp"]);
    assert_eq!(formats(1), ["csv", "json", "geojson", "zip"]);
    let seen = server.seen();
    assert_eq!(
        seen.len(),
        2,
        "total_count 19 but the second page is empty: stop"
    );
    assert_eq!(seen[1].param("offset"), Some("2"));
}

async fn serve_ods(body: Vec<u8>) -> TestServer {
    let body = Arc::new(body);
    TestServer::start(
        move |seen: &Seen| match (seen.path.as_str(), seen.param("offset")) {
            ("/api/explore/v2.1/catalog/datasets", Some("0")) => Reply::json(body.to_vec()),
            ("/api/explore/v2.1/catalog/datasets", _) => {
                Reply::json(json!({"total_count": 0, "results": []}).to_string())
            }
            _ => Reply::not_found(),
        },
    )
    .await
}

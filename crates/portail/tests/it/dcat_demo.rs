//! The whole DCAT-AP catalog of a demo portal, as a harvester fetches it from `portail serve`,
//! validated by pySHACL against the official DCAT-AP 3.0.1 shapes with zero violations.
//!
//! The shapes are `$PORTAIL_FIXTURES/shacl/dcat-ap-3.0.1/html/shacl/{shapes,range,deprecateduris}.ttl`
//! (see `crates/portail_dcat/tests/it/shacl.rs` for why these). pySHACL comes from
//! `PORTAIL_PYSHACL` (`scripts/install-test-shacl`); unset, the test is skipped with a warning,
//! except under `CI=true` where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cli::{run, start_server};

fn fixtures() -> Option<PathBuf> {
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
    default.is_dir().then_some(default)
}

fn pyshacl() -> Option<PathBuf> {
    let found = std::env::var_os("PORTAIL_PYSHACL").map(PathBuf::from);
    assert!(
        found.is_some() || std::env::var("CI").as_deref() != Ok("true"),
        "PORTAIL_PYSHACL is not set under CI=true (scripts/install-test-shacl --python)"
    );
    found
}

/// pySHACL's report on `data` for `shapes`, and its number of violations.
fn violations(pyshacl: &Path, data: &Path, shapes: &Path) -> (String, usize) {
    let output = Command::new(pyshacl)
        .args([
            "-m",
            "pyshacl",
            "--shacl-file-format",
            "turtle",
            "--data-file-format",
            "turtle",
        ])
        .args([
            "--allow-warnings",
            "--allow-infos",
            "--format",
            "human",
            "--shacl",
        ])
        .arg(shapes)
        .arg(data)
        .output()
        .expect("pySHACL runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)) && report.contains("Conforms:"),
        "pySHACL failed:\n{report}"
    );
    let count = report.matches("Severity: sh:Violation").count()
        + report.matches("Severity: shacl:Violation").count();
    (report, count)
}

#[cfg(unix)]
#[tokio::test]
async fn the_demo_portal_catalog_conforms_to_dcat_ap_3_0_1() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let Some(pyshacl) = pyshacl() else {
        eprintln!("WARNING: skipped: PORTAIL_PYSHACL is not set (see scripts/install-test-shacl)");
        return;
    };
    let fixtures = fixtures().expect("the SHACL test needs the shared fixtures (PORTAIL_FIXTURES)");
    let shapes = fixtures.join("shacl/dcat-ap-3.0.1/html/shacl");
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), &["demo"]).assert_ok();
    let (server, address) = start_server(dir.path());
    // Every page, as a harvester walks them (pages of 10: the paging nodes are validated too).
    let mut page = 1;
    let mut datasets = 0;
    loop {
        let response = reqwest::get(format!("{address}/catalog.ttl?page={page}&page_size=10"))
            .await
            .expect("the catalog answers");
        assert_eq!(response.status(), 200);
        let turtle = response.text().await.expect("a body");
        let file = dir.path().join(format!("catalog-{page}.ttl"));
        std::fs::write(&file, &turtle).expect("write the page");
        let on_page = turtle.matches("dcat:Dataset").count();
        for name in ["shapes.ttl", "range.ttl", "deprecateduris.ttl"] {
            let (report, count) = violations(&pyshacl, &file, &shapes.join(name));
            assert_eq!(
                count, 0,
                "page {page}, {name}: {count} violations\n{report}\n{turtle}"
            );
        }
        if on_page == 0 || !turtle.contains(&format!("page={}", page + 1)) {
            break;
        }
        datasets += on_page;
        page += 1;
        assert!(page < 20, "the catalog never ends");
    }
    // The demo has about 45 public datasets: several pages were checked.
    assert!(page >= 4, "only {page} pages ({datasets} dataset mentions)");
    drop(server);
}

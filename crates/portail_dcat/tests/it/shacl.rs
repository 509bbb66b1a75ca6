//! Our DCAT-AP export validated by pySHACL against the official DCAT-AP 3.0.1 shapes, offline:
//! the split shapes published with the 3.0.1 specification
//! (`$PORTAIL_FIXTURES/shacl/dcat-ap-3.0.1/html/shacl/`): `shapes.ttl` (mandatory properties
//! and cardinalities), `range.ttl` (classes of values) and `deprecateduris.ttl` must give no
//! violation; `shapes_recommended.ttl` (warnings only) is run and its report printed.
//!
//! Not run: the consolidated `shacl/dcat-ap-SHACL.ttl` with `ranges.ttl`, which pySHACL refuses
//! (they reference five property shapes that neither file defines), and the code-list shapes
//! (`mdr-vocabularies.shape.ttl`), which need every EU vocabulary we cite (languages, access
//! rights...) loaded, where the fixtures hold two. No `owl:imports` is followed.
//!
//! pySHACL comes from `PORTAIL_PYSHACL` (the venv's python, or the `pyshacl` script, installed
//! by `scripts/install-test-shacl`). Unset: skipped with a warning, except under `CI=true`,
//! where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use portail_dcat::{Paging, RdfFormat, write_catalog};

use crate::conformance::fixtures_dir;
use crate::support::{SITE, catalog, export, full_dataset, minimal_dataset};

fn pyshacl() -> Option<PathBuf> {
    match std::env::var_os("PORTAIL_PYSHACL") {
        Some(path) => Some(PathBuf::from(path)),
        None => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "PORTAIL_PYSHACL is not set under CI=true: run scripts/install-test-shacl and set \
                 PORTAIL_PYSHACL=$(scripts/install-test-shacl --python)"
            );
            eprintln!(
                "WARNING: skipped: PORTAIL_PYSHACL is not set (see scripts/install-test-shacl)"
            );
            None
        }
    }
}

/// Runs pySHACL; returns its report and the number of violations in it.
fn validate(pyshacl: &Path, data: &Path, shapes: &Path) -> (String, usize) {
    let mut command = if pyshacl
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("python"))
    {
        let mut c = Command::new(pyshacl);
        c.args(["-m", "pyshacl"]);
        c
    } else {
        Command::new(pyshacl)
    };
    let output = command
        .args([
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
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", pyshacl.display()));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // 0: conforms (warnings allowed), 1: does not conform, anything else: pySHACL failed.
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "pySHACL failed:\n{report}"
    );
    assert!(
        report.contains("Conforms:"),
        "unexpected pySHACL output:\n{report}"
    );
    // The prefix of `sh:` in the report is the one of the shapes file.
    let violations = report.matches("Severity: sh:Violation").count()
        + report.matches("Severity: shacl:Violation").count();
    assert!(
        violations > 0 || output.status.code() == Some(0),
        "pySHACL reports non-conformance without violations:\n{report}"
    );
    (report, violations)
}

#[test]
fn export_conforms_to_dcat_ap_3_0_1() {
    let Some(pyshacl) = pyshacl() else {
        return;
    };
    let fixtures =
        fixtures_dir().expect("the SHACL test needs the shared fixtures (PORTAIL_FIXTURES)");
    let shapes_dir = fixtures.join("shacl/dcat-ap-3.0.1/html/shacl");

    let full = full_dataset();
    let minimal = minimal_dataset("ds-min");
    let mut private = minimal_dataset("ds-private");
    private.private = true;
    private.license = "other-open".to_owned();
    let exports = [export(&full), export(&minimal), export(&private)];
    let page_iri = |n: u64| format!("{SITE}/catalog.ttl?page={n}");
    let paging = Paging {
        page: 2,
        page_size: 3,
        total: 9,
        page_iri: &page_iri,
    };
    let turtle = write_catalog(&catalog(), &exports, Some(&paging), RdfFormat::Turtle).unwrap();

    let dir = std::env::temp_dir().join(format!("portail-dcat-shacl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("catalog.ttl");
    std::fs::write(&data, &turtle).unwrap();

    for shapes in ["shapes.ttl", "range.ttl", "deprecateduris.ttl"] {
        let shapes = shapes_dir.join(shapes);
        assert!(shapes.is_file(), "{} is missing", shapes.display());
        let (report, violations) = validate(&pyshacl, &data, &shapes);
        assert_eq!(
            violations,
            0,
            "{}: {violations} violations\n{report}\n--- data ---\n{}",
            shapes.display(),
            String::from_utf8_lossy(&turtle)
        );
    }
    // The harness sees violations: a distribution without access URL, a dataset without title.
    let broken = dir.join("broken.ttl");
    std::fs::write(
        &broken,
        "<https://x.example/d> a <http://www.w3.org/ns/dcat#Dataset> ; \
         <http://www.w3.org/ns/dcat#distribution> <https://x.example/r> .\n\
         <https://x.example/r> a <http://www.w3.org/ns/dcat#Distribution> .\n",
    )
    .unwrap();
    let (report, violations) = validate(&pyshacl, &broken, &shapes_dir.join("shapes.ttl"));
    assert!(violations >= 3, "{report}");

    let (report, _) = validate(&pyshacl, &data, &shapes_dir.join("shapes_recommended.ttl"));
    let warnings = report.matches("Severity: sh:Warning").count();
    eprintln!("DCAT-AP 3.0.1 recommended properties: {warnings} warnings (not failures)");
    std::fs::remove_dir_all(&dir).ok();
}

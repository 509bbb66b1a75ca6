//! `portail harvest ...` against a loopback CKAN catalog served by the test itself.

use std::path::Path;
use std::process::Command;

use serde_json::json;

/// Serves three CKAN packages on 127.0.0.1; returns the catalog root.
async fn catalog() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let search = || async {
        let results: Vec<serde_json::Value> = ["air", "eau", "sol"]
            .iter()
            .map(|id| {
                json!({
                    "id": id, "name": id, "title": format!("Jeu {id}"), "notes": "Des mesures.",
                    "license_id": "odc-odbl",
                    "resources": [{"id": format!("{id}-1"), "name": "CSV", "url": format!("http://files.test/{id}.csv"), "format": "CSV", "resource_type": "file"}]
                })
            })
            .collect();
        axum::Json(json!({"success": true, "result": {"count": 3, "results": results}}))
    };
    let router =
        axum::Router::new().route("/api/3/action/package_search", axum::routing::get(search));
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    base
}

struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

async fn portail(data_dir: &Path, args: &[&str]) -> Out {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portail"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("PORTAIL_DATA_DIR")
        .env("PORTAIL_OUTBOUND_ALLOW", "127.0.0.1")
        .env("RUST_LOG", "warn");
    // The catalog is served by this test's runtime: wait for the binary off that runtime.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .expect("the binary runs");
    Out {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harvest_commands_create_list_preview_run_and_show_jobs() {
    let base = catalog().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    let out = portail(
        dir,
        &[
            "user",
            "create",
            "--email",
            "owner@example.org",
            "--password",
            "long enough password",
        ],
    )
    .await;
    assert!(out.ok, "{}", out.stderr);

    // A publisher is required, and filters are checked against the backend.
    let out = portail(
        dir,
        &[
            "harvest",
            "create",
            "--name",
            "CKAN",
            "--url",
            &base,
            "--backend",
            "ckan",
        ],
    )
    .await;
    assert!(!out.ok);
    assert!(
        out.stderr.contains("--organization ORG or --owner EMAIL"),
        "{}",
        out.stderr
    );
    let out = portail(
        dir,
        &[
            "harvest",
            "create",
            "--name",
            "CKAN",
            "--url",
            &base,
            "--backend",
            "ckan",
            "--owner",
            "owner@example.org",
            "--filter",
            "colour=blue",
        ],
    )
    .await;
    assert!(!out.ok);
    assert!(
        out.stderr.contains("unknown filter \"colour\""),
        "{}",
        out.stderr
    );

    let out = portail(
        dir,
        &[
            "harvest",
            "create",
            "--name",
            "Catalogue CKAN",
            "--url",
            &base,
            "--backend",
            "ckan",
            "--owner",
            "owner@example.org",
            "--exclude",
            "tags=brouillon",
            "--validate",
        ],
    )
    .await;
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stderr.contains("accepted"), "{}", out.stderr);

    let out = portail(dir, &["harvest", "list"]).await;
    assert!(out.ok, "{}", out.stderr);
    let line = out.stdout.lines().next().expect("one source");
    assert!(
        line.contains("catalogue-ckan\tckan\taccepted\t0 0 * * *"),
        "{line}"
    );

    let out = portail(dir, &["harvest", "preview", "catalogue-ckan"]).await;
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with("created\t"))
            .count(),
        3,
        "{}",
        out.stdout
    );

    let out = portail(dir, &["harvest", "run", "catalogue-ckan"]).await;
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stdout.contains("done: 3 created, 0 updated, 0 failed"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("datasets/s"), "{}", out.stderr);
    let out = portail(dir, &["harvest", "run", "catalogue-ckan"]).await;
    assert!(
        out.stdout.contains("done: 0 created, 3 updated"),
        "{}",
        out.stdout
    );

    let out = portail(dir, &["harvest", "jobs", "catalogue-ckan"]).await;
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    assert!(
        out.stdout.lines().all(|l| l.contains("\tdone\t")),
        "{}",
        out.stdout
    );

    let out = portail(dir, &["harvest", "run", "nope"]).await;
    assert!(!out.ok);
    assert!(out.stderr.contains("not found"), "{}", out.stderr);
}

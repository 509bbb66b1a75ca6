//! Runs the built `portail` binary as a user would, each test in its own temporary data folder.
//!
//! The commands are tested on SQLite; `generate_on_postgres` also runs `migrate` and `generate`
//! in a fresh schema of `PORTAIL_TEST_DATABASE_URL` when that is set.

use std::path::Path;
use std::process::{Command, Output};

use portail_db::{ConnectOptions, Db, datasets};

/// The binary, with no configuration leaking in from the environment of the test run.
pub(crate) fn portail(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portail"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("PORTAIL_DATA_DIR")
        .env_remove("PORTAIL_LISTEN")
        .env_remove("PORTAIL_PUBLIC_URL")
        .env_remove("PORTAIL_STORAGE_URL")
        .env_remove("PORTAIL_INDEX_DIR")
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "1");
    command
}

/// A finished run, with its output as text.
pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    pub(crate) fn assert_ok(&self) -> &Run {
        assert_eq!(
            self.code,
            Some(0),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

pub(crate) fn run(data_dir: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = portail(data_dir)
        .args(args)
        .output()
        .expect("the binary runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

async fn open_sqlite(data_dir: &Path) -> Db {
    Db::open_sqlite_file(&data_dir.join("portail.db"), &ConnectOptions::default())
        .await
        .expect("the database opens")
}

#[test]
fn help_lists_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["--help"]);
    out.assert_ok();
    for command in [
        "serve",
        "demo",
        "migrate",
        "user",
        "token",
        "reindex",
        "generate",
        "bench",
        "check-links",
        "harvest",
    ] {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(command)),
            "{command} missing from:\n{}",
            out.stdout
        );
    }
}

#[test]
fn check_links_runs_one_pass_and_prints_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["check-links", "--check-timeout-secs", "1"]);
    out.assert_ok();
    assert!(
        out.stdout.starts_with("checked 0 remote resources"),
        "{}",
        out.stdout
    );
}

#[test]
fn migrate_user_and_token() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("not-yet-there");

    let migrated = run(&data, &["migrate"]);
    migrated.assert_ok();
    assert!(
        migrated.stdout.contains("Created the schema"),
        "{}",
        migrated.stdout
    );
    let again = run(&data, &["migrate"]);
    assert!(
        again.assert_ok().stdout.contains("up to date"),
        "{}",
        again.stdout
    );

    let create = [
        "user",
        "create",
        "--email",
        "Ada@Example.org",
        "--password",
        "correct horse",
        "--first-name",
        "Ada",
        "--sysadmin",
    ];
    let created = run(&data, &create);
    created.assert_ok();
    let id = created.stdout.trim();
    assert!(portail_core::ids::is_object_id(id), "not an id: {id:?}");

    let duplicate = run(&data, &create);
    assert_eq!(duplicate.code, Some(1));
    assert!(
        duplicate
            .stderr
            .contains("email: This e-mail address is already registered."),
        "{}",
        duplicate.stderr
    );
    assert!(duplicate.stdout.is_empty());

    let short = run(
        &data,
        &[
            "user",
            "create",
            "--email",
            "b@example.org",
            "--password",
            "short",
        ],
    );
    assert_eq!(short.code, Some(1));
    assert!(short.stderr.contains("password:"), "{}", short.stderr);

    let token = run(
        &data,
        &[
            "token",
            "create",
            "--email",
            "ada@example.org",
            "--name",
            "ci",
        ],
    );
    token.assert_ok();
    let secret = token.stdout.trim_end_matches('\n');
    assert!(secret.starts_with("udata_"), "{secret:?}");
    assert!(
        !secret.contains(char::is_whitespace),
        "only the secret: {secret:?}"
    );
    assert_eq!(secret.len(), "udata_".len() + 64);

    let unknown = run(&data, &["token", "create", "--email", "nobody@example.org"]);
    assert_eq!(unknown.code, Some(1));
    assert!(unknown.stdout.is_empty());
    assert!(
        unknown.stderr.contains("nobody@example.org"),
        "{}",
        unknown.stderr
    );
}

#[tokio::test]
async fn generate_adds_datasets() {
    let dir = tempfile::tempdir().unwrap();
    run(
        dir.path(),
        &["generate", "--datasets", "200", "--seed", "7"],
    )
    .assert_ok();
    // A second run continues the numbering: no slug or e-mail clash.
    let second = run(
        dir.path(),
        &[
            "generate",
            "--datasets",
            "200",
            "--resources-per-dataset",
            "1",
        ],
    );
    assert!(
        second.assert_ok().stdout.contains("Generated 200 datasets"),
        "{}",
        second.stdout
    );

    let db = open_sqlite(dir.path()).await;
    assert_eq!(datasets::count_all(&db).await.unwrap(), 400);
    let query = datasets::DatasetQuery {
        page: 1,
        page_size: 50,
        viewer: datasets::Viewer::Sysadmin,
        ..Default::default()
    };
    let (page, total) = datasets::list(&db, &query).await.unwrap();
    // Lists leave out archived datasets, and about 1 in 200 generated ones is.
    assert!((380..=400).contains(&total), "{total}");
    for d in &page {
        assert!((1..=3).contains(&d.resources.len()), "{}", d.title);
        assert!((2..=6).contains(&d.tags.len()), "{:?}", d.tags);
    }
    let changes = portail_db::changes::since(&db, 0, 10_000).await.unwrap();
    assert_eq!(changes.iter().filter(|c| c.kind == "dataset").count(), 400);
    db.close().await;
}

#[tokio::test]
async fn demo_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = run(dir.path(), &["demo"]);
    assert!(
        loaded.assert_ok().stdout.contains("50 datasets"),
        "{}",
        loaded.stdout
    );
    let again = run(dir.path(), &["demo"]);
    assert!(
        again
            .assert_ok()
            .stdout
            .contains("already has 50 datasets; demo content not loaded"),
        "{}",
        again.stdout
    );

    let db = open_sqlite(dir.path()).await;
    assert_eq!(datasets::count_all(&db).await.unwrap(), 50);
    let (admin, _) = portail_db::users::find_by_email(&db, "admin@portail.example")
        .await
        .unwrap()
        .expect("the demo sysadmin exists");
    assert!(admin.sysadmin);
    db.close().await;
}

/// `serve --demo` on a free port answers the API, and stops cleanly on SIGTERM.
#[cfg(unix)]
#[tokio::test]
async fn serve_answers_then_stops_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server(
        portail(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = server.0.stderr.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let address = loop {
        let line = received
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("serve prints where it listens");
        if let Some(address) = line.strip_prefix("Portail listening on ") {
            break address.to_owned();
        }
    };
    assert!(
        address.starts_with("http://127.0.0.1:") && !address.ends_with(":0"),
        "{address}"
    );

    let body: serde_json::Value = reqwest::get(format!("{address}/api/1/datasets/?page_size=1"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Anonymous lists leave out the few private demo datasets.
    let total = body["total"].as_i64().unwrap_or(0);
    assert!((40..=50).contains(&total), "{body}");

    let signalled = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    let status = server.0.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a clean stop");
}

/// Starts `portail serve` on a free port; returns it and its address.
pub(crate) fn start_server(data_dir: &Path) -> (Server, String) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let mut server = Server(
        portail(data_dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts"),
    );
    let stderr = server.0.stderr.take().expect("piped stderr");
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let address = loop {
        let line = received
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("serve prints where it listens");
        if let Some(address) = line.strip_prefix("Portail listening on ") {
            break address.to_owned();
        }
    };
    (server, address)
}

/// Polls a search until it finds datasets: the server builds its index in the background.
async fn search_total(address: &str, query: &str) -> i64 {
    let started = std::time::Instant::now();
    loop {
        let body: serde_json::Value =
            reqwest::get(format!("{address}/api/2/datasets/search/?{query}"))
                .await
                .expect("the server answers")
                .json()
                .await
                .expect("a JSON body");
        let total = body["total"].as_i64().unwrap_or(0);
        if total > 0 || started.elapsed() > std::time::Duration::from_secs(60) {
            return total;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// `reindex` rebuilds the index from the database; `serve` rebuilds a missing or corrupt one by
/// itself; a second process on an index in use is refused without harming it.
#[cfg(unix)]
#[tokio::test]
async fn the_search_index_is_rebuilt_from_the_database() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    run(
        dir.path(),
        &["generate", "--datasets", "300", "--seed", "3"],
    )
    .assert_ok();
    let rebuilt = run(dir.path(), &["reindex"]);
    assert!(
        rebuilt.assert_ok().stdout.contains("300 datasets"),
        "{}",
        rebuilt.stdout
    );
    assert!(
        rebuilt.stderr.contains("indexing ["),
        "a progress bar: {}",
        rebuilt.stderr
    );
    let index = dir.path().join("index");
    assert!(index.join("meta.json").is_file());

    // An index in use is refused to a second process, and left alone.
    let (server, address) = start_server(dir.path());
    assert!(search_total(&address, "q=budget").await > 0);
    let refused = run(dir.path(), &["reindex"]);
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("in use by another Portail process"),
        "{}",
        refused.stderr
    );
    assert!(search_total(&address, "q=budget").await > 0);
    drop(server);

    // Missing: rebuilt at start.
    std::fs::remove_dir_all(&index).unwrap();
    let (server, address) = start_server(dir.path());
    assert!(search_total(&address, "tag=budget").await > 0);
    drop(server);

    // Corrupt: rebuilt at start.
    std::fs::write(index.join("meta.json"), b"{ not an index").unwrap();
    let (server, address) = start_server(dir.path());
    assert!(search_total(&address, "q=budget").await > 0);
    drop(server);
}

/// A server process, killed if the test fails before stopping it.
pub(crate) struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn a_wrong_database_url_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["--database-url", "foo://x", "migrate"]);
    assert_eq!(out.code, Some(1));
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: unsupported database URL \"foo://x\""),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"));
}

/// `migrate` and `generate` on PostgreSQL, in a schema of its own chosen through the URL's
/// `options=-c search_path=...` (which sqlx passes on to the server).
#[tokio::test]
async fn generate_on_postgres() {
    let Ok(base) = std::env::var("PORTAIL_TEST_DATABASE_URL") else {
        eprintln!("note: PORTAIL_TEST_DATABASE_URL is not set: skipping the PostgreSQL run");
        return;
    };
    let schema = format!("t_cli_{:016x}", rand::random::<u64>());
    let admin = sqlx::PgPool::connect(&base)
        .await
        .expect("PostgreSQL answers");
    let create = format!("CREATE SCHEMA {schema}");
    sqlx::query(sqlx::AssertSqlSafe(create))
        .execute(&admin)
        .await
        .unwrap();
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");

    let dir = tempfile::tempdir().unwrap();
    let migrated = run(dir.path(), &["--database-url", &url, "migrate"]);
    let generated = run(
        dir.path(),
        &["--database-url", &url, "generate", "--datasets", "100"],
    );
    let counted = match Db::connect(&url, &ConnectOptions::default()).await {
        Ok(db) => {
            let n = datasets::count_all(&db).await;
            db.close().await;
            n.ok()
        }
        Err(_) => None,
    };
    let in_schema: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'datasets'",
    )
    .bind(&schema)
    .fetch_one(&admin)
    .await
    .unwrap();
    let drop = format!("DROP SCHEMA {schema} CASCADE");
    sqlx::query(sqlx::AssertSqlSafe(drop))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;

    migrated.assert_ok();
    generated.assert_ok();
    assert_eq!(in_schema.0, 1, "the tables must live in {schema}");
    assert_eq!(counted, Some(100));
}

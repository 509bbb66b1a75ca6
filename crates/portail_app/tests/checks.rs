//! The link-check job against real loopback servers (allowed through an explicit
//! `OutboundPolicy`): 200, 404, timeouts, redirects, servers refusing HEAD; the `check:*`
//! extras, the history, the schedule, the per-host limit; and a throughput figure.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use chrono::TimeZone;
use portail_app::checks::{CheckSettings, run_pass};
use portail_app::users::Registration;
use portail_app::{App, Clock};
use portail_db::{ConnectOptions, Db};
use portail_harvest::outbound::{HttpFetcher, OutboundConfig, OutboundPolicy};
use serde_json::{Value, json};

/// A temporary folder removed on drop.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique() -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "checks{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    )
}

async fn fresh_app(clock: Clock) -> (App, Option<TempDir>) {
    let (db, dir) = match std::env::var("PORTAIL_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let options = ConnectOptions {
                max_connections: 8,
                schema: Some(unique()),
            };
            (Db::connect(&url, &options).await.expect("PostgreSQL"), None)
        }
        _ => {
            let dir = std::env::temp_dir().join(format!("portail-{}", unique()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let db = Db::open_sqlite_file(&dir.join("db.sqlite"), &ConnectOptions::default())
                .await
                .expect("SQLite");
            (db, Some(TempDir(dir)))
        }
    };
    db.migrate().await.expect("migrate");
    let mut app = App::new(db);
    app.clock = clock;
    (app, dir)
}

/// What the loopback server saw.
#[derive(Default)]
struct Seen {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    heads: AtomicUsize,
    gets: AtomicUsize,
}

async fn serve(seen: Arc<Seen>) -> String {
    let handler = move |method: Method, uri: axum::http::Uri, headers: HeaderMap| {
        let seen = seen.clone();
        async move {
            let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
            if method == Method::HEAD {
                seen.heads.fetch_add(1, Ordering::SeqCst);
            } else {
                seen.gets.fetch_add(1, Ordering::SeqCst);
            }
            let path = uri.path().to_owned();
            // Long enough for concurrent requests to overlap (not in the benchmark).
            if !path.starts_with("/ok/") {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let response: Response = if path.starts_with("/ok") {
                ([(header::CONTENT_TYPE, "text/csv")], "a,b\n1,2\n").into_response()
            } else if path == "/missing" {
                StatusCode::NOT_FOUND.into_response()
            } else if path == "/slow" {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late".into_response()
            } else if path == "/moved" {
                (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, "/ok-target")],
                )
                    .into_response()
            } else if path == "/nohead" {
                if method == Method::HEAD {
                    StatusCode::METHOD_NOT_ALLOWED.into_response()
                } else if headers.get(header::RANGE).is_some_and(|r| r == "bytes=0-0") {
                    (
                        StatusCode::PARTIAL_CONTENT,
                        [
                            (header::CONTENT_RANGE, "bytes 0-0/1234"),
                            (header::CONTENT_TYPE, "application/json"),
                        ],
                        "{",
                    )
                        .into_response()
                } else {
                    StatusCode::BAD_REQUEST.into_response()
                }
            } else {
                StatusCode::IM_A_TEAPOT.into_response()
            };
            seen.in_flight.fetch_sub(1, Ordering::SeqCst);
            response
        }
    };
    let router = Router::new().route("/{*path}", any(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

fn fetcher(timeout: Duration) -> HttpFetcher {
    HttpFetcher::new(OutboundConfig {
        policy: OutboundPolicy::parse("127.0.0.1").expect("policy"),
        connect_timeout: timeout,
        timeout,
        ..OutboundConfig::default()
    })
    .expect("client")
}

async fn publisher(app: &App) -> portail_core::permissions::Actor {
    let user = portail_app::users::register(
        app,
        &Registration {
            email: format!("{}@example.org", unique()),
            password: "long enough password".into(),
            first_name: "Pub".into(),
            last_name: "Lisher".into(),
            sysadmin: false,
        },
    )
    .await
    .expect("register");
    portail_app::auth::actor_for(app, &user)
        .await
        .expect("actor")
}

fn extras_of(d: &portail_core::model::Dataset, title: &str) -> serde_json::Map<String, Value> {
    d.resources
        .iter()
        .find(|r| r.title == title)
        .unwrap_or_else(|| panic!("no resource {title}"))
        .extras
        .clone()
}

#[tokio::test]
async fn checks_store_udata_extras_follow_the_schedule_and_respect_hosts() {
    let start = chrono::Utc
        .with_ymd_and_hms(2026, 3, 1, 8, 0, 0)
        .single()
        .expect("date");
    let clock = Clock::fixed(start);
    let (app, _dir) = fresh_app(clock.clone()).await;
    let seen = Arc::new(Seen::default());
    let base = serve(seen.clone()).await;
    let actor = publisher(&app).await;
    let resources: Vec<Value> = ["ok", "missing", "slow", "moved", "nohead"]
        .iter()
        .map(|p| json!({"title": p, "url": format!("{base}/{p}"), "filetype": "remote", "format": "csv"}))
        .chain([json!({"title": "blocked", "url": "http://10.255.255.1/x", "filetype": "remote"})])
        .collect();
    let body =
        json!({"title": "Liens", "description": "Des liens à vérifier.", "resources": resources});
    let created = portail_app::datasets::create(&app, &actor, body.as_object().expect("object"))
        .await
        .expect("dataset");
    let settings = CheckSettings {
        per_host: 2,
        politeness: Duration::from_millis(10),
        ..CheckSettings::default()
    };
    let summary = run_pass(&app, &fetcher(Duration::from_millis(800)), &settings, None)
        .await
        .expect("pass");
    assert_eq!(summary.checked, 6, "{summary:?}");
    assert_eq!(summary.available, 3, "{summary:?}");
    assert_eq!(summary.errors, 2, "timeout and refused: {summary:?}");
    assert!(
        seen.max_in_flight.load(Ordering::SeqCst) <= 2,
        "per-host limit"
    );

    let d = portail_db::datasets::find(&app.db, &created.id)
        .await
        .expect("db")
        .expect("dataset");
    // Checks never count as a modification of the dataset.
    assert_eq!(d.last_modified_internal, created.last_modified_internal);
    let ok = extras_of(&d, "ok");
    assert_eq!(ok["check:available"], json!(true));
    assert_eq!(ok["check:status"], json!(200));
    assert_eq!(ok["check:headers:content-type"], json!("text/csv"));
    assert_eq!(ok["check:headers:content-length"], json!(8));
    assert!(
        ok["check:date"]
            .as_str()
            .is_some_and(|s| s.starts_with("2026-03-01T08:00:00"))
    );
    let missing = extras_of(&d, "missing");
    assert_eq!(missing["check:available"], json!(false));
    assert_eq!(missing["check:status"], json!(404));
    let slow = extras_of(&d, "slow");
    assert_eq!(slow["check:available"], json!(false));
    assert_eq!(slow["check:timeout"], json!(true));
    assert!(
        slow["check:error"]
            .as_str()
            .is_some_and(|e| e.contains("timed out")),
        "{slow:?}"
    );
    assert!(slow.get("check:status").is_none());
    let moved = extras_of(&d, "moved");
    assert_eq!(moved["check:available"], json!(true));
    assert_eq!(moved["check:url"], json!(format!("{base}/ok-target")));
    let nohead = extras_of(&d, "nohead");
    assert_eq!(nohead["check:status"], json!(206));
    assert_eq!(nohead["check:headers:content-length"], json!(1234));
    assert!(
        seen.gets.load(Ordering::SeqCst) >= 1,
        "the ranged GET fallback"
    );
    let blocked = extras_of(&d, "blocked");
    assert_eq!(blocked["check:available"], json!(false));
    assert!(
        blocked["check:error"]
            .as_str()
            .is_some_and(|e| e.contains("refused")),
        "{blocked:?}"
    );
    // udata's quality criterion reads the result.
    let q = portail_core::quality::compute(&d, start);
    assert_eq!(q.all_resources_available, Some(false));

    // Nothing is due again before the interval...
    let again = run_pass(&app, &fetcher(Duration::from_millis(800)), &settings, None)
        .await
        .expect("pass");
    assert_eq!(again.checked, 0);
    // ...except a resource whose URL changed, at once.
    clock.set(start + chrono::Duration::minutes(5));
    let rid = d
        .resources
        .iter()
        .find(|r| r.title == "missing")
        .map(|r| r.id.clone())
        .expect("id");
    let patch = json!({"url": format!("{base}/ok-fixed")});
    portail_app::resources::update(
        &app,
        &actor,
        &d.id,
        &rid,
        patch.as_object().expect("object"),
    )
    .await
    .expect("update");
    let again = run_pass(&app, &fetcher(Duration::from_millis(800)), &settings, None)
        .await
        .expect("pass");
    assert_eq!((again.checked, again.available), (1, 1));
    let history = portail_app::checks::history(&app, Some(&actor), &d.id, &rid)
        .await
        .expect("history");
    assert_eq!(history.len(), 2);
    assert!(history[0].available && !history[1].available);
    // After the interval, everything is due.
    clock.set(start + settings.recheck_after + chrono::Duration::minutes(1));
    let later = run_pass(
        &app,
        &fetcher(Duration::from_millis(800)),
        &settings,
        Some(4),
    )
    .await
    .expect("pass");
    assert_eq!(later.checked, 4, "a bounded pass stops at its limit");
}

#[tokio::test]
async fn new_and_changed_resources_jump_the_queue_of_overdue_ones() {
    let start = chrono::Utc
        .with_ymd_and_hms(2026, 3, 1, 8, 0, 0)
        .single()
        .expect("date");
    let clock = Clock::fixed(start);
    let (app, _dir) = fresh_app(clock.clone()).await;
    let base = serve(Arc::new(Seen::default())).await;
    let actor = publisher(&app).await;
    let resources: Vec<Value> = (0..30)
        .map(|i| json!({"title": format!("r{i}"), "url": format!("{base}/ok/old/{i}"), "filetype": "remote"}))
        .collect();
    let body = json!({"title": "Beaucoup de liens", "description": "Un seul hôte.", "resources": resources});
    let d = portail_app::datasets::create(&app, &actor, body.as_object().expect("object"))
        .await
        .expect("dataset");
    let settings = CheckSettings {
        per_host: 1,
        politeness: Duration::ZERO,
        ..CheckSettings::default()
    };
    let first = run_pass(&app, &fetcher(Duration::from_secs(5)), &settings, None)
        .await
        .expect("pass");
    assert_eq!(
        first.checked, 30,
        "a capped batch is followed by the next one"
    );
    clock.set(start + chrono::Duration::days(3));
    let new = json!({"title": "nouveau", "url": format!("{base}/ok/new"), "filetype": "remote"});
    portail_app::resources::create_remote(&app, &actor, &d.id, new.as_object().expect("object"))
        .await
        .expect("resource");
    // Thirty overdue links, one new: the new one is checked first.
    let one = run_pass(&app, &fetcher(Duration::from_secs(5)), &settings, Some(1))
        .await
        .expect("pass");
    assert_eq!(one.checked, 1);
    let d = portail_db::datasets::find(&app.db, &d.id)
        .await
        .expect("db")
        .expect("dataset");
    let checked_now = d
        .resources
        .iter()
        .filter(|r| {
            r.extras
                .get("check:date")
                .and_then(Value::as_str)
                .is_some_and(|s| s.starts_with("2026-03-04"))
        })
        .map(|r| r.title.as_str())
        .collect::<Vec<_>>();
    assert_eq!(checked_now, ["nouveau"]);
}

/// One pass checks every due link, and how fast: `PORTAIL_BENCH_LINKS` links against one
/// loopback server (300 in the suite; the figure in the docs is 10 000), with no pause and
/// `PORTAIL_BENCH_PER_HOST` requests in flight (default 32). Prints the rate, asserts none:
/// `PORTAIL_BENCH_LINKS=10000 cargo test --release -p portail_app --test checks -- --nocapture checks_per_second`.
#[tokio::test(flavor = "multi_thread")]
async fn a_pass_checks_every_due_link_and_reports_checks_per_second() {
    let links: usize = std::env::var("PORTAIL_BENCH_LINKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let per_host: usize = std::env::var("PORTAIL_BENCH_PER_HOST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let (app, _dir) = fresh_app(Clock::default()).await;
    let base = serve(Arc::new(Seen::default())).await;
    let actor = publisher(&app).await;
    for chunk in 0..links.div_ceil(100) {
        let resources: Vec<Value> = (0..100.min(links - chunk * 100))
            .map(|i| json!({"title": format!("r{i}"), "url": format!("{base}/ok/{chunk}/{i}"), "filetype": "remote"}))
            .collect();
        let body = json!({"title": format!("Bench {chunk}"), "description": "Liens.", "resources": resources});
        portail_app::datasets::create(&app, &actor, body.as_object().expect("object"))
            .await
            .expect("dataset");
    }
    let settings = CheckSettings {
        per_host,
        concurrency: per_host,
        politeness: Duration::ZERO,
        ..CheckSettings::default()
    };
    let summary = run_pass(&app, &fetcher(Duration::from_secs(10)), &settings, None)
        .await
        .expect("pass");
    assert_eq!(summary.checked, links);
    println!(
        "link checks: {} links in {:.2} s = {:.0} checks/s ({} in flight, {} backend)",
        summary.checked,
        summary.elapsed.as_secs_f64(),
        summary.rate(),
        per_host,
        app.db.backend()
    );
}

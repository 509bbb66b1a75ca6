//! Harvesting end to end, mirroring `src/api/harvest.rs`: loopback catalogs (CKAN
//! `package_search` pages and DCAT Turtle with Hydra paging) served by a real axum server on
//! 127.0.0.1:0 from the test's own payloads, harvested into a fresh portal.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{StatusCode as AxumStatus, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeZone, Utc};
use portail_app::harvest::{self, OutboundPolicy};
use portail_app::{App, Clock};
use portail_core::harvest::{HarvestJob, ItemStatus, JobStatus};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, TestUser};

/// How the loopback catalog answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Mode {
    Ok,
    ServerError,
    Malformed,
    Slow,
}

/// The remote catalog: its datasets (id, title) and how it answers.
struct Remote {
    datasets: Vec<(String, String)>,
    /// A package with a title too long for our validation.
    broken: Option<String>,
    mode: Mode,
}

#[derive(Clone)]
pub(crate) struct Catalog {
    pub(crate) base: String,
    remote: Arc<Mutex<Remote>>,
}

impl Catalog {
    pub(crate) async fn start(ids: &[&str]) -> Catalog {
        let remote = Arc::new(Mutex::new(Remote {
            datasets: ids
                .iter()
                .map(|id| ((*id).to_owned(), format!("Jeu {id}")))
                .collect(),
            broken: None,
            mode: Mode::Ok,
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let catalog = Catalog { base, remote };
        let router = axum::Router::new()
            .route(
                "/api/3/action/package_search",
                axum::routing::get(ckan_search),
            )
            .route("/catalog.ttl", axum::routing::get(dcat_page))
            .with_state(catalog.clone());
        tokio::spawn(async move {
            axum::serve(listener, router).await.expect("serve catalog");
        });
        catalog
    }

    fn set(&self, ids: &[&str]) {
        self.lock().datasets = ids
            .iter()
            .map(|id| ((*id).to_owned(), format!("Jeu {id}")))
            .collect();
    }

    fn retitle(&self, id: &str, title: &str) {
        for entry in &mut self.lock().datasets {
            if entry.0 == id {
                entry.1 = title.to_owned();
            }
        }
    }

    pub(crate) fn mode(&self, mode: Mode) {
        self.lock().mode = mode;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Remote> {
        self.remote.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn package(id: &str, title: &str) -> Value {
    json!({
        "id": id, "name": id, "title": title, "type": "dataset", "state": "active",
        "notes": format!("<p>Les données <b>{id}</b>.</p>"),
        "license_id": "odc-odbl",
        "metadata_created": "2020-01-02T03:04:05",
        "metadata_modified": "2024-05-06T07:08:09",
        "tags": [{"name": "environnement"}],
        "extras": [{"key": "frequency", "value": "monthly"}],
        "resources": [
            {"id": format!("{id}-csv"), "name": "Données CSV", "url": format!("http://files.test/{id}.csv"),
             "format": "CSV", "resource_type": "file"}
        ]
    })
}

async fn answer_mode(catalog: &Catalog) -> Option<Response> {
    let mode = catalog.lock().mode;
    match mode {
        Mode::Ok => None,
        Mode::ServerError => {
            Some((AxumStatus::SERVICE_UNAVAILABLE, "down for maintenance").into_response())
        }
        Mode::Malformed => Some(
            (
                [(header::CONTENT_TYPE, "application/json")],
                "{\"success\": true, \"result\": [1, 2",
            )
                .into_response(),
        ),
        Mode::Slow => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            Some((AxumStatus::OK, "{}").into_response())
        }
    }
}

async fn ckan_search(
    State(catalog): State<Catalog>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Response {
    if let Some(response) = answer_mode(&catalog).await {
        return response;
    }
    let start: usize = query.get("start").and_then(|s| s.parse().ok()).unwrap_or(0);
    let rows: usize = query
        .get("rows")
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let remote = catalog.lock();
    let mut all: Vec<Value> = remote
        .datasets
        .iter()
        .map(|(id, title)| package(id, title))
        .collect();
    if let Some(id) = &remote.broken {
        all.push(package(id, &"Titre interminable ".repeat(30)));
    }
    let results: Vec<Value> = all.iter().skip(start).take(rows).cloned().collect();
    axum::Json(json!({"success": true, "result": {"count": all.len(), "results": results}}))
        .into_response()
}

async fn dcat_page(
    State(catalog): State<Catalog>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Response {
    if let Some(response) = answer_mode(&catalog).await {
        return response;
    }
    let page: usize = query.get("page").and_then(|s| s.parse().ok()).unwrap_or(1);
    let base = &catalog.base;
    let remote = catalog.lock();
    let total = remote.datasets.len();
    let mut doc = String::from(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n",
    );
    doc.push_str(&format!(
        "<{base}/catalog> a dcat:Catalog, hydra:Collection ; hydra:totalItems {total} .\n"
    ));
    if page * 2 < total {
        doc.push_str(&format!(
            "<{base}/catalog.ttl?page={page}> a hydra:PartialCollectionView ; hydra:next <{base}/catalog.ttl?page={}> .\n",
            page + 1
        ));
    }
    for (id, title) in remote.datasets.iter().skip((page - 1) * 2).take(2) {
        doc.push_str(&format!(
            "<{base}/datasets/{id}> a dcat:Dataset ; dct:identifier \"{id}\" ; dct:title \"{title}\" ;\n  dct:description \"Description de {id}\" ;\n  dcat:distribution [ a dcat:Distribution ; dct:title \"CSV\" ; dcat:downloadURL <http://files.test/{id}.csv> ] .\n"
        ));
    }
    ([(header::CONTENT_TYPE, "text/turtle")], doc).into_response()
}

pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0)
        .single()
        .expect("a valid date")
}

/// A portal whose clock is fixed at [`t0`], whose outbound client may reach 127.0.0.1, and
/// whose templates are strict (for the page tests).
pub(crate) async fn portal() -> TestApp {
    let settings = portail_web::Settings {
        strict_templates: true,
        ..portail_web::Settings::default()
    };
    TestApp::with_app(settings, |mut app| {
        app.clock = Clock::fixed(t0());
        app.harvest.outbound.policy = OutboundPolicy::parse("127.0.0.1").expect("allow-list");
        app.harvest.outbound.timeout = Duration::from_millis(800);
        app
    })
    .await
}

pub(crate) async fn create_source(
    t: &TestApp,
    user: &TestUser,
    body: Value,
) -> crate::support::Resp {
    t.post("/api/1/harvest/sources/", Some(user), &body).await
}

pub(crate) fn ckan_body(catalog: &Catalog, name: &str, org: Option<&str>) -> Value {
    let mut body = json!({"name": name, "url": catalog.base, "backend": "ckan"});
    if let Some(org) = org {
        body["organization"] = json!(org);
    }
    body
}

/// Validates a source as a sysadmin through the use case and runs the job it starts inline.
pub(crate) async fn accept_and_run(
    t: &TestApp,
    sysadmin: &TestUser,
    source_id: &str,
) -> HarvestJob {
    let actor = t.actor_of(sysadmin).await;
    let source = harvest::validate(&t.app, &actor, source_id, "accepted", None)
        .await
        .expect("validate");
    let job = harvest::queue_job(&t.app, &source).await.expect("queue");
    harvest::run_job(&t.app, &source, job, None)
        .await
        .expect("run")
}

/// Runs a validated source now, inline, as `user`.
async fn run_as(app: &App, t: &TestApp, user: &TestUser, source_id: &str) -> HarvestJob {
    let actor = t.actor_of(user).await;
    let (source, job) = harvest::start_job(app, &actor, source_id)
        .await
        .expect("start");
    harvest::run_job(app, &source, job, None)
        .await
        .expect("run")
}

async fn dataset_by_remote(
    t: &TestApp,
    source_id: &str,
    remote_id: &str,
) -> portail_core::model::Dataset {
    let domain = "127.0.0.1";
    let id = portail_db::harvest::match_dataset(&t.app.db, remote_id, false, source_id, domain)
        .await
        .expect("match")
        .unwrap_or_else(|| panic!("no dataset harvested as {remote_id}"));
    portail_db::datasets::find(&t.app.db, &id)
        .await
        .expect("find")
        .expect("dataset")
}

async fn harvested_count(t: &TestApp, source_id: &str) -> usize {
    let (n,): (i64,) = portail_db::with_db!(&t.app.db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM datasets WHERE harvest_source_id = $1"
    )
    .bind(source_id)
    .fetch_one(p)
    .await)
    .expect("count");
    usize::try_from(n).expect("count")
}

#[tokio::test]
async fn a_ckan_source_is_created_validated_run_and_rerun_in_place() {
    let t = portal().await;
    let cast = t.cast().await;
    let catalog = Catalog::start(&["air", "eau"]).await;
    let r = create_source(
        &t,
        &cast.admin,
        ckan_body(&catalog, "Catalogue CKAN", Some(&cast.org)),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["validation"]["state"], "pending");
    let id = r.body["id"].as_str().expect("id").to_owned();

    // Not validated yet: a run is refused.
    let r = t
        .post(
            &format!("/api/1/harvest/source/{id}/run/"),
            Some(&cast.admin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    let job = accept_and_run(&t, &cast.sysadmin, &id).await;
    assert_eq!(job.status, JobStatus::Done, "{job:?}");
    assert_eq!((job.counts.created, job.counts.updated), (2, 0));
    let source = t.get(&format!("/api/1/harvest/source/{id}/"), None).await;
    assert_eq!(source.body["validation"]["state"], "accepted");
    assert_eq!(source.body["schedule"], "0 0 * * *");
    assert_eq!(source.body["next_run_at"], "2026-03-02T00:00:00Z");

    let air = dataset_by_remote(&t, &id, "air").await;
    assert_eq!(air.title, "Jeu air");
    assert_eq!(
        air.publisher,
        portail_core::model::Publisher::Organization(cast.org.clone())
    );
    assert_eq!(air.frequency, "monthly");
    assert_eq!(air.license, "odc-odbl");
    assert_eq!(air.resources.len(), 1);
    let meta = air.harvest.clone().expect("harvest metadata");
    assert_eq!(meta["backend"], "CKAN");
    assert_eq!(meta["source_id"], id.as_str());
    assert_eq!(meta["remote_id"], "air");
    assert_eq!(meta["domain"], "127.0.0.1");
    assert_eq!(meta["modified_at"], "2024-05-06T07:08:09+00:00");
    assert_eq!(
        air.resources[0].harvest.as_ref().expect("resource harvest")["remote_id"],
        "air-csv"
    );
    // The API shows it, with udata's dates read from the harvest metadata.
    let r = t.get(&format!("/api/1/datasets/{}/", air.id), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["harvest"]["remote_id"], "air");

    // The remote changes a title: the next run updates in place, no duplicate.
    catalog.retitle("air", "Qualité de l'air");
    let r = t
        .post(
            &format!("/api/1/harvest/source/{id}/run/"),
            Some(&cast.admin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let job_id = r.body["id"].as_str().expect("job id").to_owned();
    let job = wait_for_job(&t, &job_id).await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["counts"]["updated"], 2);
    assert_eq!(job["counts"]["created"], 0);
    assert_eq!(job["by_status"]["done"], 2);
    assert_eq!(job["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(harvested_count(&t, &id).await, 2);
    let again = dataset_by_remote(&t, &id, "air").await;
    assert_eq!(again.id, air.id);
    assert_eq!(again.title, "Qualité de l'air");
    assert_eq!(
        again.resources.len(),
        1,
        "the resource is matched, not added"
    );
    let r = t
        .get(&format!("/api/1/harvest/source/{id}/jobs/"), None)
        .await;
    assert_eq!(r.body["total"], 2, "{}", r.text);
}

pub(crate) async fn wait_for_job(t: &TestApp, job_id: &str) -> Value {
    let started = std::time::Instant::now();
    loop {
        let r = t.get(&format!("/api/1/harvest/job/{job_id}/"), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        if ["done", "done-errors", "failed"].contains(&r.body["status"].as_str().unwrap_or("")) {
            return r.body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "job never ended: {}",
            r.text
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_dcat_catalog_with_hydra_paging_is_harvested() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let sysadmin = t.sysadmin("Root").await;
    let catalog = Catalog::start(&["a", "b", "c"]).await;
    let r = create_source(
        &t,
        &owner,
        json!({"name": "DCAT", "url": format!("{}/catalog.ttl", catalog.base), "backend": "dcat"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().expect("id").to_owned();
    let job = accept_and_run(&t, &sysadmin, &id).await;
    assert_eq!(job.status, JobStatus::Done, "{job:?}");
    assert_eq!(job.counts.created, 3);
    let c = dataset_by_remote(&t, &id, "c").await;
    assert_eq!(
        c.publisher,
        portail_core::model::Publisher::User(owner.id.clone())
    );
    let meta = c.harvest.expect("harvest");
    assert_eq!(meta["backend"], "DCAT");
    assert_eq!(meta["uri"], format!("{}/datasets/c", catalog.base));
    assert_eq!(meta["dct_identifier"], "c");
    assert_eq!(c.resources[0].url, "http://files.test/c.csv");
}

#[tokio::test]
async fn a_dataset_of_another_publisher_is_an_item_error_not_an_overwrite() {
    let t = portal().await;
    let cast = t.cast().await;
    let catalog = Catalog::start(&["air"]).await;
    let r = create_source(
        &t,
        &cast.admin,
        ckan_body(&catalog, "Source A", Some(&cast.org)),
    )
    .await;
    let first = r.body["id"].as_str().expect("id").to_owned();
    accept_and_run(&t, &cast.sysadmin, &first).await;
    // Another user harvests the same catalog (same domain, same remote ids).
    let r = create_source(&t, &cast.other, ckan_body(&catalog, "Source B", None)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let second = r.body["id"].as_str().expect("id").to_owned();
    let job = accept_and_run(&t, &cast.sysadmin, &second).await;
    assert_eq!(job.status, JobStatus::DoneErrors, "{job:?}");
    assert_eq!(job.counts.failed, 1);
    let view = harvest::get_job(&t.app, &job.id, Some(ItemStatus::Failed))
        .await
        .expect("job");
    let message = &view.items[0].errors[0].message;
    assert!(message.starts_with("Item has another owner"), "{message}");
    let air = dataset_by_remote(&t, &first, "air").await;
    assert_eq!(
        air.publisher,
        portail_core::model::Publisher::Organization(cast.org.clone())
    );
    assert_eq!(harvested_count(&t, &second).await, 0);
}

#[tokio::test]
async fn a_dataset_gone_from_the_remote_is_archived_after_the_grace_period_and_comes_back() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let sysadmin = t.sysadmin("Root").await;
    let catalog = Catalog::start(&["a", "b"]).await;
    let r = create_source(&t, &owner, ckan_body(&catalog, "Archives", None)).await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    accept_and_run(&t, &sysadmin, &id).await;

    catalog.set(&["a"]);
    // Within the grace period: kept.
    t.app.clock.set(t0() + chrono::Duration::days(3));
    let job = run_as(&t.app, &t, &owner, &id).await;
    assert_eq!(job.counts.archived, 0, "{job:?}");
    assert!(dataset_by_remote(&t, &id, "b").await.archived_at.is_none());

    // An incomplete walk (item cap) archives nothing, even past the grace period.
    t.app.clock.set(t0() + chrono::Duration::days(10));
    let mut capped = t.app.clone();
    capped.harvest.max_items = Some(1);
    let job = run_as(&capped, &t, &owner, &id).await;
    assert_eq!(job.counts.archived, 0, "{job:?}");
    assert!(
        job.errors[0].message.contains("max items reached"),
        "{job:?}"
    );
    // A failed walk neither.
    catalog.mode(Mode::ServerError);
    let job = run_as(&t.app, &t, &owner, &id).await;
    assert_eq!(
        (job.status, job.counts.archived),
        (JobStatus::Failed, 0),
        "{job:?}"
    );
    catalog.mode(Mode::Ok);

    // A complete walk past the grace period archives it.
    let job = run_as(&t.app, &t, &owner, &id).await;
    assert_eq!(job.counts.archived, 1, "{job:?}");
    let b = dataset_by_remote(&t, &id, "b").await;
    assert_eq!(b.archived_at, Some(t0() + chrono::Duration::days(10)));
    assert_eq!(
        b.harvest.as_ref().expect("harvest")["archived"],
        "not-on-remote"
    );
    let view = harvest::get_job(&t.app, &job.id, Some(ItemStatus::Archived))
        .await
        .expect("job");
    assert_eq!(view.items[0].remote_id.as_deref(), Some("b"));

    // Back on the remote: un-archived.
    catalog.set(&["a", "b"]);
    t.app.clock.set(t0() + chrono::Duration::days(11));
    let job = run_as(&t.app, &t, &owner, &id).await;
    assert_eq!((job.counts.updated, job.counts.created), (2, 0), "{job:?}");
    let b = dataset_by_remote(&t, &id, "b").await;
    assert!(b.archived_at.is_none());
    assert_eq!(
        b.harvest.as_ref().expect("harvest")["archived"],
        Value::Null
    );
}

#[tokio::test]
async fn a_broken_record_fails_alone_with_a_readable_message() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let sysadmin = t.sysadmin("Root").await;
    let catalog = Catalog::start(&["a", "b"]).await;
    catalog.lock().broken = Some("long".into());
    let r = create_source(&t, &owner, ckan_body(&catalog, "Broken", None)).await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    let job = accept_and_run(&t, &sysadmin, &id).await;
    assert_eq!(job.status, JobStatus::DoneErrors, "{job:?}");
    assert_eq!((job.counts.created, job.counts.failed), (2, 1));
    let r = t
        .get(
            &format!("/api/1/harvest/job/{}/?status=failed", job.id),
            None,
        )
        .await;
    let item = &r.body["items"][0];
    assert_eq!(item["remote_id"], "long", "{}", r.text);
    let message = item["errors"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("title") && message.contains("350"),
        "{message}"
    );
    assert_eq!(r.body["by_status"]["done"], 2);
    assert_eq!(r.body["by_status"]["failed"], 1);
}

#[tokio::test]
async fn a_failing_remote_fails_the_job_with_a_readable_error() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let sysadmin = t.sysadmin("Root").await;
    let catalog = Catalog::start(&["a"]).await;
    let r = create_source(&t, &owner, ckan_body(&catalog, "Flaky", None)).await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    catalog.mode(Mode::ServerError);
    let job = accept_and_run(&t, &sysadmin, &id).await;
    assert_eq!(job.status, JobStatus::Failed);
    assert!(job.errors[0].message.contains("503"), "{job:?}");
    for (mode, expected) in [(Mode::Malformed, "malformed"), (Mode::Slow, "timed out")] {
        catalog.mode(mode);
        let job = run_as(&t.app, &t, &owner, &id).await;
        assert_eq!(job.status, JobStatus::Failed, "{mode:?}: {job:?}");
        assert!(
            job.errors[0].message.contains(expected),
            "{mode:?}: {}",
            job.errors[0].message
        );
    }
    // A source the policy refuses fails too, with the reason.
    let r = create_source(
        &t,
        &owner,
        json!({"name": "Private", "url": "http://10.1.2.3/", "backend": "ckan"}),
    )
    .await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    let job = accept_and_run(&t, &sysadmin, &id).await;
    assert_eq!(job.status, JobStatus::Failed);
    assert!(job.errors[0].message.contains("private"), "{job:?}");
}

#[tokio::test]
async fn preview_saves_nothing() {
    let t = portal().await;
    let cast = t.cast().await;
    let catalog = Catalog::start(&["a", "b"]).await;
    catalog.lock().broken = Some("long".into());
    let r = create_source(
        &t,
        &cast.admin,
        ckan_body(&catalog, "Preview", Some(&cast.org)),
    )
    .await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    let r = t
        .get(
            &format!("/api/1/harvest/source/{id}/preview/"),
            Some(&cast.editor),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "done-errors", "{}", r.text);
    let actions: Vec<&str> = r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["action"].as_str())
        .collect();
    assert_eq!(actions, ["created", "created", "failed"]);
    let r = t
        .post(
            "/api/1/harvest/source/preview/",
            Some(&cast.admin),
            &ckan_body(&catalog, "Payload", Some(&cast.org)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(3));
    assert_eq!(harvested_count(&t, &id).await, 0);
    let r = t
        .get(&format!("/api/1/harvest/source/{id}/jobs/"), None)
        .await;
    assert_eq!(r.body["total"], 0);
    let r = t.get("/api/1/datasets/", None).await;
    assert_eq!(r.body["total"], 0);
}

#[tokio::test]
async fn permissions_per_endpoint() {
    let t = portal().await;
    let cast = t.cast().await;
    let catalog = Catalog::start(&["a"]).await;
    let body = ckan_body(&catalog, "Permissions", Some(&cast.org));
    // Creating for an organization takes its admin.
    let r = create_source(&t, &cast.editor, body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = t.post("/api/1/harvest/sources/", None, &body).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = create_source(&t, &cast.admin, body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let org_source = r.body["id"].as_str().expect("id").to_owned();
    let r = create_source(&t, &cast.owner, ckan_body(&catalog, "Mine", None)).await;
    let own_source = r.body["id"].as_str().expect("id").to_owned();

    let anonymous: Option<&TestUser> = None;
    let who = [
        ("anonymous", anonymous),
        ("other", Some(&cast.other)),
        ("editor", Some(&cast.editor)),
        ("admin", Some(&cast.admin)),
        ("owner", Some(&cast.owner)),
        ("sysadmin", Some(&cast.sysadmin)),
    ];
    // (method, path, body, expected per caller in `who` order) on the organization's source.
    let s = &org_source;
    let cases: Vec<(&str, String, Value, [u16; 6])> = vec![
        (
            "GET",
            format!("/api/1/harvest/source/{s}/"),
            json!(null),
            [200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            format!("/api/1/harvest/source/{s}/preview/"),
            json!(null),
            [401, 403, 200, 200, 403, 200],
        ),
        (
            "PUT",
            format!("/api/1/harvest/source/{s}/"),
            json!({"description": "Mise à jour"}),
            [401, 403, 403, 200, 403, 200],
        ),
        (
            "POST",
            format!("/api/1/harvest/source/{s}/schedule/"),
            json!("0 3 * * *"),
            [401, 403, 403, 403, 403, 200],
        ),
        (
            "DELETE",
            format!("/api/1/harvest/source/{s}/schedule/"),
            json!(null),
            [401, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/1/harvest/source/{s}/validate/"),
            json!({"state": "refused", "comment": "Non"}),
            [401, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/1/harvest/source/{s}/run/"),
            json!({}),
            [401, 403, 403, 400, 403, 400],
        ),
        (
            "GET",
            format!("/api/1/harvest/source/{s}/jobs/"),
            json!(null),
            [200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            format!("/api/1/harvest/source/{own_source}/preview/"),
            json!(null),
            [401, 403, 403, 403, 200, 200],
        ),
        (
            "PUT",
            format!("/api/1/harvest/source/{own_source}/"),
            json!({"active": false}),
            [401, 403, 403, 403, 200, 200],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &cases {
        for ((name, user), status) in who.iter().zip(expected) {
            let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            let body = (!body.is_null()).then_some(body);
            let r = t.request(method.clone(), path, *user, body).await;
            if r.status.as_u16() != *status {
                failures.push(format!(
                    "{method} {path} as {name}: {} (expected {status}) {}",
                    r.status, r.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Deleting: the owner and sysadmins only, for a user's source.
    let r = t
        .delete(
            &format!("/api/1/harvest/source/{own_source}/"),
            Some(&cast.admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .delete(
            &format!("/api/1/harvest/source/{own_source}/"),
            Some(&cast.owner),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = t
        .get(&format!("/api/1/harvest/source/{own_source}/"), None)
        .await;
    assert_eq!(r.status, StatusCode::GONE);
    let r = t.get("/api/1/harvest/sources/?deleted=true", None).await;
    assert_eq!(r.body["total"], 1, "{}", r.text);
    for path in [
        "/api/1/harvest/source/nope/",
        "/api/1/harvest/source/nope/jobs/",
        "/api/1/harvest/job/nope/",
    ] {
        let r = t.get(path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
    }
    let r = t
        .post(
            &format!("/api/1/harvest/source/{org_source}/run/"),
            Some(&cast.admin),
            &json!({}),
        )
        .await;
    assert!(
        r.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("validated"),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn sources_are_validated_on_input() {
    let t = portal().await;
    let cast = t.cast().await;
    let r = create_source(
        &t,
        &cast.owner,
        json!({"name": "", "url": "not a url", "backend": "gopher"}),
    )
    .await;
    assert_eq!(crate::support::error_fields(&r), ["backend", "name", "url"]);
    let r = create_source(
        &t,
        &cast.owner,
        json!({"name": "Filtres", "url": "https://ckan.example.org", "backend": "ckan",
               "config": {"filters": [{"key": "colour", "value": "blue"}]}}),
    )
    .await;
    assert_eq!(crate::support::error_fields(&r), ["config"]);
    assert!(r.text.contains("unknown filter"), "{}", r.text);
    let r = create_source(
        &t,
        &cast.owner,
        json!({"name": "Filtres", "url": "https://ckan.example.org", "backend": "ckan",
               "config": {"filters": [{"key": "organization", "value": "ville"}, {"key": "tags", "value": "x", "type": "exclude"}]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["slug"], "filtres");
    let id = r.body["id"].as_str().expect("id").to_owned();
    // Refusing needs a comment; an invalid cron is a 400 saying why.
    let r = t
        .post(
            &format!("/api/1/harvest/source/{id}/validate/"),
            Some(&cast.sysadmin),
            &json!({"state": "refused"}),
        )
        .await;
    assert_eq!(crate::support::error_fields(&r), ["comment"]);
    let r = t
        .post(
            &format!("/api/1/harvest/source/{id}/schedule/"),
            Some(&cast.sysadmin),
            &json!("every tuesday"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("Invalid cron expression"),
        "{}",
        r.text
    );
    let r = t
        .post(
            &format!("/api/1/harvest/source/{id}/schedule/"),
            Some(&cast.sysadmin),
            &json!("30 4 * * 1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["schedule"], "30 4 * * 1");
    // 2026-03-01 is a Sunday: next Monday 04:30.
    assert_eq!(r.body["next_run_at"], "2026-03-02T04:30:00Z");
    let r = t.get("/api/1/harvest/backends/", None).await;
    let ids: Vec<&str> = r
        .body
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert_eq!(ids, ["ckan", "dcat", "ods"]);
    let r = t.get("/api/1/harvest/sources/?q=filtres", None).await;
    assert_eq!(r.body["total"], 1, "{}", r.text);
    let r = t
        .get(
            &format!("/api/1/harvest/sources/?owner={}", cast.owner.id),
            None,
        )
        .await;
    assert_eq!(r.body["total"], 1, "{}", r.text);
    let r = t
        .get(
            &format!("/api/1/harvest/sources/?organization={}", cast.org),
            None,
        )
        .await;
    assert_eq!(r.body["total"], 0, "{}", r.text);
}

#[tokio::test]
async fn the_scheduler_claims_a_due_source_once_even_with_two_claimers() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let sysadmin = t.sysadmin("Root").await;
    let catalog = Catalog::start(&["a"]).await;
    let r = create_source(&t, &owner, ckan_body(&catalog, "Scheduled", None)).await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    accept_and_run(&t, &sysadmin, &id).await;
    // Not due yet.
    assert!(harvest::claim_due(&t.app).await.expect("claim").is_empty());
    // Past midnight: due; two nodes on one database race for it.
    t.app.clock.set(t0() + chrono::Duration::hours(15));
    let mut other = App::new(t.app.db.clone());
    other.clock = t.app.clock.clone();
    let (a, b) = tokio::join!(harvest::claim_due(&t.app), harvest::claim_due(&other));
    let claimed = a.expect("claim a").len() + b.expect("claim b").len();
    assert_eq!(claimed, 1);
    let source = harvest::get(&t.app, &id).await.expect("source");
    assert_eq!(
        source.next_run_at,
        Some(t0() + chrono::Duration::hours(38)),
        "moved to the next midnight"
    );
    assert!(harvest::claim_due(&t.app).await.expect("claim").is_empty());
    // Inactive sources are not claimed.
    let r = t
        .put(
            &format!("/api/1/harvest/source/{id}/"),
            Some(&owner),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    t.app.clock.set(t0() + chrono::Duration::days(3));
    assert!(harvest::claim_due(&t.app).await.expect("claim").is_empty());
    // Old jobs are purged after a year.
    t.app.clock.set(t0() + chrono::Duration::days(400));
    assert_eq!(harvest::purge_jobs(&t.app).await.expect("purge"), 2);
}

/// What a harvest must carry over from one portal to another.
fn essentials(d: &Value) -> Value {
    let mut resources: Vec<Value> = d["resources"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|r| json!({"title": r["title"], "url": r["url"], "format": r["format"]}))
                .collect()
        })
        .unwrap_or_default();
    resources.sort_by_key(|r| r["url"].as_str().unwrap_or_default().to_owned());
    json!({
        "title": d["title"],
        "description": d["description"],
        "tags": d["tags"],
        "license": d["license"],
        "frequency": d["frequency"],
        "temporal_coverage": d["temporal_coverage"],
        "resources": resources,
    })
}

/// A first Portail publishes datasets; a second harvests it, once through its DCAT catalog and
/// once through its CKAN Action API, and ends with the same metadata (private ones stay home).
#[tokio::test]
async fn a_second_portail_harvests_this_one_by_dcat_and_by_ckan_with_the_same_metadata() {
    let origin = TestApp::new().await;
    let publisher = origin.user("Publisher").await;
    let org = origin.org("Métropole de Valbourg", &publisher, &[]).await;
    let mut published = Vec::new();
    for (title, tags, license, frequency) in [
        (
            "Qualité de l'air",
            vec!["air", "pollution"],
            "fr-lo",
            "daily",
        ),
        (
            "Arbres d'alignement",
            vec!["arbres", "environnement"],
            "odc-odbl",
            "annual",
        ),
        (
            "Budget primitif 2024",
            vec!["budget", "finances-publiques"],
            "lov2",
            "annual",
        ),
    ] {
        let d = origin
            .dataset(
                &publisher,
                json!({
                    "title": title,
                    "description": format!("{title} : les données publiées par la métropole, mises à jour régulièrement, avec leur documentation."),
                    "tags": tags,
                    "license": license,
                    "frequency": frequency,
                    "organization": org,
                    "temporal_coverage": {"start": "2020-01-01", "end": "2023-12-31"},
                    "resources": [
                        {"title": format!("{title} (CSV)"), "url": format!("https://data.valbourg.example/{}.csv", tags[0]), "format": "csv", "type": "main"},
                        {"title": format!("{title} (JSON)"), "url": format!("https://data.valbourg.example/{}.json", tags[0]), "format": "json", "type": "main"},
                    ],
                }),
            )
            .await;
        published.push(d);
    }
    origin
        .dataset(
            &publisher,
            json!({"title": "Brouillon privé", "private": true, "organization": org}),
        )
        .await;

    for (backend, url) in [
        ("dcat", format!("{}/catalog.ttl", origin.base)),
        ("ckan", origin.base.clone()),
    ] {
        let mirror = TestApp::with_app(portail_web::Settings::default(), |mut app| {
            app.harvest.outbound.policy = OutboundPolicy::parse("127.0.0.1").expect("allow-list");
            app
        })
        .await;
        let admin = mirror.sysadmin("Root").await;
        let r = create_source(
            &mirror,
            &admin,
            json!({"name": format!("Valbourg ({backend})"), "url": url, "backend": backend}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let source_id = r.body["id"].as_str().expect("id").to_owned();
        let job = accept_and_run(&mirror, &admin, &source_id).await;
        assert_eq!(job.status, JobStatus::Done, "{backend}: {job:?}");
        assert_eq!(job.counts.created, 3, "{backend}: {job:?}");
        assert_eq!(harvested_count(&mirror, &source_id).await, 3, "{backend}");
        let listed = mirror.get("/api/1/datasets/?page_size=50", None).await;
        let mirrored: Vec<Value> = listed.body["data"].as_array().cloned().unwrap_or_default();
        assert_eq!(mirrored.len(), 3, "{backend}: {}", listed.text);
        for original in &published {
            let copy = mirrored
                .iter()
                .find(|d| d["title"] == original["title"])
                .unwrap_or_else(|| panic!("{backend}: {} was not harvested", original["title"]));
            assert_eq!(essentials(copy), essentials(original), "{backend}");
            assert!(
                copy["harvest"].is_object(),
                "{backend}: harvest metadata: {copy}"
            );
        }
        assert!(
            !mirrored.iter().any(|d| d["title"] == "Brouillon privé"),
            "{backend}: a private dataset leaked"
        );
        // A second run changes nothing and creates no duplicate.
        let job = accept_and_run(&mirror, &admin, &source_id).await;
        assert_eq!(job.status, JobStatus::Done, "{backend}: {job:?}");
        assert_eq!(job.counts.created, 0, "{backend}: {job:?}");
        assert_eq!(harvested_count(&mirror, &source_id).await, 3, "{backend}");
    }
}

#[tokio::test]
async fn a_run_is_refused_while_another_of_the_source_is_pending_or_running() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let sysadmin = t.sysadmin("Root").await;
    let catalog = Catalog::start(&["a", "b"]).await;
    let r = create_source(&t, &owner, ckan_body(&catalog, "Une à la fois", None)).await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    let actor = t.actor_of(&sysadmin).await;
    let source = harvest::validate(&t.app, &actor, &id, "accepted", None)
        .await
        .expect("validate");
    // A job is pending (queued by another request, another node, the scheduler…).
    let pending = harvest::queue_job(&t.app, &source).await.expect("queue");
    let r = t
        .post(
            &format!("/api/1/harvest/source/{id}/run/"),
            Some(&owner),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let message = r.body["message"].as_str().unwrap_or("");
    assert!(
        message.contains("already pending") && message.contains(&pending.id),
        "{}",
        r.text
    );
    // The database refuses a second unfinished job even when nobody checked first.
    let Err(portail_app::AppError::Conflict(_)) = harvest::queue_job(&t.app, &source).await else {
        panic!("a second unfinished job was queued");
    };
    // Nor does the scheduler start one: the occurrence is skipped, not postponed.
    t.app.clock.set(t0() + chrono::Duration::hours(15));
    assert!(harvest::claim_due(&t.app).await.expect("claim").is_empty());
    let again = harvest::get(&t.app, &id).await.expect("source");
    assert_eq!(again.next_run_at, Some(t0() + chrono::Duration::hours(38)));
    // Once it ended, a run is accepted again.
    let job = harvest::run_job(&t.app, &source, pending, None)
        .await
        .expect("run");
    assert_eq!(job.status, JobStatus::Done, "{job:?}");
    let r = t
        .post(
            &format!("/api/1/harvest/source/{id}/run/"),
            Some(&owner),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let job = wait_for_job(&t, r.body["id"].as_str().expect("job id")).await;
    assert_eq!(job["status"], "done", "{job}");
}

#[tokio::test]
async fn a_job_left_running_by_a_stopped_process_is_failed_with_a_readable_error() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let sysadmin = t.sysadmin("Root").await;
    let catalog = Catalog::start(&["a"]).await;
    let actor = t.actor_of(&sysadmin).await;
    let mut sources = Vec::new();
    for name in ["Interrompue", "Vivante"] {
        let r = create_source(&t, &owner, ckan_body(&catalog, name, None)).await;
        let id = r.body["id"].as_str().expect("id").to_owned();
        sources.push(
            harvest::validate(&t.app, &actor, &id, "accepted", None)
                .await
                .expect("validate"),
        );
    }
    // A process was killed an hour ago in the middle of a run: its job's heartbeat stopped.
    let mut stale = HarvestJob {
        id: "stale-job".into(),
        source_id: sources[0].id.clone(),
        created_at: t0() - chrono::Duration::hours(1),
        started_at: Some(t0() - chrono::Duration::hours(1)),
        ended_at: None,
        status: JobStatus::Processing,
        errors: Vec::new(),
        counts: Default::default(),
    };
    stale.counts.created = 3;
    portail_db::harvest::insert_job(&t.app.db, &stale)
        .await
        .expect("insert");
    // Another process is running this one right now (fresh heartbeat).
    let live = harvest::queue_job(&t.app, &sources[1])
        .await
        .expect("queue");
    let r = t
        .post(
            &format!("/api/1/harvest/source/{}/run/", sources[0].id),
            Some(&owner),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);

    assert_eq!(harvest::fail_stale_jobs(&t.app).await.expect("fail"), 1);
    let r = t.get("/api/1/harvest/job/stale-job/", None).await;
    assert_eq!(r.body["status"], "failed", "{}", r.text);
    assert_eq!(
        r.body["errors"][0]["message"],
        "interrupted: the process stopped during the run"
    );
    assert_eq!(r.body["ended"], "2026-03-01T10:00:00Z");
    assert_eq!(r.body["counts"]["created"], 3, "what it did is kept");
    let r = t
        .get(&format!("/api/1/harvest/job/{}/", live.id), None)
        .await;
    assert_eq!(r.body["status"], "pending", "a live job is left alone");
    // Run twice (two nodes at start): nothing more to do.
    assert_eq!(harvest::fail_stale_jobs(&t.app).await.expect("fail"), 0);
    // Ten minutes without a heartbeat: the live one is stale too.
    t.app.clock.set(t0() + chrono::Duration::minutes(11));
    assert_eq!(harvest::fail_stale_jobs(&t.app).await.expect("fail"), 1);
    // The source runs again.
    let r = t
        .post(
            &format!("/api/1/harvest/source/{}/run/", sources[0].id),
            Some(&owner),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let job = wait_for_job(&t, r.body["id"].as_str().expect("job id")).await;
    assert_eq!(job["status"], "done", "{job}");
}

#[tokio::test]
async fn a_schedule_asked_at_creation_is_checked_and_applied_on_acceptance() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let sysadmin = t.sysadmin("Root").await;
    let catalog = Catalog::start(&["a"]).await;
    let mut body = ckan_body(&catalog, "Hebdomadaire", None);
    body["schedule"] = json!("every monday");
    let r = create_source(&t, &owner, body.clone()).await;
    assert_eq!(crate::support::error_fields(&r), ["schedule"]);
    assert!(r.text.contains("cron expression"), "{}", r.text);
    body["schedule"] = json!("0 3 * * 1");
    let r = create_source(&t, &owner, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["schedule"], "0 3 * * 1");
    assert_eq!(r.body["next_run_at"], json!(null), "pending: never due");
    let id = r.body["id"].as_str().expect("id").to_owned();
    // Only a sysadmin changes it afterwards: a PUT ignores it.
    let r = t
        .put(
            &format!("/api/1/harvest/source/{id}/"),
            Some(&owner),
            &json!({"schedule": "* * * * *"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["schedule"], "0 3 * * 1");
    accept_and_run(&t, &sysadmin, &id).await;
    let r = t.get(&format!("/api/1/harvest/source/{id}/"), None).await;
    assert_eq!(
        r.body["schedule"], "0 3 * * 1",
        "kept, not the daily default"
    );
    // 2026-03-01 is a Sunday.
    assert_eq!(r.body["next_run_at"], "2026-03-02T03:00:00Z");
}

/// A page's new datasets are inserted together (`records::apply_page`): titles that want the
/// same slug, or a slug some dataset already has, still get distinct slugs, and every record
/// keeps its own item, in the page's order.
#[tokio::test]
async fn new_datasets_of_a_page_get_distinct_slugs_and_their_own_items() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let sysadmin = t.sysadmin("Root").await;
    let taken = t.dataset(&owner, json!({"title": "Déjà là"})).await;
    assert_eq!(taken["slug"], "deja-la");
    let catalog = Catalog::start(&["a", "b", "c", "d"]).await;
    catalog.retitle("a", "Jeu commun");
    catalog.retitle("b", "Jeu commun");
    catalog.retitle("c", "Déjà là");
    let r = create_source(&t, &owner, ckan_body(&catalog, "Slugs", None)).await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    let job = accept_and_run(&t, &sysadmin, &id).await;
    assert_eq!(job.status, JobStatus::Done, "{job:?}");
    assert_eq!(job.counts.created, 4);

    let mut slugs = Vec::new();
    for remote in ["a", "b", "c", "d"] {
        let d = dataset_by_remote(&t, &id, remote).await;
        let read = t.get(&format!("/api/1/datasets/{}/", d.slug), None).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.text);
        assert_eq!(read.body["harvest"]["remote_id"], remote);
        slugs.push(d.slug);
    }
    assert_eq!(slugs[0], "jeu-commun");
    assert!(slugs[1].starts_with("jeu-commun-"), "{slugs:?}");
    assert!(slugs[2].starts_with("deja-la-"), "{slugs:?}");
    assert_eq!(slugs[3], "jeu-d");
    let r = t
        .get(&format!("/api/1/harvest/job/{}/", job.id), None)
        .await;
    let remotes: Vec<&str> = r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["remote_id"].as_str())
        .collect();
    assert_eq!(remotes, ["a", "b", "c", "d"], "{}", r.text);

    // Search sees the datasets inserted together (their outbox rows are written with them).
    t.wait_for_search().await;
    let found = t.get("/api/2/datasets/search/?q=commun", None).await;
    assert_eq!(found.body["total"], 2, "{}", found.text);

    // A second run updates all four in place.
    let job = accept_and_run(&t, &sysadmin, &id).await;
    assert_eq!((job.counts.created, job.counts.updated), (0, 4), "{job:?}");
    assert_eq!(harvested_count(&t, &id).await, 4);
}

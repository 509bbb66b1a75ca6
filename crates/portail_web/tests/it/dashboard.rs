//! Our dashboard extensions and udata's site figures: `/api/1/datasets/{id}/quality/`,
//! `/metrics/`, `/api/1/me/datasets/attention/`, `/api/1/site/` (mirrors `src/api/dashboard.rs`).

use chrono::TimeZone;
use portail_app::Clock;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;

fn answer(r: &Value, id: &str) -> Value {
    r["questions"]
        .as_array()
        .unwrap_or_else(|| panic!("questions: {r}"))
        .iter()
        .find(|q| q["id"] == id)
        .map(|q| q["ok"].clone())
        .unwrap_or_else(|| panic!("no question {id}: {r}"))
}

#[tokio::test]
async fn the_six_questions_follow_the_clock() {
    let start = chrono::Utc
        .with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .unwrap();
    let clock = Clock::fixed(start);
    let moved = clock.clone();
    let t = TestApp::with_app(portail_web::Settings::default(), move |mut app| {
        app.clock = moved;
        app
    })
    .await;
    let c = t.cast().await;
    let d = t
        .dataset(
            &c.owner,
            json!({"frequency": "monthly", "tags": ["air"], "description": "x".repeat(120)}),
        )
        .await;
    let id = d["id"].as_str().unwrap();
    t.remote_resource(&c.owner, id, json!({})).await;
    let path = format!("/api/1/datasets/{id}/quality/");
    let r = t.get(&path, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["questions"].as_array().map(Vec::len), Some(6));
    assert_eq!(answer(&r.body, "description"), json!(true));
    assert_eq!(answer(&r.body, "tags"), json!(true));
    assert_eq!(answer(&r.body, "open_format"), json!(true));
    assert_eq!(answer(&r.body, "discussions"), json!(true));
    assert_eq!(answer(&r.body, "up_to_date"), json!(true));
    // Never checked yet: unknown.
    assert_eq!(answer(&r.body, "resources_available"), Value::Null);
    assert!(
        r.body["questions"][0]["hint_fr"]
            .as_str()
            .is_some_and(|h| !h.is_empty())
    );
    assert!(r.body["quality"]["score"].is_number());
    // udata's quality object of the dataset is unchanged by the extension.
    let ds = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(ds.body["quality"], r.body["quality"]);

    // Two months later, a monthly dataset is late; an open discussion waits for an answer.
    clock.set(start + chrono::Duration::days(62));
    t.post("/api/1/discussions/", Some(&c.other), &json!({"title": "Mise à jour ?", "comment": "Février manque.", "subject": {"class": "Dataset", "id": id}})).await;
    let r = t.get(&path, None).await;
    assert_eq!(answer(&r.body, "up_to_date"), json!(false));
    assert_eq!(answer(&r.body, "discussions"), json!(false));

    // The attention list puts it first, with its reasons.
    let fine = t
        .dataset(&c.owner, json!({"title": "Sans fréquence", "tags": ["eau"], "license": "lov2", "description": "y".repeat(120)}))
        .await;
    let r = t.get("/api/1/me/datasets/attention/", Some(&c.owner)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let list = r.body.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["dataset"]["id"], id);
    let reasons: Vec<&str> = list[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        reasons.contains(&"out_of_date") && reasons.contains(&"open_discussions"),
        "{reasons:?}"
    );
    assert_eq!(list[1]["dataset"]["id"], fine["id"]);
    // Organization datasets count for their members; others see nothing of them.
    t.dataset(&c.editor, json!({"organization": c.org})).await;
    assert_eq!(
        t.get("/api/1/me/datasets/attention/", Some(&c.partial))
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        t.get("/api/1/me/datasets/attention/", Some(&c.other))
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    assert_eq!(
        t.get("/api/1/me/datasets/attention/", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn site_figures_and_dataset_metrics() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t.dataset(&c.owner, json!({})).await;
    let id = d["id"].as_str().unwrap();
    let res = t.remote_resource(&c.owner, id, json!({})).await;
    t.dataset(&c.editor, json!({"organization": c.org, "private": true}))
        .await;
    let r = t.get("/api/1/site/", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let m = &r.body["metrics"];
    assert_eq!(m["datasets"], 1, "private datasets are not counted: {m}");
    assert_eq!(m["resources"], 1);
    assert_eq!(m["organizations"], 1);
    assert_eq!(m["users"], 6);
    assert_eq!(m["reuses"], 0);
    assert_eq!(m["discussions"], 0);
    assert_eq!(t.get("/api/1/site", None).await.status, StatusCode::OK);

    // Downloads (counted through the permalink, flushed in batches) make a monthly series.
    let r = t
        .get(
            &format!("/api/1/datasets/r/{}", res["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    let path = format!("/api/1/datasets/{id}/metrics/");
    let mut series = Value::Null;
    for _ in 0..100 {
        let r = t.get(&path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        series = r.body["resources_downloads_by_months"].clone();
        if series.as_object().is_some_and(|m| !m.is_empty()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    assert_eq!(series[&month], 1, "{series}");
    // Reads of the dataset count as views, by id or slug, cached or not.
    let slug = d["slug"].as_str().unwrap();
    for path in [
        format!("/api/1/datasets/{id}/"),
        format!("/api/1/datasets/{slug}/"),
        format!("/api/1/datasets/{slug}/"),
    ] {
        assert_eq!(t.get(&path, None).await.status, StatusCode::OK);
    }
    let mut views = Value::Null;
    for _ in 0..100 {
        let r = t.get(&path, None).await;
        views = r.body["views_by_months"].clone();
        if views[&month].as_i64().unwrap_or(0) >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(views[&month].as_i64().unwrap_or(0) >= 3, "{views}");
    // The site has the same monthly series, as udata names them.
    let site = t.get("/api/1/site/", None).await;
    assert_eq!(
        site.body["metrics"]["resources_downloads_by_months"][&month], 1,
        "{}",
        site.text
    );
    assert!(
        site.body["metrics"]["datasets_visits_by_months"][&month]
            .as_i64()
            .unwrap_or(0)
            >= 3,
        "{}",
        site.text
    );
    let private = t.get(&format!("/api/1/datasets/{id}/metrics/"), None).await;
    assert_eq!(private.body["metrics"]["followers"], 0);
    assert_eq!(
        t.get("/api/1/datasets/nope/quality/", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn site_stock_series_count_live_public_objects_month_by_month() {
    let at = |m, d| {
        chrono::Utc
            .with_ymd_and_hms(2026, m, d, 9, 0, 0)
            .single()
            .unwrap()
    };
    let clock = Clock::fixed(at(1, 5));
    let moved = clock.clone();
    let t = TestApp::with_app(portail_web::Settings::default(), move |mut app| {
        app.clock = moved;
        app
    })
    .await;
    let c = t.cast().await;
    let first = t.dataset(&c.owner, json!({})).await;
    clock.set(at(3, 10));
    t.dataset(&c.owner, json!({})).await;
    t.dataset(&c.editor, json!({"organization": c.org, "private": true}))
        .await;
    let gone = t.dataset(&c.owner, json!({})).await;
    let r = t
        .delete(
            &format!("/api/1/datasets/{}/", gone["id"].as_str().unwrap()),
            Some(&c.owner),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    t.user("Late").await;
    let r = t.post("/api/1/reuses/", Some(&c.other), &json!({"title": "Carte", "description": "Une carte.", "url": "https://example.org/carte", "type": "visualization", "datasets": [first["id"]]})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = t.post("/api/1/discussions/", Some(&c.other), &json!({"title": "Mise à jour ?", "comment": "Février manque.", "subject": {"class": "Dataset", "id": first["id"]}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = t.post("/api/1/harvest/sources/", Some(&c.sysadmin), &json!({"name": "Catalogue", "url": "https://example.org/catalog.ttl", "backend": "dcat"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    clock.set(at(4, 2));

    let r = t.get("/api/1/site/", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let m = &r.body["metrics"];
    let series = |kind: &str| -> Vec<(String, i64)> {
        m[format!("{kind}_by_months")]
            .as_object()
            .unwrap_or_else(|| panic!("{kind}_by_months: {m}"))
            .iter()
            .map(|(k, v)| (k.clone(), v.as_i64().unwrap_or(-1)))
            .collect()
    };
    let datasets = series("datasets");
    assert_eq!(datasets.len(), 13, "{datasets:?}");
    assert_eq!(datasets[0].0, "2025-04");
    assert_eq!(datasets[12].0, "2026-04");
    // Private and deleted datasets are not counted; the stock carries over empty months.
    let tail = |s: Vec<(String, i64)>| s[8..].iter().map(|(_, n)| *n).collect::<Vec<_>>();
    assert_eq!(tail(datasets), [0, 1, 1, 2, 2], "from 2025-12");
    assert_eq!(tail(series("users")), [0, 6, 6, 7, 7]);
    assert_eq!(tail(series("organizations")), [0, 1, 1, 1, 1]);
    assert_eq!(tail(series("reuses")), [0, 0, 0, 1, 1]);
    assert_eq!(tail(series("discussions")), [0, 0, 0, 1, 1]);
    assert_eq!(tail(series("harvesters")), [0, 0, 0, 1, 1]);
    assert_eq!(m["datasets"], 2);
}

//! `/api/1/reuses/`: create, read, update, delete, lists, types, dataset counters (mirrors
//! `src/api/reuses.rs`).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, TestUser, error_fields};

async fn create(t: &TestApp, user: &TestUser, extra: Value) -> Value {
    let mut body = json!({
        "title": "Carte de la qualité de l'air",
        "description": "Une carte interactive des mesures.",
        "url": "https://example.org/carte",
        "type": "visualization",
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let r = t.post("/api/1/reuses/", Some(user), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

async fn reuses_of(t: &TestApp, dataset: &str) -> i64 {
    t.get(&format!("/api/1/datasets/{dataset}/"), None)
        .await
        .body["metrics"]["reuses"]
        .as_i64()
        .unwrap_or(-1)
}

#[tokio::test]
async fn a_reuse_counts_on_the_datasets_it_uses() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let a = t.dataset(&c.owner, json!({})).await;
    let b = t.dataset(&c.owner, json!({"title": "Bruit"})).await;
    let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let r = create(
        &t,
        &c.other,
        json!({"datasets": [a, {"id": b}], "tags": ["Air", "carte"], "topic": "health"}),
    )
    .await;
    assert_eq!(r["type"], "visualization");
    assert_eq!(r["topic"], "health");
    assert_eq!(r["owner"]["id"], c.other.id.as_str());
    assert_eq!(r["datasets"].as_array().map(Vec::len), Some(2));
    assert_eq!((reuses_of(&t, a).await, reuses_of(&t, b).await), (1, 1));
    let path = format!("/api/1/reuses/{}/", r["id"].as_str().unwrap());
    let got = t
        .get(
            &format!("/api/1/reuses/{}/", r["slug"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(got.body["id"], r["id"]);

    // Only its owner (or a sysadmin) edits a user's reuse.
    for who in [&c.owner, &c.admin] {
        let r = t.put(&path, Some(who), &json!({"title": "x"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let u = t
        .put(&path, Some(&c.other), &json!({"datasets": [b]}))
        .await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.text);
    assert_eq!((reuses_of(&t, a).await, reuses_of(&t, b).await), (0, 1));
    let u = t
        .put(&path, Some(&c.sysadmin), &json!({"private": true}))
        .await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.text);
    assert_eq!(reuses_of(&t, b).await, 0);
    assert_eq!(t.get(&path, None).await.status, StatusCode::NOT_FOUND);
    t.put(&path, Some(&c.other), &json!({"private": false}))
        .await;
    let r = t.get(&format!("/api/1/reuses/?dataset={b}"), None).await;
    assert_eq!(r.body["total"], 1, "{}", r.text);
    assert_eq!(
        t.get("/api/1/site/", None).await.body["metrics"]["reuses"],
        1
    );

    let r = t.delete(&path, Some(&c.other)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(reuses_of(&t, b).await, 0);
    assert_eq!(t.get(&path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get(&path, Some(&c.other)).await.status, StatusCode::GONE);
    let r = t
        .put(&path, Some(&c.other), &json!({"deleted": null}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(reuses_of(&t, b).await, 1);
}

#[tokio::test]
async fn validation_types_and_organization_roles() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let r = t.post("/api/1/reuses/", Some(&c.other), &json!({})).await;
    assert_eq!(error_fields(&r), ["description", "title", "type", "url"]);
    let r = t.post("/api/1/reuses/", None, &json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t
        .post("/api/1/reuses/", Some(&c.other), &json!({"title": "t", "description": "d", "url": "notaurl", "type": "game", "topic": "x", "datasets": ["nope"]}))
        .await;
    assert_eq!(error_fields(&r), ["datasets.0", "topic", "type", "url"]);
    let types = t.get("/api/1/reuses/types/", None).await;
    let ids: Vec<&str> = types
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "api",
            "application",
            "idea",
            "news_article",
            "paper",
            "post",
            "visualization",
            "hardware"
        ]
    );
    assert!(
        t.get("/api/1/reuses/topics/", None)
            .await
            .body
            .as_array()
            .is_some_and(|a| a.len() > 5)
    );
    // Publishing for an organization needs membership; its admins and editors then edit.
    let r = t.post("/api/1/reuses/", Some(&c.other), &json!({"title": "t", "description": "d", "url": "https://e.org", "type": "api", "organization": c.org})).await;
    assert_eq!(error_fields(&r), ["organization"]);
    let r = create(&t, &c.partial, json!({"organization": c.org})).await;
    assert_eq!(r["organization"]["id"], c.org.as_str());
    let path = format!("/api/1/reuses/{}/", r["id"].as_str().unwrap());
    for (who, status) in [
        (&c.admin, StatusCode::OK),
        (&c.editor, StatusCode::OK),
        (&c.partial, StatusCode::FORBIDDEN),
        (&c.other, StatusCode::FORBIDDEN),
        (&c.owner, StatusCode::FORBIDDEN),
    ] {
        let r = t
            .put(&path, Some(who), &json!({"description": "Mise à jour"}))
            .await;
        assert_eq!(r.status, status, "{}", r.text);
    }
    let r = t
        .get(&format!("/api/1/reuses/?organization={}", c.org), None)
        .await;
    assert_eq!(r.body["total"], 1);
    let r = t.get("/api/1/reuses/?type=api", None).await;
    assert_eq!(r.body["total"], 0);
    assert_eq!(
        t.get("/api/1/reuses/nope/", None).await.status,
        StatusCode::NOT_FOUND
    );
}

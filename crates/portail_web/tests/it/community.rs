//! `/api/1/datasets/community_resources/`: create (remote), read, update, delete, filters,
//! permissions (mirrors `src/api/community.rs`).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, TestUser, error_fields};

async fn create(t: &TestApp, user: &TestUser, dataset: &str, extra: Value) -> Value {
    let mut body = json!({
        "dataset": dataset,
        "title": "Version nettoyée",
        "url": "https://example.org/clean.csv",
        "format": "CSV",
        "filetype": "remote",
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let r = t
        .post("/api/1/datasets/community_resources/", Some(user), &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

#[tokio::test]
async fn anyone_signed_in_attaches_a_link_and_only_its_owner_edits_it() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t.dataset(&c.owner, json!({})).await;
    let id = d["id"].as_str().unwrap();
    let cr = create(&t, &c.other, id, json!({})).await;
    assert_eq!(cr["dataset"]["id"], id);
    assert_eq!(cr["owner"]["id"], c.other.id.as_str());
    assert_eq!(cr["format"], "csv");
    let path = format!(
        "/api/1/datasets/community_resources/{}/",
        cr["id"].as_str().unwrap()
    );
    assert_eq!(t.get(&path, None).await.status, StatusCode::OK);
    // Not even the dataset's owner edits someone else's community resource.
    for who in [&c.owner, &c.admin] {
        let r = t.put(&path, Some(who), &json!({"title": "x"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t.delete(&path, Some(who)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let r = t
        .put(&path, Some(&c.other), &json!({"title": "Version corrigée"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["title"], "Version corrigée");
    assert_eq!(r.body["url"], "https://example.org/clean.csv");
    let r = t.put(&path, Some(&c.other), &json!({"url": "nope"})).await;
    assert_eq!(error_fields(&r), ["url"]);
    let r = t
        .put(&path, Some(&c.sysadmin), &json!({"description": "checked"}))
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // Organization ones: its admins and editors, not its partial editors.
    let org_cr = create(&t, &c.partial, id, json!({"organization": c.org})).await;
    let org_path = format!(
        "/api/1/datasets/community_resources/{}/",
        org_cr["id"].as_str().unwrap()
    );
    for (who, status) in [
        (&c.partial, StatusCode::FORBIDDEN),
        (&c.editor, StatusCode::OK),
        (&c.admin, StatusCode::OK),
        (&c.other, StatusCode::FORBIDDEN),
    ] {
        let r = t
            .put(&org_path, Some(who), &json!({"title": "Par la régie"}))
            .await;
        assert_eq!(r.status, status, "{}", r.text);
    }
    let r = t
        .get(
            &format!("/api/1/datasets/community_resources/?dataset={id}"),
            None,
        )
        .await;
    assert_eq!(r.body["total"], 2, "{}", r.text);
    let r = t
        .get(
            &format!(
                "/api/1/datasets/community_resources/?organization={}",
                c.org
            ),
            None,
        )
        .await;
    assert_eq!(r.body["total"], 1);
    let r = t
        .get(
            &format!("/api/1/datasets/community_resources/?owner={}", c.other.id),
            None,
        )
        .await;
    assert_eq!(r.body["total"], 1);

    let r = t.delete(&path, Some(&c.other)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(t.get(&path, None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn validation_and_hidden_datasets() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let r = t
        .post(
            "/api/1/datasets/community_resources/",
            Some(&c.other),
            &json!({"title": "t"}),
        )
        .await;
    assert_eq!(error_fields(&r), ["dataset", "url"]);
    let r = t
        .post("/api/1/datasets/community_resources/", None, &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let d = t.dataset(&c.owner, json!({})).await;
    let id = d["id"].as_str().unwrap();
    let r = t
        .post(
            "/api/1/datasets/community_resources/",
            Some(&c.other),
            &json!({"dataset": id, "title": "t", "url": "https://e.org/x", "filetype": "file"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let private = t
        .dataset(&c.editor, json!({"organization": c.org, "private": true}))
        .await;
    let pid = private["id"].as_str().unwrap();
    let r = t
        .post(
            "/api/1/datasets/community_resources/",
            Some(&c.other),
            &json!({"dataset": pid, "title": "t", "url": "https://e.org/x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let cr = create(&t, &c.editor, pid, json!({})).await;
    let path = format!(
        "/api/1/datasets/community_resources/{}/",
        cr["id"].as_str().unwrap()
    );
    assert_eq!(t.get(&path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get(&path, Some(&c.partial)).await.status, StatusCode::OK);
    assert_eq!(
        t.get("/api/1/datasets/community_resources/", None)
            .await
            .body["total"],
        0
    );
    assert_eq!(
        t.get("/api/1/datasets/community_resources/", Some(&c.admin))
            .await
            .body["total"],
        1
    );
}

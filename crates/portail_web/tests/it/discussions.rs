//! `/api/1/discussions/`: open, list, comment, close, edit and delete comments, counters,
//! visibility (mirrors `src/api/discussions.rs`).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, TestUser, error_fields};

async fn open(t: &TestApp, user: &TestUser, dataset: &str, title: &str) -> Value {
    let r = t
        .post(
            "/api/1/discussions/",
            Some(user),
            &json!({"title": title, "comment": "The March file is empty.", "subject": {"class": "Dataset", "id": dataset}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

async fn metrics(t: &TestApp, dataset: &str, user: Option<&TestUser>) -> Value {
    t.get(&format!("/api/1/datasets/{dataset}/"), user)
        .await
        .body["metrics"]
        .clone()
}

#[tokio::test]
async fn a_discussion_is_opened_commented_and_closed_by_the_producer() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t.dataset(&c.editor, json!({"organization": c.org})).await;
    let id = d["id"].as_str().unwrap();
    let disc = open(&t, &c.other, id, "Empty file").await;
    assert_eq!(disc["title"], "Empty file");
    assert_eq!(disc["subject"], json!({"class": "Dataset", "id": id}));
    assert_eq!(disc["user"]["id"], c.other.id.as_str());
    assert_eq!(
        disc["discussion"][0]["posted_by"]["id"],
        c.other.id.as_str()
    );
    assert!(disc["closed"].is_null());
    let m = metrics(&t, id, None).await;
    assert_eq!(
        (m["discussions"].as_i64(), m["discussions_open"].as_i64()),
        (Some(1), Some(1)),
        "{m}"
    );

    let path = format!("/api/1/discussions/{}/", disc["id"].as_str().unwrap());
    let r = t
        .post(&path, Some(&c.owner), &json!({"comment": "Same here."}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["discussion"].as_array().map(Vec::len), Some(2));
    // Closing is for the dataset's editors (and sysadmins), not the author nor others.
    for who in [&c.other, &c.owner] {
        let r = t
            .post(
                &path,
                Some(who),
                &json!({"comment": "Fixed?", "close": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }
    let r = t.post(&path, None, &json!({"comment": "anonymous"})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t.post(&path, Some(&c.other), &json!({})).await;
    assert_eq!(error_fields(&r), ["comment"]);
    let r = t
        .post(
            &path,
            Some(&c.admin),
            &json!({"comment": "Fixed, thanks.", "close": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["closed"].is_string());
    assert_eq!(r.body["closed_by"]["id"], c.admin.id.as_str());
    let m = metrics(&t, id, None).await;
    assert_eq!(
        (m["discussions"].as_i64(), m["discussions_open"].as_i64()),
        (Some(1), Some(0)),
        "{m}"
    );
    let r = t
        .post(&path, Some(&c.other), &json!({"comment": "One more"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Lists: by dataset, open or closed.
    open(&t, &c.owner, id, "Units").await;
    let r = t.get(&format!("/api/1/discussions/?for={id}"), None).await;
    assert_eq!(r.body["total"], 2, "{}", r.text);
    assert_eq!(r.body["data"][0]["title"], "Units");
    let r = t
        .get(&format!("/api/1/discussions/?for={id}&closed=false"), None)
        .await;
    assert_eq!(r.body["total"], 1);
    let r = t
        .get(
            &format!("/api/1/discussions/?for={id}&closed=true&sort=created"),
            None,
        )
        .await;
    assert_eq!(r.body["data"][0]["title"], "Empty file");
    let r = t.get("/api/1/discussions/?sort=popular", None).await;
    assert_eq!(error_fields(&r), ["sort"]);
    let r = t.get("/api/1/discussions/?closed=maybe", None).await;
    assert_eq!(error_fields(&r), ["closed"]);
    let r = t.get("/api/1/discussions/?for=nope", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let m = metrics(&t, id, None).await;
    assert_eq!(
        (m["discussions"].as_i64(), m["discussions_open"].as_i64()),
        (Some(2), Some(1)),
        "{m}"
    );
    // The activity log has the opening and the closing.
    let r = t
        .get(&format!("/api/1/activity/?related_to={id}"), None)
        .await;
    let keys: Vec<&str> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["key"].as_str())
        .collect();
    assert!(
        keys.contains(&"discussion:created") && keys.contains(&"discussion:closed"),
        "{keys:?}"
    );
}

#[tokio::test]
async fn validation_and_visibility() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let private = t
        .dataset(&c.editor, json!({"organization": c.org, "private": true}))
        .await;
    let pid = private["id"].as_str().unwrap();
    let r = t
        .post("/api/1/discussions/", Some(&c.other), &json!({}))
        .await;
    assert_eq!(error_fields(&r), ["comment", "subject", "title"]);
    let r = t
        .post("/api/1/discussions/", None, &json!({"title": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A private dataset cannot be discussed by outsiders, nor its discussions read.
    let body = json!({"title": "t", "comment": "c", "subject": {"class": "Dataset", "id": pid}});
    let r = t.post("/api/1/discussions/", Some(&c.other), &body).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let disc = open(&t, &c.partial, pid, "Internal").await;
    let path = format!("/api/1/discussions/{}/", disc["id"].as_str().unwrap());
    for who in [None, Some(&c.other)] {
        let r = t.get(&path, who).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let r = t.get("/api/1/discussions/", who).await;
        assert_eq!(r.body["total"], 0, "{}", r.text);
    }
    for who in [&c.admin, &c.editor, &c.partial, &c.sysadmin] {
        let r = t.get(&path, Some(who)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = t.get("/api/1/discussions/", Some(who)).await;
        assert_eq!(r.body["total"], 1, "{}", r.text);
    }
    // A deleted dataset takes its discussions away: 410 for its members, 404 for others.
    let r = t
        .delete(&format!("/api/1/datasets/{pid}/"), Some(&c.admin))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = t.get(&path, Some(&c.admin)).await;
    assert_eq!(r.status, StatusCode::GONE);
    let r = t.get(&path, Some(&c.other)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.get("/api/1/discussions/", Some(&c.admin)).await;
    assert_eq!(r.body["total"], 0, "{}", r.text);
}

#[tokio::test]
async fn comments_are_edited_by_their_author_and_discussions_deleted_by_sysadmins() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t.dataset(&c.owner, json!({})).await;
    let id = d["id"].as_str().unwrap();
    let disc = open(&t, &c.other, id, "Typo").await;
    let path = format!("/api/1/discussions/{}/", disc["id"].as_str().unwrap());
    t.post(&path, Some(&c.owner), &json!({"comment": "Which one?"}))
        .await;
    let first = format!("{path}comments/0/");
    let second = format!("{path}comments/1/");
    let r = t
        .put(&first, Some(&c.owner), &json!({"comment": "hijack"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.put(&first, Some(&c.other), &json!({"comment": ""})).await;
    assert_eq!(error_fields(&r), ["comment"]);
    let r = t
        .put(
            &first,
            Some(&c.other),
            &json!({"comment": "The title has a typo."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["discussion"][0]["content"], "The title has a typo.");
    assert!(r.body["discussion"][0]["last_modified_at"].is_string());
    let r = t
        .put(
            &format!("{path}comments/9/"),
            Some(&c.other),
            &json!({"comment": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.delete(&first, Some(&c.other)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = t.delete(&second, Some(&c.other)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.delete(&second, Some(&c.owner)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(
        t.get(&path, None).await.body["discussion"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    for who in [&c.owner, &c.other, &c.admin] {
        let r = t.delete(&path, Some(who)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }
    let r = t.delete(&path, Some(&c.sysadmin)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(t.get(&path, None).await.status, StatusCode::NOT_FOUND);
    let m = metrics(&t, id, None).await;
    assert_eq!(
        (m["discussions"].as_i64(), m["discussions_open"].as_i64()),
        (Some(0), Some(0))
    );
}

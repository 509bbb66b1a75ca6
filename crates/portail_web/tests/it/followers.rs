//! `/api/1/datasets/{dataset}/followers/`: follow, unfollow, list, counter (mirrors
//! `src/api/followers.rs`).

use reqwest::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn users_follow_and_unfollow_and_the_counter_follows() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t.dataset(&c.owner, json!({})).await;
    let id = d["id"].as_str().unwrap();
    let path = format!("/api/1/datasets/{id}/followers/");
    let r = t.post(&path, None, &json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t.post(&path, Some(&c.other), &json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body, json!({"followers": 1}));
    // Following twice counts once.
    let r = t.post(&path, Some(&c.other), &json!({})).await;
    assert_eq!(r.body, json!({"followers": 1}));
    let r = t.post(&path, Some(&c.admin), &json!({})).await;
    assert_eq!(r.body, json!({"followers": 2}));
    let ds = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(ds.body["metrics"]["followers"], 2);
    let r = t.get(&path, None).await;
    assert_eq!(r.body["total"], 2, "{}", r.text);
    assert_eq!(r.body["data"][0]["follower"]["id"], c.other.id.as_str());
    assert!(r.body["data"][0]["since"].is_string());
    let r = t.delete(&path, Some(&c.other)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, json!({"followers": 1}));
    let r = t.delete(&path, Some(&c.other)).await;
    assert_eq!(r.body, json!({"followers": 1}));
    let r = t.get("/api/1/site/", None).await;
    assert_eq!(r.body["metrics"]["followers"], 1, "{}", r.text);
    let r = t.get("/api/1/datasets/nope/followers/", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_private_dataset_is_followed_only_by_those_who_see_it() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t
        .dataset(&c.editor, json!({"organization": c.org, "private": true}))
        .await;
    let path = format!("/api/1/datasets/{}/followers/", d["id"].as_str().unwrap());
    let r = t.post(&path, Some(&c.other), &json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.get(&path, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    for who in [&c.partial, &c.admin, &c.sysadmin] {
        let r = t.post(&path, Some(who), &json!({})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = t.get(&path, Some(&c.editor)).await;
    assert_eq!(r.body["total"], 3);
    let r = t
        .delete(
            &format!("/api/1/datasets/{}/", d["id"].as_str().unwrap()),
            Some(&c.admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = t.post(&path, Some(&c.admin), &json!({})).await;
    assert_eq!(r.status, StatusCode::GONE);
}

//! `/api/1/activity/`: the log of a dataset, written with each change, readable by those
//! who can see the dataset (mirrors `src/api/activity.rs`).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;

fn keys(r: &Value) -> Vec<String> {
    r["data"]
        .as_array()
        .unwrap_or_else(|| panic!("a page: {r}"))
        .iter()
        .filter_map(|a| a["key"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn every_change_of_a_dataset_is_logged_with_its_author() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t.dataset(&c.editor, json!({"organization": c.org})).await;
    let id = d["id"].as_str().unwrap();
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&c.admin),
            &json!({"title": "Air", "tags": ["air"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let res = t.remote_resource(&c.editor, id, json!({})).await;
    let rid = res["id"].as_str().unwrap();
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/resources/{rid}/"),
            Some(&c.editor),
            &json!({"url": "https://example.org/v2.csv"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .delete(
            &format!("/api/1/datasets/{id}/resources/{rid}/"),
            Some(&c.editor),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = t
        .delete(&format!("/api/1/datasets/{id}/"), Some(&c.admin))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    // Deleted: only insiders read the log (410 on the dataset itself means gone for them).
    let r = t
        .get(&format!("/api/1/activity/?related_to={id}"), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&c.admin),
            &json!({"deleted": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let r = t
        .get(&format!("/api/1/activity/?related_to={id}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        keys(&r.body),
        [
            "dataset:restored",
            "dataset:deleted",
            "dataset:resource:deleted",
            "dataset:resource:updated",
            "dataset:resource:added",
            "dataset:updated",
            "dataset:created",
        ]
    );
    let data = r.body["data"].as_array().unwrap();
    let updated = &data[5];
    assert_eq!(updated["actor"]["id"], c.admin.id.as_str());
    assert_eq!(updated["changes"], json!(["title", "tags"]));
    assert_eq!(data[3]["changes"], json!(["url"]));
    assert_eq!(data[4]["extras"]["resource_id"], rid);
    assert_eq!(data[6]["actor"]["id"], c.editor.id.as_str());
    assert_eq!(data[6]["related_to_id"], id);
    let r = t
        .get(
            &format!("/api/1/activity/?related_to={id}&page_size=2&page=2"),
            None,
        )
        .await;
    assert_eq!(
        keys(&r.body),
        ["dataset:resource:deleted", "dataset:resource:updated"]
    );
    assert_eq!(r.body["total"], 7);
}

#[tokio::test]
async fn the_log_of_a_private_dataset_is_for_its_members() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t
        .dataset(&c.editor, json!({"organization": c.org, "private": true}))
        .await;
    let id = d["id"].as_str().unwrap();
    for who in [None, Some(&c.other), Some(&c.owner)] {
        let r = t
            .get(&format!("/api/1/activity/?related_to={id}"), who)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = t.get("/api/1/activity/", who).await;
        assert_eq!(r.body["total"], 0, "{}", r.text);
    }
    for who in [&c.partial, &c.editor, &c.admin, &c.sysadmin] {
        let r = t
            .get(&format!("/api/1/activity/?related_to={id}"), Some(who))
            .await;
        assert_eq!(keys(&r.body), ["dataset:created"]);
        assert_eq!(t.get("/api/1/activity/", Some(who)).await.body["total"], 1);
    }
    let r = t.get("/api/1/activity/?page=0", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

//! The publishing flow end to end, as a client of data.gouv.fr's API would do it.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn publish_describe_and_read_a_dataset() {
    let t = TestApp::new().await;
    assert_eq!(t.get("/healthz", None).await.status, StatusCode::OK);
    let alice = t.user("Alice").await;
    let created = t
        .dataset(
            &alice,
            json!({"tags": ["Air", "pollution"], "frequency": "daily", "license": "lov2"}),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert_eq!(created["slug"], "qualite-de-l-air-a-valbourg");
    assert_eq!(created["tags"], json!(["air", "pollution"]));
    assert_eq!(created["owner"]["id"], alice.id.as_str());
    let r = t
        .post(
            &format!("/api/1/datasets/{id}/resources/"),
            Some(&alice),
            &json!({"title": "Mesures 2024", "url": "https://example.org/mesures-2024.csv", "format": "CSV", "filetype": "remote"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["format"], "csv");
    let read = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert_eq!(read.body["resources"][0]["title"], "Mesures 2024");
    let list = t.get("/api/1/datasets/?tag=air", None).await;
    assert_eq!(list.body["total"], 1, "{}", list.text);
    let no_slash = t.get(&format!("/api/1/datasets/{id}"), None).await;
    assert_eq!(no_slash.status, StatusCode::OK);
}

//! `/api/1/transfer/`: request, list, read, accept, refuse (mirrors `src/api/transfers.rs`).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, TestUser, error_fields};

fn body(dataset: &str, class: &str, recipient: &str) -> Value {
    json!({
        "subject": {"class": "Dataset", "id": dataset},
        "recipient": {"class": class, "id": recipient},
        "comment": "Please take it over",
    })
}

async fn request(t: &TestApp, user: &TestUser, b: &Value) -> Value {
    let r = t.post("/api/1/transfer/", Some(user), b).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

#[tokio::test]
async fn an_org_dataset_moves_to_a_user_once_accepted_and_history_stays() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t.dataset(&c.admin, json!({"organization": c.org})).await;
    let id = d["id"].as_str().unwrap();
    let tr = request(&t, &c.admin, &body(id, "User", &c.other.id)).await;
    assert_eq!(tr["status"], "pending");
    assert_eq!(tr["owner"]["class"], "Organization");
    assert_eq!(tr["owner"]["id"], c.org.as_str());
    assert_eq!(tr["recipient"]["class"], "User");
    assert_eq!(tr["subject"]["id"], id);
    assert_eq!(tr["comment"], "Please take it over");
    assert!(tr["reponse_comment"].is_null());
    let tid = tr["id"].as_str().unwrap();
    let path = format!("/api/1/transfer/{tid}/");

    // Only the recipient answers: not the requester, not an editor, not anonymous.
    for who in [&c.admin, &c.editor, &c.owner] {
        let r = t
            .post(&path, Some(who), &json!({"response": "accept"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }
    let r = t.post(&path, None, &json!({"response": "accept"})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t
        .post(&path, Some(&c.other), &json!({"response": "maybe"}))
        .await;
    assert_eq!(error_fields(&r), ["response"]);

    let r = t
        .post(
            &path,
            Some(&c.other),
            &json!({"response": "accept", "comment": "Thanks"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "accepted");
    assert_eq!(r.body["reponse_comment"], "Thanks");
    assert_eq!(r.body["response_comment"], "Thanks");
    assert!(r.body["responded"].is_string());

    let ds = t
        .get(&format!("/api/1/datasets/{id}/"), Some(&c.other))
        .await;
    assert_eq!(ds.body["owner"]["id"], c.other.id.as_str(), "{}", ds.text);
    assert!(ds.body["organization"].is_null());
    // The new owner edits; the old organization no longer does.
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&c.other),
            &json!({"title": "Mine now"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&c.editor),
            &json!({"title": "Ours"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

    // Answered once only; the row stays, visible to both sides.
    let r = t
        .post(&path, Some(&c.other), &json!({"response": "refuse"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = t.get(&path, Some(&c.admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "accepted");
    let r = t
        .get(&format!("/api/1/transfer/?subject={id}"), Some(&c.other))
        .await;
    assert_eq!(r.body.as_array().map(Vec::len), Some(1), "{}", r.text);

    // The search index follows the outbox.
    let r = t.get("/api/2/datasets/search/?q=Mine", None).await;
    assert_eq!(r.body["total"], 1, "{}", r.text);
    assert_eq!(
        r.body["data"][0]["owner"]["id"],
        c.other.id.as_str(),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn who_may_request_and_what_is_refused() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let owned = t.dataset(&c.owner, json!({})).await;
    let owned_id = owned["id"].as_str().unwrap();
    let org_ds = t.dataset(&c.editor, json!({"organization": c.org})).await;
    let org_id = org_ds["id"].as_str().unwrap();

    // An editor or partial editor of the organization is not enough: admins only.
    for who in [&c.editor, &c.partial, &c.other] {
        let r = t
            .post(
                "/api/1/transfer/",
                Some(who),
                &body(org_id, "User", &c.other.id),
            )
            .await;
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{:?} {}",
            r.status,
            r.text
        );
    }
    let r = t
        .post("/api/1/transfer/", None, &body(org_id, "User", &c.other.id))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The recipient must differ from the current owner.
    let r = t
        .post(
            "/api/1/transfer/",
            Some(&c.owner),
            &body(owned_id, "User", &c.owner.id),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("different")
    );
    // Bad bodies.
    let r = t.post("/api/1/transfer/", Some(&c.owner), &json!({})).await;
    assert_eq!(error_fields(&r), ["recipient", "subject"]);
    let r = t
        .post(
            "/api/1/transfer/",
            Some(&c.owner),
            &body(owned_id, "Planet", "x"),
        )
        .await;
    assert_eq!(error_fields(&r), ["recipient"]);
    let r = t
        .post(
            "/api/1/transfer/",
            Some(&c.owner),
            &body(owned_id, "Organization", "nope"),
        )
        .await;
    assert_eq!(error_fields(&r), ["recipient"]);
    let r = t
        .post(
            "/api/1/transfer/",
            Some(&c.owner),
            &body("nope", "User", &c.other.id),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The owner and a sysadmin may.
    request(&t, &c.owner, &body(owned_id, "Organization", &c.org)).await;
    request(&t, &c.sysadmin, &body(org_id, "User", &c.owner.id)).await;
    request(&t, &c.admin, &body(org_id, "User", &c.other.id)).await;
}

#[tokio::test]
async fn a_user_dataset_goes_to_an_organization_whose_admin_accepts_or_refuses() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t.dataset(&c.owner, json!({})).await;
    let id = d["id"].as_str().unwrap();
    let refused = request(&t, &c.owner, &body(id, "Organization", &c.org)).await;
    let path = format!("/api/1/transfer/{}/", refused["id"].as_str().unwrap());
    // An editor of the recipient organization cannot answer for it.
    let r = t
        .post(&path, Some(&c.editor), &json!({"response": "accept"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post(
            &path,
            Some(&c.admin),
            &json!({"response": "refuse", "comment": "Not ours"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "refused");
    let ds = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(ds.body["owner"]["id"], c.owner.id.as_str());

    let again = request(&t, &c.owner, &body(id, "Organization", &c.org)).await;
    let path = format!("/api/1/transfer/{}/", again["id"].as_str().unwrap());
    let r = t
        .post(&path, Some(&c.admin), &json!({"response": "accept"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let ds = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(ds.body["organization"]["id"], c.org.as_str(), "{}", ds.text);
    // The organization's editors now edit it, the former owner does not.
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&c.editor),
            &json!({"title": "Régie"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&c.owner),
            &json!({"title": "Back"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Lists are filtered by who takes part: both transfers for the admin and the owner,
    // none for a stranger; filters apply.
    for who in [&c.admin, &c.owner, &c.sysadmin] {
        let r = t.get("/api/1/transfer/", Some(who)).await;
        assert_eq!(r.body.as_array().map(Vec::len), Some(2), "{}", r.text);
    }
    let r = t.get("/api/1/transfer/", Some(&c.other)).await;
    assert_eq!(r.body.as_array().map(Vec::len), Some(0), "{}", r.text);
    let r = t
        .get("/api/1/transfer/?status=refused", Some(&c.owner))
        .await;
    assert_eq!(r.body.as_array().map(Vec::len), Some(1), "{}", r.text);
    let r = t
        .get(
            &format!("/api/1/transfer/?recipient={}", c.org),
            Some(&c.admin),
        )
        .await;
    assert_eq!(r.body.as_array().map(Vec::len), Some(2));
    let r = t.get("/api/1/transfer/?status=lost", Some(&c.owner)).await;
    assert_eq!(error_fields(&r), ["status"]);
    let r = t.get(&path, Some(&c.other)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.get("/api/1/transfer/nope/", Some(&c.owner)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.get("/api/1/transfer/", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The activity log tells the story.
    let r = t
        .get(&format!("/api/1/activity/?related_to={id}"), None)
        .await;
    let keys: Vec<&str> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["key"].as_str())
        .collect();
    assert!(keys.contains(&"dataset:transferred"), "{keys:?}");
    assert!(keys.contains(&"dataset:transfer:refused"), "{keys:?}");
}

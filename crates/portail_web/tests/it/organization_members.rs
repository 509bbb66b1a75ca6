//! `/api/1/organizations/{org}/member/{user}/`: adding members, changing their role, removing
//! them, and the rule that an organization keeps an admin (mirrors the member handlers of
//! `src/api/organizations.rs`).

use portail_core::model::OrgRole;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::organizations::{member_path, member_roles};
use crate::support::TestApp;

#[tokio::test]
async fn members_are_added_with_roles() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let carol = t.user("Carol").await;
    let dave = t.user("Dave").await;
    let id = t.org("Ville de Valbourg", &alice, &[]).await;

    // No body at all: editor, as udata.
    let r = t
        .request(Method::POST, &member_path(&id, &bob), Some(&alice), None)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["role"], "editor");
    assert_eq!(r.body["user"]["id"], bob.id.as_str());
    assert!(r.body["since"].is_string(), "{}", r.text);

    let r = t
        .post(
            &member_path(&id, &carol),
            Some(&alice),
            &json!({"role": "partial_editor"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["role"], "partial_editor");

    // A user can be named by slug too.
    let r = t
        .post(
            &format!("/api/1/organizations/{id}/member/{}/", dave.slug),
            Some(&alice),
            &json!({"role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["role"], "admin");

    let org = t.get(&format!("/api/1/organizations/{id}/"), None).await;
    let mut roles = member_roles(&org.body);
    roles.sort();
    let mut expected = vec![
        (alice.id.clone(), "admin".to_owned()),
        (bob.id.clone(), "editor".to_owned()),
        (carol.id.clone(), "partial_editor".to_owned()),
        (dave.id.clone(), "admin".to_owned()),
    ];
    expected.sort();
    assert_eq!(roles, expected);
    assert_eq!(org.body["metrics"]["members"], 4);
    assert_eq!(org.body["members"][0]["role"], "admin", "admins first");

    let bob_me = t.get("/api/1/me/", Some(&bob)).await;
    assert_eq!(bob_me.body["organizations"][0]["id"], id.as_str());

    let erin = t.user("Erin").await;
    let r = t
        .post(
            &member_path(&id, &erin),
            Some(&alice),
            &json!({"role": "owner"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["role"].is_array(), "{}", r.text);
    let r = t
        .post(&member_path(&id, &erin), Some(&alice), &json!({"role": 3}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["role"].is_array(), "{}", r.text);

    let r = t
        .post(
            &format!("/api/1/organizations/{id}/member/000000000000000000000000/"),
            Some(&alice),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);
    let r = t
        .post(
            &format!("/api/1/organizations/nowhere/member/{}/", erin.id),
            Some(&alice),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    let r = t
        .post(
            &member_path(&id, &bob),
            Some(&alice),
            &json!({"role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);

    for (who, status) in [
        (Some(&bob), StatusCode::FORBIDDEN),
        (Some(&carol), StatusCode::FORBIDDEN),
        (Some(&erin), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let r = t.post(&member_path(&id, &erin), who, &json!({})).await;
        assert_eq!(r.status, status, "{}", r.text);
    }
    let org = t.get(&format!("/api/1/organizations/{id}/"), None).await;
    assert_eq!(org.body["metrics"]["members"], 4, "nobody was added");
}

#[tokio::test]
async fn member_roles_change_and_members_leave() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let carol = t.user("Carol").await;
    let id = t
        .org("Ville de Valbourg", &alice, &[(&bob, OrgRole::Editor)])
        .await;

    let r = t
        .put(
            &member_path(&id, &bob),
            Some(&alice),
            &json!({"role": "partial_editor"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["role"], "partial_editor");
    let r = t
        .put(
            &member_path(&id, &bob),
            Some(&alice),
            &json!({"role": "boss"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["role"].is_array(), "{}", r.text);
    let r = t
        .put(
            &member_path(&id, &carol),
            Some(&alice),
            &json!({"role": "editor"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not a member: {}", r.text);
    let r = t
        .put(
            &member_path(&id, &bob),
            Some(&bob),
            &json!({"role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

    // The only admin can neither leave nor step down.
    let r = t.delete(&member_path(&id, &alice), Some(&alice)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);
    let r = t
        .put(
            &member_path(&id, &alice),
            Some(&alice),
            &json!({"role": "editor"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let org = t.get(&format!("/api/1/organizations/{id}/"), None).await;
    assert_eq!(org.body["members"][0]["user"]["id"], alice.id.as_str());
    assert_eq!(org.body["members"][0]["role"], "admin");

    // With a second admin, she can.
    let r = t
        .put(
            &member_path(&id, &bob),
            Some(&alice),
            &json!({"role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .put(
            &member_path(&id, &alice),
            Some(&alice),
            &json!({"role": "editor"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["role"], "editor");
    let r = t.delete(&member_path(&id, &bob), Some(&alice)).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "editors manage no members: {}",
        r.text
    );

    let r = t.delete(&member_path(&id, &alice), Some(&bob)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = t.delete(&member_path(&id, &alice), Some(&bob)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = t.delete(&member_path(&id, &bob), Some(&bob)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "last admin: {}", r.text);
    let r = t.delete(&member_path(&id, &bob), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);

    let org = t.get(&format!("/api/1/organizations/{id}/"), None).await;
    assert_eq!(
        member_roles(&org.body),
        [(bob.id.clone(), "admin".to_owned())]
    );
    let alice_me = t.get("/api/1/me/", Some(&alice)).await;
    assert_eq!(alice_me.body["organizations"], json!([]));

    // A former admin has no rights left.
    let r = t
        .put(
            &format!("/api/1/organizations/{id}/"),
            Some(&alice),
            &json!({"description": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
}

//! `/api/1/me/`, `/api/1/users/`, API tokens and authentication errors (mirrors
//! `src/api/users.rs` and `src/extract.rs`).

use portail_core::model::OrgRole;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Resp, TestApp, TestUser};

const TOKENS: &str = "/api/1/me/api_tokens/";

fn titles(r: &Resp) -> Vec<String> {
    let mut v: Vec<String> = r
        .body
        .as_array()
        .unwrap_or_else(|| panic!("a list: {}", r.text))
        .iter()
        .map(|d| d["title"].as_str().unwrap_or_default().to_owned())
        .collect();
    v.sort();
    v
}

fn assert_unauthorized(r: &Resp, message: &str) {
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert_eq!(r.body, json!({"message": message}), "{}", r.text);
    assert_eq!(
        r.headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer realm=\"uData\""),
    );
}

/// Creates a token through the API; returns its JSON (with the secret).
async fn create_token(t: &TestApp, user: &TestUser, body: Value) -> Value {
    let r = t.post(TOKENS, Some(user), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

#[tokio::test]
async fn me_needs_a_key_and_shows_the_email() {
    let t = TestApp::new().await;
    let r = t.get("/api/1/me/", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);
    assert_eq!(
        r.headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer realm=\"uData\""),
    );
    let r = t
        .put("/api/1/me/", None, &json!({"first_name": "Mallory"}))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);

    let alice = t.user("Alice").await;
    let me = t.get("/api/1/me/", Some(&alice)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["id"], alice.id.as_str());
    assert_eq!(me.body["slug"], alice.slug.as_str());
    assert_eq!(me.body["slug"], "alice-test");
    assert_eq!(me.body["email"], alice.email.as_str());
    assert_eq!(me.body["first_name"], "Alice");
    assert_eq!(me.body["last_name"], "Test");
    assert_eq!(me.body["roles"], json!([]));
    assert_eq!(me.body["active"], true);
    assert_eq!(me.body["organizations"], json!([]));
    assert_eq!(
        me.body["uri"].as_str(),
        Some(format!("{}/api/1/users/{}/", t.base, alice.id).as_str())
    );

    let root = t.sysadmin("Root").await;
    let me = t.get("/api/1/me", Some(&root)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["roles"], json!(["admin"]));
}

#[tokio::test]
async fn me_edits_the_profile() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;

    let r = t
        .put("/api/1/me/", Some(&alice), &json!({"website": "not a url"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["website"].is_array(), "{}", r.text);
    let r = t
        .put(
            "/api/1/me/",
            Some(&alice),
            &json!({"first_name": "x".repeat(256), "about": 3}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["first_name"].is_array(), "{}", r.text);
    assert!(r.body["errors"]["about"].is_array(), "{}", r.text);
    let r = t.put("/api/1/me/", Some(&alice), &json!("Alicia")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let unchanged = t.get("/api/1/me/", Some(&alice)).await;
    assert_eq!(unchanged.body["first_name"], "Alice");

    let r = t
        .put(
            "/api/1/me/",
            Some(&alice),
            &json!({
                "first_name": "Alicia",
                "website": "https://alicia.example.org",
                "about": "Data scientist à Valbourg.",
                // Read-only fields echoed back are ignored.
                "email": "mallory@example.org",
                "roles": ["admin"],
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["first_name"], "Alicia");
    assert_eq!(r.body["last_name"], "Test", "absent keys are kept");
    assert_eq!(r.body["website"], "https://alicia.example.org");
    assert_eq!(r.body["email"], alice.email.as_str());
    assert_eq!(r.body["roles"], json!([]));

    let me = t.get("/api/1/me/", Some(&alice)).await;
    assert_eq!(me.body["first_name"], "Alicia");
    assert_eq!(me.body["about"], "Data scientist à Valbourg.");
    let public = t.get(&format!("/api/1/users/{}/", alice.id), None).await;
    assert_eq!(public.body["first_name"], "Alicia");

    let r = t
        .put("/api/1/me/", Some(&alice), &json!({"website": null}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["website"], Value::Null, "null clears");
    assert_eq!(r.body["about"], "Data scientist à Valbourg.");
}

#[tokio::test]
async fn my_datasets_and_my_organizations_datasets() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let org = t
        .org("Ville de Valbourg", &bob, &[(&alice, OrgRole::Editor)])
        .await;
    let other_org = t.org("Agence de l'eau", &bob, &[]).await;
    t.dataset(&alice, json!({"title": "Mes relevés"})).await;
    t.dataset(&alice, json!({"title": "Mon brouillon", "private": true}))
        .await;
    t.dataset(&bob, json!({"title": "Relevés de Bob"})).await;
    t.dataset(&bob, json!({"title": "Budget", "organization": org}))
        .await;
    t.dataset(
        &bob,
        json!({"title": "Budget provisoire", "organization": org, "private": true}),
    )
    .await;
    t.dataset(
        &bob,
        json!({"title": "Secret de l'agence", "organization": other_org, "private": true}),
    )
    .await;

    let r = t.get("/api/1/me/datasets/", Some(&alice)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(titles(&r), ["Mes relevés", "Mon brouillon"]);
    let r = t.get("/api/1/me/org_datasets/", Some(&alice)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(titles(&r), ["Budget", "Budget provisoire"]);
    let r = t.get("/api/1/me/org_datasets", Some(&bob)).await;
    assert_eq!(
        titles(&r),
        ["Budget", "Budget provisoire", "Secret de l'agence"]
    );
    let r = t.get("/api/1/me/datasets", Some(&bob)).await;
    assert_eq!(titles(&r), ["Relevés de Bob"]);

    for path in ["/api/1/me/datasets/", "/api/1/me/org_datasets/"] {
        let r = t.get(path, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.text);
    }
}

#[tokio::test]
async fn users_are_public_but_their_email_is_not() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let root = t.sysadmin("Root").await;
    let org = t.org("Ville de Valbourg", &alice, &[]).await;

    for path in [
        format!("/api/1/users/{}/", alice.id),
        format!("/api/1/users/{}/", alice.slug),
        format!("/api/1/users/{}", alice.id),
    ] {
        let r = t.get(&path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert_eq!(r.body["id"], alice.id.as_str());
        assert_eq!(r.body["first_name"], "Alice");
        assert!(r.body.get("email").is_none(), "{path}: {}", r.text);
        assert_eq!(r.body["organizations"][0]["id"], org.as_str());
    }
    let path = format!("/api/1/users/{}/", alice.id);
    let r = t.get(&path, Some(&bob)).await;
    assert!(r.body.get("email").is_none(), "{}", r.text);
    let r = t.get(&path, Some(&alice)).await;
    assert_eq!(r.body["email"], alice.email.as_str());
    let r = t.get(&path, Some(&root)).await;
    assert_eq!(r.body["email"], alice.email.as_str());
    let r = t.get(&format!("/api/1/users/{}/", root.slug), None).await;
    assert_eq!(r.body["roles"], json!(["admin"]));

    for unknown in ["nobody", "000000000000000000000000"] {
        let r = t.get(&format!("/api/1/users/{unknown}/"), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert!(r.body["message"].is_string(), "{}", r.text);
    }
}

#[tokio::test]
async fn api_tokens_are_shown_once_and_work_as_both_headers() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;

    let created = create_token(&t, &alice, json!({"name": "CI pipeline"})).await;
    let secret = created["token"].as_str().expect("the secret").to_owned();
    assert!(secret.starts_with("udata_"), "{secret}");
    assert!(secret.len() > 40, "{secret}");
    assert_eq!(created["name"], "CI pipeline");
    assert_eq!(created["kind"], "api_key");
    assert_eq!(created["scopes"], json!(["admin"]));
    assert_eq!(created["token_prefix"].as_str(), secret.get(..14));
    assert_eq!(created["revoked_at"], Value::Null);
    assert_eq!(created["expires_at"], Value::Null);
    let id = created["id"].as_str().expect("id").to_owned();

    // No body at all: an unnamed token.
    let r = t.request(Method::POST, TOKENS, Some(&alice), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["name"], Value::Null);
    assert_ne!(r.body["token"], created["token"]);

    let list = t.get(TOKENS, Some(&alice)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let entries = list.body.as_array().expect("a list");
    assert_eq!(
        entries.len(),
        3,
        "the harness's key and two new: {}",
        list.text
    );
    for entry in entries {
        assert!(entry.get("token").is_none(), "secret leaked: {}", list.text);
        assert!(entry["token_prefix"].is_string(), "{}", list.text);
    }
    assert!(!list.text.contains(&secret), "secret leaked: {}", list.text);
    let listed = entries
        .iter()
        .find(|e| e["id"] == id.as_str())
        .expect("the new token is listed");
    assert_eq!(listed["token_prefix"], created["token_prefix"]);
    assert_eq!(listed["name"], "CI pipeline");
    assert_eq!(listed["last_used_at"], Value::Null);

    let me = t
        .request_with_headers(Method::GET, "/api/1/me/", &[("X-API-KEY", &secret)], None)
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["id"], alice.id.as_str());
    for scheme in ["Bearer", "bearer"] {
        let me = t
            .request_with_headers(
                Method::GET,
                "/api/1/me/",
                &[("Authorization", &format!("{scheme} {secret}"))],
                None,
            )
            .await;
        assert_eq!(me.status, StatusCode::OK, "{scheme}: {}", me.text);
        assert_eq!(me.body["id"], alice.id.as_str());
    }
    // The new key writes too.
    let as_token = alice.with_token(&secret);
    let r = t
        .put(
            "/api/1/me/",
            Some(&as_token),
            &json!({"about": "via token"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let list = t.get(TOKENS, Some(&alice)).await;
    let listed = list
        .body
        .as_array()
        .and_then(|l| l.iter().find(|e| e["id"] == id.as_str()))
        .expect("listed");
    assert!(
        listed["last_used_at"].is_string(),
        "use is recorded: {}",
        list.text
    );

    let r = t.get(TOKENS, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    let r = t.post(TOKENS, None, &json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
}

#[tokio::test]
async fn api_token_fields_are_validated() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;

    let r = t
        .post(TOKENS, Some(&alice), &json!({"name": "n".repeat(256)}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["name"].is_array(), "{}", r.text);
    let r = t.post(TOKENS, Some(&alice), &json!({"name": 12})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["name"].is_array(), "{}", r.text);
    create_token(&t, &alice, json!({"name": "é".repeat(255)})).await;

    let past = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    for bad in [json!(past), json!("tomorrow"), json!(42)] {
        let r = t
            .post(TOKENS, Some(&alice), &json!({"expires_at": bad}))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text);
        assert!(r.body["errors"]["expires_at"].is_array(), "{}", r.text);
    }

    let future = chrono::Utc::now() + chrono::Duration::days(30);
    let created = create_token(
        &t,
        &alice,
        json!({"name": "monthly", "expires_at": future.to_rfc3339()}),
    )
    .await;
    let expires: chrono::DateTime<chrono::Utc> = created["expires_at"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("expires_at echoed");
    assert!((expires - future).num_seconds().abs() <= 1, "{}", created);
    let secret = created["token"].as_str().expect("secret");
    let me = t.get("/api/1/me/", Some(&alice.with_token(secret))).await;
    assert_eq!(me.status, StatusCode::OK, "a token not yet expired works");
}

#[tokio::test]
async fn revoked_tokens_are_refused() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let created = create_token(&t, &alice, json!({"name": "laptop"})).await;
    let id = created["id"].as_str().expect("id");
    let as_token = alice.with_token(created["token"].as_str().expect("secret"));
    let path = format!("{TOKENS}{id}/");

    // Another user cannot see, let alone revoke, Alice's token.
    let r = t.delete(&path, Some(&bob)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(
        !t.get(TOKENS, Some(&bob)).await.text.contains(id),
        "Bob lists only his tokens"
    );
    assert_eq!(
        t.get("/api/1/me/", Some(&as_token)).await.status,
        StatusCode::OK
    );

    let r = t.delete(&path, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    let r = t
        .delete(&format!("{TOKENS}000000000000000000000000/"), Some(&alice))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);

    // A token may revoke itself.
    let r = t.delete(&path, Some(&as_token)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = t.get("/api/1/me/", Some(&as_token)).await;
    assert_unauthorized(&r, "Revoked API token");
    let r = t.get("/api/1/datasets/", Some(&as_token)).await;
    assert_unauthorized(&r, "Revoked API token");

    let list = t.get(TOKENS, Some(&alice)).await;
    assert!(
        !list.text.contains(id),
        "revoked tokens are not listed: {}",
        list.text
    );
    let r = t.delete(&path, Some(&alice)).await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
    let r = t.delete(&format!("{TOKENS}{id}"), Some(&alice)).await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
    // Alice's other key still works.
    assert_eq!(
        t.get("/api/1/me/", Some(&alice)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn unknown_and_expired_keys_are_refused() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;

    let stranger = alice.with_token("udata_not-a-real-token");
    // A bad key is refused even where no key is needed, so that clients notice.
    for path in ["/api/1/me/", "/api/1/datasets/", "/api/1/organizations/"] {
        let r = t.get(path, Some(&stranger)).await;
        assert_unauthorized(&r, "Invalid API token");
    }
    let r = t
        .request_with_headers(
            Method::GET,
            "/api/1/me/",
            &[("Authorization", "Bearer nope")],
            None,
        )
        .await;
    assert_unauthorized(&r, "Invalid API token");
    // Another scheme is no API key at all.
    let r = t
        .request_with_headers(
            Method::GET,
            "/api/1/datasets/",
            &[("Authorization", "Basic YWxpY2U6cGFzcw==")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // An empty header is no key at all (udata ignores it too).
    let r = t
        .request_with_headers(Method::GET, "/api/1/datasets/", &[("X-API-KEY", "")], None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .request_with_headers(Method::GET, "/api/1/me/", &[("X-API-KEY", " ")], None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert_ne!(r.body["message"], "Invalid API token", "{}", r.text);
    // ... and the other header is still read.
    let r = t
        .request_with_headers(
            Method::GET,
            "/api/1/me/",
            &[
                ("X-API-KEY", ""),
                ("Authorization", &format!("Bearer {}", alice.token)),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // An expired token, written straight to the database: no waiting on the clock.
    let secret = portail_app::auth::generate_token();
    let now = chrono::Utc::now();
    let token = portail_core::model::ApiToken {
        id: portail_core::ids::new_object_id(),
        user_id: alice.id.clone(),
        name: Some("old".into()),
        token_prefix: secret.chars().take(14).collect(),
        scopes: vec!["admin".into()],
        created_at: now - chrono::Duration::days(2),
        last_used_at: None,
        expires_at: Some(now - chrono::Duration::days(1)),
        revoked_at: None,
    };
    let mut tx = t.app.db.begin().await.expect("begin");
    portail_db::tokens::insert(&mut tx, &token, &portail_app::auth::hash_token(&secret))
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    let r = t.get("/api/1/me/", Some(&alice.with_token(&secret))).await;
    assert_unauthorized(&r, "Expired API token");
}

#[tokio::test]
async fn a_token_expires_when_its_time_comes() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let expires_at = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    let created = portail_app::auth::create_token(
        &t.app,
        &alice.id,
        Some("short-lived".into()),
        Some(expires_at),
    )
    .await
    .expect("token");
    let as_token = alice.with_token(&created.secret);
    let r = t.get("/api/1/me/", Some(&as_token)).await;
    assert_eq!(r.status, StatusCode::OK, "not expired yet: {}", r.text);

    // Bounded polling: the token must be refused within a few seconds of its expiry.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let r = t.get("/api/1/me/", Some(&as_token)).await;
        if r.status == StatusCode::UNAUTHORIZED {
            assert_unauthorized(&r, "Expired API token");
            assert!(chrono::Utc::now() >= expires_at, "refused too early");
            break;
        }
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(
            std::time::Instant::now() < deadline,
            "the token was still accepted 5 s later"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn inactive_and_deleted_users_are_refused() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    // No endpoint deactivates or deletes an account yet: write it as an admin command would.
    let deactivate = portail_db::with_db!(&t.app.db, |p| sqlx::query(
        "UPDATE users SET active = $1 WHERE id = $2"
    )
    .bind(false)
    .bind(&alice.id)
    .execute(p)
    .await
    .map(|_| ()));
    deactivate.expect("deactivate");
    let delete = portail_db::with_db!(&t.app.db, |p| sqlx::query(
        "UPDATE users SET deleted_at = $1 WHERE id = $2"
    )
    .bind(chrono::Utc::now())
    .bind(&bob.id)
    .execute(p)
    .await
    .map(|_| ()));
    delete.expect("delete");

    for user in [&alice, &bob] {
        let r = t.get("/api/1/me/", Some(user)).await;
        assert_unauthorized(&r, "Inactive user");
    }
    let r = t.get(&format!("/api/1/users/{}/", bob.id), None).await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);
}

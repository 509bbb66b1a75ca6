//! Accounts on the pages: register (errors keep what was typed), login, logout, sessions,
//! CSRF, the login rate limit, the profile and API keys.

use reqwest::StatusCode;

use crate::pages_browser::{Browser, signed_in};
use crate::support::TestApp;

#[tokio::test]
async fn register_errors_keep_the_typed_values_then_signing_up_opens_a_session() {
    let t = TestApp::new().await;
    let mut b = Browser::new(&t);
    let form = b.get("/register").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.html.contains("for=\"f-email\""));
    let page = b
        .post(
            "/register",
            &[
                ("first_name", "Camille"),
                ("last_name", "Durand"),
                ("email", "not-an-email"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("value=\"Camille\""));
    assert!(page.html.contains("value=\"Durand\""));
    assert!(page.html.contains("value=\"not-an-email\""));
    assert!(page.html.contains("Invalid e-mail address."));
    assert!(page.html.contains("at least 8 characters"));
    assert!(page.html.contains("aria-invalid=\"true\""));
    assert!(
        !page.html.contains("value=\"short\""),
        "the password is never echoed"
    );
    let page = b
        .post(
            "/register",
            &[
                ("first_name", "Camille"),
                ("last_name", "Durand"),
                ("email", "camille@example.org"),
                ("password", "a long password"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let cookie = page
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portail_session="))
        .expect("session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let me = b.get("/me/").await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.html.contains("camille@example.org"));
    // Only the SHA-256 of the token is stored.
    let token = b.cookies["portail_session"].clone();
    let stored = portail_db::sessions::find_live(
        &t.app.db,
        &portail_app::auth::hash_token(&token),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert!(stored.is_some());
    assert_eq!(
        portail_db::sessions::find_live(&t.app.db, &token, chrono::Utc::now())
            .await
            .unwrap()
            .map(|s| s.token_hash),
        None
    );
}

#[tokio::test]
async fn pages_needing_a_session_send_to_the_login_page() {
    let t = TestApp::new().await;
    let mut b = Browser::new(&t);
    for path in ["/me/", "/me/api-keys", "/publish", "/organizations/new"] {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(page.location().starts_with("/login?next="), "{path}");
    }
}

#[tokio::test]
async fn login_and_logout() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let mut b = Browser::new(&t);
    let bad = b.login(&alice.email, "wrong password").await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.html.contains("incorrect"));
    assert!(bad.html.contains(&format!("value=\"{}\"", alice.email)));
    b.get("/login?next=/me/api-keys").await;
    let ok = b
        .post(
            "/login",
            &[
                ("email", &alice.email),
                ("password", "long enough password"),
                ("next", "/me/api-keys"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), "/me/api-keys");
    let token = b.cookies["portail_session"].clone();
    assert_eq!(b.get("/me/").await.status, StatusCode::OK);
    let out = b.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(!b.cookies.contains_key("portail_session"));
    // The old cookie is dead on the server too.
    b.cookies.insert("portail_session".into(), token);
    assert_eq!(b.get("/me/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_post_needs_the_csrf_token() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let mut b = Browser::new(&t);
    b.get("/login").await;
    let page = b
        .post_raw(
            "/login",
            &[
                ("email", &alice.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = b
        .post_raw(
            "/login",
            &[
                ("csrf_token", "forged-forged-forged-forged-forged"),
                ("email", &alice.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let (_, mut signed) = signed_in(&t, "Bob").await;
    for path in [
        "/me/",
        "/me/api-keys",
        "/logout",
        "/publish",
        "/organizations/new",
    ] {
        let page = signed.post_raw(path, &[("name", "x")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    // The anonymous token is not the session's.
    let anonymous_token = b.csrf.clone();
    let page = signed
        .post_raw(
            "/me/api-keys",
            &[("csrf_token", &anonymous_token), ("name", "x")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(
        signed.get("/me/").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

#[tokio::test]
async fn logins_are_rate_limited_per_account_and_address() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let mut b = Browser::new(&t);
    for _ in 0..10 {
        assert_eq!(
            b.login(&alice.email, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let page = b.login(&alice.email, "long enough password").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.html.contains("15 minutes"));
    // Another account from the same address is not blocked.
    let bob = t.user("Bob").await;
    assert_eq!(
        b.login(&bob.email, "long enough password").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn profile_edit_saves_and_keeps_values_on_error() {
    let t = TestApp::new().await;
    let (alice, mut b) = signed_in(&t, "Alice").await;
    b.get("/me/").await;
    let page = b
        .post(
            "/me/",
            &[
                ("first_name", "Alicia"),
                ("last_name", "Test"),
                ("website", "not a url"),
                ("about", "Data **lover**"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("value=\"Alicia\""));
    assert!(page.html.contains("Data **lover**"));
    let page = b
        .post(
            "/me/",
            &[
                ("first_name", "Alicia"),
                ("last_name", "Test"),
                ("website", "https://alicia.example.org"),
                ("about", "Data **lover**"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let profile = b.get(&format!("/users/{}/", alice.slug)).await;
    assert!(profile.html.contains("<strong>lover</strong>"));
}

#[tokio::test]
async fn api_key_page_shows_the_key_once_and_it_works() {
    let t = TestApp::new().await;
    let (_, mut b) = signed_in(&t, "Alice").await;
    b.get("/me/api-keys").await;
    let page = b
        .post("/me/api-keys", &[("name", "script de mise à jour")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let at =
        page.html.find("id=\"new-api-key\">").expect("key shown") + "id=\"new-api-key\">".len();
    let key = page.html[at..at + page.html[at..].find('<').unwrap()].to_owned();
    assert!(key.starts_with("udata_"), "{key}");
    let me = t
        .client
        .get(format!("{}/api/1/me/", t.base))
        .header("x-api-key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let again = b.get("/me/api-keys").await;
    assert!(!again.html.contains(&key), "shown once");
    assert!(again.html.contains("script de mise à jour"));
    assert!(again.html.contains(&key[..14]), "prefix listed");
    let at = again.html.find("/revoke\"").unwrap();
    let start = again.html[..at].rfind("/me/api-keys/").unwrap();
    let action = format!("{}/revoke", &again.html[start..at]);
    let revoked = b.post(&action, &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let me = t
        .client
        .get(format!("{}/api/1/me/", t.base))
        .header("x-api-key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_sessions_end_and_are_purged() {
    let t = TestApp::new().await;
    let (_, mut b) = signed_in(&t, "Alice").await;
    assert_eq!(b.get("/me/").await.status, StatusCode::OK);
    let later = chrono::Utc::now()
        + chrono::Duration::days(portail_app::sessions::SESSION_DAYS)
        + chrono::Duration::hours(1);
    let purged = portail_db::sessions::purge_expired(&t.app.db, later)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(b.get("/me/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session_of_the_user_only() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let mut laptop = Browser::new(&t);
    let mut phone = Browser::new(&t);
    for b in [&mut laptop, &mut phone] {
        let page = b.login(&alice.email, "long enough password").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    }
    let (_, mut bob) = signed_in(&t, "Bob").await;
    let me = laptop.get("/me/").await;
    assert!(me.html.contains(": 2</p>"), "{}", me.html);
    // Without the CSRF token nothing happens.
    let page = laptop
        .post_raw("/me/sessions/logout-all", &[("csrf_token", "forged")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = laptop.post("/me/sessions/logout-all", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), "/login?everywhere=1");
    assert!(!laptop.cookies.contains_key("portail_session"));
    let login = laptop.get("/login?everywhere=1").await;
    assert!(login.html.contains("déconnecté de tous vos navigateurs"));
    // Both of Alice's browsers are logged out; Bob is not; Alice's API key still works.
    assert_eq!(phone.get("/me/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(bob.get("/me/").await.status, StatusCode::OK);
    let api = t.get("/api/1/me/", Some(&alice)).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text);
    // Anonymous: to the login page.
    let mut anonymous = Browser::new(&t);
    anonymous.get("/login").await;
    let page = anonymous.post("/me/sessions/logout-all", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login"));
}

/// A form shown again with its errors is the answer to a POST: its language switch and login
/// links lead back to the page the form was on (the POST address has no GET).
#[tokio::test]
async fn a_form_with_errors_switches_language_to_the_form_page() {
    let t = TestApp::new().await;
    let (_, mut b) = signed_in(&t, "Alice").await;
    b.get("/organizations/new").await;
    let page = b.post("/organizations/new", &[("name", "")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(
        page.html
            .contains("/lang/en?next=&#x2f;organizations&#x2f;new\""),
        "{}",
        page.html
    );
    // Without a referring page of this site: the home page.
    b.referer = None;
    let page = b.post("/organizations/new", &[("name", "")]).await;
    assert!(
        page.html.contains("/lang/en?next=&#x2f;\""),
        "{}",
        page.html
    );
    b.referer = Some("/organizations/new".into());
    let switched = b.get("/lang/en?next=%2Forganizations%2Fnew").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/organizations/new");
}

//! `/api/1/organizations/`: list, create, read, update, delete, members and datasets
//! (mirrors `src/api/organizations.rs`).

use portail_core::model::OrgRole;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Resp, TestApp, TestUser};

fn names(r: &Resp) -> Vec<String> {
    r.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("a page: {}", r.text))
        .iter()
        .map(|o| o["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

pub fn member_roles(org: &Value) -> Vec<(String, String)> {
    org["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["user"]["id"].as_str().unwrap_or_default().to_owned(),
                m["role"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn create(t: &TestApp, user: &TestUser, body: Value) -> Value {
    let r = t.post("/api/1/organizations/", Some(user), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

pub fn member_path(org: &str, user: &TestUser) -> String {
    format!("/api/1/organizations/{org}/member/{}/", user.id)
}

#[tokio::test]
async fn list_is_a_page_searchable_sortable_and_paged() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    for (name, acronym) in [
        ("Ville de Valbourg", None),
        ("Agence de l'eau Rhin", Some("AERM")),
        ("Observatoire du climat", None),
    ] {
        create(
            &t,
            &alice,
            json!({"name": name, "acronym": acronym, "description": "Publie des données."}),
        )
        .await;
    }

    let all = t.get("/api/1/organizations/", None).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    for key in [
        "data",
        "page",
        "page_size",
        "total",
        "next_page",
        "previous_page",
    ] {
        assert!(all.body.get(key).is_some(), "missing {key}: {}", all.text);
    }
    assert_eq!(all.body["page"], 1);
    assert_eq!(all.body["page_size"], 20);
    assert_eq!(all.body["total"], 3);
    assert_eq!(all.body["next_page"], Value::Null);
    assert_eq!(all.body["previous_page"], Value::Null);
    assert_eq!(
        names(&all),
        [
            "Agence de l'eau Rhin",
            "Observatoire du climat",
            "Ville de Valbourg"
        ]
    );
    assert_eq!(all.body["data"][0]["metrics"]["members"], 1);

    let q = t.get("/api/1/organizations/?q=valbourg", None).await;
    assert_eq!(names(&q), ["Ville de Valbourg"]);
    assert_eq!(q.body["total"], 1);
    let by_acronym = t.get("/api/1/organizations/?q=aerm", None).await;
    assert_eq!(names(&by_acronym), ["Agence de l'eau Rhin"]);
    let all_words = t.get("/api/1/organizations/?q=eau%20climat", None).await;
    assert_eq!(all_words.body["total"], 0, "words are AND-ed");
    let stop_words = t.get("/api/1/organizations/?q=de%20climat", None).await;
    assert_eq!(
        names(&stop_words),
        ["Observatoire du climat"],
        "stop words are ignored"
    );
    let none = t.get("/api/1/organizations/?q=nowhere", None).await;
    assert_eq!(none.body["total"], 0);
    assert_eq!(none.body["data"], json!([]));

    let desc = t.get("/api/1/organizations/?sort=-name", None).await;
    assert_eq!(
        names(&desc),
        [
            "Ville de Valbourg",
            "Observatoire du climat",
            "Agence de l'eau Rhin"
        ]
    );
    let created = t.get("/api/1/organizations/?sort=created", None).await;
    assert_eq!(names(&created)[0], "Ville de Valbourg");
    let newest = t.get("/api/1/organizations/?sort=-created", None).await;
    assert_eq!(names(&newest)[0], "Observatoire du climat");

    let first = t.get("/api/1/organizations/?page_size=2", None).await;
    assert_eq!(first.body["total"], 3);
    assert_eq!(names(&first).len(), 2);
    let next = first.body["next_page"].as_str().expect("a next page");
    assert!(next.starts_with(&t.base), "absolute link: {next}");
    assert!(
        next.contains("page=2") && next.contains("page_size=2"),
        "{next}"
    );
    let second = t.get(next, None).await;
    assert_eq!(names(&second), ["Ville de Valbourg"]);
    assert_eq!(second.body["page"], 2);
    assert_eq!(second.body["next_page"], Value::Null);
    assert!(
        second.body["previous_page"]
            .as_str()
            .is_some_and(|p| p.contains("page=1")),
        "{}",
        second.text
    );

    for bad in ["page=0", "page_size=-1", "page=abc"] {
        let r = t.get(&format!("/api/1/organizations/?{bad}"), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text);
        let field = bad.split('=').next().unwrap_or_default();
        assert!(r.body["errors"][field].is_array(), "{bad}: {}", r.text);
    }
    let r = t.get("/api/1/organizations/?sort=colour", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["sort"].is_array(), "{}", r.text);
}

#[tokio::test]
async fn the_creator_becomes_admin_and_slugs_are_unique() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let org = create(
        &t,
        &alice,
        json!({
            "name": "Métropole de Valbourg",
            "acronym": "MV",
            "description": "La métropole publie ses données.",
            "url": "https://valbourg.example.org",
            "business_number_id": "12345678901234",
            "extras": {"ecospheres:id": "42"},
        }),
    )
    .await;
    assert_eq!(org["id"].as_str().map(str::len), Some(24));
    assert_eq!(org["slug"], "metropole-de-valbourg");
    assert_eq!(org["name"], "Métropole de Valbourg");
    assert_eq!(org["acronym"], "MV");
    assert_eq!(org["url"], "https://valbourg.example.org");
    assert_eq!(org["business_number_id"], "12345678901234");
    assert_eq!(org["extras"]["ecospheres:id"], "42");
    assert_eq!(org["deleted"], Value::Null);
    assert_eq!(member_roles(&org), [(alice.id.clone(), "admin".to_owned())]);
    assert_eq!(org["members"][0]["user"]["slug"], alice.slug.as_str());
    assert_eq!(org["metrics"]["members"], 1);
    assert_eq!(org["metrics"]["datasets"], 0);
    let id = org["id"].as_str().expect("id");
    assert_eq!(
        org["uri"].as_str(),
        Some(format!("{}/api/1/organizations/{id}/", t.base).as_str())
    );

    let bob = t.user("Bob").await;
    let twin = create(
        &t,
        &bob,
        json!({"name": "Métropole de Valbourg", "description": "Homonyme."}),
    )
    .await;
    assert_eq!(twin["slug"], "metropole-de-valbourg-1");
    assert_eq!(member_roles(&twin), [(bob.id.clone(), "admin".to_owned())]);
    let third = create(
        &t,
        &bob,
        json!({"name": "metropole de valbourg", "description": "Encore."}),
    )
    .await;
    assert_eq!(third["slug"], "metropole-de-valbourg-2");

    // The creator sees the organization in their profile.
    let me = t.get("/api/1/me/", Some(&alice)).await;
    let orgs: Vec<&str> = me.body["organizations"]
        .as_array()
        .expect("organizations")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(orgs, [id]);
}

#[tokio::test]
async fn create_validates_fields_and_needs_a_key() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;

    let r = t
        .post("/api/1/organizations/", Some(&alice), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["name"].is_array(), "{}", r.text);
    assert!(r.body["errors"]["description"].is_array(), "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);

    let r = t
        .post(
            "/api/1/organizations/",
            Some(&alice),
            &json!({
                "name": "Valbourg",
                "description": "Ok.",
                "url": "not a url",
                "business_number_id": "123456789012345",
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let errors = r.body["errors"].as_object().expect("errors");
    let mut fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["business_number_id", "url"], "{}", r.text);

    let r = t
        .post(
            "/api/1/organizations/",
            Some(&alice),
            &json!({"name": "  ", "description": "Ok."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["name"].is_array(), "{}", r.text);

    let r = t
        .post(
            "/api/1/organizations/",
            Some(&alice),
            &json!({"name": "x".repeat(351), "description": "Ok.", "acronym": "y".repeat(129)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["name"].is_array(), "{}", r.text);
    assert!(r.body["errors"]["acronym"].is_array(), "{}", r.text);

    let r = t
        .post(
            "/api/1/organizations/",
            Some(&alice),
            &json!(["not", "an", "object"]),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);

    let r = t
        .request_with_headers(
            Method::POST,
            "/api/1/organizations/",
            &[("X-API-KEY", &alice.token), ("Content-Type", "text/plain")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["Content-Type"].is_array(), "{}", r.text);

    let r = t
        .post(
            "/api/1/organizations/",
            None,
            &json!({"name": "Valbourg", "description": "Ok."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert!(r.headers.contains_key("www-authenticate"));

    let list = t.get("/api/1/organizations/", None).await;
    assert_eq!(list.body["total"], 0, "nothing was created");
}

#[tokio::test]
async fn read_by_id_and_slug() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let id = t.org("Ville de Valbourg", &alice, &[]).await;

    let by_id = t.get(&format!("/api/1/organizations/{id}/"), None).await;
    assert_eq!(by_id.status, StatusCode::OK, "{}", by_id.text);
    assert_eq!(by_id.body["id"], id.as_str());
    let by_slug = t.get("/api/1/organizations/ville-de-valbourg/", None).await;
    assert_eq!(by_slug.status, StatusCode::OK, "{}", by_slug.text);
    assert_eq!(by_slug.body["id"], id.as_str());
    let bare = t.get(&format!("/api/1/organizations/{id}"), None).await;
    assert_eq!(bare.status, StatusCode::OK, "{}", bare.text);

    let r = t.get("/api/1/organizations/nowhere/", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);
    let r = t
        .get("/api/1/organizations/000000000000000000000000/", None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}

#[tokio::test]
async fn only_admins_and_sysadmins_update() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let editor = t.user("Edith").await;
    let stranger = t.user("Sam").await;
    let root = t.sysadmin("Root").await;
    let id = t
        .org("Ville de Valbourg", &alice, &[(&editor, OrgRole::Editor)])
        .await;
    let path = format!("/api/1/organizations/{id}/");

    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"description": "Nouvelle description."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["description"], "Nouvelle description.");
    assert_eq!(r.body["name"], "Ville de Valbourg", "absent keys are kept");
    assert_eq!(r.body["slug"], "ville-de-valbourg", "same name, same slug");

    for (who, status) in [
        (Some(&editor), StatusCode::FORBIDDEN),
        (Some(&stranger), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let r = t.put(&path, who, &json!({"description": "Piraté."})).await;
        assert_eq!(r.status, status, "{}", r.text);
        assert!(r.body["message"].is_string(), "{}", r.text);
    }
    let r = t.put(&path, Some(&editor), &json!({})).await;
    assert_eq!(
        r.body["message"],
        "You do not have the permission to modify that object."
    );

    let r = t
        .put(
            &path,
            Some(&root),
            &json!({"acronym": "VdV", "url": "https://valbourg.example.org"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["acronym"], "VdV");
    assert_eq!(r.body["description"], "Nouvelle description.");

    let r = t.put(&path, Some(&alice), &json!({"acronym": null})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["acronym"], Value::Null, "null clears");
    assert_eq!(r.body["url"], "https://valbourg.example.org");

    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"name": null, "url": "ftp:/x y"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["name"].is_array(), "{}", r.text);
    assert!(r.body["errors"]["url"].is_array(), "{}", r.text);

    // Read anonymously first, so that a stale cached list would show below.
    let listed = t.get("/api/1/organizations/", None).await;
    assert_eq!(names(&listed), ["Ville de Valbourg"]);
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"name": "Métropole de Valbourg"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["slug"], "metropole-de-valbourg");
    let old = t.get("/api/1/organizations/ville-de-valbourg/", None).await;
    assert_eq!(old.status, StatusCode::OK, "{}", old.text);
    assert_eq!(old.body["id"], id.as_str());
    assert_eq!(old.body["slug"], "metropole-de-valbourg");
    let new = t
        .get("/api/1/organizations/metropole-de-valbourg/", None)
        .await;
    assert_eq!(new.body["id"], id.as_str());
    let listed = t.get("/api/1/organizations/", None).await;
    assert_eq!(names(&listed), ["Métropole de Valbourg"]);

    // An old slug taken by a new organization now names that one.
    let other = create(
        &t,
        &stranger,
        json!({"name": "Ville de Valbourg", "description": "Une autre."}),
    )
    .await;
    assert_eq!(other["slug"], "ville-de-valbourg");
    let r = t.get("/api/1/organizations/ville-de-valbourg/", None).await;
    assert_eq!(r.body["id"], other["id"]);
}

#[tokio::test]
async fn admins_delete_and_the_organization_is_gone() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let editor = t.user("Edith").await;
    let id = t
        .org("Ville de Valbourg", &alice, &[(&editor, OrgRole::Editor)])
        .await;
    let path = format!("/api/1/organizations/{id}/");

    let r = t.delete(&path, Some(&editor)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = t.delete(&path, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);

    let r = t.delete(&path, Some(&alice)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert!(r.text.is_empty());

    let r = t.get(&path, None).await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
    assert_eq!(r.body["message"], "Organization has been deleted");
    let by_slug = t.get("/api/1/organizations/ville-de-valbourg/", None).await;
    assert_eq!(by_slug.status, StatusCode::GONE, "{}", by_slug.text);
    let r = t
        .put(&path, Some(&alice), &json!({"description": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
    let r = t.delete(&path, Some(&alice)).await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
    let r = t
        .get(&format!("/api/1/organizations/{id}/datasets/"), None)
        .await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
    let r = t
        .post(
            &member_path(&id, &t.user("Zoe").await),
            Some(&alice),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);

    let list = t.get("/api/1/organizations/", None).await;
    assert_eq!(list.body["total"], 0, "{}", list.text);
    let me = t.get("/api/1/me/", Some(&alice)).await;
    assert_eq!(me.body["organizations"], json!([]), "{}", me.text);
}

#[tokio::test]
async fn organization_datasets_show_private_ones_to_members_only() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let editor = t.user("Edith").await;
    let partial = t.user("Paul").await;
    let stranger = t.user("Sam").await;
    let root = t.sysadmin("Root").await;
    let id = t
        .org(
            "Ville de Valbourg",
            &alice,
            &[
                (&editor, OrgRole::Editor),
                (&partial, OrgRole::PartialEditor),
            ],
        )
        .await;
    t.dataset(&alice, json!({"title": "Budget", "organization": id}))
        .await;
    t.dataset(
        &editor,
        json!({"title": "Brouillon", "organization": id, "private": true}),
    )
    .await;
    // Alice's own dataset is not the organization's.
    t.dataset(&alice, json!({"title": "Personnel"})).await;

    let path = format!("/api/1/organizations/{id}/datasets/");
    let titles = |r: &Resp| -> Vec<String> {
        let mut v: Vec<String> = r.body["data"]
            .as_array()
            .unwrap_or_else(|| panic!("a page: {}", r.text))
            .iter()
            .map(|d| d["title"].as_str().unwrap_or_default().to_owned())
            .collect();
        v.sort();
        v
    };
    for who in [None, Some(&stranger)] {
        let r = t.get(&path, who).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(titles(&r), ["Budget"]);
        assert_eq!(r.body["total"], 1);
    }
    for who in [&alice, &editor, &partial, &root] {
        let r = t.get(&path, Some(who)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(titles(&r), ["Brouillon", "Budget"], "{}", who.email);
        assert_eq!(r.body["total"], 2);
    }
    let by_slug = t
        .get(
            "/api/1/organizations/ville-de-valbourg/datasets/?page_size=1",
            Some(&alice),
        )
        .await;
    assert_eq!(by_slug.body["total"], 2);
    assert_eq!(by_slug.body["data"].as_array().map(Vec::len), Some(1));
    assert!(by_slug.body["next_page"].is_string(), "{}", by_slug.text);

    let org = t.get(&format!("/api/1/organizations/{id}/"), None).await;
    assert_eq!(org.body["metrics"]["datasets"], 1, "public datasets only");

    let r = t.get("/api/1/organizations/nowhere/datasets/", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}

#[tokio::test]
async fn sorting_by_datasets_counts_public_ones_only() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let secretive = t.org("Agence discrète", &alice, &[]).await;
    let open = t.org("Ville ouverte", &alice, &[]).await;
    t.org("Zéro données", &alice, &[]).await;
    for title in ["Brouillon 1", "Brouillon 2"] {
        t.dataset(
            &alice,
            json!({"title": title, "organization": secretive, "private": true}),
        )
        .await;
    }
    t.dataset(&alice, json!({"title": "Budget", "organization": open}))
        .await;

    let r = t.get("/api/1/organizations/?sort=-datasets", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(names(&r)[0], "Ville ouverte", "{}", r.text);
    let counts: Vec<i64> = r.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|o| o["metrics"]["datasets"].as_i64())
        .collect();
    assert_eq!(counts, [1, 0, 0], "the order follows the counts shown");
    let r = t.get("/api/1/organizations/?sort=datasets", None).await;
    assert_eq!(names(&r)[2], "Ville ouverte", "{}", r.text);

    // udata's other sort keys are accepted.
    for sort in [
        "last_modified",
        "-last_modified",
        "followers",
        "-views",
        "reuses",
    ] {
        let r = t
            .get(&format!("/api/1/organizations/?sort={sort}"), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{sort}: {}", r.text);
        assert_eq!(r.body["total"], 3);
    }
}

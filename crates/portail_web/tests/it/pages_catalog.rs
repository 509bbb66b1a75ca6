//! The catalog pages: home, search with facets, dataset page (metadata, resources, JSON-LD,
//! safe Markdown), organizations, users, privacy, languages.

use reqwest::StatusCode;
use serde_json::json;

use crate::pages_browser::{Browser, signed_in};
use crate::support::TestApp;

#[tokio::test]
async fn home_shows_figures_and_recent_public_datasets_only() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    t.dataset(&alice, json!({"title": "Budget primitif de Valbourg"}))
        .await;
    t.dataset(
        &alice,
        json!({"title": "Brouillon secret", "private": true}),
    )
    .await;
    let mut b = Browser::new(&t);
    let page = b.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<html lang=\"fr\">"), "{}", page.html);
    assert!(page.html.contains("Budget primitif de Valbourg"));
    assert!(!page.html.contains("Brouillon secret"));
    assert!(page.html.contains("<strong>1</strong> jeux de données"));
    assert!(page.html.contains("action=\"/datasets/\""));
    assert!(page.html.contains("href=\"#main\""), "skip link");
}

#[tokio::test]
async fn search_page_finds_with_facets_and_hides_private_datasets_from_others() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    t.dataset(
        &alice,
        json!({"title": "Qualité de l'air", "tags": ["air", "pollution"]}),
    )
    .await;
    t.dataset(
        &alice,
        json!({"title": "Qualité de l'eau", "tags": ["eau"], "private": true}),
    )
    .await;
    t.wait_for_search().await;
    let mut anonymous = Browser::new(&t);
    let page = anonymous.get("/datasets/?q=qualit%C3%A9").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.html.contains("Qualité de l&#x27;air") || page.html.contains("Qualité de l'air"),
        "{}",
        page.html
    );
    assert!(
        !page.html.contains("Qualité de l&#x27;eau") && !page.html.contains("Qualité de l'eau")
    );
    assert!(
        page.html.contains("<span data-total>1</span>"),
        "{}",
        page.html
    );
    // The tag facet links to a filtered search.
    assert!(page.html.contains("tag=air"), "{}", page.html);
    let filtered = anonymous.get("/datasets/?tag=pollution").await;
    assert!(filtered.html.contains("<span data-total>1</span>"));
    let none = anonymous.get("/datasets/?tag=eau").await;
    assert!(none.html.contains("<span data-total>0</span>"));
    // Another user does not see it either; its owner does.
    let (_, mut bob) = signed_in(&t, "Bob").await;
    let page = bob.get("/datasets/?tag=eau").await;
    assert!(page.html.contains("<span data-total>0</span>"));
    let mut alice_browser = Browser::new(&t);
    alice_browser
        .login(&alice.email, "long enough password")
        .await;
    let page = alice_browser.get("/datasets/?tag=eau").await;
    assert!(
        page.html.contains("<span data-total>1</span>"),
        "{}",
        page.html
    );
}

#[tokio::test]
async fn dataset_page_shows_metadata_resources_and_json_ld() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t
        .dataset(
            &alice,
            json!({"title": "Horaires des bus", "acronym": "HB", "license": "lov2", "frequency": "monthly",
                   "tags": ["transport"], "temporal_coverage": {"start": "2020-01-01", "end": "2024-12-31"},
                   "spatial": {"granularity": "fr:commune"}}),
        )
        .await;
    let slug = d["slug"].as_str().unwrap();
    t.remote_resource(
        &alice,
        d["id"].as_str().unwrap(),
        json!({"title": "Horaires GTFS", "format": "zip"}),
    )
    .await;
    let mut b = Browser::new(&t);
    let page = b.get(&format!("/datasets/{slug}/")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    for expected in [
        "Horaires des bus",
        "(HB)",
        "Licence Ouverte",
        "Mensuelle",
        "2020-01-01",
        "2024-12-31",
        "href=\"/datasets/?tag=transport\"",
        "Horaires GTFS",
        "zip",
        "application/ld+json",
        "\"@type\": \"Dataset\"",
        "Ouvrir le lien",
    ] {
        assert!(
            page.html.contains(expected),
            "missing {expected}: {}",
            page.html
        );
    }
    assert_eq!(
        b.get("/datasets/no-such-dataset/").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn private_dataset_pages_are_for_their_producers_only() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t
        .dataset(
            &alice,
            json!({"title": "Projet confidentiel", "private": true}),
        )
        .await;
    let slug = d["slug"].as_str().unwrap();
    let mut anonymous = Browser::new(&t);
    let page = anonymous.get(&format!("/datasets/{slug}/")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.html.contains("Projet confidentiel"));
    let (_, mut bob) = signed_in(&t, "Bob").await;
    assert_eq!(
        bob.get(&format!("/datasets/{slug}/")).await.status,
        StatusCode::NOT_FOUND
    );
    let user_page = bob.get(&format!("/users/{}/", alice.slug)).await;
    assert_eq!(user_page.status, StatusCode::OK);
    assert!(!user_page.html.contains("Projet confidentiel"));
    let mut owner = Browser::new(&t);
    owner.login(&alice.email, "long enough password").await;
    let page = owner.get(&format!("/datasets/{slug}/")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Projet confidentiel"));
    assert!(page.html.contains("Privé"));
}

#[tokio::test]
async fn markdown_descriptions_are_sanitized() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t
        .dataset(
            &alice,
            json!({"title": "Piège", "description": "**Gras** <script>alert('x')</script> <img src=x onerror=alert(1)> [clic](javascript:alert(1)) [ok](https://example.org/)"}),
        )
        .await;
    let mut b = Browser::new(&t);
    let page = b
        .get(&format!("/datasets/{}/", d["slug"].as_str().unwrap()))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.html[page.html.find("class=\"markdown\"").unwrap()..];
    let body = &body[..body.find("</div>").unwrap()];
    assert!(body.contains("<strong>Gras</strong>"), "{body}");
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("<img"), "{body}");
    assert!(
        !body.to_lowercase().contains("href=\"javascript:"),
        "{body}"
    );
    assert!(body.contains("href=\"https://example.org/\""), "{body}");
}

#[tokio::test]
async fn organization_and_user_pages_render() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let org = t.org("Ville de Valbourg", &alice, &[]).await;
    t.dataset(
        &alice,
        json!({"title": "Arbres remarquables", "organization": org}),
    )
    .await;
    let mut b = Browser::new(&t);
    let list = b.get("/organizations/").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.html.contains("Ville de Valbourg"));
    let page = b.get("/organizations/ville-de-valbourg/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Arbres remarquables"));
    assert!(page.html.contains("Alice Test"));
    let user = b.get(&format!("/users/{}/", alice.slug)).await;
    assert_eq!(user.status, StatusCode::OK);
    assert!(user.html.contains("Alice Test"));
}

#[tokio::test]
async fn language_follows_accept_language_and_the_switch_is_remembered() {
    let t = TestApp::new().await;
    let mut b = Browser::new(&t);
    b.accept_language = Some("en-GB,en;q=0.9".into());
    let page = b.get("/").await;
    assert!(page.html.contains("<html lang=\"en\">"));
    assert!(page.html.contains("Find, use and publish open data"));
    let switch = b.get("/lang/fr?next=/datasets/").await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert_eq!(switch.location(), "/datasets/");
    assert_eq!(b.cookies.get("lang").map(String::as_str), Some("fr"));
    let page = b.get("/").await;
    assert!(page.html.contains("<html lang=\"fr\">"));
    assert!(page.html.contains("Trouvez, utilisez et publiez"));
    // An outside `next` is not followed.
    assert_eq!(b.get("/lang/en?next=//evil.example/").await.location(), "/");
}

#[tokio::test]
async fn static_assets_are_served() {
    let t = TestApp::new().await;
    let mut b = Browser::new(&t);
    let css = b.get("/static/portail.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.html.contains(":focus-visible"));
    assert_eq!(b.get("/static/nope.js").await.status, StatusCode::NOT_FOUND);
}

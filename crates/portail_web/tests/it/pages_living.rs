//! Living with a dataset, through the pages: the producer's dashboard, `/me/datasets`,
//! transfers on both sides, following, community resources and discussions on the dataset
//! page (mirrors `pages/{dashboard,transfers,community}.rs`).

use portail_core::model::OrgRole;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::pages_browser::{Browser, signed_in};
use crate::support::TestApp;

/// A signed-in browser for an existing test user.
async fn browser_of(t: &TestApp, email: &str) -> Browser {
    let mut b = Browser::new(t);
    let page = b.login(email, "long enough password").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    b
}

fn slug_of(d: &Value) -> String {
    d["slug"].as_str().expect("slug").to_owned()
}

#[tokio::test]
async fn the_dashboard_shows_what_lives_around_the_dataset() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t
        .dataset(
            &c.admin,
            json!({"organization": c.org, "frequency": "monthly", "tags": ["air", "santé"],
                   "temporal_coverage": {"start": "2021-01-01", "end": "2024-12-31"}}),
        )
        .await;
    let id = d["id"].as_str().unwrap();
    let slug = slug_of(&d);
    let broken = t
        .remote_resource(
            &c.admin,
            id,
            json!({"title": "Mesures brutes", "extras": {"check:available": false, "check:status": 404,
                   "check:date": "2026-11-30T08:00:00+00:00", "check:error": "Not Found"}}),
        )
        .await;
    assert_eq!(broken["extras"]["check:available"], false, "{broken}");
    t.remote_resource(&c.admin, id, json!({"title": "Stations"}))
        .await;
    // Around it: a reuse, a discussion, a follower, a community resource, a download.
    let r = t
        .post(
            "/api/1/reuses/",
            Some(&c.other),
            &json!({"title": "Carte de l'air", "description": "Une carte.", "url": "https://example.org/carte",
                    "type": "visualization", "datasets": [id]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = t
        .post(
            "/api/1/discussions/",
            Some(&c.other),
            &json!({"title": "Station manquante", "comment": "La station nord manque.",
                    "subject": {"class": "Dataset", "id": id}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = t
        .post(
            &format!("/api/1/datasets/{id}/followers/"),
            Some(&c.other),
            &json!({}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let r = t
        .post(
            "/api/1/datasets/community_resources/",
            Some(&c.other),
            &json!({"dataset": id, "title": "Moyennes annuelles", "url": "https://example.org/moyennes.csv",
                    "filetype": "remote", "format": "csv"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = t
        .get(
            &format!("/api/1/datasets/r/{}", broken["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    // A visit of the dataset page is a view.
    let visit = Browser::new(&t).get(&format!("/datasets/{slug}/")).await;
    assert_eq!(visit.status, StatusCode::OK);
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    for _ in 0..100 {
        let r = t.get(&format!("/api/1/datasets/{id}/metrics/"), None).await;
        if r.body["resources_downloads_by_months"][&month] == 1
            && r.body["views_by_months"][&month] == 1
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let path = format!("/datasets/{slug}/dashboard");
    let mut admin = browser_of(&t, &c.admin.email).await;
    let page = admin.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let html = &page.html;
    for expected in [
        "2021-01-01",
        "air, sant",
        "Lien cassé",
        "HTTP 404",
        "Not Found",
        "Pas encore vérifié",
        "Carte de l&#x27;air",
        "Station manquante",
        "Other Test",
        "Moyennes annuelles",
        "Le jeu de données possède-t-il une description ?",
        "Score",
        "Transférer ce jeu de données",
        "role=\"img\"",
        "<title id=\"downloads-chart-title\">Téléchargements par mois</title>",
    ] {
        assert!(html.contains(expected), "{expected} missing in {html}");
    }
    // The view and the download are bars, and rows of the tables under the charts.
    assert_eq!(
        html.matches(&format!("<title>{month}: 1</title>")).count(),
        2,
        "{html}"
    );
    assert!(html.contains("Vues (total) : <strong>1</strong>"));
    assert!(html.contains(&format!("<th scope=\"row\">{month}</th><td>1</td>")));
    // English.
    admin.accept_language = Some("en".into());
    admin.cookies.insert("lang".into(), "en".into());
    let page = admin.get(&path).await;
    assert!(page.html.contains("Broken link"), "{}", page.html);
    assert!(page.html.contains("Does the dataset have a description?"));

    // An editor of the organization sees it but cannot transfer; others cannot see it.
    let mut editor = browser_of(&t, &c.editor.email).await;
    let page = editor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        !page.html.contains("action=\"/datasets/"),
        "no transfer form"
    );
    let mut other = browser_of(&t, &c.other.email).await;
    assert_eq!(other.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        other.get("/datasets/nope/dashboard").await.status,
        StatusCode::NOT_FOUND
    );
    let page = Browser::new(&t).get(&path).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login?next="));
}

#[tokio::test]
async fn my_datasets_lists_those_needing_attention_first() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let fine = t
        .dataset(
            &c.admin,
            json!({"organization": c.org, "title": "Bien tenu", "tags": ["eau"], "license": "lov2",
                   "description": "y".repeat(200)}),
        )
        .await;
    t.remote_resource(&c.admin, fine["id"].as_str().unwrap(), json!({}))
        .await;
    t.dataset(
        &c.admin,
        json!({"title": "À reprendre", "description": "court"}),
    )
    .await;
    t.dataset(&c.other, json!({"title": "Pas à moi"})).await;
    let mut admin = browser_of(&t, &c.admin.email).await;
    let me = admin.get("/me/").await;
    assert!(me.html.contains("href=\"/me/datasets\""));
    let page = admin.get("/me/datasets").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let html = &page.html;
    let worse = html.find("À reprendre").expect("own dataset");
    let better = html.find("Bien tenu").expect("organization's dataset");
    assert!(worse < better, "attention first: {html}");
    assert!(!html.contains("Pas à moi"));
    assert!(html.contains("Qualité des métadonnées faible"));
    assert!(html.contains("/datasets/a-reprendre/dashboard"), "{html}");
    assert!(html.contains("/datasets/a-reprendre/edit"));
    // An editor of the organization sees its dataset, not the admin's own.
    let mut editor = browser_of(&t, &c.editor.email).await;
    let page = editor.get("/me/datasets").await;
    assert!(page.html.contains("Bien tenu"));
    assert!(!page.html.contains("À reprendre"));
    let page = Browser::new(&t).get("/me/datasets").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?next=%2Fme%2Fdatasets");
}

#[tokio::test]
async fn transfers_are_asked_then_answered_from_the_pages() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let other_admin = t.user("Receveur").await;
    let target = t
        .org(
            "Archives de Valbourg",
            &other_admin,
            &[(&c.other, OrgRole::Editor)],
        )
        .await;
    let target_slug = t
        .get(&format!("/api/1/organizations/{target}/"), None)
        .await
        .body["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let d = t
        .dataset(&c.owner, json!({"title": "Comptages vélo"}))
        .await;
    let slug = slug_of(&d);
    let mut owner = browser_of(&t, &c.owner.email).await;
    let dashboard = format!("/datasets/{slug}/dashboard");
    owner.get(&dashboard).await;
    let action = format!("/datasets/{slug}/transfer");
    // Unknown recipient, then the owner themselves: the form again with a sentence.
    let page = owner
        .post(
            &action,
            &[
                ("recipient_kind", "organization"),
                ("recipient", "nulle-part"),
                ("comment", "Pour vous"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(
        page.html
            .contains("Aucun utilisateur ou organisation ne correspond")
    );
    assert!(page.html.contains("value=\"nulle-part\""));
    assert!(page.html.contains("Pour vous"));
    let page = owner
        .post(
            &action,
            &[("recipient_kind", "user"), ("recipient", &c.owner.email)],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("déjà le producteur"));
    // Without the CSRF token: refused.
    let page = owner
        .post_raw(
            &action,
            &[
                ("recipient_kind", "organization"),
                ("recipient", &target_slug),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = owner
        .post(
            &action,
            &[
                ("recipient_kind", "organization"),
                ("recipient", &target_slug),
                ("comment", "Vous le tiendrez mieux"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = owner.get(page.location()).await;
    assert!(
        page.html.contains("Le transfert est demandé"),
        "{}",
        page.html
    );
    assert!(page.html.contains("En attente"));
    // The requester sees it as sent, without answer buttons.
    let page = owner.get("/me/transfers").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Comptages vélo"));
    assert!(page.html.contains("Vous le tiendrez mieux"));
    assert!(!page.html.contains("value=\"accept\""));
    let id = t.get("/api/1/transfer/", Some(&c.owner)).await.body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A mere editor of the recipient cannot answer, nor see the buttons.
    let mut editor = browser_of(&t, &c.other.email).await;
    let page = editor.get("/me/transfers").await;
    assert!(!page.html.contains("value=\"accept\""));
    let page = editor
        .post(&format!("/me/transfers/{id}"), &[("response", "accept")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
    assert!(
        page.html.contains("Vous n&#x27;avez pas le droit"),
        "{}",
        page.html
    );
    // The recipient's admin accepts.
    let mut receiver = browser_of(&t, &other_admin.email).await;
    let page = receiver.get("/me/transfers").await;
    assert!(page.html.contains("value=\"accept\""), "{}", page.html);
    let page = receiver
        .post(
            &format!("/me/transfers/{id}"),
            &[("response", "accept"), ("comment", "Merci")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = receiver.get(page.location()).await;
    assert!(page.html.contains("Transfert accepté"));
    assert!(page.html.contains("Accepté"));
    assert!(page.html.contains("Merci"));
    let moved = t.get(&format!("/api/1/datasets/{slug}/"), None).await;
    assert_eq!(moved.body["organization"]["id"], target.as_str());
    // Answered once only; unknown transfers are not found; anonymous visitors log in.
    let page = receiver
        .post(&format!("/me/transfers/{id}"), &[("response", "refuse")])
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.html.contains("déjà reçu une réponse"));
    let page = receiver
        .post(
            "/me/transfers/000000000000000000000000",
            &[("response", "refuse")],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let page = Browser::new(&t).get("/me/transfers").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = owner
        .post(
            "/datasets/nope/transfer",
            &[("recipient_kind", "user"), ("recipient", &c.other.slug)],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // The former owner may no longer transfer it.
    let page = owner
        .post(
            &action,
            &[("recipient_kind", "user"), ("recipient", &c.other.slug)],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
}

#[tokio::test]
async fn an_organization_dataset_is_transferred_by_its_admins_only() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t
        .dataset(&c.admin, json!({"organization": c.org, "title": "Budget"}))
        .await;
    let action = format!("/datasets/{}/transfer", slug_of(&d));
    let mut editor = browser_of(&t, &c.editor.email).await;
    editor.get("/me/").await;
    let page = editor
        .post(
            &action,
            &[("recipient_kind", "user"), ("recipient", &c.other.slug)],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
    assert!(page.html.contains("seuls le producteur"), "{}", page.html);
    let mut admin = browser_of(&t, &c.admin.email).await;
    admin.get("/me/").await;
    let page = admin
        .post(
            &action,
            &[("recipient_kind", "user"), ("recipient", &c.other.email)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    // The user it is offered to refuses it.
    let mut other = browser_of(&t, &c.other.email).await;
    let page = other.get("/me/transfers").await;
    assert!(page.html.contains("Budget"));
    let id = t.get("/api/1/transfer/", Some(&c.other)).await.body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = other
        .post(&format!("/me/transfers/{id}"), &[("response", "refuse")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = other.get(page.location()).await;
    assert!(page.html.contains("Transfert refusé"));
    let kept = t
        .get(
            &format!("/api/1/datasets/{}/", d["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(kept.body["organization"]["id"], c.org.as_str());
}

#[tokio::test]
async fn visitors_follow_from_the_dataset_page() {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let d = t.dataset(&owner, json!({"title": "Arbres"})).await;
    let page_path = format!("/datasets/{}/", slug_of(&d));
    let follow = format!("/datasets/{}/follow", slug_of(&d));
    let mut anonymous = Browser::new(&t);
    let page = anonymous.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("<strong>0</strong> abonnés"));
    assert!(page.html.contains("Connectez-vous pour suivre"));
    assert!(!page.html.contains(&format!("action=\"{follow}\"")));
    anonymous.get("/login").await;
    let page = anonymous.post(&follow, &[("action", "follow")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login"));

    let (_, mut b) = signed_in(&t, "Fan").await;
    let page = b.get(&page_path).await;
    assert!(page.html.contains(&format!("action=\"{follow}\"")));
    assert!(page.html.contains("Suivre ce jeu de données"));
    let page = b.post(&follow, &[("action", "follow")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = b.get(&page_path).await;
    assert!(
        page.html.contains("<strong>1</strong> abonnés"),
        "{}",
        page.html
    );
    assert!(page.html.contains("Ne plus suivre"));
    let page = b.post_raw(&follow, &[("action", "unfollow")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    b.post(&follow, &[("action", "unfollow")]).await;
    let page = b.get(&page_path).await;
    assert!(page.html.contains("<strong>0</strong> abonnés"));
    // A private dataset cannot be followed by others.
    let private = t
        .dataset(&owner, json!({"title": "Brouillon", "private": true}))
        .await;
    let page = b
        .post(
            &format!("/datasets/{}/follow", slug_of(&private)),
            &[("action", "follow")],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn community_resources_are_proposed_from_the_dataset_page() {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let d = t.dataset(&owner, json!({"title": "Arbres"})).await;
    let page_path = format!("/datasets/{}/", slug_of(&d));
    let action = format!("/datasets/{}/community", slug_of(&d));
    let (_, mut b) = signed_in(&t, "Contributrice").await;
    let page = b.get(&page_path).await;
    assert!(page.html.contains("Aucune ressource communautaire"));
    let page = b
        .post(
            &action,
            &[("title", "Carte des essences"), ("url", "pas une adresse")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("aria-invalid=\"true\""));
    assert!(page.html.contains("value=\"Carte des essences\""));
    let page = b
        .post(
            &action,
            &[
                ("title", "Carte des essences"),
                ("url", "https://example.org/essences.geojson"),
                ("format", "geojson"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), format!("{page_path}#community"));
    let page = Browser::new(&t).get(&page_path).await;
    assert!(page.html.contains("essences.geojson"), "{}", page.html);
    assert!(page.html.contains("Contributrice Test"));
    assert!(page.html.contains("Connectez-vous pour contribuer"));
    // Anonymous visitors are sent to the login page.
    let mut anonymous = Browser::new(&t);
    anonymous.get("/login").await;
    for path in [
        action.clone(),
        format!("/datasets/{}/discussions", slug_of(&d)),
    ] {
        let page = anonymous
            .post(
                &path,
                &[
                    ("title", "x"),
                    ("url", "https://example.org/"),
                    ("comment", "x"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(page.location().starts_with("/login?next="), "{path}");
    }
    let page = b
        .post(
            "/datasets/nope/community",
            &[("title", "x"), ("url", "https://example.org/")],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn discussions_are_opened_commented_and_closed_from_the_dataset_page() {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let d = t.dataset(&owner, json!({"title": "Arbres"})).await;
    let slug = slug_of(&d);
    let page_path = format!("/datasets/{slug}/");
    let (_, mut visitor) = signed_in(&t, "Curieux").await;
    visitor.get(&page_path).await;
    let open = format!("/datasets/{slug}/discussions");
    let page = visitor
        .post(
            &open,
            &[("title", ""), ("comment", "Les platanes manquent.")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("aria-invalid=\"true\""));
    assert!(page.html.contains("Les platanes manquent."));
    let page = visitor
        .post(
            &open,
            &[
                ("title", "Platanes"),
                ("comment", "Les platanes **manquent**."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let id = page
        .location()
        .rsplit("#discussion-")
        .next()
        .unwrap()
        .to_owned();
    let page = visitor.get(&page_path).await;
    assert!(
        page.html.contains("<strong>manquent</strong>"),
        "{}",
        page.html
    );
    assert!(page.html.contains("Curieux Test"));
    let comment = format!("/datasets/{slug}/discussions/{id}/comment");
    // An empty comment, then a visitor trying to close: refused with a sentence.
    let page = visitor.post(&comment, &[("comment", "")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    let page = visitor
        .post(&comment, &[("comment", "Je ferme"), ("close", "on")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
    assert!(page.html.contains("Seuls les producteurs"));
    assert!(page.html.contains("Je ferme"));
    // The producer answers and closes.
    let mut producer = browser_of(&t, &owner.email).await;
    let page = producer.get(&page_path).await;
    assert!(page.html.contains("Clore la discussion"));
    let page = producer
        .post(&comment, &[("comment", "Ajoutés, merci."), ("close", "on")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = visitor.get(&page_path).await;
    assert!(page.html.contains("Ajoutés, merci."));
    assert!(page.html.contains("(close)"));
    let page = visitor.post(&comment, &[("comment", "Encore")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // The dashboard counts it closed.
    let page = producer.get(&format!("/datasets/{slug}/dashboard")).await;
    assert!(
        page.html.contains("Closes : <strong>1</strong>"),
        "{}",
        page.html
    );
    // A discussion of another dataset is not found under this one.
    let elsewhere = t.dataset(&owner, json!({"title": "Autre"})).await;
    let page = visitor
        .post(
            &format!("/datasets/{}/discussions/{id}/comment", slug_of(&elsewhere)),
            &[("comment", "x")],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_community_file_is_proposed_from_the_dataset_page_without_javascript() {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let d = t.dataset(&owner, json!({"title": "Arbres"})).await;
    let page_path = format!("/datasets/{}/", slug_of(&d));
    let action = format!("/datasets/{}/community/upload", slug_of(&d));
    let (_, mut b) = signed_in(&t, "Contributrice").await;
    let page = b.get(&page_path).await;
    assert!(
        page.html.contains(&format!(
            "action=\"{action}\" enctype=\"multipart/form-data\""
        )),
        "{}",
        page.html
    );
    assert!(
        page.html
            .contains("type=\"file\" id=\"cru-file\" name=\"file\"")
    );
    // A refused file shows the page again with the reason.
    let page = b
        .post_file(
            &action,
            &[("title", "Programme")],
            "setup.exe",
            b"MZ".to_vec(),
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(
        page.html.contains("This file type is not allowed"),
        "{}",
        page.html
    );
    let page = b
        .post_file(
            &action,
            &[
                ("title", "Essences recensées"),
                ("description", "Relevé 2025"),
            ],
            "essences.csv",
            b"essence;nombre\nplatane;12\n".to_vec(),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), format!("{page_path}#community"));
    let page = Browser::new(&t).get(&page_path).await;
    assert!(page.html.contains("Essences recensées"), "{}", page.html);
    assert!(page.html.contains("sha256: "), "{}", page.html);
    let list = t
        .get(
            &format!(
                "/api/1/datasets/community_resources/?dataset={}",
                d["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    let url = list.body["data"][0]["url"].as_str().unwrap_or_default();
    let got = t.client.get(url).send().await.expect("download");
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(
        got.bytes().await.expect("body").as_ref(),
        b"essence;nombre\nplatane;12\n"
    );
    // Anonymous visitors are sent to the login page.
    let mut anonymous = Browser::new(&t);
    anonymous.get("/login").await;
    let page = anonymous
        .post_file(&action, &[], "essences.csv", b"a;b\n".to_vec())
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login?next="));
}

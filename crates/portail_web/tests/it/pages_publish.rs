//! Publishing in steps through form POSTs, then editing, deleting with confirmation, the
//! dashboard, organizations and members.

use reqwest::StatusCode;
use serde_json::json;

use crate::pages_browser::signed_in;
use crate::support::TestApp;

#[tokio::test]
async fn publish_flow_through_the_forms() {
    let t = TestApp::new().await;
    let (alice, mut b) = signed_in(&t, "Alice").await;
    let org = t.org("Métropole de Valbourg", &alice, &[]).await;
    // Step 1: who publishes, with the guide's advice.
    let page = b.get("/publish").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Métropole de Valbourg"));
    assert!(page.html.contains("Conseillé si"));
    // Step 2: describe; a missing title keeps everything typed.
    let page = b.post("/publish", &[("owner", &org)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Licences recommandées"));
    assert!(page.html.contains("Le plus précis et spécifique possible"));
    let fields = [
        ("owner", org.as_str()),
        ("title", ""),
        ("acronym", "PM"),
        (
            "description",
            "Les pistes cyclables de la métropole, mises à jour chaque mois.",
        ),
        ("license", "lov2"),
        ("frequency", "monthly"),
        ("tags", "vélo, mobilité"),
        ("temporal_start", "2021-01-01"),
        ("temporal_end", "2024-12-31"),
        ("granularity", "fr:commune"),
    ];
    let page = b.post("/publish/describe", &fields).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("aria-invalid=\"true\""));
    assert!(page.html.contains("Les pistes cyclables de la métropole"));
    assert!(page.html.contains("value=\"vélo, mobilité\""));
    assert!(page.html.contains("value=\"2021-01-01\""));
    let mut fields = fields.to_vec();
    fields[1] = ("title", "Pistes cyclables");
    let page = b.post("/publish/describe", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let step3 = page.location().to_owned();
    assert_eq!(step3, "/publish/pistes-cyclables/resources");
    // Nothing is online yet.
    let anonymous = t.get("/api/1/datasets/pistes-cyclables/", None).await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    // Step 3: a file and a link.
    let page = b.get(&step3).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let page = b
        .post_file(
            "/datasets/pistes-cyclables/upload",
            &[("title", "Tronçons 2024"), ("type", "main")],
            "troncons.csv",
            b"id,longueur\n1,120\n2,340\n".to_vec(),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), step3);
    let bad = b
        .post(
            "/datasets/pistes-cyclables/link",
            &[
                ("url", "not a url"),
                ("title", "Carte"),
                ("type", "documentation"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.html);
    assert!(bad.html.contains("value=\"Carte\""));
    let page = b
        .post(
            "/datasets/pistes-cyclables/link",
            &[
                ("url", "https://carto.example.org/velo"),
                ("title", "Carte interactive"),
                ("type", "documentation"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    // Step 4: publish.
    let page = b.get("/publish/pistes-cyclables/finish").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = b
        .post(
            "/datasets/pistes-cyclables/visibility",
            &[("visibility", "public")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/datasets/pistes-cyclables/");
    let api = t.get("/api/1/datasets/pistes-cyclables/", None).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text);
    assert_eq!(api.body["organization"]["id"], json!(org));
    assert_eq!(api.body["license"], "lov2");
    assert_eq!(api.body["frequency"], "monthly");
    assert_eq!(api.body["resources"].as_array().unwrap().len(), 2);
    let page = b.get("/datasets/pistes-cyclables/").await;
    assert!(page.html.contains("Tronçons 2024"));
    assert!(page.html.contains("sha256"));
    assert!(page.html.contains("Carte interactive"));
    // Replace the hosted file from the edit page.
    let file = api.body["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["filetype"] == "file")
        .unwrap()
        .clone();
    let rid = file["id"].as_str().unwrap();
    b.get("/datasets/pistes-cyclables/edit").await;
    let page = b
        .post_file(
            &format!("/datasets/pistes-cyclables/resources/{rid}/replace"),
            &[],
            "troncons-2025.csv",
            b"id,longueur\n1,125\n".to_vec(),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let after = t
        .get(
            &format!("/api/1/datasets/pistes-cyclables/resources/{rid}/"),
            None,
        )
        .await;
    assert_ne!(after.body["checksum"], file["checksum"], "{}", after.text);
    assert_eq!(after.body["filesize"], 18);
    let _ = alice;
}

#[tokio::test]
async fn editing_reordering_and_deleting_with_confirmation() {
    let t = TestApp::new().await;
    let (alice, mut b) = signed_in(&t, "Alice").await;
    let d = t.dataset(&alice, json!({"title": "Jeu à modifier"})).await;
    let id = d["id"].as_str().unwrap();
    let slug = d["slug"].as_str().unwrap().to_owned();
    let first = t
        .remote_resource(&alice, id, json!({"title": "Ancienne"}))
        .await;
    let second = t
        .remote_resource(&alice, id, json!({"title": "Nouvelle"}))
        .await;
    let page = b.get(&format!("/datasets/{slug}/edit")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("value=\"Jeu à modifier\""));
    // Save with an error: values kept.
    let page = b
        .post(
            &format!("/datasets/{slug}/edit"),
            &[
                ("title", ""),
                ("description", "Texte gardé"),
                ("frequency", "daily"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("Texte gardé"));
    let page = b
        .post(
            &format!("/datasets/{slug}/edit"),
            &[
                ("title", "Jeu modifié"),
                ("description", "Nouvelle description"),
                ("frequency", "daily"),
                ("tags", "alpha, beta"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let api = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(api.body["title"], "Jeu modifié");
    assert_eq!(api.body["tags"], json!(["alpha", "beta"]));
    // Reorder: the newest is first; move it down.
    let rid_new = second["id"].as_str().unwrap();
    let rid_old = first["id"].as_str().unwrap();
    b.get(&format!("/datasets/{slug}/edit")).await;
    let page = b
        .post(
            &format!("/datasets/{slug}/resources/{rid_new}/move"),
            &[("direction", "down")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let api = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(api.body["resources"][0]["id"], json!(rid_old));
    // Delete a resource: confirmation page first.
    let confirm = b
        .get(&format!("/datasets/{slug}/resources/{rid_old}/delete"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.html.contains("irréversible"));
    assert!(confirm.html.contains("conservez-la"));
    let page = b
        .post(&format!("/datasets/{slug}/resources/{rid_old}/delete"), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let api = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(api.body["resources"].as_array().unwrap().len(), 1);
    // Dashboard.
    let dash = b.get(&format!("/datasets/{slug}/dashboard")).await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.html);
    assert!(dash.html.contains("Qualité des métadonnées"));
    assert!(dash.html.contains("Nouvelle"));
    assert!(dash.html.contains("Quotidienne"));
    // Another user may not edit.
    let (_, mut bob) = signed_in(&t, "Bob").await;
    assert_eq!(
        bob.get(&format!("/datasets/{slug}/edit")).await.status,
        StatusCode::FORBIDDEN
    );
    // Make private, then delete the dataset.
    b.get(&format!("/datasets/{slug}/edit")).await;
    let page = b
        .post(
            &format!("/datasets/{slug}/visibility"),
            &[("visibility", "private"), ("from", "edit")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.get(&format!("/api/1/datasets/{id}/"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let confirm = b.get(&format!("/datasets/{slug}/delete")).await;
    assert!(confirm.html.contains("irréversible"));
    let page = b.post(&format!("/datasets/{slug}/delete"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_ne!(
        t.get(&format!("/api/1/datasets/{id}/"), Some(&alice))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn organizations_are_created_and_members_managed() {
    let t = TestApp::new().await;
    let (_, mut b) = signed_in(&t, "Alice").await;
    let bob = t.user("Bob").await;
    b.get("/organizations/new").await;
    let page = b
        .post(
            "/organizations/new",
            &[("name", ""), ("description", "Gardée")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("Gardée"));
    let page = b
        .post(
            "/organizations/new",
            &[
                ("name", "Syndicat des eaux"),
                ("description", "L'eau potable du département."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), "/organizations/syndicat-des-eaux/");
    let members = b.get("/organizations/syndicat-des-eaux/members").await;
    assert_eq!(members.status, StatusCode::OK, "{}", members.html);
    let page = b
        .post(
            "/organizations/syndicat-des-eaux/members",
            &[("user", &bob.email), ("role", "editor")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = b
        .post(
            "/organizations/syndicat-des-eaux/members",
            &[("user", "nobody-here"), ("role", "editor")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    let page = b
        .post(
            &format!("/organizations/syndicat-des-eaux/members/{}/role", bob.slug),
            &[("role", "admin")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let org = t.get("/api/1/organizations/syndicat-des-eaux/", None).await;
    let roles: Vec<&str> = org.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["role"].as_str())
        .collect();
    assert_eq!(roles, vec!["admin", "admin"]);
    let page = b
        .post(
            &format!(
                "/organizations/syndicat-des-eaux/members/{}/remove",
                bob.slug
            ),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let org = t.get("/api/1/organizations/syndicat-des-eaux/", None).await;
    assert_eq!(org.body["members"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn organization_details_are_edited_by_its_admins_only() {
    let t = TestApp::new().await;
    let (alice, mut admin) = signed_in(&t, "Alice").await;
    let (editor, mut as_editor) = signed_in(&t, "Edith").await;
    let (_, mut outsider) = signed_in(&t, "Bob").await;
    let org = t
        .org(
            "Syndicat des eaux",
            &alice,
            &[(&editor, portail_core::model::OrgRole::Editor)],
        )
        .await;
    let page = admin.get("/organizations/syndicat-des-eaux/").await;
    assert!(page.html.contains("/organizations/syndicat-des-eaux/edit"));
    let page = admin.get("/organizations/syndicat-des-eaux/edit").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("value=\"Syndicat des eaux\""));
    // A missing name keeps everything typed.
    let form = [
        ("name", ""),
        ("acronym", "SDE"),
        ("description", "L'eau potable de tout le département."),
        ("url", "https://eaux.example.org/"),
        ("image_url", ""),
        ("business_number_id", ""),
    ];
    let page = admin
        .post("/organizations/syndicat-des-eaux/edit", &form)
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("aria-invalid=\"true\""));
    assert!(page.html.contains("eau potable de tout le département."));
    assert!(page.html.contains("value=\"SDE\""));
    let mut form = form.to_vec();
    form[0] = ("name", "Syndicat départemental des eaux");
    let page = admin
        .post("/organizations/syndicat-des-eaux/edit", &form)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(
        page.location(),
        "/organizations/syndicat-departemental-des-eaux/edit?saved=1"
    );
    let api = t.get(&format!("/api/1/organizations/{org}/"), None).await;
    assert_eq!(api.body["name"], "Syndicat départemental des eaux");
    assert_eq!(api.body["acronym"], "SDE");
    assert_eq!(api.body["url"], "https://eaux.example.org/");
    // An emptied optional field is cleared.
    form[1] = ("acronym", "");
    let page = admin
        .post("/organizations/syndicat-departemental-des-eaux/edit", &form)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let api = t.get(&format!("/api/1/organizations/{org}/"), None).await;
    assert!(api.body["acronym"].is_null(), "{}", api.text);
    // Editors and others may not; anonymous visitors go to the login page; unknown is 404.
    for b in [&mut as_editor, &mut outsider] {
        let page = b
            .get("/organizations/syndicat-departemental-des-eaux/edit")
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
        let page = b
            .post("/organizations/syndicat-departemental-des-eaux/edit", &form)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
    }
    let mut anonymous = crate::pages_browser::Browser::new(&t);
    let page = anonymous
        .get("/organizations/syndicat-departemental-des-eaux/edit")
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login?next="));
    let page = admin.get("/organizations/nope/edit").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn templates_can_be_overridden_from_a_folder_and_are_reloaded() {
    let dir = std::env::temp_dir().join(format!("portail-templates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("home.html"),
        "{% extends \"base.html\" %}{% block main %}<p>Thème A</p>{% endblock %}",
    )
    .unwrap();
    let t = TestApp::with_settings(portail_web::Settings {
        templates_dir: Some(dir.clone()),
        strict_templates: true,
        ..portail_web::Settings::default()
    })
    .await;
    let mut b = crate::pages_browser::Browser::new(&t);
    assert!(b.get("/").await.html.contains("Thème A"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        dir.join("home.html"),
        "{% extends \"base.html\" %}{% block main %}<p>Thème B, plus long</p>{% endblock %}",
    )
    .unwrap();
    assert!(b.get("/").await.html.contains("Thème B"));
    // Other pages keep the embedded templates.
    assert!(b.get("/login").await.html.contains("f-password"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The page script's chunked upload: the same page address takes udata's chunk protocol,
/// answers each chunk in JSON, and the final call like a whole upload (a redirect).
#[tokio::test]
async fn a_file_uploaded_in_chunks_from_the_page() {
    let t = TestApp::new().await;
    let (alice, mut b) = signed_in(&t, "Alice").await;
    let dataset = t.dataset(&alice, json!({"title": "Comptages vélo"})).await;
    let slug = dataset["slug"].as_str().unwrap().to_owned();
    let path = format!("/datasets/{slug}/upload?from=edit");
    let edit = b.get(&format!("/datasets/{slug}/edit")).await;
    assert!(edit.html.contains("data-upload"), "{}", edit.html);
    let body: Vec<u8> = (0..2500u32)
        .flat_map(|i| format!("{i},{}\n", i * 3).into_bytes())
        .collect();
    let size = 4096;
    let parts: Vec<&[u8]> = body.chunks(size).collect();
    let uuid = "6f1b3c9e-2d4a-4b8e-9f3a-1c2d3e4f5a6b";
    let chunk_fields = |index: usize, len: usize| {
        vec![
            ("uuid", uuid.to_owned()),
            ("filename", "comptages.csv".to_owned()),
            ("partindex", index.to_string()),
            ("partbyteoffset", (index * size).to_string()),
            ("totalparts", parts.len().to_string()),
            ("chunksize", len.to_string()),
        ]
    };
    // A chunk that is not the size it announces is refused, in udata's shape; sent again, fine.
    let mut wrong = chunk_fields(0, 10);
    wrong[5].1 = "10".into();
    let refused = b
        .post_parts(&path, &wrong, Some(("comptages.csv", parts[0].to_vec())))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.html);
    assert!(
        refused.html.contains("\"success\":false"),
        "{}",
        refused.html
    );
    for (index, part) in parts.iter().enumerate() {
        let answer = b
            .post_parts(
                &path,
                &chunk_fields(index, part.len()),
                Some(("comptages.csv", part.to_vec())),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.html);
        assert!(answer.html.contains("\"success\":true"), "{}", answer.html);
    }
    // Nothing shows before the final call.
    let api = t.get(&format!("/api/1/datasets/{slug}/"), None).await;
    assert_eq!(api.body["resources"].as_array().unwrap().len(), 0);
    let finish = b
        .post_parts(
            &path,
            &[
                ("title", "Comptages 2024".to_owned()),
                ("type", "main".to_owned()),
                ("uuid", uuid.to_owned()),
                ("filename", "comptages.csv".to_owned()),
                ("totalparts", parts.len().to_string()),
            ],
            None,
        )
        .await;
    assert_eq!(finish.status, StatusCode::SEE_OTHER, "{}", finish.html);
    assert_eq!(finish.location(), format!("/datasets/{slug}/edit"));
    let api = t.get(&format!("/api/1/datasets/{slug}/"), None).await;
    let resources = api.body["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1, "{}", api.text);
    assert_eq!(resources[0]["title"], "Comptages 2024");
    assert_eq!(resources[0]["filesize"], json!(body.len()));
    let url = resources[0]["url"].as_str().unwrap();
    let download = reqwest::get(url).await.unwrap();
    assert_eq!(download.bytes().await.unwrap().as_ref(), body.as_slice());

    // Someone else's dataset: the chunk is refused before anything is stored.
    let (_bob, mut other) = signed_in(&t, "Bob").await;
    other.get("/me/").await;
    let page = other
        .post_parts(
            &path,
            &chunk_fields(0, parts[0].len()),
            Some(("comptages.csv", parts[0].to_vec())),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
}

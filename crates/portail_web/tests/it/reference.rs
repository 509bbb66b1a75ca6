//! Reference lists and their labels in English and French (mirrors `src/api/reference.rs`).

use portail_core::frequency::FREQUENCIES;
use portail_core::licenses::LICENSES;
use portail_core::reference::{ALLOWED_UPLOAD_EXTENSIONS, GRANULARITIES, RESOURCE_TYPES};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Resp, TestApp};

/// The value of `field` of the entry whose id is `id`.
fn field_of<'a>(r: &'a Resp, id: &str, field: &str) -> &'a str {
    r.body
        .as_array()
        .unwrap_or_else(|| panic!("a list: {}", r.text))
        .iter()
        .find(|e| e["id"] == id)
        .and_then(|e| e[field].as_str())
        .unwrap_or_else(|| panic!("no {id} with a {field}: {}", r.text))
}

fn ids(r: &Resp) -> Vec<String> {
    r.body
        .as_array()
        .unwrap_or_else(|| panic!("a list: {}", r.text))
        .iter()
        .map(|e| e["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn get_lang(t: &TestApp, path: &str, accept_language: &str) -> Resp {
    t.request_with_headers(
        Method::GET,
        path,
        &[("Accept-Language", accept_language)],
        None,
    )
    .await
}

#[tokio::test]
async fn licenses_are_listed_with_their_details() {
    let t = TestApp::new().await;
    let r = t.get("/api/1/datasets/licenses/", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(ids(&r).len(), LICENSES.len());
    for id in ["cc-by", "cc-by-sa", "lov2", "odc-odbl", "notspecified"] {
        assert!(ids(&r).iter().any(|i| i == id), "{id} missing: {}", r.text);
    }
    assert_eq!(
        field_of(&r, "lov2", "title"),
        "Licence Ouverte / Open Licence version 2.0"
    );
    let lov2 = r
        .body
        .as_array()
        .and_then(|l| l.iter().find(|e| e["id"] == "lov2"))
        .expect("lov2");
    for key in [
        "id",
        "title",
        "url",
        "maintainer",
        "flags",
        "alternate_urls",
        "alternate_titles",
    ] {
        assert!(lov2.get(key).is_some(), "lov2 has no {key}: {lov2}");
    }
    assert!(
        lov2["flags"]
            .as_array()
            .is_some_and(|f| f.contains(&json!("okd_compliant"))),
        "{lov2}"
    );
    assert!(
        lov2["alternate_titles"]
            .as_array()
            .is_some_and(|f| f.contains(&json!("etalab-2.0"))),
        "{lov2}"
    );
    let bare = t.get("/api/1/datasets/licenses", None).await;
    assert_eq!(bare.body, r.body);
}

#[tokio::test]
async fn frequencies_follow_lang_and_accept_language() {
    let t = TestApp::new().await;
    let path = "/api/1/datasets/frequencies/";
    let en = t.get(path, None).await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.text);
    assert_eq!(ids(&en).len(), FREQUENCIES.len());
    assert_eq!(ids(&en).len(), 40, "udata's 40 codes");
    assert_eq!(ids(&en)[0], "continuous");
    assert_eq!(field_of(&en, "daily", "label"), "Daily");
    assert_eq!(field_of(&en, "irregular", "label"), "Irregular");
    for entry in en.body.as_array().into_iter().flatten() {
        let keys: Vec<&String> = entry.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["id", "label"], "{entry}");
    }

    let fr = t.get(&format!("{path}?lang=fr"), None).await;
    assert_eq!(ids(&fr), ids(&en), "the same codes in the same order");
    assert_eq!(field_of(&fr, "daily", "label"), "Quotidienne");
    assert_eq!(field_of(&fr, "irregular", "label"), "Sans régularité");

    for header in ["fr", "fr-FR,fr;q=0.9,en;q=0.8", "FR-be"] {
        let r = get_lang(&t, path, header).await;
        assert_eq!(field_of(&r, "daily", "label"), "Quotidienne", "{header}");
    }
    for header in ["en-US,fr;q=0.5", "de", "*"] {
        let r = get_lang(&t, path, header).await;
        assert_eq!(field_of(&r, "daily", "label"), "Daily", "{header}");
    }
    // ?lang= wins over the header.
    let r = get_lang(&t, &format!("{path}?lang=en"), "fr-FR").await;
    assert_eq!(field_of(&r, "daily", "label"), "Daily");
    let r = get_lang(&t, &format!("{path}?lang=fr"), "en").await;
    assert_eq!(field_of(&r, "daily", "label"), "Quotidienne");
    let r = t.get(&format!("{path}?lang=es"), None).await;
    assert_eq!(field_of(&r, "daily", "label"), "Daily", "unknown: English");
}

#[tokio::test]
async fn resource_types_are_translated() {
    let t = TestApp::new().await;
    let path = "/api/1/datasets/resource_types/";
    let en = t.get(path, None).await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.text);
    let expected: Vec<&str> = RESOURCE_TYPES.iter().map(|c| c.id).collect();
    assert_eq!(ids(&en), expected);
    assert!(ids(&en).iter().any(|i| i == "main"));
    assert_eq!(field_of(&en, "main", "label"), "Main file");
    let fr = t.get(&format!("{path}?lang=fr"), None).await;
    assert_eq!(field_of(&fr, "main", "label"), "Fichier principal");
    assert_eq!(field_of(&fr, "code", "label"), "Dépôt de code");
    let fr = get_lang(&t, path, "fr-CA").await;
    assert_eq!(field_of(&fr, "other", "label"), "Autre");
}

#[tokio::test]
async fn upload_extensions_are_listed() {
    let t = TestApp::new().await;
    let r = t.get("/api/1/datasets/extensions/", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let list: Vec<&str> = r
        .body
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(list, ALLOWED_UPLOAD_EXTENSIONS);
    for ext in ["csv", "json", "geojson", "zip", "xlsx"] {
        assert!(list.contains(&ext), "{ext} missing");
    }
    assert!(!list.contains(&"exe"));
}

#[tokio::test]
async fn granularities_are_id_and_name() {
    let t = TestApp::new().await;
    let path = "/api/1/spatial/granularities/";
    let en = t.get(path, None).await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.text);
    let expected: Vec<&str> = GRANULARITIES.iter().map(|c| c.id).collect();
    assert_eq!(ids(&en), expected);
    assert_eq!(field_of(&en, "fr:commune", "name"), "French town");
    assert_eq!(field_of(&en, "country", "name"), "Country");
    let fr = t.get(&format!("{path}?lang=fr"), None).await;
    assert_eq!(field_of(&fr, "fr:commune", "name"), "Commune française");
    let fr = get_lang(&t, path, "fr-FR,fr;q=0.9").await;
    assert_eq!(field_of(&fr, "poi", "name"), "Point d'Intérêt");
}

#[tokio::test]
async fn organization_roles_in_both_languages() {
    let t = TestApp::new().await;
    let path = "/api/1/organizations/roles/";
    let en = t.get(path, None).await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.text);
    let fr = t.get(&format!("{path}?lang=fr"), None).await;
    let by_header = get_lang(&t, path, "fr-FR").await;
    assert_eq!(by_header.body, fr.body);
    let bare = t.get("/api/1/organizations/roles", None).await;
    assert_eq!(bare.body, en.body);
    insta::assert_json_snapshot!("organization_roles", json!({"en": en.body, "fr": fr.body}));
}

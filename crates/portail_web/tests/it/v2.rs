//! API v2: `/api/2/datasets/{dataset}/` with resources as a paginated sub-collection,
//! `/api/2/datasets/{dataset}/resources/`, `/api/2/datasets/resources/{rid}/` and the extras
//! merge.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::datasets::{assert_forbidden, assert_message, assert_unauthorized, id_of, strings};
use crate::support::{TestApp, TestUser, error_fields};

/// Titles of a page of resources.
fn titles(r: &crate::support::Resp) -> Vec<String> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data: {}", r.text))
        .iter()
        .map(|d| d["title"].as_str().expect("title").to_owned())
        .collect()
}

fn resource_title(i: usize) -> String {
    format!("Resource {i:03}")
}

/// A dataset with 120 resources; every tenth is documentation.
async fn big_dataset(t: &TestApp, user: &TestUser) -> String {
    let id = id_of(&t.dataset(user, json!({"title": "Many files"})).await);
    let resources: Vec<Value> = (1..=120)
        .map(|i| {
            json!({
                "title": resource_title(i),
                "url": format!("https://example.org/files/{i}.csv"),
                "format": "csv",
                "type": if i % 10 == 0 { "documentation" } else { "main" },
            })
        })
        .collect();
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(user),
            &json!({"resources": resources}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    id
}

#[tokio::test]
async fn dataset_v2_links_to_its_resources() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t
        .dataset(
            &alice,
            json!({
                "license": "lov2",
                "tags": ["air"],
                "resources": [
                    {"title": "A", "url": "https://example.org/a.csv", "format": "csv", "description": "Doc."},
                    {"title": "B", "url": "https://example.org/b.pdf", "format": "pdf"},
                    {"title": "C", "url": "https://example.org/c.json", "format": "json"},
                ],
            }),
        )
        .await;
    let id = id_of(&d);
    for path in [
        format!("/api/2/datasets/{id}/"),
        format!("/api/2/datasets/{id}"),
        format!("/api/2/datasets/{}/", d["slug"].as_str().unwrap()),
    ] {
        for who in [None, Some(&alice)] {
            let r = t.get(&path, who).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
            assert_eq!(
                r.body["resources"],
                json!({
                    "rel": "subsection",
                    "href": format!("{}/api/2/datasets/{id}/resources/?page=1&page_size=50", t.base),
                    "type": "GET",
                    "total": 3,
                }),
                "{path}"
            );
            assert_eq!(
                r.body["community_resources"],
                json!({
                    "rel": "subsection",
                    "href": format!("{}/api/2/datasets/{id}/community_resources/?page=1&page_size=50", t.base),
                    "type": "GET",
                    "total": 0,
                })
            );
            // Everything else is what v1 answers.
            let v1 = t.get(&format!("/api/1/datasets/{id}/"), who).await;
            for (key, value) in v1.body.as_object().expect("object") {
                if key != "resources" && key != "community_resources" {
                    assert_eq!(&r.body[key], value, "{path}: {key}");
                }
            }
        }
    }
    // The href answers the first page.
    let href = t.get(&format!("/api/2/datasets/{id}/"), None).await.body["resources"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = t.get(&href, None).await;
    assert_eq!(titles(&page), strings(&["A", "B", "C"]));
    assert_eq!(page.body["page"], 1);
    assert_eq!(page.body["page_size"], 50);
    assert_eq!(page.body["total"], 3);

    assert_message(
        &t.get("/api/2/datasets/no-such-dataset/", None).await,
        StatusCode::NOT_FOUND,
    );
    // Hidden and deleted datasets follow the v1 rules.
    let bob = t.user("Bob").await;
    let private = id_of(
        &t.dataset(&alice, json!({"title": "Secret", "private": true}))
            .await,
    );
    for path in [
        format!("/api/2/datasets/{private}/"),
        format!("/api/2/datasets/{private}/resources/"),
        format!("/api/2/datasets/{private}/extras/"),
    ] {
        assert_message(&t.get(&path, None).await, StatusCode::NOT_FOUND);
        assert_message(&t.get(&path, Some(&bob)).await, StatusCode::NOT_FOUND);
        assert_eq!(
            t.get(&path, Some(&alice)).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
    t.delete(&format!("/api/1/datasets/{id}/"), Some(&alice))
        .await;
    for path in [
        format!("/api/2/datasets/{id}/"),
        format!("/api/2/datasets/{id}/resources/"),
        format!("/api/2/datasets/{id}/extras/"),
    ] {
        assert_message(&t.get(&path, None).await, StatusCode::NOT_FOUND);
        assert_message(&t.get(&path, Some(&alice)).await, StatusCode::GONE);
    }
}

#[tokio::test]
async fn resources_v2_are_paged_and_filtered() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let id = big_dataset(&t, &alice).await;
    let list = format!("{}/api/2/datasets/{id}/resources/", t.base);
    let all: Vec<String> = (1..=120).map(resource_title).collect();

    let v2 = t.get(&format!("/api/2/datasets/{id}/"), None).await;
    assert_eq!(v2.body["resources"]["total"], 120);
    let v1 = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(v1.body["resources"].as_array().map(Vec::len), Some(120));

    let first = t
        .get(&format!("/api/2/datasets/{id}/resources/"), None)
        .await;
    assert_eq!(first.body["page"], 1);
    assert_eq!(first.body["page_size"], 50);
    assert_eq!(first.body["total"], 120);
    assert_eq!(titles(&first), all[..50].to_vec());
    assert_eq!(first.body["previous_page"], Value::Null);
    assert_eq!(first.body["next_page"], format!("{list}?page=2"));
    assert_eq!(first.body["data"][0], v1.body["resources"][0]);

    // Walking next_page from the dataset's href gives every resource once, in order.
    let mut seen = Vec::new();
    let mut next = v2.body["resources"]["href"].as_str().map(str::to_owned);
    let mut pages = 0;
    while let Some(url) = next {
        let r = t.get(&url, None).await;
        seen.extend(titles(&r));
        next = r.body["next_page"].as_str().map(str::to_owned);
        pages += 1;
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, all);

    let last = t
        .get(&format!("/api/2/datasets/{id}/resources/?page=3"), None)
        .await;
    assert_eq!(titles(&last), all[100..].to_vec());
    assert_eq!(last.body["next_page"], Value::Null);
    assert_eq!(last.body["previous_page"], format!("{list}?page=2"));
    let r = t
        .get(
            &format!("/api/2/datasets/{id}/resources/?page_size=100&page=2"),
            None,
        )
        .await;
    assert_eq!(titles(&r), all[100..].to_vec());
    let r = t
        .get(&format!("/api/2/datasets/{id}/resources/?page=4"), None)
        .await;
    assert_eq!(titles(&r), Vec::<String>::new());
    assert_eq!(r.body["total"], 120);

    // Filters: type, words of the title; paging links keep them.
    let docs = t
        .get(
            &format!("/api/2/datasets/{id}/resources/?type=documentation&page_size=5"),
            None,
        )
        .await;
    assert_eq!(docs.body["total"], 12);
    assert_eq!(
        titles(&docs),
        (1..=5).map(|i| resource_title(i * 10)).collect::<Vec<_>>()
    );
    assert!(
        docs.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["type"] == "documentation")
    );
    let next = docs.body["next_page"].as_str().expect("next");
    assert!(
        next.starts_with(&list)
            && next.contains("type=documentation")
            && next.contains("page_size=5")
            && next.contains("page=2"),
        "{next}"
    );
    let r = t.get(next, None).await;
    assert_eq!(
        titles(&r),
        (6..=10).map(|i| resource_title(i * 10)).collect::<Vec<_>>()
    );
    let r = t
        .get(&format!("/api/2/datasets/{id}/resources/?type=api"), None)
        .await;
    assert_eq!(r.body["total"], 0);
}

#[tokio::test]
async fn resources_v2_word_filter_and_bad_parameters() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let id = big_dataset(&t, &alice).await;
    let all: Vec<String> = (1..=120).map(resource_title).collect();
    for q in ["11", "resource 01", "RESOURCE 12", "nothing"] {
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        let expected: Vec<String> = all
            .iter()
            .filter(|t| words.iter().all(|w| t.to_lowercase().contains(w)))
            .cloned()
            .collect();
        let r = t
            .get(
                &format!(
                    "/api/2/datasets/{id}/resources/?q={}&page_size=120",
                    q.replace(' ', "%20")
                ),
                None,
            )
            .await;
        assert_eq!(titles(&r), expected, "q={q}");
        assert_eq!(r.body["total"], expected.len(), "q={q}");
    }
    let r = t
        .get(
            &format!("/api/2/datasets/{id}/resources/?q=resource&type=documentation&page_size=3"),
            None,
        )
        .await;
    assert_eq!(r.body["total"], 12);

    for (query, field) in [
        ("type=movie", "type"),
        ("type=MAIN", "type"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page_size=0", "page_size"),
        ("page_size=abc", "page_size"),
        ("page_size=1001", "page_size"),
    ] {
        let r = t
            .get(&format!("/api/2/datasets/{id}/resources/?{query}"), None)
            .await;
        assert_eq!(error_fields(&r), vec![field.to_owned()], "?{query}");
    }
    assert_message(
        &t.get("/api/2/datasets/no-such-dataset/resources/", None)
            .await,
        StatusCode::NOT_FOUND,
    );
    // By slug.
    let r = t
        .get("/api/2/datasets/many-files/resources/?page_size=1", None)
        .await;
    assert_eq!(r.body["total"], 120, "{}", r.text);
    assert_eq!(
        r.body["next_page"],
        format!(
            "{}/api/2/datasets/{id}/resources/?page_size=1&page=2",
            t.base
        )
    );
}

#[tokio::test]
async fn a_resource_by_id_alone() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let id = id_of(&t.dataset(&alice, json!({})).await);
    let res = t.remote_resource(&alice, &id, json!({})).await;
    let rid = id_of(&res);
    for path in [
        format!("/api/2/datasets/resources/{rid}/"),
        format!("/api/2/datasets/resources/{rid}"),
    ] {
        for who in [None, Some(&bob)] {
            let r = t.get(&path, who).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            assert_eq!(r.body, json!({"resource": res, "dataset_id": id}));
        }
    }
    assert_message(
        &t.get(
            "/api/2/datasets/resources/7d3c1c9e-4b8a-4f4e-9a57-3a1f0c2b5d6e/",
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    let private = id_of(
        &t.dataset(&alice, json!({"title": "Secret", "private": true}))
            .await,
    );
    let hidden = id_of(&t.remote_resource(&alice, &private, json!({})).await);
    let path = format!("/api/2/datasets/resources/{hidden}/");
    assert_message(&t.get(&path, None).await, StatusCode::NOT_FOUND);
    assert_message(&t.get(&path, Some(&bob)).await, StatusCode::NOT_FOUND);
    let r = t.get(&path, Some(&alice)).await;
    assert_eq!(r.body["dataset_id"], private.as_str(), "{}", r.text);
    // A deleted dataset's resource is not found, even by its owner.
    t.delete(&format!("/api/1/datasets/{private}/"), Some(&alice))
        .await;
    assert_message(&t.get(&path, Some(&alice)).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn extras_are_merged_and_null_deletes() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let id = id_of(&t.dataset(&alice, json!({"extras": {"kept": "yes"}})).await);
    let path = format!("/api/2/datasets/{id}/extras/");
    let r = t.get(&path, None).await;
    assert_eq!(r.body, json!({"kept": "yes"}), "{}", r.text);

    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"a": 1, "b": "x", "c": {"n": [1, 2]}, "d": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"kept": "yes", "a": 1, "b": "x", "c": {"n": [1, 2]}, "d": false})
    );
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"a": null, "b": "y", "missing": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let expected = json!({"kept": "yes", "b": "y", "c": {"n": [1, 2]}, "d": false});
    assert_eq!(r.body, expected);
    assert_eq!(t.get(&path, None).await.body, expected);
    assert_eq!(t.get(path.trim_end_matches('/'), None).await.body, expected);
    let v1 = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(v1.body["extras"], expected);
    let r = t.put(&path, Some(&alice), &json!({})).await;
    assert_eq!(r.body, expected);

    assert_unauthorized(&t.put(&path, None, &json!({"z": 1})).await);
    assert_forbidden(&t.put(&path, Some(&bob), &json!({"z": 1})).await);
    let r = t.put(&path, Some(&alice), &json!({"": 1})).await;
    assert_eq!(error_fields(&r), vec!["extras".to_owned()]);
    let r = t.put(&path, Some(&alice), &json!(["a"])).await;
    assert_message(&r, StatusCode::BAD_REQUEST);
    let r = t
        .send_raw(Method::PUT, &path, Some(&alice), Some("text/plain"), "{}")
        .await;
    assert_eq!(error_fields(&r), vec!["Content-Type".to_owned()]);
    assert_eq!(t.get(&path, None).await.body, expected);
    assert_message(
        &t.put(
            "/api/2/datasets/no-such/extras/",
            Some(&alice),
            &json!({"a": 1}),
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    t.delete(&format!("/api/1/datasets/{id}/"), Some(&alice))
        .await;
    assert_message(
        &t.put(&path, Some(&alice), &json!({"a": 1})).await,
        StatusCode::GONE,
    );
}

#[tokio::test]
async fn v2_anonymous_reads_are_cached_and_fresh() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let id = id_of(&t.dataset(&alice, json!({})).await);
    t.remote_resource(&alice, &id, json!({"title": "First"}))
        .await;
    let paths = [
        format!("/api/2/datasets/{id}/"),
        format!("/api/2/datasets/{id}/resources/"),
    ];
    for path in &paths {
        let r = t.get(path, None).await;
        let etag = r.headers["etag"].to_str().unwrap().to_owned();
        let again = t
            .request_with_headers(Method::GET, path, &[("If-None-Match", &etag)], None)
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
    }
    // Through the API: at once.
    t.remote_resource(&alice, &id, json!({"title": "Second"}))
        .await;
    let r = t.get(&paths[1], None).await;
    assert_eq!(titles(&r), strings(&["Second", "First"]));
    assert_eq!(t.get(&paths[0], None).await.body["resources"]["total"], 2);

    // From another process: within a bounded delay.
    let actor = t.actor_of(&alice).await;
    let body = json!({"title": "Third", "url": "https://example.org/3.csv"});
    portail_app::resources::create_remote(&t.app, &actor, &id, body.as_object().unwrap())
        .await
        .expect("create");
    let deadline = Instant::now() + Duration::from_millis(2500);
    loop {
        let page = t.get(&paths[1], None).await;
        let dataset = t.get(&paths[0], None).await;
        if titles(&page) == strings(&["Third", "Second", "First"])
            && dataset.body["resources"]["total"] == 3
        {
            break;
        }
        assert!(Instant::now() < deadline, "still stale: {}", page.text);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn v2_quality_summarises_resources_without_loading_them() {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let d = t
        .dataset(&owner, serde_json::json!({"frequency": "daily"}))
        .await;
    let id = d["id"].as_str().unwrap();
    let v2 = t.get(&format!("/api/2/datasets/{id}/"), Some(&owner)).await;
    assert_eq!(v2.body["quality"]["has_resources"], false);
    assert!(v2.body["quality"].get("all_resources_available").is_none());
    for (title, extras, format) in [
        ("Fiche", serde_json::json!({}), "pdf"),
        (
            "Données",
            serde_json::json!({"check:available": false}),
            "csv",
        ),
    ] {
        let r = t
            .post(
                &format!("/api/1/datasets/{id}/resources/"),
                Some(&owner),
                &serde_json::json!({"title": title, "url": "https://example.org/x", "format": format, "extras": extras}),
            )
            .await;
        assert_eq!(r.status, reqwest::StatusCode::CREATED, "{}", r.text);
    }
    let v1 = t.get(&format!("/api/1/datasets/{id}/"), Some(&owner)).await;
    let v2 = t.get(&format!("/api/2/datasets/{id}/"), Some(&owner)).await;
    assert_eq!(v2.body["resources"]["total"], 2);
    assert_eq!(v2.body["quality"]["has_open_format"], true);
    assert_eq!(v2.body["quality"]["all_resources_available"], false);
    assert_eq!(v2.body["quality"]["resources_documentation"], false);
    assert_eq!(v2.body["quality"], v1.body["quality"]);
    assert_eq!(v2.body["last_update"], v1.body["last_update"]);
}

//! `/api/2/datasets/search/`, `/api/1/datasets/?q=`, suggestions and organization search:
//! ranking, filters and facets over HTTP, validation, visibility per role, freshness across two
//! nodes sharing one database.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::datasets::{id_of, sorted, strings, titles};
use crate::support::{Cast, Resp, TestApp, error_fields};

/// Polls `path` until `done` holds (the index follows the database a few times a second).
async fn eventually(t: &TestApp, path: &str, done: impl Fn(&Resp) -> bool) -> Resp {
    let started = Instant::now();
    loop {
        let r = t.get(path, None).await;
        if done(&r) {
            return r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{path} never satisfied the condition: {}",
            r.text
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn catalog(t: &TestApp, c: &Cast) {
    t.dataset(
        &c.admin,
        json!({
            "title": "Élections municipales : résultats par bureau de vote",
            "description": "Les résultats détaillés du scrutin de 2020.",
            "tags": ["elections", "politique"],
            "license": "fr-lo",
            "frequency": "punctual",
            "organization": c.org,
            "temporal_coverage": {"start": "2020-03-15", "end": "2020-06-28"},
            "spatial": {"granularity": "fr:commune"},
            "resources": [{"title": "Résultats", "url": "https://example.org/r.csv", "format": "csv"}],
        }),
    )
    .await;
    t.dataset(
        &c.owner,
        json!({
            "title": "Street trees inventory",
            "description": "Every tree planted along the streets, with species.",
            "tags": ["environment", "trees"],
            "license": "odc-odbl",
            "frequency": "annual",
            "resources": [
                {"title": "Trees", "url": "https://example.org/t.geojson", "format": "geojson"},
                {"title": "Table", "url": "https://example.org/t.csv", "format": "csv"},
            ],
        }),
    )
    .await;
    t.dataset(
        &c.owner,
        json!({
            "title": "Budget primitif",
            "description": "Le budget voté après les élections et leurs résultats.",
            "resources": [{"title": "Budget", "url": "https://example.org/b.pdf", "format": "pdf"}],
        }),
    )
    .await;
}

#[tokio::test]
async fn search_ranks_words_with_stemming_and_accents_and_answers_udata_pages_with_facets() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    catalog(&t, &c).await;
    let r = t
        .get("/api/2/datasets/search/?q=election%20resultat", None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // The title match first, the description match after.
    assert_eq!(
        titles(&r),
        [
            "Élections municipales : résultats par bureau de vote",
            "Budget primitif"
        ]
    );
    assert_eq!(r.body["total"], 2);
    assert_eq!(r.body["page"], 1);
    assert_eq!(r.body["page_size"], 20);
    assert!(r.body["next_page"].is_null());
    // v2 datasets: resources are a link.
    assert_eq!(r.body["data"][0]["resources"]["rel"], "subsection");
    let facets = &r.body["facets"];
    assert_eq!(
        facets["organization"],
        json!([{"id": c.org, "label": "Régie des données", "count": 1}])
    );
    assert_eq!(
        facets["license"][0]["label"],
        "Licence Ouverte / Open Licence"
    );
    for name in [
        "tags",
        "format",
        "format_family",
        "frequency",
        "granularity",
    ] {
        assert!(facets[name].is_array(), "facet {name}: {}", r.text);
    }
    let phrase = t
        .get(
            "/api/2/datasets/search/?q=%22bureau%20de%20vote%22&facets=none",
            None,
        )
        .await;
    assert_eq!(titles(&phrase).len(), 1);
    assert_eq!(phrase.body["facets"], json!({}));
    let english = t
        .get("/api/2/datasets/search/?q=tree%20species", None)
        .await;
    assert_eq!(titles(&english), ["Street trees inventory"]);
}

/// A search page loads tags and a summary of the resources with the datasets, not the resources:
/// each of its datasets must still be what the dataset's own v2 page shows, and the v1 list
/// (resources embedded) the v1 page.
#[tokio::test]
async fn search_results_are_the_datasets_as_their_pages_show_them() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    catalog(&t, &c).await;
    // Neither tag nor resource: the summary's columns are all NULL.
    t.dataset(
        &c.owner,
        json!({"title": "Bare dataset", "description": "Nothing attached yet."}),
    )
    .await;
    let r = eventually(&t, "/api/2/datasets/search/?sort=title", |r| {
        r.body["total"] == 4
    })
    .await;
    let found = r.body["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(found.len(), 4, "{}", r.text);
    let bare = found
        .iter()
        .find(|d| d["title"] == "Bare dataset")
        .cloned()
        .unwrap_or_default();
    assert_eq!(bare["tags"], json!([]));
    assert_eq!(bare["resources"]["total"], 0);
    for d in &found {
        let id = d["id"].as_str().unwrap_or_default();
        let page = t.get(&format!("/api/2/datasets/{id}/"), None).await;
        assert_eq!(&page.body, d, "v2 search result differs from its page");
    }
    let trees = found
        .iter()
        .find(|d| d["title"] == "Street trees inventory")
        .cloned()
        .unwrap_or_default();
    assert_eq!(trees["tags"], json!(["environment", "trees"]));
    assert_eq!(trees["resources"]["total"], 2);
    let v1 = t.get("/api/1/datasets/?q=trees", None).await;
    let id = v1.body["data"][0]["id"].as_str().unwrap_or_default();
    let page = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(
        v1.body["data"][0], page.body,
        "v1 search result differs from its page"
    );
}

#[tokio::test]
async fn every_search_filter_and_sort() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    catalog(&t, &c).await;
    const E: &str = "Élections municipales : résultats par bureau de vote";
    const T: &str = "Street trees inventory";
    const B: &str = "Budget primitif";
    let cases: Vec<(String, Vec<&str>)> = vec![
        (String::new(), vec![E, T, B]),
        ("tag=trees".into(), vec![T]),
        ("tag=trees&tag=elections".into(), vec![]),
        (format!("organization={}", c.org), vec![E]),
        (format!("owner={}", c.owner.id), vec![T, B]),
        ("owner=nobody".into(), vec![]),
        ("license=odc-odbl".into(), vec![T]),
        ("format=CSV".into(), vec![E, T]),
        ("format_family=documents".into(), vec![B]),
        ("format_family=geographical".into(), vec![T]),
        ("frequency=annual".into(), vec![T]),
        ("granularity=fr:commune".into(), vec![E]),
        ("temporal_coverage=2020-06-01-2020-12-31".into(), vec![E]),
        ("temporal_coverage=2021-01-01-2021-12-31".into(), vec![]),
        ("last_update_range=last_30_days".into(), vec![E, T, B]),
        ("featured=true".into(), vec![]),
        ("badge=hvd".into(), vec![]),
        ("q=budget&format=pdf".into(), vec![B]),
    ];
    for (query, expected) in cases {
        let r = t
            .get(&format!("/api/2/datasets/search/?{query}"), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "?{query}: {}", r.text);
        assert_eq!(sorted(titles(&r)), sorted(strings(&expected)), "?{query}");
        assert_eq!(r.body["total"], expected.len(), "?{query}");
    }
    let by = |sort: &str| {
        let t = &t;
        let path = format!("/api/2/datasets/search/?sort={sort}");
        async move { titles(&t.get(&path, None).await) }
    };
    assert_eq!(by("title").await, [B, E, T]);
    assert_eq!(by("-title").await, [T, E, B]);
    assert_eq!(by("-created").await, [B, T, E]);
    assert_eq!(by("created").await, [E, T, B]);
    for sort in [
        "views",
        "-downloads",
        "followers",
        "-reuses",
        "last_update",
        "relevance",
    ] {
        assert_eq!(by(sort).await.len(), 3, "sort={sort}");
    }
    let page = t
        .get(
            "/api/2/datasets/search/?sort=title&page_size=2&page=2",
            None,
        )
        .await;
    assert_eq!(titles(&page), [T]);
    assert!(page.body["previous_page"].as_str().is_some());
}

#[tokio::test]
async fn invalid_search_parameters_name_the_parameter() {
    let t = TestApp::new().await;
    for (query, field) in [
        ("sort=popularity", "sort"),
        ("license=nope", "license"),
        ("frequency=sometimes", "frequency"),
        ("granularity=planet", "granularity"),
        ("format_family=music", "format_family"),
        ("temporal_coverage=2020", "temporal_coverage"),
        ("last_update_range=yesterday", "last_update_range"),
        ("facets=colour", "facets"),
        ("featured=maybe", "featured"),
        ("page=0", "page"),
        ("page=600&page_size=20", "page"),
        ("page_size=5000", "page_size"),
    ] {
        let r = t
            .get(&format!("/api/2/datasets/search/?{query}"), None)
            .await;
        assert_eq!(error_fields(&r), [field], "?{query}");
    }
    let r = t.get("/api/1/datasets/suggest/?q=a&size=0", None).await;
    assert_eq!(error_fields(&r), ["size"]);
    let r = t.get("/api/2/datasets/search/?deleted=true", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    // Operators and punctuation are searched as words, never an error.
    for q in ["c%2B%2B", "a%3Ab", "%22open", "(", "*", "%00"] {
        let r = t.get(&format!("/api/2/datasets/search/?q={q}"), None).await;
        assert_eq!(r.status, StatusCode::OK, "q={q}: {}", r.text);
    }
}

#[tokio::test]
async fn hidden_datasets_are_found_only_by_those_who_may_see_them() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let org_private = t
        .dataset(
            &c.admin,
            json!({"title": "Zébrures privées de la régie", "private": true, "organization": c.org}),
        )
        .await;
    let own_private = t
        .dataset(
            &c.owner,
            json!({"title": "Zébrures privées du propriétaire", "private": true}),
        )
        .await;
    let deleted = t
        .dataset(&c.owner, json!({"title": "Zébrures supprimées"}))
        .await;
    let r = t
        .delete(
            &format!("/api/1/datasets/{}/", id_of(&deleted)),
            Some(&c.owner),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let archived = t
        .dataset(&c.owner, json!({"title": "Zébrures archivées"}))
        .await;
    let r = t
        .put(
            &format!("/api/1/datasets/{}/", id_of(&archived)),
            Some(&c.owner),
            &json!({"archived": "2024-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    t.dataset(&c.owner, json!({"title": "Zébrures publiques"}))
        .await;
    let seen = |user: Option<&crate::support::TestUser>, query: &str| {
        let path = format!("/api/2/datasets/search/?q=zebrure{query}");
        let t = &t;
        let user = user.cloned();
        async move {
            let r = t.get(&path, user.as_ref()).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
            sorted(titles(&r))
        }
    };
    let public = strings(&["Zébrures publiques"]);
    assert_eq!(seen(None, "").await, public);
    assert_eq!(seen(Some(&c.other), "").await, public);
    let with_org = sorted(strings(&[
        "Zébrures publiques",
        "Zébrures privées de la régie",
    ]));
    assert_eq!(seen(Some(&c.editor), "").await, with_org);
    assert_eq!(seen(Some(&c.admin), "").await, with_org);
    assert_eq!(seen(Some(&c.partial), "").await, with_org);
    assert_eq!(
        seen(Some(&c.owner), "").await,
        sorted(strings(&[
            "Zébrures publiques",
            "Zébrures privées du propriétaire"
        ]))
    );
    assert_eq!(
        seen(Some(&c.sysadmin), "").await,
        sorted(strings(&[
            "Zébrures publiques",
            "Zébrures privées du propriétaire",
            "Zébrures privées de la régie"
        ]))
    );
    assert_eq!(
        seen(Some(&c.owner), "&private=true").await,
        strings(&["Zébrures privées du propriétaire"])
    );
    assert!(seen(Some(&c.other), "&private=true").await.is_empty());
    assert_eq!(
        seen(Some(&c.owner), "&deleted=true").await,
        strings(&["Zébrures supprimées"])
    );
    assert!(seen(Some(&c.other), "&deleted=true").await.is_empty());
    assert_eq!(
        seen(Some(&c.sysadmin), "&archived=true").await,
        strings(&["Zébrures archivées"])
    );
    // Not through the v1 list, the facets nor the suggestions either.
    let r = t.get("/api/1/datasets/?q=zebrure&facets=all", None).await;
    assert_eq!(titles(&r), public);
    assert_eq!(r.body["facets"]["organization"], json!([]));
    let r = t.get("/api/1/datasets/suggest/?q=zebr", None).await;
    let suggested: Vec<&str> = r
        .body
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["title"].as_str())
        .collect();
    assert_eq!(suggested, ["Zébrures publiques"]);
    let _ = (org_private, own_private);
}

#[tokio::test]
async fn writes_reach_the_search_of_every_node_sharing_the_database() {
    let t = TestApp::new().await;
    let other_node = t.second_node().await;
    let alice = t.user("Alice").await;
    let d = t
        .dataset(&alice, json!({"title": "Calendrier des marées"}))
        .await;
    let id = id_of(&d);
    for node in [&t, &other_node] {
        eventually(node, "/api/2/datasets/search/?q=maree", |r| {
            titles(r) == ["Calendrier des marées"]
        })
        .await;
    }
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&alice),
            &json!({"title": "Coefficients des marées"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for node in [&t, &other_node] {
        eventually(node, "/api/2/datasets/search/?q=coefficient", |r| {
            r.body["total"] == 1
        })
        .await;
        eventually(node, "/api/2/datasets/search/?q=calendrier", |r| {
            r.body["total"] == 0
        })
        .await;
    }
    let r = t
        .delete(&format!("/api/1/datasets/{id}/"), Some(&alice))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    for node in [&t, &other_node] {
        eventually(node, "/api/2/datasets/search/?q=maree", |r| {
            r.body["total"] == 0
        })
        .await;
    }
}

#[tokio::test]
async fn an_anonymous_cached_answer_never_outlives_the_index_it_came_from() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    t.dataset(&alice, json!({"title": "Pistes cyclables"}))
        .await;
    let first = t.get("/api/2/datasets/search/?q=piste", None).await;
    assert_eq!(first.body["total"], 1);
    let again = t.get("/api/2/datasets/search/?q=piste", None).await;
    assert_eq!(again.headers.get("etag"), first.headers.get("etag"));
    t.dataset(&alice, json!({"title": "Pistes de ski"})).await;
    eventually(&t, "/api/2/datasets/search/?q=piste", |r| {
        r.body["total"] == 2
    })
    .await;
}

#[tokio::test]
async fn suggestions_complete_titles_and_organization_names() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    catalog(&t, &c).await;
    let r = t.get("/api/1/datasets/suggest/?q=elect&size=5", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let first: &Value = &r.body[0];
    assert_eq!(
        first["title"],
        "Élections municipales : résultats par bureau de vote"
    );
    assert!(first["page"].as_str().is_some_and(|p| p.ends_with(&format!(
        "/datasets/{}/",
        first["slug"].as_str().unwrap_or_default()
    ))));
    let r = t.get("/api/1/datasets/suggest/?q=street%20tr", None).await;
    assert_eq!(r.body.as_array().map(Vec::len), Some(1));
    let r = t.get("/api/1/datasets/suggest/?q=", None).await;
    assert_eq!(r.body, json!([]));
    t.wait_for_search().await;
    let r = t.get("/api/1/organizations/suggest/?q=regie", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body[0]["id"], c.org);
    assert_eq!(r.body[0]["title"], "Régie des données");
    let r = t.get("/api/1/organizations/?q=donnees", None).await;
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["data"][0]["id"], c.org);
}

#[tokio::test]
async fn the_v1_list_with_words_is_ranked_by_the_engine_and_keeps_its_filters() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    catalog(&t, &c).await;
    let r = t.get("/api/1/datasets/?q=resultats", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        titles(&r)[0],
        "Élections municipales : résultats par bureau de vote"
    );
    assert!(
        r.body.get("facets").is_none(),
        "facets only when asked: {}",
        r.text
    );
    // v1 datasets embed their resources.
    assert!(r.body["data"][0]["resources"].is_array());
    let r = t
        .get(
            &format!(
                "/api/1/datasets/?q=resultats&organization={}&facets=format",
                c.org
            ),
            None,
        )
        .await;
    assert_eq!(r.body["total"], 1);
    assert_eq!(
        r.body["facets"]["format"],
        json!([{"id": "csv", "label": "csv", "count": 1}])
    );
}

#[tokio::test]
async fn a_renamed_organization_is_labelled_with_its_new_name_at_once() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    catalog(&t, &c).await;
    let path = "/api/2/datasets/search/?q=election";
    let label = |r: &Resp| {
        (
            r.body["facets"]["organization"][0]["label"].clone(),
            r.body["data"][0]["organization"]["name"].clone(),
        )
    };
    // Read once anonymously and once signed in: both keep the organization's ref in memory.
    for user in [None, Some(&c.other)] {
        let r = t.get(path, user).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(
            label(&r),
            (json!("Régie des données"), json!("Régie des données"))
        );
    }
    let r = t
        .put(
            &format!("/api/1/organizations/{}/", c.org),
            Some(&c.admin),
            &json!({"name": "Régie métropolitaine des données"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for user in [None, Some(&c.other)] {
        let r = t.get(path, user).await;
        let renamed = json!("Régie métropolitaine des données");
        assert_eq!(label(&r), (renamed.clone(), renamed), "{}", r.text);
    }
}

//! `/api/1/datasets/`: list (envelope, filters, sorts, paging), create, read, update, delete,
//! featured; visibility, permissions and the anonymous response cache.

use std::time::{Duration, Instant};

use portail_web::Settings;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Cast, Resp, TestApp, TestUser, error_fields};

const DENIED: &str = "You do not have the permission to modify that object.";

/// Titles of a list page, in order.
pub(crate) fn titles(r: &Resp) -> Vec<String> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data: {}", r.text))
        .iter()
        .map(|d| d["title"].as_str().expect("title").to_owned())
        .collect()
}

pub(crate) fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

pub(crate) fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

pub(crate) fn id_of(d: &Value) -> String {
    d["id"].as_str().expect("id").to_owned()
}

pub(crate) fn assert_unauthorized(r: &Resp) {
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert_eq!(
        r.headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer realm=\"uData\""),
        "{:?}",
        r.headers
    );
    assert!(r.body["message"].is_string(), "{}", r.text);
}

pub(crate) fn assert_forbidden(r: &Resp) {
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(r.body["message"], DENIED, "{}", r.text);
}

pub(crate) fn assert_message(r: &Resp, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(
        r.body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn list_envelope_and_paging_links() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    for i in 1..=5 {
        t.dataset(&alice, json!({"title": format!("Dataset {i}")}))
            .await;
    }
    let list = format!("{}/api/1/datasets/", t.base);

    let r = t.get("/api/1/datasets/?page_size=2", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let keys: Vec<&String> = r.body.as_object().expect("object").keys().collect();
    assert_eq!(
        sorted(keys.into_iter().cloned().collect()),
        strings(&[
            "data",
            "next_page",
            "page",
            "page_size",
            "previous_page",
            "total"
        ])
    );
    assert_eq!(r.body["page"], 1);
    assert_eq!(r.body["page_size"], 2);
    assert_eq!(r.body["total"], 5);
    assert_eq!(titles(&r), strings(&["Dataset 5", "Dataset 4"]));
    assert_eq!(r.body["previous_page"], Value::Null);
    assert_eq!(r.body["next_page"], format!("{list}?page_size=2&page=2"));

    // Following next_page (an absolute URL) walks the whole list.
    let mut seen = Vec::new();
    let mut next = Some(format!("{list}?page_size=2"));
    while let Some(url) = next {
        let r = t.get(&url, None).await;
        seen.extend(titles(&r));
        next = r.body["next_page"].as_str().map(str::to_owned);
    }
    assert_eq!(
        seen,
        strings(&[
            "Dataset 5",
            "Dataset 4",
            "Dataset 3",
            "Dataset 2",
            "Dataset 1"
        ])
    );

    let last = t.get("/api/1/datasets/?page_size=2&page=3", None).await;
    assert_eq!(titles(&last), strings(&["Dataset 1"]));
    assert_eq!(last.body["next_page"], Value::Null);
    assert_eq!(
        last.body["previous_page"],
        format!("{list}?page_size=2&page=2")
    );

    let past = t.get("/api/1/datasets/?page_size=2&page=9", None).await;
    assert_eq!(titles(&past), Vec::<String>::new());
    assert_eq!(past.body["total"], 5);
    assert_eq!(past.body["next_page"], Value::Null);
    assert_eq!(
        past.body["previous_page"],
        format!("{list}?page_size=2&page=8")
    );

    // Other parameters are kept in the links; the default page size is 20.
    let r = t
        .get("/api/1/datasets/?tag=&q=dataset&page_size=1", None)
        .await;
    let next = r.body["next_page"].as_str().expect("next");
    assert!(next.starts_with(&list), "{next}");
    assert!(
        next.contains("q=dataset") && next.contains("page=2"),
        "{next}"
    );
    let r = t.get("/api/1/datasets/", None).await;
    assert_eq!(r.body["page_size"], 20);
    assert_eq!(r.body["next_page"], Value::Null);
    let r = t.get("/api/1/datasets/?page_size=1000", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Without the trailing slash too.
    let r = t.get("/api/1/datasets?page_size=2", None).await;
    assert_eq!(r.body["total"], 5, "{}", r.text);
}

#[tokio::test]
async fn public_url_setting_is_used_for_every_link() {
    let t = TestApp::with_settings(Settings {
        public_url: Some("https://data.example.org/".into()),
        ..Settings::default()
    })
    .await;
    let alice = t.user("Alice").await;
    let org = t.org("Open Valbourg", &alice, &[]).await;
    let d = t.dataset(&alice, json!({"organization": org})).await;
    let id = id_of(&d);
    t.dataset(&alice, json!({"title": "Second"})).await;
    let res = t.remote_resource(&alice, &id, json!({})).await;

    let read = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    for body in [&d, &read.body] {
        assert_eq!(
            body["uri"],
            format!("https://data.example.org/api/1/datasets/{id}/")
        );
        assert_eq!(
            body["page"],
            format!(
                "https://data.example.org/datasets/{}/",
                d["slug"].as_str().unwrap()
            )
        );
        assert_eq!(
            body["organization"]["uri"],
            format!("https://data.example.org/api/1/organizations/{org}/")
        );
    }
    let rid = res["id"].as_str().unwrap();
    assert_eq!(
        res["latest"],
        format!("https://data.example.org/api/1/datasets/r/{rid}")
    );
    assert_eq!(read.body["resources"][0]["latest"], res["latest"]);

    let page = t.get("/api/1/datasets/?page_size=1", None).await;
    assert_eq!(
        page.body["next_page"],
        "https://data.example.org/api/1/datasets/?page_size=1&page=2"
    );
    let page2 = t.get("/api/1/datasets/?page_size=1&page=2", None).await;
    assert_eq!(
        page2.body["previous_page"],
        "https://data.example.org/api/1/datasets/?page_size=1&page=1"
    );
    let owner = t
        .get(&format!("/api/1/datasets/?owner={}", alice.id), None)
        .await;
    assert_eq!(
        owner.body["data"][0]["owner"]["uri"],
        format!("https://data.example.org/api/1/users/{}/", alice.id)
    );
    let v2 = t.get(&format!("/api/2/datasets/{id}/"), None).await;
    assert_eq!(
        v2.body["resources"]["href"],
        format!("https://data.example.org/api/2/datasets/{id}/resources/?page=1&page_size=50")
    );
}

#[tokio::test]
async fn dataset_has_udata_fields_and_defaults() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t.dataset(&alice, json!({})).await;
    let id = id_of(&d);
    let anonymous = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(anonymous.status, StatusCode::OK, "{}", anonymous.text);
    for body in [&d, &anonymous.body] {
        for key in [
            "id",
            "title",
            "acronym",
            "slug",
            "description",
            "description_short",
            "created_at",
            "last_modified",
            "last_update",
            "deleted",
            "archived",
            "private",
            "featured",
            "tags",
            "badges",
            "resources",
            "community_resources",
            "frequency",
            "frequency_date",
            "extras",
            "harvest",
            "metrics",
            "organization",
            "owner",
            "temporal_coverage",
            "spatial",
            "license",
            "uri",
            "page",
            "quality",
            "internal",
            "permissions",
            "contact_points",
            "schema",
            "access_type",
        ] {
            assert!(body.get(key).is_some(), "missing {key}: {body}");
        }
        assert_eq!(body["license"], "notspecified");
        assert_eq!(body["frequency"], "unknown");
        assert_eq!(body["private"], false);
        assert_eq!(body["featured"], false);
        assert_eq!(body["deleted"], Value::Null);
        assert_eq!(body["archived"], Value::Null);
        assert_eq!(body["organization"], Value::Null);
        assert_eq!(body["owner"]["id"], alice.id.as_str());
        assert_eq!(body["resources"], json!([]));
        assert_eq!(body["community_resources"], json!([]));
        assert_eq!(body["tags"], json!([]));
        assert_eq!(body["extras"], json!({}));
        assert_eq!(body["access_type"], "open");
        for key in [
            "discussions",
            "discussions_open",
            "followers",
            "reuses",
            "views",
            "resources_downloads",
        ] {
            assert_eq!(body["metrics"][key], 0, "metrics.{key}");
        }
        assert!(body["internal"]["created_at_internal"].is_string());
        assert!(body["internal"]["last_modified_internal"].is_string());
        assert_eq!(body["id"].as_str().map(str::len), Some(24));
    }
    assert_eq!(
        d["permissions"],
        json!({"delete": true, "edit": true, "edit_resources": true})
    );
    assert_eq!(
        anonymous.body["permissions"],
        json!({"delete": false, "edit": false, "edit_resources": false})
    );
    let bob = t.user("Bob").await;
    let as_bob = t.get(&format!("/api/1/datasets/{id}/"), Some(&bob)).await;
    assert_eq!(as_bob.body["permissions"]["edit"], false);
    // By slug too.
    let by_slug = t
        .get(
            &format!("/api/1/datasets/{}/", d["slug"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(by_slug.body["id"], id.as_str());
    // Unknown ids and slugs.
    for unknown in ["5f0c8a2b9d1e4a3b2c1d0e9f", "no-such-dataset"] {
        let r = t.get(&format!("/api/1/datasets/{unknown}/"), None).await;
        assert_message(&r, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn quality_has_udata_keys_and_a_score_between_0_and_1() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bare = t.dataset(&alice, json!({"description": "Short."})).await;
    let q = &bare["quality"];
    for key in [
        "license",
        "temporal_coverage",
        "spatial",
        "update_frequency",
        "dataset_description_quality",
        "has_resources",
        "score",
    ] {
        assert!(q.get(key).is_some(), "missing quality.{key}: {q}");
    }
    assert_eq!(q["has_resources"], false);
    assert_eq!(q["score"], 0.0);
    // Keys udata leaves out without resources or frequency.
    for key in [
        "has_open_format",
        "all_resources_available",
        "resources_documentation",
        "update_fulfilled_in_time",
    ] {
        assert!(q.get(key).is_none(), "unexpected quality.{key}: {q}");
    }

    let full = t
        .dataset(
            &alice,
            json!({
                "description": "x".repeat(101),
                "license": "lov2",
                "frequency": "daily",
                "temporal_coverage": {"start": "2020-01-01", "end": "2024-12-31"},
                "spatial": {"granularity": "fr:commune", "zones": ["fr:commune:75056"]},
                "resources": [{"title": "Data", "url": "https://example.org/d.csv", "format": "csv", "description": "Columns: ..."}],
            }),
        )
        .await;
    let read = t
        .get(&format!("/api/1/datasets/{}/", id_of(&full)), None)
        .await;
    for q in [&full["quality"], &read.body["quality"]] {
        for key in [
            "license",
            "temporal_coverage",
            "spatial",
            "update_frequency",
            "update_fulfilled_in_time",
            "dataset_description_quality",
            "has_resources",
            "has_open_format",
            "all_resources_available",
            "resources_documentation",
        ] {
            assert_eq!(q[key], true, "quality.{key}: {q}");
        }
        assert_eq!(q["score"], 1.0, "{q}");
    }

    let partial = t
        .dataset(
            &alice,
            json!({"license": "lov2", "resources": [{"title": "Report", "url": "https://example.org/r.pdf", "format": "pdf"}]}),
        )
        .await;
    let q = &partial["quality"];
    let score = q["score"].as_f64().expect("score");
    assert!((0.0..=1.0).contains(&score), "{q}");
    assert!(score > 0.0 && score < 1.0, "{q}");
    assert_eq!(q["has_open_format"], false, "{q}");
}

/// Three datasets with distinct values for every filter.
struct Corpus {
    alice: TestUser,
    bob: TestUser,
    org: String,
    org_slug: String,
}

const AIR: &str = "Air quality in Valbourg";
const BUS: &str = "Bus timetable";
const WATER: &str = "Water pollution survey";

async fn corpus(t: &TestApp) -> Corpus {
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let sysadmin = t.sysadmin("Root").await;
    let org = t.org("Régie des transports", &alice, &[]).await;
    let org_slug = t
        .get(&format!("/api/1/organizations/{org}/"), None)
        .await
        .body["slug"]
        .as_str()
        .expect("org slug")
        .to_owned();
    t.dataset(
        &alice,
        json!({
            "title": AIR,
            "description": "Hourly measurements of pollutants.",
            "tags": ["Air", "pollution"],
            "license": "lov2",
            "frequency": "daily",
            "spatial": {"granularity": "fr:commune", "zones": ["fr:commune:75056"]},
            "resources": [{"title": "Measures", "url": "https://example.org/m.csv", "format": "CSV"}],
        }),
    )
    .await;
    t.dataset(
        &alice,
        json!({
            "title": BUS,
            "description": "Timetables of the city buses.",
            "tags": ["air"],
            "license": "odc-odbl",
            "frequency": "realtime",
            "organization": org,
            "resources": [{"title": "GTFS", "url": "https://example.org/gtfs.json", "format": "json"}],
        }),
    )
    .await;
    let water = t
        .dataset(
            &bob,
            json!({
                "title": WATER,
                "description": "Nitrate levels in rivers.",
                "tags": ["pollution", "water"],
                "license": "lov2",
                "frequency": "monthly",
                "spatial": {"granularity": "country"},
            }),
        )
        .await;
    let r = t
        .post(
            &format!("/api/1/datasets/{}/featured/", id_of(&water)),
            Some(&sysadmin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    Corpus {
        alice,
        bob,
        org,
        org_slug,
    }
}

#[tokio::test]
async fn every_list_filter() {
    let t = TestApp::new().await;
    let c = corpus(&t).await;
    let cases: Vec<(String, Vec<&str>)> = vec![
        (String::new(), vec![AIR, BUS, WATER]),
        // Words are searched in titles, descriptions and tags (Bus timetable is tagged "air").
        ("q=air".into(), vec![AIR, BUS]),
        ("q=AIR".into(), vec![AIR, BUS]),
        ("q=pollution".into(), vec![AIR, WATER]),
        ("q=air%20quality".into(), vec![AIR]),
        ("q=nitrate".into(), vec![WATER]),
        ("q=bus%20timetable".into(), vec![BUS]),
        ("q=bus%20water".into(), vec![]),
        ("tag=air".into(), vec![AIR, BUS]),
        ("tag=AIR".into(), vec![AIR, BUS]),
        ("tag=air&tag=pollution".into(), vec![AIR]),
        ("tag=pollution&tag=water".into(), vec![WATER]),
        ("tag=air&tag=water".into(), vec![]),
        ("tag=nothing".into(), vec![]),
        (format!("organization={}", c.org), vec![BUS]),
        (format!("organization={}", c.org_slug), vec![BUS]),
        ("organization=no-such-org".into(), vec![]),
        (format!("owner={}", c.alice.id), vec![AIR]),
        (format!("owner={}", c.bob.slug), vec![WATER]),
        ("owner=no-such-user".into(), vec![]),
        ("license=lov2".into(), vec![AIR, WATER]),
        ("license=LOV2".into(), vec![AIR, WATER]),
        ("license=odc-odbl".into(), vec![BUS]),
        ("license=cc-by".into(), vec![]),
        ("format=csv".into(), vec![AIR]),
        ("format=CSV".into(), vec![AIR]),
        ("format=json".into(), vec![BUS]),
        ("format=pdf".into(), vec![]),
        ("frequency=daily".into(), vec![AIR]),
        ("frequency=continuous".into(), vec![BUS]),
        ("frequency=realtime".into(), vec![BUS]),
        ("frequency=monthly".into(), vec![WATER]),
        ("frequency=weekly".into(), vec![]),
        ("granularity=fr:commune".into(), vec![AIR]),
        ("granularity=country".into(), vec![WATER]),
        ("featured=true".into(), vec![WATER]),
        ("featured=false".into(), vec![AIR, BUS]),
        ("tag=air&license=lov2".into(), vec![AIR]),
        ("tag=pollution&featured=true".into(), vec![WATER]),
        ("private=false".into(), vec![AIR, BUS, WATER]),
    ];
    for (query, expected) in cases {
        let r = t.get(&format!("/api/1/datasets/?{query}"), None).await;
        let expected = sorted(strings(&expected));
        assert_eq!(sorted(titles(&r)), expected, "?{query}");
        assert_eq!(r.body["total"], expected.len(), "?{query}");
        // Authenticated readers get the same public results.
        let r = t
            .get(&format!("/api/1/datasets/?{query}"), Some(&c.bob))
            .await;
        assert_eq!(sorted(titles(&r)), expected, "?{query} as Bob");
    }
}

#[tokio::test]
async fn sorts_and_bad_parameters() {
    let t = TestApp::new().await;
    corpus(&t).await;
    for (sort, expected) in [
        ("title", vec![AIR, BUS, WATER]),
        ("-title", vec![WATER, BUS, AIR]),
        ("created", vec![AIR, BUS, WATER]),
        ("-created", vec![WATER, BUS, AIR]),
    ] {
        let r = t.get(&format!("/api/1/datasets/?sort={sort}"), None).await;
        assert_eq!(titles(&r), strings(&expected), "sort={sort}");
    }
    let default = t.get("/api/1/datasets/", None).await;
    assert_eq!(titles(&default), strings(&[WATER, BUS, AIR]));
    for key in [
        "title",
        "created",
        "last_update",
        "last_modified",
        "reuses",
        "followers",
        "views",
        "downloads",
    ] {
        for sort in [key.to_owned(), format!("-{key}")] {
            let r = t.get(&format!("/api/1/datasets/?sort={sort}"), None).await;
            assert_eq!(r.status, StatusCode::OK, "sort={sort}: {}", r.text);
            assert_eq!(r.body["total"], 3, "sort={sort}");
        }
    }
    for (query, field) in [
        ("sort=bogus", "sort"),
        ("sort=-bogus", "sort"),
        ("sort=--title", "sort"),
        ("license=nope", "license"),
        ("frequency=sometimes", "frequency"),
        ("featured=maybe", "featured"),
        ("private=perhaps", "private"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page_size=0", "page_size"),
        ("page_size=-1", "page_size"),
        ("page_size=abc", "page_size"),
        ("page_size=1001", "page_size"),
    ] {
        let r = t.get(&format!("/api/1/datasets/?{query}"), None).await;
        assert_eq!(
            error_fields(&r),
            vec![field.to_owned()],
            "?{query}: {}",
            r.text
        );
    }
}

#[tokio::test]
async fn each_invalid_field_is_named() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let base = json!({"title": "Valid title", "description": "Valid description."});
    let with = |extra: Value| {
        let mut body = base.clone();
        for (k, v) in extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (with(json!({"title": "x".repeat(351)})), vec!["title"]),
        (json!({"description": "No title."}), vec!["title"]),
        (json!({"title": "No description"}), vec!["description"]),
        (json!({}), vec!["description", "title"]),
        (with(json!({"title": "   "})), vec!["title"]),
        (with(json!({"title": 42})), vec!["title"]),
        (with(json!({"acronym": "x".repeat(129)})), vec!["acronym"]),
        (
            with(json!({"description_short": "x".repeat(201)})),
            vec!["description_short"],
        ),
        (with(json!({"license": "nope"})), vec!["license"]),
        (with(json!({"license": 3})), vec!["license"]),
        (with(json!({"frequency": "sometimes"})), vec!["frequency"]),
        (with(json!({"tags": ["ok-tag", "x"]})), vec!["tags"]),
        (with(json!({"tags": "ab"})), vec!["tags"]),
        (with(json!({"tags": [1, 2]})), vec!["tags"]),
        (with(json!({"tags": ["y".repeat(97)]})), vec!["tags"]),
        (
            with(json!({"temporal_coverage": {"start": "yesterday"}})),
            vec!["temporal_coverage.start"],
        ),
        (
            with(json!({"temporal_coverage": {"start": "2020-01-01", "end": "2020-13-45"}})),
            vec!["temporal_coverage.end"],
        ),
        (
            with(json!({"temporal_coverage": "2020"})),
            vec!["temporal_coverage"],
        ),
        (
            with(json!({"spatial": {"granularity": "galaxy"}})),
            vec!["spatial.granularity"],
        ),
        (
            with(json!({"spatial": {"zones": ["France"]}})),
            vec!["spatial.zones"],
        ),
        (with(json!({"extras": {"a": null}})), vec!["extras"]),
        (with(json!({"extras": ["a"]})), vec!["extras"]),
        (with(json!({"private": "sure"})), vec!["private"]),
        (
            with(json!({"frequency_date": "next tuesday"})),
            vec!["frequency_date"],
        ),
        (
            with(json!({"resources": [{"title": "Bad", "url": "not a url"}]})),
            vec!["resources.0.url"],
        ),
        (
            with(json!({"resources": [
                {"title": "Good", "url": "https://example.org/a.csv"},
                {"url": "ftp//broken"},
            ]})),
            vec!["resources.1.title", "resources.1.url"],
        ),
        (with(json!({"resources": "all"})), vec!["resources"]),
        (
            with(json!({"organization": "no-such-organization"})),
            vec!["organization"],
        ),
        (
            json!({
                "title": "x".repeat(351),
                "description": 3,
                "license": "nope",
                "frequency": "sometimes",
                "tags": ["ok-tag", "x"],
                "temporal_coverage": {"start": "yesterday"},
                "spatial": {"granularity": "galaxy"},
                "extras": {"k": null},
            }),
            vec![
                "description",
                "extras",
                "frequency",
                "license",
                "spatial.granularity",
                "tags",
                "temporal_coverage.start",
                "title",
            ],
        ),
    ];
    for (body, fields) in cases {
        let r = t.post("/api/1/datasets/", Some(&alice), &body).await;
        assert_eq!(
            error_fields(&r),
            sorted(strings(&fields)),
            "{body}: {}",
            r.text
        );
        assert!(r.body["message"].is_string(), "{}", r.text);
    }
    // Nothing was created by the failed attempts.
    let list = t.get("/api/1/datasets/", None).await;
    assert_eq!(list.body["total"], 0, "{}", list.text);

    // The same rules apply on update.
    let d = t.dataset(&alice, json!({})).await;
    let path = format!("/api/1/datasets/{}/", id_of(&d));
    for (body, field) in [
        (json!({"title": "x".repeat(351)}), "title"),
        (json!({"title": null}), "title"),
        (json!({"description": ""}), "description"),
        (json!({"license": "nope"}), "license"),
        (json!({"frequency": "sometimes"}), "frequency"),
        (json!({"tags": ["no", "ok-tag"]}), "tags"),
        (
            json!({"temporal_coverage": {"start": "soon"}}),
            "temporal_coverage.start",
        ),
        (
            json!({"spatial": {"granularity": "fr:planet"}}),
            "spatial.granularity",
        ),
        (json!({"spatial": {"zones": ["Paris"]}}), "spatial.zones"),
        (json!({"extras": {"k": null}}), "extras"),
        (
            json!({"resources": [{"title": "R", "url": "mailto:a@b.fr"}]}),
            "resources.0.url",
        ),
    ] {
        let r = t.put(&path, Some(&alice), &body).await;
        assert_eq!(error_fields(&r), vec![field.to_owned()], "{body}");
    }
    let after = t.get(&path, None).await;
    assert_eq!(after.body["title"], d["title"]);
    assert_eq!(after.body["license"], "notspecified");
}

#[tokio::test]
async fn request_bodies_must_be_json_objects() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t.dataset(&alice, json!({})).await;
    let id = id_of(&d);
    let valid = r#"{"title": "Budget 2024", "description": "Lines of the budget."}"#;
    let targets = [
        (Method::POST, "/api/1/datasets/".to_owned()),
        (Method::PUT, format!("/api/1/datasets/{id}/")),
        (Method::POST, format!("/api/1/datasets/{id}/resources/")),
        (Method::PUT, format!("/api/2/datasets/{id}/extras/")),
    ];
    for (method, path) in &targets {
        for body in [
            "[]",
            r#"[{"title": "x"}]"#,
            r#""a string""#,
            "42",
            "null",
            "true",
        ] {
            let r = t
                .send_raw(
                    method.clone(),
                    path,
                    Some(&alice),
                    Some("application/json"),
                    body,
                )
                .await;
            assert_message(&r, StatusCode::BAD_REQUEST);
            assert!(
                r.body.get("errors").is_none(),
                "{method} {path} {body}: {}",
                r.text
            );
        }
        for body in ["{", r#"{"title": }"#, "not json", ""] {
            let r = t
                .send_raw(
                    method.clone(),
                    path,
                    Some(&alice),
                    Some("application/json"),
                    body,
                )
                .await;
            assert_message(&r, StatusCode::BAD_REQUEST);
        }
        for content_type in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            None,
        ] {
            let r = t
                .send_raw(method.clone(), path, Some(&alice), content_type, valid)
                .await;
            assert_eq!(
                error_fields(&r),
                vec!["Content-Type".to_owned()],
                "{method} {path} {content_type:?}"
            );
        }
    }
    let r = t
        .send_raw(
            Method::POST,
            "/api/1/datasets/",
            Some(&alice),
            Some("application/json; charset=utf-8"),
            valid,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["title"], "Budget 2024");
    let r = t
        .send_raw(
            Method::PUT,
            &format!("/api/1/datasets/{id}/"),
            Some(&alice),
            Some("Application/JSON;charset=UTF-8"),
            r#"{"acronym": "B24"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["acronym"], "B24");
    // Authentication comes before the body: an anonymous bad body is a 401.
    let r = t
        .send_raw(
            Method::POST,
            "/api/1/datasets/",
            None,
            Some("text/plain"),
            valid,
        )
        .await;
    assert_unauthorized(&r);
}

#[tokio::test]
async fn put_of_the_whole_get_body_changes_nothing() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let full = json!({
        "acronym": "AQV",
        "description_short": "Air quality.",
        "tags": ["air", "pollution"],
        "license": "odc-odbl",
        "frequency": "daily",
        "frequency_date": "2030-01-01T00:00:00Z",
        "temporal_coverage": {"start": "2020-01-01", "end": "2020-12-31"},
        "spatial": {"granularity": "fr:commune", "zones": ["fr:commune:75056"]},
        "extras": {"source": "sensors", "stations": 12, "nested": {"a": [1, 2]}},
        "resources": [
            {"title": "Measures", "url": "https://example.org/m.csv", "format": "csv", "type": "main",
             "filesize": 1024, "checksum": {"type": "sha1", "value": "abc"}, "mime": "text/csv",
             "extras": {"check:available": true}},
            {"title": "Docs", "url": "https://example.org/doc.pdf", "type": "documentation", "description": "How to read it."},
        ],
    });
    let mut user_body = full.clone();
    user_body["private"] = json!(true);
    let mut org_body = full.clone();
    org_body["organization"] = json!(c.org);
    let user_dataset = t.dataset(&c.owner, user_body).await;
    let org_dataset = t.dataset(&c.editor, org_body).await;
    for (who, dataset) in [
        (&c.owner, &user_dataset),
        (&c.sysadmin, &user_dataset),
        (&c.editor, &org_dataset),
        (&c.admin, &org_dataset),
        (&c.sysadmin, &org_dataset),
    ] {
        let path = format!("/api/1/datasets/{}/", id_of(dataset));
        let before = t.get(&path, Some(who)).await;
        assert_eq!(before.status, StatusCode::OK, "{}", before.text);
        let r = t.put(&path, Some(who), &before.body).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let after = t.get(&path, Some(who)).await;
        for (name, body) in [("PUT answer", &r.body), ("GET after", &after.body)] {
            for key in [
                "id",
                "title",
                "acronym",
                "slug",
                "description",
                "description_short",
                "private",
                "featured",
                "tags",
                "license",
                "frequency",
                "frequency_date",
                "temporal_coverage",
                "spatial",
                "extras",
                "deleted",
                "archived",
                "created_at",
                "uri",
                "page",
                "permissions",
            ] {
                assert_eq!(body[key], before.body[key], "{name}: {key}");
            }
            assert_eq!(
                body["organization"]["id"],
                before.body["organization"]["id"]
            );
            assert_eq!(body["owner"]["id"], before.body["owner"]["id"]);
            let res = body["resources"].as_array().expect("resources");
            let old = before.body["resources"].as_array().expect("resources");
            assert_eq!(res.len(), old.len(), "{name}");
            for (a, b) in res.iter().zip(old) {
                for key in [
                    "id",
                    "title",
                    "description",
                    "type",
                    "filetype",
                    "url",
                    "format",
                    "mime",
                    "filesize",
                    "checksum",
                    "extras",
                    "latest",
                    "created_at",
                ] {
                    assert_eq!(a[key], b[key], "{name}: resources.{key}");
                }
            }
        }
    }

    // Read-only fields changed in the echo are ignored, not applied nor refused.
    let path = format!("/api/1/datasets/{}/", id_of(&user_dataset));
    let mut body = t.get(&path, Some(&c.owner)).await.body;
    body["id"] = json!("5f0c8a2b9d1e4a3b2c1d0e9f");
    body["slug"] = json!("hijacked");
    body["featured"] = json!(true);
    body["metrics"] = json!({"views": 1_000_000});
    body["created_at"] = json!("2000-01-01T00:00:00Z");
    body["quality"] = json!({"score": 1.0});
    body["badges"] = json!([{"kind": "spd"}]);
    body["permissions"] = json!({"edit": true});
    body["uri"] = json!("https://evil.example.org/");
    let r = t.put(&path, Some(&c.owner), &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["id"], user_dataset["id"]);
    assert_eq!(r.body["slug"], user_dataset["slug"]);
    assert_eq!(r.body["featured"], false);
    assert_eq!(r.body["metrics"]["views"], 0);
    assert_eq!(r.body["created_at"], user_dataset["created_at"]);
    assert_eq!(r.body["badges"], json!([]));
    assert_eq!(r.body["uri"], user_dataset["uri"]);
}

#[tokio::test]
async fn put_keeps_omitted_fields_and_null_clears() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t
        .dataset(
            &alice,
            json!({
                "acronym": "AQV",
                "description_short": "Air.",
                "tags": ["air"],
                "license": "lov2",
                "frequency": "daily",
                "frequency_date": "2030-01-01",
                "private": true,
                "temporal_coverage": {"start": "2020-01-01", "end": "2020-12-31"},
                "spatial": {"granularity": "country", "zones": ["country:fr"]},
                "extras": {"k": "v"},
                "resources": [{"title": "R", "url": "https://example.org/r.csv"}],
            }),
        )
        .await;
    let path = format!("/api/1/datasets/{}/", id_of(&d));
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"description": "New description."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["description"], "New description.");
    for key in [
        "title",
        "acronym",
        "description_short",
        "tags",
        "license",
        "frequency",
        "frequency_date",
        "private",
        "temporal_coverage",
        "spatial",
        "extras",
        "slug",
        "owner",
    ] {
        assert_eq!(r.body[key], d[key], "{key} must be kept");
    }
    assert_eq!(r.body["resources"][0]["id"], d["resources"][0]["id"]);

    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({
                "acronym": null,
                "description_short": null,
                "private": null,
                "license": null,
                "frequency": null,
                "frequency_date": null,
                "tags": null,
                "temporal_coverage": null,
                "spatial": null,
                "extras": null,
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["acronym"], Value::Null);
    assert_eq!(r.body["description_short"], Value::Null);
    assert_eq!(r.body["private"], false);
    assert_eq!(r.body["license"], "notspecified");
    assert_eq!(r.body["frequency"], "unknown");
    assert_eq!(r.body["frequency_date"], Value::Null);
    assert_eq!(r.body["tags"], json!([]));
    assert_eq!(r.body["temporal_coverage"], Value::Null);
    assert_eq!(r.body["spatial"], Value::Null);
    assert_eq!(r.body["extras"], json!({}));
    assert_eq!(r.body["title"], d["title"]);
    assert_eq!(r.body["description"], "New description.");
    // What the PUT answered is what is stored.
    let read = t.get(&path, None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    for key in [
        "acronym",
        "private",
        "license",
        "frequency",
        "tags",
        "spatial",
        "extras",
    ] {
        assert_eq!(read.body[key], r.body[key], "{key}");
    }

    // Tags: normalized, deduplicated and sorted; a comma-separated string works too.
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"tags": ["Zeta Tag", "alpha", "ALPHA", "Qualité de l'air"]}),
        )
        .await;
    assert_eq!(
        r.body["tags"],
        json!(["alpha", "qualite-de-l-air", "zeta-tag"])
    );
    let r = t
        .put(&path, Some(&alice), &json!({"tags": "b-tag, a-tag,"}))
        .await;
    assert_eq!(r.body["tags"], json!(["a-tag", "b-tag"]));
    // Temporal coverage bounds given in the wrong order are swapped; license ids ignore case.
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"temporal_coverage": {"start": "2024-12-31", "end": "2024-01-01"}, "license": "ODC-ODBL", "frequency": "fortnighly"}),
        )
        .await;
    assert_eq!(
        r.body["temporal_coverage"],
        json!({"start": "2024-01-01", "end": "2024-12-31"})
    );
    assert_eq!(r.body["license"], "odc-odbl");
    assert_eq!(r.body["frequency"], "biweekly");
    // An empty body changes nothing but is accepted.
    let r = t.put(&path, Some(&alice), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["license"], "odc-odbl");
}

#[tokio::test]
async fn title_change_moves_the_slug_and_old_slug_follows() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t.dataset(&alice, json!({"title": "Budget primitif"})).await;
    let id = id_of(&d);
    assert_eq!(d["slug"], "budget-primitif");
    let r = t
        .put(
            "/api/1/datasets/budget-primitif/",
            Some(&alice),
            &json!({"title": "Budget supplémentaire"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["slug"], "budget-supplementaire");
    assert_eq!(
        r.body["page"],
        format!("{}/datasets/budget-supplementaire/", t.base)
    );

    for path in [
        "/api/1/datasets/budget-primitif/",
        "/api/1/datasets/budget-primitif",
    ] {
        for user in [None, Some(&alice)] {
            let old = t.get(path, user).await;
            assert_eq!(old.status, StatusCode::PERMANENT_REDIRECT, "{}", old.text);
            assert_eq!(
                old.headers.get("location").and_then(|v| v.to_str().ok()),
                Some(format!("{}/api/1/datasets/budget-supplementaire/", t.base).as_str())
            );
        }
    }
    let new = t.get("/api/1/datasets/budget-supplementaire/", None).await;
    assert_eq!(new.body["id"], id.as_str());

    // Writes through the old slug reach the dataset.
    let r = t
        .put(
            "/api/1/datasets/budget-primitif/",
            Some(&alice),
            &json!({"description": "Through the old slug."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["description"], "Through the old slug.");
    assert_eq!(r.body["slug"], "budget-supplementaire");
    let r = t
        .remote_resource(&alice, "budget-primitif", json!({"title": "Via old slug"}))
        .await;
    assert_eq!(r["title"], "Via old slug");

    // Going back to the first title gives the first slug back; the second one now redirects.
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&alice),
            &json!({"title": "Budget primitif"}),
        )
        .await;
    assert_eq!(r.body["slug"], "budget-primitif");
    let back = t.get("/api/1/datasets/budget-primitif/", None).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.text);
    let moved = t.get("/api/1/datasets/budget-supplementaire/", None).await;
    assert_eq!(moved.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        moved.headers.get("location").and_then(|v| v.to_str().ok()),
        Some(format!("{}/api/1/datasets/budget-primitif/", t.base).as_str())
    );
    // Changing something else keeps the slug.
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&alice),
            &json!({"title": "Budget primitif", "acronym": "BP"}),
        )
        .await;
    assert_eq!(r.body["slug"], "budget-primitif");

    // DELETE through an old slug.
    let r = t
        .delete("/api/1/datasets/budget-supplementaire/", Some(&alice))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let gone = t.get(&format!("/api/1/datasets/{id}/"), Some(&alice)).await;
    assert_eq!(gone.status, StatusCode::GONE);
}

#[tokio::test]
async fn slug_collisions_get_a_numbered_suffix() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let a = t.dataset(&alice, json!({"title": "Arbres"})).await;
    let b = t.dataset(&bob, json!({"title": "Arbres"})).await;
    let c = t.dataset(&alice, json!({"title": "ARBRES!"})).await;
    assert_eq!(a["slug"], "arbres");
    assert_eq!(b["slug"], "arbres-1");
    assert_eq!(c["slug"], "arbres-2");
    let d = t.dataset(&bob, json!({"title": "Platanes"})).await;
    let r = t
        .put(
            &format!("/api/1/datasets/{}/", id_of(&d)),
            Some(&bob),
            &json!({"title": "Arbres"}),
        )
        .await;
    assert_eq!(r.body["slug"], "arbres-3");
    // Each slug reads its own dataset.
    for (slug, id) in [
        ("arbres", &a),
        ("arbres-1", &b),
        ("arbres-2", &c),
        ("arbres-3", &d),
    ] {
        let r = t.get(&format!("/api/1/datasets/{slug}/"), None).await;
        assert_eq!(r.body["id"], id["id"], "{slug}");
    }
    // A title that slugifies to nothing still gets a slug.
    let e = t.dataset(&alice, json!({"title": "???"})).await;
    assert!(
        e["slug"].as_str().is_some_and(|s| !s.is_empty()),
        "{}",
        e["slug"]
    );
}

#[tokio::test]
async fn nul_characters_are_never_a_500() {
    // PostgreSQL cannot store or compare text holding U+0000; SQLite can. Either way the
    // answer is the client's error or a normal one, never a server error.
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t.dataset(&alice, json!({})).await;
    let id = id_of(&d);
    for path in [
        "/api/1/datasets/?q=%00".to_owned(),
        "/api/1/datasets/?owner=%00".to_owned(),
        "/api/1/datasets/?organization=a%00".to_owned(),
        "/api/1/datasets/%00/".to_owned(),
        "/api/2/datasets/%00/".to_owned(),
        "/api/1/organizations/%00/".to_owned(),
        "/api/1/users/%00/".to_owned(),
        "/api/1/datasets/r/a%00".to_owned(),
        "/api/2/datasets/resources/a%00/".to_owned(),
        "/files/resources/a%00.csv".to_owned(),
        format!("/api/1/datasets/{id}/resources/a%00/"),
    ] {
        let r = t.get(&path, Some(&alice)).await;
        assert!(
            matches!(
                r.status,
                StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND
            ),
            "{path}: {} {}",
            r.status,
            r.text
        );
    }
    let r = t
        .post(
            "/api/1/datasets/",
            Some(&alice),
            &json!({"title": "a\u{0}b", "description": "x", "extras": {"k\u{0}": "v"}}),
        )
        .await;
    assert!(
        matches!(r.status, StatusCode::CREATED | StatusCode::BAD_REQUEST),
        "{} {}",
        r.status,
        r.text
    );
}

#[tokio::test]
async fn an_id_wins_over_a_slug_equal_to_it() {
    // A title made of another dataset's id gives a slug equal to that id: looking the id up
    // must still find the dataset that has it, whatever order the database returns rows in
    // (PostgreSQL returns the latest version of an updated row after older rows).
    let t = TestApp::new().await;
    let mallory = t.user("Mallory").await;
    let alice = t.user("Alice").await;
    let decoy = t.dataset(&mallory, json!({"title": "Decoy"})).await;
    let victim = t.dataset(&alice, json!({"title": "Victim"})).await;
    let victim_id = id_of(&victim);
    let r = t
        .put(
            &format!("/api/1/datasets/{}/", id_of(&decoy)),
            Some(&mallory),
            &json!({"title": victim_id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["slug"], victim_id.as_str());
    let r = t
        .put(
            &format!("/api/1/datasets/{victim_id}/"),
            Some(&alice),
            &json!({"title": "Victim renamed"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["id"], victim_id.as_str());
    for path in [
        format!("/api/1/datasets/{victim_id}/"),
        format!("/api/2/datasets/{victim_id}/"),
    ] {
        let r = t.get(&path, None).await;
        assert_eq!(r.body["title"], "Victim renamed", "{path}");
    }
    let r = t
        .put(
            &format!("/api/1/datasets/{victim_id}/"),
            Some(&alice),
            &json!({"description": "Still mine."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["id"], victim_id.as_str());
}

/// Who publishes the dataset a permission case works on.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Publisher {
    /// `cast.owner`, as a user.
    Owner,
    /// `cast.org`, created by its admin.
    Org,
    /// `cast.org`, created by the partial editor (who is then assigned to it).
    OrgByPartial,
}

pub(crate) async fn publish(t: &TestApp, c: &Cast, publisher: Publisher, title: &str) -> String {
    let d = match publisher {
        Publisher::Owner => t.dataset(&c.owner, json!({"title": title})).await,
        Publisher::Org => {
            t.dataset(&c.admin, json!({"title": title, "organization": c.org}))
                .await
        }
        Publisher::OrgByPartial => {
            t.dataset(&c.partial, json!({"title": title, "organization": c.org}))
                .await
        }
    };
    id_of(&d)
}

/// `None`: allowed; `Some(status)`: refused with that status.
pub(crate) type Expected = Option<StatusCode>;

pub(crate) fn check(r: &Resp, expected: Expected, ok: StatusCode, what: &str) {
    match expected {
        None => assert_eq!(r.status, ok, "{what}: {}", r.text),
        Some(StatusCode::UNAUTHORIZED) => assert_unauthorized(r),
        Some(StatusCode::FORBIDDEN) => assert_forbidden(r),
        Some(status) => assert_message(r, status),
    }
}

/// The permission matrix shared by the dataset and resource tests.
pub(crate) fn permission_cases(
    c: &Cast,
) -> Vec<(&'static str, Option<&TestUser>, Publisher, Expected)> {
    let denied = Some(StatusCode::FORBIDDEN);
    vec![
        (
            "anonymous",
            None,
            Publisher::Owner,
            Some(StatusCode::UNAUTHORIZED),
        ),
        (
            "anonymous on org",
            None,
            Publisher::Org,
            Some(StatusCode::UNAUTHORIZED),
        ),
        ("other user", Some(&c.other), Publisher::Owner, denied),
        ("other user on org", Some(&c.other), Publisher::Org, denied),
        ("org editor", Some(&c.editor), Publisher::Org, None),
        (
            "org editor on a user's",
            Some(&c.editor),
            Publisher::Owner,
            denied,
        ),
        ("org admin", Some(&c.admin), Publisher::Org, None),
        (
            "org admin on a user's",
            Some(&c.admin),
            Publisher::Owner,
            denied,
        ),
        (
            "partial editor, not assigned",
            Some(&c.partial),
            Publisher::Org,
            denied,
        ),
        (
            "partial editor, own dataset",
            Some(&c.partial),
            Publisher::OrgByPartial,
            None,
        ),
        (
            "org editor on partial's",
            Some(&c.editor),
            Publisher::OrgByPartial,
            None,
        ),
        ("owner", Some(&c.owner), Publisher::Owner, None),
        ("owner on org", Some(&c.owner), Publisher::Org, denied),
        ("sysadmin", Some(&c.sysadmin), Publisher::Owner, None),
        ("sysadmin on org", Some(&c.sysadmin), Publisher::Org, None),
    ]
}

#[tokio::test]
async fn who_may_update_and_delete_a_dataset() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    for (i, (label, who, publisher, expected)) in permission_cases(&c).into_iter().enumerate() {
        let id = publish(&t, &c, publisher, &format!("Case {i}")).await;
        let path = format!("/api/1/datasets/{id}/");
        let before = t.get(&path, None).await;
        let r = t
            .put(
                &path,
                who,
                &json!({"description": format!("Edited by {label}.")}),
            )
            .await;
        check(&r, expected, StatusCode::OK, label);
        let read = t.get(&path, None).await;
        if expected.is_none() {
            assert_eq!(read.body["description"], format!("Edited by {label}."));
            assert_eq!(r.body["permissions"]["edit"], true, "{label}");
        } else {
            assert_eq!(
                read.body["description"], before.body["description"],
                "{label}"
            );
        }
        // What GET says the viewer may do matches what they may do.
        if let Some(user) = who {
            let seen = t.get(&path, Some(user)).await;
            assert_eq!(
                seen.body["permissions"],
                json!({"delete": expected.is_none(), "edit": expected.is_none(), "edit_resources": expected.is_none()}),
                "{label}"
            );
        }
        let r = t.delete(&path, who).await;
        check(&r, expected, StatusCode::NO_CONTENT, label);
        let after = t.get(&path, None).await;
        let gone = if expected.is_none() {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(after.status, gone, "{label}: {}", after.text);
    }
}

#[tokio::test]
async fn publishing_for_an_organization_and_changing_publisher() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let other_org = t.org("Other org", &c.other, &[]).await;

    // Only members publish for an organization; any role will do.
    let r = t
        .post(
            "/api/1/datasets/",
            Some(&c.owner),
            &json!({"title": "T", "description": "D", "organization": c.org}),
        )
        .await;
    assert_eq!(error_fields(&r), vec!["organization".to_owned()]);
    for member in [&c.admin, &c.editor, &c.partial, &c.sysadmin] {
        let d = t
            .dataset(member, json!({"organization": {"id": c.org}}))
            .await;
        assert_eq!(d["organization"]["id"], c.org.as_str());
        assert_eq!(d["owner"], Value::Null);
    }
    // Publishing as somebody else: only sysadmins.
    let r = t
        .post(
            "/api/1/datasets/",
            Some(&c.editor),
            &json!({"title": "T", "description": "D", "owner": c.owner.id}),
        )
        .await;
    assert_eq!(error_fields(&r), vec!["owner".to_owned()]);
    let d = t.dataset(&c.sysadmin, json!({"owner": c.owner.id})).await;
    assert_eq!(d["owner"]["id"], c.owner.id.as_str());
    let r = t
        .post(
            "/api/1/datasets/",
            Some(&c.sysadmin),
            &json!({"title": "T", "description": "D", "owner": c.owner.id, "organization": c.org}),
        )
        .await;
    assert_eq!(error_fields(&r), vec!["organization".to_owned()]);

    // Changing the publisher of an existing dataset: through a transfer, except for sysadmins.
    let mine = t.dataset(&c.admin, json!({})).await;
    let path = format!("/api/1/datasets/{}/", id_of(&mine));
    let r = t
        .put(&path, Some(&c.admin), &json!({"organization": c.org}))
        .await;
    assert_eq!(error_fields(&r), vec!["organization".to_owned()]);
    let org_dataset = t.dataset(&c.admin, json!({"organization": c.org})).await;
    let org_path = format!("/api/1/datasets/{}/", id_of(&org_dataset));
    for body in [
        json!({"organization": other_org}),
        json!({"organization": null}),
        json!({"owner": c.admin.id}),
    ] {
        let r = t.put(&org_path, Some(&c.admin), &body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text);
        assert!(r.body["errors"].is_object(), "{}", r.text);
    }
    // Sending the current publisher back is fine.
    let r = t
        .put(&org_path, Some(&c.editor), &json!({"organization": c.org}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .put(&path, Some(&c.admin), &json!({"owner": c.admin.id}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let unchanged = t.get(&org_path, None).await;
    assert_eq!(unchanged.body["organization"]["id"], c.org.as_str());

    let r = t
        .put(
            &path,
            Some(&c.sysadmin),
            &json!({"organization": other_org}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["organization"]["id"], other_org.as_str());
    assert_eq!(r.body["owner"], Value::Null);
    // The former owner lost it; the new organization's admin has it.
    let r = t.put(&path, Some(&c.admin), &json!({"acronym": "X"})).await;
    assert_forbidden(&r);
    let r = t.put(&path, Some(&c.other), &json!({"acronym": "X"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .put(&path, Some(&c.sysadmin), &json!({"owner": c.owner.id}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["owner"]["id"], c.owner.id.as_str());
    assert_eq!(r.body["organization"], Value::Null);
}

#[tokio::test]
async fn private_datasets_are_seen_by_insiders_only() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let public = t.dataset(&c.owner, json!({"title": "Public"})).await;
    let private = t
        .dataset(&c.owner, json!({"title": "Private", "private": true}))
        .await;
    let org_private = t
        .dataset(
            &c.admin,
            json!({"title": "Org private", "private": true, "organization": c.org}),
        )
        .await;
    assert_eq!(private["private"], true);
    let anonymous_list = t.get("/api/1/datasets/", None).await;
    assert_eq!(titles(&anonymous_list), strings(&["Public"]));

    for (who, name, expected) in [
        (None, "anonymous", vec!["Public"]),
        (Some(&c.other), "other", vec!["Public"]),
        (Some(&c.owner), "owner", vec!["Private", "Public"]),
        (Some(&c.editor), "editor", vec!["Org private", "Public"]),
        (Some(&c.partial), "partial", vec!["Org private", "Public"]),
        (Some(&c.admin), "admin", vec!["Org private", "Public"]),
        (
            Some(&c.sysadmin),
            "sysadmin",
            vec!["Org private", "Private", "Public"],
        ),
    ] {
        let r = t.get("/api/1/datasets/", who).await;
        assert_eq!(sorted(titles(&r)), strings(&expected), "{name}");
        for (d, insiders) in [
            (&private, &["owner", "sysadmin"][..]),
            (
                &org_private,
                &["editor", "partial", "admin", "sysadmin"][..],
            ),
        ] {
            let r = t.get(&format!("/api/1/datasets/{}/", id_of(d)), who).await;
            if insiders.contains(&name) {
                assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.text);
            } else {
                assert_message(&r, StatusCode::NOT_FOUND);
            }
            let by_slug = t
                .get(
                    &format!("/api/1/datasets/{}/", d["slug"].as_str().unwrap()),
                    who,
                )
                .await;
            assert_eq!(by_slug.status, r.status, "{name} by slug");
        }
        let r = t
            .get(&format!("/api/1/datasets/{}/", id_of(&public)), who)
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }

    // `private=true` lists the private datasets one may see; anonymous callers must log in.
    assert_unauthorized(&t.get("/api/1/datasets/?private=true", None).await);
    for (who, expected) in [
        (&c.owner, vec!["Private"]),
        (&c.editor, vec!["Org private"]),
        (&c.other, vec![]),
        (&c.sysadmin, vec!["Org private", "Private"]),
    ] {
        let r = t.get("/api/1/datasets/?private=true", Some(who)).await;
        assert_eq!(sorted(titles(&r)), strings(&expected));
    }
    let r = t
        .get("/api/1/datasets/?private=false", Some(&c.owner))
        .await;
    assert_eq!(titles(&r), strings(&["Public"]));

    // Making it public shows it to everyone, at once.
    let r = t
        .put(
            &format!("/api/1/datasets/{}/", id_of(&private)),
            Some(&c.owner),
            &json!({"private": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t.get("/api/1/datasets/", None).await;
    assert_eq!(sorted(titles(&r)), strings(&["Private", "Public"]));
}

#[tokio::test]
async fn deleted_datasets_answer_410_to_insiders_and_can_be_restored() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let mine = t.dataset(&c.owner, json!({"title": "Mine"})).await;
    let theirs = t
        .dataset(&c.admin, json!({"title": "Theirs", "organization": c.org}))
        .await;
    t.dataset(&c.owner, json!({"title": "Kept"})).await;
    let mine_path = format!("/api/1/datasets/{}/", id_of(&mine));
    let theirs_path = format!("/api/1/datasets/{}/", id_of(&theirs));
    // Cache a public read first: the delete must not leave it served.
    assert_eq!(t.get(&mine_path, None).await.status, StatusCode::OK);
    assert_eq!(
        t.delete(&mine_path, Some(&c.owner)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.delete(&theirs_path, Some(&c.editor)).await.status,
        StatusCode::NO_CONTENT
    );

    for (path, insiders) in [
        (&mine_path, vec![&c.owner, &c.sysadmin]),
        (
            &theirs_path,
            vec![&c.admin, &c.editor, &c.partial, &c.sysadmin],
        ),
    ] {
        for who in [
            &c.owner,
            &c.admin,
            &c.editor,
            &c.partial,
            &c.other,
            &c.sysadmin,
        ] {
            let r = t.get(path, Some(who)).await;
            if insiders.iter().any(|u| u.id == who.id) {
                assert_eq!(r.status, StatusCode::GONE, "{}: {}", who.slug, r.text);
                assert_eq!(r.body["message"], "Dataset has been deleted");
            } else {
                assert_message(&r, StatusCode::NOT_FOUND);
            }
        }
        assert_message(&t.get(path, None).await, StatusCode::NOT_FOUND);
        // Deleted twice: 410.
        let r = t.delete(path, Some(&c.sysadmin)).await;
        assert_message(&r, StatusCode::GONE);
    }
    for who in [None, Some(&c.owner), Some(&c.sysadmin)] {
        let r = t.get("/api/1/datasets/", who).await;
        assert_eq!(titles(&r), strings(&["Kept"]));
    }
    assert_unauthorized(&t.get("/api/1/datasets/?deleted=true", None).await);
    for (who, expected) in [
        (&c.owner, vec!["Mine"]),
        (&c.editor, vec!["Theirs"]),
        (&c.other, vec![]),
        (&c.sysadmin, vec!["Mine", "Theirs"]),
    ] {
        let r = t.get("/api/1/datasets/?deleted=true", Some(who)).await;
        assert_eq!(sorted(titles(&r)), strings(&expected), "{}", who.slug);
    }

    // A deleted dataset cannot be edited, only restored, and only by those who could edit it.
    let r = t
        .put(&mine_path, Some(&c.owner), &json!({"title": "Edited"}))
        .await;
    assert_message(&r, StatusCode::GONE);
    let r = t
        .put(&mine_path, Some(&c.other), &json!({"deleted": null}))
        .await;
    assert_message(&r, StatusCode::NOT_FOUND);
    let r = t
        .put(&theirs_path, Some(&c.partial), &json!({"deleted": null}))
        .await;
    assert_forbidden(&r);
    let r = t
        .put(
            &mine_path,
            Some(&c.owner),
            &json!({"deleted": null, "acronym": "BACK"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["deleted"], Value::Null);
    assert_eq!(r.body["acronym"], "BACK");
    let r = t.get(&mine_path, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t.get("/api/1/datasets/", None).await;
    assert_eq!(sorted(titles(&r)), strings(&["Kept", "Mine"]));
    // Sub-resources of a deleted dataset are gone too.
    let r = t
        .post(
            &format!("{theirs_path}resources/"),
            Some(&c.admin),
            &json!({"title": "R", "url": "https://example.org/r.csv"}),
        )
        .await;
    assert_message(&r, StatusCode::GONE);
}

#[tokio::test]
async fn archived_datasets_leave_the_lists() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let d = t.dataset(&alice, json!({"title": "Old"})).await;
    t.dataset(&alice, json!({"title": "Current"})).await;
    let path = format!("/api/1/datasets/{}/", id_of(&d));
    assert_eq!(t.get("/api/1/datasets/", None).await.body["total"], 2);
    let r = t.put(&path, Some(&alice), &json!({"archived": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["archived"].is_string(), "{}", r.text);
    for who in [None, Some(&alice), Some(&bob)] {
        let r = t.get("/api/1/datasets/", who).await;
        assert_eq!(titles(&r), strings(&["Current"]));
    }
    assert_unauthorized(&t.get("/api/1/datasets/?archived=true", None).await);
    let r = t.get("/api/1/datasets/?archived=true", Some(&alice)).await;
    assert_eq!(titles(&r), strings(&["Old"]));
    let r = t.get("/api/1/datasets/?archived=true", Some(&bob)).await;
    assert_eq!(titles(&r), Vec::<String>::new());
    let r = t.get(&path, Some(&alice)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["archived"].is_string());
    // Echoing the archived dataset keeps it archived.
    let echoed = t.put(&path, Some(&alice), &r.body).await;
    assert_eq!(echoed.status, StatusCode::OK, "{}", echoed.text);
    assert_eq!(echoed.body["archived"], r.body["archived"]);
    let r = t.put(&path, Some(&alice), &json!({"archived": null})).await;
    assert_eq!(r.body["archived"], Value::Null);
    let r = t.get("/api/1/datasets/", None).await;
    assert_eq!(sorted(titles(&r)), strings(&["Current", "Old"]));
}

#[tokio::test]
async fn featured_is_for_sysadmins() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let d = t.dataset(&c.owner, json!({})).await;
    let path = format!("/api/1/datasets/{}/featured/", id_of(&d));
    assert_unauthorized(&t.post(&path, None, &json!({})).await);
    assert_unauthorized(&t.delete(&path, None).await);
    for who in [&c.owner, &c.other, &c.admin] {
        assert_forbidden(&t.post(&path, Some(who), &json!({})).await);
        assert_forbidden(&t.delete(&path, Some(who)).await);
    }
    let r = t.post(&path, Some(&c.sysadmin), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["featured"], true);
    assert_eq!(r.body["id"], d["id"]);
    let r = t.get("/api/1/datasets/?featured=true", None).await;
    assert_eq!(r.body["total"], 1);
    // Owners cannot unfeature through a PUT either.
    let r = t
        .put(
            &format!("/api/1/datasets/{}/", id_of(&d)),
            Some(&c.owner),
            &json!({"featured": false}),
        )
        .await;
    assert_eq!(r.body["featured"], true);
    let r = t.delete(&path, Some(&c.sysadmin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["featured"], false);
    assert_eq!(
        t.get("/api/1/datasets/?featured=true", None).await.body["total"],
        0
    );
    // Unknown dataset.
    let r = t
        .post(
            "/api/1/datasets/no-such/featured/",
            Some(&c.sysadmin),
            &json!({}),
        )
        .await;
    assert_message(&r, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn anonymous_reads_are_cached_with_etags_and_never_stale() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t.dataset(&alice, json!({"title": "Version 1"})).await;
    let id = id_of(&d);
    for path in [
        format!("/api/1/datasets/{id}/"),
        "/api/1/datasets/?page_size=5".to_owned(),
    ] {
        let first = t.get(&path, None).await;
        let etag = first
            .headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .expect("etag")
            .to_owned();
        let second = t.get(&path, None).await;
        assert_eq!(second.text, first.text, "{path}");
        assert_eq!(
            second.headers.get("etag").and_then(|v| v.to_str().ok()),
            Some(etag.as_str())
        );
        let not_modified = t
            .request_with_headers(Method::GET, &path, &[("If-None-Match", &etag)], None)
            .await;
        assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(not_modified.text.is_empty());
        let other = t
            .request_with_headers(Method::GET, &path, &[("If-None-Match", "\"other\"")], None)
            .await;
        assert_eq!(other.status, StatusCode::OK);
    }

    // A write by the owner shows at once to anonymous readers, and changes the ETag.
    let path = format!("/api/1/datasets/{id}/");
    let etag = t.get(&path, None).await.headers["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let r = t
        .put(&path, Some(&alice), &json!({"title": "Version 2"}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .request_with_headers(Method::GET, &path, &[("If-None-Match", &etag)], None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["title"], "Version 2");
    assert_ne!(r.headers["etag"].to_str().unwrap(), etag);
    let list = t.get("/api/1/datasets/?page_size=5", None).await;
    assert_eq!(titles(&list), strings(&["Version 2"]));
    // So does a new dataset, and a new resource.
    t.dataset(&alice, json!({"title": "Another"})).await;
    let list = t.get("/api/1/datasets/?page_size=5", None).await;
    assert_eq!(list.body["total"], 2);
    t.remote_resource(&alice, &id, json!({"title": "Fresh"}))
        .await;
    let r = t.get(&path, None).await;
    assert_eq!(r.body["resources"][0]["title"], "Fresh");
    // A failed write does not matter, a delete does.
    let bob = t.user("Bob").await;
    assert_forbidden(&t.put(&path, Some(&bob), &json!({"title": "Nope"})).await);
    assert_eq!(t.get(&path, None).await.body["title"], "Version 2");
    t.delete(&path, Some(&alice)).await;
    assert_message(&t.get(&path, None).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn changes_made_by_another_process_reach_anonymous_readers() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t.dataset(&alice, json!({"title": "Before"})).await;
    let id = id_of(&d);
    let path = format!("/api/1/datasets/{id}/");
    let list = "/api/1/datasets/";
    // Fill the cache.
    assert_eq!(t.get(&path, None).await.body["title"], "Before");
    assert_eq!(titles(&t.get(list, None).await), strings(&["Before"]));
    assert_eq!(t.get(&path, None).await.body["title"], "Before");

    // Another process (the CLI, another node) writes straight through the use cases.
    let actor = t.actor_of(&alice).await;
    let body = json!({"title": "After"});
    portail_app::datasets::update(&t.app, &actor, &id, body.as_object().unwrap())
        .await
        .expect("update");

    let deadline = Instant::now() + Duration::from_millis(2500);
    loop {
        let one = t.get(&path, None).await;
        let all = t.get(list, None).await;
        if one.body["title"] == "After" && titles(&all) == strings(&["After"]) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still stale: {} / {}",
            one.body["title"],
            all.text
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_bad_api_key_is_a_401_not_an_anonymous_call() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let forged = alice.with_token("udata_not-a-real-token");
    let r = t.get("/api/1/datasets/", Some(&forged)).await;
    assert_unauthorized(&r);
    assert_eq!(r.body["message"], "Invalid API token");
    let r = t
        .post(
            "/api/1/datasets/",
            Some(&forged),
            &json!({"title": "T", "description": "D"}),
        )
        .await;
    assert_unauthorized(&r);
    let r = t
        .post(
            "/api/1/datasets/",
            None,
            &json!({"title": "T", "description": "D"}),
        )
        .await;
    assert_unauthorized(&r);
}

#[tokio::test]
async fn an_oversized_json_body_is_a_413() {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let huge = json!({"title": "x", "description": "y".repeat(9 * 1024 * 1024)});
    let r = t.post("/api/1/datasets/", Some(&owner), &huge).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert!(r.body["message"].as_str().unwrap().contains("too large"));
}

//! The CKAN Action API (`src/ckan/`): every action, its errors, privacy by API key in each
//! header form, GET vs POST, the `/api/action/` alias, and the responses against CKAN's JSON
//! Schemas.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::json_schema::{Schemas, ckan_schemas_dir};
use crate::support::{Cast, Resp, TestApp};

fn schemas() -> Option<Schemas> {
    ckan_schemas_dir().map(|dir| Schemas::load(&dir))
}

fn assert_schema(schemas: &Option<Schemas>, name: &str, r: &Resp) {
    if let Some(s) = schemas {
        let errors = s.validate(name, &r.body);
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{}", r.text);
    }
}

fn assert_ok(r: &Resp) -> &Value {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json;charset=utf-8")
    );
    assert_eq!(r.body["success"], true, "{}", r.text);
    assert!(
        r.body["help"]
            .as_str()
            .is_some_and(|h| h.contains("/api/3/action/help_show?name=")),
        "{}",
        r.text
    );
    &r.body["result"]
}

fn assert_error(r: &Resp, status: StatusCode, kind: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["success"], false, "{}", r.text);
    assert_eq!(r.body["error"]["__type"], kind, "{}", r.text);
}

/// A catalog: two public datasets of the organization (one with a CSV resource), one private
/// one, and one public dataset of a user.
struct Catalog {
    t: TestApp,
    cast: Cast,
    org_slug: String,
    air: Value,
    water: Value,
    secret: Value,
}

async fn catalog() -> Catalog {
    let t = TestApp::new().await;
    let cast = t.cast().await;
    let org = t
        .get(&format!("/api/1/organizations/{}/", cast.org), None)
        .await;
    let org_slug = org.body["slug"].as_str().expect("slug").to_owned();
    let air = t
        .dataset(
            &cast.admin,
            json!({"title": "Qualité de l'air", "organization": cast.org, "tags": ["air", "pollution"],
                   "license": "odc-odbl", "frequency": "daily",
                   "temporal_coverage": {"start": "2024-01-01", "end": "2024-12-31"}}),
        )
        .await;
    let air_id = air["id"].as_str().expect("id").to_owned();
    t.remote_resource(&cast.admin, &air_id, json!({"format": "csv"}))
        .await;
    let water = t
        .dataset(
            &cast.admin,
            json!({"title": "Qualité de l'eau", "organization": cast.org, "tags": ["eau", "pollution"], "license": "lov2"}),
        )
        .await;
    let secret = t
        .dataset(
            &cast.admin,
            json!({"title": "Budget secret", "organization": cast.org, "private": true, "tags": ["pollution"]}),
        )
        .await;
    t.dataset(
        &cast.owner,
        json!({"title": "Arbres remarquables", "tags": ["arbres"]}),
    )
    .await;
    let air = t
        .get(&format!("/api/1/datasets/{air_id}/"), None)
        .await
        .body;
    Catalog {
        t,
        cast,
        org_slug,
        air,
        water,
        secret,
    }
}

async fn action(t: &TestApp, path: &str) -> Resp {
    t.get(path, None).await
}

#[tokio::test]
async fn api_roots_answer_version_3() {
    let t = TestApp::new().await;
    for path in ["/api", "/api/3"] {
        let r = t.get(path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.body, json!({"version": 3}));
    }
}

#[tokio::test]
async fn unknown_actions_are_a_bare_json_string() {
    let t = TestApp::new().await;
    for path in ["/api/3/action/package_create", "/api/action/nope"] {
        let r = t.get(path, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        let name = path.rsplit('/').next().unwrap_or_default();
        assert_eq!(
            r.body,
            Value::String(format!("Bad request: Action name not known: {name}"))
        );
        assert_eq!(
            r.headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/json;charset=utf-8")
        );
    }
}

#[tokio::test]
async fn package_list_names_public_datasets_only() {
    let c = catalog().await;
    let s = schemas();
    let r = action(&c.t, "/api/3/action/package_list").await;
    let names = assert_ok(&r).as_array().expect("list").clone();
    assert_schema(&s, "package_list", &r);
    let mut expected = vec![
        c.air["slug"].clone(),
        c.water["slug"].clone(),
        json!("arbres-remarquables"),
    ];
    expected.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    assert_eq!(names, expected);
    assert!(!names.contains(&c.secret["slug"]));
    // Members with their key see the same list: package_list is public only, as in CKAN.
    let r =
        c.t.request_with_headers(
            Method::GET,
            "/api/3/action/package_list",
            &[("Authorization", &c.cast.admin.token)],
            None,
        )
        .await;
    assert_eq!(assert_ok(&r).as_array().map(Vec::len), Some(3));
    let r = action(&c.t, "/api/action/package_list?limit=1&offset=1").await;
    assert_eq!(assert_ok(&r), &json!([expected[1]]));
    let r = action(&c.t, "/api/3/action/package_list?limit=x").await;
    assert_error(&r, StatusCode::CONFLICT, "Validation Error");
    assert!(r.body["error"]["limit"].is_array(), "{}", r.text);
}

#[tokio::test]
async fn package_show_maps_a_dataset_to_ckans_dict() {
    let c = catalog().await;
    let s = schemas();
    let id = c.air["id"].as_str().expect("id");
    let slug = c.air["slug"].as_str().expect("slug");
    for key in [id, slug] {
        let r = action(&c.t, &format!("/api/3/action/package_show?id={key}")).await;
        let p = assert_ok(&r).clone();
        assert_schema(&s, "package_show", &r);
        assert_eq!(p["id"], id);
        assert_eq!(p["name"], slug);
        assert_eq!(p["title"], "Qualité de l'air");
        assert_eq!(p["type"], "dataset");
        assert_eq!(p["state"], "active");
        assert_eq!(p["private"], false);
        assert_eq!(p["license_id"], "odc-odbl");
        assert!(
            p["license_title"]
                .as_str()
                .is_some_and(|t| t.contains("ODbL"))
        );
        assert_eq!(p["isopen"], true);
        assert_eq!(p["owner_org"], c.cast.org.as_str());
        assert_eq!(p["organization"]["name"], c.org_slug.as_str());
        assert_eq!(p["organization"]["is_organization"], true);
        assert_eq!(p["num_tags"], 2);
        assert_eq!(p["tags"][0]["name"], "air");
        assert_eq!(p["tags"][0]["display_name"], "air");
        assert_eq!(p["tags"][0]["vocabulary_id"], Value::Null);
        assert!(p["tags"][0]["id"].as_str().is_some_and(|t| t.len() == 36));
        assert_eq!(p["groups"], json!([]));
        let extras: Vec<(String, String)> = p["extras"]
            .as_array()
            .expect("extras")
            .iter()
            .map(|e| {
                (
                    e["key"].as_str().unwrap_or_default().to_owned(),
                    e["value"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        assert!(
            extras.contains(&("frequency".into(), "daily".into())),
            "{extras:?}"
        );
        assert!(extras.contains(&("temporal_start".into(), "2024-01-01".into())));
        assert!(extras.contains(&("temporal_end".into(), "2024-12-31".into())));
        // CKAN's naive ISO format: no timezone, microseconds.
        for field in ["metadata_created", "metadata_modified"] {
            let v = p[field].as_str().expect("date");
            assert!(
                chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.6f").is_ok()
                    && v.len() == 26,
                "{field}: {v}"
            );
        }
        assert_eq!(p["num_resources"], 1);
        let res = &p["resources"][0];
        assert_eq!(res["package_id"], id);
        assert_eq!(res["url"], "https://example.org/mesures-2024.csv");
        assert_eq!(res["format"], "csv");
        assert_eq!(res["position"], 0);
        assert_eq!(res["state"], "active");
        assert_eq!(res["resource_type"], "file");
        assert_eq!(res["url_type"], Value::Null);
        assert!(res["created"].as_str().is_some_and(|d| !d.ends_with('Z')));
        for absent in ["author", "author_email", "maintainer", "maintainer_email"] {
            assert!(p.get(absent).is_none(), "{absent}");
        }
    }
    let r = action(&c.t, "/api/3/action/package_show?id=nope").await;
    assert_error(&r, StatusCode::NOT_FOUND, "Not Found Error");
    let r = action(&c.t, "/api/3/action/package_show").await;
    assert_error(&r, StatusCode::CONFLICT, "Validation Error");
}

#[tokio::test]
async fn hosted_files_are_uploads() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t.dataset(&alice, json!({})).await;
    let id = d["id"].as_str().expect("id");
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"a;b\n1;2\n".to_vec()).file_name("mesures.csv"),
    );
    let r = t
        .client
        .post(format!("{}/api/1/datasets/{id}/upload/", t.base))
        .header("X-API-KEY", &alice.token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = t
        .get(&format!("/api/3/action/package_show?id={id}"), None)
        .await;
    let res = &assert_ok(&r)["resources"][0];
    assert_eq!(res["url_type"], "upload");
    assert_eq!(res["resource_type"], "file.upload");
    assert_eq!(res["size"], 8);
    assert!(res["hash"].as_str().is_some_and(|h| h.len() == 64));
    assert!(res["url"].as_str().is_some_and(|u| u.starts_with(&t.base)));
}

#[tokio::test]
async fn private_datasets_follow_the_api_key_in_every_header_form() {
    let c = catalog().await;
    let secret = c.secret["id"].as_str().expect("id");
    let show = format!("/api/3/action/package_show?id={secret}");
    let search = "/api/3/action/package_search?fq=tags:pollution";

    let r = action(&c.t, &show).await;
    assert_error(&r, StatusCode::NOT_FOUND, "Not Found Error");
    assert_eq!(assert_ok(&action(&c.t, search).await)["count"], 2);

    let other = &c.cast.other.token;
    let r =
        c.t.request_with_headers(Method::GET, &show, &[("X-CKAN-API-Key", other)], None)
            .await;
    assert_error(&r, StatusCode::NOT_FOUND, "Not Found Error");

    let token = c.cast.editor.token.clone();
    let bearer = format!("Bearer {token}");
    for header in [
        ("Authorization", token.as_str()),
        ("Authorization", bearer.as_str()),
        ("X-CKAN-API-Key", token.as_str()),
        ("X-API-KEY", token.as_str()),
    ] {
        let r =
            c.t.request_with_headers(Method::GET, &show, &[header], None)
                .await;
        let p = assert_ok(&r);
        assert_eq!(p["private"], true, "{header:?}");
        assert_eq!(
            r.headers.get("cache-control").and_then(|v| v.to_str().ok()),
            Some("private, no-store")
        );
        let r =
            c.t.request_with_headers(Method::GET, search, &[header], None)
                .await;
        assert_eq!(assert_ok(&r)["count"], 3, "{header:?}");
        let r =
            c.t.request_with_headers(
                Method::GET,
                &format!("{search}&include_private=false"),
                &[header],
                None,
            )
            .await;
        assert_eq!(assert_ok(&r)["count"], 2, "{header:?}");
    }
    let r =
        c.t.request_with_headers(
            Method::GET,
            &show,
            &[("Authorization", "udata_wrong")],
            None,
        )
        .await;
    assert_error(&r, StatusCode::FORBIDDEN, "Authorization Error");
}

#[tokio::test]
async fn post_bodies_and_query_parameters_agree() {
    let c = catalog().await;
    let get = action(
        &c.t,
        "/api/3/action/package_search?fq=tags:pollution&rows=1&sort=name%20asc",
    )
    .await;
    let post =
        c.t.post(
            "/api/3/action/package_search",
            None,
            &json!({"fq": "tags:pollution", "rows": 1, "sort": "name asc"}),
        )
        .await;
    assert_eq!(assert_ok(&get), assert_ok(&post));
    let form =
        c.t.send_raw(
            Method::POST,
            "/api/action/package_search",
            None,
            Some("application/x-www-form-urlencoded"),
            "fq=tags%3Apollution&rows=1&sort=name+asc",
        )
        .await;
    assert_eq!(assert_ok(&form), assert_ok(&get));
    let r =
        c.t.send_raw(
            Method::POST,
            "/api/3/action/package_show",
            None,
            Some("application/json"),
            &format!(
                "{{\"id\": \"{}\"}}",
                c.water["id"].as_str().unwrap_or_default()
            ),
        )
        .await;
    assert_eq!(assert_ok(&r)["name"], c.water["slug"]);
    let r =
        c.t.send_raw(
            Method::POST,
            "/api/3/action/package_show",
            None,
            Some("application/json"),
            "{not json",
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .as_str()
            .is_some_and(|s| s.starts_with("Bad request: JSON Error")),
        "{}",
        r.text
    );
    // Never a redirect, whatever the method.
    for path in ["/api/3/action/site_read", "/api/action/site_read"] {
        let r = c.t.post(path, None, &json!({})).await;
        assert_eq!(assert_ok(&r), &json!(true));
    }
}

#[tokio::test]
async fn package_search_filters_sorts_and_pages() {
    let c = catalog().await;
    let s = schemas();
    let names = |r: &Resp| -> Vec<String> {
        assert_ok(r)["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|p| p["name"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let air = c.air["slug"].as_str().expect("slug").to_owned();
    let water = c.water["slug"].as_str().expect("slug").to_owned();
    let org = &c.org_slug;

    // CKAN's test schemas require an organization (data.gov.uk has no user-owned datasets):
    // check them on the organization's datasets.
    let r = action(
        &c.t,
        &format!("/api/3/action/package_search?fq=organization:{org}"),
    )
    .await;
    assert_schema(&s, "package_search", &r);
    let r = action(&c.t, "/api/3/action/package_search").await;
    let result = assert_ok(&r);
    assert_eq!(result["count"], 3);
    assert_eq!(result["sort"], "score desc, metadata_modified desc");
    assert_eq!(result["facets"], json!({}));
    assert_eq!(result["search_facets"], json!({}));

    let cases: Vec<(String, Vec<&str>)> = vec![
        ("fq=tags:eau".into(), vec![water.as_str()]),
        ("fq=-tags:eau%20tags:pollution".into(), vec![air.as_str()]),
        (
            format!("fq=organization:{org}&sort=name%20asc"),
            vec![air.as_str(), water.as_str()],
        ),
        (
            format!("fq=organization:nobody%20OR%20organization:{org}&sort=name%20desc"),
            vec![water.as_str(), air.as_str()],
        ),
        (
            format!("fq=-organization:{org}"),
            vec!["arbres-remarquables"],
        ),
        ("fq=res_format:CSV".into(), vec![air.as_str()]),
        ("fq=license_id:lov2".into(), vec![water.as_str()]),
        (format!("fq=name:{water}"), vec![water.as_str()]),
        (
            format!("fq=id:{}", c.air["id"].as_str().unwrap_or_default()),
            vec![air.as_str()],
        ),
        ("q=eau".into(), vec![water.as_str()]),
        (
            format!("q=organization:{org}%20AND%20-tags:eau"),
            vec![air.as_str()],
        ),
        (
            "fq=tags:(eau%20OR%20arbres)&sort=name%20asc".into(),
            vec!["arbres-remarquables", water.as_str()],
        ),
        (
            "fq=%2Bcapacity:public%20%2Bstate:active&sort=name%20asc&rows=1&start=1".into(),
            vec![air.as_str()],
        ),
        (
            "fq=metadata_modified:[2000-01-01T00:00:00Z%20TO%20*]&rows=0".into(),
            vec![],
        ),
        (
            "fq=metadata_modified:[2999-01-01T00:00:00Z%20TO%20*]".into(),
            vec![],
        ),
        (
            "sort=title_string%20asc".into(),
            vec!["arbres-remarquables", air.as_str(), water.as_str()],
        ),
    ];
    for (query, expected) in cases {
        let r = action(&c.t, &format!("/api/3/action/package_search?{query}")).await;
        assert_eq!(names(&r), expected, "{query}: {}", r.text);
    }
    let r = action(
        &c.t,
        "/api/3/action/package_search?fq=metadata_modified:[2000-01-01T00:00:00Z%20TO%20*]&rows=0",
    )
    .await;
    assert_eq!(assert_ok(&r)["count"], 3);

    // Incremental harvesting: only what changed after a given instant.
    let since = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r =
        c.t.put(
            &format!(
                "/api/1/datasets/{}/",
                c.water["id"].as_str().unwrap_or_default()
            ),
            Some(&c.cast.admin),
            &json!({"description": "Mesures de la qualité de l'eau des rivières, mises à jour."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r =
        c.t.post(
            "/api/3/action/package_search",
            None,
            &json!({"fq": format!("metadata_modified:[{since} TO *]")}),
        )
        .await;
    assert_eq!(names(&r), vec![water.as_str()], "{}", r.text);

    // rows is clamped to 1000, not refused.
    let r = action(&c.t, "/api/3/action/package_search?rows=5000").await;
    assert_eq!(assert_ok(&r)["results"].as_array().map(Vec::len), Some(3));

    for bad in [
        "fq=groups:x",
        "fq=tags:a%20OR%20organization:b",
        "sort=popularity%20desc",
        "bogus=1",
        "fq=metadata_modified:[yesterday%20TO%20*]",
        "facet.field=%5B%22nope%22%5D",
    ] {
        let r = action(&c.t, &format!("/api/3/action/package_search?{bad}")).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "Search Query Error");
        assert!(
            r.body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Search Query is invalid: ")),
            "{bad}: {}",
            r.text
        );
    }
    let r = action(&c.t, "/api/3/action/package_search?rows=ten").await;
    assert_error(&r, StatusCode::CONFLICT, "Validation Error");
    assert_eq!(r.body["error"]["rows"], json!(["Invalid integer"]));
}

#[tokio::test]
async fn package_search_facets_in_ckans_shape() {
    let c = catalog().await;
    let s = schemas();
    let r = action(
        &c.t,
        "/api/3/action/package_search?facet.field=%5B%22tags%22,%22organization%22,%22res_format%22,%22license_id%22%5D&rows=0",
    )
    .await;
    assert_schema(&s, "package_search", &r);
    let org_only = action(
        &c.t,
        &format!(
            "/api/3/action/package_search?fq=organization:{}&facet.field=%5B%22tags%22%5D",
            c.org_slug
        ),
    )
    .await;
    assert_schema(&s, "package_search", &org_only);
    let result = assert_ok(&r);
    let facets = &result["facets"];
    assert_eq!(facets["tags"]["pollution"], 2);
    assert_eq!(facets["tags"]["arbres"], 1);
    assert!(facets["tags"].get("budget").is_none());
    assert_eq!(facets["organization"][c.org_slug.as_str()], 2);
    assert_eq!(facets["res_format"]["csv"], 1);
    assert_eq!(facets["license_id"]["odc-odbl"], 1);
    let org_items = &result["search_facets"]["organization"];
    assert_eq!(org_items["title"], "organization");
    assert_eq!(
        org_items["items"],
        json!([{"name": c.org_slug, "display_name": "Régie des données", "count": 2}])
    );
    let tags = result["search_facets"]["tags"]["items"]
        .as_array()
        .expect("items");
    let displayed: Vec<&str> = tags
        .iter()
        .filter_map(|i| i["display_name"].as_str())
        .collect();
    let mut sorted = displayed.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(displayed, sorted, "items by display name, descending");
    // facet.limit and a members' view.
    let r =
        c.t.request_with_headers(
            Method::POST,
            "/api/3/action/package_search",
            &[("X-CKAN-API-Key", &c.cast.admin.token)],
            Some(&json!({"facet.field": ["tags"], "facet.limit": 1, "rows": 0})),
        )
        .await;
    assert_eq!(assert_ok(&r)["facets"]["tags"], json!({"pollution": 3}));
}

#[tokio::test]
async fn organizations_as_ckan_lists_and_dicts() {
    let c = catalog().await;
    let s = schemas();
    let second = c.t.org("Agence de l'eau", &c.cast.other, &[]).await;
    let r = action(&c.t, "/api/3/action/organization_list").await;
    assert_schema(&s, "organization_list", &r);
    let second_slug = "agence-de-l-eau";
    assert_eq!(assert_ok(&r), &json!([second_slug, c.org_slug]), "by title");
    let r = action(
        &c.t,
        "/api/3/action/organization_list?sort=name%20desc&limit=1",
    )
    .await;
    assert_eq!(assert_ok(&r), &json!([c.org_slug]));
    let r = action(
        &c.t,
        "/api/3/action/organization_list?sort=package_count%20desc&offset=1",
    )
    .await;
    assert_eq!(assert_ok(&r), &json!([second_slug]));
    let r = action(&c.t, "/api/3/action/organization_list?all_fields=true").await;
    assert_schema(&s, "organization_list", &r);
    let list = assert_ok(&r).as_array().expect("list").clone();
    assert_eq!(list[1]["name"], c.org_slug.as_str());
    assert_eq!(
        list[1]["package_count"], 2,
        "private datasets are not counted"
    );
    assert_eq!(list[0]["id"], second.as_str());

    let r = action(
        &c.t,
        &format!("/api/3/action/organization_show?id={}", c.org_slug),
    )
    .await;
    assert_schema(&s, "organization_show", &r);
    let o = assert_ok(&r);
    assert_eq!(o["id"], c.cast.org.as_str());
    assert_eq!(o["title"], "Régie des données");
    assert_eq!(o["display_name"], "Régie des données");
    assert_eq!(o["type"], "organization");
    assert_eq!(o["approval_status"], "approved");
    assert_eq!(o["package_count"], 2);
    assert!(o.get("packages").is_none());
    let r = action(
        &c.t,
        &format!(
            "/api/3/action/organization_show?id={}&include_datasets=true",
            c.cast.org
        ),
    )
    .await;
    assert_schema(&s, "organization_show", &r);
    assert_eq!(assert_ok(&r)["packages"].as_array().map(Vec::len), Some(2));
    let r = action(&c.t, "/api/3/action/organization_show?id=nope").await;
    assert_error(&r, StatusCode::NOT_FOUND, "Not Found Error");
}

#[tokio::test]
async fn groups_tags_licenses_and_status() {
    let c = catalog().await;
    assert_eq!(
        assert_ok(&action(&c.t, "/api/3/action/group_list").await),
        &json!([])
    );
    let r = action(&c.t, "/api/3/action/group_show?id=x").await;
    assert_error(&r, StatusCode::NOT_FOUND, "Not Found Error");
    let r = action(&c.t, "/api/3/action/tag_list").await;
    assert_eq!(assert_ok(&r), &json!(["air", "arbres", "eau", "pollution"]));
    let r = action(&c.t, "/api/3/action/tag_list?query=ar&all_fields=true").await;
    let tags = assert_ok(&r).as_array().expect("tags").clone();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0]["name"], "arbres");
    let r = action(&c.t, "/api/3/action/license_list").await;
    let licenses = assert_ok(&r).as_array().expect("licenses").clone();
    let odbl = licenses
        .iter()
        .find(|l| l["id"] == "odc-odbl")
        .expect("odbl");
    for key in [
        "id",
        "title",
        "url",
        "od_conformance",
        "osd_conformance",
        "status",
        "maintainer",
        "domain_content",
        "domain_data",
        "domain_software",
        "family",
        "is_generic",
        "is_okd_compliant",
        "is_osi_compliant",
    ] {
        assert!(odbl.get(key).is_some(), "{key}");
    }
    assert_eq!(odbl["domain_data"], true);
    assert_eq!(odbl["od_conformance"], "approved");
    let r = action(&c.t, "/api/3/action/status_show").await;
    let status = assert_ok(&r);
    assert_eq!(status["ckan_version"], "2.11.0");
    assert_eq!(status["site_url"], c.t.base.as_str());
    assert!(status["extensions"].is_array());
    assert_eq!(
        assert_ok(&action(&c.t, "/api/3/action/site_read").await),
        &json!(true)
    );
}

#[tokio::test]
async fn http_caching_of_actions() {
    let c = catalog().await;
    let path = "/api/3/action/package_list";
    let r = action(&c.t, path).await;
    assert_ok(&r);
    let etag = r.headers["etag"].to_str().expect("etag").to_owned();
    assert_eq!(r.headers["cache-control"], "public, max-age=60");
    assert!(
        r.headers["vary"]
            .to_str()
            .is_ok_and(|v| v.contains("Accept")
                && v.contains("Authorization")
                && v.contains("X-API-KEY")),
        "{:?}",
        r.headers
    );
    let head =
        c.t.client
            .head(format!("{}{path}", c.t.base))
            .send()
            .await
            .expect("head");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["content-type"], r.headers["content-type"]);
    assert_eq!(head.headers()["etag"], etag.as_str());
    assert_eq!(
        head.headers()["content-length"].to_str().ok(),
        Some(r.text.len().to_string().as_str())
    );
    assert!(head.text().await.expect("body").is_empty());
    let r =
        c.t.request_with_headers(Method::GET, path, &[("If-None-Match", &etag)], None)
            .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert_eq!(r.headers["etag"], etag.as_str());
    assert!(r.headers.contains_key("vary"));
}

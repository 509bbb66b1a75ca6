//! The site as a whole: `/healthz`, the OpenAPI document against `src/router.rs`, the docs
//! page, unknown paths and trailing slashes.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::TestApp;

/// A route as written in `src/router.rs`: its path and `(method, handler module, handler)`.
#[derive(Debug)]
struct Route {
    path: String,
    handlers: Vec<(String, String, String)>,
}

impl Route {
    fn has_get(&self) -> bool {
        self.handlers.iter().any(|(m, _, _)| m == "get")
    }

    /// The path as OpenAPI writes it: a catch-all `{*key}` is a plain `{key}` there.
    fn openapi_path(&self) -> String {
        self.path.replace("{*", "{")
    }

    /// The docs page and the document itself are not operations of the API.
    /// API routes are documented; the docs themselves and HTML pages are not.
    fn is_documented(&self) -> bool {
        self.handlers
            .iter()
            .all(|(_, module, _)| module != "openapi" && module != "pages")
    }
}

/// Reads the route table of `src/router.rs`, so that a route added there without its OpenAPI
/// annotation fails here.
fn router_routes() -> Vec<Route> {
    let src = include_str!("../../src/router.rs");
    let mut routes = Vec::new();
    // Every table `let <name>: [(&str, MethodRouter<AppState>); N] = [...]` of the file.
    let mut rest = src;
    while let Some(found) = rest.find("MethodRouter<AppState>); ") {
        let start = found + rest[found..].find("= [").expect("the route table");
        let end = start + rest[start..].find("];").expect("end of the route table");
        let table = &rest[start..end];
        rest = &rest[end..];
        // Between quotes at odd positions: the only string literals of a table are its paths.
        let pieces: Vec<&str> = table.split('"').collect();
        let mut i = 1;
        while i < pieces.len() {
            let path = pieces[i];
            assert!(path.starts_with('/'), "not a path: {path}");
            let code = pieces.get(i + 1).copied().unwrap_or_default();
            routes.push(Route {
                path: path.to_owned(),
                handlers: method_handlers(code),
            });
            i += 2;
        }
    }
    assert!(routes.len() >= 25, "parsed too few routes: {routes:?}");
    for r in &routes {
        assert!(!r.handlers.is_empty(), "no handler parsed for {}", r.path);
    }
    routes
}

/// `get(a::b).post(c::d)` -> `[("get", "a", "b"), ("post", "c", "d")]`.
fn method_handlers(code: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for method in ["get", "post", "put", "patch", "delete"] {
        let call = format!("{method}(");
        let mut from = 0;
        while let Some(found) = code[from..].find(&call) {
            let at = from + found;
            from = at + call.len();
            let boundary = code[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if !boundary {
                continue;
            }
            let close = from + code[from..].find(')').expect("closing parenthesis");
            let handler = code[from..close].trim();
            let (module, name) = handler.rsplit_once("::").unwrap_or(("", handler));
            let module = module.rsplit("::").next().unwrap_or_default();
            out.push((method.to_owned(), module.to_owned(), name.to_owned()));
        }
    }
    out
}

async fn openapi(t: &TestApp) -> Value {
    let r = t.get("/api/1/swagger.json", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json")),
        "{:?}",
        r.headers
    );
    r.body
}

#[tokio::test]
async fn healthz_reports_the_database() {
    let t = TestApp::new().await;
    let r = t.get("/healthz", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"status": "ok", "database": t.app.db.backend()})
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let t = TestApp::new().await;
    let doc = openapi(&t).await;
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Portail API");
    assert!(doc["components"]["securitySchemes"]["apikey"].is_object());
    let paths = doc["paths"].as_object().expect("paths");

    let routes = router_routes();
    let mut missing = Vec::new();
    let mut registered = BTreeSet::new();
    for route in routes.iter().filter(|r| r.is_documented()) {
        let path = route.openapi_path();
        for (method, _, handler) in &route.handlers {
            registered.insert((path.clone(), method.clone()));
            let op = &paths.get(&path).unwrap_or(&Value::Null)[method];
            if op["operationId"] != handler.as_str() {
                missing.push(format!(
                    "{} {path} should have operationId {handler}, has {}",
                    method.to_uppercase(),
                    op["operationId"]
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));

    // And nothing documented that the router does not serve.
    let mut operation_ids = BTreeMap::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            assert!(
                registered.contains(&(path.clone(), method.clone())),
                "{} {path} is documented but not routed",
                method.to_uppercase()
            );
            let id = op["operationId"].as_str().expect("operationId");
            if let Some(other) = operation_ids.insert(id.to_owned(), path.clone()) {
                panic!("operationId {id} used twice ({other} and {path})");
            }
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{id} has no tag"
            );
            assert!(op["responses"].is_object(), "{id} has no responses");
        }
    }
}

#[tokio::test]
async fn the_openapi_document_snapshot() {
    let t = TestApp::new().await;
    let doc = openapi(&t).await;
    insta::assert_json_snapshot!("openapi", doc, {".info.version" => "[version]"});
}

#[tokio::test]
async fn the_docs_page_is_html() {
    let t = TestApp::new().await;
    for path in ["/api/1/docs/", "/api/1/docs", "/api/docs/", "/api/docs"] {
        let r = t.get(path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(
            r.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html")),
            "{path}: {:?}",
            r.headers
        );
        assert!(r.text.contains("/api/1/swagger.json"), "{path}");
    }
}

#[tokio::test]
async fn unknown_paths_answer_json_404() {
    let t = TestApp::new().await;
    for path in [
        "/nope",
        "/api/1/nope/",
        "/api/1/datasets/x/y/z/",
        "/api/3/datasets/",
        "/api/1/organizations/x/members/",
    ] {
        let r = t.get(path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
        assert!(r.body["message"].is_string(), "{path}: {}", r.text);
        assert!(
            r.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json")),
            "{path}: {:?}",
            r.headers
        );
    }
    let r = t
        .request(Method::PATCH, "/api/1/datasets/", None, None)
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.text);
}

#[tokio::test]
async fn every_path_answers_with_and_without_its_trailing_slash() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let org = t.org("Ville de Valbourg", &alice, &[]).await;
    let dataset = t.dataset(&alice, json!({"organization": org})).await;
    let dataset_id = dataset["id"].as_str().expect("id").to_owned();
    let r = t
        .post(
            &format!("/api/1/datasets/{dataset_id}/resources/"),
            Some(&alice),
            &json!({"title": "Mesures", "url": "https://example.org/m.csv", "filetype": "remote"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let resource_id = r.body["id"].as_str().expect("id").to_owned();
    let token = t
        .post("/api/1/me/api_tokens/", Some(&alice), &json!({}))
        .await;
    let token_id = token.body["id"].as_str().expect("id").to_owned();
    let transfer = t
        .post(
            "/api/1/transfer/",
            Some(&alice),
            &json!({"subject": {"class": "Dataset", "id": dataset_id}, "recipient": {"class": "User", "id": alice.id}}),
        )
        .await;
    let transfer_id = transfer.body["id"]
        .as_str()
        .expect("transfer id")
        .to_owned();
    let discussion = t
        .post(
            "/api/1/discussions/",
            Some(&alice),
            &json!({"title": "t", "comment": "c", "subject": {"class": "Dataset", "id": dataset_id}}),
        )
        .await;
    let discussion_id = discussion.body["id"]
        .as_str()
        .expect("discussion id")
        .to_owned();
    let reuse = t
        .post(
            "/api/1/reuses/",
            Some(&alice),
            &json!({"title": "t", "description": "d", "url": "https://example.org/r", "type": "api"}),
        )
        .await;
    let reuse_id = reuse.body["id"].as_str().expect("reuse id").to_owned();
    let community = t
        .post(
            "/api/1/datasets/community_resources/",
            Some(&alice),
            &json!({"dataset": dataset_id, "title": "t", "url": "https://example.org/c"}),
        )
        .await;
    let community_id = community.body["id"]
        .as_str()
        .expect("community id")
        .to_owned();
    // A harvest source (unreachable on purpose: its preview fails fast) and one job of it.
    let sysadmin = t.sysadmin("Root").await;
    let r = t
        .post(
            "/api/1/harvest/sources/",
            Some(&alice),
            &json!({"name": "Catalogue", "url": "http://127.0.0.1:9/catalog.ttl", "backend": "dcat"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let source_id = r.body["id"].as_str().expect("id").to_owned();
    let r = t
        .post(
            &format!("/api/1/harvest/source/{source_id}/validate/"),
            Some(&sysadmin),
            &json!({"state": "accepted"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t
        .get(&format!("/api/1/harvest/source/{source_id}/jobs/"), None)
        .await;
    let job_id = r.body["data"][0]["id"].as_str().expect("job id").to_owned();
    let values = [
        ("{dataset}", dataset_id.as_str()),
        ("{transfer}", transfer_id.as_str()),
        ("{discussion}", discussion_id.as_str()),
        ("{cidx}", "0"),
        ("{reuse}", reuse_id.as_str()),
        ("{community}", community_id.as_str()),
        ("{rid}", resource_id.as_str()),
        ("{org}", org.as_str()),
        ("{user}", alice.id.as_str()),
        ("{token}", token_id.as_str()),
        ("{action}", "site_read"),
        ("{file}", "sitemap-datasets-1.xml"),
        ("{catalog_file}", "catalog.ttl"),
        ("{org_file}", "catalog.jsonld"),
        ("{rdf_file}", "rdf.nt"),
        ("{source}", source_id.as_str()),
        ("{job}", job_id.as_str()),
    ];

    let mut failures = Vec::new();
    // Catch-all routes (`/files/{*key}`) serve stored objects, not API paths.
    for route in router_routes().iter().filter(|r| !r.path.contains("{*")) {
        let mut path = route.path.clone();
        for (param, value) in values {
            path = path.replace(param, value);
        }
        assert!(!path.contains('{'), "no value for a parameter of {path}");
        let variants = match path.strip_suffix('/') {
            Some(bare) => vec![path.clone(), bare.to_owned()],
            None => vec![path.clone()],
        };
        for variant in variants {
            let r = t.get(&variant, Some(&alice)).await;
            let expected = if route.path == "/api/1/datasets/r/{rid}" {
                StatusCode::FOUND
            } else if route.has_get() {
                StatusCode::OK
            } else {
                // Routed, just not for GET.
                StatusCode::METHOD_NOT_ALLOWED
            };
            if r.status != expected {
                failures.push(format!(
                    "GET {variant}: {} (expected {expected}) {}",
                    r.status, r.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let r = t
        .get(&format!("/api/1/datasets/r/{resource_id}"), None)
        .await;
    assert_eq!(
        r.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("https://example.org/m.csv")
    );
}

//! DCAT catalogs (`src/api/dcat.rs`), read back with `portail_dcat::read_page` as a harvester
//! would: formats by extension and by `Accept`, Hydra paging to the end, privacy, filters,
//! no redirects, HEAD and 304.

use portail_core::harvest::RemoteRecord;
use portail_dcat::{RdfFormat, ReadLimits, read_page};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{Resp, TestApp};

fn records(r: &Resp, format: RdfFormat, url: &str) -> (Vec<String>, Option<String>, Option<u64>) {
    // The base must be absolute; an empty one means none.
    let base = if url.starts_with("http") { url } else { "" };
    let page = read_page(
        r.text.as_bytes(),
        format,
        base,
        &ReadLimits::default(),
        chrono::Utc::now(),
    )
    .unwrap_or_else(|e| panic!("{url}: {e}\n{}", r.text));
    let uris = page
        .records
        .iter()
        .map(|rec| match rec {
            RemoteRecord::Dataset(d) => d.uri.clone().unwrap_or_default(),
            other => panic!("{url}: not a dataset: {other:?}"),
        })
        .collect();
    (uris, page.next_page, page.total_items)
}

#[tokio::test]
async fn the_catalog_pages_through_public_datasets_in_every_format() {
    let t = TestApp::new().await;
    let cast = t.cast().await;
    let mut public = Vec::new();
    for i in 0..3 {
        let d = t
            .dataset(
                &cast.admin,
                json!({"title": format!("Jeu public {i}"), "organization": cast.org}),
            )
            .await;
        let id = d["id"].as_str().expect("id").to_owned();
        t.remote_resource(&cast.admin, &id, json!({})).await;
        public.push(format!("{}/datasets/{id}/", t.base));
    }
    t.dataset(
        &cast.admin,
        json!({"title": "Secret", "organization": cast.org, "private": true}),
    )
    .await;

    for (path, format, content_type) in [
        (
            "/api/1/site/catalog.ttl",
            RdfFormat::Turtle,
            "text/turtle; charset=utf-8",
        ),
        (
            "/api/1/site/catalog.rdf",
            RdfFormat::RdfXml,
            "application/rdf+xml; charset=utf-8",
        ),
        (
            "/api/1/site/catalog.xml",
            RdfFormat::RdfXml,
            "application/rdf+xml; charset=utf-8",
        ),
        (
            "/api/1/site/catalog.jsonld",
            RdfFormat::JsonLd,
            "application/ld+json",
        ),
        (
            "/api/1/site/catalog.json",
            RdfFormat::JsonLd,
            "application/ld+json",
        ),
        (
            "/api/1/site/catalog.nt",
            RdfFormat::NTriples,
            "application/n-triples",
        ),
        (
            "/catalog.ttl",
            RdfFormat::Turtle,
            "text/turtle; charset=utf-8",
        ),
    ] {
        let r = t.get(path, Some(&cast.admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert_eq!(r.headers["content-type"], content_type, "{path}");
        assert_eq!(r.headers["vary"], "Accept");
        assert_eq!(r.headers["cache-control"], "public, max-age=60");
        let url = format!("{}{path}", t.base);
        let (mut uris, next, total) = records(&r, format, &url);
        uris.sort();
        let mut expected = public.clone();
        expected.sort();
        assert_eq!(
            uris, expected,
            "{path}: public only, even with a member's key"
        );
        assert_eq!(next, None, "{path}");
        assert_eq!(total, Some(3), "{path}");
    }

    // Paging to the end, as udata's and ckanext-dcat's harvesters do: no redirect, no repeat.
    let mut url = format!("{}/api/1/site/catalog.ttl?page_size=2", t.base);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let r = t.get(&url, None).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        let (uris, next, total) = records(&r, RdfFormat::Turtle, &url);
        assert_eq!(total, Some(3));
        seen.extend(uris);
        pages += 1;
        match next {
            Some(next) => {
                assert!(
                    next.starts_with(&t.base) && next.contains("page=2"),
                    "{next}"
                );
                url = next;
            }
            None => break,
        }
        assert!(pages < 5, "paging does not end");
    }
    assert_eq!(pages, 2);
    seen.sort();
    let mut expected = public.clone();
    expected.sort();
    assert_eq!(seen, expected);

    let r = t
        .get("/api/1/site/catalog.ttl?modified_since=2999-01-01", None)
        .await;
    assert_eq!(records(&r, RdfFormat::Turtle, "x").0.len(), 0);
    let r = t
        .get(
            "/api/1/site/catalog.ttl?modified_since=2000-01-01T00:00:00Z",
            None,
        )
        .await;
    assert_eq!(records(&r, RdfFormat::Turtle, "x").0.len(), 3);
    for bad in ["page_size=5000", "page=0", "modified_since=yesterday"] {
        let r = t.get(&format!("/api/1/site/catalog.ttl?{bad}"), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let r = t.get("/api/1/site/catalog.csv.gz", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn negotiation_answers_directly() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    t.dataset(&alice, json!({})).await;
    for path in ["/api/1/site/catalog", "/catalog"] {
        for (accept, format, content_type) in [
            (None, RdfFormat::JsonLd, "application/ld+json"),
            (
                Some("text/turtle"),
                RdfFormat::Turtle,
                "text/turtle; charset=utf-8",
            ),
            (
                Some("application/rdf+xml"),
                RdfFormat::RdfXml,
                "application/rdf+xml; charset=utf-8",
            ),
            (
                Some("application/n-triples"),
                RdfFormat::NTriples,
                "application/n-triples",
            ),
            (
                Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                RdfFormat::RdfXml,
                "application/rdf+xml; charset=utf-8",
            ),
        ] {
            let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
            let r = t
                .request_with_headers(Method::GET, path, &headers, None)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{path} {accept:?}: {}", r.text);
            assert_eq!(r.headers["content-type"], content_type, "{path} {accept:?}");
            assert_eq!(r.headers["vary"], "Accept");
            assert_eq!(records(&r, format, path).0.len(), 1, "{path} {accept:?}");
        }
        let r = t
            .request_with_headers(Method::GET, path, &[("Accept", "image/png")], None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_ACCEPTABLE);
        let r = t.get(path, None).await;
        let etag = r.headers["etag"].to_str().expect("etag").to_owned();
        let r = t
            .request_with_headers(Method::GET, path, &[("If-None-Match", &etag)], None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED);
        let head = t
            .client
            .request(Method::HEAD, format!("{}{path}", t.base))
            .header("Accept", "text/turtle")
            .send()
            .await
            .expect("head");
        assert_eq!(head.status(), StatusCode::OK);
        assert_eq!(head.headers()["content-type"], "text/turtle; charset=utf-8");
        assert!(head.headers().contains_key("content-length"));
    }
}

#[tokio::test]
async fn organization_catalogs_and_dataset_documents() {
    let t = TestApp::new().await;
    let cast = t.cast().await;
    let mine = t
        .dataset(
            &cast.admin,
            json!({"title": "De la régie", "organization": cast.org}),
        )
        .await;
    t.dataset(&cast.owner, json!({"title": "D'ailleurs"})).await;
    let secret = t
        .dataset(
            &cast.admin,
            json!({"title": "Secret", "organization": cast.org, "private": true}),
        )
        .await;
    let mine_iri = format!(
        "{}/datasets/{}/",
        t.base,
        mine["id"].as_str().unwrap_or_default()
    );
    for path in [
        format!("/api/1/organizations/{}/catalog.ttl", cast.org),
        "/api/1/organizations/regie-des-donnees/catalog.ttl".to_owned(),
    ] {
        let r = t.get(&path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert_eq!(
            records(&r, RdfFormat::Turtle, &path).0,
            vec![mine_iri.clone()]
        );
    }
    let r = t
        .request_with_headers(
            Method::GET,
            &format!("/api/1/organizations/{}/catalog", cast.org),
            &[("Accept", "text/turtle")],
            None,
        )
        .await;
    assert_eq!(
        records(&r, RdfFormat::Turtle, "x").0,
        vec![mine_iri.clone()]
    );
    let r = t.get("/api/1/organizations/nope/catalog.ttl", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let id = mine["id"].as_str().expect("id");
    let slug = mine["slug"].as_str().expect("slug");
    for path in [
        format!("/api/1/datasets/{id}/rdf.ttl"),
        format!("/api/1/datasets/{slug}/rdf.nt"),
        format!("/api/1/datasets/{id}/rdf"),
    ] {
        let r = t.get(&path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        let format = if path.ends_with(".ttl") {
            RdfFormat::Turtle
        } else if path.ends_with(".nt") {
            RdfFormat::NTriples
        } else {
            RdfFormat::JsonLd
        };
        assert_eq!(
            records(&r, format, &path).0,
            vec![mine_iri.clone()],
            "{path}"
        );
    }
    let hidden = format!(
        "/api/1/datasets/{}/rdf.ttl",
        secret["id"].as_str().unwrap_or_default()
    );
    let r = t.get(&hidden, Some(&cast.admin)).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "private datasets are never exported"
    );
    let r = t.get(&format!("/api/1/datasets/{id}/rdf.docx"), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

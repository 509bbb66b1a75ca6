//! `/sitemap.xml`, its parts and `/robots.txt` (`src/pages/sitemap.rs`).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::feeds::xml_texts;
use crate::support::TestApp;

#[tokio::test]
async fn the_sitemap_lists_public_pages_with_their_last_change() {
    let t = TestApp::new().await;
    let cast = t.cast().await;
    let public = t
        .dataset(
            &cast.admin,
            json!({"title": "Parcs et jardins", "organization": cast.org}),
        )
        .await;
    t.dataset(
        &cast.admin,
        json!({"title": "Budget secret", "organization": cast.org, "private": true}),
    )
    .await;
    let deleted = t.dataset(&cast.owner, json!({"title": "Éphémère"})).await;
    let r = t
        .delete(
            &format!(
                "/api/1/datasets/{}/",
                deleted["id"].as_str().unwrap_or_default()
            ),
            Some(&cast.owner),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);

    for path in ["/sitemap.xml", "/sitemap-datasets-1.xml"] {
        let r = t.get(path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert_eq!(r.headers["content-type"], "application/xml; charset=utf-8");
        assert!(
            r.text
                .contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        let texts = xml_texts(&r.text);
        let locs: Vec<&str> = texts
            .iter()
            .filter(|(p, _)| p == "urlset/url/loc")
            .map(|(_, t)| t.as_str())
            .collect();
        let page = format!(
            "{}/datasets/{}/",
            t.base,
            public["slug"].as_str().unwrap_or_default()
        );
        assert!(locs.contains(&page.as_str()), "{locs:?}");
        assert!(!r.text.contains("budget-secret"), "{path}");
        assert!(!r.text.contains("ephemere"), "{path}");
        if path == "/sitemap.xml" {
            assert!(
                locs.contains(&format!("{}/organizations/regie-des-donnees/", t.base).as_str())
            );
            assert_eq!(locs.len(), 2);
        }
        let lastmods: Vec<&str> = texts
            .iter()
            .filter(|(p, _)| p == "urlset/url/lastmod")
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(lastmods.len(), locs.len());
        let modified = public["internal"]["last_modified_internal"]
            .as_str()
            .unwrap_or_default();
        let expected = chrono::DateTime::parse_from_rfc3339(modified)
            .expect("date")
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        assert!(
            lastmods.contains(&expected.as_str()),
            "{lastmods:?} {expected}"
        );
    }
    let r = t.get("/sitemap-organizations-1.xml", None).await;
    assert!(
        r.text.contains("/organizations/regie-des-donnees/"),
        "{}",
        r.text
    );
    for missing in [
        "/sitemap-datasets-2.xml",
        "/sitemap-users-1.xml",
        "/sitemap-datasets-0.xml",
    ] {
        let r = t.get(missing, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{missing}");
    }

    let r = t.get("/sitemap.xml", None).await;
    let etag = r.headers["etag"].to_str().expect("etag").to_owned();
    let last_modified = r.headers["last-modified"]
        .to_str()
        .expect("date")
        .to_owned();
    let r = t
        .request_with_headers(
            Method::GET,
            "/sitemap.xml",
            &[("If-None-Match", &etag)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    let r = t
        .request_with_headers(
            Method::GET,
            "/sitemap.xml",
            &[("If-Modified-Since", &last_modified)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    // A stale ETag wins over a fresh date.
    let r = t
        .request_with_headers(
            Method::GET,
            "/sitemap.xml",
            &[
                ("If-None-Match", "\"stale\""),
                ("If-Modified-Since", &last_modified),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let head = t
        .client
        .head(format!("{}/sitemap.xml", t.base))
        .send()
        .await
        .expect("head");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        head.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
}

#[tokio::test]
async fn robots_txt_announces_the_sitemap() {
    let t = TestApp::new().await;
    let r = t.get("/robots.txt", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "text/plain; charset=utf-8");
    assert!(r.text.starts_with("User-agent: *\n"));
    assert!(r.text.contains("Allow: /\n"));
    assert!(
        r.text.contains(&format!("Sitemap: {}/sitemap.xml", t.base)),
        "{}",
        r.text
    );
    assert!(!r.text.contains("Disallow: /\n"));
}

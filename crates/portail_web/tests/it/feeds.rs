//! Atom feeds (`src/api/feeds.rs`): RFC 4287 shape parsed back, privacy, HEAD and 304.

use quick_xml::Reader;
use quick_xml::events::Event;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::TestApp;

/// Element paths (`feed/entry/title`) and their text, from a parsed XML document.
pub fn xml_texts(xml: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                text.clear();
                path.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
            }
            Ok(Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let attrs: Vec<String> = e
                    .attributes()
                    .filter_map(Result::ok)
                    .map(|a| {
                        format!(
                            "{}={}",
                            String::from_utf8_lossy(a.key.as_ref()),
                            String::from_utf8_lossy(&a.value)
                        )
                    })
                    .collect();
                out.push((format!("{}/{name}", path.join("/")), attrs.join(" ")));
            }
            Ok(Event::Text(t)) => {
                text.push_str(&t.decode().expect("text"));
            }
            // quick-xml reports `&amp;` and friends apart from the text around them.
            Ok(Event::GeneralRef(r)) => {
                let name = r.decode().expect("entity").into_owned();
                let resolved = match name.as_str() {
                    "amp" => "&".to_owned(),
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "quot" => "\"".to_owned(),
                    "apos" => "'".to_owned(),
                    other => r
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                        .unwrap_or_else(|| panic!("unknown entity {other}")),
                };
                text.push_str(&resolved);
            }
            Ok(Event::End(_)) => {
                if !text.trim().is_empty() {
                    out.push((path.join("/"), std::mem::take(&mut text)));
                }
                text.clear();
                path.pop();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("invalid XML: {e}\n{xml}"),
        }
    }
    assert!(path.is_empty(), "unclosed elements: {path:?}");
    out
}

fn count(texts: &[(String, String)], path: &str) -> usize {
    texts.iter().filter(|(p, _)| p == path).count()
}

#[tokio::test]
async fn recent_datasets_feed_is_valid_atom_without_private_datasets() {
    let t = TestApp::new().await;
    let cast = t.cast().await;
    t.dataset(
        &cast.admin,
        json!({"title": "Arbres <remarquables> & co", "organization": cast.org}),
    )
    .await;
    t.dataset(
        &cast.admin,
        json!({"title": "Budget secret", "organization": cast.org, "private": true}),
    )
    .await;
    t.dataset(&cast.owner, json!({"title": "Bancs publics"}))
        .await;

    let r = t.get("/api/1/datasets/recent.atom", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.headers["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    assert_eq!(r.headers["cache-control"], "public, max-age=60");
    assert_eq!(r.headers["vary"], "Accept");
    assert!(r.headers.contains_key("last-modified"));
    assert!(r.text.starts_with("<?xml"));
    assert!(
        r.text
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"")
    );
    let texts = xml_texts(&r.text);
    for required in ["feed/id", "feed/title", "feed/updated"] {
        assert_eq!(count(&texts, required), 1, "{required}");
    }
    assert!(
        texts
            .iter()
            .any(|(p, a)| p == "feed/link" && a.contains("rel=self"))
    );
    assert!(
        texts
            .iter()
            .any(|(p, a)| p == "feed/link" && a.contains("rel=alternate"))
    );
    assert_eq!(count(&texts, "feed/entry/id"), 2);
    for required in ["title", "updated", "published", "author/name", "summary"] {
        assert_eq!(
            count(&texts, &format!("feed/entry/{required}")),
            2,
            "{required}"
        );
    }
    assert_eq!(count(&texts, "feed/entry/link"), 2);
    let titles: Vec<&str> = texts
        .iter()
        .filter(|(p, _)| p == "feed/entry/title")
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(
        titles,
        vec!["Bancs publics", "Arbres <remarquables> & co"],
        "newest first"
    );
    assert!(!r.text.contains("Budget secret"));
    let authors: Vec<&str> = texts
        .iter()
        .filter(|(p, _)| p == "feed/entry/author/name")
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(authors, vec!["Owner Test", "Régie des données"]);
    for (p, t) in &texts {
        if p.ends_with("updated") || p.ends_with("published") {
            assert!(chrono::DateTime::parse_from_rfc3339(t).is_ok(), "{p}: {t}");
        }
    }

    // A member's key does not change the feed: it is public only.
    let r2 = t
        .request_with_headers(
            Method::GET,
            "/api/1/datasets/recent.atom",
            &[("X-API-KEY", &cast.admin.token)],
            None,
        )
        .await;
    assert_eq!(r2.text, r.text);

    let etag = r.headers["etag"].to_str().expect("etag").to_owned();
    let r = t
        .request_with_headers(
            Method::GET,
            "/api/1/datasets/recent.atom",
            &[("If-None-Match", &etag)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    let head = t
        .client
        .head(format!("{}/api/1/datasets/recent.atom", t.base))
        .send()
        .await
        .expect("head");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["etag"], etag.as_str());
    assert!(head.headers().contains_key("content-length"));
    assert!(head.text().await.expect("body").is_empty());
}

#[tokio::test]
async fn organization_feed_lists_its_public_datasets() {
    let t = TestApp::new().await;
    let cast = t.cast().await;
    t.dataset(
        &cast.admin,
        json!({"title": "Parcs", "organization": cast.org}),
    )
    .await;
    t.dataset(
        &cast.admin,
        json!({"title": "Secret", "organization": cast.org, "private": true}),
    )
    .await;
    t.dataset(&cast.owner, json!({"title": "Ailleurs"})).await;
    for org in [cast.org.as_str(), "regie-des-donnees"] {
        let r = t
            .get(&format!("/api/1/organizations/{org}/datasets.atom"), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let texts = xml_texts(&r.text);
        let titles: Vec<&str> = texts
            .iter()
            .filter(|(p, _)| p == "feed/entry/title")
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(titles, vec!["Parcs"]);
        assert!(
            texts
                .iter()
                .any(|(p, t)| p == "feed/title" && t.contains("Régie des données"))
        );
    }
    let r = t.get("/api/1/organizations/nope/datasets.atom", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // An empty feed is still valid Atom.
    let empty = t.org("Vide", &cast.other, &[]).await;
    let r = t
        .get(&format!("/api/1/organizations/{empty}/datasets.atom"), None)
        .await;
    let texts = xml_texts(&r.text);
    assert_eq!(count(&texts, "feed/updated"), 1);
    assert_eq!(count(&texts, "feed/entry/id"), 0);
}

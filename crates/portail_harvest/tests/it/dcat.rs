//! The DCAT backend (through portail_dcat) against loopback catalogs: formats, Hydra paging
//! and its loop guard.

use portail_core::harvest::RemoteRecord;
use portail_harvest::{Backend, HarvestError, Harvester};

use crate::support::{Reply, Seen, TestServer, fetcher, source};

fn turtle_page(base: &str, ids: &[&str], next: Option<&str>) -> String {
    let mut doc = String::from(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n",
    );
    doc.push_str(&format!(
        "<{base}/catalog> a dcat:Catalog, hydra:Collection ; hydra:totalItems 3 .\n"
    ));
    if let Some(next) = next {
        doc.push_str(&format!(
            "<{base}/view> a hydra:PartialCollectionView ; hydra:next <{next}> .\n"
        ));
    }
    for id in ids {
        doc.push_str(&format!(
            "<{base}/datasets/{id}> a dcat:Dataset ; dct:identifier \"{id}\" ; dct:title \"Dataset {id}\" ;\n  dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <http://files.test/{id}.csv> ] .\n"
        ));
    }
    doc
}

fn turtle(body: String) -> Reply {
    Reply {
        content_type: "text/turtle".into(),
        ..Reply::json(body)
    }
}

#[tokio::test]
async fn follows_hydra_next_pages() {
    let server = TestServer::start_with_base(|seen: &Seen, base: &str| {
        match (seen.path.as_str(), seen.param("page")) {
            ("/catalog.ttl", None) => {
                turtle(turtle_page(base, &["a", "b"], Some("catalog.ttl?page=2")))
            }
            ("/catalog.ttl", Some("2")) => turtle(turtle_page(base, &["c"], None)),
            _ => Reply::not_found(),
        }
    })
    .await;
    let mut harvester = Harvester::new(source(&server, "/catalog.ttl", Backend::Dcat), fetcher());
    let first = harvester.next_page().await.expect("page 1").expect("some");
    assert_eq!(first.len(), 2);
    assert_eq!(harvester.total_hint(), Some(3));
    let second = harvester.next_page().await.expect("page 2").expect("some");
    assert_eq!(
        second.iter().map(|r| r.remote_id()).collect::<Vec<_>>(),
        [Some("c")]
    );
    assert!(harvester.next_page().await.expect("end").is_none());
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0]
            .header("user-agent")
            .is_some_and(|ua| ua.ends_with("(+harvester; dcat)"))
    );
    assert!(
        seen[0]
            .header("accept")
            .is_some_and(|a| a.starts_with("text/turtle"))
    );
    let RemoteRecord::Dataset(a) = &first[0] else {
        panic!("{first:?}")
    };
    assert_eq!(a.title, "Dataset a");
    assert_eq!(a.resources[0].url, "http://files.test/a.csv");
}

#[tokio::test]
async fn a_next_page_already_read_stops_the_run() {
    let server = TestServer::start_with_base(|seen: &Seen, base: &str| match seen.param("page") {
        None => turtle(turtle_page(
            base,
            &["a"],
            Some(&format!("{base}/catalog.ttl?page=2")),
        )),
        _ => turtle(turtle_page(
            base,
            &["b"],
            Some(&format!("{base}/catalog.ttl")),
        )),
    })
    .await;
    let mut harvester = Harvester::new(source(&server, "/catalog.ttl", Backend::Dcat), fetcher());
    harvester.next_page().await.expect("page 1");
    harvester.next_page().await.expect("page 2");
    let error = harvester.next_page().await.expect_err("loop");
    assert!(
        matches!(error, HarvestError::PagingLoop { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "the remote's paging loops: {} was already read in this run",
            server.url("/catalog.ttl")
        )
    );
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn the_format_comes_from_the_content_type_without_an_extension() {
    let server = TestServer::start_with_base(|seen: &Seen, base: &str| match seen.path.as_str() {
        "/catalog" => turtle(turtle_page(base, &["a"], None)),
        _ => Reply::html(200, "<html>a landing page</html>"),
    })
    .await;
    let mut harvester = Harvester::new(source(&server, "/catalog", Backend::Dcat), fetcher());
    assert_eq!(
        harvester.next_page().await.expect("page").map(|p| p.len()),
        Some(1)
    );
    let error = Harvester::new(source(&server, "/unknown", Backend::Dcat), fetcher())
        .next_page()
        .await
        .expect_err("unknown syntax");
    assert!(
        error
            .to_string()
            .starts_with("cannot tell the RDF syntax of "),
        "{error}"
    );
}

#[tokio::test]
async fn a_syntax_error_is_a_malformed_page() {
    let server = TestServer::start(|_| Reply {
        content_type: "text/turtle".into(),
        ..Reply::json(
            "@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title \"unterminated .\n",
        )
    })
    .await;
    let error = Harvester::new(source(&server, "/catalog.ttl", Backend::Dcat), fetcher())
        .next_page()
        .await
        .expect_err("syntax");
    assert!(
        matches!(error, HarvestError::MalformedPage { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("Turtle syntax error"), "{error}");
}

#[tokio::test]
async fn a_duplicate_identifier_is_a_failure() {
    let server = TestServer::start_with_base(|seen: &Seen, base: &str| match seen.param("page") {
        None => turtle(turtle_page(base, &["a"], Some("catalog.ttl?page=2"))),
        _ => turtle(turtle_page(&format!("{base}/other"), &["a"], None)),
    })
    .await;
    let mut harvester = Harvester::new(source(&server, "/catalog.ttl", Backend::Dcat), fetcher());
    harvester.next_page().await.expect("page 1");
    let second = harvester.next_page().await.expect("page 2").expect("some");
    assert!(
        matches!(&second[0], RemoteRecord::Failed(e) if e.message.contains("appears more than once")),
        "{second:?}"
    );
}

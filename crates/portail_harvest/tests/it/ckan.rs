//! The CKAN reader against loopback CKAN sites serving this crate's fixtures.

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use portail_core::harvest::{RemoteDataset, RemoteRecord};
use portail_harvest::outbound::OutboundError;
use portail_harvest::{Backend, Filter, FilterType, HarvestError, Harvester};
use serde_json::json;

use crate::support::{Reply, Seen, TestServer, fetcher, fixture, source};

const SEARCH: &str = "/api/3/action/package_search";
const LIST: &str = "/api/3/action/package_list";
const SHOW: &str = "/api/3/action/package_show";

/// A CKAN serving the two search pages by `start`.
async fn paged_ckan() -> TestServer {
    TestServer::start(
        |seen: &Seen| match (seen.path.as_str(), seen.param("start")) {
            (SEARCH, Some("0")) => Reply::json(fixture("ckan/search_page1.json")),
            (SEARCH, Some("2")) => Reply::json(fixture("ckan/search_page2.json")),
            (SEARCH, _) => Reply::json(
                json!({"success": true, "result": {"count": 3, "results": []}}).to_string(),
            ),
            _ => Reply::not_found(),
        },
    )
    .await
}

async fn harvest_all(
    harvester: &mut Harvester<portail_harvest::HttpFetcher>,
) -> Result<Vec<RemoteRecord>, HarvestError> {
    let mut all = Vec::new();
    while let Some(page) = harvester.next_page().await? {
        all.extend(page);
    }
    Ok(all)
}

fn datasets(records: &[RemoteRecord]) -> Vec<&RemoteDataset> {
    records
        .iter()
        .filter_map(|r| match r {
            RemoteRecord::Dataset(d) => Some(d.as_ref()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn pages_with_start_and_rows_and_stops_at_count() {
    let server = paged_ckan().await;
    let mut config = source(&server, "/", Backend::Ckan);
    config.page_size = Some(2);
    let mut harvester = Harvester::new(config, fetcher());
    assert_eq!(harvester.total_hint(), None);
    let first = harvester.next_page().await.expect("page 1").expect("some");
    assert_eq!(first.len(), 2);
    assert_eq!(harvester.total_hint(), Some(3));
    let second = harvester.next_page().await.expect("page 2").expect("some");
    assert_eq!(second.len(), 1);
    assert!(harvester.next_page().await.expect("end").is_none());

    let searches = server.seen_at(SEARCH);
    assert_eq!(searches.len(), 2, "start=3 >= count=3: no third request");
    let starts: Vec<_> = searches.iter().map(|s| s.param("start")).collect();
    assert_eq!(starts, [Some("0"), Some("2")]);
    for search in &searches {
        assert_eq!(search.param("rows"), Some("2"));
        assert_eq!(search.param("sort"), Some("id asc"));
        assert_eq!(search.param("fq"), None);
        assert_eq!(search.header("accept"), Some("application/json"));
        assert!(
            search
                .header("user-agent")
                .is_some_and(|ua| ua.ends_with("(+harvester; ckan)"))
        );
    }
}

#[tokio::test]
async fn rows_default_to_100_and_are_clamped_to_1000() {
    let server = paged_ckan().await;
    let mut harvester = Harvester::new(source(&server, "/", Backend::Ckan), fetcher());
    harvester.next_page().await.expect("page");
    let mut config = source(&server, "/api/3/action/", Backend::Ckan);
    config.page_size = Some(5000);
    let mut clamped = Harvester::new(config, fetcher());
    clamped.next_page().await.expect("page");
    let rows: Vec<_> = server
        .seen_at(SEARCH)
        .iter()
        .map(|s| s.param("rows").map(str::to_owned))
        .collect();
    assert_eq!(rows[0].as_deref(), Some("100"));
    assert_eq!(
        rows[1].as_deref(),
        Some("1000"),
        "an API URL as source is read from its root"
    );
}

#[tokio::test]
async fn maps_packages_as_udata_does() {
    let server = paged_ckan().await;
    let mut config = source(&server, "/", Backend::Ckan);
    config.page_size = Some(2);
    let root = server.url("");
    let records = harvest_all(&mut Harvester::new(config, fetcher()))
        .await
        .expect("harvest");
    assert_eq!(records.len(), 3);
    let found = datasets(&records);
    assert_eq!(found.len(), 2);

    let air = found[0];
    assert_eq!(air.remote_id, "a1000000-0000-4000-8000-000000000001");
    assert_eq!(
        air.remote_url.as_deref(),
        Some(format!("{root}/dataset/qualite-de-l-air").as_str())
    );
    assert_eq!(air.title, "Qualité de l'air");
    assert_eq!(
        air.description,
        "Mesures de la **qualité** de l'air.\n\n- NO2\n- PM10"
    );
    assert_eq!(air.license.as_deref(), Some("odc-odbl"));
    assert_eq!(
        air.tags,
        ["pollution", "qualite-de-l-air"],
        "normalized, too short dropped"
    );
    assert_eq!(air.frequency.as_deref(), Some("monthly"));
    assert_eq!(
        air.created_at,
        Utc.with_ymd_and_hms(2019, 1, 2, 3, 4, 5)
            .single()
            .map(|d| d + chrono::Duration::microseconds(123_456))
    );
    assert_eq!(
        air.modified_at,
        Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).single()
    );
    let coverage = air.temporal_coverage.expect("temporal coverage");
    assert_eq!(
        coverage.start,
        NaiveDate::from_ymd_opt(2019, 1, 1).expect("date"),
        "bounds swapped"
    );
    assert_eq!(coverage.end, NaiveDate::from_ymd_opt(2019, 12, 31));
    assert_eq!(air.extras["ckan_name"], "qualite-de-l-air");
    assert_eq!(
        air.extras["ckan:spatial"]["type"], "Polygon",
        "GeoJSON kept as JSON"
    );
    assert_eq!(air.extras["ckan:spatial-text"], "Paris");
    assert_eq!(
        air.extras["ckan:spatial-uri"],
        "http://id.insee.fr/geo/commune/75056"
    );
    assert_eq!(
        air.extras["source"], "capteurs fixes",
        "other extras are copied"
    );
    assert!(!air.extras.contains_key("frequency") && !air.extras.contains_key("ckan:frequency"));

    let resources: Vec<(&str, &str)> = air
        .resources
        .iter()
        .map(|r| (r.title.as_str(), r.kind.as_str()))
        .collect();
    assert_eq!(
        resources,
        [
            ("Mesures 2019", "main"),
            ("API temps réel", "api"),
            ("Notice", "documentation"),
            ("mesures.json", "main"),
        ],
        "unknown resource types and resources without URL are left out"
    );
    let file = &air.resources[0];
    assert_eq!(file.remote_id.as_deref(), Some("r1"));
    assert_eq!(file.url, "http://files.ckan.test/mesures-2019.csv");
    assert_eq!(file.description.as_deref(), Some("Le *fichier* complet"));
    assert_eq!(file.format.as_deref(), Some("csv"));
    assert_eq!(file.mime.as_deref(), Some("text/csv"));
    assert_eq!(file.filesize, Some(1234));
    assert_eq!(
        file.issued_at.map(|d| d.date_naive()),
        NaiveDate::from_ymd_opt(2019, 1, 2)
    );
    assert_eq!(
        file.modified_at,
        Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).single()
    );
    assert_eq!(
        air.resources[3].modified_at, None,
        "future dates are dropped"
    );

    assert_eq!(
        records[1],
        RemoteRecord::Skipped {
            remote_id: Some("b2000000-0000-4000-8000-000000000002".into()),
            reason: "the package has no resources".into(),
        }
    );

    let budget = found[1];
    assert_eq!(
        budget.license.as_deref(),
        Some("fr-lo"),
        "from license_title"
    );
    assert_eq!(
        budget.description,
        "Le **budget** voté, en [CSV](https://example.org/budget)."
    );
    assert_eq!(budget.frequency, None);
    assert_eq!(budget.extras["ckan:frequency"], "tous les 36 du mois");
    assert_eq!(
        budget.modified_at, None,
        "a modification date in the future is dropped"
    );
    let coverage = budget.temporal_coverage.expect("year");
    assert_eq!(
        coverage.start,
        NaiveDate::from_ymd_opt(2020, 1, 1).expect("date")
    );
    assert_eq!(coverage.end, None);
    assert_eq!(budget.resources[0].format.as_deref(), Some("csv"));
}

#[tokio::test]
async fn since_and_filters_go_into_fq_with_the_api_key() {
    let server = paged_ckan().await;
    let mut config = source(&server, "/", Backend::Ckan);
    config.since = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).single();
    config.api_key = Some("secret-key".into());
    config.filters = vec![
        Filter {
            key: "organization".into(),
            value: "airparif".into(),
            kind: FilterType::Include,
        },
        Filter {
            key: "organization".into(),
            value: "ville de paris".into(),
            kind: FilterType::Include,
        },
        Filter {
            key: "tags".into(),
            value: "test".into(),
            kind: FilterType::Exclude,
        },
        Filter {
            key: "groups".into(),
            value: "env".into(),
            kind: FilterType::Include,
        },
    ];
    let mut harvester = Harvester::new(config, fetcher());
    harvester.next_page().await.expect("page");
    let search = &server.seen_at(SEARCH)[0];
    assert_eq!(
        search.param("fq"),
        Some(
            "+(organization:\"airparif\" OR organization:\"ville de paris\") +groups:\"env\" -tags:\"test\" +metadata_modified:[2024-03-01T12:00:00Z TO *]"
        )
    );
    assert_eq!(search.header("authorization"), Some("secret-key"));
}

/// A DKAN-like site: no package_search, package_show answering a list.
async fn dkan() -> TestServer {
    TestServer::start(|seen: &Seen| match (seen.path.as_str(), seen.param("id")) {
        (SEARCH, _) => Reply::not_found(),
        (LIST, _) => Reply::json(fixture("ckan/package_list.json")),
        (SHOW, Some("dkan-one")) => Reply::json(fixture("ckan/dkan_show_one.json")),
        (SHOW, Some("dkan-other-org")) => Reply::json(fixture("ckan/dkan_show_other_org.json")),
        (SHOW, _) => Reply::json(fixture("ckan/show_not_found.json")).status(404),
        _ => Reply::not_found(),
    })
    .await
}

#[tokio::test]
async fn falls_back_to_package_list_and_package_show() {
    let server = dkan().await;
    let mut harvester = Harvester::new(source(&server, "/", Backend::Ckan), fetcher());
    let records = harvest_all(&mut harvester).await.expect("harvest");
    assert_eq!(harvester.total_hint(), Some(3));
    assert_eq!(records.len(), 3);
    let one = datasets(&records)[0];
    assert_eq!(
        one.remote_id, "d1000000-0000-4000-8000-00000000000d",
        "the DKAN list is unwrapped"
    );
    assert_eq!(one.tags, ["transport", "velo"], "tags given as strings");
    assert_eq!(one.description, "From a DKAN site");
    let kinds: Vec<_> = one.resources.iter().map(|r| r.format.as_deref()).collect();
    assert_eq!(
        kinds,
        [Some("csv"), Some("xml")],
        "dkan and metadata resource types are kept"
    );
    match &records[1] {
        RemoteRecord::Failed(error) => {
            assert_eq!(error.remote_id.as_deref(), Some("dkan-gone"));
            assert_eq!(error.message, "package_show: Not Found Error: Not found");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    let shows: Vec<_> = server
        .seen_at(SHOW)
        .iter()
        .map(|s| s.param("id").map(str::to_owned))
        .collect();
    assert_eq!(
        shows,
        [
            Some("dkan-one".into()),
            Some("dkan-gone".into()),
            Some("dkan-other-org".into())
        ]
    );
}

#[tokio::test]
async fn package_list_mode_applies_filters_and_since_itself() {
    let server = dkan().await;
    let mut config = source(&server, "/", Backend::Ckan);
    config.filters = vec![Filter {
        key: "organization".into(),
        value: "autre".into(),
        kind: FilterType::Exclude,
    }];
    config.since = Utc.with_ymd_and_hms(2018, 3, 5, 0, 0, 0).single();
    let records = harvest_all(&mut Harvester::new(config, fetcher()))
        .await
        .expect("harvest");
    let ids: Vec<_> = records
        .iter()
        .map(|r| r.remote_id().map(str::to_owned))
        .collect();
    assert_eq!(
        ids,
        [
            Some("d1000000-0000-4000-8000-00000000000d".into()),
            Some("dkan-gone".into())
        ],
        "the excluded organization's dataset is left out"
    );
}

#[tokio::test]
async fn success_false_gives_the_ckan_error() {
    let server = TestServer::start(
        |seen: &Seen| match (seen.path.as_str(), seen.param("start")) {
            (SEARCH, Some("0")) => Reply::json(fixture("ckan/search_page1.json")),
            // CKAN may answer 200 with success: false.
            (SEARCH, _) => Reply::json(fixture("ckan/search_query_error.json")),
            _ => Reply::not_found(),
        },
    )
    .await;
    let mut config = source(&server, "/", Backend::Ckan);
    config.page_size = Some(2);
    let mut harvester = Harvester::new(config, fetcher());
    harvester.next_page().await.expect("first page");
    let error = harvester.next_page().await.expect_err("second page");
    assert!(
        error
            .to_string()
            .ends_with(": Search Query Error: Search Query is invalid: \"Invalid sort field\""),
        "{error}"
    );
    assert!(harvester.next_page().await.expect("finished").is_none());
}

#[tokio::test]
async fn neither_search_nor_list_is_an_error() {
    let server = TestServer::start(|seen: &Seen| match seen.path.as_str() {
        SEARCH => Reply::json(fixture("ckan/search_query_error.json")).status(400),
        LIST => Reply::json("\"Bad request: Action name not known: package_list\"").status(400),
        _ => Reply::not_found(),
    })
    .await;
    let error = Harvester::new(source(&server, "/", Backend::Ckan), fetcher())
        .next_page()
        .await
        .expect_err("error");
    let message = error.to_string();
    assert!(
        message.contains("neither package_search (Search Query Error: Search Query is invalid"),
        "{message}"
    );
    assert!(
        message.contains("nor package_list (Bad request: Action name not known: package_list)"),
        "{message}"
    );
}

#[tokio::test]
async fn a_server_error_stops_the_run() {
    let server = TestServer::start(|_| Reply::html(503, "Service Unavailable")).await;
    let error = Harvester::new(source(&server, "/", Backend::Ckan), fetcher())
        .next_page()
        .await
        .expect_err("503");
    assert!(
        matches!(
            error,
            HarvestError::Outbound(OutboundError::Status { status: 503, .. })
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("HTTP 503 from http://127.0.0.1:"),
        "{error}"
    );
}

#[tokio::test]
async fn a_malformed_page_is_an_error() {
    let server = TestServer::start(|_| {
        Reply::json("{\"success\": true, \"result\": {\"count\": 3, \"results\": [")
    })
    .await;
    let error = Harvester::new(source(&server, "/", Backend::Ckan), fetcher())
        .next_page()
        .await
        .expect_err("bad JSON");
    assert!(
        matches!(error, HarvestError::MalformedPage { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("invalid JSON"), "{error}");

    let html = TestServer::start(|_| Reply::html(200, "<html>a portal</html>")).await;
    let error = Harvester::new(source(&html, "/", Backend::Ckan), fetcher())
        .next_page()
        .await
        .expect_err("HTML");
    assert!(error.to_string().contains("HTML page"), "{error}");
}

#[tokio::test]
async fn a_broken_package_fails_alone() {
    let server = TestServer::start(|seen: &Seen| match seen.param("start") {
        Some("0") => Reply::json(fixture("ckan/search_broken.json")),
        _ => {
            Reply::json(json!({"success": true, "result": {"count": 4, "results": []}}).to_string())
        }
    })
    .await;
    let records = harvest_all(&mut Harvester::new(
        source(&server, "/", Backend::Ckan),
        fetcher(),
    ))
    .await
    .expect("harvest");
    assert_eq!(records.len(), 4);
    assert!(matches!(&records[0], RemoteRecord::Dataset(d) if d.remote_id == "good-1"));
    let failures: Vec<(Option<&str>, &str)> = records[1..]
        .iter()
        .map(|r| match r {
            RemoteRecord::Failed(e) => (e.remote_id.as_deref(), e.message.as_str()),
            other => panic!("expected failures, got {other:?}"),
        })
        .collect();
    assert_eq!(
        failures,
        [
            (
                Some("bad-resources"),
                "resources is a string instead of a list"
            ),
            (Some("no-id"), "the package has no id"),
            (None, "the package is not a JSON object but a number"),
        ]
    );
}

#[tokio::test]
async fn a_site_ignoring_start_is_detected() {
    let server = TestServer::start(|_| Reply::json(fixture("ckan/search_page1.json"))).await;
    let mut config = source(&server, "/", Backend::Ckan);
    config.page_size = Some(1);
    let mut harvester = Harvester::new(config, fetcher());
    // count 3, 2 results per page whatever start says: start 0 -> 2 -> same page again.
    harvester.next_page().await.expect("first");
    let error = harvester.next_page().await.expect_err("loop");
    assert!(
        error.to_string().contains("repeats the previous one"),
        "{error}"
    );
}

#[tokio::test]
async fn max_items_caps_the_run() {
    let server = paged_ckan().await;
    let mut config = source(&server, "/", Backend::Ckan);
    config.page_size = Some(2);
    config.max_items = Some(1);
    let mut harvester = Harvester::new(config, fetcher());
    let page = harvester.next_page().await.expect("page").expect("some");
    assert_eq!(page.len(), 1);
    assert!(harvester.max_items_reached());
    assert_eq!(harvester.total_hint(), Some(1));
    assert!(harvester.next_page().await.expect("stopped").is_none());
    assert_eq!(server.seen_at(SEARCH).len(), 1);
}

#[tokio::test]
async fn the_time_limit_stops_the_run() {
    let server = TestServer::start(|_| {
        Reply::json(fixture("ckan/search_page1.json")).delayed(Duration::from_secs(2))
    })
    .await;
    let mut config = source(&server, "/", Backend::Ckan);
    config.time_limit = Duration::from_millis(200);
    let error = Harvester::new(config, fetcher())
        .next_page()
        .await
        .expect_err("time limit");
    assert_eq!(
        error.to_string(),
        "the harvest took longer than its time limit (200 ms)"
    );
}

#[tokio::test]
async fn a_page_timeout_is_reported() {
    let server = TestServer::start(|_| {
        Reply::json(fixture("ckan/search_page1.json")).delayed(Duration::from_secs(2))
    })
    .await;
    let fetcher = portail_harvest::HttpFetcher::new(portail_harvest::OutboundConfig {
        timeout: Duration::from_millis(250),
        ..crate::support::test_outbound()
    })
    .expect("fetcher");
    let error = Harvester::new(source(&server, "/", Backend::Ckan), fetcher)
        .next_page()
        .await
        .expect_err("timeout");
    assert!(
        matches!(error, HarvestError::Outbound(OutboundError::Timeout { .. })),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_paging_future_can_be_spawned() {
    let server = paged_ckan().await;
    let mut harvester = Harvester::new(source(&server, "/", Backend::Ckan), fetcher());
    let handle =
        tokio::spawn(async move { harvester.next_page().await.map(|p| p.map(|r| r.len())) });
    assert_eq!(handle.await.expect("join").expect("page"), Some(2));
}

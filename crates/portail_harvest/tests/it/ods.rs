//! The OpenDataSoft reader against loopback Explore API v2.1 catalogs.

use chrono::{TimeZone, Utc};
use portail_core::harvest::{RemoteDataset, RemoteRecord};
use portail_harvest::ods::{dcat_export_url, read_catalog_page};
use portail_harvest::{Backend, Filter, FilterType, HarvestError, Harvester};
use serde_json::json;

use crate::support::{Reply, Seen, TestServer, fetcher, fixture, query_map, source};

const CATALOG: &str = "/api/explore/v2.1/catalog/datasets";

async fn ods() -> TestServer {
    TestServer::start(
        |seen: &Seen| match (seen.path.as_str(), seen.param("offset")) {
            (CATALOG, Some("0")) => Reply::json(fixture("ods/catalog_page1.json")),
            (CATALOG, Some("2")) => Reply::json(fixture("ods/catalog_page2.json")),
            (CATALOG, _) => Reply::json(json!({"total_count": 3, "results": []}).to_string()),
            _ => Reply::not_found(),
        },
    )
    .await
}

fn dataset(record: &RemoteRecord) -> &RemoteDataset {
    match record {
        RemoteRecord::Dataset(d) => d,
        other => panic!("expected a dataset, got {other:?}"),
    }
}

#[tokio::test]
async fn pages_with_offset_and_limit() {
    let server = ods().await;
    let mut config = source(&server, "/", Backend::Ods);
    config.page_size = Some(2);
    let mut harvester = Harvester::new(config, fetcher());
    assert_eq!(
        harvester.next_page().await.expect("page").map(|p| p.len()),
        Some(2)
    );
    assert_eq!(harvester.total_hint(), Some(3));
    assert_eq!(
        harvester.next_page().await.expect("page").map(|p| p.len()),
        Some(1)
    );
    assert!(harvester.next_page().await.expect("end").is_none());
    let pages: Vec<_> = server
        .seen_at(CATALOG)
        .iter()
        .map(|s| {
            (
                s.param("limit").map(str::to_owned),
                s.param("offset").map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        pages,
        [
            (Some("2".into()), Some("0".into())),
            (Some("2".into()), Some("2".into()))
        ]
    );
}

#[tokio::test]
async fn the_limit_defaults_to_100_and_never_exceeds_it() {
    let server = ods().await;
    let mut harvester = Harvester::new(
        source(&server, "/api/explore/v2.1/", Backend::Ods),
        fetcher(),
    );
    harvester.next_page().await.expect("page");
    let mut config = source(&server, "/", Backend::Ods);
    config.page_size = Some(1000);
    Harvester::new(config, fetcher())
        .next_page()
        .await
        .expect("page");
    let limits: Vec<_> = server
        .seen_at(CATALOG)
        .iter()
        .map(|s| s.param("limit").map(str::to_owned))
        .collect();
    assert_eq!(limits, [Some("100".into()), Some("100".into())]);
}

#[tokio::test]
async fn maps_datasets_exports_and_attachments() {
    let server = ods().await;
    let root = server.url("");
    let mut harvester = Harvester::new(source(&server, "/", Backend::Ods), fetcher());
    let page = harvester.next_page().await.expect("page").expect("some");

    let air = dataset(&page[0]);
    let page_url = format!("{root}/explore/dataset/qualite-air/");
    assert_eq!(air.remote_id, page_url);
    assert_eq!(air.remote_url.as_deref(), Some(page_url.as_str()));
    assert_eq!(air.title, "Qualité de l'air");
    assert_eq!(air.description, "Mesures **horaires** des stations.");
    assert_eq!(air.license.as_deref(), Some("fr-lo"));
    assert_eq!(
        air.tags,
        ["air", "environnement", "pollution-atmospherique", "sante"]
    );
    assert_eq!(
        air.modified_at,
        Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).single()
    );
    assert_eq!(air.extras["ods:publisher"], "Airparif");
    assert_eq!(air.extras["ods:dataset_uid"], "da_abc123");
    let urls: Vec<_> = air
        .resources
        .iter()
        .map(|r| (r.url.as_str(), r.format.as_deref(), r.kind.as_str()))
        .collect();
    let export =
        |f: &str| format!("{root}/api/explore/v2.1/catalog/datasets/qualite-air/exports/{f}");
    let attachment = format!("{root}/api/v2/catalog/datasets/qualite-air/attachments/notice_pdf");
    assert_eq!(
        urls,
        [
            (export("csv").as_str(), Some("csv"), "main"),
            (export("json").as_str(), Some("json"), "main"),
            (export("geojson").as_str(), Some("geojson"), "main"),
            (export("shp").as_str(), Some("shp"), "main"),
            (attachment.as_str(), Some("pdf"), "other"),
        ]
    );
    assert_eq!(
        air.resources[0].description.as_deref(),
        Some("- *Station*: station [text]\n- *NO2*: no2 [double] En **µg/m³**")
    );
    assert_eq!(air.resources[4].mime.as_deref(), Some("application/pdf"));

    let big = dataset(&page[1]);
    assert_eq!(big.license.as_deref(), Some("odc-odbl"));
    assert_eq!(
        big.tags,
        ["cadastre", "parcelles"],
        "a comma-packed keyword string"
    );
    assert_eq!(big.modified_at, None, "future date dropped");
    let formats: Vec<_> = big
        .resources
        .iter()
        .filter_map(|r| r.format.as_deref())
        .collect();
    assert_eq!(
        formats,
        ["csv", "json", "geojson"],
        "no shapefile above 50 000 records"
    );

    let page = harvester.next_page().await.expect("page").expect("some");
    assert_eq!(
        page[0],
        RemoteRecord::Skipped {
            remote_id: Some(format!("{root}/explore/dataset/vide/")),
            reason: "the dataset has no records and no attachments".into(),
        }
    );
}

#[tokio::test]
async fn filters_go_to_refine_exclude_and_where() {
    let server = ods().await;
    let mut config = source(&server, "/", Backend::Ods);
    config.filters = vec![
        Filter {
            key: "keyword".into(),
            value: "air".into(),
            kind: FilterType::Include,
        },
        Filter {
            key: "publisher".into(),
            value: "Test".into(),
            kind: FilterType::Exclude,
        },
    ];
    config.ods_where = Some("records_count > 0".into());
    config.api_key = Some("k3y".into());
    Harvester::new(config.clone(), fetcher())
        .next_page()
        .await
        .expect("page");
    let seen = &server.seen_at(CATALOG)[0];
    assert_eq!(seen.params("refine"), ["keyword:air"]);
    assert_eq!(seen.params("exclude"), ["publisher:Test"]);
    assert_eq!(seen.param("where"), Some("records_count > 0"));
    assert_eq!(seen.header("authorization"), Some("Apikey k3y"));

    let export = dcat_export_url(&server.url(""), &config);
    let pairs: Vec<(String, String)> = export.query_pairs().into_owned().collect();
    assert_eq!(export.path(), "/api/explore/v2.1/catalog/exports/dcat");
    assert_eq!(
        pairs,
        [
            (
                "include_exports".to_owned(),
                "csv,json,geojson,shp".to_owned()
            ),
            ("lang".to_owned(), "fr".to_owned()),
            (
                "where".to_owned(),
                "keyword=\"air\" AND NOT publisher=\"Test\" AND (records_count > 0)".to_owned()
            ),
        ]
    );
    let _ = query_map(seen);
}

fn ods_dcat_export(root: &str) -> String {
    let dataset = |id: &str| {
        format!(
            r#"<dcat:dataset><dcat:Dataset rdf:about="{root}/explore/dataset/{id}/">
      <dct:identifier>{root}/explore/dataset/{id}/</dct:identifier>
      <dct:title>Jeu {id}</dct:title>
      <dcat:distribution><dcat:Distribution>
        <dcat:downloadURL rdf:resource="{root}/api/explore/v2.1/catalog/datasets/{id}/exports/csv"/>
        <dct:format>csv</dct:format>
      </dcat:Distribution></dcat:distribution>
    </dcat:Dataset></dcat:dataset>"#
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Catalog rdf:about="{root}/">
    {}
    {}
  </dcat:Catalog>
</rdf:RDF>"#,
        dataset("x"),
        dataset("y")
    )
}

#[tokio::test]
async fn a_catalog_beyond_the_paging_window_is_read_from_the_dcat_export() {
    let server = TestServer::start_with_base(|seen: &Seen, base: &str| match seen.path.as_str() {
        CATALOG => Reply::json(json!({"total_count": 12000, "results": []}).to_string()),
        "/api/explore/v2.1/catalog/exports/dcat" => Reply {
            content_type: "application/rdf+xml".into(),
            ..Reply::json(ods_dcat_export(base))
        },
        _ => Reply::not_found(),
    })
    .await;
    let root = server.url("");
    let mut config = source(&server, "/", Backend::Ods);
    config.api_key = Some("k3y".into());
    let mut harvester = Harvester::new(config, fetcher());
    let page = harvester.next_page().await.expect("export").expect("some");
    assert_eq!(
        harvester.total_hint(),
        Some(12000),
        "the caller learns the size"
    );
    let ids: Vec<_> = page
        .iter()
        .map(|r| r.remote_id().map(str::to_owned))
        .collect();
    assert_eq!(
        ids,
        [
            Some(format!("{root}/explore/dataset/x/")),
            Some(format!("{root}/explore/dataset/y/"))
        ],
        "the same identifiers as the native path"
    );
    assert!(harvester.next_page().await.expect("end").is_none());
    let export = &server.seen_at("/api/explore/v2.1/catalog/exports/dcat")[0];
    assert_eq!(
        export.param("include_exports"),
        Some("csv,json,geojson,shp")
    );
    assert_eq!(export.param("lang"), Some("fr"));
    assert_eq!(export.header("authorization"), Some("Apikey k3y"));
    assert!(
        export
            .header("user-agent")
            .is_some_and(|ua| ua.ends_with("(+harvester; ods)"))
    );
}

#[tokio::test]
async fn an_ods_error_body_is_reported() {
    let server =
        TestServer::start(|_| Reply::json(fixture("ods/odsql_error.json")).status(400)).await;
    let error = Harvester::new(source(&server, "/", Backend::Ods), fetcher())
        .next_page()
        .await
        .expect_err("400");
    assert!(
        error.to_string().ends_with(
            "HTTP 400: ODSQLError: ODSQL query is malformed: invalid_field Unknown field: colour"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_broken_dataset_fails_alone() {
    let server = TestServer::start(|seen: &Seen| match seen.param("offset") {
        Some("0") => Reply::json(fixture("ods/catalog_broken.json")),
        _ => Reply::json(json!({"total_count": 3, "results": []}).to_string()),
    })
    .await;
    let root = server.url("");
    let page = Harvester::new(source(&server, "/", Backend::Ods), fetcher())
        .next_page()
        .await
        .expect("page")
        .expect("some");
    let summary: Vec<String> = page
        .iter()
        .map(|r| match r {
            RemoteRecord::Failed(e) => format!("failed {:?}: {}", e.remote_id, e.message),
            RemoteRecord::Dataset(d) => format!("dataset {} {:?}", d.remote_id, d.license),
            RemoteRecord::Skipped { reason, .. } => format!("skipped {reason}"),
        })
        .collect();
    assert_eq!(
        summary,
        [
            format!(
                "failed Some(\"{root}/explore/dataset/sans-metas/\"): the dataset has no metas"
            ),
            "failed None: the dataset has no dataset_id".to_owned(),
            format!("dataset {root}/explore/dataset/table/ None"),
        ]
    );
}

#[tokio::test]
async fn malformed_and_v1_pages_are_errors() {
    let server = TestServer::start(|seen: &Seen| match seen.path.as_str() {
        "/bad/api/explore/v2.1/catalog/datasets" => {
            Reply::json("{\"total_count\": 1, \"results\": [{")
        }
        _ => Reply::json(
            json!({"nhits": 2, "parameters": {}, "datasets": [{"datasetid": "x", "metas": {}}]})
                .to_string(),
        ),
    })
    .await;
    let error = Harvester::new(source(&server, "/bad/", Backend::Ods), fetcher())
        .next_page()
        .await
        .expect_err("bad JSON");
    assert!(
        matches!(error, HarvestError::MalformedPage { .. }),
        "{error:?}"
    );
    let error = Harvester::new(source(&server, "/v1/", Backend::Ods), fetcher())
        .next_page()
        .await
        .expect_err("v1");
    assert!(
        error.to_string().starts_with("ODS API v1 payload"),
        "{error}"
    );
}

#[test]
fn v2_0_wrapped_datasets_are_read() {
    let body = json!({"total_count": 1, "datasets": [{"links": [], "dataset": {
        "dataset_id": "x", "has_records": true, "features": [], "metas": {"default": {"title": "X"}}
    }}]});
    let page = read_catalog_page(body.to_string().as_bytes(), "https://ods.test", Utc::now())
        .expect("page");
    assert_eq!(page.records.len(), 1);
    assert_eq!(
        dataset(&page.records[0]).remote_id,
        "https://ods.test/explore/dataset/x/"
    );
}

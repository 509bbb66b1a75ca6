//! CSV exports (`src/api/exports.rs`): udata's columns and dialect, privacy, filters,
//! streaming over several batches, HEAD and 304.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::TestApp;

fn parse(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("CSV record").iter().map(str::to_owned).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name}: {:?}", rows[0]))
}

#[tokio::test]
async fn datasets_and_resources_csv_have_udatas_columns() {
    let t = TestApp::new().await;
    let cast = t.cast().await;
    let d = t
        .dataset(
            &cast.admin,
            json!({"title": "Qualité de l'air; \"mesures\"", "organization": cast.org, "tags": ["air", "pollution"],
                   "license": "odc-odbl", "temporal_coverage": {"start": "2024-01-01", "end": "2024-12-31"}}),
        )
        .await;
    let id = d["id"].as_str().expect("id").to_owned();
    t.remote_resource(
        &cast.admin,
        &id,
        json!({"format": "csv", "description": "ligne 1\nligne 2"}),
    )
    .await;
    t.dataset(
        &cast.admin,
        json!({"title": "Budget secret", "organization": cast.org, "private": true}),
    )
    .await;
    t.dataset(&cast.owner, json!({"title": "Arbres", "tags": ["arbres"]}))
        .await;

    let r = t.get("/api/1/site/datasets.csv", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers["content-type"], "text/csv; charset=utf-8");
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .is_ok_and(|v| v.starts_with("attachment; filename=datasets-") && v.ends_with(".csv"))
    );
    assert!(r.text.starts_with("\"id\";\"title\";\"slug\";\"acronym\";\"url\";\"organization\";\"organization_id\";\"owner\";\"owner_id\";\"description\""), "{}", r.text);
    let rows = parse(&r.text);
    assert_eq!(rows.len(), 3, "header + two public datasets: {}", r.text);
    assert!(!r.text.contains("Budget secret"));
    let air = rows.iter().find(|row| row[0] == id).expect("air row");
    assert_eq!(air[column(&rows, "title")], "Qualité de l'air; \"mesures\"");
    assert_eq!(air[column(&rows, "organization")], "Régie des données");
    assert_eq!(air[column(&rows, "organization_id")], cast.org);
    assert_eq!(air[column(&rows, "tags")], "air,pollution");
    assert_eq!(air[column(&rows, "license")], "odc-odbl");
    assert_eq!(air[column(&rows, "temporal_coverage.start")], "2024-01-01");
    assert_eq!(air[column(&rows, "featured")], "False");
    assert_eq!(air[column(&rows, "archived")], "False");
    assert_eq!(air[column(&rows, "resources_count")], "1");
    assert_eq!(air[column(&rows, "resources_formats")], "csv");
    assert!(air[column(&rows, "url")].ends_with(&format!(
        "/datasets/{}/",
        d["slug"].as_str().unwrap_or_default()
    )));
    assert!(!air[column(&rows, "created_at")].ends_with('Z'));
    assert!(air[column(&rows, "quality_score")].parse::<f64>().is_ok());
    // Numbers are bare, text quoted (udata's QUOTE_NONNUMERIC).
    assert!(r.text.contains(";1;\"csv\";"), "{}", r.text);
    let arbres = rows
        .iter()
        .find(|row| row[column(&rows, "title")] == "Arbres")
        .expect("arbres");
    assert_eq!(arbres[column(&rows, "owner")], cast.owner.slug);
    assert_eq!(arbres[column(&rows, "organization")], "");

    let r = t.get("/api/1/site/datasets.csv?tag=arbres", None).await;
    assert_eq!(parse(&r.text).len(), 2);
    let r = t.get("/api/1/site/datasets.csv?license=nope", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = t
        .get(
            &format!("/api/1/organizations/{}/datasets.csv", cast.org),
            None,
        )
        .await;
    let org_rows = parse(&r.text);
    assert_eq!(org_rows.len(), 2);
    assert_eq!(org_rows[1][0], id);
    let r = t.get("/api/1/organizations/nope/datasets.csv", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = t.get("/api/1/site/resources.csv", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let rows = parse(&r.text);
    assert_eq!(rows[0][0], "dataset.id");
    assert_eq!(rows.len(), 2, "{}", r.text);
    assert_eq!(rows[1][column(&rows, "dataset.id")], id);
    assert_eq!(
        rows[1][column(&rows, "url")],
        "https://example.org/mesures-2024.csv"
    );
    assert_eq!(rows[1][column(&rows, "description")], "ligne 1\nligne 2");
    assert_eq!(rows[1][column(&rows, "filetype")], "remote");
    assert_eq!(rows[1][column(&rows, "dataset.private")], "False");
    assert_eq!(rows[1][column(&rows, "extras")], "{}");
}

#[tokio::test]
async fn organizations_csv_lists_live_organizations() {
    let t = TestApp::new().await;
    let cast = t.cast().await;
    t.dataset(&cast.admin, json!({"organization": cast.org}))
        .await;
    t.dataset(
        &cast.admin,
        json!({"organization": cast.org, "private": true}),
    )
    .await;
    let gone = t.org("Dissoute", &cast.other, &[]).await;
    let r = t
        .delete(&format!("/api/1/organizations/{gone}/"), Some(&cast.other))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = t.get("/api/1/site/organizations.csv", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let rows = parse(&r.text);
    assert_eq!(rows.len(), 2, "{}", r.text);
    assert_eq!(rows[1][column(&rows, "id")], cast.org);
    assert_eq!(rows[1][column(&rows, "name")], "Régie des données");
    assert_eq!(rows[1][column(&rows, "metric.datasets")], "1");
    assert_eq!(rows[1][column(&rows, "members_count")], "3");
}

#[tokio::test]
async fn exports_stream_every_batch_and_answer_304() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let total = portail_web::api::exports::BATCH as usize + 5;
    for i in 0..total {
        t.dataset(&alice, json!({"title": format!("Jeu {i:03}")}))
            .await;
    }
    let r = t.get("/api/1/site/datasets.csv", None).await;
    assert_eq!(r.status, StatusCode::OK);
    // Streamed: no length known in advance.
    assert!(!r.headers.contains_key("content-length"));
    let rows = parse(&r.text);
    assert_eq!(rows.len(), total + 1);
    let mut ids: Vec<&String> = rows[1..].iter().map(|row| &row[0]).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "no row twice");

    let etag = r.headers["etag"].to_str().expect("etag").to_owned();
    assert!(etag.starts_with("W/"));
    assert_eq!(r.headers["cache-control"], "public, max-age=60");
    assert_eq!(r.headers["vary"], "Accept");
    let r = t
        .request_with_headers(
            Method::GET,
            "/api/1/site/datasets.csv",
            &[("If-None-Match", &etag)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(r.text.is_empty());
    let head = t
        .client
        .head(format!("{}/api/1/site/datasets.csv", t.base))
        .send()
        .await
        .expect("head");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(head.text().await.expect("body").is_empty());
    // Any write changes the validator.
    t.dataset(&alice, json!({"title": "Encore un"})).await;
    let r = t
        .request_with_headers(
            Method::GET,
            "/api/1/site/datasets.csv",
            &[("If-None-Match", &etag)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(parse(&r.text).len(), total + 2);
}

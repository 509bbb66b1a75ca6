//! `portail bench harvest`: serves a generated catalog from a loopback server in this process
//! (DCAT Turtle in pages of 1 000 with Hydra `next` links, and a CKAN `package_search` with
//! `rows=1000`), harvests it into a fresh database and reports datasets/s and the peak resident
//! memory of the process (catalog server included).

use std::time::Instant;

use anyhow::Context;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use portail_app::App;
use portail_app::harvest::{self, OutboundPolicy, Progress, SourceInput};
use portail_core::permissions::Actor;
use serde_json::json;

use crate::cli::{BenchHarvestArgs, GlobalOpts};
use crate::config;

/// Datasets per page of the generated catalogs.
const PAGE: usize = 1_000;

#[derive(Clone)]
struct Catalog {
    base: String,
    total: usize,
}

#[derive(serde::Deserialize)]
struct PageQuery {
    page: Option<usize>,
    start: Option<usize>,
    rows: Option<usize>,
}

async fn dcat_page(State(c): State<Catalog>, Query(q): Query<PageQuery>) -> impl IntoResponse {
    let page = q.page.unwrap_or(1).max(1);
    let base = &c.base;
    let mut doc = String::with_capacity(PAGE * 700);
    doc.push_str("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n");
    doc.push_str(&format!(
        "<{base}/catalog> a dcat:Catalog, hydra:Collection ; hydra:totalItems {} .\n",
        c.total
    ));
    if page * PAGE < c.total {
        doc.push_str(&format!(
            "<{base}/catalog.ttl?page={page}> a hydra:PartialCollectionView ; hydra:next <{base}/catalog.ttl?page={}> .\n",
            page + 1
        ));
    }
    let first = (page - 1) * PAGE;
    for n in first..(first + PAGE).min(c.total) {
        doc.push_str(&format!(
            "<{base}/datasets/d{n}> a dcat:Dataset ; dct:identifier \"d{n}\" ; dct:title \"Jeu de données {n}\" ;\n  dct:description \"Mesures numéro {n} relevées par les capteurs de la ville.\" ;\n  dcat:keyword \"environnement\", \"mesures\" ;\n  dct:modified \"2024-05-06T07:08:09Z\" ;\n  dcat:distribution [ a dcat:Distribution ; dct:title \"CSV\" ; dcat:downloadURL <http://files.example.org/d{n}.csv> ; dct:format \"CSV\" ] .\n"
        ));
    }
    ([(header::CONTENT_TYPE, "text/turtle")], doc)
}

async fn ckan_search(State(c): State<Catalog>, Query(q): Query<PageQuery>) -> impl IntoResponse {
    let start = q.start.unwrap_or(0);
    let rows = q.rows.unwrap_or(100).min(PAGE);
    let results: Vec<serde_json::Value> = (start..(start + rows).min(c.total))
        .map(|n| {
            json!({
                "id": format!("p{n}"), "name": format!("jeu-{n}"), "title": format!("Paquet CKAN {n}"),
                "notes": format!("<p>Mesures numéro <b>{n}</b>.</p>"), "license_id": "odc-odbl",
                "metadata_modified": "2024-05-06T07:08:09",
                "tags": [{"name": "environnement"}, {"name": "mesures"}],
                "resources": [{"id": format!("p{n}-r"), "name": "CSV", "url": format!("http://files.example.org/p{n}.csv"),
                               "format": "CSV", "resource_type": "file"}]
            })
        })
        .collect();
    axum::Json(json!({"success": true, "result": {"count": c.total, "results": results}}))
}

/// `VmHWM` of this process, in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let kib: u64 = line
            .strip_prefix("VmHWM:")?
            .trim()
            .strip_suffix("kB")?
            .trim()
            .parse()
            .ok()?;
        Some(kib * 1024)
    })
}

/// Runs the benchmark.
pub async fn run(global: &GlobalOpts, args: &BenchHarvestArgs) -> anyhow::Result<()> {
    let explicit = global.data_dir.is_some() || global.database_url.is_some();
    let temporary = if explicit {
        None
    } else {
        Some(
            tempfile::Builder::new()
                .prefix("portail-bench-harvest-")
                .tempdir()
                .context("cannot create a temporary folder")?,
        )
    };
    let global = match &temporary {
        Some(dir) => GlobalOpts {
            data_dir: Some(dir.path().to_owned()),
            database_url: None,
            index_dir: None,
        },
        None => global.clone(),
    };
    let (storage, db) = config::open_migrated(&global).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot bind the catalog server")?;
    let base = format!("http://{}", listener.local_addr()?);
    let total = usize::try_from(args.datasets).unwrap_or(usize::MAX);
    let router = axum::Router::new()
        .route("/catalog.ttl", axum::routing::get(dcat_page))
        .route(
            "/api/3/action/package_search",
            axum::routing::get(ckan_search),
        )
        .with_state(Catalog {
            base: base.clone(),
            total,
        });
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let mut app = App::new(db.clone());
    app.harvest.outbound.policy =
        OutboundPolicy::parse("127.0.0.1").map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = portail_app::users::register(
        &app,
        &portail_app::users::Registration {
            email: format!("bench-{}@example.org", uuid::Uuid::new_v4()),
            password: "benchmark password".into(),
            first_name: "Bench".into(),
            last_name: "Harvest".into(),
            sysadmin: false,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot create the bench user: {e}"))?;
    let actor = Actor {
        user_id: user.id.clone(),
        sysadmin: true,
        ..Actor::default()
    };
    eprintln!(
        "bench harvest: {} datasets per catalog, database {}",
        args.datasets,
        storage.describe_database()
    );
    for (backend, url, config) in [
        ("dcat", format!("{base}/catalog.ttl"), json!({})),
        (
            "ckan",
            base.clone(),
            json!({"extra_configs": [{"key": "page_size", "value": "1000"}]}),
        ),
    ] {
        let input = SourceInput {
            name: Some(format!("Bench {backend}")),
            url: Some(url),
            backend: Some(backend.into()),
            config: Some(config),
            owner: Some(user.id.clone()),
            ..SourceInput::default()
        };
        let source = harvest::create(&app, &actor, input)
            .await
            .map_err(|e| anyhow::anyhow!("cannot create the {backend} source: {e}"))?;
        let job = harvest::queue_job(&app, &source)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let started = Instant::now();
        let report = |p: &Progress| {
            let rate = (p.done + p.failed) as f64 / p.elapsed.as_secs_f64().max(0.001);
            eprint!(
                "\r{backend}: page {} · {} done · {} failed · {rate:.0} datasets/s\x1b[K",
                p.pages, p.done, p.failed
            );
        };
        let job = harvest::run_job(&app, &source, job, Some(&report))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let elapsed = started.elapsed().as_secs_f64();
        eprintln!();
        let written = job.counts.created + job.counts.updated;
        println!(
            "{backend}: {} in {elapsed:.1} s: {written} datasets, {} failed, {:.0} datasets/s; peak RSS {:.0} MiB",
            job.status.as_str(),
            job.counts.failed,
            written as f64 / elapsed.max(0.001),
            peak_rss().unwrap_or(0) as f64 / (1024.0 * 1024.0)
        );
        for error in job.errors.iter().take(3) {
            eprintln!("  error: {}", error.message);
        }
    }
    server.abort();
    db.close().await;
    drop(temporary);
    Ok(())
}

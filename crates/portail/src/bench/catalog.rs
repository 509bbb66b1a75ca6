//! `portail bench catalog`: how long a harvester takes to read our whole DCAT catalog. Generates
//! a catalog (when the database is empty), serves it in this process, and walks
//! `/catalog.{ext}?page=N&page_size=S` from the first page to the last, one request at a time as
//! harvesters do, reporting the total time, pages/s, datasets/s and bytes.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use portail_app::App;
use portail_db::datasets;
use tokio::net::TcpListener;

use super::wait_until_ready;
use crate::cli::{BenchCatalogArgs, GlobalOpts};

/// Runs the benchmark and prints the figures.
pub async fn run(global: &GlobalOpts, args: &BenchCatalogArgs) -> anyhow::Result<()> {
    if !["ttl", "rdf", "xml", "jsonld", "json", "nt"].contains(&args.format.as_str()) {
        bail!(
            "unknown format \"{}\": use ttl, rdf, jsonld or nt",
            args.format
        );
    }
    let work = super::workspace(global, "portail-bench-catalog-", args.datasets).await?;
    let db = &work.db;
    let catalog = datasets::count_all(db).await?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(portail_web::run(
        App::new(db.clone()),
        portail_web::Settings::default(),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));
    let http = reqwest::Client::new();
    wait_until_ready(&http, &base, &server).await?;

    let page_size = args.page_size.clamp(1, 1000);
    let started = Instant::now();
    let mut page = 1u64;
    let mut bytes = 0u64;
    let mut slowest = Duration::ZERO;
    let mut datasets_seen = 0u64;
    loop {
        let url = format!(
            "{base}/catalog.{}?page={page}&page_size={page_size}",
            args.format
        );
        let sent = Instant::now();
        let response = http
            .get(&url)
            .send()
            .await
            .with_context(|| format!("GET {url}"))?;
        if !response.status().is_success() {
            bail!("{url} answered {}", response.status());
        }
        let body = response.bytes().await?;
        slowest = slowest.max(sent.elapsed());
        bytes += body.len() as u64;
        let text = String::from_utf8_lossy(&body);
        let on_page =
            (text.matches("dcat:Dataset").count() + text.matches("dcat#Dataset").count()) as u64;
        datasets_seen += on_page;
        if on_page == 0 || !text.contains(&format!("page={}", page + 1)) {
            break;
        }
        page += 1;
    }
    let elapsed = started.elapsed();
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    println!();
    println!(
        "Portail catalog benchmark: {catalog} datasets on {} (public ones are exported), /catalog.{} in pages of {page_size}",
        db.backend(),
        args.format
    );
    println!(
        "{page} pages, {datasets_seen} datasets, {:.1} MiB in {:.1} s: {:.1} pages/s, {:.0} datasets/s, {:.1} MiB/s; slowest page {:.0} ms",
        bytes as f64 / 1_048_576.0,
        elapsed.as_secs_f64(),
        page as f64 / elapsed.as_secs_f64(),
        datasets_seen as f64 / elapsed.as_secs_f64(),
        bytes as f64 / 1_048_576.0 / elapsed.as_secs_f64(),
        slowest.as_secs_f64() * 1000.0
    );
    drop(work);
    Ok(())
}

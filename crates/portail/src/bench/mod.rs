//! `portail bench api`: generates a catalog, starts the server in this process on a free
//! port, and measures the two endpoints clients hit most: one dataset by id, and the first
//! pages of the dataset list. Load comes from wrk when it is installed, else from a built-in
//! client. Every run stops by itself after its duration.

pub mod catalog;
mod client;
pub mod harvest;
pub mod search;
pub mod upload;
mod wrk;

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use portail_app::App;
use portail_db::Db;
use portail_db::datasets::{self, DatasetQuery};
use rand::Rng;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::cli::{BenchApiArgs, GlobalOpts, LoadClient};
use crate::config;
use crate::generate::{self, Plan, SAMPLE_SIZE};

/// Pages of the list endpoint the load rotates through.
const LIST_PAGES: usize = 50;
/// Page size of the list endpoint.
const LIST_PAGE_SIZE: usize = 20;
/// Longest warm-up per endpoint.
const WARM_UP: Duration = Duration::from_secs(2);
/// How long the server may take to answer its first request.
const STARTUP_LIMIT: Duration = Duration::from_secs(15);
/// How long the server may take to stop.
const SHUTDOWN_LIMIT: Duration = Duration::from_secs(10);

/// What the load asks for.
#[derive(Debug)]
pub enum Target {
    /// `GET /api/1/datasets/{id}/`, walking through these ids.
    DatasetById(Vec<String>),
    /// `GET /api/1/datasets/?page_size=S&page=P`, P rotating over `pages`.
    DatasetList { pages: usize, page_size: usize },
}

impl Target {
    /// The `n`-th path of the walk.
    pub fn path(&self, n: usize) -> String {
        match self {
            Target::DatasetById(ids) => format!("/api/1/datasets/{}/", ids[n % ids.len()]),
            Target::DatasetList { pages, page_size } => {
                format!(
                    "/api/1/datasets/?page_size={page_size}&page={}",
                    n % pages + 1
                )
            }
        }
    }

    fn label(&self) -> String {
        match self {
            Target::DatasetById(ids) => format!("GET /api/1/datasets/{{id}}/ ({} ids)", ids.len()),
            Target::DatasetList { pages, page_size } => {
                format!("GET /api/1/datasets/?page_size={page_size}&page=1..{pages}")
            }
        }
    }
}

/// Figures of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// Requests completed, failed ones included.
    pub requests: u64,
    /// Transport failures, timeouts and non-2xx answers.
    pub errors: u64,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
}

impl Measurement {
    /// Figures from raw latencies.
    pub fn from_latencies(
        mut latencies: Vec<Duration>,
        errors: u64,
        elapsed: Duration,
    ) -> Measurement {
        latencies.sort_unstable();
        Measurement {
            requests: latencies.len() as u64,
            errors,
            elapsed,
            p50: percentile(&latencies, 0.50),
            p95: percentile(&latencies, 0.95),
            p99: percentile(&latencies, 0.99),
        }
    }

    /// Requests completed per second.
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// The nearest-rank percentile of sorted values (zero when there are none).
pub(super) fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Which load generator runs.
enum Load {
    Wrk(std::path::PathBuf),
    Builtin,
}

/// Where a benchmark runs: a fresh temporary folder (removed when this is dropped) unless the
/// user named a data folder or database, with a generated catalog when the database is empty.
pub(crate) struct Workspace {
    /// The folder removed at the end, when the run made one.
    pub _temporary: Option<tempfile::TempDir>,
    pub global: GlobalOpts,
    pub storage: config::Storage,
    pub db: Db,
}

/// Opens the benchmark's store, generating `datasets` datasets (3 resources each) when empty.
pub(crate) async fn workspace(
    global: &GlobalOpts,
    prefix: &str,
    datasets: u64,
) -> anyhow::Result<Workspace> {
    let explicit = global.data_dir.is_some() || global.database_url.is_some();
    let temporary = if explicit {
        None
    } else {
        Some(
            tempfile::Builder::new()
                .prefix(prefix)
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
    eprintln!("bench: database {}", storage.describe_database());
    if datasets::count_all(&db).await? == 0 {
        let plan = Plan {
            datasets,
            resources_per_dataset: 3,
            organizations: (datasets / 1000).max(5),
            seed: 1,
        };
        let report = generate::generate(&db, &plan, true).await?;
        eprintln!(
            "bench: generated {} datasets in {:.1} s",
            report.datasets,
            report.elapsed.as_secs_f64()
        );
    }
    Ok(Workspace {
        _temporary: temporary,
        global,
        storage,
        db,
    })
}

/// Runs the benchmark and prints a table.
pub async fn api(global: &GlobalOpts, args: &BenchApiArgs) -> anyhow::Result<()> {
    let load = match (args.client, wrk::find()) {
        (LoadClient::Auto | LoadClient::Wrk, Some(path)) => Load::Wrk(path),
        (LoadClient::Wrk, None) => {
            bail!("wrk is not on PATH (Debian: apt-get install wrk); or use --client builtin")
        }
        (LoadClient::Auto | LoadClient::Builtin, _) => Load::Builtin,
    };
    let connections = args.connections.max(1);
    let duration = Duration::from_secs(args.duration.max(1));

    // A fresh folder unless the user named where to run; dropped (removed) at the end.
    let explicit = global.data_dir.is_some() || global.database_url.is_some();
    let temporary = if explicit {
        None
    } else {
        Some(
            tempfile::Builder::new()
                .prefix("portail-bench-")
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
    eprintln!("bench: database {}", storage.describe_database());
    // The pool is not closed here: the web layer's background tasks (cache follower, download
    // flusher) still hold it until the runtime stops, and would log errors on a closed pool.
    let (catalog, rows) = prepare_and_measure(&db, args, &load, connections, duration).await?;

    let client_label = match &load {
        Load::Wrk(path) => format!("wrk ({}), 2 threads", path.display()),
        Load::Builtin => {
            "built-in client (in-process: it shares the CPU with the server)".to_owned()
        }
    };
    println!();
    println!(
        "Portail API benchmark: {catalog} datasets on {}, {connections} connections, {} s per endpoint, load from {client_label}",
        db.backend(),
        duration.as_secs()
    );
    print_table(&rows);
    if matches!(load, Load::Wrk(_)) {
        // Otherwise a p99 of seconds beside a p50 of milliseconds looks like a bug.
        println!(
            "(wrk corrects for coordinated omission: a stall also counts the latency that requests \
             due during it would have seen, so its tail percentiles exceed raw per-request ones; \
             --client builtin reports raw latencies)"
        );
    }
    Ok(())
}

/// Fills the catalog if empty, serves it, and measures each target.
async fn prepare_and_measure(
    db: &Db,
    args: &BenchApiArgs,
    load: &Load,
    connections: u32,
    duration: Duration,
) -> anyhow::Result<(i64, Vec<(String, Measurement)>)> {
    let existing = datasets::count_all(db).await?;
    let ids = if existing == 0 {
        let plan = Plan {
            datasets: args.datasets,
            resources_per_dataset: 3,
            organizations: (args.datasets / 1000).max(5),
            seed: 1,
        };
        let report = generate::generate(db, &plan, true).await?;
        eprintln!(
            "bench: generated {} datasets in {:.1} s ({:.0} datasets/s)",
            report.datasets,
            report.elapsed.as_secs_f64(),
            report.rate()
        );
        report.public_sample
    } else {
        eprintln!("bench: reusing the {existing} datasets already there");
        sample_public_ids(db).await?
    };
    if ids.is_empty() {
        bail!("the catalog has no public dataset to ask for");
    }
    let catalog = datasets::count_all(db).await?;

    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on 127.0.0.1")?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = oneshot::channel::<()>();
    let app = App::new(db.clone());
    let server = tokio::spawn(portail_web::run(
        app,
        portail_web::Settings::default(),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));
    let measured = measure_targets(&base, ids, load, connections, duration, &server).await;
    let _ = stop.send(());
    match tokio::time::timeout(SHUTDOWN_LIMIT, server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => eprintln!("bench: the server stopped on an error: {e}"),
        Ok(Err(e)) => eprintln!("bench: the server task failed: {e}"),
        Err(_) => eprintln!("bench: the server did not stop within {SHUTDOWN_LIMIT:?}; leaving it"),
    }
    Ok((catalog, measured?))
}

async fn measure_targets(
    base: &str,
    ids: Vec<String>,
    load: &Load,
    connections: u32,
    duration: Duration,
    server: &tokio::task::JoinHandle<std::io::Result<()>>,
) -> anyhow::Result<Vec<(String, Measurement)>> {
    let http = client::http_client(connections)?;
    wait_until_ready(&http, base, server).await?;
    let targets = [
        Arc::new(Target::DatasetById(ids)),
        Arc::new(Target::DatasetList {
            pages: LIST_PAGES,
            page_size: LIST_PAGE_SIZE,
        }),
    ];
    let mut rows = Vec::new();
    for target in &targets {
        let label = target.label();
        eprintln!("bench: warming up {label}");
        client::measure(&http, base, target, connections, WARM_UP.min(duration)).await?;
        eprintln!("bench: measuring {label} for {} s", duration.as_secs());
        let measurement = match load {
            Load::Wrk(path) => wrk::measure(path, base, target, connections, duration).await?,
            Load::Builtin => client::measure(&http, base, target, connections, duration).await?,
        };
        rows.push((label, measurement));
    }
    Ok(rows)
}

/// Waits until the server answers the list endpoint, or fails if it stopped or stays silent.
pub(crate) async fn wait_until_ready(
    http: &reqwest::Client,
    base: &str,
    server: &tokio::task::JoinHandle<std::io::Result<()>>,
) -> anyhow::Result<()> {
    let started = tokio::time::Instant::now();
    let url = format!("{base}/api/1/datasets/?page_size=1");
    loop {
        if server.is_finished() {
            bail!("the web server stopped before answering any request");
        }
        match http.get(&url).send().await {
            Ok(response) if response.status().is_success() => return Ok(()),
            Ok(response) if started.elapsed() > STARTUP_LIMIT => {
                bail!("the server answers {} to {url}", response.status())
            }
            Err(e) if started.elapsed() > STARTUP_LIMIT => {
                bail!("the server did not answer {url} within {STARTUP_LIMIT:?}: {e}")
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Up to [`SAMPLE_SIZE`] ids of public datasets, from random pages of the anonymous list.
async fn sample_public_ids(db: &Db) -> anyhow::Result<Vec<String>> {
    const PAGE_SIZE: i64 = 100;
    let query = |page| DatasetQuery {
        page,
        page_size: PAGE_SIZE,
        ..DatasetQuery::default()
    };
    let (first, total) = datasets::list(db, &query(1)).await?;
    let mut ids: Vec<String> = first.into_iter().map(|d| d.id).collect();
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let mut rng = rand::rng();
    let draws = SAMPLE_SIZE / PAGE_SIZE as usize;
    for _ in 1..draws.min(usize::try_from(pages).unwrap_or(0)) {
        let page = rng.random_range(1..=pages);
        let (found, _) = datasets::list(db, &query(page)).await?;
        ids.extend(found.into_iter().map(|d| d.id));
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

fn print_table(rows: &[(String, Measurement)]) {
    let width = rows
        .iter()
        .map(|(label, _)| label.len())
        .max()
        .unwrap_or(8)
        .max(8);
    println!(
        "{:<width$}  {:>10}  {:>9}  {:>9}  {:>9}  {:>8}  {:>8}",
        "endpoint", "requests/s", "p50 (ms)", "p95 (ms)", "p99 (ms)", "requests", "errors"
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for (label, m) in rows {
        println!(
            "{label:<width$}  {:>10.1}  {:>9.2}  {:>9.2}  {:>9.2}  {:>8}  {:>8}",
            m.rate(),
            ms(m.p50),
            ms(m.p95),
            ms(m.p99),
            m.requests,
            m.errors
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let values: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let m = Measurement::from_latencies(values, 0, Duration::from_secs(2));
        assert_eq!(m.p50, Duration::from_millis(50));
        assert_eq!(m.p95, Duration::from_millis(95));
        assert_eq!(m.p99, Duration::from_millis(99));
        assert_eq!(m.requests, 100);
        assert!((m.rate() - 50.0).abs() < 1e-9);
        let empty = Measurement::from_latencies(Vec::new(), 0, Duration::from_secs(1));
        assert_eq!(empty.p99, Duration::ZERO);
    }

    #[test]
    fn list_paths_rotate_over_the_pages() {
        let t = Target::DatasetList {
            pages: 50,
            page_size: 20,
        };
        assert_eq!(t.path(0), "/api/1/datasets/?page_size=20&page=1");
        assert_eq!(t.path(49), "/api/1/datasets/?page_size=20&page=50");
        assert_eq!(t.path(50), "/api/1/datasets/?page_size=20&page=1");
        let ids = Target::DatasetById(vec!["a".into(), "b".into()]);
        assert_eq!(ids.path(3), "/api/1/datasets/b/");
    }
}

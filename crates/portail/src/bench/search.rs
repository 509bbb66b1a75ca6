//! `portail bench search`: generates a catalog (when the database is empty), builds its search
//! index and times it, then serves it in this process and runs a mix of realistic searches with
//! facets from concurrent clients, printing p50/p95/p99 per kind of query. Every request is
//! made unique so that the anonymous response cache never answers: what is measured is the
//! engine, the database loads of the page and the JSON.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use portail_app::App;
use portail_db::datasets;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use tokio::net::TcpListener;

use super::{Measurement, wait_until_ready};
use crate::cli::{BenchSearchArgs, GlobalOpts};
use crate::config;
use crate::generate::words::{EXTRA_TAGS, SUBJECTS};

/// Indexing buffer of the timed build (what `portail reindex` uses).
const BUILD_WRITER_MEMORY: usize = 400_000_000;

/// The kinds of query in the mix, with their share (out of 100).
const MIX: &[(Kind, u32)] = &[
    (Kind::OneWord, 35),
    (Kind::TwoWords, 25),
    (Kind::Phrase, 10),
    (Kind::WordsAndFilter, 15),
    (Kind::FilterOnly, 15),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    OneWord,
    TwoWords,
    Phrase,
    WordsAndFilter,
    FilterOnly,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::OneWord => "one word",
            Kind::TwoWords => "two words",
            Kind::Phrase => "\"a phrase\"",
            Kind::WordsAndFilter => "word + tag/format filter",
            Kind::FilterOnly => "filters only, sorted",
        }
    }
}

fn words_of(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3)
        .map(str::to_lowercase)
        .collect()
}

/// A query of the mix, as a path (facets are on: the v2 default).
fn query(kind: Kind, rng: &mut impl Rng, n: u64) -> String {
    let subject = SUBJECTS.choose(rng).map_or("budget", |s| s.title);
    let words = words_of(subject);
    let word = words
        .choose(rng)
        .cloned()
        .unwrap_or_else(|| "budget".into());
    let other = SUBJECTS
        .choose(rng)
        .map(|s| words_of(s.title))
        .and_then(|w| w.choose(rng).cloned())
        .unwrap_or_else(|| "commune".into());
    let tag = EXTRA_TAGS.choose(rng).copied().unwrap_or("open-data");
    let format = ["csv", "json", "geojson", "xlsx", "pdf"]
        .choose(rng)
        .copied()
        .unwrap_or("csv");
    let page = rng.random_range(1..=3);
    let encode = |s: &str| s.replace(' ', "%20").replace('"', "%22");
    let path = match kind {
        Kind::OneWord => format!("q={}", encode(&word)),
        Kind::TwoWords => format!("q={}%20{}", encode(&word), encode(&other)),
        Kind::Phrase => format!("q={}", encode(&format!("\"{}\"", subject.to_lowercase()))),
        Kind::WordsAndFilter => {
            if rng.random_bool(0.5) {
                format!("q={}&tag={tag}", encode(&word))
            } else {
                format!("q={}&format={format}", encode(&word))
            }
        }
        Kind::FilterOnly => {
            let sort = ["-created", "-views", "title", "-last_update"]
                .choose(rng)
                .copied()
                .unwrap_or("-created");
            format!("tag={tag}&sort={sort}")
        }
    };
    format!("/api/2/datasets/search/?{path}&page={page}&bench={n}")
}

fn pick(rng: &mut impl Rng) -> Kind {
    let mut roll = rng.random_range(0..100);
    for (kind, share) in MIX {
        if roll < *share {
            return *kind;
        }
        roll -= share;
    }
    Kind::OneWord
}

/// Runs the benchmark and prints the figures.
pub async fn run(global: &GlobalOpts, args: &BenchSearchArgs) -> anyhow::Result<()> {
    let work = super::workspace(global, "portail-bench-search-", args.datasets).await?;
    let (global, storage, db) = (&work.global, &work.storage, &work.db);
    let catalog = datasets::count_all(db).await?;
    let index_dir = storage.index_dir(global);
    let index = config::open_search(storage, global, BUILD_WRITER_MEMORY)?;
    let app = App::new(db.clone()).with_search(index.clone());
    let started = Instant::now();
    let reused = args.reuse_index && index.state().is_ok_and(|s| s.complete);
    if !reused {
        portail_app::search::rebuild(&app, &index, &|done, total| {
            if done % 100_000 == 0 && done > 0 {
                eprintln!("bench: indexed {done}/{total}");
            }
        })
        .await
        .context("cannot build the search index")?;
    }
    let build = started.elapsed();
    let index_bytes = folder_size(&index_dir);

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(portail_web::run(
        app,
        portail_web::Settings::default(),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients.max(1))
        .build()?;
    wait_until_ready(&http, &base, &server).await?;

    let duration = Duration::from_secs(args.duration.max(1));
    let deadline = Instant::now() + duration;
    let results = Arc::new(parking_lot_free::Results::default());
    let mut tasks = Vec::new();
    for client in 0..args.clients.max(1) {
        let http = http.clone();
        let base = base.clone();
        let results = results.clone();
        tasks.push(tokio::spawn(async move {
            // A Send generator: the task may move between threads at each await.
            let mut rng = rand::rngs::StdRng::seed_from_u64(client as u64);
            let mut n = (client as u64) << 40;
            while Instant::now() < deadline {
                n += 1;
                let kind = pick(&mut rng);
                let path = query(kind, &mut rng, n);
                let sent = Instant::now();
                let ok = match http.get(format!("{base}{path}")).send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                results.record(kind, sent.elapsed(), ok);
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;

    println!();
    println!(
        "Portail search benchmark: {catalog} datasets on {}, {} concurrent clients for {} s (server in this process, 2 cores shared)",
        db.backend(),
        args.clients.max(1),
        duration.as_secs()
    );
    if reused {
        println!(
            "index reused (not rebuilt): {} documents, {:.0} MiB on disk",
            index.num_docs(),
            index_bytes as f64 / 1_048_576.0
        );
    } else {
        println!(
            "index build: {:.1} s ({:.0} datasets/s), {} documents, {:.0} MiB on disk",
            build.as_secs_f64(),
            catalog as f64 / build.as_secs_f64().max(0.001),
            index.num_docs(),
            index_bytes as f64 / 1_048_576.0
        );
    }
    println!(
        "{:<28} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9}",
        "queries (all with facets)", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms"
    );
    let (all, by_kind) = results.take(duration);
    for (label, m) in std::iter::once(("all".to_owned(), all)).chain(
        by_kind
            .into_iter()
            .map(|(kind, m)| (kind.label().to_owned(), m)),
    ) {
        println!(
            "{label:<28} {:>9} {:>7} {:>9.0} {:>9.2} {:>9.2} {:>9.2}",
            m.requests,
            m.errors,
            m.rate(),
            m.p50.as_secs_f64() * 1000.0,
            m.p95.as_secs_f64() * 1000.0,
            m.p99.as_secs_f64() * 1000.0,
        );
    }
    drop(work);
    Ok(())
}

fn folder_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Latencies collected by the clients.
mod parking_lot_free {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::{Kind, MIX, Measurement};

    #[derive(Default)]
    pub struct Results(Mutex<Vec<(Kind, Duration, bool)>>);

    impl Results {
        pub fn record(&self, kind: Kind, latency: Duration, ok: bool) {
            if let Ok(mut all) = self.0.lock() {
                all.push((kind, latency, ok));
            }
        }

        /// Overall and per-kind figures.
        pub fn take(&self, elapsed: Duration) -> (Measurement, Vec<(Kind, Measurement)>) {
            let all = self.0.lock().map(|v| v.clone()).unwrap_or_default();
            let measure = |rows: &[&(Kind, Duration, bool)]| {
                Measurement::from_latencies(
                    rows.iter().map(|(_, d, _)| *d).collect(),
                    rows.iter().filter(|(_, _, ok)| !ok).count() as u64,
                    elapsed,
                )
            };
            let every: Vec<&(Kind, Duration, bool)> = all.iter().collect();
            let per_kind = MIX
                .iter()
                .map(|(kind, _)| {
                    let rows: Vec<_> = all.iter().filter(|(k, _, _)| k == kind).collect();
                    (*kind, measure(&rows))
                })
                .collect();
            (measure(&every), per_kind)
        }
    }
}

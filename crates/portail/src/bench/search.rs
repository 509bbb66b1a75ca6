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
use portail_search::{FACETS, SearchQuery, Sort};
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

/// A query of the mix.
struct Mixed {
    q: Option<String>,
    tag: Option<&'static str>,
    format: Option<&'static str>,
    sort: Option<&'static str>,
    page: usize,
}

impl Mixed {
    fn new(kind: Kind, rng: &mut impl Rng) -> Mixed {
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
        let mut m = Mixed {
            q: None,
            tag: None,
            format: None,
            sort: None,
            page,
        };
        match kind {
            Kind::OneWord => m.q = Some(word),
            Kind::TwoWords => m.q = Some(format!("{word} {other}")),
            Kind::Phrase => m.q = Some(format!("\"{}\"", subject.to_lowercase())),
            Kind::WordsAndFilter => {
                m.q = Some(word);
                if rng.random_bool(0.5) {
                    m.tag = Some(tag);
                } else {
                    m.format = Some(format);
                }
            }
            Kind::FilterOnly => {
                m.tag = Some(tag);
                m.sort = ["-created", "-views", "title", "-last_update"]
                    .choose(rng)
                    .copied();
            }
        }
        m
    }

    /// As a request path (facets are on: the v2 default), made unique by `n`.
    fn path(&self, n: u64) -> String {
        let encode = |s: &str| s.replace(' ', "%20").replace('"', "%22");
        let mut path = String::from("/api/2/datasets/search/?");
        if let Some(q) = &self.q {
            path.push_str(&format!("q={}&", encode(q)));
        }
        if let Some(tag) = self.tag {
            path.push_str(&format!("tag={tag}&"));
        }
        if let Some(format) = self.format {
            path.push_str(&format!("format={format}&"));
        }
        if let Some(sort) = self.sort {
            path.push_str(&format!("sort={sort}&"));
        }
        format!("{path}page={}&bench={n}", self.page)
    }

    /// As the engine's query, for an anonymous visitor (what the API builds from the path).
    fn search(&self) -> SearchQuery {
        SearchQuery {
            q: self.q.clone(),
            tags: self.tag.map(str::to_owned).into_iter().collect(),
            format: self.format.map(str::to_owned),
            sort: self.sort.and_then(Sort::parse),
            page: self.page,
            page_size: 20,
            ..SearchQuery::default()
        }
    }
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
    // What `portail serve` does at start, before the load: decode each segment's facet values.
    let warmed = Instant::now();
    {
        let index = index.clone();
        tokio::task::spawn_blocking(move || index.warm())
            .await
            .context("warming the index failed")??;
    }
    let warm = warmed.elapsed();

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

    let clients = args.clients.max(1);
    let load = Load {
        http: &http,
        base: &base,
        clients,
    };
    if args.warmup > 0 {
        // Other queries than the measured ones (other seeds), thrown away.
        let thrown_away = Arc::default();
        load.run(1_000, Duration::from_secs(args.warmup), &thrown_away)
            .await;
    }
    let duration = Duration::from_secs(args.duration.max(1));
    let cpu_before = process_cpu();
    let results = Arc::new(parking_lot_free::Results::default());
    load.run(0, duration, &results).await;
    let cpu = process_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;

    println!();
    println!(
        "Portail search benchmark: {catalog} datasets on {}, {clients} concurrent clients for {} s after {} s of warm-up (server in this process, 2 cores shared)",
        db.backend(),
        duration.as_secs(),
        args.warmup
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
    let all_requests = all.requests;
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
    println!(
        "index warmed in {:.2} s (facet values, public datasets and ids of every segment decoded)",
        warm.as_secs_f64()
    );
    if let Some(cpu) = cpu {
        println!(
            "CPU of the whole process (server and clients): {:.2} ms per request ({:.1} s in {} s)",
            cpu.as_secs_f64() * 1000.0 / all_requests.max(1) as f64,
            cpu.as_secs_f64(),
            duration.as_secs()
        );
    }
    let (engine, engine_queries) = (index.clone(), args.engine_queries);
    let engine_rows = tokio::task::spawn_blocking(move || engine_alone(&engine, engine_queries))
        .await
        .context("the engine-alone pass failed")??;
    println!(
        "engine alone (one thread, no HTTP or database, same mix, {} queries):",
        args.engine_queries
    );
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9}",
        "", "queries", "mean ms", "p50 ms", "p95 ms"
    );
    for (label, count, mean, p50, p95) in engine_rows {
        println!(
            "{label:<28} {count:>9} {:>9.2} {:>9.2} {:>9.2}",
            mean.as_secs_f64() * 1000.0,
            p50.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0,
        );
    }
    drop(work);
    Ok(())
}

/// Clients sending the mix back to back to the server at `base`.
struct Load<'a> {
    http: &'a reqwest::Client,
    base: &'a str,
    clients: usize,
}

impl Load<'_> {
    /// Runs the clients for `duration`, recording each request in `results`; client `i` draws
    /// its queries from the seed `first_seed + i`.
    async fn run(
        &self,
        first_seed: u64,
        duration: Duration,
        results: &Arc<parking_lot_free::Results>,
    ) {
        let deadline = Instant::now() + duration;
        let mut tasks = Vec::new();
        for client in 0..self.clients as u64 {
            let http = self.http.clone();
            let base = self.base.to_owned();
            let results = results.clone();
            let seed = first_seed + client;
            tasks.push(tokio::spawn(async move {
                // A Send generator: the task may move between threads at each await.
                let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
                let mut n = seed << 40;
                while Instant::now() < deadline {
                    n += 1;
                    let kind = pick(&mut rng);
                    let path = Mixed::new(kind, &mut rng).path(n);
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
    }
}

/// A row of the engine-alone table: label, queries, mean, p50, p95.
type EngineRow = (String, usize, Duration, Duration, Duration);

/// Runs `count` queries of the mix straight on the index, one at a time, with every facet:
/// what the engine costs without HTTP, the database or other clients. Per kind: count, mean,
/// p50, p95.
fn engine_alone(
    index: &portail_search::SearchIndex,
    count: usize,
) -> anyhow::Result<Vec<EngineRow>> {
    let facets: Vec<&'static str> = FACETS.iter().map(|(name, _)| *name).collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut times: Vec<(Kind, Duration)> = Vec::with_capacity(count);
    for _ in 0..count {
        let kind = pick(&mut rng);
        let query = Mixed::new(kind, &mut rng).search();
        let started = Instant::now();
        index.search(&query, &facets)?;
        times.push((kind, started.elapsed()));
    }
    let row = |label: &str, mut t: Vec<Duration>| {
        t.sort_unstable();
        let mean = t.iter().sum::<Duration>() / t.len().max(1) as u32;
        let (p50, p95) = (super::percentile(&t, 0.50), super::percentile(&t, 0.95));
        (label.to_owned(), t.len(), mean, p50, p95)
    };
    let mut rows = vec![row("all", times.iter().map(|(_, d)| *d).collect())];
    for (kind, _) in MIX {
        let t = times
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, d)| *d)
            .collect();
        rows.push(row(kind.label(), t));
    }
    Ok(rows)
}

/// CPU time used so far by this process, all threads, user and system (Linux; `None`
/// elsewhere).
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is the first, utime the
    // 12th, stime the 13th; in clock ticks of 1/100 s (Linux's USER_HZ).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
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

//! Availability checks of remote resources (udata delegates them to Hydra; here they are a
//! job of the portal). A pass takes the resources whose check is due, probes each through the
//! SSRF-guarded client (at most `per_host` at once per host, with a pause between two requests
//! to the same host), and stores udata's `check:*` extras and a history row, without touching
//! the datasets' modification dates. New remote resources are due at once (never checked),
//! a changed URL makes a resource due again, and every check sets the next one
//! `recheck_after` later.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::SecondsFormat;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use portail_db::changes;
use portail_db::checks::{self as repo, CheckResult, DueResource};
use portail_harvest::outbound::{OutboundError, Probe};
use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;

use crate::{App, AppResult};

/// How link checks run. Every field has a default and an environment variable (see
/// `docs/configuration.md`).
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Time between two checks of the same resource.
    pub recheck_after: chrono::Duration,
    /// Requests in flight to one host.
    pub per_host: usize,
    /// Pause after each request before the next one to the same host (per slot).
    pub politeness: Duration,
    /// Requests in flight overall.
    pub concurrency: usize,
    /// Resources taken from the due queue at a time.
    pub batch: i64,
    /// A pass stops taking new batches after this long, so that resources added meanwhile
    /// (first in the queue) wait at most about one pass; `None`: no limit.
    pub time_budget: Option<Duration>,
}

/// Default hours between two checks of a resource (`PORTAIL_CHECK_EVERY_HOURS`).
pub const DEFAULT_RECHECK_HOURS: i64 = 24;

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            recheck_after: chrono::Duration::hours(DEFAULT_RECHECK_HOURS),
            per_host: 2,
            politeness: Duration::from_millis(500),
            concurrency: 32,
            batch: 500,
            time_budget: None,
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PassSummary {
    pub checked: usize,
    pub available: usize,
    pub unavailable: usize,
    /// Checks that got no HTTP answer at all (timeouts, refused, DNS...), among `unavailable`.
    pub errors: usize,
    pub elapsed: Duration,
}

impl PassSummary {
    /// Checks per second over the pass.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.checked as f64 / secs
        } else {
            0.0
        }
    }
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
        })
        .unwrap_or_default()
}

/// Probes one resource and turns the outcome into a result to store.
async fn check_one<P: Probe>(
    app: &App,
    probe: &P,
    settings: &CheckSettings,
    due: DueResource,
) -> CheckResult {
    let started = Instant::now();
    let outcome = match url::Url::parse(&due.url) {
        Ok(url) => probe.probe(url).await,
        Err(e) => Err(OutboundError::InvalidRequest {
            url: due.url.clone(),
            message: e.to_string(),
        }),
    };
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let now = app.clock.now();
    let mut extras = Map::new();
    extras.insert(
        "check:date".into(),
        json!(now.to_rfc3339_opts(SecondsFormat::Micros, true)),
    );
    let (available, status, error) = match outcome {
        Ok(r) => {
            let available = r.status < 400;
            extras.insert("check:available".into(), json!(available));
            extras.insert("check:status".into(), json!(r.status));
            if let Some(ct) = r.content_type {
                extras.insert("check:headers:content-type".into(), json!(ct));
            }
            if let Some(len) = r.content_length {
                extras.insert("check:headers:content-length".into(), json!(len));
            }
            if r.url.as_str() != due.url {
                extras.insert("check:url".into(), json!(r.url.as_str()));
            }
            (available, Some(i64::from(r.status)), None)
        }
        Err(e) => {
            extras.insert("check:available".into(), json!(false));
            extras.insert("check:error".into(), json!(e.to_string()));
            if matches!(
                e,
                OutboundError::Timeout { .. } | OutboundError::ConnectTimeout { .. }
            ) {
                extras.insert("check:timeout".into(), Value::Bool(true));
            }
            (false, None, Some(e.to_string()))
        }
    };
    CheckResult {
        id: portail_core::ids::new_object_id(),
        resource_id: due.id,
        dataset_id: due.dataset_id,
        url: due.url,
        checked_at: now,
        available,
        status,
        error,
        duration_ms,
        extras,
        next_due_at: now + settings.recheck_after,
    }
}

/// Stores results in one transaction, with one outbox record per dataset (its JSON changed).
async fn store(app: &App, results: &[CheckResult]) -> AppResult<()> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let mut datasets = HashSet::new();
    for r in results {
        if repo::store(&mut tx, r).await? {
            datasets.insert(r.dataset_id.clone());
        }
    }
    for id in &datasets {
        changes::record(&mut tx, crate::datasets::CHANGE_KIND, id, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Runs one pass over the due queue, at most `limit` checks (`None`: until nothing is due).
pub async fn run_pass<P: Probe>(
    app: &App,
    probe: &P,
    settings: &CheckSettings,
    limit: Option<usize>,
) -> AppResult<PassSummary> {
    let started = Instant::now();
    let mut summary = PassSummary::default();
    let mut seen: HashSet<String> = HashSet::new();
    let global = Arc::new(Semaphore::new(settings.concurrency.max(1)));
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    loop {
        let room = limit.map_or(usize::MAX, |l| l.saturating_sub(summary.checked));
        if room == 0 {
            break;
        }
        let batch = settings
            .batch
            .min(i64::try_from(room).unwrap_or(i64::MAX))
            .max(1);
        if settings
            .time_budget
            .is_some_and(|budget| started.elapsed() >= budget)
        {
            break;
        }
        // At most a few resources per host in a batch: a catalog with thousands of links on
        // one slow host must not hold the batch (and the new resources behind it) for long.
        let cap = settings.per_host.max(1) * 8;
        let mut taken: HashMap<String, usize> = HashMap::new();
        let due: Vec<DueResource> = repo::due(&app.db, app.clock.now(), batch)
            .await?
            .into_iter()
            .filter(|d| !seen.contains(&d.id))
            .filter(|d| {
                let n = taken.entry(host_of(&d.url)).or_insert(0);
                *n += 1;
                *n <= cap
            })
            .collect();
        if due.is_empty() {
            break;
        }
        seen.extend(due.iter().map(|d| d.id.clone()));
        let mut running = FuturesUnordered::new();
        for d in due {
            let host = hosts
                .entry(host_of(&d.url))
                .or_insert_with(|| Arc::new(Semaphore::new(settings.per_host.max(1))))
                .clone();
            let global = global.clone();
            running.push(async move {
                // The host slot is held through the pause, so a host sees at most `per_host`
                // requests per `politeness` interval.
                let _host = host.acquire_owned().await.ok();
                let result = {
                    let _slot = global.acquire_owned().await.ok();
                    check_one(app, probe, settings, d).await
                };
                if !settings.politeness.is_zero() {
                    tokio::time::sleep(settings.politeness).await;
                }
                result
            });
        }
        let mut pending = Vec::new();
        while let Some(result) = running.next().await {
            summary.checked += 1;
            if result.available {
                summary.available += 1;
            } else {
                summary.unavailable += 1;
                if result.status.is_none() {
                    summary.errors += 1;
                }
            }
            pending.push(result);
            if pending.len() >= 200 {
                store(app, &pending).await?;
                pending.clear();
            }
        }
        if !pending.is_empty() {
            store(app, &pending).await?;
        }
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The latest checks of a resource of a dataset the actor may see.
pub async fn history(
    app: &App,
    actor: Option<&portail_core::permissions::Actor>,
    dataset: &str,
    resource_id: &str,
) -> AppResult<Vec<repo::CheckRecord>> {
    let d = crate::datasets::get(app, actor, dataset).await?;
    crate::resources::find_in(&d, resource_id)?;
    Ok(repo::history(&app.db, resource_id, 50).await?)
}

//! A harvest job from start to end: read the source page by page, write each record, archive
//! what left the remote, and end `done`, `done-errors` or `failed` with readable errors. A
//! failing remote (5xx, timeout, malformed page) fails the job; it never fails the caller.

use std::time::Instant;

use chrono::{DateTime, Utc};
use portail_core::harvest::{
    HarvestErrorEntry, HarvestItem, HarvestJob, HarvestSource, ItemStatus, JobStatus, RemoteRecord,
};
use portail_core::permissions::Actor;
use portail_db::harvest as repo;
use portail_harvest::{Harvester, HttpFetcher, SourceConfig};
use serde_json::{Map, Value};

use super::records::{self, Outcome, RunContext};
use super::sources::{SourceInput, can_preview_source};
use super::{HEARTBEAT_EVERY, INTERRUPTED, JOBS_RETENTION_DAYS, PREVIEW_MAX_ITEMS, STALE_AFTER};
use crate::errors::PERMISSION_DENIED;
use crate::{App, AppError, AppResult};

/// Where a running job is, for a progress line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub pages: u64,
    pub done: u64,
    pub failed: u64,
    pub skipped: u64,
    /// How many records the remote announced, when it did.
    pub total_hint: Option<u64>,
    pub elapsed: std::time::Duration,
}

fn error(at: DateTime<Utc>, message: impl Into<String>) -> HarvestErrorEntry {
    HarvestErrorEntry {
        created_at: at,
        message: message.into(),
    }
}

/// The reader of a source with the portal's caps applied.
fn harvester(
    app: &App,
    source: &HarvestSource,
    cap: Option<u64>,
) -> Result<Harvester<HttpFetcher>, String> {
    let mut config = SourceConfig::from_udata(&source.url, &source.backend, &source.config)
        .map_err(|e| format!("invalid source configuration: {e}"))?;
    let settings = &app.harvest;
    for limit in [settings.max_items, cap].into_iter().flatten() {
        config.max_items = Some(config.max_items.map_or(limit, |m| m.min(limit)));
    }
    config.time_limit = config.time_limit.min(settings.time_limit);
    let fetcher = HttpFetcher::new(settings.outbound.clone())
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    Ok(Harvester::new(config, fetcher))
}

fn item(
    remote_id: Option<String>,
    dataset_id: Option<String>,
    status: ItemStatus,
    message: Option<String>,
    at: DateTime<Utc>,
) -> HarvestItem {
    HarvestItem {
        remote_id,
        dataset_id,
        status,
        errors: message.map(|m| vec![error(at, m)]).unwrap_or_default(),
        created_at: at,
        ended_at: Some(at),
    }
}

/// Writes a job's heartbeat every [`HEARTBEAT_EVERY`] until dropped, so that other processes
/// know its process is alive (see [`fail_stale_jobs`]).
struct Heartbeat(tokio::task::JoinHandle<()>);

impl Heartbeat {
    fn start(app: &App, job_id: &str) -> Heartbeat {
        let app = app.clone();
        let job_id = job_id.to_owned();
        Heartbeat(tokio::spawn(async move {
            let mut beats = tokio::time::interval(HEARTBEAT_EVERY);
            beats.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                beats.tick().await;
                if let Err(e) = repo::touch_job(&app.db, &job_id, app.clock.now()).await {
                    tracing::warn!(job = %job_id, error = %e, "cannot write the harvest job's heartbeat");
                }
            }
        }))
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A page as the reading task hands it over, with the remote's announced total.
type FetchedPage = Result<(Vec<RemoteRecord>, Option<u64>), portail_harvest::HarvestError>;

/// Reads the source one page ahead of the writes: the next page is fetched and parsed by
/// another task (so on another core) while the current one is written to the database.
/// Dropping it stops the reading.
struct Prefetch {
    pages: tokio::sync::mpsc::Receiver<FetchedPage>,
    task: Option<tokio::task::JoinHandle<Harvester<HttpFetcher>>>,
}

impl Prefetch {
    fn start(mut harvester: Harvester<HttpFetcher>) -> Prefetch {
        let (sender, pages) = tokio::sync::mpsc::channel(1);
        let task = tokio::spawn(async move {
            loop {
                let fetched = match harvester.next_page().await {
                    Ok(Some(page)) => Ok((page, harvester.total_hint())),
                    Ok(None) => break,
                    Err(e) => Err(e),
                };
                let failed = fetched.is_err();
                if sender.send(fetched).await.is_err() || failed {
                    break;
                }
            }
            harvester
        });
        Prefetch {
            pages,
            task: Some(task),
        }
    }

    /// The next page, `None` after the last one or after an error.
    async fn next(&mut self) -> Option<FetchedPage> {
        self.pages.recv().await
    }

    /// Stops the reading and gives the harvester back, for its end state (`None` if the
    /// reading task panicked).
    async fn finish(mut self) -> Option<Harvester<HttpFetcher>> {
        self.pages.close();
        let task = self.task.take()?;
        task.await.ok()
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Fails the pending and running jobs whose heartbeat is older than [`STALE_AFTER`]: their
/// process stopped (killed, crashed, restarted) during the run. Jobs of live processes, on
/// this node or another sharing the database, keep a fresh heartbeat and are left alone.
/// Returns how many jobs were failed.
pub async fn fail_stale_jobs(app: &App) -> AppResult<u64> {
    let now = app.clock.now();
    let cutoff = now - STALE_AFTER;
    let mut failed = 0;
    for mut job in repo::stale_jobs(&app.db, cutoff).await? {
        job.status = JobStatus::Failed;
        job.ended_at = Some(now);
        job.errors.push(error(now, INTERRUPTED));
        if repo::fail_stale_job(&app.db, &job, cutoff).await? {
            failed += 1;
        }
    }
    Ok(failed)
}

/// Runs a pending job of `source` to its end and returns it as stored. `progress` is called
/// after every page; a heartbeat is written every minute meanwhile.
pub async fn run_job(
    app: &App,
    source: &HarvestSource,
    mut job: HarvestJob,
    progress: Option<&(dyn Fn(&Progress) + Send + Sync)>,
) -> AppResult<HarvestJob> {
    let _heartbeat = Heartbeat::start(app, &job.id);
    let started = Instant::now();
    let now = app.clock.now();
    job.status = JobStatus::Initializing;
    job.started_at = Some(now);
    repo::update_job(&app.db, &job).await?;
    let harvester = match harvester(app, source, None) {
        Ok(h) => h,
        Err(message) => {
            job.errors.push(error(now, message));
            return finish(app, job, true).await;
        }
    };
    job.status = JobStatus::Processing;
    repo::update_job(&app.db, &job).await?;
    let mut ctx = RunContext::new(source.clone(), now);
    let mut state = Progress::default();
    let mut walk_failed = false;
    let mut walk = Prefetch::start(harvester);
    while let Some(next) = walk.next().await {
        let page = match next {
            Ok((page, total_hint)) => {
                state.total_hint = total_hint;
                page
            }
            Err(e) => {
                job.errors.push(error(app.clock.now(), e.to_string()));
                walk_failed = true;
                break;
            }
        };
        state.pages += 1;
        let at = app.clock.now();
        ctx.now = at;
        let mut items = Vec::with_capacity(page.len());
        for (remote_id, outcome) in records::apply_page(app, &mut ctx, &page).await {
            let entry = match outcome {
                Outcome::Created(id) => {
                    job.counts.created += 1;
                    state.done += 1;
                    item(remote_id, Some(id), ItemStatus::Done, None, at)
                }
                Outcome::Updated(id) => {
                    job.counts.updated += 1;
                    state.done += 1;
                    item(remote_id, Some(id), ItemStatus::Done, None, at)
                }
                Outcome::Skipped(reason) => {
                    job.counts.skipped += 1;
                    state.skipped += 1;
                    item(remote_id, None, ItemStatus::Skipped, Some(reason), at)
                }
                Outcome::Failed(message, dataset) => {
                    job.counts.failed += 1;
                    state.failed += 1;
                    item(remote_id, dataset, ItemStatus::Failed, Some(message), at)
                }
            };
            items.push(entry);
        }
        repo::insert_items(&app.db, &job.id, &items).await?;
        repo::update_job(&app.db, &job).await?;
        state.elapsed = started.elapsed();
        if let Some(report) = progress {
            report(&state);
        }
    }
    let Some(harvester) = walk.finish().await else {
        job.errors.push(error(
            app.clock.now(),
            "the reading of the remote catalog stopped unexpectedly",
        ));
        return finish(app, job, true).await;
    };
    let complete = !walk_failed && !harvester.max_items_reached();
    if harvester.max_items_reached() {
        job.errors.push(error(
            app.clock.now(),
            format!(
                "{} max items reached: the rest of the catalog was not read, and nothing was archived",
                harvester.emitted()
            ),
        ));
    }
    if complete && source.autoarchive {
        autoarchive(app, &ctx, &mut job).await?;
    }
    finish(app, job, walk_failed).await
}

/// Archives the source's datasets not seen in this complete walk and not harvested for longer
/// than the grace period.
async fn autoarchive(app: &App, ctx: &RunContext, job: &mut HarvestJob) -> AppResult<()> {
    let now = app.clock.now();
    let cutoff = now - app.harvest.archive_grace;
    let mut items = Vec::new();
    for (id, remote_id) in repo::datasets_of_source(&app.db, &ctx.source.id).await? {
        if ctx.seen.contains(&remote_id) {
            continue;
        }
        let Some(dataset) = portail_db::datasets::find(&app.db, &id).await? else {
            continue;
        };
        if records::last_harvested(&dataset).is_some_and(|at| at >= cutoff) {
            continue;
        }
        if records::archive(app, &id, now).await? {
            job.counts.archived += 1;
            items.push(item(
                Some(remote_id),
                Some(id),
                ItemStatus::Archived,
                None,
                now,
            ));
        }
    }
    repo::insert_items(&app.db, &job.id, &items).await?;
    Ok(())
}

async fn finish(app: &App, mut job: HarvestJob, failed: bool) -> AppResult<HarvestJob> {
    job.status = if failed {
        JobStatus::Failed
    } else if job.counts.failed > 0 || !job.errors.is_empty() {
        JobStatus::DoneErrors
    } else {
        JobStatus::Done
    };
    job.ended_at = Some(app.clock.now());
    repo::update_job(&app.db, &job).await?;
    Ok(job)
}

/// One record of a preview.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewItem {
    pub remote_id: Option<String>,
    /// `created`, `updated`, `skipped` or `failed`.
    pub action: &'static str,
    pub title: Option<String>,
    /// The matched dataset, for an update.
    pub dataset_id: Option<String>,
    pub errors: Vec<String>,
}

/// What a run would do with the first records of a source; nothing is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// `done`, `done-errors` or `failed`.
    pub status: JobStatus,
    pub errors: Vec<String>,
    pub items: Vec<PreviewItem>,
}

/// Previews a stored source (its org admins and editors, its owner, sysadmins).
pub async fn preview(app: &App, actor: &Actor, id_or_slug: &str) -> AppResult<Preview> {
    let source = super::sources::get(app, id_or_slug).await?;
    if !can_preview_source(Some(actor), &source) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    Ok(dry_run(app, source).await)
}

/// Previews a source described by a payload, without creating it.
pub async fn preview_payload(
    app: &App,
    actor: &Actor,
    body: &Map<String, Value>,
) -> AppResult<Preview> {
    let input = SourceInput::parse(body, true)?;
    let publisher = match &input.organization {
        Some(org) => {
            let found = portail_db::organizations::find(&app.db, org)
                .await?
                .ok_or_else(|| {
                    AppError::field("organization", format!("Unknown organization \"{org}\"."))
                })?;
            portail_core::model::Publisher::Organization(found.id)
        }
        None => portail_core::model::Publisher::User(actor.user_id.clone()),
    };
    let source = HarvestSource {
        id: String::new(),
        name: input.name.unwrap_or_default(),
        slug: String::new(),
        description: input.description.unwrap_or_default(),
        url: input.url.unwrap_or_default(),
        backend: input.backend.unwrap_or_default(),
        config: input.config.unwrap_or_else(|| Value::Object(Map::new())),
        schedule: None,
        next_run_at: None,
        active: true,
        autoarchive: false,
        validation: Default::default(),
        publisher,
        created_at: app.clock.now(),
        deleted_at: None,
    };
    if !can_preview_source(Some(actor), &source) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    Ok(dry_run(app, source).await)
}

async fn dry_run(app: &App, source: HarvestSource) -> Preview {
    let mut preview = Preview {
        status: JobStatus::Done,
        errors: Vec::new(),
        items: Vec::new(),
    };
    let mut harvester = match harvester(app, &source, Some(PREVIEW_MAX_ITEMS)) {
        Ok(h) => h,
        Err(message) => {
            preview.errors.push(message);
            preview.status = JobStatus::Failed;
            return preview;
        }
    };
    let mut ctx = RunContext::new(source, app.clock.now());
    loop {
        let page = match harvester.next_page().await {
            Ok(Some(page)) => page,
            Ok(None) => break,
            Err(e) => {
                preview.errors.push(e.to_string());
                preview.status = JobStatus::Failed;
                return preview;
            }
        };
        for record in page {
            let entry = match record {
                RemoteRecord::Dataset(remote) => {
                    let outcome = records::apply(app, &mut ctx, &remote, true)
                        .await
                        .unwrap_or_else(|e| Outcome::Failed(e.to_string(), None));
                    let (action, dataset_id, errors) = match outcome {
                        Outcome::Created(_) => ("created", None, Vec::new()),
                        Outcome::Updated(id) => ("updated", Some(id), Vec::new()),
                        Outcome::Skipped(reason) => ("skipped", None, vec![reason]),
                        Outcome::Failed(message, id) => ("failed", id, vec![message]),
                    };
                    PreviewItem {
                        remote_id: Some(remote.remote_id.clone()),
                        action,
                        title: Some(remote.title.clone()),
                        dataset_id,
                        errors,
                    }
                }
                RemoteRecord::Skipped { remote_id, reason } => PreviewItem {
                    remote_id,
                    action: "skipped",
                    title: None,
                    dataset_id: None,
                    errors: vec![reason],
                },
                RemoteRecord::Failed(e) => PreviewItem {
                    remote_id: e.remote_id,
                    action: "failed",
                    title: None,
                    dataset_id: None,
                    errors: vec![e.message],
                },
            };
            preview.items.push(entry);
        }
    }
    if preview.items.iter().any(|i| i.action == "failed") {
        preview.status = JobStatus::DoneErrors;
    }
    preview
}

/// Deletes jobs older than the retention (365 days); returns how many.
pub async fn purge_jobs(app: &App) -> AppResult<u64> {
    let cutoff = app.clock.now() - chrono::Duration::days(JOBS_RETENTION_DAYS);
    Ok(repo::purge_jobs_before(&app.db, cutoff).await?)
}

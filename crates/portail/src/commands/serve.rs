//! `portail serve`: migrates the database, optionally loads the demo catalog, and serves the
//! portal until Ctrl-C or SIGTERM, purging deleted datasets and cleaning up abandoned uploads,
//! orphan files and old harvest jobs every hour, and running due harvest sources (checked every
//! 30 s).

use std::time::Duration;

use anyhow::{Context, bail};
use portail_app::{App, files};
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::cli::{GlobalOpts, ServeArgs};
use crate::config;
use crate::demo::{self, DemoOutcome};

/// Runs the web server.
pub async fn run(global: &GlobalOpts, args: &ServeArgs) -> anyhow::Result<()> {
    let public_url = args
        .public_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(check_public_url)
        .transpose()?;
    let storage = config::Storage::from_options(global);
    let uploads = config::upload_policy(&args.files);
    let files = config::file_storage(&storage, &args.files)?;
    info!(
        database = %storage.describe_database(),
        data_dir = %storage.data_dir.display(),
        files = files.describe(),
        listen = %args.listen,
        public_url = public_url.as_deref().unwrap_or("(from each request's Host)"),
        templates_dir = args
            .templates_dir
            .as_deref()
            .map_or("(embedded)".to_owned(), |d| d.display().to_string()),
        max_upload_size = uploads.max_size,
        chunk_retention_hours = args.files.chunk_retention_hours,
        demo = args.demo,
        "starting Portail"
    );
    let (storage, db) = config::open_migrated(global).await?;
    let search = config::open_search(&storage, global, portail_search::SERVE_WRITER_MEMORY)?;
    let mut app = App::new(db.clone()).with_storage(files).with_search(search);
    app.uploads = uploads;
    app.harvest = portail_app::harvest::HarvestSettings::from_env()
        .map_err(|e| anyhow::anyhow!("invalid harvest settings: {e}"))?;
    info!(
        harvest_max_items = ?app.harvest.max_items,
        harvest_archive_grace_days = app.harvest.archive_grace.num_days(),
        harvest_time_limit_secs = app.harvest.time_limit.as_secs(),
        outbound_allow = ?app.harvest.outbound.policy,
        "harvest settings"
    );
    if args.demo {
        match demo::load_if_empty(&app).await? {
            DemoOutcome::Loaded(report) => info!(
                datasets = report.datasets,
                organizations = report.organizations,
                users = report.users,
                "demo catalog loaded"
            ),
            DemoOutcome::NotEmpty(count) => {
                info!("the database already has {count} datasets; demo content not loaded");
            }
        }
    }
    let listener = bind(&args.listen).await?;
    let address = listener
        .local_addr()
        .context("cannot read the listening address")?;
    eprintln!("Portail listening on http://{address}");
    let maintenance = tokio::spawn(maintain(app.clone(), args.purge_grace_days));
    let checks = if args.checks.link_checks {
        let fetcher = args.checks.fetcher()?;
        let settings = portail_app::checks::CheckSettings {
            time_budget: Some(CHECKS_EVERY),
            ..args.checks.settings()
        };
        info!(
            every_hours = args.checks.check_every_hours,
            per_host = settings.per_host,
            delay_ms = args.checks.check_delay_ms,
            "link checks enabled"
        );
        Some(tokio::spawn(check_links(app.clone(), fetcher, settings)))
    } else {
        None
    };
    let settings = portail_web::Settings {
        public_url,
        templates_dir: args.templates_dir.clone(),
        strict_templates: false,
    };
    let scheduler = tokio::spawn(schedule_harvests(app.clone()));
    let served = portail_web::run(app, settings, listener, shutdown_signal()).await;
    maintenance.abort();
    scheduler.abort();
    if let Some(checks) = checks {
        checks.abort();
    }
    db.close().await;
    served.context("the web server stopped on an error")?;
    info!("Portail stopped");
    Ok(())
}

/// How often abandoned upload chunks and orphan files are removed.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(3600);

/// Purges datasets deleted more than `purge_grace_days` ago, removes abandoned upload chunks
/// and orphan files, at start and then every hour. Failures are logged and retried at the next
/// round.
async fn maintain(app: App, purge_grace_days: i64) {
    let mut rounds = tokio::time::interval(MAINTENANCE_EVERY);
    rounds.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        rounds.tick().await;
        let grace = chrono::Duration::days(purge_grace_days.max(0));
        match portail_app::datasets::purge_deleted(&app, grace).await {
            Ok(0) => {}
            Ok(n) => info!(datasets = n, "purged deleted datasets"),
            Err(e) => warn!(error = %e, "cannot purge deleted datasets"),
        }
        match files::purge_chunks(&app).await {
            Ok(0) => {}
            Ok(n) => info!(uploads = n, "purged the chunks of abandoned uploads"),
            Err(e) => warn!(error = %e, "cannot purge abandoned upload chunks"),
        }
        match files::purge_orphans(&app, files::ORPHAN_GRACE).await {
            Ok(0) => {}
            Ok(n) => info!(files = n, "removed orphan files"),
            Err(e) => warn!(error = %e, "cannot remove orphan files"),
        }
        match portail_app::sessions::purge_expired(&app).await {
            Ok(0) => {}
            Ok(n) => info!(sessions = n, "removed expired browser sessions"),
            Err(e) => warn!(error = %e, "cannot remove expired sessions"),
        }
        match portail_app::harvest::purge_jobs(&app).await {
            Ok(0) => {}
            Ok(n) => info!(jobs = n, "purged harvest jobs older than a year"),
            Err(e) => warn!(error = %e, "cannot purge old harvest jobs"),
        }
    }
}

/// How often the due queue of link checks is read: a new or changed remote resource is
/// checked within this delay (plus the queue ahead of it).
const CHECKS_EVERY: Duration = Duration::from_secs(30);

/// Checks due remote resources, in bounded passes, until the server stops.
async fn check_links(
    app: App,
    fetcher: portail_harvest::outbound::HttpFetcher,
    settings: portail_app::checks::CheckSettings,
) {
    let mut rounds = tokio::time::interval(CHECKS_EVERY);
    rounds.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        rounds.tick().await;
        match portail_app::checks::run_pass(&app, &fetcher, &settings, Some(2_000)).await {
            Ok(s) if s.checked == 0 => {}
            Ok(s) => info!(
                checked = s.checked,
                available = s.available,
                unavailable = s.unavailable,
                "checked remote resources"
            ),
            Err(e) => warn!(error = %e, "cannot check remote resources"),
        }
    }
}

/// How often the harvest scheduler looks for due sources.
const SCHEDULER_EVERY: Duration = Duration::from_secs(30);

/// Every 30 s (the first time at start), fails the harvest jobs left pending or running by a
/// stopped process (their heartbeat is older than 10 minutes), then claims the harvest
/// sources that are due (the claim is a compare-and-set on `next_run_at`, so several nodes
/// on one database never run the same occurrence twice; a source whose previous job has not
/// ended skips the occurrence) and runs each job in its own task.
async fn schedule_harvests(app: App) {
    let mut rounds = tokio::time::interval(SCHEDULER_EVERY);
    rounds.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        rounds.tick().await;
        match portail_app::harvest::fail_stale_jobs(&app).await {
            Ok(0) => {}
            Ok(n) => warn!(
                jobs = n,
                "failed harvest jobs interrupted by a stopped process"
            ),
            Err(e) => warn!(error = %e, "cannot look for interrupted harvest jobs"),
        }
        let claimed = match portail_app::harvest::claim_due(&app).await {
            Ok(claimed) => claimed,
            Err(e) => {
                warn!(error = %e, "cannot look for due harvest sources");
                continue;
            }
        };
        for (source, job) in claimed {
            let app = app.clone();
            info!(source = %source.slug, job = %job.id, "harvest started");
            tokio::spawn(async move {
                match portail_app::harvest::run_job(&app, &source, job, None).await {
                    Ok(job) => info!(
                        source = %source.slug,
                        status = job.status.as_str(),
                        created = job.counts.created,
                        updated = job.counts.updated,
                        failed = job.counts.failed,
                        archived = job.counts.archived,
                        "harvest ended"
                    ),
                    Err(e) => {
                        warn!(source = %source.slug, error = %e, "harvest could not be recorded")
                    }
                }
            });
        }
    }
}

async fn bind(listen: &str) -> anyhow::Result<TcpListener> {
    match TcpListener::bind(listen).await {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => bail!(
            "cannot listen on {listen}: the address is already in use (is another Portail running? \
             pick another address with --listen or PORTAIL_LISTEN, or port 0 for any free port)"
        ),
        Err(e) => {
            bail!("cannot listen on {listen}: {e} (expected an address such as 127.0.0.1:8080)")
        }
    }
}

/// The public URL without its trailing `/`, if it is an absolute http(s) URL.
fn check_public_url(raw: &str) -> anyhow::Result<String> {
    match reqwest::Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(raw.trim_end_matches('/').to_owned())
        }
        _ => bail!(
            "invalid public URL \"{raw}\": expected an absolute URL such as https://data.example.org"
        ),
    }
}

/// Resolves on Ctrl-C or SIGTERM (what `docker stop` and systemd send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // Without a handler, only SIGTERM (or killing the process) stops the server.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    info!("shutting down: finishing the requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls() {
        assert_eq!(
            check_public_url("https://data.example.org/").unwrap(),
            "https://data.example.org"
        );
        assert!(check_public_url("data.example.org").is_err());
        assert!(check_public_url("ftp://data.example.org").is_err());
    }
}

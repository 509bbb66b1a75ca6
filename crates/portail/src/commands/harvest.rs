//! `portail harvest create | list | preview | run | jobs`: harvest sources from the command
//! line. Commands act as the portal's operator (a sysadmin), so they need no API key; `run`
//! runs the job in this process, reporting progress on stderr and the outcome on stdout.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, bail};
use portail_app::App;
use portail_app::harvest::{self, HarvestSettings, Progress, SourceInput};
use portail_core::harvest::JobStatus;
use portail_core::permissions::Actor;
use portail_db::harvest::SourceQuery;
use serde_json::{Value, json};

use super::app_error;
use crate::cli::{GlobalOpts, HarvestCreateArgs, HarvestSourceArg};
use crate::config;

/// The operator running the command: a sysadmin acting as `user_id` (possibly no one).
fn operator(user_id: String) -> Actor {
    Actor {
        user_id,
        sysadmin: true,
        ..Actor::default()
    }
}

async fn open() -> anyhow::Result<HarvestSettings> {
    HarvestSettings::from_env().map_err(|e| anyhow::anyhow!("invalid harvest settings: {e}"))
}

async fn app(global: &GlobalOpts) -> anyhow::Result<App> {
    let settings = open().await?;
    let (_, db) = config::open_migrated(global).await?;
    let mut app = App::new(db);
    app.harvest = settings;
    Ok(app)
}

fn filters(pairs: &[String], kind: &str) -> anyhow::Result<Vec<Value>> {
    pairs
        .iter()
        .map(|pair| {
            let (key, value) = pair
                .split_once('=')
                .with_context(|| format!("--{kind} expects key=value, not \"{pair}\""))?;
            let mut filter = json!({"key": key.trim(), "value": value.trim()});
            if kind == "exclude" {
                filter["type"] = json!("exclude");
            }
            Ok(filter)
        })
        .collect()
}

/// Creates a source and prints its id on stdout.
pub async fn create(global: &GlobalOpts, args: &HarvestCreateArgs) -> anyhow::Result<()> {
    let app = app(global).await?;
    let mut actor = operator(String::new());
    let mut input = SourceInput {
        name: Some(args.name.clone()),
        url: Some(args.url.clone()),
        backend: Some(args.backend.clone()),
        organization: args.organization.clone(),
        ..SourceInput::default()
    };
    if let Some(email) = &args.owner {
        let (user, _) = portail_db::users::find_by_email(&app.db, email)
            .await?
            .with_context(|| format!("no user with the e-mail {email}"))?;
        actor.user_id = user.id.clone();
        input.owner = Some(user.id);
    } else if args.organization.is_none() {
        bail!("give the publisher of the harvested datasets: --organization ORG or --owner EMAIL");
    }
    let mut all = filters(&args.filter, "filter")?;
    all.extend(filters(&args.exclude, "exclude")?);
    if !all.is_empty() {
        input.config = Some(json!({"filters": all}));
    }
    // The same checks as the API (URL, backend, filters).
    let body = json!({"name": input.name, "url": input.url, "backend": input.backend});
    if let Some(map) = body.as_object() {
        SourceInput::parse(map, true).map_err(|e| app_error("cannot create the source", e))?;
    }
    let mut source = harvest::create(&app, &actor, input)
        .await
        .map_err(|e| app_error("cannot create the source", e))?;
    if args.validate {
        source = harvest::validate(&app, &actor, &source.id, "accepted", None)
            .await
            .map_err(|e| app_error("cannot validate the source", e))?;
    }
    eprintln!(
        "source {} created ({}, {}){}",
        source.slug,
        source.backend,
        source.validation.state.as_str(),
        source
            .schedule
            .as_deref()
            .map(|s| format!(", scheduled \"{s}\""))
            .unwrap_or_default()
    );
    println!("{}", source.id);
    app.db.close().await;
    Ok(())
}

/// Lists sources: id, slug, backend, validation, schedule, URL (tab-separated).
pub async fn list(global: &GlobalOpts) -> anyhow::Result<()> {
    let app = app(global).await?;
    let mut page = 1;
    loop {
        let query = SourceQuery {
            page,
            page_size: 100,
            ..SourceQuery::default()
        };
        let (sources, total) = harvest::list(&app, &query)
            .await
            .map_err(|e| app_error("cannot list the sources", e))?;
        for s in &sources {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                s.id,
                s.slug,
                s.backend,
                s.validation.state.as_str(),
                s.schedule.as_deref().unwrap_or("-"),
                s.url
            );
        }
        if page * 100 >= total {
            break;
        }
        page += 1;
    }
    app.db.close().await;
    Ok(())
}

/// Prints what a run would do with the first records: action, remote id, title, errors.
pub async fn preview(global: &GlobalOpts, args: &HarvestSourceArg) -> anyhow::Result<()> {
    let app = app(global).await?;
    let preview = harvest::preview(&app, &operator(String::new()), &args.source)
        .await
        .map_err(|e| app_error("cannot preview the source", e))?;
    for item in &preview.items {
        println!(
            "{}\t{}\t{}{}",
            item.action,
            item.remote_id.as_deref().unwrap_or("-"),
            item.title.as_deref().unwrap_or(""),
            if item.errors.is_empty() {
                String::new()
            } else {
                format!("\t{}", item.errors.join("; "))
            }
        );
    }
    for error in &preview.errors {
        eprintln!("error: {error}");
    }
    eprintln!("preview {}: nothing was saved", preview.status.as_str());
    app.db.close().await;
    if preview.status == JobStatus::Failed {
        bail!("the preview failed");
    }
    Ok(())
}

fn progress_line(p: &Progress) -> String {
    let secs = p.elapsed.as_secs_f64().max(0.001);
    let total = p.total_hint.map(|t| format!("/{t}")).unwrap_or_default();
    format!(
        "page {} · {}{total} done · {} failed · {} skipped · {:.0} datasets/s",
        p.pages,
        p.done,
        p.failed,
        p.skipped,
        (p.done + p.failed) as f64 / secs
    )
}

/// Runs a source now (validated or not) and prints the job's outcome.
pub async fn run(global: &GlobalOpts, args: &HarvestSourceArg) -> anyhow::Result<()> {
    let app = app(global).await?;
    let source = harvest::get(&app, &args.source)
        .await
        .map_err(|e| app_error("cannot run the source", e))?;
    // A job left running by a stopped process would otherwise refuse this run.
    harvest::fail_stale_jobs(&app)
        .await
        .map_err(|e| app_error("cannot look for interrupted harvest jobs", e))?;
    let job = harvest::queue_job(&app, &source)
        .await
        .map_err(|e| app_error("cannot run the source", e))?;
    let started = Instant::now();
    let report = |p: &Progress| {
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r{}\x1b[K", progress_line(p));
        let _ = stderr.flush();
    };
    let job = harvest::run_job(&app, &source, job, Some(&report))
        .await
        .map_err(|e| app_error("the harvest could not be recorded", e))?;
    eprintln!();
    let c = job.counts;
    println!(
        "job {} {}: {} created, {} updated, {} failed, {} skipped, {} archived in {:.1} s",
        job.id,
        job.status.as_str(),
        c.created,
        c.updated,
        c.failed,
        c.skipped,
        c.archived,
        started.elapsed().as_secs_f64()
    );
    for error in &job.errors {
        eprintln!("error: {}", error.message);
    }
    app.db.close().await;
    if job.status == JobStatus::Failed {
        bail!("the harvest failed");
    }
    Ok(())
}

/// Lists a source's jobs: id, status, created, counts (tab-separated).
pub async fn jobs(global: &GlobalOpts, args: &HarvestSourceArg) -> anyhow::Result<()> {
    let app = app(global).await?;
    let (_, jobs, _) = harvest::jobs(&app, &args.source, 1, 100)
        .await
        .map_err(|e| app_error("cannot list the jobs", e))?;
    for job in &jobs {
        let c = job.counts;
        println!(
            "{}\t{}\t{}\tcreated={} updated={} failed={} skipped={} archived={}",
            job.id,
            job.status.as_str(),
            job.created_at.to_rfc3339(),
            c.created,
            c.updated,
            c.failed,
            c.skipped,
            c.archived
        );
    }
    app.db.close().await;
    Ok(())
}

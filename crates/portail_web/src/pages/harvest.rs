//! Harvesting pages: `/harvest/` (the sources a user works on), `/harvest/new`, a source's
//! page (validation, run, schedule, delete, its jobs), its preview and a job's page. The
//! rules (who may see, run, validate; one run at a time) are `portail_app::harvest`'s, the
//! same as the API's.

use std::collections::HashMap;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use portail_app::AppError;
use portail_app::harvest as usecase;
use portail_core::harvest::{HarvestJob, HarvestSource, ValidationState};
use portail_core::model::Publisher;
use serde_json::{Value as Json, json};

use crate::api::harvest::{spawn_job, start_first_run};
use crate::extract::Params;
use crate::pages::context::{PageCtx, PageForm, field_errors};
use crate::pages::errors::PageResult;
use crate::pages::i18n::{Lang, tr};

pub mod form;

pub use form::{create_harvest_source_page, new_harvest_source_page};

/// Sources per page of `/harvest/`.
const PAGE_SIZE: i64 = 50;
/// Jobs listed on a source's page.
const JOBS_SHOWN: i64 = 20;

fn when(at: Option<DateTime<Utc>>) -> Json {
    at.map_or(Json::Null, |at| {
        json!(at.format("%Y-%m-%d %H:%M UTC").to_string())
    })
}

fn label(lang: Lang, prefix: &str, value: &str) -> String {
    let text = tr(lang, &format!("{prefix}{}", value.replace('-', "_")));
    if text.is_empty() {
        value.to_owned()
    } else {
        text.to_owned()
    }
}

fn backend_label(id: &str) -> String {
    usecase::backends()
        .into_iter()
        .find(|b| b.id == id)
        .map_or_else(|| id.to_owned(), |b| b.label.to_owned())
}

fn job_view(lang: Lang, job: &HarvestJob) -> Json {
    json!({
        "id": job.id,
        "status": job.status.as_str(),
        "status_label": label(lang, "harvest_status_", job.status.as_str()),
        "created": when(Some(job.created_at)),
        "started": when(job.started_at),
        "ended": when(job.ended_at),
        "counts": job.counts,
        "errors": job.errors.iter().map(|e| json!({"at": when(Some(e.created_at)), "message": e.message})).collect::<Vec<_>>(),
    })
}

/// Names of the publishers of `sources`, by id.
async fn publisher_names(
    ctx: &PageCtx,
    sources: &[&HarvestSource],
) -> PageResult<HashMap<String, (String, String)>> {
    let mut orgs = Vec::new();
    let mut users = Vec::new();
    for s in sources {
        match &s.publisher {
            Publisher::Organization(id) => orgs.push(id.clone()),
            Publisher::User(id) => users.push(id.clone()),
        }
    }
    let mut names = HashMap::new();
    for o in portail_db::organizations::find_many(&ctx.state.app.db, &orgs).await? {
        names.insert(o.id, (o.name, format!("/organizations/{}/", o.slug)));
    }
    for u in portail_db::users::find_many(&ctx.state.app.db, &users).await? {
        let name = format!("{} {}", u.first_name, u.last_name)
            .trim()
            .to_owned();
        names.insert(u.id, (name, format!("/users/{}/", u.slug)));
    }
    Ok(names)
}

fn source_view(
    lang: Lang,
    source: &HarvestSource,
    names: &HashMap<String, (String, String)>,
) -> Json {
    let publisher_id = match &source.publisher {
        Publisher::Organization(id) | Publisher::User(id) => id,
    };
    let (publisher, publisher_url) = names
        .get(publisher_id)
        .cloned()
        .unwrap_or_else(|| (publisher_id.clone(), String::new()));
    let state = source.validation.state.as_str();
    json!({
        "id": source.id,
        "slug": source.slug,
        "name": source.name,
        "url": source.url,
        "description": source.description,
        "backend": source.backend,
        "backend_label": backend_label(&source.backend),
        "schedule": source.schedule,
        "next_run": when(source.next_run_at),
        "active": source.active,
        "autoarchive": source.autoarchive,
        "validation": {
            "state": state,
            "label": label(lang, "harvest_validation_", state),
            "comment": source.validation.comment,
            "on": when(source.validation.on),
        },
        "publisher": publisher,
        "publisher_url": publisher_url,
        "created": when(Some(source.created_at)),
    })
}

/// `GET /harvest/`: the sources the user works on (`?organization=` keeps one organization's).
pub async fn list_harvest_sources_page(ctx: PageCtx, params: Params) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let page = params
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let (sources, total, org) = usecase::visible_sources(
        &ctx.state.app,
        &me.actor,
        params.get("organization").filter(|o| !o.is_empty()),
        page,
        PAGE_SIZE,
    )
    .await
    .map_err(|e| ctx.fail(e))?;
    let names = publisher_names(&ctx, &sources.iter().collect::<Vec<_>>()).await?;
    let mut rows = Vec::with_capacity(sources.len());
    for source in &sources {
        let mut view = source_view(ctx.lang, source, &names);
        let last = usecase::last_job(&ctx.state.app, &source.id)
            .await
            .map_err(|e| ctx.fail(e))?;
        view["last_job"] = last.map_or(Json::Null, |j| job_view(ctx.lang, &j));
        rows.push(view);
    }
    let base = match &org {
        Some(o) => format!("/harvest/?organization={}&", o.slug),
        None => "/harvest/?".to_owned(),
    };
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    ctx.render(
        "harvest_sources.html",
        json!({
            "sources": rows, "total": total,
            "organization": org.map(|o| json!({"name": o.name, "slug": o.slug})),
            "prev": (page > 1).then(|| format!("{base}page={}", page - 1)),
            "next": (page < pages).then(|| format!("{base}page={}", page + 1)),
        }),
    )
}

/// A live source the user may at least preview (404 unknown, 410 deleted, 403 otherwise).
async fn source_for(ctx: &PageCtx, id: &str) -> PageResult<HarvestSource> {
    let me = ctx.require_user()?;
    let source = usecase::get(&ctx.state.app, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    if !usecase::can_preview_source(Some(&me.actor), &source) {
        return Err(ctx.fail(AppError::Forbidden(
            portail_app::errors::PERMISSION_DENIED.into(),
        )));
    }
    Ok(source)
}

/// What a source page shows besides the source: a notice, what was typed in its forms.
#[derive(Default)]
struct SourceForms {
    notice: Option<(&'static str, String)>,
    schedule: Option<String>,
    errors: Json,
}

async fn render_source(
    ctx: &PageCtx,
    id: &str,
    status: StatusCode,
    forms: SourceForms,
) -> PageResult<Response> {
    let source = source_for(ctx, id).await?;
    let me = ctx.require_user()?;
    let names = publisher_names(ctx, &[&source]).await?;
    let (jobs, jobs_total) =
        portail_db::harvest::jobs_of_source(&ctx.state.app.db, &source.id, 1, JOBS_SHOWN).await?;
    let running = jobs.iter().any(|j| !j.status.is_finished());
    let notice = forms
        .notice
        .map(|(kind, message)| json!({"kind": kind, "message": message}));
    let schedule = forms
        .schedule
        .unwrap_or_else(|| source.schedule.clone().unwrap_or_default());
    ctx.render_status(
        status,
        "harvest_source.html",
        json!({
            "source": source_view(ctx.lang, &source, &names),
            "jobs": jobs.iter().map(|j| job_view(ctx.lang, j)).collect::<Vec<_>>(),
            "jobs_total": jobs_total,
            "running": running,
            "can_admin": usecase::can_admin_source(Some(&me.actor), &source),
            "sysadmin": me.actor.sysadmin,
            "accepted": source.validation.state == ValidationState::Accepted,
            "notice": notice,
            "schedule_value": schedule,
            "errors": if forms.errors.is_null() { json!({}) } else { forms.errors },
        }),
    )
}

/// `GET /harvest/{source}/`.
pub async fn get_harvest_source_page(
    ctx: PageCtx,
    Path(id): Path<String>,
    params: Params,
) -> PageResult<Response> {
    let notice = match params.get("done") {
        Some("validated") => Some(("ok", tr(ctx.lang, "harvest_validated").to_owned())),
        Some("scheduled") => Some(("ok", tr(ctx.lang, "harvest_schedule_saved").to_owned())),
        _ => None,
    };
    render_source(
        &ctx,
        &id,
        StatusCode::OK,
        SourceForms {
            notice,
            ..SourceForms::default()
        },
    )
    .await
}

/// `POST /harvest/{source}/run`: queues a run and shows its job; refused with a notice while
/// another run of the source is pending or running (409), or before validation (400).
pub async fn run_harvest_source_page(
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    match usecase::start_job(&ctx.state.app, &me.actor, &id).await {
        Ok((source, job)) => {
            let to = format!("/harvest/jobs/{}/", job.id);
            spawn_job(&ctx.state, source, job);
            Ok(ctx.redirect(&to))
        }
        Err(e @ (AppError::Conflict(_) | AppError::BadRequest(_))) => {
            let status = if matches!(e, AppError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::BAD_REQUEST
            };
            let message = match &e {
                AppError::Conflict(_) => tr(ctx.lang, "harvest_already_running").to_owned(),
                _ => tr(ctx.lang, "harvest_not_validated").to_owned(),
            };
            render_source(
                &ctx,
                &id,
                status,
                SourceForms {
                    notice: Some(("error", message)),
                    ..SourceForms::default()
                },
            )
            .await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /harvest/{source}/validate` (sysadmins): `state` accepted or refused, `comment`
/// (required to refuse). Accepting starts a first run, as the API does.
pub async fn validate_harvest_source_page(
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let comment = form.get("comment").map(str::to_owned);
    let state = form.get("state").unwrap_or("");
    match usecase::validate(&ctx.state.app, &me.actor, &id, state, comment).await {
        Ok(source) => {
            if source.validation.state == ValidationState::Accepted {
                start_first_run(&ctx.state, &source)
                    .await
                    .map_err(|e| ctx.fail(e.0))?;
            }
            Ok(ctx.redirect(&format!("/harvest/{}/?done=validated", source.id)))
        }
        Err(e) => match field_errors(&e) {
            Some(errors) => {
                render_source(
                    &ctx,
                    &id,
                    StatusCode::BAD_REQUEST,
                    SourceForms {
                        errors,
                        ..SourceForms::default()
                    },
                )
                .await
            }
            None => Err(ctx.fail(e)),
        },
    }
}

/// `POST /harvest/{source}/schedule` (sysadmins): a cron expression, or empty to run only by
/// hand.
pub async fn schedule_harvest_source_page(
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let cron = form.get("schedule").unwrap_or("").trim().to_owned();
    let result = if cron.is_empty() {
        usecase::unschedule(&ctx.state.app, &me.actor, &id).await
    } else {
        usecase::set_schedule(&ctx.state.app, &me.actor, &id, &cron).await
    };
    match result {
        Ok(source) => Ok(ctx.redirect(&format!("/harvest/{}/?done=scheduled", source.id))),
        Err(AppError::BadRequest(message)) => {
            render_source(
                &ctx,
                &id,
                StatusCode::BAD_REQUEST,
                SourceForms {
                    schedule: Some(cron),
                    errors: json!({"schedule": message}),
                    ..SourceForms::default()
                },
            )
            .await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `GET /harvest/{source}/delete`: the confirmation.
pub async fn confirm_delete_harvest_source_page(
    ctx: PageCtx,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let source = source_for(&ctx, &id).await?;
    let me = ctx.require_user()?;
    if !usecase::can_admin_source(Some(&me.actor), &source) {
        return Err(ctx.fail(AppError::Forbidden(
            portail_app::errors::PERMISSION_DENIED.into(),
        )));
    }
    ctx.render(
        "harvest_delete.html",
        json!({"source": {"id": source.id, "name": source.name}}),
    )
}

/// `POST /harvest/{source}/delete`: deletes the source; its datasets stay.
pub async fn delete_harvest_source_page(
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    usecase::delete(&ctx.state.app, &me.actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.redirect("/harvest/"))
}

/// `GET /harvest/{source}/preview`: a dry run of the first 20 records, nothing saved.
pub async fn preview_harvest_source_page(
    ctx: PageCtx,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let source = source_for(&ctx, &id).await?;
    let me = ctx.require_user()?;
    let preview = usecase::preview(&ctx.state.app, &me.actor, &source.id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let items: Vec<Json> = preview
        .items
        .iter()
        .map(|i| {
            json!({"remote_id": i.remote_id, "title": i.title, "action": i.action,
                   "action_label": label(ctx.lang, "harvest_action_", i.action),
                   "dataset": i.dataset_id, "errors": i.errors})
        })
        .collect();
    ctx.render(
        "harvest_preview.html",
        json!({
            "source": {"id": source.id, "name": source.name},
            "status": preview.status.as_str(),
            "status_label": label(ctx.lang, "harvest_status_", preview.status.as_str()),
            "errors": preview.errors,
            "items": items,
            "max": usecase::PREVIEW_MAX_ITEMS,
        }),
    )
}

/// `GET /harvest/jobs/{job}/`: a job, its counts and errors, and every item.
pub async fn get_harvest_job_page(ctx: PageCtx, Path(id): Path<String>) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let view = usecase::get_job(&ctx.state.app, &id, None)
        .await
        .map_err(|e| ctx.fail(e))?;
    // The job of a deleted source stays readable by those who could read the source.
    let source = portail_db::harvest::find_source(&ctx.state.app.db, &view.job.source_id)
        .await?
        .ok_or_else(|| ctx.fail(AppError::NotFound("Harvest job not found".into())))?;
    if !usecase::can_preview_source(Some(&me.actor), &source) {
        return Err(ctx.fail(AppError::Forbidden(
            portail_app::errors::PERMISSION_DENIED.into(),
        )));
    }
    let ids: Vec<String> = view
        .items
        .iter()
        .filter_map(|i| i.dataset_id.clone())
        .collect();
    let datasets: HashMap<String, (String, String)> =
        portail_db::datasets::find_many(&ctx.state.app.db, &ids)
            .await?
            .into_iter()
            .map(|d| (d.id, (d.title, d.slug)))
            .collect();
    let items: Vec<Json> = view
        .items
        .iter()
        .map(|i| {
            let dataset = i.dataset_id.as_ref().map(|id| match datasets.get(id) {
                Some((title, slug)) => json!({"title": title, "slug": slug}),
                None => json!({"title": id, "slug": Json::Null}),
            });
            json!({
                "remote_id": i.remote_id,
                "status": i.status.as_str(),
                "status_label": label(ctx.lang, "harvest_item_", i.status.as_str()),
                "dataset": dataset,
                "errors": i.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let by_status: Vec<Json> = view
        .by_status
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| json!({"label": label(ctx.lang, "harvest_item_", s.as_str()), "count": n}))
        .collect();
    ctx.render(
        "harvest_job.html",
        json!({
            "job": job_view(ctx.lang, &view.job),
            "running": !view.job.status.is_finished(),
            "source": {"id": source.id, "name": source.name},
            "items": items,
            "items_total": view.items_total,
            "by_status": by_status,
        }),
    )
}

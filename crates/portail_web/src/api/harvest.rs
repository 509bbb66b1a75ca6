//! `/api/1/harvest/`: sources, their validation, schedule, runs, previews and jobs, and the
//! backends. Runs are started in the background: `POST .../run/` answers 202 with the pending
//! job, to be followed at `GET /api/1/harvest/job/{job}/`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portail_app::harvest::{self as usecase, JobView, Preview, SourceInput};
use portail_core::harvest::{
    HarvestErrorEntry, HarvestItem, HarvestJob, HarvestSource, ItemStatus,
};
use portail_db::harvest::SourceQuery;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::errors::{ApiError, ApiResult};
use crate::extract::{Auth, BaseUrl, JsonObject, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;

/// The review of a source.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiValidation {
    /// `pending`, `accepted` or `refused`.
    pub state: String,
    /// User id of the sysadmin who decided.
    pub by: Option<String>,
    pub on: Option<chrono::DateTime<chrono::Utc>>,
    pub comment: Option<String>,
}

/// A harvest source as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiHarvestSource {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub url: String,
    pub backend: String,
    /// `{filters, features, extra_configs}` as udata.
    #[schema(value_type = Object)]
    pub config: Value,
    /// Cron expression, `null` when only run by hand.
    pub schedule: Option<String>,
    pub next_run_at: Option<chrono::DateTime<chrono::Utc>>,
    pub active: bool,
    pub autoarchive: bool,
    pub validation: ApiValidation,
    /// Id of the owning user, when not an organization's.
    pub owner: Option<String>,
    /// Id of the owning organization.
    pub organization: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub deleted: Option<chrono::DateTime<chrono::Utc>>,
    pub uri: String,
}

impl ApiHarvestSource {
    fn new(s: &HarvestSource, base: &str) -> ApiHarvestSource {
        ApiHarvestSource {
            id: s.id.clone(),
            name: s.name.clone(),
            slug: s.slug.clone(),
            description: s.description.clone(),
            url: s.url.clone(),
            backend: s.backend.clone(),
            config: s.config.clone(),
            schedule: s.schedule.clone(),
            next_run_at: s.next_run_at,
            active: s.active,
            autoarchive: s.autoarchive,
            validation: ApiValidation {
                state: s.validation.state.as_str().to_owned(),
                by: s.validation.by.clone(),
                on: s.validation.on,
                comment: s.validation.comment.clone(),
            },
            owner: s.publisher.owner_id().map(str::to_owned),
            organization: s.publisher.organization_id().map(str::to_owned),
            created_at: s.created_at,
            deleted: s.deleted_at,
            uri: format!("{base}/api/1/harvest/source/{}/", s.id),
        }
    }
}

/// A dated error of a job or an item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiHarvestError {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub message: String,
}

fn errors(list: &[HarvestErrorEntry]) -> Vec<ApiHarvestError> {
    list.iter()
        .map(|e| ApiHarvestError {
            created_at: e.created_at,
            message: e.message.clone(),
        })
        .collect()
}

/// One record of a job.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiHarvestItem {
    pub remote_id: Option<String>,
    /// The dataset id the record became (or was matched to).
    pub dataset: Option<String>,
    /// `pending`, `started`, `done`, `failed`, `skipped` or `archived`.
    pub status: String,
    pub errors: Vec<ApiHarvestError>,
    pub created: chrono::DateTime<chrono::Utc>,
    pub ended: Option<chrono::DateTime<chrono::Utc>>,
}

impl ApiHarvestItem {
    fn new(i: &HarvestItem) -> ApiHarvestItem {
        ApiHarvestItem {
            remote_id: i.remote_id.clone(),
            dataset: i.dataset_id.clone(),
            status: i.status.as_str().to_owned(),
            errors: errors(&i.errors),
            created: i.created_at,
            ended: i.ended_at,
        }
    }
}

/// A job; `items` and `by_status` only when read alone.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiHarvestJob {
    pub id: String,
    pub source: String,
    /// `pending`, `initializing`, `processing`, `done`, `done-errors` or `failed`.
    pub status: String,
    pub created: chrono::DateTime<chrono::Utc>,
    pub started: Option<chrono::DateTime<chrono::Utc>>,
    pub ended: Option<chrono::DateTime<chrono::Utc>>,
    pub errors: Vec<ApiHarvestError>,
    /// Items created, updated, failed, skipped and archived.
    #[schema(value_type = Object)]
    pub counts: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ApiHarvestItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items_total: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub by_status: Option<Value>,
}

impl ApiHarvestJob {
    fn new(j: &HarvestJob) -> ApiHarvestJob {
        ApiHarvestJob {
            id: j.id.clone(),
            source: j.source_id.clone(),
            status: j.status.as_str().to_owned(),
            created: j.created_at,
            started: j.started_at,
            ended: j.ended_at,
            errors: errors(&j.errors),
            counts: serde_json::to_value(j.counts).unwrap_or(Value::Null),
            items: None,
            items_total: None,
            by_status: None,
        }
    }

    fn full(view: &JobView) -> ApiHarvestJob {
        let mut job = ApiHarvestJob::new(&view.job);
        job.items = Some(view.items.iter().map(ApiHarvestItem::new).collect());
        job.items_total = Some(view.items_total);
        job.by_status = Some(Value::Object(
            view.by_status
                .iter()
                .map(|(s, n)| (s.as_str().to_owned(), Value::from(*n)))
                .collect(),
        ));
        job
    }
}

/// One record of a preview.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPreviewItem {
    pub remote_id: Option<String>,
    /// `created`, `updated`, `skipped` or `failed`: what a run would do.
    pub action: String,
    pub title: Option<String>,
    /// The dataset a run would update.
    pub dataset: Option<String>,
    pub errors: Vec<String>,
}

/// What a run would do with the first 20 records; nothing is saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPreview {
    /// `done`, `done-errors` or `failed`.
    pub status: String,
    pub errors: Vec<String>,
    pub items: Vec<ApiPreviewItem>,
}

impl ApiPreview {
    fn new(p: Preview) -> ApiPreview {
        ApiPreview {
            status: p.status.as_str().to_owned(),
            errors: p.errors,
            items: p
                .items
                .into_iter()
                .map(|i| ApiPreviewItem {
                    remote_id: i.remote_id,
                    action: i.action.to_owned(),
                    title: i.title,
                    dataset: i.dataset_id,
                    errors: i.errors,
                })
                .collect(),
        }
    }
}

/// Runs a job in the background; its outcome is stored with the job.
pub(crate) fn spawn_job(state: &AppState, source: HarvestSource, job: HarvestJob) {
    let app = state.app.clone();
    tokio::spawn(async move {
        if let Err(e) = usecase::run_job(&app, &source, job, None).await {
            tracing::error!(source = %source.id, error = %e, "harvest job could not be recorded");
        }
    });
}

/// The first run of a source just accepted, unless one is already pending or running.
pub(crate) async fn start_first_run(state: &AppState, source: &HarvestSource) -> ApiResult<()> {
    match usecase::queue_job(&state.app, source).await {
        Ok(job) => {
            spawn_job(state, source.clone(), job);
            Ok(())
        }
        Err(portail_app::AppError::Conflict(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// List harvest sources.
#[utoipa::path(
    get, path = "/api/1/harvest/sources/", tag = "harvest", operation_id = "list_harvest_sources",
    params(("q" = Option<String>, Query, description = "Words in the name or URL"),
        ("owner" = Option<String>, Query, description = "User id"),
        ("organization" = Option<String>, Query, description = "Organization id"),
        ("deleted" = Option<bool>, Query, description = "Deleted sources instead of live ones"),
        ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query)),
    responses((status = 200, body = Page<ApiHarvestSource>), (status = 400))
)]
pub async fn list_harvest_sources(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    params: Params,
) -> ApiResult<Json<Page<ApiHarvestSource>>> {
    let page = PageRequest::from_params(&params, 20)?;
    let query = SourceQuery {
        q: params.get("q").map(str::to_owned),
        owner_id: params.get("owner").map(str::to_owned),
        organization_id: params.get("organization").map(str::to_owned),
        deleted: params.bool("deleted")?.unwrap_or(false),
        page: page.page,
        page_size: page.page_size,
        ..SourceQuery::default()
    };
    let (sources, total) = usecase::list(&state.app, &query).await?;
    let data = sources
        .iter()
        .map(|s| ApiHarvestSource::new(s, &base))
        .collect();
    Ok(Json(Page::new(
        data,
        page,
        total,
        &format!("{base}/api/1/harvest/sources/"),
        &params,
    )))
}

/// Create a harvest source; it waits for a sysadmin's validation before it runs.
#[utoipa::path(
    post, path = "/api/1/harvest/sources/", tag = "harvest", operation_id = "create_harvest_source",
    request_body(content = Object, description = "name*, url*, backend*, description, config {filters, features, extra_configs}, active, autoarchive, organization | owner"),
    responses((status = 201, body = ApiHarvestSource), (status = 400), (status = 401), (status = 403)),
    security(("apikey" = []))
)]
pub async fn create_harvest_source(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<ApiHarvestSource>)> {
    let input = SourceInput::parse(&body, true)?;
    let source = usecase::create(&state.app, &auth.actor, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ApiHarvestSource::new(&source, &base)),
    ))
}

/// Read a harvest source by id or slug.
#[utoipa::path(
    get, path = "/api/1/harvest/source/{source}/", tag = "harvest", operation_id = "get_harvest_source",
    params(("source" = String, Path, description = "Id or slug")),
    responses((status = 200, body = ApiHarvestSource), (status = 404), (status = 410))
)]
pub async fn get_harvest_source(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(source): Path<String>,
) -> ApiResult<Json<ApiHarvestSource>> {
    let source = usecase::get(&state.app, &source).await?;
    Ok(Json(ApiHarvestSource::new(&source, &base)))
}

/// Update a harvest source (its owner, its organization's admins, sysadmins).
#[utoipa::path(
    put, path = "/api/1/harvest/source/{source}/", tag = "harvest", operation_id = "update_harvest_source",
    params(("source" = String, Path)), request_body(content = Object, description = "Fields to change"),
    responses((status = 200, body = ApiHarvestSource), (status = 400), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn update_harvest_source(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(source): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<ApiHarvestSource>> {
    let input = SourceInput::parse(&body, false)?;
    let source = usecase::update(&state.app, &auth.actor, &source, input).await?;
    Ok(Json(ApiHarvestSource::new(&source, &base)))
}

/// Delete a harvest source; its datasets stay.
#[utoipa::path(
    delete, path = "/api/1/harvest/source/{source}/", tag = "harvest", operation_id = "delete_harvest_source",
    params(("source" = String, Path)),
    responses((status = 204), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn delete_harvest_source(
    State(state): State<AppState>,
    auth: Auth,
    Path(source): Path<String>,
) -> ApiResult<StatusCode> {
    usecase::delete(&state.app, &auth.actor, &source).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Run a validated source now, in the background: 202 with the pending job, 409 while one runs.
#[utoipa::path(
    post, path = "/api/1/harvest/source/{source}/run/", tag = "harvest", operation_id = "run_harvest_source",
    params(("source" = String, Path)),
    responses((status = 202, body = ApiHarvestJob), (status = 400, description = "Not validated"), (status = 401), (status = 403), (status = 404), (status = 409, description = "A job of this source is already pending or running")),
    security(("apikey" = []))
)]
pub async fn run_harvest_source(
    State(state): State<AppState>,
    auth: Auth,
    Path(source): Path<String>,
) -> ApiResult<(StatusCode, Json<ApiHarvestJob>)> {
    let (source, job) = usecase::start_job(&state.app, &auth.actor, &source).await?;
    let view = ApiHarvestJob::new(&job);
    spawn_job(&state, source, job);
    Ok((StatusCode::ACCEPTED, Json(view)))
}

/// Preview a source: what a run would do with its first 20 records; nothing is saved.
#[utoipa::path(
    get, path = "/api/1/harvest/source/{source}/preview/", tag = "harvest", operation_id = "preview_harvest_source",
    params(("source" = String, Path)),
    responses((status = 200, body = ApiPreview), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn preview_harvest_source(
    State(state): State<AppState>,
    auth: Auth,
    Path(source): Path<String>,
) -> ApiResult<Json<ApiPreview>> {
    let preview = usecase::preview(&state.app, &auth.actor, &source).await?;
    Ok(Json(ApiPreview::new(preview)))
}

/// Preview a source described by a payload, without creating it.
#[utoipa::path(
    post, path = "/api/1/harvest/source/preview/", tag = "harvest", operation_id = "preview_harvest_payload",
    request_body(content = Object, description = "A source, as for creation"),
    responses((status = 200, body = ApiPreview), (status = 400), (status = 401), (status = 403)),
    security(("apikey" = []))
)]
pub async fn preview_harvest_payload(
    State(state): State<AppState>,
    auth: Auth,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<ApiPreview>> {
    let preview = usecase::preview_payload(&state.app, &auth.actor, &body).await?;
    Ok(Json(ApiPreview::new(preview)))
}

/// The cron expression of a schedule body: a JSON string, `{"cron": ...}` or plain text.
fn cron_of(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::String(s)) => s,
        Ok(Value::Object(o)) => o
            .get("cron")
            .or_else(|| o.get("schedule"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => body.trim().to_owned(),
    }
}

/// Schedule a source with a cron expression (sysadmins).
#[utoipa::path(
    post, path = "/api/1/harvest/source/{source}/schedule/", tag = "harvest", operation_id = "schedule_harvest_source",
    params(("source" = String, Path)),
    request_body(content = String, description = "A 5-field cron expression, as a JSON string or plain text: \"0 0 * * *\""),
    responses((status = 200, body = ApiHarvestSource), (status = 400, description = "Invalid cron expression"), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn schedule_harvest_source(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(source): Path<String>,
    body: String,
) -> ApiResult<Json<ApiHarvestSource>> {
    let source = usecase::set_schedule(&state.app, &auth.actor, &source, &cron_of(&body)).await?;
    Ok(Json(ApiHarvestSource::new(&source, &base)))
}

/// Remove a source's schedule (sysadmins).
#[utoipa::path(
    delete, path = "/api/1/harvest/source/{source}/schedule/", tag = "harvest", operation_id = "unschedule_harvest_source",
    params(("source" = String, Path)),
    responses((status = 200, body = ApiHarvestSource), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn unschedule_harvest_source(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(source): Path<String>,
) -> ApiResult<Json<ApiHarvestSource>> {
    let source = usecase::unschedule(&state.app, &auth.actor, &source).await?;
    Ok(Json(ApiHarvestSource::new(&source, &base)))
}

/// Accept or refuse a source (sysadmins); accepting schedules it daily and runs it once.
#[utoipa::path(
    post, path = "/api/1/harvest/source/{source}/validate/", tag = "harvest", operation_id = "validate_harvest_source",
    params(("source" = String, Path)),
    request_body(content = Object, description = "{\"state\": \"accepted\" | \"refused\", \"comment\": required on refuse}"),
    responses((status = 200, body = ApiHarvestSource), (status = 400), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn validate_harvest_source(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(source): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<ApiHarvestSource>> {
    let wanted = body
        .get("state")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::field("state", "Expected \"accepted\" or \"refused\"."))?;
    let comment = body
        .get("comment")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let source = usecase::validate(&state.app, &auth.actor, &source, wanted, comment).await?;
    if source.validation.state == portail_core::harvest::ValidationState::Accepted {
        start_first_run(&state, &source).await?;
    }
    Ok(Json(ApiHarvestSource::new(&source, &base)))
}

/// A source's jobs, newest first.
#[utoipa::path(
    get, path = "/api/1/harvest/source/{source}/jobs/", tag = "harvest", operation_id = "list_harvest_jobs",
    params(("source" = String, Path), ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query)),
    responses((status = 200, body = Page<ApiHarvestJob>), (status = 404))
)]
pub async fn list_harvest_jobs(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(source): Path<String>,
    params: Params,
) -> ApiResult<Json<Page<ApiHarvestJob>>> {
    let page = PageRequest::from_params(&params, 20)?;
    let (source, jobs, total) =
        usecase::jobs(&state.app, &source, page.page, page.page_size).await?;
    Ok(Json(Page::new(
        jobs.iter().map(ApiHarvestJob::new).collect(),
        page,
        total,
        &format!("{base}/api/1/harvest/source/{}/jobs/", source.id),
        &params,
    )))
}

/// A job with its items (up to 1 000; `status` keeps one status) and their count by status.
#[utoipa::path(
    get, path = "/api/1/harvest/job/{job}/", tag = "harvest", operation_id = "get_harvest_job",
    params(("job" = String, Path), ("status" = Option<String>, Query, description = "Only items of this status")),
    responses((status = 200, body = ApiHarvestJob), (status = 400), (status = 404))
)]
pub async fn get_harvest_job(
    State(state): State<AppState>,
    Path(job): Path<String>,
    params: Params,
) -> ApiResult<Json<ApiHarvestJob>> {
    let status = match params.get("status") {
        None => None,
        Some(raw) => Some(ItemStatus::parse(raw).ok_or_else(|| {
            ApiError::field(
                "status",
                format!(
                    "Unknown status \"{raw}\": pending, started, done, failed, skipped or archived."
                ),
            )
        })?),
    };
    let view = usecase::get_job(&state.app, &job, status).await?;
    Ok(Json(ApiHarvestJob::full(&view)))
}

/// The harvest backends, with their filters and extra configs.
#[utoipa::path(
    get, path = "/api/1/harvest/backends/", tag = "harvest", operation_id = "list_harvest_backends",
    responses((status = 200, body = Vec<Object>))
)]
pub async fn list_harvest_backends(_auth: MaybeAuth) -> Json<Value> {
    Json(serde_json::to_value(usecase::backends()).unwrap_or(Value::Array(Vec::new())))
}

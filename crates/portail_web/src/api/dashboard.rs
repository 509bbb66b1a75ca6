//! What a producer's dashboard reads (our extensions to udata's API, see `docs/API.md`): the
//! six quality questions of a dataset, its monthly downloads, the history of a resource's
//! link checks, the caller's datasets needing attention; and udata's site figures.

use axum::Json;
use axum::extract::{Path, State};
use portail_app::overview;
use portail_core::quality;
use serde_json::{Value, json};

use crate::errors::ApiResult;
use crate::extract::{Auth, BaseUrl, MaybeAuth};
use crate::state::AppState;

/// The six questions of the producer's dashboard, with hints (our extension).
#[utoipa::path(
    get, path = "/api/1/datasets/{dataset}/quality/", tag = "datasets", operation_id = "get_dataset_quality",
    params(("dataset" = String, Path)),
    responses((status = 200, body = Object, description = "{quality (udata's object), questions: [{id, question_fr, question_en, ok, hint_fr, hint_en}]}"), (status = 404), (status = 410))
)]
pub async fn get_dataset_quality(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(dataset): Path<String>,
) -> ApiResult<Json<Value>> {
    let (d, questions) = overview::questions(&state.app, auth.actor(), &dataset).await?;
    Ok(Json(json!({
        "dataset": d.id,
        "quality": quality::compute(&d, state.app.clock.now()),
        "questions": questions,
    })))
}

/// A dataset's counters and its downloads per month (our extension).
#[utoipa::path(
    get, path = "/api/1/datasets/{dataset}/metrics/", tag = "datasets", operation_id = "get_dataset_metrics",
    params(("dataset" = String, Path)),
    responses((status = 200, body = Object, description = "{metrics, resources_downloads_by_months: {YYYY-MM: n}, views_by_months: {YYYY-MM: n}}"), (status = 404), (status = 410))
)]
pub async fn get_dataset_metrics(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(dataset): Path<String>,
) -> ApiResult<Json<Value>> {
    let d = portail_app::datasets::get(&state.app, auth.actor(), &dataset).await?;
    let months = overview::downloads_by_month(&state.app, auth.actor(), &d.id).await?;
    let views = overview::views_by_month(&state.app, &d).await?;
    Ok(Json(json!({
        "dataset": d.id,
        "metrics": {
            "discussions": d.metrics.discussions,
            "discussions_open": d.metrics.discussions_open,
            "followers": d.metrics.followers,
            "reuses": d.metrics.reuses,
            "views": d.metrics.views,
            "resources_downloads": d.metrics.resources_downloads,
        },
        "resources_downloads_by_months": months,
        "views_by_months": views,
    })))
}

/// The latest availability checks of a resource (our extension).
#[utoipa::path(
    get, path = "/api/1/datasets/{dataset}/resources/{rid}/checks/", tag = "resources", operation_id = "list_resource_checks",
    params(("dataset" = String, Path), ("rid" = String, Path)),
    responses((status = 200, body = Vec<Object>), (status = 404), (status = 410))
)]
pub async fn list_resource_checks(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path((dataset, rid)): Path<(String, String)>,
) -> ApiResult<Json<Vec<Value>>> {
    let history = portail_app::checks::history(&state.app, auth.actor(), &dataset, &rid).await?;
    Ok(Json(
        history
            .iter()
            .map(|c| {
                json!({
                    "url": c.url, "date": c.checked_at, "available": c.available,
                    "status": c.status, "error": c.error, "duration_ms": c.duration_ms,
                })
            })
            .collect(),
    ))
}

/// The site and its figures (udata's `GET /api/1/site/`).
#[utoipa::path(
    get, path = "/api/1/site/", tag = "site", operation_id = "get_site",
    responses((status = 200, body = Object, description = "{id, title, metrics: {datasets, resources, organizations, users, reuses, discussions, followers, resources_downloads_by_months: {YYYY-MM: n}, datasets_visits_by_months: {YYYY-MM: n}, datasets_by_months, users_by_months, organizations_by_months, reuses_by_months, discussions_by_months, harvesters_by_months: {YYYY-MM: n} (stock of live public objects at the end of each of the last 13 months)}}"))
)]
pub async fn get_site(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
) -> ApiResult<Json<Value>> {
    let c = overview::site(&state.app).await?;
    let (downloads, visits) = overview::site_by_month(&state.app).await?;
    let stocks = overview::site_stock_by_month(&state.app).await?;
    let mut body = json!({
        "id": "portail",
        "title": "Portail",
        "url": base,
        "metrics": {
            "datasets": c.datasets,
            "resources": c.resources,
            "organizations": c.organizations,
            "users": c.users,
            "reuses": c.reuses,
            "discussions": c.discussions,
            "followers": c.followers,
            "resources_downloads_by_months": downloads,
            "datasets_visits_by_months": visits,
        },
    });
    if let Some(metrics) = body["metrics"].as_object_mut() {
        for (kind, series) in stocks {
            metrics.insert(format!("{kind}_by_months"), json!(series));
        }
    }
    Ok(Json(body))
}

/// The caller's datasets (own and their organizations'), those needing attention first, with
/// the reasons (our extension).
#[utoipa::path(
    get, path = "/api/1/me/datasets/attention/", tag = "me", operation_id = "list_my_datasets_attention",
    responses((status = 200, body = Vec<Object>, description = "[{dataset: {id, title, slug, uri}, reasons: [out_of_date|broken_links|low_quality|open_discussions], score, questions}]"), (status = 401)),
    security(("apikey" = []))
)]
pub async fn list_my_datasets_attention(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
) -> ApiResult<Json<Vec<Value>>> {
    let list = overview::attention(&state.app, &auth.actor).await?;
    Ok(Json(
        list.iter()
            .map(|a| {
                json!({
                    "dataset": {
                        "id": a.dataset.id, "title": a.dataset.title, "slug": a.dataset.slug,
                        "uri": format!("{base}/api/1/datasets/{}/", a.dataset.id),
                        "page": format!("{base}/datasets/{}/", a.dataset.slug),
                        "private": a.dataset.private,
                    },
                    "reasons": a.reasons,
                    "score": a.score,
                    "questions": a.questions,
                })
            })
            .collect(),
    ))
}

//! `/api/1/reuses/`: what was made from datasets; the list of reuse types and topics.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portail_app::reuses::{self as usecase, ListRequest};
use portail_core::reuses::{REUSE_TOPICS, REUSE_TYPES};
use portail_db::reuses::Reuse;
use serde_json::{Value, json};

use crate::api::embed::{Refs, publisher_ids};
use crate::errors::ApiResult;
use crate::extract::{Auth, BaseUrl, JsonObject, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;

async fn views(state: &AppState, base: &str, list: &[Reuse]) -> ApiResult<Vec<Value>> {
    let (users, orgs) = publisher_ids(list.iter().map(|r| &r.publisher));
    let refs = Refs::load(state, base, users, orgs).await?;
    Ok(list
        .iter()
        .map(|r| {
            let (owner, organization) = refs.publisher(&r.publisher);
            json!({
                "id": r.id,
                "slug": r.slug,
                "title": r.title,
                "description": r.description,
                "url": r.url,
                "type": r.kind,
                "topic": r.topic,
                "tags": r.tags,
                "private": r.private,
                "owner": owner,
                "organization": organization,
                "datasets": r.datasets.iter().map(|id| json!({
                    "id": id,
                    "uri": format!("{base}/api/1/datasets/{id}/"),
                })).collect::<Vec<_>>(),
                "created_at": r.created_at,
                "last_modified": r.last_modified,
                "deleted": r.deleted_at,
                "uri": format!("{base}/api/1/reuses/{}/", r.id),
                "page": format!("{base}/reuses/{}/", r.slug),
                "metrics": {"datasets": r.datasets.len(), "followers": 0, "views": 0},
            })
        })
        .collect())
}

async fn one(state: &AppState, base: &str, r: &Reuse) -> ApiResult<Value> {
    Ok(views(state, base, std::slice::from_ref(r))
        .await?
        .pop()
        .unwrap_or(Value::Null))
}

/// List reuses (`dataset`, `organization`, `owner`, `type` filters).
#[utoipa::path(
    get, path = "/api/1/reuses/", tag = "reuses", operation_id = "list_reuses",
    params(("dataset" = Option<String>, Query), ("organization" = Option<String>, Query), ("owner" = Option<String>, Query),
        ("type" = Option<String>, Query), ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query)),
    responses((status = 200, body = Object), (status = 400))
)]
pub async fn list_reuses(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    params: Params,
) -> ApiResult<Json<Page<Value>>> {
    let page = PageRequest::from_params(&params, 20)?;
    let (list, total) = usecase::list(
        &state.app,
        auth.actor(),
        ListRequest {
            dataset: params.get("dataset").map(str::to_owned),
            organization: params.get("organization").map(str::to_owned),
            owner: params.get("owner").map(str::to_owned),
            kind: params.get("type").map(str::to_owned),
            page: page.page,
            page_size: page.page_size,
        },
    )
    .await?;
    let data = views(&state, &base, &list).await?;
    Ok(Json(Page::new(
        data,
        page,
        total,
        &format!("{base}/api/1/reuses/"),
        &params,
    )))
}

/// Publish a reuse.
#[utoipa::path(
    post, path = "/api/1/reuses/", tag = "reuses", operation_id = "create_reuse",
    request_body(content = Object, description = "title*, description*, url*, type*, topic, tags, datasets (ids), organization, private"),
    responses((status = 201, body = Object), (status = 400), (status = 401)),
    security(("apikey" = []))
)]
pub async fn create_reuse(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let r = usecase::create(&state.app, &auth.actor, &body).await?;
    Ok((StatusCode::CREATED, Json(one(&state, &base, &r).await?)))
}

/// Read a reuse by id or slug.
#[utoipa::path(
    get, path = "/api/1/reuses/{reuse}/", tag = "reuses", operation_id = "get_reuse",
    params(("reuse" = String, Path)), responses((status = 200, body = Object), (status = 404), (status = 410))
)]
pub async fn get_reuse(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(reuse): Path<String>,
) -> ApiResult<Json<Value>> {
    let r = usecase::get(&state.app, auth.actor(), &reuse).await?;
    Ok(Json(one(&state, &base, &r).await?))
}

/// Update a reuse (its owner, or an admin or editor of its organization).
#[utoipa::path(
    put, path = "/api/1/reuses/{reuse}/", tag = "reuses", operation_id = "update_reuse",
    params(("reuse" = String, Path)), request_body(content = Object),
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 403), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn update_reuse(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(reuse): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Value>> {
    let r = usecase::update(&state.app, &auth.actor, &reuse, &body).await?;
    Ok(Json(one(&state, &base, &r).await?))
}

/// Delete a reuse (soft; `PUT` with `"deleted": null` restores it).
#[utoipa::path(
    delete, path = "/api/1/reuses/{reuse}/", tag = "reuses", operation_id = "delete_reuse",
    params(("reuse" = String, Path)),
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn delete_reuse(
    State(state): State<AppState>,
    auth: Auth,
    Path(reuse): Path<String>,
) -> ApiResult<StatusCode> {
    usecase::delete(&state.app, &auth.actor, &reuse).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The reuse types.
#[utoipa::path(
    get, path = "/api/1/reuses/types/", tag = "reuses", operation_id = "list_reuse_types",
    responses((status = 200, body = Vec<Object>, description = "[{id, label}]"))
)]
pub async fn list_reuse_types() -> Json<Value> {
    Json(Value::Array(
        REUSE_TYPES
            .iter()
            .map(|(id, label, _)| json!({"id": id, "label": label}))
            .collect(),
    ))
}

/// The reuse topics.
#[utoipa::path(
    get, path = "/api/1/reuses/topics/", tag = "reuses", operation_id = "list_reuse_topics",
    responses((status = 200, body = Vec<Object>, description = "[{id, label}]"))
)]
pub async fn list_reuse_topics() -> Json<Value> {
    Json(Value::Array(
        REUSE_TOPICS
            .iter()
            .map(|(id, label)| json!({"id": id, "label": label}))
            .collect(),
    ))
}

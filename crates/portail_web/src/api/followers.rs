//! `/api/1/datasets/{dataset}/followers/`: who follows a dataset; the caller follows or
//! unfollows.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portail_app::followers as usecase;
use serde_json::{Value, json};

use crate::api::embed::Refs;
use crate::errors::ApiResult;
use crate::extract::{Auth, BaseUrl, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;

/// List the followers of a dataset.
#[utoipa::path(
    get, path = "/api/1/datasets/{dataset}/followers/", tag = "datasets", operation_id = "list_dataset_followers",
    params(("dataset" = String, Path), ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query)),
    responses((status = 200, body = Object), (status = 404), (status = 410))
)]
pub async fn list_dataset_followers(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    params: Params,
) -> ApiResult<Json<Page<Value>>> {
    let page = PageRequest::from_params(&params, 20)?;
    let (rows, total) = usecase::list(
        &state.app,
        auth.actor(),
        &dataset,
        page.page,
        page.page_size,
    )
    .await?;
    let refs = Refs::load(
        &state,
        &base,
        rows.iter().map(|(u, _)| u.clone()).collect(),
        Vec::new(),
    )
    .await?;
    let data = rows
        .iter()
        .map(|(user, since)| json!({"id": user, "follower": refs.user(Some(user)), "since": since}))
        .collect();
    Ok(Json(Page::new(
        data,
        page,
        total,
        &format!("{base}/api/1/datasets/{dataset}/followers/"),
        &params,
    )))
}

/// Follow a dataset.
#[utoipa::path(
    post, path = "/api/1/datasets/{dataset}/followers/", tag = "datasets", operation_id = "follow_dataset",
    params(("dataset" = String, Path)),
    responses((status = 201, body = Object, description = "{followers: count}"), (status = 401), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn follow_dataset(
    State(state): State<AppState>,
    auth: Auth,
    Path(dataset): Path<String>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let n = usecase::follow(&state.app, &auth.actor, &dataset).await?;
    Ok((StatusCode::CREATED, Json(json!({"followers": n}))))
}

/// Stop following a dataset.
#[utoipa::path(
    delete, path = "/api/1/datasets/{dataset}/followers/", tag = "datasets", operation_id = "unfollow_dataset",
    params(("dataset" = String, Path)),
    responses((status = 200, body = Object, description = "{followers: count}"), (status = 401), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn unfollow_dataset(
    State(state): State<AppState>,
    auth: Auth,
    Path(dataset): Path<String>,
) -> ApiResult<Json<Value>> {
    let n = usecase::unfollow(&state.app, &auth.actor, &dataset).await?;
    Ok(Json(json!({"followers": n})))
}

//! `/api/1/datasets/{dataset}/resources/` and the `/api/1/datasets/r/{rid}` permalink.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use portail_app::{datasets as dataset_usecase, resources as usecase};

use crate::errors::{ApiError, ApiResult};
use crate::extract::{Auth, BaseUrl, JsonBody, JsonObject, MaybeAuth};
use crate::state::AppState;
use crate::views::ApiResource;

/// Add a remote resource (a link) to a dataset; new resources come first.
#[utoipa::path(
    post, path = "/api/1/datasets/{dataset}/resources/", tag = "resources", operation_id = "create_resource",
    params(("dataset" = String, Path)),
    request_body(content = Object, description = "title*, url*, filetype (must be \"remote\"), type, format, description, mime, filesize, checksum, extras"),
    responses((status = 201, body = ApiResource), (status = 400), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn create_resource(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<ApiResource>)> {
    let (_, resource) = usecase::create_remote(&state.app, &auth.actor, &dataset, &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(ApiResource::new(&resource, &base)),
    ))
}

/// Reorder the resources of a dataset: the body lists every resource (ids or objects with an
/// `id`) in the new order.
#[utoipa::path(
    put, path = "/api/1/datasets/{dataset}/resources/", tag = "resources", operation_id = "reorder_resources",
    params(("dataset" = String, Path)), request_body(content = Vec<Object>),
    responses((status = 200, body = Vec<ApiResource>), (status = 400), (status = 403)),
    security(("apikey" = []))
)]
pub async fn reorder_resources(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Vec<ApiResource>>> {
    let dataset = usecase::reorder(&state.app, &auth.actor, &dataset, &body).await?;
    Ok(Json(
        dataset
            .resources
            .iter()
            .map(|r| ApiResource::new(r, &base))
            .collect(),
    ))
}

/// Read one resource of a dataset.
#[utoipa::path(
    get, path = "/api/1/datasets/{dataset}/resources/{rid}/", tag = "resources", operation_id = "get_resource",
    params(("dataset" = String, Path), ("rid" = String, Path)),
    responses((status = 200, body = ApiResource), (status = 404), (status = 410))
)]
pub async fn get_resource(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path((dataset, rid)): Path<(String, String)>,
) -> ApiResult<Json<ApiResource>> {
    let dataset = dataset_usecase::get(&state.app, auth.actor(), &dataset).await?;
    let resource = usecase::find_in(&dataset, &rid)?;
    Ok(Json(ApiResource::new(&resource, &base)))
}

/// Update a resource: omitted keys keep their value, `null` clears. The URL, size, checksum,
/// MIME type and format of a hosted file are computed by the portal and kept.
#[utoipa::path(
    put, path = "/api/1/datasets/{dataset}/resources/{rid}/", tag = "resources", operation_id = "update_resource",
    params(("dataset" = String, Path), ("rid" = String, Path)), request_body(content = Object),
    responses((status = 200, body = ApiResource), (status = 400), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn update_resource(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path((dataset, rid)): Path<(String, String)>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<ApiResource>> {
    let (_, resource) = usecase::update(&state.app, &auth.actor, &dataset, &rid, &body).await?;
    Ok(Json(ApiResource::new(&resource, &base)))
}

/// Delete a resource, at once.
#[utoipa::path(
    delete, path = "/api/1/datasets/{dataset}/resources/{rid}/", tag = "resources", operation_id = "delete_resource",
    params(("dataset" = String, Path), ("rid" = String, Path)),
    responses((status = 204), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn delete_resource(
    State(state): State<AppState>,
    auth: Auth,
    Path((dataset, rid)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    usecase::delete(&state.app, &auth.actor, &dataset, &rid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Permanent link of a resource: a 302 to its current URL.
#[utoipa::path(
    get, path = "/api/1/datasets/r/{rid}", tag = "resources", operation_id = "redirect_resource",
    params(("rid" = String, Path)),
    responses((status = 302, description = "Redirect to the resource URL"), (status = 404))
)]
pub async fn redirect_resource(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(rid): Path<String>,
) -> ApiResult<Response> {
    let rid = rid.trim_end_matches('/');
    let Some(resource) = portail_db::resources::find(&state.app.db, rid).await? else {
        return Err(ApiError::not_found("Resource not found"));
    };
    // The resource of a private or deleted dataset is as invisible as the dataset.
    dataset_usecase::get_light(&state.app, auth.actor(), &resource.dataset_id)
        .await
        .map_err(|e| match e {
            portail_app::AppError::Gone(_) => ApiError::not_found("Resource not found"),
            other => ApiError(other),
        })?;
    // A hosted file is counted when it is served, which the redirect leads to: counting the
    // redirect too would count one download twice.
    if resource.fs_filename.is_none() {
        state.downloads.count(&resource.id, &resource.dataset_id);
    }
    let location = crate::views::absolute_url(&resource.url, &base);
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

//! API v2 dataset endpoints: resources as a paginated sub-collection, extras merge.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use portail_app::datasets as usecase;
use portail_core::reference::{RESOURCE_TYPES, find_choice};
use portail_db::resources::{self as repo, ResourceQuery};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::datasets::{cached_json, view_ctx};
use crate::errors::{ApiError, ApiResult};
use crate::extract::{Auth, BaseUrl, JsonObject, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;
use crate::views::{ApiDataset, ApiResource};

/// Read a dataset; its resources are a link to their pages.
#[utoipa::path(
    get, path = "/api/2/datasets/{dataset}/", tag = "datasets", operation_id = "get_dataset_v2",
    params(("dataset" = String, Path)),
    responses((status = 200, body = ApiDataset), (status = 404), (status = 410))
)]
pub async fn get_dataset_v2(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let key = format!("{base}{uri}");
    cached_json(&state, &auth, key, &headers, async {
        // Resources are not loaded: the quality and `last_update` come from a summary computed
        // by the database, so a dataset with 10 000 resources answers as fast as one with none.
        let (d, facts) = usecase::get_light(&state.app, auth.actor(), &dataset).await?;
        let ctx = view_ctx(&state, &base, auth.actor(), &[&d]).await?;
        Ok(ApiDataset::v2(&d, &facts, &ctx))
    })
    .await
}

/// A page of a dataset's resources, filtered by `type` and words of the title (`q`).
#[utoipa::path(
    get, path = "/api/2/datasets/{dataset}/resources/", tag = "resources", operation_id = "list_resources_v2",
    params(("dataset" = String, Path), ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query),
        ("type" = Option<String>, Query), ("q" = Option<String>, Query)),
    responses((status = 200, body = Page<ApiResource>), (status = 400), (status = 404))
)]
pub async fn list_resources_v2(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let page = PageRequest::from_params(&params, 50)?;
    let kind = match params.get("type") {
        None => None,
        Some(t) => match find_choice(RESOURCE_TYPES, t) {
            Some(c) => Some(c.id.to_owned()),
            None => {
                return Err(ApiError::field(
                    "type",
                    format!("Unknown resource type \"{t}\"."),
                ));
            }
        },
    };
    let key = format!("{base}{uri}");
    cached_json(&state, &auth, key, &headers, async {
        let (d, _) = usecase::get_light(&state.app, auth.actor(), &dataset).await?;
        let query = ResourceQuery {
            dataset_id: d.id.clone(),
            kind,
            q: params.get("q").map(str::to_owned),
            page: page.page,
            page_size: page.page_size,
        };
        let (resources, total) = repo::list(&state.app.db, &query).await?;
        let url = format!("{base}/api/2/datasets/{}/resources/", d.id);
        let data = resources
            .iter()
            .map(|r| ApiResource::new(r, &base))
            .collect();
        Ok(Page::new(data, page, total, &url, &params))
    })
    .await
}

/// A resource with the id of its dataset.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceWithDataset {
    pub resource: ApiResource,
    pub dataset_id: String,
}

/// Read a resource by id alone.
#[utoipa::path(
    get, path = "/api/2/datasets/resources/{rid}/", tag = "resources", operation_id = "get_resource_v2",
    params(("rid" = String, Path)),
    responses((status = 200, body = ResourceWithDataset), (status = 404))
)]
pub async fn get_resource_v2(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(rid): Path<String>,
) -> ApiResult<Json<ResourceWithDataset>> {
    let Some(resource) = repo::find(&state.app.db, &rid).await? else {
        return Err(ApiError::not_found("Resource not found"));
    };
    let (dataset, _) = usecase::get_light(&state.app, auth.actor(), &resource.dataset_id)
        .await
        .map_err(|e| match e {
            portail_app::AppError::Gone(_) => ApiError::not_found("Resource not found"),
            other => ApiError(other),
        })?;
    Ok(Json(ResourceWithDataset {
        resource: ApiResource::new(&resource, &base),
        dataset_id: dataset.id,
    }))
}

/// Merge extras into a dataset's: a `null` value deletes the key. Answers the new extras.
#[utoipa::path(
    put, path = "/api/2/datasets/{dataset}/extras/", tag = "datasets", operation_id = "update_dataset_extras",
    params(("dataset" = String, Path)), request_body(content = Object),
    responses((status = 200, body = Object), (status = 400), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn update_dataset_extras(
    State(state): State<AppState>,
    auth: Auth,
    Path(dataset): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<serde_json::Map<String, serde_json::Value>>> {
    let dataset = usecase::merge_extras(&state.app, &auth.actor, &dataset, &body).await?;
    Ok(Json(dataset.extras))
}

/// Read a dataset's extras.
#[utoipa::path(
    get, path = "/api/2/datasets/{dataset}/extras/", tag = "datasets", operation_id = "get_dataset_extras",
    params(("dataset" = String, Path)), responses((status = 200, body = Object), (status = 404))
)]
pub async fn get_dataset_extras(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(dataset): Path<String>,
) -> ApiResult<Json<serde_json::Map<String, serde_json::Value>>> {
    let (dataset, _) = usecase::get_light(&state.app, auth.actor(), &dataset).await?;
    Ok(Json(dataset.extras))
}

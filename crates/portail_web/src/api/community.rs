//! `/api/1/datasets/community_resources/`: resources attached to a dataset by its users
//! rather than its publisher, as links or uploaded files (`/api/1/datasets/{dataset}/upload/community/`,
//! `/api/1/datasets/community_resources/{id}/upload/`, udata's chunked protocol included).

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use portail_app::community::{self as usecase, ListRequest};
use portail_db::community::CommunityResource;
use serde_json::{Value, json};

use crate::api::embed::{Refs, publisher_ids};
use crate::api::files::{not_multipart, receive};
use crate::errors::ApiResult;
use crate::extract::{Auth, BaseUrl, JsonObject, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;
use crate::views::absolute_url;

async fn views(state: &AppState, base: &str, list: &[CommunityResource]) -> ApiResult<Vec<Value>> {
    let (users, orgs) = publisher_ids(list.iter().map(|c| &c.publisher));
    let refs = Refs::load(state, base, users, orgs).await?;
    Ok(list
        .iter()
        .map(|c| {
            let (owner, organization) = refs.publisher(&c.publisher);
            json!({
                "id": c.id,
                "title": c.title,
                "description": c.description,
                "filetype": c.filetype,
                "type": c.kind,
                "url": absolute_url(&c.url, base),
                "format": c.format,
                "mime": c.mime,
                "filesize": c.filesize,
                "checksum": c.checksum.as_ref().map(|k| json!({"type": k.kind, "value": k.value})),
                "extras": c.extras,
                "created_at": c.created_at,
                "last_modified": c.last_modified,
                "dataset": {"id": c.dataset_id, "uri": format!("{base}/api/1/datasets/{}/", c.dataset_id), "class": "Dataset"},
                "owner": owner,
                "organization": organization,
                "latest": absolute_url(&c.url, base),
                "metrics": {"views": 0},
            })
        })
        .collect())
}

async fn one(state: &AppState, base: &str, c: &CommunityResource) -> ApiResult<Value> {
    Ok(views(state, base, std::slice::from_ref(c))
        .await?
        .pop()
        .unwrap_or(Value::Null))
}

/// List community resources (`dataset`, `owner`, `organization` filters).
#[utoipa::path(
    get, path = "/api/1/datasets/community_resources/", tag = "community_resources", operation_id = "list_community_resources",
    params(("dataset" = Option<String>, Query), ("owner" = Option<String>, Query), ("organization" = Option<String>, Query),
        ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query)),
    responses((status = 200, body = Object), (status = 400), (status = 404))
)]
pub async fn list_community_resources(
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
            owner: params.get("owner").map(str::to_owned),
            organization: params.get("organization").map(str::to_owned),
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
        &format!("{base}/api/1/datasets/community_resources/"),
        &params,
    )))
}

/// Attach a remote community resource to a dataset.
#[utoipa::path(
    post, path = "/api/1/datasets/community_resources/", tag = "community_resources", operation_id = "create_community_resource",
    request_body(content = Object, description = "dataset* (id), title*, url*, filetype (remote), type, format, description, mime, filesize, extras, organization"),
    responses((status = 201, body = Object), (status = 400), (status = 401), (status = 404)),
    security(("apikey" = []))
)]
pub async fn create_community_resource(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let c = usecase::create(&state.app, &auth.actor, &body).await?;
    Ok((StatusCode::CREATED, Json(one(&state, &base, &c).await?)))
}

/// Read a community resource.
#[utoipa::path(
    get, path = "/api/1/datasets/community_resources/{community}/", tag = "community_resources", operation_id = "get_community_resource",
    params(("community" = String, Path)), responses((status = 200, body = Object), (status = 404), (status = 410))
)]
pub async fn get_community_resource(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let c = usecase::get(&state.app, auth.actor(), &id).await?;
    Ok(Json(one(&state, &base, &c).await?))
}

/// Update a community resource (its owner, or an admin or editor of its organization).
#[utoipa::path(
    put, path = "/api/1/datasets/community_resources/{community}/", tag = "community_resources", operation_id = "update_community_resource",
    params(("community" = String, Path)), request_body(content = Object),
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn update_community_resource(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Value>> {
    let c = usecase::update(&state.app, &auth.actor, &id, &body).await?;
    Ok(Json(one(&state, &base, &c).await?))
}

/// Delete a community resource.
#[utoipa::path(
    delete, path = "/api/1/datasets/community_resources/{community}/", tag = "community_resources", operation_id = "delete_community_resource",
    params(("community" = String, Path)), responses((status = 204), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn delete_community_resource(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    usecase::delete(&state.app, &auth.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An uploaded community resource, in udata's shape (the resource and `success`).
async fn upload_answer(
    state: &AppState,
    base: &str,
    status: StatusCode,
    c: &CommunityResource,
) -> ApiResult<Response> {
    Ok(crate::api::files::uploaded(
        status,
        one(state, base, c).await?,
    ))
}

/// Propose a file as a community resource of a dataset (multipart `file` field, optional
/// title, description, type, organization; udata's chunked protocol supported). Answers 201
/// with the community resource once the file is complete, 200 per chunk.
#[utoipa::path(
    post, path = "/api/1/datasets/{dataset}/upload/community/", tag = "community_resources", operation_id = "upload_community_resource",
    params(("dataset" = String, Path)),
    request_body(content_type = "multipart/form-data", description = "file; optional title, description, type, organization; chunked: uuid, filename, partindex, partbyteoffset, totalparts, chunksize"),
    responses((status = 201, body = Object), (status = 200, description = "A chunk was stored"), (status = 400), (status = 401), (status = 404), (status = 410),
        (status = 413, description = "File too large"), (status = 415, description = "HTML disguised as data")),
    security(("apikey" = []))
)]
pub async fn upload_community_resource(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let (dataset, placement) = usecase::authorize_upload(&state.app, &auth.actor, &dataset).await?;
    match receive(&state, &placement, multipart.map_err(not_multipart)?).await? {
        Err(chunk_response) => Ok(chunk_response),
        Ok((stored, fields)) => {
            let c = usecase::attach_new(&state.app, &auth.actor, &dataset, stored, fields).await?;
            upload_answer(&state, &base, StatusCode::CREATED, &c).await
        }
    }
}

/// Replace the file of a hosted community resource (its owner, an admin or editor of its
/// organization, or a sysadmin; same protocol). Answers 200 with the community resource.
#[utoipa::path(
    post, path = "/api/1/datasets/community_resources/{community}/upload/", tag = "community_resources", operation_id = "replace_community_resource_file",
    params(("community" = String, Path)),
    request_body(content_type = "multipart/form-data"),
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 403), (status = 404), (status = 410), (status = 413), (status = 415)),
    security(("apikey" = []))
)]
pub async fn replace_community_resource_file(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let (_, placement) = usecase::authorize_replace(&state.app, &auth.actor, &id).await?;
    match receive(&state, &placement, multipart.map_err(not_multipart)?).await? {
        Err(chunk_response) => Ok(chunk_response),
        Ok((stored, _)) => {
            let c = usecase::attach_replacement(&state.app, &auth.actor, &id, stored).await?;
            upload_answer(&state, &base, StatusCode::OK, &c).await
        }
    }
}

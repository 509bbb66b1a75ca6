//! `/api/1/discussions/`: threads on datasets, in udata's shape (`discussion` is the list of
//! messages, `subject` the dataset).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portail_app::discussions::{self as usecase, ListRequest};
use portail_db::discussions::Discussion;
use serde_json::{Value, json};

use crate::api::embed::Refs;
use crate::errors::{ApiError, ApiResult};
use crate::extract::{Auth, BaseUrl, JsonObject, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;

async fn views(state: &AppState, base: &str, list: &[Discussion]) -> ApiResult<Vec<Value>> {
    let mut users = Vec::new();
    for d in list {
        users.push(d.user_id.clone());
        users.extend(d.closed_by.clone());
        users.extend(d.messages.iter().map(|m| m.posted_by.clone()));
    }
    let refs = Refs::load(state, base, users, Vec::new()).await?;
    Ok(list
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "class": "Discussion",
                "title": d.title,
                "user": refs.user(Some(&d.user_id)),
                "subject": {"class": "Dataset", "id": d.dataset_id},
                "discussion": d.messages.iter().map(|m| json!({
                    "content": m.content,
                    "posted_by": refs.user(Some(&m.posted_by)),
                    "posted_on": m.posted_on,
                    "last_modified_at": m.last_modified_at,
                })).collect::<Vec<_>>(),
                "created": d.created_at,
                "closed": d.closed_at,
                "closed_by": refs.user(d.closed_by.as_deref()),
                "extras": d.extras,
                "url": format!("{base}/api/1/discussions/{}/", d.id),
            })
        })
        .collect())
}

async fn one(state: &AppState, base: &str, d: &Discussion) -> ApiResult<Value> {
    Ok(views(state, base, std::slice::from_ref(d))
        .await?
        .pop()
        .unwrap_or(Value::Null))
}

/// List discussions (`for`: a dataset id; `closed`; `sort`: `created` or `-created`).
#[utoipa::path(
    get, path = "/api/1/discussions/", tag = "discussions", operation_id = "list_discussions",
    params(("for" = Option<String>, Query, description = "Dataset id"), ("closed" = Option<bool>, Query),
        ("sort" = Option<String>, Query, description = "created or -created (default)"),
        ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query)),
    responses((status = 200, body = Object), (status = 400), (status = 404))
)]
pub async fn list_discussions(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    params: Params,
) -> ApiResult<Json<Page<Value>>> {
    let page = PageRequest::from_params(&params, 20)?;
    let oldest_first = match params.get("sort") {
        None | Some("-created") => false,
        Some("created") => true,
        Some(other) => {
            return Err(ApiError::field(
                "sort",
                format!("Unknown sort \"{other}\": use created or -created."),
            ));
        }
    };
    let (list, total) = usecase::list(
        &state.app,
        auth.actor(),
        ListRequest {
            dataset: params.get("for").map(str::to_owned),
            closed: params.bool("closed")?,
            oldest_first,
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
        &format!("{base}/api/1/discussions/"),
        &params,
    )))
}

/// Open a discussion on a dataset.
#[utoipa::path(
    post, path = "/api/1/discussions/", tag = "discussions", operation_id = "create_discussion",
    request_body(content = Object, description = "title*, comment*, subject* {class: Dataset, id}, extras"),
    responses((status = 201, body = Object), (status = 400), (status = 401), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn create_discussion(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let d = usecase::create(&state.app, &auth.actor, &body).await?;
    Ok((StatusCode::CREATED, Json(one(&state, &base, &d).await?)))
}

/// Read a discussion.
#[utoipa::path(
    get, path = "/api/1/discussions/{discussion}/", tag = "discussions", operation_id = "get_discussion",
    params(("discussion" = String, Path)), responses((status = 200, body = Object), (status = 404), (status = 410))
)]
pub async fn get_discussion(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let (d, _) = usecase::get(&state.app, auth.actor(), &id).await?;
    Ok(Json(one(&state, &base, &d).await?))
}

/// Comment a discussion; `close: true` (the dataset's editors) closes it.
#[utoipa::path(
    post, path = "/api/1/discussions/{discussion}/", tag = "discussions", operation_id = "comment_discussion",
    params(("discussion" = String, Path)), request_body(content = Object, description = "comment* (optional when closing), close"),
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 403, description = "Closed, or closing without the right"), (status = 404)),
    security(("apikey" = []))
)]
pub async fn comment_discussion(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Value>> {
    let d = usecase::comment(&state.app, &auth.actor, &id, &body).await?;
    Ok(Json(one(&state, &base, &d).await?))
}

/// Delete a discussion (sysadmins).
#[utoipa::path(
    delete, path = "/api/1/discussions/{discussion}/", tag = "discussions", operation_id = "delete_discussion",
    params(("discussion" = String, Path)), responses((status = 204), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn delete_discussion(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    usecase::delete(&state.app, &auth.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn comment_index(raw: &str) -> ApiResult<usize> {
    raw.parse()
        .map_err(|_| ApiError::not_found("Comment does not exist"))
}

/// Edit a comment (its author).
#[utoipa::path(
    put, path = "/api/1/discussions/{discussion}/comments/{cidx}/", tag = "discussions", operation_id = "edit_discussion_comment",
    params(("discussion" = String, Path), ("cidx" = usize, Path, description = "Index of the comment, from 0")),
    request_body(content = Object, description = "comment*"),
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn edit_discussion_comment(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path((id, cidx)): Path<(String, String)>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Value>> {
    let d =
        usecase::edit_comment(&state.app, &auth.actor, &id, comment_index(&cidx)?, &body).await?;
    Ok(Json(one(&state, &base, &d).await?))
}

/// Delete a comment (its author or a sysadmin; not the first one).
#[utoipa::path(
    delete, path = "/api/1/discussions/{discussion}/comments/{cidx}/", tag = "discussions", operation_id = "delete_discussion_comment",
    params(("discussion" = String, Path), ("cidx" = usize, Path)),
    responses((status = 204), (status = 400, description = "The first comment"), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn delete_discussion_comment(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, cidx)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    usecase::delete_comment(&state.app, &auth.actor, &id, comment_index(&cidx)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

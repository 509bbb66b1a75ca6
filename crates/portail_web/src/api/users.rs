//! `/api/1/me/`, `/api/1/users/` and API tokens.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portail_app::{auth as auth_usecase, users as usecase};
use portail_core::model::{Dataset, User};
use portail_core::permissions::Actor;
use portail_core::validation::parse_datetime;
use portail_db::datasets::{DatasetQuery, Viewer};
use portail_db::{organizations, tokens};
use serde_json::Value;

use crate::api::datasets::view_ctx;
use crate::errors::{ApiError, ApiResult};
use crate::extract::{Auth, BaseUrl, JsonObject, MaybeAuth};
use crate::state::AppState;
use crate::views::{ApiDataset, ApiTokenView, ApiUser};

async fn user_view(
    state: &AppState,
    user: &User,
    actor: &Actor,
    with_email: bool,
    base: &str,
) -> ApiResult<ApiUser> {
    let orgs = organizations::find_many(&state.app.db, &actor.organization_ids()).await?;
    Ok(ApiUser::new(user, &orgs, with_email, base))
}

/// The authenticated user's profile, with e-mail and organizations.
#[utoipa::path(get, path = "/api/1/me/", tag = "me", operation_id = "get_me",
    responses((status = 200, body = ApiUser), (status = 401)), security(("apikey" = [])))]
pub async fn get_me(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
) -> ApiResult<Json<ApiUser>> {
    Ok(Json(
        user_view(&state, &auth.user, &auth.actor, true, &base).await?,
    ))
}

/// Edit one's profile: first_name, last_name, about, website.
#[utoipa::path(put, path = "/api/1/me/", tag = "me", operation_id = "update_me", request_body(content = Object),
    responses((status = 200, body = ApiUser), (status = 400), (status = 401)), security(("apikey" = [])))]
pub async fn update_me(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<ApiUser>> {
    let user = usecase::update_profile(&state.app, &auth.user, &body).await?;
    Ok(Json(
        user_view(&state, &user, &auth.actor, true, &base).await?,
    ))
}

async fn all_datasets(
    state: &AppState,
    base: &str,
    actor: &Actor,
    query: DatasetQuery,
) -> ApiResult<Vec<ApiDataset>> {
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let q = DatasetQuery {
            page,
            page_size: 500,
            ..query.clone()
        };
        let (datasets, total) = portail_db::datasets::list(&state.app.db, &q).await?;
        let refs: Vec<&Dataset> = datasets.iter().collect();
        let ctx = view_ctx(state, base, Some(actor), &refs).await?;
        out.extend(datasets.iter().map(|d| ApiDataset::v1(d, &ctx)));
        if page * 500 >= total || datasets.is_empty() {
            return Ok(out);
        }
        page += 1;
    }
}

/// Every dataset the authenticated user owns, private ones included.
#[utoipa::path(get, path = "/api/1/me/datasets/", tag = "me", operation_id = "list_my_datasets",
    responses((status = 200, body = Vec<ApiDataset>), (status = 401)), security(("apikey" = [])))]
pub async fn list_my_datasets(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
) -> ApiResult<Json<Vec<ApiDataset>>> {
    let query = DatasetQuery {
        owner_id: Some(auth.user.id.clone()),
        viewer: Viewer::User {
            id: auth.user.id.clone(),
            organization_ids: Vec::new(),
        },
        sort: Some("-created".into()),
        ..DatasetQuery::default()
    };
    Ok(Json(all_datasets(&state, &base, &auth.actor, query).await?))
}

/// Every dataset of the authenticated user's organizations, private ones included.
#[utoipa::path(get, path = "/api/1/me/org_datasets/", tag = "me", operation_id = "list_my_org_datasets",
    responses((status = 200, body = Vec<ApiDataset>), (status = 401)), security(("apikey" = [])))]
pub async fn list_my_org_datasets(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
) -> ApiResult<Json<Vec<ApiDataset>>> {
    let mut out = Vec::new();
    for org in auth.actor.organization_ids() {
        let query = DatasetQuery {
            organization_id: Some(org.clone()),
            viewer: Viewer::User {
                id: auth.user.id.clone(),
                organization_ids: vec![org],
            },
            sort: Some("-created".into()),
            ..DatasetQuery::default()
        };
        out.extend(all_datasets(&state, &base, &auth.actor, query).await?);
    }
    Ok(Json(out))
}

/// A user's public profile (the e-mail only for themselves and sysadmins).
#[utoipa::path(get, path = "/api/1/users/{user}/", tag = "users", operation_id = "get_user",
    params(("user" = String, Path, description = "User id or slug")),
    responses((status = 200, body = ApiUser), (status = 404), (status = 410)))]
pub async fn get_user(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(user): Path<String>,
) -> ApiResult<Json<ApiUser>> {
    let user = usecase::get(&state.app, &user).await?;
    let actor = portail_app::auth::actor_for(&state.app, &user).await?;
    let with_email = auth
        .actor()
        .is_some_and(|a| a.sysadmin || a.user_id == user.id);
    Ok(Json(
        user_view(&state, &user, &actor, with_email, &base).await?,
    ))
}

/// The authenticated user's API tokens that are not revoked.
#[utoipa::path(get, path = "/api/1/me/api_tokens/", tag = "me", operation_id = "list_api_tokens",
    responses((status = 200, body = Vec<ApiTokenView>), (status = 401)), security(("apikey" = [])))]
pub async fn list_api_tokens(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<ApiTokenView>>> {
    let list = tokens::list_for_user(&state.app.db, &auth.user.id).await?;
    Ok(Json(
        list.iter().map(|t| ApiTokenView::new(t, None)).collect(),
    ))
}

/// Create an API token: the answer carries the secret, shown this once.
#[utoipa::path(post, path = "/api/1/me/api_tokens/", tag = "me", operation_id = "create_api_token",
    request_body(content = Object, description = "name, expires_at (ISO 8601, future)"),
    responses((status = 201, body = ApiTokenView), (status = 400), (status = 401)), security(("apikey" = [])))]
pub async fn create_api_token(
    State(state): State<AppState>,
    auth: Auth,
    body: Option<JsonObject>,
) -> ApiResult<(StatusCode, Json<ApiTokenView>)> {
    let body = body.map(|b| b.0).unwrap_or_default();
    let name = match body.get("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(_) => return Err(ApiError::field("name", "Not a valid string.")),
    };
    let expires_at = match body.get("expires_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(parse_datetime(s).ok_or_else(|| {
            ApiError::field("expires_at", "Not a valid date: expected ISO 8601.")
        })?),
        Some(_) => {
            return Err(ApiError::field(
                "expires_at",
                "Not a valid date: expected ISO 8601.",
            ));
        }
    };
    let created = auth_usecase::create_token(&state.app, &auth.user.id, name, expires_at).await?;
    Ok((
        StatusCode::CREATED,
        Json(ApiTokenView::new(&created.token, Some(created.secret))),
    ))
}

/// Revoke an API token (410 if it already was).
#[utoipa::path(delete, path = "/api/1/me/api_tokens/{token}/", tag = "me", operation_id = "revoke_api_token",
    params(("token" = String, Path, description = "Token id")),
    responses((status = 204), (status = 401), (status = 404), (status = 410)), security(("apikey" = [])))]
pub async fn revoke_api_token(
    State(state): State<AppState>,
    auth: Auth,
    Path(token): Path<String>,
) -> ApiResult<StatusCode> {
    auth_usecase::revoke_token(&state.app, &auth.user.id, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

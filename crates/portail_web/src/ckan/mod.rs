//! The CKAN Action API (read side), so that CKAN harvesters (ckanext-harvest, udata's CKAN
//! backend, `ckanapi`) can harvest this portal as if it were a CKAN site.
//!
//! - `handlers` (this file): the transport: `/api/3/action/{action}` and `/api/action/{action}`,
//!   GET with query parameters or POST with a JSON or form body, API keys, CKAN's envelope and
//!   error shapes. Never a redirect.
//! - `actions`: one function per action, calling the use cases.
//! - `query`: the one translation of `package_search`'s `q`/`fq`/`sort`/paging into our query.
//! - `views`: the CKAN dicts (package, resource, organization, tag, license) built from ours.

pub mod actions;
pub mod query;
pub mod views;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use portail_app::AppError;
use portail_core::model::User;
use portail_core::permissions::Actor;
use serde_json::{Map, Value, json};

use crate::conditional::{self, Caching, VARY_ACCEPT_AND_KEY};
use crate::extract::BaseUrl;
use crate::state::AppState;

/// The CKAN version we answer like (`status_show`), for clients that check it.
pub const CKAN_VERSION: &str = "2.11.0";

/// `Content-Type` of every CKAN API answer, spelled as CKAN does.
pub const CONTENT_TYPE: &str = "application/json;charset=utf-8";

/// The parameters of an action: query string, JSON object or form fields.
pub type Params = Map<String, Value>;

/// A failed action, as CKAN reports it.
#[derive(Debug)]
pub enum CkanError {
    /// 404 `Not Found Error`.
    NotFound(String),
    /// 403 `Authorization Error`.
    Authorization(String),
    /// 409 `Validation Error`: field -> messages.
    Validation(Vec<(String, String)>),
    /// 400 `Search Query Error`.
    SearchQuery(String),
    /// 400 with a bare JSON string body (unknown action, unreadable body).
    BadRequest(String),
    /// Anything else: logged, answered as CKAN's 500.
    Internal(AppError),
}

impl CkanError {
    /// A validation error on one field.
    pub fn field(name: &str, message: &str) -> CkanError {
        CkanError::Validation(vec![(name.to_owned(), message.to_owned())])
    }
}

impl From<AppError> for CkanError {
    fn from(e: AppError) -> CkanError {
        match e {
            // Hidden and deleted datasets are simply not there for CKAN clients.
            AppError::NotFound(_) | AppError::Gone(_) => CkanError::NotFound("Not found".into()),
            AppError::Unauthorized(m) | AppError::Forbidden(m) => {
                CkanError::Authorization(format!("Access denied: {m}"))
            }
            AppError::Validation(errors) => CkanError::Validation(
                errors
                    .0
                    .into_iter()
                    .flat_map(|(field, messages)| {
                        messages.into_iter().map(move |m| (field.clone(), m))
                    })
                    .collect(),
            ),
            AppError::BadRequest(m) => CkanError::BadRequest(m),
            other => CkanError::Internal(other),
        }
    }
}

impl From<portail_db::DbError> for CkanError {
    fn from(e: portail_db::DbError) -> CkanError {
        CkanError::Internal(AppError::Db(e))
    }
}

/// What an action returns.
pub type CkanResult<T> = Result<T, CkanError>;

/// Everything an action needs: the state, the parameters, the caller and the base URL.
pub struct Call<'a> {
    pub state: &'a AppState,
    pub params: &'a Params,
    pub auth: Option<&'a (User, Actor)>,
    pub base: &'a str,
}

impl Call<'_> {
    /// The caller's actor, if a key was sent.
    pub fn actor(&self) -> Option<&Actor> {
        self.auth.map(|(_, a)| a)
    }
}

fn help_url(base: &str, action: &str) -> String {
    format!("{base}/api/3/action/help_show?name={action}")
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    let body = crate::cache::json_body(value).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response()
}

fn error_response(base: &str, action: &str, error: CkanError) -> Response {
    let (status, error) = match error {
        CkanError::BadRequest(message) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                &Value::String(format!("Bad request: {message}")),
            );
        }
        CkanError::NotFound(m) => (
            StatusCode::NOT_FOUND,
            json!({"__type": "Not Found Error", "message": m}),
        ),
        CkanError::Authorization(m) => (
            StatusCode::FORBIDDEN,
            json!({"__type": "Authorization Error", "message": m}),
        ),
        CkanError::SearchQuery(m) => (
            StatusCode::BAD_REQUEST,
            json!({"__type": "Search Query Error", "message": format!("Search Query is invalid: {m}")}),
        ),
        CkanError::Validation(fields) => {
            let mut map = Map::new();
            for (field, message) in fields {
                let entry = map.entry(field).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = entry {
                    list.push(Value::String(message));
                }
            }
            map.insert("__type".into(), "Validation Error".into());
            (StatusCode::CONFLICT, Value::Object(map))
        }
        CkanError::Internal(e) => {
            tracing::error!(error = %e, action, "CKAN action failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"__type": "Internal Server Error", "message": "Internal Server Error"}),
            )
        }
    };
    json_response(
        status,
        &json!({"help": help_url(base, action), "success": false, "error": error}),
    )
}

/// The API key of a CKAN call: `X-CKAN-API-Key`, `X-API-KEY`, or `Authorization` holding the
/// raw token (CKAN's form) or `Bearer <token>`. Empty headers are no key.
pub fn ckan_api_key(headers: &HeaderMap) -> Option<String> {
    for name in ["x-ckan-api-key", "x-api-key"] {
        if let Some(v) = headers.get(name).and_then(|v| v.to_str().ok())
            && !v.trim().is_empty()
        {
            return Some(v.trim().to_owned());
        }
    }
    let raw = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let token = match raw.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => raw,
    };
    (!token.is_empty()).then(|| token.to_owned())
}

async fn authenticate(state: &AppState, headers: &HeaderMap) -> CkanResult<Option<(User, Actor)>> {
    match ckan_api_key(headers) {
        None => Ok(None),
        Some(key) => match portail_app::auth::authenticate_token(&state.app, &key).await {
            Ok(found) => Ok(Some(found)),
            // A bad key is an error, never a silent anonymous call (as in our own API).
            Err(AppError::Unauthorized(m)) => {
                Err(CkanError::Authorization(format!("Access denied: {m}")))
            }
            Err(e) => Err(e.into()),
        },
    }
}

/// Query string -> parameters: a key given once is a string, repeated keys a list.
fn query_params(query: Option<&str>) -> Params {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default();
    let mut params = Params::new();
    for (k, v) in pairs {
        match params.get_mut(&k) {
            Some(Value::Array(list)) => list.push(Value::String(v)),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(v)]);
            }
            None => {
                params.insert(k, Value::String(v));
            }
        }
    }
    params
}

/// A POST body: a JSON object, form fields, or nothing.
fn body_params(headers: &HeaderMap, body: &[u8]) -> CkanResult<Params> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok(query_params(std::str::from_utf8(body).ok()));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CkanError::BadRequest(
            "JSON Error: Request data JSON decoded to a non-object".into(),
        )),
        Err(e) => Err(CkanError::BadRequest(format!(
            "JSON Error: Error decoding JSON data. Error: {e}"
        ))),
    }
}

async fn run(
    state: &AppState,
    action: &str,
    base: &str,
    headers: &HeaderMap,
    params: CkanResult<Params>,
) -> Response {
    let outcome = async {
        let params = params?;
        let auth = authenticate(state, headers).await?;
        let call = Call {
            state,
            params: &params,
            auth: auth.as_ref(),
            base,
        };
        let result = actions::dispatch(&call, action).await?;
        Ok::<_, CkanError>((result, auth.is_some()))
    }
    .await;
    match outcome {
        Ok((result, authenticated)) => {
            let envelope =
                json!({"help": help_url(base, action), "success": true, "result": result});
            let body = crate::cache::json_body(&envelope).unwrap_or_default();
            conditional::respond_bytes(
                headers,
                CONTENT_TYPE,
                body,
                None,
                VARY_ACCEPT_AND_KEY,
                Caching::for_key(authenticated),
            )
        }
        Err(error) => error_response(base, action, error),
    }
}

/// Call a read action with query parameters (CKAN's `/api/3/action/{action}`).
#[utoipa::path(
    get, path = "/api/3/action/{action}", tag = "ckan", operation_id = "ckan_action_get",
    params(("action" = String, Path, description = "package_list, package_search, package_show, organization_list, organization_show, group_list, group_show, tag_list, license_list, status_show, site_read")),
    responses(
        (status = 200, description = "CKAN envelope {help, success: true, result}"),
        (status = 400, description = "Unknown action (a bare JSON string) or Search Query Error"),
        (status = 403, description = "Authorization Error (bad API key)"),
        (status = 404, description = "Not Found Error"),
        (status = 409, description = "Validation Error"),
    )
)]
pub async fn ckan_action_get(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(action): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let params = Ok(query_params(uri.query()));
    run(&state, &action, &base, &headers, params).await
}

/// Call a read action with a JSON (or form) body.
#[utoipa::path(
    post, path = "/api/3/action/{action}", tag = "ckan", operation_id = "ckan_action_post",
    params(("action" = String, Path)),
    request_body(content = Object, description = "The action's parameters"),
    responses((status = 200, description = "CKAN envelope"), (status = 400), (status = 403), (status = 404), (status = 409))
)]
pub async fn ckan_action_post(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(action): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = body_params(&headers, &body);
    run(&state, &action, &base, &headers, params).await
}

/// Same as `GET /api/3/action/{action}` (the path `ckanapi` and older clients use).
#[utoipa::path(
    get, path = "/api/action/{action}", tag = "ckan", operation_id = "ckan_unversioned_action_get",
    params(("action" = String, Path)),
    responses((status = 200, description = "CKAN envelope"), (status = 400), (status = 403), (status = 404), (status = 409))
)]
pub async fn ckan_unversioned_action_get(
    state: State<AppState>,
    base: BaseUrl,
    action: Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    ckan_action_get(state, base, action, uri, headers).await
}

/// Same as `POST /api/3/action/{action}`.
#[utoipa::path(
    post, path = "/api/action/{action}", tag = "ckan", operation_id = "ckan_unversioned_action_post",
    params(("action" = String, Path)),
    request_body(content = Object),
    responses((status = 200, description = "CKAN envelope"), (status = 400), (status = 403), (status = 404), (status = 409))
)]
pub async fn ckan_unversioned_action_post(
    state: State<AppState>,
    base: BaseUrl,
    action: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    ckan_action_post(state, base, action, headers, body).await
}

/// The CKAN API version (`{"version": 3}`), at `/api/3`.
#[utoipa::path(
    get, path = "/api/3", tag = "ckan", operation_id = "get_ckan_api_version",
    responses((status = 200, description = "{\"version\": 3}"))
)]
pub async fn get_ckan_api_version() -> Response {
    (
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        Json(json!({"version": 3})),
    )
        .into_response()
}

/// The CKAN API version, at `/api` (what clients probe first).
#[utoipa::path(
    get, path = "/api", tag = "ckan", operation_id = "get_ckan_api_root",
    responses((status = 200, description = "{\"version\": 3}"))
)]
pub async fn get_ckan_api_root() -> Response {
    get_ckan_api_version().await
}

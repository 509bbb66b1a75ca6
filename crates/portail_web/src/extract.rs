//! Extractors shared by the API handlers: the authenticated actor, JSON bodies, query
//! parameters and the base URL for absolute links.

use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use bytes::Bytes;
use portail_app::AppError;
use portail_core::model::User;
use portail_core::permissions::Actor;
use serde_json::{Map, Value};

use crate::errors::ApiError;
use crate::state::AppState;

/// The caller, if they sent an API key (`X-API-KEY` or `Authorization: Bearer`). A bad key is a
/// 401, not an anonymous call, so clients notice.
#[derive(Clone, Default)]
pub struct MaybeAuth(pub Option<(User, Actor)>);

impl MaybeAuth {
    /// The actor, if authenticated.
    pub fn actor(&self) -> Option<&Actor> {
        self.0.as_ref().map(|(_, a)| a)
    }

    /// True when no credentials were sent.
    pub fn is_anonymous(&self) -> bool {
        self.0.is_none()
    }
}

/// The API key sent with a request, if any. An empty header is no key, as in udata (clients
/// send `X-API-KEY: ` when their key variable is unset).
pub fn api_key(parts: &Parts) -> Option<String> {
    if let Some(v) = parts.headers.get("x-api-key").and_then(|v| v.to_str().ok())
        && !v.trim().is_empty()
    {
        return Some(v.trim().to_owned());
    }
    let auth = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = auth.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_owned())
}

impl<S> FromRequestParts<S> for MaybeAuth
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(found) = parts.extensions.get::<MaybeAuth>() {
            return Ok(found.clone());
        }
        let state = AppState::from_ref(state);
        let auth = match api_key(parts) {
            Some(key) => MaybeAuth(Some(
                portail_app::auth::authenticate_token(&state.app, &key).await?,
            )),
            None => MaybeAuth(None),
        };
        parts.extensions.insert(auth.clone());
        Ok(auth)
    }
}

/// An authenticated caller: 401 otherwise.
pub struct Auth {
    pub user: User,
    pub actor: Actor,
}

impl<S> FromRequestParts<S> for Auth
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match MaybeAuth::from_request_parts(parts, state).await?.0 {
            Some((user, actor)) => Ok(Auth { user, actor }),
            None => Err(ApiError(AppError::Unauthorized(
                "Authentication required: send your API key in the X-API-KEY header.".into(),
            ))),
        }
    }
}

/// A JSON body of any shape. Requires `Content-Type: application/json` (parameters such as
/// `charset=utf-8` allowed), as udata does.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::field(
                "Content-Type",
                "expecting application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError(AppError::PayloadTooLarge(
                    "The JSON body is too large (8 MiB at most).".into(),
                ))
            } else {
                ApiError::bad_request(format!(
                    "Could not read the request body: {}",
                    e.body_text()
                ))
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request(
                "The request body is empty: expected a JSON object.",
            ));
        }
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::bad_request(format!("The request body is not valid JSON: {e}.")))
    }
}

/// A JSON object body: anything else is a 400.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match JsonBody::from_request(req, state).await?.0 {
            Value::Object(map) => Ok(JsonObject(map)),
            other => Err(ApiError::bad_request(format!(
                "The JSON body must be an object, not {}.",
                json_kind(&other)
            ))),
        }
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequest<S> for JsonObject {
    type Rejection = ApiError;

    /// No body at all (no `Content-Type`, or an empty body) is `None`; anything else must be a
    /// JSON object.
    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        let has_type = req.headers().contains_key(header::CONTENT_TYPE);
        let empty_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "0");
        if !has_type || empty_length {
            return Ok(None);
        }
        <JsonObject as FromRequest<S>>::from_request(req, state)
            .await
            .map(Some)
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Query parameters in order, repeated keys kept (`tag=a&tag=b`).
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Parses a raw query string.
    pub fn parse(query: Option<&str>) -> Params {
        Params(serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default())
    }

    /// The last non-empty value of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// All non-empty values of a key.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    /// A boolean parameter: `true`/`false`/`1`/`0`/`yes`/`no`; 400 otherwise.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.get(key).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(None),
            Some("true" | "1" | "yes" | "on") => Ok(Some(true)),
            Some("false" | "0" | "no" | "off") => Ok(Some(false)),
            Some(_) => Err(ApiError::field(key, "Expected true or false.")),
        }
    }

    /// The query string with `key` set to `value` (for paging links).
    pub fn with(&self, key: &str, value: &str) -> String {
        let mut pairs: Vec<(String, String)> =
            self.0.iter().filter(|(k, _)| k != key).cloned().collect();
        pairs.push((key.to_owned(), value.to_owned()));
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Params::parse(parts.uri.query()))
    }
}

/// The public base URL (`https://host`), from the settings or the request's `Host`.
#[derive(Debug, Clone)]
pub struct BaseUrl(pub String);

impl<S> FromRequestParts<S> for BaseUrl
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        Ok(BaseUrl(base_url(&state, parts)))
    }
}

/// See [`BaseUrl`].
pub fn base_url(state: &AppState, parts: &Parts) -> String {
    if let Some(public) = &state.settings.public_url {
        return public.trim_end_matches('/').to_owned();
    }
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// [`base_url`] from the request headers only (page handlers that already extracted them).
pub fn base_url_from(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    if let Some(public) = &state.settings.public_url {
        return public.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

//! What every page knows about its visitor: the language, the session (user, actor, CSRF
//! token), and how to answer with a rendered template, a redirect or a cookie.
//!
//! Sessions: the `portail_session` cookie carries a random 256-bit token (HttpOnly,
//! SameSite=Lax, Secure when the public URL is https); the database keeps its SHA-256. Forms
//! of a session send the session's CSRF token in `csrf_token`; anonymous forms (login,
//! register) send the value of a `portail_csrf` cookie set with the form (double submit).

use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use bytes::Bytes;
use minijinja::Value;
use portail_app::AppError;
use portail_core::model::User;
use portail_core::permissions::Actor;
use serde_json::{Map, Value as Json, json};

use crate::extract::Params;
use crate::pages::errors::{PageError, PageResult};
use crate::pages::i18n::{self, Lang};
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "portail_session";
/// Name of the anonymous CSRF cookie.
pub const CSRF_COOKIE: &str = "portail_csrf";
/// Name of the language cookie.
pub const LANG_COOKIE: &str = "lang";

/// The value of a cookie in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// A signed-in visitor.
#[derive(Clone)]
pub struct SessionUser {
    pub user: User,
    pub actor: Actor,
    pub token: String,
}

/// The visitor of a page.
#[derive(Clone)]
pub struct PageCtx {
    pub state: AppState,
    pub lang: Lang,
    pub session: Option<SessionUser>,
    pub csrf_token: String,
    /// A new anonymous CSRF token to set as a cookie with the answer.
    new_csrf_cookie: bool,
    /// Path and query of the request, for "come back here" links.
    pub path: String,
    secure: bool,
}

impl<S> FromRequestParts<S> for PageCtx
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(found) = parts.extensions.get::<PageCtx>() {
            return Ok(found.clone());
        }
        let state = AppState::from_ref(state);
        let lang = cookie(&parts.headers, LANG_COOKIE)
            .and_then(|c| Lang::parse(&c))
            .unwrap_or_else(|| {
                i18n::from_accept_language(
                    parts
                        .headers
                        .get(header::ACCEPT_LANGUAGE)
                        .and_then(|v| v.to_str().ok()),
                )
            });
        let mut session = None;
        let mut csrf_token = None;
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            let found = portail_app::sessions::resolve(&state.app, &token)
                .await
                .map_err(|e| PageError::App(e, lang))?;
            if let Some(found) = found {
                let actor = portail_app::auth::actor_for(&state.app, &found.user)
                    .await
                    .map_err(|e| PageError::App(e, lang))?;
                csrf_token = Some(found.csrf_token.clone());
                session = Some(SessionUser {
                    user: found.user,
                    actor,
                    token,
                });
            }
        }
        let mut new_csrf_cookie = false;
        let csrf_token = match csrf_token {
            Some(t) => t,
            None => match cookie(&parts.headers, CSRF_COOKIE) {
                Some(t) if t.len() >= 32 => t,
                _ => {
                    new_csrf_cookie = true;
                    portail_app::sessions::random_secret()
                }
            },
        };
        let path = return_path(parts);
        let secure = state
            .settings
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        let ctx = PageCtx {
            state,
            lang,
            session,
            csrf_token,
            new_csrf_cookie,
            path,
            secure,
        };
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

/// A `Set-Cookie` value with our attributes.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut out = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        out.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        out.push_str("; Secure");
    }
    out
}

impl PageCtx {
    /// The signed-in user, or a redirect to the login page.
    pub fn require_user(&self) -> PageResult<&SessionUser> {
        self.session
            .as_ref()
            .ok_or_else(|| PageError::Login(self.path.clone()))
    }

    /// The actor, if signed in.
    pub fn actor(&self) -> Option<&Actor> {
        self.session.as_ref().map(|s| &s.actor)
    }

    /// Wraps a use-case error for the page.
    pub fn fail(&self, e: AppError) -> PageError {
        match e {
            AppError::Unauthorized(_) if self.session.is_none() => {
                PageError::Login(self.path.clone())
            }
            other => PageError::App(other, self.lang),
        }
    }

    /// Refuses a form whose `csrf_token` does not match (403).
    pub fn check_csrf(&self, form: &Params) -> PageResult<()> {
        let sent = form.get("csrf_token").unwrap_or("");
        if constant_time_eq(sent.as_bytes(), self.csrf_token.as_bytes()) && !sent.is_empty() {
            Ok(())
        } else {
            Err(PageError::Csrf(self.lang))
        }
    }

    /// Whether cookies should carry `Secure`.
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// The values every template gets.
    fn base(&self) -> Map<String, Json> {
        let mut map = Map::new();
        map.insert("lang".into(), json!(self.lang.code()));
        map.insert("other_lang".into(), json!(self.lang.other().code()));
        map.insert("t".into(), i18n::messages(self.lang));
        map.insert("csrf_token".into(), json!(self.csrf_token));
        map.insert("path".into(), json!(self.path));
        map.insert(
            "current_user".into(),
            match &self.session {
                Some(s) => json!({
                    "id": s.user.id,
                    "slug": s.user.slug,
                    "name": format!("{} {}", s.user.first_name, s.user.last_name).trim().to_owned(),
                    "sysadmin": s.user.sysadmin,
                }),
                None => Json::Null,
            },
        );
        map
    }

    /// Renders a template with the page's values (a JSON object) and the common ones.
    pub fn render(&self, template: &str, values: Json) -> PageResult<Response> {
        self.render_status(StatusCode::OK, template, values)
    }

    /// Same as [`PageCtx::render`] with a status (e.g. 400 for a form with errors).
    pub fn render_status(
        &self,
        status: StatusCode,
        template: &str,
        values: Json,
    ) -> PageResult<Response> {
        let mut map = self.base();
        if let Json::Object(values) = values {
            map.extend(values);
        }
        let html = self
            .state
            .pages
            .templates
            .render(template, Value::from(minijinja::value::Serde(&map)))
            .map_err(|e| {
                PageError::App(
                    AppError::Internal(format!("template {template}: {e:#}")),
                    self.lang,
                )
            })?;
        let mut response = (status, Html(html)).into_response();
        self.finish(&mut response);
        Ok(response)
    }

    /// A 303 redirect (after a POST), carrying the anonymous CSRF cookie when new.
    pub fn redirect(&self, to: &str) -> Response {
        let mut response = Redirect::to(to).into_response();
        self.finish(&mut response);
        response
    }

    fn finish(&self, response: &mut Response) {
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        if self.new_csrf_cookie
            && let Ok(v) = HeaderValue::from_str(&set_cookie(
                CSRF_COOKIE,
                &self.csrf_token,
                None,
                self.secure,
            ))
        {
            headers.append(header::SET_COOKIE, v);
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An `application/x-www-form-urlencoded` body, repeated keys kept.
pub struct PageForm(pub Params);

impl<S: Send + Sync> FromRequest<S> for PageForm {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| PageError::App(AppError::BadRequest(e.body_text()), Lang::Fr))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| PageError::App(AppError::BadRequest(e.to_string()), Lang::Fr))?;
        Ok(PageForm(Params(pairs)))
    }
}

/// The address of the page being shown, to come back to after switching language or
/// logging in: the request's own for a GET; for a form POST (a page shown again with its
/// errors) the page the form was on, from a same-site `Referer`, since the POST address has
/// no GET (else the home page).
fn return_path(parts: &axum::http::request::Parts) -> String {
    if parts.method == axum::http::Method::GET || parts.method == axum::http::Method::HEAD {
        return parts
            .uri
            .path_and_query()
            .map_or("/".to_owned(), |p| p.as_str().to_owned());
    }
    let host = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok());
    parts
        .headers
        .get(axum::http::header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .filter(|r| host.is_some() && r.authority().map(|a| a.as_str()) == host)
        .and_then(|r| r.path_and_query().map(|p| p.as_str().to_owned()))
        .unwrap_or_else(|| "/".to_owned())
}

/// A local path to come back to (`next=`): absolute path on this site only.
pub fn local_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// What was typed in these fields of a form, to show it again with its errors (absent: "").
pub fn typed_values(form: &crate::extract::Params, keys: &[&str]) -> Json {
    Json::Object(
        keys.iter()
            .map(|k| ((*k).to_owned(), json!(form.get(k).unwrap_or(""))))
            .collect(),
    )
}

/// Field errors of a use case as `{field: "message; message"}`, or `None` when the error is
/// not about fields.
pub fn field_errors(e: &AppError) -> Option<Json> {
    match e {
        AppError::Validation(errors) => {
            let value = serde_json::to_value(&errors.0).ok()?;
            let Json::Object(map) = value else {
                return None;
            };
            Some(Json::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let text = match v {
                            Json::Array(items) => items
                                .iter()
                                .filter_map(|i| i.as_str())
                                .collect::<Vec<_>>()
                                .join(" "),
                            Json::String(s) => s,
                            other => other.to_string(),
                        };
                        (k, Json::String(text))
                    })
                    .collect(),
            ))
        }
        _ => None,
    }
}

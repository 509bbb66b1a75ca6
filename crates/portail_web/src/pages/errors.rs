//! How page handlers fail: an HTML page in the visitor's language (the API's JSON shapes are
//! in `crate::errors`), or a redirect to the login page when a session is needed.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use portail_app::AppError;

use crate::pages::i18n::{Lang, tr};

/// An error of a page handler.
#[derive(Debug)]
pub enum PageError {
    /// A use case failed.
    App(AppError, Lang),
    /// The page needs a session: go to the login page, then come back to `next`.
    Login(String),
    /// The form's CSRF token is missing or wrong.
    Csrf(Lang),
}

/// Result of page handlers.
pub type PageResult<T> = Result<T, PageError>;

impl From<portail_db::DbError> for PageError {
    fn from(e: portail_db::DbError) -> PageError {
        PageError::App(AppError::Db(e), Lang::Fr)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(status: StatusCode, lang: Lang, title: &str, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · Portail</title><link rel=\"stylesheet\" href=\"/static/portail.css\"></head>\
<body><main id=\"main\" class=\"container narrow\"><h1>{title}</h1><p>{message}</p>\
<p><a href=\"/\">{home}</a></p></main></body></html>",
        code = lang.code(),
        title = escape(title),
        message = escape(message),
        home = tr(lang, "nav_home"),
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Login(next) => {
                Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response()
            }
            PageError::Csrf(lang) => page(
                StatusCode::FORBIDDEN,
                lang,
                tr(lang, "error_forbidden"),
                tr(lang, "error_csrf"),
            ),
            PageError::App(e, lang) => {
                let (status, title) = match &e {
                    AppError::NotFound(_) => (StatusCode::NOT_FOUND, "error_not_found"),
                    AppError::Gone(_) => (StatusCode::GONE, "error_gone"),
                    AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "error_forbidden"),
                    AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "error_forbidden"),
                    AppError::Validation(_) | AppError::BadRequest(_) | AppError::Conflict(_) => {
                        (StatusCode::BAD_REQUEST, "error_bad_request")
                    }
                    AppError::PayloadTooLarge(_) => {
                        (StatusCode::PAYLOAD_TOO_LARGE, "error_bad_request")
                    }
                    AppError::UnsupportedMediaType(_) => {
                        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "error_bad_request")
                    }
                    AppError::Unavailable(_) => {
                        (StatusCode::SERVICE_UNAVAILABLE, "error_unavailable")
                    }
                    _ => (StatusCode::INTERNAL_SERVER_ERROR, "error_internal"),
                };
                let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
                    tracing::error!(error = %e, "page error");
                    tr(lang, "error_internal_text").to_owned()
                } else {
                    e.to_string()
                };
                page(status, lang, tr(lang, title), &message)
            }
        }
    }
}

/// Percent-encodes a query value.
pub fn urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)])
        .map(|s| s.trim_start_matches("v=").to_owned())
        .unwrap_or_default()
}

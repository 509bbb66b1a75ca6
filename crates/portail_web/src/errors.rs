//! The one place where errors become HTTP responses.
//!
//! Which to use where: handlers return [`ApiResult`]; use cases return
//! `portail_app::AppError`, converted here with `?`. Shapes follow udata: `{"message": ...}` for
//! 401/403/404/410/409 and plain 400s, `{"errors": {field: [msg]}, "message": ...}` for field
//! validation. Unexpected errors are logged once, here, and answered without details.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use portail_app::AppError;
use portail_db::DbError;
use serde_json::json;

/// An error answered by the API.
#[derive(Debug)]
pub struct ApiError(pub AppError);

/// Result of API handlers.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        ApiError(e)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> ApiError {
        ApiError(AppError::Db(e))
    }
}

impl ApiError {
    /// A 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError(AppError::BadRequest(message.into()))
    }

    /// A 404 with a message.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError(AppError::NotFound(message.into()))
    }

    /// A 400 naming one field.
    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError(AppError::field(field, message))
    }
}

fn message(status: StatusCode, text: &str) -> Response {
    (status, Json(json!({ "message": text }))).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::Validation(errors) => (
                StatusCode::BAD_REQUEST,
                Json(json!({ "errors": errors.0, "message": "Validation error: see \"errors\" for each invalid field." })),
            )
                .into_response(),
            AppError::BadRequest(m) => message(StatusCode::BAD_REQUEST, &m),
            AppError::Unauthorized(m) => {
                let mut response = message(StatusCode::UNAUTHORIZED, &m);
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"uData\""),
                );
                response
            }
            AppError::Forbidden(m) => message(StatusCode::FORBIDDEN, &m),
            AppError::NotFound(m) => message(StatusCode::NOT_FOUND, &m),
            AppError::Gone(m) => message(StatusCode::GONE, &m),
            AppError::Conflict(m) => message(StatusCode::CONFLICT, &m),
            AppError::PayloadTooLarge(m) => message(StatusCode::PAYLOAD_TOO_LARGE, &m),
            AppError::UnsupportedMediaType(m) => message(StatusCode::UNSUPPORTED_MEDIA_TYPE, &m),
            AppError::Unavailable(m) => message(StatusCode::SERVICE_UNAVAILABLE, &m),
            AppError::Storage(portail_storage::StorageError::NotFound(_)) => {
                message(StatusCode::NOT_FOUND, "File not found")
            }
            AppError::Db(db_error) if db_error.is_invalid_text() => message(
                StatusCode::BAD_REQUEST,
                "Text cannot contain the NUL character (\\u0000).",
            ),
            AppError::Db(db_error) if db_error.is_unavailable() => {
                tracing::error!(error = %db_error, "database unavailable");
                message(StatusCode::SERVICE_UNAVAILABLE, "The database is unavailable; please retry shortly.")
            }
            other => {
                tracing::error!(error = %other, "internal error");
                message(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
            }
        }
    }
}

/// The answer to a handler that panicked: logged here, answered like any unexpected error
/// (JSON, no details) instead of tower-http's plain-text default.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "a handler panicked");
    message(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_a_json_500() {
        let response = panic_response(Box::new("attempt to subtract with overflow"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(&body[..], br#"{"message":"Internal server error"}"#);
    }
}

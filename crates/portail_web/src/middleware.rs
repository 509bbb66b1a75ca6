//! Small middlewares: cache invalidation after writes, the JSON 404.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::AppState;

/// Clears the anonymous response cache after every successful write, so a reader never sees
/// stale data from this process (other processes are caught by the outbox follower).
pub async fn invalidate_on_write(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let write = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let response = next.run(request).await;
    if write && (response.status().is_success() || response.status().is_redirection()) {
        state.cache.invalidate();
    }
    response
}

/// Unknown paths.
pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"message": "Not found: check the path (see /api/1/docs/ for the API)."})),
    )
        .into_response()
}

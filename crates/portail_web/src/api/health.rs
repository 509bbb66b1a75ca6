//! `/healthz`: 200 when the database answers, 503 otherwise.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::state::AppState;

/// Liveness and database reachability, for load balancers and monitoring.
#[utoipa::path(get, path = "/healthz", tag = "site", operation_id = "get_health",
    responses((status = 200, description = "The database answers"), (status = 503, description = "The database does not answer")))]
pub async fn get_health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.app.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({"status": "ok", "database": state.app.db.backend()})),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "error", "message": "The database does not answer."})),
            )
        }
    }
}

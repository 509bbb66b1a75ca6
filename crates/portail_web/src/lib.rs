//! HTTP layer of Portail: the router (every route in `router.rs`), the JSON API handlers,
//! wire types, the one place errors become HTTP, and the OpenAPI document.

pub mod api;
pub mod cache;
pub mod downloads;
pub mod errors;
pub mod extract;
pub mod middleware;
pub mod openapi;
pub mod pages;
pub mod paging;
pub mod router;
pub mod state;
pub mod views;

use std::sync::Arc;

use crate::cache::ResponseCache;
use crate::state::AppState;

/// Settings of the HTTP server.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Public base URL (e.g. `https://data.example.org`), used for absolute URLs in responses;
    /// when unset, they are built from the request's `Host`.
    pub public_url: Option<String>,
}

/// Builds the state and starts the background tasks the web layer needs: the outbox follower
/// that keeps the response cache fresh, and the download-count flusher.
pub fn app_state(app: portail_app::App, settings: Settings) -> AppState {
    let cache = Arc::new(ResponseCache::default());
    let downloads = Arc::new(downloads::DownloadCounter::default());
    tokio::spawn(cache::follow_changes(app.db.clone(), cache.clone()));
    tokio::spawn(downloads::flush_loop(app.clone(), downloads.clone()));
    AppState {
        app,
        settings: Arc::new(settings),
        cache,
        downloads,
    }
}

/// Builds the router (see [`app_state`]).
pub fn app_router(app: portail_app::App, settings: Settings) -> axum::Router {
    router::router(app_state(app, settings))
}

/// Serves the portal on an already bound listener until `shutdown` resolves, then writes the
/// pending download counts.
pub async fn run(
    app: portail_app::App,
    settings: Settings,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = app_state(app, settings);
    let router = router::router(state.clone());
    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    state.downloads.flush(&state.app).await;
    served
}

//! HTTP layer of Portail: the router (every route in `router.rs`), the JSON API handlers,
//! wire types, the one place errors become HTTP, and the OpenAPI document.

pub mod api;
pub mod cache;
pub mod ckan;
pub mod conditional;
pub mod downloads;
pub mod errors;
pub mod extract;
pub mod middleware;
pub mod openapi;
pub mod pages;
pub mod paging;
pub mod router;
pub mod site;
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
    /// A folder of templates overriding the embedded ones (`PORTAIL_TEMPLATES_DIR`).
    pub templates_dir: Option<std::path::PathBuf>,
    /// Fail on undefined template variables instead of rendering them empty (tests).
    pub strict_templates: bool,
}

/// The background tasks of the web layer; they stop when this is dropped.
pub struct Background(Vec<tokio::task::JoinHandle<()>>);

impl Drop for Background {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Builds the state and starts the background tasks the web layer needs: the outbox follower
/// that keeps the response cache fresh, the download-count flusher, and the follower that keeps
/// the search index in step with the database (when the app has an index).
pub fn app_state(app: portail_app::App, settings: Settings) -> (AppState, Background) {
    let cache = Arc::new(ResponseCache::default());
    let downloads = Arc::new(downloads::DownloadCounter::default());
    let mut tasks = vec![
        tokio::spawn(cache::follow_changes(app.db.clone(), cache.clone())),
        tokio::spawn(downloads::flush_loop(app.clone(), downloads.clone())),
    ];
    if let Some(index) = app.search.clone() {
        tasks.push(tokio::spawn(portail_app::search::follow_changes(
            app.clone(),
            index,
        )));
    }
    let pages = Arc::new(pages::PagesState::new(&settings));
    let state = AppState::new(state::Shared {
        app,
        settings,
        cache,
        downloads,
        pages,
    });
    (state, Background(tasks))
}

/// Serves the portal on an already bound listener until `shutdown` resolves, then writes the
/// pending download counts.
pub async fn run(
    app: portail_app::App,
    settings: Settings,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (state, background) = app_state(app, settings);
    let router = router::router(state.clone());
    // The peer address feeds the login rate limit.
    let served = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    drop(background);
    state.downloads.flush(&state.app).await;
    served
}

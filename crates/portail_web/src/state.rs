//! Shared state of the HTTP server.

use std::sync::Arc;

use portail_app::App;

use crate::Settings;
use crate::cache::ResponseCache;
use crate::downloads::DownloadCounter;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub settings: Arc<Settings>,
    pub cache: Arc<ResponseCache>,
    pub downloads: Arc<DownloadCounter>,
}

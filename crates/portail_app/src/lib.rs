//! Use cases of Portail, shared by the JSON API, the web pages, the CLI and the jobs:
//! authentication, authorization and every create/update/delete, each in one transaction that
//! also records the change in the outbox.
//!
//! Handlers call these functions and only map their inputs and outputs; no rule lives in the
//! web layer.

pub mod activity;
pub mod auth;
pub mod catalog;
pub mod checks;
pub mod community;
pub mod datasets;
pub mod discussions;
pub mod errors;
pub mod files;
pub mod followers;
pub mod harvest;
pub mod organizations;
pub mod overview;
pub mod resources;
pub mod reuses;
pub mod search;
pub mod sessions;
pub mod transfers;
pub mod users;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use parking_lot::RwLock;
use portail_db::Db;

pub use errors::{AppError, AppResult};

/// Where the current time comes from: the system clock, or a fixed one in tests.
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<RwLock<DateTime<Utc>>>>);

impl Clock {
    /// A clock frozen at `at`, movable with [`Clock::set`].
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Some(Arc::new(RwLock::new(at))))
    }

    /// The current time, truncated to microseconds.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Some(at) => *at.read(),
            None => portail_core::model::now(),
        }
    }

    /// Moves a fixed clock; no effect on the system clock.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(cell) = &self.0 {
            *cell.write() = portail_core::model::truncate_to_micros(at);
        }
    }
}

/// What every use case needs: the database, the file store, the clock and the upload policy.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub clock: Clock,
    /// Where hosted files live; `None` disables uploads (503).
    pub storage: Option<portail_storage::Storage>,
    pub uploads: files::UploadPolicy,
    /// This node's search index; `None` disables search (503).
    pub search: Option<Arc<portail_search::SearchIndex>>,
    /// Outbound policy and limits of harvest jobs.
    pub harvest: harvest::HarvestSettings,
}

impl App {
    /// An application on a database, with the system clock and no file storage.
    pub fn new(db: Db) -> App {
        App {
            db,
            clock: Clock::default(),
            storage: None,
            uploads: files::UploadPolicy::default(),
            search: None,
            harvest: harvest::HarvestSettings::default(),
        }
    }

    /// Sets the file store.
    pub fn with_storage(mut self, storage: portail_storage::Storage) -> App {
        self.storage = Some(storage);
        self
    }

    /// Sets the search index.
    pub fn with_search(mut self, index: Arc<portail_search::SearchIndex>) -> App {
        self.search = Some(index);
        self
    }

    /// The file store, or a 503 when none is configured.
    pub fn storage(&self) -> AppResult<&portail_storage::Storage> {
        self.storage.as_ref().ok_or_else(|| {
            AppError::Unavailable("File storage is not configured on this portal.".into())
        })
    }
}

//! Where Portail keeps its data: the data folder and the database, resolved from the global
//! options, with the defaults applied.

use std::path::{Path, PathBuf};

use anyhow::Context;
use portail_db::{ConnectOptions, Db};

use portail_app::files::UploadPolicy;
use portail_core::files::default_allowed_extensions;
use portail_storage::S3Settings;

use crate::cli::{FileOpts, GlobalOpts};

/// Data folder used when neither `--data-dir` nor `PORTAIL_DATA_DIR` is given.
pub const DEFAULT_DATA_DIR: &str = "./portail-data";

/// Name of the default SQLite database inside the data folder.
pub const SQLITE_FILE: &str = "portail.db";

/// Folder of the search index inside the data folder, when none is given.
pub const INDEX_DIR: &str = "index";

/// Opens (or creates) the search index of this process; a missing, damaged or outdated index
/// is recreated empty, and the server's follower rebuilds it from the database.
pub fn open_search(
    storage: &Storage,
    global: &GlobalOpts,
    writer_memory: usize,
) -> anyhow::Result<std::sync::Arc<portail_search::SearchIndex>> {
    let dir = storage.index_dir(global);
    let (index, opened) = portail_search::SearchIndex::open(&dir, writer_memory)
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    match opened {
        portail_search::Opened::Ready(state) => {
            tracing::info!(index = %dir.display(), seq = state.seq, "search index opened");
        }
        portail_search::Opened::NeedsRebuild(reason) => {
            tracing::info!(index = %dir.display(), reason = %reason, "search index to be built from the database");
        }
    }
    Ok(std::sync::Arc::new(index))
}

/// Folder of hosted files inside the data folder, when no storage URL is given.
pub const FILES_DIR: &str = "files";

/// The storage settings in effect.
#[derive(Debug, Clone)]
pub struct Storage {
    pub data_dir: PathBuf,
    /// The URL given with `--database-url` / `DATABASE_URL`, if any.
    pub database_url: Option<String>,
}

impl Storage {
    /// Applies the defaults to the global options.
    pub fn from_options(global: &GlobalOpts) -> Storage {
        Storage {
            data_dir: global
                .data_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR)),
            database_url: global
                .database_url
                .clone()
                .filter(|url| !url.trim().is_empty()),
        }
    }

    /// The search index folder.
    pub fn index_dir(&self, global: &GlobalOpts) -> PathBuf {
        global
            .index_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join(INDEX_DIR))
    }

    /// The default SQLite file, used when no database URL is given.
    pub fn sqlite_file(&self) -> PathBuf {
        self.data_dir.join(SQLITE_FILE)
    }

    /// The database, for logs and messages: the URL with its password hidden, or the file.
    pub fn describe_database(&self) -> String {
        match &self.database_url {
            Some(url) => portail_db::redact_url(url),
            None => format!("sqlite://{}", self.sqlite_file().display()),
        }
    }

    /// Creates the data folder if missing and opens the database (without migrating it).
    pub async fn open(&self) -> anyhow::Result<Db> {
        ensure_dir(&self.data_dir)?;
        let options = ConnectOptions::default();
        // DbError::Connect already says what is wrong and what to do: no context to add.
        let db = match &self.database_url {
            Some(url) => Db::connect(url, &options).await?,
            None => Db::open_sqlite_file(&self.sqlite_file(), &options).await?,
        };
        Ok(db)
    }
}

/// Opens the store of hosted files: `--storage-url`, else the `files` folder of the data folder.
pub fn file_storage(
    storage: &Storage,
    files: &FileOpts,
) -> anyhow::Result<portail_storage::Storage> {
    let url = files
        .storage_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let opened = match url {
        Some(url) => {
            let s3 = S3Settings {
                endpoint: files.s3_endpoint.clone(),
                region: Some(files.s3_region.clone()),
                // The AWS_* variables are read by the S3 client itself.
                access_key_id: None,
                secret_access_key: None,
                allow_http: files.s3_allow_http,
            };
            portail_storage::Storage::from_url(url, &s3)
        }
        None => portail_storage::Storage::local(&storage.data_dir.join(FILES_DIR)),
    };
    opened.context("cannot open the file storage")
}

/// The limits on uploads.
pub fn upload_policy(files: &FileOpts) -> UploadPolicy {
    let allowed: Vec<String> = files
        .allowed_extensions
        .iter()
        .map(|e| e.trim().trim_start_matches('.').to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    UploadPolicy {
        max_size: files.max_upload_size,
        allowed_extensions: if allowed.is_empty() {
            default_allowed_extensions()
        } else {
            allowed
        },
        chunk_retention: std::time::Duration::from_secs(
            files.chunk_retention_hours.saturating_mul(3600),
        ),
    }
}

fn ensure_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data folder {}", dir.display()))
}

/// Opens the database and applies pending migrations: what most commands start with.
pub async fn open_migrated(global: &GlobalOpts) -> anyhow::Result<(Storage, Db)> {
    let storage = Storage::from_options(global);
    let db = storage.open().await?;
    db.migrate().await.with_context(|| {
        format!(
            "cannot migrate the database {}",
            storage.describe_database()
        )
    })?;
    Ok((storage, db))
}

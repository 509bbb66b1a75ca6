//! Storage of Portail on SQLite (the embedded default) or PostgreSQL, chosen at run time from the
//! database URL.
//!
//! Rules (see this crate's README): one SQL text for both engines (`$1` placeholders, portable
//! subset only), values such as ids and timestamps computed in Rust and bound, arms of
//! [`with_db!`] return backend-neutral types, and every write goes through a [`Tx`] that also
//! records a row in the `changes` outbox.

pub mod activities;
pub mod bulk;
pub mod catalog;
pub mod changes;
pub mod checks;
pub mod community;
pub mod datasets;
pub mod discussions;
pub mod follows;
pub mod harvest;
pub mod organizations;
pub mod resources;
pub mod reuses;
pub mod sessions;
pub mod slugs;
pub mod sql;
pub mod tokens;
pub mod transfers;
pub mod users;
pub mod views;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

pub use sql::{Arg, Sql};

/// A connection pool on one of the two supported engines.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction on one of the two engines.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs the same body on whichever pool is active. Arms must return backend-neutral types.
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($p) => $body,
            $crate::Db::Postgres($p) => $body,
        }
    };
}

/// Runs the same body on the connection of whichever transaction is active.
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database URL or the database itself could not be used; the message says why and what
    /// to do.
    #[error("{0}")]
    Connect(String),
    /// A unique constraint was violated (e.g. an e-mail already registered).
    #[error("unique constraint violated: {0}")]
    Unique(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl DbError {
    /// Maps sqlx errors, turning unique violations into [`DbError::Unique`].
    pub fn from_sqlx(err: sqlx::Error) -> DbError {
        if let sqlx::Error::Database(db) = &err
            && db.is_unique_violation()
        {
            return DbError::Unique(db.constraint().unwrap_or(db.message()).to_owned());
        }
        DbError::Sqlx(err)
    }
}

impl DbError {
    /// True when the database refused a text value as such: PostgreSQL cannot store the NUL
    /// character (`\u0000`, SQLSTATE 22021), which any query parameter or JSON string may
    /// carry. The client's mistake (a 400), not the server's.
    pub fn is_invalid_text(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(db)) if db.code().as_deref() == Some("22021"))
    }

    /// True when the database is unreachable or overloaded (worth a 503 and a retry).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            DbError::Sqlx(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_))
        )
    }
}

/// Result type of this crate.
pub type DbResult<T> = Result<T, DbError>;

/// One schema change, written once per engine. Listing both texts side by side keeps the
/// version numbers of the two folders in step.
struct EmbeddedMigration {
    version: i64,
    description: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[EmbeddedMigration] = &[
    EmbeddedMigration {
        version: 1,
        description: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    EmbeddedMigration {
        version: 2,
        description: "downloads",
        sqlite: include_str!("../migrations/sqlite/0002_downloads.sql"),
        postgres: include_str!("../migrations/postgres/0002_downloads.sql"),
    },
    EmbeddedMigration {
        version: 3,
        description: "list indexes",
        sqlite: include_str!("../migrations/sqlite/0003_list_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0003_list_indexes.sql"),
    },
    EmbeddedMigration {
        version: 4,
        description: "harvest",
        sqlite: include_str!("../migrations/sqlite/0004_harvest.sql"),
        postgres: include_str!("../migrations/postgres/0004_harvest.sql"),
    },
    EmbeddedMigration {
        version: 5,
        description: "sessions",
        sqlite: include_str!("../migrations/sqlite/0005_sessions.sql"),
        postgres: include_str!("../migrations/postgres/0005_sessions.sql"),
    },
    EmbeddedMigration {
        version: 6,
        description: "living datasets",
        sqlite: include_str!("../migrations/sqlite/0006_living.sql"),
        postgres: include_str!("../migrations/postgres/0006_living.sql"),
    },
    EmbeddedMigration {
        version: 7,
        description: "harvest runs",
        sqlite: include_str!("../migrations/sqlite/0007_harvest_runs.sql"),
        postgres: include_str!("../migrations/postgres/0007_harvest_runs.sql"),
    },
    EmbeddedMigration {
        version: 8,
        description: "community files",
        sqlite: include_str!("../migrations/sqlite/0008_community_files.sql"),
        postgres: include_str!("../migrations/postgres/0008_community_files.sql"),
    },
];

fn migrator(postgres: bool) -> sqlx::migrate::Migrator {
    use sqlx::SqlSafeStr;
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    let migrations = MIGRATIONS
        .iter()
        .map(|m| {
            let sql = if postgres { m.postgres } else { m.sqlite };
            Migration::new(
                m.version,
                m.description.into(),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: migrations.into(),
        ..Migrator::DEFAULT
    }
}

/// Options for opening a database.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub max_connections: u32,
    /// PostgreSQL only: a schema to use (created if missing); tests get one each.
    pub schema: Option<String>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            max_connections: 16,
            schema: None,
        }
    }
}

/// Bytes of a SQLite file read through `mmap`: all of it, up to 1 TiB (the build raises
/// SQLite's 2 GiB cap to this, see `.cargo/config.toml`). Those reads come straight from the
/// operating system's page cache, shared by every connection: at a million datasets, each
/// connection's own cache missed most pages, and each miss cost a read system call and an
/// allocation (about a tenth of a search request's CPU in `perf`).
pub const SQLITE_MMAP_SIZE: i64 = 1 << 40;

impl Db {
    /// Opens a database from a URL: `sqlite://path/to/file.db` (created if missing) or
    /// `postgres://user:password@host:port/database`.
    pub async fn connect(url: &str, options: &ConnectOptions) -> DbResult<Db> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url, options).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::connect_postgres(url, options).await
        } else {
            Err(DbError::Connect(format!(
                "unsupported database URL \"{}\": use sqlite://path/to/portail.db or postgres://user:password@host:5432/database",
                redact_url(url)
            )))
        }
    }

    /// Opens (creating it if needed) the SQLite database file at `path`.
    pub async fn open_sqlite_file(path: &Path, options: &ConnectOptions) -> DbResult<Db> {
        let opts = SqliteConnectOptions::new().filename(path);
        Self::sqlite_pool(opts, options).await
    }

    async fn connect_sqlite(url: &str, options: &ConnectOptions) -> DbResult<Db> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| DbError::Connect(format!("invalid SQLite URL \"{url}\": {e}")))?;
        Self::sqlite_pool(opts, options).await
    }

    async fn sqlite_pool(opts: SqliteConnectOptions, options: &ConnectOptions) -> DbResult<Db> {
        let filename = opts.get_filename().display().to_string();
        let opts = opts
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000")
            .pragma("mmap_size", SQLITE_MMAP_SIZE.to_string());
        let pool = SqlitePoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .min_connections(1)
            // A SQLite connection is a file handle in this process, it cannot drop like a
            // socket: sqlx's ping before each acquire was one more round trip to the
            // connection's thread per query (two wake-ups), for nothing.
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(opts)
            .await
            .map_err(|e| {
                DbError::Connect(format!(
                    "cannot open the SQLite database {filename}: {e} (check that the data folder exists and is writable)"
                ))
            })?;
        Ok(Db::Sqlite(pool))
    }

    async fn connect_postgres(url: &str, options: &ConnectOptions) -> DbResult<Db> {
        let mut opts = PgConnectOptions::from_str(url).map_err(|e| {
            DbError::Connect(format!(
                "invalid PostgreSQL URL \"{}\": {e} (expected postgres://user:password@host:5432/database)",
                redact_url(url)
            ))
        })?;
        if let Some(schema) = &options.schema {
            opts = opts.options([("search_path", schema.as_str())]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(opts)
            .await
            .map_err(|e| {
                DbError::Connect(format!(
                    "cannot connect to PostgreSQL at {}: {e} (is the server running, and are the host, port, user, password and database name right?)",
                    redact_url(url)
                ))
            })?;
        if let Some(schema) = &options.schema {
            let sql = format!(
                "CREATE SCHEMA IF NOT EXISTS \"{}\"",
                schema.replace('"', "")
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await?;
        }
        Ok(Db::Postgres(pool))
    }

    /// Applies pending migrations of the active engine.
    pub async fn migrate(&self) -> DbResult<()> {
        match self {
            Db::Sqlite(p) => migrator(false).run(p).await?,
            Db::Postgres(p) => migrator(true).run(p).await?,
        }
        Ok(())
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> DbResult<()> {
        with_db!(self, |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so concurrent writers wait on the busy timeout instead of failing when a
    /// read inside the transaction is followed by a write.
    pub async fn begin(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        with_db!(self, |p| p.close().await)
    }
}

impl Tx {
    /// Commits the transaction.
    pub async fn commit(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// Hides the password of a database URL for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Normalised list of `(table, column)` of the active schema, to compare the two migration
/// sets.
pub async fn schema_columns(db: &Db) -> DbResult<Vec<(String, String)>> {
    let mut cols: Vec<(String, String)> = match db {
        Db::Sqlite(p) => {
            sqlx::query_as(
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
            )
            .fetch_all(p)
            .await?
        }
        Db::Postgres(p) => {
            sqlx::query_as(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(p)
            .await?
        }
    };
    cols.sort();
    Ok(cols)
}

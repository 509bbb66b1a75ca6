//! The SQLite and PostgreSQL migration sets must build the same tables and columns.
//!
//! With `PORTAIL_TEST_DATABASE_URL` set (as `scripts/test` does for its PostgreSQL pass), both
//! sets are applied, each to a fresh database, and their columns compared. Without it only the
//! SQLite side is checked, with a note saying so.

use std::sync::atomic::{AtomicU64, Ordering};

use portail_db::{ConnectOptions, Db, schema_columns};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    format!(
        "parity{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    )
}

/// A temporary folder removed on drop.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn sqlite_columns() -> Vec<(String, String)> {
    let dir = TempDir(std::env::temp_dir().join(format!("portail-{}", unique_name())));
    std::fs::create_dir_all(&dir.0).expect("temp dir");
    let db = Db::open_sqlite_file(&dir.0.join("portail.db"), &ConnectOptions::default())
        .await
        .expect("open SQLite");
    db.migrate().await.expect("SQLite migrations apply");
    // Applying them again is a no-op, not an error.
    db.migrate()
        .await
        .expect("SQLite migrations are idempotent");
    let columns = schema_columns(&db).await.expect("SQLite columns");
    db.close().await;
    columns
}

async fn postgres_columns(url: &str) -> Vec<(String, String)> {
    let schema = unique_name();
    let options = ConnectOptions {
        max_connections: 2,
        schema: Some(schema.clone()),
    };
    let db = Db::connect(url, &options)
        .await
        .expect("connect to PostgreSQL");
    db.migrate().await.expect("PostgreSQL migrations apply");
    db.migrate()
        .await
        .expect("PostgreSQL migrations are idempotent");
    let columns = schema_columns(&db).await.expect("PostgreSQL columns");
    if let Db::Postgres(pool) = &db {
        let drop = format!("DROP SCHEMA \"{schema}\" CASCADE");
        sqlx::query(sqlx::AssertSqlSafe(drop))
            .execute(pool)
            .await
            .expect("drop the test schema");
    }
    db.close().await;
    columns
}

fn tables(columns: &[(String, String)]) -> Vec<&str> {
    let mut t: Vec<&str> = columns.iter().map(|(t, _)| t.as_str()).collect();
    t.dedup();
    t
}

#[tokio::test]
async fn both_migration_sets_build_the_same_columns() {
    let sqlite = sqlite_columns().await;
    for table in [
        "users",
        "organizations",
        "organization_members",
        "datasets",
        "api_tokens",
    ] {
        assert!(
            tables(&sqlite).contains(&table),
            "SQLite has no {table} table: {:?}",
            tables(&sqlite)
        );
    }
    let url = match std::env::var("PORTAIL_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            eprintln!(
                "note: PORTAIL_TEST_DATABASE_URL is unset: only the SQLite migrations were \
                 checked; run scripts/test to compare them with PostgreSQL's"
            );
            return;
        }
    };
    let postgres = postgres_columns(&url).await;
    let only_sqlite: Vec<_> = sqlite.iter().filter(|c| !postgres.contains(c)).collect();
    let only_postgres: Vec<_> = postgres.iter().filter(|c| !sqlite.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migration sets differ:\n  only in SQLite: {only_sqlite:?}\n  only in PostgreSQL: {only_postgres:?}"
    );
    assert_eq!(sqlite, postgres);
}

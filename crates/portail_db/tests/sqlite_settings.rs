//! The SQLite a connection runs: settings that depend on how SQLite was compiled
//! (`LIBSQLITE3_FLAGS` in `.cargo/config.toml`) must have taken effect, since SQLite silently
//! clamps what it cannot do.

use portail_db::{ConnectOptions, Db, SQLITE_MMAP_SIZE};

#[tokio::test]
async fn sqlite_maps_the_whole_file_and_keeps_its_settings() {
    let dir = std::env::temp_dir().join(format!("portail-sqlite-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = Db::open_sqlite_file(&dir.join("portail.db"), &ConnectOptions::default())
        .await
        .expect("open SQLite");
    let Db::Sqlite(pool) = &db else {
        panic!("a SQLite file opens a SQLite pool");
    };
    // Clamped to 2 GiB (2147418112) when SQLite is built without the raised cap.
    let mmap: i64 = sqlx::query_scalar("PRAGMA mmap_size")
        .fetch_one(pool)
        .await
        .expect("mmap_size");
    assert_eq!(
        mmap, SQLITE_MMAP_SIZE,
        "SQLite was built without LIBSQLITE3_FLAGS"
    );
    let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options")
        .fetch_all(pool)
        .await
        .expect("compile_options");
    for wanted in ["DEFAULT_PCACHE_INITSZ=0", "DEFAULT_MEMSTATUS=0"] {
        assert!(options.iter().any(|o| o == wanted), "{wanted}: {options:?}");
    }
    assert!(
        !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
        "{options:?}"
    );
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .expect("journal_mode");
    assert_eq!(journal, "wal");
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

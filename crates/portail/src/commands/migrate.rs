//! `portail migrate`: creates or updates the database schema.

use std::collections::BTreeSet;

use anyhow::Context;
use portail_db::schema_columns;

use crate::cli::GlobalOpts;
use crate::config::Storage;

/// Applies pending migrations and says what changed.
pub async fn run(global: &GlobalOpts) -> anyhow::Result<()> {
    let storage = Storage::from_options(global);
    let db = storage.open().await?;
    let database = storage.describe_database();
    // The schema before and after tells what the migrations did, on both engines.
    let before = schema_columns(&db).await?;
    db.migrate()
        .await
        .with_context(|| format!("cannot migrate the database {database}"))?;
    let after = schema_columns(&db).await?;
    db.close().await;
    let tables =
        |cols: &[(String, String)]| cols.iter().map(|(t, _)| t.clone()).collect::<BTreeSet<_>>();
    let (tables_before, tables_after) = (tables(&before), tables(&after));
    if before.is_empty() {
        println!(
            "Created the schema of {database} ({}): {} tables.",
            db.backend(),
            tables_after.len()
        );
    } else if before == after {
        println!("The schema of {database} ({}) is up to date.", db.backend());
    } else {
        println!(
            "Updated the schema of {database} ({}): {} -> {} tables, {} -> {} columns.",
            db.backend(),
            tables_before.len(),
            tables_after.len(),
            before.len(),
            after.len()
        );
    }
    Ok(())
}

//! `portail demo`: loads the demo catalog into an empty database.

use crate::cli::GlobalOpts;
use crate::config;
use crate::demo::{self, DemoOutcome};

/// Loads the demo catalog, or says why not.
pub async fn run(global: &GlobalOpts) -> anyhow::Result<()> {
    let (storage, db) = config::open_migrated(global).await?;
    let app = portail_app::App::new(db.clone());
    let outcome = demo::load_if_empty(&app).await;
    db.close().await;
    match outcome? {
        DemoOutcome::Loaded(report) => println!(
            "Loaded the demo catalog into {}: {} users, {} organizations, {} datasets, {} resources.",
            storage.describe_database(),
            report.users,
            report.organizations,
            report.datasets,
            report.resources
        ),
        DemoOutcome::NotEmpty(count) => println!(
            "The database {} already has {count} datasets; demo content not loaded.",
            storage.describe_database()
        ),
    }
    Ok(())
}

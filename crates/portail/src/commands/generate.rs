//! `portail generate`: adds a synthetic catalog, for benchmarks.

use crate::cli::{GenerateArgs, GlobalOpts};
use crate::config;
use crate::generate::{self, Plan};

/// Generates the catalog and prints a summary.
pub async fn run(global: &GlobalOpts, args: &GenerateArgs) -> anyhow::Result<()> {
    let (storage, db) = config::open_migrated(global).await?;
    let plan = Plan::from_args(args);
    let result = generate::generate(&db, &plan, true).await;
    db.close().await;
    let report = result?;
    println!(
        "Generated {} datasets ({} resources), {} organizations and {} users in {} in {:.1} s: \
         {:.0} datasets/s. Seed {} (pass --seed {} for the same content).",
        report.datasets,
        report.resources,
        report.organizations,
        report.users,
        storage.describe_database(),
        report.elapsed.as_secs_f64(),
        report.rate(),
        report.seed,
        report.seed
    );
    Ok(())
}

//! `portail check-links`: one pass of the availability checks over every remote resource due
//! now, with a summary on stdout (the server runs the same passes in the background).

use anyhow::Context;
use portail_app::App;

use crate::cli::{CheckOpts, GlobalOpts};
use crate::config;

/// Runs one pass.
pub async fn run(global: &GlobalOpts, args: &CheckOpts) -> anyhow::Result<()> {
    let (_storage, db) = config::open_migrated(global).await?;
    let app = App::new(db.clone());
    let fetcher = args.fetcher()?;
    let summary = portail_app::checks::run_pass(&app, &fetcher, &args.settings(), None)
        .await
        .context("cannot check the remote resources")?;
    db.close().await;
    println!(
        "checked {} remote resources in {:.1} s ({:.0} checks/s): {} available, {} unavailable ({} without an HTTP answer)",
        summary.checked,
        summary.elapsed.as_secs_f64(),
        summary.rate(),
        summary.available,
        summary.unavailable,
        summary.errors
    );
    Ok(())
}

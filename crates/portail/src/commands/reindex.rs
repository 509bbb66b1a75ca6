//! `portail reindex`: rebuilds this process's search index from the database, with a progress
//! bar on stderr and a summary on stdout.

use std::io::Write;
use std::time::Instant;

use anyhow::Context;
use portail_app::App;

use crate::cli::GlobalOpts;
use crate::config;

/// Indexing buffer for a rebuild: large, so that segments are few (a serving process uses
/// much less, see [`portail_search::SERVE_WRITER_MEMORY`]).
const REBUILD_WRITER_MEMORY: usize = 400_000_000;

/// Runs the rebuild.
pub async fn run(global: &GlobalOpts) -> anyhow::Result<()> {
    let (storage, db) = config::open_migrated(global).await?;
    let index = config::open_search(&storage, global, REBUILD_WRITER_MEMORY)?;
    let app = App::new(db.clone()).with_search(index.clone());
    let started = Instant::now();
    let progress = |done: u64, total: u64| draw(done, total, started);
    let state = portail_app::search::rebuild(&app, &index, &progress)
        .await
        .context("cannot rebuild the search index")?;
    eprintln!();
    let seconds = started.elapsed().as_secs_f64();
    let datasets = portail_db::datasets::count_all(&db).await?;
    println!(
        "search index rebuilt in {}: {datasets} datasets, {} documents in all, in {seconds:.1} s ({:.0} datasets/s), up to change {}",
        storage.index_dir(global).display(),
        index.num_docs(),
        datasets as f64 / seconds.max(0.001),
        state.seq,
    );
    db.close().await;
    Ok(())
}

/// Redraws the progress bar in place.
fn draw(done: u64, total: u64, started: Instant) {
    const WIDTH: u64 = 40;
    let filled = (done * WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH)
        .min(WIDTH);
    let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
    let bar: String = (0..WIDTH)
        .map(|i| if i < filled { '#' } else { '-' })
        .collect();
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\rindexing [{bar}] {done}/{total} datasets ({rate:.0}/s)"
    );
    let _ = err.flush();
}

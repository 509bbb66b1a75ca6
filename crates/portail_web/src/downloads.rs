//! Download and view counting without a write per request: counts accumulate in memory and are
//! flushed in one transaction every few seconds (and at shutdown) into the resources, their
//! datasets and the daily series.

use std::collections::HashMap;
use std::time::Duration;

use parking_lot::Mutex;
use portail_app::App;

/// How often counts are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(5);

/// Downloads counted since the last flush, per resource.
#[derive(Default)]
pub struct DownloadCounter {
    pending: Mutex<HashMap<String, (String, i64)>>,
    /// Views of datasets since the last flush, by the id or slug they were read by.
    views: Mutex<HashMap<String, i64>>,
}

impl DownloadCounter {
    /// Counts one download of a resource.
    pub fn count(&self, resource_id: &str, dataset_id: &str) {
        let mut pending = self.pending.lock();
        let entry = pending
            .entry(resource_id.to_owned())
            .or_insert_with(|| (dataset_id.to_owned(), 0));
        entry.1 += 1;
    }

    /// Counts one read of a dataset (`GET /api/1/datasets/{id-or-slug}/`).
    pub fn count_view(&self, dataset: &str) {
        *self.views.lock().entry(dataset.to_owned()).or_insert(0) += 1;
    }

    /// Writes the pending views; on failure they are kept for the next flush.
    async fn flush_views(&self, app: &App) {
        let batch: Vec<(String, i64)> = self.views.lock().drain().collect();
        if batch.is_empty() {
            return;
        }
        let day = app.clock.now().date_naive();
        let result = async {
            let mut tx = app.db.begin().await?;
            portail_db::views::add_views(&mut tx, &batch, day).await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "cannot record dataset views; retrying at the next flush");
            let mut views = self.views.lock();
            for (key, n) in batch {
                *views.entry(key).or_insert(0) += n;
            }
        }
    }

    /// Writes the pending counts; on failure they are kept for the next flush.
    pub async fn flush(&self, app: &App) {
        self.flush_views(app).await;
        let batch: Vec<(String, String, i64)> = {
            let mut pending = self.pending.lock();
            pending
                .drain()
                .map(|(rid, (did, n))| (rid, did, n))
                .collect()
        };
        if batch.is_empty() {
            return;
        }
        let day = app.clock.now().date_naive();
        let result = async {
            let mut tx = app.db.begin().await?;
            portail_db::resources::add_downloads(&mut tx, &batch, day).await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "cannot record download counts; retrying at the next flush");
            let mut pending = self.pending.lock();
            for (rid, did, n) in batch {
                pending.entry(rid).or_insert_with(|| (did, 0)).1 += n;
            }
        }
    }
}

/// Flushes the counter every [`FLUSH_EVERY`], forever.
pub async fn flush_loop(app: App, counter: std::sync::Arc<DownloadCounter>) {
    let mut interval = tokio::time::interval(FLUSH_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        counter.flush(&app).await;
    }
}

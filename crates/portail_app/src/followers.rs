//! Following datasets: the caller follows or unfollows; the dataset's `followers` counter is
//! recounted in the same transaction.

use chrono::{DateTime, Utc};
use portail_core::permissions::Actor;
use portail_db::{changes, follows};

use crate::{App, AppResult};

/// Makes the actor follow a readable dataset; returns the new follower count.
pub async fn follow(app: &App, actor: &Actor, dataset: &str) -> AppResult<i64> {
    let d = crate::datasets::get(app, Some(actor), dataset).await?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    if follows::follow(&mut tx, &d.id, &actor.user_id, now).await? {
        changes::record(&mut tx, crate::datasets::CHANGE_KIND, &d.id, now).await?;
    }
    tx.commit().await?;
    count(app, &d.id).await
}

/// Stops the actor following a dataset; returns the new follower count.
pub async fn unfollow(app: &App, actor: &Actor, dataset: &str) -> AppResult<i64> {
    let d = crate::datasets::get(app, Some(actor), dataset).await?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    if follows::unfollow(&mut tx, &d.id, &actor.user_id).await? {
        changes::record(&mut tx, crate::datasets::CHANGE_KIND, &d.id, now).await?;
    }
    tx.commit().await?;
    count(app, &d.id).await
}

async fn count(app: &App, dataset_id: &str) -> AppResult<i64> {
    Ok(
        portail_db::datasets::find_without_resources(&app.db, dataset_id)
            .await?
            .map_or(0, |(d, _)| d.metrics.followers),
    )
}

/// A page of the followers of a readable dataset: (user id, since), and their total.
pub async fn list(
    app: &App,
    actor: Option<&Actor>,
    dataset: &str,
    page: i64,
    page_size: i64,
) -> AppResult<(Vec<(String, DateTime<Utc>)>, i64)> {
    let d = crate::datasets::get(app, actor, dataset).await?;
    Ok(follows::list(&app.db, &d.id, page, page_size).await?)
}

/// Whether the actor follows a dataset (by id, already checked readable).
pub async fn is_following(app: &App, actor: &Actor, dataset_id: &str) -> AppResult<bool> {
    Ok(follows::is_following(&app.db, dataset_id, &actor.user_id).await?)
}

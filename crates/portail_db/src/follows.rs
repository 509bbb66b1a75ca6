//! Followers of datasets, and the `followers` counter they feed.

use chrono::{DateTime, Utc};

use crate::{Db, DbResult, Tx, with_db, with_tx};

/// Makes a user follow a dataset; false when they already did.
pub async fn follow(
    tx: &mut Tx,
    dataset_id: &str,
    user_id: &str,
    at: DateTime<Utc>,
) -> DbResult<bool> {
    let affected = with_tx!(tx, |c| sqlx::query(
        "INSERT INTO follows (dataset_id, user_id, since) VALUES ($1, $2, $3) \
         ON CONFLICT (dataset_id, user_id) DO NOTHING"
    )
    .bind(dataset_id)
    .bind(user_id)
    .bind(at)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    recount(tx, dataset_id).await?;
    Ok(affected > 0)
}

/// Stops a user following a dataset; false when they did not.
pub async fn unfollow(tx: &mut Tx, dataset_id: &str, user_id: &str) -> DbResult<bool> {
    let affected = with_tx!(tx, |c| sqlx::query(
        "DELETE FROM follows WHERE dataset_id = $1 AND user_id = $2"
    )
    .bind(dataset_id)
    .bind(user_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    recount(tx, dataset_id).await?;
    Ok(affected > 0)
}

async fn recount(tx: &mut Tx, dataset_id: &str) -> DbResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE datasets SET followers = (SELECT COUNT(*) FROM follows WHERE dataset_id = $1) WHERE id = $1"
    )
    .bind(dataset_id)
    .execute(&mut *c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// A page of a dataset's followers (user id, since), oldest first, and their total.
pub async fn list(
    db: &Db,
    dataset_id: &str,
    page: i64,
    page_size: i64,
) -> DbResult<(Vec<(String, DateTime<Utc>)>, i64)> {
    let (total,): (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM follows WHERE dataset_id = $1"
    )
    .bind(dataset_id)
    .fetch_one(p)
    .await)?;
    let rows = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT user_id, since FROM follows WHERE dataset_id = $1 ORDER BY since, user_id LIMIT $2 OFFSET $3"
    )
    .bind(dataset_id)
    .bind(page_size)
    .bind((page - 1).max(0) * page_size)
    .fetch_all(p)
    .await
    })?;
    Ok((rows, total))
}

/// Whether a user follows a dataset.
pub async fn is_following(db: &Db, dataset_id: &str, user_id: &str) -> DbResult<bool> {
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM follows WHERE dataset_id = $1 AND user_id = $2"
    )
    .bind(dataset_id)
    .bind(user_id)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

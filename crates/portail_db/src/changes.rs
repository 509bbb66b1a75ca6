//! The `changes` outbox: one row per write, in the same transaction, tailed by every node to
//! refresh its caches (and its search index). The database stays the only source of truth.

use chrono::{DateTime, Utc};

use crate::{Db, DbResult, Tx, with_db, with_tx};

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Change {
    pub seq: i64,
    pub kind: String,
    pub entity_id: String,
}

/// Records that an entity changed.
pub async fn record(tx: &mut Tx, kind: &str, entity_id: &str, at: DateTime<Utc>) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO changes (kind, entity_id, at) VALUES ($1, $2, $3)"
    )
    .bind(kind)
    .bind(entity_id)
    .bind(at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Changes after `seq`, oldest first.
pub async fn since(db: &Db, seq: i64, limit: i64) -> DbResult<Vec<Change>> {
    let rows = with_db!(db, |p| sqlx::query_as(
        "SELECT seq, kind, entity_id FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2"
    )
    .bind(seq)
    .bind(limit)
    .fetch_all(p)
    .await)?;
    Ok(rows)
}

/// The highest sequence number recorded so far (0 when empty).
pub async fn last_seq(db: &Db) -> DbResult<i64> {
    let (seq,): (Option<i64>,) = with_db!(db, |p| sqlx::query_as("SELECT MAX(seq) FROM changes")
        .fetch_one(p)
        .await)?;
    Ok(seq.unwrap_or(0))
}

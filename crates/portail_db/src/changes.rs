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

/// The changes with these sequence numbers that are visible now (a follower re-reads the
/// numbers it saw skipped: a transaction that took a number may commit after a later one).
pub async fn by_seqs(db: &Db, seqs: &[i64]) -> DbResult<Vec<Change>> {
    if seqs.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = crate::Sql::new("SELECT seq, kind, entity_id FROM changes WHERE seq IN ");
    sql.bind_list_int(seqs.iter().copied());
    sql.push(" ORDER BY seq");
    let rows = with_db!(db, |p| crate::bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
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

/// The highest sequence number, and how many changes have a sequence number above `above`.
///
/// Sequence numbers are assigned when a transaction writes but become visible when it commits,
/// so a change can appear *below* the highest number already seen. Followers compare this
/// count over a recent window to notice such late commits.
pub async fn window(db: &Db, above: i64) -> DbResult<(i64, i64)> {
    let (max, count): (Option<i64>, i64) = with_db!(db, |p| sqlx::query_as(
        "SELECT (SELECT MAX(seq) FROM changes), (SELECT COUNT(*) FROM changes WHERE seq > $1)"
    )
    .bind(above)
    .fetch_one(p)
    .await)?;
    Ok((max.unwrap_or(0), count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_late_commit_below_the_max_changes_the_window_count() {
        let dir = std::env::temp_dir().join(format!("portail-changes-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::open_sqlite_file(&dir.join("db.sqlite"), &crate::ConnectOptions::default())
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let now = portail_core::model::now();
        for id in ["a", "b", "c"] {
            let mut tx = db.begin().await.unwrap();
            record(&mut tx, "dataset", id, now).await.unwrap();
            tx.commit().await.unwrap();
        }
        let (max, count) = window(&db, 0).await.unwrap();
        assert_eq!((max, count), (3, 3));
        // A row that appears below the max (as a late commit would) is still noticed.
        crate::with_db!(&db, |p| sqlx::query(
            "INSERT INTO changes (seq, kind, entity_id, at) VALUES (0, 'dataset', 'late', $1)"
        )
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()))
        .unwrap();
        assert_eq!(window(&db, -1).await.unwrap(), (3, 4));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

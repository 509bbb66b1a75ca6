//! Transfers of a dataset from its publisher to another organization or user. Rows stay after
//! the answer: they are the history of who held the dataset.

use chrono::{DateTime, Utc};

use crate::{Arg, Db, DbResult, Sql, Tx, bind_args, with_db, with_tx};

/// One transfer request.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Transfer {
    pub id: String,
    /// `Dataset` (the only class transferable here).
    pub subject_class: String,
    pub subject_id: String,
    /// `Organization` or `User`: the publisher when the request was made.
    pub owner_kind: String,
    pub owner_id: String,
    pub recipient_kind: String,
    pub recipient_id: String,
    /// Who asked.
    pub user_id: String,
    pub comment: String,
    /// `pending`, `accepted` or `refused`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub responder_id: Option<String>,
    pub response_comment: Option<String>,
}

const COLUMNS: &str = "id, subject_class, subject_id, owner_kind, owner_id, recipient_kind, recipient_id, \
    user_id, comment, status, created_at, responded_at, responder_id, response_comment";

/// Inserts a transfer.
pub async fn insert(tx: &mut Tx, t: &Transfer) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO transfers ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    let args = vec![
        Arg::Text(t.id.clone()),
        Arg::Text(t.subject_class.clone()),
        Arg::Text(t.subject_id.clone()),
        Arg::Text(t.owner_kind.clone()),
        Arg::Text(t.owner_id.clone()),
        Arg::Text(t.recipient_kind.clone()),
        Arg::Text(t.recipient_id.clone()),
        Arg::Text(t.user_id.clone()),
        Arg::Text(t.comment.clone()),
        Arg::Text(t.status.clone()),
        Arg::Ts(t.created_at),
        Arg::OptTs(t.responded_at),
        Arg::OptText(t.responder_id.clone()),
        Arg::OptText(t.response_comment.clone()),
    ];
    with_tx!(tx, |c| bind_args!(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        &args
    )
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Records the answer to a pending transfer; false when it was answered meanwhile.
pub async fn respond(tx: &mut Tx, t: &Transfer) -> DbResult<bool> {
    let affected = with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE transfers SET status = $2, responded_at = $3, responder_id = $4, response_comment = $5 \
         WHERE id = $1 AND status = 'pending'"
    )
    .bind(&t.id)
    .bind(&t.status)
    .bind(t.responded_at)
    .bind(&t.responder_id)
    .bind(&t.response_comment)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(affected == 1)
}

/// A transfer by id.
pub async fn find(db: &Db, id: &str) -> DbResult<Option<Transfer>> {
    let sql = format!("SELECT {COLUMNS} FROM transfers WHERE id = $1");
    Ok(with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// Filters of the transfer list.
#[derive(Debug, Clone, Default)]
pub struct TransferQuery {
    pub subject: Option<String>,
    pub recipient: Option<String>,
    pub status: Option<String>,
    /// `None` for sysadmins; else only transfers whose requester, owner or recipient is one
    /// of these ids (the user and the organizations they administer).
    pub involving: Option<Vec<String>>,
}

/// Transfers matching a query, newest first.
pub async fn list(db: &Db, q: &TransferQuery) -> DbResult<Vec<Transfer>> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM transfers WHERE 1 = 1"));
    if let Some(subject) = &q.subject {
        sql.push(" AND subject_id = ")
            .bind(Arg::Text(subject.clone()));
    }
    if let Some(recipient) = &q.recipient {
        sql.push(" AND recipient_id = ")
            .bind(Arg::Text(recipient.clone()));
    }
    if let Some(status) = &q.status {
        sql.push(" AND status = ").bind(Arg::Text(status.clone()));
    }
    if let Some(ids) = &q.involving {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        sql.push(" AND (user_id IN ").bind_list(ids.iter().cloned());
        sql.push(" OR owner_id IN ").bind_list(ids.iter().cloned());
        sql.push(" OR recipient_id IN ")
            .bind_list(ids.iter().cloned());
        sql.push(")");
    }
    sql.push(" ORDER BY created_at DESC, id LIMIT 1000");
    Ok(with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?)
}

/// Drops the partial-editor assignments on a dataset (they belonged to its old publisher).
pub async fn clear_assignments(tx: &mut Tx, dataset_id: &str) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM dataset_assignments WHERE dataset_id = $1"
    )
    .bind(dataset_id)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

//! Discussions on datasets: a title and a thread of messages (stored as one JSON list, as
//! udata embeds them), and the dataset counters they feed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::types::Json;

use crate::datasets::Viewer;
use crate::{Arg, Db, DbResult, Sql, Tx, bind_args, with_db, with_tx};

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub content: String,
    pub posted_by: String,
    pub posted_on: DateTime<Utc>,
    #[serde(default)]
    pub last_modified_at: Option<DateTime<Utc>>,
}

/// A discussion with its messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Discussion {
    pub id: String,
    pub dataset_id: String,
    pub user_id: String,
    pub title: String,
    pub messages: Vec<Message>,
    pub extras: serde_json::Map<String, Value>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    dataset_id: String,
    user_id: String,
    title: String,
    messages: Json<Vec<Message>>,
    extras: Json<serde_json::Map<String, Value>>,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    closed_by: Option<String>,
}

impl From<Row> for Discussion {
    fn from(r: Row) -> Discussion {
        Discussion {
            id: r.id,
            dataset_id: r.dataset_id,
            user_id: r.user_id,
            title: r.title,
            messages: r.messages.0,
            extras: r.extras.0,
            created_at: r.created_at,
            closed_at: r.closed_at,
            closed_by: r.closed_by,
        }
    }
}

const COLUMNS: &str =
    "id, dataset_id, user_id, title, messages, extras, created_at, closed_at, closed_by";

fn messages_json(d: &Discussion) -> Value {
    serde_json::to_value(&d.messages).unwrap_or(Value::Array(Vec::new()))
}

/// Inserts a discussion.
pub async fn insert(tx: &mut Tx, d: &Discussion) -> DbResult<()> {
    let sql =
        format!("INSERT INTO discussions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    let args = vec![
        Arg::Text(d.id.clone()),
        Arg::Text(d.dataset_id.clone()),
        Arg::Text(d.user_id.clone()),
        Arg::Text(d.title.clone()),
        Arg::Json(messages_json(d)),
        Arg::Json(Value::Object(d.extras.clone())),
        Arg::Ts(d.created_at),
        Arg::OptTs(d.closed_at),
        Arg::OptText(d.closed_by.clone()),
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

/// Writes the messages and the closed state of a discussion.
pub async fn update(tx: &mut Tx, d: &Discussion) -> DbResult<()> {
    let args = vec![
        Arg::Text(d.id.clone()),
        Arg::Json(messages_json(d)),
        Arg::OptTs(d.closed_at),
        Arg::OptText(d.closed_by.clone()),
    ];
    with_tx!(tx, |c| bind_args!(
        sqlx::query(
            "UPDATE discussions SET messages = $2, closed_at = $3, closed_by = $4 WHERE id = $1"
        ),
        &args
    )
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Deletes a discussion.
pub async fn delete(tx: &mut Tx, id: &str) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query("DELETE FROM discussions WHERE id = $1")
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Recounts a dataset's `discussions` and `discussions_open` from the table, in the
/// transaction of the change (counting is exact where an increment could drift).
pub async fn recount(tx: &mut Tx, dataset_id: &str) -> DbResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE datasets SET discussions = (SELECT COUNT(*) FROM discussions WHERE dataset_id = $1), \
         discussions_open = (SELECT COUNT(*) FROM discussions WHERE dataset_id = $1 AND closed_at IS NULL) \
         WHERE id = $1"
    )
    .bind(dataset_id)
    .execute(&mut *c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// A discussion by id.
pub async fn find(db: &Db, id: &str) -> DbResult<Option<Discussion>> {
    let sql = format!("SELECT {COLUMNS} FROM discussions WHERE id = $1");
    let row: Option<Row> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Discussion::from))
}

/// Filters of the discussion list.
#[derive(Debug, Clone, Default)]
pub struct DiscussionQuery {
    /// Only the discussions of this dataset.
    pub dataset_id: Option<String>,
    /// `Some(true)` closed ones, `Some(false)` open ones.
    pub closed: Option<bool>,
    /// Who reads: only discussions of datasets they may see are listed.
    pub viewer: Viewer,
    /// `created` or `-created` (default: newest first).
    pub oldest_first: bool,
    pub page: i64,
    pub page_size: i64,
}

/// A page of discussions and the total matching.
pub async fn list(db: &Db, q: &DiscussionQuery) -> DbResult<(Vec<Discussion>, i64)> {
    let mut filter = Sql::new(" WHERE 1 = 1");
    if let Some(id) = &q.dataset_id {
        filter
            .push(" AND dataset_id = ")
            .bind(Arg::Text(id.clone()));
    }
    match q.closed {
        Some(true) => {
            filter.push(" AND closed_at IS NOT NULL");
        }
        Some(false) => {
            filter.push(" AND closed_at IS NULL");
        }
        None => {}
    }
    push_visible(&mut filter, &q.viewer, "dataset_id");
    let mut count = Sql::new("SELECT COUNT(*) FROM discussions");
    count.push(&filter.text);
    count.args = filter.args.clone();
    let (total,): (i64,) = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(count.text.clone())),
        &count.args
    )
    .fetch_one(p)
    .await)?;
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM discussions"));
    sql.push(&filter.text);
    sql.args = filter.args;
    sql.push(if q.oldest_first {
        " ORDER BY created_at, id"
    } else {
        " ORDER BY created_at DESC, id"
    });
    sql.push(" LIMIT ").bind(Arg::Int(q.page_size));
    sql.push(" OFFSET ")
        .bind(Arg::Int((q.page - 1).max(0) * q.page_size));
    let rows: Vec<Row> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok((rows.into_iter().map(Discussion::from).collect(), total))
}

/// Counts the discussions of a dataset.
pub async fn count_for_dataset(db: &Db, dataset_id: &str) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM discussions WHERE dataset_id = $1"
    )
    .bind(dataset_id)
    .fetch_one(p)
    .await)?;
    Ok(n)
}

/// Appends ` AND {column} IN (datasets the viewer may see)`: public ones for everyone, hidden
/// (private, archived) ones for their publisher's members, deleted ones for nobody but
/// sysadmins. Shared by every list of things attached to datasets.
pub(crate) fn push_visible(sql: &mut Sql, viewer: &Viewer, column: &str) {
    match viewer {
        Viewer::Sysadmin => {}
        Viewer::Anonymous => {
            sql.push(&format!(
                " AND {column} IN (SELECT d.id FROM datasets d WHERE d.deleted_at IS NULL \
                 AND d.private = FALSE AND d.archived_at IS NULL)"
            ));
        }
        Viewer::User {
            id,
            organization_ids,
        } => {
            sql.push(&format!(
                " AND {column} IN (SELECT d.id FROM datasets d WHERE d.deleted_at IS NULL \
                 AND ((d.private = FALSE AND d.archived_at IS NULL) OR d.owner_id = "
            ));
            sql.bind(Arg::Text(id.clone()));
            if !organization_ids.is_empty() {
                sql.push(" OR d.organization_id IN ")
                    .bind_list(organization_ids.iter().cloned());
            }
            sql.push("))");
        }
    }
}

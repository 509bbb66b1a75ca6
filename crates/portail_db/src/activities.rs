//! The activity log: who did what on a dataset, and when. Rows are written in the
//! transaction of the change they describe, so the log never claims a change that was rolled
//! back nor misses one that was committed.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;

use crate::datasets::Viewer;
use crate::discussions::push_visible;
use crate::{Arg, Db, DbResult, Sql, Tx, bind_args, with_db, with_tx};

/// One entry of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: String,
    pub dataset_id: String,
    /// The user who acted; `None` for the system (a job).
    pub actor_id: Option<String>,
    /// udata's activity key: `dataset:created`, `dataset:updated`, `dataset:resource:added`...
    pub key: String,
    /// Names of the fields changed (updates).
    pub changes: Vec<String>,
    /// Details: the resource id and title, the transfer recipient...
    pub extras: serde_json::Map<String, Value>,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    dataset_id: String,
    actor_id: Option<String>,
    key: String,
    changes: Json<Vec<String>>,
    extras: Json<serde_json::Map<String, Value>>,
    created_at: DateTime<Utc>,
}

/// Appends an entry.
pub async fn record(tx: &mut Tx, a: &Activity) -> DbResult<()> {
    let args = vec![
        Arg::Text(a.id.clone()),
        Arg::Text(a.dataset_id.clone()),
        Arg::OptText(a.actor_id.clone()),
        Arg::Text(a.key.clone()),
        Arg::Json(Value::from(a.changes.clone())),
        Arg::Json(Value::Object(a.extras.clone())),
        Arg::Ts(a.created_at),
    ];
    with_tx!(tx, |c| bind_args!(
        sqlx::query(
            "INSERT INTO activities (id, dataset_id, actor_id, key, changes, extras, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ),
        &args
    )
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// A page of entries, newest first, of one dataset or of every dataset the viewer may see.
pub async fn list(
    db: &Db,
    dataset_id: Option<&str>,
    viewer: &Viewer,
    page: i64,
    page_size: i64,
) -> DbResult<(Vec<Activity>, i64)> {
    let mut filter = Sql::new(" WHERE 1 = 1");
    if let Some(id) = dataset_id {
        filter
            .push(" AND dataset_id = ")
            .bind(Arg::Text(id.to_owned()));
    } else {
        push_visible(&mut filter, viewer, "dataset_id");
    }
    let count_sql = format!("SELECT COUNT(*) FROM activities{}", filter.text);
    let (total,): (i64,) = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(count_sql.clone())),
        &filter.args
    )
    .fetch_one(p)
    .await)?;
    let mut sql = Sql::new(
        "SELECT id, dataset_id, actor_id, key, changes, extras, created_at FROM activities",
    );
    sql.push(&filter.text);
    sql.args = filter.args;
    sql.push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .bind(Arg::Int(page_size));
    sql.push(" OFFSET ")
        .bind(Arg::Int((page - 1).max(0) * page_size));
    let rows: Vec<Row> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok((
        rows.into_iter()
            .map(|r| Activity {
                id: r.id,
                dataset_id: r.dataset_id,
                actor_id: r.actor_id,
                key: r.key,
                changes: r.changes.0,
                extras: r.extras.0,
                created_at: r.created_at,
            })
            .collect(),
        total,
    ))
}

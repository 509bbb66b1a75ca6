//! Availability checks of remote resources: which are due, the results written back as
//! udata's `check:*` resource extras, and the history of every check.

use chrono::{DateTime, Utc};
use portail_core::model::Extras;
use serde_json::Value;
use sqlx::types::Json;

use crate::{Db, DbResult, Tx, with_db, with_tx};

/// A remote resource to check.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DueResource {
    pub id: String,
    pub dataset_id: String,
    pub url: String,
}

/// Remote resources of live datasets whose check is due: never checked first, then the
/// oldest due date.
pub async fn due(db: &Db, now: DateTime<Utc>, limit: i64) -> DbResult<Vec<DueResource>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT r.id, r.dataset_id, r.url FROM resources r JOIN datasets d ON d.id = r.dataset_id \
         WHERE r.filetype = 'remote' AND d.deleted_at IS NULL \
         AND (r.check_due_at IS NULL OR r.check_due_at <= $1) \
         ORDER BY CASE WHEN r.check_due_at IS NULL THEN 0 ELSE 1 END, r.check_due_at, r.id LIMIT $2"
    )
    .bind(now)
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

/// Puts a resource at the head of the queue, like a never-checked one (its URL changed).
pub async fn mark_due(tx: &mut Tx, resource_id: &str) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE resources SET check_due_at = NULL WHERE id = $1"
    )
    .bind(resource_id)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    pub id: String,
    pub resource_id: String,
    pub dataset_id: String,
    pub url: String,
    pub checked_at: DateTime<Utc>,
    pub available: bool,
    pub status: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
    /// The `check:*` extras to merge into the resource's extras.
    pub extras: Extras,
    /// When the resource is due again.
    pub next_due_at: DateTime<Utc>,
}

/// Stores a result: merges the `check:*` extras (replacing the previous ones) without
/// touching `last_modified_internal`, sets the next due date, and appends to the history.
/// A resource whose URL changed since the check was taken keeps its new due date.
pub async fn store(tx: &mut Tx, r: &CheckResult) -> DbResult<bool> {
    let current: Option<(Json<Extras>, String)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT extras, url FROM resources WHERE id = $1"
    )
    .bind(&r.resource_id)
    .fetch_optional(&mut *c)
    .await)?;
    let Some((Json(mut extras), url)) = current else {
        return Ok(false);
    };
    if url != r.url {
        return Ok(false);
    }
    extras.retain(|k, _| !k.starts_with("check:"));
    for (k, v) in &r.extras {
        extras.insert(k.clone(), v.clone());
    }
    with_tx!(tx, |c| sqlx::query(
        "UPDATE resources SET extras = $2, check_due_at = $3 WHERE id = $1"
    )
    .bind(&r.resource_id)
    .bind(Json(Value::Object(extras)))
    .bind(r.next_due_at)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO resource_checks (id, resource_id, dataset_id, url, checked_at, available, status, error, duration_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(&r.id)
    .bind(&r.resource_id)
    .bind(&r.dataset_id)
    .bind(&r.url)
    .bind(r.checked_at)
    .bind(r.available)
    .bind(r.status)
    .bind(&r.error)
    .bind(r.duration_ms)
    .execute(&mut *c)
    .await
    .map(|_| ())
    })?;
    Ok(true)
}

/// One past check of a resource.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckRecord {
    pub url: String,
    pub checked_at: DateTime<Utc>,
    pub available: bool,
    pub status: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// The latest checks of a resource, newest first.
pub async fn history(db: &Db, resource_id: &str, limit: i64) -> DbResult<Vec<CheckRecord>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT url, checked_at, available, status, error, duration_ms FROM resource_checks \
         WHERE resource_id = $1 ORDER BY checked_at DESC, id DESC LIMIT $2"
    )
    .bind(resource_id)
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

/// Site-wide counts, as udata's site `metrics`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteCounts {
    pub datasets: i64,
    pub resources: i64,
    pub organizations: i64,
    pub users: i64,
    pub reuses: i64,
    pub discussions: i64,
    pub followers: i64,
}

/// Counts the public, live objects of the site.
pub async fn site_counts(db: &Db) -> DbResult<SiteCounts> {
    let row: (i64, i64, i64, i64, i64, i64, i64) = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT \
         (SELECT COUNT(*) FROM datasets WHERE deleted_at IS NULL AND private = FALSE AND archived_at IS NULL), \
         (SELECT COUNT(*) FROM resources r JOIN datasets d ON d.id = r.dataset_id \
            WHERE d.deleted_at IS NULL AND d.private = FALSE AND d.archived_at IS NULL), \
         (SELECT COUNT(*) FROM organizations WHERE deleted_at IS NULL), \
         (SELECT COUNT(*) FROM users WHERE deleted_at IS NULL AND active = TRUE), \
         (SELECT COUNT(*) FROM reuses WHERE deleted_at IS NULL AND private = FALSE), \
         (SELECT COUNT(*) FROM discussions), \
         (SELECT COUNT(*) FROM follows)"
    )
    .fetch_one(p)
    .await
    })?;
    Ok(SiteCounts {
        datasets: row.0,
        resources: row.1,
        organizations: row.2,
        users: row.3,
        reuses: row.4,
        discussions: row.5,
        followers: row.6,
    })
}

/// The kinds of udata's site stock series, in the order [`site_stock_before`] answers them.
pub const SITE_STOCK_KINDS: [&str; 6] = [
    "datasets",
    "users",
    "organizations",
    "reuses",
    "discussions",
    "harvesters",
];

/// For each kind of [`SITE_STOCK_KINDS`], how many live public objects were created before
/// each bound (udata's `*_by_months` stock series): one scan per table whatever the number of
/// bounds. Objects deleted since are not counted, as udata counts today's objects.
pub async fn site_stock_before(db: &Db, bounds: &[DateTime<Utc>]) -> DbResult<Vec<Vec<i64>>> {
    let tables = [
        "datasets WHERE deleted_at IS NULL AND private = FALSE AND archived_at IS NULL",
        "users WHERE deleted_at IS NULL AND active = TRUE",
        "organizations WHERE deleted_at IS NULL",
        "reuses WHERE deleted_at IS NULL AND private = FALSE",
        "discussions WHERE TRUE",
        "harvest_sources WHERE deleted_at IS NULL",
    ];
    let created = [
        "created_at_internal",
        "created_at",
        "created_at",
        "created_at",
        "created_at",
        "created_at",
    ];
    let mut sql = crate::Sql::default();
    for (i, (table, column)) in tables.iter().zip(created).enumerate() {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        sql.push(&format!("SELECT {i}"));
        for b in 1..=bounds.len() {
            sql.push(&format!(", COUNT(CASE WHEN {column} < ${b} THEN 1 END)"));
        }
        sql.push(&format!(" FROM {table}"));
    }
    sql.push(" ORDER BY 1");
    sql.args = bounds.iter().map(|b| crate::Arg::Ts(*b)).collect();
    let rows: Vec<Vec<i64>> = with_db!(db, |p| {
        let rows = crate::bind_args!(
            sqlx::query(sqlx::AssertSqlSafe(sql.text.clone())),
            &sql.args
        )
        .fetch_all(p)
        .await?;
        rows.iter()
            .map(|r| {
                (1..=bounds.len())
                    .map(|c| sqlx::Row::try_get::<i64, _>(r, c))
                    .collect::<Result<Vec<i64>, sqlx::Error>>()
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    Ok(rows)
}

/// Downloads of a dataset's resources per day, oldest first (for monthly series).
pub async fn downloads_by_day(
    db: &Db,
    dataset_id: &str,
) -> DbResult<Vec<(chrono::NaiveDate, i64)>> {
    let rows: Vec<(chrono::NaiveDate, i64)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT day, CAST(SUM(downloads) AS BIGINT) FROM resource_downloads_daily WHERE dataset_id = $1 \
         GROUP BY day ORDER BY day"
    )
    .bind(dataset_id)
    .fetch_all(p)
    .await
    })?;
    Ok(rows)
}

/// Downloads of every resource of the site per day (udata's site series).
pub async fn site_downloads_by_day(db: &Db) -> DbResult<Vec<(chrono::NaiveDate, i64)>> {
    let rows: Vec<(chrono::NaiveDate, i64)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT day, CAST(SUM(downloads) AS BIGINT) FROM resource_downloads_daily \
             GROUP BY day ORDER BY day",
        )
        .fetch_all(p)
        .await
    })?;
    Ok(rows)
}

/// Ids of the live datasets a user publishes, directly or through these organizations.
pub async fn dataset_ids_of(
    db: &Db,
    user_id: &str,
    organization_ids: &[String],
) -> DbResult<Vec<String>> {
    let mut sql =
        crate::Sql::new("SELECT id FROM datasets WHERE deleted_at IS NULL AND (owner_id = ");
    sql.bind(crate::Arg::Text(user_id.to_owned()));
    if !organization_ids.is_empty() {
        sql.push(" OR organization_id IN ")
            .bind_list(organization_ids.iter().cloned());
    }
    sql.push(") ORDER BY id LIMIT 5000");
    let rows: Vec<(String,)> = with_db!(db, |p| crate::bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

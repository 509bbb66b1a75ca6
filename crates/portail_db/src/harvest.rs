//! Harvest sources, their jobs and the jobs' items; the harvest keys of datasets used to
//! match remote records.

use chrono::{DateTime, Utc};
use portail_core::harvest::{
    HarvestErrorEntry, HarvestItem, HarvestJob, HarvestSource, ItemStatus, JobCounts, JobStatus,
    Validation, ValidationState,
};
use portail_core::model::Publisher;
use serde_json::Value;
use sqlx::types::Json;

use crate::sql::ID_FIRST;
use crate::{Arg, Db, DbError, DbResult, Sql, Tx, bind_args, with_db, with_tx};

#[derive(sqlx::FromRow)]
struct SourceRow {
    id: String,
    name: String,
    slug: String,
    description: String,
    url: String,
    backend: String,
    config: Json<Value>,
    schedule: Option<String>,
    next_run_at: Option<DateTime<Utc>>,
    active: bool,
    autoarchive: bool,
    validation_state: String,
    validation_by: Option<String>,
    validation_on: Option<DateTime<Utc>>,
    validation_comment: Option<String>,
    owner_id: Option<String>,
    organization_id: Option<String>,
    created_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

const SOURCE_COLUMNS: &str = "id, name, slug, description, url, backend, config, schedule, next_run_at, \
    active, autoarchive, validation_state, validation_by, validation_on, validation_comment, owner_id, \
    organization_id, created_at, deleted_at";

impl SourceRow {
    fn into_source(self) -> DbResult<HarvestSource> {
        let publisher = match (self.organization_id, self.owner_id) {
            (Some(org), _) => Publisher::Organization(org),
            (None, Some(owner)) => Publisher::User(owner),
            (None, None) => {
                return Err(DbError::Connect(format!(
                    "harvest source {} has neither owner nor organization",
                    self.id
                )));
            }
        };
        Ok(HarvestSource {
            id: self.id,
            name: self.name,
            slug: self.slug,
            description: self.description,
            url: self.url,
            backend: self.backend,
            config: self.config.0,
            schedule: self.schedule,
            next_run_at: self.next_run_at,
            active: self.active,
            autoarchive: self.autoarchive,
            validation: Validation {
                state: ValidationState::parse(&self.validation_state).unwrap_or_default(),
                by: self.validation_by,
                on: self.validation_on,
                comment: self.validation_comment,
            },
            publisher,
            created_at: self.created_at,
            deleted_at: self.deleted_at,
        })
    }
}

fn source_args(s: &HarvestSource) -> Vec<Arg> {
    vec![
        Arg::Text(s.id.clone()),
        Arg::Text(s.name.clone()),
        Arg::Text(s.slug.clone()),
        Arg::Text(s.description.clone()),
        Arg::Text(s.url.clone()),
        Arg::Text(s.backend.clone()),
        Arg::Json(s.config.clone()),
        Arg::OptText(s.schedule.clone()),
        Arg::OptTs(s.next_run_at),
        Arg::Bool(s.active),
        Arg::Bool(s.autoarchive),
        Arg::Text(s.validation.state.as_str().to_owned()),
        Arg::OptText(s.validation.by.clone()),
        Arg::OptTs(s.validation.on),
        Arg::OptText(s.validation.comment.clone()),
        Arg::OptText(s.publisher.owner_id().map(str::to_owned)),
        Arg::OptText(s.publisher.organization_id().map(str::to_owned)),
        Arg::Ts(s.created_at),
        Arg::OptTs(s.deleted_at),
    ]
}

/// Inserts a new source.
pub async fn insert_source(tx: &mut Tx, s: &HarvestSource) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO harvest_sources ({SOURCE_COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
    );
    let args = source_args(s);
    with_tx!(tx, |c| bind_args!(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        &args
    )
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .map_err(DbError::from_sqlx)
}

/// Writes every field of a source.
pub async fn update_source(tx: &mut Tx, s: &HarvestSource) -> DbResult<()> {
    let sql = "UPDATE harvest_sources SET name = $2, slug = $3, description = $4, url = $5, backend = $6, \
        config = $7, schedule = $8, next_run_at = $9, active = $10, autoarchive = $11, validation_state = $12, \
        validation_by = $13, validation_on = $14, validation_comment = $15, owner_id = $16, \
        organization_id = $17, created_at = $18, deleted_at = $19 WHERE id = $1";
    let args = source_args(s);
    with_tx!(tx, |c| bind_args!(sqlx::query(sql), &args)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .map_err(DbError::from_sqlx)
}

/// Finds a source by id or slug, deleted ones included.
pub async fn find_source(db: &Db, id_or_slug: &str) -> DbResult<Option<HarvestSource>> {
    let sql = format!(
        "SELECT {SOURCE_COLUMNS} FROM harvest_sources WHERE id = $1 OR slug = $1 {ID_FIRST}"
    );
    let row: Option<SourceRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id_or_slug)
        .fetch_optional(p)
        .await)?;
    row.map(SourceRow::into_source).transpose()
}

/// Whether a slug is taken by another source.
pub async fn slug_taken(db: &Db, slug: &str, except_id: Option<&str>) -> DbResult<bool> {
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM harvest_sources WHERE slug = $1 AND id <> $2"
    )
    .bind(slug)
    .bind(except_id.unwrap_or(""))
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// Filters and page of `GET /harvest/sources/`.
#[derive(Debug, Clone, Default)]
pub struct SourceQuery {
    /// Words in the name or the URL.
    pub q: Option<String>,
    pub owner_id: Option<String>,
    pub organization_id: Option<String>,
    /// Only the sources of this user or of one of these organizations.
    pub owner_or_organizations: Option<(String, Vec<String>)>,
    /// Only deleted ones (else only live ones).
    pub deleted: bool,
    pub page: i64,
    pub page_size: i64,
}

/// A page of sources, newest first, and the total matching.
pub async fn list_sources(db: &Db, query: &SourceQuery) -> DbResult<(Vec<HarvestSource>, i64)> {
    let mut filter = Sql::new(" FROM harvest_sources WHERE ");
    filter.push(if query.deleted {
        "deleted_at IS NOT NULL"
    } else {
        "deleted_at IS NULL"
    });
    if let Some(q) = query.q.as_deref() {
        for word in q.split_whitespace().take(16) {
            let pattern = format!("%{}%", word.to_lowercase().replace(['%', '_'], ""));
            filter
                .push(" AND (lower(name) LIKE ")
                .bind(Arg::Text(pattern.clone()))
                .push(" OR lower(url) LIKE ")
                .bind(Arg::Text(pattern))
                .push(")");
        }
    }
    if let Some(owner) = &query.owner_id {
        filter
            .push(" AND owner_id = ")
            .bind(Arg::Text(owner.clone()));
    }
    if let Some(org) = &query.organization_id {
        filter
            .push(" AND organization_id = ")
            .bind(Arg::Text(org.clone()));
    }
    if let Some((owner, orgs)) = &query.owner_or_organizations {
        filter
            .push(" AND (owner_id = ")
            .bind(Arg::Text(owner.clone()));
        for org in orgs {
            filter
                .push(" OR organization_id = ")
                .bind(Arg::Text(org.clone()));
        }
        filter.push(")");
    }
    let count_sql = format!("SELECT COUNT(*){}", filter.text);
    let (total,): (i64,) = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(count_sql.clone())),
        &filter.args
    )
    .fetch_one(p)
    .await)?;
    let mut page = Sql {
        text: format!(
            "SELECT {SOURCE_COLUMNS}{} ORDER BY created_at DESC, id DESC LIMIT ",
            filter.text
        ),
        args: filter.args,
    };
    page.bind(Arg::Int(query.page_size))
        .push(" OFFSET ")
        .bind(Arg::Int((query.page - 1) * query.page_size));
    let rows: Vec<SourceRow> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(page.text.clone())),
        &page.args
    )
    .fetch_all(p)
    .await)?;
    let sources = rows
        .into_iter()
        .map(SourceRow::into_source)
        .collect::<DbResult<Vec<_>>>()?;
    Ok((sources, total))
}

/// Live, active, accepted sources whose next run is due at `now`.
pub async fn due_sources(db: &Db, now: DateTime<Utc>, limit: i64) -> DbResult<Vec<HarvestSource>> {
    let sql = format!(
        "SELECT {SOURCE_COLUMNS} FROM harvest_sources WHERE next_run_at IS NOT NULL AND next_run_at <= $1 \
         AND active = TRUE AND deleted_at IS NULL AND validation_state = 'accepted' \
         ORDER BY next_run_at, id LIMIT $2"
    );
    let rows: Vec<SourceRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(limit)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(SourceRow::into_source).collect()
}

/// Moves a due source's next run from `seen` to `next`, only if nobody did meanwhile: the
/// node whose update changes the row owns the run, so two nodes never run it twice.
pub async fn claim_source(
    db: &Db,
    id: &str,
    seen: DateTime<Utc>,
    next: Option<DateTime<Utc>>,
) -> DbResult<bool> {
    let affected = with_db!(db, |p| sqlx::query(
        "UPDATE harvest_sources SET next_run_at = $3 WHERE id = $1 AND next_run_at = $2"
    )
    .bind(id)
    .bind(seen)
    .bind(next)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(affected == 1)
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: String,
    source_id: String,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    status: String,
    errors: Json<Vec<HarvestErrorEntry>>,
    items_created: i64,
    items_updated: i64,
    items_failed: i64,
    items_skipped: i64,
    items_archived: i64,
}

const JOB_COLUMNS: &str = "id, source_id, created_at, started_at, ended_at, status, errors, items_created, \
    items_updated, items_failed, items_skipped, items_archived";

impl From<JobRow> for HarvestJob {
    fn from(r: JobRow) -> HarvestJob {
        HarvestJob {
            id: r.id,
            source_id: r.source_id,
            created_at: r.created_at,
            started_at: r.started_at,
            ended_at: r.ended_at,
            status: JobStatus::parse(&r.status).unwrap_or(JobStatus::Failed),
            errors: r.errors.0,
            counts: JobCounts {
                created: r.items_created,
                updated: r.items_updated,
                failed: r.items_failed,
                skipped: r.items_skipped,
                archived: r.items_archived,
            },
        }
    }
}

fn job_args(j: &HarvestJob) -> Vec<Arg> {
    vec![
        Arg::Text(j.id.clone()),
        Arg::Text(j.source_id.clone()),
        Arg::Ts(j.created_at),
        Arg::OptTs(j.started_at),
        Arg::OptTs(j.ended_at),
        Arg::Text(j.status.as_str().to_owned()),
        Arg::Json(serde_json::to_value(&j.errors).unwrap_or(Value::Array(Vec::new()))),
        Arg::Int(j.counts.created),
        Arg::Int(j.counts.updated),
        Arg::Int(j.counts.failed),
        Arg::Int(j.counts.skipped),
        Arg::Int(j.counts.archived),
    ]
}

/// The statuses of a job that has not ended; a source has at most one such job (the unique
/// index `harvest_jobs_one_running`).
const UNFINISHED: &str = "('pending', 'initializing', 'processing')";

/// Inserts a new job, its heartbeat at its creation. A second unfinished job of the same
/// source is refused with [`DbError::Unique`].
pub async fn insert_job(db: &Db, j: &HarvestJob) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO harvest_jobs ({JOB_COLUMNS}, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $3)"
    );
    let args = job_args(j);
    with_db!(db, |p| bind_args!(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        &args
    )
    .execute(p)
    .await
    .map(|_| ()))
    .map_err(DbError::from_sqlx)
}

/// Records that the process running a job is alive.
pub async fn touch_job(db: &Db, id: &str, now: DateTime<Utc>) -> DbResult<()> {
    with_db!(db, |p| sqlx::query(
        "UPDATE harvest_jobs SET heartbeat_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .execute(p)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// The pending or running job of a source, if any.
pub async fn unfinished_job(db: &Db, source_id: &str) -> DbResult<Option<HarvestJob>> {
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM harvest_jobs WHERE source_id = $1 AND status IN {UNFINISHED} \
         ORDER BY created_at DESC LIMIT 1"
    );
    let row: Option<JobRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(source_id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(HarvestJob::from))
}

/// Pending or running jobs whose heartbeat is older than `cutoff` (or missing).
pub async fn stale_jobs(db: &Db, cutoff: DateTime<Utc>) -> DbResult<Vec<HarvestJob>> {
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM harvest_jobs WHERE status IN {UNFINISHED} \
         AND (heartbeat_at IS NULL OR heartbeat_at < $1) ORDER BY created_at, id LIMIT 500"
    );
    let rows: Vec<JobRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(cutoff)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(HarvestJob::from).collect())
}

/// Writes `j` (failed by the caller) only if it is still unfinished with a heartbeat older
/// than `cutoff`: a job whose process came back to life meanwhile is left alone, and of two
/// processes failing the same job only one does. True when this call wrote it.
pub async fn fail_stale_job(db: &Db, j: &HarvestJob, cutoff: DateTime<Utc>) -> DbResult<bool> {
    let sql = format!(
        "UPDATE harvest_jobs SET status = $2, ended_at = $3, errors = $4 WHERE id = $1 \
         AND status IN {UNFINISHED} AND (heartbeat_at IS NULL OR heartbeat_at < $5)"
    );
    let affected = with_db!(db, |p| sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&j.id)
        .bind(j.status.as_str())
        .bind(j.ended_at)
        .bind(Json(&j.errors))
        .bind(cutoff)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(affected == 1)
}

/// Writes a job's state, errors and counters.
pub async fn update_job(db: &Db, j: &HarvestJob) -> DbResult<()> {
    let sql = "UPDATE harvest_jobs SET source_id = $2, created_at = $3, started_at = $4, ended_at = $5, \
        status = $6, errors = $7, items_created = $8, items_updated = $9, items_failed = $10, \
        items_skipped = $11, items_archived = $12 WHERE id = $1";
    let args = job_args(j);
    with_db!(db, |p| bind_args!(sqlx::query(sql), &args)
        .execute(p)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Finds a job.
pub async fn find_job(db: &Db, id: &str) -> DbResult<Option<HarvestJob>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM harvest_jobs WHERE id = $1");
    let row: Option<JobRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(HarvestJob::from))
}

/// A page of a source's jobs, newest first, and their total.
pub async fn jobs_of_source(
    db: &Db,
    source_id: &str,
    page: i64,
    page_size: i64,
) -> DbResult<(Vec<HarvestJob>, i64)> {
    let (total,): (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM harvest_jobs WHERE source_id = $1"
    )
    .bind(source_id)
    .fetch_one(p)
    .await)?;
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM harvest_jobs WHERE source_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    );
    let rows: Vec<JobRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(source_id)
        .bind(page_size)
        .bind((page - 1) * page_size)
        .fetch_all(p)
        .await)?;
    Ok((rows.into_iter().map(HarvestJob::from).collect(), total))
}

/// Deletes the jobs (and their items) created before `cutoff`; returns how many.
pub async fn purge_jobs_before(db: &Db, cutoff: DateTime<Utc>) -> DbResult<u64> {
    // Items first: SQLite only cascades with foreign keys on, and this must not depend on it.
    with_db!(db, |p| {
        sqlx::query(
        "DELETE FROM harvest_items WHERE job_id IN (SELECT id FROM harvest_jobs WHERE created_at < $1)"
    )
    .bind(cutoff)
    .execute(p)
    .await
    .map(|_| ())
    })?;
    let n = with_db!(db, |p| sqlx::query(
        "DELETE FROM harvest_jobs WHERE created_at < $1"
    )
    .bind(cutoff)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n)
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    remote_id: Option<String>,
    dataset_id: Option<String>,
    status: String,
    errors: Json<Vec<HarvestErrorEntry>>,
    created_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
}

/// Appends items to a job, in one statement.
pub async fn insert_items(db: &Db, job_id: &str, items: &[HarvestItem]) -> DbResult<()> {
    // Batches keep the statement under both engines' parameter limits.
    for chunk in items.chunks(100) {
        let mut sql = Sql::new(
            "INSERT INTO harvest_items (job_id, remote_id, dataset_id, status, errors, created_at, ended_at) VALUES ",
        );
        for (i, item) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(Arg::Text(job_id.to_owned()))
                .push(", ")
                .bind(Arg::OptText(item.remote_id.clone()))
                .push(", ")
                .bind(Arg::OptText(item.dataset_id.clone()))
                .push(", ")
                .bind(Arg::Text(item.status.as_str().to_owned()))
                .push(", ")
                .bind(Arg::Json(
                    serde_json::to_value(&item.errors).unwrap_or(Value::Array(Vec::new())),
                ))
                .push(", ")
                .bind(Arg::Ts(item.created_at))
                .push(", ")
                .bind(Arg::OptTs(item.ended_at))
                .push(")");
        }
        with_db!(db, |p| bind_args!(
            sqlx::query(sqlx::AssertSqlSafe(sql.text.clone())),
            &sql.args
        )
        .execute(p)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// The items of a job, in the order they were processed (optionally one status only).
pub async fn items_of_job(
    db: &Db,
    job_id: &str,
    status: Option<ItemStatus>,
    limit: i64,
) -> DbResult<Vec<HarvestItem>> {
    let rows: Vec<ItemRow> = with_db!(db, |p| sqlx::query_as(
        "SELECT remote_id, dataset_id, status, errors, created_at, ended_at FROM harvest_items \
         WHERE job_id = $1 AND ($2 = '' OR status = $2) ORDER BY id LIMIT $3"
    )
    .bind(job_id)
    .bind(status.map_or("", ItemStatus::as_str))
    .bind(limit)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|r| HarvestItem {
            remote_id: r.remote_id,
            dataset_id: r.dataset_id,
            status: ItemStatus::parse(&r.status).unwrap_or(ItemStatus::Failed),
            errors: r.errors.0,
            created_at: r.created_at,
            ended_at: r.ended_at,
        })
        .collect())
}

/// How many items of a job have each status.
pub async fn item_counts(db: &Db, job_id: &str) -> DbResult<Vec<(String, i64)>> {
    let rows: Vec<(String, i64)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT status, COUNT(*) FROM harvest_items WHERE job_id = $1 GROUP BY status ORDER BY status"
    )
    .bind(job_id)
    .fetch_all(p)
    .await
    })?;
    Ok(rows)
}

/// The dataset a remote record already became, if any: a URI remote id matches any dataset
/// harvested with it; another remote id only one harvested from the same domain or source.
pub async fn match_dataset(
    db: &Db,
    remote_id: &str,
    global: bool,
    source_id: &str,
    domain: &str,
) -> DbResult<Option<String>> {
    let row: Option<(String,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id FROM datasets WHERE harvest_remote_id = $1 \
         AND ($2 OR harvest_domain = $3 OR harvest_source_id = $4) \
         ORDER BY CASE WHEN harvest_source_id = $4 THEN 0 ELSE 1 END, created_at_internal LIMIT 1"
    )
    .bind(remote_id)
    .bind(global)
    .bind(domain)
    .bind(source_id)
    .fetch_optional(p)
    .await)?;
    Ok(row.map(|(id,)| id))
}

/// [`match_dataset`] for many remote ids at once (one statement per few thousand ids): the
/// matched dataset of each remote id that has one. `global(remote_id)` tells whether an id
/// identifies a dataset whatever its domain.
pub async fn match_datasets(
    db: &Db,
    remote_ids: &[&str],
    global: fn(&str) -> bool,
    source_id: &str,
    domain: &str,
) -> DbResult<std::collections::HashMap<String, String>> {
    let mut matched = std::collections::HashMap::new();
    let postgres = matches!(db, Db::Postgres(_));
    for chunk in remote_ids.chunks(2_000) {
        let mut sql = crate::bulk::Placeholders::for_postgres(
            postgres,
            "SELECT harvest_remote_id, id, harvest_source_id, harvest_domain FROM datasets \
             WHERE harvest_remote_id IS NOT NULL AND harvest_remote_id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.text.push_str(", ");
            }
            sql.bind(Arg::Text((*id).to_owned()));
        }
        sql.text
            .push_str(") ORDER BY CASE WHEN harvest_source_id = ");
        sql.bind(Arg::Text(source_id.to_owned()));
        sql.text.push_str(" THEN 0 ELSE 1 END, created_at_internal");
        type Row = (String, String, Option<String>, Option<String>);
        let rows: Vec<Row> = with_db!(db, |p| bind_args!(
            sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
            &sql.args
        )
        .fetch_all(p)
        .await)?;
        // Rows come best first: the first admissible one of each id wins, as in
        // `match_dataset`.
        for (remote_id, id, row_source, row_domain) in rows {
            let admissible = global(&remote_id)
                || row_domain.as_deref() == Some(domain)
                || row_source.as_deref() == Some(source_id);
            if admissible && !matched.contains_key(&remote_id) {
                matched.insert(remote_id, id);
            }
        }
    }
    Ok(matched)
}

/// Copies the matching keys of a dataset's `harvest` metadata into their indexed columns.
pub async fn set_dataset_keys(
    tx: &mut Tx,
    dataset_id: &str,
    source_id: &str,
    remote_id: &str,
    domain: &str,
) -> DbResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE datasets SET harvest_source_id = $2, harvest_remote_id = $3, harvest_domain = $4 WHERE id = $1"
    )
    .bind(dataset_id)
    .bind(source_id)
    .bind(remote_id)
    .bind(domain)
    .execute(&mut *c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Live, unarchived datasets harvested by a source: `(id, remote id)`.
pub async fn datasets_of_source(db: &Db, source_id: &str) -> DbResult<Vec<(String, String)>> {
    let rows: Vec<(String, Option<String>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, harvest_remote_id FROM datasets WHERE harvest_source_id = $1 \
         AND deleted_at IS NULL AND archived_at IS NULL ORDER BY id"
    )
    .bind(source_id)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, remote)| (id, remote.unwrap_or_default()))
        .collect())
}

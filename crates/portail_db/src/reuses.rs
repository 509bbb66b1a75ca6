//! Reuses: applications, visualizations, articles... made from datasets, and the `reuses`
//! counter of the datasets they use.

use chrono::{DateTime, Utc};
use portail_core::model::Publisher;
use serde_json::Value;
use sqlx::types::Json;

use crate::{Arg, Db, DbError, DbResult, Sql, Tx, bind_args, with_db, with_tx};

/// A reuse and the ids of the datasets it uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Reuse {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub url: String,
    /// One of udata's reuse types (`application`, `visualization`...).
    pub kind: String,
    pub topic: String,
    pub tags: Vec<String>,
    pub private: bool,
    pub publisher: Publisher,
    pub datasets: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub last_modified: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    slug: String,
    title: String,
    description: String,
    url: String,
    #[sqlx(rename = "type")]
    kind: String,
    topic: String,
    tags: Json<Vec<String>>,
    private: bool,
    owner_id: Option<String>,
    organization_id: Option<String>,
    created_at: DateTime<Utc>,
    last_modified: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, slug, title, description, url, type, topic, tags, private, owner_id, \
    organization_id, created_at, last_modified, deleted_at";

fn args(r: &Reuse) -> Vec<Arg> {
    vec![
        Arg::Text(r.id.clone()),
        Arg::Text(r.slug.clone()),
        Arg::Text(r.title.clone()),
        Arg::Text(r.description.clone()),
        Arg::Text(r.url.clone()),
        Arg::Text(r.kind.clone()),
        Arg::Text(r.topic.clone()),
        Arg::Json(Value::from(r.tags.clone())),
        Arg::Bool(r.private),
        Arg::OptText(r.publisher.owner_id().map(str::to_owned)),
        Arg::OptText(r.publisher.organization_id().map(str::to_owned)),
        Arg::Ts(r.created_at),
        Arg::Ts(r.last_modified),
        Arg::OptTs(r.deleted_at),
    ]
}

/// Inserts a reuse with its dataset links, and recounts those datasets.
pub async fn insert(tx: &mut Tx, r: &Reuse) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO reuses ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    let a = args(r);
    with_tx!(tx, |c| bind_args!(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        &a
    )
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .map_err(DbError::from_sqlx)?;
    link_datasets(tx, &r.id, &r.datasets, &[]).await
}

/// Writes every field of a reuse and its dataset links; `previous` are the datasets it used
/// before, recounted too.
pub async fn update(tx: &mut Tx, r: &Reuse, previous: &[String]) -> DbResult<()> {
    let sql = "UPDATE reuses SET slug = $2, title = $3, description = $4, url = $5, type = $6, topic = $7, \
        tags = $8, private = $9, owner_id = $10, organization_id = $11, created_at = $12, last_modified = $13, \
        deleted_at = $14 WHERE id = $1";
    let a = args(r);
    with_tx!(tx, |c| bind_args!(sqlx::query(sql), &a)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .map_err(DbError::from_sqlx)?;
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM reuse_datasets WHERE reuse_id = $1"
    )
    .bind(&r.id)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    link_datasets(tx, &r.id, &r.datasets, previous).await
}

async fn link_datasets(
    tx: &mut Tx,
    reuse_id: &str,
    datasets: &[String],
    previous: &[String],
) -> DbResult<()> {
    for dataset in datasets {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO reuse_datasets (reuse_id, dataset_id) VALUES ($1, $2)"
        )
        .bind(reuse_id)
        .bind(dataset)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    }
    for dataset in datasets.iter().chain(previous) {
        recount(tx, dataset).await?;
    }
    Ok(())
}

/// Recounts the public, live reuses of a dataset (udata counts only visible reuses).
pub async fn recount(tx: &mut Tx, dataset_id: &str) -> DbResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE datasets SET reuses = (SELECT COUNT(*) FROM reuse_datasets l JOIN reuses r ON r.id = l.reuse_id \
         WHERE l.dataset_id = $1 AND r.deleted_at IS NULL AND r.private = FALSE) WHERE id = $1"
    )
    .bind(dataset_id)
    .execute(&mut *c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

async fn hydrate(db: &Db, rows: Vec<Row>) -> DbResult<Vec<Reuse>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let links: Vec<(String,)> = with_db!(db, |p| sqlx::query_as(
            "SELECT dataset_id FROM reuse_datasets WHERE reuse_id = $1 ORDER BY dataset_id"
        )
        .bind(&row.id)
        .fetch_all(p)
        .await)?;
        let publisher = match (row.organization_id, row.owner_id) {
            (Some(org), _) => Publisher::Organization(org),
            (None, Some(owner)) => Publisher::User(owner),
            (None, None) => Publisher::User(String::new()),
        };
        out.push(Reuse {
            id: row.id,
            slug: row.slug,
            title: row.title,
            description: row.description,
            url: row.url,
            kind: row.kind,
            topic: row.topic,
            tags: row.tags.0,
            private: row.private,
            publisher,
            datasets: links.into_iter().map(|(d,)| d).collect(),
            created_at: row.created_at,
            last_modified: row.last_modified,
            deleted_at: row.deleted_at,
        });
    }
    Ok(out)
}

/// A reuse by id or slug, deleted ones included.
pub async fn find(db: &Db, id_or_slug: &str) -> DbResult<Option<Reuse>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reuses WHERE id = $1 OR slug = $1 ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END LIMIT 1"
    );
    let rows: Vec<Row> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id_or_slug)
        .fetch_all(p)
        .await)?;
    Ok(hydrate(db, rows).await?.pop())
}

/// Whether a slug is taken by another reuse.
pub async fn slug_taken(db: &Db, slug: &str, except: Option<&str>) -> DbResult<bool> {
    let found: Option<(String,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id FROM reuses WHERE slug = $1 AND id <> $2"
    )
    .bind(slug)
    .bind(except.unwrap_or(""))
    .fetch_optional(p)
    .await)?;
    Ok(found.is_some())
}

/// Filters of the reuse list.
#[derive(Debug, Clone, Default)]
pub struct ReuseQuery {
    pub dataset: Option<String>,
    pub organization: Option<String>,
    pub owner: Option<String>,
    pub kind: Option<String>,
    /// Hidden (private) reuses shown too for these publishers (user id, organization ids);
    /// `None` shows every reuse (sysadmins).
    pub insider_of: Option<Vec<String>>,
    pub page: i64,
    pub page_size: i64,
}

/// A page of live reuses, newest first, and the total.
pub async fn list(db: &Db, q: &ReuseQuery) -> DbResult<(Vec<Reuse>, i64)> {
    let mut f = Sql::new(" WHERE deleted_at IS NULL");
    if let Some(d) = &q.dataset {
        f.push(" AND id IN (SELECT reuse_id FROM reuse_datasets WHERE dataset_id = ")
            .bind(Arg::Text(d.clone()));
        f.push(")");
    }
    if let Some(o) = &q.organization {
        f.push(" AND organization_id = ").bind(Arg::Text(o.clone()));
    }
    if let Some(o) = &q.owner {
        f.push(" AND owner_id = ").bind(Arg::Text(o.clone()));
    }
    if let Some(k) = &q.kind {
        f.push(" AND type = ").bind(Arg::Text(k.clone()));
    }
    match &q.insider_of {
        None => {}
        Some(ids) if ids.is_empty() => {
            f.push(" AND private = FALSE");
        }
        Some(ids) => {
            f.push(" AND (private = FALSE OR owner_id IN ")
                .bind_list(ids.iter().cloned());
            f.push(" OR organization_id IN ")
                .bind_list(ids.iter().cloned());
            f.push(")");
        }
    }
    let count_sql = format!("SELECT COUNT(*) FROM reuses{}", f.text);
    let mut rows_sql = Sql::new(&format!("SELECT {COLUMNS} FROM reuses{}", f.text));
    rows_sql.args = f.args.clone();
    rows_sql
        .push(" ORDER BY created_at DESC, id LIMIT ")
        .bind(Arg::Int(q.page_size));
    rows_sql
        .push(" OFFSET ")
        .bind(Arg::Int((q.page - 1).max(0) * q.page_size));
    let (total,): (i64,) = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(count_sql.clone())),
        &f.args
    )
    .fetch_one(p)
    .await)?;
    let rows: Vec<Row> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(rows_sql.text.clone())),
        &rows_sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok((hydrate(db, rows).await?, total))
}

//! Read-only views of the whole catalog for the harvestable exports: facet counts over a
//! dataset query, and the light listings a sitemap needs (no tags, no resources).

use chrono::{DateTime, Utc};

use crate::datasets::{DatasetQuery, filter_sql};
use crate::{Arg, Db, DbResult, Sql, bind_args, with_db};

/// What a facet counts datasets by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Tag,
    /// By organization id (datasets published by a user are not counted).
    Organization,
    /// By resource format, lowercase; a dataset counts once per format.
    Format,
    License,
}

/// How many datasets matching `query` (its page ignored) carry each value of `facet`, most
/// frequent first (ties by value), at most `limit` values (all when `None`).
pub async fn facet_counts(
    db: &Db,
    query: &DatasetQuery,
    facet: Facet,
    limit: Option<i64>,
) -> DbResult<Vec<(String, i64)>> {
    let filter = filter_sql(query);
    let matching = format!("SELECT d.id{}", filter.text);
    let text = match facet {
        Facet::Tag => format!(
            "SELECT t.tag AS v, COUNT(*) AS n FROM dataset_tags t WHERE t.dataset_id IN ({matching}) \
             GROUP BY t.tag ORDER BY n DESC, v"
        ),
        Facet::Organization => format!(
            "SELECT d.organization_id AS v, COUNT(*) AS n{} AND d.organization_id IS NOT NULL \
             GROUP BY d.organization_id ORDER BY n DESC, v",
            filter.text
        ),
        Facet::Format => format!(
            "SELECT lower(r.format) AS v, COUNT(DISTINCT r.dataset_id) AS n FROM resources r \
             WHERE r.dataset_id IN ({matching}) AND r.format IS NOT NULL AND r.format <> '' \
             GROUP BY lower(r.format) ORDER BY n DESC, v"
        ),
        Facet::License => format!(
            "SELECT d.license AS v, COUNT(*) AS n{} GROUP BY d.license ORDER BY n DESC, v",
            filter.text
        ),
    };
    let mut sql = Sql {
        text,
        args: filter.args,
    };
    if let Some(limit) = limit {
        sql.push(" LIMIT ").bind(Arg::Int(limit.max(0)));
    }
    let rows: Vec<(String, i64)> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok(rows)
}

/// One URL of a sitemap: a slug and when the object last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct SitemapEntry {
    pub slug: String,
    pub last_modified: DateTime<Utc>,
}

/// Public, live datasets (neither private, archived nor deleted), in id order, from `offset`.
/// The modification is the latest of the record's and of its resources' (`last_update`).
pub async fn public_datasets(db: &Db, offset: i64, limit: i64) -> DbResult<Vec<SitemapEntry>> {
    let rows: Vec<(String, DateTime<Utc>, DateTime<Utc>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT slug, last_modified_internal, last_update FROM datasets \
         WHERE private = FALSE AND deleted_at IS NULL AND archived_at IS NULL \
         ORDER BY id LIMIT $1 OFFSET $2"
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(slug, modified, updated)| SitemapEntry {
            slug,
            last_modified: modified.max(updated),
        })
        .collect())
}

/// How many datasets [`public_datasets`] lists.
pub async fn count_public_datasets(db: &Db) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT COUNT(*) FROM datasets WHERE private = FALSE AND deleted_at IS NULL AND archived_at IS NULL"
    )
    .fetch_one(p)
    .await
    })?;
    Ok(n)
}

/// Live organizations, in id order, from `offset`.
pub async fn live_organizations(db: &Db, offset: i64, limit: i64) -> DbResult<Vec<SitemapEntry>> {
    let rows: Vec<(String, DateTime<Utc>)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT slug, last_modified FROM organizations WHERE deleted_at IS NULL ORDER BY id LIMIT $1 OFFSET $2"
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(p)
    .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(slug, last_modified)| SitemapEntry {
            slug,
            last_modified,
        })
        .collect())
}

/// How many organizations [`live_organizations`] lists.
pub async fn count_live_organizations(db: &Db) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM organizations WHERE deleted_at IS NULL"
    )
    .fetch_one(p)
    .await)?;
    Ok(n)
}

/// The latest modification of any public dataset, for `Last-Modified` of catalog-wide
/// responses; `None` on an empty catalog.
pub async fn latest_public_modification(db: &Db) -> DbResult<Option<DateTime<Utc>>> {
    let row: (Option<DateTime<Utc>>,) = with_db!(db, |p| sqlx::query_as(
        "SELECT MAX(last_modified_internal) FROM datasets \
         WHERE private = FALSE AND deleted_at IS NULL AND archived_at IS NULL"
    )
    .fetch_one(p)
    .await)?;
    Ok(row.0)
}

/// Slugs of the public, live datasets in slug order (CKAN's `package_list`); all of them
/// when `limit` is `None`.
pub async fn public_slugs(db: &Db, offset: i64, limit: Option<i64>) -> DbResult<Vec<String>> {
    let mut sql = Sql::new(
        "SELECT slug FROM datasets WHERE private = FALSE AND deleted_at IS NULL AND archived_at IS NULL \
         ORDER BY slug, id",
    );
    if let Some(limit) = limit {
        sql.push(" LIMIT ").bind(Arg::Int(limit.max(0)));
    } else {
        // SQLite needs a LIMIT before an OFFSET; -1 is "no limit" there, and PostgreSQL
        // accepts LIMIT ALL only: use a bound no catalog reaches.
        sql.push(" LIMIT ").bind(Arg::Int(i64::from(i32::MAX)));
    }
    sql.push(" OFFSET ").bind(Arg::Int(offset.max(0)));
    let rows: Vec<(String,)> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|(s,)| s).collect())
}

//! Resources of datasets, kept in their own table so that a dataset with thousands of them
//! pages through them cheaply.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use portail_core::model::{Checksum, Extras, Filetype, Resource};
use serde_json::Value;
use sqlx::types::Json;

use crate::{Arg, Db, DbError, DbResult, Sql, Tx, bind_args, with_db, with_tx};

#[derive(sqlx::FromRow)]
struct ResourceRow {
    id: String,
    dataset_id: String,
    position: i64,
    title: String,
    description: Option<String>,
    filetype: String,
    #[sqlx(rename = "type")]
    kind: String,
    url: String,
    format: Option<String>,
    mime: Option<String>,
    filesize: Option<i64>,
    checksum_type: Option<String>,
    checksum_value: Option<String>,
    extras: Json<Extras>,
    harvest: Option<Json<Value>>,
    fs_filename: Option<String>,
    downloads: i64,
    created_at_internal: DateTime<Utc>,
    last_modified_internal: DateTime<Utc>,
}

impl From<ResourceRow> for Resource {
    fn from(r: ResourceRow) -> Resource {
        Resource {
            id: r.id,
            dataset_id: r.dataset_id,
            position: r.position,
            title: r.title,
            description: r.description,
            filetype: Filetype::parse(&r.filetype).unwrap_or(Filetype::Remote),
            kind: r.kind,
            url: r.url,
            format: r.format,
            mime: r.mime,
            filesize: r.filesize,
            checksum: match (r.checksum_type, r.checksum_value) {
                (Some(kind), Some(value)) => Some(Checksum { kind, value }),
                _ => None,
            },
            extras: r.extras.0,
            harvest: r.harvest.map(|h| h.0),
            fs_filename: r.fs_filename,
            downloads: r.downloads,
            created_at_internal: r.created_at_internal,
            last_modified_internal: r.last_modified_internal,
        }
    }
}

const COLUMNS: &str = "id, dataset_id, position, title, description, filetype, type, url, format, mime, filesize, \
    checksum_type, checksum_value, extras, harvest, fs_filename, downloads, created_at_internal, last_modified_internal";

/// The values bound for a resource row, in the order of the insert (shared with `bulk`).
pub(crate) fn args(r: &Resource) -> Vec<Arg> {
    vec![
        Arg::Text(r.id.clone()),
        Arg::Text(r.dataset_id.clone()),
        Arg::Int(r.position),
        Arg::Text(r.title.clone()),
        Arg::OptText(r.description.clone()),
        Arg::Text(r.filetype.as_str().to_owned()),
        Arg::Text(r.kind.clone()),
        Arg::Text(r.url.clone()),
        Arg::OptText(r.format.clone()),
        Arg::OptText(r.mime.clone()),
        Arg::OptInt(r.filesize),
        Arg::OptText(r.checksum.as_ref().map(|c| c.kind.clone())),
        Arg::OptText(r.checksum.as_ref().map(|c| c.value.clone())),
        Arg::Json(Value::Object(r.extras.clone())),
        Arg::OptJson(r.harvest.clone()),
        Arg::OptText(r.fs_filename.clone()),
        Arg::Int(r.downloads),
        Arg::Ts(r.created_at_internal),
        Arg::Ts(r.last_modified_internal),
    ]
}

/// Inserts a resource.
pub async fn insert(tx: &mut Tx, r: &Resource) -> DbResult<()> {
    let sql = "INSERT INTO resources (id, dataset_id, position, title, description, filetype, type, url, format, mime, \
        filesize, checksum_type, checksum_value, extras, harvest, fs_filename, downloads, created_at_internal, last_modified_internal) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
    let a = args(r);
    with_tx!(tx, |c| bind_args!(sqlx::query(sql), &a)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .map_err(DbError::from_sqlx)
}

/// Writes every field of a resource.
pub async fn update(tx: &mut Tx, r: &Resource) -> DbResult<()> {
    // `downloads` only grows, written by the download flusher: a resource loaded before a flush
    // and saved after it must not take the flushed counts back.
    let sql = "UPDATE resources SET dataset_id = $2, position = $3, title = $4, description = $5, filetype = $6, \
        type = $7, url = $8, format = $9, mime = $10, filesize = $11, checksum_type = $12, checksum_value = $13, \
        extras = $14, harvest = $15, fs_filename = $16, \
        downloads = CASE WHEN downloads > $17 THEN downloads ELSE $17 END, created_at_internal = $18, \
        last_modified_internal = $19 WHERE id = $1";
    let a = args(r);
    with_tx!(tx, |c| bind_args!(sqlx::query(sql), &a)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .map_err(DbError::from_sqlx)
}

/// Deletes a resource.
pub async fn delete(tx: &mut Tx, id: &str) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query("DELETE FROM resources WHERE id = $1")
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Sets the position of each resource of a dataset (index in the slice).
pub async fn set_positions(tx: &mut Tx, ids: &[String]) -> DbResult<()> {
    for (position, id) in ids.iter().enumerate() {
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        with_tx!(tx, |c| sqlx::query(
            "UPDATE resources SET position = $2 WHERE id = $1"
        )
        .bind(id)
        .bind(position)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Resources of the given datasets, in order, grouped by dataset id.
pub async fn load_for_datasets(
    db: &Db,
    dataset_ids: &[String],
) -> DbResult<HashMap<String, Vec<Resource>>> {
    let mut map: HashMap<String, Vec<Resource>> = HashMap::new();
    if dataset_ids.is_empty() {
        return Ok(map);
    }
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM resources WHERE dataset_id IN "
    ));
    sql.bind_list(dataset_ids.iter().cloned());
    sql.push(" ORDER BY dataset_id, position, created_at_internal DESC");
    let rows: Vec<ResourceRow> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    for row in rows {
        map.entry(row.dataset_id.clone())
            .or_default()
            .push(row.into());
    }
    Ok(map)
}

/// Number of resources of a dataset.
pub async fn count_for_dataset(db: &Db, dataset_id: &str) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM resources WHERE dataset_id = $1"
    )
    .bind(dataset_id)
    .fetch_one(p)
    .await)?;
    Ok(n)
}

/// Filters of a paged resource list (API v2).
#[derive(Debug, Clone, Default)]
pub struct ResourceQuery {
    pub dataset_id: String,
    pub kind: Option<String>,
    pub q: Option<String>,
    pub page: i64,
    pub page_size: i64,
}

/// A page of a dataset's resources, in order, and the total matching.
pub async fn list(db: &Db, query: &ResourceQuery) -> DbResult<(Vec<Resource>, i64)> {
    let mut filter = Sql::new(" FROM resources WHERE dataset_id = ");
    filter.bind(Arg::Text(query.dataset_id.clone()));
    if let Some(kind) = &query.kind {
        filter.push(" AND type = ").bind(Arg::Text(kind.clone()));
    }
    if let Some(q) = query.q.as_deref() {
        for word in q.split_whitespace().take(8) {
            filter
                .push(" AND lower(title) LIKE ")
                .bind(Arg::Text(format!(
                    "%{}%",
                    word.to_lowercase().replace(['%', '_'], "")
                )));
        }
    }
    let count_sql = format!("SELECT COUNT(*){}", filter.text);
    let (total,): (i64,) = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(count_sql)),
        &filter.args
    )
    .fetch_one(p)
    .await)?;
    let mut page = Sql {
        text: format!(
            "SELECT {COLUMNS}{} ORDER BY position, created_at_internal DESC LIMIT ",
            filter.text
        ),
        args: filter.args,
    };
    page.bind(Arg::Int(query.page_size))
        .push(" OFFSET ")
        .bind(Arg::Int((query.page - 1) * query.page_size));
    let rows: Vec<ResourceRow> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(page.text.clone())),
        &page.args
    )
    .fetch_all(p)
    .await)?;
    Ok((rows.into_iter().map(Resource::from).collect(), total))
}

/// Finds a resource by id, with the id of its dataset.
pub async fn find(db: &Db, id: &str) -> DbResult<Option<Resource>> {
    let sql = format!("SELECT {COLUMNS} FROM resources WHERE id = $1");
    let row: Option<ResourceRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Resource::from))
}

/// Finds the resource whose hosted file is stored at `key`.
pub async fn find_by_fs_filename(db: &Db, key: &str) -> DbResult<Option<Resource>> {
    let sql = format!("SELECT {COLUMNS} FROM resources WHERE fs_filename = $1");
    let row: Option<ResourceRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(key)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Resource::from))
}

/// Every storage key referenced by a resource, for the orphan-file cleanup.
pub async fn referenced_files(db: &Db) -> DbResult<std::collections::HashSet<String>> {
    let rows: Vec<(String,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT fs_filename FROM resources WHERE fs_filename IS NOT NULL"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}

/// One batch of download counts: `(resource id, dataset id, count)`.
pub type DownloadCounts = [(String, String, i64)];

/// Adds counted downloads to the resources, their datasets and the daily series, in one
/// transaction.
pub async fn add_downloads(
    tx: &mut Tx,
    counts: &DownloadCounts,
    day: chrono::NaiveDate,
) -> DbResult<()> {
    for (resource_id, dataset_id, n) in counts {
        with_tx!(tx, |c| {
            sqlx::query("UPDATE resources SET downloads = downloads + $2 WHERE id = $1")
                .bind(resource_id)
                .bind(n)
                .execute(&mut *c)
                .await?;
            sqlx::query(
                "UPDATE datasets SET resources_downloads = resources_downloads + $2 WHERE id = $1",
            )
            .bind(dataset_id)
            .bind(n)
            .execute(&mut *c)
            .await?;
            sqlx::query(
                "INSERT INTO resource_downloads_daily (resource_id, dataset_id, day, downloads) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (resource_id, day) DO UPDATE SET downloads = resource_downloads_daily.downloads + excluded.downloads",
            )
            .bind(resource_id)
            .bind(dataset_id)
            .bind(day)
            .bind(n)
            .execute(&mut *c)
            .await
            .map(|_| ())
        })?;
    }
    Ok(())
}

/// [`facts_columns`] as read; every column is NULL for a dataset without resources when the
/// aggregates are left-joined to datasets.
#[derive(sqlx::FromRow)]
pub(crate) struct FactsRow {
    count: Option<i64>,
    last_modified: Option<DateTime<Utc>>,
    open_formats: Option<i64>,
    unavailable: Option<i64>,
    documented: Option<i64>,
}

impl FactsRow {
    pub(crate) fn into_facts(self) -> portail_core::model::ResourceFacts {
        portail_core::model::ResourceFacts {
            count: self.count.unwrap_or(0),
            last_modified: self.last_modified,
            has_open_format: self.open_formats.unwrap_or(0) > 0,
            all_remote_available: self.unavailable.unwrap_or(0) == 0,
            documented: self.documented.unwrap_or(0) > 0,
        }
    }
}

/// The aggregates of [`FactsRow`], over the resources a query groups.
pub(crate) fn facts_columns(db: &Db) -> String {
    let closed: Vec<String> = portail_core::reference::CLOSED_FORMATS
        .iter()
        .map(|f| format!("'{f}'"))
        .collect();
    // The only engine-specific part: reading a boolean inside the JSON extras.
    let unavailable = match db {
        Db::Sqlite(_) => "json_extract(extras, '$.\"check:available\"') = 0",
        Db::Postgres(_) => "extras -> 'check:available' = 'false'::jsonb",
    };
    format!(
        "COUNT(*) AS count, MAX(last_modified_internal) AS last_modified, \
         SUM(CASE WHEN format IS NOT NULL AND trim(format) <> '' AND lower(format) NOT IN ({}) THEN 1 ELSE 0 END) AS open_formats, \
         SUM(CASE WHEN filetype = 'remote' AND {unavailable} THEN 1 ELSE 0 END) AS unavailable, \
         SUM(CASE WHEN type = 'documentation' OR (description IS NOT NULL AND description <> '') THEN 1 ELSE 0 END) AS documented",
        closed.join(", ")
    )
}

/// The summary of a dataset's resources that quality and `last_update` need, in one query
/// (API v2 answers in constant time whatever the number of resources). Harvested modification
/// dates of resources are not considered here.
pub async fn facts(db: &Db, dataset_id: &str) -> DbResult<portail_core::model::ResourceFacts> {
    let sql = format!(
        "SELECT {} FROM resources WHERE dataset_id = $1",
        facts_columns(db)
    );
    let row: FactsRow = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(dataset_id)
        .fetch_one(p)
        .await)?;
    Ok(row.into_facts())
}

//! Community resources: files or links that anyone (not only the publisher) attaches to a
//! dataset; kept apart from the publisher's resources. An uploaded file's storage key is
//! `fs_filename` (`community/{dataset id}/...`).

use chrono::{DateTime, Utc};
use portail_core::model::{Checksum, Extras, Publisher};
use serde_json::Value;
use sqlx::types::Json;

use crate::datasets::Viewer;
use crate::discussions::push_visible;
use crate::{Arg, Db, DbResult, Sql, Tx, bind_args, with_db, with_tx};

/// A community resource.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityResource {
    pub id: String,
    pub dataset_id: String,
    pub publisher: Publisher,
    pub title: String,
    pub description: Option<String>,
    pub filetype: String,
    pub kind: String,
    pub url: String,
    pub format: Option<String>,
    pub mime: Option<String>,
    pub filesize: Option<i64>,
    pub checksum: Option<Checksum>,
    /// The storage key of an uploaded file (`filetype` `file`).
    pub fs_filename: Option<String>,
    pub extras: Extras,
    pub created_at: DateTime<Utc>,
    pub last_modified: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    dataset_id: String,
    owner_id: Option<String>,
    organization_id: Option<String>,
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
    fs_filename: Option<String>,
    extras: Json<Extras>,
    created_at: DateTime<Utc>,
    last_modified: DateTime<Utc>,
}

impl From<Row> for CommunityResource {
    fn from(r: Row) -> CommunityResource {
        CommunityResource {
            id: r.id,
            dataset_id: r.dataset_id,
            publisher: match (r.organization_id, r.owner_id) {
                (Some(org), _) => Publisher::Organization(org),
                (None, owner) => Publisher::User(owner.unwrap_or_default()),
            },
            title: r.title,
            description: r.description,
            filetype: r.filetype,
            kind: r.kind,
            url: r.url,
            format: r.format,
            mime: r.mime,
            filesize: r.filesize,
            checksum: match (r.checksum_type, r.checksum_value) {
                (Some(kind), Some(value)) => Some(Checksum { kind, value }),
                _ => None,
            },
            fs_filename: r.fs_filename,
            extras: r.extras.0,
            created_at: r.created_at,
            last_modified: r.last_modified,
        }
    }
}

const COLUMNS: &str = "id, dataset_id, owner_id, organization_id, title, description, filetype, type, url, \
    format, mime, filesize, extras, created_at, last_modified, checksum_type, checksum_value, fs_filename";

fn args(r: &CommunityResource) -> Vec<Arg> {
    vec![
        Arg::Text(r.id.clone()),
        Arg::Text(r.dataset_id.clone()),
        Arg::OptText(r.publisher.owner_id().map(str::to_owned)),
        Arg::OptText(r.publisher.organization_id().map(str::to_owned)),
        Arg::Text(r.title.clone()),
        Arg::OptText(r.description.clone()),
        Arg::Text(r.filetype.clone()),
        Arg::Text(r.kind.clone()),
        Arg::Text(r.url.clone()),
        Arg::OptText(r.format.clone()),
        Arg::OptText(r.mime.clone()),
        Arg::OptInt(r.filesize),
        Arg::Json(Value::Object(r.extras.clone())),
        Arg::Ts(r.created_at),
        Arg::Ts(r.last_modified),
        Arg::OptText(r.checksum.as_ref().map(|c| c.kind.clone())),
        Arg::OptText(r.checksum.as_ref().map(|c| c.value.clone())),
        Arg::OptText(r.fs_filename.clone()),
    ]
}

/// Inserts a community resource.
pub async fn insert(tx: &mut Tx, r: &CommunityResource) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO community_resources ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    );
    let a = args(r);
    with_tx!(tx, |c| bind_args!(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        &a
    )
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Writes every field of a community resource.
pub async fn update(tx: &mut Tx, r: &CommunityResource) -> DbResult<()> {
    let sql = "UPDATE community_resources SET dataset_id = $2, owner_id = $3, organization_id = $4, title = $5, \
        description = $6, filetype = $7, type = $8, url = $9, format = $10, mime = $11, filesize = $12, extras = $13, \
        created_at = $14, last_modified = $15, checksum_type = $16, checksum_value = $17, fs_filename = $18 \
        WHERE id = $1";
    let a = args(r);
    with_tx!(tx, |c| bind_args!(sqlx::query(sql), &a)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Deletes a community resource.
pub async fn delete(tx: &mut Tx, id: &str) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM community_resources WHERE id = $1"
    )
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// A community resource by id.
pub async fn find(db: &Db, id: &str) -> DbResult<Option<CommunityResource>> {
    let sql = format!("SELECT {COLUMNS} FROM community_resources WHERE id = $1");
    let row: Option<Row> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(CommunityResource::from))
}

/// The community resource whose uploaded file has this storage key.
pub async fn find_by_fs_filename(db: &Db, key: &str) -> DbResult<Option<CommunityResource>> {
    let sql = format!("SELECT {COLUMNS} FROM community_resources WHERE fs_filename = $1");
    let row: Option<Row> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(key)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(CommunityResource::from))
}

/// Every storage key referenced by a community resource, for the orphan-file cleanup.
pub async fn referenced_files(db: &Db) -> DbResult<std::collections::HashSet<String>> {
    let rows: Vec<(String,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT fs_filename FROM community_resources WHERE fs_filename IS NOT NULL"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}

/// Filters of the community resource list.
#[derive(Debug, Clone, Default)]
pub struct CommunityQuery {
    pub dataset: Option<String>,
    pub owner: Option<String>,
    pub organization: Option<String>,
    pub viewer: Viewer,
    pub page: i64,
    pub page_size: i64,
}

/// A page of community resources, newest first, on datasets the viewer may see.
pub async fn list(db: &Db, q: &CommunityQuery) -> DbResult<(Vec<CommunityResource>, i64)> {
    let mut f = Sql::new(" WHERE 1 = 1");
    if let Some(d) = &q.dataset {
        f.push(" AND dataset_id = ").bind(Arg::Text(d.clone()));
    }
    if let Some(o) = &q.owner {
        f.push(" AND owner_id = ").bind(Arg::Text(o.clone()));
    }
    if let Some(o) = &q.organization {
        f.push(" AND organization_id = ").bind(Arg::Text(o.clone()));
    }
    push_visible(&mut f, &q.viewer, "dataset_id");
    let count_sql = format!("SELECT COUNT(*) FROM community_resources{}", f.text);
    let (total,): (i64,) = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(count_sql.clone())),
        &f.args
    )
    .fetch_one(p)
    .await)?;
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM community_resources{}",
        f.text
    ));
    sql.args = f.args;
    sql.push(" ORDER BY created_at DESC, id LIMIT ")
        .bind(Arg::Int(q.page_size));
    sql.push(" OFFSET ")
        .bind(Arg::Int((q.page - 1).max(0) * q.page_size));
    let rows: Vec<Row> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok((
        rows.into_iter().map(CommunityResource::from).collect(),
        total,
    ))
}

//! Datasets with their tags and resources.
//!
//! Writes use optimistic locking on `version`: a use case loads a dataset, computes the new
//! state and writes it only if nobody else wrote in between (else it retries). This keeps one
//! loading path for both engines and never holds a lock while validating.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use portail_core::model::{
    Dataset, DatasetMetrics, Extras, Publisher, Resource, Spatial, TemporalCoverage,
};
use serde_json::Value;
use sqlx::types::Json;

use crate::sql::ID_FIRST;
use crate::{Arg, Db, DbError, DbResult, Sql, Tx, bind_args, resources, with_db, with_tx};

#[derive(sqlx::FromRow)]
struct DatasetRow {
    id: String,
    slug: String,
    title: String,
    acronym: Option<String>,
    description: String,
    description_short: Option<String>,
    license: String,
    frequency: String,
    frequency_date: Option<DateTime<Utc>>,
    temporal_start: Option<NaiveDate>,
    temporal_end: Option<NaiveDate>,
    spatial_granularity: Option<String>,
    spatial_zones: Json<Vec<String>>,
    private: bool,
    featured: bool,
    archived_at: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
    owner_id: Option<String>,
    organization_id: Option<String>,
    extras: Json<Extras>,
    harvest: Option<Json<Value>>,
    created_at_internal: DateTime<Utc>,
    last_modified_internal: DateTime<Utc>,
    views: i64,
    followers: i64,
    reuses: i64,
    discussions: i64,
    discussions_open: i64,
    resources_downloads: i64,
    version: i64,
}

const COLUMNS: &str = "d.id, d.slug, d.title, d.acronym, d.description, d.description_short, d.license, d.frequency, \
    d.frequency_date, d.temporal_start, d.temporal_end, d.spatial_granularity, d.spatial_zones, d.private, d.featured, \
    d.archived_at, d.deleted_at, d.owner_id, d.organization_id, d.extras, d.harvest, d.created_at_internal, \
    d.last_modified_internal, d.views, d.followers, d.reuses, d.discussions, d.discussions_open, \
    d.resources_downloads, d.version";

impl DatasetRow {
    fn into_dataset(self, tags: Vec<String>, resources: Vec<Resource>) -> DbResult<Dataset> {
        let publisher = match (self.organization_id, self.owner_id) {
            (Some(org), _) => Publisher::Organization(org),
            (None, Some(owner)) => Publisher::User(owner),
            (None, None) => {
                return Err(DbError::Connect(format!(
                    "dataset {} has neither owner nor organization",
                    self.id
                )));
            }
        };
        let spatial = if self.spatial_granularity.is_some() || !self.spatial_zones.0.is_empty() {
            Some(Spatial {
                granularity: self.spatial_granularity,
                zones: self.spatial_zones.0,
            })
        } else {
            None
        };
        Ok(Dataset {
            id: self.id,
            slug: self.slug,
            title: self.title,
            acronym: self.acronym,
            description: self.description,
            description_short: self.description_short,
            license: self.license,
            frequency: self.frequency,
            frequency_date: self.frequency_date,
            tags,
            temporal_coverage: self.temporal_start.map(|start| TemporalCoverage {
                start,
                end: self.temporal_end,
            }),
            spatial,
            private: self.private,
            featured: self.featured,
            archived_at: self.archived_at,
            deleted_at: self.deleted_at,
            publisher,
            extras: self.extras.0,
            harvest: self.harvest.map(|h| h.0),
            created_at_internal: self.created_at_internal,
            last_modified_internal: self.last_modified_internal,
            metrics: DatasetMetrics {
                discussions: self.discussions,
                discussions_open: self.discussions_open,
                followers: self.followers,
                reuses: self.reuses,
                views: self.views,
                resources_downloads: self.resources_downloads,
            },
            version: self.version,
            resources,
        })
    }
}

/// Inserts a new dataset with its tags and resources.
pub async fn insert(tx: &mut Tx, d: &Dataset) -> DbResult<()> {
    let sql = "INSERT INTO datasets (id, slug, title, acronym, description, description_short, license, frequency, \
        frequency_date, temporal_start, temporal_end, spatial_granularity, spatial_zones, private, featured, archived_at, \
        deleted_at, owner_id, organization_id, extras, harvest, created_at_internal, last_modified_internal, last_update, version) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)";
    let args = row_args(d);
    with_tx!(tx, |c| bind_args!(sqlx::query(sql), &args)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .map_err(DbError::from_sqlx)?;
    replace_tags(tx, &d.id, &d.tags).await?;
    for r in &d.resources {
        resources::insert(tx, r).await?;
    }
    Ok(())
}

/// The values bound for a dataset row, in the order of the insert (shared with `bulk`).
pub(crate) fn row_args(d: &Dataset) -> Vec<Arg> {
    let (granularity, zones) = match &d.spatial {
        Some(s) => (s.granularity.clone(), s.zones.clone()),
        None => (None, Vec::new()),
    };
    vec![
        Arg::Text(d.id.clone()),
        Arg::Text(d.slug.clone()),
        Arg::Text(d.title.clone()),
        Arg::OptText(d.acronym.clone()),
        Arg::Text(d.description.clone()),
        Arg::OptText(d.description_short.clone()),
        Arg::Text(d.license.clone()),
        Arg::Text(d.frequency.clone()),
        Arg::OptTs(d.frequency_date),
        Arg::OptDate(d.temporal_coverage.map(|t| t.start)),
        Arg::OptDate(d.temporal_coverage.and_then(|t| t.end)),
        Arg::OptText(granularity),
        Arg::Json(Value::from(zones)),
        Arg::Bool(d.private),
        Arg::Bool(d.featured),
        Arg::OptTs(d.archived_at),
        Arg::OptTs(d.deleted_at),
        Arg::OptText(d.publisher.owner_id().map(str::to_owned)),
        Arg::OptText(d.publisher.organization_id().map(str::to_owned)),
        Arg::Json(Value::Object(d.extras.clone())),
        Arg::OptJson(d.harvest.clone()),
        Arg::Ts(d.created_at_internal),
        Arg::Ts(d.last_modified_internal),
        Arg::Ts(d.last_update()),
        Arg::Int(d.version),
    ]
}

/// Writes every field of a dataset (not its resources) if its version is still
/// `expected_version`, and bumps the version. Returns false when someone else wrote first.
pub async fn update(tx: &mut Tx, d: &Dataset, expected_version: i64) -> DbResult<bool> {
    let sql = "UPDATE datasets SET slug = $2, title = $3, acronym = $4, description = $5, description_short = $6, \
        license = $7, frequency = $8, frequency_date = $9, temporal_start = $10, temporal_end = $11, \
        spatial_granularity = $12, spatial_zones = $13, private = $14, featured = $15, archived_at = $16, \
        deleted_at = $17, owner_id = $18, organization_id = $19, extras = $20, harvest = $21, \
        created_at_internal = $22, last_modified_internal = $23, last_update = $24, version = $25 \
        WHERE id = $1 AND version = $26";
    let mut args = row_args(d);
    args.push(Arg::Int(expected_version));
    let affected = with_tx!(tx, |c| bind_args!(sqlx::query(sql), &args)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(DbError::from_sqlx)?;
    if affected == 0 {
        return Ok(false);
    }
    replace_tags(tx, &d.id, &d.tags).await?;
    Ok(true)
}

async fn replace_tags(tx: &mut Tx, dataset_id: &str, tags: &[String]) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM dataset_tags WHERE dataset_id = $1"
    )
    .bind(dataset_id)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    if tags.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new("INSERT INTO dataset_tags (dataset_id, tag) VALUES ");
    for (i, tag) in tags.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(Arg::Text(dataset_id.to_owned()))
            .push(", ")
            .bind(Arg::Text(tag.clone()))
            .push(")");
    }
    sql.push(" ON CONFLICT DO NOTHING");
    with_tx!(tx, |c| bind_args!(
        sqlx::query(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Permanently removes a dataset and everything attached to it (tags, resources,
/// assignments, old slugs, download series).
pub async fn purge(tx: &mut Tx, id: &str) -> DbResult<()> {
    for sql in [
        "DELETE FROM resource_downloads_daily WHERE dataset_id = $1",
        "DELETE FROM slug_redirects WHERE kind = 'dataset' AND target_id = $1",
        "DELETE FROM activities WHERE dataset_id = $1",
        "DELETE FROM transfers WHERE subject_id = $1",
        "DELETE FROM resource_checks WHERE dataset_id = $1",
        "DELETE FROM dataset_views_daily WHERE dataset_id = $1",
        "DELETE FROM datasets WHERE id = $1",
    ] {
        with_tx!(tx, |c| sqlx::query(sql)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

/// Finds a dataset by id or current slug, with tags and resources; deleted ones included.
pub async fn find(db: &Db, id_or_slug: &str) -> DbResult<Option<Dataset>> {
    let sql = format!("SELECT {COLUMNS} FROM datasets d WHERE d.id = $1 OR d.slug = $1 {ID_FIRST}");
    let row: Option<DatasetRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id_or_slug)
        .fetch_optional(p)
        .await)?;
    let Some(row) = row else { return Ok(None) };
    let mut loaded = hydrate(db, vec![row]).await?;
    Ok(loaded.pop())
}

/// Loads datasets by id, with tags and resources, hidden and deleted ones included (in no
/// particular order; unknown ids are left out).
pub async fn find_many(db: &Db, ids: &[String]) -> DbResult<Vec<Dataset>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM datasets d WHERE d.id IN "));
    sql.bind_list(ids.iter().cloned());
    let rows: Vec<DatasetRow> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    hydrate(db, rows).await
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    row: DatasetRow,
    /// The dataset's tags in order, joined by [`TAG_SEPARATOR`] (none: no tag).
    tag_list: Option<String>,
    #[sqlx(flatten)]
    facts: resources::FactsRow,
}

/// Joins tags in one column; tags are slugs, they never hold it.
const TAG_SEPARATOR: char = '\u{1f}';

/// Datasets by id (any order) with their tags and the summary of their resources, not the
/// resources themselves: what a page of API v2 results shows, in one query.
pub async fn find_many_with_facts(
    db: &Db,
    ids: &[String],
) -> DbResult<Vec<(Dataset, portail_core::model::ResourceFacts)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS}, (SELECT string_agg(t.tag, '{TAG_SEPARATOR}' ORDER BY t.tag) \
         FROM dataset_tags t WHERE t.dataset_id = d.id) AS tag_list, \
         f.count, f.last_modified, f.open_formats, f.unavailable, f.documented \
         FROM datasets d LEFT JOIN (SELECT dataset_id, {} FROM resources WHERE dataset_id IN ",
        resources::facts_columns(db)
    ));
    sql.bind_list(ids.iter().cloned());
    sql.push(" GROUP BY dataset_id) f ON f.dataset_id = d.id WHERE d.id IN ");
    sql.bind_list(ids.iter().cloned());
    let rows: Vec<SummaryRow> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|r| {
            let tags = r
                .tag_list
                .map(|list| list.split(TAG_SEPARATOR).map(str::to_owned).collect())
                .unwrap_or_default();
            Ok((r.row.into_dataset(tags, Vec::new())?, r.facts.into_facts()))
        })
        .collect()
}

/// Up to `limit` datasets (every state) with ids above `after`, in id order: walks the whole
/// table in batches without OFFSET (a search index rebuild).
pub async fn batch_after(db: &Db, after: &str, limit: i64) -> DbResult<Vec<Dataset>> {
    let sql = format!("SELECT {COLUMNS} FROM datasets d WHERE d.id > $1 ORDER BY d.id LIMIT $2");
    let rows: Vec<DatasetRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(after)
        .bind(limit)
        .fetch_all(p)
        .await)?;
    hydrate(db, rows).await
}

/// Ids of the datasets an organization publishes (every state).
pub async fn ids_of_organization(db: &Db, organization_id: &str) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id FROM datasets WHERE organization_id = $1 ORDER BY id"
    )
    .bind(organization_id)
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The dataset row without resources and the number of its resources (for API v2, where
/// resources are paged separately and a dataset may have thousands).
pub async fn find_without_resources(
    db: &Db,
    id_or_slug: &str,
) -> DbResult<Option<(Dataset, portail_core::model::ResourceFacts)>> {
    let sql = format!("SELECT {COLUMNS} FROM datasets d WHERE d.id = $1 OR d.slug = $1 {ID_FIRST}");
    let row: Option<DatasetRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id_or_slug)
        .fetch_optional(p)
        .await)?;
    let Some(row) = row else { return Ok(None) };
    let id = row.id.clone();
    let tags = load_tags(db, std::slice::from_ref(&id))
        .await?
        .remove(&id)
        .unwrap_or_default();
    let facts = resources::facts(db, &id).await?;
    Ok(Some((row.into_dataset(tags, Vec::new())?, facts)))
}

async fn hydrate(db: &Db, rows: Vec<DatasetRow>) -> DbResult<Vec<Dataset>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut tags = load_tags(db, &ids).await?;
    let mut res = resources::load_for_datasets(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let t = tags.remove(&row.id).unwrap_or_default();
            let r = res.remove(&row.id).unwrap_or_default();
            row.into_dataset(t, r)
        })
        .collect()
}

async fn load_tags(db: &Db, ids: &[String]) -> DbResult<HashMap<String, Vec<String>>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let mut sql = Sql::new("SELECT dataset_id, tag FROM dataset_tags WHERE dataset_id IN ");
    sql.bind_list(ids.iter().cloned());
    sql.push(" ORDER BY dataset_id, tag");
    let rows: Vec<(String, String)> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    for (id, tag) in rows {
        map.entry(id).or_default().push(tag);
    }
    Ok(map)
}

/// Who is looking at a list: decides which hidden datasets may appear.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Viewer {
    #[default]
    Anonymous,
    /// A user and the organizations they belong to.
    User {
        id: String,
        organization_ids: Vec<String>,
    },
    Sysadmin,
}

/// Filters, order and page of a dataset list (udata's `GET /datasets/` parameters).
#[derive(Debug, Clone, Default)]
pub struct DatasetQuery {
    pub q: Option<String>,
    /// All must match.
    pub tags: Vec<String>,
    pub organization_id: Option<String>,
    pub owner_id: Option<String>,
    pub license: Option<String>,
    pub format: Option<String>,
    pub frequency: Option<String>,
    pub granularity: Option<String>,
    pub featured: Option<bool>,
    /// `Some(true)`: only private ones; `Some(false)`: only public ones.
    pub private: Option<bool>,
    /// Only deleted ones (restricted to what the viewer may see hidden).
    pub deleted: bool,
    /// Only archived ones (restricted to what the viewer may see hidden).
    pub archived: bool,
    /// `title`, `created`, `last_update`, `last_modified`, `reuses`, `followers`, `views`,
    /// `downloads`, optionally prefixed by `-`.
    pub sort: Option<String>,
    pub page: i64,
    pub page_size: i64,
    pub viewer: Viewer,
    /// Term filters, all required (the CKAN API's `fq` lands here); see [`TermFilter`].
    pub terms: Vec<TermFilter>,
    /// Only datasets whose record changed at or after this instant (`last_modified_internal`).
    pub modified_since: Option<DateTime<Utc>>,
    /// Only datasets whose record changed at or before this instant.
    pub modified_until: Option<DateTime<Utc>>,
    /// Rows to skip; when set it wins over `page` (CKAN pages by `start`, not by page).
    pub offset: Option<i64>,
    /// Keyset paging in id order: only ids above this one (streamed exports read the whole
    /// catalog in batches without the cost of large offsets).
    pub after_id: Option<String>,
}

/// A field a [`TermFilter`] can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermField {
    Id,
    Slug,
    /// A normalised tag.
    Tag,
    /// The publishing organization, by id or slug.
    Organization,
    /// A license id.
    License,
    /// A resource format (compared in lowercase).
    Format,
}

/// `field` is one of `any_of` (or none of them when `negated`).
#[derive(Debug, Clone, PartialEq)]
pub struct TermFilter {
    pub field: TermField,
    pub any_of: Vec<String>,
    pub negated: bool,
}

/// Sort keys accepted by [`DatasetQuery::sort`] from udata's API. The query also knows `id`
/// and `slug` (each with an optional `-`), used by the CKAN API and the exports.
pub const SORTS: &[&str] = &[
    "title",
    "created",
    "last_update",
    "last_modified",
    "reuses",
    "followers",
    "views",
    "downloads",
];

pub(crate) fn filter_sql(query: &DatasetQuery) -> Sql {
    let mut s = Sql::new(" FROM datasets d WHERE ");
    s.push(if query.deleted {
        "d.deleted_at IS NOT NULL"
    } else {
        "d.deleted_at IS NULL"
    });
    s.push(if query.archived {
        " AND d.archived_at IS NOT NULL"
    } else {
        " AND d.archived_at IS NULL"
    });
    let hidden_requested = query.deleted || query.archived || query.private == Some(true);
    match &query.viewer {
        Viewer::Sysadmin => {}
        Viewer::Anonymous => {
            if hidden_requested {
                s.push(" AND 1 = 0");
            } else {
                s.push(" AND d.private = FALSE");
            }
        }
        Viewer::User {
            id,
            organization_ids,
        } => {
            s.push(if hidden_requested {
                " AND ("
            } else {
                " AND (d.private = FALSE OR "
            });
            s.push("d.owner_id = ").bind(Arg::Text(id.clone()));
            if !organization_ids.is_empty() {
                s.push(" OR d.organization_id IN ");
                s.bind_list(organization_ids.iter().cloned());
            }
            s.push(")");
        }
    }
    if let Some(private) = query.private {
        s.push(" AND d.private = ").bind(Arg::Bool(private));
    }
    if let Some(q) = query.q.as_deref() {
        for word in q.split_whitespace().take(16) {
            let pattern = format!("%{}%", word.to_lowercase().replace(['%', '_'], ""));
            s.push(" AND (lower(d.title) LIKE ")
                .bind(Arg::Text(pattern.clone()));
            s.push(" OR lower(coalesce(d.acronym, '')) LIKE ")
                .bind(Arg::Text(pattern.clone()));
            s.push(" OR lower(d.description) LIKE ")
                .bind(Arg::Text(pattern));
            s.push(")");
        }
    }
    for tag in &query.tags {
        s.push(" AND EXISTS (SELECT 1 FROM dataset_tags t WHERE t.dataset_id = d.id AND t.tag = ")
            .bind(Arg::Text(tag.clone()))
            .push(")");
    }
    if let Some(org) = &query.organization_id {
        s.push(" AND d.organization_id = ")
            .bind(Arg::Text(org.clone()));
    }
    if let Some(owner) = &query.owner_id {
        s.push(" AND d.owner_id = ").bind(Arg::Text(owner.clone()));
    }
    if let Some(license) = &query.license {
        s.push(" AND d.license = ").bind(Arg::Text(license.clone()));
    }
    if let Some(frequency) = &query.frequency {
        s.push(" AND d.frequency = ")
            .bind(Arg::Text(frequency.clone()));
    }
    if let Some(granularity) = &query.granularity {
        s.push(" AND d.spatial_granularity = ")
            .bind(Arg::Text(granularity.clone()));
    }
    if let Some(featured) = query.featured {
        s.push(" AND d.featured = ").bind(Arg::Bool(featured));
    }
    if let Some(format) = &query.format {
        s.push(" AND EXISTS (SELECT 1 FROM resources r WHERE r.dataset_id = d.id AND r.format = ")
            .bind(Arg::Text(format.to_lowercase()))
            .push(")");
    }
    for term in &query.terms {
        push_term(&mut s, term);
    }
    if let Some(since) = query.modified_since {
        s.push(" AND d.last_modified_internal >= ")
            .bind(Arg::Ts(since));
    }
    if let Some(until) = query.modified_until {
        s.push(" AND d.last_modified_internal <= ")
            .bind(Arg::Ts(until));
    }
    if let Some(after) = &query.after_id {
        s.push(" AND d.id > ").bind(Arg::Text(after.clone()));
    }
    s
}

fn push_term(s: &mut Sql, term: &TermFilter) {
    // `x IN ()` is not SQL: an empty alternative matches nothing (or everything, negated).
    if term.any_of.is_empty() {
        if !term.negated {
            s.push(" AND 1 = 0");
        }
        return;
    }
    s.push(if term.negated { " AND NOT " } else { " AND " });
    let values = || term.any_of.iter().cloned();
    match term.field {
        TermField::Id => {
            s.push("d.id IN ").bind_list(values());
        }
        TermField::Slug => {
            s.push("d.slug IN ").bind_list(values());
        }
        TermField::Tag => {
            s.push("EXISTS (SELECT 1 FROM dataset_tags t WHERE t.dataset_id = d.id AND t.tag IN ")
                .bind_list(values())
                .push(")");
        }
        TermField::Organization => {
            // A dataset without organization is "not in" any: coalesce keeps NOT meaningful.
            s.push("coalesce(d.organization_id, '') IN (SELECT o.id FROM organizations o WHERE o.id IN ")
                .bind_list(values())
                .push(" OR o.slug IN ")
                .bind_list(values())
                .push(")");
        }
        TermField::License => {
            s.push("d.license IN ").bind_list(values());
        }
        TermField::Format => {
            s.push("EXISTS (SELECT 1 FROM resources r WHERE r.dataset_id = d.id AND lower(r.format) IN ")
                .bind_list(term.any_of.iter().map(|v| v.to_lowercase()))
                .push(")");
        }
    }
}

fn order_sql(sort: Option<&str>) -> &'static str {
    match sort.unwrap_or("-created") {
        "title" => "d.title, d.id",
        "-title" => "d.title DESC, d.id DESC",
        "created" => "d.created_at_internal, d.id",
        "last_update" => "d.last_update, d.id",
        "-last_update" => "d.last_update DESC, d.id DESC",
        "last_modified" => "d.last_modified_internal, d.id",
        "-last_modified" => "d.last_modified_internal DESC, d.id DESC",
        "reuses" => "d.reuses, d.id",
        "-reuses" => "d.reuses DESC, d.id DESC",
        "followers" => "d.followers, d.id",
        "-followers" => "d.followers DESC, d.id DESC",
        "views" => "d.views, d.id",
        "-views" => "d.views DESC, d.id DESC",
        "downloads" => "d.resources_downloads, d.id",
        "-downloads" => "d.resources_downloads DESC, d.id DESC",
        "-created" => "d.created_at_internal DESC, d.id DESC",
        "id" => "d.id",
        "-id" => "d.id DESC",
        "slug" => "d.slug, d.id",
        "-slug" => "d.slug DESC, d.id DESC",
        _ => "d.created_at_internal DESC, d.id DESC",
    }
}

/// A page of datasets (with tags and resources) and the total number matching.
pub async fn list(db: &Db, query: &DatasetQuery) -> DbResult<(Vec<Dataset>, i64)> {
    let total = count(db, query).await?;
    if total <= query.offset.unwrap_or((query.page - 1) * query.page_size) {
        return Ok((Vec::new(), total));
    }
    Ok((page(db, query).await?, total))
}

/// How many datasets match the filters of a query (its page is ignored).
pub async fn count(db: &Db, query: &DatasetQuery) -> DbResult<i64> {
    let filter = filter_sql(query);
    let count_sql = format!("SELECT COUNT(*){}", filter.text);
    let (total,): (i64,) = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(count_sql)),
        &filter.args
    )
    .fetch_one(p)
    .await)?;
    Ok(total)
}

/// The page of datasets a query asks for, with tags and resources.
pub async fn page(db: &Db, query: &DatasetQuery) -> DbResult<Vec<Dataset>> {
    let filter = filter_sql(query);
    let offset = query
        .offset
        .unwrap_or((query.page - 1) * query.page_size)
        .max(0);
    let mut page = Sql {
        text: format!(
            "SELECT {COLUMNS}{} ORDER BY {} LIMIT ",
            filter.text,
            order_sql(query.sort.as_deref())
        ),
        args: filter.args,
    };
    page.bind(Arg::Int(query.page_size))
        .push(" OFFSET ")
        .bind(Arg::Int(offset));
    let rows: Vec<DatasetRow> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(page.text.clone())),
        &page.args
    )
    .fetch_all(p)
    .await)?;
    hydrate(db, rows).await
}

/// Ids and slugs of every dataset, for the dataset cache to resolve slugs.
pub async fn count_all(db: &Db) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as("SELECT COUNT(*) FROM datasets")
        .fetch_one(p)
        .await)?;
    Ok(n)
}

/// Ids of the datasets deleted before `cutoff`, oldest first.
pub async fn deleted_before(db: &Db, cutoff: DateTime<Utc>, limit: i64) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT id FROM datasets WHERE deleted_at IS NOT NULL AND deleted_at < $1 ORDER BY deleted_at, id LIMIT $2"
    )
    .bind(cutoff)
    .bind(limit)
    .fetch_all(p)
    .await
    })?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

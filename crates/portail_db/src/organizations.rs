//! Organizations and their members.

use chrono::{DateTime, Utc};
use portail_core::model::{Extras, Member, OrgRole, Organization, OrganizationRef, User};
use sqlx::types::Json;

use crate::sql::ID_FIRST;
use crate::{Arg, Db, DbError, DbResult, Sql, Tx, bind_args, with_db, with_tx};

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: String,
    slug: String,
    name: String,
    acronym: Option<String>,
    description: String,
    url: Option<String>,
    image_url: Option<String>,
    business_number_id: Option<String>,
    extras: Json<Extras>,
    created_at: DateTime<Utc>,
    last_modified: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

impl From<OrgRow> for Organization {
    fn from(r: OrgRow) -> Organization {
        Organization {
            id: r.id,
            name: r.name,
            acronym: r.acronym,
            slug: r.slug,
            description: r.description,
            url: r.url,
            image_url: r.image_url,
            business_number_id: r.business_number_id,
            extras: r.extras.0,
            created_at: r.created_at,
            last_modified: r.last_modified,
            deleted_at: r.deleted_at,
        }
    }
}

const COLUMNS: &str = "id, slug, name, acronym, description, url, image_url, business_number_id, extras, created_at, last_modified, deleted_at";

/// Inserts an organization.
pub async fn insert(tx: &mut Tx, o: &Organization) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO organizations (id, slug, name, acronym, description, url, image_url, business_number_id, extras, created_at, last_modified, deleted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    )
    .bind(&o.id)
    .bind(&o.slug)
    .bind(&o.name)
    .bind(&o.acronym)
    .bind(&o.description)
    .bind(&o.url)
    .bind(&o.image_url)
    .bind(&o.business_number_id)
    .bind(Json(&o.extras))
    .bind(o.created_at)
    .bind(o.last_modified)
    .bind(o.deleted_at)
    .execute(c)
    .await
    .map(|_| ()))
    .map_err(DbError::from_sqlx)
}

/// Writes every field of an organization.
pub async fn update(tx: &mut Tx, o: &Organization) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE organizations SET slug = $2, name = $3, acronym = $4, description = $5, url = $6, image_url = $7, \
         business_number_id = $8, extras = $9, last_modified = $10, deleted_at = $11 WHERE id = $1"
    )
    .bind(&o.id)
    .bind(&o.slug)
    .bind(&o.name)
    .bind(&o.acronym)
    .bind(&o.description)
    .bind(&o.url)
    .bind(&o.image_url)
    .bind(&o.business_number_id)
    .bind(Json(&o.extras))
    .bind(o.last_modified)
    .bind(o.deleted_at)
    .execute(c)
    .await
    .map(|_| ()))
    .map_err(DbError::from_sqlx)
}

/// Finds an organization by id or slug, deleted ones included (callers answer 410).
pub async fn find(db: &Db, id_or_slug: &str) -> DbResult<Option<Organization>> {
    let sql = format!("SELECT {COLUMNS} FROM organizations WHERE id = $1 OR slug = $1 {ID_FIRST}");
    let row: Option<OrgRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id_or_slug)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Organization::from))
}

/// Finds organizations by ids.
pub async fn find_many(db: &Db, ids: &[String]) -> DbResult<Vec<Organization>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM organizations WHERE id IN "));
    sql.bind_list(ids.iter().cloned());
    let rows: Vec<OrgRow> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(Organization::from).collect())
}

/// What datasets show of the organizations with these ids (any order; unknown ids are left
/// out): five columns instead of twelve, for pages that show many organizations (a search
/// page and its facet).
pub async fn find_refs(db: &Db, ids: &[String]) -> DbResult<Vec<OrganizationRef>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql =
        Sql::new("SELECT id, name, acronym, slug, image_url FROM organizations WHERE id IN ");
    sql.bind_list(ids.iter().cloned());
    type RefRow = (String, String, Option<String>, String, Option<String>);
    let rows: Vec<RefRow> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, acronym, slug, image_url)| OrganizationRef {
            id,
            name,
            acronym,
            slug,
            image_url,
        })
        .collect())
}

/// Every organization, deleted ones included (a search index rebuild).
pub async fn all(db: &Db) -> DbResult<Vec<Organization>> {
    let sql = format!("SELECT {COLUMNS} FROM organizations ORDER BY id");
    let rows: Vec<OrgRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(Organization::from).collect())
}

/// Sort keys accepted by [`OrgQuery::sort`]: udata's, each with an optional leading `-`.
/// Organizations keep no reuse, follower or view counters yet, so those sort by name.
pub const SORTS: &[&str] = &[
    "name",
    "created",
    "last_modified",
    "datasets",
    "reuses",
    "followers",
    "views",
];

/// Filters and order of an organization list.
#[derive(Debug, Clone, Default)]
pub struct OrgQuery {
    pub q: Option<String>,
    /// One of [`SORTS`], with an optional leading `-`.
    pub sort: Option<String>,
    pub page: i64,
    pub page_size: i64,
    /// Rows to skip; when set it wins over `page` (CKAN pages by `offset`).
    pub offset: Option<i64>,
}

/// A page of live organizations and the total count.
pub async fn list(db: &Db, query: &OrgQuery) -> DbResult<(Vec<Organization>, i64)> {
    let mut filter = Sql::new(" FROM organizations WHERE deleted_at IS NULL");
    if let Some(q) = query.q.as_deref().filter(|q| !q.trim().is_empty()) {
        for word in q.split_whitespace().take(8) {
            let pattern = format!("%{}%", word.to_lowercase().replace(['%', '_'], ""));
            filter.push(" AND (lower(name) LIKE ");
            filter.bind(Arg::Text(pattern.clone()));
            filter.push(" OR lower(coalesce(acronym, '')) LIKE ");
            filter.bind(Arg::Text(pattern));
            filter.push(")");
        }
    }
    let order = match query.sort.as_deref().unwrap_or("name") {
        "-name" => "name DESC, id",
        // Not among [`SORTS`] (udata has no slug sort); the CKAN API sorts by `name` (our slug).
        "slug" => "slug, id",
        "-slug" => "slug DESC, id",
        "created" => "created_at, id",
        "-created" => "created_at DESC, id",
        "last_modified" => "last_modified, id",
        "-last_modified" => "last_modified DESC, id",
        // The count shown as `metrics.datasets`: private datasets must not show through.
        "datasets" => {
            "(SELECT COUNT(*) FROM datasets d WHERE d.organization_id = organizations.id \
             AND d.private = FALSE AND d.deleted_at IS NULL AND d.archived_at IS NULL), id"
        }
        "-datasets" => {
            "(SELECT COUNT(*) FROM datasets d WHERE d.organization_id = organizations.id \
             AND d.private = FALSE AND d.deleted_at IS NULL AND d.archived_at IS NULL) DESC, id"
        }
        _ => "name, id",
    };
    let count_sql = format!("SELECT COUNT(*){}", filter.text);
    let mut page_sql = Sql {
        text: format!("SELECT {COLUMNS}{} ORDER BY {order} LIMIT ", filter.text),
        args: filter.args.clone(),
    };
    page_sql.bind(Arg::Int(query.page_size));
    page_sql.push(" OFFSET ");
    page_sql.bind(Arg::Int(
        query
            .offset
            .unwrap_or((query.page - 1) * query.page_size)
            .max(0),
    ));
    let (total,): (i64,) = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(count_sql)),
        &filter.args
    )
    .fetch_one(p)
    .await)?;
    let rows: Vec<OrgRow> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(page_sql.text.clone())),
        &page_sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok((rows.into_iter().map(Organization::from).collect(), total))
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    role: String,
    since: DateTime<Utc>,
    #[sqlx(flatten)]
    user: crate::users::UserRowPublic,
}

/// Members of an organization with their user, admins first.
pub async fn members(db: &Db, organization_id: &str) -> DbResult<Vec<(Member, User)>> {
    let sql = format!(
        "SELECT m.role, m.since, {} FROM organization_members m JOIN users u ON u.id = m.user_id \
         WHERE m.organization_id = $1 ORDER BY CASE m.role WHEN 'admin' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, m.since, u.id",
        crate::users::PREFIXED_COLUMNS
    );
    let rows: Vec<MemberRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(organization_id)
        .fetch_all(p)
        .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let user: User = r.user.into();
            OrgRole::parse(&r.role).map(|role| {
                (
                    Member {
                        organization_id: organization_id.to_owned(),
                        user_id: user.id.clone(),
                        role,
                        since: r.since,
                    },
                    user,
                )
            })
        })
        .collect())
}

/// Adds a member or changes their role (keeping `since`).
pub async fn upsert_member(tx: &mut Tx, m: &Member) -> DbResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO organization_members (organization_id, user_id, role, since) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (organization_id, user_id) DO UPDATE SET role = excluded.role"
    )
    .bind(&m.organization_id)
    .bind(&m.user_id)
    .bind(m.role.as_str())
    .bind(m.since)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Removes a member and their assignments in this organization.
pub async fn delete_member(tx: &mut Tx, organization_id: &str, user_id: &str) -> DbResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM dataset_assignments WHERE organization_id = $1 AND user_id = $2")
            .bind(organization_id)
            .bind(user_id)
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2")
            .bind(organization_id)
            .bind(user_id)
            .execute(&mut *c)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Number of public, live datasets of each given organization.
pub async fn dataset_counts(db: &Db, ids: &[String]) -> DbResult<Vec<(String, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "SELECT organization_id, COUNT(*) FROM datasets WHERE private = FALSE AND deleted_at IS NULL \
         AND archived_at IS NULL AND organization_id IN ",
    );
    sql.bind_list(ids.iter().cloned());
    sql.push(" GROUP BY organization_id");
    let rows: Vec<(String, i64)> = with_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok(rows)
}

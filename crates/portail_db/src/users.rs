//! Users, their memberships in organizations and their dataset assignments.

use chrono::{DateTime, Utc};
use portail_core::model::{OrgRole, User};

use crate::sql::ID_FIRST;
use crate::{Db, DbError, DbResult, Tx, with_db, with_tx};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    slug: String,
    email: String,
    first_name: String,
    last_name: String,
    about: Option<String>,
    website: Option<String>,
    avatar_url: Option<String>,
    sysadmin: bool,
    active: bool,
    created_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> User {
        User {
            id: r.id,
            slug: r.slug,
            email: r.email,
            first_name: r.first_name,
            last_name: r.last_name,
            about: r.about,
            website: r.website,
            avatar_url: r.avatar_url,
            sysadmin: r.sysadmin,
            active: r.active,
            created_at: r.created_at,
            deleted_at: r.deleted_at,
        }
    }
}

const COLUMNS: &str = "id, slug, email, first_name, last_name, about, website, avatar_url, sysadmin, active, created_at, deleted_at";

/// The user columns under the `u.` alias and `u_`-prefixed names, for joins.
pub(crate) const PREFIXED_COLUMNS: &str = "u.id AS u_id, u.slug AS u_slug, u.email AS u_email, \
    u.first_name AS u_first_name, u.last_name AS u_last_name, u.about AS u_about, u.website AS u_website, \
    u.avatar_url AS u_avatar_url, u.sysadmin AS u_sysadmin, u.active AS u_active, \
    u.created_at AS u_created_at, u.deleted_at AS u_deleted_at";

/// A user row read through [`PREFIXED_COLUMNS`].
#[derive(sqlx::FromRow)]
pub(crate) struct UserRowPublic {
    u_id: String,
    u_slug: String,
    u_email: String,
    u_first_name: String,
    u_last_name: String,
    u_about: Option<String>,
    u_website: Option<String>,
    u_avatar_url: Option<String>,
    u_sysadmin: bool,
    u_active: bool,
    u_created_at: DateTime<Utc>,
    u_deleted_at: Option<DateTime<Utc>>,
}

impl From<UserRowPublic> for User {
    fn from(r: UserRowPublic) -> User {
        User {
            id: r.u_id,
            slug: r.u_slug,
            email: r.u_email,
            first_name: r.u_first_name,
            last_name: r.u_last_name,
            about: r.u_about,
            website: r.u_website,
            avatar_url: r.u_avatar_url,
            sysadmin: r.u_sysadmin,
            active: r.u_active,
            created_at: r.u_created_at,
            deleted_at: r.u_deleted_at,
        }
    }
}

/// A user to insert.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: String,
    pub slug: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub sysadmin: bool,
    pub created_at: DateTime<Utc>,
}

/// Inserts a user; an e-mail already registered is [`DbError::Unique`].
pub async fn insert(tx: &mut Tx, u: &NewUser) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO users (id, slug, email, password_hash, first_name, last_name, sysadmin, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8)"
    )
    .bind(&u.id)
    .bind(&u.slug)
    .bind(&u.email)
    .bind(&u.password_hash)
    .bind(&u.first_name)
    .bind(&u.last_name)
    .bind(u.sysadmin)
    .bind(u.created_at)
    .execute(c)
    .await
    .map(|_| ()))
    .map_err(DbError::from_sqlx)
}

/// Finds a user by id or slug.
pub async fn find(db: &Db, id_or_slug: &str) -> DbResult<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1 OR slug = $1 {ID_FIRST}");
    let row: Option<UserRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id_or_slug)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(User::from))
}

/// Finds users by ids (for embedding owners in lists).
pub async fn find_many(db: &Db, ids: &[String]) -> DbResult<Vec<User>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = crate::Sql::new(&format!("SELECT {COLUMNS} FROM users WHERE id IN "));
    sql.bind_list(ids.iter().cloned());
    let rows: Vec<UserRow> = with_db!(db, |p| crate::bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(User::from).collect())
}

#[derive(sqlx::FromRow)]
struct UserWithHashRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: Option<String>,
}

/// Finds a user by e-mail (case-insensitive) with the password hash, for logging in.
pub async fn find_by_email(db: &Db, email: &str) -> DbResult<Option<(User, Option<String>)>> {
    let sql = format!("SELECT {COLUMNS}, password_hash FROM users WHERE email = $1");
    let row: Option<UserWithHashRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(email.trim().to_lowercase())
        .fetch_optional(p)
        .await)?;
    Ok(row.map(|r| (r.user.into(), r.password_hash)))
}

/// Updates the profile fields of a user.
pub async fn update_profile(tx: &mut Tx, user: &User) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE users SET first_name = $2, last_name = $3, about = $4, website = $5 WHERE id = $1"
    )
    .bind(&user.id)
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(&user.about)
    .bind(&user.website)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Sets a new password hash.
pub async fn set_password(tx: &mut Tx, user_id: &str, hash: &str) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE users SET password_hash = $2 WHERE id = $1"
    )
    .bind(user_id)
    .bind(hash)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// The organizations a user belongs to, with their role.
pub async fn memberships(db: &Db, user_id: &str) -> DbResult<Vec<(String, OrgRole)>> {
    let rows: Vec<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT m.organization_id, m.role FROM organization_members m \
         JOIN organizations o ON o.id = m.organization_id \
         WHERE m.user_id = $1 AND o.deleted_at IS NULL"
    )
    .bind(user_id)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(org, role)| OrgRole::parse(&role).map(|r| (org, r)))
        .collect())
}

/// The datasets a partial editor is assigned to.
pub async fn assignments(db: &Db, user_id: &str) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT dataset_id FROM dataset_assignments WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}

/// Assigns a dataset to a (partial editor) member.
pub async fn assign(
    tx: &mut Tx,
    organization_id: &str,
    user_id: &str,
    dataset_id: &str,
) -> DbResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO dataset_assignments (organization_id, user_id, dataset_id) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, dataset_id) DO NOTHING"
    )
    .bind(organization_id)
    .bind(user_id)
    .bind(dataset_id)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Number of users.
pub async fn count(db: &Db) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(p)
        .await)?;
    Ok(n)
}

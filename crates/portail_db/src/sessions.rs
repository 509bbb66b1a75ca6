//! Browser sessions of the web portal, keyed by the SHA-256 of the cookie's token.

use chrono::{DateTime, Utc};
use portail_core::model::User;

use crate::{Db, DbResult, with_db};

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    s_token_hash: String,
    s_csrf_token: String,
    s_expires_at: DateTime<Utc>,
    #[sqlx(flatten)]
    user: crate::users::UserRowPublic,
}

/// Stores a new session.
pub async fn insert(
    db: &Db,
    token_hash: &str,
    user_id: &str,
    csrf_token: &str,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    with_db!(db, |p| {
        sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(created_at)
    .bind(expires_at)
    .execute(p)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Finds a session that has not expired at `now`, with its user.
pub async fn find_live(db: &Db, token_hash: &str, now: DateTime<Utc>) -> DbResult<Option<Session>> {
    let sql = format!(
        "SELECT s.token_hash AS s_token_hash, s.csrf_token AS s_csrf_token, s.expires_at AS s_expires_at, {} \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        crate::users::PREFIXED_COLUMNS
    );
    let row: Option<SessionRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(|r| Session {
        token_hash: r.s_token_hash,
        csrf_token: r.s_csrf_token,
        expires_at: r.s_expires_at,
        user: r.user.into(),
    }))
}

/// Deletes one session (logout).
pub async fn delete(db: &Db, token_hash: &str) -> DbResult<()> {
    with_db!(db, |p| sqlx::query(
        "DELETE FROM sessions WHERE token_hash = $1"
    )
    .bind(token_hash)
    .execute(p)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Deletes every session of a user (log out everywhere); returns how many.
pub async fn delete_for_user(db: &Db, user_id: &str) -> DbResult<u64> {
    let done = with_db!(db, |p| sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done)
}

/// How many sessions of a user are live at `now` (browsers where they are logged in).
pub async fn count_live_for_user(db: &Db, user_id: &str, now: DateTime<Utc>) -> DbResult<i64> {
    let n: i64 = with_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2"
    )
    .bind(user_id)
    .bind(now)
    .fetch_one(p)
    .await)?;
    Ok(n)
}

/// Deletes the sessions expired at `now`; returns how many.
pub async fn purge_expired(db: &Db, now: DateTime<Utc>) -> DbResult<u64> {
    let done = with_db!(db, |p| sqlx::query(
        "DELETE FROM sessions WHERE expires_at <= $1"
    )
    .bind(now)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done)
}

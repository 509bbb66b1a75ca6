//! API tokens: stored as a SHA-256 hash of the secret, with a short prefix kept for display.

use chrono::{DateTime, Utc};
use portail_core::model::{ApiToken, User};
use sqlx::types::Json;

use crate::{Db, DbResult, Tx, with_db, with_tx};

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: String,
    user_id: String,
    name: Option<String>,
    token_prefix: String,
    scopes: Json<Vec<String>>,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenRow> for ApiToken {
    fn from(r: TokenRow) -> ApiToken {
        ApiToken {
            id: r.id,
            user_id: r.user_id,
            name: r.name,
            token_prefix: r.token_prefix,
            scopes: r.scopes.0,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        }
    }
}

const COLUMNS: &str = "t.id, t.user_id, t.name, t.token_prefix, t.scopes, t.created_at, t.last_used_at, t.expires_at, t.revoked_at";

/// Inserts a token given its hash.
pub async fn insert(tx: &mut Tx, token: &ApiToken, token_hash: &str) -> DbResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, token_prefix, scopes, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(&token.id)
    .bind(&token.user_id)
    .bind(&token.name)
    .bind(token_hash)
    .bind(&token.token_prefix)
    .bind(Json(&token.scopes))
    .bind(token.created_at)
    .bind(token.expires_at)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct TokenUserRow {
    #[sqlx(flatten)]
    token: TokenRow,
    #[sqlx(flatten)]
    user: crate::users::UserRowPublic,
}

/// Finds a token by the hash of its secret, with its user.
pub async fn find_by_hash(db: &Db, token_hash: &str) -> DbResult<Option<(ApiToken, User)>> {
    let sql = format!(
        "SELECT {COLUMNS}, {} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        crate::users::PREFIXED_COLUMNS
    );
    let row: Option<TokenUserRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(token_hash)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(|r| (r.token.into(), r.user.into())))
}

/// Lists the tokens of a user that are not revoked, newest first.
pub async fn list_for_user(db: &Db, user_id: &str) -> DbResult<Vec<ApiToken>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM api_tokens t WHERE t.user_id = $1 AND t.revoked_at IS NULL ORDER BY t.created_at DESC, t.id DESC"
    );
    let rows: Vec<TokenRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(ApiToken::from).collect())
}

/// Finds one token of a user, revoked or not.
pub async fn find_for_user(db: &Db, user_id: &str, id: &str) -> DbResult<Option<ApiToken>> {
    let sql = format!("SELECT {COLUMNS} FROM api_tokens t WHERE t.user_id = $1 AND t.id = $2");
    let row: Option<TokenRow> = with_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(ApiToken::from))
}

/// Marks a token revoked.
pub async fn revoke(tx: &mut Tx, id: &str, at: DateTime<Utc>) -> DbResult<()> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL"
    )
    .bind(id)
    .bind(at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Records that a token was used. Callers throttle this so it is not a write per request.
pub async fn touch(db: &Db, id: &str, at: DateTime<Utc>) -> DbResult<()> {
    with_db!(db, |p| sqlx::query(
        "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(at)
    .execute(p)
    .await
    .map(|_| ()))?;
    Ok(())
}

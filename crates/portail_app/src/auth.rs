//! Authentication: argon2 password hashes, API tokens (random secrets stored as SHA-256
//! hashes, shown once), and loading the [`Actor`] that authorization works on.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use chrono::Duration;
use portail_core::model::{ApiToken, User};
use portail_core::permissions::Actor;
use portail_db::{tokens, users};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{App, AppError, AppResult};

/// Prefix of every API token, as udata's `API_TOKEN_PREFIX`, so clients recognise them.
pub const TOKEN_PREFIX: &str = "udata_";

/// Minimum length of a password.
pub const PASSWORD_MIN: usize = 8;

/// Hashes a password as an Argon2id PHC string.
pub fn hash_password(password: &str) -> AppResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("cannot hash password: {e}")))
}

/// Checks a password against a PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// SHA-256 of a token secret, hex-encoded: what the database stores.
pub fn hash_token(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new random token: the prefix and 48 random bytes in URL-safe base64 (64 characters).
pub fn generate_token() -> String {
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Builds the actor of a user: memberships and assignments.
pub async fn actor_for(app: &App, user: &User) -> AppResult<Actor> {
    let memberships = users::memberships(&app.db, &user.id).await?;
    let assignments = users::assignments(&app.db, &user.id).await?;
    Ok(Actor {
        user_id: user.id.clone(),
        sysadmin: user.sysadmin,
        memberships: memberships.into_iter().collect(),
        assignments: assignments.into_iter().collect(),
    })
}

/// How often `last_used_at` is refreshed: not a write per request.
const TOUCH_EVERY: i64 = 60;

/// Resolves an API token into its user and actor, with udata's messages on failure.
pub async fn authenticate_token(app: &App, secret: &str) -> AppResult<(User, Actor)> {
    let Some((token, user)) = tokens::find_by_hash(&app.db, &hash_token(secret.trim())).await?
    else {
        return Err(AppError::Unauthorized("Invalid API token".into()));
    };
    let now = app.clock.now();
    if token.revoked_at.is_some() {
        return Err(AppError::Unauthorized("Revoked API token".into()));
    }
    if token.expires_at.is_some_and(|at| at <= now) {
        return Err(AppError::Unauthorized("Expired API token".into()));
    }
    if !user.active || user.deleted_at.is_some() {
        return Err(AppError::Unauthorized("Inactive user".into()));
    }
    if token
        .last_used_at
        .is_none_or(|at| now - at > Duration::seconds(TOUCH_EVERY))
    {
        tokens::touch(&app.db, &token.id, now).await?;
    }
    let actor = actor_for(app, &user).await?;
    Ok((user, actor))
}

/// Checks an e-mail and password, for the login form and `portail token create`.
pub async fn authenticate_password(app: &App, email: &str, password: &str) -> AppResult<User> {
    let found = users::find_by_email(&app.db, email).await?;
    let invalid = || AppError::Unauthorized("Invalid e-mail or password.".into());
    let Some((user, Some(hash))) = found else {
        // Spend the same time as a real check so e-mails cannot be probed by timing.
        let _ = verify_password(password, DUMMY_HASH);
        return Err(invalid());
    };
    if !verify_password(password, &hash) {
        return Err(invalid());
    }
    if !user.active || user.deleted_at.is_some() {
        return Err(AppError::Unauthorized("Inactive user".into()));
    }
    Ok(user)
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$8f5pPpTOlh3nXcTbwU6Zle3TlFIw3qylAtiVXzsN5kQ";

/// A created token: its listing and the secret, shown once.
pub struct CreatedToken {
    pub token: ApiToken,
    pub secret: String,
}

/// Creates an API token for a user.
pub async fn create_token(
    app: &App,
    user_id: &str,
    name: Option<String>,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
) -> AppResult<CreatedToken> {
    let now = app.clock.now();
    if let Some(name) = &name
        && name.chars().count() > 255
    {
        return Err(AppError::field(
            "name",
            "Field cannot be longer than 255 characters.",
        ));
    }
    if expires_at.is_some_and(|at| at <= now) {
        return Err(AppError::field(
            "expires_at",
            "The expiry date must be in the future.",
        ));
    }
    let secret = generate_token();
    let token = ApiToken {
        id: portail_core::ids::new_object_id(),
        user_id: user_id.to_owned(),
        name,
        token_prefix: secret.chars().take(TOKEN_PREFIX.len() + 8).collect(),
        scopes: vec!["admin".into()],
        created_at: now,
        last_used_at: None,
        expires_at,
        revoked_at: None,
    };
    let mut tx = app.db.begin().await?;
    tokens::insert(&mut tx, &token, &hash_token(&secret)).await?;
    tx.commit().await?;
    Ok(CreatedToken { token, secret })
}

/// Revokes a token of a user: 404 when unknown, 410 when already revoked.
pub async fn revoke_token(app: &App, user_id: &str, token_id: &str) -> AppResult<()> {
    let Some(token) = tokens::find_for_user(&app.db, user_id, token_id).await? else {
        return Err(AppError::NotFound("API token not found".into()));
    };
    if token.revoked_at.is_some() {
        return Err(AppError::Gone("API token already revoked".into()));
    }
    let mut tx = app.db.begin().await?;
    tokens::revoke(&mut tx, token_id, app.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_and_long() {
        let t = generate_token();
        assert!(t.starts_with("udata_"));
        assert_eq!(t.len(), 6 + 64);
        assert_ne!(t, generate_token());
        assert_eq!(hash_token(&t).len(), 64);
    }

    #[test]
    fn passwords_round_trip() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(!verify_password("x", DUMMY_HASH));
    }
}

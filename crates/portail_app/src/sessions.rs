//! Browser sessions of the web portal: log in with an e-mail and a password (rate limited),
//! resolve the session cookie, log out.
//!
//! The cookie carries a random 256-bit token; the database keeps only its SHA-256, with a CSRF
//! token that every form of the session must send back. The login rate limit lives in memory
//! ([`LoginLimiter`]): per process, reset on restart, which is enough to make password guessing
//! impractical; several nodes each keep their own count.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;
use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use portail_core::model::User;
use portail_db::sessions;
use rand::RngCore;

use crate::auth::{authenticate_password, hash_token};
use crate::{App, AppError, AppResult};

/// How long a session lasts.
pub const SESSION_DAYS: i64 = 14;

/// Failed logins allowed per account and address within [`LOGIN_WINDOW`].
pub const LOGIN_ATTEMPTS: usize = 10;

/// The window of the login rate limit.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A random 256-bit secret, URL-safe base64.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new session: the cookie value (shown to the browser only) and its CSRF token.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Counts failed logins per (account, address) in memory.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<(String, String), Vec<Instant>>>,
}

impl LoginLimiter {
    fn key(email: &str, ip: &str) -> (String, String) {
        (email.trim().to_lowercase(), ip.to_owned())
    }

    /// True when this account and address may try again.
    pub fn allowed(&self, email: &str, ip: &str) -> bool {
        let mut map = self.failures.lock();
        let entry = map.entry(Self::key(email, ip)).or_default();
        entry.retain(|at| at.elapsed() < LOGIN_WINDOW);
        entry.len() < LOGIN_ATTEMPTS
    }

    fn failed(&self, email: &str, ip: &str) {
        let mut map = self.failures.lock();
        // Bounded memory: forget everything stale when the table grows large.
        if map.len() > 100_000 {
            map.retain(|_, v| v.iter().any(|at| at.elapsed() < LOGIN_WINDOW));
        }
        map.entry(Self::key(email, ip))
            .or_default()
            .push(Instant::now());
    }

    fn succeeded(&self, email: &str, ip: &str) {
        self.failures.lock().remove(&Self::key(email, ip));
    }
}

/// Checks the password and opens a session; refused without checking the password once this
/// account and address have failed [`LOGIN_ATTEMPTS`] times within [`LOGIN_WINDOW`].
pub async fn login(
    app: &App,
    limiter: &LoginLimiter,
    email: &str,
    password: &str,
    ip: &str,
) -> Result<(User, NewSession), LoginError> {
    if !limiter.allowed(email, ip) {
        return Err(LoginError::TooManyAttempts);
    }
    let user = match authenticate_password(app, email, password).await {
        Ok(user) => user,
        Err(AppError::Unauthorized(message)) => {
            limiter.failed(email, ip);
            return Err(LoginError::Refused(message));
        }
        Err(other) => return Err(LoginError::App(other)),
    };
    limiter.succeeded(email, ip);
    let session = open(app, &user).await.map_err(LoginError::App)?;
    Ok((user, session))
}

/// Why a login failed.
#[derive(Debug)]
pub enum LoginError {
    /// Wrong e-mail or password, or an inactive account.
    Refused(String),
    /// The rate limit was reached.
    TooManyAttempts,
    App(AppError),
}

/// Opens a session for a user (after login or registration).
pub async fn open(app: &App, user: &User) -> AppResult<NewSession> {
    let token = random_secret();
    let csrf_token = random_secret();
    let now = app.clock.now();
    let expires_at = now + chrono::Duration::days(SESSION_DAYS);
    sessions::insert(
        &app.db,
        &hash_token(&token),
        &user.id,
        &csrf_token,
        now,
        expires_at,
    )
    .await?;
    Ok(NewSession {
        token,
        csrf_token,
        expires_at,
    })
}

/// The live session of a cookie token, if any (inactive users have none).
pub async fn resolve(app: &App, token: &str) -> AppResult<Option<sessions::Session>> {
    let found = sessions::find_live(&app.db, &hash_token(token), app.clock.now()).await?;
    Ok(found.filter(|s| s.user.active && s.user.deleted_at.is_none()))
}

/// Deletes the session of a cookie token.
pub async fn logout(app: &App, token: &str) -> AppResult<()> {
    sessions::delete(&app.db, &hash_token(token)).await?;
    Ok(())
}

/// Deletes every session of a user, this browser's included; returns how many. API keys are
/// not touched (they are revoked one by one on their page).
pub async fn logout_everywhere(app: &App, user_id: &str) -> AppResult<u64> {
    Ok(sessions::delete_for_user(&app.db, user_id).await?)
}

/// How many browsers a user is logged in on.
pub async fn live_count(app: &App, user_id: &str) -> AppResult<i64> {
    Ok(sessions::count_live_for_user(&app.db, user_id, app.clock.now()).await?)
}

/// Deletes the expired sessions; returns how many (run hourly by `portail serve`).
pub async fn purge_expired(app: &App) -> AppResult<u64> {
    Ok(sessions::purge_expired(&app.db, app.clock.now()).await?)
}

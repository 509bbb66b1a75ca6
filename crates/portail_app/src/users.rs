//! User use cases: create an account, edit one's profile.

use portail_core::ids::new_object_id;
use portail_core::model::User;
use portail_core::slug::slugify;
use portail_core::validation::{self, Errors, Patch, is_valid_email};
use portail_db::slugs::{self, SlugKind};
use portail_db::users::{self, NewUser};
use portail_db::{DbError, changes};
use serde_json::{Map, Value};

use crate::auth::{PASSWORD_MIN, hash_password};
use crate::{App, AppError, AppResult};

/// Outbox kind of user changes.
pub const CHANGE_KIND: &str = "user";

/// What an account is created from.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub sysadmin: bool,
}

/// Creates an account, with field errors for a bad e-mail, a short password or a taken e-mail.
pub async fn register(app: &App, r: &Registration) -> AppResult<User> {
    let email = r.email.trim().to_lowercase();
    let mut errors = Errors::default();
    if !is_valid_email(&email) {
        errors.add("email", "Invalid e-mail address.");
    }
    if r.password.chars().count() < PASSWORD_MIN {
        errors.add(
            "password",
            format!("The password must be at least {PASSWORD_MIN} characters long."),
        );
    }
    if r.first_name.chars().count() > validation::NAME_MAX {
        errors.add(
            "first_name",
            format!(
                "Field cannot be longer than {} characters.",
                validation::NAME_MAX
            ),
        );
    }
    if r.last_name.chars().count() > validation::NAME_MAX {
        errors.add(
            "last_name",
            format!(
                "Field cannot be longer than {} characters.",
                validation::NAME_MAX
            ),
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let hash = hash_password(&r.password)?;
    let now = app.clock.now();
    let mut base = slugify(&format!("{} {}", r.first_name.trim(), r.last_name.trim()));
    if base.is_empty() {
        base = slugify(email.split('@').next().unwrap_or("user"));
    }
    if base.is_empty() {
        base = "user".into();
    }
    let mut tx = app.db.begin().await?;
    let slug = slugs::unique(&mut tx, SlugKind::User, &base, None).await?;
    let user = NewUser {
        id: new_object_id(),
        slug,
        email: email.clone(),
        password_hash: Some(hash),
        first_name: r.first_name.trim().to_owned(),
        last_name: r.last_name.trim().to_owned(),
        sysadmin: r.sysadmin,
        created_at: now,
    };
    match users::insert(&mut tx, &user).await {
        Err(DbError::Unique(_)) => {
            return Err(AppError::field(
                "email",
                "This e-mail address is already registered.",
            ));
        }
        other => other?,
    }
    changes::record(&mut tx, CHANGE_KIND, &user.id, now).await?;
    tx.commit().await?;
    users::find(&app.db, &user.id)
        .await?
        .ok_or_else(|| AppError::Internal("user vanished after creation".into()))
}

/// Finds a live user by id or slug.
pub async fn get(app: &App, id_or_slug: &str) -> AppResult<User> {
    match users::find(&app.db, id_or_slug).await? {
        Some(u) if u.deleted_at.is_none() => Ok(u),
        Some(_) => Err(AppError::Gone("User has been deleted".into())),
        None => Err(AppError::NotFound("User not found".into())),
    }
}

/// Edits one's profile (`PUT /api/1/me/`).
pub async fn update_profile(app: &App, user: &User, body: &Map<String, Value>) -> AppResult<User> {
    let patch = validation::parse_user(body)?;
    let mut user = user.clone();
    user.first_name = match patch.first_name {
        Patch::Set(v) => v,
        Patch::Clear => String::new(),
        Patch::Keep => user.first_name,
    };
    user.last_name = match patch.last_name {
        Patch::Set(v) => v,
        Patch::Clear => String::new(),
        Patch::Keep => user.last_name,
    };
    user.about = patch.about.apply(user.about.take());
    user.website = patch.website.apply(user.website.take());
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    users::update_profile(&mut tx, &user).await?;
    changes::record(&mut tx, CHANGE_KIND, &user.id, now).await?;
    tx.commit().await?;
    Ok(user)
}

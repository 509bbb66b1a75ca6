//! Organization use cases: create (the creator becomes admin), edit, delete, members.

use portail_core::ids::new_object_id;
use portail_core::model::{Member, OrgRole, Organization, User};
use portail_core::permissions::{self, Actor};
use portail_core::slug::slugify;
use portail_core::validation::{self, Mode, Patch};
use portail_db::slugs::{self, SlugKind};
use portail_db::{changes, organizations as repo, users};
use serde_json::{Map, Value};

use crate::errors::PERMISSION_DENIED;
use crate::{App, AppError, AppResult};

/// Outbox kind of organization changes.
pub const CHANGE_KIND: &str = "organization";

const NOT_FOUND: &str = "Organization not found";
const GONE: &str = "Organization has been deleted";

/// Finds a live organization: 404 when unknown, 410 when deleted.
pub async fn get(app: &App, id_or_slug: &str) -> AppResult<Organization> {
    let org = match repo::find(&app.db, id_or_slug).await? {
        Some(org) => org,
        None => match slugs::redirect(&app.db, SlugKind::Organization, id_or_slug).await? {
            Some(id) => repo::find(&app.db, &id)
                .await?
                .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?,
            None => return Err(AppError::NotFound(NOT_FOUND.into())),
        },
    };
    if org.deleted_at.is_some() {
        return Err(AppError::Gone(GONE.into()));
    }
    Ok(org)
}

fn slug_base(name: &str) -> String {
    let base = slugify(name);
    if base.is_empty() {
        "organization".to_owned()
    } else {
        base
    }
}

/// Creates an organization; its creator becomes its admin.
pub async fn create(
    app: &App,
    actor: &Actor,
    body: &Map<String, Value>,
) -> AppResult<Organization> {
    let patch = validation::parse_organization(body, Mode::Create)?;
    let now = app.clock.now();
    let mut org = Organization {
        id: new_object_id(),
        name: patch.name.value().cloned().unwrap_or_default(),
        acronym: patch.acronym.apply(None),
        slug: String::new(),
        description: patch.description.value().cloned().unwrap_or_default(),
        url: patch.url.apply(None),
        image_url: patch.image_url.apply(None),
        business_number_id: patch.business_number_id.apply(None),
        extras: patch.extras.apply(None).unwrap_or_default(),
        created_at: now,
        last_modified: now,
        deleted_at: None,
    };
    let mut tx = app.db.begin().await?;
    org.slug = slugs::unique(&mut tx, SlugKind::Organization, &slug_base(&org.name), None).await?;
    repo::insert(&mut tx, &org).await?;
    repo::upsert_member(
        &mut tx,
        &Member {
            organization_id: org.id.clone(),
            user_id: actor.user_id.clone(),
            role: OrgRole::Admin,
            since: now,
        },
    )
    .await?;
    changes::record(&mut tx, CHANGE_KIND, &org.id, now).await?;
    tx.commit().await?;
    Ok(org)
}

fn require_admin(actor: &Actor, org: &Organization) -> AppResult<()> {
    if permissions::can_admin_organization(Some(actor), &org.id) {
        Ok(())
    } else {
        Err(AppError::Forbidden(PERMISSION_DENIED.into()))
    }
}

/// Edits an organization (admins): omitted keys keep their value, `null` clears.
pub async fn update(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    body: &Map<String, Value>,
) -> AppResult<Organization> {
    let mut org = get(app, id_or_slug).await?;
    require_admin(actor, &org)?;
    let patch = validation::parse_organization(body, Mode::Update)?;
    let now = app.clock.now();
    let old_slug = org.slug.clone();
    if let Patch::Set(name) = patch.name {
        org.name = name;
    }
    if let Patch::Set(description) = patch.description {
        org.description = description;
    }
    org.acronym = patch.acronym.apply(org.acronym.take());
    org.url = patch.url.apply(org.url.take());
    org.image_url = patch.image_url.apply(org.image_url.take());
    org.business_number_id = patch
        .business_number_id
        .apply(org.business_number_id.take());
    org.extras = patch
        .extras
        .apply_or(std::mem::take(&mut org.extras), Map::new());
    org.last_modified = now;
    let mut tx = app.db.begin().await?;
    let slug = slugs::unique(
        &mut tx,
        SlugKind::Organization,
        &slug_base(&org.name),
        Some(&org.id),
    )
    .await?;
    if slug != old_slug {
        slugs::rename(&mut tx, SlugKind::Organization, &org.id, &old_slug, &slug).await?;
        org.slug = slug;
    }
    repo::update(&mut tx, &org).await?;
    changes::record(&mut tx, CHANGE_KIND, &org.id, now).await?;
    tx.commit().await?;
    Ok(org)
}

/// Soft-deletes an organization (admins); it answers 410 afterwards.
pub async fn delete(app: &App, actor: &Actor, id_or_slug: &str) -> AppResult<()> {
    let mut org = get(app, id_or_slug).await?;
    require_admin(actor, &org)?;
    let now = app.clock.now();
    org.deleted_at = Some(now);
    org.last_modified = now;
    let mut tx = app.db.begin().await?;
    repo::update(&mut tx, &org).await?;
    changes::record(&mut tx, CHANGE_KIND, &org.id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Members of an organization with their users.
pub async fn members(app: &App, org: &Organization) -> AppResult<Vec<(Member, User)>> {
    Ok(repo::members(&app.db, &org.id).await?)
}

/// Adds a member or changes a member's role (admins). Body: `{"role": "editor"}` (default
/// `editor`, as udata).
pub async fn set_member(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    user_ref: &str,
    body: &Map<String, Value>,
    must_exist: Option<bool>,
) -> AppResult<(Member, User)> {
    let org = get(app, id_or_slug).await?;
    require_admin(actor, &org)?;
    let role = match body.get("role") {
        None | Some(Value::Null) => OrgRole::Editor,
        Some(Value::String(r)) => OrgRole::parse(r).ok_or_else(|| {
            AppError::field(
                "role",
                format!("Unknown role \"{r}\": see /api/1/organizations/roles/ for the list."),
            )
        })?,
        Some(_) => return Err(AppError::field("role", "Not a valid role id.")),
    };
    let Some(user) = users::find(&app.db, user_ref)
        .await?
        .filter(|u| u.active && u.deleted_at.is_none())
    else {
        return Err(AppError::NotFound("User not found".into()));
    };
    let current = repo::members(&app.db, &org.id).await?;
    let existing = current
        .iter()
        .find(|(m, _)| m.user_id == user.id)
        .map(|(m, _)| m.clone());
    match (must_exist, &existing) {
        (Some(true), None) => {
            return Err(AppError::NotFound(
                "This user is not a member of the organization.".into(),
            ));
        }
        (Some(false), Some(_)) => {
            return Err(AppError::Conflict(
                "This user is already a member of the organization.".into(),
            ));
        }
        _ => {}
    }
    if existing.as_ref().is_some_and(|m| m.role == OrgRole::Admin) && role != OrgRole::Admin {
        ensure_other_admin(&current, &user.id)?;
    }
    let now = app.clock.now();
    let member = Member {
        organization_id: org.id.clone(),
        user_id: user.id.clone(),
        role,
        since: existing.map_or(now, |m| m.since),
    };
    let mut tx = app.db.begin().await?;
    repo::upsert_member(&mut tx, &member).await?;
    changes::record(&mut tx, CHANGE_KIND, &org.id, now).await?;
    tx.commit().await?;
    Ok((member, user))
}

fn ensure_other_admin(members: &[(Member, User)], leaving: &str) -> AppResult<()> {
    let others = members
        .iter()
        .filter(|(m, _)| m.role == OrgRole::Admin && m.user_id != leaving)
        .count();
    if others == 0 {
        Err(AppError::BadRequest(
            "An organization needs at least one admin: name another admin first.".into(),
        ))
    } else {
        Ok(())
    }
}

/// Removes a member (admins).
pub async fn remove_member(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    user_ref: &str,
) -> AppResult<()> {
    let org = get(app, id_or_slug).await?;
    require_admin(actor, &org)?;
    let Some(user) = users::find(&app.db, user_ref).await? else {
        return Err(AppError::NotFound("User not found".into()));
    };
    let current = repo::members(&app.db, &org.id).await?;
    let Some((member, _)) = current.iter().find(|(m, _)| m.user_id == user.id) else {
        return Err(AppError::NotFound(
            "This user is not a member of the organization.".into(),
        ));
    };
    if member.role == OrgRole::Admin {
        ensure_other_admin(&current, &user.id)?;
    }
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    repo::delete_member(&mut tx, &org.id, &user.id).await?;
    changes::record(&mut tx, CHANGE_KIND, &org.id, now).await?;
    tx.commit().await?;
    Ok(())
}

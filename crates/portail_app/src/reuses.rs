//! Reuses (udata's `core/reuse`): what was made from datasets. Anyone signed in publishes
//! one, as themselves or for an organization they belong to; the datasets it uses count it
//! in their `reuses` metric (recounted in the same transaction).

use portail_core::ids::new_object_id;
use portail_core::model::{OrgRole, Publisher};
use portail_core::permissions::{self, Actor};
use portail_core::reuses::{is_reuse_topic, is_reuse_type};
use portail_core::slug::slugify;
use portail_core::validation::{Errors, is_valid_url};
use portail_db::reuses::{self as repo, Reuse, ReuseQuery};
use portail_db::{Tx, changes, organizations};
use serde_json::{Map, Value};

use crate::errors::PERMISSION_DENIED;
use crate::{App, AppError, AppResult};

const NOT_FOUND: &str = "Reuse not found";
const GONE: &str = "Reuse has been deleted";

/// Whether the actor may edit a reuse: its owner, or an admin or editor of its organization.
pub fn can_edit(actor: Option<&Actor>, publisher: &Publisher) -> bool {
    let Some(a) = actor else { return false };
    a.sysadmin
        || match publisher {
            Publisher::User(u) => *u == a.user_id,
            Publisher::Organization(o) => {
                matches!(a.role_in(o), Some(OrgRole::Admin | OrgRole::Editor))
            }
        }
}

fn can_see_hidden(actor: Option<&Actor>, publisher: &Publisher) -> bool {
    permissions::can_see_hidden_dataset(actor, publisher)
}

/// Reads and checks a reuse body onto `r`; `create` requires title, description, url, type.
async fn apply_body(
    app: &App,
    actor: &Actor,
    r: &mut Reuse,
    body: &Map<String, Value>,
    create: bool,
) -> AppResult<()> {
    let mut errors = Errors::default();
    let text = |field: &str, max: usize, target: &mut String, errors: &mut Errors| match body
        .get(field)
    {
        None if !create => {}
        Some(Value::String(s)) if !s.trim().is_empty() => {
            if s.chars().count() > max {
                errors.add(field, format!("At most {max} characters."));
            } else {
                *target = s.trim().to_owned();
            }
        }
        Some(Value::String(_) | Value::Null) | None => errors.add(field, "This field is required."),
        Some(_) => errors.add(field, "Must be a string."),
    };
    text("title", 350, &mut r.title, &mut errors);
    text("description", 100_000, &mut r.description, &mut errors);
    text("url", 2048, &mut r.url, &mut errors);
    text("type", 64, &mut r.kind, &mut errors);
    if (create || body.contains_key("url")) && !r.url.is_empty() && !is_valid_url(&r.url) {
        errors.add("url", "Not a valid URL (http or https).");
    }
    if (create || body.contains_key("type")) && !r.kind.is_empty() && !is_reuse_type(&r.kind) {
        errors.add(
            "type",
            format!(
                "Unknown reuse type \"{}\": see /api/1/reuses/types/.",
                r.kind
            ),
        );
    }
    match body.get("topic") {
        None if !create => {}
        None | Some(Value::Null) => r.topic = "others".into(),
        Some(Value::String(t)) if is_reuse_topic(t) => r.topic = t.clone(),
        Some(v) => errors.add(
            "topic",
            format!("Unknown topic {v}: see /api/1/reuses/topics/."),
        ),
    }
    if let Some(v) = body.get("tags") {
        match portail_core::tags::parse_tags_value(v) {
            Ok(tags) => r.tags = portail_core::tags::normalize_tags_lenient(&tags),
            Err(e) => errors.add("tags", e),
        }
    }
    match body.get("private") {
        None => {}
        Some(Value::Null) => r.private = false,
        Some(Value::Bool(b)) => r.private = *b,
        Some(_) => errors.add("private", "Must be a boolean."),
    }
    if let Some(v) = body.get("datasets") {
        let mut ids = Vec::new();
        match v {
            Value::Null => {}
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let id = match item {
                        Value::String(s) => Some(s.clone()),
                        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_owned),
                        _ => None,
                    };
                    match id {
                        Some(id) => match crate::datasets::get(app, Some(actor), &id).await {
                            Ok(d) if !ids.contains(&d.id) => ids.push(d.id),
                            Ok(_) => {}
                            Err(_) => errors.add(
                                format!("datasets.{i}"),
                                format!("Unknown dataset \"{id}\"."),
                            ),
                        },
                        None => errors.add(format!("datasets.{i}"), "Expected a dataset id."),
                    }
                }
            }
            _ => errors.add("datasets", "Must be a list of dataset ids."),
        }
        r.datasets = ids;
    }
    if let Some(v) = body.get("organization").filter(|v| !v.is_null()) {
        let id = v
            .as_str()
            .map(str::to_owned)
            .or_else(|| v.get("id").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        match organizations::find(&app.db, &id).await? {
            Some(o) if o.deleted_at.is_none() => {
                if permissions::can_publish_for_organization(Some(actor), &o.id) {
                    r.publisher = Publisher::Organization(o.id);
                } else {
                    errors.add(
                        "organization",
                        "You can only publish for an organization you are a member of.",
                    );
                }
            }
            _ => errors.add("organization", format!("Unknown organization \"{id}\".")),
        }
    } else if body.get("organization").is_some_and(Value::is_null) && !create {
        r.publisher = Publisher::User(actor.user_id.clone());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

async fn unique_slug(app: &App, title: &str, except: Option<&str>) -> AppResult<String> {
    let base = match slugify(title) {
        s if s.is_empty() => "reuse".to_owned(),
        s => s,
    };
    let mut slug = base.clone();
    let mut n = 1;
    while repo::slug_taken(&app.db, &slug, except).await? {
        n += 1;
        slug = format!("{base}-{n}");
    }
    Ok(slug)
}

async fn record_datasets(
    tx: &mut Tx,
    r: &Reuse,
    previous: &[String],
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    for id in r.datasets.iter().chain(previous) {
        changes::record(tx, crate::datasets::CHANGE_KIND, id, now).await?;
    }
    Ok(())
}

/// Creates a reuse.
pub async fn create(app: &App, actor: &Actor, body: &Map<String, Value>) -> AppResult<Reuse> {
    let now = app.clock.now();
    let mut r = Reuse {
        id: new_object_id(),
        slug: String::new(),
        title: String::new(),
        description: String::new(),
        url: String::new(),
        kind: String::new(),
        topic: "others".into(),
        tags: Vec::new(),
        private: false,
        publisher: Publisher::User(actor.user_id.clone()),
        datasets: Vec::new(),
        created_at: now,
        last_modified: now,
        deleted_at: None,
    };
    apply_body(app, actor, &mut r, body, true).await?;
    r.slug = unique_slug(app, &r.title, None).await?;
    let mut tx = app.db.begin().await?;
    repo::insert(&mut tx, &r).await?;
    record_datasets(&mut tx, &r, &[], now).await?;
    tx.commit().await?;
    Ok(r)
}

/// A reuse the actor may see: 404 when private to others, 410 when deleted.
pub async fn get(app: &App, actor: Option<&Actor>, id: &str) -> AppResult<Reuse> {
    let r = repo::find(&app.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    let insider = can_see_hidden(actor, &r.publisher);
    if r.deleted_at.is_some() {
        return Err(if insider {
            AppError::Gone(GONE.into())
        } else {
            AppError::NotFound(NOT_FOUND.into())
        });
    }
    if r.private && !insider {
        return Err(AppError::NotFound(NOT_FOUND.into()));
    }
    Ok(r)
}

/// Updates a reuse (owner, organization admins and editors); `"deleted": null` restores.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    body: &Map<String, Value>,
) -> AppResult<Reuse> {
    let restore = body.get("deleted").is_some_and(Value::is_null);
    let mut r = match get(app, Some(actor), id).await {
        Err(AppError::Gone(_)) if restore => repo::find(&app.db, id)
            .await?
            .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?,
        other => other?,
    };
    if !can_edit(Some(actor), &r.publisher) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    let previous = r.datasets.clone();
    let old_title = r.title.clone();
    apply_body(app, actor, &mut r, body, false).await?;
    if restore {
        r.deleted_at = None;
    }
    if r.title != old_title {
        r.slug = unique_slug(app, &r.title, Some(&r.id)).await?;
    }
    let now = app.clock.now();
    r.last_modified = now;
    let mut tx = app.db.begin().await?;
    repo::update(&mut tx, &r, &previous).await?;
    record_datasets(&mut tx, &r, &previous, now).await?;
    tx.commit().await?;
    Ok(r)
}

/// Marks a reuse deleted.
pub async fn delete(app: &App, actor: &Actor, id: &str) -> AppResult<()> {
    let mut r = get(app, Some(actor), id).await?;
    if !can_edit(Some(actor), &r.publisher) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    let now = app.clock.now();
    r.deleted_at = Some(now);
    r.last_modified = now;
    let previous = r.datasets.clone();
    let mut tx = app.db.begin().await?;
    repo::update(&mut tx, &r, &previous).await?;
    record_datasets(&mut tx, &r, &[], now).await?;
    tx.commit().await?;
    Ok(())
}

/// Filters of `GET /api/1/reuses/`.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub dataset: Option<String>,
    pub organization: Option<String>,
    pub owner: Option<String>,
    pub kind: Option<String>,
    pub page: i64,
    pub page_size: i64,
}

/// A page of live reuses the actor may see.
pub async fn list(
    app: &App,
    actor: Option<&Actor>,
    req: ListRequest,
) -> AppResult<(Vec<Reuse>, i64)> {
    let insider_of = match actor {
        Some(a) if a.sysadmin => None,
        Some(a) => {
            let mut ids = vec![a.user_id.clone()];
            ids.extend(a.organization_ids());
            Some(ids)
        }
        None => Some(Vec::new()),
    };
    Ok(repo::list(
        &app.db,
        &ReuseQuery {
            dataset: req.dataset,
            organization: req.organization,
            owner: req.owner,
            kind: req.kind,
            insider_of,
            page: req.page,
            page_size: req.page_size,
        },
    )
    .await?)
}

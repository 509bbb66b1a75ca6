//! Dataset use cases: read with visibility rules, list, create, update, delete.

use portail_core::ids::new_object_id;
use portail_core::licenses::DEFAULT_LICENSE;
use portail_core::model::{Dataset, DatasetMetrics, Filetype, OrgRole, Publisher, Resource};
use portail_core::permissions::{self, Actor};
use portail_core::slug::slugify;
use portail_core::validation::{self, DatasetPatch, Errors, Mode, Patch};
use portail_db::datasets::{self, DatasetQuery, Viewer};
use portail_db::slugs::{self, SlugKind};
use portail_db::{Tx, changes, organizations, users};
use serde_json::{Map, Value};

use crate::errors::PERMISSION_DENIED;
use crate::resources::{DUPLICATE_ID, apply_resource_patch, insert_new, new_resource};
use crate::{App, AppError, AppResult};

/// Outbox kind of dataset changes.
pub const CHANGE_KIND: &str = "dataset";

const NOT_FOUND: &str = "Dataset not found";
const GONE: &str = "Dataset has been deleted";

/// What a lookup by id or slug found.
pub enum Lookup {
    /// The dataset, readable by the viewer.
    Found(Box<Dataset>),
    /// The slug is an old one: the dataset now lives at this slug.
    Moved(String),
}

/// The viewer of lists, from an optional actor.
pub fn viewer(actor: Option<&Actor>) -> Viewer {
    match actor {
        None => Viewer::Anonymous,
        Some(a) if a.sysadmin => Viewer::Sysadmin,
        Some(a) => Viewer::User {
            id: a.user_id.clone(),
            organization_ids: a.organization_ids(),
        },
    }
}

/// Loads a dataset by id or current slug, else by an old slug (then `moved` is true). Any
/// dataset, hidden or not: callers apply the visibility rules.
async fn find_following_slugs(app: &App, id_or_slug: &str) -> AppResult<(Dataset, bool)> {
    if let Some(dataset) = datasets::find(&app.db, id_or_slug).await? {
        return Ok((dataset, false));
    }
    let target = slugs::redirect(&app.db, SlugKind::Dataset, id_or_slug)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    let dataset = datasets::find(&app.db, &target)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    Ok((dataset, true))
}

/// Finds a dataset the viewer may read: 404 when unknown or hidden from them, 410 when deleted
/// and they could see it; old slugs answer [`Lookup::Moved`].
pub async fn lookup(app: &App, actor: Option<&Actor>, id_or_slug: &str) -> AppResult<Lookup> {
    let (dataset, moved) = find_following_slugs(app, id_or_slug).await?;
    ensure_readable(actor, &dataset)?;
    Ok(if moved {
        Lookup::Moved(dataset.slug)
    } else {
        Lookup::Found(Box::new(dataset))
    })
}

/// Like [`lookup`], following old slugs transparently (for writes and sub-resources).
pub async fn get(app: &App, actor: Option<&Actor>, id_or_slug: &str) -> AppResult<Dataset> {
    let (dataset, _) = find_following_slugs(app, id_or_slug).await?;
    check_readable(actor, dataset)
}

/// Finds a readable dataset without loading its resources, with their count (API v2: a
/// dataset may have thousands of resources). Old slugs are followed.
pub async fn get_light(
    app: &App,
    actor: Option<&Actor>,
    id_or_slug: &str,
) -> AppResult<(Dataset, portail_core::model::ResourceFacts)> {
    let found = match datasets::find_without_resources(&app.db, id_or_slug).await? {
        Some(found) => found,
        None => match slugs::redirect(&app.db, SlugKind::Dataset, id_or_slug).await? {
            Some(id) => datasets::find_without_resources(&app.db, &id)
                .await?
                .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?,
            None => return Err(AppError::NotFound(NOT_FOUND.into())),
        },
    };
    let (dataset, facts) = found;
    Ok((check_readable(actor, dataset)?, facts))
}

/// Applies the visibility rules to a loaded dataset.
pub fn check_readable(actor: Option<&Actor>, dataset: Dataset) -> AppResult<Dataset> {
    ensure_readable(actor, &dataset)?;
    Ok(dataset)
}

/// [`check_readable`] without taking the dataset.
pub fn ensure_readable(actor: Option<&Actor>, dataset: &Dataset) -> AppResult<()> {
    let insider = permissions::can_see_hidden_dataset(actor, &dataset.publisher);
    if dataset.deleted_at.is_some() {
        return Err(if insider {
            AppError::Gone(GONE.into())
        } else {
            AppError::NotFound(NOT_FOUND.into())
        });
    }
    if (dataset.private || dataset.archived_at.is_some()) && !insider {
        return Err(AppError::NotFound(NOT_FOUND.into()));
    }
    Ok(())
}

/// A page of datasets for a viewer, and the total matching.
pub async fn list(app: &App, query: &DatasetQuery) -> AppResult<(Vec<Dataset>, i64)> {
    Ok(datasets::list(&app.db, query).await?)
}

/// How many datasets match a list query, for its viewer.
pub async fn count(app: &App, query: &DatasetQuery) -> AppResult<i64> {
    Ok(datasets::count(&app.db, query).await?)
}

/// The page of datasets a list query asks for, for its viewer.
pub async fn page(app: &App, query: &DatasetQuery) -> AppResult<Vec<Dataset>> {
    Ok(datasets::page(&app.db, query).await?)
}

/// Creates a dataset from a udata `DatasetForm` body.
pub async fn create(app: &App, actor: &Actor, body: &Map<String, Value>) -> AppResult<Dataset> {
    let patch = validation::parse_dataset(body, Mode::Create)?;
    let publisher = resolve_publisher(app, actor, &patch, None).await?;
    let now = app.clock.now();
    let id = new_object_id();
    let mut dataset = Dataset {
        id: id.clone(),
        slug: String::new(),
        title: String::new(),
        acronym: None,
        description: String::new(),
        description_short: None,
        license: DEFAULT_LICENSE.to_owned(),
        frequency: "unknown".to_owned(),
        frequency_date: None,
        tags: Vec::new(),
        temporal_coverage: None,
        spatial: None,
        private: false,
        featured: false,
        archived_at: None,
        deleted_at: None,
        publisher: publisher.clone(),
        extras: Map::new(),
        harvest: None,
        created_at_internal: now,
        last_modified_internal: now,
        metrics: DatasetMetrics::default(),
        version: 1,
        resources: Vec::new(),
    };
    let resources = patch.resources.clone();
    apply_fields(&mut dataset, patch, now);
    if let Patch::Set(items) = resources {
        let mut errors = Errors::default();
        for (i, item) in items.into_iter().enumerate() {
            let position = i64::try_from(i).unwrap_or(i64::MAX);
            let explicit_id = item.id.is_some();
            match new_resource(&id, item, Filetype::Remote, position, now) {
                Ok(r) if dataset.resources.iter().any(|o| o.id == r.id) => {
                    errors.add(format!("resources.{i}.id"), DUPLICATE_ID);
                }
                Ok(r) => {
                    if explicit_id && portail_db::resources::find(&app.db, &r.id).await?.is_some() {
                        errors.add(format!("resources.{i}.id"), ID_TAKEN);
                    }
                    dataset.resources.push(r);
                }
                Err(AppError::Validation(e)) => add_prefixed(&mut errors, i, e),
                Err(other) => return Err(other),
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
    }
    let mut tx = app.db.begin().await?;
    dataset.slug =
        slugs::unique(&mut tx, SlugKind::Dataset, &slug_base(&dataset.title), None).await?;
    datasets::insert(&mut tx, &dataset).await?;
    // Partial editors get assigned what they publish, or they could not edit it afterwards.
    if let Publisher::Organization(org) = &publisher
        && actor.role_in(org) == Some(OrgRole::PartialEditor)
        && !actor.sysadmin
    {
        users::assign(&mut tx, org, &actor.user_id, &id).await?;
    }
    changes::record(&mut tx, CHANGE_KIND, &id, now).await?;
    crate::activity::record(
        &mut tx,
        &id,
        Some(&actor.user_id),
        "dataset:created",
        Vec::new(),
        Map::new(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(dataset)
}

pub(crate) fn slug_base(title: &str) -> String {
    let base = slugify(title);
    if base.is_empty() {
        "dataset".to_owned()
    } else {
        base
    }
}

/// Decides who publishes: an organization the actor belongs to, the actor, or (sysadmins only)
/// another user. Changing the publisher of an existing dataset goes through a transfer.
async fn resolve_publisher(
    app: &App,
    actor: &Actor,
    patch: &DatasetPatch,
    current: Option<&Publisher>,
) -> AppResult<Publisher> {
    let wanted = match (&patch.organization, &patch.owner) {
        (Patch::Set(org), _) => {
            let Some(found) = organizations::find(&app.db, org).await? else {
                return Err(AppError::field(
                    "organization",
                    format!("Unknown organization \"{org}\"."),
                ));
            };
            if found.deleted_at.is_some() {
                return Err(AppError::field(
                    "organization",
                    "This organization has been deleted.",
                ));
            }
            Some(Publisher::Organization(found.id))
        }
        (_, Patch::Set(owner)) => {
            let Some(found) = users::find(&app.db, owner).await? else {
                return Err(AppError::field(
                    "owner",
                    format!("Unknown user \"{owner}\"."),
                ));
            };
            Some(Publisher::User(found.id))
        }
        // `"organization": null` on an update publishes as oneself (sysadmins and owners).
        (Patch::Clear, _) if current.is_some() => Some(Publisher::User(actor.user_id.clone())),
        _ => None,
    };
    match (wanted, current) {
        (None, Some(current)) => Ok(current.clone()),
        (None, None) => Ok(Publisher::User(actor.user_id.clone())),
        (Some(wanted), Some(current)) if &wanted == current => Ok(wanted),
        (Some(_), Some(_)) if !actor.sysadmin => Err(AppError::field(
            "organization",
            "The publisher of a dataset changes through a transfer (POST /api/1/transfer/).",
        )),
        (Some(wanted), _) => {
            let allowed = match &wanted {
                Publisher::Organization(org) => {
                    permissions::can_publish_for_organization(Some(actor), org)
                }
                Publisher::User(user) => actor.sysadmin || *user == actor.user_id,
            };
            if allowed {
                Ok(wanted)
            } else {
                let field = if wanted.organization_id().is_some() {
                    "organization"
                } else {
                    "owner"
                };
                Err(AppError::field(
                    field,
                    match wanted {
                        Publisher::Organization(_) => {
                            "You can only publish for an organization you are a member of."
                        }
                        Publisher::User(_) => "You can only publish datasets as yourself.",
                    },
                ))
            }
        }
    }
}

/// Copies the validated scalar fields of a patch onto a dataset.
pub(crate) fn apply_fields(d: &mut Dataset, p: DatasetPatch, now: chrono::DateTime<chrono::Utc>) {
    if let Patch::Set(title) = p.title {
        d.title = title;
    }
    if let Patch::Set(description) = p.description {
        d.description = description;
    }
    d.acronym = p.acronym.apply(d.acronym.take());
    d.description_short = p.description_short.apply(d.description_short.take());
    d.license = p
        .license
        .apply_or(std::mem::take(&mut d.license), DEFAULT_LICENSE.to_owned());
    d.frequency = p
        .frequency
        .apply_or(std::mem::take(&mut d.frequency), "unknown".to_owned());
    d.frequency_date = p.frequency_date.apply(d.frequency_date);
    if let Patch::Set(tags) = p.tags {
        d.tags = tags;
    }
    d.temporal_coverage = p.temporal_coverage.apply(d.temporal_coverage);
    d.spatial = p.spatial.apply(d.spatial.take());
    d.private = p.private.apply_or(d.private, false);
    d.extras = p.extras.apply_or(std::mem::take(&mut d.extras), Map::new());
    match p.archived {
        Patch::Set(true) if d.archived_at.is_none() => d.archived_at = Some(now),
        Patch::Set(false) => d.archived_at = None,
        _ => {}
    }
}

/// Writes a changed dataset (and records the change) if nobody wrote it meanwhile.
async fn write(
    tx: &mut Tx,
    dataset: &mut Dataset,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<bool> {
    let expected = dataset.version;
    dataset.version += 1;
    if !datasets::update(tx, dataset, expected).await? {
        return Ok(false);
    }
    changes::record(tx, CHANGE_KIND, &dataset.id, now).await?;
    Ok(true)
}

/// The future a [`modify`] step returns.
pub(crate) type Change<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = AppResult<T>> + Send + 'a>>;

/// How many times a write is retried when another writer got there first.
const WRITE_ATTEMPTS: usize = 5;

/// Runs `change` on a freshly loaded, editable dataset and writes the result, retrying on a
/// concurrent write. `change` may also write resources in the transaction.
pub(crate) async fn modify<T, F>(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    allow_deleted: bool,
    mut change: F,
) -> AppResult<(Dataset, T)>
where
    F: for<'a> FnMut(&'a mut Dataset, &'a mut Tx) -> Change<'a, T>,
{
    for attempt in 0..WRITE_ATTEMPTS {
        if attempt > 0 {
            // Jittered backoff, so writers that collided do not collide again in lockstep.
            let jitter = rand::random_range(0..10u64 << attempt);
            tokio::time::sleep(std::time::Duration::from_millis(jitter)).await;
        }
        let mut dataset = load_editable(app, actor, id_or_slug, allow_deleted).await?;
        let before = dataset.clone();
        let now = app.clock.now();
        let mut tx = app.db.begin().await?;
        let value = change(&mut dataset, &mut tx).await?;
        dataset.last_modified_internal = now;
        if write(&mut tx, &mut dataset, now).await? {
            crate::activity::record_dataset_change(&mut tx, actor, &before, &dataset, now).await?;
            tx.commit().await?;
            return Ok((dataset, value));
        }
    }
    Err(AppError::Conflict(
        "The dataset is being modified by someone else; please retry.".into(),
    ))
}

/// Loads a dataset the actor may edit: 404 / 410 / 403 otherwise.
pub async fn load_editable(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    allow_deleted: bool,
) -> AppResult<Dataset> {
    let (dataset, _) = find_following_slugs(app, id_or_slug).await?;
    match ensure_readable(Some(actor), &dataset) {
        Err(AppError::Gone(_)) if allow_deleted => {}
        other => other?,
    }
    if !permissions::can_edit_dataset(Some(actor), &dataset.id, &dataset.publisher) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    Ok(dataset)
}

/// Updates a dataset from a udata `DatasetForm` body: omitted keys keep their value, `null`
/// clears, `resources` (if present) replaces the list, `"deleted": null` restores.
pub async fn update(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    body: &Map<String, Value>,
) -> AppResult<Dataset> {
    let patch = validation::parse_dataset(body, Mode::Update)?;
    let restore = patch.deleted == Patch::Clear;
    // Checked once up front so a bad publisher is a 400 even if the dataset is missing.
    let current = load_editable(app, actor, id_or_slug, restore).await?;
    let publisher = resolve_publisher(app, actor, &patch, Some(&current.publisher)).await?;
    let now = app.clock.now();
    let updated = modify(app, actor, id_or_slug, restore, |dataset, tx| {
        let patch = patch.clone();
        let publisher = publisher.clone();
        Box::pin(async move {
            let old_title = dataset.title.clone();
            let resources = patch.resources.clone();
            apply_fields(dataset, patch, now);
            dataset.publisher = publisher;
            if restore {
                dataset.deleted_at = None;
            }
            if dataset.title != old_title {
                let slug = slugs::unique(
                    tx,
                    SlugKind::Dataset,
                    &slug_base(&dataset.title),
                    Some(&dataset.id),
                )
                .await?;
                if slug != dataset.slug {
                    slugs::rename(tx, SlugKind::Dataset, &dataset.id, &dataset.slug, &slug).await?;
                    dataset.slug = slug;
                }
            }
            match resources {
                Patch::Set(items) => replace_resources(dataset, items, tx, now).await,
                _ => Ok(Vec::new()),
            }
        })
    })
    .await?;
    let (dataset, removed) = updated;
    // Like a resource deleted on its own, a resource dropped from the list loses its hosted
    // file at once, after the database no longer refers to it.
    for resource in &removed {
        crate::files::discard_resource_file(app, resource).await;
    }
    Ok(dataset)
}

/// Replaces a dataset's resources by the given list: known ids are updated in place, new
/// entries created, missing ones deleted (and returned, for their files); the list order
/// becomes the resource order.
async fn replace_resources(
    dataset: &mut Dataset,
    items: Vec<validation::ResourcePatch>,
    tx: &mut Tx,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Vec<Resource>> {
    let mut kept: Vec<Resource> = Vec::with_capacity(items.len());
    let mut errors = Errors::default();
    for (i, item) in items.into_iter().enumerate() {
        let position = i64::try_from(i).unwrap_or(i64::MAX);
        let existing = item
            .id
            .as_ref()
            .and_then(|id| dataset.resources.iter().find(|r| &r.id == id).cloned());
        let resource = match existing {
            Some(mut r) => {
                if let Err(AppError::Validation(e)) = apply_resource_patch(&mut r, item, now) {
                    add_prefixed(&mut errors, i, e);
                }
                r.position = position;
                Some(r)
            }
            // An id the dataset does not have makes a new resource: it needs what any new
            // resource needs, although the entry was validated as an update.
            None => match item
                .check_new()
                .map_err(AppError::from)
                .and_then(|()| new_resource(&dataset.id, item, Filetype::Remote, position, now))
            {
                Ok(r) => Some(r),
                Err(AppError::Validation(e)) => {
                    add_prefixed(&mut errors, i, e);
                    None
                }
                Err(other) => return Err(other),
            },
        };
        if let Some(r) = resource {
            if kept.iter().any(|k| k.id == r.id) {
                errors.add(format!("resources.{i}.id"), DUPLICATE_ID);
            } else {
                kept.push(r);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut removed = Vec::new();
    for old in &dataset.resources {
        if !kept.iter().any(|r| r.id == old.id) {
            portail_db::resources::delete(tx, &old.id).await?;
            removed.push(old.clone());
        }
    }
    // Without errors, `kept[i]` comes from entry `i`.
    for (i, r) in kept.iter().enumerate() {
        if dataset.resources.iter().any(|old| old.id == r.id) {
            portail_db::resources::update(tx, r).await?;
        } else {
            insert_new(tx, r, || {
                AppError::field(&format!("resources.{i}.id"), ID_TAKEN)
            })
            .await?;
        }
    }
    dataset.resources = kept;
    Ok(removed)
}

/// Why an entry of a dataset's `resources` list cannot use the id it gives.
const ID_TAKEN: &str = "This id belongs to a resource of another dataset.";

/// Adds the errors of entry `i` of a `resources` list, named `resources.{i}.{field}`.
fn add_prefixed(errors: &mut Errors, i: usize, entry: Errors) {
    for (field, messages) in entry.0 {
        for m in messages {
            errors.add(format!("resources.{i}.{field}"), m);
        }
    }
}

/// Marks a dataset deleted (soft delete; a purge job removes it later).
pub async fn delete(app: &App, actor: &Actor, id_or_slug: &str) -> AppResult<()> {
    let now = app.clock.now();
    modify(app, actor, id_or_slug, false, move |dataset, _tx| {
        Box::pin(async move {
            dataset.deleted_at = Some(now);
            Ok(())
        })
    })
    .await?;
    Ok(())
}

/// Merges extras (API v2 `PUT /datasets/{id}/extras/`): `null` deletes a key.
pub async fn merge_extras(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    body: &Map<String, Value>,
) -> AppResult<Dataset> {
    if body.keys().any(|key| key.trim().is_empty()) {
        return Err(AppError::field("extras", "Extras keys cannot be empty."));
    }
    let body = body.clone();
    modify(app, actor, id_or_slug, false, move |dataset, _tx| {
        let body = body.clone();
        Box::pin(async move {
            for (key, value) in body {
                if value.is_null() {
                    dataset.extras.remove(&key);
                } else {
                    dataset.extras.insert(key, value);
                }
            }
            Ok(())
        })
    })
    .await
    .map(|(dataset, ())| dataset)
}

/// Sets or unsets the `featured` flag (sysadmins only).
pub async fn set_featured(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    featured: bool,
) -> AppResult<Dataset> {
    if !actor.sysadmin {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    modify(app, actor, id_or_slug, false, move |dataset, _tx| {
        Box::pin(async move {
            dataset.featured = featured;
            Ok(())
        })
    })
    .await
    .map(|(dataset, ())| dataset)
}

/// Default grace period between the deletion of a dataset and its purge.
pub const DEFAULT_PURGE_GRACE_DAYS: i64 = 30;

/// Permanently removes the datasets deleted more than `grace` ago, with their resources and
/// hosted files: until then the owner (or a sysadmin) can restore them; afterwards it is
/// irreversible. Returns how many were purged.
pub async fn purge_deleted(app: &App, grace: chrono::Duration) -> AppResult<usize> {
    let cutoff = app.clock.now() - grace;
    let mut purged = 0;
    loop {
        let ids = datasets::deleted_before(&app.db, cutoff, 100).await?;
        if ids.is_empty() {
            return Ok(purged);
        }
        let resources = portail_db::resources::load_for_datasets(&app.db, &ids).await?;
        for id in &ids {
            let now = app.clock.now();
            let mut tx = app.db.begin().await?;
            datasets::purge(&mut tx, id).await?;
            changes::record(&mut tx, CHANGE_KIND, id, now).await?;
            tx.commit().await?;
            // Files go once the database no longer refers to them.
            for resource in resources.get(id).into_iter().flatten() {
                crate::files::discard_resource_file(app, resource).await;
            }
            purged += 1;
        }
    }
}

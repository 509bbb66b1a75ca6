//! Community resources (udata's `CommunityResource`): links that anyone signed in attaches to
//! a dataset they can see, as themselves or for their organization. Edited or deleted by
//! their owner, or an admin or editor of their organization.

use portail_core::model::{Filetype, Publisher, Resource};
use portail_core::permissions::{self, Actor};
use portail_core::validation::{self, Mode, Patch};
use portail_db::community::{self as repo, CommunityQuery, CommunityResource};
use portail_db::organizations;
use serde_json::{Map, Value};

use crate::errors::PERMISSION_DENIED;
use crate::resources::{apply_resource_patch, new_resource};
use crate::{App, AppError, AppResult};

const NOT_FOUND: &str = "Community resource not found";

fn to_resource(c: &CommunityResource) -> Resource {
    Resource {
        id: c.id.clone(),
        dataset_id: c.dataset_id.clone(),
        position: 0,
        title: c.title.clone(),
        description: c.description.clone(),
        filetype: Filetype::parse(&c.filetype).unwrap_or(Filetype::Remote),
        kind: c.kind.clone(),
        url: c.url.clone(),
        format: c.format.clone(),
        mime: c.mime.clone(),
        filesize: c.filesize,
        checksum: None,
        extras: c.extras.clone(),
        harvest: None,
        fs_filename: None,
        downloads: 0,
        created_at_internal: c.created_at,
        last_modified_internal: c.last_modified,
    }
}

fn from_resource(r: Resource, dataset_id: String, publisher: Publisher) -> CommunityResource {
    CommunityResource {
        id: r.id,
        dataset_id,
        publisher,
        title: r.title,
        description: r.description,
        filetype: r.filetype.as_str().to_owned(),
        kind: r.kind,
        url: r.url,
        format: r.format,
        mime: r.mime,
        filesize: r.filesize,
        extras: r.extras,
        created_at: r.created_at_internal,
        last_modified: r.last_modified_internal,
    }
}

/// Whether the actor may edit or delete a community resource.
pub fn can_edit(actor: Option<&Actor>, c: &CommunityResource) -> bool {
    crate::reuses::can_edit(actor, &c.publisher)
}

fn id_of(v: &Value) -> Option<String> {
    v.as_str()
        .map(str::to_owned)
        .or_else(|| v.get("id").and_then(Value::as_str).map(str::to_owned))
        .filter(|s| !s.is_empty())
}

async fn publisher_from(
    app: &App,
    actor: &Actor,
    body: &Map<String, Value>,
) -> AppResult<Option<Publisher>> {
    let Some(v) = body.get("organization").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let id = id_of(v).unwrap_or_default();
    match organizations::find(&app.db, &id).await? {
        Some(o) if o.deleted_at.is_none() => {
            if permissions::can_publish_for_organization(Some(actor), &o.id) {
                Ok(Some(Publisher::Organization(o.id)))
            } else {
                Err(AppError::field(
                    "organization",
                    "You can only publish for an organization you are a member of.",
                ))
            }
        }
        _ => Err(AppError::field(
            "organization",
            format!("Unknown organization \"{id}\"."),
        )),
    }
}

/// Creates a remote community resource: `dataset` (id) is required.
pub async fn create(
    app: &App,
    actor: &Actor,
    body: &Map<String, Value>,
) -> AppResult<CommunityResource> {
    let mut patch = validation::parse_resource(body, Mode::Create, "");
    let dataset = body.get("dataset").and_then(id_of);
    if let Patch::Set(f) = patch
        .as_ref()
        .map(|p| p.filetype.clone())
        .unwrap_or(Patch::Keep)
        && f != Filetype::Remote
    {
        return Err(AppError::BadRequest(
            "This endpoint only supports remote community resources".into(),
        ));
    }
    if dataset.is_none() {
        let mut errors = patch.err().unwrap_or_default();
        errors.add("dataset", "This field is required.");
        return Err(errors.into());
    }
    if let Ok(p) = &mut patch {
        // Clients send a full resource; an id of their own is not ours to keep.
        p.id = None;
    }
    let patch = patch?;
    let dataset = crate::datasets::get(app, Some(actor), &dataset.unwrap_or_default()).await?;
    let publisher = publisher_from(app, actor, body)
        .await?
        .unwrap_or_else(|| Publisher::User(actor.user_id.clone()));
    let now = app.clock.now();
    let resource = new_resource(&dataset.id, patch, Filetype::Remote, 0, now)?;
    let c = from_resource(resource, dataset.id.clone(), publisher);
    let mut tx = app.db.begin().await?;
    repo::insert(&mut tx, &c).await?;
    tx.commit().await?;
    Ok(c)
}

/// A community resource on a dataset the actor may see.
pub async fn get(app: &App, actor: Option<&Actor>, id: &str) -> AppResult<CommunityResource> {
    let c = repo::find(&app.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    match crate::datasets::get(app, actor, &c.dataset_id).await {
        Ok(_) => Ok(c),
        Err(AppError::NotFound(_)) => Err(AppError::NotFound(NOT_FOUND.into())),
        Err(e) => Err(e),
    }
}

/// Updates a community resource (partial, like a resource).
pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    body: &Map<String, Value>,
) -> AppResult<CommunityResource> {
    let c = get(app, Some(actor), id).await?;
    if !can_edit(Some(actor), &c) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    let patch = validation::parse_resource(body, Mode::Update, "")?;
    let publisher = publisher_from(app, actor, body)
        .await?
        .unwrap_or_else(|| c.publisher.clone());
    let mut r = to_resource(&c);
    apply_resource_patch(&mut r, patch, app.clock.now())?;
    let updated = from_resource(r, c.dataset_id.clone(), publisher);
    let mut tx = app.db.begin().await?;
    repo::update(&mut tx, &updated).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Deletes a community resource.
pub async fn delete(app: &App, actor: &Actor, id: &str) -> AppResult<()> {
    let c = get(app, Some(actor), id).await?;
    if !can_edit(Some(actor), &c) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    let mut tx = app.db.begin().await?;
    repo::delete(&mut tx, &c.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Filters of `GET /api/1/datasets/community_resources/`.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub dataset: Option<String>,
    pub owner: Option<String>,
    pub organization: Option<String>,
    pub page: i64,
    pub page_size: i64,
}

/// A page of community resources on datasets the actor may see.
pub async fn list(
    app: &App,
    actor: Option<&Actor>,
    req: ListRequest,
) -> AppResult<(Vec<CommunityResource>, i64)> {
    let dataset = match &req.dataset {
        Some(id) => Some(crate::datasets::get(app, actor, id).await?.id),
        None => None,
    };
    Ok(repo::list(
        &app.db,
        &CommunityQuery {
            dataset,
            owner: req.owner,
            organization: req.organization,
            viewer: crate::datasets::viewer(actor),
            page: req.page,
            page_size: req.page_size,
        },
    )
    .await?)
}

//! Community resources (udata's `CommunityResource`): links or uploaded files that anyone
//! signed in attaches to a dataset they can see, as themselves or for their organization.
//! Edited, deleted or given a new file by their owner, an admin or editor of their
//! organization, or a sysadmin. Uploaded files are stored under `community/{dataset id}/`
//! through the same upload code as the publisher's files ([`crate::files`]).

use portail_core::model::{Dataset, Filetype, Publisher, Resource};
use portail_core::permissions::{self, Actor};
use portail_core::validation::{self, Mode, Patch};
use portail_db::community::{self as repo, CommunityQuery, CommunityResource};
use portail_db::organizations;
use serde_json::{Map, Value};

use crate::errors::PERMISSION_DENIED;
use crate::files::{self, Placement, StoredFile, UploadFields};
use crate::resources::{apply_resource_patch, new_resource};
use crate::{App, AppError, AppResult};

const NOT_FOUND: &str = "Community resource not found";

/// A community resource seen as a resource (for the shared validation and the downloads).
pub(crate) fn to_resource(c: &CommunityResource) -> Resource {
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
        checksum: c.checksum.clone(),
        extras: c.extras.clone(),
        harvest: None,
        fs_filename: c.fs_filename.clone(),
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
        checksum: r.checksum,
        fs_filename: r.fs_filename,
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
    // After the commit: a failed delete leaves an orphan for the cleanup, never a dangling row.
    if let Some(key) = &c.fs_filename {
        files::discard(app, key).await;
    }
    Ok(())
}

/// Checks, before any byte is read, that the actor may propose a file on this dataset (they
/// can see it, as for a link). Answers where the upload's files go.
pub async fn authorize_upload(
    app: &App,
    actor: &Actor,
    dataset: &str,
) -> AppResult<(Dataset, Placement)> {
    app.storage()?;
    let d = crate::datasets::get(app, Some(actor), dataset).await?;
    let placement = Placement::Community {
        dataset_id: d.id.clone(),
        user_id: actor.user_id.clone(),
    };
    Ok((d, placement))
}

/// Checks, before any byte is read, that the actor may replace the file of this community
/// resource: it exists on a dataset they can see, it is a file, and they may edit it.
pub async fn authorize_replace(
    app: &App,
    actor: &Actor,
    id: &str,
) -> AppResult<(CommunityResource, Placement)> {
    app.storage()?;
    let c = get(app, Some(actor), id).await?;
    if !can_edit(Some(actor), &c) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    if c.filetype != Filetype::File.as_str() {
        return Err(AppError::BadRequest(
            "This community resource is a remote link: only hosted files can be replaced by an upload."
                .into(),
        ));
    }
    let placement = Placement::Community {
        dataset_id: c.dataset_id.clone(),
        user_id: actor.user_id.clone(),
    };
    Ok((c, placement))
}

/// Creates a community resource from a stored file (from [`authorize_upload`]'s placement),
/// as the actor or for the organization named in the fields. On failure the file is deleted.
pub async fn attach_new(
    app: &App,
    actor: &Actor,
    dataset: &Dataset,
    stored: StoredFile,
    fields: UploadFields,
) -> AppResult<CommunityResource> {
    let result = attach_new_inner(app, actor, dataset, &stored, &fields).await;
    if result.is_err() {
        files::discard(app, &stored.key).await;
    }
    result
}

async fn attach_new_inner(
    app: &App,
    actor: &Actor,
    dataset: &Dataset,
    stored: &StoredFile,
    fields: &UploadFields,
) -> AppResult<CommunityResource> {
    files::check_content(&stored.filename, &stored.written.head)?;
    let kind = files::upload_kind(fields)?;
    let mut body = Map::new();
    if let Some(org) = fields
        .organization
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        body.insert("organization".into(), Value::String(org.trim().to_owned()));
    }
    let publisher = publisher_from(app, actor, &body)
        .await?
        .unwrap_or_else(|| Publisher::User(actor.user_id.clone()));
    let now = app.clock.now();
    let resource = files::file_resource(&dataset.id, stored, fields, kind, 0, now)?;
    let c = from_resource(resource, dataset.id.clone(), publisher);
    let mut tx = app.db.begin().await?;
    repo::insert(&mut tx, &c).await?;
    tx.commit().await?;
    Ok(c)
}

/// Points a community resource at a newly stored file, then deletes the old file. On failure
/// the new file is deleted.
pub async fn attach_replacement(
    app: &App,
    actor: &Actor,
    id: &str,
    stored: StoredFile,
) -> AppResult<CommunityResource> {
    let result = replace_inner(app, actor, id, &stored).await;
    match result {
        Ok((c, old)) => {
            if let Some(old) = old.filter(|k| *k != stored.key) {
                files::discard(app, &old).await;
            }
            Ok(c)
        }
        Err(e) => {
            files::discard(app, &stored.key).await;
            Err(e)
        }
    }
}

async fn replace_inner(
    app: &App,
    actor: &Actor,
    id: &str,
    stored: &StoredFile,
) -> AppResult<(CommunityResource, Option<String>)> {
    files::check_content(&stored.filename, &stored.written.head)?;
    // Checked again: the resource may have changed while the file streamed.
    let (c, _) = authorize_replace(app, actor, id).await?;
    let mut r = to_resource(&c);
    let old = r.fs_filename.clone();
    files::apply_file(&mut r, stored, app.clock.now());
    let updated = from_resource(r, c.dataset_id.clone(), c.publisher.clone());
    let mut tx = app.db.begin().await?;
    repo::update(&mut tx, &updated).await?;
    tx.commit().await?;
    Ok((updated, old))
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

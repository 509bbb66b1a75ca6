//! Resource use cases: add a remote resource, edit, delete, reorder.

use chrono::{DateTime, Utc};
use portail_core::model::{Dataset, Filetype, Resource};
use portail_core::permissions::Actor;
use portail_core::validation::{self, Mode, Patch, ResourcePatch};
use portail_db::resources as repo;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::datasets::modify;
use crate::{App, AppError, AppResult};

const NOT_FOUND: &str = "Resource not found";

/// Builds a new resource from a validated body. New resources go first (udata prepends).
pub fn new_resource(
    dataset_id: &str,
    patch: ResourcePatch,
    filetype: Filetype,
    position: i64,
    now: DateTime<Utc>,
) -> AppResult<Resource> {
    let mut resource = Resource {
        id: Uuid::new_v4().to_string(),
        dataset_id: dataset_id.to_owned(),
        position,
        title: String::new(),
        description: None,
        filetype,
        kind: "main".to_owned(),
        url: String::new(),
        format: None,
        mime: None,
        filesize: None,
        checksum: None,
        extras: Map::new(),
        harvest: None,
        fs_filename: None,
        downloads: 0,
        created_at_internal: now,
        last_modified_internal: now,
    };
    // Explicit ids are kept (harvesters and clients migrating data rely on them) when valid.
    if let Some(id) = patch.id.as_deref() {
        match Uuid::parse_str(id) {
            Ok(uuid) => resource.id = uuid.to_string(),
            Err(_) => {
                return Err(AppError::field(
                    "id",
                    "Not a valid resource id: expected a UUID.",
                ));
            }
        }
    }
    apply_resource_patch(&mut resource, patch, now)?;
    Ok(resource)
}

/// Applies a validated body to a resource. Hosted files keep the fields the server computed
/// (udata's `HOSTED_RESOURCE_PROTECTED_FIELDS`), and the filetype never changes.
pub fn apply_resource_patch(
    r: &mut Resource,
    p: ResourcePatch,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if let Patch::Set(filetype) = p.filetype
        && filetype != r.filetype
        && !r.url.is_empty()
    {
        return Err(AppError::field(
            "filetype",
            "The filetype of a resource cannot change: create a new resource instead.",
        ));
    }
    if let Patch::Set(title) = p.title {
        r.title = title;
    }
    r.description = p.description.apply(r.description.take());
    if let Patch::Set(kind) = p.kind {
        r.kind = kind;
    }
    r.extras = p.extras.apply_or(std::mem::take(&mut r.extras), Map::new());
    let hosted = r.filetype == Filetype::File && !r.url.is_empty();
    if !hosted {
        if let Patch::Set(url) = p.url {
            r.url = url;
        }
        r.format = p.format.apply(r.format.take());
        r.mime = p.mime.apply(r.mime.take());
        r.filesize = p.filesize.apply(r.filesize);
        r.checksum = p.checksum.apply(r.checksum.take());
    }
    r.last_modified_internal = now;
    Ok(())
}

/// Adds a remote resource to a dataset (`POST /datasets/{id}/resources/`).
pub async fn create_remote(
    app: &App,
    actor: &Actor,
    dataset: &str,
    body: &Map<String, Value>,
) -> AppResult<(Dataset, Resource)> {
    if body
        .get("filetype")
        .and_then(Value::as_str)
        .is_some_and(|f| f != "remote")
    {
        return Err(AppError::BadRequest(
            "This endpoint only supports remote resources".into(),
        ));
    }
    let patch = validation::parse_resource(body, Mode::Create, "")?;
    let now = app.clock.now();
    modify(app, actor, dataset, false, move |d, tx| {
        let patch = patch.clone();
        Box::pin(async move {
            let first = d.resources.iter().map(|r| r.position).min().unwrap_or(1);
            let resource = new_resource(&d.id, patch, Filetype::Remote, first - 1, now)?;
            if d.resources.iter().any(|r| r.id == resource.id) {
                return Err(AppError::Conflict(format!(
                    "Resource {} already exists",
                    resource.id
                )));
            }
            insert_new(tx, &resource, || {
                AppError::Conflict(format!("Resource {} already exists", resource.id))
            })
            .await?;
            d.resources.insert(0, resource.clone());
            Ok(resource)
        })
    })
    .await
}

/// Why an entry of a resource list is refused when it repeats an id.
pub(crate) const DUPLICATE_ID: &str = "Duplicate resource ID";

/// Inserts a new resource. Resource ids are global, and clients may choose them: an id that
/// another resource (of any dataset) already has is the client's mistake, answered with
/// `taken()`, not a server error.
pub(crate) async fn insert_new(
    tx: &mut portail_db::Tx,
    resource: &Resource,
    taken: impl FnOnce() -> AppError,
) -> AppResult<()> {
    match repo::insert(tx, resource).await {
        Err(portail_db::DbError::Unique(_)) => Err(taken()),
        other => Ok(other?),
    }
}

/// Finds a resource of a readable dataset.
pub fn find_in(dataset: &Dataset, rid: &str) -> AppResult<Resource> {
    dataset
        .resources
        .iter()
        .find(|r| r.id == rid)
        .cloned()
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))
}

/// Updates a resource (`PUT /datasets/{id}/resources/{rid}/`): partial, `null` clears.
pub async fn update(
    app: &App,
    actor: &Actor,
    dataset: &str,
    rid: &str,
    body: &Map<String, Value>,
) -> AppResult<(Dataset, Resource)> {
    let patch = validation::parse_resource(body, Mode::Update, "")?;
    let now = app.clock.now();
    let rid = rid.to_owned();
    modify(app, actor, dataset, false, move |d, tx| {
        let patch = patch.clone();
        let rid = rid.clone();
        Box::pin(async move {
            let Some(resource) = d.resources.iter_mut().find(|r| r.id == rid) else {
                return Err(AppError::NotFound(NOT_FOUND.into()));
            };
            apply_resource_patch(resource, patch, now)?;
            repo::update(tx, resource).await?;
            Ok(resource.clone())
        })
    })
    .await
}

/// Deletes a resource at once, and its hosted file right after the database no longer refers
/// to it.
pub async fn delete(app: &App, actor: &Actor, dataset: &str, rid: &str) -> AppResult<Resource> {
    let resource = delete_record(app, actor, dataset, rid).await?;
    crate::files::discard_resource_file(app, &resource).await;
    Ok(resource)
}

async fn delete_record(app: &App, actor: &Actor, dataset: &str, rid: &str) -> AppResult<Resource> {
    let rid = rid.to_owned();
    modify(app, actor, dataset, false, move |d, tx| {
        let rid = rid.clone();
        Box::pin(async move {
            let Some(index) = d.resources.iter().position(|r| r.id == rid) else {
                return Err(AppError::NotFound(NOT_FOUND.into()));
            };
            let resource = d.resources.remove(index);
            repo::delete(tx, &resource.id).await?;
            Ok(resource)
        })
    })
    .await
    .map(|(_, resource)| resource)
}

/// Reorders resources (`PUT /datasets/{id}/resources/`): the list must name every resource
/// exactly once, as ids or as objects with an `id`.
pub async fn reorder(app: &App, actor: &Actor, dataset: &str, body: &Value) -> AppResult<Dataset> {
    let Some(items) = body.as_array() else {
        return Err(AppError::BadRequest(
            "Expected the full ordered list of resources (ids or objects with an \"id\").".into(),
        ));
    };
    let mut ids = Vec::with_capacity(items.len());
    for item in items {
        let id = item
            .as_str()
            .or_else(|| item.get("id").and_then(Value::as_str));
        match id {
            Some(id) => ids.push(id.to_owned()),
            None => {
                return Err(AppError::BadRequest(
                    "Each entry must be a resource id or an object with an \"id\".".into(),
                ));
            }
        }
    }
    modify(app, actor, dataset, false, move |d, tx| {
        let ids = ids.clone();
        Box::pin(async move {
            let mut current: Vec<&str> = d.resources.iter().map(|r| r.id.as_str()).collect();
            let mut given: Vec<&str> = ids.iter().map(String::as_str).collect();
            current.sort_unstable();
            given.sort_unstable();
            if current != given {
                return Err(AppError::BadRequest(
                    "The list must contain every resource of the dataset exactly once.".into(),
                ));
            }
            repo::set_positions(tx, &ids).await?;
            let mut ordered = Vec::with_capacity(ids.len());
            for (position, id) in ids.iter().enumerate() {
                if let Some(mut r) = d.resources.iter().find(|r| &r.id == id).cloned() {
                    r.position = i64::try_from(position).unwrap_or(i64::MAX);
                    ordered.push(r);
                }
            }
            d.resources = ordered;
            Ok(())
        })
    })
    .await
    .map(|(dataset, ())| dataset)
}

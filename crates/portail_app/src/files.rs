//! Hosted files: the upload policy, attaching a stored file to a resource (new or replaced),
//! udata's chunked upload protocol, downloads, and the cleanup of abandoned chunks and orphan
//! files.
//!
//! The order of operations is what keeps the store consistent whatever crashes: a file is
//! written completely (and becomes visible) before the database points to it; a replaced file
//! is deleted only after the database points to the new one. A crash in between leaves an
//! unreferenced file, which [`purge_orphans`] removes later; never a resource pointing at
//! nothing.

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use portail_core::files::{
    default_allowed_extensions, detect_mime, format_from_filename, is_allowed_extension,
    is_disguised_html,
};
use portail_core::model::{Checksum, Dataset, Filetype, Resource};
use portail_core::permissions::Actor;
use portail_core::slug::slugify_filename;
use portail_core::validation::ResourcePatch;
use portail_storage::{Storage, Written};
use serde::{Deserialize, Serialize};

use crate::datasets::{check_readable, load_editable, modify};
use crate::resources::new_resource;
use crate::{App, AppError, AppResult};

/// Limits on uploads.
#[derive(Debug, Clone)]
pub struct UploadPolicy {
    /// Largest accepted file, in bytes.
    pub max_size: u64,
    /// Accepted extensions (the last one of the file name).
    pub allowed_extensions: Vec<String>,
    /// How long the chunks of an unfinished chunked upload are kept.
    pub chunk_retention: Duration,
}

/// 10 GiB, the default `PORTAIL_MAX_UPLOAD_SIZE`.
pub const DEFAULT_MAX_UPLOAD_SIZE: u64 = 10 * 1024 * 1024 * 1024;

impl Default for UploadPolicy {
    fn default() -> Self {
        UploadPolicy {
            max_size: DEFAULT_MAX_UPLOAD_SIZE,
            allowed_extensions: default_allowed_extensions(),
            chunk_retention: Duration::from_secs(24 * 3600),
        }
    }
}

/// Where an upload goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new `file` resource.
    New,
    /// Replaces the file of this resource.
    Replace(String),
}

/// Checks, before any byte is read, that the actor may upload to this dataset (and that the
/// resource to replace exists and is hosted).
pub async fn authorize(
    app: &App,
    actor: &Actor,
    dataset: &str,
    target: &Target,
) -> AppResult<Dataset> {
    app.storage()?;
    let dataset = load_editable(app, actor, dataset, false).await?;
    if let Target::Replace(rid) = target {
        let Some(resource) = dataset.resources.iter().find(|r| &r.id == rid) else {
            return Err(AppError::NotFound("Resource not found".into()));
        };
        if resource.filetype != Filetype::File {
            return Err(AppError::BadRequest(
                "This resource is a remote link: only hosted files can be replaced by an upload."
                    .into(),
            ));
        }
    }
    Ok(dataset)
}

/// Refuses file names whose extension is not allowed (udata's message and status).
pub fn check_filename(app: &App, filename: &str) -> AppResult<()> {
    if is_allowed_extension(filename, &app.uploads.allowed_extensions) {
        Ok(())
    } else {
        Err(AppError::BadRequest(
            "This file type is not allowed. The allowed file type list is available at /api/1/datasets/extensions/"
                .into(),
        ))
    }
}

/// Refuses a file larger than the policy allows.
pub fn check_size(app: &App, size: u64) -> AppResult<()> {
    if size > app.uploads.max_size {
        Err(AppError::PayloadTooLarge(format!(
            "The file is too large: the maximum size is {} bytes.",
            app.uploads.max_size
        )))
    } else {
        Ok(())
    }
}

/// Refuses HTML served as data (a login or error page saved by mistake), with udata's 415.
pub fn check_content(filename: &str, head: &[u8]) -> AppResult<()> {
    if is_disguised_html(filename, head) {
        Err(AppError::UnsupportedMediaType(
            "Incorrect file content type: HTML".into(),
        ))
    } else {
        Ok(())
    }
}

/// Where the files of an upload are kept: with the publisher's resources of a dataset, or with
/// the community resources one user proposes on it. The placement decides the storage keys of
/// the file and of its chunks, so that neither kind of upload can reach the other's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A publisher's resource: files under `resources/{dataset id}/`.
    Resource { dataset_id: String },
    /// A community resource: files under `community/{dataset id}/`, chunks scoped by dataset
    /// and user (anyone signed in may propose one, so an upload id must not be shared).
    Community { dataset_id: String, user_id: String },
}

impl Placement {
    /// The folder of the finished files.
    fn prefix(&self) -> String {
        match self {
            Placement::Resource { dataset_id } => format!("{RESOURCE_FILES}/{dataset_id}"),
            Placement::Community { dataset_id, .. } => format!("{COMMUNITY_FILES}/{dataset_id}"),
        }
    }

    /// Storage folder of a chunked upload. The client chooses the upload id, so it is scoped
    /// by dataset (and by user for community files): a user who learns another's id cannot
    /// finish that upload into a dataset of their own, nor slip parts into it. One path
    /// segment under `chunks/`, as [`purge_chunks`] expects.
    fn upload_dir(&self, uuid: &str) -> String {
        match self {
            Placement::Resource { dataset_id } => format!("chunks/{dataset_id}-{uuid}"),
            Placement::Community {
                dataset_id,
                user_id,
            } => format!("chunks/community-{dataset_id}-{user_id}-{uuid}"),
        }
    }
}

/// The storage folders of hosted files, which [`purge_orphans`] looks after.
const FILE_FOLDERS: [&str; 2] = [RESOURCE_FILES, COMMUNITY_FILES];
/// The storage folder of publishers' files.
const RESOURCE_FILES: &str = "resources";
/// The storage folder of community files: a key under it is a community resource's.
const COMMUNITY_FILES: &str = "community";

/// The storage key of a new file: `{resources|community}/{dataset id}/{timestamp}-{nonce}/{normalised name}`.
/// A fresh key per upload means a replacement never overwrites the file still referenced.
pub fn file_key(placement: &Placement, filename: &str, now: DateTime<Utc>) -> String {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    format!(
        "{}/{}-{}/{}",
        placement.prefix(),
        now.format("%Y%m%d-%H%M%S"),
        &nonce[..8],
        slugify_filename(filename)
    )
}

/// The URL path under which the portal serves a stored file.
pub fn file_url(key: &str) -> String {
    format!("/files/{key}")
}

/// A file completely written to storage, not yet attached to a resource.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub key: String,
    /// The file name as sent by the client.
    pub filename: String,
    pub written: Written,
}

/// Optional fields sent with an upload.
#[derive(Debug, Clone, Default)]
pub struct UploadFields {
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: Option<String>,
    /// The organization a community resource is proposed for (publishers' uploads ignore it).
    pub organization: Option<String>,
}

fn title_from_filename(filename: &str) -> String {
    let base = filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(filename)
        .trim();
    if base.is_empty() {
        "file".to_owned()
    } else {
        base.chars().take(350).collect()
    }
}

/// Points a resource at a stored file: url, storage key, size, checksum, mime, format.
pub(crate) fn apply_file(resource: &mut Resource, stored: &StoredFile, now: DateTime<Utc>) {
    resource.filetype = Filetype::File;
    resource.url = file_url(&stored.key);
    resource.fs_filename = Some(stored.key.clone());
    resource.filesize = i64::try_from(stored.written.size).ok();
    resource.checksum = Some(Checksum {
        kind: "sha256".into(),
        value: stored.written.sha256.clone(),
    });
    resource.mime = Some(detect_mime(&stored.filename, &stored.written.head));
    resource.format = format_from_filename(&stored.filename);
    resource.last_modified_internal = now;
}

/// Attaches a stored file as a new resource, first in the list. On failure the file is deleted.
pub async fn attach_new(
    app: &App,
    actor: &Actor,
    dataset: &str,
    stored: StoredFile,
    fields: UploadFields,
) -> AppResult<(Dataset, Resource)> {
    let result = attach_new_inner(app, actor, dataset, &stored, fields).await;
    if result.is_err() {
        discard(app, &stored.key).await;
    }
    result
}

/// Checks the optional `type` of an upload: a known resource type, or `main` when none.
pub(crate) fn upload_kind(fields: &UploadFields) -> AppResult<String> {
    match fields.kind.as_deref() {
        None | Some("") => Ok("main".into()),
        Some(k) => Ok(portail_core::reference::find_choice(
            portail_core::reference::RESOURCE_TYPES,
            k,
        )
        .ok_or_else(|| AppError::field("type", format!("Unknown resource type \"{k}\".")))?
        .id
        .to_owned()),
    }
}

/// A new `file` resource for a stored file, titled from the upload's fields or the file name.
pub(crate) fn file_resource(
    dataset_id: &str,
    stored: &StoredFile,
    fields: &UploadFields,
    kind: String,
    position: i64,
    now: DateTime<Utc>,
) -> AppResult<Resource> {
    let patch = ResourcePatch::default();
    let mut resource = new_resource(dataset_id, patch, Filetype::File, position, now)?;
    resource.title = fields
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.trim().chars().take(350).collect())
        .unwrap_or_else(|| title_from_filename(&stored.filename));
    resource.description = fields.description.clone().filter(|t| !t.trim().is_empty());
    resource.kind = kind;
    apply_file(&mut resource, stored, now);
    Ok(resource)
}

async fn attach_new_inner(
    app: &App,
    actor: &Actor,
    dataset: &str,
    stored: &StoredFile,
    fields: UploadFields,
) -> AppResult<(Dataset, Resource)> {
    check_content(&stored.filename, &stored.written.head)?;
    let now = app.clock.now();
    let kind = upload_kind(&fields)?;
    let stored = stored.clone();
    modify(app, actor, dataset, false, move |d, tx| {
        let stored = stored.clone();
        let fields = fields.clone();
        let kind = kind.clone();
        Box::pin(async move {
            let first = d.resources.iter().map(|r| r.position).min().unwrap_or(1);
            let resource = file_resource(&d.id, &stored, &fields, kind, first - 1, now)?;
            portail_db::resources::insert(tx, &resource).await?;
            d.resources.insert(0, resource.clone());
            Ok(resource)
        })
    })
    .await
}

/// Points an existing hosted resource at a newly stored file, then deletes the old file.
pub async fn attach_replacement(
    app: &App,
    actor: &Actor,
    dataset: &str,
    rid: &str,
    stored: StoredFile,
) -> AppResult<(Dataset, Resource)> {
    if let Err(e) = check_content(&stored.filename, &stored.written.head) {
        discard(app, &stored.key).await;
        return Err(e);
    }
    let now = app.clock.now();
    let rid = rid.to_owned();
    let file = stored.clone();
    let result = modify(app, actor, dataset, false, move |d, tx| {
        let file = file.clone();
        let rid = rid.clone();
        Box::pin(async move {
            let Some(resource) = d.resources.iter_mut().find(|r| r.id == rid) else {
                return Err(AppError::NotFound("Resource not found".into()));
            };
            let old = resource.fs_filename.clone();
            apply_file(resource, &file, now);
            portail_db::resources::update(tx, resource).await?;
            Ok((resource.clone(), old))
        })
    })
    .await;
    match result {
        Ok((dataset, (resource, old))) => {
            if let Some(old) = old.filter(|k| *k != stored.key) {
                discard(app, &old).await;
            }
            Ok((dataset, resource))
        }
        Err(e) => {
            discard(app, &stored.key).await;
            Err(e)
        }
    }
}

/// Deletes a stored file, logging (not failing) when the store refuses: the orphan cleanup
/// retries later.
pub async fn discard(app: &App, key: &str) {
    if let Some(storage) = &app.storage
        && let Err(e) = storage.delete(key).await
    {
        tracing::warn!(file.key = key, error = %e, "cannot delete a file; the orphan cleanup will retry");
    }
}

/// Deletes the hosted file of a removed resource.
pub async fn discard_resource_file(app: &App, resource: &Resource) {
    if let Some(key) = &resource.fs_filename {
        discard(app, key).await;
    }
}

/// Checks that a chunked-upload id is safe to use in a storage key.
pub fn check_upload_uuid(uuid: &str) -> AppResult<()> {
    let ok = !uuid.is_empty()
        && uuid.len() <= 64
        && uuid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(AppError::field(
            "uuid",
            "Invalid upload id: expected letters, digits and dashes.",
        ))
    }
}

/// Storage key of one chunk.
pub fn chunk_key(placement: &Placement, uuid: &str, part: u64) -> String {
    format!("{}/{part:08}", placement.upload_dir(uuid))
}

/// What is remembered of a chunked upload between calls (udata's `meta.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChunkMeta {
    pub uuid: String,
    pub filename: String,
    pub totalparts: u64,
    pub lastchunk: u64,
}

/// Records the metadata of a chunked upload after a chunk was stored.
pub async fn record_chunk(app: &App, placement: &Placement, meta: &ChunkMeta) -> AppResult<()> {
    let body = serde_json::to_vec(meta).map_err(|e| AppError::Internal(e.to_string()))?;
    app.storage()?
        .put_bytes(
            &format!("{}/meta.json", placement.upload_dir(&meta.uuid)),
            Bytes::from(body),
        )
        .await?;
    Ok(())
}

/// Concatenates the chunks of an upload, in order, into a new file (hashing on the way), then
/// deletes the chunks. Missing parts are a 400 naming them, so the client can resend them.
pub async fn assemble(
    app: &App,
    placement: &Placement,
    uuid: &str,
    filename: &str,
    totalparts: u64,
) -> AppResult<StoredFile> {
    check_upload_uuid(uuid)?;
    let storage = app.storage()?;
    if totalparts == 0 || totalparts > 100_000 {
        return Err(AppError::field(
            "totalparts",
            "Expected between 1 and 100000 parts.",
        ));
    }
    let dir = placement.upload_dir(uuid);
    let present: std::collections::HashMap<String, u64> = storage
        .list(&dir)
        .await?
        .into_iter()
        .map(|o| (o.key, o.size))
        .collect();
    let missing: Vec<u64> = (0..totalparts)
        .filter(|p| !present.contains_key(&chunk_key(placement, uuid, *p)))
        .collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(20).map(u64::to_string).collect();
        return Err(AppError::BadRequest(format!(
            "Missing parts {} of upload {uuid}: send them again, then finish the upload.",
            shown.join(", ")
        )));
    }
    let total: u64 = (0..totalparts)
        .map(|p| present[&chunk_key(placement, uuid, p)])
        .sum();
    check_size(app, total)?;
    check_filename(app, filename)?;
    let key = file_key(placement, filename, app.clock.now());
    let mut writer = storage.writer(&key).await?;
    let copied = copy_chunks(storage, placement, uuid, totalparts, &mut writer).await;
    if let Err(e) = copied {
        let _ = writer.abort().await;
        return Err(e);
    }
    let written = writer.finish().await?;
    purge_upload(storage, &dir).await;
    Ok(StoredFile {
        key,
        filename: filename.to_owned(),
        written,
    })
}

async fn copy_chunks(
    storage: &Storage,
    placement: &Placement,
    uuid: &str,
    totalparts: u64,
    writer: &mut portail_storage::Writer,
) -> AppResult<()> {
    for part in 0..totalparts {
        let key = chunk_key(placement, uuid, part);
        let mut stream = storage.get(&key, None).await?.stream;
        while let Some(bytes) = stream.try_next().await? {
            writer.write(bytes).await?;
        }
    }
    Ok(())
}

/// Deletes the folder of a chunked upload (`chunks/...`).
async fn purge_upload(storage: &Storage, dir: &str) {
    match storage.list(dir).await {
        Ok(objects) => {
            for o in objects {
                if let Err(e) = storage.delete(&o.key).await {
                    tracing::warn!(file.key = o.key, error = %e, "cannot delete a chunk");
                }
            }
        }
        Err(e) => tracing::warn!(upload.dir = dir, error = %e, "cannot list chunks"),
    }
}

/// Deletes the chunks of uploads not touched for longer than the retention. Returns how many
/// uploads were purged.
pub async fn purge_chunks(app: &App) -> AppResult<usize> {
    let storage = app.storage()?;
    let cutoff = app.clock.now()
        - chrono::Duration::from_std(app.uploads.chunk_retention)
            .unwrap_or(chrono::Duration::days(1));
    let mut newest: std::collections::HashMap<String, DateTime<Utc>> =
        std::collections::HashMap::new();
    for o in storage.list("chunks").await? {
        if let Some(uuid) = o
            .key
            .strip_prefix("chunks/")
            .and_then(|k| k.split('/').next())
        {
            let entry = newest.entry(uuid.to_owned()).or_insert(o.last_modified);
            *entry = (*entry).max(o.last_modified);
        }
    }
    let mut purged = 0;
    for (upload, at) in newest {
        if at < cutoff {
            purge_upload(storage, &format!("chunks/{upload}")).await;
            purged += 1;
        }
    }
    Ok(purged)
}

/// How old an unreferenced file must be before it is removed (uploads in progress write their
/// file before the database refers to it).
pub const ORPHAN_GRACE: Duration = Duration::from_secs(3600);

/// Deletes files that no resource nor community resource refers to (left by a crash between
/// writing a file and recording it, by a failed delete, or by a purged dataset's community
/// resources), and stale staging files. Returns how many went.
pub async fn purge_orphans(app: &App, grace: Duration) -> AppResult<usize> {
    let storage = app.storage()?;
    let mut referenced = portail_db::resources::referenced_files(&app.db).await?;
    referenced.extend(portail_db::community::referenced_files(&app.db).await?);
    let cutoff =
        app.clock.now() - chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::hours(1));
    let mut removed = storage.cleanup_staging(grace)?;
    for folder in FILE_FOLDERS {
        for o in storage.list(folder).await? {
            if !referenced.contains(&o.key) && o.last_modified < cutoff {
                storage.delete(&o.key).await?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// A hosted file the actor may download.
#[derive(Debug, Clone)]
pub struct Downloadable {
    /// The resource, or the community resource seen as one, served at the key.
    pub resource: Resource,
    /// True when anyone may download it (its dataset is public): only then may shared caches
    /// keep a copy.
    pub public: bool,
    /// True for a publisher's resource, whose downloads are counted (community resources
    /// have no counter).
    pub counted: bool,
}

/// Finds the resource (or community resource) served at a storage key, if the actor may read
/// its dataset: private and deleted datasets' files are not downloadable by others (404).
pub async fn find_download(app: &App, actor: Option<&Actor>, key: &str) -> AppResult<Downloadable> {
    let not_found = || AppError::NotFound("File not found".into());
    let community = key
        .strip_prefix(COMMUNITY_FILES)
        .is_some_and(|rest| rest.starts_with('/'));
    let (resource, counted) = if community {
        let c = portail_db::community::find_by_fs_filename(&app.db, key)
            .await?
            .ok_or_else(not_found)?;
        (crate::community::to_resource(&c), false)
    } else {
        let r = portail_db::resources::find_by_fs_filename(&app.db, key)
            .await?
            .ok_or_else(not_found)?;
        (r, true)
    };
    let (dataset, _) = portail_db::datasets::find_without_resources(&app.db, &resource.dataset_id)
        .await?
        .ok_or_else(not_found)?;
    let dataset = check_readable(actor, dataset).map_err(|_| not_found())?;
    let public = !dataset.private && dataset.archived_at.is_none() && dataset.deleted_at.is_none();
    Ok(Downloadable {
        resource,
        public,
        counted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_safe_and_unique() {
        let now = Utc::now();
        let resources = Placement::Resource {
            dataset_id: "abc".into(),
        };
        let a = file_key(&resources, "Mon Fichier (v2).CSV", now);
        let b = file_key(&resources, "Mon Fichier (v2).CSV", now);
        assert_ne!(a, b);
        assert!(a.starts_with("resources/abc/"));
        assert!(a.ends_with("/mon-fichier-v2.csv"), "{a}");
        assert!(check_upload_uuid("3f2a-ok").is_ok());
        assert!(check_upload_uuid("../etc").is_err());
        let d = Placement::Resource {
            dataset_id: "d".into(),
        };
        assert_eq!(chunk_key(&d, "u", 3), "chunks/d-u/00000003");
        let community = Placement::Community {
            dataset_id: "d".into(),
            user_id: "p".into(),
        };
        assert!(file_key(&community, "a.csv", now).starts_with("community/d/"));
        assert_eq!(
            chunk_key(&community, "u", 3),
            "chunks/community-d-p-u/00000003"
        );
    }
}

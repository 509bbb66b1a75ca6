//! One remote record to one dataset: validation through the API's own rules, matching to an
//! existing dataset (udata's identity rules), then a single transaction that writes the
//! dataset, its resources, its matching keys and the outbox row.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use portail_core::harvest::{HarvestSource, RemoteDataset, RemoteResource};
use portail_core::ids::new_object_id;
use portail_core::licenses::DEFAULT_LICENSE;
use portail_core::model::{Dataset, DatasetMetrics, Filetype, Resource};
use portail_core::validation::{self, DatasetPatch, Mode, ResourcePatch};
use portail_db::datasets;
use portail_db::harvest as repo;
use portail_db::slugs::{self, SlugKind};
use serde_json::{Map, Value, json};

use crate::datasets::{CHANGE_KIND as DATASET_CHANGE, apply_fields, slug_base};
use crate::resources::{apply_resource_patch, new_resource};
use crate::{App, AppError, AppResult};

/// What a job knows while it writes records.
pub struct RunContext {
    pub source: HarvestSource,
    /// The host of the source URL (udata's `harvest.domain`).
    pub domain: String,
    /// The backend's display name (udata's `harvest.backend`).
    pub backend_label: String,
    /// Remote ids already processed by this job.
    pub seen: HashSet<String>,
    pub now: DateTime<Utc>,
}

impl RunContext {
    /// The context of a run of `source` at `now`.
    pub fn new(source: HarvestSource, now: DateTime<Utc>) -> RunContext {
        let domain = url::Url::parse(&source.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let backend_label = portail_harvest::Backend::parse(&source.backend)
            .map_or_else(|| source.backend.clone(), |b| b.label().to_owned());
        RunContext {
            source,
            domain,
            backend_label,
            seen: HashSet::new(),
            now,
        }
    }
}

/// What became of a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Created(String),
    Updated(String),
    Skipped(String),
    /// The message, and the dataset concerned when one was matched.
    Failed(String, Option<String>),
}

/// A remote id that is an absolute URI identifies a dataset globally; others only within the
/// source's domain (udata's `get_dataset`).
fn is_uri(remote_id: &str) -> bool {
    url::Url::parse(remote_id).is_ok_and(|u| u.has_host() || u.scheme() == "urn")
}

/// The API body the remote record amounts to, so the API's validation judges it.
fn dataset_body(remote: &RemoteDataset) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("title".into(), Value::String(remote.title.clone()));
    if !remote.description.trim().is_empty() {
        body.insert(
            "description".into(),
            Value::String(remote.description.clone()),
        );
    }
    if let Some(acronym) = &remote.acronym {
        body.insert("acronym".into(), Value::String(acronym.clone()));
    }
    body.insert(
        "license".into(),
        remote.license.clone().map_or(Value::Null, Value::String),
    );
    body.insert(
        "frequency".into(),
        remote.frequency.clone().map_or(Value::Null, Value::String),
    );
    body.insert("tags".into(), json!(remote.tags));
    body.insert(
        "temporal_coverage".into(),
        remote.temporal_coverage.map_or(
            Value::Null,
            |t| json!({"start": t.start.to_string(), "end": t.end.map(|e| e.to_string())}),
        ),
    );
    body.insert(
        "spatial".into(),
        remote.spatial.as_ref().map_or(
            Value::Null,
            |s| json!({"granularity": s.granularity, "zones": s.zones}),
        ),
    );
    body.insert("extras".into(), Value::Object(remote.extras.clone()));
    body
}

fn resource_body(remote: &RemoteResource) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("title".into(), Value::String(remote.title.clone()));
    body.insert("url".into(), Value::String(remote.url.clone()));
    body.insert("filetype".into(), Value::String("remote".into()));
    body.insert("type".into(), Value::String(remote.kind.clone()));
    for (key, value) in [
        ("description", &remote.description),
        ("format", &remote.format),
        ("mime", &remote.mime),
    ] {
        if let Some(v) = value {
            body.insert(key.into(), Value::String(v.clone()));
        }
    }
    if let Some(size) = remote.filesize {
        body.insert("filesize".into(), json!(size));
    }
    if let Some(checksum) = &remote.checksum {
        body.insert(
            "checksum".into(),
            json!({"type": checksum.kind, "value": checksum.value}),
        );
    }
    body
}

/// Validates a record as the API would validate the same dataset: a readable message on
/// failure, naming the fields.
fn validate(remote: &RemoteDataset) -> Result<(DatasetPatch, Vec<ResourcePatch>), String> {
    let mut messages = Vec::new();
    let patch = match validation::parse_dataset(&dataset_body(remote), Mode::Update) {
        Ok(p) => Some(p),
        Err(e) => {
            messages.push(e.to_string());
            None
        }
    };
    let mut resources = Vec::with_capacity(remote.resources.len());
    for (i, r) in remote.resources.iter().enumerate() {
        match validation::parse_resource(&resource_body(r), Mode::Create, &format!("resources.{i}"))
        {
            Ok(p) => resources.push(p),
            Err(e) => messages.push(e.to_string()),
        }
    }
    match patch {
        Some(p) if messages.is_empty() => Ok((p, resources)),
        _ => Err(format!("invalid remote data: {}", messages.join("; "))),
    }
}

fn date(at: Option<DateTime<Utc>>) -> Value {
    at.map_or(Value::Null, |d| Value::String(d.to_rfc3339()))
}

/// udata's dataset `harvest` metadata for this run, over what the dataset already had.
fn harvest_metadata(ctx: &RunContext, remote: &RemoteDataset, current: Option<&Value>) -> Value {
    let mut meta = current
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let fields = [
        ("backend", Value::String(ctx.backend_label.clone())),
        ("source_id", Value::String(ctx.source.id.clone())),
        ("remote_id", Value::String(remote.remote_id.clone())),
        ("domain", Value::String(ctx.domain.clone())),
        ("last_update", Value::String(ctx.now.to_rfc3339())),
        ("uri", remote.uri.clone().map_or(Value::Null, Value::String)),
        (
            "dct_identifier",
            remote
                .dct_identifier
                .clone()
                .map_or(Value::Null, Value::String),
        ),
        (
            "remote_url",
            remote.remote_url.clone().map_or(Value::Null, Value::String),
        ),
        ("created_at", date(remote.created_at)),
        ("issued_at", date(remote.issued_at)),
        ("modified_at", date(remote.modified_at)),
        ("archived", Value::Null),
        ("archived_at", Value::Null),
    ];
    for (key, value) in fields {
        meta.insert(key.into(), value);
    }
    Value::Object(meta)
}

fn resource_harvest(ctx: &RunContext, remote: &RemoteResource) -> Value {
    json!({
        "remote_id": remote.remote_id,
        "uri": remote.uri,
        "issued_at": date(remote.issued_at),
        "modified_at": date(remote.modified_at),
        "last_update": ctx.now.to_rfc3339(),
    })
}

fn remote_id_of(resource: &Resource) -> Option<&str> {
    resource.harvest.as_ref()?.get("remote_id")?.as_str()
}

/// Resources after this run, and which of them are new. Remote resources match ours by remote
/// id, then by URL; ours that the remote no longer lists stay.
fn merge_resources(
    ctx: &RunContext,
    dataset: &mut Dataset,
    remote: &RemoteDataset,
    patches: Vec<ResourcePatch>,
) -> AppResult<Vec<String>> {
    let mut created = Vec::new();
    let mut next_position = dataset
        .resources
        .iter()
        .map(|r| r.position)
        .max()
        .map_or(0, |p| p + 1);
    for (remote_resource, patch) in remote.resources.iter().zip(patches) {
        let by_id = remote_resource.remote_id.as_deref().and_then(|rid| {
            dataset
                .resources
                .iter()
                .position(|r| remote_id_of(r) == Some(rid))
        });
        let found = by_id.or_else(|| {
            dataset
                .resources
                .iter()
                .position(|r| r.url == remote_resource.url && !created.contains(&r.id))
        });
        match found {
            Some(index) => {
                let resource = &mut dataset.resources[index];
                apply_resource_patch(resource, patch, ctx.now)?;
                resource.harvest = Some(resource_harvest(ctx, remote_resource));
            }
            None => {
                let mut resource =
                    new_resource(&dataset.id, patch, Filetype::Remote, next_position, ctx.now)?;
                next_position += 1;
                resource.harvest = Some(resource_harvest(ctx, remote_resource));
                created.push(resource.id.clone());
                dataset.resources.push(resource);
            }
        }
    }
    Ok(created)
}

fn empty_dataset(ctx: &RunContext) -> Dataset {
    Dataset {
        id: new_object_id(),
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
        publisher: ctx.source.publisher.clone(),
        extras: Map::new(),
        harvest: None,
        created_at_internal: ctx.now,
        last_modified_internal: ctx.now,
        metrics: DatasetMetrics::default(),
        version: 1,
        resources: Vec::new(),
    }
}

/// Processes one remote dataset; with `dry_run` nothing is written. Errors of the record
/// itself are [`Outcome::Failed`]; `Err` is left for the unexpected.
pub async fn apply(
    app: &App,
    ctx: &mut RunContext,
    remote: &RemoteDataset,
    dry_run: bool,
) -> AppResult<Outcome> {
    let remote_id = remote.remote_id.trim();
    if remote_id.is_empty() {
        return Ok(Outcome::Skipped("missing identifier".into()));
    }
    if !ctx.seen.insert(remote_id.to_owned()) {
        return Ok(Outcome::Failed(
            format!("Identifier '{remote_id}' already exists in this run"),
            None,
        ));
    }
    let (patch, resource_patches) = match validate(remote) {
        Ok(validated) => validated,
        Err(message) => return Ok(Outcome::Failed(message, None)),
    };
    let matched = repo::match_dataset(
        &app.db,
        remote_id,
        is_uri(remote_id),
        &ctx.source.id,
        &ctx.domain,
    )
    .await?;
    let existing = match &matched {
        Some(id) => datasets::find(&app.db, id).await?,
        None => None,
    };
    if let Some(existing) = &existing {
        if existing.publisher != ctx.source.publisher {
            return Ok(Outcome::Failed(
                format!(
                    "Item has another owner: the dataset {} harvested as \"{remote_id}\" belongs to another organization or user",
                    existing.slug
                ),
                Some(existing.id.clone()),
            ));
        }
        if existing.deleted_at.is_some() {
            return Ok(Outcome::Skipped(format!(
                "the dataset {} was deleted on this portal",
                existing.slug
            )));
        }
    }
    let is_new = existing.is_none();
    let mut dataset = existing.unwrap_or_else(|| empty_dataset(ctx));
    let old_title = dataset.title.clone();
    let old_version = dataset.version;
    let old_resources: Vec<String> = dataset.resources.iter().map(|r| r.id.clone()).collect();
    apply_fields(&mut dataset, patch, ctx.now);
    // A record coming back from the remote is live again (udata: `dataset.archived = None`).
    dataset.archived_at = None;
    dataset.harvest = Some(harvest_metadata(ctx, remote, dataset.harvest.as_ref()));
    dataset.last_modified_internal = ctx.now;
    let created_resources = match merge_resources(ctx, &mut dataset, remote, resource_patches) {
        Ok(created) => created,
        Err(AppError::Validation(e)) => {
            return Ok(Outcome::Failed(format!("invalid remote data: {e}"), None));
        }
        Err(other) => return Err(other),
    };
    if dry_run {
        return Ok(if is_new {
            Outcome::Created(dataset.id)
        } else {
            Outcome::Updated(dataset.id)
        });
    }
    let mut tx = app.db.begin().await?;
    if is_new || dataset.title != old_title {
        let slug = slugs::unique(
            &mut tx,
            SlugKind::Dataset,
            &slug_base(&dataset.title),
            Some(&dataset.id),
        )
        .await?;
        if !is_new && slug != dataset.slug {
            slugs::rename(
                &mut tx,
                SlugKind::Dataset,
                &dataset.id,
                &dataset.slug,
                &slug,
            )
            .await?;
        }
        dataset.slug = slug;
    }
    if is_new {
        datasets::insert(&mut tx, &dataset).await?;
    } else {
        dataset.version = old_version + 1;
        if !datasets::update(&mut tx, &dataset, old_version).await? {
            return Ok(Outcome::Failed(
                "the dataset was modified on this portal during the harvest; the next run updates it"
                    .into(),
                Some(dataset.id),
            ));
        }
        for resource in &dataset.resources {
            if created_resources.contains(&resource.id) {
                portail_db::resources::insert(&mut tx, resource).await?;
            } else if old_resources.contains(&resource.id) {
                portail_db::resources::update(&mut tx, resource).await?;
            }
        }
    }
    repo::set_dataset_keys(&mut tx, &dataset.id, &ctx.source.id, remote_id, &ctx.domain).await?;
    portail_db::changes::record(&mut tx, DATASET_CHANGE, &dataset.id, ctx.now).await?;
    tx.commit().await?;
    Ok(if is_new {
        Outcome::Created(dataset.id)
    } else {
        Outcome::Updated(dataset.id)
    })
}

/// Archives a dataset that left the remote (udata: `harvest.archived = "not-on-remote"`).
pub async fn archive(app: &App, dataset_id: &str, now: DateTime<Utc>) -> AppResult<bool> {
    let Some(mut dataset) = datasets::find(&app.db, dataset_id).await? else {
        return Ok(false);
    };
    if dataset.archived_at.is_some() || dataset.deleted_at.is_some() {
        return Ok(false);
    }
    dataset.archived_at = Some(now);
    let mut meta = dataset
        .harvest
        .as_ref()
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    meta.insert("archived".into(), Value::String("not-on-remote".into()));
    meta.insert("archived_at".into(), Value::String(now.to_rfc3339()));
    dataset.harvest = Some(Value::Object(meta));
    let expected = dataset.version;
    dataset.version += 1;
    let mut tx = app.db.begin().await?;
    if !datasets::update(&mut tx, &dataset, expected).await? {
        return Ok(false);
    }
    portail_db::changes::record(&mut tx, DATASET_CHANGE, &dataset.id, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The `harvest.last_update` of a dataset, when it has one.
pub fn last_harvested(dataset: &Dataset) -> Option<DateTime<Utc>> {
    let raw = dataset.harvest.as_ref()?.get("last_update")?.as_str()?;
    DateTime::parse_from_rfc3339(raw)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

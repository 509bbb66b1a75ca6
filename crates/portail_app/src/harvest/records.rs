//! One remote record to one dataset: validation through the API's own rules, matching to an
//! existing dataset (udata's identity rules), then a single transaction that writes the
//! dataset, its resources, its matching keys and the outbox row.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use portail_core::harvest::{HarvestSource, RemoteDataset, RemoteRecord, RemoteResource};
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

/// A record past the checks that need no database: its identifier and validated fields.
struct Admitted<'r> {
    remote: &'r RemoteDataset,
    remote_id: &'r str,
    patch: DatasetPatch,
    resources: Vec<ResourcePatch>,
}

/// The checks of a record that need no database: an identifier, not seen before in this run,
/// and fields the API would accept.
fn admit<'r>(ctx: &mut RunContext, remote: &'r RemoteDataset) -> Result<Admitted<'r>, Outcome> {
    let remote_id = remote.remote_id.trim();
    if remote_id.is_empty() {
        return Err(Outcome::Skipped("missing identifier".into()));
    }
    if !ctx.seen.insert(remote_id.to_owned()) {
        return Err(Outcome::Failed(
            format!("Identifier '{remote_id}' already exists in this run"),
            None,
        ));
    }
    match validate(remote) {
        Ok((patch, resources)) => Ok(Admitted {
            remote,
            remote_id,
            patch,
            resources,
        }),
        Err(message) => Err(Outcome::Failed(message, None)),
    }
}

/// A dataset as a record leaves it, before it is written.
struct Built {
    dataset: Dataset,
    is_new: bool,
    old_title: String,
    old_version: i64,
    old_resources: Vec<String>,
    created_resources: Vec<String>,
}

/// The dataset a record makes of the matched one (or of a new one). Errors of the record itself
/// are `Ok(Err(outcome))`.
async fn build(
    app: &App,
    ctx: &RunContext,
    admitted: Admitted<'_>,
    matched: Option<&str>,
) -> AppResult<Result<Built, Outcome>> {
    let Admitted {
        remote,
        remote_id,
        patch,
        resources,
    } = admitted;
    let existing = match matched {
        Some(id) => datasets::find(&app.db, id).await?,
        None => None,
    };
    if let Some(existing) = &existing {
        if existing.publisher != ctx.source.publisher {
            return Ok(Err(Outcome::Failed(
                format!(
                    "Item has another owner: the dataset {} harvested as \"{remote_id}\" belongs to another organization or user",
                    existing.slug
                ),
                Some(existing.id.clone()),
            )));
        }
        if existing.deleted_at.is_some() {
            return Ok(Err(Outcome::Skipped(format!(
                "the dataset {} was deleted on this portal",
                existing.slug
            ))));
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
    let created_resources = match merge_resources(ctx, &mut dataset, remote, resources) {
        Ok(created) => created,
        Err(AppError::Validation(e)) => {
            return Ok(Err(Outcome::Failed(
                format!("invalid remote data: {e}"),
                None,
            )));
        }
        Err(other) => return Err(other),
    };
    Ok(Ok(Built {
        dataset,
        is_new,
        old_title,
        old_version,
        old_resources,
        created_resources,
    }))
}

fn written(built: &Built) -> Outcome {
    if built.is_new {
        Outcome::Created(built.dataset.id.clone())
    } else {
        Outcome::Updated(built.dataset.id.clone())
    }
}

/// Writes one built dataset in its own transaction: slug, row, resources, matching keys and
/// the outbox row.
async fn store(app: &App, ctx: &RunContext, remote_id: &str, built: Built) -> AppResult<Outcome> {
    let outcome = written(&built);
    let Built {
        mut dataset,
        is_new,
        old_title,
        old_version,
        old_resources,
        created_resources,
    } = built;
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
    Ok(outcome)
}

/// Processes one remote dataset; with `dry_run` nothing is written. Errors of the record
/// itself are [`Outcome::Failed`]; `Err` is left for the unexpected.
pub async fn apply(
    app: &App,
    ctx: &mut RunContext,
    remote: &RemoteDataset,
    dry_run: bool,
) -> AppResult<Outcome> {
    let admitted = match admit(ctx, remote) {
        Ok(admitted) => admitted,
        Err(outcome) => return Ok(outcome),
    };
    let remote_id = admitted.remote_id;
    let matched = repo::match_dataset(
        &app.db,
        remote_id,
        is_uri(remote_id),
        &ctx.source.id,
        &ctx.domain,
    )
    .await?;
    let built = match build(app, ctx, admitted, matched.as_deref()).await? {
        Ok(built) => built,
        Err(outcome) => return Ok(outcome),
    };
    if dry_run {
        return Ok(written(&built));
    }
    store(app, ctx, remote_id, built).await
}

/// Processes a page of records and writes it: what became of each record, in the page's
/// order, with its remote id.
///
/// Same outcomes as [`apply`] on each record in turn, in far fewer statements: the page's
/// matches are looked up at once, and its new datasets are inserted together in one
/// transaction, many rows per statement. Updates, and the new datasets whose natural slug is
/// taken, are written one by one. Each record stays all or nothing: if the shared
/// transaction fails, its records are written again one by one, so that only the faulty one
/// fails.
pub async fn apply_page(
    app: &App,
    ctx: &mut RunContext,
    page: &[RemoteRecord],
) -> Vec<(Option<String>, Outcome)> {
    let mut outcomes: Vec<Option<Outcome>> = vec![None; page.len()];
    let mut remote_ids: Vec<Option<String>> = Vec::with_capacity(page.len());
    let mut admitted = Vec::new();
    for (i, record) in page.iter().enumerate() {
        match record {
            RemoteRecord::Dataset(remote) => {
                remote_ids.push(Some(remote.remote_id.clone()));
                match admit(ctx, remote) {
                    Ok(a) => admitted.push((i, a)),
                    Err(outcome) => outcomes[i] = Some(outcome),
                }
            }
            RemoteRecord::Skipped { remote_id, reason } => {
                remote_ids.push(remote_id.clone());
                outcomes[i] = Some(Outcome::Skipped(reason.clone()));
            }
            RemoteRecord::Failed(e) => {
                remote_ids.push(e.remote_id.clone());
                outcomes[i] = Some(Outcome::Failed(e.message.clone(), None));
            }
        }
    }
    let ids: Vec<&str> = admitted.iter().map(|(_, a)| a.remote_id).collect();
    let matched = repo::match_datasets(&app.db, &ids, is_uri, &ctx.source.id, &ctx.domain).await;
    let matched = match matched {
        Ok(matched) => matched,
        // A database hiccup fails the records it concerns, not the run.
        Err(e) => {
            let message = AppError::from(e).to_string();
            for (i, _) in admitted {
                outcomes[i] = Some(Outcome::Failed(message.clone(), None));
            }
            return finish_page(remote_ids, outcomes);
        }
    };
    let mut fresh: Vec<(usize, &str, Built)> = Vec::new();
    for (i, a) in admitted {
        let remote_id = a.remote_id;
        let outcome = match build(app, ctx, a, matched.get(remote_id).map(String::as_str)).await {
            Ok(Ok(built)) if built.is_new => {
                fresh.push((i, remote_id, built));
                continue;
            }
            Ok(Ok(built)) => store(app, ctx, remote_id, built).await,
            Ok(Err(outcome)) => Ok(outcome),
            Err(e) => Err(e),
        };
        outcomes[i] = Some(outcome.unwrap_or_else(|e| Outcome::Failed(e.to_string(), None)));
    }
    for (i, outcome) in store_new(app, ctx, fresh).await {
        outcomes[i] = Some(outcome);
    }
    finish_page(remote_ids, outcomes)
}

fn finish_page(
    remote_ids: Vec<Option<String>>,
    outcomes: Vec<Option<Outcome>>,
) -> Vec<(Option<String>, Outcome)> {
    remote_ids
        .into_iter()
        .zip(outcomes)
        .map(|(rid, outcome)| {
            (
                rid,
                outcome.unwrap_or_else(|| Outcome::Failed("not processed".into(), None)),
            )
        })
        .collect()
}

/// Inserts new datasets together (see [`apply_page`]); returns each one's outcome by its
/// index in the page.
async fn store_new(
    app: &App,
    ctx: &RunContext,
    mut fresh: Vec<(usize, &str, Built)>,
) -> Vec<(usize, Outcome)> {
    let mut outcomes = Vec::with_capacity(fresh.len());
    if !fresh.is_empty() {
        // On failure `fresh` is left whole: everything is written again one by one below.
        if let Ok(inserted) = insert_batch(app, ctx, &mut fresh).await {
            outcomes.extend(inserted);
        }
    }
    for (i, remote_id, built) in fresh {
        let outcome = store(app, ctx, remote_id, built)
            .await
            .unwrap_or_else(|e| Outcome::Failed(e.to_string(), None));
        outcomes.push((i, outcome));
    }
    outcomes
}

/// Inserts, in one transaction, the new datasets whose title's slug no dataset has and no
/// other of the batch wants, and takes them out of `fresh`; the rest are left for [`store`],
/// which finds a free suffix. On error nothing is written and `fresh` is left whole (`store`
/// finds each new dataset's slug again).
async fn insert_batch(
    app: &App,
    ctx: &RunContext,
    fresh: &mut Vec<(usize, &str, Built)>,
) -> AppResult<Vec<(usize, Outcome)>> {
    let mut tx = app.db.begin().await?;
    let bases: Vec<String> = fresh
        .iter()
        .map(|(_, _, b)| slug_base(&b.dataset.title))
        .collect();
    let taken = portail_db::bulk::taken_dataset_slugs(&mut tx, &bases).await?;
    let chosen: Vec<bool> = {
        let mut wanted = HashSet::new();
        bases
            .iter()
            .map(|base| !taken.contains(base) && wanted.insert(base.as_str()))
            .collect()
    };
    for ((_, _, built), (base, _)) in fresh
        .iter_mut()
        .zip(bases.into_iter().zip(&chosen))
        .filter(|(_, (_, chosen))| **chosen)
    {
        built.dataset.slug = base;
    }
    let batch: Vec<&(usize, &str, Built)> = fresh
        .iter()
        .zip(&chosen)
        .filter_map(|(entry, chosen)| chosen.then_some(entry))
        .collect();
    let datasets: Vec<&Dataset> = batch.iter().map(|(_, _, b)| &b.dataset).collect();
    let keys: Vec<portail_db::bulk::HarvestKeys<'_>> = batch
        .iter()
        .map(|(_, remote_id, _)| portail_db::bulk::HarvestKeys {
            source_id: &ctx.source.id,
            remote_id,
            domain: &ctx.domain,
        })
        .collect();
    let ids: Vec<String> = datasets.iter().map(|d| d.id.clone()).collect();
    portail_db::bulk::insert_harvested(&mut tx, &datasets, &keys).await?;
    portail_db::bulk::record_changes(&mut tx, DATASET_CHANGE, &ids, ctx.now).await?;
    tx.commit().await?;
    let mut inserted = Vec::with_capacity(ids.len());
    let mut rest = Vec::new();
    for (entry, chosen) in fresh.drain(..).zip(chosen) {
        if chosen {
            inserted.push((entry.0, written(&entry.2)));
        } else {
            rest.push(entry);
        }
    }
    *fresh = rest;
    Ok(inserted)
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

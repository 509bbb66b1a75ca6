//! Harvest sources and who may do what with them (udata §7 permissions): creating one for an
//! organization needs its admin; editing, deleting and running, an organization admin or the
//! owner; previewing, an organization admin or editor or the owner; validating and
//! scheduling, a sysadmin. Sysadmins may do everything.

use portail_core::harvest::{
    HarvestItem, HarvestJob, HarvestSource, ItemStatus, JobCounts, JobStatus, Validation,
    ValidationState,
};
use portail_core::ids::new_object_id;
use portail_core::model::{OrgRole, Publisher};
use portail_core::permissions::{self, Actor};
use portail_core::slug::slugify;
use portail_core::validation::{Errors, NAME_MAX, is_valid_url};
use portail_db::harvest::{self as repo, SourceQuery};
use portail_db::{changes, organizations, users};
use serde_json::{Map, Value};

use super::{CHANGE_KIND, DEFAULT_SCHEDULE, schedule};
use crate::errors::PERMISSION_DENIED;
use crate::{App, AppError, AppResult};

const NOT_FOUND: &str = "Harvest source not found";
const GONE: &str = "Harvest source has been deleted";

/// A validated source body (`name`, `url`, `backend`, `description`, `config`, `active`,
/// `autoarchive`, `organization` | `owner`); `None` keeps the current value on an update.
#[derive(Debug, Clone, Default)]
pub struct SourceInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub backend: Option<String>,
    pub config: Option<Value>,
    pub active: Option<bool>,
    pub autoarchive: Option<bool>,
    pub organization: Option<String>,
    pub owner: Option<String>,
    /// A cron expression asked for at creation, applied once a sysadmin accepts the source
    /// (else the default daily schedule). Ignored on updates: sysadmins set schedules.
    pub schedule: Option<String>,
}

impl SourceInput {
    /// Reads a udata `HarvestSourceForm` body; `create` makes `name`, `url` and `backend`
    /// required.
    pub fn parse(body: &Map<String, Value>, create: bool) -> AppResult<SourceInput> {
        let mut errors = Errors::default();
        let mut text = |key: &str, required: bool, max: usize| -> Option<String> {
            match body.get(key) {
                None | Some(Value::Null) => {
                    if required {
                        errors.add(key, "This field is required.");
                    }
                    None
                }
                Some(Value::String(s)) if s.trim().is_empty() && required => {
                    errors.add(key, "This field is required.");
                    None
                }
                Some(Value::String(s)) if s.contains('\0') => {
                    errors.add(key, "Text cannot contain the NUL character.");
                    None
                }
                Some(Value::String(s)) if s.trim().chars().count() > max => {
                    errors.add(
                        key,
                        format!("Field cannot be longer than {max} characters."),
                    );
                    None
                }
                Some(Value::String(s)) => Some(s.trim().to_owned()),
                Some(_) => {
                    errors.add(key, "Not a valid string.");
                    None
                }
            }
        };
        let mut input = SourceInput {
            name: text("name", create, NAME_MAX),
            description: text("description", false, 100_000),
            url: text("url", create, 2_048),
            backend: text("backend", create, NAME_MAX),
            organization: text("organization", false, NAME_MAX),
            owner: text("owner", false, NAME_MAX),
            schedule: text("schedule", false, NAME_MAX).filter(|c| !c.is_empty()),
            ..SourceInput::default()
        };
        if let Some(cron) = &input.schedule
            && let Err(e) = schedule::parse_cron(cron)
        {
            errors.add("schedule", e.to_string());
        }
        if let Some(url) = &input.url
            && !is_valid_url(url)
        {
            errors.add("url", "Not a valid URL.");
        }
        if let Some(backend) = &input.backend
            && portail_harvest::Backend::parse(backend).is_none()
        {
            errors.add(
                "backend",
                format!(
                    "Unknown backend \"{backend}\": see /api/1/harvest/backends/ for the list."
                ),
            );
        }
        for key in ["active", "autoarchive"] {
            let value = match body.get(key) {
                None | Some(Value::Null) => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(_) => {
                    errors.add(key, "Expected true or false.");
                    None
                }
            };
            if key == "active" {
                input.active = value;
            } else {
                input.autoarchive = value;
            }
        }
        match body.get("config") {
            None | Some(Value::Null) => {}
            Some(Value::Object(config)) => input.config = Some(Value::Object(config.clone())),
            Some(_) => errors.add("config", "Expected an object."),
        }
        if input.organization.is_some() && input.owner.is_some() {
            errors.add(
                "organization",
                "A source belongs either to an organization or to a user, not both.",
            );
        }
        errors.into_result(input).map_err(AppError::from)
    }
}

/// Checks `config` against the backend (known filters, typed extra configs).
fn check_config(url: &str, backend: &str, config: &Value) -> AppResult<()> {
    portail_harvest::SourceConfig::from_udata(url, backend, config)
        .map(|_| ())
        .map_err(|e| AppError::field("config", e.to_string()))
}

/// Edit, delete and run a source: sysadmins, the owner, the organization's admins.
pub fn can_admin_source(actor: Option<&Actor>, source: &HarvestSource) -> bool {
    let Some(actor) = actor else { return false };
    match &source.publisher {
        Publisher::User(owner) => actor.sysadmin || *owner == actor.user_id,
        Publisher::Organization(org) => permissions::can_admin_organization(Some(actor), org),
    }
}

/// Preview a source: also the organization's editors.
pub fn can_preview_source(actor: Option<&Actor>, source: &HarvestSource) -> bool {
    if can_admin_source(actor, source) {
        return true;
    }
    match (actor, &source.publisher) {
        (Some(actor), Publisher::Organization(org)) => {
            matches!(actor.role_in(org), Some(OrgRole::Admin | OrgRole::Editor))
        }
        _ => false,
    }
}

fn require_sysadmin(actor: &Actor) -> AppResult<()> {
    if actor.sysadmin {
        Ok(())
    } else {
        Err(AppError::Forbidden(PERMISSION_DENIED.into()))
    }
}

/// Decides who a new source belongs to, and checks the actor may create it for them.
async fn resolve_publisher(app: &App, actor: &Actor, input: &SourceInput) -> AppResult<Publisher> {
    if let Some(org) = &input.organization {
        let found = organizations::find(&app.db, org)
            .await?
            .filter(|o| o.deleted_at.is_none())
            .ok_or_else(|| {
                AppError::field("organization", format!("Unknown organization \"{org}\"."))
            })?;
        if !permissions::can_admin_organization(Some(actor), &found.id) {
            return Err(AppError::Forbidden(
                "Only the organization's admins can harvest for it.".into(),
            ));
        }
        return Ok(Publisher::Organization(found.id));
    }
    if let Some(owner) = &input.owner {
        let found = users::find(&app.db, owner)
            .await?
            .ok_or_else(|| AppError::field("owner", format!("Unknown user \"{owner}\".")))?;
        if found.id != actor.user_id && !actor.sysadmin {
            return Err(AppError::Forbidden(
                "You can only create harvest sources for yourself.".into(),
            ));
        }
        return Ok(Publisher::User(found.id));
    }
    Ok(Publisher::User(actor.user_id.clone()))
}

async fn unique_slug(app: &App, name: &str, except: Option<&str>) -> AppResult<String> {
    let base = match slugify(name) {
        s if s.is_empty() => "source".to_owned(),
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

/// Creates a source (pending validation) from a validated body.
pub async fn create(app: &App, actor: &Actor, input: SourceInput) -> AppResult<HarvestSource> {
    let (Some(name), Some(url), Some(backend)) =
        (input.name.clone(), input.url.clone(), input.backend.clone())
    else {
        return Err(AppError::BadRequest(
            "name, url and backend are required".into(),
        ));
    };
    let config = input
        .config
        .clone()
        .unwrap_or_else(|| Value::Object(Map::new()));
    check_config(&url, &backend, &config)?;
    let publisher = resolve_publisher(app, actor, &input).await?;
    let now = app.clock.now();
    let source = HarvestSource {
        id: new_object_id(),
        slug: unique_slug(app, &name, None).await?,
        name,
        description: input.description.unwrap_or_default(),
        url,
        backend: portail_harvest::Backend::parse(&backend).map_or(backend, |b| b.id().to_owned()),
        config,
        schedule: input.schedule,
        next_run_at: None,
        active: input.active.unwrap_or(true),
        autoarchive: input.autoarchive.unwrap_or(true),
        validation: Validation::default(),
        publisher,
        created_at: now,
        deleted_at: None,
    };
    let mut tx = app.db.begin().await?;
    repo::insert_source(&mut tx, &source).await?;
    changes::record(&mut tx, CHANGE_KIND, &source.id, now).await?;
    tx.commit().await?;
    Ok(source)
}

/// Finds a live source by id or slug: 404 when unknown, 410 when deleted.
pub async fn get(app: &App, id_or_slug: &str) -> AppResult<HarvestSource> {
    let source = repo::find_source(&app.db, id_or_slug)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    if source.deleted_at.is_some() {
        return Err(AppError::Gone(GONE.into()));
    }
    Ok(source)
}

async fn get_admin(app: &App, actor: &Actor, id_or_slug: &str) -> AppResult<HarvestSource> {
    let source = get(app, id_or_slug).await?;
    if !can_admin_source(Some(actor), &source) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    Ok(source)
}

async fn write(app: &App, source: &HarvestSource) -> AppResult<()> {
    let mut tx = app.db.begin().await?;
    repo::update_source(&mut tx, source).await?;
    changes::record(&mut tx, CHANGE_KIND, &source.id, app.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// A page of the live sources `actor` works on, newest first: all of them for a sysadmin,
/// else their own and those of the organizations where they are admin or editor (the ones
/// they may preview). With `organization` (id or slug), only that organization's, which
/// needs the same role in it.
pub async fn visible_sources(
    app: &App,
    actor: &Actor,
    organization: Option<&str>,
    page: i64,
    page_size: i64,
) -> AppResult<(
    Vec<HarvestSource>,
    i64,
    Option<portail_core::model::Organization>,
)> {
    let mut query = SourceQuery {
        page,
        page_size,
        ..SourceQuery::default()
    };
    if let Some(org) = organization {
        let found = organizations::find(&app.db, org)
            .await?
            .filter(|o| o.deleted_at.is_none())
            .ok_or_else(|| AppError::NotFound("Organization not found".into()))?;
        if !actor.sysadmin
            && !matches!(
                actor.role_in(&found.id),
                Some(OrgRole::Admin | OrgRole::Editor)
            )
        {
            return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
        }
        query.organization_id = Some(found.id.clone());
        let (sources, total) = repo::list_sources(&app.db, &query).await?;
        return Ok((sources, total, Some(found)));
    }
    if !actor.sysadmin {
        let orgs = actor
            .organization_ids()
            .into_iter()
            .filter(|org| matches!(actor.role_in(org), Some(OrgRole::Admin | OrgRole::Editor)))
            .collect();
        query.owner_or_organizations = Some((actor.user_id.clone(), orgs));
    }
    let (sources, total) = repo::list_sources(&app.db, &query).await?;
    Ok((sources, total, None))
}

/// The newest job of a source, if it ever ran.
pub async fn last_job(app: &App, source_id: &str) -> AppResult<Option<HarvestJob>> {
    let (jobs, _) = repo::jobs_of_source(&app.db, source_id, 1, 1).await?;
    Ok(jobs.into_iter().next())
}

/// A page of live (or, with `deleted`, deleted) sources.
pub async fn list(app: &App, query: &SourceQuery) -> AppResult<(Vec<HarvestSource>, i64)> {
    Ok(repo::list_sources(&app.db, query).await?)
}

/// Updates a source. Changing what is harvested (URL, backend, config) sends the source back
/// to validation, as in udata; the publisher does not change here.
pub async fn update(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    input: SourceInput,
) -> AppResult<HarvestSource> {
    let mut source = get_admin(app, actor, id_or_slug).await?;
    if let Some(name) = input.name
        && name != source.name
    {
        source.slug = unique_slug(app, &name, Some(&source.id)).await?;
        source.name = name;
    }
    if let Some(description) = input.description {
        source.description = description;
    }
    let before = (
        source.url.clone(),
        source.backend.clone(),
        source.config.clone(),
    );
    if let Some(url) = input.url {
        source.url = url;
    }
    if let Some(backend) = input.backend {
        source.backend =
            portail_harvest::Backend::parse(&backend).map_or(backend, |b| b.id().to_owned());
    }
    if let Some(config) = input.config {
        source.config = config;
    }
    check_config(&source.url, &source.backend, &source.config)?;
    if let Some(active) = input.active {
        source.active = active;
    }
    if let Some(autoarchive) = input.autoarchive {
        source.autoarchive = autoarchive;
    }
    if (
        source.url.clone(),
        source.backend.clone(),
        source.config.clone(),
    ) != before
        && !actor.sysadmin
    {
        source.validation = Validation::default();
    }
    write(app, &source).await?;
    Ok(source)
}

/// Marks a source deleted and unschedules it; its datasets stay.
pub async fn delete(app: &App, actor: &Actor, id_or_slug: &str) -> AppResult<HarvestSource> {
    let mut source = get_admin(app, actor, id_or_slug).await?;
    source.deleted_at = Some(app.clock.now());
    source.next_run_at = None;
    write(app, &source).await?;
    Ok(source)
}

/// Accepts or refuses a source (sysadmins). Accepting schedules it daily unless it already has
/// a schedule; the API then queues a first run ([`queue_job`]), as udata does.
pub async fn validate(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    state: &str,
    comment: Option<String>,
) -> AppResult<HarvestSource> {
    require_sysadmin(actor)?;
    let mut source = get(app, id_or_slug).await?;
    let state = match ValidationState::parse(state.trim()) {
        Some(s @ (ValidationState::Accepted | ValidationState::Refused)) => s,
        _ => {
            return Err(AppError::field(
                "state",
                "Expected \"accepted\" or \"refused\".",
            ));
        }
    };
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if state == ValidationState::Refused && comment.is_none() {
        return Err(AppError::field(
            "comment",
            "A comment is required to refuse a source.",
        ));
    }
    let now = app.clock.now();
    source.validation = Validation {
        state,
        // The CLI decides as no one in particular.
        by: Some(actor.user_id.clone()).filter(|id| !id.is_empty()),
        on: Some(now),
        comment,
    };
    if state == ValidationState::Accepted {
        let cron = source
            .schedule
            .clone()
            .unwrap_or_else(|| DEFAULT_SCHEDULE.to_owned());
        source.next_run_at = schedule::next_run(&cron, now)?;
        source.schedule = Some(cron);
    } else {
        source.next_run_at = None;
    }
    write(app, &source).await?;
    Ok(source)
}

/// Sets a source's cron schedule (sysadmins).
pub async fn set_schedule(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
    cron: &str,
) -> AppResult<HarvestSource> {
    require_sysadmin(actor)?;
    let mut source = get(app, id_or_slug).await?;
    let cron = cron.trim().to_owned();
    source.next_run_at = schedule::next_run(&cron, app.clock.now())?;
    source.schedule = Some(cron);
    write(app, &source).await?;
    Ok(source)
}

/// Removes a source's schedule (sysadmins): it then only runs by hand.
pub async fn unschedule(app: &App, actor: &Actor, id_or_slug: &str) -> AppResult<HarvestSource> {
    require_sysadmin(actor)?;
    let mut source = get(app, id_or_slug).await?;
    source.schedule = None;
    source.next_run_at = None;
    write(app, &source).await?;
    Ok(source)
}

/// The answer to a run asked while another one of the same source has not ended.
fn already_running(job: Option<&HarvestJob>) -> AppError {
    AppError::Conflict(match job {
        Some(job) => format!(
            "A harvest job is already {} for this source (job {}): wait for it to end before running it again.",
            job.status.as_str(),
            job.id
        ),
        None => "A harvest job is already pending or running for this source: wait for it to end before running it again.".to_owned(),
    })
}

/// Records a pending job of a source, for [`super::run_job`]. A source has at most one
/// pending or running job: another one is a [`AppError::Conflict`] (the database's unique
/// index decides, so two processes asking at once cannot both win).
pub async fn queue_job(app: &App, source: &HarvestSource) -> AppResult<HarvestJob> {
    let job = HarvestJob {
        id: uuid::Uuid::new_v4().to_string(),
        source_id: source.id.clone(),
        created_at: app.clock.now(),
        started_at: None,
        ended_at: None,
        status: JobStatus::Pending,
        errors: Vec::new(),
        counts: JobCounts::default(),
    };
    match repo::insert_job(&app.db, &job).await {
        Ok(()) => Ok(job),
        Err(portail_db::DbError::Unique(_)) => {
            let running = repo::unfinished_job(&app.db, &source.id).await?;
            Err(already_running(running.as_ref()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Checks that `actor` may run the source now (accepted, no job pending or running: else a
/// [`AppError::Conflict`]) and records a pending job for it; the caller runs it
/// ([`super::run_job`]), in the background or not.
pub async fn start_job(
    app: &App,
    actor: &Actor,
    id_or_slug: &str,
) -> AppResult<(HarvestSource, HarvestJob)> {
    let source = get_admin(app, actor, id_or_slug).await?;
    if source.validation.state != ValidationState::Accepted {
        return Err(AppError::BadRequest(
            "This source has not been validated yet: a sysadmin must accept it before it runs."
                .into(),
        ));
    }
    if let Some(running) = repo::unfinished_job(&app.db, &source.id).await? {
        return Err(already_running(Some(&running)));
    }
    let job = queue_job(app, &source).await?;
    Ok((source, job))
}

/// A page of a source's jobs, newest first.
pub async fn jobs(
    app: &App,
    id_or_slug: &str,
    page: i64,
    page_size: i64,
) -> AppResult<(HarvestSource, Vec<HarvestJob>, i64)> {
    let source = get(app, id_or_slug).await?;
    let (jobs, total) = repo::jobs_of_source(&app.db, &source.id, page, page_size).await?;
    Ok((source, jobs, total))
}

/// A job with its items and their count by status.
#[derive(Debug, Clone)]
pub struct JobView {
    pub job: HarvestJob,
    pub items: Vec<HarvestItem>,
    pub items_total: i64,
    pub by_status: Vec<(ItemStatus, i64)>,
}

/// Items listed with a job; `by_status` counts them all.
const JOB_ITEMS_LIMIT: i64 = 1_000;

/// A job by id, with up to 1 000 items (optionally of one status).
pub async fn get_job(app: &App, id: &str, status: Option<ItemStatus>) -> AppResult<JobView> {
    let job = repo::find_job(&app.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("Harvest job not found".into()))?;
    let items = repo::items_of_job(&app.db, &job.id, status, JOB_ITEMS_LIMIT).await?;
    let counts = repo::item_counts(&app.db, &job.id).await?;
    let by_status: Vec<(ItemStatus, i64)> = ItemStatus::ALL
        .into_iter()
        .map(|s| {
            let n = counts
                .iter()
                .find(|(name, _)| name == s.as_str())
                .map_or(0, |(_, n)| *n);
            (s, n)
        })
        .collect();
    let items_total = by_status.iter().map(|(_, n)| n).sum();
    Ok(JobView {
        job,
        items,
        items_total,
        by_status,
    })
}

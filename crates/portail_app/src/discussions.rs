//! Discussions on datasets (udata's `core/discussions`): anyone signed in opens one or
//! comments; the dataset's editors close it; comment authors edit their comments. Visible
//! only to those who can see the dataset. The dataset's `discussions` and `discussions_open`
//! counters are recounted in the same transaction.

use portail_core::ids::new_object_id;
use portail_core::model::Dataset;
use portail_core::permissions::{self, Actor};
use portail_db::discussions::{self as repo, Discussion, DiscussionQuery, Message};
use portail_db::{Tx, changes};
use serde_json::{Map, Value};

use crate::errors::PERMISSION_DENIED;
use crate::{App, AppError, AppResult};

const NOT_FOUND: &str = "Discussion not found";
const MAX_TITLE: usize = 255;
const MAX_COMMENT: usize = 100_000;

fn text_field(body: &Map<String, Value>, field: &str, max: usize) -> AppResult<String> {
    match body.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            if s.chars().count() > max {
                Err(AppError::field(field, format!("At most {max} characters.")))
            } else {
                Ok(s.trim().to_owned())
            }
        }
        Some(Value::String(_)) | None | Some(Value::Null) => {
            Err(AppError::field(field, "This field is required."))
        }
        Some(_) => Err(AppError::field(field, "Must be a string.")),
    }
}

/// Loads the dataset a discussion is about, with the visibility rules of the dataset.
async fn visible_dataset(app: &App, actor: Option<&Actor>, dataset_id: &str) -> AppResult<Dataset> {
    match crate::datasets::get(app, actor, dataset_id).await {
        // A discussion on a deleted dataset is gone with it, for everyone.
        Err(AppError::Gone(_)) => Err(AppError::Gone("Dataset has been deleted".into())),
        other => other,
    }
}

async fn after_write(
    tx: &mut Tx,
    d: &Discussion,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    repo::recount(tx, &d.dataset_id).await?;
    changes::record(tx, crate::datasets::CHANGE_KIND, &d.dataset_id, now).await?;
    Ok(())
}

fn log_extras(d: &Discussion) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("discussion_id".into(), Value::from(d.id.clone()));
    m.insert("discussion_title".into(), Value::from(d.title.clone()));
    m
}

/// Opens a discussion: `{title, comment, subject: {class: "Dataset", id}}`.
pub async fn create(app: &App, actor: &Actor, body: &Map<String, Value>) -> AppResult<Discussion> {
    let title = text_field(body, "title", MAX_TITLE);
    let comment = text_field(body, "comment", MAX_COMMENT);
    let subject = body
        .get("subject")
        .and_then(|s| match s {
            Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_owned),
            Value::String(s) => Some(s.clone()),
            _ => None,
        })
        .filter(|s| !s.is_empty());
    let class_ok = body
        .get("subject")
        .and_then(Value::as_object)
        .and_then(|o| o.get("class"))
        .and_then(Value::as_str)
        .is_none_or(|c| c == "Dataset");
    let mut errors = portail_core::validation::Errors::default();
    for r in [&title, &comment] {
        if let Err(AppError::Validation(e)) = r {
            errors.0.extend(e.0.clone());
        }
    }
    if subject.is_none() || !class_ok {
        errors.add(
            "subject",
            "A dataset is required: {\"class\": \"Dataset\", \"id\": ...}.",
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (title, comment, subject) = (title?, comment?, subject.unwrap_or_default());
    let dataset = visible_dataset(app, Some(actor), &subject).await?;
    let now = app.clock.now();
    let extras = body
        .get("extras")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let d = Discussion {
        id: new_object_id(),
        dataset_id: dataset.id.clone(),
        user_id: actor.user_id.clone(),
        title,
        messages: vec![Message {
            content: comment,
            posted_by: actor.user_id.clone(),
            posted_on: now,
            last_modified_at: None,
        }],
        extras,
        created_at: now,
        closed_at: None,
        closed_by: None,
    };
    let mut tx = app.db.begin().await?;
    repo::insert(&mut tx, &d).await?;
    after_write(&mut tx, &d, now).await?;
    crate::activity::record(
        &mut tx,
        &d.dataset_id,
        Some(&actor.user_id),
        "discussion:created",
        Vec::new(),
        log_extras(&d),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

/// A discussion the actor may see.
pub async fn get(app: &App, actor: Option<&Actor>, id: &str) -> AppResult<(Discussion, Dataset)> {
    let d = repo::find(&app.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    let dataset = match visible_dataset(app, actor, &d.dataset_id).await {
        Ok(ds) => ds,
        Err(AppError::NotFound(_)) => return Err(AppError::NotFound(NOT_FOUND.into())),
        Err(e) => return Err(e),
    };
    Ok((d, dataset))
}

/// Filters of `GET /api/1/discussions/`.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub dataset: Option<String>,
    pub closed: Option<bool>,
    pub oldest_first: bool,
    pub page: i64,
    pub page_size: i64,
}

/// A page of discussions the actor may see.
pub async fn list(
    app: &App,
    actor: Option<&Actor>,
    req: ListRequest,
) -> AppResult<(Vec<Discussion>, i64)> {
    let dataset_id = match &req.dataset {
        Some(id) => Some(visible_dataset(app, actor, id).await?.id),
        None => None,
    };
    Ok(repo::list(
        &app.db,
        &DiscussionQuery {
            dataset_id,
            closed: req.closed,
            viewer: crate::datasets::viewer(actor),
            oldest_first: req.oldest_first,
            page: req.page,
            page_size: req.page_size,
        },
    )
    .await?)
}

/// Comments a discussion (`{comment, close}`); `close: true` (the dataset's editors only)
/// closes it, with or without a comment.
pub async fn comment(
    app: &App,
    actor: &Actor,
    id: &str,
    body: &Map<String, Value>,
) -> AppResult<Discussion> {
    let close = match body.get("close") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(AppError::field("close", "Must be a boolean.")),
    };
    let comment = match text_field(body, "comment", MAX_COMMENT) {
        Ok(c) => Some(c),
        Err(e) if !close => return Err(e),
        Err(_) => None,
    };
    let (mut d, dataset) = get(app, Some(actor), id).await?;
    if d.closed_at.is_some() {
        return Err(AppError::Forbidden(
            "Can't add comments on a closed discussion".into(),
        ));
    }
    if close && !permissions::can_edit_dataset(Some(actor), &dataset.id, &dataset.publisher) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    let now = app.clock.now();
    if let Some(content) = comment {
        d.messages.push(Message {
            content,
            posted_by: actor.user_id.clone(),
            posted_on: now,
            last_modified_at: None,
        });
    }
    if close {
        d.closed_at = Some(now);
        d.closed_by = Some(actor.user_id.clone());
    }
    let mut tx = app.db.begin().await?;
    repo::update(&mut tx, &d).await?;
    after_write(&mut tx, &d, now).await?;
    if close {
        crate::activity::record(
            &mut tx,
            &d.dataset_id,
            Some(&actor.user_id),
            "discussion:closed",
            Vec::new(),
            log_extras(&d),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(d)
}

/// Deletes a discussion (sysadmins, as udata).
pub async fn delete(app: &App, actor: &Actor, id: &str) -> AppResult<()> {
    let (d, _) = get(app, Some(actor), id).await?;
    if !actor.sysadmin {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    repo::delete(&mut tx, &d.id).await?;
    after_write(&mut tx, &d, now).await?;
    tx.commit().await?;
    Ok(())
}

fn comment_index(d: &Discussion, cidx: usize) -> AppResult<usize> {
    if cidx < d.messages.len() {
        Ok(cidx)
    } else {
        Err(AppError::NotFound("Comment does not exist".into()))
    }
}

/// Edits a comment (its author, or a sysadmin): `{comment}`.
pub async fn edit_comment(
    app: &App,
    actor: &Actor,
    id: &str,
    cidx: usize,
    body: &Map<String, Value>,
) -> AppResult<Discussion> {
    let content = text_field(body, "comment", MAX_COMMENT)?;
    let (mut d, _) = get(app, Some(actor), id).await?;
    let i = comment_index(&d, cidx)?;
    if !(actor.sysadmin || d.messages[i].posted_by == actor.user_id) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    let now = app.clock.now();
    d.messages[i].content = content;
    d.messages[i].last_modified_at = Some(now);
    let mut tx = app.db.begin().await?;
    repo::update(&mut tx, &d).await?;
    after_write(&mut tx, &d, now).await?;
    tx.commit().await?;
    Ok(d)
}

/// Deletes a comment (its author, or a sysadmin); the first one carries the discussion and
/// goes only with it.
pub async fn delete_comment(app: &App, actor: &Actor, id: &str, cidx: usize) -> AppResult<()> {
    let (mut d, _) = get(app, Some(actor), id).await?;
    let i = comment_index(&d, cidx)?;
    if !(actor.sysadmin || d.messages[i].posted_by == actor.user_id) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    if i == 0 {
        return Err(AppError::BadRequest(
            "The first comment cannot be deleted; delete the discussion instead.".into(),
        ));
    }
    let now = app.clock.now();
    d.messages.remove(i);
    let mut tx = app.db.begin().await?;
    repo::update(&mut tx, &d).await?;
    after_write(&mut tx, &d, now).await?;
    tx.commit().await?;
    Ok(())
}

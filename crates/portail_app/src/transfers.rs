//! Transfers (udata's `features/transfer`): the publisher of a dataset asks to hand it to
//! another organization or user, who accepts or refuses. Accepting moves the dataset in one
//! transaction with its outbox record (search and caches follow) and an activity entry;
//! the transfer rows stay as the history.

use portail_core::ids::new_object_id;
use portail_core::model::{OrgRole, Publisher};
use portail_core::permissions::Actor;
use portail_db::datasets as dataset_repo;
use portail_db::transfers::{self as repo, Transfer, TransferQuery};
use portail_db::{changes, organizations, users};
use serde_json::{Map, Value, json};

use crate::errors::PERMISSION_DENIED;
use crate::{App, AppError, AppResult};

const NOT_FOUND: &str = "Transfer not found";

/// `Organization` or `User`, as udata names the classes.
fn class_of(p: &Publisher) -> (&'static str, &str) {
    match p {
        Publisher::Organization(id) => ("Organization", id),
        Publisher::User(id) => ("User", id),
    }
}

fn object_ref(body: &Map<String, Value>, field: &str) -> AppResult<(String, String)> {
    let Some(obj) = body.get(field).and_then(Value::as_object) else {
        return Err(AppError::field(
            field,
            "This field is required: {\"class\": ..., \"id\": ...}.",
        ));
    };
    let class = obj.get("class").and_then(Value::as_str).unwrap_or_default();
    let id = obj.get("id").and_then(Value::as_str).unwrap_or_default();
    if class.is_empty() || id.is_empty() {
        return Err(AppError::field(
            field,
            "Both \"class\" and \"id\" are required.",
        ));
    }
    Ok((class.to_owned(), id.to_owned()))
}

/// Resolves a recipient to a publisher (404-like errors are field errors: the body is wrong).
async fn resolve_recipient(app: &App, class: &str, id: &str) -> AppResult<Publisher> {
    match class {
        "Organization" => match organizations::find(&app.db, id).await? {
            Some(o) if o.deleted_at.is_none() => Ok(Publisher::Organization(o.id)),
            _ => Err(AppError::field(
                "recipient",
                format!("Unknown organization \"{id}\"."),
            )),
        },
        "User" => match users::find(&app.db, id).await? {
            Some(u) if u.deleted_at.is_none() => Ok(Publisher::User(u.id)),
            _ => Err(AppError::field(
                "recipient",
                format!("Unknown user \"{id}\"."),
            )),
        },
        other => Err(AppError::field(
            "recipient",
            format!("Unknown class \"{other}\": use Organization or User."),
        )),
    }
}

/// Whether the actor speaks for a publisher: the user themselves, or an admin of the
/// organization (sysadmins for everyone).
pub fn speaks_for(actor: &Actor, publisher_kind: &str, publisher_id: &str) -> bool {
    actor.sysadmin
        || match publisher_kind {
            "Organization" => actor.role_in(publisher_id) == Some(OrgRole::Admin),
            _ => actor.user_id == publisher_id,
        }
}

/// Asks for a transfer (`POST /api/1/transfer/`).
pub async fn request(app: &App, actor: &Actor, body: &Map<String, Value>) -> AppResult<Transfer> {
    let subject = object_ref(body, "subject");
    let recipient = object_ref(body, "recipient");
    let comment = match body.get("comment") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(_) => return Err(AppError::field("comment", "Must be a string.")),
    };
    let ((subject_class, subject_id), (recipient_class, recipient_id)) = match (subject, recipient)
    {
        (Ok(s), Ok(r)) => (s, r),
        (Err(AppError::Validation(mut a)), Err(AppError::Validation(b))) => {
            a.0.extend(b.0);
            return Err(AppError::Validation(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    if subject_class != "Dataset" {
        return Err(AppError::field(
            "subject",
            format!(
                "Unknown class \"{subject_class}\": only datasets are transferable here (Dataset)."
            ),
        ));
    }
    let dataset = crate::datasets::get(app, Some(actor), &subject_id).await?;
    let (owner_kind, owner_id) = class_of(&dataset.publisher);
    if !speaks_for(actor, owner_kind, owner_id) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    let to = resolve_recipient(app, &recipient_class, &recipient_id).await?;
    if to == dataset.publisher {
        return Err(AppError::BadRequest(
            "Recipient should be different than the current owner".into(),
        ));
    }
    let (recipient_kind, recipient_id) = class_of(&to);
    let now = app.clock.now();
    let transfer = Transfer {
        id: new_object_id(),
        subject_class,
        subject_id: dataset.id.clone(),
        owner_kind: owner_kind.to_owned(),
        owner_id: owner_id.to_owned(),
        recipient_kind: recipient_kind.to_owned(),
        recipient_id: recipient_id.to_owned(),
        user_id: actor.user_id.clone(),
        comment,
        status: "pending".into(),
        created_at: now,
        responded_at: None,
        responder_id: None,
        response_comment: None,
    };
    let mut tx = app.db.begin().await?;
    repo::insert(&mut tx, &transfer).await?;
    let mut extras = Map::new();
    extras.insert("transfer_id".into(), json!(transfer.id));
    extras.insert(
        "recipient".into(),
        json!({"class": recipient_kind, "id": recipient_id}),
    );
    crate::activity::record(
        &mut tx,
        &dataset.id,
        Some(&actor.user_id),
        "dataset:transfer:requested",
        Vec::new(),
        extras,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(transfer)
}

/// Whether the actor may see a transfer: its requester, whoever speaks for its owner or its
/// recipient, sysadmins.
fn can_see(actor: &Actor, t: &Transfer) -> bool {
    actor.user_id == t.user_id
        || speaks_for(actor, &t.owner_kind, &t.owner_id)
        || speaks_for(actor, &t.recipient_kind, &t.recipient_id)
}

/// One transfer (`GET /api/1/transfer/{id}/`).
pub async fn get(app: &App, actor: &Actor, id: &str) -> AppResult<Transfer> {
    let t = repo::find(&app.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    if !can_see(actor, &t) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    Ok(t)
}

/// The transfers the actor may see, filtered (`GET /api/1/transfer/`).
pub async fn list(
    app: &App,
    actor: &Actor,
    subject: Option<String>,
    recipient: Option<String>,
    status: Option<String>,
) -> AppResult<Vec<Transfer>> {
    if let Some(s) = &status
        && !["pending", "accepted", "refused"].contains(&s.as_str())
    {
        return Err(AppError::field(
            "status",
            "Use pending, accepted or refused.",
        ));
    }
    let involving = if actor.sysadmin {
        None
    } else {
        let mut ids = vec![actor.user_id.clone()];
        ids.extend(
            actor
                .memberships
                .iter()
                .filter(|(_, role)| **role == OrgRole::Admin)
                .map(|(org, _)| org.clone()),
        );
        Some(ids)
    };
    let found = repo::list(
        &app.db,
        &TransferQuery {
            subject,
            recipient,
            status,
            involving,
        },
    )
    .await?;
    Ok(found.into_iter().filter(|t| can_see(actor, t)).collect())
}

/// Answers a pending transfer (`POST /api/1/transfer/{id}/`): only whoever speaks for the
/// recipient. Accepting moves the dataset.
pub async fn respond(
    app: &App,
    actor: &Actor,
    id: &str,
    body: &Map<String, Value>,
) -> AppResult<Transfer> {
    let accept = match body.get("response").and_then(Value::as_str) {
        Some("accept") => true,
        Some("refuse") => false,
        _ => return Err(AppError::field("response", "Use \"accept\" or \"refuse\".")),
    };
    let comment = body
        .get("comment")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let mut t = repo::find(&app.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    if !speaks_for(actor, &t.recipient_kind, &t.recipient_id) {
        return Err(AppError::Forbidden(PERMISSION_DENIED.into()));
    }
    if t.status != "pending" {
        return Err(AppError::BadRequest(format!(
            "This transfer is already {}.",
            t.status
        )));
    }
    let now = app.clock.now();
    t.status = if accept { "accepted" } else { "refused" }.into();
    t.responded_at = Some(now);
    t.responder_id = Some(actor.user_id.clone());
    t.response_comment = comment;
    for _ in 0..5 {
        let mut dataset = dataset_repo::find(&app.db, &t.subject_id)
            .await?
            .ok_or_else(|| AppError::NotFound("Dataset not found".into()))?;
        let mut tx = app.db.begin().await?;
        if !repo::respond(&mut tx, &t).await? {
            return Err(AppError::BadRequest(
                "This transfer was answered meanwhile.".into(),
            ));
        }
        let mut extras = Map::new();
        extras.insert("transfer_id".into(), json!(t.id));
        if accept {
            if dataset.deleted_at.is_some() {
                return Err(AppError::Gone("Dataset has been deleted".into()));
            }
            // The publisher may have changed since the request: the transfer hands over
            // what the requester held, nothing else.
            let (kind, owner) = class_of(&dataset.publisher);
            if kind != t.owner_kind || owner != t.owner_id {
                return Err(AppError::BadRequest(
                    "The dataset changed hands since this transfer was requested.".into(),
                ));
            }
            dataset.publisher = match t.recipient_kind.as_str() {
                "Organization" => Publisher::Organization(t.recipient_id.clone()),
                _ => Publisher::User(t.recipient_id.clone()),
            };
            let expected = dataset.version;
            dataset.version += 1;
            dataset.last_modified_internal = now;
            if !dataset_repo::update(&mut tx, &dataset, expected).await? {
                continue;
            }
            // Assignments of partial editors belonged to the old organization.
            repo::clear_assignments(&mut tx, &dataset.id).await?;
            changes::record(&mut tx, crate::datasets::CHANGE_KIND, &dataset.id, now).await?;
            extras.insert(
                "from".into(),
                json!({"class": t.owner_kind, "id": t.owner_id}),
            );
            extras.insert(
                "to".into(),
                json!({"class": t.recipient_kind, "id": t.recipient_id}),
            );
            crate::activity::record(
                &mut tx,
                &dataset.id,
                Some(&actor.user_id),
                "dataset:transferred",
                vec!["organization".into()],
                extras,
                now,
            )
            .await?;
        } else {
            crate::activity::record(
                &mut tx,
                &dataset.id,
                Some(&actor.user_id),
                "dataset:transfer:refused",
                Vec::new(),
                extras,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        return Ok(t);
    }
    Err(AppError::Conflict(
        "The dataset is being modified by someone else; please retry.".into(),
    ))
}

//! The activity log of datasets: entries written in the transaction of each change (see
//! `portail_db::activities`), and the read of the log with the visibility rules.

use chrono::{DateTime, Utc};
use portail_core::ids::new_object_id;
use portail_core::model::{Dataset, Filetype};
use portail_core::permissions::Actor;
use portail_db::activities::{self, Activity};
use portail_db::{Tx, checks};
use serde_json::{Map, Value, json};

use crate::{App, AppResult};

/// Appends one entry to the log of a dataset.
pub async fn record(
    tx: &mut Tx,
    dataset_id: &str,
    actor_id: Option<&str>,
    key: &str,
    changes: Vec<String>,
    extras: Map<String, Value>,
    at: DateTime<Utc>,
) -> AppResult<()> {
    activities::record(
        tx,
        &Activity {
            id: new_object_id(),
            dataset_id: dataset_id.to_owned(),
            actor_id: actor_id.map(str::to_owned),
            key: key.to_owned(),
            changes,
            extras,
            created_at: at,
        },
    )
    .await?;
    Ok(())
}

/// The dataset fields whose change is logged as `dataset:updated`, by their API name.
fn changed_fields(before: &Dataset, after: &Dataset) -> Vec<String> {
    let mut fields = Vec::new();
    let mut check = |name: &str, changed: bool| {
        if changed {
            fields.push(name.to_owned());
        }
    };
    check("title", before.title != after.title);
    check("acronym", before.acronym != after.acronym);
    check("description", before.description != after.description);
    check(
        "description_short",
        before.description_short != after.description_short,
    );
    check("license", before.license != after.license);
    check("frequency", before.frequency != after.frequency);
    check(
        "frequency_date",
        before.frequency_date != after.frequency_date,
    );
    check("tags", before.tags != after.tags);
    check(
        "temporal_coverage",
        before.temporal_coverage != after.temporal_coverage,
    );
    check("spatial", before.spatial != after.spatial);
    check("private", before.private != after.private);
    check("featured", before.featured != after.featured);
    check("archived", before.archived_at != after.archived_at);
    check("extras", before.extras != after.extras);
    check("organization", before.publisher != after.publisher);
    fields
}

/// Logs what a write through `datasets::modify` changed, in its transaction: deletion or
/// restoration, updated fields, resources added, changed or removed. Also makes a remote
/// resource whose URL changed due for an availability check (new ones are due already).
pub(crate) async fn record_dataset_change(
    tx: &mut Tx,
    actor: &Actor,
    before: &Dataset,
    after: &Dataset,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let who = Some(actor.user_id.as_str());
    match (before.deleted_at.is_some(), after.deleted_at.is_some()) {
        (false, true) => {
            return record(
                tx,
                &after.id,
                who,
                "dataset:deleted",
                Vec::new(),
                Map::new(),
                now,
            )
            .await;
        }
        (true, false) => {
            record(
                tx,
                &after.id,
                who,
                "dataset:restored",
                Vec::new(),
                Map::new(),
                now,
            )
            .await?;
        }
        _ => {}
    }
    let fields = changed_fields(before, after);
    if !fields.is_empty() {
        record(
            tx,
            &after.id,
            who,
            "dataset:updated",
            fields,
            Map::new(),
            now,
        )
        .await?;
    }
    for r in &after.resources {
        let extras = |r: &portail_core::model::Resource| {
            let mut m = Map::new();
            m.insert("resource_id".into(), json!(r.id));
            m.insert("resource_title".into(), json!(r.title));
            m
        };
        match before.resources.iter().find(|o| o.id == r.id) {
            None => {
                record(
                    tx,
                    &after.id,
                    who,
                    "dataset:resource:added",
                    Vec::new(),
                    extras(r),
                    now,
                )
                .await?;
            }
            Some(old) => {
                let mut changes = Vec::new();
                for (name, changed) in [
                    ("title", old.title != r.title),
                    ("description", old.description != r.description),
                    ("url", old.url != r.url),
                    ("format", old.format != r.format),
                    ("type", old.kind != r.kind),
                    ("mime", old.mime != r.mime),
                    ("filesize", old.filesize != r.filesize),
                    ("checksum", old.checksum != r.checksum),
                    ("extras", old.extras != r.extras),
                ] {
                    if changed {
                        changes.push(name.to_owned());
                    }
                }
                if !changes.is_empty() {
                    record(
                        tx,
                        &after.id,
                        who,
                        "dataset:resource:updated",
                        changes,
                        extras(r),
                        now,
                    )
                    .await?;
                }
                if old.url != r.url && r.filetype == Filetype::Remote {
                    checks::mark_due(tx, &r.id).await?;
                }
            }
        }
    }
    for old in &before.resources {
        if !after.resources.iter().any(|r| r.id == old.id) {
            let mut m = Map::new();
            m.insert("resource_id".into(), json!(old.id));
            m.insert("resource_title".into(), json!(old.title));
            record(
                tx,
                &after.id,
                who,
                "dataset:resource:deleted",
                Vec::new(),
                m,
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// A page of the log of one dataset (readable by the actor), or of every dataset they may
/// see, newest first.
pub async fn list(
    app: &App,
    actor: Option<&Actor>,
    related_to: Option<&str>,
    page: i64,
    page_size: i64,
) -> AppResult<(Vec<Activity>, i64)> {
    let viewer = crate::datasets::viewer(actor);
    match related_to {
        Some(id) => {
            let dataset = crate::datasets::get(app, actor, id).await?;
            Ok(activities::list(&app.db, Some(&dataset.id), &viewer, page, page_size).await?)
        }
        None => Ok(activities::list(&app.db, None, &viewer, page, page_size).await?),
    }
}

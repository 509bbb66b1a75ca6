//! Transfers from the web, both sides: the dashboard's "Transfer this dataset" form
//! (`POST /datasets/{slug}/transfer`) and `/me/transfers`, where the recipient accepts or
//! refuses and everyone involved sees the history. The rules (who may ask, who may answer,
//! udata §5) are `portail_app::transfers`'; this maps its errors to sentences.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use portail_app::AppError;
use portail_app::transfers::speaks_for;
use portail_db::transfers::Transfer;
use serde_json::{Map, Value as Json, json};

use crate::extract::Params;
use crate::pages::context::{PageCtx, PageForm};
use crate::pages::dashboard::render_dashboard;
use crate::pages::errors::PageResult;
use crate::pages::i18n::{Lang, tr};
use crate::pages::names::{name_of, names};

/// Transfers as the templates see them, with names and whether the visitor may answer.
pub async fn transfer_views(ctx: &PageCtx, list: &[Transfer]) -> PageResult<Vec<Json>> {
    let Some(me) = &ctx.session else {
        return Ok(Vec::new());
    };
    let mut users = Vec::new();
    let mut orgs = Vec::new();
    for t in list {
        for (kind, id) in [
            (&t.owner_kind, &t.owner_id),
            (&t.recipient_kind, &t.recipient_id),
        ] {
            if kind == "Organization" {
                orgs.push(id.clone());
            } else {
                users.push(id.clone());
            }
        }
        users.push(t.user_id.clone());
        users.extend(t.responder_id.clone());
    }
    let people = names(&ctx.state.app, &users, &orgs).await?;
    let mut ids: Vec<String> = list.iter().map(|t| t.subject_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let datasets = portail_db::datasets::find_many(&ctx.state.app.db, &ids).await?;
    Ok(list
        .iter()
        .map(|t| {
            let dataset = datasets.iter().find(|d| d.id == t.subject_id);
            let received = speaks_for(&me.actor, &t.recipient_kind, &t.recipient_id);
            json!({
                "id": t.id,
                "dataset": {
                    "title": dataset.map_or(t.subject_id.as_str(), |d| d.title.as_str()),
                    "slug": dataset.map(|d| d.slug.as_str()),
                },
                "owner": name_of(&people, &t.owner_id),
                "recipient": name_of(&people, &t.recipient_id),
                "requester": name_of(&people, &t.user_id),
                "responder": t.responder_id.as_deref().map(|id| name_of(&people, id)),
                "status": t.status,
                "status_label": tr(ctx.lang, &format!("transfer_{}", t.status)),
                "created_at": t.created_at,
                "responded_at": t.responded_at,
                "comment": t.comment,
                "response_comment": t.response_comment,
                "received": received,
                "can_respond": received && t.status == "pending",
            })
        })
        .collect())
}

/// A sentence for a refused transfer request or answer.
fn message_of(lang: Lang, e: &AppError) -> String {
    match e {
        AppError::Forbidden(_) => tr(lang, "transfer_forbidden").to_owned(),
        AppError::Validation(errors) if errors.0.contains_key("recipient") => {
            tr(lang, "recipient_not_found").to_owned()
        }
        AppError::BadRequest(m) if m.starts_with("Recipient should be different") => {
            tr(lang, "transfer_same_owner").to_owned()
        }
        AppError::BadRequest(m) if m.contains("already") || m.contains("meanwhile") => {
            tr(lang, "transfer_already_answered").to_owned()
        }
        other => other.to_string(),
    }
}

fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// Whether a page can show the error next to the form, rather than as an error page.
fn shown_on_form(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Forbidden(_)
            | AppError::Validation(_)
            | AppError::BadRequest(_)
            | AppError::Conflict(_)
    )
}

/// `POST /datasets/{slug}/transfer`: `recipient_kind` (`user` or `organization`),
/// `recipient` (a user's slug or e-mail, an organization's slug), `comment`.
pub async fn request_transfer_page(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let kind = form.get("recipient_kind").unwrap_or("user");
    let recipient = form.get("recipient").unwrap_or("").to_owned();
    let comment = form.get("comment").unwrap_or("");
    let values = json!({"recipient_kind": kind, "recipient": recipient, "comment": comment});
    let (class, id) = if kind == "organization" {
        ("Organization", Some(recipient.clone()))
    } else if recipient.contains('@') {
        let found = portail_db::users::find_by_email(&ctx.state.app.db, &recipient).await?;
        ("User", found.map(|(u, _)| u.id))
    } else {
        ("User", Some(recipient.clone()))
    };
    let (status, message) = match id.filter(|id| !id.is_empty()) {
        None => (
            StatusCode::BAD_REQUEST,
            tr(ctx.lang, "recipient_not_found").to_owned(),
        ),
        Some(id) => {
            let mut body = Map::new();
            body.insert("subject".into(), json!({"class": "Dataset", "id": slug}));
            body.insert("recipient".into(), json!({"class": class, "id": id}));
            body.insert("comment".into(), json!(comment));
            match portail_app::transfers::request(&ctx.state.app, &me.actor, &body).await {
                Ok(_) => {
                    return Ok(ctx.redirect(&format!(
                        "/datasets/{slug}/dashboard?transfer=requested#transfer"
                    )));
                }
                Err(e) if shown_on_form(&e) => (status_of(&e), message_of(ctx.lang, &e)),
                Err(e) => return Err(ctx.fail(e)),
            }
        }
    };
    render_dashboard(
        &ctx,
        &headers,
        &slug,
        status,
        json!({"transfer_error": message, "transfer_values": values}),
    )
    .await
}

async fn render_transfers(
    ctx: &PageCtx,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<String>,
) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let list = portail_app::transfers::list(&ctx.state.app, &me.actor, None, None, None)
        .await
        .map_err(|e| ctx.fail(e))?;
    let views = transfer_views(ctx, &list).await?;
    let (received, sent): (Vec<Json>, Vec<Json>) = views
        .into_iter()
        .partition(|v| v["received"] == json!(true));
    ctx.render_status(
        status,
        "transfers.html",
        json!({"received": received, "sent": sent, "notice": notice, "error": error}),
    )
}

/// `GET /me/transfers`: transfers addressed to the visitor or to organizations they
/// administer, and those they asked for.
pub async fn my_transfers_page(ctx: PageCtx, params: Params) -> PageResult<Response> {
    let notice = params.get("answered").map(|a| {
        tr(
            ctx.lang,
            if a == "accepted" {
                "transfer_done_accepted"
            } else {
                "transfer_done_refused"
            },
        )
    });
    render_transfers(&ctx, StatusCode::OK, notice, None).await
}

/// `POST /me/transfers/{id}`: `response` (`accept` or `refuse`) and `comment`.
pub async fn respond_transfer_page(
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let mut body = Map::new();
    body.insert("response".into(), json!(form.get("response").unwrap_or("")));
    if let Some(c) = form.get("comment") {
        body.insert("comment".into(), json!(c));
    }
    match portail_app::transfers::respond(&ctx.state.app, &me.actor, &id, &body).await {
        Ok(t) => Ok(ctx.redirect(&format!("/me/transfers?answered={}", t.status))),
        Err(e) if shown_on_form(&e) => {
            render_transfers(&ctx, status_of(&e), None, Some(message_of(ctx.lang, &e))).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

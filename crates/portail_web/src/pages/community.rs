//! What signed-in visitors do on a dataset page: follow it (`POST /datasets/{slug}/follow`),
//! propose a community resource as a link (`…/community`) or a file (`…/community/upload`,
//! multipart), open a discussion (`…/discussions`),
//! comment or close one (`…/discussions/{id}/comment`). Each form comes back to the dataset
//! page; a form with errors shows the page again with them (400).

use axum::extract::Path;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use portail_app::AppError;
use portail_core::model::{Dataset, Publisher};
use serde_json::{Map, Value as Json, json};

use crate::pages::catalog::render_dataset;
use crate::pages::context::{PageCtx, PageForm, field_errors, typed_values};
use crate::pages::errors::PageResult;
use crate::pages::i18n::tr;
use crate::pages::markdown;
use crate::pages::names::{name_of, names};
use crate::pages::publish::{csrf_checked, error_text, is_user_error};

/// Discussions shown on a dataset page, newest first.
const DISCUSSIONS: i64 = 50;
/// Community resources shown on a dataset page.
const COMMUNITY: i64 = 50;

/// The values of a dataset page about its community: followers, community resources,
/// discussions with their messages, and the empty forms.
pub async fn community_values(
    ctx: &PageCtx,
    d: &Dataset,
    can_edit: bool,
) -> PageResult<Map<String, Json>> {
    let app = &ctx.state.app;
    let actor = ctx.actor();
    let fail = |e| ctx.fail(e);
    let following = match actor {
        Some(a) => portail_app::followers::is_following(app, a, &d.id)
            .await
            .map_err(fail)?,
        None => false,
    };
    let (resources, _) = portail_app::community::list(
        app,
        actor,
        portail_app::community::ListRequest {
            dataset: Some(d.id.clone()),
            page: 1,
            page_size: COMMUNITY,
            ..Default::default()
        },
    )
    .await
    .map_err(fail)?;
    let (threads, _) = portail_app::discussions::list(
        app,
        actor,
        portail_app::discussions::ListRequest {
            dataset: Some(d.id.clone()),
            page: 1,
            page_size: DISCUSSIONS,
            ..Default::default()
        },
    )
    .await
    .map_err(fail)?;
    let mut users: Vec<String> = threads
        .iter()
        .flat_map(|t| t.messages.iter().map(|m| m.posted_by.clone()))
        .collect();
    let mut orgs = Vec::new();
    for c in &resources {
        match &c.publisher {
            Publisher::User(id) => users.push(id.clone()),
            Publisher::Organization(id) => orgs.push(id.clone()),
        }
    }
    let people = names(app, &users, &orgs).await?;
    let community: Vec<Json> = resources
        .iter()
        .map(|c| {
            let by = match &c.publisher {
                Publisher::User(id) | Publisher::Organization(id) => name_of(&people, id),
            };
            json!({"id": c.id, "title": c.title, "url": c.url, "format": c.format,
                   "filetype": c.filetype, "filesize": c.filesize,
                   "checksum": c.checksum.as_ref().map(|k| json!({"type": k.kind, "value": k.value})),
                   "description": c.description, "by": by, "created_at": c.created_at})
        })
        .collect();
    let discussions: Vec<Json> = threads
        .iter()
        .map(|t| {
            let messages: Vec<Json> = t
                .messages
                .iter()
                .map(|m| {
                    json!({"by": name_of(&people, &m.posted_by), "posted_on": m.posted_on,
                           "html": markdown::render(&m.content)})
                })
                .collect();
            json!({"id": t.id, "title": t.title, "closed": t.closed_at.is_some(),
                   "closed_at": t.closed_at, "created_at": t.created_at, "messages": messages})
        })
        .collect();
    let mut map = Map::new();
    map.insert("followers".into(), json!(d.metrics.followers));
    map.insert("following".into(), json!(following));
    map.insert("community".into(), json!(community));
    map.insert("discussions".into(), json!(discussions));
    map.insert("can_close".into(), json!(can_edit));
    map.insert(
        "community_form".into(),
        json!({"values": {"title": "", "url": "", "description": "", "format": ""}, "errors": {}}),
    );
    map.insert("community_upload_error".into(), Json::Null);
    map.insert(
        "discussion_form".into(),
        json!({"values": {"title": "", "comment": ""}, "errors": {}}),
    );
    map.insert(
        "comment_form".into(),
        json!({"discussion": Json::Null, "comment": "", "error": Json::Null}),
    );
    Ok(map)
}

/// `POST /datasets/{slug}/follow`: `action=follow|unfollow`.
pub async fn follow_dataset_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let app = &ctx.state.app;
    let done = if form.get("action") == Some("unfollow") {
        portail_app::followers::unfollow(app, &me.actor, &slug).await
    } else {
        portail_app::followers::follow(app, &me.actor, &slug).await
    };
    done.map_err(|e| ctx.fail(e))?;
    Ok(ctx.redirect(&format!("/datasets/{slug}/#follow")))
}

/// `POST /datasets/{slug}/community`: a link proposed by the visitor (`title`, `url`,
/// `description`, `format`).
pub async fn create_community_resource_page(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let app = &ctx.state.app;
    let d = portail_app::datasets::get(app, Some(&me.actor), &slug)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut body = Map::new();
    body.insert("dataset".into(), json!(d.id));
    body.insert("filetype".into(), json!("remote"));
    for key in ["title", "url", "description", "format"] {
        if let Some(v) = form.get(key) {
            body.insert(key.into(), json!(v));
        }
    }
    match portail_app::community::create(app, &me.actor, &body).await {
        Ok(_) => Ok(ctx.redirect(&format!("/datasets/{}/#community", d.slug))),
        Err(e) => match field_errors(&e) {
            Some(errors) => {
                let values = typed_values(&form, &["title", "url", "description", "format"]);
                render_dataset(
                    &ctx,
                    &headers,
                    &slug,
                    StatusCode::BAD_REQUEST,
                    json!({"community_form": {"values": values, "errors": errors}}),
                )
                .await
            }
            None => Err(ctx.fail(e)),
        },
    }
}

/// `POST /datasets/{slug}/community/upload`: a file proposed by the visitor (multipart:
/// `csrf_token` first, then `file`, `title`, `description`), stored like the API's community
/// uploads. A refused file shows the dataset page again with the reason (400).
pub async fn upload_community_resource_page(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult<Response> {
    let me = ctx.require_user()?.clone();
    let multipart = csrf_checked(&ctx, multipart).await?;
    let app = &ctx.state.app;
    let (d, placement) = portail_app::community::authorize_upload(app, &me.actor, &slug)
        .await
        .map_err(|e| ctx.fail(e))?;
    let outcome = match crate::api::files::receive(&ctx.state, &placement, multipart).await {
        Ok(Ok((stored, fields))) => {
            portail_app::community::attach_new(app, &me.actor, &d, stored, fields)
                .await
                .map(|_| ())
        }
        // The page sends whole files; a chunk is answered as the API answers it.
        Ok(Err(chunk)) => return Ok(chunk),
        Err(e) => Err(e.0),
    };
    match outcome {
        Ok(()) => Ok(ctx.redirect(&format!("/datasets/{}/#community", d.slug))),
        Err(e) if is_user_error(&e) => {
            render_dataset(
                &ctx,
                &headers,
                &slug,
                StatusCode::BAD_REQUEST,
                json!({"community_upload_error": error_text(&e)}),
            )
            .await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /datasets/{slug}/discussions`: opens a discussion (`title`, `comment`).
pub async fn create_discussion_page(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let app = &ctx.state.app;
    let d = portail_app::datasets::get(app, Some(&me.actor), &slug)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut body = Map::new();
    body.insert("subject".into(), json!({"class": "Dataset", "id": d.id}));
    for key in ["title", "comment"] {
        body.insert(key.into(), json!(form.get(key).unwrap_or("")));
    }
    match portail_app::discussions::create(app, &me.actor, &body).await {
        Ok(t) => Ok(ctx.redirect(&format!("/datasets/{}/#discussion-{}", d.slug, t.id))),
        Err(e) => match field_errors(&e) {
            Some(errors) => {
                let values = typed_values(&form, &["title", "comment"]);
                render_dataset(
                    &ctx,
                    &headers,
                    &slug,
                    StatusCode::BAD_REQUEST,
                    json!({"discussion_form": {"values": values, "errors": errors}}),
                )
                .await
            }
            None => Err(ctx.fail(e)),
        },
    }
}

/// `POST /datasets/{slug}/discussions/{id}/comment`: `comment`, and `close=on` (the dataset's
/// editors only) to close the discussion.
pub async fn comment_discussion_page(
    ctx: PageCtx,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let app = &ctx.state.app;
    let (thread, d) = portail_app::discussions::get(app, Some(&me.actor), &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    if d.slug != slug && d.id != slug {
        return Err(ctx.fail(AppError::NotFound("Discussion not found".into())));
    }
    let mut body = Map::new();
    if let Some(c) = form.get("comment") {
        body.insert("comment".into(), json!(c));
    }
    body.insert("close".into(), json!(form.get("close").is_some()));
    match portail_app::discussions::comment(app, &me.actor, &thread.id, &body).await {
        Ok(_) => Ok(ctx.redirect(&format!("/datasets/{}/#discussion-{}", d.slug, thread.id))),
        Err(e) => {
            let message = match field_errors(&e) {
                Some(errors) => errors
                    .as_object()
                    .map(|m| {
                        m.values()
                            .filter_map(Json::as_str)
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default(),
                None => match &e {
                    AppError::Forbidden(m) if m.contains("closed") => {
                        tr(ctx.lang, "discussion_is_closed").to_owned()
                    }
                    AppError::Forbidden(_) => tr(ctx.lang, "close_forbidden").to_owned(),
                    _ => return Err(ctx.fail(e)),
                },
            };
            let status = match e {
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::BAD_REQUEST,
            };
            render_dataset(
                &ctx,
                &headers,
                &slug,
                status,
                json!({"comment_form": {"discussion": thread.id,
                       "comment": form.get("comment").unwrap_or(""), "error": message}}),
            )
            .await
        }
    }
}

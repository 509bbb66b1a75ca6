//! Producers' pages of a dataset: `/datasets/{slug}/edit` (metadata, resources: edit, reorder,
//! replace a file, delete), and the confirmation pages of deletions. The dashboard is in
//! `dashboard.rs`.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value as Json, json};

use crate::pages::context::{PageCtx, PageForm, field_errors};
use crate::pages::errors::PageResult;
use crate::pages::i18n::tr;
use crate::pages::publish::{dataset_body, describe_errors, form_values, render_resources};

/// `GET /datasets/{slug}/edit`.
pub async fn edit_dataset_page(ctx: PageCtx, Path(slug): Path<String>) -> PageResult<Response> {
    render_resources(&ctx, "edit.html", &slug, StatusCode::OK, json!({})).await
}

/// `POST /datasets/{slug}/edit`: saves the description.
pub async fn update_dataset_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let body = dataset_body(&form);
    match portail_app::datasets::update(&ctx.state.app, &me.actor, &slug, &body).await {
        Ok(d) => Ok(ctx.redirect(&format!("/datasets/{}/", d.slug))),
        Err(e) => match describe_errors(&e) {
            Some(errors) => {
                render_resources(
                    &ctx,
                    "edit.html",
                    &slug,
                    StatusCode::BAD_REQUEST,
                    json!({"values": form_values(&form), "errors": errors}),
                )
                .await
            }
            None => Err(ctx.fail(e)),
        },
    }
}

/// `POST /datasets/{slug}/resources/{rid}/edit`: title, description, type of a resource.
pub async fn update_resource_page(
    ctx: PageCtx,
    Path((slug, rid)): Path<(String, String)>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let mut body = Map::new();
    body.insert("title".into(), json!(form.get("title").unwrap_or("")));
    body.insert(
        "description".into(),
        match form.get("description") {
            Some(d) => json!(d),
            None => Json::Null,
        },
    );
    if let Some(kind) = form.get("type") {
        body.insert("type".into(), json!(kind));
    }
    match portail_app::resources::update(&ctx.state.app, &me.actor, &slug, &rid, &body).await {
        Ok(_) => Ok(ctx.redirect(&format!("/datasets/{slug}/edit"))),
        Err(e) => match field_errors(&e) {
            Some(errors) => {
                let message = errors
                    .as_object()
                    .map(|m| {
                        m.values()
                            .filter_map(Json::as_str)
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default();
                render_resources(
                    &ctx,
                    "edit.html",
                    &slug,
                    StatusCode::BAD_REQUEST,
                    json!({"upload_error": message}),
                )
                .await
            }
            None => Err(ctx.fail(e)),
        },
    }
}

/// `POST /datasets/{slug}/resources/{rid}/move`: `direction=up|down`.
pub async fn move_resource_page(
    ctx: PageCtx,
    Path((slug, rid)): Path<(String, String)>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let d = portail_app::datasets::load_editable(&ctx.state.app, &me.actor, &slug, false)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut ids: Vec<String> = d.resources.iter().map(|r| r.id.clone()).collect();
    if let Some(at) = ids.iter().position(|id| *id == rid) {
        let to = if form.get("direction") == Some("up") {
            at.checked_sub(1)
        } else {
            Some(at + 1).filter(|t| *t < ids.len())
        };
        if let Some(to) = to {
            ids.swap(at, to);
            portail_app::resources::reorder(&ctx.state.app, &me.actor, &d.id, &json!(ids))
                .await
                .map_err(|e| ctx.fail(e))?;
        }
    }
    Ok(ctx.redirect(&format!("/datasets/{slug}/edit#resources")))
}

/// `GET /datasets/{slug}/resources/{rid}/delete`: the confirmation page.
pub async fn confirm_delete_resource_page(
    ctx: PageCtx,
    Path((slug, rid)): Path<(String, String)>,
) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let d = portail_app::datasets::load_editable(&ctx.state.app, &me.actor, &slug, false)
        .await
        .map_err(|e| ctx.fail(e))?;
    let r = portail_app::resources::find_in(&d, &rid).map_err(|e| ctx.fail(e))?;
    ctx.render(
        "confirm_delete.html",
        json!({"what": "resource", "title": r.title, "dataset": {"slug": d.slug, "title": d.title},
               "action": format!("/datasets/{}/resources/{}/delete", d.slug, r.id),
               "cancel": format!("/datasets/{}/edit", d.slug),
               "heading": tr(ctx.lang, "delete_resource")}),
    )
}

/// `POST /datasets/{slug}/resources/{rid}/delete`.
pub async fn delete_resource_page(
    ctx: PageCtx,
    Path((slug, rid)): Path<(String, String)>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    portail_app::resources::delete(&ctx.state.app, &me.actor, &slug, &rid)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.redirect(&format!("/datasets/{slug}/edit")))
}

/// `GET /datasets/{slug}/delete`: the confirmation page.
pub async fn confirm_delete_dataset_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let d = portail_app::datasets::load_editable(&ctx.state.app, &me.actor, &slug, false)
        .await
        .map_err(|e| ctx.fail(e))?;
    ctx.render(
        "confirm_delete.html",
        json!({"what": "dataset", "title": d.title, "dataset": {"slug": d.slug, "title": d.title},
               "action": format!("/datasets/{}/delete", d.slug),
               "cancel": format!("/datasets/{}/edit", d.slug),
               "heading": tr(ctx.lang, "delete_dataset")}),
    )
}

/// `POST /datasets/{slug}/delete`.
pub async fn delete_dataset_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    portail_app::datasets::delete(&ctx.state.app, &me.actor, &slug)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.redirect("/me/"))
}

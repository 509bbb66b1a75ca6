//! `/harvest/new`: the creation form of a source. Filters and options are rows of selects
//! offering every backend's keys; the use case checks them against the chosen backend, and
//! the form comes back with the error by the filters and everything typed kept.

use axum::http::StatusCode;
use axum::response::Response;
use portail_app::harvest::{self as usecase, SourceInput};
use portail_core::model::OrgRole;
use serde_json::{Map, Value as Json, json};

use super::label;
use crate::extract::Params;
use crate::pages::context::{PageCtx, PageForm, field_errors};
use crate::pages::errors::PageResult;
use crate::pages::i18n::Lang;

/// Filter rows and extra-config rows of the creation form.
const FILTER_ROWS: usize = 3;
const EXTRA_ROWS: usize = 2;

/// Organizations the user may harvest for (those they administer).
async fn publisher_choices(ctx: &PageCtx) -> PageResult<Vec<Json>> {
    let me = ctx.require_user()?;
    let ids: Vec<String> = me
        .actor
        .organization_ids()
        .into_iter()
        .filter(|id| me.actor.role_in(id) == Some(OrgRole::Admin))
        .collect();
    let orgs = portail_db::organizations::find_many(&ctx.state.app.db, &ids).await?;
    Ok(orgs
        .iter()
        .map(|o| json!({"id": o.id, "name": o.name}))
        .collect())
}

fn backend_choices(lang: Lang) -> Json {
    let list: Vec<Json> = usecase::backends()
        .into_iter()
        .map(|b| {
            json!({
                "id": b.id,
                "label": b.label,
                "description": label(lang, "harvest_backend_", b.id),
                "filters": b.filters,
                "extra_configs": b.extra_configs,
            })
        })
        .collect();
    Json::Array(list)
}

/// What the creation form shows: what was typed, or the defaults.
fn form_values(form: Option<&Params>) -> Json {
    let v = |k: &str| form.and_then(|f| f.get(k)).unwrap_or("").to_owned();
    let filters: Vec<Json> = (0..FILTER_ROWS)
        .map(|i| {
            json!({"key": v(&format!("filter_key_{i}")), "value": v(&format!("filter_value_{i}")),
                   "exclude": !v(&format!("filter_exclude_{i}")).is_empty()})
        })
        .collect();
    let extras: Vec<Json> = (0..EXTRA_ROWS)
        .map(|i| json!({"key": v(&format!("extra_key_{i}")), "value": v(&format!("extra_value_{i}"))}))
        .collect();
    json!({
        "name": v("name"), "url": v("url"),
        "backend": form.map_or_else(|| "ckan".to_owned(), |_| v("backend")),
        "publisher": form.map_or_else(|| "me".to_owned(), |_| v("publisher")),
        "schedule": v("schedule"), "description": v("description"),
        "autoarchive": form.is_none_or(|f| f.get("autoarchive").is_some()),
        "filters": filters, "extras": extras,
    })
}

async fn render_new(
    ctx: &PageCtx,
    status: StatusCode,
    values: Json,
    errors: Json,
) -> PageResult<Response> {
    let orgs = publisher_choices(ctx).await?;
    ctx.render_status(
        status,
        "harvest_new.html",
        json!({"values": values, "errors": errors, "orgs": orgs,
               "backends": backend_choices(ctx.lang)}),
    )
}

/// `GET /harvest/new`.
pub async fn new_harvest_source_page(ctx: PageCtx) -> PageResult<Response> {
    ctx.require_user()?;
    render_new(&ctx, StatusCode::OK, form_values(None), json!({})).await
}

/// The API body of the creation form: the filters and extra configs of its rows.
fn source_body(form: &Params) -> Map<String, Json> {
    let v = |k: &str| form.get(k).unwrap_or("").trim().to_owned();
    let mut body = Map::new();
    for key in ["name", "url", "backend", "description", "schedule"] {
        body.insert(key.into(), json!(v(key)));
    }
    let publisher = v("publisher");
    if !publisher.is_empty() && publisher != "me" {
        body.insert("organization".into(), json!(publisher));
    }
    body.insert(
        "autoarchive".into(),
        json!(form.get("autoarchive").is_some()),
    );
    let filters: Vec<Json> = (0..FILTER_ROWS)
        .filter_map(|i| {
            let key = v(&format!("filter_key_{i}"));
            let value = v(&format!("filter_value_{i}"));
            if key.is_empty() || value.is_empty() {
                return None;
            }
            let mut filter = json!({"key": key, "value": value});
            if form.get(&format!("filter_exclude_{i}")).is_some() {
                filter["type"] = json!("exclude");
            }
            Some(filter)
        })
        .collect();
    let extras: Vec<Json> = (0..EXTRA_ROWS)
        .filter_map(|i| {
            let key = v(&format!("extra_key_{i}"));
            let value = v(&format!("extra_value_{i}"));
            (!key.is_empty() && !value.is_empty()).then(|| json!({"key": key, "value": value}))
        })
        .collect();
    body.insert(
        "config".into(),
        json!({"filters": filters, "extra_configs": extras}),
    );
    body
}

/// `POST /harvest/new`: creates the source, pending validation.
pub async fn create_harvest_source_page(
    ctx: PageCtx,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let body = source_body(&form);
    let created = match SourceInput::parse(&body, true) {
        Ok(input) => usecase::create(&ctx.state.app, &me.actor, input).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(source) => Ok(ctx.redirect(&format!("/harvest/{}/", source.id))),
        Err(e) => match field_errors(&e) {
            Some(mut errors) => {
                // The form calls "publisher" what the use case calls "organization".
                if let Some(map) = errors.as_object_mut()
                    && let Some(message) = map.remove("organization")
                {
                    map.insert("publisher".into(), message);
                }
                render_new(
                    &ctx,
                    StatusCode::BAD_REQUEST,
                    form_values(Some(&form)),
                    errors,
                )
                .await
            }
            None => Err(ctx.fail(e)),
        },
    }
}

//! Producers' dashboards ("Faire vivre son jeu de données"): `/datasets/{slug}/dashboard`
//! (coverage, availability and downloads per resource, reuses, discussions, followers,
//! community resources, audience with charts, the six questions, udata's quality, transfers)
//! and `/me/datasets` (every dataset the visitor can edit, those needing attention first).

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use portail_core::model::{Publisher, Resource};
use portail_core::quality;
use portail_core::questions::Question;
use serde_json::{Map, Value as Json, json};

use crate::extract::{Params, base_url_from};
use crate::pages::charts::{bar_chart, fill_months};
use crate::pages::context::PageCtx;
use crate::pages::errors::PageResult;
use crate::pages::i18n::{Lang, tr};
use crate::pages::names::{name_of, names};

/// How many reuses, discussions, followers and community resources the dashboard lists.
const LISTED: i64 = 10;

/// `GET /datasets/{slug}/dashboard`.
pub async fn dataset_dashboard_page(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    params: Params,
) -> PageResult<Response> {
    let notice = params
        .get("transfer")
        .map(|_| tr(ctx.lang, "transfer_requested"));
    render_dashboard(
        &ctx,
        &headers,
        &slug,
        StatusCode::OK,
        json!({"notice": notice}),
    )
    .await
}

/// The availability of a resource from the link checker's `check:*` extras.
fn availability(r: &Resource) -> Json {
    let status = match r.extras.get("check:available").and_then(Json::as_bool) {
        Some(true) => "available",
        Some(false) => "broken",
        None => "unchecked",
    };
    json!({
        "status": status,
        "date": r.extras.get("check:date").and_then(Json::as_str),
        "http_status": r.extras.get("check:status").and_then(Json::as_i64),
        "error": r.extras.get("check:error").and_then(Json::as_str),
    })
}

/// A question in the page's language.
pub fn question_view(q: &Question, lang: Lang) -> Json {
    let (question, hint) = match lang {
        Lang::Fr => (q.question_fr, q.hint_fr.as_str()),
        Lang::En => (q.question_en, q.hint_en.as_str()),
    };
    json!({"id": q.id, "question": question, "hint": hint, "ok": q.ok})
}

/// A chart and the table of the same figures.
fn series_view(
    lang: Lang,
    id: &str,
    title: &str,
    series: &std::collections::BTreeMap<String, i64>,
) -> Json {
    let months = fill_months(series);
    let svg = bar_chart(id, title, &months, tr(lang, "no_data"));
    let rows: Vec<Json> = months
        .iter()
        .map(|(m, n)| json!({"month": m, "count": n}))
        .collect();
    json!({"svg": svg, "rows": rows, "total": series.values().sum::<i64>()})
}

/// Renders the dashboard with `extra` values (the transfer form's values and errors).
pub async fn render_dashboard(
    ctx: &PageCtx,
    headers: &HeaderMap,
    slug: &str,
    status: StatusCode,
    extra: Json,
) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let app = &ctx.state.app;
    let actor = Some(&me.actor);
    let d = portail_app::datasets::load_editable(app, &me.actor, slug, false)
        .await
        .map_err(|e| ctx.fail(e))?;
    let base = base_url_from(&ctx.state, headers);
    let mut views = crate::pages::catalog::dataset_views(
        &ctx.state,
        &base,
        actor,
        ctx.lang,
        std::slice::from_ref(&d),
        false,
    )
    .await?;
    let mut view = views.pop().unwrap_or(Json::Null);
    if let Some(Json::Array(list)) = view.get_mut("resources") {
        for (r, source) in list.iter_mut().zip(&d.resources) {
            if let Json::Object(r) = r {
                r.insert("availability".into(), availability(source));
            }
        }
    }
    let q = quality::compute(&d, app.clock.now());
    let criteria: Vec<Json> = [
        ("q_license", Some(q.license)),
        ("q_temporal_coverage", Some(q.temporal_coverage)),
        ("q_spatial", Some(q.spatial)),
        ("q_update_frequency", Some(q.update_frequency)),
        ("q_update_fulfilled_in_time", q.update_fulfilled_in_time),
        (
            "q_dataset_description_quality",
            Some(q.dataset_description_quality),
        ),
        ("q_has_resources", Some(q.has_resources)),
        ("q_has_open_format", q.has_open_format),
        ("q_all_resources_available", q.all_resources_available),
        ("q_resources_documentation", q.resources_documentation),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.map(|ok| json!({"label": tr(ctx.lang, key), "ok": ok})))
    .collect();
    let total_downloads: i64 = d.resources.iter().map(|r| r.downloads).sum();
    let fail = |e| ctx.fail(e);
    let (_, questions) = portail_app::overview::questions(app, actor, &d.id)
        .await
        .map_err(fail)?;
    let questions: Vec<Json> = questions
        .iter()
        .map(|q| question_view(q, ctx.lang))
        .collect();
    let downloads = portail_app::overview::downloads_by_month(app, actor, &d.id)
        .await
        .map_err(fail)?;
    let audience = portail_app::overview::views_by_month(app, &d)
        .await
        .map_err(fail)?;
    let (reuses, reuses_total) = portail_app::reuses::list(
        app,
        actor,
        portail_app::reuses::ListRequest {
            dataset: Some(d.id.clone()),
            page: 1,
            page_size: LISTED,
            ..Default::default()
        },
    )
    .await
    .map_err(fail)?;
    let (discussions, _) = portail_app::discussions::list(
        app,
        actor,
        portail_app::discussions::ListRequest {
            dataset: Some(d.id.clone()),
            page: 1,
            page_size: LISTED,
            ..Default::default()
        },
    )
    .await
    .map_err(fail)?;
    let (followers, followers_total) = portail_app::followers::list(app, actor, &d.id, 1, LISTED)
        .await
        .map_err(fail)?;
    let (community, community_total) = portail_app::community::list(
        app,
        actor,
        portail_app::community::ListRequest {
            dataset: Some(d.id.clone()),
            page: 1,
            page_size: LISTED,
            ..Default::default()
        },
    )
    .await
    .map_err(fail)?;
    let transfers = portail_app::transfers::list(app, &me.actor, Some(d.id.clone()), None, None)
        .await
        .map_err(fail)?;
    let transfers = crate::pages::transfers::transfer_views(ctx, &transfers).await?;
    let follower_ids: Vec<String> = followers.iter().map(|(id, _)| id.clone()).collect();
    let people = names(app, &follower_ids, &[]).await?;
    let (owner_kind, owner_id) = match &d.publisher {
        Publisher::Organization(id) => ("Organization", id.as_str()),
        Publisher::User(id) => ("User", id.as_str()),
    };
    let mut values = json!({
        "dataset": view, "criteria": criteria,
        "score_percent": (q.score * 100.0).round() as i64,
        "total_downloads": total_downloads,
        "questions": questions,
        "downloads_chart": series_view(ctx.lang, "downloads-chart", tr(ctx.lang, "downloads_by_month"), &downloads),
        "views_chart": series_view(ctx.lang, "views-chart", tr(ctx.lang, "views_by_month"), &audience),
        "views_total": d.metrics.views,
        "reuses": reuses.iter().map(|r| json!({"title": r.title, "url": r.url, "kind": r.kind})).collect::<Vec<_>>(),
        "reuses_total": reuses_total,
        "discussions": discussions.iter().map(|t| json!({
            "id": t.id, "title": t.title, "closed": t.closed_at.is_some(),
            "created_at": t.created_at, "comments": t.messages.len(),
        })).collect::<Vec<_>>(),
        "discussions_total": d.metrics.discussions,
        "discussions_open": d.metrics.discussions_open,
        "followers": follower_ids.iter().map(|id| name_of(&people, id)).collect::<Vec<_>>(),
        "followers_total": followers_total,
        "community": community.iter().map(|c| json!({"title": c.title, "url": c.url, "format": c.format})).collect::<Vec<_>>(),
        "community_total": community_total,
        "transfers": transfers,
        "can_transfer": portail_app::transfers::speaks_for(&me.actor, owner_kind, owner_id),
        "notice": Json::Null,
        "transfer_error": Json::Null,
        "transfer_values": {"recipient_kind": "user", "recipient": "", "comment": ""},
    });
    if let (Json::Object(values), Json::Object(extra)) = (&mut values, extra) {
        values.extend(extra);
    }
    ctx.render_status(status, "dashboard.html", values)
}

/// `GET /me/datasets`: the datasets the visitor can edit, those needing attention first.
pub async fn my_datasets_page(ctx: PageCtx) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let list = portail_app::overview::attention(&ctx.state.app, &me.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let datasets: Vec<Json> = list
        .iter()
        .map(|a| {
            let reasons: Vec<&str> = a
                .reasons
                .iter()
                .map(|r| tr(ctx.lang, &format!("reason_{r}")))
                .collect();
            let todo: Vec<Json> = a
                .questions
                .iter()
                .filter(|q| q.ok == Some(false))
                .map(|q| question_view(q, ctx.lang))
                .collect();
            let mut m = Map::new();
            m.insert("title".into(), json!(a.dataset.title));
            m.insert("slug".into(), json!(a.dataset.slug));
            m.insert("private".into(), json!(a.dataset.private));
            m.insert("reasons".into(), json!(reasons));
            m.insert("todo".into(), json!(todo));
            m.insert(
                "score_percent".into(),
                json!((a.score * 100.0).round() as i64),
            );
            Json::Object(m)
        })
        .collect();
    ctx.render("my_datasets.html", json!({"datasets": datasets}))
}

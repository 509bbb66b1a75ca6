//! Browsing the catalog: `/`, `/datasets/` (search with facets), `/datasets/{slug}/`,
//! `/organizations/`, `/organizations/{slug}/`, `/users/{slug}/`.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use portail_core::frequency::parse_frequency;
use portail_core::licenses::find_license;
use portail_core::model::Dataset;
use portail_core::permissions::Actor;
use portail_core::reference::{GRANULARITIES, find_choice};
use portail_db::datasets::{DatasetQuery, Viewer};
use serde_json::{Value as Json, json};

use crate::api::datasets::view_ctx;
use crate::api::search::{label_facets, search_query};
use crate::extract::{Params, base_url_from};
use crate::pages::context::PageCtx;
use crate::pages::errors::PageResult;
use crate::pages::i18n::Lang;
use crate::pages::markdown;
use crate::paging::PageRequest;
use crate::state::AppState;
use crate::views::{ApiDataset, ApiResources};

/// Results per search page.
const PAGE_SIZE: i64 = 20;

/// A file size for people: `12.3 kB`.
pub fn human_size(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Datasets as the templates see them: the API's v1 shape plus labels in the page's language
/// and the description rendered from Markdown.
pub async fn dataset_views(
    state: &AppState,
    base: &str,
    actor: Option<&Actor>,
    lang: Lang,
    datasets: &[Dataset],
    with_description: bool,
) -> PageResult<Vec<Json>> {
    let refs: Vec<&Dataset> = datasets.iter().collect();
    let ctx = view_ctx(state, base, actor, &refs)
        .await
        .map_err(|e| crate::pages::errors::PageError::App(e.0, lang))?;
    let mut out = Vec::with_capacity(datasets.len());
    for d in datasets {
        let view = ApiDataset::v1(d, &ctx);
        let resources = match &view.resources {
            ApiResources::Embedded(list) => list.len(),
            ApiResources::Link(_) => 0,
        };
        let mut value = serde_json::to_value(&view).unwrap_or(Json::Null);
        if let Json::Object(map) = &mut value {
            let license = find_license(&d.license);
            map.insert(
                "license_title".into(),
                json!(license.map_or(d.license.as_str(), |l| l.title)),
            );
            map.insert("license_url".into(), json!(license.and_then(|l| l.url)));
            map.insert(
                "frequency_label".into(),
                json!(parse_frequency(&d.frequency).map(|f| f.label(lang.code()))),
            );
            map.insert(
                "granularity_label".into(),
                json!(
                    d.spatial
                        .as_ref()
                        .and_then(|s| s.granularity.as_deref())
                        .and_then(|g| find_choice(GRANULARITIES, g))
                        .map(|c| c.label(lang.code()))
                ),
            );
            map.insert("resource_count".into(), json!(resources));
            map.insert(
                "excerpt".into(),
                json!(
                    d.description_short
                        .clone()
                        .unwrap_or_else(|| markdown::plain_text(&d.description, 260))
                ),
            );
            if with_description {
                map.insert(
                    "description_html".into(),
                    json!(markdown::render(&d.description)),
                );
            }
            if let Some(Json::Array(list)) = map.get_mut("resources") {
                for (r, source) in list.iter_mut().zip(&d.resources) {
                    if let Json::Object(r) = r {
                        r.insert("size_human".into(), json!(source.filesize.map(human_size)));
                        r.insert("downloads".into(), json!(source.downloads));
                        r.insert(
                            "type_label".into(),
                            json!(
                                find_choice(portail_core::reference::RESOURCE_TYPES, &source.kind)
                                    .map_or(source.kind.as_str(), |c| c.label(lang.code()))
                            ),
                        );
                    }
                }
            }
        }
        out.push(value);
    }
    Ok(out)
}

/// The landing page: search box, figures, featured and recent datasets.
pub async fn home(ctx: PageCtx, headers: HeaderMap) -> PageResult<Response> {
    let state = &ctx.state;
    let base = base_url_from(state, &headers);
    let recent_query = DatasetQuery {
        page: 1,
        page_size: 6,
        viewer: Viewer::Anonymous,
        sort: Some("-created".into()),
        ..DatasetQuery::default()
    };
    let (recent, total) = portail_app::datasets::list(&state.app, &recent_query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let featured_query = DatasetQuery {
        featured: Some(true),
        page_size: 3,
        ..recent_query
    };
    let (featured, _) = portail_app::datasets::list(&state.app, &featured_query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let (_, organizations) = portail_app::catalog::public_counts(&state.app)
        .await
        .map_err(|e| ctx.fail(e))?;
    let recent = dataset_views(state, &base, None, ctx.lang, &recent, false).await?;
    let featured = dataset_views(state, &base, None, ctx.lang, &featured, false).await?;
    ctx.render(
        "home.html",
        json!({
            "recent": recent,
            "featured": featured,
            "total_datasets": total,
            "total_organizations": organizations,
        }),
    )
}

/// The facets shown on the search page, in order.
const PAGE_FACETS: &[(&str, &str, &str)] = &[
    ("organization", "organization", "facet_organization"),
    ("tags", "tag", "facet_tag"),
    ("license", "license", "facet_license"),
    ("format", "format", "facet_format"),
    ("frequency", "frequency", "facet_frequency"),
];

/// `/datasets/`: full-text search with facets and paging.
pub async fn search_datasets_page(
    ctx: PageCtx,
    headers: HeaderMap,
    params: Params,
) -> PageResult<Response> {
    let state = &ctx.state;
    let base = base_url_from(state, &headers);
    let page = params
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(crate::api::search::MAX_SEARCH_DEPTH / PAGE_SIZE);
    let request = PageRequest {
        page,
        page_size: PAGE_SIZE,
    };
    // Only the filters a page offers; anything else in the query string is ignored.
    let mut allowed = Params(
        params
            .0
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "q" | "tag" | "organization" | "license" | "format" | "frequency" | "sort"
                )
            })
            .cloned()
            .collect(),
    );
    if allowed
        .get("sort")
        .is_some_and(|s| !matches!(s, "-created" | "title"))
    {
        allowed.0.retain(|(k, _)| k != "sort");
    }
    let actor = ctx.actor();
    let query = search_query(state, &allowed, actor, request)
        .await
        .map_err(|e| ctx.fail(e.0))?;
    let facet_names: Vec<&'static str> = PAGE_FACETS.iter().map(|(n, _, _)| *n).collect();
    let (datasets, total, facets) = match query {
        None => (Vec::new(), 0, Json::Object(Default::default())),
        Some(query) => {
            let (datasets, hits) =
                portail_app::search::search_datasets(&state.app, actor, query, facet_names)
                    .await
                    .map_err(|e| ctx.fail(e))?;
            let labelled = label_facets(state, hits.facets, ctx.lang.code())
                .await
                .map_err(|e| ctx.fail(e.0))?;
            (
                datasets,
                hits.total,
                serde_json::to_value(labelled).unwrap_or(Json::Null),
            )
        }
    };
    let views = dataset_views(state, &base, actor, ctx.lang, &datasets, false).await?;
    let facet_blocks: Vec<Json> = PAGE_FACETS
        .iter()
        .map(|(name, param, label)| {
            let selected = allowed.all(param);
            let values: Vec<Json> = facets
                .get(*name)
                .and_then(Json::as_array)
                .map(|vals| {
                    vals.iter()
                        .take(10)
                        .map(|v| {
                            let id = v.get("id").and_then(Json::as_str).unwrap_or_default();
                            let active = selected.iter().any(|s| s == id);
                            json!({
                                "id": id,
                                "label": v.get("label"),
                                "count": v.get("count"),
                                "active": active,
                                "href": format!("/datasets/?{}", if active {
                                    without(&allowed, param, id)
                                } else {
                                    with_added(&allowed, param, id)
                                }),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({"name": name, "label": label, "values": values})
        })
        .collect();
    let total_i64 = i64::try_from(total).unwrap_or(i64::MAX);
    let last_page = ((total_i64 + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let link = |p: i64| format!("/datasets/?{}", allowed.with("page", &p.to_string()));
    ctx.render(
        "datasets.html",
        json!({
            "q": allowed.get("q").unwrap_or(""),
            "sort": allowed.get("sort").unwrap_or(""),
            "hidden_filters": allowed.0.iter().filter(|(k, _)| k != "q" && k != "sort" && k != "page")
                .map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "datasets": views,
            "total": total,
            "facets": facet_blocks,
            "page": page,
            "last_page": last_page,
            "prev_href": (page > 1).then(|| link(page - 1)),
            "next_href": (page < last_page).then(|| link(page + 1)),
            "has_filters": allowed.0.iter().any(|(k, _)| k != "sort"),
        }),
    )
}

fn with_added(params: &Params, key: &str, value: &str) -> String {
    let mut pairs: Vec<(String, String)> = params
        .0
        .iter()
        .filter(|(k, _)| k != "page")
        .cloned()
        .collect();
    pairs.push((key.to_owned(), value.to_owned()));
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

fn without(params: &Params, key: &str, value: &str) -> String {
    let pairs: Vec<(String, String)> = params
        .0
        .iter()
        .filter(|(k, v)| k != "page" && !(k == key && v == value))
        .cloned()
        .collect();
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

/// schema.org `Dataset` of a dataset page, as JSON-LD.
fn json_ld(view: &Json, base: &str) -> Json {
    let get = |k: &str| view.get(k).cloned().unwrap_or(Json::Null);
    let publisher = match (view.get("organization"), view.get("owner")) {
        (Some(o), _) if !o.is_null() => {
            json!({"@type": "Organization", "name": o.get("name")})
        }
        (_, Some(u)) if !u.is_null() => json!({"@type": "Person", "name": format!(
            "{} {}",
            u.get("first_name").and_then(Json::as_str).unwrap_or_default(),
            u.get("last_name").and_then(Json::as_str).unwrap_or_default()
        ).trim()}),
        _ => Json::Null,
    };
    let distribution: Vec<Json> = view
        .get("resources")
        .and_then(Json::as_array)
        .map(|list| {
            list.iter()
                .map(|r| {
                    json!({
                        "@type": "DataDownload",
                        "name": r.get("title"),
                        "contentUrl": r.get("latest"),
                        "encodingFormat": r.get("format"),
                        "contentSize": r.get("filesize"),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let coverage = view
        .get("temporal_coverage")
        .filter(|c| !c.is_null())
        .map(|c| {
            format!(
                "{}/{}",
                c.get("start").and_then(Json::as_str).unwrap_or(".."),
                c.get("end").and_then(Json::as_str).unwrap_or("..")
            )
        });
    json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": get("title"),
        "alternateName": get("acronym"),
        "description": get("description"),
        "url": format!("{base}/datasets/{}/", view.get("slug").and_then(Json::as_str).unwrap_or_default()),
        "identifier": get("id"),
        "keywords": get("tags"),
        "license": view.get("license_url").filter(|u| !u.is_null()).cloned().unwrap_or_else(|| get("license_title")),
        "dateCreated": get("created_at"),
        "dateModified": get("last_modified"),
        "temporalCoverage": coverage,
        "publisher": publisher,
        "creator": publisher,
        "distribution": distribution,
        "isAccessibleForFree": true,
    })
}

/// `/datasets/{slug}/`: every piece of metadata, the resources, JSON-LD, and the community
/// (followers, community resources, discussions).
pub async fn get_dataset_page(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> PageResult<Response> {
    let page = render_dataset(&ctx, &headers, &slug, StatusCode::OK, json!({})).await?;
    // A visit of the page is a view, like a read through the API (udata counts visits).
    ctx.state.downloads.count_view(&slug);
    Ok(page)
}

/// Renders the dataset page with `extra` values (a community form's values and errors).
pub async fn render_dataset(
    ctx: &PageCtx,
    headers: &HeaderMap,
    slug: &str,
    status: StatusCode,
    extra: Json,
) -> PageResult<Response> {
    let state = &ctx.state;
    let base = base_url_from(state, headers);
    let actor = ctx.actor();
    let dataset = portail_app::datasets::get(&state.app, actor, slug)
        .await
        .map_err(|e| ctx.fail(e))?;
    let can_edit =
        portail_core::permissions::can_edit_dataset(actor, &dataset.id, &dataset.publisher);
    let mut views = dataset_views(
        state,
        &base,
        actor,
        ctx.lang,
        std::slice::from_ref(&dataset),
        true,
    )
    .await?;
    let view = views.pop().unwrap_or(Json::Null);
    let ld = json_ld(&view, &base);
    let mut values = crate::pages::community::community_values(ctx, &dataset, can_edit).await?;
    values.insert("dataset".into(), view);
    values.insert("json_ld".into(), ld);
    values.insert("can_edit".into(), json!(can_edit));
    if let Json::Object(extra) = extra {
        values.extend(extra);
    }
    ctx.render_status(status, "dataset.html", Json::Object(values))
}

/// `/organizations/`: the organizations, by name.
pub async fn list_organizations_page(ctx: PageCtx, params: Params) -> PageResult<Response> {
    let page = params
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let (orgs, total) = portail_db::organizations::list(
        &ctx.state.app.db,
        &portail_db::organizations::OrgQuery {
            sort: Some("name".into()),
            page,
            page_size: 50,
            ..Default::default()
        },
    )
    .await?;
    let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let counts: std::collections::HashMap<String, i64> =
        portail_db::organizations::dataset_counts(&ctx.state.app.db, &ids)
            .await?
            .into_iter()
            .collect();
    let items: Vec<Json> = orgs
        .iter()
        .map(|o| {
            json!({
                "slug": o.slug, "name": o.name, "acronym": o.acronym,
                "excerpt": markdown::plain_text(&o.description, 200),
                "datasets": counts.get(&o.id).copied().unwrap_or(0),
            })
        })
        .collect();
    let last_page = ((total + 49) / 50).max(1);
    ctx.render(
        "organizations.html",
        json!({
            "organizations": items, "total": total, "page": page,
            "prev_href": (page > 1).then(|| format!("/organizations/?page={}", page - 1)),
            "next_href": (page < last_page).then(|| format!("/organizations/?page={}", page + 1)),
        }),
    )
}

/// `/organizations/{slug}/`: an organization, its members and its datasets.
pub async fn get_organization_page(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> PageResult<Response> {
    let state = &ctx.state;
    let base = base_url_from(state, &headers);
    let org = portail_app::organizations::get(&state.app, &slug)
        .await
        .map_err(|e| ctx.fail(e))?;
    let actor = ctx.actor();
    let query = DatasetQuery {
        organization_id: Some(org.id.clone()),
        page: 1,
        page_size: 50,
        viewer: portail_app::datasets::viewer(actor),
        sort: Some("-created".into()),
        ..DatasetQuery::default()
    };
    let (datasets, total) = portail_app::datasets::list(&state.app, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let views = dataset_views(state, &base, actor, ctx.lang, &datasets, false).await?;
    let members = portail_app::organizations::members(&state.app, &org)
        .await
        .map_err(|e| ctx.fail(e))?;
    let members: Vec<Json> = members
        .iter()
        .map(|(m, u)| {
            json!({"slug": u.slug, "name": format!("{} {}", u.first_name, u.last_name).trim(), "role": m.role.as_str()})
        })
        .collect();
    let is_admin = portail_core::permissions::can_admin_organization(actor, &org.id);
    ctx.render(
        "organization.html",
        json!({
            "org": {"slug": org.slug, "name": org.name, "acronym": org.acronym, "url": org.url,
                    "description_html": markdown::render(&org.description)},
            "datasets": views, "total": total, "members": members, "is_admin": is_admin,
        }),
    )
}

/// `/users/{slug}/`: a user's public profile and datasets.
pub async fn get_user_page(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> PageResult<Response> {
    let state = &ctx.state;
    let base = base_url_from(state, &headers);
    let user = portail_app::users::get(&state.app, &slug)
        .await
        .map_err(|e| ctx.fail(e))?;
    let actor = ctx.actor();
    let query = DatasetQuery {
        owner_id: Some(user.id.clone()),
        page: 1,
        page_size: 50,
        viewer: portail_app::datasets::viewer(actor),
        sort: Some("-created".into()),
        ..DatasetQuery::default()
    };
    let (datasets, _) = portail_app::datasets::list(&state.app, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let views = dataset_views(state, &base, actor, ctx.lang, &datasets, false).await?;
    ctx.render(
        "user.html",
        json!({
            "profile": {"slug": user.slug, "name": format!("{} {}", user.first_name, user.last_name).trim(),
                        "about_html": user.about.as_deref().map(markdown::render), "website": user.website,
                        "since": user.created_at},
            "datasets": views,
        }),
    )
}

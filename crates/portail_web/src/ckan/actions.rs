//! One function per CKAN action. They read parameters, call the use cases and map the
//! results with `views`; visibility is the use cases' (a key gives its user's view).

use std::collections::HashMap;

use portail_app::catalog;
use portail_app::datasets as usecase;
use portail_core::licenses::{LICENSES, find_license};
use portail_core::model::Dataset;
use portail_db::catalog::Facet;
use portail_db::datasets::{DatasetQuery, TermField, TermFilter, Viewer};
use portail_db::organizations::{self, OrgQuery};
use serde_json::{Map, Value, json};

use super::query::{self, bool_param, natural_param, text_param};
use super::views::{CkanLicense, CkanOrganization, CkanPackage, CkanTag};
use super::{CKAN_VERSION, Call, CkanError, CkanResult};
use crate::api::datasets::view_ctx;

/// Runs `action`; unknown names are CKAN's 400.
pub async fn dispatch(call: &Call<'_>, action: &str) -> CkanResult<Value> {
    match action {
        "package_list" => package_list(call).await,
        "package_search" => package_search(call).await,
        "package_show" => package_show(call).await,
        "organization_list" => organization_list(call).await,
        "organization_show" => organization_show(call).await,
        // Portail has no groups: an empty list, and no group to show.
        "group_list" => Ok(json!([])),
        "group_show" => Err(CkanError::NotFound("Group was not found".into())),
        "tag_list" => tag_list(call).await,
        "license_list" => Ok(license_list()),
        "status_show" => Ok(status_show(call)),
        "site_read" => Ok(Value::Bool(true)),
        other => Err(CkanError::BadRequest(format!(
            "Action name not known: {other}"
        ))),
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> CkanResult<Value> {
    serde_json::to_value(value).map_err(|e| {
        CkanError::Internal(portail_app::AppError::Internal(format!(
            "cannot serialize: {e}"
        )))
    })
}

async fn packages(call: &Call<'_>, datasets: &[Dataset]) -> CkanResult<Vec<CkanPackage>> {
    let refs: Vec<&Dataset> = datasets.iter().collect();
    let ctx = view_ctx(call.state, call.base, call.actor(), &refs)
        .await
        .map_err(|e| CkanError::from(e.0))?;
    Ok(datasets.iter().map(|d| CkanPackage::new(d, &ctx)).collect())
}

/// Names of the public datasets, by name; `limit`/`offset` page them (no limit: all).
async fn package_list(call: &Call<'_>) -> CkanResult<Value> {
    let limit = natural_param(call.params, "limit")?;
    let offset = natural_param(call.params, "offset")?.unwrap_or(0);
    let names = catalog::public_slugs(&call.state.app, offset, limit).await?;
    Ok(json!(names))
}

/// The search, with CKAN's `{count, sort, facets, results, search_facets}`.
async fn package_search(call: &Call<'_>) -> CkanResult<Value> {
    let search = query::package_search_query(call.params, usecase::viewer(call.actor()))?;
    let app = &call.state.app;
    let count = usecase::count(app, &search.query).await?;
    let datasets = if count > search.query.offset.unwrap_or(0) && search.query.page_size > 0 {
        usecase::page(app, &search.query).await?
    } else {
        Vec::new()
    };
    let results = packages(call, &datasets).await?;

    let mut facets = Map::new();
    let mut search_facets = Map::new();
    for field in &search.facet_fields {
        let items = facet_items(call, &search.query, field, search.facet_limit).await?;
        let items: Vec<(String, String, i64)> = items
            .into_iter()
            .filter(|(_, _, n)| *n >= search.facet_mincount)
            .collect();
        facets.insert(
            field.clone(),
            Value::Object(
                items
                    .iter()
                    .map(|(name, _, n)| (name.clone(), json!(n)))
                    .collect(),
            ),
        );
        let mut listed = items;
        // CKAN lists facet items by display name, descending.
        listed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
        search_facets.insert(
            field.clone(),
            json!({
                "title": field,
                "items": listed.iter().map(|(name, display, n)| json!({"name": name, "display_name": display, "count": n})).collect::<Vec<_>>(),
            }),
        );
    }
    Ok(json!({
        "count": count,
        "sort": search.sort,
        "facets": facets,
        "results": to_value(&results)?,
        "search_facets": search_facets,
    }))
}

/// `(name, display name, count)` of one facet field over the query.
async fn facet_items(
    call: &Call<'_>,
    query: &DatasetQuery,
    field: &str,
    limit: Option<i64>,
) -> CkanResult<Vec<(String, String, i64)>> {
    let facet = match field {
        "tags" => Facet::Tag,
        "organization" => Facet::Organization,
        "res_format" => Facet::Format,
        "license_id" => Facet::License,
        _ => return Ok(Vec::new()),
    };
    let counts = catalog::facets(&call.state.app, query, facet, limit).await?;
    Ok(match facet {
        Facet::Organization => {
            let ids: Vec<String> = counts.iter().map(|(id, _)| id.clone()).collect();
            let orgs: HashMap<String, portail_core::model::Organization> =
                organizations::find_many(&call.state.app.db, &ids)
                    .await?
                    .into_iter()
                    .map(|o| (o.id.clone(), o))
                    .collect();
            counts
                .into_iter()
                .filter_map(|(id, n)| orgs.get(&id).map(|o| (o.slug.clone(), o.name.clone(), n)))
                .collect()
        }
        Facet::License => counts
            .into_iter()
            .map(|(id, n)| {
                let title = find_license(&id).map_or_else(|| id.clone(), |l| l.title.to_owned());
                (id, title, n)
            })
            .collect(),
        Facet::Tag | Facet::Format => counts.into_iter().map(|(v, n)| (v.clone(), v, n)).collect(),
    })
}

/// One dataset by id or name.
async fn package_show(call: &Call<'_>) -> CkanResult<Value> {
    let id = text_param(call.params, "id")
        .or_else(|| text_param(call.params, "name_or_id"))
        .ok_or_else(|| CkanError::field("id", "Missing value"))?;
    let dataset = usecase::get(&call.state.app, call.actor(), &id).await?;
    let mut list = packages(call, std::slice::from_ref(&dataset)).await?;
    let package = list
        .pop()
        .ok_or_else(|| CkanError::NotFound("Not found".into()))?;
    to_value(&package)
}

/// Largest `limit` of `organization_list` (CKAN's `ckan.group_and_organization_list_max`).
const ORG_LIST_MAX: i64 = 1000;
/// Largest `limit` with `all_fields` (CKAN's `..._all_fields_max`).
const ORG_LIST_ALL_FIELDS_MAX: i64 = 25;

/// Organizations: names, or dicts with `all_fields`.
async fn organization_list(call: &Call<'_>) -> CkanResult<Value> {
    let all_fields = bool_param(call.params, "all_fields")?.unwrap_or(false);
    let max = if all_fields {
        ORG_LIST_ALL_FIELDS_MAX
    } else {
        ORG_LIST_MAX
    };
    let limit = natural_param(call.params, "limit")?.unwrap_or(max).min(max);
    let offset = natural_param(call.params, "offset")?.unwrap_or(0);
    let sort =
        text_param(call.params, "sort").map_or_else(|| "title asc".to_owned(), |s| s.into_owned());
    let mut parts = sort.split_whitespace();
    let field = parts.next().unwrap_or("title");
    let desc = parts.next().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
    let key = match field {
        "title" | "display_name" => "name",
        "name" => "slug",
        "package_count" => "datasets",
        other => {
            return Err(CkanError::field(
                "sort",
                &format!("Cannot sort by field `{other}`"),
            ));
        }
    };
    let query = OrgQuery {
        q: text_param(call.params, "q").map(|s| s.into_owned()),
        sort: Some(if desc {
            format!("-{key}")
        } else {
            key.to_owned()
        }),
        page: 1,
        page_size: limit,
        offset: Some(offset),
    };
    let (orgs, _) = organizations::list(&call.state.app.db, &query).await?;
    if !all_fields {
        return Ok(json!(
            orgs.iter().map(|o| o.slug.clone()).collect::<Vec<_>>()
        ));
    }
    let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let counts: HashMap<String, i64> = organizations::dataset_counts(&call.state.app.db, &ids)
        .await?
        .into_iter()
        .collect();
    let list: Vec<CkanOrganization> = orgs
        .iter()
        .map(|o| CkanOrganization::full(o, counts.get(&o.id).copied().unwrap_or(0)))
        .collect();
    to_value(&list)
}

/// One organization by id or name; `include_datasets` adds its first 10 datasets.
async fn organization_show(call: &Call<'_>) -> CkanResult<Value> {
    let id =
        text_param(call.params, "id").ok_or_else(|| CkanError::field("id", "Missing value"))?;
    let org = portail_app::organizations::get(&call.state.app, &id).await?;
    let count = organizations::dataset_counts(&call.state.app.db, std::slice::from_ref(&org.id))
        .await?
        .first()
        .map_or(0, |(_, n)| *n);
    let mut dict = CkanOrganization::full(&org, count);
    if bool_param(call.params, "include_datasets")?.unwrap_or(false) {
        let query = DatasetQuery {
            viewer: usecase::viewer(call.actor()),
            terms: vec![TermFilter {
                field: TermField::Organization,
                any_of: vec![org.id.clone()],
                negated: false,
            }],
            sort: Some("-last_modified".into()),
            page: 1,
            page_size: 10,
            ..DatasetQuery::default()
        };
        let datasets = usecase::page(&call.state.app, &query).await?;
        dict.packages = Some(packages(call, &datasets).await?);
    }
    to_value(&dict)
}

/// Tags of the public datasets, by name (`all_fields`: tag dicts); `query` filters them.
async fn tag_list(call: &Call<'_>) -> CkanResult<Value> {
    let all_fields = bool_param(call.params, "all_fields")?.unwrap_or(false);
    let filter = text_param(call.params, "query").map(|q| q.to_lowercase());
    let public = DatasetQuery {
        viewer: Viewer::Anonymous,
        ..DatasetQuery::default()
    };
    let mut names: Vec<String> = catalog::facets(&call.state.app, &public, Facet::Tag, None)
        .await?
        .into_iter()
        .map(|(tag, _)| tag)
        .filter(|tag| filter.as_deref().is_none_or(|q| tag.contains(q)))
        .collect();
    names.sort();
    if all_fields {
        let tags: Vec<CkanTag> = names.iter().map(|n| CkanTag::new(n)).collect();
        return to_value(&tags);
    }
    Ok(json!(names))
}

fn license_list() -> Value {
    let list: Vec<CkanLicense> = LICENSES.iter().map(CkanLicense::new).collect();
    serde_json::to_value(list).unwrap_or(Value::Array(Vec::new()))
}

fn status_show(call: &Call<'_>) -> Value {
    json!({
        "site_title": crate::site::TITLE,
        "site_description": crate::site::DESCRIPTION,
        "site_url": call.base,
        "error_emails_to": null,
        "locale_default": crate::site::LOCALE,
        "extensions": [],
        "ckan_version": CKAN_VERSION,
    })
}

//! Full-text search: `/api/2/datasets/search/` (with facets), `/api/1/datasets/?q=` and
//! `/api/1/organizations/?q=` served by the same engine, and title suggestions.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use chrono::{Duration, NaiveDate};
use portail_app::search as usecase;
use portail_core::frequency::parse_frequency;
use portail_core::licenses::find_license;
use portail_core::model::{Dataset, ResourceFacts};
use portail_core::permissions::Actor;
use portail_core::reference::{GRANULARITIES, find_choice};
use portail_search::{FACETS, HiddenFilter, SearchQuery, Sort, epoch_days};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::datasets::{
    api_view_ctx, cached_json, frequency_param, license_param, publisher_params,
};
use crate::errors::{ApiError, ApiResult};
use crate::extract::{BaseUrl, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;
use crate::views::ApiDataset;

/// Search pages stop here, as udata's (`page * page_size` ≤ 10 000): deep pages of a ranking
/// cost more than they are worth; narrow the query instead.
pub const MAX_SEARCH_DEPTH: i64 = 10_000;

/// The format families a `format_family` filter accepts.
const FORMAT_FAMILIES: &[&str] = &[
    "tabular",
    "machine_readable",
    "geographical",
    "documents",
    "other",
];

/// The `last_update_range` values, with their length in days.
const UPDATE_RANGES: &[(&str, i64)] = &[
    ("last_30_days", 30),
    ("last_12_months", 365),
    ("last_3_years", 3 * 365),
];

/// One value of a facet and how many matching datasets have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFacetValue {
    /// The value to filter on (an organization id, a tag, a license id...).
    pub id: String,
    /// What to show for it (the organization's name, the license's title...).
    pub label: String,
    pub count: u64,
}

/// A page of search results with the facet counts of all the matching datasets.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    #[serde(flatten)]
    pub page: Page<ApiDataset>,
    /// Per facet, its values by decreasing count (50 at most).
    #[schema(value_type = Object)]
    pub facets: HashMap<String, Vec<ApiFacetValue>>,
}

fn bad(field: &str, message: String) -> ApiError {
    ApiError::field(field, message)
}

/// Parses `YYYY-MM-DD-YYYY-MM-DD` (udata's form) or `YYYY-MM-DD/YYYY-MM-DD` into days.
fn temporal_range(raw: &str) -> Option<(i64, i64)> {
    let (start, end) = match raw.split_once('/') {
        Some(pair) => pair,
        None if raw.len() == 21 && raw.as_bytes().get(10) == Some(&b'-') => {
            (&raw[..10], &raw[11..])
        }
        None => return None,
    };
    let start = NaiveDate::parse_from_str(start.trim(), "%Y-%m-%d").ok()?;
    let end = NaiveDate::parse_from_str(end.trim(), "%Y-%m-%d").ok()?;
    let (start, end) = if start <= end {
        (start, end)
    } else {
        (end, start)
    };
    Some((epoch_days(start), epoch_days(end)))
}

/// Reads and validates the search parameters; `None` when they name an organization or owner
/// that does not exist (an empty page, as for lists).
pub async fn search_query(
    state: &AppState,
    params: &Params,
    actor: Option<&Actor>,
    page: PageRequest,
) -> ApiResult<Option<SearchQuery>> {
    if page.page * page.page_size > MAX_SEARCH_DEPTH {
        return Err(bad(
            "page",
            format!(
                "Search results stop at {MAX_SEARCH_DEPTH} datasets (page × page_size): narrow the query."
            ),
        ));
    }
    let sort = match params.get("sort").filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(Sort::parse(raw).ok_or_else(|| {
            bad(
                "sort",
                format!(
                    "Unknown sort \"{raw}\": use one of {} (prefix with - to reverse).",
                    Sort::NAMES.join(", ")
                ),
            )
        })?),
    };
    let license = license_param(params)?;
    let frequency = frequency_param(params)?;
    let granularity = match params.get("granularity") {
        None => None,
        Some(raw) => Some(
            find_choice(GRANULARITIES, raw)
                .ok_or_else(|| bad("granularity", format!("Unknown granularity \"{raw}\".")))?
                .id
                .to_owned(),
        ),
    };
    let format_family = match params.get("format_family") {
        None => None,
        Some(raw) if FORMAT_FAMILIES.contains(&raw) => Some(raw.to_owned()),
        Some(raw) => {
            return Err(bad(
                "format_family",
                format!(
                    "Unknown format family \"{raw}\": use one of {}.",
                    FORMAT_FAMILIES.join(", ")
                ),
            ));
        }
    };
    let temporal_coverage = match params.get("temporal_coverage") {
        None => None,
        Some(raw) => Some(temporal_range(raw).ok_or_else(|| {
            bad(
                "temporal_coverage",
                format!("Expected two dates as YYYY-MM-DD-YYYY-MM-DD, got \"{raw}\"."),
            )
        })?),
    };
    let last_update_since = match params.get("last_update_range") {
        None => None,
        Some(raw) => {
            let days = UPDATE_RANGES
                .iter()
                .find(|(name, _)| *name == raw)
                .map(|(_, days)| *days)
                .ok_or_else(|| {
                    bad(
                        "last_update_range",
                        format!(
                            "Unknown range \"{raw}\": use one of {}.",
                            UPDATE_RANGES
                                .iter()
                                .map(|(n, _)| *n)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })?;
            Some((state.app.clock.now() - Duration::days(days)).timestamp_micros())
        }
    };
    let hidden = HiddenFilter {
        private: params.bool("private")?,
        deleted: params.bool("deleted")?.unwrap_or(false),
        archived: params.bool("archived")?.unwrap_or(false),
    };
    if (hidden.deleted || hidden.archived || hidden.private == Some(true)) && actor.is_none() {
        return Err(ApiError(portail_app::AppError::Unauthorized(
            "Authentication required to search private, archived or deleted datasets.".into(),
        )));
    }
    let mut query = SearchQuery {
        q: params.get("q").map(str::to_owned),
        tags: params
            .all("tag")
            .iter()
            .map(|t| portail_core::tags::normalize_tag(t))
            .collect(),
        license,
        format: params.get("format").map(str::to_lowercase),
        format_family,
        frequency,
        granularity,
        badge: params.get("badge").map(str::to_owned),
        featured: params.bool("featured")?,
        temporal_coverage,
        last_update_since,
        hidden,
        sort,
        page: usize::try_from(page.page).unwrap_or(1),
        page_size: usize::try_from(page.page_size).unwrap_or(20),
        ..SearchQuery::default()
    };
    match publisher_params(state, params).await? {
        Some((organization_id, owner_id)) => {
            query.organization_id = organization_id;
            query.owner_id = owner_id;
        }
        None => return Ok(None),
    }
    Ok(Some(query))
}

/// The facets a request asks for: `facets=all` (or absent, with `default_all`), `facets=none`,
/// or a comma-separated list of names.
fn requested_facets(params: &Params, default_all: bool) -> ApiResult<Vec<&'static str>> {
    let all: Vec<&'static str> = FACETS.iter().map(|(name, _)| *name).collect();
    let raw = params.all("facets").join(",");
    if raw.is_empty() {
        return Ok(if default_all { all } else { Vec::new() });
    }
    let mut out = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match name {
            "all" => return Ok(all),
            "none" => return Ok(Vec::new()),
            _ => match all.iter().find(|n| **n == name) {
                Some(found) => out.push(*found),
                None => {
                    return Err(bad(
                        "facets",
                        format!(
                            "Unknown facet \"{name}\": use all, none or some of {}.",
                            all.join(", ")
                        ),
                    ));
                }
            },
        }
    }
    Ok(out)
}

/// What a search answer is made of besides the parameters.
struct Answer {
    /// The endpoint's absolute URL, for the paging links.
    url: String,
    page: PageRequest,
    facets: Vec<&'static str>,
    /// v2 dataset shape (resources as a link), else v1 (resources embedded).
    v2: bool,
}

/// Runs a search and maps the page and its facets.
async fn run_search(
    state: &AppState,
    base: &str,
    actor: Option<&Actor>,
    params: &Params,
    answer: Answer,
) -> ApiResult<SearchPage> {
    let Answer {
        url,
        page,
        facets,
        v2,
    } = answer;
    let url = url.as_str();
    let Some(query) = search_query(state, params, actor, page).await? else {
        return Ok(SearchPage {
            page: Page::new(Vec::new(), page, 0, url, params),
            facets: HashMap::new(),
        });
    };
    let lang = crate::api::reference::language(params, &HeaderMap::new());
    // v2 shows a summary of the resources, v1 the resources themselves.
    let (page_items, hits): (Vec<(Dataset, Option<ResourceFacts>)>, _) = if v2 {
        let (items, hits) =
            usecase::search_dataset_summaries(&state.app, actor, query, facets).await?;
        let items = items.into_iter().map(|(d, f)| (d, Some(f))).collect();
        (items, hits)
    } else {
        let (datasets, hits) = usecase::search_datasets(&state.app, actor, query, facets).await?;
        (datasets.into_iter().map(|d| (d, None)).collect(), hits)
    };
    let refs: Vec<&Dataset> = page_items.iter().map(|(d, _)| d).collect();
    // The organizations of the page and of the facet in one query.
    let ctx = api_view_ctx(state, base, actor, &refs, facet_organizations(&hits.facets)).await?;
    let data = page_items
        .iter()
        .map(|(d, facts)| match facts {
            Some(facts) => ApiDataset::v2(d, facts, &ctx),
            None => ApiDataset::v1(d, &ctx),
        })
        .collect();
    let total = i64::try_from(hits.total).unwrap_or(i64::MAX);
    let facets = label_facets_with(hits.facets, &lang, |id| {
        ctx.organization_refs.get(id).map(|o| o.name.clone())
    });
    Ok(SearchPage {
        page: Page::new(data, page, total, url, params),
        facets,
    })
}

/// Puts labels on facet values: organization names, license titles, frequency and
/// granularity labels.
pub(crate) async fn label_facets(
    state: &AppState,
    counts: portail_search::FacetCounts,
    lang: &str,
) -> ApiResult<HashMap<String, Vec<ApiFacetValue>>> {
    let names: HashMap<String, String> =
        crate::cache::organization_refs(state, &facet_organizations(&counts))
            .await?
            .into_iter()
            .map(|(id, o)| (id, o.name))
            .collect();
    Ok(label_facets_with(counts, lang, |id| names.get(id).cloned()))
}

/// The organization ids among the facet values.
fn facet_organizations(counts: &portail_search::FacetCounts) -> Vec<String> {
    counts
        .get("organization")
        .map(|values| values.iter().map(|(id, _)| id.clone()).collect())
        .unwrap_or_default()
}

/// [`label_facets`] with the organization names at hand.
fn label_facets_with(
    counts: portail_search::FacetCounts,
    lang: &str,
    organization_name: impl Fn(&str) -> Option<String>,
) -> HashMap<String, Vec<ApiFacetValue>> {
    // The engine returns each facet's most frequent values only (`FACET_VALUES`).
    counts
        .into_iter()
        .map(|(name, values)| {
            let mapped = values
                .into_iter()
                .map(|(id, count)| {
                    let label = match name {
                        "organization" => organization_name(&id),
                        "license" => find_license(&id).map(|l| l.title.to_owned()),
                        "frequency" => parse_frequency(&id).map(|f| f.label(lang).to_owned()),
                        "granularity" => {
                            find_choice(GRANULARITIES, &id).map(|c| c.label(lang).to_owned())
                        }
                        _ => None,
                    }
                    .unwrap_or_else(|| id.clone());
                    ApiFacetValue { id, label, count }
                })
                .collect();
            (name.to_owned(), mapped)
        })
        .collect()
}

/// Cache key of a search answer: the index's generation is part of it, so an answer computed
/// before the index caught up with a write is never served after.
fn search_key(state: &AppState, base: &str, uri: &Uri) -> String {
    let generation = state.app.search.as_ref().map_or(0, |s| s.generation());
    format!("{base}{uri}#search{generation}")
}

/// Search datasets: words (French and English stemming, accents folded, quotes for phrases),
/// udata's filters, sorts and facets.
#[utoipa::path(
    get, path = "/api/2/datasets/search/", tag = "datasets", operation_id = "search_datasets",
    params(
        ("q" = Option<String>, Query, description = "Words, all required, searched in titles (boosted), acronyms, tags, organization names, descriptions and resource titles and formats; \"quotes\" for a phrase"),
        ("tag" = Option<Vec<String>>, Query, description = "Tags; all must match (repeatable)"),
        ("organization" = Option<String>, Query, description = "Organization id or slug"),
        ("owner" = Option<String>, Query, description = "Owner user id or slug"),
        ("license" = Option<String>, Query), ("format" = Option<String>, Query),
        ("format_family" = Option<String>, Query, description = "tabular, machine_readable, geographical, documents, other"),
        ("frequency" = Option<String>, Query), ("granularity" = Option<String>, Query),
        ("temporal_coverage" = Option<String>, Query, description = "YYYY-MM-DD-YYYY-MM-DD: coverage overlapping these dates"),
        ("last_update_range" = Option<String>, Query, description = "last_30_days, last_12_months, last_3_years"),
        ("featured" = Option<bool>, Query), ("badge" = Option<String>, Query),
        ("private" = Option<bool>, Query), ("archived" = Option<bool>, Query), ("deleted" = Option<bool>, Query),
        ("sort" = Option<String>, Query, description = "relevance (default with q), created (default without), last_update, title, views, downloads, followers, reuses; prefix - to reverse"),
        ("facets" = Option<String>, Query, description = "all (default), none, or a comma-separated list of organization, tags, license, format, format_family, frequency, granularity, badge"),
        ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query),
    ),
    responses((status = 200, description = "A page of datasets with facet counts", body = SearchPage), (status = 400, description = "Invalid parameter"), (status = 503, description = "Search disabled"))
)]
pub async fn search_datasets(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let page = PageRequest::from_params(&params, 20)?;
    let facets = requested_facets(&params, true)?;
    let key = search_key(&state, &base, &uri);
    let answer = Answer {
        url: format!("{base}/api/2/datasets/search/"),
        page,
        facets,
        v2: true,
    };
    cached_json(&state, &auth, key, &headers, async {
        run_search(&state, &base, auth.actor(), &params, answer).await
    })
    .await
}

/// `GET /api/1/datasets/?q=...`: the v1 list, ranked by the search engine (facets on request).
pub async fn list_datasets_by_search(
    state: &AppState,
    auth: &MaybeAuth,
    base: &str,
    params: &Params,
    uri: &Uri,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let page = PageRequest::from_params(params, 20)?;
    let facets = requested_facets(params, false)?;
    let key = search_key(state, base, uri);
    let answer = Answer {
        url: format!("{base}/api/1/datasets/"),
        page,
        facets: facets.clone(),
        v2: false,
    };
    cached_json(state, auth, key, headers, async {
        let found = run_search(state, base, auth.actor(), params, answer).await?;
        // The v1 list only carries facets when they were asked for.
        Ok(if facets.is_empty() {
            serde_json::to_value(found.page)
        } else {
            serde_json::to_value(found)
        }
        .unwrap_or_default())
    })
    .await
}

/// A suggested dataset or organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSuggestion {
    pub id: String,
    /// The dataset's title or the organization's name.
    pub title: String,
    pub acronym: Option<String>,
    pub slug: String,
    pub image_url: Option<String>,
    /// The web page.
    pub page: String,
}

fn suggest_size(params: &Params) -> ApiResult<usize> {
    match params.get("size") {
        None => Ok(10),
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => Ok(n),
            _ => Err(bad(
                "size",
                format!("Expected an integer from 1 to 100, got \"{raw}\"."),
            )),
        },
    }
}

/// Suggest public datasets whose title starts like `q` (autocomplete).
#[utoipa::path(
    get, path = "/api/1/datasets/suggest/", tag = "datasets", operation_id = "suggest_datasets",
    params(("q" = String, Query, description = "The beginning of a title"), ("size" = Option<usize>, Query, description = "1 to 100, default 10")),
    responses((status = 200, body = Vec<ApiSuggestion>), (status = 400))
)]
pub async fn suggest_datasets(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    params: Params,
) -> ApiResult<Json<Vec<ApiSuggestion>>> {
    let size = suggest_size(&params)?;
    let q = params.get("q").unwrap_or_default();
    let found = usecase::suggest_datasets(&state.app, q, size).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|s| ApiSuggestion {
                page: format!("{base}/datasets/{}/", s.slug),
                id: s.id,
                title: s.title,
                acronym: s.acronym,
                slug: s.slug,
                image_url: None,
            })
            .collect(),
    ))
}

/// Suggest organizations whose name starts like `q` (autocomplete).
#[utoipa::path(
    get, path = "/api/1/organizations/suggest/", tag = "organizations", operation_id = "suggest_organizations",
    params(("q" = String, Query), ("size" = Option<usize>, Query)),
    responses((status = 200, body = Vec<ApiSuggestion>), (status = 400))
)]
pub async fn suggest_organizations(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    params: Params,
) -> ApiResult<Json<Vec<ApiSuggestion>>> {
    let size = suggest_size(&params)?;
    let q = params.get("q").unwrap_or_default();
    let found = usecase::suggest_organizations(&state.app, q, size).await?;
    let ids: Vec<String> = found.iter().map(|s| s.id.clone()).collect();
    let images: HashMap<String, Option<String>> = crate::cache::organization_refs(&state, &ids)
        .await?
        .into_iter()
        .map(|(id, o)| (id, o.image_url))
        .collect();
    Ok(Json(
        found
            .into_iter()
            .map(|s| ApiSuggestion {
                page: format!("{base}/organizations/{}/", s.slug),
                image_url: images.get(&s.id).cloned().flatten(),
                id: s.id,
                title: s.title,
                acronym: s.acronym,
                slug: s.slug,
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporal_ranges() {
        let day = |s: &str| epoch_days(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        assert_eq!(
            temporal_range("2020-01-01-2020-12-31"),
            Some((day("2020-01-01"), day("2020-12-31")))
        );
        assert_eq!(
            temporal_range("2020-12-31/2020-01-01"),
            Some((day("2020-01-01"), day("2020-12-31")))
        );
        assert_eq!(temporal_range("2020"), None);
        assert_eq!(temporal_range("2020-13-01-2020-12-31"), None);
    }
}

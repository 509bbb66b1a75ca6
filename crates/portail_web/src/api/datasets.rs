//! `/api/1/datasets/`: list, create, read, update, delete, featured.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use portail_app::datasets::{self as usecase, Lookup};
use portail_core::frequency::parse_frequency;
use portail_core::licenses::find_license;
use portail_core::model::{Dataset, Organization, OrganizationRef};
use portail_core::permissions::Actor;
use portail_db::datasets::{DatasetQuery, SORTS};
use portail_db::{organizations, users};
use serde::Serialize;

use crate::errors::{ApiError, ApiResult};
use crate::extract::{Auth, BaseUrl, JsonObject, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;
use crate::views::{ApiDataset, ViewCtx};

/// Builds the mapping context of a set of datasets: loads their organizations and owners.
pub async fn view_ctx<'a>(
    state: &AppState,
    base: &'a str,
    actor: Option<&'a Actor>,
    datasets: &[&Dataset],
) -> ApiResult<ViewCtx<'a>> {
    let (org_ids, user_ids) = publisher_ids(datasets, Vec::new());
    let organizations = organizations::find_many(&state.app.db, &org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    finish_ctx(state, base, actor, organizations, HashMap::new(), &user_ids).await
}

/// [`view_ctx`] for the JSON of API datasets only (a search page), which shows no more of an
/// organization than its [`OrganizationRef`]: five columns of each instead of twelve, and the
/// organizations `more_org_ids` (a search's facet values) in the same query. It fills
/// `organization_refs`, not `organizations` (CKAN, DCAT, feeds and exports need [`view_ctx`]).
pub async fn api_view_ctx<'a>(
    state: &AppState,
    base: &'a str,
    actor: Option<&'a Actor>,
    datasets: &[&Dataset],
    more_org_ids: Vec<String>,
) -> ApiResult<ViewCtx<'a>> {
    let (org_ids, user_ids) = publisher_ids(datasets, more_org_ids);
    let organization_refs = crate::cache::organization_refs(state, &org_ids).await?;
    finish_ctx(
        state,
        base,
        actor,
        HashMap::new(),
        organization_refs,
        &user_ids,
    )
    .await
}

/// The distinct organizations (with `more_org_ids`) and owners publishing `datasets`.
fn publisher_ids(datasets: &[&Dataset], more_org_ids: Vec<String>) -> (Vec<String>, Vec<String>) {
    let mut org_ids = more_org_ids;
    org_ids.extend(
        datasets
            .iter()
            .filter_map(|d| d.publisher.organization_id().map(str::to_owned)),
    );
    let mut user_ids: Vec<String> = datasets
        .iter()
        .filter_map(|d| d.publisher.owner_id().map(str::to_owned))
        .collect();
    org_ids.sort();
    org_ids.dedup();
    user_ids.sort();
    user_ids.dedup();
    (org_ids, user_ids)
}

/// A context with these organizations and the owners `user_ids`.
async fn finish_ctx<'a>(
    state: &AppState,
    base: &'a str,
    actor: Option<&'a Actor>,
    organizations: HashMap<String, Organization>,
    organization_refs: HashMap<String, OrganizationRef>,
    user_ids: &[String],
) -> ApiResult<ViewCtx<'a>> {
    let users = users::find_many(&state.app.db, user_ids)
        .await?
        .into_iter()
        .map(|u| (u.id.clone(), u))
        .collect();
    Ok(ViewCtx {
        base,
        actor,
        now: state.app.clock.now(),
        organizations,
        organization_refs,
        users,
    })
}

/// Serves a JSON body with its ETag, answering 304 when the client has it already.
pub fn json_with_etag(headers: &HeaderMap, body: Bytes, etag: &str) -> Response {
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if not_modified {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag.to_owned())]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::ETAG, etag.to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Serves a value as JSON, from the anonymous cache when possible.
pub async fn cached_json<T, F>(
    state: &AppState,
    auth: &MaybeAuth,
    key: String,
    headers: &HeaderMap,
    compute: F,
) -> ApiResult<Response>
where
    T: Serialize,
    F: std::future::Future<Output = ApiResult<T>>,
{
    if !auth.is_anonymous() {
        let value = compute.await?;
        return Ok(Json(value).into_response());
    }
    if let Some(hit) = state.cache.get(&key) {
        return Ok(json_with_etag(headers, hit.body, &hit.etag));
    }
    let _computing = state.cache.lock_key(&key).await;
    if let Some(hit) = state.cache.get(&key) {
        return Ok(json_with_etag(headers, hit.body, &hit.etag));
    }
    let generation = state.cache.generation();
    let value = compute.await?;
    let body = crate::cache::json_body(&value).map_err(|e| {
        ApiError(portail_app::AppError::Internal(format!(
            "cannot serialize: {e}"
        )))
    })?;
    let cached = state.cache.put(key, body, generation);
    Ok(json_with_etag(headers, cached.body, &cached.etag))
}

/// Reads the list filters shared by every dataset list.
pub async fn dataset_query(
    state: &AppState,
    params: &Params,
    actor: Option<&Actor>,
    page: PageRequest,
) -> ApiResult<Option<DatasetQuery>> {
    let mut query = DatasetQuery {
        q: params.get("q").map(str::to_owned),
        tags: params
            .all("tag")
            .iter()
            .map(|t| portail_core::tags::normalize_tag(t))
            .collect(),
        license: params.get("license").map(str::to_owned),
        format: params.get("format").map(str::to_lowercase),
        granularity: params.get("granularity").map(str::to_owned),
        featured: params.bool("featured")?,
        private: params.bool("private")?,
        deleted: params.bool("deleted")?.unwrap_or(false),
        archived: params.bool("archived")?.unwrap_or(false),
        sort: params.get("sort").map(str::to_owned),
        page: page.page,
        page_size: page.page_size,
        viewer: usecase::viewer(actor),
        ..DatasetQuery::default()
    };
    if let Some(sort) = &query.sort
        && !SORTS.contains(&sort.strip_prefix('-').unwrap_or(sort))
    {
        return Err(ApiError::field(
            "sort",
            format!(
                "Unknown sort \"{sort}\": use one of {} (prefix with - to reverse).",
                SORTS.join(", ")
            ),
        ));
    }
    query.license = license_param(params)?;
    query.frequency = frequency_param(params)?;
    if (query.deleted || query.archived || query.private == Some(true)) && actor.is_none() {
        return Err(ApiError(portail_app::AppError::Unauthorized(
            "Authentication required to list private, archived or deleted datasets.".into(),
        )));
    }
    match publisher_params(state, params).await? {
        Some((organization_id, owner_id)) => {
            query.organization_id = organization_id;
            query.owner_id = owner_id;
        }
        None => return Ok(None),
    }
    Ok(Some(query))
}

/// The `license` parameter as one of our license ids, or a 400 naming it.
pub fn license_param(params: &Params) -> ApiResult<Option<String>> {
    match params.get("license") {
        None => Ok(None),
        Some(raw) => match find_license(raw) {
            Some(l) => Ok(Some(l.id.to_owned())),
            None => Err(ApiError::field(
                "license",
                format!("Unknown license \"{raw}\"."),
            )),
        },
    }
}

/// The `frequency` parameter as one of our frequency ids, or a 400 naming it.
pub fn frequency_param(params: &Params) -> ApiResult<Option<String>> {
    match params.get("frequency") {
        None => Ok(None),
        Some(raw) => match parse_frequency(raw) {
            Some(f) => Ok(Some(f.id.to_owned())),
            None => Err(ApiError::field(
                "frequency",
                format!("Unknown frequency \"{raw}\"."),
            )),
        },
    }
}

/// The `organization` and `owner` parameters (id or slug) as ids; `None` when one names
/// nobody, which lists answer with an empty page.
pub async fn publisher_params(
    state: &AppState,
    params: &Params,
) -> ApiResult<Option<(Option<String>, Option<String>)>> {
    let mut organization_id = None;
    if let Some(org) = params.get("organization") {
        match organizations::find(&state.app.db, org).await? {
            Some(o) => organization_id = Some(o.id),
            None => return Ok(None),
        }
    }
    let mut owner_id = None;
    if let Some(owner) = params.get("owner") {
        match users::find(&state.app.db, owner).await? {
            Some(u) => owner_id = Some(u.id),
            None => return Ok(None),
        }
    }
    Ok(Some((organization_id, owner_id)))
}

/// Runs a dataset list and builds the page.
pub async fn dataset_page(
    state: &AppState,
    base: &str,
    actor: Option<&Actor>,
    params: &Params,
    url: &str,
    query: Option<DatasetQuery>,
    page: PageRequest,
) -> ApiResult<Page<ApiDataset>> {
    let Some(query) = query else {
        return Ok(Page::new(Vec::new(), page, 0, url, params));
    };
    // Every page of one query has the same total: anonymous lists share it through the cache.
    let total = if actor.is_none() {
        let mut filters: Vec<&(String, String)> = params
            .0
            .iter()
            .filter(|(k, _)| k != "page" && k != "page_size" && k != "sort")
            .collect();
        filters.sort();
        let key = format!("{url}|{filters:?}");
        match state.cache.get_count(&key) {
            Some(n) => n,
            None => {
                let generation = state.cache.generation();
                let n = usecase::count(&state.app, &query).await?;
                state.cache.put_count(key, n, generation);
                n
            }
        }
    } else {
        usecase::count(&state.app, &query).await?
    };
    let datasets = if total > (page.page - 1) * page.page_size {
        usecase::page(&state.app, &query).await?
    } else {
        Vec::new()
    };
    let refs: Vec<&Dataset> = datasets.iter().collect();
    let ctx = view_ctx(state, base, actor, &refs).await?;
    let data = datasets.iter().map(|d| ApiDataset::v1(d, &ctx)).collect();
    Ok(Page::new(data, page, total, url, params))
}

/// List datasets, with udata's filters and sorts.
#[utoipa::path(
    get, path = "/api/1/datasets/", tag = "datasets", operation_id = "list_datasets",
    params(
        ("q" = Option<String>, Query, description = "Words, all required: ranked by the search engine as in /api/2/datasets/search/ (then its filters, sorts and `facets` apply)"),
        ("tag" = Option<Vec<String>>, Query, description = "Tags; all must match (repeatable)"),
        ("organization" = Option<String>, Query, description = "Organization id or slug"),
        ("owner" = Option<String>, Query, description = "Owner user id or slug"),
        ("license" = Option<String>, Query), ("format" = Option<String>, Query), ("frequency" = Option<String>, Query),
        ("granularity" = Option<String>, Query), ("featured" = Option<bool>, Query),
        ("private" = Option<bool>, Query), ("archived" = Option<bool>, Query), ("deleted" = Option<bool>, Query),
        ("sort" = Option<String>, Query, description = "title, created, last_update, last_modified, reuses, followers, views, downloads; prefix - to reverse"),
        ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query),
    ),
    responses((status = 200, description = "A page of datasets", body = Page<ApiDataset>), (status = 400, description = "Invalid parameter"))
)]
pub async fn list_datasets(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let wants_text = params.get("q").is_some_and(|q| !q.trim().is_empty());
    if wants_text && state.app.search.is_some() {
        return crate::api::search::list_datasets_by_search(
            &state, &auth, &base, &params, &uri, &headers,
        )
        .await;
    }
    let page = PageRequest::from_params(&params, 20)?;
    let key = format!("{base}{uri}");
    let url = format!("{base}/api/1/datasets/");
    cached_json(&state, &auth, key, &headers, async {
        let query = dataset_query(&state, &params, auth.actor(), page).await?;
        dataset_page(&state, &base, auth.actor(), &params, &url, query, page).await
    })
    .await
}

/// Create a dataset, published by the caller or one of their organizations.
#[utoipa::path(
    post, path = "/api/1/datasets/", tag = "datasets", operation_id = "create_dataset",
    request_body(content = Object, description = "udata DatasetForm: title*, description*, acronym, description_short, license, frequency, temporal_coverage, spatial, tags, private, organization, extras, resources"),
    responses((status = 201, body = ApiDataset), (status = 400, description = "Invalid fields"), (status = 401, description = "No API key")),
    security(("apikey" = []))
)]
pub async fn create_dataset(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<ApiDataset>)> {
    let dataset = usecase::create(&state.app, &auth.actor, &body).await?;
    let ctx = view_ctx(&state, &base, Some(&auth.actor), &[&dataset]).await?;
    Ok((StatusCode::CREATED, Json(ApiDataset::v1(&dataset, &ctx))))
}

/// Read a dataset by id or slug. Old slugs answer a permanent redirect to the current one.
#[utoipa::path(
    get, path = "/api/1/datasets/{dataset}/", tag = "datasets", operation_id = "get_dataset",
    params(("dataset" = String, Path, description = "Dataset id or slug")),
    responses((status = 200, body = ApiDataset), (status = 308, description = "Old slug"), (status = 404, description = "Unknown or private"), (status = 410, description = "Deleted"))
)]
pub async fn get_dataset(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let key = format!("{base}/api/1/datasets/{dataset}/");
    if auth.is_anonymous()
        && let Some(hit) = state.cache.get(&key)
    {
        state.downloads.count_view(&dataset);
        return Ok(json_with_etag(&headers, hit.body, &hit.etag));
    }
    let generation = state.cache.generation();
    match usecase::lookup(&state.app, auth.actor(), &dataset).await? {
        Lookup::Moved(slug) => Ok(permanent_redirect(&format!(
            "{base}/api/1/datasets/{slug}/"
        ))),
        Lookup::Found(d) => {
            // Counted in memory, written in batches (see `downloads`): a read stays a read.
            state.downloads.count_view(&d.id);
            let ctx = view_ctx(&state, &base, auth.actor(), &[&d]).await?;
            let view = ApiDataset::v1(&d, &ctx);
            if !auth.is_anonymous() {
                return Ok(Json(view).into_response());
            }
            let body = crate::cache::json_body(&view).map_err(|e| {
                ApiError(portail_app::AppError::Internal(format!(
                    "cannot serialize: {e}"
                )))
            })?;
            let cached = state.cache.put(key, body, generation);
            Ok(json_with_etag(&headers, cached.body, &cached.etag))
        }
    }
}

/// A 308 to `location`: clients keep the method and body, and udata clients follow it.
pub fn permanent_redirect(location: &str) -> Response {
    (
        StatusCode::PERMANENT_REDIRECT,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// Update a dataset: omitted keys keep their value, `null` clears, `resources` replaces the
/// list, `"deleted": null` restores a deleted dataset.
#[utoipa::path(
    put, path = "/api/1/datasets/{dataset}/", tag = "datasets", operation_id = "update_dataset",
    params(("dataset" = String, Path)), request_body(content = Object),
    responses((status = 200, body = ApiDataset), (status = 400), (status = 401), (status = 403), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn update_dataset(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<ApiDataset>> {
    let dataset = usecase::update(&state.app, &auth.actor, &dataset, &body).await?;
    let ctx = view_ctx(&state, &base, Some(&auth.actor), &[&dataset]).await?;
    Ok(Json(ApiDataset::v1(&dataset, &ctx)))
}

/// Delete a dataset (it answers 410 afterwards to those who could see it).
#[utoipa::path(
    delete, path = "/api/1/datasets/{dataset}/", tag = "datasets", operation_id = "delete_dataset",
    params(("dataset" = String, Path)),
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn delete_dataset(
    State(state): State<AppState>,
    auth: Auth,
    Path(dataset): Path<String>,
) -> ApiResult<StatusCode> {
    usecase::delete(&state.app, &auth.actor, &dataset).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Feature a dataset on the home page (sysadmins).
#[utoipa::path(
    post, path = "/api/1/datasets/{dataset}/featured/", tag = "datasets", operation_id = "feature_dataset",
    params(("dataset" = String, Path)), responses((status = 200, body = ApiDataset), (status = 403)),
    security(("apikey" = []))
)]
pub async fn feature_dataset(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
) -> ApiResult<Json<ApiDataset>> {
    let dataset = usecase::set_featured(&state.app, &auth.actor, &dataset, true).await?;
    let ctx = view_ctx(&state, &base, Some(&auth.actor), &[&dataset]).await?;
    Ok(Json(ApiDataset::v1(&dataset, &ctx)))
}

/// Stop featuring a dataset (sysadmins).
#[utoipa::path(
    delete, path = "/api/1/datasets/{dataset}/featured/", tag = "datasets", operation_id = "unfeature_dataset",
    params(("dataset" = String, Path)), responses((status = 200, body = ApiDataset), (status = 403)),
    security(("apikey" = []))
)]
pub async fn unfeature_dataset(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
) -> ApiResult<Json<ApiDataset>> {
    let dataset = usecase::set_featured(&state.app, &auth.actor, &dataset, false).await?;
    let ctx = view_ctx(&state, &base, Some(&auth.actor), &[&dataset]).await?;
    Ok(Json(ApiDataset::v1(&dataset, &ctx)))
}

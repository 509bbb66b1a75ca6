//! `/api/1/organizations/`: list, create, read, update, delete, members, datasets.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use portail_app::organizations as usecase;
use portail_core::model::Organization;
use portail_db::organizations::{self as repo, OrgQuery};

use crate::api::datasets::{cached_json, dataset_page, dataset_query};
use crate::errors::{ApiError, ApiResult};
use crate::extract::{Auth, BaseUrl, JsonObject, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;
use crate::views::{ApiDataset, ApiMember, ApiOrganization};

async fn full_view(state: &AppState, org: &Organization, base: &str) -> ApiResult<ApiOrganization> {
    let members = usecase::members(&state.app, org).await?;
    let counts = repo::dataset_counts(&state.app.db, std::slice::from_ref(&org.id)).await?;
    let datasets = counts.first().map_or(0, |(_, n)| *n);
    Ok(ApiOrganization::new(org, &members, datasets, base))
}

/// List organizations (`q` matches name and acronym).
#[utoipa::path(
    get, path = "/api/1/organizations/", tag = "organizations", operation_id = "list_organizations",
    params(("q" = Option<String>, Query, description = "Words in the name, acronym or description, ranked by the search engine unless a sort is given"), ("sort" = Option<String>, Query, description = "name, created, last_modified, datasets, reuses, followers, views; prefix - to reverse"),
        ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query)),
    responses((status = 200, body = Page<ApiOrganization>), (status = 400, description = "Invalid parameter"))
)]
pub async fn list_organizations(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let page = PageRequest::from_params(&params, 20)?;
    if let Some(sort) = params.get("sort")
        && !repo::SORTS.contains(&sort.strip_prefix('-').unwrap_or(sort))
    {
        return Err(ApiError::field(
            "sort",
            format!(
                "Unknown sort \"{sort}\": use one of {} (prefix with - to reverse).",
                repo::SORTS.join(", ")
            ),
        ));
    }
    let key = format!("{base}{uri}");
    cached_json(&state, &auth, key, &headers, async {
        let query = OrgQuery {
            q: params.get("q").map(str::to_owned),
            sort: params.get("sort").map(str::to_owned),
            page: page.page,
            page_size: page.page_size,
            offset: None,
        };
        let wants_text = query.q.as_deref().is_some_and(|q| !q.trim().is_empty());
        let (orgs, total) = match (&query.q, &state.app.search) {
            (Some(q), Some(_)) if wants_text && query.sort.is_none() => {
                search_organizations(&state, q, page).await?
            }
            _ => repo::list(&state.app.db, &query).await?,
        };
        let mut data = Vec::with_capacity(orgs.len());
        for org in &orgs {
            data.push(full_view(&state, org, &base).await?);
        }
        Ok(Page::new(
            data,
            page,
            total,
            &format!("{base}/api/1/organizations/"),
            &params,
        ))
    })
    .await
}

/// Organizations matching words, best first, by the search engine.
async fn search_organizations(
    state: &AppState,
    q: &str,
    page: PageRequest,
) -> ApiResult<(Vec<Organization>, i64)> {
    let (ids, total) = portail_app::search::search_organizations(
        &state.app,
        q,
        usize::try_from(page.page).unwrap_or(1),
        usize::try_from(page.page_size).unwrap_or(20),
    )
    .await?;
    let mut by_id: std::collections::HashMap<String, Organization> =
        repo::find_many(&state.app.db, &ids)
            .await?
            .into_iter()
            .filter(|o| o.deleted_at.is_none())
            .map(|o| (o.id.clone(), o))
            .collect();
    let orgs = ids.iter().filter_map(|id| by_id.remove(id)).collect();
    Ok((orgs, i64::try_from(total).unwrap_or(i64::MAX)))
}

/// Create an organization; the caller becomes its admin.
#[utoipa::path(
    post, path = "/api/1/organizations/", tag = "organizations", operation_id = "create_organization",
    request_body(content = Object, description = "name*, description*, acronym, url, image_url, business_number_id, extras"),
    responses((status = 201, body = ApiOrganization), (status = 400), (status = 401)),
    security(("apikey" = []))
)]
pub async fn create_organization(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<ApiOrganization>)> {
    let org = usecase::create(&state.app, &auth.actor, &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(full_view(&state, &org, &base).await?),
    ))
}

/// Read an organization by id or slug.
#[utoipa::path(
    get, path = "/api/1/organizations/{org}/", tag = "organizations", operation_id = "get_organization",
    params(("org" = String, Path)), responses((status = 200, body = ApiOrganization), (status = 404), (status = 410))
)]
pub async fn get_organization(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(org): Path<String>,
) -> ApiResult<Json<ApiOrganization>> {
    let org = usecase::get(&state.app, &org).await?;
    Ok(Json(full_view(&state, &org, &base).await?))
}

/// Update an organization (admins).
#[utoipa::path(
    put, path = "/api/1/organizations/{org}/", tag = "organizations", operation_id = "update_organization",
    params(("org" = String, Path)), request_body(content = Object),
    responses((status = 200, body = ApiOrganization), (status = 400), (status = 401), (status = 403), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn update_organization(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(org): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<ApiOrganization>> {
    let org = usecase::update(&state.app, &auth.actor, &org, &body).await?;
    Ok(Json(full_view(&state, &org, &base).await?))
}

/// Delete an organization (admins); it answers 410 afterwards.
#[utoipa::path(
    delete, path = "/api/1/organizations/{org}/", tag = "organizations", operation_id = "delete_organization",
    params(("org" = String, Path)), responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn delete_organization(
    State(state): State<AppState>,
    auth: Auth,
    Path(org): Path<String>,
) -> ApiResult<StatusCode> {
    usecase::delete(&state.app, &auth.actor, &org).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a member (admins). Body `{"role": "admin" | "editor" | "partial_editor"}`, default editor.
#[utoipa::path(
    post, path = "/api/1/organizations/{org}/member/{user}/", tag = "organizations", operation_id = "add_organization_member",
    params(("org" = String, Path), ("user" = String, Path, description = "User id or slug")), request_body(content = Object),
    responses((status = 201, body = ApiMember), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 410)),
    security(("apikey" = []))
)]
pub async fn add_organization_member(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path((org, user)): Path<(String, String)>,
    body: Option<JsonObject>,
) -> ApiResult<(StatusCode, Json<ApiMember>)> {
    let body = body.map(|b| b.0).unwrap_or_default();
    let (member, user) =
        usecase::set_member(&state.app, &auth.actor, &org, &user, &body, Some(false)).await?;
    Ok((
        StatusCode::CREATED,
        Json(ApiMember::new(&member, &user, &base)),
    ))
}

/// Change a member's role (admins).
#[utoipa::path(
    put, path = "/api/1/organizations/{org}/member/{user}/", tag = "organizations", operation_id = "update_organization_member",
    params(("org" = String, Path), ("user" = String, Path)), request_body(content = Object),
    responses((status = 200, body = ApiMember), (status = 400), (status = 401), (status = 403), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn update_organization_member(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path((org, user)): Path<(String, String)>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<ApiMember>> {
    let (member, user) =
        usecase::set_member(&state.app, &auth.actor, &org, &user, &body, Some(true)).await?;
    Ok(Json(ApiMember::new(&member, &user, &base)))
}

/// Remove a member (admins).
#[utoipa::path(
    delete, path = "/api/1/organizations/{org}/member/{user}/", tag = "organizations", operation_id = "remove_organization_member",
    params(("org" = String, Path), ("user" = String, Path)),
    responses((status = 204), (status = 400), (status = 401), (status = 403), (status = 404), (status = 410)),
    security(("apikey" = []))
)]
pub async fn remove_organization_member(
    State(state): State<AppState>,
    auth: Auth,
    Path((org, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    usecase::remove_member(&state.app, &auth.actor, &org, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Datasets of an organization (members also see its private ones).
#[utoipa::path(
    get, path = "/api/1/organizations/{org}/datasets/", tag = "organizations", operation_id = "list_organization_datasets",
    params(("org" = String, Path), ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query), ("sort" = Option<String>, Query)),
    responses((status = 200, body = Page<ApiDataset>), (status = 404), (status = 410))
)]
pub async fn list_organization_datasets(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    Path(org): Path<String>,
    params: Params,
) -> ApiResult<Json<Page<ApiDataset>>> {
    let org = usecase::get(&state.app, &org).await?;
    let page = PageRequest::from_params(&params, 20)?;
    let mut query = dataset_query(&state, &params, auth.actor(), page).await?;
    if let Some(q) = query.as_mut() {
        q.organization_id = Some(org.id.clone());
    }
    let url = format!("{base}/api/1/organizations/{}/datasets/", org.id);
    Ok(Json(
        dataset_page(&state, &base, auth.actor(), &params, &url, query, page).await?,
    ))
}

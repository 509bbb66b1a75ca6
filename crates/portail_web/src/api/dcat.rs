//! DCAT-AP catalogs for DCAT harvesters (udata, ckanext-dcat, data.europa.eu), written by
//! `portail_dcat`: the whole portal at `/api/1/site/catalog` and `/catalog`, one organization
//! at `/api/1/organizations/{org}/catalog`, one dataset at `/api/1/datasets/{id}/rdf`.
//!
//! - Format by extension (`.ttl`, `.rdf`/`.xml`, `.jsonld`/`.json`, `.nt`, `.nq`, `.trig`) or,
//!   without one, by `Accept` (JSON-LD when nothing RDF is preferred, as udata). Always `200`:
//!   udata redirects to the extension URL, but its own harvester refuses redirects.
//! - Pages of `page_size` datasets (default 100, at most 1000) in id order (stable across
//!   pages while datasets are added), Hydra paging with absolute page IRIs, `modified_since`
//!   and the filters of `GET /api/1/datasets/`. Public datasets only, whoever asks.
//! - IRIs: a dataset is `<base>/datasets/{id}/` (stable across renames), its landing page
//!   `<base>/datasets/{slug}/`; a distribution is `<base>/datasets/{id}/#resource-{rid}`, its
//!   access URL the permalink `<base>/api/1/datasets/r/{rid}`, its download URL the file.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use portail_app::datasets as usecase;
use portail_core::model::{Dataset, Organization, Publisher};
use portail_db::datasets::Viewer;
use portail_dcat::{Agent, CatalogInfo, ExportDataset, Paging, RdfFormat, ResourceUrls};

use crate::api::datasets::{dataset_query, view_ctx};
use crate::conditional::{self, Caching, VARY_ACCEPT};
use crate::errors::{ApiError, ApiResult};
use crate::extract::{BaseUrl, Params};
use crate::paging::PageRequest;
use crate::state::AppState;
use crate::views::{ViewCtx, absolute_url};

/// Datasets per catalog page when `page_size` is not given (udata's).
pub const DEFAULT_PAGE_SIZE: i64 = 100;

/// The `Content-Type` we send for a format (with a charset for the text syntaxes).
fn content_type(format: RdfFormat) -> &'static str {
    match format {
        RdfFormat::Turtle => "text/turtle; charset=utf-8",
        RdfFormat::RdfXml => "application/rdf+xml; charset=utf-8",
        RdfFormat::JsonLd => "application/ld+json",
        RdfFormat::NTriples => "application/n-triples",
        RdfFormat::NQuads => "application/n-quads",
        RdfFormat::TriG => "application/trig",
    }
}

/// The format an `Accept` header asks for: the RDF media type with the highest quality
/// (`*/*` and `application/*` mean our default, JSON-LD); `None` when it accepts none.
pub fn negotiate(accept: Option<&str>) -> Option<RdfFormat> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Some(RdfFormat::JsonLd);
    };
    let mut best: Option<(f32, usize, RdfFormat)> = None;
    for (position, item) in accept.split(',').enumerate() {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        let format = match media.as_str() {
            "*/*" | "application/*" => Some(RdfFormat::JsonLd),
            "text/n3" | "text/*" => Some(RdfFormat::Turtle),
            other => RdfFormat::from_media_type(other).filter(|_| other != "text/plain"),
        };
        if let Some(format) = format {
            // Equal qualities: the first listed wins.
            let better = best.is_none_or(|(bq, bp, _)| q > bq || (q == bq && position < bp));
            if better {
                best = Some((q, position, format));
            }
        }
    }
    best.map(|(_, _, f)| f)
}

/// The format of a negotiated request.
fn negotiated(headers: &HeaderMap) -> Option<RdfFormat> {
    negotiate(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()))
}

/// The `406` when `Accept` names no RDF syntax.
fn not_acceptable() -> Response {
    let message = "Not acceptable: ask for text/turtle, application/rdf+xml, application/ld+json \
        or application/n-triples, or use an extension (.ttl, .rdf, .jsonld, .nt).";
    let mut response = (
        StatusCode::NOT_ACCEPTABLE,
        axum::Json(serde_json::json!({ "message": message })),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static(VARY_ACCEPT));
    response
}

/// `{stem}.{ext}` -> the format, for the extension URLs.
fn by_extension(file: &str, stem: &str) -> Option<RdfFormat> {
    let ext = file.strip_prefix(stem)?.strip_prefix('.')?;
    RdfFormat::from_extension(ext)
}

fn agent_of(d: &Dataset, ctx: &ViewCtx<'_>) -> Agent {
    let base = ctx.base;
    let fallback = || Agent {
        iri: format!("{base}/"),
        name: crate::site::TITLE.to_owned(),
        homepage: Some(format!("{base}/")),
        email: None,
    };
    match &d.publisher {
        Publisher::Organization(id) => ctx.organizations.get(id).map_or_else(fallback, |o| Agent {
            iri: format!("{base}/organizations/{}/", o.slug),
            name: o.name.clone(),
            homepage: o.url.clone(),
            email: None,
        }),
        Publisher::User(id) => ctx.users.get(id).map_or_else(fallback, |u| Agent {
            iri: format!("{base}/users/{}/", u.slug),
            name: u.display_name(),
            homepage: u.website.clone(),
            email: None,
        }),
    }
}

fn export<'a>(d: &'a Dataset, ctx: &ViewCtx<'_>) -> ExportDataset<'a> {
    let base = ctx.base;
    ExportDataset {
        dataset: d,
        iri: format!("{base}/datasets/{}/", d.id),
        landing_page: format!("{base}/datasets/{}/", d.slug),
        publisher: agent_of(d, ctx),
        contact_point: None,
        resource_urls: d
            .resources
            .iter()
            .map(|r| ResourceUrls {
                iri: format!("{base}/datasets/{}/#resource-{}", d.id, r.id),
                access_url: format!("{base}/api/1/datasets/r/{}", r.id),
                download_url: absolute_url(&r.url, base),
            })
            .collect(),
    }
}

fn internal(e: portail_dcat::DcatError) -> ApiError {
    ApiError(portail_app::AppError::Internal(format!(
        "cannot write DCAT: {e}"
    )))
}

fn rdf_response(
    headers: &HeaderMap,
    format: RdfFormat,
    body: Bytes,
    last_modified: Option<DateTime<Utc>>,
) -> Response {
    conditional::respond_bytes(
        headers,
        content_type(format),
        body,
        last_modified,
        VARY_ACCEPT,
        Caching::Public,
    )
}

/// Which catalog: the portal's or one organization's.
enum Scope {
    Site,
    Organization(Box<Organization>),
}

async fn catalog(
    state: &AppState,
    base: &str,
    params: &Params,
    uri: &Uri,
    headers: &HeaderMap,
    format: RdfFormat,
    scope: Scope,
) -> ApiResult<Response> {
    let page = PageRequest::from_params(params, DEFAULT_PAGE_SIZE)?;
    let mut query = dataset_query(state, params, None, page).await?;
    let modified_since = match params.get("modified_since") {
        None => None,
        Some(raw) => Some(parse_since(raw).ok_or_else(|| {
            ApiError::field(
                "modified_since",
                format!("Expected an ISO 8601 date or date-time, got \"{raw}\"."),
            )
        })?),
    };
    let (catalog_iri, title) = match &scope {
        Scope::Site => (format!("{base}/catalog"), crate::site::TITLE.to_owned()),
        Scope::Organization(o) => (
            format!("{base}/api/1/organizations/{}/catalog", o.id),
            o.name.clone(),
        ),
    };
    if let Some(q) = query.as_mut() {
        q.viewer = Viewer::Anonymous;
        q.sort = Some("id".into());
        q.modified_since = modified_since;
        if let Scope::Organization(o) = &scope {
            q.organization_id = Some(o.id.clone());
        }
    }
    let key = format!("{base}{uri}|{}", format.extension());
    let (body, last_modified) = match state.cache.get(&key) {
        Some(hit) => (hit.body, None),
        None => {
            let generation = state.cache.generation();
            let (datasets, total) = match &query {
                Some(q) => usecase::list(&state.app, q).await?,
                None => (Vec::new(), 0),
            };
            let refs: Vec<&Dataset> = datasets.iter().collect();
            let ctx = view_ctx(state, base, None, &refs).await?;
            let exports: Vec<ExportDataset<'_>> =
                datasets.iter().map(|d| export(d, &ctx)).collect();
            let path = uri.path().to_owned();
            let page_iri = |n: u64| format!("{base}{path}?{}", params.with("page", &n.to_string()));
            let paging = Paging {
                page: u64::try_from(page.page).unwrap_or(1),
                page_size: u64::try_from(page.page_size).unwrap_or(1),
                total: u64::try_from(total).unwrap_or(0),
                page_iri: &page_iri,
            };
            let info = CatalogInfo {
                iri: catalog_iri,
                title,
                description: crate::site::DESCRIPTION.to_owned(),
                homepage: format!("{base}/"),
                language: crate::site::LOCALE.to_owned(),
                publisher: Agent {
                    iri: format!("{base}/"),
                    name: crate::site::TITLE.to_owned(),
                    homepage: Some(format!("{base}/")),
                    email: None,
                },
            };
            let bytes = portail_dcat::write_catalog(&info, &exports, Some(&paging), format)
                .map_err(internal)?;
            let cached = state.cache.put(key, Bytes::from(bytes), generation);
            (
                cached.body,
                datasets.iter().map(Dataset::last_modified).max(),
            )
        }
    };
    let last_modified = match last_modified {
        Some(at) => Some(at),
        None => portail_app::catalog::last_public_change(&state.app).await?,
    };
    Ok(rdf_response(headers, format, body, last_modified))
}

fn parse_since(raw: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(raw) {
        return Some(d.with_timezone(&Utc));
    }
    let naive = raw.trim_end_matches('Z');
    chrono::NaiveDateTime::parse_from_str(naive, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|d| d.and_utc())
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(naive, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

fn not_found() -> ApiError {
    ApiError::not_found("Not found: check the path (see /api/1/docs/ for the API).")
}

/// The portal's DCAT catalog, format by `Accept` (JSON-LD by default).
#[utoipa::path(
    get, path = "/api/1/site/catalog", tag = "site", operation_id = "get_site_catalog",
    params(("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query, description = "Default 100, at most 1000"),
           ("modified_since" = Option<String>, Query, description = "ISO 8601: only datasets changed since")),
    responses((status = 200, description = "DCAT-AP catalog page with Hydra paging", content_type = "application/ld+json"), (status = 304), (status = 400))
)]
pub async fn get_site_catalog(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Some(format) = negotiated(&headers) else {
        return Ok(not_acceptable());
    };
    catalog(&state, &base, &params, &uri, &headers, format, Scope::Site).await
}

/// The portal's DCAT catalog in the format of the extension (`catalog.ttl`, `.rdf`, `.xml`,
/// `.jsonld`, `.json`, `.nt`, `.nq`, `.trig`).
#[utoipa::path(
    get, path = "/api/1/site/{catalog_file}", tag = "site", operation_id = "get_site_catalog_file",
    params(("catalog_file" = String, Path, description = "catalog.ttl, catalog.rdf, catalog.xml, catalog.jsonld, catalog.json, catalog.nt"),
           ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query), ("modified_since" = Option<String>, Query)),
    responses((status = 200, description = "DCAT-AP catalog page"), (status = 304), (status = 404, description = "Unknown file"))
)]
pub async fn get_site_catalog_file(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(file): Path<String>,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let format = by_extension(&file, "catalog").ok_or_else(not_found)?;
    catalog(&state, &base, &params, &uri, &headers, format, Scope::Site).await
}

/// The portal's DCAT catalog at the root (`/catalog`), format by `Accept`.
#[utoipa::path(
    get, path = "/catalog", tag = "site", operation_id = "get_root_catalog",
    responses((status = 200, description = "DCAT-AP catalog page"), (status = 304), (status = 400))
)]
pub async fn get_root_catalog(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Some(format) = negotiated(&headers) else {
        return Ok(not_acceptable());
    };
    catalog(&state, &base, &params, &uri, &headers, format, Scope::Site).await
}

/// `/catalog.{ext}` at the root (served through the root file route, see `pages::sitemap`).
pub async fn root_catalog_file(
    state: &AppState,
    base: &str,
    file: &str,
    params: &Params,
    uri: &Uri,
    headers: &HeaderMap,
) -> Option<ApiResult<Response>> {
    let format = by_extension(file, "catalog")?;
    Some(catalog(state, base, params, uri, headers, format, Scope::Site).await)
}

/// One organization's DCAT catalog, format by `Accept`.
#[utoipa::path(
    get, path = "/api/1/organizations/{org}/catalog", tag = "organizations", operation_id = "get_organization_catalog",
    params(("org" = String, Path), ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query), ("modified_since" = Option<String>, Query)),
    responses((status = 200, description = "DCAT-AP catalog page"), (status = 304), (status = 404), (status = 410))
)]
pub async fn get_organization_catalog(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(org): Path<String>,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Some(format) = negotiated(&headers) else {
        return Ok(not_acceptable());
    };
    let org = portail_app::organizations::get(&state.app, &org).await?;
    let scope = Scope::Organization(Box::new(org));
    catalog(&state, &base, &params, &uri, &headers, format, scope).await
}

/// One organization's DCAT catalog by extension (`catalog.ttl`...).
#[utoipa::path(
    get, path = "/api/1/organizations/{org}/{org_file}", tag = "organizations", operation_id = "get_organization_catalog_file",
    params(("org" = String, Path), ("org_file" = String, Path, description = "catalog.ttl, catalog.rdf, catalog.jsonld, catalog.nt..."),
           ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query), ("modified_since" = Option<String>, Query)),
    responses((status = 200, description = "DCAT-AP catalog page"), (status = 304), (status = 404), (status = 410))
)]
pub async fn get_organization_catalog_file(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path((org, file)): Path<(String, String)>,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let format = by_extension(&file, "catalog").ok_or_else(not_found)?;
    let org = portail_app::organizations::get(&state.app, &org).await?;
    let scope = Scope::Organization(Box::new(org));
    catalog(&state, &base, &params, &uri, &headers, format, scope).await
}

async fn dataset_rdf(
    state: &AppState,
    base: &str,
    id: &str,
    headers: &HeaderMap,
    format: RdfFormat,
) -> ApiResult<Response> {
    // Public datasets only, whoever asks: these documents are cached and shared.
    let d = usecase::get(&state.app, None, id).await?;
    let ctx = view_ctx(state, base, None, &[&d]).await?;
    let bytes = portail_dcat::write_dataset(&export(&d, &ctx), format).map_err(internal)?;
    Ok(rdf_response(
        headers,
        format,
        Bytes::from(bytes),
        Some(d.last_modified()),
    ))
}

/// One public dataset in DCAT-AP, format by `Accept`.
#[utoipa::path(
    get, path = "/api/1/datasets/{dataset}/rdf", tag = "datasets", operation_id = "get_dataset_rdf",
    params(("dataset" = String, Path, description = "Dataset id or slug")),
    responses((status = 200, description = "The dataset with its distributions"), (status = 304), (status = 404))
)]
pub async fn get_dataset_rdf(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Some(format) = negotiated(&headers) else {
        return Ok(not_acceptable());
    };
    dataset_rdf(&state, &base, &dataset, &headers, format).await
}

/// One public dataset in DCAT-AP by extension (`rdf.ttl`, `rdf.xml`, `rdf.jsonld`, `rdf.nt`...).
#[utoipa::path(
    get, path = "/api/1/datasets/{dataset}/{rdf_file}", tag = "datasets", operation_id = "get_dataset_rdf_file",
    params(("dataset" = String, Path), ("rdf_file" = String, Path, description = "rdf.ttl, rdf.xml, rdf.jsonld, rdf.nt...")),
    responses((status = 200, description = "The dataset with its distributions"), (status = 304), (status = 404))
)]
pub async fn get_dataset_rdf_file(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path((dataset, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let format = by_extension(&file, "rdf").ok_or_else(not_found)?;
    dataset_rdf(&state, &base, &dataset, &headers, format).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_picks_the_preferred_rdf_syntax() {
        assert_eq!(negotiate(None), Some(RdfFormat::JsonLd));
        assert_eq!(negotiate(Some("*/*")), Some(RdfFormat::JsonLd));
        assert_eq!(negotiate(Some("text/turtle")), Some(RdfFormat::Turtle));
        assert_eq!(
            negotiate(Some("application/x-turtle")),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(
            negotiate(Some(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            )),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(
            negotiate(Some("application/ld+json;q=0.5, text/turtle;q=0.9")),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(
            negotiate(Some("application/n-triples")),
            Some(RdfFormat::NTriples)
        );
        assert_eq!(negotiate(Some("image/png")), None);
        assert_eq!(negotiate(Some("text/turtle;q=0")), None);
    }

    #[test]
    fn extensions_name_the_format() {
        assert_eq!(
            by_extension("catalog.ttl", "catalog"),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(
            by_extension("catalog.xml", "catalog"),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(
            by_extension("catalog.json", "catalog"),
            Some(RdfFormat::JsonLd)
        );
        assert_eq!(by_extension("rdf.nt", "rdf"), Some(RdfFormat::NTriples));
        assert_eq!(by_extension("catalog.csv", "catalog"), None);
        assert_eq!(by_extension("other.ttl", "catalog"), None);
    }
}

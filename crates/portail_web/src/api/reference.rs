//! Reference lists: licenses, frequencies, resource types, upload extensions, granularities,
//! organization roles. Labels follow `?lang=` or `Accept-Language` (English by default).

use axum::Json;
use axum::http::{HeaderMap, header};
use portail_core::frequency::FREQUENCIES;
use portail_core::licenses::{LICENSES, License};
use portail_core::reference::{
    ALLOWED_UPLOAD_EXTENSIONS, Choice, GRANULARITIES, ORG_ROLES, RESOURCE_TYPES,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::extract::Params;
use crate::views::ApiChoice;

/// The language asked for: `?lang=`, else the first `Accept-Language` entry.
pub fn language(params: &Params, headers: &HeaderMap) -> String {
    if let Some(lang) = params.get("lang") {
        return lang.to_ascii_lowercase();
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split([',', ';']).next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_else(|| "en".into())
}

fn choices(list: &[Choice], lang: &str) -> Vec<ApiChoice> {
    list.iter()
        .map(|c| ApiChoice {
            id: c.id.to_owned(),
            label: c.label(lang).to_owned(),
        })
        .collect()
}

/// A license as listed by udata.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiLicense {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub maintainer: Option<String>,
    pub flags: Vec<String>,
    pub alternate_urls: Vec<String>,
    pub alternate_titles: Vec<String>,
}

impl From<&License> for ApiLicense {
    fn from(l: &License) -> ApiLicense {
        let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        ApiLicense {
            id: l.id.to_owned(),
            title: l.title.to_owned(),
            url: l.url.map(str::to_owned),
            maintainer: l.maintainer.map(str::to_owned),
            flags: strings(l.flags),
            alternate_urls: strings(l.alternate_urls),
            alternate_titles: strings(l.alternate_titles),
        }
    }
}

/// Licenses a dataset can use.
#[utoipa::path(get, path = "/api/1/datasets/licenses/", tag = "reference", operation_id = "list_licenses",
    responses((status = 200, body = Vec<ApiLicense>)))]
pub async fn list_licenses() -> Json<Vec<ApiLicense>> {
    Json(LICENSES.iter().map(ApiLicense::from).collect())
}

/// Update frequencies.
#[utoipa::path(get, path = "/api/1/datasets/frequencies/", tag = "reference", operation_id = "list_frequencies",
    params(("lang" = Option<String>, Query)), responses((status = 200, body = Vec<ApiChoice>)))]
pub async fn list_frequencies(params: Params, headers: HeaderMap) -> Json<Vec<ApiChoice>> {
    let lang = language(&params, &headers);
    Json(
        FREQUENCIES
            .iter()
            .map(|f| ApiChoice {
                id: f.id.to_owned(),
                label: f.label(&lang).to_owned(),
            })
            .collect(),
    )
}

/// Resource types.
#[utoipa::path(get, path = "/api/1/datasets/resource_types/", tag = "reference", operation_id = "list_resource_types",
    params(("lang" = Option<String>, Query)), responses((status = 200, body = Vec<ApiChoice>)))]
pub async fn list_resource_types(params: Params, headers: HeaderMap) -> Json<Vec<ApiChoice>> {
    Json(choices(RESOURCE_TYPES, &language(&params, &headers)))
}

/// File extensions accepted for uploads.
#[utoipa::path(get, path = "/api/1/datasets/extensions/", tag = "reference", operation_id = "list_extensions",
    responses((status = 200, body = Vec<String>)))]
pub async fn list_extensions() -> Json<Vec<String>> {
    Json(
        ALLOWED_UPLOAD_EXTENSIONS
            .iter()
            .map(|e| (*e).to_owned())
            .collect(),
    )
}

/// A spatial granularity (`{id, name}` as udata).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiGranularity {
    pub id: String,
    pub name: String,
}

/// Spatial granularities.
#[utoipa::path(get, path = "/api/1/spatial/granularities/", tag = "reference", operation_id = "list_granularities",
    params(("lang" = Option<String>, Query)), responses((status = 200, body = Vec<ApiGranularity>)))]
pub async fn list_granularities(params: Params, headers: HeaderMap) -> Json<Vec<ApiGranularity>> {
    let lang = language(&params, &headers);
    Json(
        GRANULARITIES
            .iter()
            .map(|g| ApiGranularity {
                id: g.id.to_owned(),
                name: g.label(&lang).to_owned(),
            })
            .collect(),
    )
}

/// Roles of organization members.
#[utoipa::path(get, path = "/api/1/organizations/roles/", tag = "reference", operation_id = "list_organization_roles",
    params(("lang" = Option<String>, Query)), responses((status = 200, body = Vec<ApiChoice>)))]
pub async fn list_organization_roles(params: Params, headers: HeaderMap) -> Json<Vec<ApiChoice>> {
    Json(choices(ORG_ROLES, &language(&params, &headers)))
}

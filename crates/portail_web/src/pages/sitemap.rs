//! `/sitemap.xml` (sitemaps.org 0.9) and `/robots.txt`, for search engines.
//!
//! The sitemap lists the pages of public datasets and live organizations (`/datasets/{slug}/`,
//! `/organizations/{slug}/`), with the real date of their last change. Up to
//! [`URLS_PER_FILE`] URLs it is one `urlset`; above, it is a `sitemapindex` of
//! `/sitemap-datasets-{n}.xml` and `/sitemap-organizations-{n}.xml` (numbered from 1), which
//! are always served. They live at the root because a sitemap may only list URLs at or below
//! its own folder.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use portail_app::catalog;
use portail_db::catalog::SitemapEntry;

use crate::api::feeds::xml_escape;
use crate::conditional::{self, Caching, VARY_ACCEPT};
use crate::errors::ApiResult;
use crate::extract::{BaseUrl, Params};
use crate::state::AppState;

/// URLs per sitemap file at most (the protocol's limit).
pub const URLS_PER_FILE: i64 = 50_000;

const XML: &str = "application/xml; charset=utf-8";

fn lastmod(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A `urlset` of `(page URL, last change)`.
pub fn render_urlset<'a>(urls: impl Iterator<Item = (String, &'a DateTime<Utc>)>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, at) in urls {
        out.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&loc),
            lastmod(*at)
        ));
    }
    out.push_str("</urlset>\n");
    out
}

/// The files of a catalog too large for one sitemap: `(kind, number)` for each.
pub fn index_files(datasets: i64, organizations: i64, per_file: i64) -> Vec<(&'static str, i64)> {
    let files = |n: i64| if n <= 0 { 0 } else { (n - 1) / per_file + 1 };
    (1..=files(datasets))
        .map(|n| ("datasets", n))
        .chain((1..=files(organizations)).map(|n| ("organizations", n)))
        .collect()
}

/// A `sitemapindex` over the files.
pub fn render_index(base: &str, files: &[(&str, i64)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (kind, n) in files {
        out.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&format!("{base}/sitemap-{kind}-{n}.xml"))
        ));
    }
    out.push_str("</sitemapindex>\n");
    out
}

fn page_urls<'a>(
    base: &'a str,
    kind: &'a str,
    entries: &'a [SitemapEntry],
) -> impl Iterator<Item = (String, &'a DateTime<Utc>)> + 'a {
    entries
        .iter()
        .map(move |e| (format!("{base}/{kind}/{}/", e.slug), &e.last_modified))
}

/// Serves generated XML from the anonymous cache (a sitemap of 50 000 URLs is not rebuilt
/// for every crawler).
async fn cached_xml<F>(
    state: &AppState,
    headers: &HeaderMap,
    key: String,
    build: F,
) -> ApiResult<Response>
where
    F: std::future::Future<Output = ApiResult<Option<String>>>,
{
    let body = match state.cache.get(&key) {
        Some(hit) => hit.body,
        None => {
            let generation = state.cache.generation();
            let Some(xml) = build.await? else {
                return Ok(crate::middleware::not_found().await);
            };
            state.cache.put(key, Bytes::from(xml), generation).body
        }
    };
    let last_modified = catalog::last_public_change(&state.app).await?;
    Ok(conditional::respond_bytes(
        headers,
        XML,
        body,
        last_modified,
        VARY_ACCEPT,
        Caching::Public,
    ))
}

/// The sitemap: a `urlset`, or a `sitemapindex` above 50 000 URLs.
#[utoipa::path(
    get, path = "/sitemap.xml", tag = "site", operation_id = "get_sitemap",
    responses((status = 200, description = "sitemaps.org urlset or sitemapindex", content_type = "application/xml"), (status = 304))
)]
pub async fn get_sitemap(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let key = format!("{base}/sitemap.xml");
    let build = async {
        let (datasets, organizations) = catalog::public_counts(&state.app).await?;
        if datasets + organizations > URLS_PER_FILE {
            return Ok(Some(render_index(
                &base,
                &index_files(datasets, organizations, URLS_PER_FILE),
            )));
        }
        let d = catalog::sitemap_datasets(&state.app, 0, URLS_PER_FILE).await?;
        let o = catalog::sitemap_organizations(&state.app, 0, URLS_PER_FILE).await?;
        Ok(Some(render_urlset(
            page_urls(&base, "datasets", &d).chain(page_urls(&base, "organizations", &o)),
        )))
    };
    cached_xml(&state, &headers, key, build).await
}

/// Reads `sitemap-{kind}-{n}.xml`.
fn parse_part(file: &str) -> Option<(&'static str, i64)> {
    let rest = file.strip_prefix("sitemap-")?.strip_suffix(".xml")?;
    let (kind, n) = rest.rsplit_once('-')?;
    let kind = match kind {
        "datasets" => "datasets",
        "organizations" => "organizations",
        _ => return None,
    };
    let n: i64 = n.parse().ok().filter(|n| *n >= 1)?;
    Some((kind, n))
}

/// A file at the root: one file of a sitemap index (`/sitemap-datasets-1.xml`,
/// `/sitemap-organizations-1.xml`) or the DCAT catalog by extension (`/catalog.ttl`...);
/// other single-segment paths are the usual 404.
#[utoipa::path(
    get, path = "/{file}", tag = "site", operation_id = "get_root_file",
    params(("file" = String, Path, description = "sitemap-datasets-{n}.xml, sitemap-organizations-{n}.xml, or catalog.{ttl,rdf,xml,jsonld,json,nt}")),
    responses((status = 200, description = "sitemaps.org urlset, or a DCAT-AP catalog page"), (status = 304), (status = 404, description = "No such file"))
)]
pub async fn get_root_file(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(file): Path<String>,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(answer) =
        crate::api::dcat::root_catalog_file(&state, &base, &file, &params, &uri, &headers).await
    {
        return answer;
    }
    let Some((kind, n)) = parse_part(&file) else {
        return Ok(crate::middleware::not_found().await);
    };
    let key = format!("{base}/sitemap-{kind}-{n}.xml");
    let build = async {
        let offset = (n - 1).saturating_mul(URLS_PER_FILE);
        let entries = if kind == "datasets" {
            catalog::sitemap_datasets(&state.app, offset, URLS_PER_FILE).await?
        } else {
            catalog::sitemap_organizations(&state.app, offset, URLS_PER_FILE).await?
        };
        // The first file exists even when empty, so a fresh portal's index is valid.
        if entries.is_empty() && n > 1 {
            return Ok(None);
        }
        Ok(Some(render_urlset(page_urls(&base, kind, &entries))))
    };
    cached_xml(&state, &headers, key, build).await
}

/// `robots.txt`: everything may be crawled except per-user API paths and download
/// permalinks (a crawler would count as a download); the sitemap is announced.
#[utoipa::path(
    get, path = "/robots.txt", tag = "site", operation_id = "get_robots_txt",
    responses((status = 200, description = "robots.txt", content_type = "text/plain"))
)]
pub async fn get_robots_txt(BaseUrl(base): BaseUrl, headers: HeaderMap) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/1/me/\nDisallow: /api/1/datasets/r/\n\nSitemap: {base}/sitemap.xml\n"
    );
    conditional::respond_bytes(
        &headers,
        "text/plain; charset=utf-8",
        Bytes::from(body),
        None,
        VARY_ACCEPT,
        Caching::Public,
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_numbered_from_one() {
        assert_eq!(parse_part("sitemap-datasets-1.xml"), Some(("datasets", 1)));
        assert_eq!(
            parse_part("sitemap-organizations-12.xml"),
            Some(("organizations", 12))
        );
        for bad in [
            "sitemap-datasets-0.xml",
            "sitemap-users-1.xml",
            "sitemap.xml",
            "nope",
            "sitemap-datasets-x.xml",
        ] {
            assert_eq!(parse_part(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_index_splits_each_kind_into_files() {
        assert_eq!(
            index_files(50_001, 3, 50_000),
            vec![("datasets", 1), ("datasets", 2), ("organizations", 1)]
        );
        assert_eq!(index_files(0, 0, 50_000), vec![]);
        let xml = render_index("https://p.example", &index_files(100_000, 0, 50_000));
        assert!(
            xml.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert!(xml.contains("<loc>https://p.example/sitemap-datasets-2.xml</loc>"));
        assert!(!xml.contains("sitemap-datasets-3.xml"));
    }
}

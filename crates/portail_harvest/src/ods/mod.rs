//! OpenDataSoft reader: the Explore API v2.1 catalog, `GET /api/explore/v2.1/catalog/datasets`
//! paged by `offset`/`limit`.
//!
//! The API pages through at most 10 000 datasets (`offset + limit` must stay below 10 000,
//! `limit` ≤ 100). When the first page says the catalog is larger, the reader switches to
//! ODS's DCAT export ([`dcat_export_url`]), one RDF/XML document of the whole catalog read by
//! `portail_dcat`, which is what udata does for every ODS source since its migration to DCAT.
//! Both paths identify a dataset by `{root}/explore/dataset/{id}/`, so a source can move from
//! one to the other without duplicating its datasets. The export is one response: it must fit
//! the outbound size limit.

mod map;

use chrono::{DateTime, Utc};
use portail_dcat::ReadLimits;
use serde_json::Value;
use url::Url;

pub use map::{SHP_MAX_RECORDS, dataset_page, export_url, map_dataset};

use crate::config::{FilterType, SourceConfig};
use crate::dcat::DcatReader;
use crate::harvester::HarvestError;
use crate::json::kind_of;
use crate::outbound::{Fetch, FetchRequest};
use portail_core::harvest::RemoteRecord;

/// Largest `limit` of the Explore API without `group_by`.
pub const MAX_LIMIT: u64 = 100;
/// `offset + limit` must stay below this.
pub const PAGING_WINDOW: u64 = 10_000;

const PURPOSE: &str = "harvester; ods";

/// Reads an ODS catalog one page at a time.
#[derive(Debug)]
pub(crate) struct OdsReader {
    root: String,
    offset: u64,
    total: Option<u64>,
    done: bool,
    /// Set when the catalog is beyond the paging window: the DCAT export is read instead.
    export: Option<DcatReader>,
}

impl OdsReader {
    pub(crate) fn new(config: &SourceConfig) -> OdsReader {
        OdsReader {
            root: crate::site_root(&config.url),
            offset: 0,
            total: None,
            done: false,
            export: None,
        }
    }

    pub(crate) fn total(&self) -> Option<u64> {
        self.total
    }

    pub(crate) async fn next_page<F: Fetch>(
        &mut self,
        fetcher: &F,
        config: &SourceConfig,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<RemoteRecord>>, HarvestError> {
        if let Some(export) = &mut self.export {
            return export.next_page(fetcher, config, now).await;
        }
        if self.done {
            return Ok(None);
        }
        let limit = page_limit(config, self.offset);
        if limit == 0 {
            self.done = true;
            return Ok(None);
        }
        let url = catalog_page_url(&self.root, config, self.offset, limit)?;
        let mut request =
            FetchRequest::get(url.clone(), PURPOSE).header("Accept", "application/json");
        if let Some(key) = &config.api_key {
            request = request.header("Authorization", format!("Apikey {key}"));
        }
        let response = fetcher.fetch(request).await?;
        if !response.is_success()
            && let Some(message) = ods_error_message(&response.body)
        {
            return Err(HarvestError::Remote {
                url: url.to_string(),
                message: format!("HTTP {}: {message}", response.status),
            });
        }
        let response = response.error_for_status()?;
        let page = read_catalog_page(&response.body, &self.root, now).map_err(|e| e.at(&url))?;
        if self.offset == 0 {
            self.total = page.total_count;
            if let Some(total) = page.total_count.filter(|t| *t >= PAGING_WINDOW) {
                let export_url = dcat_export_url(&self.root, config);
                tracing::info!(%total, %export_url, "ODS catalog beyond the paging window, reading its DCAT export");
                // The export holds the whole catalog in one document: the bound is the
                // outbound size limit, not a dataset count.
                let limits = ReadLimits {
                    max_triples: 5_000_000,
                    max_datasets: usize::MAX,
                };
                let mut export = DcatReader::starting_at(export_url, PURPOSE, limits);
                if let Some(key) = &config.api_key {
                    export = export.with_header("Authorization", format!("Apikey {key}"));
                }
                return self
                    .export
                    .insert(export)
                    .next_page(fetcher, config, now)
                    .await;
            }
        }
        if page.records.is_empty() {
            self.done = true;
            return Ok(None);
        }
        self.offset += page.records.len() as u64;
        if page.total_count.is_some_and(|total| self.offset >= total) {
            self.done = true;
        }
        Ok(Some(page.records))
    }
}

/// The `limit` of the page at `offset`: at most 100, and `offset + limit` below 10 000.
fn page_limit(config: &SourceConfig, offset: u64) -> u64 {
    let wanted = config
        .page_size
        .map_or(MAX_LIMIT, u64::from)
        .clamp(1, MAX_LIMIT);
    wanted.min((PAGING_WINDOW - 1).saturating_sub(offset))
}

/// `{root}/api/explore/v2.1/catalog/datasets?limit=..&offset=..` with the source's filters:
/// include filters as `refine=<facet>:<value>`, exclude filters as `exclude=<facet>:<value>`,
/// and the ODSQL `where` extra config.
pub fn catalog_page_url(
    root: &str,
    config: &SourceConfig,
    offset: u64,
    limit: u64,
) -> Result<Url, HarvestError> {
    let text = format!("{root}/api/explore/v2.1/catalog/datasets");
    let mut url = Url::parse(&text).map_err(|e| {
        HarvestError::Config(crate::config::ConfigError(format!(
            "invalid URL {text}: {e}"
        )))
    })?;
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("limit", &limit.to_string())
            .append_pair("offset", &offset.to_string());
        if let Some(clause) = &config.ods_where {
            query.append_pair("where", clause);
        }
        for filter in config.filters_of(FilterType::Include) {
            query.append_pair("refine", &format!("{}:{}", filter.key, filter.value));
        }
        for filter in config.filters_of(FilterType::Exclude) {
            query.append_pair("exclude", &format!("{}:{}", filter.key, filter.value));
        }
    }
    Ok(url)
}

/// The whole catalog as DCAT (RDF/XML), for catalogs beyond the API's paging window:
/// `{root}/api/explore/v2.1/catalog/exports/dcat?include_exports=csv,json,geojson,shp&lang=fr`,
/// with the filters as an ODSQL `where` (`keyword="x" AND NOT publisher="y"`, as udata's
/// migration wrote them).
pub fn dcat_export_url(root: &str, config: &SourceConfig) -> Url {
    let text = format!("{root}/api/explore/v2.1/catalog/exports/dcat");
    // `root` comes from a parsed URL, so this only fails on a broken root; fall back to it.
    let mut url = Url::parse(&text).unwrap_or_else(|_| config.url.clone());
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("include_exports", "csv,json,geojson,shp")
            .append_pair("lang", "fr");
        if let Some(clause) = filters_where(config) {
            query.append_pair("where", &clause);
        }
    }
    url
}

/// The source's filters and `where` extra config as one ODSQL clause.
pub fn filters_where(config: &SourceConfig) -> Option<String> {
    let quote = |v: &str| {
        format!(
            "\"{}\"",
            v.trim().replace('\\', "\\\\").replace('"', "\\\"")
        )
    };
    let mut clauses = Vec::new();
    let mut keys: Vec<&str> = config
        .filters_of(FilterType::Include)
        .map(|f| f.key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let values: Vec<String> = config
            .filters_of(FilterType::Include)
            .filter(|f| f.key == key)
            .map(|f| format!("{key}={}", quote(&f.value)))
            .collect();
        clauses.push(if values.len() == 1 {
            values.concat()
        } else {
            format!("({})", values.join(" OR "))
        });
    }
    for filter in config.filters_of(FilterType::Exclude) {
        clauses.push(format!("NOT {}={}", filter.key, quote(&filter.value)));
    }
    if let Some(clause) = &config.ods_where {
        clauses.push(format!("({clause})"));
    }
    (!clauses.is_empty()).then(|| clauses.join(" AND "))
}

/// A catalog page, mapped.
#[derive(Debug)]
pub struct CatalogPage {
    pub total_count: Option<u64>,
    pub records: Vec<RemoteRecord>,
}

/// Why a body is not a catalog page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    Malformed(String),
    /// An API v1 (or unknown) payload, which this reader does not read.
    Unsupported(String),
}

impl PageError {
    fn at(self, url: &Url) -> HarvestError {
        match self {
            PageError::Malformed(message) => HarvestError::MalformedPage {
                url: url.to_string(),
                message,
            },
            PageError::Unsupported(message) => HarvestError::Unsupported { message },
        }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::Malformed(m) | PageError::Unsupported(m) => f.write_str(m),
        }
    }
}

const V1_MESSAGE: &str = "ODS API v1 payload (datasetid, nhits), which Portail does not read: use the portal root as the source URL, Portail reads the Explore API v2.1 (/api/explore/v2.1/catalog/datasets)";

/// Maps a `/catalog/datasets` body: v2.1 `{total_count, results}`, v2.0 `{total_count,
/// datasets: [{dataset}]}`, or a single dataset (`/catalog/datasets/{id}`). API v1 payloads
/// give a clear [`PageError::Unsupported`].
pub fn read_catalog_page(
    body: &[u8],
    root: &str,
    now: DateTime<Utc>,
) -> Result<CatalogPage, PageError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| PageError::Malformed(format!("invalid JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(PageError::Malformed(format!(
            "the catalog page is {} instead of an object",
            kind_of(&value)
        )));
    };
    let is_v1 = object.contains_key("nhits")
        || object.contains_key("datasetid")
        || object
            .get("datasets")
            .and_then(Value::as_array)
            .and_then(|list| list.first())
            .is_some_and(|first| first.get("datasetid").is_some());
    if is_v1 {
        return Err(PageError::Unsupported(V1_MESSAGE.to_owned()));
    }
    let total_count = object.get("total_count").and_then(Value::as_u64);
    if object.contains_key("dataset_id") {
        return Ok(CatalogPage {
            total_count: Some(1),
            records: vec![map_dataset(&value, root, now)],
        });
    }
    let records = match (object.get("results"), object.get("datasets")) {
        (Some(Value::Array(results)), _) => {
            results.iter().map(|d| map_dataset(d, root, now)).collect()
        }
        (None, Some(Value::Array(wrapped))) => wrapped
            .iter()
            .map(|item| map_dataset(item.get("dataset").unwrap_or(item), root, now))
            .collect(),
        (Some(other), _) | (None, Some(other)) => {
            return Err(PageError::Malformed(format!(
                "results is {} instead of a list",
                kind_of(other)
            )));
        }
        (None, None) => {
            return Err(PageError::Malformed(
                "not an Explore API catalog page (no results)".to_owned(),
            ));
        }
    };
    Ok(CatalogPage {
        total_count,
        records,
    })
}

/// The message of an ODS error body (`{"message", "error_code"}` or the quota's `{"error"}`).
fn ods_error_message(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let message = value
        .get("message")
        .or_else(|| value.get("error"))
        .and_then(Value::as_str)?;
    Some(match value.get("error_code").and_then(Value::as_str) {
        Some(code) => format!("{code}: {message}"),
        None => message.to_owned(),
    })
}

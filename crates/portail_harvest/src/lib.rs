//! Readers for remote catalogs: CKAN (and DKAN), OpenDataSoft and DCAT. Each reader fetches
//! pages through the SSRF-guarded [`outbound`] client and turns them into
//! [`portail_core::harvest::RemoteRecord`]s. No database access: the harvest use case
//! (`portail_app`) matches and writes the records.
//!
//! - [`outbound`]: the HTTP client of every outgoing request (policy, limits, User-Agent);
//! - [`config`]: backends (`GET /api/1/harvest/backends/`) and source configuration;
//! - [`Harvester`]: the paging API the job drives, with the item cap and the time limit;
//! - [`ckan`], [`ods`]: the readers and their pure mapping functions;
//! - [`html`]: remote HTML descriptions to Markdown-safe text.

pub mod ckan;
pub mod config;
mod dates;
mod dcat;
pub mod harvester;
pub mod html;
mod json;
pub mod ods;
pub mod outbound;

pub use config::{Backend, BackendInfo, ConfigError, Filter, FilterType, SourceConfig, backends};
pub use harvester::{HarvestError, Harvester};
pub use outbound::{
    Fetch, FetchRequest, FetchResponse, HttpFetcher, OutboundConfig, OutboundError, OutboundPolicy,
};
pub use portail_core::harvest::{RecordError, RemoteDataset, RemoteRecord, RemoteResource};

/// The site root of a source URL: what comes before `/api/` (users paste API URLs as often
/// as the portal's address), without query, fragment or trailing `/`.
pub(crate) fn site_root(url: &url::Url) -> String {
    let base = url.as_str().split(['?', '#']).next().unwrap_or_default();
    let base = match base.find("/api/") {
        // Keep `https://host` even when the URL is `https://host/api/...`.
        Some(pos) if pos > url.origin().ascii_serialization().len().saturating_sub(1) => {
            &base[..pos]
        }
        _ => base,
    };
    base.trim_end_matches('/')
        .trim_end_matches("/api")
        .to_owned()
}

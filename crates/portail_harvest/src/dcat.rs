//! DCAT reader: the source document, then the pages its Hydra links point to.
//!
//! The RDF parsing and the DCAT mapping are `portail_dcat`'s ([`portail_dcat::read_page`]);
//! this module fetches, picks the syntax (URL extension, else `Content-Type`) and walks the
//! `hydra:next` chain, refusing to read a page twice so that a catalog whose links loop
//! cannot keep a job running forever.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use portail_core::harvest::RemoteRecord;
use portail_dcat::{ReadLimits, guess_format, read_page};
use url::Url;

use crate::config::SourceConfig;
use crate::harvester::HarvestError;
use crate::outbound::{Fetch, FetchRequest};

/// What a DCAT request accepts: every syntax `portail_dcat` reads, Turtle first.
const ACCEPT: &str = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7, application/n-quads;q=0.6, application/trig;q=0.6, */*;q=0.1";

#[derive(Debug)]
pub(crate) struct DcatReader {
    next: Option<Url>,
    visited: HashSet<String>,
    total: Option<u64>,
    limits: ReadLimits,
    purpose: &'static str,
    headers: Vec<(String, String)>,
}

impl DcatReader {
    /// A reader of the DCAT backend, starting at the source URL.
    pub(crate) fn new(config: &SourceConfig) -> DcatReader {
        DcatReader::starting_at(config.url.clone(), "harvester; dcat", ReadLimits::default())
    }

    /// A reader starting at `url`, for another backend's DCAT path (ODS's catalog export).
    pub(crate) fn starting_at(url: Url, purpose: &'static str, limits: ReadLimits) -> DcatReader {
        DcatReader {
            next: Some(url),
            visited: HashSet::new(),
            total: None,
            limits,
            purpose,
            headers: Vec::new(),
        }
    }

    pub(crate) fn with_header(mut self, name: &str, value: String) -> DcatReader {
        self.headers.push((name.to_owned(), value));
        self
    }

    pub(crate) fn total(&self) -> Option<u64> {
        self.total
    }

    pub(crate) async fn next_page<F: Fetch>(
        &mut self,
        fetcher: &F,
        _config: &SourceConfig,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<RemoteRecord>>, HarvestError> {
        let Some(url) = self.next.take() else {
            return Ok(None);
        };
        if !self.visited.insert(url.as_str().to_owned()) {
            return Err(HarvestError::PagingLoop {
                url: url.to_string(),
            });
        }
        let mut request = FetchRequest::get(url.clone(), self.purpose).header("Accept", ACCEPT);
        for (name, value) in &self.headers {
            request = request.header(name.clone(), value.clone());
        }
        let response = fetcher.fetch(request).await?.error_for_status()?;
        // A redirect lands on another URL: it counts as read too.
        self.visited.insert(response.url.as_str().to_owned());
        let format = guess_format(response.url.as_str(), response.content_type.as_deref())
            .or_else(|| guess_format(url.as_str(), None))
            .ok_or_else(|| HarvestError::Unsupported {
                message: format!(
                    "cannot tell the RDF syntax of {}: its URL has no known extension and its Content-Type is {}",
                    response.url,
                    response.content_type.as_deref().map_or("missing".to_owned(), |t| format!("\"{t}\""))
                ),
            })?;
        let page = read_page(
            &response.body,
            format,
            response.url.as_str(),
            &self.limits,
            now,
        )
        .map_err(|e| HarvestError::MalformedPage {
            url: response.url.to_string(),
            message: e.to_string(),
        })?;
        if self.total.is_none() {
            self.total = page.total_items;
        }
        if let Some(next) = page.next_page {
            let next = Url::parse(&next).map_err(|e| HarvestError::MalformedPage {
                url: response.url.to_string(),
                message: format!("invalid next page {next:?}: {e}"),
            })?;
            self.next = Some(next);
        }
        Ok(Some(page.records))
    }
}

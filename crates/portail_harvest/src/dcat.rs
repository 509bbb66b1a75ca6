//! DCAT reader: the source document, then its Hydra next pages.
//!
//! The RDF parsing and the DCAT mapping live in `portail_dcat`, which is not part of the
//! workspace yet: until it is, a DCAT source stops with a clear "not available" error.

use chrono::{DateTime, Utc};
use portail_core::harvest::RemoteRecord;

use crate::config::SourceConfig;
use crate::harvester::HarvestError;
use crate::outbound::Fetch;

#[derive(Debug)]
pub(crate) struct DcatReader {
    total: Option<u64>,
}

impl DcatReader {
    pub(crate) fn new(_config: &SourceConfig) -> DcatReader {
        DcatReader { total: None }
    }

    pub(crate) fn total(&self) -> Option<u64> {
        self.total
    }

    pub(crate) async fn next_page<F: Fetch>(
        &mut self,
        _fetcher: &F,
        _config: &SourceConfig,
        _now: DateTime<Utc>,
    ) -> Result<Option<Vec<RemoteRecord>>, HarvestError> {
        Err(HarvestError::NotAvailable(
            "the DCAT backend is not available in this build (it needs the portail_dcat crate)"
                .to_owned(),
        ))
    }
}

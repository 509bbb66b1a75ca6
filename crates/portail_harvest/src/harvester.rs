//! The paging API the harvest job drives: one page of records at a time, so the caller can
//! write them, report progress and stop whenever it wants.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::Utc;
use portail_core::harvest::{RecordError, RemoteRecord};

use crate::ckan::CkanReader;
use crate::config::{Backend, ConfigError, SourceConfig};
use crate::dcat::DcatReader;
use crate::ods::OdsReader;
use crate::outbound::{Fetch, OutboundError, human_duration};

/// Why a run stopped. Record-level problems are not errors: they are `Failed` records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HarvestError {
    #[error(transparent)]
    Outbound(#[from] OutboundError),
    /// The remote answered with an error of its own (CKAN `success: false`, an ODS error).
    #[error("{url}: {message}")]
    Remote { url: String, message: String },
    /// A page that cannot be read at all (invalid JSON, not the expected shape).
    #[error("malformed page from {url}: {message}")]
    MalformedPage { url: String, message: String },
    #[error("the harvest took longer than its time limit ({})", human_duration(*.limit))]
    TimeLimit { limit: Duration },
    /// A "next page" link pointing to a page already read.
    #[error("the remote's paging loops: {url} was already read in this run")]
    PagingLoop { url: String },
    /// The remote is of a kind this reader cannot read (ODS API v1, a too large catalog).
    #[error("{message}")]
    Unsupported { message: String },
    #[error("{0}")]
    NotAvailable(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
}

enum Reader {
    Ckan(CkanReader),
    Ods(OdsReader),
    Dcat(DcatReader),
}

/// Reads a source page by page:
///
/// ```no_run
/// # async fn run(config: portail_harvest::SourceConfig) -> Result<(), portail_harvest::HarvestError> {
/// use portail_harvest::{Harvester, HttpFetcher, OutboundConfig};
/// let fetcher = HttpFetcher::new(OutboundConfig::from_env().expect("valid allow-list"))?;
/// let mut harvester = Harvester::new(config, fetcher);
/// while let Some(records) = harvester.next_page().await? {
///     // write the records, report `harvester.total_hint()`...
/// }
/// if harvester.max_items_reached() { /* the walk is incomplete: do not archive */ }
/// # Ok(()) }
/// ```
pub struct Harvester<F> {
    config: SourceConfig,
    fetcher: F,
    reader: Reader,
    started: Option<Instant>,
    emitted: u64,
    max_items_reached: bool,
    finished: bool,
    seen: HashSet<String>,
}

impl<F: Fetch> Harvester<F> {
    pub fn new(config: SourceConfig, fetcher: F) -> Harvester<F> {
        let reader = match config.backend {
            Backend::Ckan => Reader::Ckan(CkanReader::new(&config)),
            Backend::Ods => Reader::Ods(OdsReader::new(&config)),
            Backend::Dcat => Reader::Dcat(DcatReader::new(&config)),
        };
        Harvester {
            config,
            fetcher,
            reader,
            started: None,
            emitted: 0,
            max_items_reached: false,
            finished: false,
            seen: HashSet::new(),
        }
    }

    pub fn config(&self) -> &SourceConfig {
        &self.config
    }

    /// The next page of records; `Ok(None)` once the catalog (or the item cap) is exhausted.
    ///
    /// The time limit counts from the first call. After an error the harvester is finished:
    /// further calls give `Ok(None)`.
    pub async fn next_page(&mut self) -> Result<Option<Vec<RemoteRecord>>, HarvestError> {
        if self.finished {
            return Ok(None);
        }
        let started = *self.started.get_or_insert_with(Instant::now);
        let limit = self.config.time_limit;
        let Some(remaining) = limit.checked_sub(started.elapsed()) else {
            self.finished = true;
            return Err(HarvestError::TimeLimit { limit });
        };
        let now = Utc::now();
        let page = {
            let fetcher = &self.fetcher;
            let config = &self.config;
            let read = async {
                match &mut self.reader {
                    Reader::Ckan(reader) => reader.next_page(fetcher, config, now).await,
                    Reader::Ods(reader) => reader.next_page(fetcher, config, now).await,
                    Reader::Dcat(reader) => reader.next_page(fetcher, config, now).await,
                }
            };
            tokio::time::timeout(remaining, read).await
        };
        let page = match page {
            Ok(Ok(Some(page))) => page,
            Ok(Ok(None)) => {
                self.finished = true;
                return Ok(None);
            }
            Ok(Err(error)) => {
                self.finished = true;
                return Err(error);
            }
            Err(_elapsed) => {
                self.finished = true;
                return Err(HarvestError::TimeLimit { limit });
            }
        };
        Ok(Some(self.admit(page)))
    }

    /// Drops repeats and applies the item cap.
    fn admit(&mut self, page: Vec<RemoteRecord>) -> Vec<RemoteRecord> {
        // Offset paging (CKAN, ODS) repeats an item when the remote changes during the run:
        // such repeats are dropped. In a DCAT document two nodes with one identifier are the
        // publisher's mistake, reported as a failure.
        let repeats_fail = matches!(self.reader, Reader::Dcat(_));
        let mut kept = Vec::with_capacity(page.len());
        for record in page {
            if self.config.max_items.is_some_and(|max| self.emitted >= max) {
                self.max_items_reached = true;
                self.finished = true;
                break;
            }
            let record = match record.remote_id() {
                Some(id) if !self.seen.insert(id.to_owned()) => {
                    if !repeats_fail {
                        continue;
                    }
                    RemoteRecord::Failed(RecordError {
                        remote_id: Some(id.to_owned()),
                        message: format!(
                            "the identifier \"{id}\" appears more than once in the remote catalog"
                        ),
                    })
                }
                _ => record,
            };
            self.emitted += 1;
            kept.push(record);
        }
        if self.config.max_items.is_some_and(|max| self.emitted >= max) {
            self.max_items_reached = true;
            self.finished = true;
        }
        kept
    }

    /// How many records the run should give, once the remote has said (CKAN `count`, ODS
    /// `total_count`, DCAT `hydra:totalItems`), capped by `max_items`.
    pub fn total_hint(&self) -> Option<u64> {
        let total = match &self.reader {
            Reader::Ckan(reader) => reader.total(),
            Reader::Ods(reader) => reader.total(),
            Reader::Dcat(reader) => reader.total(),
        }?;
        Some(self.config.max_items.map_or(total, |max| total.min(max)))
    }

    /// Records given so far.
    pub fn emitted(&self) -> u64 {
        self.emitted
    }

    /// Whether the run stopped at `max_items` rather than at the end of the catalog: the
    /// caller must then not treat datasets absent from the run as removed from the remote.
    pub fn max_items_reached(&self) -> bool {
        self.max_items_reached
    }
}

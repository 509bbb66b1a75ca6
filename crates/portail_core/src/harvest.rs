//! What a harvester reads from a remote catalog, before it becomes a dataset of ours.
//!
//! The readers (`portail_harvest` for CKAN and OpenDataSoft, `portail_dcat` for DCAT) turn
//! remote payloads into these records; the harvest use case (`portail_app`) matches them to
//! existing datasets by remote id and source domain, and writes them. Records are plain data:
//! every value is already mapped to our vocabulary (license ids, frequency ids, normalized
//! tags), and what has no place in our model goes to `extras`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Checksum, Extras, Spatial, TemporalCoverage};

/// One dataset as read from a remote catalog.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RemoteDataset {
    /// The stable identifier of the dataset on the remote (CKAN `id`, `dct:identifier`, ODS
    /// `dataset_id`...): with the source's domain, it identifies the dataset across runs.
    pub remote_id: String,
    /// The RDF node IRI, when the record comes from DCAT.
    pub uri: Option<String>,
    /// `dct:identifier`, when the record comes from DCAT.
    pub dct_identifier: Option<String>,
    /// Where a person reads the dataset on the remote portal.
    pub remote_url: Option<String>,
    pub title: String,
    pub acronym: Option<String>,
    /// Markdown (remote HTML is converted and sanitized by the reader).
    pub description: String,
    /// One of our license ids (`portail_core::licenses`), guessed from what the remote said.
    pub license: Option<String>,
    /// One of our frequency ids (`portail_core::frequency`).
    pub frequency: Option<String>,
    /// Normalized tags (`portail_core::tags::normalize_tags_lenient`).
    pub tags: Vec<String>,
    pub temporal_coverage: Option<TemporalCoverage>,
    pub spatial: Option<Spatial>,
    /// The remote creation date (CKAN `metadata_created`, `dct:created`).
    pub created_at: Option<DateTime<Utc>>,
    /// The remote publication date (`dct:issued`).
    pub issued_at: Option<DateTime<Utc>>,
    /// The remote modification date (`metadata_modified`, `dct:modified`); never in the future.
    pub modified_at: Option<DateTime<Utc>>,
    /// What the remote said that our model has no field for (`ckan:frequency`, `dcat:rights`...).
    pub extras: Extras,
    pub resources: Vec<RemoteResource>,
}

/// One resource (CKAN resource, DCAT distribution, ODS export) of a remote dataset.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RemoteResource {
    /// The remote's id of the resource (CKAN resource `id`, `dct:identifier`), when it has one;
    /// otherwise resources are matched by URL.
    pub remote_id: Option<String>,
    /// The RDF node IRI of a distribution.
    pub uri: Option<String>,
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    /// One of our resource types (`main`, `api`, `documentation`, `other`...).
    pub kind: String,
    /// Lowercased format (`csv`, `json`, `shp`...).
    pub format: Option<String>,
    pub mime: Option<String>,
    pub filesize: Option<i64>,
    pub checksum: Option<Checksum>,
    pub issued_at: Option<DateTime<Utc>>,
    pub modified_at: Option<DateTime<Utc>>,
}

/// A remote record that could not be read: it becomes an item error of the harvest job, with
/// this message; the other records of the page are still harvested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordError {
    /// The remote id when it could be read.
    pub remote_id: Option<String>,
    /// A sentence a publisher can act on ("dct:title is missing").
    pub message: String,
}

/// What one record of a remote page gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RemoteRecord {
    /// A dataset to create or update.
    Dataset(Box<RemoteDataset>),
    /// A record deliberately not harvested (a CKAN package without resources, a DCAT node
    /// only referenced by `dcat:servesDataset`), with the reason.
    Skipped {
        remote_id: Option<String>,
        reason: String,
    },
    /// A record that could not be read.
    Failed(RecordError),
}

impl RemoteRecord {
    /// The remote id of the record, when known.
    pub fn remote_id(&self) -> Option<&str> {
        match self {
            RemoteRecord::Dataset(d) => Some(&d.remote_id),
            RemoteRecord::Skipped { remote_id, .. } => remote_id.as_deref(),
            RemoteRecord::Failed(e) => e.remote_id.as_deref(),
        }
    }
}

/// Whether a sysadmin accepted a harvest source (only accepted sources run on schedule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValidationState {
    #[default]
    Pending,
    Accepted,
    Refused,
}

impl ValidationState {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationState::Pending => "pending",
            ValidationState::Accepted => "accepted",
            ValidationState::Refused => "refused",
        }
    }

    /// Reads the stored form.
    pub fn parse(raw: &str) -> Option<ValidationState> {
        match raw {
            "pending" => Some(ValidationState::Pending),
            "accepted" => Some(ValidationState::Accepted),
            "refused" => Some(ValidationState::Refused),
            _ => None,
        }
    }
}

/// The review of a harvest source: state, who decided, when, why.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Validation {
    pub state: ValidationState,
    /// User id of the sysadmin who decided.
    pub by: Option<String>,
    pub on: Option<DateTime<Utc>>,
    /// Required when refused.
    pub comment: Option<String>,
}

/// A remote catalog harvested into the portal (udata's `HarvestSource`).
#[derive(Debug, Clone, PartialEq)]
pub struct HarvestSource {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub url: String,
    /// A backend id of `portail_harvest` (`ckan`, `dcat`, `ods`).
    pub backend: String,
    /// udata's `{"filters": [...], "features": {...}, "extra_configs": [...]}`.
    pub config: serde_json::Value,
    /// A cron expression (5 fields); `None` when only run by hand.
    pub schedule: Option<String>,
    /// When the scheduler runs the source next.
    pub next_run_at: Option<DateTime<Utc>>,
    pub active: bool,
    /// Archive datasets that disappeared from the remote.
    pub autoarchive: bool,
    pub validation: Validation,
    /// Who the harvested datasets belong to.
    pub publisher: crate::model::Publisher,
    pub created_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Where a harvest job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobStatus {
    Pending,
    Initializing,
    Processing,
    Done,
    DoneErrors,
    Failed,
}

impl JobStatus {
    /// The stored and wire form (`done-errors`).
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Initializing => "initializing",
            JobStatus::Processing => "processing",
            JobStatus::Done => "done",
            JobStatus::DoneErrors => "done-errors",
            JobStatus::Failed => "failed",
        }
    }

    /// Reads the stored form.
    pub fn parse(raw: &str) -> Option<JobStatus> {
        [
            JobStatus::Pending,
            JobStatus::Initializing,
            JobStatus::Processing,
            JobStatus::Done,
            JobStatus::DoneErrors,
            JobStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    /// Whether the job has ended.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobStatus::Done | JobStatus::DoneErrors | JobStatus::Failed
        )
    }
}

/// One error of a job or an item, dated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarvestErrorEntry {
    pub created_at: DateTime<Utc>,
    pub message: String,
}

/// How many items of a job ended in each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JobCounts {
    pub created: i64,
    pub updated: i64,
    pub failed: i64,
    pub skipped: i64,
    pub archived: i64,
}

/// One run of a source (udata's `HarvestJob`).
#[derive(Debug, Clone, PartialEq)]
pub struct HarvestJob {
    pub id: String,
    pub source_id: String,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub status: JobStatus,
    /// Job-level errors (the remote failed, the item cap was reached).
    pub errors: Vec<HarvestErrorEntry>,
    pub counts: JobCounts,
}

/// What happened to one remote record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    Pending,
    Started,
    Done,
    Failed,
    Skipped,
    Archived,
}

impl ItemStatus {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Pending => "pending",
            ItemStatus::Started => "started",
            ItemStatus::Done => "done",
            ItemStatus::Failed => "failed",
            ItemStatus::Skipped => "skipped",
            ItemStatus::Archived => "archived",
        }
    }

    /// Every status, in the order `by_status` lists them.
    pub const ALL: [ItemStatus; 6] = [
        ItemStatus::Pending,
        ItemStatus::Started,
        ItemStatus::Done,
        ItemStatus::Failed,
        ItemStatus::Skipped,
        ItemStatus::Archived,
    ];

    /// Reads the stored form.
    pub fn parse(raw: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// One record of a job (udata's `HarvestItem`).
#[derive(Debug, Clone, PartialEq)]
pub struct HarvestItem {
    pub remote_id: Option<String>,
    pub dataset_id: Option<String>,
    pub status: ItemStatus,
    pub errors: Vec<HarvestErrorEntry>,
    pub created_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

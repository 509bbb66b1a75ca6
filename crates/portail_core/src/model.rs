//! The domain types: users, organizations, datasets and resources, with udata's semantics.
//!
//! These are neither database rows nor wire types: `portail_db` maps rows into them and
//! `portail_web` maps them into udata-shaped JSON.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Free-form key/value metadata attached to datasets, resources and organizations.
pub type Extras = Map<String, Value>;

/// A person with an account.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: String,
    pub slug: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub about: Option<String>,
    pub website: Option<String>,
    pub avatar_url: Option<String>,
    pub sysadmin: bool,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl User {
    /// "First Last", or the slug when the user gave no name.
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first_name, self.last_name);
        let name = name.trim();
        if name.is_empty() {
            self.slug.clone()
        } else {
            name.to_owned()
        }
    }
}

/// Roles of a member inside an organization (udata `ORG_ROLES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    /// Manages members, the organization itself, and every dataset.
    Admin,
    /// Edits every dataset of the organization.
    Editor,
    /// Edits only the datasets they are assigned to.
    PartialEditor,
}

impl OrgRole {
    /// The wire id (`admin`, `editor`, `partial_editor`).
    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::Admin => "admin",
            OrgRole::Editor => "editor",
            OrgRole::PartialEditor => "partial_editor",
        }
    }

    /// Parses a wire id; `None` for anything else.
    pub fn parse(s: &str) -> Option<OrgRole> {
        match s {
            "admin" => Some(OrgRole::Admin),
            "editor" => Some(OrgRole::Editor),
            "partial_editor" => Some(OrgRole::PartialEditor),
            _ => None,
        }
    }
}

/// A publishing body: a city, an agency, an association...
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    pub slug: String,
    pub description: String,
    pub url: Option<String>,
    pub image_url: Option<String>,
    pub business_number_id: Option<String>,
    pub extras: Extras,
    pub created_at: DateTime<Utc>,
    pub last_modified: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Organization {
    /// What other objects show of it.
    pub fn to_ref(&self) -> OrganizationRef {
        OrganizationRef {
            id: self.id.clone(),
            name: self.name.clone(),
            acronym: self.acronym.clone(),
            slug: self.slug.clone(),
            image_url: self.image_url.clone(),
        }
    }
}

/// What a dataset (or a facet value) shows of its organization: name, link and logo.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationRef {
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    pub slug: String,
    pub image_url: Option<String>,
}

/// One membership of a user in an organization.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub organization_id: String,
    pub user_id: String,
    pub role: OrgRole,
    pub since: DateTime<Utc>,
}

/// The period the data covers. udata swaps the bounds when `start > end`; so do we.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemporalCoverage {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// Spatial coverage: a granularity id and GeoZone ids such as `fr:commune:75056`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Spatial {
    pub granularity: Option<String>,
    pub zones: Vec<String>,
}

/// Who publishes a dataset: exactly one of a user or an organization.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Publisher {
    User(String),
    Organization(String),
}

impl Publisher {
    /// The owner user id, when published by a user.
    pub fn owner_id(&self) -> Option<&str> {
        match self {
            Publisher::User(id) => Some(id),
            Publisher::Organization(_) => None,
        }
    }

    /// The organization id, when published by an organization.
    pub fn organization_id(&self) -> Option<&str> {
        match self {
            Publisher::Organization(id) => Some(id),
            Publisher::User(_) => None,
        }
    }
}

/// A dataset with its resources, as udata models it.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub acronym: Option<String>,
    pub description: String,
    pub description_short: Option<String>,
    pub license: String,
    pub frequency: String,
    pub frequency_date: Option<DateTime<Utc>>,
    pub tags: Vec<String>,
    pub temporal_coverage: Option<TemporalCoverage>,
    pub spatial: Option<Spatial>,
    pub private: bool,
    pub featured: bool,
    pub archived_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub publisher: Publisher,
    pub extras: Extras,
    pub harvest: Option<Value>,
    pub created_at_internal: DateTime<Utc>,
    pub last_modified_internal: DateTime<Utc>,
    pub metrics: DatasetMetrics,
    /// Bumped on every write; drives caches and ETags.
    pub version: i64,
    pub resources: Vec<Resource>,
}

/// Counters kept on a dataset (udata's `metrics` dict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DatasetMetrics {
    pub discussions: i64,
    pub discussions_open: i64,
    pub followers: i64,
    pub reuses: i64,
    pub views: i64,
    pub resources_downloads: i64,
}

impl Dataset {
    /// `created_at` as udata exposes it: the harvested issue date when known.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.harvest_date("issued_at")
            .or_else(|| self.harvest_date("created_at"))
            .unwrap_or(self.created_at_internal)
    }

    /// `last_modified` as udata exposes it: the harvested modification date when known.
    pub fn last_modified(&self) -> DateTime<Utc> {
        self.harvest_date("modified_at")
            .unwrap_or(self.last_modified_internal)
    }

    /// udata's `compute_last_update`: the harvested modification date, else the most recent
    /// resource modification, else the dataset's own `last_modified`.
    pub fn last_update(&self) -> DateTime<Utc> {
        self.last_update_with(&ResourceFacts::of(&self.resources))
    }

    /// [`Dataset::last_update`] from a summary of the resources (when they are not loaded).
    pub fn last_update_with(&self, facts: &ResourceFacts) -> DateTime<Utc> {
        if let Some(date) = self.harvest_date("modified_at") {
            return date;
        }
        facts.last_modified.unwrap_or_else(|| self.last_modified())
    }

    /// Public, not deleted, not archived (udata's `visible()`).
    pub fn is_visible(&self) -> bool {
        !self.private && self.deleted_at.is_none() && self.archived_at.is_none()
    }

    fn harvest_date(&self, key: &str) -> Option<DateTime<Utc>> {
        let raw = self.harvest.as_ref()?.get(key)?.as_str()?;
        DateTime::parse_from_rfc3339(raw)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }
}

/// Whether the file is hosted by the portal or lives elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filetype {
    File,
    Remote,
}

impl Filetype {
    /// The wire id.
    pub fn as_str(self) -> &'static str {
        match self {
            Filetype::File => "file",
            Filetype::Remote => "remote",
        }
    }

    /// Parses a wire id.
    pub fn parse(s: &str) -> Option<Filetype> {
        match s {
            "file" => Some(Filetype::File),
            "remote" => Some(Filetype::Remote),
            _ => None,
        }
    }
}

/// A checksum of a resource's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checksum {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// A file or link attached to a dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub id: String,
    pub dataset_id: String,
    pub position: i64,
    pub title: String,
    pub description: Option<String>,
    pub filetype: Filetype,
    pub kind: String,
    pub url: String,
    pub format: Option<String>,
    pub mime: Option<String>,
    pub filesize: Option<i64>,
    pub checksum: Option<Checksum>,
    pub extras: Extras,
    pub harvest: Option<Value>,
    /// Storage key of a hosted file.
    pub fs_filename: Option<String>,
    pub downloads: i64,
    pub created_at_internal: DateTime<Utc>,
    pub last_modified_internal: DateTime<Utc>,
}

impl Resource {
    /// udata's resource `created_at`: the harvested issue date when known.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.harvest_date("issued_at")
            .unwrap_or(self.created_at_internal)
    }

    /// udata's resource `last_modified`: a harvested modification date in the past, else the
    /// internal one.
    pub fn last_modified(&self) -> DateTime<Utc> {
        match self.harvest_date("modified_at") {
            Some(date) if date <= Utc::now() => date,
            _ => self.last_modified_internal,
        }
    }

    fn harvest_date(&self, key: &str) -> Option<DateTime<Utc>> {
        let raw = self.harvest.as_ref()?.get(key)?.as_str()?;
        DateTime::parse_from_rfc3339(raw)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }
}

/// An API key, as listed to its owner (never with the secret).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: Option<String>,
    pub token_prefix: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Rounds a timestamp to microseconds: PostgreSQL keeps µs and SQLite keeps ns, so values are
/// truncated before they are written to compare equal on both engines.
pub fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let micros = at.timestamp_micros();
    DateTime::from_timestamp_micros(micros).unwrap_or(at)
}

/// The current time, truncated to microseconds (see [`truncate_to_micros`]).
pub fn now() -> DateTime<Utc> {
    truncate_to_micros(Utc::now())
}

/// What the quality score and `last_update` need to know about a dataset's resources, so that
/// they can be computed without loading thousands of resources (the database computes this
/// summary in one query).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResourceFacts {
    pub count: i64,
    /// The most recent resource `last_modified`.
    pub last_modified: Option<DateTime<Utc>>,
    /// At least one resource has a format that is not closed.
    pub has_open_format: bool,
    /// No remote resource was found unavailable by the last check.
    pub all_remote_available: bool,
    /// A resource is documentation, or has a description.
    pub documented: bool,
}

impl ResourceFacts {
    /// The summary of loaded resources.
    pub fn of(resources: &[Resource]) -> ResourceFacts {
        ResourceFacts {
            count: i64::try_from(resources.len()).unwrap_or(i64::MAX),
            last_modified: resources.iter().map(Resource::last_modified).max(),
            has_open_format: resources
                .iter()
                .any(|r| !crate::reference::is_closed_or_no_format(r.format.as_deref())),
            all_remote_available: resources
                .iter()
                .filter(|r| r.filetype == Filetype::Remote)
                .all(|r| r.extras.get("check:available").and_then(Value::as_bool) != Some(false)),
            documented: resources.iter().any(|r| {
                r.kind == "documentation" || r.description.as_deref().is_some_and(|d| !d.is_empty())
            }),
        }
    }
}

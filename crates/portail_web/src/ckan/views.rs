//! CKAN's dicts (package, resource, organization, tag, license), built from our types.
//!
//! Choices, where our model and CKAN's differ:
//! - ids are ours (24-hex for datasets and organizations, UUIDs for resources); tags have no
//!   id here, so each gets a name-based UUID (v5), stable across calls and sites;
//! - `metadata_created` / `metadata_modified` are the catalog record's own dates
//!   (`created_at_internal` / `last_modified_internal`), in CKAN's naive UTC ISO format, so
//!   that `fq=metadata_modified:[X TO *]` finds what changed here since X;
//! - no `author`/`maintainer` keys (we keep no such fields, and CKAN's test schemas forbid
//!   them as personal data);
//! - `url` is the harvested source page when known, else the dataset's page here.

use chrono::{DateTime, Utc};
use portail_core::licenses::{License, find_license};
use portail_core::model::{Dataset, Filetype, Organization, Resource};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::views::{ViewCtx, absolute_url};

/// CKAN's datetime format: ISO 8601 without timezone (naive UTC), microseconds.
pub fn ckan_datetime(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// Name-based UUIDs of tags live under this namespace (a v4 drawn once for Portail).
const TAG_NAMESPACE: Uuid = Uuid::from_u128(0x8f0e_4c59_2b7d_4a51_9c3e_5d1a_7b26_e4f3);

/// Extras keys never emitted (CKAN's personal-data fields, which we do not keep).
const PII_KEYS: &[&str] = &["author", "author_email", "maintainer", "maintainer_email"];

/// `{key, value}` of `extras`.
#[derive(Debug, Clone, Serialize)]
pub struct CkanExtra {
    pub key: String,
    pub value: String,
}

/// A tag.
#[derive(Debug, Clone, Serialize)]
pub struct CkanTag {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub state: &'static str,
    pub vocabulary_id: Option<String>,
}

impl CkanTag {
    /// Maps a tag name.
    pub fn new(name: &str) -> CkanTag {
        CkanTag {
            id: Uuid::new_v5(&TAG_NAMESPACE, name.as_bytes()).to_string(),
            name: name.to_owned(),
            display_name: name.to_owned(),
            state: "active",
            vocabulary_id: None,
        }
    }
}

/// An organization as CKAN shows it (embedded in packages, or from `organization_show`).
#[derive(Debug, Clone, Serialize)]
pub struct CkanOrganization {
    pub id: String,
    pub name: String,
    pub title: String,
    pub display_name: String,
    pub description: String,
    pub image_url: String,
    pub image_display_url: String,
    pub created: String,
    pub is_organization: bool,
    pub approval_status: &'static str,
    pub state: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Only from `organization_show` and `organization_list` with `all_fields`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_followers: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extras: Option<Vec<CkanExtra>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packages: Option<Vec<CkanPackage>>,
}

impl CkanOrganization {
    /// The short form embedded in packages.
    pub fn embedded(o: &Organization) -> CkanOrganization {
        let image = o.image_url.clone().unwrap_or_default();
        CkanOrganization {
            id: o.id.clone(),
            name: o.slug.clone(),
            title: o.name.clone(),
            display_name: o.name.clone(),
            description: o.description.clone(),
            image_url: image.clone(),
            image_display_url: image,
            created: ckan_datetime(o.created_at),
            is_organization: true,
            approval_status: "approved",
            state: if o.deleted_at.is_some() {
                "deleted"
            } else {
                "active"
            },
            kind: "organization",
            package_count: None,
            num_followers: None,
            extras: None,
            groups: None,
            tags: None,
            packages: None,
        }
    }

    /// The full form (`organization_show`, `organization_list?all_fields=true`).
    pub fn full(o: &Organization, package_count: i64) -> CkanOrganization {
        CkanOrganization {
            package_count: Some(package_count),
            num_followers: Some(0),
            extras: Some(extras_of(&o.extras)),
            groups: Some(Vec::new()),
            tags: Some(Vec::new()),
            ..CkanOrganization::embedded(o)
        }
    }
}

/// A resource.
#[derive(Debug, Clone, Serialize)]
pub struct CkanResource {
    pub id: String,
    pub package_id: String,
    pub name: String,
    pub description: String,
    pub url: String,
    pub format: String,
    pub mimetype: Option<String>,
    pub mimetype_inner: Option<String>,
    pub size: Option<i64>,
    pub hash: String,
    pub created: String,
    pub last_modified: Option<String>,
    pub metadata_modified: String,
    pub position: i64,
    /// `file.upload` for hosted files, `api`, `documentation`, else `file` (the values
    /// udata's CKAN harvester understands).
    pub resource_type: &'static str,
    pub state: &'static str,
    /// `upload` for files hosted here, else `null`.
    pub url_type: Option<&'static str>,
    pub cache_url: Option<String>,
    pub cache_last_updated: Option<String>,
}

impl CkanResource {
    /// Maps a resource of `dataset_id`.
    pub fn new(r: &Resource, base: &str) -> CkanResource {
        let hosted = r.filetype == Filetype::File;
        CkanResource {
            id: r.id.clone(),
            package_id: r.dataset_id.clone(),
            name: r.title.clone(),
            description: r.description.clone().unwrap_or_default(),
            url: absolute_url(&r.url, base),
            format: r.format.clone().unwrap_or_default(),
            mimetype: r.mime.clone(),
            mimetype_inner: None,
            size: r.filesize,
            hash: r
                .checksum
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default(),
            created: ckan_datetime(r.created_at()),
            last_modified: Some(ckan_datetime(r.last_modified())),
            metadata_modified: ckan_datetime(r.last_modified_internal),
            position: r.position,
            resource_type: match (hosted, r.kind.as_str()) {
                (true, _) => "file.upload",
                (false, "api") => "api",
                (false, "documentation") => "documentation",
                _ => "file",
            },
            state: "active",
            url_type: hosted.then_some("upload"),
            cache_url: None,
            cache_last_updated: None,
        }
    }
}

/// A package (dataset), as `package_show` and `package_search` return it.
#[derive(Debug, Clone, Serialize)]
pub struct CkanPackage {
    pub id: String,
    pub name: String,
    pub title: String,
    pub notes: String,
    pub url: String,
    pub version: Option<String>,
    pub license_id: String,
    pub license_title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_url: Option<String>,
    pub isopen: bool,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub owner_org: Option<String>,
    pub organization: Option<CkanOrganization>,
    pub creator_user_id: Option<String>,
    pub private: bool,
    pub state: &'static str,
    pub metadata_created: String,
    pub metadata_modified: String,
    pub num_tags: usize,
    pub tags: Vec<CkanTag>,
    pub groups: Vec<Value>,
    pub extras: Vec<CkanExtra>,
    pub num_resources: usize,
    pub resources: Vec<CkanResource>,
    pub relationships_as_object: Vec<Value>,
    pub relationships_as_subject: Vec<Value>,
}

fn extras_of(extras: &portail_core::model::Extras) -> Vec<CkanExtra> {
    let mut out: Vec<CkanExtra> = extras
        .iter()
        .filter(|(k, _)| !PII_KEYS.contains(&k.as_str()))
        .map(|(k, v)| CkanExtra {
            key: k.clone(),
            // CKAN extras are strings: other JSON values travel encoded, as CKAN sites do.
            value: match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            },
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

fn is_open(license: Option<&License>) -> bool {
    license.is_some_and(|l| l.flags.contains(&"okd_compliant"))
}

impl CkanPackage {
    /// Maps a dataset; `ctx` holds its organization.
    pub fn new(d: &Dataset, ctx: &ViewCtx<'_>) -> CkanPackage {
        let license = find_license(&d.license);
        let organization = d
            .publisher
            .organization_id()
            .and_then(|id| ctx.organizations.get(id))
            .map(CkanOrganization::embedded);
        let mut extras = vec![CkanExtra {
            key: "frequency".into(),
            value: d.frequency.clone(),
        }];
        if let Some(t) = d.temporal_coverage {
            extras.push(CkanExtra {
                key: "temporal_start".into(),
                value: t.start.to_string(),
            });
            if let Some(end) = t.end {
                extras.push(CkanExtra {
                    key: "temporal_end".into(),
                    value: end.to_string(),
                });
            }
        }
        if let Some(s) = &d.spatial {
            if let Some(g) = &s.granularity {
                extras.push(CkanExtra {
                    key: "spatial-granularity".into(),
                    value: g.clone(),
                });
            }
            if !s.zones.is_empty() {
                extras.push(CkanExtra {
                    key: "spatial-zones".into(),
                    value: s.zones.join(","),
                });
            }
        }
        if let Some(acronym) = &d.acronym {
            extras.push(CkanExtra {
                key: "acronym".into(),
                value: acronym.clone(),
            });
        }
        let fixed: Vec<String> = extras.iter().map(|e| e.key.clone()).collect();
        extras.extend(
            extras_of(&d.extras)
                .into_iter()
                .filter(|e| !fixed.contains(&e.key)),
        );
        let source = d
            .harvest
            .as_ref()
            .and_then(|h| h.get("remote_url"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut resources: Vec<CkanResource> = d
            .resources
            .iter()
            .map(|r| CkanResource::new(r, ctx.base))
            .collect();
        // CKAN's position is the index in the list.
        for (i, r) in resources.iter_mut().enumerate() {
            r.position = i64::try_from(i).unwrap_or(i64::MAX);
        }
        CkanPackage {
            id: d.id.clone(),
            name: d.slug.clone(),
            title: d.title.clone(),
            notes: d.description.clone(),
            url: source.unwrap_or_else(|| format!("{}/datasets/{}/", ctx.base, d.slug)),
            version: None,
            license_id: d.license.clone(),
            license_title: license.map_or_else(|| d.license.clone(), |l| l.title.to_owned()),
            license_url: license.and_then(|l| l.url).map(str::to_owned),
            isopen: is_open(license),
            kind: "dataset",
            owner_org: organization.as_ref().map(|o| o.id.clone()),
            organization,
            creator_user_id: d.publisher.owner_id().map(str::to_owned),
            private: d.private,
            state: if d.deleted_at.is_some() {
                "deleted"
            } else {
                "active"
            },
            metadata_created: ckan_datetime(d.created_at_internal),
            metadata_modified: ckan_datetime(d.last_modified_internal),
            num_tags: d.tags.len(),
            tags: d.tags.iter().map(|t| CkanTag::new(t)).collect(),
            groups: Vec::new(),
            extras,
            num_resources: resources.len(),
            resources,
            relationships_as_object: Vec::new(),
            relationships_as_subject: Vec::new(),
        }
    }
}

/// A license, with the keys of CKAN's `license_list`.
#[derive(Debug, Clone, Serialize)]
pub struct CkanLicense {
    pub id: String,
    pub title: String,
    pub url: String,
    pub od_conformance: &'static str,
    pub osd_conformance: &'static str,
    pub status: &'static str,
    pub maintainer: String,
    pub domain_content: bool,
    pub domain_data: bool,
    pub domain_software: bool,
    pub family: String,
    pub is_generic: bool,
    pub is_okd_compliant: bool,
    pub is_osi_compliant: bool,
}

impl CkanLicense {
    /// Maps a license (flags become CKAN's booleans and conformance statuses).
    pub fn new(l: &License) -> CkanLicense {
        let has = |flag: &str| l.flags.contains(&flag);
        let status = |ok: bool| if ok { "approved" } else { "not reviewed" };
        CkanLicense {
            id: l.id.to_owned(),
            title: l.title.to_owned(),
            url: l.url.unwrap_or_default().to_owned(),
            od_conformance: status(has("okd_compliant")),
            osd_conformance: status(has("osi_compliant")),
            status: "active",
            maintainer: l.maintainer.unwrap_or_default().to_owned(),
            domain_content: has("domain_content"),
            domain_data: has("domain_data"),
            domain_software: has("domain_software"),
            family: String::new(),
            is_generic: has("generic"),
            is_okd_compliant: has("okd_compliant"),
            is_osi_compliant: has("osi_compliant"),
        }
    }
}

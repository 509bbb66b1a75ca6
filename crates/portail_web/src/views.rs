//! Wire types: the JSON shapes of udata's API v1/v2, built from domain types. Nothing here
//! decides anything; it only maps.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use portail_core::model::{
    ApiToken, Dataset, Member, Organization, OrganizationRef, Resource, ResourceFacts, User,
};
use portail_core::permissions::{self, Actor};
use portail_core::quality::{self, Quality};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// What mapping needs besides the object: the base URL, the viewer, and the publishers.
pub struct ViewCtx<'a> {
    pub base: &'a str,
    pub actor: Option<&'a Actor>,
    pub now: DateTime<Utc>,
    /// The publishing organizations in full (CKAN, DCAT, feeds, exports need them).
    pub organizations: HashMap<String, Organization>,
    /// Only what API datasets show of their organizations, in a context built for those
    /// alone (a search page), where `organizations` stays empty.
    pub organization_refs: HashMap<String, OrganizationRef>,
    pub users: HashMap<String, User>,
}

impl ViewCtx<'_> {
    fn organization(&self, id: &str) -> Option<ApiOrganizationRef> {
        match self.organizations.get(id) {
            Some(o) => Some(ApiOrganizationRef::new(o, self.base)),
            None => self
                .organization_refs
                .get(id)
                .map(|o| ApiOrganizationRef::of(o, self.base)),
        }
    }

    fn owner(&self, id: &str) -> Option<ApiUserRef> {
        self.users.get(id).map(|u| ApiUserRef::new(u, self.base))
    }
}

/// An organization as embedded in other objects.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiOrganizationRef {
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    pub slug: String,
    pub page: String,
    pub uri: String,
    pub logo: Option<String>,
    pub logo_thumbnail: Option<String>,
    pub badges: Vec<Value>,
}

impl ApiOrganizationRef {
    /// Maps an organization.
    pub fn new(o: &Organization, base: &str) -> ApiOrganizationRef {
        ApiOrganizationRef::of(&o.to_ref(), base)
    }

    /// Maps what a dataset shows of its organization.
    pub fn of(o: &OrganizationRef, base: &str) -> ApiOrganizationRef {
        ApiOrganizationRef {
            id: o.id.clone(),
            name: o.name.clone(),
            acronym: o.acronym.clone(),
            slug: o.slug.clone(),
            page: format!("{base}/organizations/{}/", o.slug),
            uri: format!("{base}/api/1/organizations/{}/", o.id),
            logo: o.image_url.clone(),
            logo_thumbnail: o.image_url.clone(),
            badges: Vec::new(),
        }
    }
}

/// A user as embedded in other objects.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiUserRef {
    pub id: String,
    pub slug: String,
    pub first_name: String,
    pub last_name: String,
    pub page: String,
    pub uri: String,
    pub avatar: Option<String>,
    pub avatar_thumbnail: Option<String>,
}

impl ApiUserRef {
    /// Maps a user.
    pub fn new(u: &User, base: &str) -> ApiUserRef {
        ApiUserRef {
            id: u.id.clone(),
            slug: u.slug.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            page: format!("{base}/users/{}/", u.slug),
            uri: format!("{base}/api/1/users/{}/", u.id),
            avatar: u.avatar_url.clone(),
            avatar_thumbnail: u.avatar_url.clone(),
        }
    }
}

/// Hosted files are stored with a path (`/files/...`): the portal's base URL makes it absolute.
pub fn absolute_url(url: &str, base: &str) -> String {
    if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        url.to_owned()
    }
}

/// `{type, value}` checksum.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiChecksum {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// Internal dates of an object.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiInternal {
    pub created_at_internal: DateTime<Utc>,
    pub last_modified_internal: DateTime<Utc>,
}

/// Counters of a resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiResourceMetrics {
    /// Downloads (udata calls them views).
    pub views: i64,
}

/// A resource, as udata's `ResourceSchema`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiResource {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// `file` (hosted) or `remote`.
    pub filetype: String,
    /// `main`, `documentation`, `update`, `api`, `code` or `other`.
    #[serde(rename = "type")]
    pub kind: String,
    pub format: Option<String>,
    pub url: String,
    /// Permanent link that redirects to `url`.
    pub latest: String,
    pub checksum: Option<ApiChecksum>,
    pub filesize: Option<i64>,
    pub mime: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_modified: DateTime<Utc>,
    pub metrics: ApiResourceMetrics,
    #[schema(value_type = Object)]
    pub extras: Map<String, Value>,
    #[schema(value_type = Option<Object>)]
    pub harvest: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub schema: Option<Value>,
    pub internal: ApiInternal,
    pub preview_url: Option<String>,
}

impl ApiResource {
    /// Maps a resource.
    pub fn new(r: &Resource, base: &str) -> ApiResource {
        ApiResource {
            id: r.id.clone(),
            title: r.title.clone(),
            description: r.description.clone(),
            filetype: r.filetype.as_str().to_owned(),
            kind: r.kind.clone(),
            format: r.format.clone(),
            url: absolute_url(&r.url, base),
            latest: format!("{base}/api/1/datasets/r/{}", r.id),
            checksum: r.checksum.as_ref().map(|c| ApiChecksum {
                kind: c.kind.clone(),
                value: c.value.clone(),
            }),
            filesize: r.filesize,
            mime: r.mime.clone(),
            created_at: r.created_at(),
            last_modified: r.last_modified(),
            metrics: ApiResourceMetrics { views: r.downloads },
            extras: r.extras.clone(),
            harvest: r.harvest.clone(),
            schema: None,
            internal: ApiInternal {
                created_at_internal: r.created_at_internal,
                last_modified_internal: r.last_modified_internal,
            },
            preview_url: None,
        }
    }
}

/// `{start, end}` of a temporal coverage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiTemporalCoverage {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// Spatial coverage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiSpatial {
    pub zones: Vec<String>,
    pub granularity: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub geom: Option<Value>,
}

/// Counters of a dataset.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiDatasetMetrics {
    pub discussions: i64,
    pub discussions_open: i64,
    pub followers: i64,
    pub reuses: i64,
    pub views: i64,
    pub resources_downloads: i64,
}

/// What the viewer may do with a dataset.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiPermissions {
    pub delete: bool,
    pub edit: bool,
    pub edit_resources: bool,
}

/// A paginated sub-collection link (API v2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiSubsection {
    pub rel: String,
    pub href: String,
    #[serde(rename = "type")]
    pub method: String,
    pub total: i64,
}

/// A dataset's resources: the full list (v1) or a link to their pages (v2).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ApiResources {
    Embedded(Vec<ApiResource>),
    Link(ApiSubsection),
}

/// A dataset, as udata's `DatasetSchema`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiDataset {
    pub id: String,
    pub title: String,
    pub acronym: Option<String>,
    pub slug: String,
    pub description: String,
    pub description_short: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_modified: DateTime<Utc>,
    pub last_update: DateTime<Utc>,
    pub deleted: Option<DateTime<Utc>>,
    pub archived: Option<DateTime<Utc>>,
    pub private: bool,
    pub featured: bool,
    pub tags: Vec<String>,
    pub badges: Vec<Value>,
    pub resources: ApiResources,
    pub community_resources: ApiResources,
    pub frequency: String,
    pub frequency_date: Option<DateTime<Utc>>,
    #[schema(value_type = Object)]
    pub extras: Map<String, Value>,
    #[schema(value_type = Option<Object>)]
    pub harvest: Option<Value>,
    pub metrics: ApiDatasetMetrics,
    pub organization: Option<ApiOrganizationRef>,
    pub owner: Option<ApiUserRef>,
    pub temporal_coverage: Option<ApiTemporalCoverage>,
    pub spatial: Option<ApiSpatial>,
    pub license: String,
    pub uri: String,
    pub page: String,
    #[schema(value_type = Object)]
    pub quality: Quality,
    pub internal: ApiInternal,
    pub permissions: ApiPermissions,
    pub contact_points: Vec<Value>,
    #[schema(value_type = Option<Object>)]
    pub schema: Option<Value>,
    pub access_type: String,
}

impl ApiDataset {
    /// Maps a dataset with its resources embedded (API v1).
    pub fn v1(d: &Dataset, ctx: &ViewCtx<'_>) -> ApiDataset {
        let resources = d
            .resources
            .iter()
            .map(|r| ApiResource::new(r, ctx.base))
            .collect();
        Self::build(
            d,
            &ResourceFacts::of(&d.resources),
            ctx,
            ApiResources::Embedded(resources),
            ApiResources::Embedded(Vec::new()),
        )
    }

    /// Maps a dataset with links to its paginated resources (API v2).
    pub fn v2(d: &Dataset, facts: &ResourceFacts, ctx: &ViewCtx<'_>) -> ApiDataset {
        let link = |what: &str, total: i64| {
            ApiResources::Link(ApiSubsection {
                rel: "subsection".into(),
                href: format!(
                    "{}/api/2/datasets/{}/{what}/?page=1&page_size=50",
                    ctx.base, d.id
                ),
                method: "GET".into(),
                total,
            })
        };
        Self::build(
            d,
            facts,
            ctx,
            link("resources", facts.count),
            link("community_resources", 0),
        )
    }

    fn build(
        d: &Dataset,
        facts: &ResourceFacts,
        ctx: &ViewCtx<'_>,
        resources: ApiResources,
        community: ApiResources,
    ) -> ApiDataset {
        let can_edit = permissions::can_edit_dataset(ctx.actor, &d.id, &d.publisher);
        ApiDataset {
            id: d.id.clone(),
            title: d.title.clone(),
            acronym: d.acronym.clone(),
            slug: d.slug.clone(),
            description: d.description.clone(),
            description_short: d.description_short.clone(),
            created_at: d.created_at(),
            last_modified: d.last_modified(),
            last_update: d.last_update_with(facts),
            deleted: d.deleted_at,
            archived: d.archived_at,
            private: d.private,
            featured: d.featured,
            tags: d.tags.clone(),
            badges: Vec::new(),
            resources,
            community_resources: community,
            frequency: d.frequency.clone(),
            frequency_date: d.frequency_date,
            extras: d.extras.clone(),
            harvest: d.harvest.clone(),
            metrics: ApiDatasetMetrics {
                discussions: d.metrics.discussions,
                discussions_open: d.metrics.discussions_open,
                followers: d.metrics.followers,
                reuses: d.metrics.reuses,
                views: d.metrics.views,
                resources_downloads: d.metrics.resources_downloads,
            },
            organization: d
                .publisher
                .organization_id()
                .and_then(|id| ctx.organization(id)),
            owner: d.publisher.owner_id().and_then(|id| ctx.owner(id)),
            temporal_coverage: d.temporal_coverage.map(|t| ApiTemporalCoverage {
                start: t.start,
                end: t.end,
            }),
            spatial: d.spatial.as_ref().map(|s| ApiSpatial {
                zones: s.zones.clone(),
                granularity: s.granularity.clone(),
                geom: None,
            }),
            license: d.license.clone(),
            uri: format!("{}/api/1/datasets/{}/", ctx.base, d.id),
            page: format!("{}/datasets/{}/", ctx.base, d.slug),
            quality: quality::compute_with(d, facts, ctx.now),
            internal: ApiInternal {
                created_at_internal: d.created_at_internal,
                last_modified_internal: d.last_modified_internal,
            },
            permissions: ApiPermissions {
                delete: can_edit,
                edit: can_edit,
                edit_resources: can_edit,
            },
            contact_points: Vec::new(),
            schema: None,
            access_type: "open".into(),
        }
    }
}

/// A member of an organization.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiMember {
    pub user: ApiUserRef,
    pub role: String,
    pub since: DateTime<Utc>,
}

impl ApiMember {
    /// Maps a membership.
    pub fn new(m: &Member, u: &User, base: &str) -> ApiMember {
        ApiMember {
            user: ApiUserRef::new(u, base),
            role: m.role.as_str().to_owned(),
            since: m.since,
        }
    }
}

/// Counters of an organization.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiOrganizationMetrics {
    pub datasets: i64,
    pub members: i64,
    pub followers: i64,
    pub reuses: i64,
    pub views: i64,
}

/// An organization, as udata's `OrganizationSchema`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiOrganization {
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    pub slug: String,
    pub description: String,
    pub url: Option<String>,
    pub business_number_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_modified: DateTime<Utc>,
    pub deleted: Option<DateTime<Utc>>,
    pub page: String,
    pub uri: String,
    pub logo: Option<String>,
    pub logo_thumbnail: Option<String>,
    pub badges: Vec<Value>,
    pub members: Vec<ApiMember>,
    pub metrics: ApiOrganizationMetrics,
    #[schema(value_type = Object)]
    pub extras: Map<String, Value>,
}

impl ApiOrganization {
    /// Maps an organization with its members and its public dataset count.
    pub fn new(
        o: &Organization,
        members: &[(Member, User)],
        datasets: i64,
        base: &str,
    ) -> ApiOrganization {
        let r = ApiOrganizationRef::new(o, base);
        ApiOrganization {
            id: r.id,
            name: r.name,
            acronym: r.acronym,
            slug: r.slug,
            description: o.description.clone(),
            url: o.url.clone(),
            business_number_id: o.business_number_id.clone(),
            created_at: o.created_at,
            last_modified: o.last_modified,
            deleted: o.deleted_at,
            page: r.page,
            uri: r.uri,
            logo: r.logo,
            logo_thumbnail: r.logo_thumbnail,
            badges: Vec::new(),
            members: members
                .iter()
                .map(|(m, u)| ApiMember::new(m, u, base))
                .collect(),
            metrics: ApiOrganizationMetrics {
                datasets,
                members: i64::try_from(members.len()).unwrap_or(i64::MAX),
                followers: 0,
                reuses: 0,
                views: 0,
            },
            extras: o.extras.clone(),
        }
    }
}

/// A user, as udata's `UserSchema` (the e-mail only for themselves and sysadmins).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiUser {
    pub id: String,
    pub slug: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub avatar: Option<String>,
    pub avatar_thumbnail: Option<String>,
    pub website: Option<String>,
    pub about: Option<String>,
    pub page: String,
    pub uri: String,
    pub roles: Vec<String>,
    pub active: bool,
    pub since: DateTime<Utc>,
    pub organizations: Vec<ApiOrganizationRef>,
}

impl ApiUser {
    /// Maps a user; `with_email` for the user themselves and sysadmins.
    pub fn new(u: &User, organizations: &[Organization], with_email: bool, base: &str) -> ApiUser {
        let r = ApiUserRef::new(u, base);
        ApiUser {
            id: r.id,
            slug: r.slug,
            first_name: r.first_name,
            last_name: r.last_name,
            email: with_email.then(|| u.email.clone()),
            avatar: r.avatar,
            avatar_thumbnail: r.avatar_thumbnail,
            website: u.website.clone(),
            about: u.about.clone(),
            page: r.page,
            uri: r.uri,
            roles: if u.sysadmin {
                vec!["admin".into()]
            } else {
                Vec::new()
            },
            active: u.active,
            since: u.created_at,
            organizations: organizations
                .iter()
                .map(|o| ApiOrganizationRef::new(o, base))
                .collect(),
        }
    }
}

/// An API token as listed (never with its secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiTokenView {
    pub id: String,
    pub name: Option<String>,
    /// First characters of the token, to recognise it.
    pub token_prefix: String,
    pub scopes: Vec<String>,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The secret, only in the answer to its creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl ApiTokenView {
    /// Maps a token; `secret` only right after creation.
    pub fn new(t: &ApiToken, secret: Option<String>) -> ApiTokenView {
        ApiTokenView {
            id: t.id.clone(),
            name: t.name.clone(),
            token_prefix: t.token_prefix.clone(),
            scopes: t.scopes.clone(),
            kind: "api_key".into(),
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
            token: secret,
        }
    }
}

/// An entry of a reference list (`{id, label}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiChoice {
    pub id: String,
    pub label: String,
}

//! Loads the demo catalog of [`crate::demo_data`] into an empty database: users and
//! organizations through the use cases (so passwords are hashed and memberships checked as
//! they would be through the API), datasets directly so that their creation and modification
//! dates lie in the past, as on a portal that has lived for years.

use std::collections::HashMap;

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use portail_app::users::Registration;
use portail_app::{App, AppError, auth, organizations, users};
use portail_core::ids::new_object_id;
use portail_core::model::{
    Dataset, DatasetMetrics, Filetype, Organization, Publisher, Resource, Spatial,
    TemporalCoverage, User,
};
use portail_core::slug::slugify;
use portail_core::tags::normalize_tags_lenient;
use portail_db::slugs::{self, SlugKind};
use portail_db::{changes, datasets};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::demo_data::{DEMO_DATASETS, DEMO_ORGS, DEMO_USERS, DemoDataset, DemoOrg, DemoResource};

/// What [`load`] inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoReport {
    pub users: usize,
    pub organizations: usize,
    pub datasets: usize,
    pub resources: usize,
}

/// Why the demo catalog was not loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded(DemoReport),
    /// The catalog already had this many datasets: demo content is only for empty ones.
    NotEmpty(i64),
}

/// Loads the demo catalog if the database has no dataset.
///
/// Users and organizations that already exist (same e-mail, same slug), say from an earlier
/// attempt that stopped half-way, are reused rather than duplicated.
pub async fn load_if_empty(app: &App) -> anyhow::Result<DemoOutcome> {
    let existing = datasets::count_all(&app.db).await?;
    if existing > 0 {
        return Ok(DemoOutcome::NotEmpty(existing));
    }
    let users = load_users(app).await?;
    let orgs = load_organizations(app, &users).await?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let mut resources = 0;
    for demo in DEMO_DATASETS {
        let mut dataset = build_dataset(demo, &users, &orgs, now)
            .with_context(|| format!("demo dataset \"{}\"", demo.title))?;
        dataset.slug =
            slugs::unique(&mut tx, SlugKind::Dataset, &slug_base(demo.title), None).await?;
        datasets::insert(&mut tx, &dataset).await?;
        changes::record(
            &mut tx,
            portail_app::datasets::CHANGE_KIND,
            &dataset.id,
            now,
        )
        .await?;
        resources += dataset.resources.len();
    }
    tx.commit().await?;
    Ok(DemoOutcome::Loaded(DemoReport {
        users: users.len(),
        organizations: orgs.len(),
        datasets: DEMO_DATASETS.len(),
        resources,
    }))
}

fn slug_base(title: &str) -> String {
    let base = slugify(title);
    if base.is_empty() {
        "dataset".to_owned()
    } else {
        base
    }
}

/// Registers the demo users, keyed by e-mail.
async fn load_users(app: &App) -> anyhow::Result<HashMap<&'static str, User>> {
    let mut by_email = HashMap::new();
    for demo in DEMO_USERS {
        let user = match portail_db::users::find_by_email(&app.db, demo.email).await? {
            Some((user, _)) => user,
            None => {
                let registration = Registration {
                    email: demo.email.to_owned(),
                    password: demo.password.to_owned(),
                    first_name: demo.first_name.to_owned(),
                    last_name: demo.last_name.to_owned(),
                    sysadmin: demo.sysadmin,
                };
                users::register(app, &registration)
                    .await
                    .map_err(|e| use_case_error(e, &format!("demo user {}", demo.email)))?
            }
        };
        by_email.insert(demo.email, user);
    }
    Ok(by_email)
}

/// Creates the demo organizations, keyed by name: the first admin listed creates it, then adds
/// the other members.
async fn load_organizations(
    app: &App,
    users: &HashMap<&'static str, User>,
) -> anyhow::Result<HashMap<&'static str, Organization>> {
    let mut by_name = HashMap::new();
    for demo in DEMO_ORGS {
        let context = format!("demo organization \"{}\"", demo.name);
        let org = match portail_db::organizations::find(&app.db, &slugify(demo.name)).await? {
            Some(org) => org,
            None => create_organization(app, users, demo)
                .await
                .with_context(|| context.clone())?,
        };
        by_name.insert(demo.name, org);
    }
    Ok(by_name)
}

async fn create_organization(
    app: &App,
    users: &HashMap<&'static str, User>,
    demo: &DemoOrg,
) -> anyhow::Result<Organization> {
    let (creator_email, _) = demo
        .members
        .iter()
        .find(|(_, role)| *role == "admin")
        .ok_or_else(|| anyhow!("it has no admin member"))?;
    let creator = member(users, creator_email)?;
    let actor = auth::actor_for(app, creator).await?;
    let mut body = Map::new();
    body.insert("name".into(), json!(demo.name));
    body.insert("description".into(), json!(demo.description));
    if let Some(acronym) = demo.acronym {
        body.insert("acronym".into(), json!(acronym));
    }
    if let Some(url) = demo.url {
        body.insert("url".into(), json!(url));
    }
    let org = organizations::create(app, &actor, &body)
        .await
        .map_err(|e| use_case_error(e, "creating it"))?;
    // The creator is admin of the new organization only from now on.
    let actor = auth::actor_for(app, creator).await?;
    for (email, role) in demo
        .members
        .iter()
        .filter(|(email, _)| email != creator_email)
    {
        let user = member(users, email)?;
        let mut body = Map::new();
        body.insert("role".into(), Value::from(*role));
        organizations::set_member(app, &actor, &org.id, &user.id, &body, None)
            .await
            .map_err(|e| use_case_error(e, &format!("adding member {email}")))?;
    }
    Ok(org)
}

fn member<'a>(users: &'a HashMap<&'static str, User>, email: &str) -> anyhow::Result<&'a User> {
    users
        .get(email)
        .ok_or_else(|| anyhow!("member {email} is not a demo user"))
}

fn use_case_error(err: AppError, what: &str) -> anyhow::Error {
    anyhow!("{what}: {err}")
}

/// Builds a dataset from its demo description, dated relative to `now`.
fn build_dataset(
    demo: &DemoDataset,
    users: &HashMap<&'static str, User>,
    orgs: &HashMap<&'static str, Organization>,
    now: DateTime<Utc>,
) -> anyhow::Result<Dataset> {
    let publisher = match (demo.organization, demo.owner) {
        (Some(name), _) => Publisher::Organization(
            orgs.get(name)
                .ok_or_else(|| anyhow!("unknown organization \"{name}\""))?
                .id
                .clone(),
        ),
        (None, Some(email)) => Publisher::User(member(users, email)?.id.clone()),
        (None, None) => bail!("it has neither organization nor owner"),
    };
    let created = now - Duration::days(demo.created_days_ago);
    let modified = now - Duration::days(demo.modified_days_ago.min(demo.created_days_ago));
    let temporal_coverage = match demo.temporal_coverage {
        Some((start, end)) => Some(TemporalCoverage {
            start: parse_date(start)?,
            end: Some(parse_date(end)?),
        }),
        None => None,
    };
    let spatial = (demo.granularity.is_some() || !demo.zones.is_empty()).then(|| Spatial {
        granularity: demo.granularity.map(str::to_owned),
        zones: demo.zones.iter().map(|z| (*z).to_owned()).collect(),
    });
    let tags: Vec<String> = demo.tags.iter().map(|t| (*t).to_owned()).collect();
    let id = new_object_id();
    let resources = demo
        .resources
        .iter()
        .zip(0..)
        .map(|(r, position)| build_resource(r, &id, position, created, modified))
        .collect();
    Ok(Dataset {
        id,
        slug: String::new(),
        title: demo.title.to_owned(),
        acronym: demo.acronym.map(str::to_owned),
        description: demo.description.to_owned(),
        description_short: demo.description_short.map(str::to_owned),
        license: demo.license.to_owned(),
        frequency: demo.frequency.to_owned(),
        frequency_date: None,
        tags: normalize_tags_lenient(&tags),
        temporal_coverage,
        spatial,
        private: demo.private,
        featured: false,
        archived_at: None,
        deleted_at: None,
        publisher,
        extras: Map::new(),
        harvest: None,
        created_at_internal: created,
        last_modified_internal: modified,
        metrics: DatasetMetrics::default(),
        version: 1,
        resources,
    })
}

fn build_resource(
    demo: &DemoResource,
    dataset_id: &str,
    position: i64,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
) -> Resource {
    Resource {
        id: Uuid::new_v4().to_string(),
        dataset_id: dataset_id.to_owned(),
        position,
        title: demo.title.to_owned(),
        description: demo.description.map(str::to_owned),
        filetype: Filetype::Remote,
        kind: demo.r#type.to_owned(),
        url: demo.url.to_owned(),
        format: Some(demo.format.to_owned()),
        mime: demo.mime.map(str::to_owned),
        filesize: demo.filesize,
        checksum: None,
        extras: Map::new(),
        harvest: None,
        fs_filename: None,
        downloads: 0,
        created_at_internal: created,
        last_modified_internal: modified,
    }
}

fn parse_date(raw: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").with_context(|| format!("bad date \"{raw}\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use portail_core::frequency::parse_frequency;
    use portail_core::licenses::find_license;
    use portail_core::model::OrgRole;
    use portail_core::reference::{GRANULARITIES, RESOURCE_TYPES, find_choice};
    use portail_core::tags::validate_tags;
    use portail_core::validation::{DESCRIPTION_SHORT_MAX, is_geoid, is_valid_url};

    /// The demo data is typed by hand: check it against the rules the API would apply.
    #[test]
    fn demo_data_follows_the_rules() {
        for user in DEMO_USERS {
            assert!(
                user.password.len() >= portail_app::auth::PASSWORD_MIN,
                "{}",
                user.email
            );
        }
        for org in DEMO_ORGS {
            assert!(
                org.members.iter().any(|(_, role)| *role == "admin"),
                "{}",
                org.name
            );
            for (email, role) in org.members {
                assert!(DEMO_USERS.iter().any(|u| u.email == *email), "{email}");
                assert!(OrgRole::parse(role).is_some(), "{role}");
            }
        }
        assert_eq!(DEMO_DATASETS.len(), 50);
        for d in DEMO_DATASETS {
            let t = d.title;
            assert!(
                find_license(d.license).is_some(),
                "{t}: license {}",
                d.license
            );
            assert!(
                parse_frequency(d.frequency).is_some(),
                "{t}: {}",
                d.frequency
            );
            assert!(d.modified_days_ago <= d.created_days_ago, "{t}");
            assert!(
                d.organization.is_some() != d.owner.is_some(),
                "{t}: one publisher"
            );
            if let Some(org) = d.organization {
                assert!(DEMO_ORGS.iter().any(|o| o.name == org), "{t}: {org}");
            }
            if let Some(owner) = d.owner {
                assert!(DEMO_USERS.iter().any(|u| u.email == owner), "{t}: {owner}");
            }
            let tags: Vec<String> = d.tags.iter().map(|s| (*s).to_owned()).collect();
            assert_eq!(validate_tags(&tags).map(|v| v.len()), Ok(tags.len()), "{t}");
            if let Some(g) = d.granularity {
                assert!(find_choice(GRANULARITIES, g).is_some(), "{t}: {g}");
            }
            assert!(d.zones.iter().all(|z| is_geoid(z)), "{t}");
            if let Some((start, end)) = d.temporal_coverage {
                assert!(
                    parse_date(start).unwrap() <= parse_date(end).unwrap(),
                    "{t}"
                );
            }
            if let Some(short) = d.description_short {
                assert!(short.chars().count() <= DESCRIPTION_SHORT_MAX, "{t}");
            }
            assert!(!d.resources.is_empty(), "{t}");
            for r in d.resources {
                assert!(
                    find_choice(RESOURCE_TYPES, r.r#type).is_some(),
                    "{t}: {}",
                    r.r#type
                );
                assert!(is_valid_url(r.url), "{t}: {}", r.url);
                assert!(r.url.contains(".example.org"), "{t}: {}", r.url);
            }
        }
    }

    #[test]
    fn demo_datasets_get_past_dates() {
        let now = portail_core::model::now();
        let users: HashMap<&'static str, User> = DEMO_USERS
            .iter()
            .map(|u| {
                let user = User {
                    id: new_object_id(),
                    slug: slugify(u.email),
                    email: u.email.to_owned(),
                    first_name: u.first_name.to_owned(),
                    last_name: u.last_name.to_owned(),
                    about: None,
                    website: None,
                    avatar_url: None,
                    sysadmin: u.sysadmin,
                    active: true,
                    created_at: now,
                    deleted_at: None,
                };
                (u.email, user)
            })
            .collect();
        let orgs: HashMap<&'static str, Organization> = DEMO_ORGS
            .iter()
            .map(|o| {
                let org = Organization {
                    id: new_object_id(),
                    name: o.name.to_owned(),
                    acronym: None,
                    slug: slugify(o.name),
                    description: String::new(),
                    url: None,
                    image_url: None,
                    business_number_id: None,
                    extras: Map::new(),
                    created_at: now,
                    last_modified: now,
                    deleted_at: None,
                };
                (o.name, org)
            })
            .collect();
        let demo = &DEMO_DATASETS[0];
        let d = build_dataset(demo, &users, &orgs, now).unwrap();
        assert_eq!(
            d.created_at_internal,
            now - Duration::days(demo.created_days_ago)
        );
        assert_eq!(
            d.last_modified_internal,
            now - Duration::days(demo.modified_days_ago)
        );
        assert_eq!(d.resources.len(), demo.resources.len());
        assert!(d.resources.iter().all(|r| r.dataset_id == d.id));
    }
}

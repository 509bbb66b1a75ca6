//! `portail generate`: adds a synthetic but realistic-looking catalog (organizations, users,
//! datasets with tags and resources) for benchmarks and load tests.
//!
//! Speed matters (100 000 datasets must load in seconds), so datasets go through
//! [`portail_db::bulk`] in transactions of [`BATCH`] datasets; the few organizations and users
//! go through the ordinary repository functions.

mod content;
pub mod words;

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use portail_core::ids::new_object_id;
use portail_core::model::{Dataset, Member, OrgRole, Organization, Publisher};
use portail_core::slug::slugify;
use portail_db::slugs::{self, SlugKind};
use portail_db::users::NewUser;
use portail_db::{Db, Tx, bulk, changes, datasets, organizations, users};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Map;

use crate::cli::GenerateArgs;
use content::PublisherRef;

/// Datasets written per transaction: large enough to amortise commits, small enough that a
/// failure loses little and readers are never blocked long.
pub const BATCH: usize = 2_000;

/// Share of datasets published by a user rather than an organization.
const USER_PUBLISHED: f64 = 0.08;

/// Number of public dataset ids kept for `portail bench api`.
pub const SAMPLE_SIZE: usize = 1_000;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub datasets: u64,
    pub resources_per_dataset: u32,
    pub organizations: u64,
    pub seed: u64,
}

impl Plan {
    /// Applies the defaults: max(N/1000, 5) organizations, a random seed.
    pub fn from_args(args: &GenerateArgs) -> Plan {
        Plan {
            datasets: args.datasets,
            resources_per_dataset: args.resources_per_dataset,
            organizations: args
                .organizations
                .unwrap_or((args.datasets / 1000).max(5))
                .max(1),
            seed: args.seed.unwrap_or_else(rand::random),
        }
    }

    /// Two users per organization (an admin and an editor), ten at least.
    fn users(&self) -> u64 {
        (self.organizations * 2).max(10)
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone)]
pub struct Report {
    pub datasets: u64,
    pub resources: u64,
    pub organizations: u64,
    pub users: u64,
    pub elapsed: Duration,
    pub seed: u64,
    /// Up to [`SAMPLE_SIZE`] ids of visible (public, not archived) generated datasets,
    /// uniformly sampled.
    pub public_sample: Vec<String>,
}

impl Report {
    /// Datasets written per second.
    pub fn rate(&self) -> f64 {
        self.datasets as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A publisher written to the database, with what datasets need from it.
struct WrittenOrg {
    id: String,
    seed: content::OrgSeed,
}

/// Writes the plan's organizations, users and datasets; `progress` prints a line on stderr
/// about once a second.
pub async fn generate(db: &Db, plan: &Plan, progress: bool) -> anyhow::Result<Report> {
    let started = Instant::now();
    let now = portail_core::model::now();
    let mut rng = StdRng::seed_from_u64(plan.seed);
    // Ordinals continue after what is there, so that a second run does not reuse slugs
    // and e-mails of the first.
    let first_dataset = u64::try_from(datasets::count_all(db).await?).unwrap_or(0) + 1;
    let first_user = u64::try_from(users::count(db).await?).unwrap_or(0) + 1;

    let (orgs, people) = write_publishers(db, plan, &mut rng, first_user, now)
        .await
        .context("cannot write the generated organizations and users")?;
    let (organizations, users) = (orgs.len() as u64, people.len() as u64);
    let publishers = Publishers { orgs, people };

    // Building a batch takes about a third of the time of writing one: a thread builds the
    // next batches while this task writes the current one.
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Vec<Dataset>>(2);
    let plan_copy = *plan;
    let builder = tokio::task::spawn_blocking(move || {
        let mut built = 0;
        while built < plan_copy.datasets {
            let count = (plan_copy.datasets - built).min(BATCH as u64);
            let batch = (0..count)
                .map(|i| {
                    let publisher = publishers.pick(&mut rng);
                    let ordinal = first_dataset + built + i;
                    let resources = plan_copy.resources_per_dataset;
                    content::dataset(&mut rng, &publisher, ordinal, resources, now)
                })
                .collect();
            if sender.blocking_send(batch).is_err() {
                // The writer stopped on an error, which it reports.
                return;
            }
            built += count;
        }
    });

    let mut meter = Progress::new(plan.datasets, progress);
    let mut sample = Reservoir::new(SAMPLE_SIZE);
    let mut written = 0u64;
    let mut resources = 0u64;
    while let Some(mut batch) = batches.recv().await {
        let mut tx = db.begin().await?;
        make_slugs_unique(&mut tx, &mut batch).await?;
        bulk::insert_datasets(&mut tx, &batch)
            .await
            .context("cannot write generated datasets")?;
        let ids: Vec<String> = batch.iter().map(|d| d.id.clone()).collect();
        bulk::record_changes(&mut tx, portail_app::datasets::CHANGE_KIND, &ids, now).await?;
        tx.commit().await?;

        for d in &batch {
            resources += d.resources.len() as u64;
            if d.is_visible() {
                sample.offer(&d.id);
            }
        }
        written += batch.len() as u64;
        meter.update(written);
    }
    builder.await.context("the dataset builder failed")?;
    meter.finish(written);
    Ok(Report {
        datasets: written,
        resources,
        organizations,
        users,
        elapsed: started.elapsed(),
        seed: plan.seed,
        public_sample: sample.into_items(),
    })
}

/// The generated publishers datasets are dealt to.
struct Publishers {
    orgs: Vec<WrittenOrg>,
    /// Ids and names of the generated users.
    people: Vec<(String, String)>,
}

impl Publishers {
    fn pick(&self, rng: &mut StdRng) -> PublisherRef<'_> {
        if rng.random_bool(USER_PUBLISHED) {
            let (id, name) = &self.people[rng.random_range(0..self.people.len())];
            PublisherRef {
                publisher: Publisher::User(id.clone()),
                name,
                host: "contributeurs",
                place: None,
            }
        } else {
            // Squaring a uniform draw makes a few organizations publish most datasets, as on
            // real portals.
            let u: f64 = rng.random();
            let n = self.orgs.len();
            let org = &self.orgs[((u * u) * n as f64) as usize % n];
            PublisherRef {
                publisher: Publisher::Organization(org.id.clone()),
                name: &org.seed.name,
                host: &org.seed.host,
                place: Some(&org.seed.place),
            }
        }
    }
}

/// Generated slugs are unique among themselves by their ordinal; this renames the rare one a
/// dataset written some other way already uses.
async fn make_slugs_unique(tx: &mut Tx, batch: &mut [Dataset]) -> anyhow::Result<()> {
    let wanted: Vec<String> = batch.iter().map(|d| d.slug.clone()).collect();
    let taken = bulk::taken_dataset_slugs(tx, &wanted).await?;
    for d in batch.iter_mut().filter(|d| taken.contains(&d.slug)) {
        d.slug = slugs::unique(tx, SlugKind::Dataset, &d.slug, None).await?;
    }
    Ok(())
}

/// Writes the users, the organizations and their members in one transaction; returns the
/// organizations and the users' ids and names.
async fn write_publishers(
    db: &Db,
    plan: &Plan,
    rng: &mut StdRng,
    first_user: u64,
    now: DateTime<Utc>,
) -> anyhow::Result<(Vec<WrittenOrg>, Vec<(String, String)>)> {
    let mut tx = db.begin().await?;
    let mut people = Vec::new();
    for i in 0..plan.users() {
        let person = content::user(rng);
        let ordinal = first_user + i;
        let base = slugify(&format!("{} {}", person.first_name, person.last_name));
        let user = NewUser {
            id: new_object_id(),
            slug: slugs::unique(&mut tx, SlugKind::User, &base, None).await?,
            email: format!("{base}.{ordinal}@generated.example.org"),
            // Generated accounts cannot log in: give one a password by hand if needed.
            password_hash: None,
            first_name: person.first_name,
            last_name: person.last_name,
            sysadmin: false,
            created_at: now,
        };
        users::insert(&mut tx, &user).await?;
        changes::record(&mut tx, portail_app::users::CHANGE_KIND, &user.id, now).await?;
        people.push((user.id, format!("{} {}", user.first_name, user.last_name)));
    }
    let mut orgs = Vec::new();
    for i in 0..plan.organizations {
        let seed = content::organization(rng);
        let org = Organization {
            id: new_object_id(),
            slug: slugs::unique(&mut tx, SlugKind::Organization, &slugify(&seed.name), None)
                .await?,
            name: seed.name.clone(),
            acronym: None,
            description: seed.description.clone(),
            url: Some(seed.url.clone()),
            image_url: None,
            business_number_id: None,
            extras: Map::new(),
            created_at: now,
            last_modified: now,
            deleted_at: None,
        };
        organizations::insert(&mut tx, &org).await?;
        // Users are dealt to organizations in turn: admin, then editor.
        let members = [(2 * i, OrgRole::Admin), (2 * i + 1, OrgRole::Editor)];
        for (n, role) in members {
            let (user_id, _) = &people[(n % people.len() as u64) as usize];
            let member = Member {
                organization_id: org.id.clone(),
                user_id: user_id.clone(),
                role,
                since: now,
            };
            organizations::upsert_member(&mut tx, &member).await?;
        }
        changes::record(
            &mut tx,
            portail_app::organizations::CHANGE_KIND,
            &org.id,
            now,
        )
        .await?;
        orgs.push(WrittenOrg { id: org.id, seed });
    }
    tx.commit().await?;
    Ok((orgs, people))
}

/// Keeps a uniform sample of at most `capacity` items from a stream (algorithm R). Its own
/// random generator keeps the seeded content generator's sequence untouched.
struct Reservoir {
    capacity: usize,
    seen: usize,
    items: Vec<String>,
    rng: StdRng,
}

impl Reservoir {
    fn new(capacity: usize) -> Reservoir {
        Reservoir {
            capacity,
            seen: 0,
            items: Vec::with_capacity(capacity),
            rng: StdRng::from_os_rng(),
        }
    }

    fn offer(&mut self, item: &str) {
        self.seen += 1;
        if self.items.len() < self.capacity {
            self.items.push(item.to_owned());
        } else {
            let slot = self.rng.random_range(0..self.seen);
            if slot < self.capacity {
                self.items[slot] = item.to_owned();
            }
        }
    }

    fn into_items(self) -> Vec<String> {
        self.items
    }
}

/// A progress line on stderr, at most once a second; rewritten in place on a terminal.
struct Progress {
    total: u64,
    enabled: bool,
    terminal: bool,
    started: Instant,
    last: Instant,
}

impl Progress {
    fn new(total: u64, enabled: bool) -> Progress {
        let now = Instant::now();
        Progress {
            total,
            enabled,
            terminal: std::io::stderr().is_terminal(),
            started: now,
            last: now,
        }
    }

    fn line(&self, done: u64) -> String {
        let rate = done as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
        format!("generate: {done}/{} datasets ({rate:.0}/s)", self.total)
    }

    fn update(&mut self, done: u64) {
        if !self.enabled || self.last.elapsed() < Duration::from_secs(1) {
            return;
        }
        self.last = Instant::now();
        if self.terminal {
            eprint!("\r{}", self.line(done));
        } else {
            eprintln!("{}", self.line(done));
        }
    }

    fn finish(&self, done: u64) {
        if self.enabled && self.terminal && self.started.elapsed() >= Duration::from_secs(1) {
            eprintln!("\r{}", self.line(done));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_organizations() {
        let args = |n| GenerateArgs {
            datasets: n,
            resources_per_dataset: 3,
            organizations: None,
            seed: Some(1),
        };
        assert_eq!(Plan::from_args(&args(100)).organizations, 5);
        assert_eq!(Plan::from_args(&args(100_000)).organizations, 100);
        assert_eq!(Plan::from_args(&args(100_000)).users(), 200);
    }

    #[test]
    fn reservoir_keeps_at_most_its_capacity() {
        let mut r = Reservoir::new(10);
        for i in 0..1000 {
            r.offer(&i.to_string());
        }
        let items = r.into_items();
        assert_eq!(items.len(), 10);
        let distinct: std::collections::HashSet<_> = items.iter().collect();
        assert_eq!(distinct.len(), 10);
    }
}

//! Harvesting use cases (udata §7): harvest sources (create, edit, delete, validate,
//! schedule), jobs that read a source with `portail_harvest` and write its records as datasets
//! (one transaction per dataset, recorded in the outbox), preview (a dry run), the scheduler's
//! claim of due sources, and the retention of old jobs.
//!
//! - [`sources`]: the sources and who may do what with them;
//! - [`run`]: a job from start to end, autoarchive included;
//! - [`records`]: one remote record to one dataset;
//! - [`schedule`]: cron expressions and the scheduler's claim.

pub mod records;
pub mod run;
pub mod schedule;
pub mod sources;

use std::time::Duration;

pub use portail_harvest::{BackendInfo, OutboundConfig, OutboundPolicy, backends};

pub use run::{
    Preview, PreviewItem, Progress, fail_stale_jobs, preview, preview_payload, purge_jobs, run_job,
};
pub use schedule::{claim_due, next_run, parse_cron};
pub use sources::{
    JobView, SourceInput, can_admin_source, can_preview_source, create, delete, get, get_job, jobs,
    last_job, list, queue_job, set_schedule, start_job, unschedule, update, validate,
    visible_sources,
};

/// Outbox kind of harvest source changes.
pub const CHANGE_KIND: &str = "harvest_source";

/// The schedule given to a source when it is accepted (udata's `HARVEST_DEFAULT_SCHEDULE`).
pub const DEFAULT_SCHEDULE: &str = "0 0 * * *";

/// Items a preview reads (udata's `HARVEST_PREVIEW_MAX_ITEMS`).
pub const PREVIEW_MAX_ITEMS: u64 = 20;

/// Days a job is kept (udata's `HARVEST_JOBS_RETENTION_DAYS`).
pub const JOBS_RETENTION_DAYS: i64 = 365;

/// How often a running job writes its heartbeat.
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(60);

/// A pending or running job whose heartbeat is older than this belongs to a process that
/// stopped (ten missed heartbeats): [`fail_stale_jobs`] fails it.
pub const STALE_AFTER: chrono::Duration = chrono::Duration::minutes(10);

/// The error of a job failed by [`fail_stale_jobs`].
pub const INTERRUPTED: &str = "interrupted: the process stopped during the run";

/// How harvesting behaves on this portal.
#[derive(Debug, Clone)]
pub struct HarvestSettings {
    /// The outbound HTTP client's policy and limits.
    pub outbound: OutboundConfig,
    /// A cap on the items of any run (`PORTAIL_HARVEST_MAX_ITEMS`); a source may set a smaller one.
    pub max_items: Option<u64>,
    /// How long a dataset missing from the remote is kept before it is archived
    /// (`PORTAIL_HARVEST_ARCHIVE_GRACE_DAYS`, default 7).
    pub archive_grace: chrono::Duration,
    /// The longest a run may take (`PORTAIL_HARVEST_TIME_LIMIT`, seconds); a source may set a
    /// smaller one.
    pub time_limit: Duration,
}

impl Default for HarvestSettings {
    fn default() -> Self {
        HarvestSettings {
            outbound: OutboundConfig::default(),
            max_items: None,
            archive_grace: chrono::Duration::days(7),
            time_limit: portail_harvest::config::DEFAULT_TIME_LIMIT,
        }
    }
}

impl HarvestSettings {
    /// The defaults overridden by `PORTAIL_OUTBOUND_ALLOW`, `PORTAIL_HARVEST_MAX_ITEMS`,
    /// `PORTAIL_HARVEST_ARCHIVE_GRACE_DAYS` and `PORTAIL_HARVEST_TIME_LIMIT`.
    pub fn from_env() -> Result<HarvestSettings, String> {
        let outbound = OutboundConfig::from_env().map_err(|e| e.to_string())?;
        let number = |name: &str| -> Result<Option<u64>, String> {
            match std::env::var(name) {
                Ok(raw) if !raw.trim().is_empty() => {
                    raw.trim().parse::<u64>().map(Some).map_err(|_| {
                        format!("{name} must be a positive whole number, not \"{raw}\"")
                    })
                }
                _ => Ok(None),
            }
        };
        let defaults = HarvestSettings::default();
        Ok(HarvestSettings {
            outbound,
            max_items: number("PORTAIL_HARVEST_MAX_ITEMS")?,
            archive_grace: number("PORTAIL_HARVEST_ARCHIVE_GRACE_DAYS")?
                .map_or(defaults.archive_grace, |d| {
                    chrono::Duration::days(i64::try_from(d).unwrap_or(i64::MAX / 86_400_000))
                }),
            time_limit: number("PORTAIL_HARVEST_TIME_LIMIT")?
                .map_or(defaults.time_limit, Duration::from_secs),
        })
    }
}

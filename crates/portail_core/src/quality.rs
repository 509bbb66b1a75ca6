//! udata's quality object (§3): nine criteria worth one point each, the score being points / 9.
//!
//! The "up to date" criterion depends on the clock, so the caller passes `now`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::frequency::parse_frequency;
use crate::licenses::DEFAULT_LICENSE;
use crate::model::{Dataset, ResourceFacts};

/// Descriptions longer than this (strictly) count as documented (`QUALITY_DESCRIPTION_LENGTH`).
pub const QUALITY_DESCRIPTION_LENGTH: usize = 100;
/// Number of scored criteria (`QUALITY_MAX_SCORE`).
pub const QUALITY_MAX_SCORE: f64 = 9.0;

/// The quality object, with udata's keys. Keys that udata omits are `None` and skipped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    pub license: bool,
    pub temporal_coverage: bool,
    pub spatial: bool,
    pub update_frequency: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_fulfilled_in_time: Option<bool>,
    pub dataset_description_quality: bool,
    pub has_resources: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_open_format: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_resources_available: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources_documentation: Option<bool>,
    pub score: f64,
}

/// Computes the quality of a dataset at `now`.
pub fn compute(dataset: &Dataset, now: DateTime<Utc>) -> Quality {
    compute_with(dataset, &ResourceFacts::of(&dataset.resources), now)
}

/// Computes the quality from a summary of the resources (see [`ResourceFacts`]).
pub fn compute_with(dataset: &Dataset, facts: &ResourceFacts, now: DateTime<Utc>) -> Quality {
    let frequency = parse_frequency(&dataset.frequency).filter(|f| f.id != "unknown");
    let update_fulfilled_in_time = frequency.map(|f| match f.delta() {
        // Python's `timedelta.days` floors; one day of grace "due to harvesting".
        Some(delta) => {
            (dataset.last_update_with(facts) + delta - now)
                .num_seconds()
                .div_euclid(86_400)
                >= -1
        }
        None => true,
    });
    let has_resources = facts.count > 0;
    let (has_open_format, all_resources_available, resources_documentation) = if has_resources {
        (
            Some(facts.has_open_format),
            Some(facts.all_remote_available),
            Some(facts.documented),
        )
    } else {
        (None, None, None)
    };
    let mut quality = Quality {
        license: dataset.license != DEFAULT_LICENSE,
        temporal_coverage: dataset.temporal_coverage.is_some(),
        spatial: dataset
            .spatial
            .as_ref()
            .is_some_and(|s| s.granularity.is_some() || !s.zones.is_empty()),
        update_frequency: frequency.is_some(),
        update_fulfilled_in_time,
        dataset_description_quality: dataset.description.chars().count()
            > QUALITY_DESCRIPTION_LENGTH,
        has_resources,
        has_open_format,
        all_resources_available,
        resources_documentation,
        score: 0.0,
    };
    let points = [
        quality.license,
        quality.temporal_coverage,
        quality.spatial,
        quality.update_frequency,
        quality.update_fulfilled_in_time == Some(true),
        quality.dataset_description_quality,
        quality.has_open_format == Some(true),
        quality.all_resources_available == Some(true),
        quality.resources_documentation == Some(true),
    ]
    .iter()
    .filter(|p| **p)
    .count();
    quality.score = points as f64 / QUALITY_MAX_SCORE;
    quality
}

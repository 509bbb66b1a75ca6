//! Cron schedules of harvest sources and the scheduler's claim: every node looks for due
//! sources, and moves each one's `next_run_at` forward with a compare-and-set, so exactly one
//! node runs a given occurrence.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use croner::Cron;
use portail_core::harvest::{HarvestJob, HarvestSource};
use portail_db::harvest as repo;

use super::sources::queue_job;
use crate::{App, AppError, AppResult};

/// Parses a 5-field cron expression (`minute hour day-of-month month day-of-week`).
pub fn parse_cron(expression: &str) -> AppResult<Cron> {
    let expression = expression.trim();
    if expression.is_empty() {
        return Err(AppError::BadRequest(
            "A cron expression is required, such as \"0 0 * * *\" (every day at midnight UTC)."
                .into(),
        ));
    }
    // Seconds and years are croner extensions; a harvest runs at most every minute.
    if expression.split_whitespace().count() != 5 && !expression.starts_with('@') {
        return Err(AppError::BadRequest(format!(
            "Invalid cron expression \"{expression}\": expected 5 fields (minute hour day-of-month month day-of-week), such as \"0 0 * * *\"."
        )));
    }
    Cron::from_str(expression).map_err(|e| {
        AppError::BadRequest(format!(
            "Invalid cron expression \"{expression}\": {e}. Expected 5 fields (minute hour day-of-month month day-of-week), such as \"0 0 * * *\"."
        ))
    })
}

/// The first time strictly after `after` that the expression names, in UTC.
pub fn next_run(expression: &str, after: DateTime<Utc>) -> AppResult<Option<DateTime<Utc>>> {
    let cron = parse_cron(expression)?;
    Ok(cron.find_next_occurrence(&after, false).ok())
}

/// Claims the sources due at the clock's now (active, accepted, live), each with a pending
/// job; the caller runs the jobs. A source another node claimed first is left out, and so is
/// one whose previous job is still pending or running (that occurrence is skipped).
pub async fn claim_due(app: &App) -> AppResult<Vec<(HarvestSource, HarvestJob)>> {
    let now = app.clock.now();
    let mut claimed = Vec::new();
    for source in repo::due_sources(&app.db, now, 50).await? {
        let Some(seen) = source.next_run_at else {
            continue;
        };
        // A schedule that no longer parses stops the source rather than looping on it.
        let next = match source.schedule.as_deref() {
            Some(cron) => next_run(cron, now).ok().flatten(),
            None => None,
        };
        if repo::claim_source(&app.db, &source.id, seen, next).await? {
            // This occurrence is skipped, not postponed, when the previous run has not ended.
            match queue_job(app, &source).await {
                Ok(job) => claimed.push((source, job)),
                Err(AppError::Conflict(message)) => {
                    tracing::info!(source = %source.slug, "scheduled harvest skipped: {message}");
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok(claimed)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, h, m, 0)
            .single()
            .expect("a valid date")
    }

    #[test]
    fn next_runs_are_strictly_after_now() {
        let next = next_run("0 0 * * *", at(10, 0)).expect("valid");
        assert_eq!(next, Some(at(0, 0) + chrono::Duration::days(1)));
        // Exactly on an occurrence: the next one, not this one.
        let next = next_run("*/15 * * * *", at(10, 15)).expect("valid");
        assert_eq!(next, Some(at(10, 30)));
    }

    #[test]
    fn invalid_expressions_say_what_is_expected() {
        for bad in ["", "every day", "0 0 * *", "61 0 * * *", "0 0 * * * * *"] {
            let Err(AppError::BadRequest(message)) = parse_cron(bad) else {
                panic!("{bad:?} was accepted");
            };
            assert!(message.contains("cron expression"), "{bad:?}: {message}");
        }
    }
}

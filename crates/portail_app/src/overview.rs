//! What producers and the site dashboard read: the six quality questions of a dataset, its
//! monthly download and view series, the site figures and series, and the caller's datasets
//! ranked by what needs attention.

use std::collections::BTreeMap;

use portail_core::model::Dataset;
use portail_core::permissions::Actor;
use portail_core::quality;
use portail_core::questions::{self, Context, Question};
use portail_db::checks::{self as repo, SiteCounts};

use crate::{App, AppResult};

/// The six questions of a readable dataset, at the app's clock.
pub async fn questions(
    app: &App,
    actor: Option<&Actor>,
    dataset: &str,
) -> AppResult<(Dataset, Vec<Question>)> {
    let d = crate::datasets::get(app, actor, dataset).await?;
    let qs = answer(app, &d);
    Ok((d, qs))
}

fn answer(app: &App, d: &Dataset) -> Vec<Question> {
    questions::answer(
        d,
        Context {
            discussions: d.metrics.discussions,
            discussions_open: d.metrics.discussions_open,
        },
        app.clock.now(),
    )
}

fn by_month(days: Vec<(chrono::NaiveDate, i64)>) -> BTreeMap<String, i64> {
    let mut months = BTreeMap::new();
    for (day, n) in days {
        *months.entry(day.format("%Y-%m").to_string()).or_insert(0) += n;
    }
    months
}

/// Downloads of a readable dataset per month (`YYYY-MM`), from the daily counters.
pub async fn downloads_by_month(
    app: &App,
    actor: Option<&Actor>,
    dataset: &str,
) -> AppResult<BTreeMap<String, i64>> {
    let d = crate::datasets::get(app, actor, dataset).await?;
    Ok(by_month(repo::downloads_by_day(&app.db, &d.id).await?))
}

/// Views of a dataset (already checked readable) per month (`YYYY-MM`).
pub async fn views_by_month(app: &App, d: &Dataset) -> AppResult<BTreeMap<String, i64>> {
    Ok(by_month(portail_db::views::by_day(&app.db, &d.id).await?))
}

/// The site's monthly series: resource downloads and dataset views (`YYYY-MM` → n).
pub async fn site_by_month(app: &App) -> AppResult<(BTreeMap<String, i64>, BTreeMap<String, i64>)> {
    Ok((
        by_month(repo::site_downloads_by_day(&app.db).await?),
        by_month(portail_db::views::site_by_day(&app.db).await?),
    ))
}

/// How many months udata's stock series cover, the current one included.
const STOCK_MONTHS: u32 = 13;

/// The site's stock series, as udata's `datasets_by_months`, `users_by_months`, ...: for each
/// kind, the live public objects created up to the end of each of the last 13 months
/// (`YYYY-MM` → n, the current month included), at the app's clock.
pub async fn site_stock_by_month(
    app: &App,
) -> AppResult<BTreeMap<&'static str, BTreeMap<String, i64>>> {
    use chrono::{Datelike, Months, NaiveDate, TimeZone, Utc};
    let now = app.clock.now();
    let this_month = NaiveDate::from_ymd_opt(now.year(), now.month(), 1).unwrap_or_default();
    let months: Vec<NaiveDate> = (0..STOCK_MONTHS)
        .rev()
        .filter_map(|back| this_month.checked_sub_months(Months::new(back)))
        .collect();
    // A month's stock is what was created before the first instant of the next month.
    let bounds: Vec<_> = months
        .iter()
        .filter_map(|m| m.checked_add_months(Months::new(1)))
        .map(|next| Utc.from_utc_datetime(&next.and_time(chrono::NaiveTime::MIN)))
        .collect();
    let counts = repo::site_stock_before(&app.db, &bounds).await?;
    Ok(repo::SITE_STOCK_KINDS
        .iter()
        .zip(counts)
        .map(|(kind, row)| {
            let series = months
                .iter()
                .map(|m| m.format("%Y-%m").to_string())
                .zip(row)
                .collect();
            (*kind, series)
        })
        .collect())
}

/// The site's figures.
pub async fn site(app: &App) -> AppResult<SiteCounts> {
    Ok(repo::site_counts(&app.db).await?)
}

/// A dataset of the caller and why it needs attention.
#[derive(Debug, Clone)]
pub struct Attention {
    pub dataset: Dataset,
    /// `out_of_date`, `broken_links`, `low_quality`, `open_discussions`, in that order.
    pub reasons: Vec<&'static str>,
    pub questions: Vec<Question>,
    pub score: f64,
}

/// Below this quality score a dataset is listed as `low_quality`.
pub const LOW_QUALITY: f64 = 0.5;

/// The actor's datasets (own and their organizations'), those needing attention first: more
/// reasons first, then the lowest quality, then the title.
pub async fn attention(app: &App, actor: &Actor) -> AppResult<Vec<Attention>> {
    let ids = repo::dataset_ids_of(&app.db, &actor.user_id, &actor.organization_ids()).await?;
    let now = app.clock.now();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(200) {
        for d in portail_db::datasets::find_many(&app.db, chunk).await? {
            let qs = answer(app, &d);
            let score = quality::compute(&d, now).score;
            let failed = |id: &str| qs.iter().any(|q| q.id == id && q.ok == Some(false));
            let mut reasons = Vec::new();
            if failed("up_to_date") {
                reasons.push("out_of_date");
            }
            if failed("resources_available") {
                reasons.push("broken_links");
            }
            if score < LOW_QUALITY {
                reasons.push("low_quality");
            }
            if failed("discussions") {
                reasons.push("open_discussions");
            }
            out.push(Attention {
                dataset: d,
                reasons,
                questions: qs,
                score,
            });
        }
    }
    out.sort_by(|a, b| {
        b.reasons
            .len()
            .cmp(&a.reasons.len())
            .then(a.score.total_cmp(&b.score))
            .then_with(|| a.dataset.title.cmp(&b.dataset.title))
    });
    Ok(out)
}

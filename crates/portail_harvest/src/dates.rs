//! Dates as remote catalogs write them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Parses an ISO 8601 date-time: with an offset (`2021-06-23T14:59:57+00:00`), without one
/// (CKAN's naive UTC `2018-09-11T12:08:27.268889`, read as UTC), or a bare date (midnight UTC).
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(naive.and_utc());
        }
    }
    // `2021-06-23T14:59:57.1+0000`: offsets without a colon.
    if let Ok(at) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

/// A date that is not after `now`: remote clocks and typos produce modification dates in the
/// future, which would keep a dataset "recently updated" for years.
pub(crate) fn not_future(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    at.filter(|at| *at <= now)
}

/// Parses one bound of a period: `2011-09-19`, a date-time (its date), `2011-09` or `2011`.
/// A month or a year stands for its first day as a start and its last day as an end.
pub(crate) fn parse_date_bound(text: &str, is_end: bool) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d);
    }
    if let Some(at) = parse_datetime(text) {
        return Some(at.date_naive());
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match text.split_once('-') {
        Some((year, month)) if year.len() == 4 && digits(year) && digits(month) => {
            let year: i32 = year.parse().ok()?;
            let month: u32 = month.parse().ok()?;
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            if is_end {
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)?
                };
                next.pred_opt()
            } else {
                Some(first)
            }
        }
        None if text.len() == 4 && digits(text) => {
            let year: i32 = text.parse().ok()?;
            if is_end {
                NaiveDate::from_ymd_opt(year, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(year, 1, 1)
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ckan_naive_dates_are_utc() {
        let at = parse_datetime("2018-09-11T12:08:27.268889").map(|d| d.to_rfc3339());
        assert_eq!(at.as_deref(), Some("2018-09-11T12:08:27.268889+00:00"));
        let at = parse_datetime("2021-06-23T14:59:57+02:00").map(|d| d.to_rfc3339());
        assert_eq!(at.as_deref(), Some("2021-06-23T12:59:57+00:00"));
        assert!(parse_datetime("yesterday").is_none());
    }

    #[test]
    fn period_bounds() {
        assert_eq!(
            parse_date_bound("2011", false),
            NaiveDate::from_ymd_opt(2011, 1, 1)
        );
        assert_eq!(
            parse_date_bound("2011", true),
            NaiveDate::from_ymd_opt(2011, 12, 31)
        );
        assert_eq!(
            parse_date_bound("2024-02", true),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(
            parse_date_bound("2011-09-19T10:00:00", true),
            NaiveDate::from_ymd_opt(2011, 9, 19)
        );
        assert_eq!(parse_date_bound("2011-13", true), None);
    }
}

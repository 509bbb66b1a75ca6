//! Dates as catalogs write them: `xsd:dateTime` with or without a time zone, `xsd:date`,
//! `xsd:gYearMonth`, `xsd:gYear`, and the literal forms of temporal coverage (`2020`,
//! `2020-05`, `2020-01-01/2020-12-31`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// A point in time. Dates without a time are midnight UTC; date-times without a zone are UTC.
pub fn parse_datetime(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for pattern in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, pattern) {
            return Some(d.and_utc());
        }
    }
    // A zone without seconds or with a space: keep the local time read as UTC only when the
    // zone is Z; other offsets go through RFC 3339 above or are refused.
    if let Some(without_z) = s.strip_suffix('Z')
        && let Ok(d) = NaiveDateTime::parse_from_str(without_z, "%Y-%m-%dT%H:%M")
    {
        return Some(d.and_utc());
    }
    parse_date_bound(s, false).map(|d| d.and_time(NaiveTime::MIN).and_utc())
}

/// A date, as the start (`end == false`) or end of a period: `2020` is 2020-01-01 as a start
/// and 2020-12-31 as an end, `2020-02` is 2020-02-01 or 2020-02-29. Dates with a time or a
/// zone keep their date.
pub fn parse_date_bound(raw: &str, end: bool) -> Option<NaiveDate> {
    let s = raw.trim();
    let date_part = s
        .get(..10)
        .filter(|p| p.len() == 10 && p.as_bytes().get(4) == Some(&b'-'));
    if let Some(date) = date_part.and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok()) {
        // Only what a date can be followed by: a time, or a zone.
        let tail = &s[10..];
        if tail.is_empty() || tail.starts_with(['T', ' ', 'Z', '+', '-']) {
            return Some(date);
        }
        return None;
    }
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('-') {
        // `YYYY-MM`, maybe with a zone (`2020-05Z`).
        Some((year, month)) if year.len() == 4 && digits(year) => {
            let month = month.trim_end_matches('Z');
            if month.len() != 2 || !digits(month) {
                return None;
            }
            let year: i32 = year.parse().ok()?;
            let month: u32 = month.parse().ok()?;
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            if end {
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
        None => {
            let year = s.trim_end_matches('Z');
            if year.len() != 4 || !digits(year) {
                return None;
            }
            let year: i32 = year.parse().ok()?;
            if end {
                NaiveDate::from_ymd_opt(year, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(year, 1, 1)
            }
        }
        _ => None,
    }
}

/// The period a temporal literal stands for: `a/b`, or one year, month or day.
pub fn parse_period_literal(raw: &str) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let s = raw.trim();
    if let Some((start, end)) = s.split_once('/') {
        let start = parse_date_bound(start, false)?;
        let end = end.trim();
        // ISO 8601 open intervals: `2020-01-01/..` or `2020-01-01/`.
        if end.is_empty() || end == ".." {
            return Some((start, None));
        }
        return Some((start, Some(parse_date_bound(end, true)?)));
    }
    let start = parse_date_bound(s, false)?;
    let end = parse_date_bound(s, true)?;
    Some((start, Some(end)))
}

/// Puts the bounds in order, as udata does when a catalog swaps them.
pub fn ordered(start: NaiveDate, end: Option<NaiveDate>) -> (NaiveDate, Option<NaiveDate>) {
    match end {
        Some(end) if end < start => (end, Some(start)),
        _ => (start, end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn datetimes() {
        let at = |s| parse_datetime(s).map(|d| d.to_rfc3339());
        assert_eq!(
            at("2021-03-04T05:06:07Z").as_deref(),
            Some("2021-03-04T05:06:07+00:00")
        );
        assert_eq!(
            at("2021-03-04T07:06:07+02:00").as_deref(),
            Some("2021-03-04T05:06:07+00:00")
        );
        assert_eq!(
            at("2021-03-04T05:06:07.123").as_deref(),
            Some("2021-03-04T05:06:07.123+00:00")
        );
        assert_eq!(
            at("2021-03-04").as_deref(),
            Some("2021-03-04T00:00:00+00:00")
        );
        assert_eq!(at("2021-03").as_deref(), Some("2021-03-01T00:00:00+00:00"));
        assert_eq!(at("2021").as_deref(), Some("2021-01-01T00:00:00+00:00"));
        assert_eq!(
            at("2021-03-04Z").as_deref(),
            Some("2021-03-04T00:00:00+00:00")
        );
        assert_eq!(at("yesterday"), None);
        assert_eq!(at("2021-13-01"), None);
        assert_eq!(at("2021-03-04garbage"), None);
    }

    #[test]
    fn bounds() {
        assert_eq!(parse_date_bound("2020", false), Some(d(2020, 1, 1)));
        assert_eq!(parse_date_bound("2020", true), Some(d(2020, 12, 31)));
        assert_eq!(parse_date_bound("2020-02", true), Some(d(2020, 2, 29)));
        assert_eq!(parse_date_bound("2020-12", true), Some(d(2020, 12, 31)));
        assert_eq!(parse_date_bound("2020-02", false), Some(d(2020, 2, 1)));
        assert_eq!(
            parse_date_bound("2020-02-03T10:00:00Z", true),
            Some(d(2020, 2, 3))
        );
        assert_eq!(parse_date_bound("20", false), None);
        assert_eq!(parse_date_bound("2020-1", false), None);
    }

    #[test]
    fn period_literals() {
        assert_eq!(
            parse_period_literal("2019"),
            Some((d(2019, 1, 1), Some(d(2019, 12, 31))))
        );
        assert_eq!(
            parse_period_literal("2019-05"),
            Some((d(2019, 5, 1), Some(d(2019, 5, 31))))
        );
        assert_eq!(
            parse_period_literal("2019-05-06"),
            Some((d(2019, 5, 6), Some(d(2019, 5, 6))))
        );
        assert_eq!(
            parse_period_literal("2019-01-01/2020-06"),
            Some((d(2019, 1, 1), Some(d(2020, 6, 30))))
        );
        assert_eq!(parse_period_literal("2019/.."), Some((d(2019, 1, 1), None)));
        assert_eq!(parse_period_literal("soon/later"), None);
        assert_eq!(
            ordered(d(2020, 1, 1), Some(d(2019, 1, 1))),
            (d(2019, 1, 1), Some(d(2020, 1, 1)))
        );
    }
}

//! Update frequencies of datasets: udata's 40 codes (`UpdateFrequency`), their labels, the
//! delay after which a dataset is late, and their DCAT vocabularies.
//!
//! The ids are part of the API (`frequency` field, `GET /api/1/datasets/frequencies/`), so
//! they keep udata's camelCase spelling. The EU and Dublin Core codes let DCAT import and
//! export use the vocabularies other catalogues understand.

use chrono::Duration;
use serde::Serialize;

use crate::reference::is_french;

/// Base of the EU Publications Office frequency vocabulary, used by DCAT-AP.
pub const EU_FREQUENCY_BASE: &str = "http://publications.europa.eu/resource/authority/frequency/";
/// Base of the Dublin Core collection frequency vocabulary, used by older DCAT feeds.
pub const DC_FREQUENCY_BASE: &str = "http://purl.org/cld/freq/";

/// One update frequency. Serialises as `{id, label_en, label_fr}`; the rest is for rules and
/// DCAT mapping.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Frequency {
    /// udata's code, e.g. `"monthly"`.
    pub id: &'static str,
    /// English label (udata's source strings).
    pub label_en: &'static str,
    /// French label (udata's French translation).
    pub label_fr: &'static str,
    /// Expected delay between two updates, in seconds; `None` when no date can be expected
    /// (real time, punctual, irregular…).
    #[serde(skip)]
    pub delta_seconds: Option<i64>,
    /// Last segment of the EU vocabulary URI, e.g. `"MONTHLY"`.
    #[serde(skip)]
    pub eu_code: Option<&'static str>,
    /// Local name in the Dublin Core vocabulary, e.g. `"monthly"`, for the 17 codes it has.
    #[serde(skip)]
    pub dc_code: Option<&'static str>,
}

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;

/// Keeps the table below to one line per code.
const fn freq(
    id: &'static str,
    label_en: &'static str,
    label_fr: &'static str,
    delta_seconds: Option<i64>,
    eu_code: &'static str,
    dc_code: Option<&'static str>,
) -> Frequency {
    Frequency {
        id,
        label_en,
        label_fr,
        delta_seconds,
        eu_code: Some(eu_code),
        dc_code,
    }
}

/// The 40 frequencies, in udata's order (which is the order of the API list and of forms).
///
/// Months count 31 days and years 365, as in udata, so "late" means the same thing on both.
/// `"Every thirty minute"` is udata's spelling, kept so labels match.
#[rustfmt::skip]
pub static FREQUENCIES: &[Frequency] = &[
    freq("continuous", "Real time", "Temps réel", None, "UPDATE_CONT", Some("continuous")),
    freq("oneMinute", "Every minute", "Toutes les minutes", Some(MINUTE), "1MIN", None),
    freq("fiveMinutes", "Every five minutes", "Toutes les cinq minutes", Some(5 * MINUTE), "5MIN", None),
    freq("tenMinutes", "Every ten minutes", "Toutes les dix minutes", Some(10 * MINUTE), "10MIN", None),
    freq("fifteenMinutes", "Every fifteen minutes", "Toutes les quinze minutes", Some(15 * MINUTE), "15MIN", None),
    freq("thirtyMinutes", "Every thirty minute", "Toutes les trente minutes", Some(30 * MINUTE), "30MIN", None),
    freq("hourly", "Every hour", "Toutes les heures", Some(HOUR), "HOURLY", None),
    freq("bihourly", "Every two hours", "Toutes les deux heures", Some(2 * HOUR), "BIHOURLY", None),
    freq("trihourly", "Every three hours", "Toutes les trois heures", Some(3 * HOUR), "TRIHOURLY", None),
    freq("twelveHours", "Every twelve hours", "Toutes les douze heures", Some(12 * HOUR), "12HRS", None),
    freq("severalTimesADay", "Several times a day", "Plusieurs fois par jour", Some(DAY), "CONT", None),
    freq("threeTimesADay", "Three times a day", "Trois fois par jour", Some(DAY), "DAILY_3", None),
    freq("semidaily", "Twice a day", "Deux fois par jour", Some(DAY), "DAILY_2", None),
    freq("daily", "Daily", "Quotidienne", Some(DAY), "DAILY", Some("daily")),
    freq("fiveTimesAWeek", "Five times a week", "Cinq fois par semaine", Some(WEEK), "WEEKLY_5", None),
    freq("threeTimesAWeek", "Three times a week", "Trois fois par semaine", Some(WEEK), "WEEKLY_3", Some("threeTimesAWeek")),
    freq("semiweekly", "Twice a week", "Deux fois par semaine", Some(WEEK), "WEEKLY_2", Some("semiweekly")),
    freq("weekly", "Weekly", "Hebdomadaire", Some(WEEK), "WEEKLY", Some("weekly")),
    freq("biweekly", "Every two weeks", "Toutes les deux semaines", Some(2 * WEEK), "BIWEEKLY", Some("biweekly")),
    freq("threeTimesAMonth", "Three times a month", "Trois fois par mois", Some(31 * DAY), "MONTHLY_3", Some("threeTimesAMonth")),
    freq("semimonthly", "Twice a month", "Deux fois par mois", Some(31 * DAY), "MONTHLY_2", Some("semimonthly")),
    freq("monthly", "Monthly", "Mensuelle", Some(31 * DAY), "MONTHLY", Some("monthly")),
    freq("bimonthly", "Every two months", "Tous les deux mois", Some(62 * DAY), "BIMONTHLY", Some("bimonthly")),
    freq("quarterly", "Quarterly", "Trimestrielle", Some(93 * DAY), "QUARTERLY", Some("quarterly")),
    freq("threeTimesAYear", "Three times a year", "Trois fois par an", Some(365 * DAY), "ANNUAL_3", Some("threeTimesAYear")),
    freq("semiannual", "Twice a year", "Deux fois par an", Some(365 * DAY), "ANNUAL_2", Some("semiannual")),
    freq("annual", "Annually", "Annuelle", Some(365 * DAY), "ANNUAL", Some("annual")),
    freq("biennial", "Every two years", "Tous les deux ans", Some(730 * DAY), "BIENNIAL", Some("biennial")),
    freq("triennial", "Every three years", "Tous les trois ans", Some(1095 * DAY), "TRIENNIAL", Some("triennial")),
    freq("quadrennial", "Every four years", "Tous les quatre ans", Some(1460 * DAY), "QUADRENNIAL", None),
    freq("quinquennial", "Every five years", "Tous les cinq ans", Some(1825 * DAY), "QUINQUENNIAL", None),
    freq("decennial", "Every ten years", "Tous les dix ans", Some(3650 * DAY), "DECENNIAL", None),
    freq("bidecennial", "Every twenty years", "Tous les vingt ans", Some(7300 * DAY), "BIDECENNIAL", None),
    freq("tridecennial", "Every thirty years", "Tous les trente ans", Some(10950 * DAY), "TRIDECENNIAL", None),
    freq("punctual", "Punctual", "Ponctuelle", None, "AS_NEEDED", None),
    freq("irregular", "Irregular", "Sans régularité", None, "IRREG", Some("irregular")),
    freq("never", "Never", "Jamais", None, "NEVER", None),
    freq("notPlanned", "Not planned", "Non planifié", None, "NOT_PLANNED", None),
    freq("other", "Other", "Autre", None, "OTHER", None),
    freq("unknown", "Unknown", "Inconnu", None, "UNKNOWN", None),
];

/// Codes udata used to accept, still found in old exports and harvested catalogues
/// (`_LEGACY_FREQUENCIES`), with the code that replaced them.
const LEGACY_ALIASES: &[(&str, &str)] = &[
    ("realtime", "continuous"),
    ("fourTimesADay", "severalTimesADay"),
    ("fourTimesAWeek", "other"),
    ("fortnighly", "biweekly"),
    ("biannual", "semiannual"),
];

impl Frequency {
    /// Expected delay between two updates, `None` when no date can be expected.
    pub fn delta(&self) -> Option<Duration> {
        self.delta_seconds.and_then(Duration::try_seconds)
    }

    /// The label in `lang` (French for `fr`, `fr-FR`…, English otherwise).
    pub fn label(&self, lang: &str) -> &'static str {
        if is_french(lang) {
            self.label_fr
        } else {
            self.label_en
        }
    }

    /// The EU vocabulary URI, e.g. `…/authority/frequency/MONTHLY`.
    pub fn eu_uri(&self) -> Option<String> {
        self.eu_code
            .map(|code| format!("{EU_FREQUENCY_BASE}{code}"))
    }

    /// The Dublin Core URI, e.g. `http://purl.org/cld/freq/monthly`, for the codes it has.
    /// DCAT export prefers it over the EU one, as udata does.
    pub fn dc_uri(&self) -> Option<String> {
        self.dc_code
            .map(|code| format!("{DC_FREQUENCY_BASE}{code}"))
    }
}

/// Finds a frequency by code or legacy alias.
///
/// Matching ignores case and surrounding spaces because harvested catalogues write
/// `Monthly` or `monthly ` as often as `monthly`; the 40 codes stay distinct without case.
pub fn parse_frequency(s: &str) -> Option<&'static Frequency> {
    let s = s.trim();
    let code = LEGACY_ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(s))
        .map_or(s, |(_, code)| code);
    FREQUENCIES.iter().find(|f| f.id.eq_ignore_ascii_case(code))
}

/// Finds a frequency from an EU or Dublin Core vocabulary URI, over http or https.
pub fn frequency_from_uri(uri: &str) -> Option<&'static Frequency> {
    let without_scheme = |base: &'static str| base.trim_start_matches("http://");
    let uri = uri.trim().trim_end_matches('/');
    let rest = uri
        .strip_prefix("http://")
        .or_else(|| uri.strip_prefix("https://"))?;
    if let Some(code) = rest.strip_prefix(without_scheme(EU_FREQUENCY_BASE)) {
        FREQUENCIES
            .iter()
            .find(|f| f.eu_code.is_some_and(|c| c.eq_ignore_ascii_case(code)))
    } else if let Some(code) = rest.strip_prefix(without_scheme(DC_FREQUENCY_BASE)) {
        FREQUENCIES
            .iter()
            .find(|f| f.dc_code.is_some_and(|c| c.eq_ignore_ascii_case(code)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn there_are_40_unique_codes() {
        assert_eq!(FREQUENCIES.len(), 40);
        let ids: HashSet<_> = FREQUENCIES.iter().map(|f| f.id.to_lowercase()).collect();
        assert_eq!(ids.len(), 40);
        let eu: HashSet<_> = FREQUENCIES.iter().filter_map(|f| f.eu_code).collect();
        assert_eq!(eu.len(), 40);
        let dc: HashSet<_> = FREQUENCIES.iter().filter_map(|f| f.dc_code).collect();
        assert_eq!(dc.len(), 17);
        assert_eq!(FREQUENCIES[0].id, "continuous");
        assert_eq!(FREQUENCIES[39].id, "unknown");
    }

    #[test]
    fn deltas_follow_udata() {
        let delta = |id: &str| parse_frequency(id).and_then(|f| f.delta_seconds);
        assert_eq!(delta("oneMinute"), Some(60));
        assert_eq!(delta("daily"), Some(86_400));
        assert_eq!(delta("weekly"), Some(7 * 86_400));
        assert_eq!(delta("monthly"), Some(31 * 86_400));
        assert_eq!(delta("quarterly"), Some(93 * 86_400));
        assert_eq!(delta("annual"), Some(365 * 86_400));
        assert_eq!(delta("tridecennial"), Some(10_950 * 86_400));
        for id in [
            "continuous",
            "punctual",
            "irregular",
            "never",
            "notPlanned",
            "other",
            "unknown",
        ] {
            assert_eq!(delta(id), None, "{id}");
        }
        let monthly = parse_frequency("monthly").and_then(|f| f.delta());
        assert_eq!(monthly, Some(Duration::days(31)));
    }

    #[test]
    fn parses_codes_and_legacy_aliases() {
        assert_eq!(parse_frequency("monthly").map(|f| f.id), Some("monthly"));
        assert_eq!(parse_frequency(" Monthly ").map(|f| f.id), Some("monthly"));
        assert_eq!(
            parse_frequency("notPlanned").map(|f| f.id),
            Some("notPlanned")
        );
        assert_eq!(
            parse_frequency("realtime").map(|f| f.id),
            Some("continuous")
        );
        assert_eq!(
            parse_frequency("fourTimesADay").map(|f| f.id),
            Some("severalTimesADay")
        );
        assert_eq!(
            parse_frequency("fourTimesAWeek").map(|f| f.id),
            Some("other")
        );
        assert_eq!(
            parse_frequency("fortnighly").map(|f| f.id),
            Some("biweekly")
        );
        assert_eq!(
            parse_frequency("biannual").map(|f| f.id),
            Some("semiannual")
        );
        assert!(parse_frequency("").is_none());
        assert!(parse_frequency("sometimes").is_none());
    }

    #[test]
    fn labels_by_language() {
        let f = parse_frequency("irregular").expect("known code");
        assert_eq!(f.label("fr"), "Sans régularité");
        assert_eq!(f.label("fr-FR"), "Sans régularité");
        assert_eq!(f.label("en"), "Irregular");
        assert_eq!(f.label("de"), "Irregular");
    }

    #[test]
    fn uris_round_trip() {
        for f in FREQUENCIES {
            let eu = f.eu_uri().expect("every code has an EU term");
            assert_eq!(frequency_from_uri(&eu).map(|g| g.id), Some(f.id), "{eu}");
            if let Some(dc) = f.dc_uri() {
                assert_eq!(frequency_from_uri(&dc).map(|g| g.id), Some(f.id), "{dc}");
            }
        }
    }

    #[test]
    fn uri_variants() {
        let id = |uri: &str| frequency_from_uri(uri).map(|f| f.id);
        assert_eq!(
            id("http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT"),
            Some("continuous")
        );
        assert_eq!(
            id("https://publications.europa.eu/resource/authority/frequency/ANNUAL_2"),
            Some("semiannual")
        );
        assert_eq!(id("https://purl.org/cld/freq/biweekly"), Some("biweekly"));
        assert_eq!(id("http://purl.org/cld/freq/monthly/"), Some("monthly"));
        assert_eq!(
            parse_frequency("semiannual")
                .and_then(|f| f.eu_uri())
                .as_deref(),
            Some("http://publications.europa.eu/resource/authority/frequency/ANNUAL_2")
        );
        assert_eq!(id("http://purl.org/cld/freq/hourly"), None);
        assert_eq!(id("http://example.org/frequency/MONTHLY"), None);
        assert_eq!(id("monthly"), None);
    }

    #[test]
    fn serializes_id_and_labels_only() {
        let f = parse_frequency("daily").expect("known code");
        let json = serde_json::to_value(f).expect("serialisable");
        assert_eq!(
            json,
            serde_json::json!({"id": "daily", "label_en": "Daily", "label_fr": "Quotidienne"})
        );
    }
}

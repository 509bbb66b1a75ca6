//! Reading one page of a remote DCAT catalog into harvest records (udata's DCAT backend
//! mapping; see the crate documentation for the rules).

use chrono::{DateTime, NaiveDate, Utc};
use oxrdf::{NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use portail_core::frequency::{FREQUENCIES, Frequency, frequency_from_uri, parse_frequency};
use portail_core::harvest::{RecordError, RemoteDataset, RemoteRecord};
use portail_core::licenses::guess_license;
use portail_core::model::{Extras, Spatial, TemporalCoverage};
use portail_core::reference::GRANULARITIES;
use portail_core::tags::normalize_tags_lenient;
use serde_json::Value;

use crate::dates::{ordered, parse_date_bound, parse_datetime, parse_period_literal};
use crate::error::DcatError;
use crate::format::RdfFormat;
use crate::graph::{View, as_node, iri_or_literal, parse};
use crate::html::description_text;
use crate::vocab::{dcat, dct, locn, rdf, schema, scovo, skos, time};

mod distribution;
mod paging;

use distribution::read_resource;
use paging::{next_page, total_items};

/// Bounds on what one page may hold, so that a hostile or broken catalog cannot exhaust
/// memory. A harvester also bounds the bytes it downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Triples parsed before giving up with [`DcatError::TooManyTriples`].
    pub max_triples: usize,
    /// Datasets on one page before giving up with [`DcatError::TooManyDatasets`].
    pub max_datasets: usize,
}

impl Default for ReadLimits {
    /// One million triples (a 50 MB Turtle file, ckanext-dcat's download limit, holds about
    /// half as many) and ten thousand datasets.
    fn default() -> Self {
        ReadLimits {
            max_triples: 1_000_000,
            max_datasets: 10_000,
        }
    }
}

/// What one page of a remote catalog gave.
#[derive(Debug, Clone, PartialEq)]
pub struct DcatPage {
    /// One record per node typed `dcat:Dataset` or `dcat:DatasetSeries`, in document order.
    pub records: Vec<RemoteRecord>,
    /// The next page: `hydra:PartialCollectionView`/`hydra:next` or legacy
    /// `hydra:PagedCollection`/`hydra:nextPage` (IRI or literal), resolved to an absolute
    /// IRI. `None` on the last page, and when the next page would be this page again.
    pub next_page: Option<String>,
    /// `hydra:totalItems`, when the catalog says it.
    pub total_items: Option<u64>,
}

/// Reads one page of a DCAT catalog (or a single dataset document).
///
/// `base_iri` is the URL the document was fetched from: relative IRIs in the document and
/// the next-page link are resolved against it (an empty string means none). `now` is the
/// harvest time: modification dates after it are dropped. Nothing is fetched: JSON-LD
/// documents may only use inline contexts or the bundled DCAT-AP 3 context.
///
/// Errors concern the whole document (syntax, limits). A dataset that cannot be read is a
/// [`RemoteRecord::Failed`] and the others are still returned.
pub fn read_page(
    bytes: &[u8],
    format: RdfFormat,
    base_iri: &str,
    limits: &ReadLimits,
    now: DateTime<Utc>,
) -> Result<DcatPage, DcatError> {
    let parsed = parse(bytes, format, base_iri, limits)?;
    let view = View {
        graph: &parsed.graph,
    };
    let records = parsed
        .datasets
        .iter()
        .map(|node| read_record(&view, node.as_ref(), now))
        .collect();
    Ok(DcatPage {
        records,
        next_page: next_page(&view, base_iri),
        total_items: total_items(&view),
    })
}

fn read_record(view: &View<'_>, node: NamedOrBlankNodeRef<'_>, now: DateTime<Utc>) -> RemoteRecord {
    let dct_identifier = identifier(view, node);
    let uri = match node {
        NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    };
    let remote_id = dct_identifier.clone().or_else(|| uri.clone());
    let Some(title) = view.text(node, dct::TITLE) else {
        if is_only_a_part(view, node) {
            return RemoteRecord::Skipped {
                remote_id,
                reason: "no dct:title, and only referenced by dcat:servesDataset or dct:hasPart"
                    .to_owned(),
            };
        }
        return RemoteRecord::Failed(RecordError {
            remote_id,
            message: "dct:title is missing".to_owned(),
        });
    };
    let Some(remote_id) = remote_id else {
        return RemoteRecord::Failed(RecordError {
            remote_id: None,
            message: format!(
                "the dataset \"{title}\" is a blank node without dct:identifier: it cannot be recognised from one harvest to the next (give it an IRI or a dct:identifier)"
            ),
        });
    };

    let mut extras = Extras::new();
    let distributions = distributions(view, node);
    for (key, predicate) in [
        ("dcat:rights", dct::RIGHTS),
        ("dcat:accessRights", dct::ACCESS_RIGHTS),
        ("dcat:provenance", dct::PROVENANCE),
        ("dcat:spatialResolutionInMeters", dcat::SPATIAL_RESOLUTION),
    ] {
        if let Some(value) = view
            .objects(node, predicate)
            .into_iter()
            .find_map(|t| raw_value(view, t))
        {
            extras.insert(key.to_owned(), Value::String(value));
        }
    }
    let dataset = RemoteDataset {
        remote_id,
        remote_url: view
            .objects(node, dcat::LANDING_PAGE)
            .into_iter()
            .find_map(iri_or_literal)
            .or_else(|| uri.clone()),
        uri,
        dct_identifier,
        title,
        acronym: view.text(node, skos::ALT_LABEL),
        description: view
            .text_any(node, &[dct::DESCRIPTION, dct::ABSTRACT])
            .map(|d| description_text(&d))
            .unwrap_or_default(),
        license: license(view, node, &distributions, &mut extras),
        frequency: frequency(view, node, &mut extras),
        tags: tags(view, node),
        temporal_coverage: temporal(view, node),
        spatial: spatial(view, node, &mut extras),
        created_at: date(view, node, dct::CREATED),
        issued_at: date(view, node, dct::ISSUED),
        modified_at: date(view, node, dct::MODIFIED).filter(|d| *d <= now),
        resources: distributions
            .iter()
            .filter_map(|d| read_resource(view, *d, now))
            .collect(),
        extras,
    };
    RemoteRecord::Dataset(Box::new(dataset))
}

/// udata skips title-less nodes that only exist as parts of something else (the datasets a
/// data service serves, the parts of a series), rather than failing them.
fn is_only_a_part(view: &View<'_>, node: NamedOrBlankNodeRef<'_>) -> bool {
    (view.is_object_of(node, dcat::SERVES_DATASET) || view.is_object_of(node, dct::HAS_PART))
        && !view.is_object_of(node, dcat::DATASET_PROP)
}

/// `dct:identifier`: a literal preferably, else an IRI.
fn identifier(view: &View<'_>, node: NamedOrBlankNodeRef<'_>) -> Option<String> {
    let values = view.objects(node, dct::IDENTIFIER);
    values
        .iter()
        .find_map(|t| match t {
            TermRef::Literal(l) => Some(l.value().trim().to_owned()).filter(|s| !s.is_empty()),
            _ => None,
        })
        .or_else(|| values.iter().find_map(|t| iri_or_literal(*t)))
}

/// A value kept as is in extras: an IRI, a literal, or the label of a blank node.
fn raw_value(view: &View<'_>, term: TermRef<'_>) -> Option<String> {
    match term {
        TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => view.value_text(term),
    }
}

fn date(
    view: &View<'_>,
    node: NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Option<DateTime<Utc>> {
    view.objects(node, predicate)
        .into_iter()
        .find_map(|t| match t {
            TermRef::Literal(l) => parse_datetime(l.value()),
            _ => None,
        })
}

fn distributions<'g>(
    view: &View<'g>,
    node: NamedOrBlankNodeRef<'_>,
) -> Vec<NamedOrBlankNodeRef<'g>> {
    let mut found: Vec<NamedOrBlankNodeRef<'g>> = Vec::new();
    for term in view.objects_any(node, &[dcat::DISTRIBUTION_PROP, dcat::DISTRIBUTIONS]) {
        if let Some(d) = as_node(term)
            && !found.contains(&d)
        {
            found.push(d);
        }
    }
    found
}

// --- license -------------------------------------------------------------------------------

/// udata's guess over the dataset's `dct:license`, its `dct:rights`, then its distributions'
/// `dct:license`. A license that matches none of ours is kept in `extras["dcat:license"]`.
fn license(
    view: &View<'_>,
    node: NamedOrBlankNodeRef<'_>,
    distributions: &[NamedOrBlankNodeRef<'_>],
    extras: &mut Extras,
) -> Option<String> {
    let own: Vec<String> = view
        .objects(node, dct::LICENSE)
        .into_iter()
        .flat_map(|t| license_texts(view, t))
        .collect();
    let rights = view
        .objects(node, dct::RIGHTS)
        .into_iter()
        .filter_map(|t| view.value_text(t));
    let of_distributions = distributions.iter().flat_map(|d| {
        view.objects(*d, dct::LICENSE)
            .into_iter()
            .flat_map(|t| license_texts(view, t))
    });
    let candidates: Vec<String> = own
        .iter()
        .cloned()
        .chain(rights)
        .chain(of_distributions)
        .collect();
    let refs: Vec<&str> = candidates.iter().map(String::as_str).collect();
    let found = guess_license(&refs);
    if found.is_none()
        && let Some(first) = own.first()
    {
        extras.insert("dcat:license".to_owned(), Value::String(first.clone()));
    }
    found.map(|l| l.id.to_owned())
}

/// What a license value says: its IRI and its labels.
fn license_texts(view: &View<'_>, term: TermRef<'_>) -> Vec<String> {
    let mut texts = Vec::new();
    if let TermRef::NamedNode(n) = term {
        texts.push(n.as_str().to_owned());
    }
    if let TermRef::Literal(l) = term {
        texts.push(l.value().trim().to_owned());
    }
    if let Some(label) = as_node(term).and_then(|n| view.label(n)) {
        texts.push(label);
    }
    texts
}

// --- frequency -----------------------------------------------------------------------------

fn frequency(
    view: &View<'_>,
    node: NamedOrBlankNodeRef<'_>,
    extras: &mut Extras,
) -> Option<String> {
    let values = view.objects(node, dct::ACCRUAL_PERIODICITY);
    if let Some(found) = values.iter().find_map(|t| frequency_of_term(view, *t)) {
        return Some(found.id.to_owned());
    }
    if let Some(raw) = values.iter().find_map(|t| raw_value(view, *t)) {
        extras.insert("dcat:accrualPeriodicity".to_owned(), Value::String(raw));
    }
    None
}

fn frequency_of_term(view: &View<'_>, term: TermRef<'_>) -> Option<&'static Frequency> {
    match term {
        TermRef::NamedNode(n) => {
            frequency_from_uri(n.as_str()).or_else(|| frequency_of_node(view, n.into()))
        }
        TermRef::Literal(l) => frequency_of_code(l.value()),
        _ => as_node(term).and_then(|n| frequency_of_node(view, n)),
    }
}

/// A frequency described by a node (`[ a dct:Frequency ; rdf:value "monthly" ]`).
fn frequency_of_node(view: &View<'_>, node: NamedOrBlankNodeRef<'_>) -> Option<&'static Frequency> {
    [rdf::VALUE, skos::NOTATION, skos::PREF_LABEL]
        .iter()
        .flat_map(|p| view.objects(node, *p))
        .find_map(|t| match t {
            TermRef::Literal(l) => frequency_of_code(l.value()),
            _ => None,
        })
}

/// ISO 8601 repeating intervals, as DCAT-US (Project Open Data) writes `accrualPeriodicity`.
const ISO_REPEATS: &[(&str, &str)] = &[
    ("R/PT1H", "hourly"),
    ("R/P1D", "daily"),
    ("R/P0.5W", "semiweekly"),
    ("R/P1W", "weekly"),
    ("R/P2W", "biweekly"),
    ("R/P0.5M", "semimonthly"),
    ("R/P1M", "monthly"),
    ("R/P2M", "bimonthly"),
    ("R/P3M", "quarterly"),
    ("R/P6M", "semiannual"),
    ("R/P4M", "threeTimesAYear"),
    ("R/P1Y", "annual"),
    ("R/P2Y", "biennial"),
    ("R/P3Y", "triennial"),
    ("R/P4Y", "quadrennial"),
    ("R/P5Y", "quinquennial"),
    ("R/P10Y", "decennial"),
];

/// A frequency written as a literal: a URI, one of our codes, an EU code, a DC code or an
/// ISO 8601 repeating interval.
fn frequency_of_code(code: &str) -> Option<&'static Frequency> {
    let code = code.trim();
    let iso = ISO_REPEATS
        .iter()
        .find(|(repeat, _)| repeat.eq_ignore_ascii_case(code))
        .map(|(_, id)| *id);
    frequency_from_uri(code)
        .or_else(|| parse_frequency(iso.unwrap_or(code)))
        .or_else(|| {
            FREQUENCIES
                .iter()
                .find(|f| f.eu_code.is_some_and(|c| c.eq_ignore_ascii_case(code)))
        })
        .or_else(|| {
            FREQUENCIES
                .iter()
                .find(|f| f.dc_code.is_some_and(|c| c.eq_ignore_ascii_case(code)))
        })
}

// --- tags ----------------------------------------------------------------------------------

/// `dcat:keyword`s and the labels of `dcat:theme`s, normalized.
///
/// A multilingual catalog repeats each keyword per language: only those in the preferred
/// language (French, then English, then any) are kept, with the untagged ones.
fn tags(view: &View<'_>, node: NamedOrBlankNodeRef<'_>) -> Vec<String> {
    let keywords: Vec<(Option<&str>, &str)> = view
        .objects(node, dcat::KEYWORD)
        .into_iter()
        .filter_map(|t| match t {
            TermRef::Literal(l) => Some((l.language(), l.value())),
            _ => None,
        })
        .collect();
    let rank = |lang: &str| {
        let lang = lang.to_ascii_lowercase();
        if lang == "fr" || lang.starts_with("fr-") {
            0
        } else if lang == "en" || lang.starts_with("en-") {
            1
        } else {
            2
        }
    };
    let best = keywords.iter().filter_map(|(l, _)| l.map(rank)).min();
    let mut raw: Vec<String> = keywords
        .iter()
        .filter(|(lang, _)| match (lang, best) {
            (None, _) | (_, None) => true,
            (Some(l), Some(best)) => rank(l) == best,
        })
        .map(|(_, v)| (*v).to_owned())
        .collect();
    for theme in view.objects(node, dcat::THEME) {
        let label = match theme {
            TermRef::Literal(l) => Some(l.value().to_owned()),
            TermRef::NamedNode(n) => view
                .label(n.into())
                .or_else(|| last_iri_segment(n.as_str())),
            _ => as_node(theme).and_then(|n| view.label(n)),
        };
        raw.extend(label);
    }
    normalize_tags_lenient(&raw)
}

fn last_iri_segment(iri: &str) -> Option<String> {
    let trimmed = iri.trim_end_matches(['/', '#']);
    let segment = trimmed.rsplit(['/', '#']).next()?;
    (!segment.is_empty() && segment.len() < trimmed.len()).then(|| segment.to_owned())
}

// --- temporal ------------------------------------------------------------------------------

fn temporal(view: &View<'_>, node: NamedOrBlankNodeRef<'_>) -> Option<TemporalCoverage> {
    view.objects(node, dct::TEMPORAL).into_iter().find_map(|t| {
        let period = match t {
            TermRef::Literal(l) => parse_period_literal(l.value()),
            _ => as_node(t).and_then(|n| period_of_node(view, n)),
        }?;
        let (start, end) = ordered(period.0, period.1);
        Some(TemporalCoverage { start, end })
    })
}

/// A `dct:PeriodOfTime` in any of the vocabularies catalogs use for its bounds.
fn period_of_node(
    view: &View<'_>,
    node: NamedOrBlankNodeRef<'_>,
) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let start = bound(view, node, false)?;
    Some((start, bound(view, node, true)))
}

fn bound(view: &View<'_>, node: NamedOrBlankNodeRef<'_>, end: bool) -> Option<NaiveDate> {
    let (own, schema_iris, instant) = if end {
        (
            [dcat::END_DATE, scovo::MAX],
            schema::END_DATE,
            time::HAS_END,
        )
    } else {
        (
            [dcat::START_DATE, scovo::MIN],
            schema::START_DATE,
            time::HAS_BEGINNING,
        )
    };
    let literal_date = |t: TermRef<'_>| match t {
        TermRef::Literal(l) => parse_date_bound(l.value(), end),
        _ => None,
    };
    let predicates = own.into_iter().chain(
        schema_iris
            .iter()
            .map(|iri| NamedNodeRef::new_unchecked(iri)),
    );
    for predicate in predicates {
        if let Some(date) = view
            .objects(node, predicate)
            .into_iter()
            .find_map(literal_date)
        {
            return Some(date);
        }
    }
    // OWL-Time: `time:hasBeginning [ time:inXSDDate "..." ]`.
    view.objects(node, instant).into_iter().find_map(|t| {
        literal_date(t).or_else(|| {
            let instant = as_node(t)?;
            view.objects_any(
                instant,
                &[
                    time::IN_XSD_DATE,
                    time::IN_XSD_DATE_TIME,
                    time::IN_XSD_DATE_TIME_STAMP,
                ],
            )
            .into_iter()
            .find_map(literal_date)
        })
    })
}

// --- spatial -------------------------------------------------------------------------------

/// GeoZone ids (`fr:commune:75056`, as an IRI or as the `dct:identifier` of a location) go
/// to the model's zones. Everything else (IRIs of places, GeoJSON, WKT or bbox literals, the
/// geometries of location nodes) is kept in `extras["dcat:spatial"]`, a list of strings.
fn spatial(view: &View<'_>, node: NamedOrBlankNodeRef<'_>, extras: &mut Extras) -> Option<Spatial> {
    let mut zones: Vec<String> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    for term in view.objects(node, dct::SPATIAL) {
        match term {
            TermRef::NamedNode(n) if is_geozone(n.as_str()) => zones.push(n.as_str().to_owned()),
            TermRef::Literal(l) => kept.push(l.value().trim().to_owned()),
            _ => {
                let Some(location) = as_node(term) else {
                    continue;
                };
                if let TermRef::NamedNode(n) = term {
                    kept.push(n.as_str().to_owned());
                }
                for id in view.objects(location, dct::IDENTIFIER) {
                    if let TermRef::Literal(l) = id
                        && is_geozone(l.value().trim())
                    {
                        zones.push(l.value().trim().to_owned());
                    }
                }
                for geometry in
                    view.objects_any(location, &[locn::GEOMETRY, dcat::BBOX, dcat::CENTROID])
                {
                    if let TermRef::Literal(l) = geometry {
                        kept.push(l.value().trim().to_owned());
                    }
                }
            }
        }
    }
    kept.retain(|s| !s.is_empty());
    kept.dedup();
    if !kept.is_empty() {
        extras.insert(
            "dcat:spatial".to_owned(),
            Value::Array(kept.into_iter().map(Value::String).collect()),
        );
    }
    zones.sort();
    zones.dedup();
    (!zones.is_empty()).then_some(Spatial {
        granularity: None,
        zones,
    })
}

/// `<level>:<code>` where level is one of our granularities (`country:fr`, `fr:region:93`).
fn is_geozone(s: &str) -> bool {
    GRANULARITIES
        .iter()
        .filter(|g| g.id != "poi" && g.id != "other")
        .any(|g| {
            s.strip_prefix(g.id)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|code| {
                    !code.is_empty()
                        && code
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geozones() {
        assert!(is_geozone("fr:commune:75056"));
        assert!(is_geozone("country:fr"));
        assert!(is_geozone("country-group:world"));
        assert!(!is_geozone("fr:commune:"));
        assert!(!is_geozone("http://sws.geonames.org/3017382/"));
        assert!(!is_geozone("other:x"));
    }

    #[test]
    fn iri_segments() {
        assert_eq!(
            last_iri_segment("http://x.org/theme/ENVI").as_deref(),
            Some("ENVI")
        );
        assert_eq!(
            last_iri_segment("http://x.org/v#Health").as_deref(),
            Some("Health")
        );
    }
}

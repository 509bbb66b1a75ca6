//! Builds the synthetic datasets, organizations and users, from a seeded random generator so
//! that a seed always gives the same titles, tags, licenses... (ids and dates aside).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use portail_core::frequency::{FREQUENCIES, parse_frequency};
use portail_core::ids::new_object_id;
use portail_core::licenses::LICENSES;
use portail_core::model::{
    Dataset, DatasetMetrics, Filetype, Publisher, Resource, Spatial, TemporalCoverage,
    truncate_to_micros,
};
use portail_core::slug::slugify;
use rand::Rng;
use rand::rngs::StdRng;
use serde_json::Map;
use uuid::Uuid;

use super::words::{
    BODY_SENTENCES, EXTRA_TAGS, FIRST_NAMES, LAST_NAMES, OPENING_SENTENCES, ORGANIZATION_KINDS,
    PLACE_PREFIXES, PLACE_ROOTS, PLACE_SUFFIXES, QUALIFIERS, SECTIONS, SUBJECTS, Subject,
};

/// Longest slugified title kept before the ordinal that makes slugs unique.
const SLUG_STEM_MAX: usize = 80;

/// Licenses most datasets use, with weights; the rest are spread over every license.
pub(crate) const POPULAR_LICENSES: &[(&str, u32)] = &[
    ("lov2", 45),
    ("odc-odbl", 15),
    ("fr-lo", 6),
    ("cc-by", 6),
    ("notspecified", 8),
];

/// Frequencies most datasets use, with weights; the rest are spread over every frequency.
pub(crate) const POPULAR_FREQUENCIES: &[(&str, u32)] = &[
    ("annual", 20),
    ("monthly", 14),
    ("punctual", 14),
    ("unknown", 10),
    ("irregular", 8),
    ("daily", 7),
    ("weekly", 5),
    ("quarterly", 5),
    ("continuous", 3),
    ("semiannual", 3),
];

/// Granularities with weights (`None`: no spatial coverage).
pub(crate) const GRANULARITY_WEIGHTS: &[(Option<&str>, u32)] = &[
    (Some("fr:commune"), 30),
    (Some("poi"), 15),
    (Some("fr:epci"), 10),
    (Some("fr:departement"), 10),
    (Some("fr:region"), 8),
    (Some("country"), 7),
    (Some("fr:iris"), 5),
    (Some("other"), 5),
    (None, 10),
];

/// Region codes of metropolitan France, for `fr:region:<code>` zones.
const REGION_CODES: &[&str] = &[
    "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94",
];

/// Formats of data files, with their MIME type and weight.
const DATA_FORMATS: &[((&str, &str), u32)] = &[
    (("csv", "text/csv"), 40),
    (("json", "application/json"), 15),
    (("geojson", "application/geo+json"), 10),
    (
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        12,
    ),
    (("zip", "application/zip"), 13),
];

/// A fictional place: its name and the name with its preposition (`de Lormont`, `du Mans`,
/// `d'Ambert`), for titles and sentences.
#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub with_de: String,
}

/// A generated publisher, before it is written.
#[derive(Debug, Clone)]
pub struct OrgSeed {
    pub name: String,
    pub description: String,
    pub url: String,
    pub place: Place,
    /// Host label of its (fictional) open data site.
    pub host: String,
}

/// A generated user, before it is written.
#[derive(Debug, Clone)]
pub struct UserSeed {
    pub first_name: String,
    pub last_name: String,
}

/// Who publishes a generated dataset, with what its texts and URLs need.
#[derive(Debug, Clone)]
pub struct PublisherRef<'a> {
    pub publisher: Publisher,
    pub name: &'a str,
    pub host: &'a str,
    pub place: Option<&'a Place>,
}

/// Picks one item uniformly. Lists here are static and never empty.
fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Picks one item by weight.
fn pick_weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut ticket = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if ticket < *weight {
            return *item;
        }
        ticket -= weight;
    }
    items[items.len() - 1].0
}

/// A fictional place name.
pub fn place(rng: &mut StdRng) -> Place {
    let prefix = *pick(rng, PLACE_PREFIXES);
    let root = *pick(rng, PLACE_ROOTS);
    // "Mont" and the hyphenated prefixes glue to the root.
    let suffix = if prefix.is_empty() || rng.random_bool(0.5) {
        *pick(rng, PLACE_SUFFIXES)
    } else {
        ""
    };
    let name = format!("{prefix}{root}{suffix}");
    let with_de = if let Some(rest) = name.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = name.strip_prefix("Les ") {
        format!("des {rest}")
    } else if name.starts_with(['A', 'E', 'É', 'I', 'O', 'U', 'Y']) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    };
    Place { name, with_de }
}

/// A fictional organization.
pub fn organization(rng: &mut StdRng) -> OrgSeed {
    let place = place(rng);
    let kind = *pick(rng, ORGANIZATION_KINDS);
    let name = format!("{kind} {}", place.with_de);
    let host = slugify(&place.name);
    let description = format!(
        "{name} publie en données ouvertes les informations produites par ses services : \
         mobilité, environnement, finances, équipements et vie locale. Les jeux de données sont \
         mis à jour par les équipes métier et documentés sur ce portail."
    );
    OrgSeed {
        url: format!("https://www.{host}.example.org"),
        name,
        description,
        place,
        host,
    }
}

/// A fictional person.
pub fn user(rng: &mut StdRng) -> UserSeed {
    UserSeed {
        first_name: (*pick(rng, FIRST_NAMES)).to_owned(),
        last_name: (*pick(rng, LAST_NAMES)).to_owned(),
    }
}

/// A timestamp uniformly between `from` and `to`.
fn between(rng: &mut StdRng, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
    let span = (to - from).num_microseconds().unwrap_or(0).max(0);
    let offset = if span == 0 {
        0
    } else {
        rng.random_range(0..span)
    };
    truncate_to_micros(from + Duration::microseconds(offset))
}

/// One synthetic dataset with `resources` resources; its slug ends with `ordinal`, which
/// makes it unique among generated ones.
pub fn dataset(
    rng: &mut StdRng,
    publisher: &PublisherRef<'_>,
    ordinal: u64,
    resources: u32,
    now: DateTime<Utc>,
) -> Dataset {
    let subject = pick(rng, SUBJECTS);
    let own_place;
    let place = match publisher.place {
        Some(place) => place,
        None => {
            own_place = self::place(rng);
            &own_place
        }
    };
    let temporal_coverage = temporal_coverage(rng, now);
    let mut title = format!(
        "{}{} – {}",
        subject.title,
        pick(rng, QUALIFIERS),
        place.name
    );
    if let Some(tc) = temporal_coverage.filter(|_| rng.random_bool(0.5)) {
        match tc.end.map(|end| end.year()) {
            Some(end) if end != tc.start.year() => {
                title.push_str(&format!(" ({}-{end})", tc.start.year()));
            }
            _ => title.push_str(&format!(" ({})", tc.start.year())),
        }
    }
    let mut stem = slugify(&title);
    stem.truncate(SLUG_STEM_MAX);
    let slug = format!("{}-{ordinal}", stem.trim_end_matches('-'));

    let frequency = frequency(rng);
    let created = between(rng, now - Duration::days(3650), now - Duration::days(1));
    let modified = between(rng, created, now);
    let frequency_date = parse_frequency(frequency)
        .and_then(|f| f.delta())
        .filter(|_| rng.random_bool(0.5))
        .map(|delta| modified + delta);
    let description = description(rng, subject, place, publisher.name, frequency);
    let description_short = rng.random_bool(0.4).then(|| first_sentence(&description));
    let acronym = rng.random_bool(0.1).then(|| acronym(subject.title));
    let id = new_object_id();
    let resources = (0..resources)
        .map(|position| {
            resource(
                rng,
                subject,
                publisher.host,
                &slug,
                &id,
                position,
                created,
                modified,
            )
        })
        .collect();
    Dataset {
        slug,
        title,
        acronym,
        description,
        description_short,
        license: license(rng).to_owned(),
        frequency: frequency.to_owned(),
        frequency_date,
        tags: tags(rng, subject),
        temporal_coverage,
        spatial: spatial(rng),
        private: rng.random_bool(0.03),
        featured: rng.random_bool(0.01),
        archived_at: rng.random_bool(0.005).then_some(modified),
        deleted_at: None,
        publisher: publisher.publisher.clone(),
        extras: Map::new(),
        harvest: None,
        created_at_internal: created,
        last_modified_internal: modified,
        metrics: DatasetMetrics::default(),
        version: 1,
        resources,
        id,
    }
}

fn temporal_coverage(rng: &mut StdRng, now: DateTime<Utc>) -> Option<TemporalCoverage> {
    if !rng.random_bool(0.65) {
        return None;
    }
    let this_year = now.year();
    let start_year = rng.random_range(1995..=this_year);
    let start = NaiveDate::from_ymd_opt(start_year, 1, 1)?;
    let end = if rng.random_bool(0.8) {
        let end_year = (start_year + rng.random_range(0..=8)).min(this_year);
        NaiveDate::from_ymd_opt(end_year, 12, 31)
    } else {
        None
    };
    Some(TemporalCoverage { start, end })
}

fn license(rng: &mut StdRng) -> &'static str {
    if rng.random_bool(0.85) {
        pick_weighted(rng, POPULAR_LICENSES)
    } else {
        pick(rng, LICENSES).id
    }
}

fn frequency(rng: &mut StdRng) -> &'static str {
    if rng.random_bool(0.9) {
        pick_weighted(rng, POPULAR_FREQUENCIES)
    } else {
        pick(rng, FREQUENCIES).id
    }
}

fn spatial(rng: &mut StdRng) -> Option<Spatial> {
    let granularity = pick_weighted(rng, GRANULARITY_WEIGHTS)?;
    let department = rng.random_range(1..=95);
    let zone = match granularity {
        "country" => Some("country:fr".to_owned()),
        "fr:region" => Some(format!("fr:region:{}", pick(rng, REGION_CODES))),
        "fr:departement" => Some(format!("fr:departement:{department:02}")),
        "fr:commune" | "fr:iris" | "poi" => Some(format!(
            "fr:commune:{department:02}{:03}",
            rng.random_range(1..=700)
        )),
        "fr:epci" => Some(format!("fr:epci:2{:08}", rng.random_range(0..100_000_000))),
        _ => None,
    };
    Some(Spatial {
        granularity: Some(granularity.to_owned()),
        zones: zone.into_iter().collect(),
    })
}

/// 2 to 6 tags: most of the subject's own, and a few from the common vocabulary.
fn tags(rng: &mut StdRng, subject: &Subject) -> Vec<String> {
    let wanted = rng.random_range(2..=6);
    let mut tags: Vec<String> = Vec::with_capacity(wanted);
    for tag in subject.tags {
        if tags.len() < wanted && (tags.len() < 2 || rng.random_bool(0.6)) {
            tags.push((*tag).to_owned());
        }
    }
    // The vocabulary is large, so a few draws always fill the list.
    for _ in 0..20 {
        if tags.len() >= wanted {
            break;
        }
        let tag = *pick(rng, EXTRA_TAGS);
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags.sort();
    tags
}

fn description(
    rng: &mut StdRng,
    subject: &Subject,
    place: &Place,
    publisher: &str,
    frequency: &str,
) -> String {
    let frequency_label = parse_frequency(frequency)
        .map(|f| f.label("fr").to_lowercase())
        .unwrap_or_else(|| frequency.to_owned());
    let fill = |template: &str| {
        template
            .replace("{subject}", subject.phrase)
            .replace("{place}", &place.with_de)
            .replace("{publisher}", publisher)
            .replace("{frequency}", &frequency_label)
    };
    let mut text = fill(pick::<&str>(rng, OPENING_SENTENCES));
    for _ in 0..rng.random_range(2..=4) {
        text.push(' ');
        text.push_str(&fill(pick::<&str>(rng, BODY_SENTENCES)));
    }
    if rng.random_bool(0.3) {
        text.push_str(&fill(pick::<&str>(rng, SECTIONS)));
    }
    // Sentences start lowercase after the placeholders ("les mesures..."): capitalise.
    capitalise(&text)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn first_sentence(text: &str) -> String {
    let sentence = text.split_inclusive(". ").next().unwrap_or(text).trim();
    sentence.chars().take(200).collect()
}

fn acronym(title: &str) -> String {
    title
        .split([' ', '\'', '-'])
        .filter(|w| w.chars().count() > 3)
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .take(6)
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn resource(
    rng: &mut StdRng,
    subject: &Subject,
    host: &str,
    dataset_slug: &str,
    dataset_id: &str,
    position: u32,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
) -> Resource {
    let roll = rng.random_range(0..100);
    let (kind, format, mime, title) = if position > 0 && roll < 20 {
        let (format, mime) = ("pdf", "application/pdf");
        let title = if rng.random_bool(0.5) {
            "Documentation des champs".to_owned()
        } else {
            "Guide méthodologique".to_owned()
        };
        ("documentation", format, mime, title)
    } else if position > 0 && roll < 32 {
        (
            "api",
            "json",
            "application/json",
            format!("API – {}", subject.title),
        )
    } else {
        let (format, mime) = pick_weighted(rng, DATA_FORMATS);
        let kind = if position > 0 && roll < 40 {
            "update"
        } else {
            "main"
        };
        let title = format!(
            "{} – {} {}",
            subject.title,
            format.to_uppercase(),
            2000 + position
        );
        (kind, format, mime, title)
    };
    let url = if kind == "api" {
        format!("https://api.{host}.example.org/v1/{dataset_slug}/records")
    } else {
        format!(
            "https://data.{host}.example.org/datasets/{dataset_slug}/{}.{format}",
            slugify(&title)
        )
    };
    let filesize = (kind != "api").then(|| {
        // Log-uniform between 2 kB and 200 MB, like real portals.
        let exponent = rng.random_range(7.6_f64..19.1);
        exponent.exp() as i64
    });
    let created_at = between(rng, created, modified);
    Resource {
        id: Uuid::new_v4().to_string(),
        dataset_id: dataset_id.to_owned(),
        position: i64::from(position),
        description: rng
            .random_bool(0.3)
            .then(|| format!("Fichier publié sur le portail de {host}.")),
        filetype: Filetype::Remote,
        kind: kind.to_owned(),
        url,
        format: Some(format.to_owned()),
        mime: Some(mime.to_owned()),
        filesize,
        checksum: None,
        extras: Map::new(),
        harvest: None,
        fs_filename: None,
        downloads: 0,
        created_at_internal: created_at,
        last_modified_internal: between(rng, created_at, modified),
        title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portail_core::licenses::find_license;
    use portail_core::reference::{GRANULARITIES, RESOURCE_TYPES, find_choice};
    use portail_core::tags::normalize_tag;
    use portail_core::validation::{is_geoid, is_valid_url};
    use rand::SeedableRng;

    #[test]
    fn reference_lists_exist() {
        for (id, _) in POPULAR_LICENSES {
            assert!(find_license(id).is_some(), "{id}");
        }
        for (id, _) in POPULAR_FREQUENCIES {
            assert!(parse_frequency(id).is_some(), "{id}");
        }
        for (id, _) in GRANULARITY_WEIGHTS {
            if let Some(id) = id {
                assert!(find_choice(GRANULARITIES, id).is_some(), "{id}");
            }
        }
    }

    #[test]
    fn vocabulary_is_made_of_valid_tags() {
        let all = SUBJECTS
            .iter()
            .flat_map(|s| s.tags.iter())
            .chain(EXTRA_TAGS.iter());
        let mut distinct = std::collections::BTreeSet::new();
        for tag in all {
            assert_eq!(normalize_tag(tag), *tag);
            assert!(tag.len() >= portail_core::tags::TAG_MIN_LENGTH, "{tag}");
            distinct.insert(*tag);
        }
        assert!(distinct.len() >= 200, "{}", distinct.len());
    }

    fn sample(seed: u64) -> Vec<Dataset> {
        let mut rng = StdRng::seed_from_u64(seed);
        let now = portail_core::model::now();
        let org = organization(&mut rng);
        let publisher = PublisherRef {
            publisher: Publisher::Organization("org".into()),
            name: &org.name,
            host: &org.host,
            place: Some(&org.place),
        };
        (0..300)
            .map(|i| dataset(&mut rng, &publisher, i, 3, now))
            .collect()
    }

    #[test]
    fn datasets_look_valid() {
        for d in sample(7) {
            assert!(!d.title.is_empty());
            assert!(
                d.slug
                    .ends_with(&format!("-{}", d.slug.rsplit('-').next().unwrap()))
            );
            assert_eq!(slugify(&d.slug), d.slug);
            assert!((2..=6).contains(&d.tags.len()), "{:?}", d.tags);
            assert!(find_license(&d.license).is_some(), "{}", d.license);
            assert!(parse_frequency(&d.frequency).is_some(), "{}", d.frequency);
            assert!(d.last_modified_internal >= d.created_at_internal);
            if let Some(s) = &d.spatial {
                assert!(s.zones.iter().all(|z| is_geoid(z)), "{:?}", s.zones);
            }
            if let Some(tc) = d.temporal_coverage {
                assert!(tc.end.is_none_or(|end| end >= tc.start));
            }
            if let Some(short) = &d.description_short {
                assert!(short.chars().count() <= 200);
            }
            assert_eq!(d.resources.len(), 3);
            for r in &d.resources {
                assert!(is_valid_url(&r.url), "{}", r.url);
                assert!(find_choice(RESOURCE_TYPES, &r.kind).is_some());
                assert_eq!(r.dataset_id, d.id);
            }
        }
    }

    #[test]
    fn a_seed_gives_the_same_content() {
        let strip = |d: Dataset| (d.title, d.description, d.tags, d.license, d.spatial);
        let a: Vec<_> = sample(42).into_iter().map(strip).collect();
        let b: Vec<_> = sample(42).into_iter().map(strip).collect();
        let c: Vec<_> = sample(43).into_iter().map(strip).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn places_take_the_right_preposition() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..200 {
            let p = place(&mut rng);
            assert!(!p.with_de.contains("de Le ") && !p.with_de.contains("de Les "));
        }
    }
}

//! The licenses a dataset can carry, and guessing one from the free text harvested
//! catalogues put in their license fields.
//!
//! The list is data.gouv.fr's (`GET /api/1/datasets/licenses/`), so that license ids
//! exchanged with udata instances mean the same thing here. Beyond the captured data, we
//! add the licenses' well-known URLs (Creative Commons, Open Data Commons, SPDX, the EU
//! licence vocabulary used by DCAT-AP) and a few common short names, because harvested
//! records cite licenses that way and every extra exact match spares a fuzzy one.

use serde::Serialize;
use url::Url;

use crate::slug::slugify;

/// One license.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct License {
    /// Stable id used in the API, e.g. `"lov2"`.
    pub id: &'static str,
    /// Official title.
    pub title: &'static str,
    /// Canonical URL, if the license has one (the "other" licenses do not).
    pub url: Option<&'static str>,
    /// Who maintains the license text; data.gouv.fr leaves it empty.
    pub maintainer: Option<&'static str>,
    /// udata flags: `domain_content`, `domain_data`, `domain_software`, `generic`,
    /// `okd_compliant`, `osi_compliant`.
    pub flags: &'static [&'static str],
    /// Other URLs known to designate this license.
    pub alternate_urls: &'static [&'static str],
    /// Other names under which this license is cited.
    pub alternate_titles: &'static [&'static str],
    /// Whether the publishing form should suggest it first (data.gouv.fr recommends the
    /// Licence Ouverte 2.0 and the ODbL).
    pub recommended: bool,
}

/// The license a dataset gets when none is chosen.
pub const DEFAULT_LICENSE: &str = "notspecified";

/// Largest edit distance accepted by the fuzzy steps of [`guess_license`] (udata
/// `MAX_DISTANCE`).
const MAX_DISTANCE: usize = 2;

/// Shortest string the fuzzy steps compare: two edits turn `odbl` into `pddl` or `ccby` into
/// `cc0`, so short names must match exactly.
const MIN_FUZZY_LENGTH: usize = 6;

/// Words marking Creative Commons NonCommercial and NoDerivatives licenses. They are not
/// open, and `cc-by-nc` is two edits away from `cc-by-sa`, so text containing them is never
/// matched fuzzily.
const NOT_OPEN_MARKERS: &[&str] = &["nc", "nd", "noncommercial", "noderivatives", "noderivs"];

const OPEN_CONTENT: &[&str] = &["okd_compliant", "domain_content"];
const OPEN_DATA: &[&str] = &["domain_data", "okd_compliant", "domain_content"];
const OPEN_DATABASE: &[&str] = &["domain_data", "okd_compliant"];
const OPEN_GENERIC: &[&str] = &["okd_compliant", "generic", "domain_content"];

/// data.gouv.fr's licenses, in its order.
pub static LICENSES: &[License] = &[
    License {
        id: "cc-by",
        title: "Creative Commons Attribution",
        url: Some("http://www.opendefinition.org/licenses/cc-by"),
        maintainer: None,
        flags: OPEN_CONTENT,
        alternate_urls: &[
            "https://creativecommons.org/licenses/by/4.0/",
            "https://creativecommons.org/licenses/by/3.0/",
            "https://creativecommons.org/licenses/by/2.0/",
            "https://spdx.org/licenses/CC-BY-4.0.html",
            "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
        ],
        alternate_titles: &[
            "CC BY 4.0",
            "CC BY 3.0",
            "CC BY 2.0",
            "Creative Commons Attribution 4.0",
            "Creative Commons Attribution 4.0 International",
        ],
        recommended: false,
    },
    License {
        id: "cc-by-sa",
        title: "Creative Commons Attribution Share-Alike",
        url: Some("http://www.opendefinition.org/licenses/cc-by-sa"),
        maintainer: None,
        flags: OPEN_CONTENT,
        alternate_urls: &[
            "https://creativecommons.org/licenses/by-sa/4.0/",
            "https://creativecommons.org/licenses/by-sa/3.0/",
            "https://creativecommons.org/licenses/by-sa/2.0/",
            "https://spdx.org/licenses/CC-BY-SA-4.0.html",
            "http://publications.europa.eu/resource/authority/licence/CC_BYSA_4_0",
        ],
        alternate_titles: &[
            "CC BY-SA 4.0",
            "CC BY-SA 3.0",
            "Creative Commons Attribution-ShareAlike 4.0",
            "Creative Commons Attribution-ShareAlike 4.0 International",
        ],
        recommended: false,
    },
    License {
        id: "cc-zero",
        title: "Creative Commons CCZero",
        url: Some("http://www.opendefinition.org/licenses/cc-zero"),
        maintainer: None,
        flags: &[
            "domain_data",
            "okd_compliant",
            "domain_content",
            "domain_software",
        ],
        alternate_urls: &[
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "https://spdx.org/licenses/CC0-1.0.html",
            "http://publications.europa.eu/resource/authority/licence/CC0",
        ],
        alternate_titles: &[
            "CC0",
            "CC0 1.0",
            "CC0 1.0 Universal",
            "Creative Commons Zero",
            "Creative Commons CC0 1.0 Universal",
        ],
        recommended: false,
    },
    License {
        id: "fr-lo",
        title: "Licence Ouverte / Open Licence",
        url: Some("https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf"),
        maintainer: None,
        flags: OPEN_DATA,
        alternate_urls: &[
            "https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Open_Licence.pdf",
            "http://wiki.data.gouv.fr/wiki/Licence_Ouverte_/_Open_Licence",
        ],
        alternate_titles: &[
            "LO/OL",
            "Licence Ouverte (Etalab)",
            "Licence Ouverte v1.0",
            "Licence Ouverte 1.0",
            "Licence Ouverte version 1.0",
            "Open Licence",
        ],
        recommended: false,
    },
    License {
        id: "lov2",
        title: "Licence Ouverte / Open Licence version 2.0",
        url: Some("https://www.etalab.gouv.fr/licence-ouverte-open-licence"),
        maintainer: None,
        flags: OPEN_DATA,
        alternate_urls: &[
            "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
            "https://github.com/etalab/licence-ouverte/blob/master/LO.md",
            "https://spdx.org/licenses/etalab-2.0.html",
        ],
        alternate_titles: &[
            "Licence Ouverte v2.0",
            "Licence Ouverte 2.0",
            "Licence Ouverte version 2.0",
            "Licence Ouverte / Open Licence version 2.0",
            "etalab-2.0",
            "License Etalab",
            "Licence Etalab",
            "Open Licence 2.0",
            "LO 2.0",
        ],
        recommended: true,
    },
    License {
        id: "notspecified",
        title: "License Not Specified",
        url: None,
        maintainer: None,
        flags: &["generic"],
        alternate_urls: &[],
        alternate_titles: &[],
        recommended: false,
    },
    License {
        id: "odc-by",
        title: "Open Data Commons Attribution License",
        url: Some("http://opendatacommons.org/licenses/by/summary/"),
        maintainer: None,
        flags: OPEN_DATABASE,
        alternate_urls: &[
            "https://opendatacommons.org/licenses/by/1-0/",
            "https://opendatacommons.org/licenses/by/1.0/",
            "https://spdx.org/licenses/ODC-By-1.0.html",
            "http://publications.europa.eu/resource/authority/licence/ODC_BY",
        ],
        alternate_titles: &["ODC-By 1.0", "ODC Attribution License"],
        recommended: false,
    },
    License {
        id: "odc-odbl",
        title: "Open Data Commons Open Database License (ODbL)",
        url: Some("http://opendatacommons.org/licenses/odbl/summary/"),
        maintainer: None,
        flags: OPEN_DATABASE,
        alternate_urls: &[
            "https://opendatacommons.org/licenses/odbl/1-0/",
            "https://opendatacommons.org/licenses/odbl/1.0/",
            "https://spdx.org/licenses/ODbL-1.0.html",
            "http://publications.europa.eu/resource/authority/licence/ODC_BL",
        ],
        alternate_titles: &[
            "ODbL",
            "ODbL 1.0",
            "Open Database License",
            "Open Database License (ODbL)",
            "Open Data Commons Database License 1.0 (ODbL)",
        ],
        recommended: true,
    },
    License {
        id: "odc-pddl",
        title: "Open Data Commons Public Domain Dedication and Licence (PDDL)",
        url: Some("http://opendatacommons.org/licenses/pddl/summary/"),
        maintainer: None,
        flags: OPEN_DATABASE,
        alternate_urls: &[
            "https://opendatacommons.org/licenses/pddl/1-0/",
            "https://opendatacommons.org/licenses/pddl/1.0/",
            "https://spdx.org/licenses/PDDL-1.0.html",
            "http://publications.europa.eu/resource/authority/licence/ODC_PDDL",
        ],
        alternate_titles: &["PDDL", "PDDL 1.0"],
        recommended: false,
    },
    License {
        id: "other-at",
        title: "Other (Attribution)",
        url: None,
        maintainer: None,
        flags: OPEN_GENERIC,
        alternate_urls: &[],
        alternate_titles: &[],
        recommended: false,
    },
    License {
        id: "other-open",
        title: "Other (Open)",
        url: None,
        maintainer: None,
        flags: OPEN_GENERIC,
        alternate_urls: &[],
        alternate_titles: &[],
        recommended: false,
    },
    License {
        id: "other-pd",
        title: "Other (Public Domain)",
        url: None,
        maintainer: None,
        flags: OPEN_GENERIC,
        alternate_urls: &[],
        // "Public Domain" is how OpenDataSoft portals name it (udata-ods mapping).
        alternate_titles: &["Public Domain", "Domaine public"],
        recommended: false,
    },
];

/// Finds a license by id, ignoring case.
pub fn find_license(id: &str) -> Option<&'static License> {
    let id = id.trim();
    LICENSES.iter().find(|l| l.id.eq_ignore_ascii_case(id))
}

/// Guesses the license meant by harvested text, trying each candidate in turn (udata's
/// `License.guess`); `None` when no candidate designates exactly one license.
///
/// For each candidate, a URL inside the text is tried first, then the rest of the text. Each
/// string goes through these steps, the first step with any result deciding:
///
/// 1. exact: id, slug of the title, slug of an alternate title, URL or alternate URL
///    (URLs compared without scheme, `www.` or trailing `/`);
/// 2. for a URL, its host and path contained in a license URL, or a license URL followed by
///    more path (`…/by/4.0/deed.fr`);
/// 3. edit distance ≤ 2 between slugs of the text and of a title;
/// 4. edit distance ≤ 2 between the lowercased text and a lowercased title;
/// 5. edit distance ≤ 2 between slugs of the text and of an alternate title.
///
/// When a step matches several licenses the string is ambiguous and gives nothing, where
/// udata's exact and URL steps take whichever license the database returns first: a wrong
/// license is worse than none, which leaves the dataset on the default.
pub fn guess_license(candidates: &[&str]) -> Option<&'static License> {
    candidates
        .iter()
        .flat_map(|candidate| split_first_url(candidate))
        .find_map(|text| guess_one(&text))
}

/// udata's `extract_first_url`: the first `http(s)://` URL of the text and what is left
/// around it, or the text alone.
fn split_first_url(text: &str) -> Vec<String> {
    // A sentence ending with a URL leaves a full stop that is not part of it.
    let searched = text.trim_end_matches('.');
    let lower = searched.to_ascii_lowercase();
    let start = [lower.find("http://"), lower.find("https://")]
        .into_iter()
        .flatten()
        .min();
    let Some(start) = start else {
        return vec![text.to_owned()];
    };
    // `to_ascii_lowercase` keeps byte offsets, so `start` indexes `searched` too.
    let url = searched
        .get(start..)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default();
    let remaining = text.replace(url, "").trim().to_owned();
    vec![url.to_owned(), remaining]
}

/// Result of one matching step.
enum Step {
    Found(&'static License),
    Ambiguous,
    Nothing,
}

impl Step {
    /// Collapses the licenses a step matched, counting each license once.
    fn from_matches(matches: impl Iterator<Item = &'static License>) -> Step {
        let mut found: Option<&'static License> = None;
        for license in matches {
            match found {
                Some(previous) if previous.id != license.id => return Step::Ambiguous,
                _ => found = Some(license),
            }
        }
        found.map_or(Step::Nothing, Step::Found)
    }
}

fn guess_one(text: &str) -> Option<&'static License> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return None;
    }
    let slug = slugify(&text);
    let url = normalize_url(&text);
    let fuzzy = is_fuzzy_allowed(&slug);

    let steps: [&dyn Fn() -> Step; 5] = [
        &|| {
            Step::from_matches(LICENSES.iter().filter(|l| {
                l.id.eq_ignore_ascii_case(&text)
                    || l.id == slug
                    || (!slug.is_empty() && slugify(l.title) == slug)
                    || (!slug.is_empty() && l.alternate_titles.iter().any(|t| slugify(t) == slug))
                    || license_urls(l).any(|u| normalize_url(u) == url)
            }))
        },
        &|| match url_query(&text) {
            Some(query) => Step::from_matches(LICENSES.iter().filter(|l| {
                license_urls(l)
                    .map(normalize_url)
                    .any(|known| known.contains(&query) || query.starts_with(&format!("{known}/")))
            })),
            None => Step::Nothing,
        },
        &|| fuzzy_step(fuzzy, |l| vec![slugify(l.title)], &slug),
        &|| fuzzy_step(fuzzy, |l| vec![l.title.to_lowercase()], &text),
        &|| {
            fuzzy_step(
                fuzzy,
                |l| l.alternate_titles.iter().map(|t| slugify(t)).collect(),
                &slug,
            )
        },
    ];
    for step in steps {
        match step() {
            Step::Found(license) => return Some(license),
            Step::Ambiguous => return None,
            Step::Nothing => {}
        }
    }
    None
}

/// Whether the fuzzy steps may run for a text with this slug.
fn is_fuzzy_allowed(slug: &str) -> bool {
    slug.len() >= MIN_FUZZY_LENGTH && !slug.split('-').any(|word| NOT_OPEN_MARKERS.contains(&word))
}

/// Licenses with a name (from `names`) within [`MAX_DISTANCE`] edits of `text`.
fn fuzzy_step(allowed: bool, names: impl Fn(&License) -> Vec<String>, text: &str) -> Step {
    if !allowed {
        return Step::Nothing;
    }
    Step::from_matches(LICENSES.iter().filter(|l| {
        names(l).iter().any(|name| {
            name.chars().count() >= MIN_FUZZY_LENGTH && levenshtein(name, text) <= MAX_DISTANCE
        })
    }))
}

fn license_urls(license: &License) -> impl Iterator<Item = &'static str> {
    license
        .url
        .into_iter()
        .chain(license.alternate_urls.iter().copied())
}

/// A URL reduced to what identifies it: lowercase, without scheme, `www.` or trailing `/`.
/// Other text goes through unchanged (but lowercased) and simply matches no URL.
fn normalize_url(s: &str) -> String {
    let s = s.trim().to_lowercase();
    let s = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"))
        .unwrap_or(&s);
    let s = s.strip_prefix("www.").unwrap_or(s);
    s.trim_end_matches('/').to_owned()
}

/// Host (without `www.`) and path (without trailing `/`) of an http(s) URL, the part udata
/// searches inside license URLs.
fn url_query(text: &str) -> Option<String> {
    let url = Url::parse(text).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    Some(format!("{host}{port}{path}").to_lowercase())
}

/// Levenshtein edit distance counted in characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // One row of the classic dynamic programme is enough: row[j] is the distance between the
    // prefix of `a` read so far and b[..j].
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn guess(text: &str) -> Option<&'static str> {
        guess_license(&[text]).map(|l| l.id)
    }

    #[test]
    fn the_list_is_data_gouv_fr_s() {
        let ids: Vec<_> = LICENSES.iter().map(|l| l.id).collect();
        assert_eq!(
            ids,
            [
                "cc-by",
                "cc-by-sa",
                "cc-zero",
                "fr-lo",
                "lov2",
                "notspecified",
                "odc-by",
                "odc-odbl",
                "odc-pddl",
                "other-at",
                "other-open",
                "other-pd"
            ]
        );
        assert!(find_license(DEFAULT_LICENSE).is_some());
        let recommended: Vec<_> = LICENSES
            .iter()
            .filter(|l| l.recommended)
            .map(|l| l.id)
            .collect();
        assert_eq!(recommended, ["lov2", "odc-odbl"]);
    }

    #[test]
    fn names_and_urls_designate_a_single_license() {
        // Otherwise the exact step would be ambiguous for that name.
        let mut seen = HashSet::new();
        for license in LICENSES {
            let mut own = HashSet::new();
            own.insert(slugify(license.title));
            own.extend(license.alternate_titles.iter().map(|t| slugify(t)));
            own.extend(license_urls(license).map(normalize_url));
            for key in own {
                assert!(seen.insert(key.clone()), "{key} is used twice");
            }
        }
    }

    #[test]
    fn find_license_ignores_case() {
        assert_eq!(find_license("LOV2").map(|l| l.id), Some("lov2"));
        assert_eq!(find_license("odc-odbl").map(|l| l.id), Some("odc-odbl"));
        assert!(find_license("mit").is_none());
    }

    #[test]
    fn guesses_ids_and_titles() {
        assert_eq!(guess("lov2"), Some("lov2"));
        assert_eq!(guess("odc-odbl"), Some("odc-odbl"));
        assert_eq!(guess("CC-BY-SA"), Some("cc-by-sa"));
        assert_eq!(guess("cc by"), Some("cc-by"));
        assert_eq!(guess("Creative Commons Attribution"), Some("cc-by"));
        assert_eq!(
            guess("Creative Commons Attribution Share-Alike"),
            Some("cc-by-sa")
        );
        assert_eq!(guess("License Not Specified"), Some("notspecified"));
        assert_eq!(guess("Licence Ouverte / Open Licence"), Some("fr-lo"));
        assert_eq!(
            guess("Licence Ouverte / Open Licence version 2.0"),
            Some("lov2")
        );
        assert_eq!(
            guess("Open Data Commons Open Database License (ODbL)"),
            Some("odc-odbl")
        );
        assert_eq!(guess("Other (Public Domain)"), Some("other-pd"));
    }

    #[test]
    fn guesses_alternate_titles() {
        assert_eq!(guess("Licence Ouverte v2.0"), Some("lov2"));
        assert_eq!(guess("licence ouverte 2.0"), Some("lov2"));
        assert_eq!(guess("etalab-2.0"), Some("lov2"));
        assert_eq!(guess("Licence Etalab"), Some("lov2"));
        assert_eq!(guess("License Etalab"), Some("lov2"));
        assert_eq!(guess("LO 2.0"), Some("lov2"));
        assert_eq!(guess("Licence Ouverte (Etalab)"), Some("fr-lo"));
        assert_eq!(guess("Licence Ouverte v1.0"), Some("fr-lo"));
        assert_eq!(guess("ODbL"), Some("odc-odbl"));
        assert_eq!(guess("CC-BY 4.0"), Some("cc-by"));
        assert_eq!(guess("CC BY-SA 4.0"), Some("cc-by-sa"));
        assert_eq!(guess("CC0"), Some("cc-zero"));
        assert_eq!(guess("Public Domain"), Some("other-pd"));
    }

    #[test]
    fn guesses_urls() {
        assert_eq!(
            guess("https://www.etalab.gouv.fr/licence-ouverte-open-licence"),
            Some("lov2")
        );
        assert_eq!(
            guess("http://etalab.gouv.fr/licence-ouverte-open-licence/"),
            Some("lov2")
        );
        assert_eq!(
            guess(
                "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"
            ),
            Some("lov2")
        );
        assert_eq!(
            guess("https://creativecommons.org/licenses/by/4.0/"),
            Some("cc-by")
        );
        assert_eq!(
            guess("http://creativecommons.org/licenses/by/4.0"),
            Some("cc-by")
        );
        assert_eq!(
            guess("https://creativecommons.org/licenses/by/4.0/deed.fr"),
            Some("cc-by")
        );
        assert_eq!(
            guess("https://creativecommons.org/licenses/by-sa/4.0/legalcode"),
            Some("cc-by-sa")
        );
        assert_eq!(
            guess("https://creativecommons.org/publicdomain/zero/1.0/"),
            Some("cc-zero")
        );
        assert_eq!(
            guess("https://opendatacommons.org/licenses/odbl/1-0/"),
            Some("odc-odbl")
        );
        assert_eq!(
            guess("https://opendatacommons.org/licenses/odbl/"),
            Some("odc-odbl")
        );
        assert_eq!(
            guess("http://opendefinition.org/licenses/cc-by/"),
            Some("cc-by")
        );
        assert_eq!(
            guess("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"),
            Some("cc-by")
        );
        assert_eq!(
            guess("https://spdx.org/licenses/etalab-2.0.html"),
            Some("lov2")
        );
    }

    #[test]
    fn extracts_urls_from_sentences() {
        assert_eq!(
            guess("Voir https://www.etalab.gouv.fr/licence-ouverte-open-licence."),
            Some("lov2")
        );
        // An unknown URL does not hide the name written beside it.
        assert_eq!(
            guess("ODbL (https://example.org/licence)"),
            Some("odc-odbl")
        );
    }

    #[test]
    fn fuzzy_matches_close_spellings() {
        assert_eq!(guess("Creative Commons Atribution"), Some("cc-by"));
        assert_eq!(guess("Licence Ouverte / Open License"), Some("fr-lo"));
        assert_eq!(guess("Open Database Licence"), Some("odc-odbl"));
        assert_eq!(guess("Licence Etalab 2"), Some("lov2"));
    }

    #[test]
    fn refuses_ambiguous_or_unknown_text() {
        // Same site for several licenses.
        assert_eq!(guess("https://www.etalab.gouv.fr"), None);
        assert_eq!(guess("https://creativecommons.org/licenses/"), None);
        assert_eq!(guess("https://spdx.org/licenses/MIT.html"), None);
        // Version 1 or 2?
        assert_eq!(guess("Licence Ouverte"), None);
        assert_eq!(guess("Licence Ouverte v3.0"), None);
        // Not open: close to cc-by-sa in spelling only.
        assert_eq!(guess("CC BY-NC 4.0"), None);
        assert_eq!(guess("cc-by-nd"), None);
        assert_eq!(guess("CC BY-NC-SA 4.0"), None);
        // Too short to trust a fuzzy match.
        assert_eq!(guess("CCBY"), None);
        assert_eq!(guess("MIT"), None);
        assert_eq!(guess("Proprietary licence"), None);
        assert_eq!(guess(""), None);
        assert_eq!(guess("   "), None);
    }

    #[test]
    fn guess_tries_candidates_in_order() {
        let license = guess_license(&["see website", "", "ODbL", "lov2"]);
        assert_eq!(license.map(|l| l.id), Some("odc-odbl"));
        assert!(guess_license(&[]).is_none());
    }

    #[test]
    fn levenshtein_distances() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("licence", "license"), 1);
        assert_eq!(levenshtein("éte", "ete"), 1);
    }

    #[test]
    fn serializes_for_the_api() {
        let json = serde_json::to_value(find_license("lov2")).expect("serialisable");
        assert_eq!(json["id"], "lov2");
        assert_eq!(
            json["url"],
            "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
        );
        assert_eq!(json["maintainer"], serde_json::Value::Null);
        assert!(
            json["alternate_titles"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
        );
    }
}

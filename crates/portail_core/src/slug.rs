//! Slugs for URLs, tags and stored file names.
//!
//! udata slugifies with awesome-slugify: ASCII transliteration, lowercase, `-` as the only
//! separator. Producing the same slugs matters because slugs appear in public URLs
//! (`/datasets/<slug>/`) that must keep working when data moves from udata to Portail.

use deunicode::deunicode_with_tofu;

/// Longest slug we produce, udata's `SlugField(max_length=255)`.
pub const SLUG_MAX_LENGTH: usize = 255;

/// File name used when nothing of the original name survives slugification.
const FALLBACK_FILENAME: &str = "file";

/// Extensions longer than this are not worth preserving when a file name must be cut: they
/// are more likely to be part of the name than a real extension.
const MAX_KEPT_EXTENSION: usize = 32;

/// Turns any text into a URL slug: ASCII `[a-z0-9]` words joined by single `-`.
///
/// `"Élections municipales 2020"` gives `"elections-municipales-2020"`, `"œuvre"` gives
/// `"oeuvre"`. The result has no leading, trailing or doubled `-` and at most 255 characters;
/// it is empty when the text has no letter or digit.
pub fn slugify(s: &str) -> String {
    let slug = slug_words(s);
    cap(slug, SLUG_MAX_LENGTH, &['-'])
}

/// Turns an uploaded file's name into a safe storage name, keeping the `.` of extensions.
///
/// `"Mon Fichier (v2).CSV"` gives `"mon-fichier-v2.csv"`, `"données.tar.gz"` gives
/// `"donnees.tar.gz"`. Each dot-separated part is slugified on its own, so separators never
/// touch a dot and empty parts (`"a..b"`, `".hidden"`) disappear. When nothing is left the
/// name is `"file"`. Names are capped at 255 characters, keeping the extension when possible.
pub fn slugify_filename(name: &str) -> String {
    let mut parts: Vec<String> = name
        .split('.')
        .map(slug_words)
        .filter(|part| !part.is_empty())
        .collect();
    // A stem made only of characters that slugify to nothing (`"???.csv"`, `"《》.pdf"`) is
    // replaced, so the extension stays an extension instead of becoming the whole name.
    let stem_lost = name
        .split_once('.')
        .is_some_and(|(stem, _)| !stem.trim().is_empty() && slug_words(stem).is_empty());
    if stem_lost && !parts.is_empty() {
        parts.insert(0, FALLBACK_FILENAME.to_owned());
    }
    if parts.is_empty() {
        return FALLBACK_FILENAME.to_owned();
    }
    let joined = parts.join(".");
    if joined.len() <= SLUG_MAX_LENGTH {
        return joined;
    }
    // Cutting the end would drop the extension, which decides the MIME type and the format
    // shown to users, so shorten the stem instead.
    match joined.rsplit_once('.') {
        Some((stem, extension)) if extension.len() <= MAX_KEPT_EXTENSION => {
            let budget = SLUG_MAX_LENGTH - extension.len() - 1;
            let stem = cap(stem.to_owned(), budget, &['-', '.']);
            if stem.is_empty() {
                extension.to_owned()
            } else {
                format!("{stem}.{extension}")
            }
        }
        _ => cap(joined, SLUG_MAX_LENGTH, &['-', '.']),
    }
}

/// Transliterates, lowercases and joins the alphanumeric runs of `s` with single `-`.
fn slug_words(s: &str) -> String {
    // Characters deunicode does not know become a space, so they separate words instead of
    // gluing their neighbours together.
    let ascii = deunicode_with_tofu(s, " ");
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_separator = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_separator && !slug.is_empty() {
                slug.push('-');
            }
            pending_separator = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_separator = true;
        }
    }
    slug
}

/// Truncates an ASCII string to `max` bytes, then strips the `trailing` characters the cut
/// may have exposed.
fn cap(mut s: String, max: usize, trailing: &[char]) -> String {
    if s.len() > max {
        // Only ASCII reaches here, so any byte index is a char boundary.
        s.truncate(max);
        let kept = s.trim_end_matches(trailing).len();
        s.truncate(kept);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugify_examples() {
        assert_eq!(slugify("Élections"), "elections");
        assert_eq!(slugify("œuvre"), "oeuvre");
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(
            slugify("  Qualité de l'air — Île-de-France (2024)  "),
            "qualite-de-l-air-ile-de-france-2024"
        );
        assert_eq!(slugify("---a___b---"), "a-b");
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify("COVID-19"), "covid-19");
    }

    #[test]
    fn slugify_caps_without_trailing_dash() {
        // 254 letters then a separator: the cut lands right after the dash.
        let input = format!("{} bcd", "a".repeat(254));
        let slug = slugify(&input);
        assert_eq!(slug, "a".repeat(254));

        let long = "mot ".repeat(200);
        let slug = slugify(&long);
        assert!(slug.len() <= SLUG_MAX_LENGTH);
        assert!(!slug.ends_with('-'));
    }

    #[test]
    fn slugify_filename_examples() {
        assert_eq!(
            slugify_filename("Mon Fichier (v2).CSV"),
            "mon-fichier-v2.csv"
        );
        assert_eq!(slugify_filename("données.tar.gz"), "donnees.tar.gz");
        assert_eq!(slugify_filename("test.2022.zip"), "test.2022.zip");
        assert_eq!(slugify_filename("a..b"), "a.b");
        assert_eq!(slugify_filename(".htaccess"), "htaccess");
        assert_eq!(slugify_filename("rapport final .pdf"), "rapport-final.pdf");
        assert_eq!(slugify_filename("fin."), "fin");
        assert_eq!(slugify_filename("(((.)))"), "file");
        assert_eq!(slugify_filename("???.csv"), "file.csv");
        assert_eq!(slugify_filename("《数据》.tar.gz"), "shu-ju.tar.gz");
        assert_eq!(slugify_filename(""), "file");
    }

    #[test]
    fn slugify_filename_keeps_extension_when_capping() {
        let name = format!("{}.csv", "x".repeat(400));
        let slug = slugify_filename(&name);
        assert_eq!(slug.len(), SLUG_MAX_LENGTH);
        assert!(slug.ends_with(".csv"));

        let name = format!("{}.csv", "x ".repeat(200));
        let slug = slugify_filename(&name);
        assert!(slug.len() <= SLUG_MAX_LENGTH);
        assert!(slug.ends_with("x.csv"), "{slug}");
    }

    fn is_clean_slug(slug: &str) -> bool {
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !slug.starts_with('-')
            && !slug.ends_with('-')
            && !slug.contains("--")
    }

    proptest! {
        #[test]
        fn slugify_output_is_clean(s in any::<String>()) {
            let slug = slugify(&s);
            prop_assert!(is_clean_slug(&slug), "{slug:?}");
            prop_assert!(slug.len() <= SLUG_MAX_LENGTH);
        }

        #[test]
        fn slugify_output_is_clean_for_long_wordy_input(s in "[a-zA-Zé ,'-]{200,400}") {
            let slug = slugify(&s);
            prop_assert!(is_clean_slug(&slug), "{slug:?}");
            prop_assert!(slug.len() <= SLUG_MAX_LENGTH);
        }

        #[test]
        fn slugify_is_idempotent(s in any::<String>()) {
            let once = slugify(&s);
            prop_assert_eq!(slugify(&once), once);
        }

        #[test]
        fn slugify_filename_is_clean_and_idempotent(s in any::<String>()) {
            let name = slugify_filename(&s);
            prop_assert!(!name.is_empty());
            prop_assert!(name.len() <= SLUG_MAX_LENGTH);
            prop_assert!(name.split('.').all(|part| !part.is_empty() && is_clean_slug(part)), "{name:?}");
            prop_assert_eq!(slugify_filename(&name), name);
        }

        #[test]
        fn slugify_filename_capping_is_clean(s in "[a-z .-]{240,300}\\.[a-z]{1,5}") {
            let name = slugify_filename(&s);
            prop_assert!(name.len() <= SLUG_MAX_LENGTH);
            prop_assert!(name.split('.').all(|part| !part.is_empty() && is_clean_slug(part)), "{name:?}");
            prop_assert_eq!(slugify_filename(&name), name);
        }
    }
}

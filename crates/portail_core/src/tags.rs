//! Tag normalisation and validation, following udata (`udata/tags.py`, `TagField`).
//!
//! Tags are stored slugified and as a sorted set, so that `Open Data`, `open-data` and
//! `OPEN DATA` are one facet value. Users get an error for a tag of the wrong length;
//! harvesters, which cannot ask the remote catalogue to fix its keywords, use the lenient
//! variant that drops or truncates instead.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::slug::slugify;

/// Shortest tag accepted, in characters after normalisation (udata `TAG_MIN_LENGTH`).
pub const TAG_MIN_LENGTH: usize = 3;
/// Longest tag accepted, in characters after normalisation (udata `TAG_MAX_LENGTH`).
pub const TAG_MAX_LENGTH: usize = 96;

/// Normalises one tag: `slugify(lowercase(s))`, so `"Qualité de l'air"` gives
/// `"qualite-de-l-air"`.
pub fn normalize_tag(s: &str) -> String {
    slugify(&s.to_lowercase())
}

/// Normalises tags typed by a user, refusing any that is too short or too long once
/// normalised, and returns them sorted without duplicates.
///
/// The error is udata's message, quoting the tag as the user typed it so they can find it.
pub fn validate_tags(input: &[String]) -> Result<Vec<String>, String> {
    let mut tags = BTreeSet::new();
    for raw in input {
        let tag = normalize_tag(raw);
        if !(TAG_MIN_LENGTH..=TAG_MAX_LENGTH).contains(&tag.len()) {
            return Err(format!(
                "Tag \"{raw}\" must be between {TAG_MIN_LENGTH} and {TAG_MAX_LENGTH} characters long."
            ));
        }
        tags.insert(tag);
    }
    Ok(tags.into_iter().collect())
}

/// Normalises harvested tags: too short ones are dropped, too long ones are cut to 96
/// characters (without a trailing `-`); the result is sorted without duplicates.
pub fn normalize_tags_lenient(input: &[String]) -> Vec<String> {
    input
        .iter()
        .filter_map(|raw| {
            let mut tag = normalize_tag(raw);
            if tag.len() > TAG_MAX_LENGTH {
                // Slugs are ASCII, so truncating at a byte index is safe. Slugs never hold
                // "--", so trimming removes at most one character and cannot bring the tag
                // under the minimum.
                tag.truncate(TAG_MAX_LENGTH);
                let kept = tag.trim_end_matches('-').len();
                tag.truncate(kept);
            }
            (tag.len() >= TAG_MIN_LENGTH).then_some(tag)
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Reads the raw `tags` value of a JSON body, before validation.
///
/// udata accepts a list of strings or a comma-separated string (what HTML forms and many
/// scripts send); `null` means no tags. Blank pieces of a comma-separated string are
/// skipped because trailing commas (`"a, b,"`) are common and not a mistake worth an error.
pub fn parse_tags_value(v: &Value) -> Result<Vec<String>, String> {
    const ERROR: &str = "Tags must be a list of strings or a comma-separated string.";
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(s
            .split(',')
            .map(str::trim)
            .filter(|piece| !piece.is_empty())
            .map(str::to_owned)
            .collect()),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ERROR.to_owned())
            })
            .collect(),
        _ => Err(ERROR.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn normalize_examples() {
        assert_eq!(normalize_tag("Open Data"), "open-data");
        assert_eq!(normalize_tag("Qualité de l'air"), "qualite-de-l-air");
        assert_eq!(normalize_tag("  ÉNERGIE  "), "energie");
    }

    #[test]
    fn validate_sorts_and_deduplicates() {
        let tags = validate_tags(&strings(&["Transport", "open data", "Open-Data", "bus"]));
        assert_eq!(tags, Ok(strings(&["bus", "open-data", "transport"])));
        assert_eq!(validate_tags(&[]), Ok(vec![]));
    }

    #[test]
    fn validate_rejects_out_of_range_with_udata_message() {
        assert_eq!(
            validate_tags(&strings(&["ok-tag", "é!"])),
            Err("Tag \"é!\" must be between 3 and 96 characters long.".to_owned())
        );
        let long = "a".repeat(97);
        assert_eq!(
            validate_tags(std::slice::from_ref(&long)),
            Err(format!(
                "Tag \"{long}\" must be between 3 and 96 characters long."
            ))
        );
        assert!(validate_tags(&["a".repeat(96)]).is_ok());
        assert!(validate_tags(&strings(&["abc"])).is_ok());
        assert!(validate_tags(&strings(&[""])).is_err());
    }

    #[test]
    fn lenient_drops_short_and_truncates_long() {
        let long = format!("{}-suite", "a".repeat(95));
        let tags =
            normalize_tags_lenient(&["ab".to_owned(), long, "Éco".to_owned(), "eco".to_owned()]);
        // The 96th character is the dash, which must not be kept.
        assert_eq!(tags, vec!["a".repeat(95), "eco".to_owned()]);
    }

    #[test]
    fn parse_tags_value_shapes() {
        assert_eq!(parse_tags_value(&json!(null)), Ok(vec![]));
        assert_eq!(
            parse_tags_value(&json!(["a b", "c"])),
            Ok(strings(&["a b", "c"]))
        );
        assert_eq!(
            parse_tags_value(&json!("transport, bus ,, ")),
            Ok(strings(&["transport", "bus"]))
        );
        let error = Err("Tags must be a list of strings or a comma-separated string.".to_owned());
        assert_eq!(parse_tags_value(&json!(["a", 1])), error);
        assert_eq!(parse_tags_value(&json!(12)), error);
        assert_eq!(parse_tags_value(&json!({"a": 1})), error);
    }

    proptest! {
        #[test]
        fn validated_tags_are_sorted_unique_and_in_bounds(input in proptest::collection::vec(any::<String>(), 0..10)) {
            if let Ok(tags) = validate_tags(&input) {
                prop_assert!(tags.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(tags.iter().all(|t| (TAG_MIN_LENGTH..=TAG_MAX_LENGTH).contains(&t.len())));
            }
        }

        #[test]
        fn validated_wordy_tags_are_sorted_unique_and_in_bounds(
            input in proptest::collection::vec("[a-zA-Zéœ -]{3,20}", 0..10)
        ) {
            // Mostly valid input, so that the `Ok` branch is exercised and not only errors.
            if let Ok(tags) = validate_tags(&input) {
                prop_assert!(tags.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(tags.iter().all(|t| (TAG_MIN_LENGTH..=TAG_MAX_LENGTH).contains(&t.len())));
            }
        }

        #[test]
        fn lenient_tags_are_sorted_unique_and_in_bounds(input in proptest::collection::vec(any::<String>(), 0..10)) {
            let tags = normalize_tags_lenient(&input);
            prop_assert!(tags.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(tags.iter().all(|t| (TAG_MIN_LENGTH..=TAG_MAX_LENGTH).contains(&t.len())));
            prop_assert!(tags.iter().all(|t| !t.ends_with('-')));
        }

        #[test]
        fn normalize_is_idempotent(s in any::<String>()) {
            let once = normalize_tag(&s);
            prop_assert_eq!(normalize_tag(&once), once);
        }
    }
}

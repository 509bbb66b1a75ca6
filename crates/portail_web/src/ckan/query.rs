//! `package_search`'s parameters (`q`, `fq`, `fq_list`, `sort`, `rows`, `start`, facets)
//! translated into our dataset query, in one place: [`package_search_query`]. When the search
//! engine replaces the SQL search, only this translation and the call that runs it change.
//!
//! Supported Solr syntax (what CKAN harvesters send): `field:value`, `field:"quoted value"`,
//! `field:(a OR b)`, `field:[X TO Y]` on `metadata_modified` (`*` and `NOW` allowed), a leading
//! `+` (required) or `-`/`NOT ` (excluded), `AND`/`&&` (the default) and `OR`/`||` between
//! terms of the same field, and free words (matched in title, acronym and description).
//! Fields: `tags`, `organization` and `owner_org` (slug or id), `res_format`, `license_id`,
//! `name`, `id`, `metadata_modified`, `text`; `capacity:public`, `state:active` and
//! `dataset_type:dataset` / `type:dataset` are accepted and change nothing. Anything else is a
//! `Search Query Error` rather than a silently ignored filter.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use portail_db::datasets::{DatasetQuery, TermField, TermFilter, Viewer};
use serde_json::Value;

use super::{CkanError, CkanResult, Params};

/// `rows` when none is given (CKAN's default).
pub const DEFAULT_ROWS: i64 = 10;
/// `rows` above this are clamped to it (CKAN's `ckan.search.rows_max`).
pub const MAX_ROWS: i64 = 1000;
/// Facet values per field when `facet.limit` is not given (CKAN's `search.facets.limit`).
pub const DEFAULT_FACET_LIMIT: i64 = 50;
/// The `sort` CKAN reports when none is given.
pub const DEFAULT_SORT: &str = "score desc, metadata_modified desc";

/// Fields `facet.field` may name.
pub const FACET_FIELDS: &[&str] = &["tags", "organization", "res_format", "license_id", "groups"];

/// Parameters `package_search` accepts; others are a `Search Query Error`, as in CKAN.
const KNOWN_PARAMS: &[&str] = &[
    "q",
    "fq",
    "fq_list",
    "rows",
    "start",
    "sort",
    "facet",
    "facet.field",
    "facet.limit",
    "facet.mincount",
    "include_private",
    "include_drafts",
    "include_deleted",
    "use_default_schema",
    "fl",
    "qf",
    "wt",
    "bf",
    "boost",
    "tie",
    "defType",
    "mm",
    "callback",
    "_",
];

/// A translated `package_search`.
#[derive(Debug, Clone)]
pub struct PackageSearch {
    /// Filters, order and window (`offset` = `start`, `page_size` = `rows`).
    pub query: DatasetQuery,
    /// The `sort` echoed back in the result.
    pub sort: String,
    /// Requested facet fields (empty: none).
    pub facet_fields: Vec<String>,
    /// Values per facet field (`None`: all).
    pub facet_limit: Option<i64>,
    pub facet_mincount: i64,
}

/// A parameter as text: strings as they are, numbers and booleans written out.
pub fn text_param<'a>(params: &'a Params, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    match params.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(std::borrow::Cow::Borrowed(s.trim())),
        Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(std::borrow::Cow::Owned(b.to_string())),
        // A repeated query parameter: the last one wins.
        Value::Array(list) => list.iter().rev().find_map(|v| match v {
            Value::String(s) if !s.trim().is_empty() => {
                Some(std::borrow::Cow::Owned(s.trim().to_owned()))
            }
            _ => None,
        }),
        _ => None,
    }
}

/// A natural number parameter (CKAN's `natural_number_validator`).
pub fn natural_param(params: &Params, key: &str) -> CkanResult<Option<i64>> {
    match text_param(params, key) {
        None => Ok(None),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n >= 0 => Ok(Some(n)),
            Ok(_) => Err(CkanError::field(key, "Must be a natural number")),
            Err(_) => Err(CkanError::field(key, "Invalid integer")),
        },
    }
}

/// A boolean parameter (`true`/`false`, any case, `1`/`0`, `yes`/`no`).
pub fn bool_param(params: &Params, key: &str) -> CkanResult<Option<bool>> {
    match text_param(params, key).map(|v| v.to_ascii_lowercase()) {
        None => Ok(None),
        Some(v) => match v.as_str() {
            "true" | "1" | "yes" | "on" => Ok(Some(true)),
            "false" | "0" | "no" | "off" => Ok(Some(false)),
            _ => Err(CkanError::field(key, "Value must be one of: true, false")),
        },
    }
}

/// Translates `package_search`'s parameters for `viewer`.
pub fn package_search_query(params: &Params, viewer: Viewer) -> CkanResult<PackageSearch> {
    let unknown: Vec<&str> = params
        .keys()
        .map(String::as_str)
        .filter(|k| !KNOWN_PARAMS.contains(k) && !k.starts_with("ext_"))
        .collect();
    if !unknown.is_empty() {
        return Err(CkanError::SearchQuery(format!(
            "Invalid search parameters: {unknown:?}"
        )));
    }
    let rows = natural_param(params, "rows")?
        .unwrap_or(DEFAULT_ROWS)
        .min(MAX_ROWS);
    let start = natural_param(params, "start")?.unwrap_or(0);
    let mut query = DatasetQuery {
        viewer,
        page: 1,
        page_size: rows,
        offset: Some(start),
        ..DatasetQuery::default()
    };
    if bool_param(params, "include_private")? == Some(false) {
        query.private = Some(false);
    }

    let mut words: Vec<String> = Vec::new();
    if let Some(q) = text_param(params, "q") {
        apply(&parse(&q)?, &mut query, &mut words)?;
    }
    if let Some(fq) = text_param(params, "fq") {
        apply(&parse(&fq)?, &mut query, &mut words)?;
    }
    if let Some(list) = params.get("fq_list") {
        let items: Vec<String> = match list {
            Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Value::String(s) => vec![s.clone()],
            _ => return Err(CkanError::SearchQuery("fq_list must be a list".into())),
        };
        for fq in items {
            apply(&parse(&fq)?, &mut query, &mut words)?;
        }
    }
    if !words.is_empty() {
        query.q = Some(words.join(" "));
    }

    let sort = text_param(params, "sort").map(|s| s.into_owned());
    query.sort = Some(sort_key(sort.as_deref())?.to_owned());

    let facet_enabled = bool_param(params, "facet")?.unwrap_or(true);
    let facet_fields = if facet_enabled {
        facet_fields(params)?
    } else {
        Vec::new()
    };
    let facet_limit = match text_param(params, "facet.limit") {
        None => Some(DEFAULT_FACET_LIMIT),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n < 0 => None,
            Ok(n) => Some(n),
            Err(_) => return Err(CkanError::field("facet.limit", "Invalid integer")),
        },
    };
    let facet_mincount = natural_param(params, "facet.mincount")?.unwrap_or(1).max(1);
    Ok(PackageSearch {
        query,
        sort: sort.unwrap_or_else(|| DEFAULT_SORT.to_owned()),
        facet_fields,
        facet_limit,
        facet_mincount,
    })
}

/// `facet.field`: a JSON list (a string on GET), each a known field.
fn facet_fields(params: &Params) -> CkanResult<Vec<String>> {
    let list: Vec<String> = match params.get("facet.field") {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| CkanError::field("facet.field", "Not a list of strings"))?,
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| CkanError::field("facet.field", "Not a list of strings"))?,
            _ => {
                return Err(CkanError::field(
                    "facet.field",
                    "Could not parse as valid JSON",
                ));
            }
        },
        Some(_) => return Err(CkanError::field("facet.field", "Not a list")),
    };
    for field in &list {
        if !FACET_FIELDS.contains(&field.as_str()) {
            return Err(CkanError::SearchQuery(format!(
                "cannot facet on \"{field}\": use one of {}",
                FACET_FIELDS.join(", ")
            )));
        }
    }
    Ok(list)
}

/// CKAN's `sort` ("field dir[, field dir]") as one of our sort keys. `score` has no meaning
/// without relevance ranking: it gives way to the next clause, or to the default.
fn sort_key(sort: Option<&str>) -> CkanResult<&'static str> {
    let Some(sort) = sort
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "rank")
    else {
        return Ok("-last_modified");
    };
    for clause in sort.split(',') {
        let mut parts = clause.split_whitespace();
        let field = parts.next().unwrap_or("");
        let direction = parts.next().unwrap_or("asc").to_ascii_lowercase();
        let desc = match direction.as_str() {
            "asc" => false,
            "desc" => true,
            other => {
                return Err(CkanError::SearchQuery(format!(
                    "Unknown sort order \"{other}\" (asc or desc)"
                )));
            }
        };
        let key = match (field, desc) {
            ("score", _) => continue,
            ("metadata_modified", false) => "last_modified",
            ("metadata_modified", true) => "-last_modified",
            ("metadata_created", false) => "created",
            ("metadata_created", true) => "-created",
            ("name", false) => "slug",
            ("name", true) => "-slug",
            ("id", false) => "id",
            ("id", true) => "-id",
            ("title_string" | "title", false) => "title",
            ("title_string" | "title", true) => "-title",
            ("views_recent" | "views_total", false) => "views",
            ("views_recent" | "views_total", true) => "-views",
            (other, _) => {
                return Err(CkanError::SearchQuery(format!(
                    "can not sort on \"{other}\": use metadata_modified, metadata_created, name, id, title_string, views_recent or score"
                )));
            }
        };
        return Ok(key);
    }
    Ok("-last_modified")
}

/// One term of a query.
#[derive(Debug, Clone, PartialEq)]
enum TermValue {
    /// One or more alternatives (`a`, `"a b"`, `(a OR b)`).
    Any(Vec<String>),
    /// `[from TO to]`, `None` for `*`.
    Range(Option<String>, Option<String>),
}

#[derive(Debug, Clone, PartialEq)]
struct Term {
    negated: bool,
    /// `None`: free text.
    field: Option<String>,
    value: TermValue,
    /// Joined to the previous term by OR.
    or_previous: bool,
}

/// Splits a Solr query into terms.
fn parse(input: &str) -> CkanResult<Vec<Term>> {
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    let mut terms = Vec::new();
    let mut pending_or = false;
    let mut pending_not = false;
    let invalid = |m: &str| CkanError::SearchQuery(format!("{m} in \"{input}\""));
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let word_end = |from: usize| {
            let mut j = from;
            while j < chars.len() && !chars[j].is_whitespace() {
                j += 1;
            }
            j
        };
        let end = word_end(i);
        let word: String = chars[i..end].iter().collect();
        match word.as_str() {
            "AND" | "&&" => {
                i = end;
                continue;
            }
            "OR" | "||" => {
                if terms.is_empty() {
                    return Err(invalid("OR without a left-hand term"));
                }
                pending_or = true;
                i = end;
                continue;
            }
            "NOT" => {
                pending_not = true;
                i = end;
                continue;
            }
            _ => {}
        }
        let mut negated = std::mem::take(&mut pending_not);
        match chars[i] {
            '-' | '!' => {
                negated = !negated;
                i += 1;
            }
            '+' => i += 1,
            _ => {}
        }
        if i >= chars.len() {
            return Err(invalid("a dangling operator"));
        }
        // A field name, if the term has one.
        let mut j = i;
        while j < chars.len() && (chars[j].is_alphanumeric() || "_.-*".contains(chars[j])) {
            j += 1;
        }
        let field = if j < chars.len() && chars[j] == ':' && j > i {
            let name: String = chars[i..j].iter().collect();
            i = j + 1;
            Some(name)
        } else {
            None
        };
        let (value, next) =
            parse_value(&chars, i).ok_or_else(|| invalid("an unterminated term"))?;
        i = next;
        terms.push(Term {
            negated,
            field,
            value,
            or_previous: std::mem::take(&mut pending_or),
        });
    }
    if pending_or || pending_not {
        return Err(invalid("a dangling operator"));
    }
    Ok(terms)
}

/// Reads a value at `i`: quoted, parenthesised alternatives, a range, or a bare word.
fn parse_value(chars: &[char], mut i: usize) -> Option<(TermValue, usize)> {
    match chars.get(i)? {
        '"' => {
            let close = chars[i + 1..].iter().position(|c| *c == '"')? + i + 1;
            Some((
                TermValue::Any(vec![chars[i + 1..close].iter().collect()]),
                close + 1,
            ))
        }
        '(' => {
            let close = chars[i + 1..].iter().position(|c| *c == ')')? + i + 1;
            let inner: String = chars[i + 1..close].iter().collect();
            let mut values = Vec::new();
            let inner_chars: Vec<char> = inner.chars().collect();
            let mut k = 0;
            while k < inner_chars.len() {
                if inner_chars[k].is_whitespace() {
                    k += 1;
                    continue;
                }
                let (value, next) = parse_value(&inner_chars, k)?;
                k = next;
                match value {
                    TermValue::Any(v) if v.len() == 1 && (v[0] == "OR" || v[0] == "||") => {}
                    TermValue::Any(v) => values.extend(v),
                    TermValue::Range(..) => return None,
                }
            }
            Some((TermValue::Any(values), close + 1))
        }
        '[' | '{' => {
            let close = chars[i + 1..].iter().position(|c| *c == ']' || *c == '}')? + i + 1;
            let inner: String = chars[i + 1..close].iter().collect();
            let (from, to) = inner.split_once(" TO ")?;
            let bound = |s: &str| {
                let s = s.trim();
                (s != "*").then(|| s.to_owned())
            };
            Some((TermValue::Range(bound(from), bound(to)), close + 1))
        }
        _ => {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            Some((TermValue::Any(vec![chars[start..i].iter().collect()]), i))
        }
    }
}

/// Applies parsed terms to the query; free words are collected into `words`.
fn apply(terms: &[Term], query: &mut DatasetQuery, words: &mut Vec<String>) -> CkanResult<()> {
    let mut previous_field: Option<(Option<String>, bool)> = None;
    for term in terms {
        let key = (term.field.clone(), term.negated);
        if term.or_previous {
            // An OR between alternatives of one field folds into the previous filter.
            if previous_field.as_ref() != Some(&key) || term.field.is_none() {
                return Err(CkanError::SearchQuery(
                    "OR is supported only between values of the same field".into(),
                ));
            }
            let TermValue::Any(values) = &term.value else {
                return Err(CkanError::SearchQuery(
                    "OR between ranges is not supported".into(),
                ));
            };
            let extra = normalize(term.field.as_deref().unwrap_or(""), values);
            match query.terms.last_mut() {
                Some(last) => last.any_of.extend(extra),
                None => {
                    return Err(CkanError::SearchQuery(
                        "OR is supported only between values of the same field".into(),
                    ));
                }
            }
            continue;
        }
        previous_field = Some(key);
        apply_term(term, query, words)?;
    }
    Ok(())
}

fn term_field(name: &str) -> Option<TermField> {
    Some(match name {
        "tags" | "tag" => TermField::Tag,
        "organization" | "owner_org" => TermField::Organization,
        "res_format" => TermField::Format,
        "license_id" | "license" => TermField::License,
        "name" => TermField::Slug,
        "id" => TermField::Id,
        _ => return None,
    })
}

fn normalize(field: &str, values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|v| match field {
            "tags" | "tag" => portail_core::tags::normalize_tag(v),
            "res_format" => v.to_lowercase(),
            "license_id" | "license" => portail_core::licenses::find_license(v)
                .map_or_else(|| v.clone(), |l| l.id.to_owned()),
            _ => v.clone(),
        })
        .collect()
}

fn apply_term(term: &Term, query: &mut DatasetQuery, words: &mut Vec<String>) -> CkanResult<()> {
    let field = term.field.as_deref();
    match (field, &term.value) {
        (Some("*"), TermValue::Any(v)) if v == &["*".to_owned()] => Ok(()),
        (None | Some("text"), TermValue::Any(values)) => {
            if term.negated {
                return Err(CkanError::SearchQuery(
                    "excluding words is not supported".into(),
                ));
            }
            words.extend(values.iter().filter(|w| *w != "*" && *w != "*:*").cloned());
            Ok(())
        }
        (Some("capacity"), TermValue::Any(v)) => no_op_or_nothing(query, term.negated, v, "public"),
        (Some("state"), TermValue::Any(v)) => no_op_or_nothing(query, term.negated, v, "active"),
        (Some("dataset_type" | "type"), TermValue::Any(v)) => {
            no_op_or_nothing(query, term.negated, v, "dataset")
        }
        (Some("metadata_modified"), TermValue::Range(from, to)) => {
            if term.negated {
                return Err(CkanError::SearchQuery(
                    "excluding a date range is not supported".into(),
                ));
            }
            if let Some(from) = from {
                query.modified_since = Some(parse_date(from)?);
            }
            if let Some(to) = to {
                query.modified_until = Some(parse_date(to)?);
            }
            Ok(())
        }
        (Some(name), TermValue::Any(values)) => match term_field(name) {
            Some(field) => {
                query.terms.push(TermFilter {
                    field,
                    any_of: normalize(name, values),
                    negated: term.negated,
                });
                Ok(())
            }
            None => Err(CkanError::SearchQuery(format!(
                "unsupported field \"{name}\": use tags, organization, owner_org, res_format, license_id, name, id, metadata_modified or text"
            ))),
        },
        (name, TermValue::Range(..)) => Err(CkanError::SearchQuery(format!(
            "ranges are supported on metadata_modified only, not on \"{}\"",
            name.unwrap_or("text")
        ))),
    }
}

/// Terms on fields every visible dataset has one value of: matching that value changes
/// nothing, anything else matches nothing.
fn no_op_or_nothing(
    query: &mut DatasetQuery,
    negated: bool,
    values: &[String],
    always: &str,
) -> CkanResult<()> {
    let matches_all = values.iter().any(|v| v == always || v == "*");
    if matches_all == negated {
        query.terms.push(TermFilter {
            field: TermField::Id,
            any_of: Vec::new(),
            negated: false,
        });
    }
    Ok(())
}

/// A Solr date: ISO 8601 with or without `Z` and fractions, a plain date, or `NOW`.
fn parse_date(raw: &str) -> CkanResult<DateTime<Utc>> {
    let raw = raw.trim();
    if raw == "NOW" {
        return Ok(Utc::now());
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(raw) {
        return Ok(d.with_timezone(&Utc));
    }
    let naive = raw.trim_end_matches('Z');
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, format) {
            return Ok(d.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(naive, "%Y-%m-%d")
        && let Some(d) = d.and_hms_opt(0, 0, 0)
    {
        return Ok(d.and_utc());
    }
    Err(CkanError::SearchQuery(format!(
        "invalid date \"{raw}\" (expected ISO 8601, e.g. 2024-01-31T00:00:00Z)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn search(params: Value) -> CkanResult<PackageSearch> {
        let Value::Object(map) = params else {
            panic!("object")
        };
        package_search_query(&map, Viewer::Anonymous)
    }

    #[test]
    fn harvester_queries_translate() {
        let s = search(json!({
            "fq": "organization:a OR organization:b -tags:\"Air Quality\" +res_format:CSV metadata_modified:[2024-01-02T03:04:05.123Z TO *]",
            "rows": "100", "start": "200", "sort": "id asc"
        }))
        .expect("valid");
        let q = &s.query;
        assert_eq!(q.page_size, 100);
        assert_eq!(q.offset, Some(200));
        assert_eq!(q.sort.as_deref(), Some("id"));
        assert_eq!(
            q.terms,
            vec![
                TermFilter {
                    field: TermField::Organization,
                    any_of: vec!["a".into(), "b".into()],
                    negated: false
                },
                TermFilter {
                    field: TermField::Tag,
                    any_of: vec!["air-quality".into()],
                    negated: true
                },
                TermFilter {
                    field: TermField::Format,
                    any_of: vec!["csv".into()],
                    negated: false
                },
            ]
        );
        assert_eq!(
            q.modified_since.map(|d| d.to_rfc3339()),
            Some("2024-01-02T03:04:05.123+00:00".into())
        );
        assert_eq!(q.modified_until, None);
    }

    #[test]
    fn q_mixes_words_and_fields() {
        let s = search(json!({"q": "organization:x AND -tags:y qualité air"})).expect("valid");
        assert_eq!(s.query.q.as_deref(), Some("qualité air"));
        assert_eq!(s.query.terms.len(), 2);
        let s = search(json!({"q": "*:*"})).expect("valid");
        assert_eq!(s.query.q, None);
        assert!(s.query.terms.is_empty());
        let s = search(json!({"fq": "tags:(a OR b)"})).expect("valid");
        assert_eq!(
            s.query.terms[0].any_of,
            vec!["a".to_owned(), "b".to_owned()]
        );
    }

    #[test]
    fn rows_are_clamped_and_defaulted() {
        assert_eq!(search(json!({})).expect("valid").query.page_size, 10);
        assert_eq!(
            search(json!({"rows": 5000}))
                .expect("valid")
                .query
                .page_size,
            1000
        );
        assert!(matches!(
            search(json!({"rows": "x"})),
            Err(CkanError::Validation(_))
        ));
        assert!(matches!(
            search(json!({"start": "-1"})),
            Err(CkanError::Validation(_))
        ));
    }

    #[test]
    fn invalid_queries_are_search_query_errors() {
        for params in [
            json!({"fq": "groups:x"}),
            json!({"fq": "organization:a OR tags:b"}),
            json!({"fq": "metadata_modified:[yesterday TO *]"}),
            json!({"fq": "tags:(a"}),
            json!({"sort": "popularity desc"}),
            json!({"sort": "name sideways"}),
            json!({"bogus": "1"}),
            json!({"facet.field": "[\"nope\"]"}),
        ] {
            assert!(
                matches!(
                    search(params.clone()),
                    Err(CkanError::SearchQuery(_) | CkanError::Validation(_))
                ),
                "{params}"
            );
        }
    }

    #[test]
    fn sorts_translate() {
        let sort = |s: &str| {
            search(json!({"sort": s}))
                .expect("valid")
                .query
                .sort
                .unwrap_or_default()
        };
        assert_eq!(sort("metadata_modified desc"), "-last_modified");
        assert_eq!(sort("metadata_modified asc"), "last_modified");
        assert_eq!(sort("name asc"), "slug");
        assert_eq!(sort("title_string asc"), "title");
        assert_eq!(sort("score desc, metadata_modified asc"), "last_modified");
        assert_eq!(sort("score desc"), "-last_modified");
        assert_eq!(search(json!({})).expect("valid").sort, DEFAULT_SORT);
    }

    #[test]
    fn facet_fields_come_as_a_json_string_or_a_list() {
        let s = search(json!({"facet.field": "[\"tags\",\"organization\"]", "facet.limit": "-1"}))
            .expect("valid");
        assert_eq!(s.facet_fields, vec!["tags", "organization"]);
        assert_eq!(s.facet_limit, None);
        let s = search(json!({"facet.field": ["res_format"], "facet": "false"})).expect("valid");
        assert!(s.facet_fields.is_empty());
    }

    #[test]
    fn constant_fields_filter_nothing_or_everything() {
        let s = search(json!({"fq": "+capacity:public +state:active dataset_type:dataset"}))
            .expect("valid");
        assert!(s.query.terms.is_empty());
        let s = search(json!({"fq": "dataset_type:harvest"})).expect("valid");
        assert_eq!(s.query.terms.len(), 1);
        assert!(s.query.terms[0].any_of.is_empty());
    }
}

//! A CKAN package dict to a harvest record.

use chrono::{DateTime, Utc};
use portail_core::frequency::{frequency_from_uri, parse_frequency};
use portail_core::harvest::{RecordError, RemoteDataset, RemoteRecord, RemoteResource};
use portail_core::licenses::guess_license;
use portail_core::model::{Extras, TemporalCoverage};
use portail_core::tags::normalize_tags_lenient;
use serde_json::{Map, Value};

use crate::dates::{not_future, parse_date_bound, parse_datetime};
use crate::html::html_to_markdown;
use crate::json::kind_of;

/// Resource types harvested. `null` or absent counts as `file`; `dkan` and `metadata` are
/// DKAN's.
const HARVESTED_RESOURCE_TYPES: &[&str] = &[
    "file",
    "file.upload",
    "api",
    "documentation",
    "image",
    "visualization",
    "dkan",
    "metadata",
];

/// Extras with a place in our model (or a `ckan:` extra of their own); the others are copied.
const MAPPED_EXTRAS: &[&str] = &[
    "spatial",
    "spatial-text",
    "spatial-uri",
    "frequency",
    "temporal_start",
    "temporal_end",
];

/// Maps one package of `package_search` or `package_show`.
///
/// `root` is the CKAN site (no trailing `/`), for `remote_url`; `now` bounds modification
/// dates. Never panics: whatever does not fit becomes a `Failed` record.
pub fn map_package(package: &Value, root: &str, now: DateTime<Utc>) -> RemoteRecord {
    let Some(package) = package.as_object() else {
        return failed(
            None,
            format!("the package is not a JSON object but {}", kind_of(package)),
        );
    };
    let name = string(package, "name");
    let id = match package.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return failed(name.clone(), "the package has no id".to_owned()),
    };
    match map_dataset(package, &id, name.as_deref(), root, now) {
        Ok(record) => record,
        Err(message) => failed(Some(id), message),
    }
}

fn map_dataset(
    package: &Map<String, Value>,
    id: &str,
    name: Option<&str>,
    root: &str,
    now: DateTime<Utc>,
) -> Result<RemoteRecord, String> {
    if string(package, "type").as_deref() == Some("harvest") {
        return Ok(skipped(id, "a CKAN harvest source, not a dataset"));
    }
    if let Some(state) = string(package, "state").filter(|s| s != "active") {
        return Ok(skipped(
            id,
            &format!("its state on the remote is \"{state}\""),
        ));
    }
    let resources = match package.get("resources") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(list)) => list,
        Some(other) => return Err(format!("resources is {} instead of a list", kind_of(other))),
    };
    if resources.is_empty() {
        return Ok(skipped(id, "the package has no resources"));
    }
    let title = string(package, "title")
        .or_else(|| name.map(str::to_owned))
        .ok_or("the package has no title")?;

    let mut extras = Extras::new();
    if let Some(name) = name {
        extras.insert("ckan_name".into(), Value::String(name.to_owned()));
    }
    let license_candidates: Vec<String> = ["license_id", "license_title", "license_url"]
        .iter()
        .filter_map(|key| string(package, key))
        .collect();
    let candidates: Vec<&str> = license_candidates.iter().map(String::as_str).collect();
    let license = guess_license(&candidates).map(|l| l.id.to_owned());
    if license.is_none()
        && let Some(raw) =
            string(package, "license_title").or_else(|| string(package, "license_id"))
    {
        extras.insert("ckan:license".into(), Value::String(raw));
    }

    let remote_extras = read_extras(package.get("extras"))?;
    let extra = |key: &str| {
        remote_extras
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    // ckanext-scheming sites put the frequency at the top level rather than in extras.
    let frequency_text = extra("frequency")
        .map(str::to_owned)
        .or_else(|| string(package, "frequency"));
    let frequency = frequency_text.as_deref().and_then(|text| {
        let found = frequency_from_uri(text).or_else(|| parse_frequency(text));
        if found.is_none() {
            extras.insert("ckan:frequency".into(), Value::String(text.to_owned()));
        }
        found.map(|f| f.id.to_owned())
    });
    if let Some(spatial) = extra("spatial") {
        // GeoJSON geometry, kept as JSON when it parses (our model has no geometry yet).
        let value = serde_json::from_str::<Value>(spatial)
            .unwrap_or_else(|_| Value::String(spatial.to_owned()));
        extras.insert("ckan:spatial".into(), value);
    }
    for key in ["spatial-text", "spatial-uri"] {
        if let Some(value) = extra(key) {
            extras.insert(format!("ckan:{key}"), Value::String(value.to_owned()));
        }
    }
    let temporal_coverage = temporal(extra("temporal_start"), extra("temporal_end"));
    if temporal_coverage.is_none() {
        for key in ["temporal_start", "temporal_end"] {
            if let Some(value) = extra(key) {
                extras.insert(format!("ckan:{key}"), Value::String(value.to_owned()));
            }
        }
    }
    for (key, value) in &remote_extras {
        if !MAPPED_EXTRAS.contains(&key.as_str()) && !extras.contains_key(key) {
            extras.insert(key.clone(), value.clone());
        }
    }

    let tags = normalize_tags_lenient(&read_tags(package.get("tags")));
    let mut harvested = Vec::new();
    for (index, resource) in resources.iter().enumerate() {
        if let Some(resource) = map_resource(resource, index, now)? {
            harvested.push(resource);
        }
    }
    let date = |key: &str| string(package, key).as_deref().and_then(parse_datetime);
    let dataset = RemoteDataset {
        remote_id: id.to_owned(),
        remote_url: Some(format!("{root}/dataset/{}", name.unwrap_or(id))),
        title,
        description: string(package, "notes")
            .map(|notes| html_to_markdown(&notes))
            .unwrap_or_default(),
        license,
        frequency,
        tags,
        temporal_coverage,
        created_at: not_future(date("metadata_created"), now),
        modified_at: not_future(date("metadata_modified"), now),
        extras,
        resources: harvested,
        ..RemoteDataset::default()
    };
    Ok(RemoteRecord::Dataset(Box::new(dataset)))
}

fn map_resource(
    resource: &Value,
    index: usize,
    now: DateTime<Utc>,
) -> Result<Option<RemoteResource>, String> {
    let Some(resource) = resource.as_object() else {
        return Err(format!(
            "resource #{} is {} instead of an object",
            index + 1,
            kind_of(resource)
        ));
    };
    let resource_type = string(resource, "resource_type").unwrap_or_else(|| "file".to_owned());
    if !HARVESTED_RESOURCE_TYPES.contains(&resource_type.as_str()) {
        return Ok(None);
    }
    // A resource without a URL (an upload that never finished) has nothing to point to.
    let Some(url) = string(resource, "url") else {
        return Ok(None);
    };
    let kind = match resource_type.as_str() {
        "api" => "api",
        "documentation" => "documentation",
        _ => "main",
    };
    let title = string(resource, "name")
        .or_else(|| last_segment(&url))
        .unwrap_or_else(|| format!("Resource {}", index + 1));
    let date = |key: &str| string(resource, key).as_deref().and_then(parse_datetime);
    Ok(Some(RemoteResource {
        remote_id: string(resource, "id"),
        title,
        description: string(resource, "description")
            .map(|d| html_to_markdown(&d))
            .filter(|d| !d.is_empty()),
        kind: kind.to_owned(),
        format: string(resource, "format").map(|f| f.to_lowercase()),
        mime: string(resource, "mimetype").map(|m| m.to_lowercase()),
        filesize: match resource.get("size") {
            Some(Value::Number(n)) => n.as_i64().filter(|s| *s >= 0),
            Some(Value::String(s)) => s.trim().parse().ok().filter(|s: &i64| *s >= 0),
            _ => None,
        },
        issued_at: not_future(date("created"), now),
        modified_at: not_future(date("last_modified"), now),
        url,
        ..RemoteResource::default()
    }))
}

/// CKAN extras are `[{"key", "value"}]`; DKAN and some plugins send an object instead.
fn read_extras(extras: Option<&Value>) -> Result<Vec<(String, Value)>, String> {
    match extras {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(map)) => Ok(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Some(Value::Array(list)) => Ok(list
            .iter()
            .filter_map(|item| {
                let key = item.get("key")?.as_str()?.trim();
                let value = item.get("value").cloned().unwrap_or(Value::Null);
                (!key.is_empty()).then(|| (key.to_owned(), value))
            })
            .collect()),
        Some(other) => Err(format!("extras is {} instead of a list", kind_of(other))),
    }
}

/// Tag names: `[{"name": ...}]`, or plain strings on some DKAN sites.
fn read_tags(tags: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(list)) = tags else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|tag| match tag {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o
                .get("name")
                .or_else(|| o.get("display_name"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        })
        .collect()
}

fn temporal(start: Option<&str>, end: Option<&str>) -> Option<TemporalCoverage> {
    let start = parse_date_bound(start?, false)?;
    let end = end.and_then(|e| parse_date_bound(e, true));
    Some(match end {
        Some(end) if end < start => TemporalCoverage {
            start: end,
            end: Some(start),
        },
        end => TemporalCoverage { start, end },
    })
}

/// A non-blank string field, trimmed.
pub(crate) fn string(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

fn last_segment(url: &str) -> Option<String> {
    url.split(['?', '#'])
        .next()?
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty() && !s.contains(':'))
        .map(str::to_owned)
}

fn failed(remote_id: Option<String>, message: String) -> RemoteRecord {
    RemoteRecord::Failed(RecordError { remote_id, message })
}

fn skipped(id: &str, reason: &str) -> RemoteRecord {
    RemoteRecord::Skipped {
        remote_id: Some(id.to_owned()),
        reason: reason.to_owned(),
    }
}

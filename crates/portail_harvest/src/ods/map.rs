//! An OpenDataSoft Explore v2.1 dataset to a harvest record.

use chrono::{DateTime, Utc};
use portail_core::frequency::{frequency_from_uri, parse_frequency};
use portail_core::harvest::{RecordError, RemoteDataset, RemoteRecord, RemoteResource};
use portail_core::licenses::{find_license, guess_license};
use portail_core::model::Extras;
use portail_core::tags::normalize_tags_lenient;
use serde_json::{Map, Value};

use crate::dates::{not_future, parse_datetime};
use crate::html::html_to_markdown;
use crate::json::kind_of;

/// Above this many records, no shapefile export: ODS builds it on the fly and gives up on
/// large datasets (udata-ods's limit).
pub const SHP_MAX_RECORDS: u64 = 50_000;

/// ODS license labels whose guess would fail or be ambiguous, mapped to our ids (the
/// mapping udata-ods used).
const LICENSE_LABELS: &[(&str, &str)] = &[
    ("Open Database License (ODbL)", "odc-odbl"),
    ("ODbL", "odc-odbl"),
    ("Licence Ouverte (Etalab)", "fr-lo"),
    ("Licence ouverte / Open Licence", "fr-lo"),
    ("CC BY-SA", "cc-by-sa"),
    ("Public Domain", "other-pd"),
];

/// The identifier and landing page of an ODS dataset: `{root}/explore/dataset/{id}/`, the
/// `dct:identifier` of ODS's own DCAT export, so that a dataset harvested natively and one
/// harvested through DCAT (as udata does since its ODS migration) are the same.
pub fn dataset_page(root: &str, dataset_id: &str) -> String {
    format!("{root}/explore/dataset/{}/", path_segment(dataset_id))
}

/// The export URL of a dataset in one format.
pub fn export_url(root: &str, dataset_id: &str, format: &str) -> String {
    format!(
        "{root}/api/explore/v2.1/catalog/datasets/{}/exports/{format}",
        path_segment(dataset_id)
    )
}

/// Maps one dataset of `/catalog/datasets` (or `/catalog/datasets/{id}`). Never panics.
pub fn map_dataset(dataset: &Value, root: &str, now: DateTime<Utc>) -> RemoteRecord {
    let Some(dataset) = dataset.as_object() else {
        return failed(
            None,
            format!("the dataset is {} instead of an object", kind_of(dataset)),
        );
    };
    let Some(id) = text(dataset, "dataset_id") else {
        return failed(None, "the dataset has no dataset_id".to_owned());
    };
    let remote_id = dataset_page(root, &id);
    match map_object(dataset, &id, &remote_id, root, now) {
        Ok(record) => record,
        Err(message) => failed(Some(remote_id), message),
    }
}

fn map_object(
    dataset: &Map<String, Value>,
    id: &str,
    remote_id: &str,
    root: &str,
    now: DateTime<Utc>,
) -> Result<RemoteRecord, String> {
    let metas = match dataset.get("metas") {
        Some(Value::Object(metas)) => metas,
        Some(other) => return Err(format!("metas is {} instead of an object", kind_of(other))),
        None => return Err("the dataset has no metas".to_owned()),
    };
    let default = match metas.get("default") {
        Some(Value::Object(default)) => default,
        _ => return Err("the dataset has no metas.default".to_owned()),
    };
    let title = text(default, "title").ok_or("metas.default.title is missing")?;
    let has_records = dataset
        .get("has_records")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let attachments = match dataset.get("attachments") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(format!(
                "attachments is {} instead of a list",
                kind_of(other)
            ));
        }
    };
    if !has_records && attachments.is_empty() {
        return Ok(RemoteRecord::Skipped {
            remote_id: Some(remote_id.to_owned()),
            reason: "the dataset has no records and no attachments".to_owned(),
        });
    }
    let features: Vec<&str> = dataset
        .get("features")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let records_count = default.get("records_count").and_then(Value::as_u64);
    let geo = features.contains(&"geo");

    let mut resources = Vec::new();
    if has_records {
        let fields = describe_fields(dataset.get("fields"));
        let mut formats = vec![
            ("csv", "CSV", "text/csv"),
            ("json", "JSON", "application/json"),
        ];
        if geo {
            formats.push(("geojson", "GeoJSON", "application/geo+json"));
            if records_count.is_none_or(|count| count <= SHP_MAX_RECORDS) {
                formats.push(("shp", "Shapefile", "application/zip"));
            }
        }
        for (format, label, mime) in formats {
            resources.push(RemoteResource {
                url: export_url(root, id, format),
                title: format!("Export au format {label}"),
                description: (format == "csv" && !fields.is_empty()).then(|| fields.clone()),
                kind: "main".to_owned(),
                format: Some(format.to_owned()),
                mime: Some(mime.to_owned()),
                ..RemoteResource::default()
            });
        }
    }
    for attachment in attachments {
        if let Some(resource) = map_attachment(attachment, root, id) {
            resources.push(resource);
        }
    }

    let mut raw_tags = Vec::new();
    for key in ["keyword", "theme"] {
        for value in strings(default.get(key)) {
            raw_tags.extend(
                value
                    .split(',')
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty()),
            );
        }
    }
    let mut extras = Extras::new();
    extras.insert("ods:dataset_id".into(), Value::String(id.to_owned()));
    if let Some(uid) = text(dataset, "dataset_uid") {
        extras.insert("ods:dataset_uid".into(), Value::String(uid));
    }
    for key in ["publisher", "references", "territory", "language"] {
        match default.get(key) {
            Some(Value::Null) | None => {}
            Some(Value::String(s)) if s.trim().is_empty() => {}
            Some(value) => {
                extras.insert(format!("ods:{key}"), value.clone());
            }
        }
    }
    if let Some(count) = records_count {
        extras.insert("ods:records_count".into(), Value::from(count));
    }
    let license = license(default);
    if license.is_none()
        && let Some(raw) = text(default, "license")
    {
        extras.insert("ods:license".into(), Value::String(raw));
    }
    // The `dcat` metadata template, when the portal fills it.
    let dcat = metas.get("dcat").and_then(Value::as_object);
    let frequency = dcat
        .and_then(|d| text(d, "accrualperiodicity"))
        .and_then(|f| frequency_from_uri(&f).or_else(|| parse_frequency(&f)))
        .map(|f| f.id.to_owned());
    let dcat_date = |key: &str| {
        dcat.and_then(|d| text(d, key))
            .as_deref()
            .and_then(parse_datetime)
    };

    let dataset = RemoteDataset {
        remote_id: remote_id.to_owned(),
        remote_url: Some(remote_id.to_owned()),
        title,
        description: text(default, "description")
            .map(|d| html_to_markdown(&d))
            .unwrap_or_default(),
        license,
        frequency,
        tags: normalize_tags_lenient(&raw_tags),
        created_at: not_future(dcat_date("created"), now),
        issued_at: not_future(dcat_date("issued"), now),
        modified_at: not_future(
            text(default, "modified")
                .as_deref()
                .and_then(parse_datetime),
            now,
        ),
        extras,
        resources,
        ..RemoteDataset::default()
    };
    Ok(RemoteRecord::Dataset(Box::new(dataset)))
}

fn license(default: &Map<String, Value>) -> Option<String> {
    let label = text(default, "license");
    if let Some(label) = &label {
        let mapped = LICENSE_LABELS
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(label))
            .and_then(|(_, id)| find_license(id));
        if let Some(found) = mapped {
            return Some(found.id.to_owned());
        }
    }
    let url = text(default, "license_url");
    let candidates: Vec<&str> = [label.as_deref(), url.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    guess_license(&candidates).map(|l| l.id.to_owned())
}

/// An attachment (`{id, title, mimetype, url: "odsfile://..."}`) as a resource. The download
/// URL uses `/api/v2/`, which ODS confirmed to udata as the stable path for attachments.
fn map_attachment(attachment: &Value, root: &str, dataset_id: &str) -> Option<RemoteResource> {
    let attachment = attachment.as_object()?;
    let id = text(attachment, "id")?;
    let title = text(attachment, "title").unwrap_or_else(|| id.clone());
    let format = title
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_lowercase())
        .filter(|ext| {
            !ext.is_empty() && ext.len() <= 8 && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    Some(RemoteResource {
        url: format!(
            "{root}/api/v2/catalog/datasets/{}/attachments/{}",
            path_segment(dataset_id),
            path_segment(&id)
        ),
        title,
        kind: "other".to_owned(),
        format,
        mime: text(attachment, "mimetype").map(|m| m.to_lowercase()),
        ..RemoteResource::default()
    })
}

/// The schema of the records, as a Markdown list: `- *Label*: name [type] description`.
fn describe_fields(fields: Option<&Value>) -> String {
    let Some(Value::Array(fields)) = fields else {
        return String::new();
    };
    let lines: Vec<String> = fields
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|field| {
            let name = text(field, "name")?;
            let label = text(field, "label").unwrap_or_else(|| name.clone());
            let kind = text(field, "type")
                .map(|t| format!(" [{t}]"))
                .unwrap_or_default();
            let description = text(field, "description")
                .map(|d| format!(" {}", html_to_markdown(&d)))
                .unwrap_or_default();
            Some(format!(
                "- *{}*: {name}{kind}{description}",
                html_to_markdown(&label)
            ))
        })
        .collect();
    lines.join("\n")
}

/// A list of strings, or one string (ODS writes either).
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// Percent-encodes a path segment (dataset ids are slugs, but they come from the remote).
fn path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn failed(remote_id: Option<String>, message: String) -> RemoteRecord {
    RemoteRecord::Failed(RecordError { remote_id, message })
}

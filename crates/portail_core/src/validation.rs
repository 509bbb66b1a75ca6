//! Validation of incoming objects (API bodies, forms, harvested records) into typed patches.
//!
//! Bodies are read field by field from a JSON object rather than deserialized into a struct, so
//! that every bad field gets its own message in udata's `{"errors": {field: [msg]}}` shape, and so
//! that "absent" (keep the current value) and `null` (clear it) stay distinct. Unknown keys and
//! read-only keys echoed back by clients (`id`, `slug`, `metrics`, ...) are ignored, as udata does.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use crate::frequency::parse_frequency;
use crate::licenses::find_license;
use crate::model::{Checksum, Extras, Filetype, Spatial, TemporalCoverage};
use crate::reference::{CHECKSUM_TYPES, GRANULARITIES, RESOURCE_TYPES, find_choice};
use crate::tags::{parse_tags_value, validate_tags};

/// Maximum length of a dataset or resource title (`TITLE_SIZE_LIMIT`).
pub const TITLE_MAX: usize = 350;
/// Maximum length of an acronym.
pub const ACRONYM_MAX: usize = 128;
/// Maximum length of a description (`DESCRIPTION_SIZE_LIMIT`).
pub const DESCRIPTION_MAX: usize = 100_000;
/// Maximum length of a short description (`DESCRIPTION_SHORT_SIZE_LIMIT`).
pub const DESCRIPTION_SHORT_MAX: usize = 200;
/// Maximum length of a URL we accept.
pub const URL_MAX: usize = 2_048;
/// Maximum length of short free-text fields (names, formats, mime types).
pub const NAME_MAX: usize = 255;

/// Field errors, keyed by field name (dotted for nested fields), in udata's shape.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(pub BTreeMap<String, Vec<String>>);

impl Errors {
    /// Records a message for a field.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_default().push(message.into());
    }

    /// Errors for a single field.
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Errors {
        let mut errors = Errors::default();
        errors.add(field, message);
        errors
    }

    /// True when no field failed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no field failed.
    pub fn into_result<T>(self, value: T) -> Result<T, Errors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for Errors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(field, msgs)| format!("{field}: {}", msgs.join(" ")))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// One field of a partial update: absent keeps the current value, `null` clears it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Patch<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    /// True when the field was absent from the body.
    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }

    /// Applies the patch to an optional current value.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Keep => current,
            Patch::Clear => None,
            Patch::Set(v) => Some(v),
        }
    }

    /// Applies the patch to a value that falls back to `default` when cleared.
    pub fn apply_or(self, current: T, default: T) -> T {
        match self {
            Patch::Keep => current,
            Patch::Clear => default,
            Patch::Set(v) => v,
        }
    }

    /// The new value, if one was given.
    pub fn value(&self) -> Option<&T> {
        match self {
            Patch::Set(v) => Some(v),
            _ => None,
        }
    }

    fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(f(v)),
        }
    }
}

/// Whether a body creates an object (required fields must be present) or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Update,
}

const REQUIRED: &str = "This field is required.";

/// Reads fields of one JSON object, collecting errors.
struct Reader<'a> {
    obj: &'a Map<String, Value>,
    mode: Mode,
    prefix: String,
    errors: Errors,
}

impl<'a> Reader<'a> {
    fn new(obj: &'a Map<String, Value>, mode: Mode, prefix: &str) -> Reader<'a> {
        Reader {
            obj,
            mode,
            prefix: prefix.to_owned(),
            errors: Errors::default(),
        }
    }

    fn err(&mut self, field: &str, message: impl Into<String>) {
        let key = if self.prefix.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.prefix)
        };
        self.errors.add(key, message);
    }

    fn raw(&self, field: &str) -> Patch<&'a Value> {
        match self.obj.get(field) {
            None => Patch::Keep,
            Some(Value::Null) => Patch::Clear,
            Some(v) => Patch::Set(v),
        }
    }

    /// A text field, trimmed; an empty string counts as `null`.
    fn string(&mut self, field: &str, max: usize, required: bool) -> Patch<String> {
        let patch = match self.raw(field) {
            Patch::Set(Value::String(s)) if s.contains('\0') => {
                // PostgreSQL refuses NUL in text; refuse it everywhere so both engines agree.
                self.err(field, "Text cannot contain the NUL character.");
                return Patch::Keep;
            }
            Patch::Set(Value::String(s)) => {
                let s = s.trim();
                if s.is_empty() {
                    Patch::Clear
                } else {
                    Patch::Set(s.to_owned())
                }
            }
            Patch::Set(_) => {
                self.err(field, "Not a valid string.");
                return Patch::Keep;
            }
            Patch::Clear => Patch::Clear,
            Patch::Keep => Patch::Keep,
        };
        match &patch {
            Patch::Set(s) if s.chars().count() > max => {
                self.err(
                    field,
                    format!("Field cannot be longer than {max} characters."),
                );
                return Patch::Keep;
            }
            Patch::Clear if required => self.err(field, REQUIRED),
            Patch::Keep if required && self.mode == Mode::Create => self.err(field, REQUIRED),
            _ => {}
        }
        patch
    }

    fn url(&mut self, field: &str, required: bool) -> Patch<String> {
        let patch = self.string(field, URL_MAX, required);
        if let Patch::Set(u) = &patch
            && !is_valid_url(u)
        {
            self.err(
                field,
                "Invalid URL: expected an absolute http(s) or ftp URL, without spaces or control characters.",
            );
            return Patch::Keep;
        }
        patch
    }

    fn boolean(&mut self, field: &str) -> Patch<bool> {
        match self.raw(field) {
            Patch::Set(Value::Bool(b)) => Patch::Set(*b),
            Patch::Set(Value::String(s)) if s == "true" || s == "false" => Patch::Set(s == "true"),
            Patch::Set(_) => {
                self.err(field, "Not a valid boolean: expected true or false.");
                Patch::Keep
            }
            Patch::Clear => Patch::Clear,
            Patch::Keep => Patch::Keep,
        }
    }

    fn datetime(&mut self, field: &str) -> Patch<DateTime<Utc>> {
        match self.raw(field) {
            Patch::Set(Value::String(s)) => {
                match parse_datetime(s) {
                    Some(d) => Patch::Set(d),
                    None => {
                        self.err(field, "Not a valid date: expected ISO 8601 (2024-01-31 or 2024-01-31T12:00:00Z).");
                        Patch::Keep
                    }
                }
            }
            Patch::Set(_) => {
                self.err(field, "Not a valid date: expected an ISO 8601 string.");
                Patch::Keep
            }
            Patch::Clear => Patch::Clear,
            Patch::Keep => Patch::Keep,
        }
    }

    fn object(&mut self, field: &str) -> Patch<&'a Map<String, Value>> {
        match self.raw(field) {
            Patch::Set(Value::Object(o)) => Patch::Set(o),
            Patch::Set(_) => {
                self.err(field, "Not a valid object.");
                Patch::Keep
            }
            Patch::Clear => Patch::Clear,
            Patch::Keep => Patch::Keep,
        }
    }

    fn extras(&mut self, field: &str) -> Patch<Extras> {
        match self.object(field) {
            Patch::Set(o) => match validate_extras(o) {
                Ok(extras) => Patch::Set(extras),
                Err(message) => {
                    self.err(field, message);
                    Patch::Keep
                }
            },
            Patch::Clear => Patch::Clear,
            Patch::Keep => Patch::Keep,
        }
    }

    /// A reference to another object given as an id string or as `{"id": ...}` (what the API
    /// returns, so that clients can echo it back).
    fn reference(&mut self, field: &str) -> Patch<String> {
        match self.raw(field) {
            Patch::Set(Value::String(s)) if !s.trim().is_empty() => Patch::Set(s.trim().to_owned()),
            Patch::Set(Value::String(_)) => Patch::Clear,
            Patch::Set(Value::Object(o)) => match o.get("id").and_then(Value::as_str) {
                Some(id) => Patch::Set(id.to_owned()),
                None => {
                    self.err(field, "Expected an id, or an object with an \"id\".");
                    Patch::Keep
                }
            },
            Patch::Set(_) => {
                self.err(field, "Expected an id, or an object with an \"id\".");
                Patch::Keep
            }
            Patch::Clear => Patch::Clear,
            Patch::Keep => Patch::Keep,
        }
    }
}

/// True for absolute `http`, `https` or `ftp` URLs with a host, without whitespace or control
/// characters. The URL parser silently drops tabs and line breaks, but the URL is stored as
/// given and served in a `Location` header (the permalink), where they cannot go.
pub fn is_valid_url(raw: &str) -> bool {
    !raw.chars().any(|c| c.is_whitespace() || c.is_control())
        && url::Url::parse(raw)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "ftp") && u.host().is_some())
}

/// Parses `2024-01-31`, `2024-01-31T12:00:00`, `2024-01-31T12:00:00Z` or with an offset.
pub fn parse_datetime(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(raw) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(d.and_utc());
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

/// Parses a date, accepting a full datetime and keeping its date part.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .or_else(|| parse_datetime(raw).map(|d| d.date_naive()))
}

/// Extras values must be strings, numbers, booleans, lists or objects (udata's `ExtrasField`).
pub fn validate_extras(obj: &Map<String, Value>) -> Result<Extras, String> {
    for (key, value) in obj {
        if key.trim().is_empty() {
            return Err("Extras keys cannot be empty.".into());
        }
        if value.is_null() {
            return Err(format!("Extra \"{key}\" cannot be null."));
        }
    }
    Ok(obj.clone())
}

/// A validated dataset body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatasetPatch {
    pub title: Patch<String>,
    pub acronym: Patch<String>,
    pub description: Patch<String>,
    pub description_short: Patch<String>,
    pub license: Patch<String>,
    pub frequency: Patch<String>,
    pub frequency_date: Patch<DateTime<Utc>>,
    pub tags: Patch<Vec<String>>,
    pub temporal_coverage: Patch<TemporalCoverage>,
    pub spatial: Patch<Spatial>,
    pub private: Patch<bool>,
    /// Organization id or slug.
    pub organization: Patch<String>,
    /// Owner user id or slug.
    pub owner: Patch<String>,
    pub extras: Patch<Extras>,
    pub archived: Patch<bool>,
    /// Only `Clear` is meaningful: `"deleted": null` restores a deleted dataset.
    pub deleted: Patch<()>,
    pub resources: Patch<Vec<ResourcePatch>>,
}

/// Validates a dataset body (udata's `DatasetForm`).
pub fn parse_dataset(obj: &Map<String, Value>, mode: Mode) -> Result<DatasetPatch, Errors> {
    let mut r = Reader::new(obj, mode, "");
    let mut patch = DatasetPatch {
        title: r.string("title", TITLE_MAX, true),
        acronym: r.string("acronym", ACRONYM_MAX, false),
        description: r.string("description", DESCRIPTION_MAX, true),
        description_short: r.string("description_short", DESCRIPTION_SHORT_MAX, false),
        private: r.boolean("private"),
        organization: r.reference("organization"),
        owner: r.reference("owner"),
        extras: r.extras("extras"),
        frequency_date: r.datetime("frequency_date"),
        ..DatasetPatch::default()
    };
    patch.license = match r.raw("license") {
        Patch::Set(Value::String(s)) => match find_license(s.trim()) {
            Some(l) => Patch::Set(l.id.to_owned()),
            None => {
                r.err(
                    "license",
                    format!("Unknown license \"{s}\": see /api/1/datasets/licenses/ for the list."),
                );
                Patch::Keep
            }
        },
        // Clients echo `license` back as an object in some udata versions.
        Patch::Set(Value::Object(o)) => {
            match o.get("id").and_then(Value::as_str).and_then(find_license) {
                Some(l) => Patch::Set(l.id.to_owned()),
                None => {
                    r.err(
                        "license",
                        "Unknown license: see /api/1/datasets/licenses/ for the list.",
                    );
                    Patch::Keep
                }
            }
        }
        Patch::Set(_) => {
            r.err("license", "Not a valid license id.");
            Patch::Keep
        }
        Patch::Clear => Patch::Clear,
        Patch::Keep => Patch::Keep,
    };
    patch.frequency = match r.raw("frequency") {
        Patch::Set(Value::String(s)) => {
            match parse_frequency(s.trim()) {
                Some(f) => Patch::Set(f.id.to_owned()),
                None => {
                    r.err(
                    "frequency",
                    format!("Unknown frequency \"{s}\": see /api/1/datasets/frequencies/ for the list."),
                );
                    Patch::Keep
                }
            }
        }
        Patch::Set(Value::Object(o)) => match o
            .get("id")
            .and_then(Value::as_str)
            .and_then(parse_frequency)
        {
            Some(f) => Patch::Set(f.id.to_owned()),
            None => {
                r.err(
                    "frequency",
                    "Unknown frequency: see /api/1/datasets/frequencies/ for the list.",
                );
                Patch::Keep
            }
        },
        Patch::Set(_) => {
            r.err("frequency", "Not a valid frequency id.");
            Patch::Keep
        }
        Patch::Clear => Patch::Clear,
        Patch::Keep => Patch::Keep,
    };
    patch.tags = match r.raw("tags") {
        Patch::Set(v) => match parse_tags_value(v).and_then(|t| validate_tags(&t)) {
            Ok(tags) => Patch::Set(tags),
            Err(message) => {
                r.err("tags", message);
                Patch::Keep
            }
        },
        Patch::Clear => Patch::Set(Vec::new()),
        Patch::Keep => Patch::Keep,
    };
    patch.temporal_coverage = match r.object("temporal_coverage") {
        Patch::Set(o) => parse_temporal(o, &mut r),
        Patch::Clear => Patch::Clear,
        Patch::Keep => Patch::Keep,
    };
    patch.spatial = match r.object("spatial") {
        Patch::Set(o) => parse_spatial(o, &mut r),
        Patch::Clear => Patch::Clear,
        Patch::Keep => Patch::Keep,
    };
    patch.archived = match r.raw("archived") {
        Patch::Set(Value::Bool(b)) => Patch::Set(*b),
        Patch::Set(Value::String(s)) if parse_datetime(s).is_some() => Patch::Set(true),
        Patch::Set(_) => {
            r.err("archived", "Expected a date, true, false or null.");
            Patch::Keep
        }
        Patch::Clear => Patch::Set(false),
        Patch::Keep => Patch::Keep,
    };
    patch.deleted = match r.raw("deleted") {
        Patch::Clear => Patch::Clear,
        _ => Patch::Keep,
    };
    patch.resources = match r.raw("resources") {
        Patch::Set(Value::Array(items)) => {
            let mut resources = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let field = format!("resources.{i}");
                let Some(o) = item.as_object() else {
                    r.err(&field, "Not a valid object.");
                    continue;
                };
                let item_mode = if o.contains_key("id") {
                    Mode::Update
                } else {
                    Mode::Create
                };
                match parse_resource(o, item_mode, &field) {
                    Ok(res) => resources.push(res),
                    Err(errors) => r.errors.0.extend(errors.0),
                }
            }
            Patch::Set(resources)
        }
        Patch::Set(_) => {
            r.err("resources", "Expected a list of resources.");
            Patch::Keep
        }
        Patch::Clear => Patch::Set(Vec::new()),
        Patch::Keep => Patch::Keep,
    };
    if let (Patch::Set(_), Patch::Set(_)) = (&patch.organization, &patch.owner) {
        r.err(
            "organization",
            "A dataset is published either by an organization or by a user, not both.",
        );
    }
    r.errors.into_result(patch)
}

fn parse_temporal(o: &Map<String, Value>, r: &mut Reader<'_>) -> Patch<TemporalCoverage> {
    let date = |key: &str, r: &mut Reader<'_>| -> Option<Option<NaiveDate>> {
        match o.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(Value::String(s)) => match parse_date(s) {
                Some(d) => Some(Some(d)),
                None => {
                    r.err(
                        &format!("temporal_coverage.{key}"),
                        "Not a valid date: expected YYYY-MM-DD.",
                    );
                    None
                }
            },
            Some(_) => {
                r.err(
                    &format!("temporal_coverage.{key}"),
                    "Not a valid date: expected YYYY-MM-DD.",
                );
                None
            }
        }
    };
    let (Some(start), Some(end)) = (date("start", r), date("end", r)) else {
        return Patch::Keep;
    };
    match (start, end) {
        (None, None) => Patch::Clear,
        (None, Some(_)) => {
            r.err("temporal_coverage.start", REQUIRED);
            Patch::Keep
        }
        (Some(start), Some(end)) if start > end => Patch::Set(TemporalCoverage {
            start: end,
            end: Some(start),
        }),
        (Some(start), end) => Patch::Set(TemporalCoverage { start, end }),
    }
}

fn parse_spatial(o: &Map<String, Value>, r: &mut Reader<'_>) -> Patch<Spatial> {
    let mut spatial = Spatial::default();
    match o.get("granularity") {
        None | Some(Value::Null) => {}
        Some(Value::String(g)) => match find_choice(GRANULARITIES, g) {
            Some(c) => spatial.granularity = Some(c.id.to_owned()),
            None => r.err(
                "spatial.granularity",
                format!(
                    "Unknown granularity \"{g}\": see /api/1/spatial/granularities/ for the list."
                ),
            ),
        },
        Some(_) => r.err("spatial.granularity", "Not a valid granularity id."),
    }
    match o.get("zones") {
        None | Some(Value::Null) => {}
        Some(Value::Array(zones)) => {
            for zone in zones {
                // Zones come back from the API as objects in some clients; accept their id.
                let id = zone
                    .as_str()
                    .or_else(|| zone.get("id").and_then(Value::as_str));
                match id {
                    Some(id) if is_geoid(id) => spatial.zones.push(id.to_owned()),
                    _ => r.err(
                        "spatial.zones",
                        format!(
                            "Invalid zone {zone}: expected a GeoID such as \"fr:commune:75056\"."
                        ),
                    ),
                }
            }
        }
        Some(_) => r.err("spatial.zones", "Expected a list of zone ids."),
    }
    if o.get("geom").is_some_and(|g| !g.is_null()) {
        r.err(
            "spatial.geom",
            "Geometries are not supported yet: describe the coverage with zones.",
        );
    }
    if spatial.granularity.is_none() && spatial.zones.is_empty() {
        Patch::Clear
    } else {
        Patch::Set(spatial)
    }
}

/// A GeoID: `<level>:<code>` with lowercase ASCII parts, e.g. `country:fr`, `fr:commune:75056`.
pub fn is_geoid(id: &str) -> bool {
    let parts: Vec<&str> = id.split(':').collect();
    id.len() <= 128
        && parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        })
}

/// A validated resource body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourcePatch {
    /// Present when a client refers to an existing resource (PUT of a dataset's list).
    pub id: Option<String>,
    pub title: Patch<String>,
    pub description: Patch<String>,
    pub filetype: Patch<Filetype>,
    pub kind: Patch<String>,
    pub url: Patch<String>,
    pub format: Patch<String>,
    pub mime: Patch<String>,
    pub filesize: Patch<i64>,
    pub checksum: Patch<Checksum>,
    pub extras: Patch<Extras>,
}

impl ResourcePatch {
    /// Checks that a body validated as an update can make a new resource: an entry of a
    /// dataset's `resources` list with an id the dataset does not have yet is created, so it
    /// needs a title and a URL like any new resource.
    pub fn check_new(&self) -> Result<(), Errors> {
        let mut errors = Errors::default();
        if self.title.value().is_none() {
            errors.add("title", REQUIRED);
        }
        if self.url.value().is_none() {
            errors.add("url", REQUIRED);
        }
        errors.into_result(())
    }
}

/// Validates a resource body; `prefix` names nested fields (`resources.0.title`).
pub fn parse_resource(
    obj: &Map<String, Value>,
    mode: Mode,
    prefix: &str,
) -> Result<ResourcePatch, Errors> {
    let mut r = Reader::new(obj, mode, prefix);
    let mut patch = ResourcePatch {
        id: obj.get("id").and_then(Value::as_str).map(str::to_owned),
        title: r.string("title", TITLE_MAX, true),
        description: r.string("description", DESCRIPTION_MAX, false),
        url: r.url("url", true),
        format: r
            .string("format", NAME_MAX, false)
            .map(|f| f.to_lowercase()),
        mime: r.string("mime", NAME_MAX, false).map(|m| m.to_lowercase()),
        extras: r.extras("extras"),
        ..ResourcePatch::default()
    };
    patch.filetype = match r.string("filetype", NAME_MAX, false) {
        Patch::Set(s) => match Filetype::parse(&s) {
            Some(f) => Patch::Set(f),
            None => {
                r.err(
                    "filetype",
                    format!("Unknown filetype \"{s}\": expected \"file\" or \"remote\"."),
                );
                Patch::Keep
            }
        },
        other => other.map(|_| Filetype::Remote),
    };
    patch.kind = match r.string("type", NAME_MAX, false) {
        Patch::Set(s) => match find_choice(RESOURCE_TYPES, &s) {
            Some(c) => Patch::Set(c.id.to_owned()),
            None => {
                r.err(
                    "type",
                    format!("Unknown resource type \"{s}\": see /api/1/datasets/resource_types/ for the list."),
                );
                Patch::Keep
            }
        },
        other => other,
    };
    patch.filesize = match r.raw("filesize") {
        Patch::Set(v) => match v.as_i64() {
            Some(n) if n >= 0 => Patch::Set(n),
            _ => {
                r.err(
                    "filesize",
                    "Not a valid size: expected a non-negative integer number of bytes.",
                );
                Patch::Keep
            }
        },
        Patch::Clear => Patch::Clear,
        Patch::Keep => Patch::Keep,
    };
    patch.checksum = match r.object("checksum") {
        Patch::Set(o) => {
            let kind = o.get("type").and_then(Value::as_str).unwrap_or("sha1");
            let value = o.get("value").and_then(Value::as_str).unwrap_or("").trim();
            if !CHECKSUM_TYPES.contains(&kind) {
                r.err(
                    "checksum.type",
                    format!(
                        "Unknown checksum type \"{kind}\": expected one of {}.",
                        CHECKSUM_TYPES.join(", ")
                    ),
                );
                Patch::Keep
            } else if value.is_empty() {
                // udata does not persist a checksum without a value.
                Patch::Clear
            } else if value.len() > NAME_MAX {
                r.err(
                    "checksum.value",
                    format!("Field cannot be longer than {NAME_MAX} characters."),
                );
                Patch::Keep
            } else {
                Patch::Set(Checksum {
                    kind: kind.to_owned(),
                    value: value.to_owned(),
                })
            }
        }
        Patch::Clear => Patch::Clear,
        Patch::Keep => Patch::Keep,
    };
    r.errors.into_result(patch)
}

/// A validated organization body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganizationPatch {
    pub name: Patch<String>,
    pub acronym: Patch<String>,
    pub description: Patch<String>,
    pub url: Patch<String>,
    pub image_url: Patch<String>,
    pub business_number_id: Patch<String>,
    pub extras: Patch<Extras>,
}

/// Validates an organization body.
pub fn parse_organization(
    obj: &Map<String, Value>,
    mode: Mode,
) -> Result<OrganizationPatch, Errors> {
    let mut r = Reader::new(obj, mode, "");
    let patch = OrganizationPatch {
        name: r.string("name", TITLE_MAX, true),
        acronym: r.string("acronym", ACRONYM_MAX, false),
        description: r.string("description", DESCRIPTION_MAX, true),
        url: r.url("url", false),
        image_url: r.url("image_url", false),
        business_number_id: r.string("business_number_id", 14, false),
        extras: r.extras("extras"),
    };
    r.errors.into_result(patch)
}

/// A validated profile body (`PUT /api/1/me/`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserPatch {
    pub first_name: Patch<String>,
    pub last_name: Patch<String>,
    pub about: Patch<String>,
    pub website: Patch<String>,
}

/// Validates a profile body.
pub fn parse_user(obj: &Map<String, Value>) -> Result<UserPatch, Errors> {
    let mut r = Reader::new(obj, Mode::Update, "");
    let patch = UserPatch {
        first_name: r.string("first_name", NAME_MAX, false),
        last_name: r.string("last_name", NAME_MAX, false),
        about: r.string("about", DESCRIPTION_MAX, false),
        website: r.url("website", false),
    };
    r.errors.into_result(patch)
}

/// Checks an e-mail address the way sign-up forms do: one `@`, a dotted domain, no spaces.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
        && email.len() <= NAME_MAX
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn create_requires_title_and_description() {
        let errors = parse_dataset(&obj(json!({})), Mode::Create).unwrap_err();
        assert_eq!(errors.0["title"], vec![REQUIRED]);
        assert_eq!(errors.0["description"], vec![REQUIRED]);
    }

    #[test]
    fn update_keeps_absent_and_clears_null() {
        let p = parse_dataset(
            &obj(json!({"acronym": null, "private": true})),
            Mode::Update,
        )
        .unwrap();
        assert_eq!(p.title, Patch::Keep);
        assert_eq!(p.acronym, Patch::Clear);
        assert_eq!(p.private, Patch::Set(true));
    }

    #[test]
    fn each_bad_field_is_named() {
        let errors = parse_dataset(
            &obj(json!({
                "title": "x".repeat(351),
                "description": 3,
                "license": "nope",
                "frequency": "sometimes",
                "tags": ["ok-tag", "x"],
                "temporal_coverage": {"start": "yesterday"},
                "spatial": {"granularity": "galaxy"},
            })),
            Mode::Create,
        )
        .unwrap_err();
        for field in [
            "title",
            "description",
            "license",
            "frequency",
            "tags",
            "temporal_coverage.start",
            "spatial.granularity",
        ] {
            assert!(
                errors.0.contains_key(field),
                "missing error for {field}: {errors:?}"
            );
        }
    }

    #[test]
    fn legacy_frequency_and_license_case() {
        let p = parse_dataset(
            &obj(json!({"title": "T", "description": "D", "frequency": "realtime", "license": "ODC-ODBL"})),
            Mode::Create,
        )
        .unwrap();
        assert_eq!(p.frequency, Patch::Set("continuous".into()));
        assert_eq!(p.license, Patch::Set("odc-odbl".into()));
    }

    #[test]
    fn temporal_bounds_are_swapped() {
        let p = parse_dataset(
            &obj(json!({"temporal_coverage": {"start": "2020-12-31", "end": "2020-01-01"}})),
            Mode::Update,
        )
        .unwrap();
        let t = p.temporal_coverage.value().cloned().unwrap();
        assert!(t.start < t.end.unwrap());
    }

    #[test]
    fn read_only_fields_are_ignored() {
        let p = parse_dataset(
            &obj(json!({"id": "x", "slug": "y", "metrics": {}, "organization": {"id": "abc", "name": "Org"}})),
            Mode::Update,
        )
        .unwrap();
        assert_eq!(p.organization, Patch::Set("abc".into()));
    }

    #[test]
    fn resource_validation() {
        let errors = parse_resource(
            &obj(json!({"url": "javascript:alert(1)", "type": "movie", "filesize": -1})),
            Mode::Create,
            "",
        )
        .unwrap_err();
        for field in ["title", "url", "type", "filesize"] {
            assert!(errors.0.contains_key(field), "{field}: {errors:?}");
        }
        let ok = parse_resource(
            &obj(json!({"title": "T", "url": "https://example.org/a.CSV", "format": "CSV"})),
            Mode::Create,
            "",
        )
        .unwrap();
        assert_eq!(ok.format, Patch::Set("csv".into()));
        for url in [
            "https://example.org/a\r\nSet-Cookie: x=1",
            "https://example.org/a b.csv",
            "https://exa\tmple.org/",
        ] {
            let errors = parse_resource(&obj(json!({"title": "T", "url": url})), Mode::Create, "")
                .unwrap_err();
            assert!(errors.0.contains_key("url"), "{url:?}");
        }
    }

    #[test]
    fn nul_characters_are_refused() {
        let errors = parse_dataset(&obj(json!({"title": "a\u{0}b"})), Mode::Update).unwrap_err();
        assert_eq!(
            errors.0["title"],
            vec!["Text cannot contain the NUL character."]
        );
    }

    #[test]
    fn emails() {
        assert!(is_valid_email("a@b.fr"));
        assert!(!is_valid_email("a@b"));
        assert!(!is_valid_email("a b@c.fr"));
        assert!(!is_valid_email("@c.fr"));
    }

    #[test]
    fn geoids() {
        assert!(is_geoid("fr:commune:75056"));
        assert!(is_geoid("country-group:world"));
        assert!(!is_geoid("France"));
        assert!(!is_geoid("fr::1"));
    }

    #[test]
    fn new_resource_entries_need_title_and_url() {
        let bare = parse_resource(&obj(json!({"id": "x"})), Mode::Update, "").unwrap();
        let errors = bare.check_new().unwrap_err();
        assert_eq!(errors.0["title"], vec![REQUIRED]);
        assert_eq!(errors.0["url"], vec![REQUIRED]);
        let full = parse_resource(
            &obj(json!({"id": "x", "title": "T", "url": "https://example.org/a.csv"})),
            Mode::Update,
            "",
        )
        .unwrap();
        assert_eq!(full.check_new(), Ok(()));
    }
}

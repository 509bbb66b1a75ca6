//! Harvest backends and source configuration, in udata's shape.
//!
//! A source is `{url, backend, config: {filters, features, extra_configs}}`; the backend
//! descriptions feed `GET /api/1/harvest/backends/` and validate what a user configures.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// The kinds of remote catalog Portail reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// CKAN Action API (and DKAN's CKAN-compatible API).
    Ckan,
    /// A DCAT catalog (RDF/XML, Turtle, JSON-LD...), with Hydra paging.
    Dcat,
    /// OpenDataSoft Explore API v2.1.
    Ods,
}

impl Backend {
    pub const ALL: [Backend; 3] = [Backend::Ckan, Backend::Dcat, Backend::Ods];

    /// The id stored with a source and used in the API.
    pub fn id(self) -> &'static str {
        match self {
            Backend::Ckan => "ckan",
            Backend::Dcat => "dcat",
            Backend::Ods => "ods",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Backend::Ckan => "CKAN",
            Backend::Dcat => "DCAT",
            Backend::Ods => "OpenDataSoft",
        }
    }

    /// Finds a backend by id; `dkan` is read by the CKAN backend, which handles its quirks.
    pub fn parse(id: &str) -> Option<Backend> {
        match id.trim().to_ascii_lowercase().as_str() {
            "ckan" | "dkan" => Some(Backend::Ckan),
            "dcat" => Some(Backend::Dcat),
            "ods" | "opendatasoft" => Some(Backend::Ods),
            _ => None,
        }
    }

    /// The description served by `GET /api/1/harvest/backends/`.
    pub fn info(self) -> BackendInfo {
        let common_extra = [
            ExtraConfigDef {
                key: "max_items",
                label: "Maximum items",
                description: "Stop after this many datasets (a smaller cap than the server's).",
            },
            ExtraConfigDef {
                key: "time_limit",
                label: "Time limit",
                description: "Seconds a run may last before it stops with an error.",
            },
        ];
        let (filters, mut extra_configs) = match self {
            Backend::Ckan => (
                vec![
                    FilterDef {
                        key: "organization",
                        label: "Organization",
                        kind: "string",
                        description: "The organization name (slug) on the CKAN portal.",
                    },
                    FilterDef {
                        key: "tags",
                        label: "Tag",
                        kind: "string",
                        description: "A tag name on the CKAN portal.",
                    },
                    FilterDef {
                        key: "groups",
                        label: "Group",
                        kind: "string",
                        description: "A group name (slug) on the CKAN portal.",
                    },
                ],
                vec![
                    ExtraConfigDef {
                        key: "apikey",
                        label: "API key",
                        description: "Sent as the Authorization header, for private datasets.",
                    },
                    ExtraConfigDef {
                        key: "since",
                        label: "Modified since",
                        description: "Only datasets modified since this date (ISO 8601).",
                    },
                    ExtraConfigDef {
                        key: "page_size",
                        label: "Page size",
                        description: "Packages per package_search page (at most 1000).",
                    },
                ],
            ),
            Backend::Dcat => (Vec::new(), Vec::new()),
            Backend::Ods => (
                vec![
                    FilterDef {
                        key: "keyword",
                        label: "Keyword",
                        kind: "string",
                        description: "A keyword facet value.",
                    },
                    FilterDef {
                        key: "publisher",
                        label: "Publisher",
                        kind: "string",
                        description: "A publisher facet value.",
                    },
                    FilterDef {
                        key: "theme",
                        label: "Theme",
                        kind: "string",
                        description: "A theme facet value.",
                    },
                ],
                vec![
                    ExtraConfigDef {
                        key: "where",
                        label: "ODSQL filter",
                        description: "A where clause of the Explore API (ODSQL).",
                    },
                    ExtraConfigDef {
                        key: "apikey",
                        label: "API key",
                        description: "Sent as Authorization: Apikey <key>.",
                    },
                ],
            ),
        };
        extra_configs.extend(common_extra);
        BackendInfo {
            id: self.id(),
            label: self.label(),
            filters,
            features: Vec::new(),
            extra_configs,
        }
    }
}

/// One backend, as listed by `GET /api/1/harvest/backends/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackendInfo {
    pub id: &'static str,
    pub label: &'static str,
    pub filters: Vec<FilterDef>,
    pub features: Vec<FeatureDef>,
    pub extra_configs: Vec<ExtraConfigDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterDef {
    pub key: &'static str,
    pub label: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeatureDef {
    pub key: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtraConfigDef {
    pub key: &'static str,
    pub label: &'static str,
    pub description: &'static str,
}

/// Every backend's description, in a stable order.
pub fn backends() -> Vec<BackendInfo> {
    Backend::ALL.iter().map(|b| b.info()).collect()
}

/// Whether a filter keeps or removes what it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FilterType {
    #[default]
    Include,
    Exclude,
}

/// One filter of a source: `{key, value, type}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub key: String,
    pub value: String,
    #[serde(rename = "type", default)]
    pub kind: FilterType,
}

/// Default overall time limit of a run.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(3 * 3600);

/// What a harvester needs to read a source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceConfig {
    /// The catalog root (CKAN, ODS) or the DCAT document URL.
    pub url: Url,
    pub backend: Backend,
    pub filters: Vec<Filter>,
    pub features: BTreeMap<String, bool>,
    /// Sent as `Authorization` (CKAN) or `Authorization: Apikey` (ODS).
    pub api_key: Option<String>,
    /// Stop after this many records.
    pub max_items: Option<u64>,
    /// Only datasets modified since then (CKAN).
    pub since: Option<DateTime<Utc>>,
    /// Items per page; each backend clamps it to what the remote allows.
    pub page_size: Option<u32>,
    /// ODSQL `where` clause (ODS).
    pub ods_where: Option<String>,
    /// How long a whole run may take.
    pub time_limit: Duration,
}

impl SourceConfig {
    pub fn new(url: Url, backend: Backend) -> SourceConfig {
        SourceConfig {
            url,
            backend,
            filters: Vec::new(),
            features: BTreeMap::new(),
            api_key: None,
            max_items: None,
            since: None,
            page_size: None,
            ods_where: None,
            time_limit: DEFAULT_TIME_LIMIT,
        }
    }

    /// Reads udata's `config` object (`{"filters": [...], "features": {...},
    /// "extra_configs": [{"key", "value"}]}`), refusing filters and extra configs the backend
    /// does not declare.
    pub fn from_udata(
        url: &str,
        backend: &str,
        config: &Value,
    ) -> Result<SourceConfig, ConfigError> {
        let backend = Backend::parse(backend)
            .ok_or_else(|| ConfigError(format!("unknown backend \"{backend}\"")))?;
        let url = Url::parse(url.trim())
            .map_err(|e| ConfigError(format!("invalid URL \"{url}\": {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ConfigError(format!("the URL must be http or https: {url}")));
        }
        let info = backend.info();
        let mut source = SourceConfig::new(url, backend);
        if config.is_null() {
            return Ok(source);
        }
        let object = config
            .as_object()
            .ok_or_else(|| ConfigError("config must be an object".into()))?;
        if let Some(filters) = object.get("filters").filter(|v| !v.is_null()) {
            let filters: Vec<Filter> = serde_json::from_value(filters.clone())
                .map_err(|e| ConfigError(format!("filters: {e}")))?;
            for filter in &filters {
                if !info.filters.iter().any(|f| f.key == filter.key) {
                    return Err(ConfigError(format!(
                        "unknown filter \"{}\" for the {} backend (known: {})",
                        filter.key,
                        info.label,
                        known(info.filters.iter().map(|f| f.key))
                    )));
                }
            }
            source.filters = filters;
        }
        if let Some(features) = object.get("features").filter(|v| !v.is_null()) {
            source.features = serde_json::from_value(features.clone())
                .map_err(|e| ConfigError(format!("features: {e}")))?;
        }
        if let Some(extras) = object.get("extra_configs").filter(|v| !v.is_null()) {
            let extras: Vec<ExtraConfig> = serde_json::from_value(extras.clone())
                .map_err(|e| ConfigError(format!("extra_configs: {e}")))?;
            for extra in extras {
                if !info.extra_configs.iter().any(|d| d.key == extra.key) {
                    return Err(ConfigError(format!(
                        "unknown extra config \"{}\" for the {} backend (known: {})",
                        extra.key,
                        info.label,
                        known(info.extra_configs.iter().map(|d| d.key))
                    )));
                }
                source.set_extra(&extra.key, &extra.value)?;
            }
        }
        Ok(source)
    }

    fn set_extra(&mut self, key: &str, value: &Value) -> Result<(), ConfigError> {
        let text = match value {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            Value::Null => return Ok(()),
            other => other.to_string(),
        };
        let number = |what: &str| {
            text.parse::<u64>().map_err(|_| {
                ConfigError(format!(
                    "{what} must be a positive whole number, not \"{text}\""
                ))
            })
        };
        match key {
            "apikey" => self.api_key = Some(text.clone()).filter(|k| !k.is_empty()),
            "max_items" => self.max_items = Some(number("max_items")?),
            "time_limit" => self.time_limit = Duration::from_secs(number("time_limit")?),
            "page_size" => {
                let size = number("page_size")?;
                self.page_size = Some(u32::try_from(size).unwrap_or(u32::MAX).max(1));
            }
            "since" => self.since = Some(parse_since(&text)?),
            "where" => self.ods_where = Some(text.clone()).filter(|w| !w.is_empty()),
            _ => {}
        }
        Ok(())
    }

    /// The source's filters of the given type.
    pub(crate) fn filters_of(&self, kind: FilterType) -> impl Iterator<Item = &Filter> {
        self.filters.iter().filter(move |f| f.kind == kind)
    }
}

fn known<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = keys.collect();
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    }
}

fn parse_since(text: &str) -> Result<DateTime<Utc>, ConfigError> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    if let Some(at) = crate::dates::parse_datetime(text) {
        return Ok(at);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| ConfigError(format!("since must be an ISO 8601 date, not \"{text}\"")))
}

#[derive(Debug, Deserialize)]
struct ExtraConfig {
    key: String,
    #[serde(default)]
    value: Value,
}

/// A source configuration that cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

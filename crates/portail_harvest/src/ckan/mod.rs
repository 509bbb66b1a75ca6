//! CKAN (and DKAN) reader: `package_search` paged by `start`/`rows`, or `package_list` +
//! `package_show` where the search is not available.
//!
//! Paging follows ckanext-harvest's choice of `sort=id asc`: a dataset modified during the
//! run keeps its place, so no other dataset shifts out of the page it was due in (with
//! `metadata_modified` order it would move to the end and push its neighbours back, and one
//! of them would be skipped). A dataset added during the run can only make another appear
//! twice; the harvester drops such repeats.

mod map;

use std::collections::HashSet;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use url::Url;

use crate::json::kind_of;
pub use map::map_package;
use map::string;

use crate::config::{FilterType, SourceConfig};
use crate::harvester::HarvestError;
use crate::outbound::{Fetch, FetchRequest, FetchResponse, OutboundError};
use portail_core::harvest::{RecordError, RemoteRecord};

/// Default `rows` of a `package_search` page. ckanext-harvest uses 100 and udata 1000; pages
/// of 1000 full package dicts weigh tens of megabytes (data.gov.uk packages are 10 to 30 KB),
/// close to the response size limit and the request timeout, for no gain worth the risk.
pub const DEFAULT_ROWS: u32 = 100;
/// CKAN's `ckan.search.rows_max` default: larger `rows` are silently clamped by CKAN.
pub const MAX_ROWS: u32 = 1000;
/// Datasets fetched with `package_show` per page in `package_list` mode.
pub const SHOW_BATCH: usize = 20;

const PURPOSE: &str = "harvester; ckan";

#[derive(Debug)]
enum Mode {
    Search {
        start: u64,
        previous_ids: Option<Vec<String>>,
    },
    List {
        names: Vec<String>,
        next: usize,
    },
    Done,
}

/// Reads a CKAN site one page at a time.
#[derive(Debug)]
pub(crate) struct CkanReader {
    /// The site root, without trailing `/`.
    root: String,
    mode: Mode,
    total: Option<u64>,
}

impl CkanReader {
    pub(crate) fn new(config: &SourceConfig) -> CkanReader {
        CkanReader {
            root: crate::site_root(&config.url),
            mode: Mode::Search {
                start: 0,
                previous_ids: None,
            },
            total: None,
        }
    }

    pub(crate) fn total(&self) -> Option<u64> {
        self.total
    }

    pub(crate) async fn next_page<F: Fetch>(
        &mut self,
        fetcher: &F,
        config: &SourceConfig,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<RemoteRecord>>, HarvestError> {
        match &mut self.mode {
            Mode::Done => Ok(None),
            Mode::Search { start, .. } => {
                let start = *start;
                self.search_page(fetcher, config, start, now).await
            }
            Mode::List { .. } => self.list_page(fetcher, config, now).await,
        }
    }

    async fn search_page<F: Fetch>(
        &mut self,
        fetcher: &F,
        config: &SourceConfig,
        start: u64,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<RemoteRecord>>, HarvestError> {
        let url = search_url(&self.root, config, start)?;
        let response = fetcher.fetch(request(url.clone(), config)).await?;
        let result = match read_action(response)? {
            Action::Result(result) => result,
            Action::Failed { message, .. } if start == 0 => {
                tracing::info!(%url, %message, "package_search unavailable, falling back to package_list");
                return self.start_list(fetcher, config, &message, now).await;
            }
            Action::Failed { message, .. } => {
                return Err(HarvestError::Remote {
                    url: url.to_string(),
                    message,
                });
            }
        };
        let page = read_search_result(&result, &self.root, now).map_err(|message| {
            HarvestError::MalformedPage {
                url: url.to_string(),
                message,
            }
        })?;
        if start == 0 {
            self.total = page.count;
        }
        let Mode::Search {
            start: next_start,
            previous_ids,
        } = &mut self.mode
        else {
            return Ok(None);
        };
        if page.records.is_empty() {
            self.mode = Mode::Done;
            return Ok(None);
        }
        let ids: Vec<String> = page
            .records
            .iter()
            .filter_map(|r| r.remote_id().map(str::to_owned))
            .collect();
        if previous_ids
            .as_ref()
            .is_some_and(|previous| *previous == ids)
        {
            return Err(HarvestError::Remote {
                url: url.to_string(),
                message: format!(
                    "the page at start={start} repeats the previous one: the site ignores `start`, its paging does not work"
                ),
            });
        }
        // Advance by what came back, not by `rows`: CKAN clamps `rows` to its `rows_max`.
        *next_start = start + page.records.len() as u64;
        *previous_ids = Some(ids);
        if page.count.is_some_and(|count| *next_start >= count) {
            self.mode = Mode::Done;
        }
        Ok(Some(page.records))
    }

    async fn start_list<F: Fetch>(
        &mut self,
        fetcher: &F,
        config: &SourceConfig,
        search_error: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<RemoteRecord>>, HarvestError> {
        let url = action_url(&self.root, "package_list")?;
        let response = fetcher.fetch(request(url.clone(), config)).await?;
        let result = match read_action(response)? {
            Action::Result(result) => result,
            Action::Failed { message, .. } => {
                return Err(HarvestError::Remote {
                    url: url.to_string(),
                    message: format!(
                        "neither package_search ({search_error}) nor package_list ({message}) is available"
                    ),
                });
            }
        };
        let Value::Array(list) = result else {
            return Err(HarvestError::MalformedPage {
                url: url.to_string(),
                message: format!(
                    "package_list gave {} instead of a list of names",
                    kind_of(&result)
                ),
            });
        };
        let names: Vec<String> = list
            .iter()
            .filter_map(|v| {
                v.as_str()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            })
            .collect();
        self.total = Some(names.len() as u64);
        self.mode = Mode::List { names, next: 0 };
        self.list_page(fetcher, config, now).await
    }

    async fn list_page<F: Fetch>(
        &mut self,
        fetcher: &F,
        config: &SourceConfig,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<RemoteRecord>>, HarvestError> {
        let Mode::List { names, next } = &mut self.mode else {
            return Ok(None);
        };
        if *next >= names.len() {
            self.mode = Mode::Done;
            return Ok(None);
        }
        let batch: Vec<String> = names.iter().skip(*next).take(SHOW_BATCH).cloned().collect();
        *next += batch.len();
        let mut records = Vec::with_capacity(batch.len());
        for name in batch {
            if let Some(record) = self.show(fetcher, config, &name, now).await? {
                records.push(record);
            }
        }
        Ok(Some(records))
    }

    /// One `package_show`; `None` when a client-side filter leaves the package out.
    async fn show<F: Fetch>(
        &self,
        fetcher: &F,
        config: &SourceConfig,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<RemoteRecord>, HarvestError> {
        let failed = |message: String| {
            Ok(Some(RemoteRecord::Failed(RecordError {
                remote_id: Some(name.to_owned()),
                message,
            })))
        };
        let mut url = action_url(&self.root, "package_show")?;
        url.query_pairs_mut().append_pair("id", name);
        let response = match fetcher.fetch(request(url, config)).await {
            Ok(response) => response,
            // One package answering 500 should not stop the others; a refused or unreachable
            // site stops the run.
            Err(error @ OutboundError::Status { .. }) => return failed(error.to_string()),
            Err(error) => return Err(error.into()),
        };
        let result = match read_action(response) {
            Ok(Action::Result(result)) => result,
            Ok(Action::Failed { message, .. }) => {
                return failed(format!("package_show: {message}"));
            }
            Err(error) => return failed(error.to_string()),
        };
        // DKAN answers `package_show` with a list holding the package.
        let package = match result {
            Value::Array(mut list) if list.len() == 1 => list.swap_remove(0),
            Value::Array(list) => {
                return failed(format!(
                    "package_show gave a list of {} packages instead of one",
                    list.len()
                ));
            }
            other => other,
        };
        if !passes_filters(&package, config) {
            return Ok(None);
        }
        Ok(Some(map_package(&package, &self.root, now)))
    }
}

fn action_url(root: &str, action: &str) -> Result<Url, HarvestError> {
    let text = format!("{root}/api/3/action/{action}");
    Url::parse(&text).map_err(|e| {
        HarvestError::Config(crate::config::ConfigError(format!(
            "invalid URL {text}: {e}"
        )))
    })
}

fn request(url: Url, config: &SourceConfig) -> FetchRequest {
    let request = FetchRequest::get(url, PURPOSE).header("Accept", "application/json");
    match &config.api_key {
        // CKAN reads the key, raw, from the Authorization header.
        Some(key) => request.header("Authorization", key.clone()),
        None => request,
    }
}

/// The `package_search` URL of the page starting at `start`.
pub fn search_url(root: &str, config: &SourceConfig, start: u64) -> Result<Url, HarvestError> {
    let mut url = action_url(root, "package_search")?;
    let rows = config.page_size.unwrap_or(DEFAULT_ROWS).clamp(1, MAX_ROWS);
    {
        let mut query = url.query_pairs_mut();
        if let Some(fq) = filter_query(config) {
            query.append_pair("fq", &fq);
        }
        query
            .append_pair("rows", &rows.to_string())
            .append_pair("start", &start.to_string())
            .append_pair("sort", "id asc");
    }
    Ok(url)
}

/// The Solr `fq` for the source's filters and `since`. Every clause is marked required (`+`)
/// or prohibited (`-`): with Solr's default OR operator, bare clauses would only be optional.
pub fn filter_query(config: &SourceConfig) -> Option<String> {
    let mut clauses = Vec::new();
    // One clause per key, in the order keys first appear: values of a key are alternatives.
    let mut seen = HashSet::new();
    let keys: Vec<&str> = config
        .filters_of(FilterType::Include)
        .map(|f| f.key.as_str())
        .filter(|key| seen.insert(*key))
        .collect();
    for key in keys {
        let values: Vec<String> = config
            .filters_of(FilterType::Include)
            .filter(|f| f.key == key)
            .map(|f| format!("{key}:{}", solr_quote(&f.value)))
            .collect();
        clauses.push(if values.len() == 1 {
            format!("+{}", values[0])
        } else {
            format!("+({})", values.join(" OR "))
        });
    }
    for filter in config.filters_of(FilterType::Exclude) {
        clauses.push(format!("-{}:{}", filter.key, solr_quote(&filter.value)));
    }
    if let Some(since) = config.since {
        clauses.push(format!(
            "+metadata_modified:[{} TO *]",
            since.to_rfc3339_opts(SecondsFormat::Secs, true)
        ));
    }
    (!clauses.is_empty()).then(|| clauses.join(" "))
}

fn solr_quote(value: &str) -> String {
    let escaped = value.trim().replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// The filters applied by hand in `package_list` mode, where the remote cannot filter.
fn passes_filters(package: &Value, config: &SourceConfig) -> bool {
    let values_of = |key: &str| -> Vec<String> {
        match key {
            "organization" => ["name", "id"]
                .iter()
                .filter_map(|k| {
                    package
                        .get("organization")
                        .and_then(|o| o.get(*k))
                        .and_then(Value::as_str)
                })
                .chain(package.get("owner_org").and_then(Value::as_str))
                .map(str::to_owned)
                .collect(),
            "tags" | "groups" => package
                .get(key)
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|t| {
                            t.as_str().or_else(|| t.get("name").and_then(Value::as_str))
                        })
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    };
    let mut include_keys: Vec<&str> = config
        .filters_of(FilterType::Include)
        .map(|f| f.key.as_str())
        .collect();
    include_keys.sort_unstable();
    include_keys.dedup();
    for key in include_keys {
        let present = values_of(key);
        let wanted = config
            .filters_of(FilterType::Include)
            .filter(|f| f.key == key);
        if !wanted.into_iter().any(|f| present.contains(&f.value)) {
            return false;
        }
    }
    if config
        .filters_of(FilterType::Exclude)
        .any(|f| values_of(&f.key).contains(&f.value))
    {
        return false;
    }
    if let Some(since) = config.since {
        let modified = package
            .as_object()
            .and_then(|p| string(p, "metadata_modified"))
            .and_then(|m| crate::dates::parse_datetime(&m));
        if modified.is_some_and(|m| m < since) {
            return false;
        }
    }
    true
}

/// A `package_search` result, mapped.
#[derive(Debug)]
pub struct SearchPage {
    /// `count`: how many packages match, over all pages.
    pub count: Option<u64>,
    pub records: Vec<RemoteRecord>,
}

/// Maps the `result` of a `package_search`: `{count, results: [...]}`. An error when the page
/// itself is not one; a broken package is a `Failed` record among the others.
pub fn read_search_result(
    result: &Value,
    root: &str,
    now: DateTime<Utc>,
) -> Result<SearchPage, String> {
    let Some(object) = result.as_object() else {
        return Err(format!(
            "package_search gave {} instead of an object",
            kind_of(result)
        ));
    };
    let results = match object.get("results") {
        Some(Value::Array(list)) => list,
        Some(other) => return Err(format!("results is {} instead of a list", kind_of(other))),
        None => return Err("package_search result has no results".to_owned()),
    };
    Ok(SearchPage {
        count: object.get("count").and_then(Value::as_u64),
        records: results.iter().map(|p| map_package(p, root, now)).collect(),
    })
}

/// Reads a whole `package_search` response body (envelope included), as the fuzz target and
/// the conformance tests do.
pub fn read_search_response(
    body: &[u8],
    root: &str,
    now: DateTime<Utc>,
) -> Result<SearchPage, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
    match envelope(&value) {
        Some(Ok(result)) => read_search_result(result, root, now),
        Some(Err(message)) => Err(message),
        None => Err("not a CKAN Action API response (no success field)".to_owned()),
    }
}

/// What an Action API call gave.
enum Action {
    Result(Value),
    /// The action answered but refused or does not exist (`success: false`, 400, 404).
    Failed {
        message: String,
    },
}

fn read_action(response: FetchResponse) -> Result<Action, HarvestError> {
    let url = response.url.to_string();
    let parsed: Option<Value> = serde_json::from_slice(&response.body).ok();
    if let Some(value) = &parsed {
        match envelope(value) {
            Some(Ok(result)) if response.is_success() => return Ok(Action::Result(result.clone())),
            Some(Ok(_)) => {}
            Some(Err(message)) => return Ok(Action::Failed { message }),
            None => {}
        }
        // Unknown actions give a bare JSON string with a 400.
        if let (Value::String(message), false) = (value, response.is_success()) {
            return Ok(Action::Failed {
                message: message.clone(),
            });
        }
    }
    if matches!(response.status, 400 | 404 | 405 | 501) {
        return Ok(Action::Failed {
            message: format!("HTTP {} from {url}", response.status),
        });
    }
    let response = response.error_for_status()?;
    let is_html = response
        .content_type
        .as_deref()
        .is_some_and(|t| t.contains("html"));
    let message = match parsed {
        _ if is_html => {
            "the site answered an HTML page, not CKAN API JSON (is the URL the CKAN root?)"
                .to_owned()
        }
        Some(_) => "not a CKAN Action API response (no success field)".to_owned(),
        None => match serde_json::from_slice::<Value>(&response.body) {
            Err(e) => format!("invalid JSON: {e}"),
            Ok(_) => "unreadable response".to_owned(),
        },
    };
    Err(HarvestError::MalformedPage { url, message })
}

/// `Some(Ok(result))` for `{success: true, result}`, `Some(Err(message))` for
/// `{success: false, error}`, `None` when the value is not an envelope. The success field is
/// what counts: CKAN may answer 200 with `success: false`.
fn envelope(value: &Value) -> Option<Result<&Value, String>> {
    let object = value.as_object()?;
    match object.get("success")? {
        Value::Bool(true) => Some(
            object
                .get("result")
                .ok_or_else(|| "success without a result".to_owned()),
        ),
        _ => Some(Err(error_message(object.get("error")))),
    }
}

/// `"<__type>: <message>"`, or the field errors of a validation error.
fn error_message(error: Option<&Value>) -> String {
    let Some(Value::Object(error)) = error else {
        return error
            .and_then(Value::as_str)
            .unwrap_or("unknown error")
            .to_owned();
    };
    let kind = error.get("__type").and_then(Value::as_str);
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            let fields: Vec<String> = error
                .iter()
                .filter(|(k, _)| !k.starts_with("__"))
                .map(|(k, v)| {
                    format!(
                        "{k}: {}",
                        v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                    )
                })
                .collect();
            (!fields.is_empty()).then(|| fields.join("; "))
        });
    match (kind, message) {
        (Some(kind), Some(message)) => format!("{kind}: {message}"),
        (Some(kind), None) => kind.to_owned(),
        (None, Some(message)) => message,
        (None, None) => "unknown error".to_owned(),
    }
}

//! HTTP caching for the harvestable documents (CKAN API, feeds, sitemap, CSV, DCAT):
//! `ETag`, `Last-Modified`, `304 Not Modified`, `Vary` and `Cache-Control`, the same way on
//! every one of them. `HEAD` needs nothing here: axum answers it with the `GET` handler's
//! headers and no body.
//!
//! Rules (RFC 9110 §13): `If-None-Match` wins; `If-Modified-Since` is only looked at when no
//! `If-None-Match` was sent. A 304 carries the validators, `Vary` and `Cache-Control` a 200
//! would have carried.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// Who may keep a copy of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Anonymous catalog data: `public, max-age=60`.
    Public,
    /// The answer depends on who asked (an API key was sent): `private, no-store`.
    Private,
}

impl Caching {
    /// `Private` when an API key was sent, else `Public`.
    pub fn for_key(authenticated: bool) -> Caching {
        if authenticated {
            Caching::Private
        } else {
            Caching::Public
        }
    }

    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Caching::Public => "public, max-age=60",
            Caching::Private => "private, no-store",
        })
    }
}

/// `Vary` of answers that depend on the API key as well as on `Accept`.
pub const VARY_ACCEPT_AND_KEY: &str = "Accept, Authorization, X-API-KEY, X-CKAN-API-Key";
/// `Vary` of answers that depend only on `Accept` (or on nothing negotiable).
pub const VARY_ACCEPT: &str = "Accept";

/// The headers that describe one representation, before its body is known or sent.
#[derive(Debug, Clone)]
pub struct Validators {
    pub content_type: String,
    /// Quoted, possibly weak (`W/"..."`).
    pub etag: String,
    pub last_modified: Option<DateTime<Utc>>,
    pub vary: &'static str,
    pub caching: Caching,
}

/// A strong ETag of a body: the first half of its SHA-256 (the SHA instructions of current
/// CPUs hash a 60 kB search page in about 30 µs).
pub fn strong_etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// A weak ETag of whatever identifies a representation whose bytes are not at hand (a
/// streamed export: its query, its row count and its latest modification).
pub fn weak_etag(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("W/\"{hex}\"")
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn parse_http_date(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(raw.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Weak comparison (RFC 9110 §8.8.3.2): `W/` prefixes are ignored.
fn etag_matches(list: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = bare(etag);
    list.split(',').any(|t| t.trim() == "*" || bare(t) == ours)
}

/// Whether the client's copy is still good.
pub fn is_fresh(request: &HeaderMap, v: &Validators) -> bool {
    if let Some(inm) = request.get(header::IF_NONE_MATCH) {
        return inm.to_str().is_ok_and(|list| etag_matches(list, &v.etag));
    }
    match (
        v.last_modified,
        request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|h| h.to_str().ok())
            .and_then(parse_http_date),
    ) {
        // HTTP dates have whole seconds: compare at that precision.
        (Some(modified), Some(since)) => modified.timestamp() <= since.timestamp(),
        _ => false,
    }
}

fn put_validators(headers: &mut HeaderMap, v: &Validators) {
    if let Ok(etag) = HeaderValue::from_str(&v.etag) {
        headers.insert(header::ETAG, etag);
    }
    if let Some(at) = v.last_modified
        && let Ok(value) = HeaderValue::from_str(&http_date(at))
    {
        headers.insert(header::LAST_MODIFIED, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static(v.vary));
    headers.insert(header::CACHE_CONTROL, v.caching.header());
}

/// The 304 for a representation.
pub fn not_modified(v: &Validators) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    put_validators(response.headers_mut(), v);
    response
}

/// Answers with `body` (200), or 304 when the client has it.
pub fn respond(request: &HeaderMap, v: &Validators, status: StatusCode, body: Bytes) -> Response {
    if status == StatusCode::OK && is_fresh(request, v) {
        return not_modified(v);
    }
    let mut response = (status, body).into_response();
    set_headers(&mut response, v);
    response
}

/// Answers with a streamed body whose freshness was checked beforehand.
pub fn respond_stream(v: &Validators, body: Body, filename: Option<&str>) -> Response {
    let mut response = body.into_response();
    set_headers(&mut response, v);
    if let Some(name) = filename
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename={name}"))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn set_headers(response: &mut Response, v: &Validators) {
    let headers = response.headers_mut();
    if let Ok(ct) = HeaderValue::from_str(&v.content_type) {
        headers.insert(header::CONTENT_TYPE, ct);
    }
    put_validators(headers, v);
}

/// A whole representation: the body is at hand, the ETag is its hash.
pub fn respond_bytes(
    request: &HeaderMap,
    content_type: &str,
    body: Bytes,
    last_modified: Option<DateTime<Utc>>,
    vary: &'static str,
    caching: Caching,
) -> Response {
    let v = Validators {
        content_type: content_type.to_owned(),
        etag: strong_etag(&body),
        last_modified,
        vary,
        caching,
    };
    respond(request, &v, StatusCode::OK, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validators() -> Validators {
        Validators {
            content_type: "text/plain".into(),
            etag: "\"abc\"".into(),
            last_modified: DateTime::parse_from_rfc3339("2024-01-02T03:04:05.678Z")
                .ok()
                .map(|d| d.with_timezone(&Utc)),
            vary: VARY_ACCEPT,
            caching: Caching::Public,
        }
    }

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    #[test]
    fn if_none_match_wins_over_if_modified_since() {
        let v = validators();
        assert!(is_fresh(
            &headers(&[(header::IF_NONE_MATCH, "W/\"abc\"")]),
            &v
        ));
        assert!(is_fresh(
            &headers(&[(header::IF_NONE_MATCH, "\"x\", \"abc\"")]),
            &v
        ));
        // A stale ETag is not rescued by a fresh date.
        assert!(!is_fresh(
            &headers(&[
                (header::IF_NONE_MATCH, "\"old\""),
                (header::IF_MODIFIED_SINCE, "Tue, 02 Jan 2024 03:04:05 GMT"),
            ]),
            &v
        ));
        assert!(is_fresh(
            &headers(&[(header::IF_MODIFIED_SINCE, "Tue, 02 Jan 2024 03:04:05 GMT")]),
            &v
        ));
        assert!(!is_fresh(
            &headers(&[(header::IF_MODIFIED_SINCE, "Tue, 02 Jan 2024 03:04:04 GMT")]),
            &v
        ));
        assert!(!is_fresh(
            &headers(&[(header::IF_MODIFIED_SINCE, "garbage")]),
            &v
        ));
    }

    #[test]
    fn http_dates_are_imf_fixdate() {
        let at = validators().last_modified.expect("date");
        assert_eq!(http_date(at), "Tue, 02 Jan 2024 03:04:05 GMT");
    }
}

//! Availability probes for link checks: a `HEAD`, or when the server refuses that method
//! (405, 501) a `GET` of the first byte (`Range: bytes=0-0`), the body never read. Same guard,
//! redirects and time limits as every other outbound request.

use std::future::Future;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, RANGE, USER_AGENT};
use url::Url;

use super::client::{HttpFetcher, OutboundError, user_agent};

/// What a probe learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeResponse {
    /// The URL after redirects.
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    /// The size of the whole resource (from `Content-Length`, or the total of `Content-Range`
    /// on a ranged answer).
    pub content_length: Option<u64>,
    /// `HEAD` or `GET`.
    pub method: &'static str,
}

/// Something that probes URLs: [`HttpFetcher`] in production and in tests (against loopback
/// servers).
pub trait Probe: Send + Sync {
    fn probe(&self, url: Url) -> impl Future<Output = Result<ProbeResponse, OutboundError>> + Send;
}

impl<T: Probe> Probe for std::sync::Arc<T> {
    fn probe(&self, url: Url) -> impl Future<Output = Result<ProbeResponse, OutboundError>> + Send {
        (**self).probe(url)
    }
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `bytes 0-0/12345` -> 12345.
fn range_total(value: &str) -> Option<u64> {
    value.rsplit('/').next().and_then(|t| t.trim().parse().ok())
}

impl HttpFetcher {
    async fn probe_once(&self, url: &Url, head: bool) -> Result<ProbeResponse, OutboundError> {
        self.config
            .policy
            .check_url(url)
            .map_err(OutboundError::Refused)?;
        let builder = if head {
            self.client.head(url.clone())
        } else {
            self.client.get(url.clone()).header(RANGE, "bytes=0-0")
        };
        let response = builder
            .header(USER_AGENT, user_agent("link check"))
            .send()
            .await
            .map_err(|e| self.classify(&e, url))?;
        let status = response.status();
        let content_length = if status == StatusCode::PARTIAL_CONTENT {
            header(&response, CONTENT_RANGE)
                .as_deref()
                .and_then(range_total)
        } else {
            header(&response, CONTENT_LENGTH).and_then(|v| v.parse().ok())
        };
        // Dropping the response without reading the body closes that connection: a probe
        // never downloads the resource.
        Ok(ProbeResponse {
            url: response.url().clone(),
            status: status.as_u16(),
            content_type: header(&response, CONTENT_TYPE),
            content_length,
            method: if head { "HEAD" } else { "GET" },
        })
    }
}

impl Probe for HttpFetcher {
    async fn probe(&self, url: Url) -> Result<ProbeResponse, OutboundError> {
        let first = self.probe_once(&url, true).await?;
        if matches!(first.status, 405 | 501) {
            self.probe_once(&url, false).await
        } else {
            Ok(first)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::range_total;

    #[test]
    fn the_total_of_a_content_range_is_the_size() {
        assert_eq!(range_total("bytes 0-0/12345"), Some(12345));
        assert_eq!(range_total("bytes 0-0/*"), None);
    }
}

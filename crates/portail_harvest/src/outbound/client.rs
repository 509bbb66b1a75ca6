//! The HTTP client every outgoing request of the portal goes through: harvesting now, link
//! checks later. It applies the [`OutboundPolicy`] to each address it connects to, bounds time
//! and size, and names itself.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};
use url::Url;

use super::policy::{OutboundPolicy, Refusal};

/// Limits of the outbound client. Every field has a default suited to harvesting.
#[derive(Debug, Clone)]
pub struct OutboundConfig {
    pub policy: OutboundPolicy,
    /// Time allowed to open a TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub timeout: Duration,
    /// Largest body read; a larger response is an error, not a truncated body.
    pub max_response_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
}

impl Default for OutboundConfig {
    fn default() -> Self {
        OutboundConfig {
            policy: OutboundPolicy::strict(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_response_bytes: 50 * MIB,
            max_redirects: 5,
        }
    }
}

impl OutboundConfig {
    /// The defaults, with the policy from `PORTAIL_OUTBOUND_ALLOW`.
    pub fn from_env() -> Result<OutboundConfig, super::PolicyError> {
        Ok(OutboundConfig {
            policy: OutboundPolicy::from_env()?,
            ..OutboundConfig::default()
        })
    }
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// One GET request.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    pub url: Url,
    /// Extra headers (`Authorization`, `Accept`).
    pub headers: Vec<(String, String)>,
    /// What the request is for, shown in the User-Agent: `harvester; ckan`.
    pub purpose: String,
}

impl FetchRequest {
    pub fn get(url: Url, purpose: impl Into<String>) -> FetchRequest {
        FetchRequest {
            url,
            headers: Vec::new(),
            purpose: purpose.into(),
        }
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> FetchRequest {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A response read in full (within the size limit), whatever its status.
#[derive(Debug, Clone)]
pub struct FetchResponse {
    /// The URL that answered, after redirects.
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl FetchResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The response when its status is 2xx, otherwise an [`OutboundError::Status`].
    pub fn error_for_status(self) -> Result<FetchResponse, OutboundError> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(OutboundError::Status {
                status: self.status,
                url: self.url.to_string(),
            })
        }
    }
}

/// What can go wrong with an outbound request. Messages are meant for the publisher who
/// configured the source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("timed out after {}: {url}", human_duration(*.after))]
    Timeout { after: Duration, url: String },
    #[error("could not connect within {}: {url}", human_duration(*.after))]
    ConnectTimeout { after: Duration, url: String },
    #[error("could not connect to {url}: {message}")]
    Connect { url: String, message: String },
    #[error("HTTP {status} from {url}")]
    Status { status: u16, url: String },
    #[error("response larger than {}: {url}", human_size(*.limit))]
    TooLarge { limit: u64, url: String },
    #[error("more than {max} redirects from {url}")]
    TooManyRedirects { max: usize, url: String },
    #[error("invalid request to {url}: {message}")]
    InvalidRequest { url: String, message: String },
    #[error("request to {url} failed: {message}")]
    Transport { url: String, message: String },
}

/// `30 s`, `250 ms`.
pub(crate) fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// `50 MiB`, `64 KiB`, `1000 bytes`.
pub(crate) fn human_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Something that performs GET requests: the real [`HttpFetcher`] in production and in tests
/// (against loopback servers), another implementation only where no network exists at all.
pub trait Fetch: Send + Sync {
    fn fetch(
        &self,
        request: FetchRequest,
    ) -> impl Future<Output = Result<FetchResponse, OutboundError>> + Send;
}

impl<T: Fetch> Fetch for Arc<T> {
    fn fetch(
        &self,
        request: FetchRequest,
    ) -> impl Future<Output = Result<FetchResponse, OutboundError>> + Send {
        (**self).fetch(request)
    }
}

/// The `User-Agent` of the portal's requests: `Portail/0.1.0 (+harvester; ckan)`.
pub fn user_agent(purpose: &str) -> String {
    format!("Portail/{} (+{purpose})", env!("CARGO_PKG_VERSION"))
}

/// Installs ring as the process-wide rustls provider, unless one is installed already.
///
/// reqwest is built with `rustls-no-provider` so that aws-lc (a long C build) stays out of the
/// tree; building a client panics until a provider is installed.
pub fn install_crypto_provider() {
    // An error only means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The reqwest-based fetcher, SSRF-guarded.
#[derive(Debug, Clone)]
pub struct HttpFetcher {
    pub(super) client: reqwest::Client,
    pub(super) config: Arc<OutboundConfig>,
}

impl HttpFetcher {
    pub fn new(config: OutboundConfig) -> Result<HttpFetcher, OutboundError> {
        install_crypto_provider();
        let config = Arc::new(config);
        let policy = Arc::new(config.policy.clone());
        let client = reqwest::Client::builder()
            // A proxy would resolve names itself, out of reach of the guarded resolver.
            .no_proxy()
            .dns_resolver(GuardedResolver {
                policy: Arc::clone(&policy),
            })
            .redirect(redirect_policy(policy, config.max_redirects))
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(user_agent("outbound"))
            .build()
            .map_err(|e| OutboundError::InvalidRequest {
                url: String::new(),
                message: error_chain(&e),
            })?;
        Ok(HttpFetcher { client, config })
    }

    pub fn config(&self) -> &OutboundConfig {
        &self.config
    }

    async fn execute(&self, request: FetchRequest) -> Result<FetchResponse, OutboundError> {
        let url = request.url;
        self.config
            .policy
            .check_url(&url)
            .map_err(OutboundError::Refused)?;
        let invalid = |message: String| OutboundError::InvalidRequest {
            url: url.to_string(),
            message,
        };
        let mut builder = self
            .client
            .get(url.clone())
            .header(USER_AGENT, user_agent(&request.purpose));
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("invalid header name {name:?}")))?;
            // The value may be a secret (an API key): it is not repeated in the message.
            let value = HeaderValue::from_str(value)
                .map_err(|_| invalid(format!("invalid value for header {name}")))?;
            builder = builder.header(name, value);
        }
        let mut response = builder.send().await.map_err(|e| self.classify(&e, &url))?;
        let final_url = response.url().clone();
        let limit = self.config.max_response_bytes;
        let too_large = || OutboundError::TooLarge {
            limit,
            url: final_url.to_string(),
        };
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let capacity = response.content_length().unwrap_or(0).min(limit);
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.classify(&e, &final_url))?
        {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(FetchResponse {
            status: response.status().as_u16(),
            content_type: response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            url: final_url,
            body,
        })
    }

    pub(super) fn classify(&self, error: &reqwest::Error, url: &Url) -> OutboundError {
        let url_text = error
            .url()
            .map_or_else(|| url.to_string(), ToString::to_string);
        if let Some(refusal) = find_source::<Refusal>(error) {
            return OutboundError::Refused(refusal.clone());
        }
        if let Some(TooManyRedirects(max)) = find_source::<TooManyRedirects>(error) {
            return OutboundError::TooManyRedirects {
                max: *max,
                url: url.to_string(),
            };
        }
        if error.is_timeout() {
            return if error.is_connect() {
                OutboundError::ConnectTimeout {
                    after: self.config.connect_timeout,
                    url: url_text,
                }
            } else {
                OutboundError::Timeout {
                    after: self.config.timeout,
                    url: url_text,
                }
            };
        }
        if error.is_connect() {
            return OutboundError::Connect {
                url: url_text,
                message: innermost(error),
            };
        }
        OutboundError::Transport {
            url: url_text,
            message: error_chain(error),
        }
    }
}

impl Fetch for HttpFetcher {
    fn fetch(
        &self,
        request: FetchRequest,
    ) -> impl Future<Output = Result<FetchResponse, OutboundError>> + Send {
        self.execute(request)
    }
}

fn find_source<'a, T: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// The last message of the error chain ("Connection refused (os error 111)").
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut current = error.source();
    while let Some(e) = current {
        let text = e.to_string();
        if parts.last().is_none_or(|last| !last.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

#[derive(Debug, thiserror::Error)]
#[error("more than {0} redirects")]
struct TooManyRedirects(usize);

/// Redirects are followed, at most `max` of them, each hop's URL checked against the policy
/// (scheme, IP literal) before it is requested; a hop to a host name is then checked on its
/// resolved addresses by [`GuardedResolver`] like any other connection. udata refuses every
/// redirect instead, which makes sources fail on an http -> https or trailing-slash redirect,
/// the commonest kind on real portals; checking each hop keeps the guard without that cost.
/// reqwest drops `Authorization` when a redirect leaves the original host, so an API key is
/// never sent to the redirect target.
fn redirect_policy(policy: Arc<OutboundPolicy>, max: usize) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > max {
            return attempt.error(TooManyRedirects(max));
        }
        match policy.check_url(attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(refusal) => attempt.error(refusal),
        }
    })
}

/// Resolves names with the system resolver, then keeps only the addresses the policy
/// accepts. The connection is made to exactly those addresses, so a name that resolves to a
/// public address when checked and to a private one when used (DNS rebinding) cannot slip
/// through: there is no second lookup.
struct GuardedResolver {
    policy: Arc<OutboundPolicy>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = Arc::clone(&self.policy);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if policy.host_allowed(&host) {
                let addrs: Addrs = Box::new(resolved.into_iter());
                return Ok(addrs);
            }
            let mut first_refusal = None;
            let mut accepted = Vec::with_capacity(resolved.len());
            for addr in resolved {
                match policy.check_ip(addr.ip()) {
                    Ok(()) => accepted.push(addr),
                    Err(Refusal::Address { ip, range }) => {
                        first_refusal.get_or_insert(Refusal::Resolved {
                            host: host.clone(),
                            ip,
                            range,
                        });
                    }
                    Err(other) => {
                        first_refusal.get_or_insert(other);
                    }
                }
            }
            match (accepted.is_empty(), first_refusal) {
                (true, Some(refusal)) => Err(Box::new(refusal) as _),
                _ => {
                    let addrs: Addrs = Box::new(accepted.into_iter());
                    Ok(addrs)
                }
            }
        })
    }
}

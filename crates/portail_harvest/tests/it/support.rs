//! Loopback catalogs for the tests: a real axum server on 127.0.0.1:0 answering with what a
//! closure decides, and recording every request it received.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use portail_harvest::outbound::{Cidr, HttpFetcher, OutboundConfig, OutboundPolicy};
use portail_harvest::{Backend, SourceConfig};
use url::Url;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
}

impl Seen {
    /// The first value of a query parameter.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn params(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub delay: Option<Duration>,
    pub location: Option<String>,
}

impl Reply {
    pub fn json(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            content_type: "application/json;charset=utf-8".into(),
            body: body.into(),
            delay: None,
            location: None,
        }
    }

    pub fn status(mut self, status: u16) -> Reply {
        self.status = status;
        self
    }

    pub fn html(status: u16, body: &str) -> Reply {
        Reply {
            status,
            content_type: "text/html; charset=utf-8".into(),
            ..Reply::json(body.as_bytes().to_vec())
        }
    }

    pub fn redirect(to: impl Into<String>) -> Reply {
        Reply {
            status: 302,
            location: Some(to.into()),
            ..Reply::json(Vec::new())
        }
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = Some(delay);
        self
    }

    pub fn not_found() -> Reply {
        Reply::html(404, "<html><body>Not found</body></html>")
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A loopback server.
pub struct TestServer {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    pub async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> TestServer {
        TestServer::start_on("127.0.0.1:0", handler).await
    }

    /// A server whose handler also gets its own base URL (`http://127.0.0.1:<port>`), for
    /// payloads holding absolute links to themselves.
    pub async fn start_with_base(
        handler: impl Fn(&Seen, &str) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        let base = Arc::new(std::sync::OnceLock::<String>::new());
        let known = Arc::clone(&base);
        let server =
            TestServer::start(move |seen| handler(seen, known.get().map_or("", String::as_str)))
                .await;
        let _ = base.set(server.url(""));
        server
    }

    /// A server on another loopback address (`127.0.0.2:0`).
    pub async fn start_on(
        bind: &str,
        handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&seen);
        let app = axum::Router::new().fallback(move |request: Request| {
            let handler = Arc::clone(&handler);
            let recorded = Arc::clone(&recorded);
            async move {
                let uri = request.uri();
                let query = uri
                    .query()
                    .map(|q| {
                        url::form_urlencoded::parse(q.as_bytes())
                            .into_owned()
                            .collect()
                    })
                    .unwrap_or_default();
                let seen = Seen {
                    path: uri.path().to_owned(),
                    query,
                    headers: request.headers().clone(),
                };
                recorded.lock().expect("lock").push(seen.clone());
                let reply = handler(&seen);
                if let Some(delay) = reply.delay {
                    tokio::time::sleep(delay).await;
                }
                let mut response = Response::builder()
                    .status(StatusCode::from_u16(reply.status).expect("status"))
                    .header(header::CONTENT_TYPE, reply.content_type);
                if let Some(location) = reply.location {
                    response = response.header(header::LOCATION, location);
                }
                response.body(Body::from(reply.body)).expect("response")
            }
        });
        let listener = tokio::net::TcpListener::bind(bind).await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestServer { addr, seen }
    }

    /// `http://127.0.0.1:<port>` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }

    /// The requests to `path`.
    pub fn seen_at(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path == path).collect()
    }
}

/// A policy allowing the loopback IPv4 network, as the tests need.
pub fn loopback_policy() -> OutboundPolicy {
    let loopback: Cidr = "127.0.0.0/8".parse().expect("cidr");
    OutboundPolicy::strict().allow_network(loopback)
}

/// Outbound limits sized for tests: short timeouts, 1 MiB bodies.
pub fn test_outbound() -> OutboundConfig {
    OutboundConfig {
        policy: loopback_policy(),
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        max_response_bytes: 1024 * 1024,
        max_redirects: 5,
    }
}

pub fn fetcher() -> HttpFetcher {
    HttpFetcher::new(test_outbound()).expect("fetcher")
}

pub fn source(server: &TestServer, path: &str, backend: Backend) -> SourceConfig {
    SourceConfig::new(Url::parse(&server.url(path)).expect("url"), backend)
}

/// One of this crate's fixtures (`tests/fixtures/...`).
pub fn fixture(path: &str) -> Vec<u8> {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Query parameters as a map, for terse assertions.
pub fn query_map(seen: &Seen) -> BTreeMap<String, String> {
    seen.query.iter().cloned().collect()
}

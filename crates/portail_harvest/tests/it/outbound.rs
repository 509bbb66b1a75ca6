//! The SSRF guard and the limits of the outbound client, against real sockets.

use std::time::{Duration, Instant};

use portail_harvest::outbound::{
    Fetch, FetchRequest, HttpFetcher, OutboundConfig, OutboundError, OutboundPolicy, Refusal,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;

use crate::support::{Reply, TestServer, fetcher, test_outbound};

fn get(url: &str) -> FetchRequest {
    FetchRequest::get(Url::parse(url).expect("url"), "harvester; test")
}

fn strict_fetcher() -> HttpFetcher {
    HttpFetcher::new(OutboundConfig {
        policy: OutboundPolicy::strict(),
        ..test_outbound()
    })
    .expect("fetcher")
}

#[tokio::test]
async fn loopback_is_refused_by_default() {
    let server = TestServer::start(|_| Reply::json("{}")).await;
    let error = strict_fetcher()
        .fetch(get(&server.url("/")))
        .await
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "refused: 127.0.0.1 is a loopback address (allow it with PORTAIL_OUTBOUND_ALLOW)"
    );
    assert!(server.seen().is_empty(), "no request may reach the server");
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_at_connect_time() {
    let server = TestServer::start(|_| Reply::json("{}")).await;
    let url = format!("http://localhost:{}/", server.addr.port());
    let error = strict_fetcher()
        .fetch(get(&url))
        .await
        .expect_err("refused");
    match &error {
        OutboundError::Refused(Refusal::Resolved { host, .. }) => assert_eq!(host, "localhost"),
        other => panic!("expected a resolver refusal, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .starts_with("refused: localhost resolves to "),
        "{error}"
    );
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn the_allow_list_lets_loopback_through_with_the_project_user_agent() {
    let server = TestServer::start(|_| Reply::json("{\"ok\": true}")).await;
    let fetcher = HttpFetcher::new(OutboundConfig {
        policy: OutboundPolicy::parse("127.0.0.1, data.example.org").expect("policy"),
        ..test_outbound()
    })
    .expect("fetcher");
    let response = fetcher
        .fetch(get(&server.url("/ping")))
        .await
        .expect("allowed");
    assert_eq!(response.status, 200);
    assert_eq!(response.body, b"{\"ok\": true}");
    let seen = server.seen();
    assert_eq!(
        seen[0].header("user-agent"),
        Some(format!("Portail/{} (+harvester; test)", env!("CARGO_PKG_VERSION")).as_str())
    );
}

#[tokio::test]
async fn an_allow_listed_host_name_bypasses_the_address_check() {
    let server = TestServer::start(|_| Reply::json("{}")).await;
    let fetcher = HttpFetcher::new(OutboundConfig {
        policy: OutboundPolicy::parse("localhost").expect("policy"),
        ..test_outbound()
    })
    .expect("fetcher");
    let url = format!("http://localhost:{}/", server.addr.port());
    let response = fetcher.fetch(get(&url)).await.expect("allowed by name");
    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn private_and_special_literals_are_refused_without_connecting() {
    let fetcher = strict_fetcher();
    for (url, expected) in [
        (
            "http://10.0.0.1/",
            "refused: 10.0.0.1 is a private address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        (
            "http://192.168.1.20:8080/x",
            "refused: 192.168.1.20 is a private address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        (
            "http://169.254.169.254/latest/meta-data/",
            "refused: 169.254.169.254 is a link-local address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        (
            "http://100.64.0.1/",
            "refused: 100.64.0.1 is a carrier-grade NAT address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        (
            "http://[::ffff:10.0.0.1]/",
            "refused: ::ffff:10.0.0.1 is a private address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        // WHATWG URL parsing turns decimal and hex hosts into addresses, checked as such.
        (
            "http://2130706433/",
            "refused: 127.0.0.1 is a loopback address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        (
            "http://0x7f.1/",
            "refused: 127.0.0.1 is a loopback address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        (
            "http://[fd00::1]/",
            "refused: fd00::1 is a unique-local address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        (
            "http://[::1]/",
            "refused: ::1 is a loopback address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        (
            "http://0.0.0.0/",
            "refused: 0.0.0.0 is the unspecified address (allow it with PORTAIL_OUTBOUND_ALLOW)",
        ),
        (
            "ftp://example.org/file",
            "refused: the ftp: scheme is not allowed (only http and https)",
        ),
        (
            "file:///etc/passwd",
            "refused: the file: scheme is not allowed (only http and https)",
        ),
    ] {
        let started = Instant::now();
        let error = fetcher.fetch(get(url)).await.expect_err(url);
        assert_eq!(error.to_string(), expected, "{url}");
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{url} must fail before any connection"
        );
    }
}

#[tokio::test]
async fn a_redirect_to_a_refused_address_is_refused() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/start" => Reply::redirect("http://169.254.169.254/latest/meta-data/"),
        _ => Reply::json("{}"),
    })
    .await;
    let error = fetcher()
        .fetch(get(&server.url("/start")))
        .await
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "refused: 169.254.169.254 is a link-local address (allow it with PORTAIL_OUTBOUND_ALLOW)"
    );
}

#[tokio::test]
async fn a_redirect_to_a_name_resolving_to_a_refused_address_is_refused() {
    // The first hop is on 127.0.0.2, the only address allowed; the redirect goes to
    // localhost, which resolves to 127.0.0.1 and ::1: the resolver refuses both.
    let target = TestServer::start(|_| Reply::json("{}")).await;
    let location = format!("http://localhost:{}/end", target.addr.port());
    let redirecting =
        TestServer::start_on("127.0.0.2:0", move |_| Reply::redirect(location.clone())).await;
    let fetcher = HttpFetcher::new(OutboundConfig {
        policy: OutboundPolicy::parse("127.0.0.2").expect("policy"),
        ..test_outbound()
    })
    .expect("fetcher");
    let error = fetcher
        .fetch(get(&redirecting.url("/start")))
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, OutboundError::Refused(Refusal::Resolved { host, .. }) if host == "localhost"),
        "{error:?}"
    );
    assert_eq!(redirecting.seen().len(), 1);
    assert!(target.seen().is_empty());
}

#[tokio::test]
async fn redirects_are_followed_up_to_the_limit() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/a" => Reply::redirect("/b"),
        "/b" => Reply::json("{\"at\": \"b\"}"),
        _ => Reply::redirect("/loop"),
    })
    .await;
    let fetcher = fetcher();
    let response = fetcher
        .fetch(get(&server.url("/a")))
        .await
        .expect("followed");
    assert_eq!(response.url.path(), "/b");
    let error = fetcher
        .fetch(get(&server.url("/loop")))
        .await
        .expect_err("too many");
    assert!(
        matches!(error, OutboundError::TooManyRedirects { max: 5, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_server_error_is_reported_with_its_status_and_url() {
    let server = TestServer::start(|_| Reply::html(503, "busy")).await;
    let response = fetcher()
        .fetch(get(&server.url("/x")))
        .await
        .expect("response");
    let error = response.error_for_status().expect_err("503");
    assert_eq!(
        error.to_string(),
        format!("HTTP 503 from {}", server.url("/x"))
    );
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = TestServer::start(|_| Reply::json("{}").delayed(Duration::from_secs(3))).await;
    let fetcher = HttpFetcher::new(OutboundConfig {
        timeout: Duration::from_millis(300),
        ..test_outbound()
    })
    .expect("fetcher");
    let started = Instant::now();
    let error = fetcher
        .fetch(get(&server.url("/slow")))
        .await
        .expect_err("timeout");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        error.to_string(),
        format!("timed out after 300 ms: {}", server.url("/slow"))
    );
}

#[tokio::test]
async fn an_oversized_response_is_refused() {
    let server = TestServer::start(|_| Reply::json(vec![b' '; 4096])).await;
    let fetcher = HttpFetcher::new(OutboundConfig {
        max_response_bytes: 1024,
        ..test_outbound()
    })
    .expect("fetcher");
    let error = fetcher
        .fetch(get(&server.url("/big")))
        .await
        .expect_err("too large");
    assert_eq!(
        error.to_string(),
        format!("response larger than 1 KiB: {}", server.url("/big"))
    );
    let default = OutboundError::TooLarge {
        limit: 50 * 1024 * 1024,
        url: "https://x.test/".into(),
    };
    assert_eq!(
        default.to_string(),
        "response larger than 50 MiB: https://x.test/"
    );
}

/// A body without Content-Length (chunked) is counted while it streams.
#[tokio::test]
async fn an_oversized_chunked_response_is_stopped_while_streaming() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 2048];
                let _ = socket.read(&mut buffer).await;
                let _ = socket
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .await;
                let chunk = format!("{:x}\r\n{}\r\n", 512, " ".repeat(512));
                for _ in 0..64 {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    let fetcher = HttpFetcher::new(OutboundConfig {
        max_response_bytes: 4096,
        ..test_outbound()
    })
    .expect("fetcher");
    let error = fetcher
        .fetch(get(&format!("http://{addr}/stream")))
        .await
        .expect_err("too large");
    assert!(
        matches!(error, OutboundError::TooLarge { limit: 4096, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_closed_port_is_a_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let error = fetcher()
        .fetch(get(&format!("http://{addr}/")))
        .await
        .expect_err("closed");
    assert!(matches!(error, OutboundError::Connect { .. }), "{error:?}");
}

#[tokio::test]
async fn header_values_are_checked_without_echoing_secrets() {
    let server = TestServer::start(|_| Reply::json("{}")).await;
    let request = get(&server.url("/")).header("Authorization", "secret\r\nX-Injected: 1");
    let error = fetcher().fetch(request).await.expect_err("invalid header");
    assert!(!error.to_string().contains("secret"), "{error}");
}

#[tokio::test]
async fn a_redirect_to_another_host_does_not_carry_the_api_key() {
    let target = TestServer::start(|_| Reply::json("{}")).await;
    let location = target.url("/landing");
    let redirecting = TestServer::start(move |_| Reply::redirect(location.clone())).await;
    let request = get(&redirecting.url("/start")).header("Authorization", "secret-key");
    let response = fetcher().fetch(request).await.expect("followed");
    assert_eq!(response.url.path(), "/landing");
    assert_eq!(
        redirecting.seen()[0].header("authorization"),
        Some("secret-key")
    );
    assert_eq!(
        target.seen()[0].header("authorization"),
        None,
        "another port is another origin"
    );
}

//! The built-in load generator: `connections` tasks sending requests back to back over a
//! pooled HTTP client until the deadline. It runs in the same process as the server, so the
//! two share the CPU; wrk gives fairer figures when installed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Measurement, Target};

/// How long a request may take before it counts as an error; also bounds how long a run can
/// overrun its deadline.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A client that keeps one connection per task alive.
pub fn http_client(connections: u32) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(connections as usize)
        .timeout(REQUEST_TIMEOUT)
        .build()?)
}

/// Sends requests to `target` from `connections` tasks for `duration`.
pub async fn measure(
    client: &reqwest::Client,
    base: &str,
    target: &Arc<Target>,
    connections: u32,
    duration: Duration,
) -> anyhow::Result<Measurement> {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for task in 0..connections {
        let client = client.clone();
        let base = base.to_owned();
        let target = Arc::clone(target);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            // Tasks start at different places so they do not all ask for the same thing.
            let mut n = task as usize * 7_919;
            while Instant::now() < deadline {
                n += 1;
                let url = format!("{base}{}", target.path(n));
                let sent = Instant::now();
                let ok = match client.get(&url).send().await {
                    Ok(response) => {
                        let success = response.status().is_success();
                        response.bytes().await.is_ok() && success
                    }
                    Err(_) => false,
                };
                if !ok {
                    errors += 1;
                }
                latencies.push(sent.elapsed());
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut l, e) = task.await?;
        latencies.append(&mut l);
        errors += e;
    }
    Ok(Measurement::from_latencies(
        latencies,
        errors,
        started.elapsed(),
    ))
}

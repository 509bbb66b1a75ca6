//! Load from wrk (https://github.com/wg/wrk), driven by a Lua script written for the run that
//! walks through the target's paths and prints the figures in one parsable line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use super::{Measurement, Target};

/// Marks the line the script prints at the end of a run.
const RESULT_MARK: &str = "PORTAIL_RESULT";

/// wrk's path when it is on `PATH`.
pub fn find() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("wrk"))
        .find(|candidate| candidate.is_file())
}

/// Runs wrk against `target` for `duration` with `connections` connections.
pub async fn measure(
    wrk: &Path,
    base: &str,
    target: &Target,
    connections: u32,
    duration: Duration,
) -> anyhow::Result<Measurement> {
    let mut script = tempfile::Builder::new()
        .prefix("portail-bench-")
        .suffix(".lua")
        .tempfile()?;
    script.write_all(lua_script(target).as_bytes())?;
    script.flush()?;
    let threads = connections.clamp(1, 2);
    let seconds = duration.as_secs().max(1);
    let mut command = tokio::process::Command::new(wrk);
    command
        .arg(format!("-t{threads}"))
        .arg(format!("-c{}", connections.max(threads)))
        .arg(format!("-d{seconds}s"))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(script.path())
        .arg(format!("{base}/"))
        .kill_on_drop(true);
    // wrk stops by itself after -d; the margin covers start-up and slow last requests.
    let limit = Duration::from_secs(seconds + 30);
    let output = tokio::time::timeout(limit, command.output())
        .await
        .context("wrk did not stop in time")?
        .context("cannot run wrk")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "wrk failed ({}): {}{}",
            output.status,
            stdout.trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    parse(&stdout).with_context(|| format!("unexpected wrk output:\n{stdout}"))
}

/// The script: every thread walks the target's paths from its own offset, and `done` prints
/// the figures (latencies in microseconds).
fn lua_script(target: &Target) -> String {
    let request = match target {
        Target::DatasetById(ids) => {
            let quoted: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
            format!(
                "local ids = {{{}}}\n\
                 function request()\n  \
                   counter = counter + 1\n  \
                   return wrk.format(\"GET\", \"/api/1/datasets/\" .. ids[(counter % #ids) + 1] .. \"/\")\n\
                 end\n",
                quoted.join(",")
            )
        }
        Target::DatasetList { pages, page_size } => format!(
            "function request()\n  \
               counter = counter + 1\n  \
               return wrk.format(\"GET\", \"/api/1/datasets/?page_size={page_size}&page=\" .. ((counter % {pages}) + 1))\n\
             end\n"
        ),
    };
    format!(
        "counter = 0\n\
         local threads = 0\n\
         function setup(thread)\n  \
           threads = threads + 1\n  \
           thread:set(\"counter\", threads * 7919)\n\
         end\n\
         {request}\
         function done(summary, latency, requests)\n  \
           local e = summary.errors\n  \
           io.write(string.format(\"{RESULT_MARK} %.0f %.0f %.0f %.0f %.0f %.0f\\n\",\n    \
             summary.requests, summary.duration,\n    \
             latency:percentile(50), latency:percentile(95), latency:percentile(99),\n    \
             e.connect + e.read + e.write + e.status + e.timeout))\n\
         end\n"
    )
}

fn parse(stdout: &str) -> anyhow::Result<Measurement> {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(RESULT_MARK))
        .context("no result line")?;
    let numbers = line
        .split_whitespace()
        .map(|n| n.parse::<f64>())
        .collect::<Result<Vec<f64>, _>>()?;
    let [requests, duration_us, p50, p95, p99, errors] = numbers[..] else {
        bail!("expected 6 numbers in the result line");
    };
    let micros = |v: f64| Duration::from_micros(v.max(0.0) as u64);
    Ok(Measurement {
        requests: requests as u64,
        errors: errors as u64,
        elapsed: micros(duration_us),
        p50: micros(p50),
        p95: micros(p95),
        p99: micros(p99),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_result_line() {
        let out = "Running 1s test @ http://127.0.0.1:1/\n  2 threads\nPORTAIL_RESULT 1000 2000000 150 900 1500 3\n";
        let m = parse(out).unwrap();
        assert_eq!(m.requests, 1000);
        assert_eq!(m.errors, 3);
        assert_eq!(m.elapsed, Duration::from_secs(2));
        assert_eq!(m.p95, Duration::from_micros(900));
        assert!(parse("nothing").is_err());
    }

    #[test]
    fn scripts_name_every_path() {
        let by_id = lua_script(&Target::DatasetById(vec!["a".into(), "b".into()]));
        assert!(by_id.contains("local ids = {\"a\",\"b\"}"));
        let list = lua_script(&Target::DatasetList {
            pages: 50,
            page_size: 20,
        });
        assert!(list.contains("page_size=20&page="));
        assert!(list.contains("% 50"));
    }
}

//! `portail bench upload`: how fast a large file goes into the portal and back out, against
//! `cp` on the same disk, and how much memory the server needs for it.
//!
//! 1. A test file of random (incompressible) bytes is written next to the data folder, its
//!    SHA-256 computed on the way, and fsynced.
//! 2. Baseline: the real `cp` copies it on the same filesystem, then the copy is fsynced (the
//!    server fsyncs what it stores, so `cp` + fsync is the like-for-like figure).
//! 3. `portail serve` starts as a child process (this very binary), after `user create` and
//!    `token create`; a dataset is created through the API.
//! 4. The file is streamed as a multipart upload while the server's resident memory is sampled
//!    from `/proc` every 100 ms; the answer must be 201 with the file's checksum and size.
//! 5. The hosted file is downloaded back, counted and dropped.
//!
//! Every stage has a time limit, and the server is stopped (SIGTERM, then SIGKILL) whatever
//! happens.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, oneshot};

use crate::cli::{BenchUploadArgs, GlobalOpts};

/// The generator fills this buffer again for each MiB of the test file.
const GENERATE_BUFFER: usize = 1 << 20;
/// Size of the pieces the upload reads the file in.
const READ_CHUNK: usize = 1 << 20;
/// Pieces read ahead of the upload.
const READ_AHEAD: usize = 4;
/// How often the server's memory is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(100);
/// How long a command of the binary or the server start may take.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);
/// How long the server may take to stop after SIGTERM before it is killed.
const SHUTDOWN_LIMIT: Duration = Duration::from_secs(10);
/// A stage moving the whole file is abandoned if slower than this (bytes per second).
const SLOWEST_RATE: f64 = 5e6;
/// Name of the uploaded file (random bytes look like a compressed archive).
const FILE_NAME: &str = "bench-upload.zip";
/// Targets of the issue: upload at least this share of `cp`'s throughput...
const TARGET_SHARE_OF_CP: f64 = 0.70;
/// ...and server memory growing by less than this during the upload.
const TARGET_RSS_GROWTH: u64 = 64 << 20;

/// Runs the benchmark and prints a table.
pub async fn run(global: &GlobalOpts, args: &BenchUploadArgs) -> anyhow::Result<()> {
    let size = args.size;
    if size == 0 {
        bail!("--size must be more than 0 bytes");
    }
    if global.database_url.is_some() {
        eprintln!(
            "bench: ignoring --database-url/DATABASE_URL: the benchmark uses the SQLite file of its data folder"
        );
    }
    // A fresh folder unless the user named one; dropped (removed) at the end.
    let temporary = match &global.data_dir {
        Some(_) => None,
        None => Some(
            tempfile::Builder::new()
                .prefix("portail-bench-upload-")
                .tempdir()
                .context("cannot create a temporary folder")?,
        ),
    };
    let data_dir = match (&temporary, &global.data_dir) {
        (Some(dir), _) => dir.path().join("data"),
        (None, Some(dir)) => dir.clone(),
        (None, None) => bail!("no data folder"),
    };
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    // The test file and its copy: inside the data folder, so on the same filesystem as the
    // stored files; always removed at the end.
    let work = tempfile::Builder::new()
        .prefix("bench-upload-")
        .tempdir_in(&data_dir)
        .with_context(|| format!("cannot create a folder in {}", data_dir.display()))?;
    eprintln!("bench: data folder {}", data_dir.display());
    check_free_space(&data_dir, size)?;

    let load_before = load_average();
    let mut report = Report {
        size,
        load_before: load_before.clone(),
        ..Report::default()
    };
    let source = work.path().join(FILE_NAME);
    let limit = stage_limit(size);

    eprintln!("bench: writing a {} test file", human_bytes(size));
    let (sha256, generated, fsynced) = {
        let source = source.clone();
        tokio::time::timeout(
            limit,
            tokio::task::spawn_blocking(move || generate(&source, size)),
        )
        .await
        .context("writing the test file took too long")?
        .context("the generator failed")?
        .context("cannot write the test file")?
    };
    report.generate = Some(generated);
    report.generate_fsync = Some(fsynced);

    eprintln!("bench: baseline: cp + fsync");
    let (cp, cp_fsync, cp_cpu) = baseline(&source, &work.path().join("copy.zip"), limit).await?;
    report.cp = Some(cp);
    report.cp_fsync = Some(cp_fsync);
    report.cp_cpu = cp_cpu;

    let measured = serve_and_measure(&data_dir, &source, size, &sha256, &mut report).await;
    report.load_after = load_average();
    print_report(&report);
    drop(work);
    match temporary {
        Some(dir) => dir.close().context("cannot remove the temporary folder")?,
        None => eprintln!(
            "bench: the uploaded file and the bench dataset stay in {}",
            data_dir.display()
        ),
    }
    measured
}

/// What was measured; `None` for what did not run.
#[derive(Debug, Default)]
struct Report {
    size: u64,
    load_before: String,
    load_after: String,
    generate: Option<Duration>,
    generate_fsync: Option<Duration>,
    cp: Option<Duration>,
    cp_fsync: Option<Duration>,
    upload: Option<Duration>,
    download: Option<Duration>,
    /// Server memory after the warm-up, before the upload.
    before: Option<Memory>,
    /// Highest resident memory sampled during the upload, and samples taken.
    upload_peak: Option<(u64, usize)>,
    /// The peak-RSS counter once the upload is done.
    hwm_after_upload: Option<u64>,
    /// Resident memory a moment after the upload.
    after_upload: Option<u64>,
    /// Highest resident memory sampled during the download.
    download_peak: Option<(u64, usize)>,
    /// CPU time used by `cp` (none when unknown).
    cp_cpu: Option<Duration>,
    /// CPU time used during the upload by the server, and by this process (the client).
    upload_cpu: CpuSplit,
    /// Same during the download.
    download_cpu: CpuSplit,
}

/// CPU time used during a step, by the server and by this process, and the server's minor
/// page faults (fresh memory it touched: each costs a trap and a zeroed page).
#[derive(Debug, Default, Clone, Copy)]
struct CpuSplit {
    server: Option<Duration>,
    client: Option<Duration>,
    server_faults: Option<u64>,
}

impl CpuSplit {
    fn between(before: (Option<CpuTimes>, Option<CpuTimes>), pid: u32) -> CpuSplit {
        let after = (cpu_times(&pid.to_string()), cpu_times("self"));
        CpuSplit {
            server: before
                .0
                .zip(after.0)
                .map(|(b, a)| a.own.saturating_sub(b.own)),
            client: before
                .1
                .zip(after.1)
                .map(|(b, a)| a.own.saturating_sub(b.own)),
            server_faults: before
                .0
                .zip(after.0)
                .map(|(b, a)| a.minor_faults.saturating_sub(b.minor_faults)),
        }
    }
}

/// CPU times of a process, from `/proc/<pid>/stat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CpuTimes {
    /// User + system time of the process itself.
    own: Duration,
    /// User + system time of its children that it waited for.
    children: Duration,
    /// Minor page faults of the process itself.
    minor_faults: u64,
}

/// `pid` is a number or `self`.
fn cpu_times(pid: &str) -> Option<CpuTimes> {
    parse_cpu_times(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

fn parse_cpu_times(stat: &str) -> Option<CpuTimes> {
    // The command name, in parentheses, may hold spaces: count fields after it. minflt is
    // field 10; utime, stime, cutime and cstime are fields 14 to 17, in clock ticks of 1/100 s
    // on Linux (USER_HZ).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let number = |i: usize| fields.get(i)?.parse::<u64>().ok();
    let ticks = |a: usize, b: usize| Some(Duration::from_millis((number(a)? + number(b)?) * 10));
    Some(CpuTimes {
        own: ticks(11, 12)?,
        children: ticks(13, 14)?,
        minor_faults: number(7)?,
    })
}

/// Bounds a stage that moves the whole file.
fn stage_limit(size: u64) -> Duration {
    Duration::from_secs(60) + Duration::from_secs_f64(size as f64 / SLOWEST_RATE)
}

/// xorshift64: fast, and its output does not compress.
fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// Writes `size` random bytes at `path`, fsyncs them and returns their SHA-256, the time to
/// generate + hash + write, and the time of the fsync.
fn generate(path: &Path, size: u64) -> std::io::Result<(String, Duration, Duration)> {
    use std::io::Write;
    let started = Instant::now();
    let mut file = std::fs::File::create(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; GENERATE_BUFFER];
    // Four independent generators, so that the CPU can interleave them.
    let mut state = [
        0x9E37_79B9_7F4A_7C15u64,
        0xBF58_476D_1CE4_E5B9,
        0x94D0_49BB_1331_11EB,
        0x2545_F491_4F6C_DD1D,
    ];
    let mut left = size;
    while left > 0 {
        for words in buffer.chunks_exact_mut(32) {
            for (lane, word) in words.chunks_exact_mut(8).enumerate() {
                state[lane] = xorshift(state[lane]);
                word.copy_from_slice(&state[lane].to_le_bytes());
            }
        }
        let n = usize::try_from(left.min(GENERATE_BUFFER as u64)).unwrap_or(GENERATE_BUFFER);
        hasher.update(&buffer[..n]);
        file.write_all(&buffer[..n])?;
        left -= n as u64;
    }
    let written = started.elapsed();
    file.sync_all()?;
    Ok((
        hex::encode(hasher.finalize()),
        written,
        started.elapsed() - written,
    ))
}

/// Times the real `cp` of `source` to `copy`, then `cp` followed by an fsync of the copy;
/// removes the copy.
async fn baseline(
    source: &Path,
    copy: &Path,
    limit: Duration,
) -> anyhow::Result<(Duration, Duration, Option<Duration>)> {
    let children_before = cpu_times("self").map(|c| c.children);
    let started = Instant::now();
    let status = tokio::time::timeout(
        limit,
        Command::new("cp")
            .arg(source)
            .arg(copy)
            .kill_on_drop(true)
            .status(),
    )
    .await
    .context("cp took too long")?
    .context("cannot run cp")?;
    let cp = started.elapsed();
    let cp_cpu = children_before
        .zip(cpu_times("self"))
        .map(|(before, after)| after.children.saturating_sub(before));
    if !status.success() {
        let _ = tokio::fs::remove_file(copy).await;
        bail!("cp failed ({status})");
    }
    let synced = {
        let copy = copy.to_owned();
        tokio::time::timeout(
            limit,
            tokio::task::spawn_blocking(move || std::fs::File::open(copy)?.sync_all()),
        )
        .await
    };
    let cp_fsync = started.elapsed();
    tokio::fs::remove_file(copy)
        .await
        .context("cannot remove the copy")?;
    synced
        .context("the fsync of the copy took too long")?
        .context("the fsync task failed")?
        .context("cannot fsync the copy")?;
    Ok((cp, cp_fsync, cp_cpu))
}

/// Prepares the server's data, runs it, measures, and stops it whatever happened.
async fn serve_and_measure(
    data_dir: &Path,
    source: &Path,
    size: u64,
    sha256: &str,
    report: &mut Report,
) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find the portail binary")?;
    let email = format!(
        "bench-{}@example.org",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    portail(
        &exe,
        data_dir,
        &[
            "user",
            "create",
            "--email",
            &email,
            "--password",
            "bench upload password",
        ],
    )
    .await?;
    let token = portail(&exe, data_dir, &["token", "create", "--email", &email]).await?;

    let mut server = Server::start(&exe, data_dir, size).await?;
    eprintln!("bench: server pid {} at {}", server.pid, server.base);
    let measured = measure(&server, &token, source, size, sha256, report).await;
    server.stop().await;
    measured
}

/// Runs a command of this binary on the data folder; returns its standard output, trimmed.
async fn portail(exe: &Path, data_dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let what = args.iter().take(2).copied().collect::<Vec<_>>().join(" ");
    let output = tokio::time::timeout(
        STARTUP_LIMIT,
        Command::new(exe)
            .arg("--data-dir")
            .arg(data_dir)
            .args(args)
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .with_context(|| format!("portail {what} took too long"))?
    .context("cannot run portail")?;
    if !output.status.success() {
        bail!(
            "portail {what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// `portail serve`, running as a child process.
struct Server {
    child: Child,
    pid: u32,
    base: String,
}

impl Server {
    /// Starts the server on a free port and waits for its address.
    async fn start(exe: &Path, data_dir: &Path, size: u64) -> anyhow::Result<Server> {
        let mut child = Command::new(exe)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--listen", "127.0.0.1:0", "--max-upload-size"])
            .arg(size.saturating_add(1 << 20).to_string())
            // Only the data folder decides where things go, and every upload type is allowed.
            .env_remove("DATABASE_URL")
            .env_remove("PORTAIL_STORAGE_URL")
            .env_remove("PORTAIL_PUBLIC_URL")
            .env_remove("PORTAIL_ALLOWED_EXTENSIONS")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            // Should anything go wrong on the way, dropping the child kills it.
            .kill_on_drop(true)
            .spawn()
            .context("cannot start portail serve")?;
        let pid = child.id().context("the server exited at once")?;
        let stderr = child.stderr.take().context("no stderr for the server")?;
        let mut lines = BufReader::new(stderr).lines();
        let waited = tokio::time::timeout(STARTUP_LIMIT, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(address) = line.strip_prefix("Portail listening on ") {
                    return Ok(Some(address.trim().to_owned()));
                }
                eprintln!("server: {line}");
            }
            Ok::<_, std::io::Error>(None)
        })
        .await;
        let base = match waited {
            Ok(Ok(Some(base))) => base,
            Ok(Ok(None)) => bail!("the server exited before listening"),
            Ok(Err(e)) => bail!("cannot read the server's output: {e}"),
            Err(_) => bail!("the server did not start within {STARTUP_LIMIT:?}"),
        };
        // Keep draining (and showing) its output so that it never blocks on a full pipe.
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                eprintln!("server: {line}");
            }
        });
        Ok(Server { child, pid, base })
    }

    /// SIGTERM, then SIGKILL if it has not stopped within [`SHUTDOWN_LIMIT`].
    async fn stop(&mut self) {
        let signalled = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .await
            .is_ok_and(|s| s.success());
        if signalled {
            match tokio::time::timeout(SHUTDOWN_LIMIT, self.child.wait()).await {
                Ok(Ok(status)) if status.success() => return,
                Ok(Ok(status)) => {
                    eprintln!("bench: the server exited with {status}");
                    return;
                }
                Ok(Err(e)) => eprintln!("bench: cannot wait for the server: {e}"),
                Err(_) => eprintln!(
                    "bench: the server did not stop within {SHUTDOWN_LIMIT:?} of SIGTERM; killing it"
                ),
            }
        }
        if let Err(e) = self.child.kill().await {
            eprintln!("bench: cannot kill the server (pid {}): {e}", self.pid);
        }
    }
}

/// Resident memory of a process, from `/proc/<pid>/status`, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Memory {
    /// `VmRSS`: resident now.
    rss: u64,
    /// `VmHWM`: the highest resident so far.
    hwm: u64,
}

fn read_memory(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_memory(&status)
}

fn parse_memory(status: &str) -> Option<Memory> {
    let field = |name: &str| {
        status.lines().find_map(|line| {
            let value = line.strip_prefix(name)?.strip_prefix(':')?;
            let kib: u64 = value.trim().strip_suffix("kB")?.trim().parse().ok()?;
            Some(kib * 1024)
        })
    };
    Some(Memory {
        rss: field("VmRSS")?,
        hwm: field("VmHWM")?,
    })
}

/// Samples the resident memory of `pid` every [`SAMPLE_EVERY`] until told to stop; returns
/// the highest value and the number of samples.
fn sample_memory(pid: u32) -> (oneshot::Sender<()>, tokio::task::JoinHandle<(u64, usize)>) {
    let (stop, mut stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let mut peak = 0;
        let mut samples = 0;
        let mut ticks = tokio::time::interval(SAMPLE_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                _ = ticks.tick() => {
                    if let Some(m) = read_memory(pid) {
                        peak = peak.max(m.rss);
                        samples += 1;
                    }
                }
            }
        }
        if let Some(m) = read_memory(pid) {
            peak = peak.max(m.rss);
            samples += 1;
        }
        (peak, samples)
    });
    (stop, task)
}

/// Runs `work` while sampling the server's memory.
async fn while_sampling<T>(
    pid: u32,
    work: impl std::future::Future<Output = T>,
) -> (T, Option<(u64, usize)>) {
    let (stop, sampler) = sample_memory(pid);
    let out = work.await;
    let _ = stop.send(());
    let peak = sampler.await.ok().filter(|(_, samples)| *samples > 0);
    (out, peak)
}

/// The measured part, once the server runs.
async fn measure(
    server: &Server,
    token: &str,
    source: &Path,
    size: u64,
    sha256: &str,
    report: &mut Report,
) -> anyhow::Result<()> {
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .context("cannot build the HTTP client")?;
    let base = &server.base;
    let limit = stage_limit(size);

    let created = http
        .post(format!("{base}/api/1/datasets/"))
        .header("X-API-KEY", token)
        .json(&json!({
            "title": "Upload benchmark",
            "description": "Created by portail bench upload to receive a large file.",
        }))
        .timeout(STARTUP_LIMIT)
        .send()
        .await
        .context("cannot create the dataset")?;
    let status = created.status();
    let created: Value = created.json().await.context("cannot read the dataset")?;
    if status != reqwest::StatusCode::CREATED {
        bail!("creating the dataset answered {status}: {created}");
    }
    let dataset = created["id"]
        .as_str()
        .context("the dataset has no id")?
        .to_owned();
    let upload_url = format!("{base}/api/1/datasets/{dataset}/upload/");

    // Warm-up: a read and a small upload, so that the baseline is a server that served both.
    http.get(format!("{base}/api/1/datasets/{dataset}/"))
        .timeout(STARTUP_LIMIT)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .context("the warm-up read failed")?;
    let small = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(vec![0x5a; 64 * 1024]).file_name("warm-up.zip"),
    );
    http.post(&upload_url)
        .header("X-API-KEY", token)
        .multipart(small)
        .timeout(STARTUP_LIMIT)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .context("the warm-up upload failed")?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = read_memory(server.pid);
    report.before = before;

    eprintln!("bench: uploading {}", human_bytes(size));
    let cpu_before = (cpu_times(&server.pid.to_string()), cpu_times("self"));
    let started = Instant::now();
    let (answer, peak) = while_sampling(server.pid, async {
        let form = reqwest::multipart::Form::new()
            .text("title", "Upload benchmark file")
            .part(
                "file",
                reqwest::multipart::Part::stream_with_length(file_body(source), size)
                    .file_name(FILE_NAME)
                    .mime_str("application/zip")?,
            );
        let response = http
            .post(&upload_url)
            .header("X-API-KEY", token)
            .multipart(form)
            .timeout(limit)
            .send()
            .await
            .context("the upload failed")?;
        let status = response.status();
        let body = response
            .text()
            .await
            .context("cannot read the upload's answer")?;
        Ok::<_, anyhow::Error>((status, body))
    })
    .await;
    let elapsed = started.elapsed();
    report.upload_cpu = CpuSplit::between(cpu_before, server.pid);
    report.upload_peak = peak;
    report.hwm_after_upload = read_memory(server.pid).map(|m| m.hwm);
    let (status, body) = answer?;
    if status != reqwest::StatusCode::CREATED {
        bail!("the upload answered {status}: {body}");
    }
    let resource: Value = serde_json::from_str(&body).context("the upload's answer is not JSON")?;
    let checksum = resource["checksum"]["value"].as_str().unwrap_or_default();
    if checksum != sha256 {
        bail!("the server's checksum {checksum:?} is not the file's SHA-256 {sha256}");
    }
    if resource["filesize"].as_u64() != Some(size) {
        bail!(
            "the server's file size {} is not {size}",
            resource["filesize"]
        );
    }
    report.upload = Some(elapsed);
    tokio::time::sleep(Duration::from_millis(500)).await;
    report.after_upload = read_memory(server.pid).map(|m| m.rss);

    let url = resource["url"]
        .as_str()
        .context("the resource has no url")?
        .to_owned();
    eprintln!("bench: downloading {url}");
    let cpu_before = (cpu_times(&server.pid.to_string()), cpu_times("self"));
    let started = Instant::now();
    let (received, peak) = while_sampling(
        server.pid,
        tokio::time::timeout(limit, download(&http, &url)),
    )
    .await;
    let elapsed = started.elapsed();
    report.download_cpu = CpuSplit::between(cpu_before, server.pid);
    report.download_peak = peak;
    let received = received.context("the download took too long")??;
    if received != size {
        bail!("downloaded {received} bytes instead of {size}");
    }
    report.download = Some(elapsed);
    Ok(())
}

/// The file as a stream of [`READ_CHUNK`] pieces, read by a thread a few pieces ahead (the
/// file is never in memory; the thread stops when the stream is dropped).
fn file_body(path: &Path) -> reqwest::Body {
    let (sender, receiver) = mpsc::channel::<std::io::Result<Bytes>>(READ_AHEAD);
    let path: PathBuf = path.to_owned();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) => {
                let _ = sender.blocking_send(Err(e));
                return;
            }
        };
        loop {
            let mut piece = BytesMut::zeroed(READ_CHUNK);
            let mut filled = 0;
            while filled < READ_CHUNK {
                match file.read(&mut piece[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        let _ = sender.blocking_send(Err(e));
                        return;
                    }
                }
            }
            if filled == 0 {
                return;
            }
            piece.truncate(filled);
            if sender.blocking_send(Ok(piece.freeze())).is_err() {
                return;
            }
        }
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|piece| (piece, receiver))
    });
    reqwest::Body::wrap_stream(stream)
}

/// Downloads `url`, counting the bytes and dropping them.
async fn download(http: &reqwest::Client, url: &str) -> anyhow::Result<u64> {
    let response = http
        .get(url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .context("the download failed")?;
    let mut body = response.bytes_stream();
    let mut received = 0u64;
    while let Some(piece) = body.next().await {
        received += piece.context("the download broke off")?.len() as u64;
    }
    Ok(received)
}

/// Refuses to start when the filesystem cannot hold the test file, its copy and the upload
/// (asks `df`; skipped when that fails).
fn check_free_space(dir: &Path, size: u64) -> anyhow::Result<()> {
    let Ok(output) = std::process::Command::new("df")
        .args(["-P", "-B1"])
        .arg(dir)
        .output()
    else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let available = text
        .lines()
        .nth(1)
        .and_then(|line| line.split_whitespace().nth(3))
        .and_then(|v| v.parse::<u64>().ok());
    let needed = size.saturating_mul(2).saturating_add(256 << 20);
    match available {
        Some(available) if available < needed => bail!(
            "{} has {} free; the benchmark needs about {} (the test file, then its copy or the upload)",
            dir.display(),
            human_bytes(available),
            human_bytes(needed)
        ),
        _ => Ok(()),
    }
}

/// The 1, 5 and 15-minute load averages.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

fn human_bytes(bytes: u64) -> String {
    const MIB: f64 = (1 << 20) as f64;
    if bytes >= 1 << 30 {
        format!("{:.2} GiB", bytes as f64 / (MIB * 1024.0))
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB)
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

/// Throughput in MB/s (10^6 bytes).
fn rate(size: u64, elapsed: Duration) -> f64 {
    size as f64 / 1e6 / elapsed.as_secs_f64().max(1e-9)
}

fn print_report(r: &Report) {
    println!();
    println!(
        "Portail upload benchmark: {} ({} bytes), {} CPUs, load average {} before, {} after",
        human_bytes(r.size),
        r.size,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        r.load_before,
        r.load_after
    );
    println!(
        "{:<34}  {:>9}  {:>9}  {:>8}  {:>12}",
        "step", "time (s)", "MB/s", "% of cp", "% of cp+sync"
    );
    let row = |label: &str, elapsed: Option<Duration>, compare: bool| match elapsed {
        None => println!("{label:<34}  {:>9}", "-"),
        Some(elapsed) => {
            let share = |base: Option<Duration>| match base {
                Some(base) if compare => format!(
                    "{:.0}%",
                    100.0 * base.as_secs_f64() / elapsed.as_secs_f64().max(1e-9)
                ),
                _ => String::new(),
            };
            let line = format!(
                "{label:<34}  {:>9.2}  {:>9.1}  {:>8}  {:>12}",
                elapsed.as_secs_f64(),
                rate(r.size, elapsed),
                share(r.cp),
                share(r.cp_fsync)
            );
            println!("{}", line.trim_end());
        }
    };
    row("generate (xorshift+sha256+write)", r.generate, false);
    row("fsync of the test file", r.generate_fsync, false);
    row("cp", r.cp, false);
    row("cp + fsync", r.cp_fsync, false);
    row("upload (POST, 201, checksum ok)", r.upload, true);
    row("download (GET, size ok)", r.download, true);
    match r.before {
        Some(before) => println!(
            "server memory before the upload: VmRSS {:.1} MiB, VmHWM {:.1} MiB",
            mib(before.rss),
            mib(before.hwm)
        ),
        None => println!("server memory before the upload: unknown (no /proc)"),
    }
    let growth = match (r.before, r.upload_peak) {
        (Some(before), Some((peak, samples))) => {
            let growth = peak.saturating_sub(before.rss);
            let hwm = r
                .hwm_after_upload
                .map(|h| format!("{:.1} MiB", mib(h.saturating_sub(before.hwm))))
                .unwrap_or_else(|| "unknown".into());
            println!(
                "peak RSS growth during the upload: {:.1} MiB (VmRSS peak {:.1} MiB over {samples} samples; VmHWM delta {hwm})",
                mib(growth),
                mib(peak)
            );
            Some(growth)
        }
        _ => {
            println!("peak RSS growth during the upload: unknown");
            None
        }
    };
    if let (Some(before), Some(after)) = (r.before, r.after_upload) {
        println!(
            "server VmRSS after the upload: {:.1} MiB ({:+.1} MiB)",
            mib(after),
            mib(after) - mib(before.rss)
        );
    }
    if let (Some(before), Some((peak, samples))) = (r.before, r.download_peak) {
        println!(
            "peak RSS growth during the download: {:.1} MiB ({samples} samples)",
            mib(peak.saturating_sub(before.rss))
        );
    }
    let seconds =
        |d: Option<Duration>| d.map_or("?".to_owned(), |d| format!("{:.2} s", d.as_secs_f64()));
    if let Some(cp) = r.cp_cpu {
        println!("CPU time of cp: {:.2} s", cp.as_secs_f64());
    }
    for (step, cpu) in [("upload", r.upload_cpu), ("download", r.download_cpu)] {
        if cpu.server.is_some() || cpu.client.is_some() {
            let faults = cpu
                .server_faults
                .map_or(String::new(), |f| format!(" ({f} minor page faults)"));
            println!(
                "CPU time during the {step}: server {}{faults}, bench client {}",
                seconds(cpu.server),
                seconds(cpu.client)
            );
        }
    }
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    if let (Some(upload), Some(cp)) = (r.upload, r.cp) {
        let share = cp.as_secs_f64() / upload.as_secs_f64().max(1e-9);
        println!(
            "target: upload >= {:.0}% of cp: {} ({:.0}%)",
            TARGET_SHARE_OF_CP * 100.0,
            verdict(share >= TARGET_SHARE_OF_CP),
            share * 100.0
        );
    }
    if let Some(growth) = growth {
        println!(
            "target: RSS growth < {} MiB: {} ({:.1} MiB)",
            TARGET_RSS_GROWTH >> 20,
            verdict(growth < TARGET_RSS_GROWTH),
            mib(growth)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_status() {
        let status = "Name:\tportail\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nThreads:\t4\n";
        assert_eq!(
            parse_memory(status),
            Some(Memory {
                rss: 10 << 20,
                hwm: 20 << 20
            })
        );
        assert_eq!(parse_memory("Name:\tx\n"), None);
    }

    #[test]
    fn reads_proc_stat() {
        let stat = "42 (tokio (x) 1) S 1 42 42 0 -1 4194560 100 0 0 0 250 31 7 3 20 0 4 0";
        assert_eq!(
            parse_cpu_times(stat),
            Some(CpuTimes {
                own: Duration::from_millis(2810),
                children: Duration::from_millis(100),
                minor_faults: 100,
            })
        );
        assert_eq!(parse_cpu_times("42 (x) S 1"), None);
        assert!(cpu_times("self").is_some());
    }

    #[test]
    fn generated_files_hash_and_do_not_repeat() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let size = (3 << 20) + 5;
        let (sha, _, _) = generate(&path, size).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len() as u64, size);
        assert_eq!(sha, hex::encode(Sha256::digest(&bytes)));
        // Every MiB differs from the first.
        let first = &bytes[..GENERATE_BUFFER];
        assert_ne!(first, &bytes[GENERATE_BUFFER..2 * GENERATE_BUFFER]);
        assert_ne!(first, &bytes[2 * GENERATE_BUFFER..3 * GENERATE_BUFFER]);
    }

    #[test]
    fn stages_are_bounded() {
        assert_eq!(stage_limit(0), Duration::from_secs(60));
        assert!(stage_limit(2 << 30) < Duration::from_secs(600));
    }
}

//! Crash safety of uploads: a real `portail serve` process is killed with SIGKILL while a file
//! streams in, then restarted on the same data folder. Nothing half-written may be visible:
//! no resource, no file in storage, and a replaced file stays the one served.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream;
use serde_json::{Value, json};

/// A running server process.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(data_dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_portail"))
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("DATABASE_URL")
            .env_remove("PORTAIL_STORAGE_URL")
            .env("RUST_LOG", "warn")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start portail serve");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server printed its address before exiting")
                .expect("read stderr");
            if let Some(address) = line.strip_prefix("Portail listening on ") {
                break address.trim().to_owned();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    /// SIGKILL: no chance to clean anything up.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cli(data_dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_portail"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run portail");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Starts a multipart upload whose body never ends on its own: it sends `sent_before_kill`
/// bytes, then waits forever (until the server dies).
fn endless_upload(
    client: &reqwest::Client,
    url: String,
    token: String,
    sent_before_kill: usize,
) -> tokio::task::JoinHandle<()> {
    let piece = Bytes::from(vec![b'x'; 1024 * 1024]);
    let pieces = sent_before_kill / piece.len();
    let body = stream::iter((0..pieces).map(move |_| Ok::<Bytes, std::io::Error>(piece.clone())))
        .chain(stream::pending());
    let part = reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(body))
        .file_name("huge-file.csv");
    let form = reqwest::multipart::Form::new().part("file", part);
    let request = client.post(url).header("X-API-KEY", token).multipart(form);
    tokio::spawn(async move {
        // The connection dies with the server: an error is the expected outcome.
        let _ = request.send().await;
    })
}

/// Files visible in the local store (staging files of interrupted writes are not).
async fn visible_files(data_dir: &Path) -> Vec<String> {
    let storage = portail_storage::Storage::local(&data_dir.join("files")).expect("storage");
    storage
        .list("resources")
        .await
        .expect("list")
        .into_iter()
        .map(|o| o.key)
        .collect()
}

/// Every regular file under the store, staging files included.
fn files_on_disk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.display().to_string());
            }
        }
    }
    out
}

async fn wait_for_staging(root: &Path, at_least: u64) {
    for _ in 0..200 {
        let staged: u64 = files_on_disk(root)
            .iter()
            .filter(|f| f.contains('#'))
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        if staged >= at_least {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the upload never reached the storage");
}

#[tokio::test]
async fn sigkill_during_uploads_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();
    cli(data, &["migrate"]);
    cli(
        data,
        &[
            "user",
            "create",
            "--email",
            "crash@example.org",
            "--password",
            "long enough password",
        ],
    );
    let token = cli(data, &["token", "create", "--email", "crash@example.org"]);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();

    // A dataset with one hosted file.
    let server = Server::start(data);
    let created: Value = client
        .post(format!("{}/api/1/datasets/", server.base))
        .header("X-API-KEY", &token)
        .json(&json!({"title": "Crash test", "description": "A dataset whose uploads are interrupted."}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let id = created["id"].as_str().expect("id").to_owned();
    let original = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"a;b\n1;2\n".to_vec()).file_name("original.csv"),
    );
    let first: Value = client
        .post(format!("{}/api/1/datasets/{id}/upload/", server.base))
        .header("X-API-KEY", &token)
        .multipart(original)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    let rid = first["id"].as_str().expect("rid").to_owned();
    let original_path = first["url"]
        .as_str()
        .and_then(|u| u.split_once("/files/"))
        .map(|(_, key)| key.to_owned())
        .expect("hosted url");

    // 1. Kill during a new upload, once 20 MiB have reached the store's staging file.
    let upload = endless_upload(
        &client,
        format!("{}/api/1/datasets/{id}/upload/", server.base),
        token.clone(),
        24 << 20,
    );
    wait_for_staging(&data.join("files"), 16 << 20).await;
    server.kill();
    upload.abort();

    // 2. Restart: the dataset still has exactly its original resource, and no new file is
    //    visible.
    let server = Server::start(data);
    let dataset: Value = client
        .get(format!("{}/api/1/datasets/{id}/", server.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let resources = dataset["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 1, "{dataset}");
    assert_eq!(resources[0]["id"], rid.as_str());
    assert_eq!(visible_files(data).await, vec![original_path.clone()]);

    // 3. Kill during the replacement of that file: the resource keeps serving the old one.
    let upload = endless_upload(
        &client,
        format!(
            "{}/api/1/datasets/{id}/resources/{rid}/upload/",
            server.base
        ),
        token.clone(),
        24 << 20,
    );
    wait_for_staging(&data.join("files"), 16 << 20).await;
    server.kill();
    upload.abort();
    let server = Server::start(data);
    let resource: Value = client
        .get(format!(
            "{}/api/1/datasets/{id}/resources/{rid}/",
            server.base
        ))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let url = resource["url"].as_str().expect("url");
    assert!(url.ends_with(&original_path), "{url}");
    let body = client.get(url).send().await.expect("download");
    assert_eq!(body.status(), reqwest::StatusCode::OK);
    assert_eq!(body.bytes().await.expect("bytes").as_ref(), b"a;b\n1;2\n");
    assert_eq!(visible_files(data).await, vec![original_path.clone()]);

    // 4. What the kills left behind are staging files only, which the cleanup removes.
    let leftovers: Vec<String> = files_on_disk(&data.join("files"))
        .into_iter()
        .filter(|f| !f.ends_with(&original_path))
        .collect();
    assert!(
        !leftovers.is_empty() && leftovers.iter().all(|f| f.contains('#')),
        "{leftovers:?}"
    );
    let storage = portail_storage::Storage::local(&data.join("files")).expect("storage");
    assert_eq!(
        storage.cleanup_staging(Duration::ZERO).expect("cleanup"),
        leftovers.len()
    );
    let after: Vec<String> = files_on_disk(&data.join("files"));
    assert_eq!(after.len(), 1, "{after:?}");
    drop(server);
}

//! The S3 backend against a real S3-compatible server.
//!
//! Runs when `PORTAIL_TEST_S3_ENDPOINT` is set (scripts/test starts a local server and sets it,
//! with `PORTAIL_TEST_S3_BUCKET` and `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`). Without it
//! every test prints a note and returns, except under CI (`CI=true`), where S3 must be tested:
//! there a missing endpoint fails.
//!
//! Each test works under a prefix of its own (`s3://{bucket}/test-{unique}`) and removes what it
//! wrote, so tests run in parallel against one bucket.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures_util::TryStreamExt;
use portail_storage::{PART_SIZE, S3Settings, Storage, StorageError};
use sha2::{Digest, Sha256};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The S3 settings from the environment, or `None` (test skipped) when no endpoint is given.
fn s3_env(test: &str) -> Option<(String, S3Settings)> {
    let endpoint = std::env::var("PORTAIL_TEST_S3_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty());
    let Some(endpoint) = endpoint else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but PORTAIL_TEST_S3_ENDPOINT is not set: CI must exercise the S3 backend \
             (run the suite through scripts/test, which starts a local S3 server)"
        );
        eprintln!(
            "note: {test} skipped: PORTAIL_TEST_S3_ENDPOINT is not set (scripts/test sets it)"
        );
        return None;
    };
    let bucket = std::env::var("PORTAIL_TEST_S3_BUCKET").unwrap_or_else(|_| "portail-test".into());
    let settings = S3Settings {
        endpoint: Some(endpoint),
        region: Some("us-east-1".into()),
        access_key_id: std::env::var("AWS_ACCESS_KEY_ID").ok(),
        secret_access_key: std::env::var("AWS_SECRET_ACCESS_KEY").ok(),
        allow_http: true,
    };
    Some((bucket, settings))
}

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A storage under a fresh prefix of the test bucket, or `None` when S3 is not configured.
fn storage(test: &str) -> Option<Storage> {
    let (bucket, settings) = s3_env(test)?;
    let url = format!("s3://{bucket}/test-{}", unique());
    Some(Storage::from_url(&url, &settings).expect("S3 storage"))
}

/// Deterministic, incompressible-looking bytes (xorshift), so that parts differ.
fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn read_all(storage: &Storage, key: &str, range: Option<std::ops::Range<u64>>) -> Vec<u8> {
    let download = storage.get(key, range).await.expect("get");
    let chunks: Vec<Bytes> = download.stream.try_collect().await.expect("read");
    chunks.concat()
}

async fn keys(storage: &Storage, prefix: &str) -> Vec<String> {
    let mut keys: Vec<String> = storage
        .list(prefix)
        .await
        .expect("list")
        .into_iter()
        .map(|o| o.key)
        .collect();
    keys.sort();
    keys
}

async fn delete_all(storage: &Storage) {
    for o in storage.list("").await.expect("list all") {
        storage.delete(&o.key).await.expect("delete");
    }
    assert!(storage.list("").await.expect("list all").is_empty());
}

#[tokio::test]
async fn streaming_multipart_write_then_head_ranges_and_full_read() {
    let Some(storage) = storage("streaming_multipart_write") else {
        return;
    };
    // 20 MiB and a bit, sent in uneven writes: three parts of PART_SIZE (8 MiB), 8 MiB and rest.
    let content = data(20 * 1024 * 1024 + 12_345, 42);
    let key = "resources/ds1/20260101-000000-abcdef12/big.bin";
    let mut writer = storage.writer(key).await.expect("writer");
    let mut sent = 0;
    for (i, piece) in content.chunks(1_000_003).enumerate() {
        writer
            .write(Bytes::copy_from_slice(piece))
            .await
            .expect("write");
        sent += piece.len();
        assert_eq!(writer.size(), sent as u64, "after write {i}");
    }
    // Not visible before it is finished.
    assert!(matches!(
        storage.head(key).await,
        Err(StorageError::NotFound(_))
    ));
    let written = writer.finish().await.expect("finish");
    assert_eq!(written.size, content.len() as u64);
    assert_eq!(written.sha256, sha256_hex(&content));
    assert_eq!(written.head, &content[..portail_storage::HEAD_BYTES]);

    let info = storage.head(key).await.expect("head");
    assert_eq!(info.key, key);
    assert_eq!(info.size, content.len() as u64);
    // S3 tags a multipart object's ETag with its part count: three parts were sent.
    let etag = info.e_tag.clone().expect("etag");
    assert!(
        etag.trim_matches('"').ends_with("-3"),
        "multipart ETag with 3 parts, got {etag}"
    );

    // Ranges: across the first part boundary, the very start, the very end.
    let boundary = PART_SIZE as u64;
    let d = storage
        .get(key, Some(boundary - 10..boundary + 10))
        .await
        .expect("ranged get");
    assert_eq!(d.range, boundary - 10..boundary + 10);
    assert_eq!(d.info.size, content.len() as u64);
    let got: Vec<Bytes> = d.stream.try_collect().await.expect("read range");
    assert_eq!(got.concat(), &content[PART_SIZE - 10..PART_SIZE + 10]);
    assert_eq!(read_all(&storage, key, Some(0..4)).await, &content[..4]);
    let len = content.len() as u64;
    assert_eq!(
        read_all(&storage, key, Some(len - 100..len)).await,
        &content[content.len() - 100..]
    );

    // The whole object, streamed back.
    let all = read_all(&storage, key, None).await;
    assert_eq!(all.len(), content.len());
    assert_eq!(sha256_hex(&all), written.sha256);

    storage.delete(key).await.expect("delete");
    assert!(matches!(
        storage.head(key).await,
        Err(StorageError::NotFound(_))
    ));
    delete_all(&storage).await;
}

#[tokio::test]
async fn small_and_empty_streamed_writes() {
    let Some(storage) = storage("small_and_empty_streamed_writes") else {
        return;
    };
    let mut w = storage.writer("small.csv").await.expect("writer");
    w.write(Bytes::from_static(b"id;name\n"))
        .await
        .expect("write");
    w.write(Bytes::from_static(b"1;Alice\n"))
        .await
        .expect("write");
    let written = w.finish().await.expect("finish");
    assert_eq!(written.size, 16);
    assert_eq!(written.sha256, sha256_hex(b"id;name\n1;Alice\n"));
    assert_eq!(
        storage.get_bytes("small.csv").await.expect("get").as_ref(),
        b"id;name\n1;Alice\n"
    );
    assert_eq!(read_all(&storage, "small.csv", Some(3..7)).await, b"name");

    let empty = storage.writer("empty.csv").await.expect("writer");
    let written = empty.finish().await.expect("finish empty");
    assert_eq!(written.size, 0);
    assert_eq!(written.sha256, sha256_hex(b""));
    assert_eq!(storage.head("empty.csv").await.expect("head").size, 0);
    assert!(
        storage
            .get_bytes("empty.csv")
            .await
            .expect("get")
            .is_empty()
    );
    delete_all(&storage).await;
}

#[tokio::test]
async fn list_is_scoped_to_the_prefix_and_keys_are_relative() {
    let Some(storage) = storage("list_is_scoped") else {
        return;
    };
    for key in [
        "resources/a/1/x.csv",
        "resources/a/2/y.csv",
        "resources/ab/1/z.csv",
        "chunks/u1/0",
        "top.json",
    ] {
        storage
            .put_bytes(key, Bytes::from(key.as_bytes().to_vec()))
            .await
            .expect("put");
    }
    assert_eq!(
        keys(&storage, "resources/a").await,
        ["resources/a/1/x.csv", "resources/a/2/y.csv"],
        "a sibling sharing the string prefix (resources/ab) is not listed"
    );
    assert_eq!(
        keys(&storage, "resources/a/").await,
        ["resources/a/1/x.csv", "resources/a/2/y.csv"]
    );
    assert_eq!(keys(&storage, "resources").await.len(), 3);
    assert_eq!(keys(&storage, "chunks").await, ["chunks/u1/0"]);
    assert!(keys(&storage, "nothing").await.is_empty());
    assert_eq!(keys(&storage, "").await.len(), 5);
    let listed = storage.list("chunks").await.expect("list");
    assert_eq!(listed[0].size, "chunks/u1/0".len() as u64);

    // Another storage on a sibling prefix of the same bucket sees none of it.
    let (bucket, settings) = s3_env("list_is_scoped").expect("env");
    let other =
        Storage::from_url(&format!("s3://{bucket}/test-{}", unique()), &settings).expect("other");
    assert!(other.list("").await.expect("list").is_empty());
    delete_all(&storage).await;
}

#[tokio::test]
async fn rename_delete_and_not_found() {
    let Some(storage) = storage("rename_delete_and_not_found") else {
        return;
    };
    storage
        .put_bytes("from/a.csv", Bytes::from_static(b"a;b\n1;2\n"))
        .await
        .expect("put");
    storage
        .rename("from/a.csv", "to/b.csv")
        .await
        .expect("rename");
    assert!(
        matches!(storage.head("from/a.csv").await, Err(StorageError::NotFound(k)) if k == "from/a.csv")
    );
    assert_eq!(
        storage.get_bytes("to/b.csv").await.expect("get").as_ref(),
        b"a;b\n1;2\n"
    );
    assert_eq!(keys(&storage, "").await, ["to/b.csv"]);

    // Renaming over an existing object replaces it.
    storage
        .put_bytes("from/c.csv", Bytes::from_static(b"new"))
        .await
        .expect("put");
    storage
        .rename("from/c.csv", "to/b.csv")
        .await
        .expect("rename over");
    assert_eq!(
        storage.get_bytes("to/b.csv").await.expect("get").as_ref(),
        b"new"
    );

    // Missing keys: NotFound with the key asked for, and a delete is not an error.
    assert!(
        matches!(storage.head("nope.csv").await, Err(StorageError::NotFound(k)) if k == "nope.csv")
    );
    assert!(
        matches!(storage.get("nope.csv", None).await, Err(StorageError::NotFound(k)) if k == "nope.csv")
    );
    assert!(matches!(
        storage.get("nope.csv", Some(0..3)).await,
        Err(StorageError::NotFound(_))
    ));
    assert!(matches!(
        storage.get_bytes("nope.csv").await,
        Err(StorageError::NotFound(_))
    ));
    let renamed = storage.rename("nope.csv", "other.csv").await;
    assert!(
        matches!(renamed, Err(StorageError::NotFound(ref k)) if k == "nope.csv"),
        "{renamed:?}"
    );
    storage.delete("nope.csv").await.expect("delete missing");
    storage.delete("to/b.csv").await.expect("delete");
    storage.delete("to/b.csv").await.expect("delete again");
    assert!(storage.list("").await.expect("list").is_empty());
}

#[tokio::test]
async fn put_and_get_bytes_overwrite() {
    let Some(storage) = storage("put_and_get_bytes") else {
        return;
    };
    storage
        .put_bytes("meta/info.json", Bytes::from_static(br#"{"v":1}"#))
        .await
        .expect("put");
    assert_eq!(
        storage
            .get_bytes("meta/info.json")
            .await
            .expect("get")
            .as_ref(),
        br#"{"v":1}"#
    );
    storage
        .put_bytes("meta/info.json", Bytes::from_static(br#"{"v":2}"#))
        .await
        .expect("overwrite");
    assert_eq!(
        storage
            .get_bytes("meta/info.json")
            .await
            .expect("get")
            .as_ref(),
        br#"{"v":2}"#
    );
    let info = storage.head("meta/info.json").await.expect("head");
    assert_eq!(info.size, 7);
    assert!(info.last_modified <= chrono::Utc::now() + chrono::Duration::minutes(5));
    delete_all(&storage).await;
}

#[tokio::test]
async fn aborted_writes_leave_nothing_visible() {
    let Some(storage) = storage("aborted_writes") else {
        return;
    };
    // One write below a part (nothing sent yet), one of three parts and a bit: the last write
    // waits for capacity (at most PARTS_IN_FLIGHT parts in flight), so parts were uploaded.
    for (key, len) in [("x/small.bin", 1000), ("x/large.bin", 3 * PART_SIZE + 1024)] {
        let mut w = storage.writer(key).await.expect("writer");
        for piece in data(len, 7).chunks(512 * 1024) {
            w.write(Bytes::copy_from_slice(piece)).await.expect("write");
        }
        w.abort().await.expect("abort");
        assert!(
            matches!(storage.head(key).await, Err(StorageError::NotFound(_))),
            "{key}"
        );
    }
    assert!(storage.list("x").await.expect("list").is_empty());
    assert!(storage.list("").await.expect("list").is_empty());
}

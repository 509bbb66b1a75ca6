//! The upload API end to end on S3 storage, against a real S3-compatible server.
//!
//! Runs when `PORTAIL_TEST_S3_ENDPOINT` is set (scripts/test starts a local server and sets it,
//! with `PORTAIL_TEST_S3_BUCKET` and `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`). Without it the
//! tests print a note and return, except under CI (`CI=true`), where they fail: CI must exercise
//! S3. Each test stores under a prefix of its own in the bucket.

use std::sync::atomic::{AtomicU64, Ordering};

use portail_storage::{S3Settings, Storage};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::support::{Resp, TestApp, TestUser};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A storage under a fresh prefix of the test bucket, or `None` (skip) without an endpoint.
fn s3_storage(test: &str) -> Option<Storage> {
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
    let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0);
    let url = format!(
        "s3://{bucket}/web-test-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    Some(Storage::from_url(&url, &settings).expect("S3 storage"))
}

/// A portal whose files go to `storage`, a user and one of their datasets.
async fn setup(storage: Storage) -> (TestApp, TestUser, String) {
    let t = TestApp::with_app(portail_web::Settings::default(), |app| {
        app.with_storage(storage)
    })
    .await;
    let owner = t.user("Owner").await;
    let dataset = t.dataset(&owner, json!({})).await;
    let id = dataset["id"].as_str().expect("id").to_owned();
    (t, owner, id)
}

fn file_form(name: &str, bytes: &[u8]) -> Form {
    Form::new().part(
        "file",
        Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
    )
}

async fn upload(t: &TestApp, path: &str, user: &TestUser, form: Form) -> Resp {
    let req = t
        .client
        .post(format!("{}{path}", t.base))
        .header("X-API-KEY", &user.token)
        .multipart(form);
    Resp::read(req.send().await.expect("send")).await
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A CSV of exactly `len` bytes, with distinct lines.
fn csv(len: usize, year: u32) -> Vec<u8> {
    let mut out = b"commune;annee;population\n".to_vec();
    let mut i = 0u64;
    while out.len() < len {
        out.extend_from_slice(
            format!("Commune {i};{year};{}\n", (i * 7919) % 1_000_003).as_bytes(),
        );
        i += 1;
    }
    out.truncate(len);
    out
}

/// The keys stored under `resources/` and `chunks/`, sorted, with their sizes.
async fn stored(t: &TestApp) -> Vec<(String, u64)> {
    let storage = t.app.storage.as_ref().expect("storage");
    let mut all = Vec::new();
    for prefix in ["resources", "chunks"] {
        for o in storage.list(prefix).await.expect("list") {
            all.push((o.key, o.size));
        }
    }
    all.sort();
    all
}

/// The storage key behind a file URL (`{base}/files/{key}`).
fn key_of(t: &TestApp, url: &str) -> String {
    url.strip_prefix(&format!("{}/files/", t.base))
        .unwrap_or_else(|| panic!("not a file URL: {url}"))
        .to_owned()
}

#[tokio::test]
async fn upload_range_download_replace_and_delete_on_s3() {
    let Some(storage) = s3_storage("upload_range_download_replace_and_delete_on_s3") else {
        return;
    };
    let (t, owner, id) = setup(storage).await;

    // A file larger than one part (8 MiB): the storage streams it as a multipart upload.
    let v1 = csv(9 * 1024 * 1024 + 321, 2024);
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        &owner,
        file_form("Population.csv", &v1),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["filesize"], v1.len());
    assert_eq!(
        r.body["checksum"],
        json!({"type": "sha256", "value": sha256_hex(&v1)})
    );
    let rid = r.body["id"].as_str().expect("rid").to_owned();
    let url1 = r.body["url"].as_str().expect("url").to_owned();
    let key1 = key_of(&t, &url1);
    assert!(key1.starts_with(&format!("resources/{id}/")), "{key1}");
    assert_eq!(stored(&t).await, [(key1.clone(), v1.len() as u64)]);

    // Ranged downloads go through to S3: a span across the part boundary, and a suffix.
    let boundary = 8 * 1024 * 1024;
    let part = t
        .client
        .get(&url1)
        .header("Range", format!("bytes={}-{}", boundary - 5, boundary + 4))
        .send()
        .await
        .expect("range");
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes {}-{}/{}", boundary - 5, boundary + 4, v1.len()).as_str()
    );
    assert_eq!(
        part.bytes().await.expect("body").as_ref(),
        &v1[boundary - 5..boundary + 5]
    );
    let tail = t
        .client
        .get(&url1)
        .header("Range", "bytes=-7")
        .send()
        .await
        .expect("tail");
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        tail.bytes().await.expect("body").as_ref(),
        &v1[v1.len() - 7..]
    );
    // And the whole file.
    let full = t.client.get(&url1).send().await.expect("download");
    assert_eq!(full.status(), StatusCode::OK);
    assert_eq!(
        full.headers()["content-length"],
        v1.len().to_string().as_str()
    );
    let body = full.bytes().await.expect("body");
    assert_eq!(sha256_hex(&body), sha256_hex(&v1));

    // Replacing the file: a new key, the old object gone.
    let v2 = csv(50_000, 2025);
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/resources/{rid}/upload/"),
        &owner,
        file_form("Population 2025.csv", &v2),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["id"], rid.as_str());
    assert_eq!(r.body["checksum"]["value"], sha256_hex(&v2));
    let url2 = r.body["url"].as_str().expect("url").to_owned();
    let key2 = key_of(&t, &url2);
    assert_ne!(key1, key2);
    assert_eq!(stored(&t).await, [(key2.clone(), v2.len() as u64)]);
    assert_eq!(t.get(&url1, None).await.status, StatusCode::NOT_FOUND);
    let got = t.client.get(&url2).send().await.expect("download");
    assert_eq!(got.bytes().await.expect("body").as_ref(), v2.as_slice());

    // Deleting the resource deletes its object.
    let d = t
        .delete(
            &format!("/api/1/datasets/{id}/resources/{rid}/"),
            Some(&owner),
        )
        .await;
    assert_eq!(d.status, StatusCode::NO_CONTENT, "{}", d.text);
    assert_eq!(t.get(&url2, None).await.status, StatusCode::NOT_FOUND);
    assert!(stored(&t).await.is_empty());
}

#[tokio::test]
async fn chunked_upload_and_refused_upload_on_s3() {
    let Some(storage) = s3_storage("chunked_upload_and_refused_upload_on_s3") else {
        return;
    };
    let (t, owner, id) = setup(storage).await;
    let path = format!("/api/1/datasets/{id}/upload/");

    // A refused upload (HTML posing as CSV) leaves nothing in the bucket.
    let html = upload(
        &t,
        &path,
        &owner,
        file_form(
            "data.csv",
            b"<!DOCTYPE html><html><body>Login</body></html>",
        ),
    )
    .await;
    assert_eq!(
        html.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        html.text
    );
    assert!(stored(&t).await.is_empty());

    // Chunks are stored, then assembled into one object and removed.
    let content = csv(30_000, 2024);
    let parts: Vec<&[u8]> = content.chunks(10_000).collect();
    let uuid = "0d6c7b1e-52a4-4d7f-8c1b-5e0f7a9b3c21";
    for (index, bytes) in parts.iter().enumerate() {
        let form = Form::new()
            .text("uuid", uuid)
            .text("filename", "Grand Fichier.csv")
            .text("partindex", index.to_string())
            .text("partbyteoffset", (index * 10_000).to_string())
            .text("totalparts", parts.len().to_string())
            .text("chunksize", bytes.len().to_string())
            .part("file", Part::bytes(bytes.to_vec()).file_name("blob"));
        let r = upload(&t, &path, &owner, form).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    // Each chunk is an object of its own under chunks/{dataset}-{uuid}/ (next to the upload's
    // metadata).
    let chunks = stored(&t).await;
    assert!(
        chunks
            .iter()
            .all(|(k, _)| k.starts_with(&format!("chunks/{id}-{uuid}/"))),
        "{chunks:?}"
    );
    let sizes: Vec<u64> = chunks
        .iter()
        .filter(|(k, _)| !k.ends_with(".json"))
        .map(|(_, s)| *s)
        .collect();
    assert_eq!(sizes, [10_000, 10_000, 10_000], "{chunks:?}");

    let finish = Form::new()
        .text("uuid", uuid)
        .text("filename", "Grand Fichier.csv")
        .text("totalparts", parts.len().to_string());
    let done = upload(&t, &path, &owner, finish).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    assert_eq!(done.body["filesize"], content.len());
    assert_eq!(done.body["checksum"]["value"], sha256_hex(&content));
    let url = done.body["url"].as_str().expect("url").to_owned();
    assert_eq!(stored(&t).await, [(key_of(&t, &url), content.len() as u64)]);
    let got = t.client.get(&url).send().await.expect("download");
    assert_eq!(
        got.bytes().await.expect("body").as_ref(),
        content.as_slice()
    );

    let rid = done.body["id"].as_str().expect("rid");
    let d = t
        .delete(
            &format!("/api/1/datasets/{id}/resources/{rid}/"),
            Some(&owner),
        )
        .await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    assert!(stored(&t).await.is_empty());
}

//! Community resources as uploaded files: `POST /api/1/datasets/{dataset}/upload/community/`
//! (single and chunked), `POST /api/1/datasets/community_resources/{id}/upload/`, their
//! downloads, permissions, and the cleanup of their files (mirrors the uploads of
//! `src/api/community.rs`).

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::support::{Resp, TestApp, TestUser};

const CSV: &[u8] = b"essence;nombre\nplatane;1204\ntilleul;860\n";

fn file_form(name: &str, bytes: &[u8]) -> Form {
    Form::new().part(
        "file",
        Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
    )
}

async fn upload(t: &TestApp, path: &str, user: Option<&TestUser>, form: Form) -> Resp {
    let mut req = t.client.post(format!("{}{path}", t.base)).multipart(form);
    if let Some(u) = user {
        req = req.header("X-API-KEY", &u.token);
    }
    Resp::read(req.send().await.expect("send")).await
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn propose_path(dataset: &str) -> String {
    format!("/api/1/datasets/{dataset}/upload/community/")
}

fn replace_path(community: &str) -> String {
    format!("/api/1/datasets/community_resources/{community}/upload/")
}

/// Proposes `CSV` as `user`, and answers the community resource.
async fn propose(t: &TestApp, user: &TestUser, dataset: &str, form: Form) -> serde_json::Value {
    let r = upload(t, &propose_path(dataset), Some(user), form).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

async fn download(t: &TestApp, url: &str, user: Option<&TestUser>) -> (StatusCode, Vec<u8>) {
    let mut req = t.client.get(url);
    if let Some(u) = user {
        req = req.header("X-API-KEY", &u.token);
    }
    let got = req.send().await.expect("download");
    let status = got.status();
    (status, got.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn anyone_signed_in_proposes_a_file_which_is_served_with_its_checksum() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let id = t.dataset(&c.owner, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let form = file_form("Essences Recensées.CSV", CSV)
        .text("title", "Essences recensées")
        .text("description", "Relevé de terrain, 2025.")
        .text("type", "documentation");
    let cr = propose(&t, &c.other, &id, form).await;
    assert_eq!(cr["success"], true);
    assert_eq!(cr["filetype"], "file");
    assert_eq!(cr["type"], "documentation");
    assert_eq!(cr["title"], "Essences recensées");
    assert_eq!(cr["description"], "Relevé de terrain, 2025.");
    assert_eq!(cr["format"], "csv");
    assert_eq!(cr["mime"], "text/csv");
    assert_eq!(cr["filesize"], CSV.len());
    assert_eq!(
        cr["checksum"],
        json!({"type": "sha256", "value": sha256_hex(CSV)})
    );
    assert_eq!(cr["dataset"]["id"], id.as_str());
    assert_eq!(cr["owner"]["id"], c.other.id.as_str());
    assert!(cr["organization"].is_null());
    let url = cr["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&format!("{}/files/community/{id}/", t.base)),
        "{url}"
    );
    assert!(url.ends_with("/essences-recensees.csv"), "{url}");
    assert_eq!(cr["latest"], url.as_str());

    // Downloadable by anyone, bytes and checksum as announced.
    let (status, bytes) = download(&t, &url, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, CSV);
    assert_eq!(
        sha256_hex(&bytes),
        cr["checksum"]["value"].as_str().unwrap()
    );
    let head = t.get(&url, None).await;
    assert_eq!(
        head.headers["etag"],
        format!("\"{}\"", sha256_hex(CSV)).as_str()
    );
    assert_eq!(head.headers["content-type"], "text/csv");

    // Listed with the dataset's community resources, not among its resources.
    let list = t
        .get(
            &format!("/api/1/datasets/community_resources/?dataset={id}"),
            None,
        )
        .await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["data"][0]["checksum"], cr["checksum"]);
    let d = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(d.body["resources"], json!([]));

    // Untitled: the file name; for an organization its member belongs to.
    let cr = propose(
        &t,
        &c.editor,
        &id,
        file_form("arbres.csv", CSV).text("organization", c.org.clone()),
    )
    .await;
    assert_eq!(cr["title"], "arbres.csv");
    assert_eq!(cr["type"], "main");
    assert_eq!(cr["organization"]["id"], c.org.as_str());
    let r = upload(
        &t,
        &propose_path(&id),
        Some(&c.other),
        file_form("arbres.csv", CSV).text("organization", c.org.clone()),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["organization"].is_array(), "{}", r.text);
}

#[tokio::test]
async fn refused_community_files_say_why_and_leave_nothing_behind() {
    let t = TestApp::with_app(portail_web::Settings::default(), |mut app| {
        app.uploads.max_size = 1000;
        app
    })
    .await;
    let owner = t.user("Owner").await;
    let other = t.user("Other").await;
    let id = t.dataset(&owner, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = propose_path(&id);

    let exe = upload(&t, &path, Some(&other), file_form("setup.exe", b"MZ...")).await;
    assert_eq!(exe.status, StatusCode::BAD_REQUEST, "{}", exe.text);
    assert!(
        exe.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("This file type is not allowed"),
        "{}",
        exe.text
    );
    let big = upload(
        &t,
        &path,
        Some(&other),
        file_form("big.csv", &vec![b'a'; 5000]),
    )
    .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.text);
    let html = upload(
        &t,
        &path,
        Some(&other),
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
    assert_eq!(html.body["message"], "Incorrect file content type: HTML");
    let no_file = upload(&t, &path, Some(&other), Form::new().text("title", "x")).await;
    assert_eq!(no_file.status, StatusCode::BAD_REQUEST, "{}", no_file.text);
    assert!(
        no_file.body["errors"]["file"].is_array(),
        "{}",
        no_file.text
    );
    let kind = upload(
        &t,
        &path,
        Some(&other),
        file_form("a.csv", CSV).text("type", "nope"),
    )
    .await;
    assert_eq!(kind.status, StatusCode::BAD_REQUEST, "{}", kind.text);
    assert!(kind.body["errors"]["type"].is_array(), "{}", kind.text);
    let json_body = t.post(&path, Some(&other), &json!({"file": "x"})).await;
    assert_eq!(
        json_body.status,
        StatusCode::BAD_REQUEST,
        "{}",
        json_body.text
    );
    assert!(json_body.body["message"].is_string(), "{}", json_body.text);

    let list = t
        .get(
            &format!("/api/1/datasets/community_resources/?dataset={id}"),
            None,
        )
        .await;
    assert_eq!(list.body["total"], 0);
    let storage = t.app.storage.as_ref().unwrap();
    assert!(storage.list("community").await.unwrap().is_empty());
}

#[tokio::test]
async fn who_may_propose_and_replace_a_community_file() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    let id = t.dataset(&c.owner, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Proposing: signed in, on a dataset one can see.
    let r = upload(&t, &propose_path(&id), None, file_form("a.csv", CSV)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    let r = upload(
        &t,
        &propose_path("nope"),
        Some(&c.other),
        file_form("a.csv", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let private = t.dataset(&c.owner, json!({"private": true})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = upload(
        &t,
        &propose_path(&private),
        Some(&c.other),
        file_form("a.csv", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let mine = propose(&t, &c.owner, &private, file_form("a.csv", CSV)).await;
    // A private dataset's community file is served to those who see the dataset only.
    let url = mine["url"].as_str().unwrap();
    assert_eq!(download(&t, url, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        download(&t, url, Some(&c.other)).await.0,
        StatusCode::NOT_FOUND
    );
    let owned = t.get(url, Some(&c.owner)).await;
    assert_eq!(owned.status, StatusCode::OK);
    assert_eq!(owned.headers["cache-control"], "private, no-store");

    // Replacing: the owner, not someone else, not even the dataset's publisher.
    let cr = propose(&t, &c.other, &id, file_form("a.csv", CSV)).await;
    let cid = cr["id"].as_str().unwrap();
    let r = upload(&t, &replace_path(cid), None, file_form("b.csv", CSV)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    for who in [&c.owner, &c.admin, &c.editor] {
        let r = upload(&t, &replace_path(cid), Some(who), file_form("b.csv", CSV)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }
    let r = upload(
        &t,
        &replace_path(cid),
        Some(&c.other),
        file_form("b.csv", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = upload(
        &t,
        &replace_path(cid),
        Some(&c.sysadmin),
        file_form("c.csv", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = upload(
        &t,
        &replace_path("nope"),
        Some(&c.other),
        file_form("b.csv", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    // An organization's: its admins and editors, not its partial editors nor outsiders.
    let org_cr = propose(
        &t,
        &c.admin,
        &id,
        file_form("org.csv", CSV).text("organization", c.org.clone()),
    )
    .await;
    let org_path = replace_path(org_cr["id"].as_str().unwrap());
    for (who, status) in [
        (&c.partial, StatusCode::FORBIDDEN),
        (&c.other, StatusCode::FORBIDDEN),
        (&c.editor, StatusCode::OK),
        (&c.admin, StatusCode::OK),
    ] {
        let r = upload(&t, &org_path, Some(who), file_form("org.csv", CSV)).await;
        assert_eq!(r.status, status, "{}", r.text);
    }

    // A link is not replaced by a file.
    let link = t
        .post(
            "/api/1/datasets/community_resources/",
            Some(&c.other),
            &json!({"dataset": id, "title": "Lien", "url": "https://example.org/a.csv"}),
        )
        .await;
    assert_eq!(link.status, StatusCode::CREATED, "{}", link.text);
    let r = upload(
        &t,
        &replace_path(link.body["id"].as_str().unwrap()),
        Some(&c.other),
        file_form("b.csv", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    // A deleted dataset: gone.
    let r = t
        .delete(&format!("/api/1/datasets/{id}/"), Some(&c.owner))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = upload(
        &t,
        &propose_path(&id),
        Some(&c.owner),
        file_form("a.csv", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
    let r = upload(
        &t,
        &replace_path(cid),
        Some(&c.sysadmin),
        file_form("a.csv", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
}

#[tokio::test]
async fn replacing_or_deleting_a_community_file_removes_the_old_file() {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let other = t.user("Other").await;
    let id = t.dataset(&owner, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cr = propose(&t, &other, &id, file_form("v1.csv", CSV)).await;
    let cid = cr["id"].as_str().unwrap().to_owned();
    let old_url = cr["url"].as_str().unwrap().to_owned();
    let v2: &[u8] = b"essence;nombre\nplatane;1300\n";
    let r = upload(
        &t,
        &replace_path(&cid),
        Some(&other),
        file_form("v2.csv", v2),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["success"], true);
    assert_eq!(r.body["id"], cid.as_str());
    assert_eq!(r.body["filesize"], v2.len());
    assert_eq!(r.body["checksum"]["value"], sha256_hex(v2).as_str());
    let new_url = r.body["url"].as_str().unwrap().to_owned();
    assert_ne!(new_url, old_url);
    assert_eq!(download(&t, &old_url, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        download(&t, &new_url, None).await,
        (StatusCode::OK, v2.to_vec())
    );
    let storage = t.app.storage.as_ref().unwrap();
    assert_eq!(storage.list("community").await.unwrap().len(), 1);

    let r = t
        .delete(
            &format!("/api/1/datasets/community_resources/{cid}/"),
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(download(&t, &new_url, None).await.0, StatusCode::NOT_FOUND);
    assert!(storage.list("community").await.unwrap().is_empty());
}

#[tokio::test]
async fn the_orphan_cleanup_keeps_referenced_community_files() {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let id = t.dataset(&owner, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cr = propose(&t, &owner, &id, file_form("kept.csv", CSV)).await;
    let storage = t.app.storage.as_ref().unwrap();
    storage
        .put_bytes(
            &format!("community/{id}/20200101-000000-deadbeef/orphan.csv"),
            bytes::Bytes::from_static(b"x"),
        )
        .await
        .unwrap();
    assert_eq!(storage.list("community").await.unwrap().len(), 2);
    let removed = portail_app::files::purge_orphans(&t.app, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    let left = storage.list("community").await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(left[0].key.ends_with("kept.csv"), "{left:?}");
    let (status, bytes) = download(&t, cr["url"].as_str().unwrap(), None).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, CSV));
}

fn chunk_form(
    uuid: &str,
    filename: &str,
    index: usize,
    offset: usize,
    total: usize,
    bytes: &[u8],
) -> Form {
    Form::new()
        .text("uuid", uuid.to_owned())
        .text("filename", filename.to_owned())
        .text("partindex", index.to_string())
        .text("partbyteoffset", offset.to_string())
        .text("totalparts", total.to_string())
        .text("chunksize", bytes.len().to_string())
        .part("file", Part::bytes(bytes.to_vec()).file_name("blob"))
}

fn finish_form(uuid: &str, filename: &str, total: usize) -> Form {
    Form::new()
        .text("uuid", uuid.to_owned())
        .text("filename", filename.to_owned())
        .text("totalparts", total.to_string())
}

#[tokio::test]
async fn a_community_file_sent_in_chunks_belongs_to_its_sender() {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let other = t.user("Other").await;
    let id = t.dataset(&owner, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = propose_path(&id);
    let content: Vec<u8> = (0..20_000u32)
        .map(|i| b"abcdefghij"[(i % 10) as usize])
        .collect();
    let parts: Vec<&[u8]> = content.chunks(10_000).collect();
    let uuid = "3f2a9c1e-community";
    for (i, part) in parts.iter().enumerate() {
        let r = upload(
            &t,
            &path,
            Some(&other),
            chunk_form(uuid, "big.csv", i, i * 10_000, 2, part),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body, json!({"success": true}));
    }
    // Another user knowing the upload id cannot finish it as theirs.
    let r = upload(&t, &path, Some(&owner), finish_form(uuid, "big.csv", 2)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("Missing parts 0, 1"), "{}", r.text);
    let r = upload(&t, &path, Some(&other), finish_form(uuid, "big.csv", 2)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["owner"]["id"], other.id.as_str());
    assert_eq!(r.body["filesize"], content.len());
    assert_eq!(r.body["checksum"]["value"], sha256_hex(&content).as_str());
    let (status, bytes) = download(&t, r.body["url"].as_str().unwrap(), None).await;
    assert_eq!((status, bytes), (StatusCode::OK, content));
    let storage = t.app.storage.as_ref().unwrap();
    assert!(storage.list("chunks").await.unwrap().is_empty());
}

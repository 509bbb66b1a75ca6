//! Uploads (single and chunked), replacement, downloads with ranges and validators, limits and
//! permissions, mirroring `src/api/files.rs`.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{Resp, TestApp, TestUser};

const CSV: &[u8] = b"commune;annee;population\nValbourg;2024;152300\nLisiere;2024;8400\n";

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

async fn setup() -> (TestApp, TestUser, String) {
    let t = TestApp::new().await;
    let owner = t.user("Owner").await;
    let dataset = t.dataset(&owner, json!({})).await;
    let id = dataset["id"].as_str().expect("id").to_owned();
    (t, owner, id)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn single_upload_creates_a_hosted_resource_and_serves_it() {
    let (t, owner, id) = setup().await;
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("Population Communes.CSV", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let res = &r.body;
    assert_eq!(res["success"], true);
    assert_eq!(res["filetype"], "file");
    assert_eq!(res["type"], "main");
    assert_eq!(res["title"], "Population Communes.CSV");
    assert_eq!(res["format"], "csv");
    assert_eq!(res["mime"], "text/csv");
    assert_eq!(res["filesize"], CSV.len());
    assert_eq!(
        res["checksum"],
        json!({"type": "sha256", "value": sha256_hex(CSV)})
    );
    let url = res["url"].as_str().expect("url");
    assert!(
        url.starts_with(&format!("{}/files/resources/{id}/", t.base)),
        "{url}"
    );
    assert!(url.ends_with("/population-communes.csv"), "{url}");

    // The dataset lists it first.
    let d = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(d.body["resources"][0]["id"], res["id"]);

    // Download: bytes and headers.
    let got = t.client.get(url).send().await.expect("download");
    assert_eq!(got.status(), StatusCode::OK);
    let h = got.headers().clone();
    assert_eq!(h["content-length"], CSV.len().to_string().as_str());
    assert_eq!(h["content-type"], "text/csv");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .contains("population-communes.csv")
    );
    assert_eq!(h["accept-ranges"], "bytes");
    let etag = h["etag"].to_str().unwrap().to_owned();
    assert!(h.contains_key("last-modified"));
    assert_eq!(got.bytes().await.unwrap().as_ref(), CSV);

    // HEAD: same headers, no body.
    let head = t.client.head(url).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        head.headers()["content-length"],
        CSV.len().to_string().as_str()
    );
    assert!(head.bytes().await.unwrap().is_empty());

    // Ranges.
    let part = t
        .client
        .get(url)
        .header("Range", "bytes=0-6")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 0-6/{}", CSV.len()).as_str()
    );
    assert_eq!(part.bytes().await.unwrap().as_ref(), b"commune");
    let tail = t
        .client
        .get(url)
        .header("Range", "bytes=-7")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.bytes().await.unwrap().as_ref(), &CSV[CSV.len() - 7..]);
    let bad = t
        .client
        .get(url)
        .header("Range", "bytes=9999-")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        bad.headers()["content-range"],
        format!("bytes */{}", CSV.len()).as_str()
    );

    // Validators.
    let cached = t
        .client
        .get(url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);

    // The permalink redirects to the file.
    let rid = res["id"].as_str().unwrap();
    let latest = t.get(&format!("/api/1/datasets/r/{rid}"), None).await;
    assert_eq!(latest.status, StatusCode::FOUND);
    assert_eq!(latest.headers["location"], url);
}

#[tokio::test]
async fn upload_fields_and_compound_formats() {
    let (t, owner, id) = setup().await;
    let form = file_form("mesures.csv.gz", b"\x1f\x8b\x08\x00fake-gzip")
        .text("title", "Mesures compressées")
        .text("description", "Toutes les mesures")
        .text("type", "update");
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        form,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["format"], "csv.gz");
    assert_eq!(r.body["mime"], "application/gzip");
    assert_eq!(r.body["title"], "Mesures compressées");
    assert_eq!(r.body["description"], "Toutes les mesures");
    assert_eq!(r.body["type"], "update");
}

#[tokio::test]
async fn limits_and_content_checks() {
    let t = TestApp::with_app(portail_web::Settings::default(), |mut app| {
        app.uploads.max_size = 1000;
        app
    })
    .await;
    let owner = t.user("Owner").await;
    let id = t.dataset(&owner, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/1/datasets/{id}/upload/");

    let exe = upload(&t, &path, Some(&owner), file_form("setup.exe", b"MZ...")).await;
    assert_eq!(exe.status, StatusCode::BAD_REQUEST);
    assert!(
        exe.body["message"]
            .as_str()
            .unwrap()
            .contains("This file type is not allowed"),
        "{}",
        exe.text
    );

    let big = upload(
        &t,
        &path,
        Some(&owner),
        file_form("big.csv", &vec![b'a'; 5000]),
    )
    .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.text);

    let html = upload(
        &t,
        &path,
        Some(&owner),
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

    let no_file = upload(&t, &path, Some(&owner), Form::new().text("title", "x")).await;
    assert_eq!(no_file.status, StatusCode::BAD_REQUEST);
    assert!(
        no_file.body["errors"]["file"].is_array(),
        "{}",
        no_file.text
    );

    // Nothing was attached, and nothing is left in storage.
    let d = t.get(&format!("/api/1/datasets/{id}/"), Some(&owner)).await;
    assert_eq!(d.body["resources"], json!([]));
    let storage = t.app.storage.as_ref().unwrap();
    assert!(storage.list("resources").await.unwrap().is_empty());
}

#[tokio::test]
async fn refused_upload_bodies_leave_nothing_behind() {
    let (t, owner, id) = setup().await;
    let path = format!("/api/1/datasets/{id}/upload/");

    // Two file parts: the first one, already stored, must not stay behind.
    let two = Form::new()
        .part("file", Part::bytes(CSV.to_vec()).file_name("a.csv"))
        .part("file", Part::bytes(CSV.to_vec()).file_name("b.csv"));
    let r = upload(&t, &path, Some(&owner), two).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    // A text field after the file that is too long (it is refused without being buffered).
    let long = file_form("a.csv", CSV).text("description", "x".repeat(300 * 1024));
    let r = upload(&t, &path, Some(&owner), long).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["description"].is_array(), "{}", r.text);

    // Many text fields, each small, are refused together.
    let mut many = Form::new();
    for i in 0..10 {
        many = many.text(format!("field{i}"), "x".repeat(60 * 1024));
    }
    let r = upload(
        &t,
        &path,
        Some(&owner),
        many.part("file", Part::bytes(CSV.to_vec()).file_name("a.csv")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    // A bad chunk field after the file.
    let bad = file_form("a.csv", CSV).text("partindex", "first");
    let r = upload(&t, &path, Some(&owner), bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    let storage = t.app.storage.as_ref().unwrap();
    assert!(storage.list("resources").await.unwrap().is_empty());

    // A body that is not multipart gets udata's JSON error shape.
    let r = Resp::read(
        t.client
            .post(format!("{}{path}", t.base))
            .header("X-API-KEY", &owner.token)
            .header("Content-Type", "text/csv")
            .body(CSV.to_vec())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);
}

#[tokio::test]
async fn upload_permissions() {
    let (t, owner, id) = setup().await;
    let other = t.user("Other").await;
    let admin = t.sysadmin("Admin").await;
    let path = format!("/api/1/datasets/{id}/upload/");
    let anonymous = upload(&t, &path, None, file_form("a.csv", CSV)).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let forbidden = upload(&t, &path, Some(&other), file_form("a.csv", CSV)).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let ok = upload(&t, &path, Some(&admin), file_form("a.csv", CSV)).await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let missing = upload(
        &t,
        "/api/1/datasets/000000000000000000000000/upload/",
        Some(&owner),
        file_form("a.csv", CSV),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let storage = t.app.storage.as_ref().unwrap();
    assert_eq!(
        storage.list("resources").await.unwrap().len(),
        1,
        "refused uploads leave no file"
    );
}

#[tokio::test]
async fn private_dataset_files_are_not_downloadable_by_others() {
    let (t, owner, id) = setup().await;
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("a.csv", CSV),
    )
    .await;
    let url = r.body["url"].as_str().unwrap().to_owned();
    let public = t.get(&url, None).await;
    assert_eq!(public.headers["cache-control"], "public, max-age=60");
    assert_eq!(public.headers["x-content-type-options"], "nosniff");
    let p = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&owner),
            &json!({"private": true}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK);
    let other = t.user("Other").await;
    assert_eq!(t.get(&url, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.get(&url, Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    // The owner gets it, marked so that no shared cache (CDN, proxy) keeps it for others.
    let mine = t.get(&url, Some(&owner)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.headers["cache-control"], "private, no-store");
    let etag = mine.headers["etag"].to_str().unwrap().to_owned();
    let again = t
        .client
        .get(&url)
        .header("X-API-KEY", &owner.token)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["cache-control"], "private, no-store");
}

#[tokio::test]
async fn an_empty_file_is_served_and_its_ranges_are_unsatisfiable() {
    let (t, owner, id) = setup().await;
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("empty.csv", b""),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["filesize"], 0);
    let url = r.body["url"].as_str().unwrap().to_owned();
    let whole = t.client.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.headers()["content-length"], "0");
    for range in ["bytes=-5", "bytes=0-", "bytes=0-0"] {
        let got = t
            .client
            .get(&url)
            .header("Range", range)
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), StatusCode::RANGE_NOT_SATISFIABLE, "{range}");
        assert_eq!(got.headers()["content-range"], "bytes */0", "{range}");
    }
}

#[tokio::test]
async fn replacing_a_file_keeps_the_resource_and_drops_the_old_file() {
    let (t, owner, id) = setup().await;
    let first = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("v1.csv", CSV),
    )
    .await;
    let rid = first.body["id"].as_str().unwrap().to_owned();
    let old_url = first.body["url"].as_str().unwrap().to_owned();
    let v2 = b"commune;annee;population\nValbourg;2025;153000\n";
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/resources/{rid}/upload/"),
        Some(&owner),
        file_form("v2.csv", v2),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["id"], rid.as_str());
    assert_eq!(r.body["checksum"]["value"], sha256_hex(v2));
    assert_eq!(r.body["filesize"], v2.len());
    let new_url = r.body["url"].as_str().unwrap();
    assert_ne!(new_url, old_url);
    assert_eq!(t.get(&old_url, None).await.status, StatusCode::NOT_FOUND);
    let got = t.client.get(new_url).send().await.unwrap();
    assert_eq!(got.bytes().await.unwrap().as_ref(), v2);

    // A remote resource cannot be replaced by an upload; an unknown one is a 404.
    let remote = t
        .post(
            &format!("/api/1/datasets/{id}/resources/"),
            Some(&owner),
            &json!({"title": "Lien", "url": "https://example.org/x.csv"}),
        )
        .await;
    let remote_id = remote.body["id"].as_str().unwrap();
    let refused = upload(
        &t,
        &format!("/api/1/datasets/{id}/resources/{remote_id}/upload/"),
        Some(&owner),
        file_form("x.csv", CSV),
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let unknown = upload(
        &t,
        &format!("/api/1/datasets/{id}/resources/00000000-0000-0000-0000-000000000000/upload/"),
        Some(&owner),
        file_form("x.csv", CSV),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deleting_a_resource_deletes_its_file() {
    let (t, owner, id) = setup().await;
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("a.csv", CSV),
    )
    .await;
    let rid = r.body["id"].as_str().unwrap();
    let url = r.body["url"].as_str().unwrap().to_owned();
    let d = t
        .delete(
            &format!("/api/1/datasets/{id}/resources/{rid}/"),
            Some(&owner),
        )
        .await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    assert_eq!(t.get(&url, None).await.status, StatusCode::NOT_FOUND);
    let storage = t.app.storage.as_ref().unwrap();
    assert!(storage.list("resources").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_resource_dropped_from_a_dataset_put_loses_its_file() {
    let (t, owner, id) = setup().await;
    let kept = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("kept.csv", CSV),
    )
    .await;
    let dropped = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("dropped.csv", CSV),
    )
    .await;
    let kept_url = kept.body["url"].as_str().unwrap().to_owned();
    let dropped_url = dropped.body["url"].as_str().unwrap().to_owned();
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/"),
            Some(&owner),
            &json!({"resources": [kept.body.clone()]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["resources"].as_array().unwrap().len(), 1);
    assert_eq!(
        t.get(&dropped_url, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(t.get(&kept_url, None).await.status, StatusCode::OK);
    let storage = t.app.storage.as_ref().unwrap();
    let keys: Vec<String> = storage
        .list("resources")
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.key)
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(kept_url.ends_with(&keys[0]), "{keys:?}");
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
async fn chunked_upload_with_a_resumed_part() {
    let (t, owner, id) = setup().await;
    let path = format!("/api/1/datasets/{id}/upload/");
    let content: Vec<u8> = (0..30_000u32)
        .map(|i| b"abcdefghij"[(i % 10) as usize])
        .collect();
    let parts: Vec<&[u8]> = content.chunks(10_000).collect();
    let uuid = "6f1c2a7e-0b1d-4d8e-9a55-3c2f1e0d9b7a";

    let r0 = upload(
        &t,
        &path,
        Some(&owner),
        chunk_form(uuid, "Grand Fichier.csv", 0, 0, 3, parts[0]),
    )
    .await;
    assert_eq!(r0.status, StatusCode::OK, "{}", r0.text);
    assert_eq!(r0.body, json!({"success": true}));
    let r2 = upload(
        &t,
        &path,
        Some(&owner),
        chunk_form(uuid, "Grand Fichier.csv", 2, 20_000, 3, parts[2]),
    )
    .await;
    assert_eq!(r2.status, StatusCode::OK);

    // Finishing with a part missing names it, so the client can resend it.
    let early = upload(
        &t,
        &path,
        Some(&owner),
        finish_form(uuid, "Grand Fichier.csv", 3),
    )
    .await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(
        early.body["message"]
            .as_str()
            .unwrap()
            .contains("Missing parts 1"),
        "{}",
        early.text
    );

    // A chunk whose size does not match what the client announced is refused.
    let mut wrong = chunk_form(uuid, "Grand Fichier.csv", 1, 10_000, 3, parts[1]);
    wrong = wrong.text("chunksize", "1");
    let mismatch = upload(&t, &path, Some(&owner), wrong).await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        mismatch.body,
        json!({"success": false, "error": "Chunk size mismatch"})
    );

    let r1 = upload(
        &t,
        &path,
        Some(&owner),
        chunk_form(uuid, "Grand Fichier.csv", 1, 10_000, 3, parts[1]),
    )
    .await;
    assert_eq!(r1.status, StatusCode::OK);
    let done = upload(
        &t,
        &path,
        Some(&owner),
        finish_form(uuid, "Grand Fichier.csv", 3),
    )
    .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    assert_eq!(done.body["filesize"], content.len());
    assert_eq!(done.body["checksum"]["value"], sha256_hex(&content));
    assert_eq!(done.body["title"], "Grand Fichier.csv");
    let url = done.body["url"].as_str().unwrap();
    assert!(url.ends_with("/grand-fichier.csv"));
    let got = t
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(got.as_ref(), content.as_slice());

    // The chunks are gone.
    let storage = t.app.storage.as_ref().unwrap();
    assert!(storage.list("chunks").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_chunked_upload_belongs_to_its_dataset() {
    // The upload id is chosen by the client: someone who learns it must not be able to finish
    // the upload into a dataset of their own (and read the file), nor slip parts into it.
    let (t, owner, id) = setup().await;
    let mallory = t.user("Mallory").await;
    let theirs = t.dataset(&mallory, json!({"title": "Mallory's"})).await;
    let theirs = theirs["id"].as_str().unwrap().to_owned();
    let uuid = "0c6a3a5e-8f7b-4e1d-a3b2-5d9e8f7a6b5c";
    let secret: &[u8] = b"secret-part-0;";
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        chunk_form(uuid, "secret.csv", 0, 0, 2, secret),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // Mallory sends part 1 under the same id to her own dataset, then finishes there.
    let r = upload(
        &t,
        &format!("/api/1/datasets/{theirs}/upload/"),
        Some(&mallory),
        chunk_form(uuid, "secret.csv", 1, secret.len(), 2, b"injected"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = upload(
        &t,
        &format!("/api/1/datasets/{theirs}/upload/"),
        Some(&mallory),
        finish_form(uuid, "secret.csv", 2),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("Missing parts 0"), "{}", r.text);

    // The owner's upload is untouched by Mallory's part: it still misses its own part 1.
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        finish_form(uuid, "secret.csv", 2),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("Missing parts 1"), "{}", r.text);
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        chunk_form(uuid, "secret.csv", 1, secret.len(), 2, b"part-1"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        finish_form(uuid, "secret.csv", 2),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["filesize"], secret.len() + b"part-1".len());
}

#[tokio::test]
async fn chunk_fields_after_the_file_part_are_refused() {
    let (t, owner, id) = setup().await;
    let path = format!("/api/1/datasets/{id}/upload/");
    let uuid = "3b1f0c2d-4e5a-4b6c-8d7e-9f0a1b2c3d4e";
    // Chunk fields first, then the file, then `totalparts` changed: the part was stored as a
    // chunk (its name unchecked); it must not become a resource with a refused extension.
    let switched = Form::new()
        .text("uuid", uuid)
        .text("partindex", "0")
        .text("totalparts", "2")
        .text("filename", "setup.exe")
        .part("file", Part::bytes(CSV.to_vec()).file_name("blob"))
        .text("totalparts", "1");
    let r = upload(&t, &path, Some(&owner), switched).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    // The file first, then chunk fields: it was stored as a whole file, not as a chunk.
    let late = file_form("part.csv", CSV)
        .text("uuid", uuid)
        .text("partindex", "0")
        .text("totalparts", "2");
    let r = upload(&t, &path, Some(&owner), late).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    let d = t.get(&format!("/api/1/datasets/{id}/"), Some(&owner)).await;
    assert_eq!(d.body["resources"], json!([]));
    let storage = t.app.storage.as_ref().unwrap();
    assert!(storage.list("resources").await.unwrap().is_empty());
    assert!(storage.list("chunks").await.unwrap().is_empty());
}

#[tokio::test]
async fn abandoned_chunks_are_purged_after_the_retention() {
    let (t, owner, id) = setup().await;
    let path = format!("/api/1/datasets/{id}/upload/");
    let r = upload(
        &t,
        &path,
        Some(&owner),
        chunk_form("abandoned-1", "x.csv", 0, 0, 2, b"abc"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let storage = t.app.storage.as_ref().unwrap();
    assert!(!storage.list("chunks").await.unwrap().is_empty());
    // Within the retention nothing goes.
    assert_eq!(portail_app::files::purge_chunks(&t.app).await.unwrap(), 0);
    let mut app = t.app.clone();
    app.uploads.chunk_retention = std::time::Duration::ZERO;
    app.clock = portail_app::Clock::fixed(chrono::Utc::now() + chrono::Duration::seconds(5));
    assert_eq!(portail_app::files::purge_chunks(&app).await.unwrap(), 1);
    assert!(storage.list("chunks").await.unwrap().is_empty());
}

#[tokio::test]
async fn orphan_files_are_purged_but_referenced_ones_kept() {
    let (t, owner, id) = setup().await;
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("kept.csv", CSV),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let storage = t.app.storage.as_ref().unwrap();
    storage
        .put_bytes(
            &format!("resources/{id}/20200101-000000-deadbeef/orphan.csv"),
            bytes::Bytes::from_static(b"x"),
        )
        .await
        .unwrap();
    assert_eq!(storage.list("resources").await.unwrap().len(), 2);
    let removed = portail_app::files::purge_orphans(&t.app, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    let left = storage.list("resources").await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(left[0].key.ends_with("kept.csv"));
}

#[tokio::test]
async fn downloads_are_counted() {
    let (t, owner, id) = setup().await;
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("a.csv", CSV),
    )
    .await;
    let url = r.body["url"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        assert_eq!(
            t.client.get(&url).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    // Through the permalink, a download counts once (the redirect is not a second one).
    let rid = r.body["id"].as_str().unwrap();
    let permalink = t
        .client
        .get(format!("{}/api/1/datasets/r/{rid}", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(permalink.status(), StatusCode::FOUND);
    assert_eq!(permalink.headers()["location"], url.as_str());
    assert_eq!(
        t.client.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    // A HEAD or a later range is not a download.
    t.client.head(&url).send().await.unwrap();
    t.client
        .get(&url)
        .header("Range", "bytes=5-9")
        .send()
        .await
        .unwrap();
    // Counts are flushed in the background every few seconds: poll, bounded.
    let mut seen = Value::Null;
    for _ in 0..40 {
        let d = t.get(&format!("/api/1/datasets/{id}/"), Some(&owner)).await;
        seen = d.body["resources"][0]["metrics"]["views"].clone();
        // The dataset row and its resources are read by two queries: a flush may land between
        // them, so wait for both.
        if seen == 4 && d.body["metrics"]["resources_downloads"] == 4 {
            // Nothing more comes in a later flush.
            tokio::time::sleep(portail_web::downloads::FLUSH_EVERY).await;
            let d = t.get(&format!("/api/1/datasets/{id}/"), Some(&owner)).await;
            assert_eq!(d.body["resources"][0]["metrics"]["views"], 4);
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("downloads not counted, last seen {seen}");
}

#[tokio::test]
async fn saving_a_resource_loaded_before_a_flush_keeps_the_flushed_downloads() {
    let (t, owner, id) = setup().await;
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("a.csv", CSV),
    )
    .await;
    let rid = r.body["id"].as_str().unwrap().to_owned();
    let db = &t.app.db;
    // A write loads the resource, downloads are flushed meanwhile, then the write saves it.
    let mut stale = portail_db::resources::find(db, &rid)
        .await
        .unwrap()
        .expect("resource");
    let mut tx = db.begin().await.unwrap();
    portail_db::resources::add_downloads(
        &mut tx,
        &[(rid.clone(), id.clone(), 7)],
        chrono::Utc::now().date_naive(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    stale.title = "Renamed".into();
    let mut tx = db.begin().await.unwrap();
    portail_db::resources::update(&mut tx, &stale)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let saved = portail_db::resources::find(db, &rid)
        .await
        .unwrap()
        .expect("resource");
    assert_eq!(saved.title, "Renamed");
    assert_eq!(saved.downloads, 7);
}

#[tokio::test]
async fn purging_deleted_datasets_removes_them_and_their_files_after_the_grace_period() {
    let (t, owner, id) = setup().await;
    let r = upload(
        &t,
        &format!("/api/1/datasets/{id}/upload/"),
        Some(&owner),
        file_form("a.csv", CSV),
    )
    .await;
    let url = r.body["url"].as_str().unwrap().to_owned();
    let kept = t.dataset(&owner, json!({"title": "Gardé"})).await;
    assert_eq!(
        t.delete(&format!("/api/1/datasets/{id}/"), Some(&owner))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    // Deleted but not purged: the owner gets 410 and the file is no longer served to anyone.
    assert_eq!(
        t.get(&format!("/api/1/datasets/{id}/"), Some(&owner))
            .await
            .status,
        StatusCode::GONE
    );
    assert_eq!(
        t.get(&url, Some(&owner)).await.status,
        StatusCode::NOT_FOUND
    );
    let grace = chrono::Duration::days(portail_app::datasets::DEFAULT_PURGE_GRACE_DAYS);
    assert_eq!(
        portail_app::datasets::purge_deleted(&t.app, grace)
            .await
            .unwrap(),
        0
    );
    let storage = t.app.storage.as_ref().unwrap();
    assert_eq!(storage.list("resources").await.unwrap().len(), 1);

    // After the grace period: gone for everyone, files removed, other datasets untouched.
    let mut later = t.app.clone();
    later.clock =
        portail_app::Clock::fixed(chrono::Utc::now() + grace + chrono::Duration::hours(1));
    assert_eq!(
        portail_app::datasets::purge_deleted(&later, grace)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        t.get(&format!("/api/1/datasets/{id}/"), Some(&owner))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(storage.list("resources").await.unwrap().is_empty());
    let still = t
        .get(
            &format!("/api/1/datasets/{}/", kept["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(still.status, StatusCode::OK);
}

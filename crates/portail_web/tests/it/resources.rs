//! `/api/1/datasets/{dataset}/resources/` (create, reorder, read, update, delete), the
//! `/api/1/datasets/r/{rid}` permalink and `resources` in a dataset PUT.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::datasets::{
    Publisher, assert_message, assert_unauthorized, check, id_of, permission_cases, publish,
};
use crate::support::{Cast, TestApp, TestUser, error_fields};

const UNKNOWN_RID: &str = "7d3c1c9e-4b8a-4f4e-9a57-3a1f0c2b5d6e";

/// Ids of the resources of a dataset, in order, as an anonymous or given reader sees them.
async fn resource_ids(t: &TestApp, dataset: &str, user: Option<&TestUser>) -> Vec<String> {
    let r = t.get(&format!("/api/1/datasets/{dataset}/"), user).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(id_of)
        .collect()
}

fn location(r: &crate::support::Resp) -> Option<&str> {
    r.headers.get("location").and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn create_a_remote_resource() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t.dataset(&alice, json!({})).await;
    let id = id_of(&d);
    let path = format!("/api/1/datasets/{id}/resources/");
    let r = t
        .post(
            &path,
            Some(&alice),
            &json!({
                "title": "Mesures 2024",
                "description": "One line per hour.",
                "url": "https://example.org/mesures-2024.csv",
                "filetype": "remote",
                "type": "api",
                "format": " CSV ",
                "mime": "Text/CSV",
                "filesize": 1234,
                "checksum": {"type": "md5", "value": "0cc175b9c0f1b6a831c399e269772661"},
                "extras": {"source": "sensors"},
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let first = r.body;
    let rid = id_of(&first);
    assert_eq!(rid.len(), 36, "a UUID: {rid}");
    assert_eq!(first["title"], "Mesures 2024");
    assert_eq!(first["description"], "One line per hour.");
    assert_eq!(first["filetype"], "remote");
    assert_eq!(first["type"], "api");
    assert_eq!(first["format"], "csv");
    assert_eq!(first["mime"], "text/csv");
    assert_eq!(first["filesize"], 1234);
    assert_eq!(
        first["checksum"],
        json!({"type": "md5", "value": "0cc175b9c0f1b6a831c399e269772661"})
    );
    assert_eq!(first["url"], "https://example.org/mesures-2024.csv");
    assert_eq!(
        first["latest"],
        format!("{}/api/1/datasets/r/{rid}", t.base)
    );
    assert_eq!(first["extras"], json!({"source": "sensors"}));
    assert_eq!(first["metrics"], json!({"views": 0}));
    for key in [
        "created_at",
        "last_modified",
        "harvest",
        "schema",
        "internal",
        "preview_url",
    ] {
        assert!(first.get(key).is_some(), "missing {key}: {first}");
    }
    assert!(first["internal"]["created_at_internal"].is_string());
    assert!(first["internal"]["last_modified_internal"].is_string());

    // Without a filetype, a resource is remote; new resources come first.
    let second = t
        .post(
            &path,
            Some(&alice),
            &json!({"title": "Mesures 2025", "url": "https://example.org/2025.json"}),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text);
    assert_eq!(second.body["filetype"], "remote");
    assert_eq!(second.body["format"], Value::Null);
    assert_eq!(second.body["checksum"], Value::Null);
    let third = t.remote_resource(&alice, &id, json!({})).await;
    assert_eq!(
        resource_ids(&t, &id, None).await,
        vec![id_of(&third), id_of(&second.body), rid.clone()]
    );
    let read = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(read.body["resources"][2], first);
    assert_eq!(read.body["quality"]["has_resources"], true);

    // Hosted files come through the upload endpoint only.
    for filetype in ["file", "upload"] {
        let r = t
            .post(
                &path,
                Some(&alice),
                &json!({"title": "T", "url": "https://example.org/a.csv", "filetype": filetype}),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert_eq!(
            r.body,
            json!({"message": "This endpoint only supports remote resources"})
        );
    }
    // Unknown dataset.
    let r = t
        .post(
            "/api/1/datasets/no-such-dataset/resources/",
            Some(&alice),
            &json!({"title": "T", "url": "https://example.org/a.csv"}),
        )
        .await;
    assert_message(&r, StatusCode::NOT_FOUND);
    assert_eq!(resource_ids(&t, &id, None).await.len(), 3);
}

#[tokio::test]
async fn each_invalid_resource_field_is_named() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let d = t.dataset(&alice, json!({})).await;
    let id = id_of(&d);
    let path = format!("/api/1/datasets/{id}/resources/");
    let good = json!({"title": "T", "url": "https://example.org/a.csv"});
    let with = |extra: Value| {
        let mut body = good.clone();
        for (k, v) in extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"url": "https://example.org/a.csv"}), vec!["title"]),
        (json!({"title": "T"}), vec!["url"]),
        (json!({}), vec!["title", "url"]),
        (with(json!({"title": "x".repeat(351)})), vec!["title"]),
        (with(json!({"url": "example.org/a.csv"})), vec!["url"]),
        (with(json!({"url": "javascript:alert(1)"})), vec!["url"]),
        (with(json!({"url": "file:///etc/passwd"})), vec!["url"]),
        (with(json!({"type": "movie"})), vec!["type"]),
        (with(json!({"filesize": -1})), vec!["filesize"]),
        (with(json!({"filesize": "big"})), vec!["filesize"]),
        (
            with(json!({"checksum": {"type": "sha512", "value": "abc"}})),
            vec!["checksum.type"],
        ),
        (with(json!({"checksum": "abc"})), vec!["checksum"]),
        (with(json!({"extras": {"k": null}})), vec!["extras"]),
        (with(json!({"id": "not-a-uuid"})), vec!["id"]),
        (
            json!({"title": 3, "url": "nope", "type": "movie"}),
            vec!["title", "type", "url"],
        ),
    ];
    for (body, fields) in cases {
        let r = t.post(&path, Some(&alice), &body).await;
        let mut fields: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
        fields.sort();
        assert_eq!(error_fields(&r), fields, "{body}: {}", r.text);
    }
    assert!(resource_ids(&t, &id, None).await.is_empty());
}

#[tokio::test]
async fn explicit_resource_ids_are_kept_and_unique() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let one = id_of(&t.dataset(&alice, json!({"title": "One"})).await);
    let two = id_of(&t.dataset(&alice, json!({"title": "Two"})).await);
    let r = t
        .remote_resource(&alice, &one, json!({"id": UNKNOWN_RID.to_uppercase()}))
        .await;
    assert_eq!(r["id"], UNKNOWN_RID);
    // The same id again, in the same dataset or in another one, is a conflict, not a crash.
    for dataset in [&one, &two] {
        let r = t
            .post(
                &format!("/api/1/datasets/{dataset}/resources/"),
                Some(&alice),
                &json!({"id": UNKNOWN_RID, "title": "Copy", "url": "https://example.org/c.csv"}),
            )
            .await;
        assert_message(&r, StatusCode::CONFLICT);
    }
    assert_eq!(resource_ids(&t, &one, None).await, vec![UNKNOWN_RID]);
    assert!(resource_ids(&t, &two, None).await.is_empty());
}

#[tokio::test]
async fn read_update_and_delete_one_resource() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let id = id_of(&t.dataset(&alice, json!({})).await);
    let other = id_of(&t.dataset(&alice, json!({"title": "Other"})).await);
    let created = t
        .remote_resource(
            &alice,
            &id,
            json!({"description": "Hourly.", "format": "csv", "extras": {"k": "v"}}),
        )
        .await;
    let foreign = t.remote_resource(&alice, &other, json!({})).await;
    let rid = id_of(&created);
    let path = format!("/api/1/datasets/{id}/resources/{rid}/");

    for p in [path.clone(), path.trim_end_matches('/').to_owned()] {
        let r = t.get(&p, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body, created);
    }
    for missing in [
        format!("/api/1/datasets/{id}/resources/{UNKNOWN_RID}/"),
        format!("/api/1/datasets/{id}/resources/{}/", id_of(&foreign)),
        format!("/api/1/datasets/no-such-dataset/resources/{rid}/"),
    ] {
        assert_message(&t.get(&missing, None).await, StatusCode::NOT_FOUND);
        assert_message(
            &t.put(&missing, Some(&alice), &json!({"title": "X"})).await,
            StatusCode::NOT_FOUND,
        );
        assert_message(
            &t.delete(&missing, Some(&alice)).await,
            StatusCode::NOT_FOUND,
        );
    }

    // Partial update: omitted keys are kept.
    let r = t
        .put(&path, Some(&alice), &json!({"title": "Renamed"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["title"], "Renamed");
    for key in [
        "id",
        "url",
        "format",
        "description",
        "extras",
        "type",
        "filetype",
        "latest",
        "created_at",
    ] {
        assert_eq!(r.body[key], created[key], "{key}");
    }
    // null clears; formats are lowercased; the type is checked.
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"description": null, "format": "JSON", "type": "documentation", "extras": null, "url": "https://example.org/new.json"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["description"], Value::Null);
    assert_eq!(r.body["format"], "json");
    assert_eq!(r.body["type"], "documentation");
    assert_eq!(r.body["extras"], json!({}));
    assert_eq!(r.body["url"], "https://example.org/new.json");
    let read = t.get(&path, None).await;
    assert_eq!(read.body, r.body, "what PUT answered is stored");
    let in_dataset = t.get(&format!("/api/1/datasets/{id}/"), None).await;
    assert_eq!(in_dataset.body["resources"][0], r.body);

    for (body, field) in [
        (json!({"title": null}), "title"),
        (json!({"title": ""}), "title"),
        (json!({"url": "not a url"}), "url"),
        (json!({"url": null}), "url"),
        (json!({"type": "movie"}), "type"),
        (json!({"filetype": "file"}), "filetype"),
        (json!({"filesize": -5}), "filesize"),
    ] {
        let r = t.put(&path, Some(&alice), &body).await;
        assert_eq!(error_fields(&r), vec![field.to_owned()], "{body}");
    }
    assert_eq!(t.get(&path, None).await.body, read.body);
    // Echoing the resource back changes nothing.
    let r = t.put(&path, Some(&alice), &read.body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for key in [
        "id", "title", "url", "format", "type", "filetype", "extras", "checksum", "latest",
    ] {
        assert_eq!(r.body[key], read.body[key], "{key}");
    }
    let r = t
        .put(&path, Some(&alice), &json!({"filetype": "remote"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // Delete: 204, then gone everywhere.
    let r = t.delete(&path, Some(&alice)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert!(r.text.is_empty());
    assert_message(&t.get(&path, None).await, StatusCode::NOT_FOUND);
    assert_message(&t.delete(&path, Some(&alice)).await, StatusCode::NOT_FOUND);
    assert!(resource_ids(&t, &id, None).await.is_empty());
    assert_message(
        &t.get(&format!("/api/1/datasets/r/{rid}"), None).await,
        StatusCode::NOT_FOUND,
    );
    // The other dataset's resource is untouched.
    assert_eq!(resource_ids(&t, &other, None).await, vec![id_of(&foreign)]);
}

#[tokio::test]
async fn reorder_needs_every_resource_exactly_once() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let id = id_of(&t.dataset(&alice, json!({})).await);
    let other = id_of(&t.dataset(&alice, json!({"title": "Other"})).await);
    let foreign = id_of(&t.remote_resource(&alice, &other, json!({})).await);
    let a = id_of(&t.remote_resource(&alice, &id, json!({"title": "A"})).await);
    let b = id_of(&t.remote_resource(&alice, &id, json!({"title": "B"})).await);
    let c = id_of(&t.remote_resource(&alice, &id, json!({"title": "C"})).await);
    assert_eq!(
        resource_ids(&t, &id, None).await,
        vec![c.as_str(), b.as_str(), a.as_str()]
    );
    let path = format!("/api/1/datasets/{id}/resources/");

    let r = t.put(&path, Some(&alice), &json!([a, b, c])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let answered: Vec<String> = r.body.as_array().expect("list").iter().map(id_of).collect();
    assert_eq!(answered, vec![a.as_str(), b.as_str(), c.as_str()]);
    assert_eq!(r.body[0]["title"], "A");
    assert_eq!(
        resource_ids(&t, &id, None).await,
        vec![a.as_str(), b.as_str(), c.as_str()]
    );

    // Objects with an id, as GET returns them, work too.
    let full = t.get(&format!("/api/1/datasets/{id}/"), None).await.body["resources"].clone();
    let objects = json!([full[2], full[0], full[1]]);
    let r = t.put(&path, Some(&alice), &objects).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        resource_ids(&t, &id, None).await,
        vec![c.as_str(), a.as_str(), b.as_str()]
    );
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!([{"id": b}, {"id": c}, {"id": a}]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        resource_ids(&t, &id, None).await,
        vec![b.as_str(), c.as_str(), a.as_str()]
    );

    for bad in [
        json!([a, b]),
        json!([a, b, c, UNKNOWN_RID]),
        json!([a, b, c, foreign]),
        json!([a, a, b, c]),
        json!([a, a, b]),
        json!([]),
        json!([1, 2, 3]),
        json!([{"title": "no id"}, b, c]),
        json!({"resources": [a, b, c]}),
        json!(a),
    ] {
        let r = t.put(&path, Some(&alice), &bad).await;
        assert_message(&r, StatusCode::BAD_REQUEST);
    }
    assert_eq!(
        resource_ids(&t, &id, None).await,
        vec![b.as_str(), c.as_str(), a.as_str()]
    );
    let r = t
        .send_raw(
            reqwest::Method::PUT,
            &path,
            Some(&alice),
            Some("text/plain"),
            &json!([a, b, c]).to_string(),
        )
        .await;
    assert_eq!(error_fields(&r), vec!["Content-Type".to_owned()]);

    // A dataset without resources takes the empty list.
    let empty = id_of(&t.dataset(&alice, json!({"title": "Empty"})).await);
    let r = t
        .put(
            &format!("/api/1/datasets/{empty}/resources/"),
            Some(&alice),
            &json!([]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, json!([]));
}

/// Who can edit the resources of a dataset published by `publisher`, to set cases up.
fn editor_of(c: &Cast, publisher: Publisher) -> &TestUser {
    match publisher {
        Publisher::Owner => &c.owner,
        Publisher::Org => &c.admin,
        Publisher::OrgByPartial => &c.partial,
    }
}

#[tokio::test]
async fn who_may_edit_resources() {
    let t = TestApp::new().await;
    let c = t.cast().await;
    for (i, (label, who, publisher, expected)) in permission_cases(&c).into_iter().enumerate() {
        let id = publish(&t, &c, publisher, &format!("Case {i}")).await;
        let setup = editor_of(&c, publisher);
        let existing = id_of(
            &t.remote_resource(setup, &id, json!({"title": "Existing"}))
                .await,
        );
        let list = format!("/api/1/datasets/{id}/resources/");
        let one = format!("{list}{existing}/");

        let r = t
            .post(
                &list,
                who,
                &json!({"title": "Added", "url": "https://example.org/added.csv"}),
            )
            .await;
        check(&r, expected, StatusCode::CREATED, label);
        let ids = resource_ids(&t, &id, None).await;
        assert_eq!(ids.len(), if expected.is_none() { 2 } else { 1 }, "{label}");

        let r = t.put(&one, who, &json!({"title": "Edited"})).await;
        check(&r, expected, StatusCode::OK, label);
        let title = t.get(&one, None).await.body["title"].clone();
        assert_eq!(
            title,
            if expected.is_none() {
                "Edited"
            } else {
                "Existing"
            },
            "{label}"
        );

        let reversed: Vec<String> = ids.iter().rev().cloned().collect();
        let r = t.put(&list, who, &json!(reversed)).await;
        check(&r, expected, StatusCode::OK, label);
        let expected_order = if expected.is_none() { reversed } else { ids };
        assert_eq!(resource_ids(&t, &id, None).await, expected_order, "{label}");

        let r = t.delete(&one, who).await;
        check(&r, expected, StatusCode::NO_CONTENT, label);
        let still = t.get(&one, None).await.status;
        assert_eq!(
            still,
            if expected.is_none() {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::OK
            },
            "{label}"
        );
    }
}

#[tokio::test]
async fn the_permalink_redirects_to_the_current_url() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let bob = t.user("Bob").await;
    let id = id_of(&t.dataset(&alice, json!({})).await);
    let res = t
        .remote_resource(&alice, &id, json!({"url": "https://example.org/v1.csv"}))
        .await;
    let rid = id_of(&res);
    let permalink = format!("/api/1/datasets/r/{rid}");
    assert_eq!(res["latest"], format!("{}{permalink}", t.base));
    for who in [None, Some(&alice), Some(&bob)] {
        let r = t.get(&permalink, who).await;
        assert_eq!(r.status, StatusCode::FOUND, "{}", r.text);
        assert_eq!(location(&r), Some("https://example.org/v1.csv"));
    }
    // The link follows URL changes at once.
    let r = t
        .put(
            &format!("/api/1/datasets/{id}/resources/{rid}/"),
            Some(&alice),
            &json!({"url": "https://example.org/v2.csv"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t.get(&permalink, None).await;
    assert_eq!(location(&r), Some("https://example.org/v2.csv"));

    assert_message(
        &t.get(&format!("/api/1/datasets/r/{UNKNOWN_RID}"), None)
            .await,
        StatusCode::NOT_FOUND,
    );
    assert_message(
        &t.get("/api/1/datasets/r/not-even-a-uuid", None).await,
        StatusCode::NOT_FOUND,
    );

    // A private dataset's resources are as hidden as the dataset.
    let private = id_of(
        &t.dataset(&alice, json!({"title": "Secret", "private": true}))
            .await,
    );
    let hidden = id_of(&t.remote_resource(&alice, &private, json!({})).await);
    let link = format!("/api/1/datasets/r/{hidden}");
    let one = format!("/api/1/datasets/{private}/resources/{hidden}/");
    for who in [None, Some(&bob)] {
        assert_message(&t.get(&link, who).await, StatusCode::NOT_FOUND);
        assert_message(&t.get(&one, who).await, StatusCode::NOT_FOUND);
    }
    assert_eq!(t.get(&link, Some(&alice)).await.status, StatusCode::FOUND);
    assert_eq!(t.get(&one, Some(&alice)).await.status, StatusCode::OK);

    // So are a deleted dataset's, even to its owner.
    assert_eq!(
        t.delete(&format!("/api/1/datasets/{id}/"), Some(&alice))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    for who in [None, Some(&alice)] {
        assert_message(&t.get(&permalink, who).await, StatusCode::NOT_FOUND);
    }
    let r = t
        .get(
            &format!("/api/1/datasets/{id}/resources/{rid}/"),
            Some(&alice),
        )
        .await;
    assert_message(&r, StatusCode::GONE);
}

#[tokio::test]
async fn put_dataset_with_resources_replaces_the_list() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let id = id_of(&t.dataset(&alice, json!({})).await);
    let path = format!("/api/1/datasets/{id}/");
    let r1 = t
        .remote_resource(
            &alice,
            &id,
            json!({"title": "R1", "url": "https://example.org/1.csv"}),
        )
        .await;
    let r2 = t
        .remote_resource(
            &alice,
            &id,
            json!({"title": "R2", "url": "https://example.org/2.csv", "description": "Two"}),
        )
        .await;
    let r3 = t
        .remote_resource(
            &alice,
            &id,
            json!({"title": "R3", "url": "https://example.org/3.csv"}),
        )
        .await;
    let (r1, r2, r3) = (id_of(&r1), id_of(&r2), id_of(&r3));

    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"resources": [
                {"id": r2, "title": "R2 renamed"},
                {"title": "New", "url": "https://example.org/new.csv", "format": "CSV"},
                {"id": r1},
            ]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let res = r.body["resources"].as_array().expect("resources").clone();
    assert_eq!(res.len(), 3, "{}", r.text);
    assert_eq!(res[0]["id"], r2.as_str());
    assert_eq!(res[0]["title"], "R2 renamed");
    assert_eq!(res[0]["url"], "https://example.org/2.csv");
    assert_eq!(res[0]["description"], "Two");
    let new = id_of(&res[1]);
    assert!(![&r1, &r2, &r3].contains(&&new));
    assert_eq!(res[1]["title"], "New");
    assert_eq!(res[1]["format"], "csv");
    assert_eq!(res[1]["filetype"], "remote");
    assert_eq!(res[2]["id"], r1.as_str());
    assert_eq!(res[2]["title"], "R1");
    assert_eq!(
        resource_ids(&t, &id, None).await,
        vec![r2.as_str(), new.as_str(), r1.as_str()]
    );
    // The one left out is gone.
    assert_message(
        &t.get(&format!("{path}resources/{r3}/"), None).await,
        StatusCode::NOT_FOUND,
    );
    assert_message(
        &t.get(&format!("/api/1/datasets/r/{r3}"), None).await,
        StatusCode::NOT_FOUND,
    );
    assert_eq!(
        t.get(&format!("/api/1/datasets/r/{new}"), None)
            .await
            .status,
        StatusCode::FOUND
    );

    // Bad entries are named by position, and nothing changes.
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"resources": [{"id": r2}, {"title": "Bad", "url": "nope"}, "r1"]}),
        )
        .await;
    assert_eq!(
        error_fields(&r),
        vec!["resources.1.url".to_owned(), "resources.2".to_owned()]
    );
    // An id the dataset does not have makes a new resource, which needs a title and a URL.
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"resources": [{"id": UNKNOWN_RID}]}),
        )
        .await;
    assert_eq!(
        error_fields(&r),
        vec!["resources.0.title".to_owned(), "resources.0.url".to_owned()]
    );
    // Another dataset's resource cannot be taken over.
    let other = id_of(&t.dataset(&alice, json!({"title": "Other"})).await);
    let foreign = id_of(&t.remote_resource(&alice, &other, json!({})).await);
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"resources": [{"id": foreign, "title": "Mine now", "url": "https://example.org/x.csv"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(error_fields(&r), vec!["resources.0.id".to_owned()]);
    assert_eq!(
        resource_ids(&t, &id, None).await,
        vec![r2.as_str(), new.as_str(), r1.as_str()]
    );
    assert_eq!(resource_ids(&t, &other, None).await, vec![foreign.as_str()]);
    let kept = t
        .get(
            &format!("/api/1/datasets/{other}/resources/{foreign}/"),
            None,
        )
        .await;
    assert_eq!(kept.body["title"], "Mesures 2024");

    // An explicit new id is kept.
    let r = t
        .put(
            &path,
            Some(&alice),
            &json!({"resources": [{"id": UNKNOWN_RID, "title": "Chosen id", "url": "https://example.org/c.csv"}, {"id": r1}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(resource_ids(&t, &id, None).await, vec![UNKNOWN_RID, &r1]);

    // An empty list, or null, removes every resource.
    let r = t.put(&path, Some(&alice), &json!({"resources": []})).await;
    assert_eq!(r.body["resources"], json!([]), "{}", r.text);
    t.remote_resource(&alice, &id, json!({})).await;
    let r = t
        .put(&path, Some(&alice), &json!({"resources": null}))
        .await;
    assert_eq!(r.body["resources"], json!([]), "{}", r.text);
    assert!(resource_ids(&t, &id, None).await.is_empty());
}

#[tokio::test]
async fn writes_need_an_api_key() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let id = id_of(&t.dataset(&alice, json!({})).await);
    let rid = id_of(&t.remote_resource(&alice, &id, json!({})).await);
    let list = format!("/api/1/datasets/{id}/resources/");
    let one = format!("{list}{rid}/");
    assert_unauthorized(
        &t.post(
            &list,
            None,
            &json!({"title": "T", "url": "https://example.org/a.csv"}),
        )
        .await,
    );
    assert_unauthorized(&t.put(&list, None, &json!([rid])).await);
    assert_unauthorized(&t.put(&one, None, &json!({"title": "T"})).await);
    assert_unauthorized(&t.delete(&one, None).await);
    assert_eq!(t.get(&one, None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn resource_ids_in_dataset_bodies_are_checked() {
    let t = TestApp::new().await;
    let alice = t.user("Alice").await;
    let id = id_of(&t.dataset(&alice, json!({})).await);
    let path = format!("/api/1/datasets/{id}/");
    let r1 = id_of(&t.remote_resource(&alice, &id, json!({"title": "R1"})).await);
    let r2 = id_of(&t.remote_resource(&alice, &id, json!({"title": "R2"})).await);
    let url = "https://example.org/a.csv";

    // The same resource twice in a PUT.
    for body in [
        json!({"resources": [{"id": r1}, {"id": r2}, {"id": r1}]}),
        json!({"resources": [{"id": r1}, {"id": r1, "title": "Again"}]}),
        json!({"resources": [{"id": r1}, {"id": r2}, {"id": UNKNOWN_RID, "title": "N", "url": url}, {"id": UNKNOWN_RID, "title": "N", "url": url}]}),
    ] {
        let r = t.put(&path, Some(&alice), &body).await;
        let fields = error_fields(&r);
        assert_eq!(fields.len(), 1, "{body}: {}", r.text);
        assert!(fields[0].ends_with(".id"), "{body}: {}", r.text);
    }
    assert_eq!(
        resource_ids(&t, &id, None).await,
        vec![r2.as_str(), r1.as_str()]
    );

    // On creation: ids are checked, named by position, and must be new.
    let other_body =
        |resources: Value| json!({"title": "Other", "description": "D", "resources": resources});
    for (resources, field) in [
        (
            json!([{"title": "A", "url": url, "id": "not-a-uuid"}]),
            "resources.0.id",
        ),
        (
            json!([{"title": "A", "url": url}, {"title": "B", "url": url, "id": r1}]),
            "resources.1.id",
        ),
        (
            json!([{"title": "A", "url": url, "id": UNKNOWN_RID}, {"title": "B", "url": url, "id": UNKNOWN_RID}]),
            "resources.1.id",
        ),
    ] {
        let r = t
            .post(
                "/api/1/datasets/",
                Some(&alice),
                &other_body(resources.clone()),
            )
            .await;
        assert_eq!(error_fields(&r), vec![field.to_owned()], "{resources}");
    }
    assert_eq!(t.get("/api/1/datasets/", None).await.body["total"], 1);
    let created = t
        .dataset(
            &alice,
            json!({"title": "Other", "resources": [{"title": "A", "url": url, "id": UNKNOWN_RID}]}),
        )
        .await;
    assert_eq!(created["resources"][0]["id"], UNKNOWN_RID);
    assert_eq!(
        t.get(&format!("/api/2/datasets/resources/{UNKNOWN_RID}/"), None)
            .await
            .body["dataset_id"],
        created["id"]
    );
}

//! The test harness: a real server on 127.0.0.1:0 over a fresh database (a temporary SQLite
//! file, or a PostgreSQL schema of its own when `PORTAIL_TEST_DATABASE_URL` is set), and an
//! HTTP client.

use std::sync::atomic::{AtomicU64, Ordering};

use portail_app::App;
use portail_app::users::Registration;
use portail_core::model::OrgRole;
use portail_db::{ConnectOptions, Db};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A running portal and a client.
pub struct TestApp {
    pub base: String,
    pub app: App,
    pub client: reqwest::Client,
    _dir: Option<TempDir>,
}

/// A temporary folder removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A user with an API key.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: String,
    pub slug: String,
    pub email: String,
    pub token: String,
}

/// A response, read once.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

fn unique_name() -> String {
    format!(
        "t{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    )
}

/// Opens a fresh, migrated database for one test.
pub async fn fresh_db() -> (Db, Option<TempDir>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let options = ConnectOptions {
        max_connections: 8,
        schema: None,
    };
    let (db, dir) = match std::env::var("PORTAIL_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let options = ConnectOptions {
                schema: Some(unique_name()),
                ..options
            };
            (
                Db::connect(&url, &options)
                    .await
                    .expect("connect to PostgreSQL"),
                None,
            )
        }
        _ => {
            let dir = std::env::temp_dir().join(format!("portail-test-{}", unique_name()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let db = Db::open_sqlite_file(&dir.join("portail.db"), &options)
                .await
                .expect("open SQLite");
            (db, Some(TempDir(dir)))
        }
    };
    db.migrate().await.expect("migrate");
    (db, dir)
}

impl TestApp {
    /// Starts a portal on a fresh database.
    pub async fn new() -> TestApp {
        Self::with_settings(portail_web::Settings {
            strict_templates: true,
            ..portail_web::Settings::default()
        })
        .await
    }

    /// Starts a portal with the given settings.
    pub async fn with_settings(settings: portail_web::Settings) -> TestApp {
        Self::with_app(settings, |app| app).await
    }

    /// Starts a portal with the given settings and application tweaks (e.g. upload limits).
    pub async fn with_app(
        settings: portail_web::Settings,
        customize: impl FnOnce(App) -> App,
    ) -> TestApp {
        let (db, dir) = fresh_db().await;
        let dir = dir.unwrap_or_else(|| {
            let path = std::env::temp_dir().join(format!("portail-test-{}", unique_name()));
            std::fs::create_dir_all(&path).expect("temp dir");
            TempDir(path)
        });
        let storage = portail_storage::Storage::local(&dir.0.join("files")).expect("storage");
        let search =
            std::sync::Arc::new(portail_search::SearchIndex::in_ram().expect("search index"));
        let app = customize(App::new(db).with_storage(storage).with_search(search));
        let dir = Some(dir);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let served = app.clone();
        tokio::spawn(async move {
            portail_web::run(served, settings, listener, std::future::pending())
                .await
                .expect("serve");
        });
        TestApp {
            base: format!("http://{addr}"),
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            _dir: dir,
        }
    }

    /// Starts a second portal process-alike on the same database, with its own search index:
    /// two nodes sharing one database, each following the outbox.
    pub async fn second_node(&self) -> TestApp {
        let search =
            std::sync::Arc::new(portail_search::SearchIndex::in_ram().expect("search index"));
        let app = App::new(self.app.db.clone()).with_search(search);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let served = app.clone();
        tokio::spawn(async move {
            portail_web::run(
                served,
                portail_web::Settings::default(),
                listener,
                std::future::pending(),
            )
            .await
            .expect("serve");
        });
        TestApp {
            base: format!("http://{addr}"),
            app,
            client: self.client.clone(),
            _dir: None,
        }
    }

    /// Creates a user with an API key.
    pub async fn user(&self, name: &str) -> TestUser {
        self.make_user(name, false).await
    }

    /// Creates a sysadmin with an API key.
    pub async fn sysadmin(&self, name: &str) -> TestUser {
        self.make_user(name, true).await
    }

    async fn make_user(&self, name: &str, sysadmin: bool) -> TestUser {
        let email = format!("{}@example.org", name.to_lowercase());
        let user = portail_app::users::register(
            &self.app,
            &Registration {
                email: email.clone(),
                password: "long enough password".into(),
                first_name: name.into(),
                last_name: "Test".into(),
                sysadmin,
            },
        )
        .await
        .expect("register");
        let token =
            portail_app::auth::create_token(&self.app, &user.id, Some("tests".into()), None)
                .await
                .expect("token");
        TestUser {
            id: user.id,
            slug: user.slug,
            email,
            token: token.secret,
        }
    }

    /// Creates an organization administered by `admin`, with extra members.
    pub async fn org(
        &self,
        name: &str,
        admin: &TestUser,
        members: &[(&TestUser, OrgRole)],
    ) -> String {
        let r = self
            .post(
                "/api/1/organizations/",
                Some(admin),
                &json!({"name": name, "description": format!("{name} publishes open data.")}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.body["id"].as_str().expect("org id").to_owned();
        for (user, role) in members {
            let r = self
                .post(
                    &format!("/api/1/organizations/{id}/member/{}/", user.id),
                    Some(admin),
                    &json!({"role": role.as_str()}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
        id
    }

    /// Creates a dataset with the given extra fields, as `user`; returns its JSON.
    pub async fn dataset(&self, user: &TestUser, extra: Value) -> Value {
        let mut body = json!({
            "title": "Qualité de l'air à Valbourg",
            "description": "Mesures horaires des polluants atmosphériques relevées par les stations de la métropole.",
        });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let r = self.post("/api/1/datasets/", Some(user), &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body
    }

    /// Sends a request with an optional JSON body and API key.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        user: Option<&TestUser>,
        body: Option<&Value>,
    ) -> Resp {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        if method == Method::GET
            && (path.contains("q=") || path.contains("/search/") || path.contains("/suggest/"))
        {
            self.wait_for_search().await;
        }
        let mut req = self.client.request(method, url);
        if let Some(u) = user {
            req = req.header("X-API-KEY", &u.token);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let response = req.send().await.expect("send");
        Resp::read(response).await
    }

    /// Waits until the search index has applied every change written so far (the index
    /// follows the outbox a few times a second), so that a test can search what it just wrote.
    pub async fn wait_for_search(&self) {
        let started = std::time::Instant::now();
        while !portail_app::search::caught_up(&self.app)
            .await
            .expect("search state")
        {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "the search index did not catch up within 20 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn get(&self, path: &str, user: Option<&TestUser>) -> Resp {
        self.request(Method::GET, path, user, None).await
    }

    pub async fn post(&self, path: &str, user: Option<&TestUser>, body: &Value) -> Resp {
        self.request(Method::POST, path, user, Some(body)).await
    }

    pub async fn put(&self, path: &str, user: Option<&TestUser>, body: &Value) -> Resp {
        self.request(Method::PUT, path, user, Some(body)).await
    }

    pub async fn delete(&self, path: &str, user: Option<&TestUser>) -> Resp {
        self.request(Method::DELETE, path, user, None).await
    }
}

impl Resp {
    /// Reads a response fully.
    pub async fn read(response: reqwest::Response) -> Resp {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            text,
        }
    }
}

impl TestApp {
    /// Sends a request with raw headers (no API key added), for authentication and language
    /// tests.
    pub async fn request_with_headers(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Resp {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        Resp::read(req.send().await.expect("send")).await
    }
}

impl TestUser {
    /// The same user authenticating with another API key.
    pub fn with_token(&self, token: &str) -> TestUser {
        TestUser {
            token: token.to_owned(),
            ..self.clone()
        }
    }
}

impl TestApp {
    /// Sends a raw body with an optional `Content-Type` and API key, for request-format tests.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        user: Option<&TestUser>,
        content_type: Option<&str>,
        body: &str,
    ) -> Resp {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .body(body.to_owned());
        if let Some(u) = user {
            req = req.header("X-API-KEY", &u.token);
        }
        if let Some(ct) = content_type {
            req = req.header(reqwest::header::CONTENT_TYPE, ct);
        }
        Resp::read(req.send().await.expect("send")).await
    }

    /// Adds a remote resource to a dataset as `user`, with the given extra fields; returns it.
    pub async fn remote_resource(&self, user: &TestUser, dataset: &str, extra: Value) -> Value {
        let mut body = json!({
            "title": "Mesures 2024",
            "url": "https://example.org/mesures-2024.csv",
            "format": "csv",
            "filetype": "remote",
        });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let r = self
            .post(
                &format!("/api/1/datasets/{dataset}/resources/"),
                Some(user),
                &body,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body
    }

    /// The actor of a test user, to call use cases directly (as another process would).
    pub async fn actor_of(&self, user: &TestUser) -> portail_core::permissions::Actor {
        let found = portail_app::users::get(&self.app, &user.id)
            .await
            .expect("user");
        portail_app::auth::actor_for(&self.app, &found)
            .await
            .expect("actor")
    }

    /// Everyone the permission tests need, around one organization.
    pub async fn cast(&self) -> Cast {
        let owner = self.user("Owner").await;
        let admin = self.user("Admin").await;
        let editor = self.user("Editor").await;
        let partial = self.user("Partial").await;
        let other = self.user("Other").await;
        let sysadmin = self.sysadmin("Sysadmin").await;
        let org = self
            .org(
                "Régie des données",
                &admin,
                &[
                    (&editor, OrgRole::Editor),
                    (&partial, OrgRole::PartialEditor),
                ],
            )
            .await;
        Cast {
            owner,
            admin,
            editor,
            partial,
            other,
            sysadmin,
            org,
        }
    }
}

/// Users in every role a dataset permission depends on (see [`TestApp::cast`]).
pub struct Cast {
    /// Publishes datasets as themselves.
    pub owner: TestUser,
    /// Admin of `org`.
    pub admin: TestUser,
    /// Editor of `org`.
    pub editor: TestUser,
    /// Partial editor of `org`.
    pub partial: TestUser,
    /// Member of nothing.
    pub other: TestUser,
    pub sysadmin: TestUser,
    /// Organization id.
    pub org: String,
}

/// The fields named by a 400 validation error (sorted), after checking udata's
/// `{"errors": {field: ["message", ...]}}` shape.
pub fn error_fields(r: &Resp) -> Vec<String> {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let errors = r.body["errors"]
        .as_object()
        .unwrap_or_else(|| panic!("no errors object: {}", r.text));
    for (field, messages) in errors {
        let messages = messages
            .as_array()
            .unwrap_or_else(|| panic!("{field}: not a list: {}", r.text));
        assert!(!messages.is_empty(), "{field}: no message: {}", r.text);
        assert!(
            messages
                .iter()
                .all(|m| m.as_str().is_some_and(|s| !s.is_empty())),
            "{field}: {}",
            r.text
        );
    }
    let mut fields: Vec<String> = errors.keys().cloned().collect();
    fields.sort();
    fields
}

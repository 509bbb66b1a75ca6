//! A minimal browser for the page tests: keeps cookies, remembers the last CSRF token seen in
//! a page, follows nothing by itself (redirects are asserted).

use std::collections::BTreeMap;

use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};

use crate::support::TestApp;

/// A page as received.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub html: String,
}

impl Page {
    /// The `Location` of a redirect.
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// A cookie-keeping client.
pub struct Browser {
    pub base: String,
    client: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
    pub csrf: String,
    pub accept_language: Option<String>,
    /// The last page got, sent as `Referer` with the next POSTs (as browsers do).
    pub referer: Option<String>,
}

/// The `value` of `<input name="csrf_token" value="...">` in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\" value=\"")?;
    let rest = &html[at + "name=\"csrf_token\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

impl Browser {
    pub fn new(t: &TestApp) -> Browser {
        Browser {
            base: t.base.clone(),
            client: t.client.clone(),
            cookies: BTreeMap::new(),
            csrf: String::new(),
            accept_language: None,
            referer: None,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, response: reqwest::Response) -> Page {
        for value in response.headers().get_all(SET_COOKIE) {
            let text = value.to_str().unwrap_or("");
            let pair = text.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let html = response.text().await.unwrap_or_default();
        if let Some(token) = csrf_in(&html) {
            self.csrf = token;
        }
        Page {
            status,
            headers,
            html,
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut rb = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header());
        if let Some(lang) = &self.accept_language {
            rb = rb.header("accept-language", lang);
        }
        if let (true, Some(referer)) = (method == reqwest::Method::POST, &self.referer) {
            rb = rb.header("referer", format!("{}{referer}", self.base));
        }
        rb
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let response = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .expect("GET");
        self.referer = Some(path.to_owned());
        self.finish(response).await
    }

    /// POSTs a form with the last CSRF token seen.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// POSTs exactly these fields.
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .request(reqwest::Method::POST, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(fields).expect("form"))
            .send()
            .await
            .expect("POST");
        self.finish(response).await
    }

    /// POSTs a multipart form (CSRF token first, as browsers send the hidden field first).
    pub async fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        filename: &str,
        bytes: Vec<u8>,
    ) -> Page {
        let mut form = reqwest::multipart::Form::new().text("csrf_token", self.csrf.clone());
        for (k, v) in fields {
            form = form.text((*k).to_owned(), (*v).to_owned());
        }
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(filename.to_owned()),
        );
        let response = self
            .request(reqwest::Method::POST, path)
            .multipart(form)
            .send()
            .await
            .expect("POST multipart");
        self.finish(response).await
    }

    /// A multipart POST with the CSRF token first, then `fields` in order, then the file part
    /// if any (the shape of the page script's chunked uploads).
    pub async fn post_parts(
        &mut self,
        path: &str,
        fields: &[(&str, String)],
        file: Option<(&str, Vec<u8>)>,
    ) -> Page {
        let mut form = reqwest::multipart::Form::new().text("csrf_token", self.csrf.clone());
        for (k, v) in fields {
            form = form.text((*k).to_owned(), v.clone());
        }
        if let Some((filename, bytes)) = file {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(filename.to_owned()),
            );
        }
        let response = self
            .request(reqwest::Method::POST, path)
            .multipart(form)
            .send()
            .await
            .expect("POST multipart");
        self.finish(response).await
    }

    /// Signs in through the login form.
    pub async fn login(&mut self, email: &str, password: &str) -> Page {
        self.get("/login").await;
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }
}

/// Signs in a fresh user made with `TestApp::user` (password "long enough password").
pub async fn signed_in(t: &TestApp, name: &str) -> (crate::support::TestUser, Browser) {
    let user = t.user(name).await;
    let mut b = Browser::new(t);
    let page = b.login(&user.email, "long enough password").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    (user, b)
}

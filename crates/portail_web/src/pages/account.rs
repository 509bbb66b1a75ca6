//! Accounts: `/login`, `/register`, `/logout` (POST), `/me/` (profile), `/me/api-keys`,
//! and `/lang/{code}` (the language switch, remembered in the `lang` cookie).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use portail_app::sessions::{LoginError, NewSession, SESSION_DAYS};
use portail_app::users::Registration;
use serde_json::{Map, Value as Json, json};

use crate::extract::Params;
use crate::pages::context::{
    LANG_COOKIE, PageCtx, PageForm, SESSION_COOKIE, field_errors, local_next, set_cookie,
};
use crate::pages::errors::PageResult;
use crate::pages::i18n::{Lang, tr};

/// The peer's address, for the login rate limit ("unknown" without connection info).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or("unknown".to_owned(), |c| c.0.ip().to_string()),
        ))
    }
}

fn with_session_cookie(ctx: &PageCtx, mut response: Response, session: &NewSession) -> Response {
    let value = set_cookie(
        SESSION_COOKIE,
        &session.token,
        Some(SESSION_DAYS * 86_400),
        ctx.secure(),
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// `GET /login`.
pub async fn login_page(ctx: PageCtx, params: Params) -> PageResult<Response> {
    if ctx.session.is_some() {
        return Ok(ctx.redirect(&local_next(params.get("next"))));
    }
    ctx.render(
        "login.html",
        json!({"email": "", "next": local_next(params.get("next")), "error": null,
               "everywhere": params.get("everywhere").is_some()}),
    )
}

/// `POST /login`: opens a session, or shows the form again with the e-mail kept.
pub async fn login(
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let email = form.get("email").unwrap_or("").to_owned();
    let password = form
        .0
        .iter()
        .rev()
        .find(|(k, _)| k == "password")
        .map_or("", |(_, v)| v.as_str());
    let next = local_next(form.get("next"));
    let pages = ctx.state.pages.clone();
    match portail_app::sessions::login(&ctx.state.app, &pages.login_limiter, &email, password, &ip)
        .await
    {
        Ok((_, session)) => Ok(with_session_cookie(&ctx, ctx.redirect(&next), &session)),
        Err(LoginError::App(e)) => Err(ctx.fail(e)),
        Err(refused) => {
            let (status, key) = match refused {
                LoginError::TooManyAttempts => {
                    (StatusCode::TOO_MANY_REQUESTS, "login_rate_limited")
                }
                _ => (StatusCode::UNAUTHORIZED, "login_failed"),
            };
            ctx.render_status(
                status,
                "login.html",
                json!({"email": email, "next": next, "error": tr(ctx.lang, key)}),
            )
        }
    }
}

/// `GET /register`.
pub async fn register_page(ctx: PageCtx) -> PageResult<Response> {
    ctx.render(
        "register.html",
        json!({"values": {"email": "", "first_name": "", "last_name": ""}, "errors": {}}),
    )
}

/// `POST /register`: creates the account and signs in; on errors the form comes back with
/// what was typed (except the password) and a message per field.
pub async fn register(ctx: PageCtx, PageForm(form): PageForm) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let value = |k: &str| form.get(k).unwrap_or("").to_owned();
    let registration = Registration {
        email: value("email"),
        password: form
            .0
            .iter()
            .rev()
            .find(|(k, _)| k == "password")
            .map_or(String::new(), |(_, v)| v.clone()),
        first_name: value("first_name"),
        last_name: value("last_name"),
        sysadmin: false,
    };
    match portail_app::users::register(&ctx.state.app, &registration).await {
        Ok(user) => {
            let session = portail_app::sessions::open(&ctx.state.app, &user)
                .await
                .map_err(|e| ctx.fail(e))?;
            Ok(with_session_cookie(&ctx, ctx.redirect("/me/"), &session))
        }
        Err(e) => match field_errors(&e) {
            Some(errors) => ctx.render_status(
                StatusCode::BAD_REQUEST,
                "register.html",
                json!({
                    "values": {"email": registration.email, "first_name": registration.first_name,
                               "last_name": registration.last_name},
                    "errors": errors,
                }),
            ),
            None => Err(ctx.fail(e)),
        },
    }
}

/// `POST /logout`: deletes the session and its cookie.
pub async fn logout(ctx: PageCtx, PageForm(form): PageForm) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    if let Some(session) = &ctx.session {
        portail_app::sessions::logout(&ctx.state.app, &session.token)
            .await
            .map_err(|e| ctx.fail(e))?;
    }
    let mut response = ctx.redirect("/");
    if let Ok(v) = HeaderValue::from_str(&set_cookie(SESSION_COOKIE, "", Some(0), ctx.secure())) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// `POST /me/sessions/logout-all`: ends every session of the user, on every browser (this one
/// included), then shows the login page.
pub async fn logout_everywhere(ctx: PageCtx, PageForm(form): PageForm) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    portail_app::sessions::logout_everywhere(&ctx.state.app, &me.user.id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut response = ctx.redirect("/login?everywhere=1");
    if let Ok(v) = HeaderValue::from_str(&set_cookie(SESSION_COOKIE, "", Some(0), ctx.secure())) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

async fn render_me(ctx: &PageCtx, values: Json, errors: Json, saved: bool) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let sessions = portail_app::sessions::live_count(&ctx.state.app, &me.user.id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let memberships: Vec<String> = me.actor.organization_ids();
    let orgs = portail_db::organizations::find_many(&ctx.state.app.db, &memberships).await?;
    let orgs: Vec<Json> = orgs
        .iter()
        .map(|o| json!({"slug": o.slug, "name": o.name}))
        .collect();
    let query = portail_db::datasets::DatasetQuery {
        owner_id: Some(me.user.id.clone()),
        page: 1,
        page_size: 100,
        viewer: portail_app::datasets::viewer(Some(&me.actor)),
        sort: Some("-created".into()),
        ..Default::default()
    };
    let (datasets, _) = portail_app::datasets::list(&ctx.state.app, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let datasets: Vec<Json> = datasets
        .iter()
        .map(|d| json!({"slug": d.slug, "title": d.title, "private": d.private}))
        .collect();
    let status = if errors.as_object().is_some_and(|m| !m.is_empty()) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    ctx.render_status(
        status,
        "me.html",
        json!({"values": values, "errors": errors, "saved": saved, "organizations": orgs,
               "datasets": datasets, "email": me.user.email, "sessions": sessions}),
    )
}

/// `GET /me/`: one's profile, datasets and organizations.
pub async fn me_page(ctx: PageCtx, params: Params) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let values = json!({
        "first_name": me.user.first_name, "last_name": me.user.last_name,
        "about": me.user.about.clone().unwrap_or_default(),
        "website": me.user.website.clone().unwrap_or_default(),
    });
    render_me(&ctx, values, json!({}), params.get("saved").is_some()).await
}

/// `POST /me/`: edits the profile.
pub async fn update_me(ctx: PageCtx, PageForm(form): PageForm) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let mut body = Map::new();
    for key in ["first_name", "last_name", "about", "website"] {
        let v = form.get(key).unwrap_or("");
        body.insert(key.into(), if v.is_empty() { Json::Null } else { json!(v) });
    }
    match portail_app::users::update_profile(&ctx.state.app, &me.user, &body).await {
        Ok(_) => Ok(ctx.redirect("/me/?saved=1")),
        Err(e) => match field_errors(&e) {
            Some(errors) => {
                let values = json!({
                    "first_name": form.get("first_name").unwrap_or(""),
                    "last_name": form.get("last_name").unwrap_or(""),
                    "about": form.get("about").unwrap_or(""),
                    "website": form.get("website").unwrap_or(""),
                });
                render_me(&ctx, values, errors, false).await
            }
            None => Err(ctx.fail(e)),
        },
    }
}

async fn render_keys(
    ctx: &PageCtx,
    created: Option<String>,
    error: Option<String>,
) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let tokens = portail_db::tokens::list_for_user(&ctx.state.app.db, &me.user.id).await?;
    let tokens: Vec<Json> = tokens
        .iter()
        .map(|t| {
            json!({"id": t.id, "name": t.name, "prefix": t.token_prefix, "created_at": t.created_at,
                   "last_used_at": t.last_used_at})
        })
        .collect();
    ctx.render_status(
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        "api_keys.html",
        json!({"tokens": tokens, "created": created, "error": error}),
    )
}

/// `GET /me/api-keys`: the active keys (prefix only).
pub async fn api_keys_page(ctx: PageCtx) -> PageResult<Response> {
    render_keys(&ctx, None, None).await
}

/// `POST /me/api-keys`: creates a key and shows it, this once.
pub async fn create_api_key(ctx: PageCtx, PageForm(form): PageForm) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let name = form.get("name").map(str::to_owned);
    match portail_app::auth::create_token(&ctx.state.app, &me.user.id, name, None).await {
        Ok(created) => render_keys(&ctx, Some(created.secret), None).await,
        Err(e) => match &e {
            portail_app::AppError::Validation(_) => {
                render_keys(&ctx, None, Some(e.to_string())).await
            }
            _ => Err(ctx.fail(e)),
        },
    }
}

/// `POST /me/api-keys/{id}/revoke`.
pub async fn revoke_api_key(
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    match portail_app::auth::revoke_token(&ctx.state.app, &me.user.id, &id).await {
        Ok(()) | Err(portail_app::AppError::Gone(_)) => Ok(ctx.redirect("/me/api-keys")),
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `GET /lang/{code}?next=/path`: remembers the language and goes back.
pub async fn switch_language(ctx: PageCtx, Path(code): Path<String>, params: Params) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::Fr);
    let mut response = Redirect::to(&local_next(params.get("next"))).into_response();
    let value = format!(
        "{}; Max-Age=31536000",
        set_cookie(LANG_COOKIE, lang.code(), None, ctx.secure())
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

//! Organization management: `/organizations/new`, `/organizations/{slug}/edit` (its details)
//! and `/organizations/{slug}/members` (add a member with a role, change a role, remove a
//! member); admins only, as the use cases decide.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use portail_app::AppError;
use portail_core::model::Organization;
use portail_core::reference::ORG_ROLES;
use serde_json::{Map, Value as Json, json};

use crate::pages::context::{PageCtx, PageForm, field_errors, typed_values};
use crate::pages::errors::PageResult;

/// `GET /organizations/new`.
pub async fn new_organization_page(ctx: PageCtx) -> PageResult<Response> {
    ctx.require_user()?;
    ctx.render(
        "organization_new.html",
        json!({"values": {"name": "", "acronym": "", "description": "", "url": ""}, "errors": {}}),
    )
}

/// `POST /organizations/new`: creates it (its creator becomes admin).
pub async fn create_organization_page(
    ctx: PageCtx,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let v = |k: &str| form.get(k).unwrap_or("").to_owned();
    let mut body = Map::new();
    body.insert("name".into(), json!(v("name")));
    body.insert("description".into(), json!(v("description")));
    for optional in ["acronym", "url"] {
        if !v(optional).is_empty() {
            body.insert(optional.into(), json!(v(optional)));
        }
    }
    match portail_app::organizations::create(&ctx.state.app, &me.actor, &body).await {
        Ok(org) => Ok(ctx.redirect(&format!("/organizations/{}/", org.slug))),
        Err(e) => match field_errors(&e) {
            Some(errors) => ctx.render_status(
                StatusCode::BAD_REQUEST,
                "organization_new.html",
                json!({"values": {"name": v("name"), "acronym": v("acronym"),
                                  "description": v("description"), "url": v("url")},
                       "errors": errors}),
            ),
            None => Err(ctx.fail(e)),
        },
    }
}

/// The fields of the organization form: the two required ones, then the optional ones.
const ORG_FIELDS: [&str; 6] = [
    "name",
    "description",
    "acronym",
    "url",
    "image_url",
    "business_number_id",
];

fn org_values(org: &Organization) -> Json {
    json!({"name": org.name, "acronym": org.acronym, "description": org.description,
           "url": org.url, "image_url": org.image_url,
           "business_number_id": org.business_number_id})
}

/// The organization of an edit page, for its admins only.
async fn administered(ctx: &PageCtx, slug: &str) -> PageResult<Organization> {
    let me = ctx.require_user()?;
    let org = portail_app::organizations::get(&ctx.state.app, slug)
        .await
        .map_err(|e| ctx.fail(e))?;
    if !portail_core::permissions::can_admin_organization(Some(&me.actor), &org.id) {
        return Err(ctx.fail(AppError::Forbidden(
            portail_app::errors::PERMISSION_DENIED.into(),
        )));
    }
    Ok(org)
}

/// `GET /organizations/{slug}/edit`: the organization's details, for its admins.
pub async fn edit_organization_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    params: crate::extract::Params,
) -> PageResult<Response> {
    let org = administered(&ctx, &slug).await?;
    ctx.render(
        "organization_new.html",
        json!({"org": {"slug": org.slug, "name": org.name}, "values": org_values(&org),
               "errors": {}, "saved": params.get("saved").is_some()}),
    )
}

/// `POST /organizations/{slug}/edit`: saves the details (an emptied optional field is
/// cleared); a renamed organization gets a new slug and the old one redirects.
pub async fn update_organization_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let org = administered(&ctx, &slug).await?;
    let me = ctx.require_user()?;
    let v = |k: &str| form.get(k).unwrap_or("").trim().to_owned();
    let mut body = Map::new();
    body.insert("name".into(), json!(v("name")));
    body.insert("description".into(), json!(v("description")));
    for &optional in &ORG_FIELDS[2..] {
        let value = v(optional);
        body.insert(
            optional.into(),
            if value.is_empty() {
                Json::Null
            } else {
                json!(value)
            },
        );
    }
    match portail_app::organizations::update(&ctx.state.app, &me.actor, &org.id, &body).await {
        Ok(updated) => Ok(ctx.redirect(&format!("/organizations/{}/edit?saved=1", updated.slug))),
        Err(e) => match field_errors(&e) {
            Some(errors) => {
                let values = typed_values(&form, &ORG_FIELDS);
                ctx.render_status(
                    StatusCode::BAD_REQUEST,
                    "organization_new.html",
                    json!({"org": {"slug": org.slug, "name": org.name}, "values": values,
                           "errors": errors}),
                )
            }
            None => Err(ctx.fail(e)),
        },
    }
}

async fn render_members(
    ctx: &PageCtx,
    slug: &str,
    status: StatusCode,
    error: Option<String>,
) -> PageResult<Response> {
    let org = administered(ctx, slug).await?;
    let members = portail_app::organizations::members(&ctx.state.app, &org)
        .await
        .map_err(|e| ctx.fail(e))?;
    let members: Vec<Json> = members
        .iter()
        .map(|(m, u)| {
            json!({"slug": u.slug, "name": format!("{} {}", u.first_name, u.last_name).trim(),
                   "role": m.role.as_str(), "since": m.since})
        })
        .collect();
    let roles: Vec<Json> = ORG_ROLES
        .iter()
        .map(|r| json!({"id": r.id, "label": r.label(ctx.lang.code())}))
        .collect();
    ctx.render_status(
        status,
        "members.html",
        json!({"org": {"slug": org.slug, "name": org.name}, "members": members, "roles": roles,
               "error": error}),
    )
}

/// `GET /organizations/{slug}/members`.
pub async fn members_page(ctx: PageCtx, Path(slug): Path<String>) -> PageResult<Response> {
    render_members(&ctx, &slug, StatusCode::OK, None).await
}

/// `POST /organizations/{slug}/members`: adds a member (`user`: slug or e-mail, `role`).
pub async fn add_member_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let user_ref = form.get("user").unwrap_or("").to_owned();
    let user = if user_ref.contains('@') {
        portail_db::users::find_by_email(&ctx.state.app.db, &user_ref)
            .await?
            .map(|(u, _)| u.slug)
    } else {
        Some(user_ref)
    };
    let Some(user) = user.filter(|u| !u.is_empty()) else {
        let message = crate::pages::i18n::tr(ctx.lang, "user_not_found").to_owned();
        return render_members(&ctx, &slug, StatusCode::BAD_REQUEST, Some(message)).await;
    };
    let mut body = Map::new();
    body.insert("role".into(), json!(form.get("role").unwrap_or("editor")));
    match portail_app::organizations::set_member(
        &ctx.state.app,
        &me.actor,
        &slug,
        &user,
        &body,
        None,
    )
    .await
    {
        Ok(_) => Ok(ctx.redirect(&format!("/organizations/{slug}/members"))),
        Err(
            e @ (AppError::NotFound(_)
            | AppError::Validation(_)
            | AppError::BadRequest(_)
            | AppError::Conflict(_)),
        ) => {
            let message = field_errors(&e)
                .and_then(|v| {
                    v.as_object().map(|m| {
                        m.values()
                            .filter_map(Json::as_str)
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                })
                .unwrap_or_else(|| e.to_string());
            render_members(&ctx, &slug, StatusCode::BAD_REQUEST, Some(message)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /organizations/{slug}/members/{user}/role`.
pub async fn change_member_role_page(
    ctx: PageCtx,
    Path((slug, user)): Path<(String, String)>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let mut body = Map::new();
    body.insert("role".into(), json!(form.get("role").unwrap_or("editor")));
    match portail_app::organizations::set_member(
        &ctx.state.app,
        &me.actor,
        &slug,
        &user,
        &body,
        Some(true),
    )
    .await
    {
        Ok(_) => Ok(ctx.redirect(&format!("/organizations/{slug}/members"))),
        Err(e @ (AppError::Validation(_) | AppError::BadRequest(_) | AppError::Conflict(_))) => {
            render_members(&ctx, &slug, StatusCode::BAD_REQUEST, Some(e.to_string())).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /organizations/{slug}/members/{user}/remove`.
pub async fn remove_member_page(
    ctx: PageCtx,
    Path((slug, user)): Path<(String, String)>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    match portail_app::organizations::remove_member(&ctx.state.app, &me.actor, &slug, &user).await {
        Ok(()) => Ok(ctx.redirect(&format!("/organizations/{slug}/members"))),
        Err(e @ (AppError::BadRequest(_) | AppError::Conflict(_))) => {
            render_members(&ctx, &slug, StatusCode::BAD_REQUEST, Some(e.to_string())).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

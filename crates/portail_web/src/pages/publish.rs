//! `/publish`: publishing a dataset in four steps, each a plain form that works without
//! JavaScript. 1. who publishes (oneself or an organization, with the advice of the
//! publishing guide); 2. describe (every field, help texts, licenses recommended first);
//! 3. resources (upload a file or link a remote URL); 4. publish or keep private.
//!
//! Step 2 creates the dataset as private, so nothing is online before step 4 and nothing
//! typed is lost: a failing step shows its form again with the values and the use case's
//! messages next to the fields.

use axum::extract::Path;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use portail_app::AppError;
use portail_app::files::{self, Target};
use portail_core::frequency::FREQUENCIES;
use portail_core::licenses::LICENSES;
use portail_core::model::Dataset;
use portail_core::reference::{GRANULARITIES, RESOURCE_TYPES};
use serde_json::{Map, Value as Json, json};

use crate::extract::Params;
use crate::pages::context::{PageCtx, PageForm, field_errors};
use crate::pages::errors::PageResult;

/// The choices of the description form, labelled in the page's language.
pub fn form_choices(ctx: &PageCtx) -> Json {
    let lang = ctx.lang.code();
    let license = |l: &portail_core::licenses::License| json!({"id": l.id, "title": l.title});
    json!({
        "recommended_licenses": LICENSES.iter().filter(|l| l.recommended).map(license).collect::<Vec<_>>(),
        "other_licenses": LICENSES.iter().filter(|l| !l.recommended).map(license).collect::<Vec<_>>(),
        "frequencies": FREQUENCIES.iter().map(|f| json!({"id": f.id, "label": f.label(lang)})).collect::<Vec<_>>(),
        "granularities": GRANULARITIES.iter().map(|g| json!({"id": g.id, "label": g.label(lang)})).collect::<Vec<_>>(),
        "resource_types": RESOURCE_TYPES.iter().map(|t| json!({"id": t.id, "label": t.label(lang)})).collect::<Vec<_>>(),
    })
}

/// The description form's values as typed.
pub fn form_values(form: &Params) -> Json {
    let v = |k: &str| form.get(k).unwrap_or("").to_owned();
    json!({
        "title": v("title"), "acronym": v("acronym"), "description": v("description"),
        "license": v("license"), "frequency": v("frequency"), "tags": v("tags"),
        "temporal_start": v("temporal_start"), "temporal_end": v("temporal_end"),
        "granularity": v("granularity"),
    })
}

/// The description form's values from a dataset.
pub fn dataset_values(d: &Dataset) -> Json {
    json!({
        "title": d.title, "acronym": d.acronym.clone().unwrap_or_default(),
        "description": d.description, "license": d.license, "frequency": d.frequency,
        "tags": d.tags.join(", "),
        "temporal_start": d.temporal_coverage.as_ref().map(|c| c.start.to_string()).unwrap_or_default(),
        "temporal_end": d.temporal_coverage.as_ref().and_then(|c| c.end.map(|e| e.to_string())).unwrap_or_default(),
        "granularity": d.spatial.as_ref().and_then(|s| s.granularity.clone()).unwrap_or_default(),
    })
}

/// The API body of the description form (the same use case as `POST /api/1/datasets/`).
pub fn dataset_body(form: &Params) -> Map<String, Json> {
    let mut body = Map::new();
    let text = |k: &str| form.get(k).map(str::to_owned);
    body.insert("title".into(), json!(text("title").unwrap_or_default()));
    body.insert(
        "description".into(),
        json!(text("description").unwrap_or_default()),
    );
    body.insert("acronym".into(), json!(text("acronym")));
    if let Some(license) = text("license") {
        body.insert("license".into(), json!(license));
    }
    if let Some(frequency) = text("frequency") {
        body.insert("frequency".into(), json!(frequency));
    }
    let tags: Vec<String> = form
        .get("tags")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    body.insert("tags".into(), json!(tags));
    match (text("temporal_start"), text("temporal_end")) {
        (None, None) => {
            body.insert("temporal_coverage".into(), Json::Null);
        }
        (start, end) => {
            body.insert(
                "temporal_coverage".into(),
                json!({"start": start.unwrap_or_default(), "end": end}),
            );
        }
    }
    body.insert(
        "spatial".into(),
        match text("granularity") {
            Some(g) => json!({"granularity": g}),
            None => Json::Null,
        },
    );
    body
}

/// Field errors of the description form, keyed like the form (nested API names flattened).
pub fn describe_errors(e: &AppError) -> Option<Json> {
    let Json::Object(errors) = field_errors(e)? else {
        return None;
    };
    let mut out = Map::new();
    for (k, v) in errors {
        let key = if k.starts_with("temporal_coverage") {
            "temporal_start".to_owned()
        } else if k.starts_with("spatial") {
            "granularity".to_owned()
        } else {
            k
        };
        out.insert(key, v);
    }
    Some(Json::Object(out))
}

async fn owner_choices(ctx: &PageCtx) -> PageResult<Vec<Json>> {
    let me = ctx.require_user()?;
    let orgs =
        portail_db::organizations::find_many(&ctx.state.app.db, &me.actor.organization_ids())
            .await?;
    Ok(orgs
        .iter()
        .map(|o| json!({"id": o.id, "name": o.name}))
        .collect())
}

/// `GET /publish`: step 1, who publishes.
pub async fn publish_owner_page(ctx: PageCtx) -> PageResult<Response> {
    ctx.require_user()?;
    let orgs = owner_choices(&ctx).await?;
    ctx.render("publish_owner.html", json!({"orgs": orgs, "owner": "me"}))
}

fn render_describe(
    ctx: &PageCtx,
    status: StatusCode,
    owner: &str,
    owner_name: &str,
    values: Json,
    errors: Json,
) -> PageResult<Response> {
    ctx.render_status(
        status,
        "publish_describe.html",
        json!({"owner": owner, "owner_name": owner_name, "values": values, "errors": errors,
               "choices": form_choices(ctx)}),
    )
}

async fn owner_name(ctx: &PageCtx, owner: &str) -> PageResult<String> {
    let me = ctx.require_user()?;
    if owner == "me" {
        return Ok(format!("{} {}", me.user.first_name, me.user.last_name)
            .trim()
            .to_owned());
    }
    let orgs = owner_choices(ctx).await?;
    orgs.iter()
        .find(|o| o.get("id").and_then(Json::as_str) == Some(owner))
        .and_then(|o| o.get("name").and_then(Json::as_str))
        .map(str::to_owned)
        .ok_or_else(|| {
            ctx.fail(AppError::Forbidden(
                "You are not a member of this organization.".into(),
            ))
        })
}

/// `POST /publish`: step 1 submitted; shows step 2, describe.
pub async fn publish_choose_owner(ctx: PageCtx, PageForm(form): PageForm) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let owner = form.get("owner").unwrap_or("me").to_owned();
    let name = owner_name(&ctx, &owner).await?;
    let values = json!({"title": "", "acronym": "", "description": "", "license": "", "frequency": "",
                        "tags": "", "temporal_start": "", "temporal_end": "", "granularity": ""});
    render_describe(&ctx, StatusCode::OK, &owner, &name, values, json!({}))
}

/// `POST /publish/describe`: step 2 submitted; creates the dataset (private) and goes to
/// step 3, or shows step 2 again with the values and the errors.
pub async fn publish_describe(ctx: PageCtx, PageForm(form): PageForm) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let owner = form.get("owner").unwrap_or("me").to_owned();
    let name = owner_name(&ctx, &owner).await?;
    let mut body = dataset_body(&form);
    body.insert("private".into(), Json::Bool(true));
    if owner != "me" {
        body.insert("organization".into(), json!(owner));
    }
    match portail_app::datasets::create(&ctx.state.app, &me.actor, &body).await {
        Ok(d) => Ok(ctx.redirect(&format!("/publish/{}/resources", d.slug))),
        Err(e) => match describe_errors(&e) {
            Some(errors) => render_describe(
                &ctx,
                StatusCode::BAD_REQUEST,
                &owner,
                &name,
                form_values(&form),
                errors,
            ),
            None => Err(ctx.fail(e)),
        },
    }
}

/// What the resource forms show: the dataset's resources and the forms' values and errors.
pub async fn render_resources(
    ctx: &PageCtx,
    template: &str,
    slug: &str,
    status: StatusCode,
    extra: Json,
) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let d = portail_app::datasets::load_editable(&ctx.state.app, &me.actor, slug, false)
        .await
        .map_err(|e| ctx.fail(e))?;
    let lang = ctx.lang.code();
    let resources: Vec<Json> = d
        .resources
        .iter()
        .map(|r| {
            json!({"id": r.id, "title": r.title, "description": r.description.clone().unwrap_or_default(),
                   "format": r.format, "filetype": r.filetype.as_str(), "kind": r.kind,
                   "type_label": portail_core::reference::find_choice(RESOURCE_TYPES, &r.kind).map_or(r.kind.as_str(), |c| c.label(lang)),
                   "size_human": r.filesize.map(crate::pages::catalog::human_size)})
        })
        .collect();
    let mut values = json!({
        "dataset": {"slug": d.slug, "title": d.title, "private": d.private},
        "resources": resources,
        "choices": form_choices(ctx),
        "link": {"url": "", "title": "", "description": "", "type": "main"},
        "link_errors": {},
        "upload_error": null,
    });
    if let (Json::Object(map), Json::Object(extra)) = (&mut values, extra) {
        map.extend(extra);
    }
    if template == "edit.html"
        && let Json::Object(map) = &mut values
    {
        map.entry("values").or_insert_with(|| dataset_values(&d));
        map.entry("errors").or_insert_with(|| json!({}));
    }
    ctx.render_status(status, template, values)
}

/// `GET /publish/{slug}/resources`: step 3.
pub async fn publish_resources_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> PageResult<Response> {
    render_resources(
        &ctx,
        "publish_resources.html",
        &slug,
        StatusCode::OK,
        json!({}),
    )
    .await
}

/// Where a resource form goes back to: the publishing step or the edit page.
fn back_to(slug: &str, params: &Params) -> (String, &'static str) {
    if params.get("from") == Some("edit") {
        (format!("/datasets/{slug}/edit"), "edit.html")
    } else {
        (
            format!("/publish/{slug}/resources"),
            "publish_resources.html",
        )
    }
}

/// What an upload request brought: a whole file (sent at once, or the last call of a chunked
/// upload), or one chunk, answered in udata's JSON shape for the page's script.
enum Received {
    Complete(Box<Dataset>, files::StoredFile, files::UploadFields),
    Chunk(Response),
}

/// Reads the first part of a multipart form, which must be `csrf_token` (browsers send parts
/// in the order of the form), and checks it. Answers the rest of the body, for the upload
/// code to stream.
pub(crate) async fn csrf_checked(
    ctx: &PageCtx,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult<Multipart> {
    let mut multipart = multipart.map_err(|e| ctx.fail(AppError::BadRequest(e.body_text())))?;
    let first = multipart
        .next_field()
        .await
        .map_err(|e| ctx.fail(AppError::BadRequest(e.body_text())))?;
    let token = match first {
        Some(field) if field.name() == Some("csrf_token") => field.text().await.unwrap_or_default(),
        _ => String::new(),
    };
    ctx.check_csrf(&Params(vec![("csrf_token".into(), token)]))?;
    Ok(multipart)
}

/// Checks the CSRF token of a multipart form, then stores the file through the upload use case.
async fn receive_upload(
    ctx: &PageCtx,
    slug: &str,
    target: &Target,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult<Result<Received, AppError>> {
    let me = ctx.require_user()?;
    let multipart = csrf_checked(ctx, multipart).await?;
    let dataset = match files::authorize(&ctx.state.app, &me.actor, slug, target).await {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let placement = files::Placement::Resource {
        dataset_id: dataset.id.clone(),
    };
    match crate::api::files::receive(&ctx.state, &placement, multipart).await {
        Ok(Ok((stored, fields))) => Ok(Ok(Received::Complete(Box::new(dataset), stored, fields))),
        Ok(Err(chunk)) => Ok(Ok(Received::Chunk(chunk))),
        Err(e) => Ok(Err(e.0)),
    }
}

/// Whether an upload failed because of what was sent (shown on the form), not of the portal.
pub(crate) fn is_user_error(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Validation(_)
            | AppError::BadRequest(_)
            | AppError::PayloadTooLarge(_)
            | AppError::UnsupportedMediaType(_)
    )
}

/// The message of an upload error, for the form.
pub(crate) fn error_text(e: &AppError) -> String {
    match e {
        AppError::Validation(errors) => errors
            .0
            .values()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

/// `POST /datasets/{slug}/upload`: a new hosted file (multipart: csrf_token, file, title,
/// description, type). The page's script sends large files in chunks with udata's protocol
/// (uuid, partindex, partbyteoffset, totalparts, chunksize, then a final call without a file):
/// each chunk is answered in JSON, the final call like a whole upload.
pub async fn upload_resource_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    params: Params,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult<Response> {
    let (back, template) = back_to(&slug, &params);
    let me = ctx.require_user()?.clone();
    let outcome = match receive_upload(&ctx, &slug, &Target::New, multipart).await? {
        Ok(Received::Complete(dataset, stored, fields)) => {
            files::attach_new(&ctx.state.app, &me.actor, &dataset.id, stored, fields)
                .await
                .map(|_| ())
        }
        Ok(Received::Chunk(answer)) => return Ok(answer),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(ctx.redirect(&back)),
        Err(e) if is_user_error(&e) => {
            render_resources(
                &ctx,
                template,
                &slug,
                StatusCode::BAD_REQUEST,
                json!({"upload_error": error_text(&e)}),
            )
            .await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /datasets/{slug}/resources/{rid}/replace`: a new file for a hosted resource.
pub async fn replace_resource_page(
    ctx: PageCtx,
    Path((slug, rid)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult<Response> {
    let me = ctx.require_user()?.clone();
    let outcome =
        match receive_upload(&ctx, &slug, &Target::Replace(rid.clone()), multipart).await? {
            Ok(Received::Complete(dataset, stored, _)) => {
                files::attach_replacement(&ctx.state.app, &me.actor, &dataset.id, &rid, stored)
                    .await
                    .map(|_| ())
            }
            Ok(Received::Chunk(answer)) => return Ok(answer),
            Err(e) => Err(e),
        };
    match outcome {
        Ok(()) => Ok(ctx.redirect(&format!("/datasets/{slug}/edit"))),
        Err(e) if is_user_error(&e) => {
            render_resources(
                &ctx,
                "edit.html",
                &slug,
                StatusCode::BAD_REQUEST,
                json!({"upload_error": error_text(&e)}),
            )
            .await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /datasets/{slug}/link`: a remote resource (url, title, description, type).
pub async fn link_resource_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    params: Params,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let (back, template) = back_to(&slug, &params);
    let v = |k: &str| form.get(k).unwrap_or("").to_owned();
    let mut body = Map::new();
    body.insert("url".into(), json!(v("url")));
    body.insert("title".into(), json!(v("title")));
    body.insert("filetype".into(), json!("remote"));
    if !v("description").is_empty() {
        body.insert("description".into(), json!(v("description")));
    }
    if !v("type").is_empty() {
        body.insert("type".into(), json!(v("type")));
    }
    match portail_app::resources::create_remote(&ctx.state.app, &me.actor, &slug, &body).await {
        Ok(_) => Ok(ctx.redirect(&back)),
        Err(e) => match field_errors(&e) {
            Some(errors) => {
                let link = json!({"url": v("url"), "title": v("title"), "description": v("description"), "type": v("type")});
                render_resources(
                    &ctx,
                    template,
                    &slug,
                    StatusCode::BAD_REQUEST,
                    json!({"link": link, "link_errors": errors}),
                )
                .await
            }
            None => Err(ctx.fail(e)),
        },
    }
}

/// `GET /publish/{slug}/finish`: step 4.
pub async fn publish_finish_page(ctx: PageCtx, Path(slug): Path<String>) -> PageResult<Response> {
    let me = ctx.require_user()?;
    let d = portail_app::datasets::load_editable(&ctx.state.app, &me.actor, &slug, false)
        .await
        .map_err(|e| ctx.fail(e))?;
    ctx.render(
        "publish_finish.html",
        json!({"dataset": {"slug": d.slug, "title": d.title, "private": d.private,
                           "resource_count": d.resources.len()}}),
    )
}

/// `POST /datasets/{slug}/visibility` (step 4 and the edit page): `visibility=public|private`.
pub async fn set_visibility(
    ctx: PageCtx,
    Path(slug): Path<String>,
    PageForm(form): PageForm,
) -> PageResult<Response> {
    ctx.check_csrf(&form)?;
    let me = ctx.require_user()?;
    let private = form.get("visibility") != Some("public");
    let mut body = Map::new();
    body.insert("private".into(), Json::Bool(private));
    let d = portail_app::datasets::update(&ctx.state.app, &me.actor, &slug, &body)
        .await
        .map_err(|e| ctx.fail(e))?;
    let to = if form.get("from") == Some("edit") {
        format!("/datasets/{}/edit", d.slug)
    } else {
        format!("/datasets/{}/", d.slug)
    };
    Ok(ctx.redirect(&to))
}

//! `/api/1/transfer/`: ask to hand a dataset to another organization or user, list, read,
//! answer. udata's field names, including `reponse_comment` (see `docs/API.md`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portail_app::transfers as usecase;
use portail_db::transfers::Transfer;
use serde_json::{Value, json};

use crate::api::embed::Refs;
use crate::errors::ApiResult;
use crate::extract::{Auth, BaseUrl, JsonObject, Params};
use crate::state::AppState;

async fn views(state: &AppState, base: &str, transfers: &[Transfer]) -> ApiResult<Vec<Value>> {
    let mut users = Vec::new();
    let mut orgs = Vec::new();
    let mut dataset_ids = Vec::new();
    for t in transfers {
        users.push(t.user_id.clone());
        for (kind, id) in [
            (&t.owner_kind, &t.owner_id),
            (&t.recipient_kind, &t.recipient_id),
        ] {
            if kind == "Organization" {
                orgs.push(id.clone());
            } else {
                users.push(id.clone());
            }
        }
        dataset_ids.push(t.subject_id.clone());
    }
    let refs = Refs::load(state, base, users, orgs).await?;
    let datasets: std::collections::HashMap<String, portail_core::model::Dataset> =
        portail_db::datasets::find_many(&state.app.db, &dataset_ids)
            .await?
            .into_iter()
            .map(|d| (d.id.clone(), d))
            .collect();
    Ok(transfers
        .iter()
        .map(|t| {
            let subject = match datasets.get(&t.subject_id) {
                Some(d) => json!({
                    "class": t.subject_class, "id": d.id, "title": d.title, "slug": d.slug,
                    "uri": format!("{base}/api/1/datasets/{}/", d.id),
                    "page": format!("{base}/datasets/{}/", d.slug),
                }),
                None => json!({"class": t.subject_class, "id": t.subject_id}),
            };
            json!({
                "id": t.id,
                "user": refs.user(Some(&t.user_id)),
                "owner": refs.with_class(&t.owner_kind, &t.owner_id),
                "recipient": refs.with_class(&t.recipient_kind, &t.recipient_id),
                "subject": subject,
                "comment": t.comment,
                "created": t.created_at,
                "status": t.status,
                "responded": t.responded_at,
                "responder": refs.user(t.responder_id.as_deref()),
                // udata's API names the field `reponse_comment` (and, reading the model's
                // `response_comment`, always sends null). Clients written for udata read the
                // misspelt name, so it carries the comment here; the right spelling too.
                "reponse_comment": t.response_comment,
                "response_comment": t.response_comment,
            })
        })
        .collect())
}

/// Ask for a transfer of a dataset (its owner or an admin of its organization).
#[utoipa::path(
    post, path = "/api/1/transfer/", tag = "transfer", operation_id = "request_transfer",
    request_body(content = Object, description = "subject {class: Dataset, id}*, recipient {class: Organization|User, id}*, comment"),
    responses((status = 201, body = Object), (status = 400, description = "Invalid body, or recipient is the current owner"), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn request_transfer(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let t = usecase::request(&state.app, &auth.actor, &body).await?;
    let mut v = views(&state, &base, std::slice::from_ref(&t)).await?;
    Ok((StatusCode::CREATED, Json(v.pop().unwrap_or(Value::Null))))
}

/// List the transfers the caller takes part in (`subject`, `recipient`, `status` filters).
#[utoipa::path(
    get, path = "/api/1/transfer/", tag = "transfer", operation_id = "list_transfers",
    params(("subject" = Option<String>, Query, description = "Dataset id"), ("recipient" = Option<String>, Query, description = "Organization or user id"),
        ("status" = Option<String>, Query, description = "pending, accepted or refused")),
    responses((status = 200, body = Vec<Object>), (status = 400), (status = 401)),
    security(("apikey" = []))
)]
pub async fn list_transfers(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    params: Params,
) -> ApiResult<Json<Vec<Value>>> {
    let found = usecase::list(
        &state.app,
        &auth.actor,
        params.get("subject").map(str::to_owned),
        params.get("recipient").map(str::to_owned),
        params.get("status").map(str::to_owned),
    )
    .await?;
    Ok(Json(views(&state, &base, &found).await?))
}

/// Read a transfer (its requester, owner side or recipient side).
#[utoipa::path(
    get, path = "/api/1/transfer/{transfer}/", tag = "transfer", operation_id = "get_transfer",
    params(("transfer" = String, Path)),
    responses((status = 200, body = Object), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn get_transfer(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let t = usecase::get(&state.app, &auth.actor, &id).await?;
    let mut v = views(&state, &base, std::slice::from_ref(&t)).await?;
    Ok(Json(v.pop().unwrap_or(Value::Null)))
}

/// Accept or refuse a pending transfer (the recipient user, or an admin of the recipient
/// organization). Accepting moves the dataset.
#[utoipa::path(
    post, path = "/api/1/transfer/{transfer}/", tag = "transfer", operation_id = "respond_to_transfer",
    params(("transfer" = String, Path)),
    request_body(content = Object, description = "response* (accept|refuse), comment"),
    responses((status = 200, body = Object), (status = 400, description = "Invalid response, or not pending"), (status = 401), (status = 403), (status = 404)),
    security(("apikey" = []))
)]
pub async fn respond_to_transfer(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Value>> {
    let t = usecase::respond(&state.app, &auth.actor, &id, &body).await?;
    let mut v = views(&state, &base, std::slice::from_ref(&t)).await?;
    Ok(Json(v.pop().unwrap_or(Value::Null)))
}

//! `/api/1/activity/`: the log of who changed what on datasets (udata's activity stream).

use axum::Json;
use axum::extract::State;
use portail_app::activity as usecase;
use serde_json::{Value, json};

use crate::api::embed::Refs;
use crate::errors::ApiResult;
use crate::extract::{BaseUrl, MaybeAuth, Params};
use crate::paging::{Page, PageRequest};
use crate::state::AppState;

/// The activity of a dataset (`related_to`), or of every dataset the caller can see, newest
/// first.
#[utoipa::path(
    get, path = "/api/1/activity/", tag = "activity", operation_id = "list_activity",
    params(("related_to" = Option<String>, Query, description = "Dataset id"), ("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query)),
    responses((status = 200, body = Object), (status = 400), (status = 404), (status = 410))
)]
pub async fn list_activity(
    State(state): State<AppState>,
    auth: MaybeAuth,
    BaseUrl(base): BaseUrl,
    params: Params,
) -> ApiResult<Json<Page<Value>>> {
    let page = PageRequest::from_params(&params, 20)?;
    let (list, total) = usecase::list(
        &state.app,
        auth.actor(),
        params.get("related_to"),
        page.page,
        page.page_size,
    )
    .await?;
    let refs = Refs::load(
        &state,
        &base,
        list.iter().filter_map(|a| a.actor_id.clone()).collect(),
        Vec::new(),
    )
    .await?;
    let data = list
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "actor": refs.user(a.actor_id.as_deref()),
                "key": a.key,
                "related_to_id": a.dataset_id,
                "related_to_kind": "Dataset",
                "related_to_url": format!("{base}/api/1/datasets/{}/", a.dataset_id),
                "changes": a.changes,
                "extras": a.extras,
                "created_at": a.created_at,
            })
        })
        .collect();
    Ok(Json(Page::new(
        data,
        page,
        total,
        &format!("{base}/api/1/activity/"),
        &params,
    )))
}

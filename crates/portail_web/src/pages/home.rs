//! `/`: a landing page with the catalog's figures, the latest datasets and links to the API.

use axum::extract::State;
use axum::response::Html;
use portail_db::datasets::{DatasetQuery, Viewer};

use crate::errors::ApiResult;
use crate::state::AppState;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The landing page.
pub async fn home(State(state): State<AppState>) -> ApiResult<Html<String>> {
    let query = DatasetQuery {
        page: 1,
        page_size: 10,
        viewer: Viewer::Anonymous,
        sort: Some("-created".into()),
        ..DatasetQuery::default()
    };
    let (latest, total) = portail_db::datasets::list(&state.app.db, &query).await?;
    let (_, organizations) = portail_db::organizations::list(
        &state.app.db,
        &portail_db::organizations::OrgQuery {
            page: 1,
            page_size: 1,
            ..Default::default()
        },
    )
    .await?;
    let items: String = latest
        .iter()
        .map(|d| {
            format!(
                "<li><a href=\"/api/1/datasets/{}/\">{}</a> <small>{} resource(s)</small></li>",
                escape(&d.slug),
                escape(&d.title),
                d.resources.len()
            )
        })
        .collect();
    Ok(Html(format!(
        r#"<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portail</title>
<style>body{{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}}
a{{color:#0b4fb3}} .figures{{display:flex;gap:2rem}} .figures strong{{display:block;font-size:1.6rem}}</style></head>
<body><h1>Portail</h1>
<p>Portail de données ouvertes. <span lang="en">Open data portal.</span></p>
<div class="figures"><p><strong>{total}</strong> jeux de données publics</p><p><strong>{organizations}</strong> organisations</p></div>
<h2>Derniers jeux de données</h2><ul>{items}</ul>
<h2>API</h2>
<ul><li><a href="/api/1/docs/">Documentation de l'API</a> (compatible udata / data.gouv.fr)</li>
<li><a href="/api/1/datasets/">/api/1/datasets/</a></li><li><a href="/api/1/organizations/">/api/1/organizations/</a></li>
<li><a href="/api/1/swagger.json">OpenAPI</a></li></ul>
</body></html>"#
    )))
}

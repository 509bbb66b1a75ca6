//! The OpenAPI 3.1 document, generated from the handlers' annotations, and a small docs page
//! that renders it without any external script.

use axum::Json;
use axum::response::Html;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

struct ApiKeyScheme;

impl Modify for ApiKeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "apikey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-KEY",
                "API key created at /api/1/me/api_tokens/ (also accepted as Authorization: Bearer)",
            ))),
        );
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Portail API", description = "Open data portal API, compatible with udata's API v1 and v2 (data.gouv.fr)."),
    paths(
        api::health::get_health,
        api::datasets::list_datasets, api::datasets::create_dataset, api::datasets::get_dataset,
        api::datasets::update_dataset, api::datasets::delete_dataset,
        api::datasets::feature_dataset, api::datasets::unfeature_dataset,
        api::resources::create_resource, api::resources::reorder_resources, api::resources::get_resource,
        api::resources::update_resource, api::resources::delete_resource, api::resources::redirect_resource,
        api::files::upload_resource, api::files::replace_resource_file, api::files::download_file,
        api::reference::list_licenses, api::reference::list_frequencies, api::reference::list_resource_types,
        api::reference::list_extensions, api::reference::list_granularities, api::reference::list_organization_roles,
        api::organizations::list_organizations, api::organizations::create_organization,
        api::organizations::get_organization, api::organizations::update_organization,
        api::organizations::delete_organization, api::organizations::add_organization_member,
        api::organizations::update_organization_member, api::organizations::remove_organization_member,
        api::organizations::list_organization_datasets,
        api::users::get_me, api::users::update_me, api::users::list_my_datasets, api::users::list_my_org_datasets,
        api::users::get_user, api::users::list_api_tokens, api::users::create_api_token, api::users::revoke_api_token,
        api::v2::get_dataset_v2, api::v2::list_resources_v2, api::v2::get_resource_v2,
        api::v2::get_dataset_extras, api::v2::update_dataset_extras,
        api::search::search_datasets, api::search::suggest_datasets, api::search::suggest_organizations,
        crate::ckan::get_ckan_api_root, crate::ckan::get_ckan_api_version,
        crate::ckan::ckan_action_get, crate::ckan::ckan_action_post,
        crate::ckan::ckan_unversioned_action_get, crate::ckan::ckan_unversioned_action_post,
        api::feeds::recent_datasets_atom_feed, api::feeds::organization_datasets_atom_feed,
        api::exports::export_datasets_csv, api::exports::export_resources_csv,
        api::exports::export_organizations_csv, api::exports::export_organization_datasets_csv,
        crate::pages::sitemap::get_sitemap, crate::pages::sitemap::get_root_file,
        crate::pages::sitemap::get_robots_txt,
        api::dcat::get_site_catalog, api::dcat::get_site_catalog_file, api::dcat::get_root_catalog,
        api::dcat::get_organization_catalog, api::dcat::get_organization_catalog_file,
        api::dcat::get_dataset_rdf, api::dcat::get_dataset_rdf_file,
        api::transfers::request_transfer, api::transfers::list_transfers, api::transfers::get_transfer,
        api::transfers::respond_to_transfer,
        api::discussions::list_discussions, api::discussions::create_discussion, api::discussions::get_discussion,
        api::discussions::comment_discussion, api::discussions::delete_discussion,
        api::discussions::edit_discussion_comment, api::discussions::delete_discussion_comment,
        api::followers::list_dataset_followers, api::followers::follow_dataset, api::followers::unfollow_dataset,
        api::reuses::list_reuses, api::reuses::create_reuse, api::reuses::get_reuse, api::reuses::update_reuse,
        api::reuses::delete_reuse, api::reuses::list_reuse_types, api::reuses::list_reuse_topics,
        api::community::list_community_resources, api::community::create_community_resource, api::community::upload_community_resource, api::community::replace_community_resource_file,
        api::community::get_community_resource, api::community::update_community_resource,
        api::community::delete_community_resource,
        api::activity::list_activity,
        api::dashboard::get_dataset_quality, api::dashboard::get_dataset_metrics, api::dashboard::list_resource_checks,
        api::dashboard::get_site, api::dashboard::list_my_datasets_attention,
        api::harvest::list_harvest_sources, api::harvest::create_harvest_source,
        api::harvest::get_harvest_source, api::harvest::update_harvest_source,
        api::harvest::delete_harvest_source, api::harvest::run_harvest_source,
        api::harvest::preview_harvest_source, api::harvest::preview_harvest_payload,
        api::harvest::schedule_harvest_source, api::harvest::unschedule_harvest_source,
        api::harvest::validate_harvest_source, api::harvest::list_harvest_jobs,
        api::harvest::get_harvest_job, api::harvest::list_harvest_backends,
    ),
    modifiers(&ApiKeyScheme),
    tags(
        (name = "datasets"), (name = "resources"), (name = "organizations"), (name = "me"), (name = "users"),
        (name = "reference", description = "Reference lists"), (name = "site"), (name = "harvest"),
        (name = "ckan", description = "CKAN Action API (read), for CKAN harvesters"),
        (name = "transfer", description = "Transfers of datasets between publishers"),
        (name = "discussions"), (name = "reuses"), (name = "community_resources"),
        (name = "activity", description = "Who changed what on datasets"),
    )
)]
pub struct ApiDoc;

/// The OpenAPI document.
pub async fn get_openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A page listing every operation of the document.
pub async fn get_docs() -> Html<&'static str> {
    Html(DOCS_PAGE)
}

const DOCS_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portail API</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.6rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
.op{margin:.4rem 0;padding:.4rem .6rem;border-left:4px solid #555;background:#f6f6f6}
.m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:monospace}
.get{border-color:#0a6a2e}.post{border-color:#1d4ed8}.put{border-color:#92400e}.delete{border-color:#b91c1c}
code{font-size:.95em} .d{color:#444;margin:.2rem 0 0}
</style></head><body>
<h1>Portail API</h1>
<p>Compatible with udata's API (data.gouv.fr). The machine-readable description is at
<a href="/api/1/swagger.json"><code>/api/1/swagger.json</code></a> (OpenAPI 3.1).
Authenticate with your API key in the <code>X-API-KEY</code> header.</p>
<div id="ops"><noscript>Open <a href="/api/1/swagger.json">the OpenAPI document</a> to read the operations.</noscript></div>
<script>
fetch('/api/1/swagger.json').then(r=>r.json()).then(doc=>{
  const byTag={};
  for(const [path,item] of Object.entries(doc.paths)){for(const [m,op] of Object.entries(item)){
    const t=(op.tags||['other'])[0];(byTag[t]=byTag[t]||[]).push([m,path,op]);}}
  const root=document.getElementById('ops');
  for(const [tag,ops] of Object.entries(byTag)){
    const h=document.createElement('h2');h.textContent=tag;root.appendChild(h);
    for(const [m,path,op] of ops){const d=document.createElement('div');d.className='op '+m;
      const s=document.createElement('span');s.className='m';s.textContent=m.toUpperCase();
      const c=document.createElement('code');c.textContent=path;d.append(s,c);
      if(op.description||op.summary){const p=document.createElement('p');p.className='d';p.textContent=op.summary||op.description;d.appendChild(p);}
      root.appendChild(d);}}
});
</script></body></html>"#;

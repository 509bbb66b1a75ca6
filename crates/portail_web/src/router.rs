//! Every route of the portal, in one place. Each API path is served with and without its
//! trailing slash (directly, never through a redirect: udata clients use both forms).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::api::{
    datasets, files, harvest, health, organizations, reference, resources, search, users, v2,
};
use crate::middleware::{invalidate_on_write, not_found};
use crate::state::AppState;
use crate::{openapi, pages};

/// Registers `path` and, for paths ending in `/`, the same path without it.
fn both(router: Router<AppState>, path: &str, handler: MethodRouter<AppState>) -> Router<AppState> {
    let router = router.route(path, handler.clone());
    match path.strip_suffix('/') {
        Some(bare) if !bare.is_empty() => router.route(bare, handler),
        _ => router,
    }
}

/// JSON bodies above this size are refused (a 100 000-character description fits easily).
const JSON_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// Builds the application router.
pub fn router(state: AppState) -> Router {
    let routes: [(&str, MethodRouter<AppState>); 37] = [
        ("/", get(pages::home)),
        ("/healthz", get(health::get_health)),
        ("/api/1/swagger.json", get(openapi::get_openapi)),
        ("/api/1/docs/", get(openapi::get_docs)),
        // Datasets
        (
            "/api/1/datasets/",
            get(datasets::list_datasets).post(datasets::create_dataset),
        ),
        ("/api/1/datasets/licenses/", get(reference::list_licenses)),
        (
            "/api/1/datasets/frequencies/",
            get(reference::list_frequencies),
        ),
        (
            "/api/1/datasets/resource_types/",
            get(reference::list_resource_types),
        ),
        (
            "/api/1/datasets/extensions/",
            get(reference::list_extensions),
        ),
        ("/api/1/datasets/r/{rid}", get(resources::redirect_resource)),
        ("/api/1/datasets/suggest/", get(search::suggest_datasets)),
        (
            "/api/1/datasets/{dataset}/",
            get(datasets::get_dataset)
                .put(datasets::update_dataset)
                .delete(datasets::delete_dataset),
        ),
        (
            "/api/1/datasets/{dataset}/featured/",
            post(datasets::feature_dataset).delete(datasets::unfeature_dataset),
        ),
        // Resources
        (
            "/api/1/datasets/{dataset}/resources/",
            post(resources::create_resource).put(resources::reorder_resources),
        ),
        (
            "/api/1/datasets/{dataset}/resources/{rid}/",
            get(resources::get_resource)
                .put(resources::update_resource)
                .delete(resources::delete_resource),
        ),
        // Files: uploads stream to storage, so the JSON body limit does not apply.
        (
            "/api/1/datasets/{dataset}/upload/",
            post(files::upload_resource).layer(DefaultBodyLimit::disable()),
        ),
        (
            "/api/1/datasets/{dataset}/resources/{rid}/upload/",
            post(files::replace_resource_file).layer(DefaultBodyLimit::disable()),
        ),
        ("/files/{*key}", get(files::download_file)),
        // Reference lists
        (
            "/api/1/spatial/granularities/",
            get(reference::list_granularities),
        ),
        (
            "/api/1/organizations/roles/",
            get(reference::list_organization_roles),
        ),
        // Organizations
        (
            "/api/1/organizations/",
            get(organizations::list_organizations).post(organizations::create_organization),
        ),
        (
            "/api/1/organizations/suggest/",
            get(search::suggest_organizations),
        ),
        (
            "/api/1/organizations/{org}/",
            get(organizations::get_organization)
                .put(organizations::update_organization)
                .delete(organizations::delete_organization),
        ),
        (
            "/api/1/organizations/{org}/member/{user}/",
            post(organizations::add_organization_member)
                .put(organizations::update_organization_member)
                .delete(organizations::remove_organization_member),
        ),
        (
            "/api/1/organizations/{org}/datasets/",
            get(organizations::list_organization_datasets),
        ),
        // Users, me, API tokens
        ("/api/1/me/", get(users::get_me).put(users::update_me)),
        ("/api/1/me/datasets/", get(users::list_my_datasets)),
        ("/api/1/me/org_datasets/", get(users::list_my_org_datasets)),
        (
            "/api/1/me/api_tokens/",
            get(users::list_api_tokens).post(users::create_api_token),
        ),
        (
            "/api/1/me/api_tokens/{token}/",
            axum::routing::delete(users::revoke_api_token),
        ),
        ("/api/1/users/{user}/", get(users::get_user)),
        // API v2
        ("/api/2/datasets/search/", get(search::search_datasets)),
        ("/api/2/datasets/resources/{rid}/", get(v2::get_resource_v2)),
        ("/api/2/datasets/{dataset}/", get(v2::get_dataset_v2)),
        (
            "/api/2/datasets/{dataset}/resources/",
            get(v2::list_resources_v2),
        ),
        (
            "/api/2/datasets/{dataset}/extras/",
            get(v2::get_dataset_extras).put(v2::update_dataset_extras),
        ),
        ("/api/docs/", get(openapi::get_docs)),
    ];
    // Harvesting (udata §7): its own table, so the other tables stay untouched.
    let harvest_routes: [(&str, MethodRouter<AppState>); 10] = [
        (
            "/api/1/harvest/sources/",
            get(harvest::list_harvest_sources).post(harvest::create_harvest_source),
        ),
        (
            "/api/1/harvest/source/preview/",
            post(harvest::preview_harvest_payload),
        ),
        (
            "/api/1/harvest/source/{source}/",
            get(harvest::get_harvest_source)
                .put(harvest::update_harvest_source)
                .delete(harvest::delete_harvest_source),
        ),
        (
            "/api/1/harvest/source/{source}/run/",
            post(harvest::run_harvest_source),
        ),
        (
            "/api/1/harvest/source/{source}/preview/",
            get(harvest::preview_harvest_source),
        ),
        (
            "/api/1/harvest/source/{source}/schedule/",
            post(harvest::schedule_harvest_source).delete(harvest::unschedule_harvest_source),
        ),
        (
            "/api/1/harvest/source/{source}/validate/",
            post(harvest::validate_harvest_source),
        ),
        (
            "/api/1/harvest/source/{source}/jobs/",
            get(harvest::list_harvest_jobs),
        ),
        ("/api/1/harvest/job/{job}/", get(harvest::get_harvest_job)),
        (
            "/api/1/harvest/backends/",
            get(harvest::list_harvest_backends),
        ),
    ];
    let mut router = Router::new();
    for (path, handler) in routes.into_iter().chain(harvest_routes) {
        router = both(router, path, handler);
    }
    router
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            invalidate_on_write,
        ))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(crate::errors::panic_response))
        .with_state(state)
}

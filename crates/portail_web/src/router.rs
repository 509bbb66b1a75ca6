//! Every route of the portal, in one place. Each API path is served with and without its
//! trailing slash (directly, never through a redirect: udata clients use both forms).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post, put};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::api::{
    activity, community, dashboard, datasets, dcat, discussions, exports, feeds, files, followers,
    harvest, health, organizations, reference, resources, reuses, search, transfers, users, v2,
};
use crate::middleware::{invalidate_on_write, not_found};
use crate::pages::sitemap;
use crate::state::AppState;
use crate::{ckan, openapi, pages};

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

/// What harvesters and crawlers read: the CKAN Action API, feeds, sitemaps, CSV exports.
/// Every one answers 200 directly (udata's harvesters refuse redirects), `HEAD` included.
fn harvestable_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    let harvestable: [(&str, MethodRouter<AppState>); 20] = [
        // CKAN Action API (read)
        ("/api", get(ckan::get_ckan_api_root)),
        ("/api/3", get(ckan::get_ckan_api_version)),
        (
            "/api/3/action/{action}",
            get(ckan::ckan_action_get).post(ckan::ckan_action_post),
        ),
        (
            "/api/action/{action}",
            get(ckan::ckan_unversioned_action_get).post(ckan::ckan_unversioned_action_post),
        ),
        // Feeds
        (
            "/api/1/datasets/recent.atom",
            get(feeds::recent_datasets_atom_feed),
        ),
        (
            "/api/1/organizations/{org}/datasets.atom",
            get(feeds::organization_datasets_atom_feed),
        ),
        // CSV exports
        (
            "/api/1/site/datasets.csv",
            get(exports::export_datasets_csv),
        ),
        (
            "/api/1/site/resources.csv",
            get(exports::export_resources_csv),
        ),
        (
            "/api/1/site/organizations.csv",
            get(exports::export_organizations_csv),
        ),
        (
            "/api/1/organizations/{org}/datasets.csv",
            get(exports::export_organization_datasets_csv),
        ),
        // DCAT: `Accept` on the bare paths, the format's extension on `{..._file}`
        ("/api/1/site/catalog", get(dcat::get_site_catalog)),
        (
            "/api/1/site/{catalog_file}",
            get(dcat::get_site_catalog_file),
        ),
        ("/catalog", get(dcat::get_root_catalog)),
        (
            "/api/1/organizations/{org}/catalog",
            get(dcat::get_organization_catalog),
        ),
        (
            "/api/1/organizations/{org}/{org_file}",
            get(dcat::get_organization_catalog_file),
        ),
        ("/api/1/datasets/{dataset}/rdf", get(dcat::get_dataset_rdf)),
        (
            "/api/1/datasets/{dataset}/{rdf_file}",
            get(dcat::get_dataset_rdf_file),
        ),
        // Crawlers: sitemaps and robots.txt. `/{file}` serves the sitemap index parts and
        // `/catalog.{ext}` (a path parameter cannot carry a suffix).
        ("/sitemap.xml", get(sitemap::get_sitemap)),
        ("/{file}", get(sitemap::get_root_file)),
        ("/robots.txt", get(sitemap::get_robots_txt)),
    ];
    harvestable.into()
}

/// Issue #8, living datasets: transfers, discussions, followers, reuses, community
/// resources, the activity log, quality questions, dashboards.
fn living_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    let living: [(&str, MethodRouter<AppState>); 20] = [
        (
            "/api/1/transfer/",
            get(transfers::list_transfers).post(transfers::request_transfer),
        ),
        (
            "/api/1/transfer/{transfer}/",
            get(transfers::get_transfer).post(transfers::respond_to_transfer),
        ),
        (
            "/api/1/discussions/",
            get(discussions::list_discussions).post(discussions::create_discussion),
        ),
        (
            "/api/1/discussions/{discussion}/",
            get(discussions::get_discussion)
                .post(discussions::comment_discussion)
                .delete(discussions::delete_discussion),
        ),
        (
            "/api/1/discussions/{discussion}/comments/{cidx}/",
            put(discussions::edit_discussion_comment)
                .delete(discussions::delete_discussion_comment),
        ),
        (
            "/api/1/datasets/{dataset}/followers/",
            get(followers::list_dataset_followers)
                .post(followers::follow_dataset)
                .delete(followers::unfollow_dataset),
        ),
        (
            "/api/1/reuses/",
            get(reuses::list_reuses).post(reuses::create_reuse),
        ),
        ("/api/1/reuses/types/", get(reuses::list_reuse_types)),
        ("/api/1/reuses/topics/", get(reuses::list_reuse_topics)),
        (
            "/api/1/reuses/{reuse}/",
            get(reuses::get_reuse)
                .put(reuses::update_reuse)
                .delete(reuses::delete_reuse),
        ),
        (
            "/api/1/datasets/community_resources/",
            get(community::list_community_resources).post(community::create_community_resource),
        ),
        (
            "/api/1/datasets/community_resources/{community}/",
            get(community::get_community_resource)
                .put(community::update_community_resource)
                .delete(community::delete_community_resource),
        ),
        // Uploads stream to storage, so the JSON body limit does not apply.
        (
            "/api/1/datasets/{dataset}/upload/community/",
            post(community::upload_community_resource).layer(DefaultBodyLimit::disable()),
        ),
        (
            "/api/1/datasets/community_resources/{community}/upload/",
            post(community::replace_community_resource_file).layer(DefaultBodyLimit::disable()),
        ),
        ("/api/1/activity/", get(activity::list_activity)),
        (
            "/api/1/datasets/{dataset}/quality/",
            get(dashboard::get_dataset_quality),
        ),
        (
            "/api/1/datasets/{dataset}/metrics/",
            get(dashboard::get_dataset_metrics),
        ),
        (
            "/api/1/datasets/{dataset}/resources/{rid}/checks/",
            get(dashboard::list_resource_checks),
        ),
        ("/api/1/site/", get(dashboard::get_site)),
        (
            "/api/1/me/datasets/attention/",
            get(dashboard::list_my_datasets_attention),
        ),
    ];
    living.into()
}

/// The web portal's pages (`pages/`): HTML for browsers, sessions and CSRF-checked forms.
fn page_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    use crate::pages::{
        account, assets, catalog, community, dashboard, harvest, manage, orgs, publish, transfers,
    };
    let upload = |handler: MethodRouter<AppState>| handler.layer(DefaultBodyLimit::disable());
    vec![
        ("/static/{asset}", get(assets::get_static_asset)),
        ("/lang/{code}", get(account::switch_language)),
        // Catalog
        ("/datasets/", get(catalog::search_datasets_page)),
        ("/datasets/{dataset}/", get(catalog::get_dataset_page)),
        ("/organizations/", get(catalog::list_organizations_page)),
        ("/organizations/{org}/", get(catalog::get_organization_page)),
        ("/users/{user}/", get(catalog::get_user_page)),
        // Accounts
        ("/login", get(account::login_page).post(account::login)),
        (
            "/register",
            get(account::register_page).post(account::register),
        ),
        ("/logout", post(account::logout)),
        ("/me/", get(account::me_page).post(account::update_me)),
        (
            "/me/api-keys",
            get(account::api_keys_page).post(account::create_api_key),
        ),
        ("/me/api-keys/{token}/revoke", post(account::revoke_api_key)),
        ("/me/sessions/logout-all", post(account::logout_everywhere)),
        // Publishing
        (
            "/publish",
            get(publish::publish_owner_page).post(publish::publish_choose_owner),
        ),
        ("/publish/describe", post(publish::publish_describe)),
        (
            "/publish/{dataset}/resources",
            get(publish::publish_resources_page),
        ),
        (
            "/publish/{dataset}/finish",
            get(publish::publish_finish_page),
        ),
        // Producers
        (
            "/datasets/{dataset}/edit",
            get(manage::edit_dataset_page).post(manage::update_dataset_page),
        ),
        (
            "/datasets/{dataset}/visibility",
            post(publish::set_visibility),
        ),
        (
            "/datasets/{dataset}/upload",
            upload(post(publish::upload_resource_page)),
        ),
        (
            "/datasets/{dataset}/link",
            post(publish::link_resource_page),
        ),
        (
            "/datasets/{dataset}/delete",
            get(manage::confirm_delete_dataset_page).post(manage::delete_dataset_page),
        ),
        (
            "/datasets/{dataset}/dashboard",
            get(dashboard::dataset_dashboard_page),
        ),
        (
            "/datasets/{dataset}/transfer",
            post(transfers::request_transfer_page),
        ),
        ("/me/datasets", get(dashboard::my_datasets_page)),
        ("/me/transfers", get(transfers::my_transfers_page)),
        ("/me/transfers/{id}", post(transfers::respond_transfer_page)),
        // Community
        (
            "/datasets/{dataset}/follow",
            post(community::follow_dataset_page),
        ),
        (
            "/datasets/{dataset}/community",
            post(community::create_community_resource_page),
        ),
        (
            "/datasets/{dataset}/community/upload",
            upload(post(community::upload_community_resource_page)),
        ),
        (
            "/datasets/{dataset}/discussions",
            post(community::create_discussion_page),
        ),
        (
            "/datasets/{dataset}/discussions/{id}/comment",
            post(community::comment_discussion_page),
        ),
        (
            "/datasets/{dataset}/resources/{rid}/edit",
            post(manage::update_resource_page),
        ),
        (
            "/datasets/{dataset}/resources/{rid}/move",
            post(manage::move_resource_page),
        ),
        (
            "/datasets/{dataset}/resources/{rid}/replace",
            upload(post(publish::replace_resource_page)),
        ),
        (
            "/datasets/{dataset}/resources/{rid}/delete",
            get(manage::confirm_delete_resource_page).post(manage::delete_resource_page),
        ),
        // Organizations
        (
            "/organizations/new",
            get(orgs::new_organization_page).post(orgs::create_organization_page),
        ),
        (
            "/organizations/{org}/edit",
            get(orgs::edit_organization_page).post(orgs::update_organization_page),
        ),
        (
            "/organizations/{org}/members",
            get(orgs::members_page).post(orgs::add_member_page),
        ),
        (
            "/organizations/{org}/members/{user}/role",
            post(orgs::change_member_role_page),
        ),
        (
            "/organizations/{org}/members/{user}/remove",
            post(orgs::remove_member_page),
        ),
        // Harvesting
        ("/harvest/", get(harvest::list_harvest_sources_page)),
        (
            "/harvest/new",
            get(harvest::new_harvest_source_page).post(harvest::create_harvest_source_page),
        ),
        ("/harvest/jobs/{job}/", get(harvest::get_harvest_job_page)),
        ("/harvest/{source}/", get(harvest::get_harvest_source_page)),
        (
            "/harvest/{source}/run",
            post(harvest::run_harvest_source_page),
        ),
        (
            "/harvest/{source}/preview",
            get(harvest::preview_harvest_source_page),
        ),
        (
            "/harvest/{source}/validate",
            post(harvest::validate_harvest_source_page),
        ),
        (
            "/harvest/{source}/schedule",
            post(harvest::schedule_harvest_source_page),
        ),
        (
            "/harvest/{source}/delete",
            get(harvest::confirm_delete_harvest_source_page)
                .post(harvest::delete_harvest_source_page),
        ),
    ]
}

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
    for (path, handler) in living_routes() {
        router = both(router, path, handler);
    }
    for (path, handler) in page_routes() {
        router = both(router, path, handler);
    }
    for (path, handler) in harvestable_routes() {
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

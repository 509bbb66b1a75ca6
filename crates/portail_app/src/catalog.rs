//! Reading the catalog as a whole, for the harvestable exports (CKAN API, feeds, sitemap,
//! CSV, DCAT): facet counts, batches for streamed exports, sitemap listings. Visibility comes
//! from the query's viewer, as in every list; the sitemap and exports list public datasets only.

use chrono::{DateTime, Utc};
use portail_core::model::{Dataset, Organization};
use portail_db::catalog::{self, Facet, SitemapEntry};
use portail_db::datasets::{self, DatasetQuery, Viewer};
use portail_db::organizations::{self, OrgQuery};

use crate::{App, AppResult};

/// Counts of the datasets matching `query`, by `facet` value, most frequent first.
pub async fn facets(
    app: &App,
    query: &DatasetQuery,
    facet: Facet,
    limit: Option<i64>,
) -> AppResult<Vec<(String, i64)>> {
    Ok(catalog::facet_counts(&app.db, query, facet, limit).await?)
}

/// The next batch of public datasets after `after_id` (in id order), with tags and
/// resources: exports read the catalog this way instead of holding it all in memory.
pub async fn public_batch(
    app: &App,
    filters: &DatasetQuery,
    after_id: Option<&str>,
    size: i64,
) -> AppResult<Vec<Dataset>> {
    let query = DatasetQuery {
        viewer: Viewer::Anonymous,
        private: None,
        deleted: false,
        archived: false,
        after_id: after_id.map(str::to_owned),
        sort: Some("id".into()),
        page: 1,
        page_size: size,
        offset: None,
        ..filters.clone()
    };
    Ok(datasets::page(&app.db, &query).await?)
}

/// The next batch of live organizations (all are public), in slug order from `offset`.
pub async fn organizations_batch(
    app: &App,
    offset: i64,
    size: i64,
) -> AppResult<Vec<Organization>> {
    let query = OrgQuery {
        sort: Some("slug".into()),
        page: 1,
        page_size: size,
        offset: Some(offset),
        ..OrgQuery::default()
    };
    Ok(organizations::list(&app.db, &query).await?.0)
}

/// Public datasets for a sitemap file, in id order.
pub async fn sitemap_datasets(app: &App, offset: i64, limit: i64) -> AppResult<Vec<SitemapEntry>> {
    Ok(catalog::public_datasets(&app.db, offset, limit).await?)
}

/// Live organizations for a sitemap file, in id order.
pub async fn sitemap_organizations(
    app: &App,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<SitemapEntry>> {
    Ok(catalog::live_organizations(&app.db, offset, limit).await?)
}

/// How many public datasets and live organizations there are.
pub async fn public_counts(app: &App) -> AppResult<(i64, i64)> {
    Ok((
        catalog::count_public_datasets(&app.db).await?,
        catalog::count_live_organizations(&app.db).await?,
    ))
}

/// When the public catalog last changed (`None` when it is empty).
pub async fn last_public_change(app: &App) -> AppResult<Option<DateTime<Utc>>> {
    Ok(catalog::latest_public_modification(&app.db).await?)
}

/// Slugs of the public datasets in slug order, from `offset` (all when `limit` is `None`).
pub async fn public_slugs(app: &App, offset: i64, limit: Option<i64>) -> AppResult<Vec<String>> {
    Ok(catalog::public_slugs(&app.db, offset, limit).await?)
}

/// A number that changes with every write to the catalog (the outbox's last sequence):
/// validators of generated documents (feeds, sitemaps, exports) are derived from it.
pub async fn change_marker(app: &App) -> AppResult<i64> {
    Ok(portail_db::changes::last_seq(&app.db).await?)
}

//! CSV exports of the catalog, as udata offers them: `/api/1/site/datasets.csv`,
//! `/api/1/site/resources.csv`, `/api/1/site/organizations.csv` and
//! `/api/1/organizations/{org}/datasets.csv`.
//!
//! Same columns as udata where our model has the field, `;`-separated, every non-numeric
//! field quoted (udata writes with Python's `QUOTE_NONNUMERIC`), dates in Python's
//! `isoformat()` (naive UTC), booleans as `True`/`False`. Public datasets only; the dataset
//! exports accept the filters of `GET /api/1/datasets/`. Rows are streamed from the database
//! in batches of [`BATCH`]: an export of 100 000 datasets never sits in memory.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::stream::{self, Stream};
use portail_app::catalog;
use portail_core::model::{Dataset, Organization, ResourceFacts};
use portail_core::quality;
use portail_db::datasets::DatasetQuery;

use crate::api::datasets::{dataset_query, view_ctx};
use crate::conditional::{self, Caching, VARY_ACCEPT, Validators};
use crate::errors::ApiResult;
use crate::extract::{BaseUrl, Params};
use crate::paging::PageRequest;
use crate::state::AppState;
use crate::views::{ViewCtx, absolute_url};

/// Datasets (or organizations) read from the database at a time.
pub const BATCH: i64 = 200;

const CSV: &str = "text/csv; charset=utf-8";

/// Columns of `datasets.csv` (udata's `DatasetCsvAdapter`, then its metrics).
pub const DATASET_COLUMNS: &[&str] = &[
    "id",
    "title",
    "slug",
    "acronym",
    "url",
    "organization",
    "organization_id",
    "owner",
    "owner_id",
    "description",
    "description_short",
    "frequency",
    "license",
    "temporal_coverage.start",
    "temporal_coverage.end",
    "spatial.granularity",
    "spatial.zones",
    "featured",
    "created_at",
    "last_modified",
    "tags",
    "archived",
    "resources_count",
    "main_resources_count",
    "resources_formats",
    "harvest.backend",
    "harvest.domain",
    "harvest.created_at",
    "harvest.modified_at",
    "harvest.remote_url",
    "quality_score",
    "metric.discussions",
    "metric.reuses",
    "metric.followers",
    "metric.views",
    "metric.resources_downloads",
];

/// Columns of `resources.csv` (udata's `ResourcesCsvAdapter`): the dataset, then the resource.
pub const RESOURCE_COLUMNS: &[&str] = &[
    "dataset.id",
    "dataset.title",
    "dataset.slug",
    "dataset.url",
    "dataset.organization",
    "dataset.organization_id",
    "dataset.license",
    "dataset.private",
    "dataset.archived",
    "id",
    "url",
    "title",
    "description",
    "filetype",
    "type",
    "format",
    "mime",
    "filesize",
    "checksum.type",
    "checksum.value",
    "created_at",
    "modified",
    "downloads",
    "harvest.created_at",
    "harvest.modified_at",
    "schema_name",
    "schema_version",
    "preview_url",
    "extras",
];

/// Columns of `organizations.csv` (udata's `OrganizationCsvAdapter`, then its metrics).
pub const ORGANIZATION_COLUMNS: &[&str] = &[
    "id",
    "name",
    "acronym",
    "slug",
    "url",
    "description",
    "logo",
    "badges",
    "created_at",
    "last_modified",
    "business_number_id",
    "members_count",
    "metric.datasets",
    "metric.members",
    "metric.reuses",
    "metric.followers",
    "metric.views",
];

/// One CSV cell.
enum Cell {
    Text(String),
    Int(i64),
    Empty,
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn opt(s: Option<&str>) -> Cell {
    s.map_or(Cell::Empty, text)
}

/// Python's `str(bool)`.
fn boolean(b: bool) -> Cell {
    text(if b { "True" } else { "False" })
}

/// Python's `datetime.isoformat()` of a naive UTC datetime: no fraction when it is zero.
pub fn python_isoformat(at: DateTime<Utc>) -> String {
    if at.timestamp_subsec_micros() == 0 {
        at.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else {
        at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    }
}

fn date(at: DateTime<Utc>) -> Cell {
    Cell::Text(python_isoformat(at))
}

fn day(d: Option<NaiveDate>) -> Cell {
    d.map_or(Cell::Empty, |d| Cell::Text(d.to_string()))
}

fn harvest_text(h: Option<&serde_json::Value>, key: &str) -> Cell {
    opt(h
        .and_then(|h| h.get(key))
        .and_then(serde_json::Value::as_str))
}

/// Writes rows into a chunk, udata's dialect.
fn write_rows(rows: &[Vec<Cell>]) -> Result<Bytes, std::io::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(Vec::new());
    for row in rows {
        let fields: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Int(n) => n.to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        writer
            .write_record(&fields)
            .map_err(std::io::Error::other)?;
    }
    writer
        .into_inner()
        .map(Bytes::from)
        .map_err(|e| std::io::Error::other(e.to_string()))
}

fn header_row(columns: &[&str]) -> Vec<Cell> {
    columns.iter().map(|c| text(c)).collect()
}

fn publisher_cells(d: &Dataset, ctx: &ViewCtx<'_>) -> (Cell, Cell, Cell, Cell) {
    let org = d
        .publisher
        .organization_id()
        .and_then(|id| ctx.organizations.get(id));
    let owner = d.publisher.owner_id().and_then(|id| ctx.users.get(id));
    (
        opt(org.map(|o| o.name.as_str())),
        opt(org.map(|o| o.id.as_str())),
        opt(owner.map(|u| u.slug.as_str())),
        opt(owner.map(|u| u.id.as_str())),
    )
}

fn dataset_row(d: &Dataset, ctx: &ViewCtx<'_>) -> Vec<Cell> {
    let facts = ResourceFacts::of(&d.resources);
    let (org, org_id, owner, owner_id) = publisher_cells(d, ctx);
    let mut formats: Vec<&str> = d
        .resources
        .iter()
        .filter_map(|r| r.format.as_deref())
        .filter(|f| !f.is_empty())
        .collect();
    formats.sort_unstable();
    formats.dedup();
    let harvest = d.harvest.as_ref();
    let count = |n: usize| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    vec![
        text(&d.id),
        text(&d.title),
        text(&d.slug),
        opt(d.acronym.as_deref()),
        Cell::Text(format!("{}/datasets/{}/", ctx.base, d.slug)),
        org,
        org_id,
        owner,
        owner_id,
        text(&d.description),
        opt(d.description_short.as_deref()),
        text(&d.frequency),
        text(&d.license),
        day(d.temporal_coverage.map(|t| t.start)),
        day(d.temporal_coverage.and_then(|t| t.end)),
        opt(d.spatial.as_ref().and_then(|s| s.granularity.as_deref())),
        opt(d
            .spatial
            .as_ref()
            .filter(|s| !s.zones.is_empty())
            .map(|s| s.zones.join(","))
            .as_deref()),
        boolean(d.featured),
        date(d.created_at()),
        date(d.last_modified()),
        text(&d.tags.join(",")),
        boolean(d.archived_at.is_some()),
        count(d.resources.len()),
        count(d.resources.iter().filter(|r| r.kind == "main").count()),
        text(&formats.join(",")),
        harvest_text(harvest, "backend"),
        harvest_text(harvest, "domain"),
        harvest_text(harvest, "created_at"),
        harvest_text(harvest, "modified_at"),
        harvest_text(harvest, "remote_url"),
        Cell::Text(format!(
            "{:.2}",
            quality::compute_with(d, &facts, ctx.now).score
        )),
        Cell::Int(d.metrics.discussions),
        Cell::Int(d.metrics.reuses),
        Cell::Int(d.metrics.followers),
        Cell::Int(d.metrics.views),
        Cell::Int(d.metrics.resources_downloads),
    ]
}

fn resource_rows(d: &Dataset, ctx: &ViewCtx<'_>, out: &mut Vec<Vec<Cell>>) {
    let (org, org_id, _, _) = publisher_cells(d, ctx);
    let org_name = match &org {
        Cell::Text(s) => Some(s.clone()),
        _ => None,
    };
    let org_id = match &org_id {
        Cell::Text(s) => Some(s.clone()),
        _ => None,
    };
    for r in &d.resources {
        out.push(vec![
            text(&d.id),
            text(&d.title),
            text(&d.slug),
            Cell::Text(format!("{}/datasets/{}/", ctx.base, d.slug)),
            opt(org_name.as_deref()),
            opt(org_id.as_deref()),
            text(&d.license),
            boolean(d.private),
            boolean(d.archived_at.is_some()),
            text(&r.id),
            Cell::Text(absolute_url(&r.url, ctx.base)),
            text(&r.title),
            opt(r.description.as_deref()),
            text(r.filetype.as_str()),
            text(&r.kind),
            opt(r.format.as_deref()),
            opt(r.mime.as_deref()),
            r.filesize.map_or(Cell::Empty, Cell::Int),
            opt(r.checksum.as_ref().map(|c| c.kind.as_str())),
            opt(r.checksum.as_ref().map(|c| c.value.as_str())),
            date(r.created_at()),
            date(r.last_modified()),
            Cell::Int(r.downloads),
            harvest_text(r.harvest.as_ref(), "created_at"),
            harvest_text(r.harvest.as_ref(), "modified_at"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Text(serde_json::Value::Object(r.extras.clone()).to_string()),
        ]);
    }
}

fn organization_row(o: &Organization, datasets: i64, members: i64, base: &str) -> Vec<Cell> {
    vec![
        text(&o.id),
        text(&o.name),
        opt(o.acronym.as_deref()),
        text(&o.slug),
        Cell::Text(format!("{base}/organizations/{}/", o.slug)),
        text(&o.description),
        opt(o.image_url.as_deref()),
        Cell::Text(String::new()),
        date(o.created_at),
        date(o.last_modified),
        opt(o.business_number_id.as_deref()),
        Cell::Int(members),
        Cell::Int(datasets),
        Cell::Int(members),
        Cell::Int(0),
        Cell::Int(0),
        Cell::Int(0),
    ]
}

/// What a dataset export writes per batch.
#[derive(Clone, Copy)]
enum DatasetExport {
    Datasets,
    Resources,
}

struct Cursor {
    state: AppState,
    base: String,
    query: Option<DatasetQuery>,
    after: Option<String>,
    header: bool,
    done: bool,
}

/// The streamed body of a dataset export: the header, then one chunk per batch. A database
/// error mid-way aborts the transfer (the client sees a truncated response, not a short file
/// that looks complete).
fn dataset_stream(
    cursor: Cursor,
    kind: DatasetExport,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send {
    stream::unfold(cursor, move |mut c| async move {
        if c.done {
            return None;
        }
        if !c.header {
            c.header = true;
            let columns = match kind {
                DatasetExport::Datasets => DATASET_COLUMNS,
                DatasetExport::Resources => RESOURCE_COLUMNS,
            };
            return Some((write_rows(&[header_row(columns)]), c));
        }
        // No query: the filters matched nothing (an unknown organization, say).
        let query = c.query.as_ref()?;
        let batch =
            match catalog::public_batch(&c.state.app, query, c.after.as_deref(), BATCH).await {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::error!(error = %e, "CSV export failed");
                    c.done = true;
                    return Some((Err(std::io::Error::other(e.to_string())), c));
                }
            };
        if batch.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            c.done = true;
        }
        let last = batch.last()?;
        c.after = Some(last.id.clone());
        let refs: Vec<&Dataset> = batch.iter().collect();
        let ctx = match view_ctx(&c.state, &c.base, None, &refs).await {
            Ok(ctx) => ctx,
            Err(e) => {
                tracing::error!(error = ?e.0, "CSV export failed");
                c.done = true;
                return Some((Err(std::io::Error::other("export failed")), c));
            }
        };
        let mut rows = Vec::new();
        for d in &batch {
            match kind {
                DatasetExport::Datasets => rows.push(dataset_row(d, &ctx)),
                DatasetExport::Resources => resource_rows(d, &ctx, &mut rows),
            }
        }
        Some((write_rows(&rows), c))
    })
}

/// Validators of an export: its URL and the catalog's change marker (every write moves it),
/// so a harvester polling an unchanged catalog gets a 304 without a row being read.
async fn export_validators(state: &AppState, key: &str) -> ApiResult<Validators> {
    let marker = catalog::change_marker(&state.app).await?;
    Ok(Validators {
        content_type: CSV.to_owned(),
        etag: conditional::weak_etag(&[key, &marker.to_string()]),
        last_modified: catalog::last_public_change(&state.app).await?,
        vary: VARY_ACCEPT,
        caching: Caching::Public,
    })
}

fn filename(kind: &str, now: DateTime<Utc>) -> String {
    format!("{kind}-{}.csv", now.format("%Y-%m-%d-%H-%M"))
}

async fn dataset_export(
    state: AppState,
    base: String,
    params: Params,
    key: String,
    headers: HeaderMap,
    kind: DatasetExport,
    organization: Option<String>,
) -> ApiResult<Response> {
    let v = export_validators(&state, &key).await?;
    if conditional::is_fresh(&headers, &v) {
        return Ok(conditional::not_modified(&v));
    }
    let page = PageRequest {
        page: 1,
        page_size: BATCH,
    };
    let mut query = dataset_query(&state, &params, None, page).await?;
    if let (Some(q), Some(org)) = (query.as_mut(), organization) {
        q.organization_id = Some(org);
    }
    let name = match kind {
        DatasetExport::Datasets => "datasets",
        DatasetExport::Resources => "resources",
    };
    let cursor = Cursor {
        state: state.clone(),
        base,
        query,
        after: None,
        header: false,
        done: false,
    };
    let body = Body::from_stream(dataset_stream(cursor, kind));
    Ok(conditional::respond_stream(
        &v,
        body,
        Some(&filename(name, state.app.clock.now())),
    ))
}

/// Every public dataset as CSV (accepts the filters of `GET /api/1/datasets/`).
#[utoipa::path(
    get, path = "/api/1/site/datasets.csv", tag = "site", operation_id = "export_datasets_csv",
    params(("q" = Option<String>, Query), ("tag" = Option<Vec<String>>, Query), ("organization" = Option<String>, Query), ("license" = Option<String>, Query), ("format" = Option<String>, Query)),
    responses((status = 200, description = "`;`-separated CSV, one row per dataset", content_type = "text/csv"), (status = 304), (status = 400, description = "Invalid filter"))
)]
pub async fn export_datasets_csv(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let key = format!("{base}{uri}");
    dataset_export(
        state,
        base,
        params,
        key,
        headers,
        DatasetExport::Datasets,
        None,
    )
    .await
}

/// Every resource of every public dataset as CSV (same filters as the datasets export).
#[utoipa::path(
    get, path = "/api/1/site/resources.csv", tag = "site", operation_id = "export_resources_csv",
    params(("q" = Option<String>, Query), ("tag" = Option<Vec<String>>, Query), ("organization" = Option<String>, Query)),
    responses((status = 200, description = "`;`-separated CSV, one row per resource", content_type = "text/csv"), (status = 304), (status = 400))
)]
pub async fn export_resources_csv(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let key = format!("{base}{uri}");
    dataset_export(
        state,
        base,
        params,
        key,
        headers,
        DatasetExport::Resources,
        None,
    )
    .await
}

/// The public datasets of one organization as CSV.
#[utoipa::path(
    get, path = "/api/1/organizations/{org}/datasets.csv", tag = "organizations", operation_id = "export_organization_datasets_csv",
    params(("org" = String, Path, description = "Organization id or slug")),
    responses((status = 200, description = "`;`-separated CSV", content_type = "text/csv"), (status = 304), (status = 404), (status = 410))
)]
pub async fn export_organization_datasets_csv(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(org): Path<String>,
    params: Params,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let org = portail_app::organizations::get(&state.app, &org).await?;
    let key = format!("{base}{uri}");
    dataset_export(
        state,
        base,
        params,
        key,
        headers,
        DatasetExport::Datasets,
        Some(org.id),
    )
    .await
}

struct OrgCursor {
    state: AppState,
    base: String,
    offset: i64,
    header: bool,
    done: bool,
}

/// Every live organization as CSV.
#[utoipa::path(
    get, path = "/api/1/site/organizations.csv", tag = "site", operation_id = "export_organizations_csv",
    responses((status = 200, description = "`;`-separated CSV, one row per organization", content_type = "text/csv"), (status = 304))
)]
pub async fn export_organizations_csv(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let key = format!("{base}{uri}");
    let v = export_validators(&state, &key).await?;
    if conditional::is_fresh(&headers, &v) {
        return Ok(conditional::not_modified(&v));
    }
    let now = state.app.clock.now();
    let cursor = OrgCursor {
        state,
        base,
        offset: 0,
        header: false,
        done: false,
    };
    let rows = stream::unfold(cursor, |mut c| async move {
        if c.done {
            return None;
        }
        if !c.header {
            c.header = true;
            return Some((write_rows(&[header_row(ORGANIZATION_COLUMNS)]), c));
        }
        let batch = match org_batch(&c).await {
            Ok(batch) => batch,
            Err(e) => {
                tracing::error!(error = %e, "CSV export failed");
                c.done = true;
                return Some((Err(std::io::Error::other(e.to_string())), c));
            }
        };
        if batch.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            c.done = true;
        }
        if batch.is_empty() {
            return None;
        }
        c.offset += BATCH;
        Some((write_rows(&batch), c))
    });
    Ok(conditional::respond_stream(
        &v,
        Body::from_stream(rows),
        Some(&filename("organizations", now)),
    ))
}

async fn org_batch(c: &OrgCursor) -> portail_app::AppResult<Vec<Vec<Cell>>> {
    let orgs = catalog::organizations_batch(&c.state.app, c.offset, BATCH).await?;
    let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let counts: HashMap<String, i64> =
        portail_db::organizations::dataset_counts(&c.state.app.db, &ids)
            .await?
            .into_iter()
            .collect();
    let mut rows = Vec::with_capacity(orgs.len());
    for o in &orgs {
        let members = portail_app::organizations::members(&c.state.app, o).await?;
        rows.push(organization_row(
            o,
            counts.get(&o.id).copied().unwrap_or(0),
            i64::try_from(members.len()).unwrap_or(i64::MAX),
            &c.base,
        ));
    }
    Ok(rows)
}

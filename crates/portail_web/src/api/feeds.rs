//! Atom feeds (RFC 4287) of the latest public datasets: the whole portal at udata's
//! `/api/1/datasets/recent.atom`, and one organization at
//! `/api/1/organizations/{org}/datasets.atom` (the path of udata's former per-organization
//! feed, under the API).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use portail_app::datasets as usecase;
use portail_core::model::{Dataset, Publisher};
use portail_db::datasets::{DatasetQuery, Viewer};

use crate::api::datasets::view_ctx;
use crate::conditional::{self, Caching, VARY_ACCEPT};
use crate::errors::ApiResult;
use crate::extract::BaseUrl;
use crate::state::AppState;
use crate::views::ViewCtx;

/// Entries in a feed (udata's `feed_size`).
pub const FEED_SIZE: i64 = 20;

/// `Content-Type` of the feeds.
pub const ATOM: &str = "application/atom+xml; charset=utf-8";

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Summaries stay short: a feed reader shows a line or two.
const SUMMARY_CHARS: usize = 500;

fn entry(d: &Dataset, ctx: &ViewCtx<'_>) -> String {
    let base = ctx.base;
    let (author, uri) = match &d.publisher {
        Publisher::Organization(id) => ctx.organizations.get(id).map_or_else(
            || (crate::site::TITLE.to_owned(), base.to_owned()),
            |o| (o.name.clone(), format!("{base}/organizations/{}/", o.slug)),
        ),
        Publisher::User(id) => ctx.users.get(id).map_or_else(
            || (crate::site::TITLE.to_owned(), base.to_owned()),
            |u| (u.display_name(), format!("{base}/users/{}/", u.slug)),
        ),
    };
    let mut summary: String = d.description.chars().take(SUMMARY_CHARS).collect();
    if d.description.chars().count() > SUMMARY_CHARS {
        summary.push('…');
    }
    format!(
        "  <entry>\n    <id>{base}/datasets/{id}/</id>\n    <title type=\"text\">{title}</title>\n    \
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n    \
         <published>{published}</published>\n    <updated>{updated}</updated>\n    \
         <author><name>{author}</name><uri>{uri}</uri></author>\n    \
         <summary type=\"text\">{summary}</summary>\n  </entry>\n",
        id = xml_escape(&d.id),
        title = xml_escape(&d.title),
        page = xml_escape(&format!("{base}/datasets/{}/", d.slug)),
        published = rfc3339(d.created_at()),
        updated = rfc3339(d.last_modified()),
        author = xml_escape(&author),
        uri = xml_escape(&uri),
        summary = xml_escape(&summary),
    )
}

/// Renders a feed of `datasets` (already in order) whose own URL is `self_url`.
pub fn render_feed(
    title: &str,
    self_url: &str,
    alternate: &str,
    datasets: &[Dataset],
    ctx: &ViewCtx<'_>,
) -> String {
    // An empty feed still needs an `updated`: the epoch is stable, unlike "now".
    let updated = datasets
        .iter()
        .map(Dataset::last_modified)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let entries: String = datasets.iter().map(|d| entry(d, ctx)).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  \
         <id>{id}</id>\n  <title type=\"text\">{title}</title>\n  <updated>{updated}</updated>\n  \
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{id}\"/>\n  \
         <link rel=\"alternate\" type=\"text/html\" href=\"{alternate}\"/>\n  \
         <author><name>{site}</name></author>\n  <generator>Portail</generator>\n{entries}</feed>\n",
        lang = crate::site::LOCALE,
        id = xml_escape(self_url),
        title = xml_escape(title),
        updated = rfc3339(updated),
        alternate = xml_escape(alternate),
        site = xml_escape(crate::site::TITLE),
    )
}

async fn feed(
    state: &AppState,
    base: &str,
    headers: &HeaderMap,
    key: String,
    title: String,
    alternate: String,
    query: DatasetQuery,
) -> ApiResult<Response> {
    let (body, last_modified) = match state.cache.get(&key) {
        Some(hit) => (hit.body, None),
        None => {
            let generation = state.cache.generation();
            let datasets = usecase::page(&state.app, &query).await?;
            let refs: Vec<&Dataset> = datasets.iter().collect();
            let ctx = view_ctx(state, base, None, &refs).await?;
            let xml = render_feed(&title, &key, &alternate, &datasets, &ctx);
            let cached = state.cache.put(key, Bytes::from(xml), generation);
            (
                cached.body,
                datasets.iter().map(Dataset::last_modified).max(),
            )
        }
    };
    // The cached copy does not keep the date: read it back from the feed itself.
    let last_modified = last_modified.or_else(|| feed_updated(&body));
    Ok(conditional::respond_bytes(
        headers,
        ATOM,
        body,
        last_modified,
        VARY_ACCEPT,
        Caching::Public,
    ))
}

fn feed_updated(body: &[u8]) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<updated>")? + "<updated>".len();
    let end = start + text[start..].find("</updated>")?;
    DateTime::parse_from_rfc3339(&text[start..end])
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .filter(|d| *d > DateTime::<Utc>::UNIX_EPOCH)
}

fn latest(page_size: i64) -> DatasetQuery {
    DatasetQuery {
        viewer: Viewer::Anonymous,
        sort: Some("-created".into()),
        page: 1,
        page_size,
        ..DatasetQuery::default()
    }
}

/// The latest public datasets, newest first, as an Atom feed.
#[utoipa::path(
    get, path = "/api/1/datasets/recent.atom", tag = "datasets", operation_id = "recent_datasets_atom_feed",
    responses((status = 200, description = "Atom feed of the 20 latest public datasets", content_type = "application/atom+xml"), (status = 304, description = "Not modified"))
)]
pub async fn recent_datasets_atom_feed(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    headers: HeaderMap,
    _uri: Uri,
) -> ApiResult<Response> {
    let key = format!("{base}/api/1/datasets/recent.atom");
    feed(
        &state,
        &base,
        &headers,
        key,
        "Derniers jeux de données".into(),
        format!("{base}/datasets/"),
        latest(FEED_SIZE),
    )
    .await
}

/// The latest public datasets of one organization, as an Atom feed.
#[utoipa::path(
    get, path = "/api/1/organizations/{org}/datasets.atom", tag = "organizations", operation_id = "organization_datasets_atom_feed",
    params(("org" = String, Path, description = "Organization id or slug")),
    responses((status = 200, description = "Atom feed of the organization's 20 latest public datasets", content_type = "application/atom+xml"), (status = 304), (status = 404, description = "Unknown organization"), (status = 410, description = "Deleted organization"))
)]
pub async fn organization_datasets_atom_feed(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(org): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let org = portail_app::organizations::get(&state.app, &org).await?;
    let key = format!("{base}/api/1/organizations/{}/datasets.atom", org.id);
    let query = DatasetQuery {
        organization_id: Some(org.id.clone()),
        ..latest(FEED_SIZE)
    };
    feed(
        &state,
        &base,
        &headers,
        key,
        format!("Derniers jeux de données de {}", org.name),
        format!("{base}/organizations/{}/", org.slug),
        query,
    )
    .await
}

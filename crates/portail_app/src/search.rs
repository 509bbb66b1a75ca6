//! Search use cases, and the follower that keeps a node's search index in step with the
//! database.
//!
//! The index is derived data (`portail_search`): every node tails the `changes` outbox and
//! applies what changed, recording the last applied sequence number in each commit, so that
//! several processes sharing one PostgreSQL each keep their own index fresh. Results are
//! always reloaded from the database and checked against the visibility rules again, so a
//! lagging index can miss a dataset for a moment but never show a hidden one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use portail_core::model::{Dataset, Publisher, ResourceFacts};
use portail_core::permissions::Actor;
use portail_db::{changes, datasets, organizations};
use portail_search::{
    Audience, DatasetDoc, HiddenFilter, Hits, IndexState, SearchIndex, SearchQuery, Suggestion,
};
use tracing::{info, warn};

use crate::{App, AppError, AppResult};

/// How often the follower looks for new changes: well within the one-second freshness goal,
/// and one indexed query each time.
pub const POLL_EVERY: Duration = Duration::from_millis(200);

/// How long a skipped sequence number is waited for before it is taken for a rolled-back
/// transaction (PostgreSQL sequences leave gaps on rollback).
const GAP_PATIENCE: Duration = Duration::from_secs(30);

/// Searches running now, at most one per core (see [`hits`]).
static SEARCHES: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();

/// Datasets loaded and indexed per batch.
const BATCH: usize = 500;

/// The audience of a search, from an optional actor.
pub fn audience(actor: Option<&Actor>) -> Audience {
    match actor {
        None => Audience::Anonymous,
        Some(a) if a.sysadmin => Audience::Sysadmin,
        Some(a) => Audience::Member {
            user_id: a.user_id.clone(),
            organization_ids: a.organization_ids(),
        },
    }
}

/// The index, or a 503 when this node has none.
fn index(app: &App) -> AppResult<Arc<SearchIndex>> {
    app.search
        .clone()
        .ok_or_else(|| AppError::Unavailable("Search is not enabled on this portal.".into()))
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("search: {e}"))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> portail_search::SearchResult<T> + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(internal)?
        .map_err(internal)
}

/// Runs a search on the index for `actor`.
async fn hits(
    app: &App,
    actor: Option<&Actor>,
    query: SearchQuery,
    facets: Vec<&'static str>,
) -> AppResult<Hits> {
    let index = index(app)?;
    let query = SearchQuery {
        audience: audience(actor),
        ..query
    };
    // At most one search per core at a time: more only time-slice the cores and evict each
    // other's postings and facet rows from the caches.
    let _turn = SEARCHES
        .get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            tokio::sync::Semaphore::new(cores)
        })
        .acquire()
        .await
        .map_err(internal)?;
    blocking(move || index.search(&query, &facets)).await
}

/// The loaded datasets in the order of the hits, without those the search may not show: the
/// index may lag behind a change of visibility, the database decides.
fn in_hit_order<T>(
    actor: Option<&Actor>,
    hidden: HiddenFilter,
    ids: &[String],
    loaded: Vec<T>,
    dataset: impl Fn(&T) -> &Dataset,
) -> Vec<T> {
    let mut by_id: HashMap<String, T> = loaded
        .into_iter()
        .map(|item| (dataset(&item).id.clone(), item))
        .collect();
    let mut page = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(item) = by_id.remove(id) else {
            continue;
        };
        let d = dataset(&item);
        let insider = portail_core::permissions::can_see_hidden_dataset(actor, &d.publisher);
        let matches = d.deleted_at.is_some() == hidden.deleted
            && d.archived_at.is_some() == hidden.archived
            && hidden.private.is_none_or(|p| d.private == p);
        let hidden_now = d.private || d.deleted_at.is_some() || d.archived_at.is_some();
        if matches && (insider || !hidden_now) {
            page.push(item);
        }
    }
    page
}

/// A page of datasets matching a search (with their resources), the total and the facet
/// counts asked for.
pub async fn search_datasets(
    app: &App,
    actor: Option<&Actor>,
    query: SearchQuery,
    facets: Vec<&'static str>,
) -> AppResult<(Vec<Dataset>, Hits)> {
    let hidden = query.hidden;
    let hits = hits(app, actor, query, facets).await?;
    let loaded = datasets::find_many(&app.db, &hits.ids).await?;
    let page = in_hit_order(actor, hidden, &hits.ids, loaded, |d| d);
    Ok((page, hits))
}

/// [`search_datasets`] with the summary of each dataset's resources instead of the resources
/// (API v2's shape): one query for the page whatever the number of resources.
pub async fn search_dataset_summaries(
    app: &App,
    actor: Option<&Actor>,
    query: SearchQuery,
    facets: Vec<&'static str>,
) -> AppResult<(Vec<(Dataset, ResourceFacts)>, Hits)> {
    let hidden = query.hidden;
    let hits = hits(app, actor, query, facets).await?;
    let loaded = datasets::find_many_with_facts(&app.db, &hits.ids).await?;
    let page = in_hit_order(actor, hidden, &hits.ids, loaded, |(d, _)| d);
    Ok((page, hits))
}

/// Public dataset titles starting like `q`.
pub async fn suggest_datasets(app: &App, q: &str, size: usize) -> AppResult<Vec<Suggestion>> {
    let index = index(app)?;
    let q = q.to_owned();
    blocking(move || index.suggest(&q, size)).await
}

/// Organization names starting like `q`.
pub async fn suggest_organizations(app: &App, q: &str, size: usize) -> AppResult<Vec<Suggestion>> {
    let index = index(app)?;
    let q = q.to_owned();
    blocking(move || index.suggest_organizations(&q, size)).await
}

/// Organization ids matching `q`, best first, and the total.
pub async fn search_organizations(
    app: &App,
    q: &str,
    page: usize,
    page_size: usize,
) -> AppResult<(Vec<String>, usize)> {
    let index = index(app)?;
    let q = q.to_owned();
    blocking(move || index.search_organizations(&q, page, page_size)).await
}

/// Indexes datasets with their organizations' names; ids no longer in the database are
/// removed from the index.
async fn index_datasets(
    app: &App,
    index: &Arc<SearchIndex>,
    ids: &[String],
    org_names: &mut HashMap<String, String>,
) -> AppResult<()> {
    for chunk in ids.chunks(BATCH) {
        let found = datasets::find_many(&app.db, chunk).await?;
        let present: HashSet<&str> = found.iter().map(|d| d.id.as_str()).collect();
        let gone: Vec<String> = chunk
            .iter()
            .filter(|id| !present.contains(id.as_str()))
            .cloned()
            .collect();
        let with_names = with_org_names(app, found, org_names).await?;
        let index = index.clone();
        blocking(move || {
            for id in &gone {
                index.delete(id)?;
            }
            upsert(&index, &with_names)
        })
        .await?;
    }
    Ok(())
}

fn upsert(
    index: &SearchIndex,
    datasets: &[(Dataset, Option<String>)],
) -> portail_search::SearchResult<()> {
    let docs: Vec<DatasetDoc<'_>> = datasets
        .iter()
        .map(|(d, name)| DatasetDoc {
            dataset: d,
            organization_name: name.as_deref(),
            facts: None,
        })
        .collect();
    index.upsert_datasets(&docs)
}

async fn with_org_names(
    app: &App,
    found: Vec<Dataset>,
    org_names: &mut HashMap<String, String>,
) -> AppResult<Vec<(Dataset, Option<String>)>> {
    let missing: Vec<String> = found
        .iter()
        .filter_map(|d| d.publisher.organization_id())
        .filter(|id| !org_names.contains_key(*id))
        .map(str::to_owned)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for org in organizations::find_many(&app.db, &missing).await? {
        org_names.insert(org.id, org.name);
    }
    Ok(found
        .into_iter()
        .map(|d| {
            let name = match &d.publisher {
                Publisher::Organization(id) => org_names.get(id).cloned(),
                Publisher::User(_) => None,
            };
            (d, name)
        })
        .collect())
}

/// Rebuilds the whole index from the database, reporting `(done, total)` datasets as it goes.
/// Searches keep working during the rebuild on what is indexed so far.
pub async fn rebuild(
    app: &App,
    index: &Arc<SearchIndex>,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> AppResult<IndexState> {
    // Changes recorded from here on are applied by the follower afterwards, so nothing that
    // happens during the rebuild is lost.
    let seq = changes::last_seq(&app.db).await?;
    let total = u64::try_from(datasets::count_all(&app.db).await?).unwrap_or(0);
    {
        let index = index.clone();
        blocking(move || {
            index.clear()?;
            index.commit(IndexState {
                seq,
                seen: seq,
                schema: 0,
                complete: false,
            })
        })
        .await?;
    }
    let mut org_names = HashMap::new();
    let orgs = organizations::all(&app.db).await?;
    for org in &orgs {
        org_names.insert(org.id.clone(), org.name.clone());
    }
    {
        let index = index.clone();
        blocking(move || {
            for org in &orgs {
                index.upsert_organization(org)?;
            }
            Ok(())
        })
        .await?;
    }
    let mut after = String::new();
    let mut done = 0u64;
    progress(0, total);
    loop {
        let batch = datasets::batch_after(&app.db, &after, BATCH as i64).await?;
        let Some(last) = batch.last() else { break };
        after = last.id.clone();
        done += batch.len() as u64;
        let with_names = with_org_names(app, batch, &mut org_names).await?;
        let index = index.clone();
        blocking(move || upsert(&index, &with_names)).await?;
        progress(done, total.max(done));
    }
    let state = IndexState {
        seq,
        seen: seq,
        schema: 0,
        complete: true,
    };
    let committed = index.clone();
    blocking(move || committed.commit(state)).await?;
    Ok(state)
}

/// Where the follower is in the outbox: everything up to `seen` was read, except the numbers
/// in `gaps` (skipped when read: their transaction may still commit).
#[derive(Debug, Default)]
struct Cursor {
    seen: i64,
    gaps: BTreeMap<i64, Instant>,
}

impl Cursor {
    /// The sequence number to record in the index: a restart re-reads from the oldest gap
    /// (applying a change twice is harmless).
    fn durable(&self) -> i64 {
        match self.gaps.keys().next() {
            Some(first) => first - 1,
            None => self.seen,
        }
    }
}

/// Applies the changes after the cursor (and any late ones in its gaps); returns how many.
async fn apply_changes(
    app: &App,
    index: &Arc<SearchIndex>,
    cursor: &mut Cursor,
    org_names: &mut HashMap<String, String>,
) -> AppResult<usize> {
    let gap_seqs: Vec<i64> = cursor.gaps.keys().copied().collect();
    let mut batch = changes::by_seqs(&app.db, &gap_seqs).await?;
    for change in &batch {
        cursor.gaps.remove(&change.seq);
    }
    let fresh = changes::since(&app.db, cursor.seen, 1000).await?;
    let now = Instant::now();
    for change in &fresh {
        // Numbers skipped between two visible changes: a transaction still in flight, or one
        // rolled back. A huge jump (the outbox pruned) is not waited for.
        if change.seq > cursor.seen + 1 && change.seq - cursor.seen < 10_000 {
            for missing in cursor.seen + 1..change.seq {
                cursor.gaps.insert(missing, now);
            }
        }
        cursor.seen = cursor.seen.max(change.seq);
    }
    cursor
        .gaps
        .retain(|_, first_seen| now.duration_since(*first_seen) < GAP_PATIENCE);
    batch.extend(fresh);
    if batch.is_empty() {
        return Ok(0);
    }
    let mut dataset_ids: Vec<String> = Vec::new();
    let mut org_ids: Vec<String> = Vec::new();
    for change in &batch {
        match change.kind.as_str() {
            crate::datasets::CHANGE_KIND => dataset_ids.push(change.entity_id.clone()),
            crate::organizations::CHANGE_KIND => org_ids.push(change.entity_id.clone()),
            _ => {}
        }
    }
    dataset_ids.sort();
    dataset_ids.dedup();
    org_ids.sort();
    org_ids.dedup();
    let orgs = organizations::find_many(&app.db, &org_ids).await?;
    let mut renamed: Vec<String> = Vec::new();
    for org in &orgs {
        if org_names.get(&org.id) != Some(&org.name) {
            renamed.push(org.id.clone());
            org_names.insert(org.id.clone(), org.name.clone());
        }
    }
    {
        let index = index.clone();
        let present: HashSet<String> = orgs.iter().map(|o| o.id.clone()).collect();
        let gone: Vec<String> = org_ids
            .into_iter()
            .filter(|id| !present.contains(id))
            .collect();
        blocking(move || {
            for org in &orgs {
                index.upsert_organization(org)?;
            }
            for id in &gone {
                index.delete(id)?;
            }
            Ok(())
        })
        .await?;
    }
    // A renamed organization's datasets are found by its new name.
    for org_id in renamed {
        dataset_ids.extend(datasets::ids_of_organization(&app.db, &org_id).await?);
    }
    dataset_ids.sort();
    dataset_ids.dedup();
    index_datasets(app, index, &dataset_ids, org_names).await?;
    let state = IndexState {
        seq: cursor.durable(),
        seen: cursor.seen,
        schema: 0,
        complete: true,
    };
    let committed = index.clone();
    blocking(move || committed.commit(state)).await?;
    Ok(batch.len())
}

/// Whether the index has read every change recorded so far (tests and `portail reindex`
/// wait on it).
pub async fn caught_up(app: &App) -> AppResult<bool> {
    let index = index(app)?;
    let state = index.state().map_err(internal)?;
    let last = changes::last_seq(&app.db).await?;
    Ok(state.complete && state.seq.max(state.seen) >= last)
}

/// Keeps `index` in step with the database until the task is dropped: rebuilds it first when
/// it is not a complete index (new, or left by an interrupted rebuild), then applies every
/// change of the outbox.
pub async fn follow_changes(app: App, index: Arc<SearchIndex>) {
    let mut cursor = Cursor::default();
    let state = index.state().unwrap_or_default();
    match state.complete {
        true => {
            cursor.seen = state.seq;
            let warmed = index.clone();
            if let Err(e) = blocking(move || warmed.warm()).await {
                warn!(error = %e, "cannot prepare the search index's facets");
            }
        }
        false => loop {
            info!("building the search index from the database");
            let started = Instant::now();
            let report = |done: u64, total: u64| {
                if done > 0 && done.is_multiple_of(50_000) {
                    info!(done, total, "indexing datasets");
                }
            };
            match rebuild(&app, &index, &report).await {
                Ok(state) => {
                    info!(
                        documents = index.num_docs(),
                        duration_ms = started.elapsed().as_millis() as u64,
                        "search index built"
                    );
                    cursor.seen = state.seq;
                    break;
                }
                Err(e) => {
                    warn!(error = %e, "cannot build the search index; retrying in 10 s");
                    tokio::time::sleep(Duration::from_secs(10)).await;
                }
            }
        },
    }
    let mut org_names = HashMap::new();
    let mut failures = 0u32;
    loop {
        match apply_changes(&app, &index, &mut cursor, &mut org_names).await {
            // More may be waiting: go on at once.
            Ok(n) if n >= 1000 => continue,
            Ok(_) => failures = 0,
            Err(e) => {
                failures += 1;
                if failures == 1 || failures.is_multiple_of(100) {
                    warn!(error = %e, failures, "cannot update the search index; retrying");
                }
            }
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_durable_position_waits_for_the_oldest_gap() {
        let mut cursor = Cursor {
            seen: 10,
            gaps: BTreeMap::new(),
        };
        assert_eq!(cursor.durable(), 10);
        cursor.gaps.insert(7, Instant::now());
        cursor.gaps.insert(9, Instant::now());
        assert_eq!(cursor.durable(), 6);
    }
}

//! Full-text search of Portail on tantivy: the schema and its French/English analyzers, the
//! documents built from datasets and organizations, queries with filters, visibility, sorts and
//! facet counts, and title suggestions.
//!
//! The index is derived data: `portail_app` feeds it by following the database's `changes`
//! outbox, and records in each commit the last change it applied, so that a restarted node
//! resumes where it stopped and a missing, corrupt or outdated index is rebuilt from the
//! database. Nothing here reads the database.

pub mod document;
pub mod facets;
pub mod query;
pub mod ranking;
pub mod schema;

use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{EnableScoring, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, Term};

pub use document::{DatasetDoc, epoch_days, organization_document};
pub use facets::{FACETS, FacetCounts};
pub use query::{Audience, HiddenFilter, SearchQuery, Sort, SortKey};
pub use ranking::Ranking;
use schema::Fields;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index lock poisoned")]
    Poisoned,
    #[error(
        "the search index in {0} is in use by another Portail process: each process needs its own \
         index folder (set PORTAIL_INDEX_DIR or --index-dir), or stop the other one"
    )]
    Locked(String),
}

/// Result type of this crate.
pub type SearchResult<T> = Result<T, SearchError>;

/// What the index records in each commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IndexState {
    /// Every change up to this outbox sequence number is in the index.
    pub seq: i64,
    /// The highest sequence number read (above `seq` when some numbers below it were skipped
    /// and are still awaited).
    #[serde(default)]
    pub seen: i64,
    /// The schema version the index was built with ([`schema::SCHEMA_VERSION`]).
    pub schema: u32,
    /// False while a rebuild from the database is under way: a rebuild interrupted by a crash
    /// starts again.
    pub complete: bool,
}

/// How an index folder was found at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A complete index, up to date with the changes up to `seq`.
    Ready(IndexState),
    /// A new empty index (none was there, or the one there was unusable, for this reason):
    /// it must be rebuilt from the database.
    NeedsRebuild(String),
}

/// One page of dataset hits.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    /// Dataset ids, in order.
    pub ids: Vec<String>,
    /// How many datasets match in all.
    pub total: usize,
    pub facets: FacetCounts,
}

/// A title suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub acronym: Option<String>,
    pub score: f32,
}

/// The search index of a node.
pub struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    /// Bumped by every commit: cached search answers are keyed by it.
    commits: std::sync::atomic::AtomicU64,
    /// Facet values and public datasets of each segment.
    segments: std::sync::Arc<facets::SegmentCache>,
    /// Bit sets reused by relevance searches.
    bitsets: ranking::BitSetPool,
    /// The state of the last commit that searches see (set after the reader reloads, so that
    /// "caught up" never runs ahead of what a search returns).
    visible: Mutex<IndexState>,
}

/// Memory of the indexing buffer while serving: small, commits are frequent.
pub const SERVE_WRITER_MEMORY: usize = 50_000_000;

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing; an index that cannot be opened, was
    /// built with another schema version or by an interrupted rebuild is wiped and recreated
    /// empty ([`Opened::NeedsRebuild`]).
    pub fn open(dir: &Path, writer_memory: usize) -> SearchResult<(SearchIndex, Opened)> {
        std::fs::create_dir_all(dir)?;
        match Self::open_existing(dir, writer_memory) {
            Ok(Some((index, state, same_fields))) => {
                let current = schema::SCHEMA_VERSION;
                let reason = match (state.schema == current, same_fields, state.complete) {
                    (true, true, true) => return Ok((index, Opened::Ready(state))),
                    (true, true, false) => "the last rebuild did not finish".to_owned(),
                    (false, _, _) => format!(
                        "it was built with schema version {} (this version uses {current})",
                        state.schema
                    ),
                    (true, false, _) => {
                        format!("its fields are not those of schema version {current}")
                    }
                };
                drop(index);
                Self::recreate(dir, writer_memory, reason)
            }
            Ok(None) => Self::recreate(dir, writer_memory, "there was no index".to_owned()),
            // Another process writes to this index: never wipe it from under it.
            Err(SearchError::Index(tantivy::TantivyError::LockFailure(..))) => {
                Err(SearchError::Locked(dir.display().to_string()))
            }
            Err(e) => Self::recreate(dir, writer_memory, format!("it could not be opened ({e})")),
        }
    }

    /// The index in `dir` (its writer lock taken, so that it is never wiped from under another
    /// process), the state its last commit recorded, and whether its fields are this version's.
    fn open_existing(
        dir: &Path,
        writer_memory: usize,
    ) -> SearchResult<Option<(SearchIndex, IndexState, bool)>> {
        let directory = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        if !Index::exists(&directory).map_err(tantivy::TantivyError::from)? {
            return Ok(None);
        }
        let index = Index::open(directory)?;
        let same_fields = index.schema() == schema::build().0;
        let index = Self::wrap(index, writer_memory)?;
        let state = index.state()?;
        Ok(Some((index, state, same_fields)))
    }

    fn recreate(
        dir: &Path,
        writer_memory: usize,
        reason: String,
    ) -> SearchResult<(SearchIndex, Opened)> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                std::fs::remove_dir_all(&path)?;
            } else {
                std::fs::remove_file(&path)?;
            }
        }
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(dir, schema)?;
        Ok((
            Self::wrap(index, writer_memory)?,
            Opened::NeedsRebuild(reason),
        ))
    }

    /// An index in memory (tests, benchmarks of the query path).
    pub fn in_ram() -> SearchResult<SearchIndex> {
        let (schema, _) = schema::build();
        Self::wrap(Index::create_in_ram(schema), SERVE_WRITER_MEMORY)
    }

    fn wrap(index: Index, writer_memory: usize) -> SearchResult<SearchIndex> {
        schema::register_analyzers(&index);
        let (_, fields) = schema::build();
        let threads = if writer_memory > SERVE_WRITER_MEMORY {
            2
        } else {
            1
        };
        let writer =
            index.writer_with_num_threads(threads, writer_memory.max(15_000_000 * threads))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let visible = index
            .load_metas()?
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        Ok(SearchIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(writer),
            commits: std::sync::atomic::AtomicU64::new(0),
            segments: std::sync::Arc::new(facets::SegmentCache::new(fields)),
            bitsets: ranking::BitSetPool::default(),
            visible: Mutex::new(visible),
        })
    }

    /// The state recorded by the last commit that searches see.
    pub fn state(&self) -> SearchResult<IndexState> {
        Ok(*self.visible.lock().map_err(|_| SearchError::Poisoned)?)
    }

    /// Adds or replaces datasets (by id). Visible to searches after the next [`commit`].
    ///
    /// [`commit`]: SearchIndex::commit
    pub fn upsert_datasets(&self, docs: &[DatasetDoc<'_>]) -> SearchResult<()> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for doc in docs {
            writer.delete_term(Term::from_field_text(self.fields.id, &doc.dataset.id));
            writer.add_document(doc.to_document(&self.fields))?;
        }
        Ok(())
    }

    /// Adds or replaces an organization.
    pub fn upsert_organization(&self, org: &portail_core::model::Organization) -> SearchResult<()> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.delete_term(Term::from_field_text(self.fields.id, &org.id));
        writer.add_document(organization_document(&self.fields, org))?;
        Ok(())
    }

    /// Removes a document (a purged dataset or organization).
    pub fn delete(&self, id: &str) -> SearchResult<()> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.delete_term(Term::from_field_text(self.fields.id, id));
        Ok(())
    }

    /// Removes every document (start of a rebuild).
    pub fn clear(&self) -> SearchResult<()> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes the pending writes durable and visible, recording `state`.
    pub fn commit(&self, state: IndexState) -> SearchResult<()> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let state = IndexState {
            schema: schema::SCHEMA_VERSION,
            ..state
        };
        let payload = serde_json::to_string(&state).unwrap_or_default();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.segments
            .refresh(self.reader.searcher().segment_readers())?;
        *self.visible.lock().map_err(|_| SearchError::Poisoned)? = state;
        self.commits
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Ok(())
    }

    /// Prepares what searches need in memory (the facet values, public datasets and ids of every
    /// segment), so that the first searches after a start do not pay for it.
    pub fn warm(&self) -> SearchResult<()> {
        self.segments
            .refresh(self.reader.searcher().segment_readers())?;
        Ok(())
    }

    /// Changes whenever what searches see changes (a count of commits).
    pub fn generation(&self) -> u64 {
        self.commits.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Number of documents visible to searches (datasets and organizations).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Runs a dataset search: a page of ids, the total, and the facets asked for.
    pub fn search(&self, query: &SearchQuery, facets: &[&'static str]) -> SearchResult<Hits> {
        let (hits, _) = self.run(query, facets, Ranking::Auto)?;
        Ok(hits)
    }

    /// The page of a search with each hit's score, ranked the way `ranking` says (tests check
    /// that every way agrees).
    #[doc(hidden)]
    pub fn scored(
        &self,
        query: &SearchQuery,
        facets: &[&'static str],
        ranking: Ranking,
    ) -> SearchResult<(Hits, Vec<f32>)> {
        self.run(query, facets, ranking)
    }

    fn run(
        &self,
        query: &SearchQuery,
        facets: &[&'static str],
        ranking_way: Ranking,
    ) -> SearchResult<(Hits, Vec<f32>)> {
        let searcher = self.reader.searcher();
        let public = query.public_only();
        let limit = query.page_size.max(1);
        let offset = query.page.saturating_sub(1) * query.page_size;
        let facet_collector = facets::FacetCollector {
            facets: FACETS
                .iter()
                .enumerate()
                .filter(|(_, (name, _))| facets.contains(name))
                .map(|(i, _)| i)
                .collect(),
            cache: self.segments.clone(),
        };
        let top = TopDocs::with_limit(limit).and_offset(offset);
        let sort = query.effective_sort();
        let order = if sort.descending {
            Order::Desc
        } else {
            Order::Asc
        };
        let mut scores = Vec::new();
        let ranking = match ranking_way {
            Ranking::OnePass => None,
            Ranking::Auto if self.one_pass_cheaper(&searcher, query) => None,
            _ => query.ranking_terms(&self.index, &self.fields),
        };
        // Scores only come from this query when the relevance order has no ranking pass.
        let scored = sort.key == SortKey::Relevance && ranking.is_none();
        let tantivy_query = query.to_query(&self.index, &self.fields, public, scored);
        let q: &dyn Query = tantivy_query.as_ref();
        let (addresses, total, counts): (Vec<DocAddress>, usize, FacetCounts) = match sort.key {
            SortKey::Relevance => match ranking {
                // Two passes (see `ranking`): everything but the order without scoring, then
                // the page with pruning.
                Some(words) => {
                    let collect_matches = ranking::Matches {
                        pool: &self.bitsets,
                    };
                    let (total, counts, matches) = self.collect(
                        &searcher,
                        q,
                        public,
                        (Count, facet_collector, collect_matches),
                    )?;
                    let scoring = EnableScoring::enabled_from_searcher(&searcher);
                    let terms = words
                        .iter()
                        .map(|t| t.weight(scoring))
                        .collect::<tantivy::Result<Vec<_>>>()?;
                    let top = ranking::FilteredTop {
                        limit: offset + limit,
                        matches: std::sync::Arc::new(matches),
                        terms,
                        way: ranking_way,
                    };
                    let best = searcher.search(query::union_of(&words).as_ref(), &top)?;
                    if let Ok(matches) = std::sync::Arc::try_unwrap(top.matches) {
                        self.bitsets.give_back(matches);
                    }
                    let page = best.into_iter().skip(offset);
                    let (page_scores, page): (Vec<f32>, Vec<DocAddress>) = page.unzip();
                    scores = page_scores;
                    (page, total, counts)
                }
                None => {
                    let (total, top, counts) = self.collect(
                        &searcher,
                        q,
                        public,
                        (Count, top.order_by_score(), facet_collector),
                    )?;
                    let (page_scores, page): (Vec<f32>, Vec<DocAddress>) = top.into_iter().unzip();
                    scores = page_scores;
                    (page, total, counts)
                }
            },
            SortKey::Title => {
                let (total, top, counts) = self.collect(
                    &searcher,
                    q,
                    public,
                    (
                        Count,
                        top.order_by_string_fast_field("title_sort", order),
                        facet_collector,
                    ),
                )?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
            key => {
                let field = match key {
                    SortKey::Created => "created",
                    SortKey::LastUpdate => "last_update",
                    SortKey::Views => "views",
                    SortKey::Downloads => "downloads",
                    SortKey::Followers => "followers",
                    _ => "reuses",
                };
                let (total, top, counts) = self.collect(
                    &searcher,
                    q,
                    public,
                    (
                        Count,
                        top.order_by_fast_field::<i64>(field, order),
                        facet_collector,
                    ),
                )?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
        };
        Ok((
            Hits {
                ids: self.ids(&searcher, &addresses)?,
                total,
                facets: counts,
            },
            scores,
        ))
    }

    /// Whether one scored pass ranks `query` more cheaply than two (see [`ranking`]): one word
    /// seen by anyone, with no filter that keeps fewer than one document in
    /// [`ranking::SELECTIVE`].
    fn one_pass_cheaper(&self, searcher: &Searcher, query: &SearchQuery) -> bool {
        if !query.public_only() || !query.is_one_word() {
            return false;
        }
        let Some(filters) = query.filter_terms(&self.fields) else {
            return false;
        };
        let documents = searcher.num_docs();
        filters.iter().all(|term| {
            searcher
                .doc_freq(term)
                .is_ok_and(|n| n.saturating_mul(ranking::SELECTIVE) > documents)
        })
    }

    /// Runs `collector` on the matches of `query`, only on public datasets when `public` (the
    /// query then has no visibility clauses, see [`SearchQuery::public_only`]).
    fn collect<C: tantivy::collector::Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        public: bool,
        collector: C,
    ) -> tantivy::Result<C::Fruit> {
        if public {
            searcher.search(
                query,
                &facets::PublicOnly {
                    inner: collector,
                    cache: self.segments.clone(),
                },
            )
        } else {
            searcher.search(query, &collector)
        }
    }

    fn ids(&self, searcher: &Searcher, addresses: &[DocAddress]) -> SearchResult<Vec<String>> {
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let reader = searcher.segment_reader(address.segment_ord);
            if let Some(id) = self.segments.id(reader, address.doc_id)? {
                ids.push(id);
                continue;
            }
            let doc: tantivy::TantivyDocument = searcher.doc(*address)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                ids.push(id.to_owned());
            }
        }
        Ok(ids)
    }

    /// Titles of public datasets that start like `q` (the last word as a prefix), best first.
    pub fn suggest(&self, q: &str, size: usize) -> SearchResult<Vec<Suggestion>> {
        self.suggest_kind(q, size, document::KIND_DATASET)
    }

    /// Organization names that start like `q`.
    pub fn suggest_organizations(&self, q: &str, size: usize) -> SearchResult<Vec<Suggestion>> {
        self.suggest_kind(q, size, document::KIND_ORGANIZATION)
    }

    fn suggest_kind(&self, q: &str, size: usize, kind: &str) -> SearchResult<Vec<Suggestion>> {
        let Some(query) = query::suggest_query(&self.index, &self.fields, q, kind) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(size.max(1)).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: tantivy::TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            out.push(Suggestion {
                id: text(self.fields.id).unwrap_or_default(),
                slug: text(self.fields.slug).unwrap_or_default(),
                title: text(self.fields.title).unwrap_or_default(),
                acronym: text(self.fields.acronym_stored),
                score,
            });
        }
        Ok(out)
    }

    /// Organizations matching `q` (best first): a page of ids and the total.
    pub fn search_organizations(
        &self,
        q: &str,
        page: usize,
        page_size: usize,
    ) -> SearchResult<(Vec<String>, usize)> {
        let searcher = self.reader.searcher();
        let query = query::organization_query(&self.index, &self.fields, q);
        let top = TopDocs::with_limit(page_size.max(1))
            .and_offset(page.saturating_sub(1) * page_size)
            .order_by_score();
        let (total, top) = searcher.search(&query, &(Count, top))?;
        let addresses: Vec<DocAddress> = top.into_iter().map(|(_, a)| a).collect();
        Ok((self.ids(&searcher, &addresses)?, total))
    }
}

//! Facet counts: how many matching datasets have each value of a field, counted in the same
//! pass as the hits (no second query), and the set of public datasets of each segment.
//!
//! Reading the fields' columns for every hit costs tens of nanoseconds per hit and field
//! (optional-index rank, bit unpacking, multi-value ranges): at a million datasets, a common
//! word matches tens of thousands of them and the columns dominated the search time. So the
//! facet values of each segment are decoded once (a segment never changes once written),
//! cached by segment id, and counting a hit is one offset and one short run of numbers.
//!
//! Values are numbered once for the whole index ([`Slots`]), all facets in one numbering, not
//! per segment: a document's values of every facet sit side by side (one cache line rather
//! than one or two per facet), every segment counts into one array indexed alike, merging
//! segments is adding arrays, and only the values that make the top of a facet become
//! strings.
//!
//! The same cache holds each segment's public datasets ([`PublicOnly`]), what an anonymous
//! visitor may see.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED, Term};

use portail_core::ids::{pack_object_id, unpack_object_id};

use crate::document::{HIDDEN_ARCHIVED, HIDDEN_DELETED, HIDDEN_PRIVATE, KIND_ORGANIZATION};
use crate::schema::Fields;

/// The facets a dataset search can count, by wire name and index field name.
pub const FACETS: &[(&str, &str)] = &[
    ("organization", "organization_id"),
    ("tags", "tags"),
    ("license", "license"),
    ("format", "format"),
    ("format_family", "format_family"),
    ("frequency", "frequency"),
    ("granularity", "granularity"),
    ("badge", "badges"),
];

/// Values returned per facet, most frequent first (the rest are counted, not returned).
pub const FACET_VALUES: usize = 50;

/// Counts per value, most frequent first (ties by value), for each requested facet.
pub type FacetCounts = HashMap<&'static str, Vec<(String, u64)>>;

/// Every facet value met in any segment, each with a number (its slot) that never changes
/// while the index is open. Values of segments merged away keep their slot: facets have few
/// distinct values (organizations, tags, licenses...), so this is bounded by the catalog's
/// vocabulary, not by its size.
#[derive(Default)]
struct Slots {
    numbers: HashMap<(u8, Box<str>), u32>,
    /// The facet (index into [`FACETS`]) and value of each slot.
    names: Vec<(u8, Box<str>)>,
}

impl Slots {
    fn slot(&mut self, facet: u8, value: &[u8]) -> u32 {
        let key = (facet, Box::<str>::from(String::from_utf8_lossy(value)));
        if let Some(&n) = self.numbers.get(&key) {
            return n;
        }
        let n = self.names.len() as u32;
        self.names.push(key.clone());
        self.numbers.insert(key, n);
        n
    }
}

/// The facet values of every document of a segment, as slots: those of document `d` are
/// `slots[starts[d]..starts[d + 1]]`, all facets together. Counting a document reads one
/// offset and one short run of slots, instead of one or two arrays per facet (a cache miss
/// each at a million documents).
enum Rows {
    /// Slots below 65 536 (the usual case): half the memory.
    Narrow {
        starts: Vec<u32>,
        slots: Vec<u16>,
    },
    Wide {
        starts: Vec<u32>,
        slots: Vec<u32>,
    },
}

impl Rows {
    fn decode(reader: &SegmentReader, numbers: &mut Slots) -> tantivy::Result<Rows> {
        let max_doc = reader.max_doc() as usize;
        // Per facet: each segment ordinal's slot, and the column.
        let mut columns = Vec::new();
        for (facet, (_, field)) in FACETS.iter().enumerate() {
            let Some(column) = reader.fast_fields().str(field)? else {
                continue;
            };
            let mut slots: Vec<u32> = Vec::with_capacity(column.num_terms());
            let all: Vec<u64> = (0..column.num_terms() as u64).collect();
            column.dictionary().sorted_ords_to_term_cb(&all, |bytes| {
                slots.push(numbers.slot(facet as u8, bytes));
            })?;
            columns.push((column, slots));
        }
        let mut starts = Vec::with_capacity(max_doc + 1);
        let mut all: Vec<u32> = Vec::with_capacity(max_doc * 8);
        starts.push(0);
        for doc in 0..max_doc as DocId {
            for (column, slots) in &columns {
                all.extend(
                    column
                        .term_ords(doc)
                        .filter_map(|o| slots.get(o as usize).copied()),
                );
            }
            starts.push(all.len() as u32);
        }
        Ok(if numbers.names.len() <= usize::from(u16::MAX) + 1 {
            Rows::Narrow {
                starts,
                slots: all.into_iter().map(|s| s as u16).collect(),
            }
        } else {
            Rows::Wide { starts, slots: all }
        })
    }

    /// Adds the values of each of `docs` to `counts` (one per slot; slots beyond are ignored).
    #[inline]
    fn count(&self, docs: &[DocId], counts: &mut [u32]) {
        fn add<S: Copy + Into<u32>>(
            starts: &[u32],
            slots: &[S],
            docs: &[DocId],
            counts: &mut [u32],
        ) {
            // In steps: first every document's run, then the counting. The runs' reads do not
            // wait on one another, so their cache misses overlap; reading a run then counting
            // it, document after document, waits on each miss in turn.
            let mut runs = [(0u32, 0u32); 64];
            for chunk in docs.chunks(runs.len()) {
                for (run, &doc) in runs.iter_mut().zip(chunk) {
                    let doc = doc as usize;
                    *run = match (starts.get(doc), starts.get(doc + 1)) {
                        (Some(&start), Some(&end)) => (start, end),
                        _ => (0, 0),
                    };
                }
                // Then touch each run's ends, again without waiting: the counting below finds
                // them in cache (a run may straddle two cache lines).
                let mut touched = 0u32;
                for &(start, end) in runs.iter().take(chunk.len()) {
                    if end > start {
                        let first = slots.get(start as usize).map_or(0, |&s| s.into());
                        let last = slots.get(end as usize - 1).map_or(0, |&s| s.into());
                        touched ^= first ^ last;
                    }
                }
                std::hint::black_box(touched);
                for &(start, end) in runs.iter().take(chunk.len()) {
                    for &slot in slots.get(start as usize..end as usize).unwrap_or_default() {
                        if let Some(n) = counts.get_mut(slot.into() as usize) {
                            *n += 1;
                        }
                    }
                }
            }
        }
        match self {
            Rows::Narrow { starts, slots } => add(starts, slots, docs, counts),
            Rows::Wide { starts, slots } => add(starts, slots, docs, counts),
        }
    }
}

/// What searches keep about a segment: the facet values of its documents, and the documents
/// anyone may see.
struct SegmentValues {
    rows: Rows,
    /// One more than the highest slot used in this segment.
    bound: usize,
    /// Datasets neither private, deleted nor archived (organizations are not in it).
    public: BitSet,
    /// Each document's id, packed ([`pack_object_id`]); `None` for an id of another shape.
    ids: Vec<Option<[u8; 12]>>,
}

/// The id of every document of a segment, read from the id field's terms (one short list of
/// documents each), so that a page of hits does not decompress a block of the document store
/// per hit (measured: 3.5 % of a search request's CPU at a million datasets).
fn segment_ids(reader: &SegmentReader, f: &Fields) -> tantivy::Result<Vec<Option<[u8; 12]>>> {
    let mut ids = vec![None; reader.max_doc() as usize];
    let inverted = reader.inverted_index(f.id)?;
    let mut terms = inverted.terms().stream()?;
    while terms.advance() {
        let packed = std::str::from_utf8(terms.key())
            .ok()
            .and_then(pack_object_id);
        let Some(packed) = packed else {
            continue;
        };
        let mut postings =
            inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if let Some(id) = ids.get_mut(doc as usize) {
                *id = Some(packed);
            }
            doc = postings.advance();
        }
    }
    Ok(ids)
}

/// The documents of a segment that are public datasets (deleted or not): all but the
/// organizations and the private, deleted or archived datasets.
fn public_datasets(reader: &SegmentReader, f: &Fields) -> tantivy::Result<BitSet> {
    let mut set = BitSet::with_max_value_and_full(reader.max_doc());
    let not_public = [
        (f.kind, KIND_ORGANIZATION),
        (f.hidden, HIDDEN_PRIVATE),
        (f.hidden, HIDDEN_DELETED),
        (f.hidden, HIDDEN_ARCHIVED),
    ];
    for (field, value) in not_public {
        let term = Term::from_field_text(field, value);
        let Some(mut postings) = reader
            .inverted_index(field)?
            .read_postings(&term, IndexRecordOption::Basic)?
        else {
            continue;
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            set.remove(doc);
            doc = postings.advance();
        }
    }
    Ok(set)
}

/// What searches keep about each segment ([`SegmentValues`]), by id (segments no longer
/// searched are dropped), and the facet value slots.
pub struct SegmentCache {
    fields: Fields,
    segments: Mutex<HashMap<SegmentId, Arc<SegmentValues>>>,
    slots: RwLock<Slots>,
}

impl SegmentCache {
    pub fn new(fields: Fields) -> SegmentCache {
        SegmentCache {
            fields,
            segments: Mutex::default(),
            slots: RwLock::default(),
        }
    }

    fn get(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentValues>> {
        let id = reader.segment_id();
        if let Some(found) = self.segments.lock().ok().and_then(|c| c.get(&id).cloned()) {
            return Ok(found);
        }
        let decoded = {
            let mut slots = self.slots.write().map_err(|_| {
                tantivy::TantivyError::InternalError("facet values poisoned".into())
            })?;
            let rows = Rows::decode(reader, &mut slots)?;
            Arc::new(SegmentValues {
                rows,
                bound: slots.names.len(),
                public: public_datasets(reader, &self.fields)?,
                ids: segment_ids(reader, &self.fields)?,
            })
        };
        if let Ok(mut cache) = self.segments.lock() {
            cache.insert(id, decoded.clone());
        }
        Ok(decoded)
    }

    /// The id of document `doc` of a segment, when it is an object id (`None`: read the
    /// document store).
    pub fn id(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Option<String>> {
        let values = self.get(reader)?;
        Ok(values
            .ids
            .get(doc as usize)
            .copied()
            .flatten()
            .map(|packed| unpack_object_id(&packed)))
    }

    /// Keeps exactly the segments searched now: forgets those merged away, decodes new ones
    /// (so that the first search after a commit does not pay for it).
    pub fn refresh(&self, readers: &[SegmentReader]) -> tantivy::Result<()> {
        let live: Vec<SegmentId> = readers.iter().map(SegmentReader::segment_id).collect();
        if let Ok(mut cache) = self.segments.lock() {
            cache.retain(|id, _| live.contains(id));
        }
        for reader in readers {
            self.get(reader)?;
        }
        Ok(())
    }

    /// The `limit` most frequent values (ties by value) of each of `facets`, from counts by
    /// slot.
    fn top(&self, facets: &[usize], counts: &[u32], limit: usize) -> FacetCounts {
        let mut found: Vec<Vec<(&str, u64)>> = vec![Vec::new(); FACETS.len()];
        let Ok(slots) = self.slots.read() else {
            return FacetCounts::new();
        };
        for (slot, &n) in counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            if let Some((facet, name)) = slots.names.get(slot)
                && let Some(values) = found.get_mut(usize::from(*facet))
            {
                values.push((name, u64::from(n)));
            }
        }
        let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        facets
            .iter()
            .filter_map(|&facet| {
                let mut values = std::mem::take(found.get_mut(facet)?);
                if values.len() > limit && limit > 0 {
                    values.select_nth_unstable_by(limit - 1, order);
                }
                values.truncate(limit);
                values.sort_unstable_by(order);
                let values = values
                    .into_iter()
                    .map(|(name, n)| (name.to_owned(), n))
                    .collect();
                Some((FACETS[facet].0, values))
            })
            .collect()
    }
}

/// Counts the values of the requested facets over the matching documents.
pub struct FacetCollector {
    /// Indexes into [`FACETS`].
    pub facets: Vec<usize>,
    pub cache: Arc<SegmentCache>,
}

/// Counts by slot, of one segment.
pub struct SegmentCounts(Vec<u32>);

/// Per-segment counts (none kept when no facet is asked for).
pub struct FacetSegmentCollector {
    values: Option<Arc<SegmentValues>>,
    counts: Vec<u32>,
    /// Documents collected one at a time (a scored search), counted [`PENDING`] at a time:
    /// [`Rows::count`] overlaps the cache misses of a block, one document alone waits on each
    /// (measured: a phrase's facets cost four times more counted document by document).
    pending: Vec<DocId>,
}

/// Documents kept before they are counted, in a scored search.
const PENDING: usize = 64;

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        if self.facets.is_empty() {
            return Ok(FacetSegmentCollector {
                values: None,
                counts: Vec::new(),
                pending: Vec::new(),
            });
        }
        let values = self.cache.get(reader)?;
        Ok(FacetSegmentCollector {
            counts: vec![0; values.bound],
            values: Some(values),
            pending: Vec::with_capacity(PENDING),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentCounts>) -> tantivy::Result<FacetCounts> {
        let mut total: Vec<u32> = Vec::new();
        for SegmentCounts(counts) in segments {
            if total.len() < counts.len() {
                total.resize(counts.len(), 0);
            }
            for (t, n) in total.iter_mut().zip(counts) {
                *t += n;
            }
        }
        Ok(self.cache.top(&self.facets, &total, FACET_VALUES))
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(values) = &self.values {
            self.pending.push(doc);
            if self.pending.len() >= PENDING {
                values.rows.count(&self.pending, &mut self.counts);
                self.pending.clear();
            }
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if let Some(values) = &self.values {
            values.rows.count(docs, &mut self.counts);
        }
    }

    fn harvest(mut self) -> SegmentCounts {
        if let Some(values) = &self.values {
            values.rows.count(&self.pending, &mut self.counts);
        }
        SegmentCounts(self.counts)
    }
}

/// Runs a collector on the public datasets only: what an anonymous search sees, read from the
/// segment's cached set ([`SegmentValues::public`]) instead of four exclusion clauses in the
/// query, which cost a seek each for every matching document.
pub struct PublicOnly<C> {
    pub inner: C,
    pub cache: Arc<SegmentCache>,
}

/// [`PublicOnly`]'s segment collector (never used: it collects in `collect_segment`).
pub struct PublicSegment<C>(C);

impl<C: SegmentCollector> SegmentCollector for PublicSegment<C> {
    type Fruit = C::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.0.collect(doc, score);
    }

    fn harvest(self) -> C::Fruit {
        self.0.harvest()
    }
}

impl<C: Collector> Collector for PublicOnly<C> {
    type Fruit = C::Fruit;
    type Child = PublicSegment<C::Child>;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(PublicSegment(self.inner.for_segment(segment, reader)?))
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        segments: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(segments)
    }

    /// The weight's matches, minus deleted documents and those not public, in blocks when
    /// nothing is scored.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<<C::Child as SegmentCollector>::Fruit> {
        let values = self.cache.get(reader)?;
        let public = &values.public;
        let alive = reader.alive_bitset();
        let visible = |doc: DocId| public.contains(doc) && alive.is_none_or(|a| a.is_alive(doc));
        let mut child = self.inner.for_segment(segment, reader)?;
        if self.inner.requires_scoring() {
            weight.for_each(reader, &mut |doc, score| {
                if visible(doc) {
                    child.collect(doc, score);
                }
            })?;
        } else {
            let mut kept: Vec<DocId> = Vec::with_capacity(64);
            weight.for_each_no_score(reader, &mut |docs| {
                kept.clear();
                kept.extend(docs.iter().copied().filter(|&doc| visible(doc)));
                child.collect_block(&kept);
            })?;
        }
        Ok(child.harvest())
    }
}

//! Facet counts: how many matching datasets have each value of a field, counted in the same
//! pass as the hits (no second query).
//!
//! Reading the fields' columns for every hit costs tens of nanoseconds per hit and field
//! (optional-index rank, bit unpacking, multi-value ranges): at a million datasets, a common
//! word matches hundreds of thousands of them and the columns dominated the search time. So the
//! facet values of each segment are decoded once into flat arrays (a segment never changes once
//! written), cached by segment id, and counting a hit is a few array reads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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

/// Counts per value, for each requested facet.
pub type FacetCounts = HashMap<&'static str, Vec<(String, u64)>>;

/// One field of one segment, decoded: the values of each document, as indexes into `terms`.
struct FieldValues {
    layout: Layout,
    terms: Vec<String>,
}

/// How the values of a field's documents are laid out.
enum Layout {
    /// At most one value per document (organization, license, frequency...): `ords[d]`, or
    /// `u32::MAX` for none. One read per document instead of three.
    Single(Vec<u32>),
    /// Any number of values: those of document `d` are `ords[starts[d]..starts[d + 1]]`.
    Multi { starts: Vec<u32>, ords: Vec<u32> },
}

impl FieldValues {
    fn decode(reader: &SegmentReader, field: &str) -> tantivy::Result<FieldValues> {
        let max_doc = reader.max_doc();
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut ords = Vec::new();
        let mut terms = Vec::new();
        starts.push(0);
        if let Some(column) = reader.fast_fields().str(field)? {
            for doc in 0..max_doc {
                ords.extend(column.term_ords(doc).map(|o| o as u32));
                starts.push(ords.len() as u32);
            }
            let all: Vec<u64> = (0..column.num_terms() as u64).collect();
            column.dictionary().sorted_ords_to_term_cb(&all, |bytes| {
                terms.push(String::from_utf8_lossy(bytes).into_owned());
            })?;
        } else {
            starts.resize(max_doc as usize + 1, 0);
        }
        let single = starts.windows(2).all(|w| w[1] - w[0] <= 1);
        let layout = if single {
            Layout::Single(
                starts
                    .windows(2)
                    .map(|w| {
                        if w[1] > w[0] {
                            ords[w[0] as usize]
                        } else {
                            u32::MAX
                        }
                    })
                    .collect(),
            )
        } else {
            Layout::Multi { starts, ords }
        };
        Ok(FieldValues { layout, terms })
    }

    /// Adds document `doc`'s values to `counts` (one slot per term).
    #[inline]
    fn count(&self, doc: usize, counts: &mut [u64]) {
        match &self.layout {
            Layout::Single(ords) => {
                // `u32::MAX` (no value) is out of `counts`: skipped like any unknown ord.
                if let Some(n) = ords.get(doc).and_then(|&o| counts.get_mut(o as usize)) {
                    *n += 1;
                }
            }
            Layout::Multi { starts, ords } => {
                let (Some(&start), Some(&end)) = (starts.get(doc), starts.get(doc + 1)) else {
                    return;
                };
                for &ord in ords.get(start as usize..end as usize).unwrap_or_default() {
                    if let Some(n) = counts.get_mut(ord as usize) {
                        *n += 1;
                    }
                }
            }
        }
    }
}

/// The decoded facet fields of a segment, in [`FACETS`] order.
struct SegmentValues(Vec<FieldValues>);

/// Decoded segments, by id; segments no longer searched are dropped.
#[derive(Default)]
pub struct FacetCache(Mutex<HashMap<SegmentId, Arc<SegmentValues>>>);

impl FacetCache {
    fn get(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentValues>> {
        let id = reader.segment_id();
        if let Some(found) = self.0.lock().ok().and_then(|c| c.get(&id).cloned()) {
            return Ok(found);
        }
        let decoded = Arc::new(SegmentValues(
            FACETS
                .iter()
                .map(|(_, field)| FieldValues::decode(reader, field))
                .collect::<tantivy::Result<_>>()?,
        ));
        if let Ok(mut cache) = self.0.lock() {
            cache.insert(id, decoded.clone());
        }
        Ok(decoded)
    }

    /// Keeps exactly the segments searched now: forgets those merged away, decodes new ones
    /// (so that the first search after a commit does not pay for it).
    pub fn refresh(&self, readers: &[SegmentReader]) -> tantivy::Result<()> {
        let live: Vec<SegmentId> = readers.iter().map(SegmentReader::segment_id).collect();
        if let Ok(mut cache) = self.0.lock() {
            cache.retain(|id, _| live.contains(id));
        }
        for reader in readers {
            self.get(reader)?;
        }
        Ok(())
    }
}

/// Counts the values of the requested facets over the matching documents.
pub struct FacetCollector {
    /// Indexes into [`FACETS`].
    pub facets: Vec<usize>,
    pub cache: Arc<FacetCache>,
}

/// Per-segment counts, by term ordinal.
pub struct FacetSegmentCollector {
    values: Arc<SegmentValues>,
    /// (index into FACETS, counts by ordinal)
    counts: Vec<(usize, Vec<u64>)>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let values = if self.facets.is_empty() {
            Arc::new(SegmentValues(Vec::new()))
        } else {
            self.cache.get(reader)?
        };
        let counts = self
            .facets
            .iter()
            .filter_map(|&i| values.0.get(i).map(|f| (i, vec![0; f.terms.len()])))
            .collect();
        Ok(FacetSegmentCollector { values, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged: HashMap<&'static str, HashMap<String, u64>> = HashMap::new();
        for segment in segments {
            for (name, counts) in segment {
                let entry = merged.entry(name).or_default();
                for (value, n) in counts {
                    *entry.entry(value).or_default() += n;
                }
            }
        }
        Ok(merged
            .into_iter()
            .map(|(name, counts)| {
                let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
                counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (name, counts)
            })
            .collect())
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (i, counts) in &mut self.counts {
            if let Some(field) = self.values.0.get(*i) {
                field.count(doc as usize, counts);
            }
        }
    }

    /// A block of matches, facet by facet (each facet's arrays stay in cache for the block).
    fn collect_block(&mut self, docs: &[DocId]) {
        for (i, counts) in &mut self.counts {
            let Some(field) = self.values.0.get(*i) else {
                continue;
            };
            for &doc in docs {
                field.count(doc as usize, counts);
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::new();
        for (i, counts) in self.counts {
            let Some(field) = self.values.0.get(i) else {
                continue;
            };
            let values = counts
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .filter_map(|(ord, n)| Some((field.terms.get(ord)?.clone(), n)))
                .collect();
            out.insert(FACETS[i].0, values);
        }
        out
    }
}

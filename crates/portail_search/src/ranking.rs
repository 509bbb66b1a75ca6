//! Best-match-first pages at a million datasets, in two passes.
//!
//! A search sorted by relevance needs three things: the total, the facet counts and the best
//! page of hits. The first two need every matching document; the third does not. Computing
//! them in one pass scores every match (a common word matches hundreds of thousands of
//! datasets, each scored on six fields), and the query's filters and visibility clauses keep
//! tantivy from pruning. So:
//!
//! 1. the whole query (words, filters, visibility) runs **without scoring**, which tantivy does
//!    block by block, counting, counting facets and remembering the matches of each segment
//!    in a bit set ([`Matches`]);
//! 2. the words alone, as one union of term queries, run **with Block-WAND pruning** (skipping
//!    the blocks of documents that cannot enter the page), keeping only the documents of the
//!    bit set ([`FilteredTop`]).
//!
//! The two agree: filters and visibility never add to the score ([`crate::query`] makes them
//! constant-score zero), and for a document that has every word, the score of the union of all
//! the words' terms is the score of the conjunction (both sum the scores of the terms that
//! match). Phrases are not term unions: those queries keep the one-pass path.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{BitSet, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The matching documents of each segment, by segment ordinal.
#[derive(Default)]
pub struct MatchSets(Vec<Option<BitSet>>);

impl MatchSets {
    fn get(&self, segment: SegmentOrdinal) -> Option<&BitSet> {
        self.0.get(segment as usize).and_then(Option::as_ref)
    }
}

/// Bit sets kept from one relevance search to the next. A segment of a million documents
/// needs a set of 125 KiB; allocating it fresh for every query costs page faults and zeroing
/// by the kernel (about a tenth of the CPU of a search, measured), clearing a kept one is a
/// memset.
#[derive(Default)]
pub struct BitSetPool(std::sync::Mutex<Vec<BitSet>>);

/// Sets kept at most (a few per segment for concurrent searches).
const POOL_MAX: usize = 64;

impl BitSetPool {
    /// An empty set for documents up to `max_value`.
    fn take(&self, max_value: u32) -> BitSet {
        let kept = self.0.lock().ok().and_then(|mut pool| {
            let i = pool.iter().position(|s| s.max_value() == max_value)?;
            Some(pool.swap_remove(i))
        });
        match kept {
            Some(mut set) => {
                set.clear();
                set
            }
            None => BitSet::with_max_value(max_value),
        }
    }

    /// Keeps the sets of a finished search for the next ones.
    pub fn give_back(&self, sets: MatchSets) {
        if let Ok(mut pool) = self.0.lock() {
            for set in sets.0.into_iter().flatten() {
                if pool.len() >= POOL_MAX {
                    pool.remove(0);
                }
                pool.push(set);
            }
        }
    }
}

/// Collects the matching documents of each segment (never scores), in sets of `pool`.
pub struct Matches<'p> {
    pub pool: &'p BitSetPool,
}

/// The matches of one segment.
pub struct SegmentMatches {
    segment: SegmentOrdinal,
    set: BitSet,
}

impl Collector for Matches<'_> {
    type Fruit = MatchSets;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment,
            set: self.pool.take(reader.max_doc()),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<MatchSets>) -> tantivy::Result<MatchSets> {
        let mut merged: Vec<Option<BitSet>> = Vec::new();
        for MatchSets(sets) in segments {
            for (ord, set) in sets.into_iter().enumerate() {
                if let Some(set) = set {
                    if merged.len() <= ord {
                        merged.resize_with(ord + 1, || None);
                    }
                    merged[ord] = Some(set);
                }
            }
        }
        Ok(MatchSets(merged))
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = MatchSets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.set.insert(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.set.insert(doc);
        }
    }

    fn harvest(self) -> MatchSets {
        let mut sets: Vec<Option<BitSet>> = Vec::new();
        sets.resize_with(self.segment as usize + 1, || None);
        sets[self.segment as usize] = Some(self.set);
        MatchSets(sets)
    }
}

/// A hit in the heap: lower score first, then the later document (what is dropped first when
/// the heap is full, so that ties keep the earlier document as tantivy's `TopDocs` does).
#[derive(Clone, Copy)]
struct Hit {
    score: Score,
    doc: DocAddress,
}

impl PartialEq for Hit {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Hit {}

impl PartialOrd for Hit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Hit {
    /// "Greater" is "worse": the heap's top is the hit to drop.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| self.doc.cmp(&other.doc))
    }
}

/// The `limit` best-scoring documents among those of [`MatchSets`], best first, found with the
/// weight's pruning (Block-WAND on a union of terms).
pub struct FilteredTop {
    pub limit: usize,
    pub matches: Arc<MatchSets>,
}

/// Never used: [`FilteredTop`] collects a segment in `collect_segment`.
pub struct NoChild;

impl SegmentCollector for NoChild {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, _doc: DocId, _score: Score) {}

    fn harvest(self) -> Self::Fruit {
        Vec::new()
    }
}

impl Collector for FilteredTop {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = NoChild;

    fn for_segment(&self, _: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<NoChild> {
        Ok(NoChild)
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let (Some(allowed), true) = (self.matches.get(segment), self.limit > 0) else {
            return Ok(Vec::new());
        };
        let mut heap: BinaryHeap<Hit> = BinaryHeap::with_capacity(self.limit + 1);
        // Deleted documents never reach the bit set: it was filled by a regular collection.
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if allowed.contains(doc) {
                heap.push(Hit {
                    score,
                    doc: DocAddress::new(segment, doc),
                });
                if heap.len() > self.limit {
                    heap.pop();
                }
            }
            match heap.peek() {
                Some(worst) if heap.len() == self.limit => worst.score,
                _ => Score::MIN,
            }
        })?;
        Ok(heap
            .into_sorted_vec()
            .into_iter()
            .map(|h| (h.score, h.doc))
            .collect())
    }

    fn merge_fruits(&self, segments: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<Hit> = segments
            .into_iter()
            .flatten()
            .map(|(score, doc)| Hit { score, doc })
            .collect();
        all.sort();
        all.truncate(self.limit);
        Ok(all.into_iter().map(|h| (h.score, h.doc)).collect())
    }
}

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
//! 2. the words' terms rank the documents of the bit set ([`FilteredTop`]), in each segment
//!    the cheaper way: when the matches are few next to the terms' postings (two words seldom
//!    found together, a word and a filter), each match is **scored directly**; otherwise the
//!    union of the terms runs **with Block-WAND pruning** (skipping the blocks of documents
//!    that cannot enter the page), keeping only the documents of the bit set.
//!
//! The two agree: filters and visibility never add to the score ([`crate::query`] makes them
//! constant-score zero), and for a document that has every word, the score of the union of all
//! the words' terms is the score of the conjunction (both sum the scores of the terms that
//! match). Phrases are not term unions: those queries keep the one-pass path.
//!
//! **One word seen by anyone**, alone or with filters that keep many documents, also takes the
//! one-pass path. Its matches are the union of its terms (within the filters). On generated
//! titles, which all look alike, Block-WAND skips little, and scoring the whole union once
//! costs less than a matching pass followed by Block-WAND. At a million datasets, with every
//! facet: a word found in 384 000 datasets takes 12 ms in one pass and 20 ms in two; a word
//! found in 49 000 takes 3.5 to 5.1 ms and 4.7 to 5.7 ms; a word with a format filter (found
//! in 23 % to 70 % of datasets) 10 % to 30 % less. The scored pass hands its documents to the
//! facet counter 64 at a time, so that counting keeps overlapping its cache misses.
//!
//! Two passes stay faster when the conjunction is small: two or more words (1.2 ms where one
//! pass takes 3 ms: the matching pass reads one short list per word), or a filter that keeps
//! fewer than one dataset in [`SELECTIVE`] (a word and a tag found in 1 % of datasets: 0.4 to
//! 1.1 ms where one pass takes 1.0 to 2.3 ms).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{BitSet, DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader};

/// The matching documents of each segment and their number, by segment ordinal (counted
/// here: tantivy's `BitSet::clear` does not reset its `len`, and pooled sets are cleared).
#[derive(Default)]
pub struct MatchSets(Vec<Option<(BitSet, usize)>>);

impl MatchSets {
    fn get(&self, segment: SegmentOrdinal) -> Option<(&BitSet, usize)> {
        let (set, len) = self.0.get(segment as usize)?.as_ref()?;
        Some((set, *len))
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
            for (set, _) in sets.0.into_iter().flatten() {
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
    len: usize,
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
            len: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<MatchSets>) -> tantivy::Result<MatchSets> {
        let mut merged: Vec<Option<(BitSet, usize)>> = Vec::new();
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
        self.len += 1;
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.set.insert(doc);
        }
        self.len += docs.len();
    }

    fn harvest(self) -> MatchSets {
        let mut sets: Vec<Option<(BitSet, usize)>> = Vec::new();
        sets.resize_with(self.segment as usize + 1, || None);
        sets[self.segment as usize] = Some((self.set, self.len));
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

/// The `limit` best-scoring documents among those of [`MatchSets`], best first.
///
/// Per segment, the cheaper of two ways: when the matches are few next to the postings of
/// the words' terms (two words rarely found together, a word and a filter), each match is
/// scored directly, every term's postings seeking to it; otherwise the union of the terms
/// runs with Block-WAND pruning (skipping the blocks of documents that cannot enter the
/// page), and only the matches may enter. Both sum the scores of the terms a document has.
pub struct FilteredTop {
    pub limit: usize,
    pub matches: Arc<MatchSets>,
    /// The weight of each term of the union, in the union's order.
    pub terms: Vec<Box<dyn Weight>>,
    pub way: Ranking,
}

/// How a search sorted by relevance finds its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranking {
    /// Two passes, each segment ranked the cheaper way (what searches do).
    Auto,
    /// Two passes, every match scored directly.
    Direct,
    /// Two passes, Block-WAND on every segment.
    Blocks,
    /// One pass that scores every match (what the two passes must agree with).
    OnePass,
}

/// A filter keeping fewer than one document in this many makes a one-word search take two
/// passes (see the module's documentation).
pub const SELECTIVE: u64 = 16;

/// Matches are scored directly when the terms' postings hold at least this many times more
/// documents than the matches (measured at a million datasets: a direct score seeks every
/// term's postings, Block-WAND walks them in blocks).
const DIRECT_RATIO: u64 = 16;

/// Keeps the `limit` best hits of a stream in a heap.
struct Best {
    heap: BinaryHeap<Hit>,
    limit: usize,
}

impl Best {
    fn new(limit: usize) -> Best {
        Best {
            heap: BinaryHeap::with_capacity(limit + 1),
            limit,
        }
    }

    /// Offers a hit; answers the score a hit must now beat to enter.
    fn offer(&mut self, hit: Hit) -> Score {
        self.heap.push(hit);
        if self.heap.len() > self.limit {
            self.heap.pop();
        }
        self.threshold()
    }

    fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.heap.len() == self.limit => worst.score,
            _ => Score::MIN,
        }
    }

    fn into_sorted(self) -> Vec<(Score, DocAddress)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|h| (h.score, h.doc))
            .collect()
    }
}

/// The documents of `set` in increasing order.
fn members(set: &BitSet) -> impl Iterator<Item = DocId> + '_ {
    let mut next = set.first_non_empty_bucket(0).map(|b| (b, set.tinyset(b)));
    std::iter::from_fn(move || {
        loop {
            let (bucket, bits) = next.as_mut()?;
            if let Some(low) = bits.pop_lowest() {
                return Some(*bucket * 64 + low);
            }
            let after = *bucket + 1;
            next = set
                .first_non_empty_bucket(after)
                .map(|b| (b, set.tinyset(b)));
        }
    })
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
        let (Some((allowed, matches)), true) = (self.matches.get(segment), self.limit > 0) else {
            return Ok(Vec::new());
        };
        let mut best = Best::new(self.limit);
        let mut scorers = self
            .terms
            .iter()
            .map(|t| t.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let postings: u64 = scorers.iter().map(|s| u64::from(s.size_hint())).sum();
        let direct = match self.way {
            Ranking::Direct => true,
            Ranking::Blocks => false,
            _ => (matches as u64).saturating_mul(DIRECT_RATIO) <= postings,
        };
        if direct {
            for doc in members(allowed) {
                let mut score = 0.0;
                for scorer in &mut scorers {
                    if scorer.doc() < doc {
                        scorer.seek(doc);
                    }
                    if scorer.doc() == doc {
                        score += scorer.score();
                    }
                }
                best.offer(Hit {
                    score,
                    doc: DocAddress::new(segment, doc),
                });
            }
            return Ok(best.into_sorted());
        }
        // Deleted documents never reach the bit set: it was filled by a regular collection.
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if allowed.contains(doc) {
                best.offer(Hit {
                    score,
                    doc: DocAddress::new(segment, doc),
                })
            } else {
                best.threshold()
            }
        })?;
        Ok(best.into_sorted())
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

//! Facet counts: how many matching datasets have each value of a field, counted in the same
//! pass as the hits by reading the fields' columns (no second query).

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
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

/// Counts the values of several string fields over the matching documents.
pub struct FacetCollector {
    /// (wire name, field name)
    pub facets: Vec<(&'static str, &'static str)>,
}

/// Per-segment counts, by term ordinal.
pub struct FacetSegmentCollector {
    columns: Vec<(&'static str, Option<StrColumn>, Vec<u64>)>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let mut columns = Vec::with_capacity(self.facets.len());
        for (name, field) in &self.facets {
            let column = reader.fast_fields().str(field)?;
            let size = column.as_ref().map_or(0, |c| c.num_terms());
            columns.push((*name, column, vec![0; size]));
        }
        Ok(FacetSegmentCollector { columns })
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
        for (_, column, counts) in &mut self.columns {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(n) = usize::try_from(ord).ok().and_then(|i| counts.get_mut(i)) {
                        *n += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::new();
        for (name, column, counts) in self.columns {
            let mut values = Vec::new();
            if let Some(column) = column {
                let mut text = String::new();
                for (ord, n) in counts.into_iter().enumerate() {
                    if n == 0 {
                        continue;
                    }
                    text.clear();
                    if column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                        values.push((text.clone(), n));
                    }
                }
            }
            out.insert(name, values);
        }
        out
    }
}

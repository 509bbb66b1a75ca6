//! What a dataset or an organization looks like to the index.

use chrono::{DateTime, NaiveDate, Utc};
use portail_core::model::{Dataset, Organization, ResourceFacts};
use portail_core::reference::format_family;
use tantivy::TantivyDocument;

use crate::schema::{Fields, fold};

/// A dataset with what the index needs beyond it.
pub struct DatasetDoc<'a> {
    pub dataset: &'a Dataset,
    /// The publishing organization's name, searchable with the dataset.
    pub organization_name: Option<&'a str>,
    /// Summary of the resources when they are not loaded (bulk reindex); `None` computes it
    /// from `dataset.resources`.
    pub facts: Option<ResourceFacts>,
}

/// The kind values of the `kind` field.
pub const KIND_DATASET: &str = "dataset";
pub const KIND_ORGANIZATION: &str = "organization";

/// The values of the `hidden` field: what keeps a document out of a visitor's searches.
pub const HIDDEN_PRIVATE: &str = "private";
pub const HIDDEN_DELETED: &str = "deleted";
pub const HIDDEN_ARCHIVED: &str = "archived";

fn days(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

/// Days since 1970-01-01 of a date, for the temporal coverage fields and filters.
pub fn epoch_days(date: NaiveDate) -> i64 {
    days(date)
}

/// Microseconds: datasets created within one second still sort in order.
fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// Tags are written with dashes (`qualite-de-l-air`); as text they are words.
fn tag_words(tag: &str) -> String {
    tag.replace(['-', '_'], " ")
}

impl DatasetDoc<'_> {
    /// The index document.
    pub fn to_document(&self, f: &Fields) -> TantivyDocument {
        let d = self.dataset;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, KIND_DATASET);
        doc.add_text(f.id, &d.id);
        doc.add_text(f.slug, &d.slug);
        doc.add_text(f.title, &d.title);
        if let Some(acronym) = &d.acronym {
            doc.add_text(f.acronym_stored, acronym);
        }
        for field in [f.title_fr, f.title_en, f.title_words] {
            doc.add_text(field, &d.title);
        }
        let mut keywords: Vec<String> = Vec::new();
        keywords.extend(d.acronym.iter().cloned());
        keywords.extend(d.tags.iter().map(|t| tag_words(t)));
        keywords.extend(self.organization_name.map(str::to_owned));
        let keywords = keywords.join(" \n ");
        let mut body = vec![d.description.clone()];
        body.extend(d.description_short.iter().cloned());
        let mut formats: Vec<String> = Vec::new();
        for r in &d.resources {
            body.push(r.title.clone());
            if let Some(format) = r.format.as_deref().filter(|f| !f.is_empty()) {
                formats.push(format.to_lowercase());
            }
        }
        formats.sort();
        formats.dedup();
        body.extend(formats.iter().cloned());
        let body = body.join(" \n ");
        for field in [f.keywords_fr, f.keywords_en] {
            doc.add_text(field, &keywords);
        }
        for field in [f.body_fr, f.body_en] {
            doc.add_text(field, &body);
        }
        for text in [&d.title, &keywords, &body] {
            doc.add_text(f.all, text);
        }
        match &d.publisher {
            portail_core::model::Publisher::Organization(id) => {
                doc.add_text(f.organization_id, id);
            }
            portail_core::model::Publisher::User(id) => doc.add_text(f.owner_id, id),
        }
        for tag in &d.tags {
            doc.add_text(f.tags, tag);
        }
        doc.add_text(f.license, &d.license);
        doc.add_text(f.frequency, &d.frequency);
        if let Some(granularity) = d.spatial.as_ref().and_then(|s| s.granularity.as_deref()) {
            doc.add_text(f.granularity, granularity);
        }
        let mut families: Vec<&str> = formats.iter().map(|f| format_family(f)).collect();
        families.sort_unstable();
        families.dedup();
        for format in &formats {
            doc.add_text(f.format, format);
        }
        for family in families {
            doc.add_text(f.format_family, family);
        }
        for badge in badges(d) {
            doc.add_text(f.badges, &badge);
        }
        doc.add_u64(f.featured, u64::from(d.featured));
        if d.private {
            doc.add_text(f.hidden, HIDDEN_PRIVATE);
        }
        if d.deleted_at.is_some() {
            doc.add_text(f.hidden, HIDDEN_DELETED);
        }
        if d.archived_at.is_some() {
            doc.add_text(f.hidden, HIDDEN_ARCHIVED);
        }
        doc.add_i64(f.created, micros(d.created_at()));
        let last_update = match &self.facts {
            Some(facts) => d.last_update_with(facts),
            None => d.last_update(),
        };
        doc.add_i64(f.last_update, micros(last_update));
        doc.add_text(f.title_sort, fold(&d.title).trim());
        doc.add_i64(f.views, d.metrics.views);
        doc.add_i64(f.downloads, d.metrics.resources_downloads);
        doc.add_i64(f.followers, d.metrics.followers);
        doc.add_i64(f.reuses, d.metrics.reuses);
        if let Some(coverage) = d.temporal_coverage {
            doc.add_i64(f.temporal_start, days(coverage.start));
            doc.add_i64(
                f.temporal_end,
                coverage.end.map(days).unwrap_or(i64::from(i32::MAX)),
            );
        }
        doc
    }
}

/// Badges of a dataset: udata gives them by hand (`hvd`, `spd`, `inspire`...); ours are the
/// strings of the `badges` extra, a list written through the extras API.
fn badges(d: &Dataset) -> Vec<String> {
    d.extras
        .get("badges")
        .and_then(|v| v.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|b| b.as_str().or_else(|| b.get("kind")?.as_str()))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// An organization document: searchable by name, acronym and description.
pub fn organization_document(f: &Fields, org: &Organization) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, KIND_ORGANIZATION);
    doc.add_text(f.id, &org.id);
    doc.add_text(f.slug, &org.slug);
    doc.add_text(f.title, &org.name);
    for field in [f.title_fr, f.title_en, f.title_words] {
        doc.add_text(field, &org.name);
    }
    if let Some(acronym) = &org.acronym {
        doc.add_text(f.acronym_stored, acronym);
        for field in [f.keywords_fr, f.keywords_en] {
            doc.add_text(field, acronym);
        }
    }
    for field in [f.body_fr, f.body_en] {
        doc.add_text(field, &org.description);
    }
    doc.add_text(f.all, &org.name);
    if let Some(acronym) = &org.acronym {
        doc.add_text(f.all, acronym);
    }
    doc.add_text(f.all, &org.description);
    doc.add_i64(f.created, micros(org.created_at));
    doc.add_i64(f.last_update, micros(org.last_modified));
    doc.add_text(f.title_sort, fold(&org.name).trim());
    if org.deleted_at.is_some() {
        doc.add_text(f.hidden, HIDDEN_DELETED);
    }
    doc
}

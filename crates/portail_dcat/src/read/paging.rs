//! Hydra paging: the next page and the total.

use oxrdf::{NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use url::Url;

use crate::graph::{View, iri_or_literal};
use crate::vocab::{hydra, rdf};

/// The next page, from the page node; this page's own node first when there are several.
pub(super) fn next_page(view: &View<'_>, base_iri: &str) -> Option<String> {
    let typed = |class: NamedNodeRef<'_>| {
        let mut nodes: Vec<NamedOrBlankNodeRef<'_>> = view
            .graph
            .subjects_for_predicate_object(rdf::TYPE, class)
            .collect();
        nodes.sort_by_key(|n| (n.to_string() != format!("<{base_iri}>"), n.to_string()));
        nodes
    };
    let first_value = |nodes: &[NamedOrBlankNodeRef<'_>], predicates: [NamedNodeRef<'_>; 2]| {
        nodes.iter().find_map(|n| {
            predicates
                .iter()
                .find_map(|p| view.objects(*n, *p).into_iter().find_map(iri_or_literal))
        })
    };
    let raw = first_value(
        &typed(hydra::PARTIAL_COLLECTION_VIEW),
        [hydra::NEXT, hydra::NEXT_PAGE],
    )
    .or_else(|| {
        first_value(
            &typed(hydra::PAGED_COLLECTION),
            [hydra::NEXT_PAGE, hydra::NEXT],
        )
    })?;
    let resolved = match Url::parse(base_iri) {
        Ok(base) => base.join(&raw).ok()?,
        Err(_) => Url::parse(&raw).ok()?,
    };
    let resolved = resolved.to_string();
    let same_page = Url::parse(base_iri).is_ok_and(|b| b.as_str() == resolved);
    (!same_page).then_some(resolved)
}

pub(super) fn total_items(view: &View<'_>) -> Option<u64> {
    let mut values: Vec<u64> = view
        .graph
        .triples_for_predicate(hydra::TOTAL_ITEMS)
        .filter_map(|t| match t.object {
            TermRef::Literal(l) => l.value().trim().parse().ok(),
            _ => None,
        })
        .collect();
    values.sort_unstable();
    values.pop()
}

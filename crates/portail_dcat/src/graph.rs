//! Parsing a document into an in-memory graph, within limits, and the small queries the
//! mapping needs (literals in the preferred language, objects of a property...).

use std::sync::{Arc, Mutex};

use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef, Triple};
use oxrdfio::{JsonLdProfile, LoadedDocument, RdfParser, RdfSyntaxError};

use crate::ReadLimits;
use crate::error::DcatError;
use crate::format::RdfFormat;
use crate::vocab::{dcat, rdf, rdfs, skos};

/// The DCAT-AP 3 JSON-LD context, written for Portail (same terms as the context SEMIC
/// publishes beside its examples), so that documents citing it parse offline.
const DCAT_AP_3_CONTEXT: &[u8] = include_bytes!("../contexts/dcat-ap-3.jsonld");

/// A parsed document: the merged graph (named graphs of TriG and N-Quads are merged into
/// one) and the subjects typed `dcat:Dataset` / `dcat:DatasetSeries`, in document order.
pub(crate) struct Parsed {
    pub graph: Graph,
    pub datasets: Vec<NamedOrBlankNode>,
}

/// The bundled context for a remote `@context` URL, if there is one.
fn bundled_context(url: &str) -> Option<&'static [u8]> {
    let path = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    // SEMIC publishes the same context under each 3.x release's examples folder.
    let is_dcat_ap_3 = path.starts_with("semiceu.github.io/")
        && path.contains("/DCAT-AP/releases/3.")
        && path.ends_with("/html/examples/context.jsonld");
    is_dcat_ap_3.then_some(DCAT_AP_3_CONTEXT)
}

pub(crate) fn parse(
    bytes: &[u8],
    format: RdfFormat,
    base_iri: &str,
    limits: &ReadLimits,
) -> Result<Parsed, DcatError> {
    let mut parser = RdfParser::from_format(format.to_oxrdfio());
    if !base_iri.is_empty() {
        parser = parser
            .with_base_iri(base_iri)
            .map_err(|e| DcatError::InvalidIri {
                iri: base_iri.to_owned(),
                message: e.to_string(),
            })?;
    }
    let missing_context: Arc<Mutex<Option<String>>> = Arc::default();
    let seen = Arc::clone(&missing_context);
    let quads =
        parser
            .for_slice(bytes)
            .with_document_loader(move |url| match bundled_context(url) {
                Some(content) => Ok(LoadedDocument {
                    url: url.to_owned(),
                    content: content.to_vec(),
                    format: oxrdfio::RdfFormat::JsonLd {
                        profile: JsonLdProfile::Context.into(),
                    },
                }),
                None => {
                    if let Ok(mut slot) = seen.lock() {
                        slot.get_or_insert_with(|| url.to_owned());
                    }
                    Err(format!("remote context {url} is not bundled").into())
                }
            });

    let mut graph = Graph::new();
    let mut datasets = Vec::new();
    let mut count = 0usize;
    for quad in quads {
        let quad = match quad {
            Ok(quad) => quad,
            Err(error) => {
                if let Some(url) = missing_context.lock().ok().and_then(|mut s| s.take()) {
                    return Err(DcatError::RemoteContext { url });
                }
                return Err(syntax_error(format, &error));
            }
        };
        count += 1;
        if count > limits.max_triples {
            return Err(DcatError::TooManyTriples {
                limit: limits.max_triples,
            });
        }
        let triple = Triple::new(quad.subject, quad.predicate, quad.object);
        if triple.predicate.as_ref() == rdf::TYPE
            && is_dataset_class(&triple.object)
            && !datasets.contains(&triple.subject)
        {
            datasets.push(triple.subject.clone());
            if datasets.len() > limits.max_datasets {
                return Err(DcatError::TooManyDatasets {
                    found: datasets.len(),
                    limit: limits.max_datasets,
                });
            }
        }
        graph.insert(&triple);
    }
    Ok(Parsed { graph, datasets })
}

fn is_dataset_class(term: &oxrdf::Term) -> bool {
    matches!(term, oxrdf::Term::NamedNode(n) if n.as_ref() == dcat::DATASET || n.as_ref() == dcat::DATASET_SERIES)
}

fn syntax_error(format: RdfFormat, error: &RdfSyntaxError) -> DcatError {
    let text = error.to_string();
    let location = error.location();
    // The parsers' messages start with their own "Parser error at line..." prefix; ours says
    // the same with the format's name, so keep only what follows it.
    let message = match (&location, text.split_once(": ")) {
        (Some(_), Some((head, rest))) if head.starts_with("Parser error") => rest.to_owned(),
        _ => text,
    };
    DcatError::Syntax {
        format,
        line: location.as_ref().map(|l| l.start.line + 1),
        column: location.as_ref().map(|l| l.start.column + 1),
        message,
    }
}

/// Read-only queries over a parsed graph.
pub(crate) struct View<'g> {
    pub graph: &'g Graph,
}

/// Language preference for text: French, then English, then no language, then any.
fn language_rank(language: Option<&str>) -> u8 {
    let is = |lang: &str, code: &str| {
        lang.eq_ignore_ascii_case(code)
            || lang
                .get(..code.len() + 1)
                .is_some_and(|p| p.eq_ignore_ascii_case(&format!("{code}-")))
    };
    match language {
        Some(lang) if is(lang, "fr") => 0,
        Some(lang) if is(lang, "en") => 1,
        None => 2,
        Some(_) => 3,
    }
}

impl<'g> View<'g> {
    /// Every object of `subject predicate ?o`, in a stable order (by their N-Triples form).
    pub fn objects(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Vec<TermRef<'g>> {
        let mut objects: Vec<TermRef<'g>> = self
            .graph
            .objects_for_subject_predicate(subject, predicate)
            .collect();
        objects.sort_by_cached_key(ToString::to_string);
        objects
    }

    /// Objects of several predicates, the first predicate's first.
    pub fn objects_any(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicates: &[NamedNodeRef<'_>],
    ) -> Vec<TermRef<'g>> {
        predicates
            .iter()
            .flat_map(|p| self.objects(subject, *p))
            .collect()
    }

    pub fn has(&self, subject: NamedOrBlankNodeRef<'_>, predicate: NamedNodeRef<'_>) -> bool {
        self.graph
            .object_for_subject_predicate(subject, predicate)
            .is_some()
    }

    pub fn is_object_of(
        &self,
        object: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> bool {
        self.graph
            .subject_for_predicate_object(predicate, object)
            .is_some()
    }

    /// The literal values of `predicate`, in the preferred language (see [`language_rank`]):
    /// all the values of the best-ranked language present.
    pub fn texts(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Vec<&'g str> {
        let literals: Vec<_> = self
            .objects(subject, predicate)
            .into_iter()
            .filter_map(|t| match t {
                TermRef::Literal(l) if !l.value().trim().is_empty() => Some(l),
                _ => None,
            })
            .collect();
        let Some(best) = literals.iter().map(|l| language_rank(l.language())).min() else {
            return Vec::new();
        };
        literals
            .into_iter()
            .filter(|l| language_rank(l.language()) == best)
            .map(|l| l.value())
            .collect()
    }

    /// The one text of `predicate` in the preferred language, trimmed.
    pub fn text(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Option<String> {
        self.texts(subject, predicate)
            .first()
            .map(|s| s.trim().to_owned())
    }

    /// The first text found among several predicates.
    pub fn text_any(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicates: &[NamedNodeRef<'_>],
    ) -> Option<String> {
        predicates.iter().find_map(|p| self.text(subject, *p))
    }

    /// A human label of a node: `skos:prefLabel`, `rdfs:label`, `dct:title`, `foaf:name`,
    /// `rdf:value`, in the preferred language.
    pub fn label(&self, node: NamedOrBlankNodeRef<'_>) -> Option<String> {
        self.text_any(
            node,
            &[
                skos::PREF_LABEL,
                rdfs::LABEL,
                crate::vocab::dct::TITLE,
                crate::vocab::foaf::NAME,
                rdf::VALUE,
            ],
        )
    }

    /// What a value says, as a string: a literal's value, else the label of a node, else an
    /// IRI itself. `None` for an unlabelled blank node.
    pub fn value_text(&self, term: TermRef<'_>) -> Option<String> {
        match term {
            TermRef::Literal(l) => Some(l.value().trim().to_owned()).filter(|s| !s.is_empty()),
            TermRef::NamedNode(n) => Some(
                self.label(n.into())
                    .unwrap_or_else(|| n.as_str().to_owned()),
            ),
            _ => as_node(term).and_then(|node| self.label(node)),
        }
    }
}

/// The subject form of a term, when it can be one.
pub(crate) fn as_node(term: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

/// The string of an IRI or of a literal (for properties that catalogs fill either way,
/// such as `dcat:downloadURL`).
pub(crate) fn iri_or_literal(term: TermRef<'_>) -> Option<String> {
    match term {
        TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
        TermRef::Literal(l) => Some(l.value().trim().to_owned()).filter(|s| !s.is_empty()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_preference() {
        assert!(language_rank(Some("fr")) < language_rank(Some("en")));
        assert!(language_rank(Some("fr-CA")) < language_rank(Some("en-GB")));
        assert!(language_rank(Some("en")) < language_rank(None));
        assert!(language_rank(None) < language_rank(Some("de")));
        assert_eq!(language_rank(Some("fra")), 3);
    }

    #[test]
    fn bundled_contexts() {
        assert!(bundled_context(
            "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld"
        )
        .is_some());
        assert!(bundled_context("https://example.org/context.jsonld").is_none());
    }
}

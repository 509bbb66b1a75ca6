//! The one error type of this crate.
//!
//! Errors concern a whole document (it does not parse, it is too big, an export input is
//! unusable). A dataset that cannot be read is not an error: it is a
//! [`RemoteRecord::Failed`](portail_core::harvest::RemoteRecord::Failed) among the records of
//! a page, so that the others are still harvested.

use crate::format::RdfFormat;

/// Why a DCAT document could not be read or written. Messages are sentences a harvest
/// source's owner can act on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DcatError {
    /// The document is not valid in its syntax. `line` and `column` start at 1 and are known
    /// for Turtle, TriG, N-Triples, N-Quads and JSON-LD.
    #[error("{}", syntax_message(*format, *line, *column, message))]
    Syntax {
        format: RdfFormat,
        line: Option<u64>,
        column: Option<u64>,
        message: String,
    },
    /// A JSON-LD document refers to a remote `@context` that is not bundled with Portail.
    /// Contexts are never fetched.
    #[error(
        "JSON-LD remote context {url} is not available offline (Portail bundles the DCAT-AP 3 context only; inline the context instead)"
    )]
    RemoteContext { url: String },
    /// The document has more triples than [`ReadLimits::max_triples`](crate::ReadLimits).
    #[error("too many triples: the document has more than {limit}")]
    TooManyTriples { limit: usize },
    /// The document has more datasets than [`ReadLimits::max_datasets`](crate::ReadLimits).
    #[error("too many datasets: the document has {found}, more than {limit}")]
    TooManyDatasets { found: usize, limit: usize },
    /// The base IRI given to `read_page`, or an IRI given to an export, is not an absolute IRI.
    #[error("invalid IRI {iri:?}: {message}")]
    InvalidIri { iri: String, message: String },
    /// What an export was given does not hold together.
    #[error("invalid export input: {0}")]
    Export(String),
}

fn syntax_message(
    format: RdfFormat,
    line: Option<u64>,
    column: Option<u64>,
    message: &str,
) -> String {
    match (line, column) {
        (Some(line), Some(column)) => {
            format!("{format} syntax error at line {line}, column {column}: {message}")
        }
        (Some(line), None) => format!("{format} syntax error at line {line}: {message}"),
        _ => format!("{format} syntax error: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_well() {
        let e = DcatError::Syntax {
            format: RdfFormat::Turtle,
            line: Some(155),
            column: Some(3),
            message: "unexpected '<'".to_owned(),
        };
        assert_eq!(
            e.to_string(),
            "Turtle syntax error at line 155, column 3: unexpected '<'"
        );
        let e = DcatError::Syntax {
            format: RdfFormat::RdfXml,
            line: None,
            column: None,
            message: "bad".to_owned(),
        };
        assert_eq!(e.to_string(), "RDF/XML syntax error: bad");
        assert_eq!(
            DcatError::TooManyTriples { limit: 10 }.to_string(),
            "too many triples: the document has more than 10"
        );
    }
}

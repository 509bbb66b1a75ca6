//! The RDF syntaxes Portail reads and writes, and how a harvester tells which one a remote
//! document uses.

use url::Url;

/// An RDF syntax.
///
/// N3 has no variant of its own: the N3 documents catalogs publish are Turtle in practice,
/// so `.n3` and `text/n3` read as Turtle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RdfFormat {
    Turtle,
    RdfXml,
    JsonLd,
    NTriples,
    NQuads,
    TriG,
}

impl RdfFormat {
    /// Every format, in a stable order (tests, fuzzing).
    pub const ALL: [RdfFormat; 6] = [
        RdfFormat::Turtle,
        RdfFormat::RdfXml,
        RdfFormat::JsonLd,
        RdfFormat::NTriples,
        RdfFormat::NQuads,
        RdfFormat::TriG,
    ];

    /// The media type to send in `Content-Type`.
    pub fn media_type(self) -> &'static str {
        match self {
            RdfFormat::Turtle => "text/turtle",
            RdfFormat::RdfXml => "application/rdf+xml",
            RdfFormat::JsonLd => "application/ld+json",
            RdfFormat::NTriples => "application/n-triples",
            RdfFormat::NQuads => "application/n-quads",
            RdfFormat::TriG => "application/trig",
        }
    }

    /// The file extension, without the dot, used in export URLs (`catalog.ttl`).
    pub fn extension(self) -> &'static str {
        match self {
            RdfFormat::Turtle => "ttl",
            RdfFormat::RdfXml => "rdf",
            RdfFormat::JsonLd => "jsonld",
            RdfFormat::NTriples => "nt",
            RdfFormat::NQuads => "nq",
            RdfFormat::TriG => "trig",
        }
    }

    /// The name used in error messages ("Turtle syntax error at line 3: ...").
    pub fn name(self) -> &'static str {
        match self {
            RdfFormat::Turtle => "Turtle",
            RdfFormat::RdfXml => "RDF/XML",
            RdfFormat::JsonLd => "JSON-LD",
            RdfFormat::NTriples => "N-Triples",
            RdfFormat::NQuads => "N-Quads",
            RdfFormat::TriG => "TriG",
        }
    }

    /// The format of a file extension (without the dot, any case), as udata and
    /// ckanext-dcat name them.
    pub fn from_extension(extension: &str) -> Option<RdfFormat> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "ttl" | "n3" => RdfFormat::Turtle,
            "rdf" | "xml" | "owl" => RdfFormat::RdfXml,
            "jsonld" | "json" => RdfFormat::JsonLd,
            "nt" => RdfFormat::NTriples,
            "nq" => RdfFormat::NQuads,
            "trig" => RdfFormat::TriG,
            _ => return None,
        })
    }

    /// The format of a media type; parameters (`; charset=utf-8`) and case are ignored.
    pub fn from_media_type(content_type: &str) -> Option<RdfFormat> {
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        Some(match essence.to_ascii_lowercase().as_str() {
            "text/turtle"
            | "application/x-turtle"
            | "application/turtle"
            | "text/n3"
            | "text/rdf+n3" => RdfFormat::Turtle,
            "application/rdf+xml" | "application/xml" | "text/xml" => RdfFormat::RdfXml,
            "application/ld+json" | "application/json" => RdfFormat::JsonLd,
            "application/n-triples" | "text/plain" => RdfFormat::NTriples,
            "application/n-quads" | "text/x-nquads" => RdfFormat::NQuads,
            "application/trig" | "application/x-trig" => RdfFormat::TriG,
            _ => return None,
        })
    }

    pub(crate) fn to_oxrdfio(self) -> oxrdfio::RdfFormat {
        match self {
            RdfFormat::Turtle => oxrdfio::RdfFormat::Turtle,
            RdfFormat::RdfXml => oxrdfio::RdfFormat::RdfXml,
            RdfFormat::JsonLd => oxrdfio::RdfFormat::JsonLd {
                profile: oxrdfio::JsonLdProfileSet::empty(),
            },
            RdfFormat::NTriples => oxrdfio::RdfFormat::NTriples,
            RdfFormat::NQuads => oxrdfio::RdfFormat::NQuads,
            RdfFormat::TriG => oxrdfio::RdfFormat::TriG,
        }
    }
}

impl std::fmt::Display for RdfFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The format of a remote document: from the URL's extension first (what udata does, and
/// what catalogs control), else from the response's `Content-Type`, else `None`.
///
/// Only the last path segment's extension counts; the query string and fragment are ignored
/// (`/catalog.ttl?page=2`).
pub fn guess_format(url: &str, content_type: Option<&str>) -> Option<RdfFormat> {
    extension_of(url)
        .and_then(|ext| RdfFormat::from_extension(&ext))
        .or_else(|| content_type.and_then(RdfFormat::from_media_type))
}

fn extension_of(url: &str) -> Option<String> {
    let path = match Url::parse(url) {
        Ok(parsed) => parsed.path().to_owned(),
        // A relative reference or a plain file name: cut the query and fragment by hand.
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    };
    let last = path.rsplit('/').next()?;
    let (_, ext) = last.rsplit_once('.')?;
    (!ext.is_empty()).then(|| ext.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_wins_over_content_type() {
        assert_eq!(
            guess_format(
                "https://example.org/catalog.ttl?page=2",
                Some("application/rdf+xml")
            ),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(
            guess_format("https://example.org/catalog.RDF", None),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(
            guess_format("https://example.org/catalog.xml#x", None),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(
            guess_format("https://example.org/data.json", None),
            Some(RdfFormat::JsonLd)
        );
        assert_eq!(
            guess_format("https://example.org/data.jsonld", None),
            Some(RdfFormat::JsonLd)
        );
        assert_eq!(
            guess_format("https://example.org/d.nt", None),
            Some(RdfFormat::NTriples)
        );
        assert_eq!(
            guess_format("https://example.org/d.nq", None),
            Some(RdfFormat::NQuads)
        );
        assert_eq!(
            guess_format("https://example.org/d.trig", None),
            Some(RdfFormat::TriG)
        );
        assert_eq!(
            guess_format("https://example.org/d.n3", None),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(guess_format("catalog.ttl", None), Some(RdfFormat::Turtle));
    }

    #[test]
    fn content_type_with_parameters() {
        let url = "https://example.org/api/1/site/catalog";
        assert_eq!(
            guess_format(url, Some("text/turtle; charset=utf-8")),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(
            guess_format(url, Some("application/x-turtle")),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(
            guess_format(url, Some("Application/LD+JSON;profile=\"x\"")),
            Some(RdfFormat::JsonLd)
        );
        assert_eq!(guess_format(url, Some("text/xml")), Some(RdfFormat::RdfXml));
        assert_eq!(
            guess_format(url, Some("application/n-triples")),
            Some(RdfFormat::NTriples)
        );
        assert_eq!(guess_format(url, Some("text/html")), None);
        assert_eq!(guess_format(url, None), None);
        // An unknown extension falls back to the content type.
        assert_eq!(
            guess_format("https://example.org/catalog.php", Some("application/trig")),
            Some(RdfFormat::TriG)
        );
        // A dot in a host name is no extension.
        assert_eq!(guess_format("https://data.example.org", None), None);
    }

    #[test]
    fn media_types_and_extensions_read_back() {
        for format in RdfFormat::ALL {
            assert_eq!(
                RdfFormat::from_media_type(format.media_type()),
                Some(format)
            );
            assert_eq!(RdfFormat::from_extension(format.extension()), Some(format));
        }
    }
}

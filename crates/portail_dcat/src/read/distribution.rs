//! Distributions to resources.

use chrono::{DateTime, Utc};
use oxrdf::{NamedOrBlankNodeRef, TermRef};
use portail_core::harvest::RemoteResource;
use portail_core::model::Checksum;
use url::Url;

use super::{date, identifier, last_iri_segment};
use crate::filetypes::{eu_code_of_iri, format_of_eu_code, format_of_mime, mime_of_iana_iri};
use crate::graph::{View, as_node, iri_or_literal};
use crate::html::description_text;
use crate::vocab::{dcat, dct, spdx};

pub(super) fn read_resource(
    view: &View<'_>,
    d: NamedOrBlankNodeRef<'_>,
    now: DateTime<Utc>,
) -> Option<RemoteResource> {
    let url = [dcat::DOWNLOAD_URL, dcat::ACCESS_URL]
        .iter()
        .find_map(|p| view.objects(d, *p).into_iter().find_map(iri_or_literal))?;
    let mime = media_type(view, d);
    let format = format(view, d).or_else(|| {
        mime.as_deref()
            .map(|m| format_of_mime(m).map_or_else(|| m.to_owned(), str::to_owned))
    });
    let title = view
        .text(d, dct::TITLE)
        .or_else(|| last_url_segment(&url))
        .unwrap_or_else(|| match &format {
            Some(f) => format!("{} resource", f.to_uppercase()),
            None => "Resource".to_owned(),
        });
    Some(RemoteResource {
        remote_id: identifier(view, d),
        uri: match d {
            NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        },
        title,
        description: view
            .text(d, dct::DESCRIPTION)
            .map(|t| description_text(&t))
            .filter(|t| !t.is_empty()),
        kind: if view.has(d, dcat::ACCESS_SERVICE) {
            "api".to_owned()
        } else {
            "main".to_owned()
        },
        format,
        mime,
        filesize: view
            .objects(d, dcat::BYTE_SIZE)
            .into_iter()
            .find_map(|t| match t {
                TermRef::Literal(l) => byte_size(l.value()),
                _ => None,
            }),
        checksum: checksum(view, d),
        issued_at: date(view, d, dct::ISSUED),
        modified_at: date(view, d, dct::MODIFIED).filter(|m| *m <= now),
        url,
    })
}

/// `dct:format`: an EU file-type IRI (its code), an IANA media-type IRI, another IRI (its
/// label or last segment), a literal, or a node with a label; lowercased.
fn format(view: &View<'_>, d: NamedOrBlankNodeRef<'_>) -> Option<String> {
    view.objects(d, dct::FORMAT).into_iter().find_map(|t| {
        let text = match t {
            TermRef::NamedNode(n) => {
                let iri = n.as_str();
                if let Some(code) = eu_code_of_iri(iri) {
                    return Some(format_of_eu_code(code));
                }
                if let Some(mime) = mime_of_iana_iri(iri) {
                    return Some(format_of_mime(&mime).map_or(mime, str::to_owned));
                }
                view.label(n.into()).or_else(|| last_iri_segment(iri))?
            }
            _ => view.value_text(t)?,
        };
        let text = text.trim().to_lowercase();
        if text.is_empty() {
            return None;
        }
        Some(format_of_mime(&text).map_or(text, str::to_owned))
    })
}

/// `dcat:mediaType`: an IANA IRI, a literal, or a node with a label; lowercased.
fn media_type(view: &View<'_>, d: NamedOrBlankNodeRef<'_>) -> Option<String> {
    view.objects(d, dcat::MEDIA_TYPE).into_iter().find_map(|t| {
        let text = match t {
            TermRef::NamedNode(n) => {
                mime_of_iana_iri(n.as_str()).or_else(|| view.label(n.into()))?
            }
            _ => view.value_text(t)?,
        };
        Some(text.trim().to_lowercase()).filter(|s| !s.is_empty())
    })
}

/// `dcat:byteSize`: an integer, or a decimal with no fraction (`xsd:decimal` in DCAT-AP 2).
fn byte_size(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    if let Ok(n) = raw.parse::<i64>() {
        return (n >= 0).then_some(n);
    }
    let f: f64 = raw.parse().ok()?;
    #[allow(clippy::cast_possible_truncation)] // checked: finite, whole, within i64
    let n = f as i64;
    (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 9.2e18).then_some(n)
}

/// `spdx:checksum` with an md5, sha1 or sha256 algorithm and a hexadecimal value.
fn checksum(view: &View<'_>, d: NamedOrBlankNodeRef<'_>) -> Option<Checksum> {
    view.objects(d, spdx::CHECKSUM).into_iter().find_map(|c| {
        let node = as_node(c)?;
        let algorithm = view
            .objects(node, spdx::ALGORITHM)
            .into_iter()
            .find_map(|t| {
                let raw = iri_or_literal(t)?;
                let name = raw
                    .rsplit_once("checksumAlgorithm_")
                    .map_or(raw.as_str(), |(_, name)| name)
                    .to_ascii_lowercase()
                    .replace('-', "");
                matches!(name.as_str(), "md5" | "sha1" | "sha256").then_some(name)
            })?;
        let value = view
            .objects(node, spdx::CHECKSUM_VALUE)
            .into_iter()
            .find_map(|t| match t {
                TermRef::Literal(l) => Some(l.value().trim().to_ascii_lowercase()),
                _ => None,
            })
            .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_hexdigit()))?;
        Some(Checksum {
            kind: algorithm,
            value,
        })
    })
}

/// The last non-empty path segment of a URL, as a default title.
fn last_url_segment(url: &str) -> Option<String> {
    let path = Url::parse(url).map_or_else(
        |_| url.split(['?', '#']).next().unwrap_or_default().to_owned(),
        |u| u.path().to_owned(),
    );
    path.split('/')
        .rev()
        .find(|s| !s.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sizes() {
        assert_eq!(byte_size("1234"), Some(1234));
        assert_eq!(byte_size(" 1234.0 "), Some(1234));
        assert_eq!(byte_size("1.5E3"), Some(1500));
        assert_eq!(byte_size("-1"), None);
        assert_eq!(byte_size("12.5"), None);
        assert_eq!(byte_size("big"), None);
    }

    #[test]
    fn segments() {
        assert_eq!(
            last_url_segment("https://x.org/a/b.csv?x=1").as_deref(),
            Some("b.csv")
        );
        assert_eq!(last_url_segment("https://x.org/a/"), Some("a".to_owned()));
        assert_eq!(last_url_segment("https://x.org/"), None);
    }
}

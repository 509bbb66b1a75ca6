//! Our resource formats (lowercased extensions, as udata stores them) against the EU
//! Publications Office file-type codes (`dct:format`) and IANA media types
//! (`dcat:mediaType`), for the formats open data portals commonly publish.
//!
//! The codes and media types are those of the EU "File type" authority table (version
//! 20220928-0, with its IANA notations), except `PARQUET`, added to the table later.

use crate::vocab::{IANA_MEDIA_TYPES, eu};

/// One known format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    /// Our format id (`csv`).
    pub format: &'static str,
    /// The EU file-type code (`CSV`).
    pub eu_code: &'static str,
    /// The IANA media type, when there is a registered one.
    pub mime: Option<&'static str>,
}

const fn ft(format: &'static str, eu_code: &'static str, mime: Option<&'static str>) -> FileType {
    FileType {
        format,
        eu_code,
        mime,
    }
}

/// The table. A format appears once; when two of our spellings mean one EU code
/// (`jpg`, `jpeg`), the first is the one written back.
#[rustfmt::skip]
pub static FILE_TYPES: &[FileType] = &[
    ft("csv", "CSV", Some("text/csv")),
    ft("tsv", "TSV", Some("text/tab-separated-values")),
    ft("txt", "TXT", Some("text/plain")),
    ft("json", "JSON", Some("application/json")),
    ft("jsonld", "JSON_LD", Some("application/ld+json")),
    ft("geojson", "GEOJSON", Some("application/geo+json")),
    ft("xml", "XML", Some("application/xml")),
    ft("html", "HTML", Some("text/html")),
    ft("pdf", "PDF", Some("application/pdf")),
    ft("xls", "XLS", Some("application/vnd.ms-excel")),
    ft("xlsx", "XLSX", Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
    ft("ods", "ODS", Some("application/vnd.oasis.opendocument.spreadsheet")),
    ft("doc", "DOC", Some("application/msword")),
    ft("docx", "DOCX", Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
    ft("odt", "ODT", Some("application/vnd.oasis.opendocument.text")),
    ft("ppt", "PPT", Some("application/vnd.ms-powerpoint")),
    ft("pptx", "PPTX", Some("application/vnd.openxmlformats-officedocument.presentationml.presentation")),
    ft("rtf", "RTF", Some("text/rtf")),
    ft("zip", "ZIP", Some("application/zip")),
    ft("gz", "GZIP", Some("application/gzip")),
    ft("tar", "TAR", Some("application/x-tar")),
    ft("7z", "7Z", Some("application/x-7z-compressed")),
    ft("rar", "RAR", Some("application/vnd.rar")),
    ft("shp", "SHP", None),
    ft("kml", "KML", Some("application/vnd.google-earth.kml+xml")),
    ft("kmz", "KMZ", Some("application/vnd.google-earth.kmz")),
    ft("gml", "GML", Some("application/gml+xml")),
    ft("gpkg", "GPKG", Some("application/geopackage+sqlite3")),
    ft("gtfs", "GTFS", None),
    ft("geotiff", "GEOTIFF", None),
    ft("netcdf", "NETCDF", None),
    ft("dbf", "DBF", None),
    ft("rdf", "RDF_XML", Some("application/rdf+xml")),
    ft("ttl", "RDF_TURTLE", Some("text/turtle")),
    ft("nt", "RDF_N_TRIPLES", Some("application/n-triples")),
    ft("nq", "RDF_N_QUADS", Some("application/n-quads")),
    ft("trig", "RDF_TRIG", Some("application/trig")),
    ft("n3", "N3", Some("text/n3")),
    ft("sql", "SQL", Some("application/sql")),
    ft("png", "PNG", Some("image/png")),
    ft("jpg", "JPEG", Some("image/jpeg")),
    ft("jpeg", "JPEG", Some("image/jpeg")),
    ft("gif", "GIF", Some("image/gif")),
    ft("svg", "SVG", Some("image/svg+xml")),
    ft("tiff", "TIFF", Some("image/tiff")),
    ft("ics", "ICS", Some("text/calendar")),
    ft("rss", "RSS", Some("application/rss+xml")),
    ft("atom", "ATOM", Some("application/atom+xml")),
    ft("epub", "EPUB", Some("application/epub+zip")),
    ft("wms", "WMS_SRVC", None),
    ft("wfs", "WFS_SRVC", None),
    ft("wcs", "WCS_SRVC", None),
    ft("parquet", "PARQUET", Some("application/vnd.apache.parquet")),
];

/// The entry for one of our formats.
pub fn by_format(format: &str) -> Option<&'static FileType> {
    FILE_TYPES
        .iter()
        .find(|t| t.format.eq_ignore_ascii_case(format.trim()))
}

/// The EU file-type IRI of one of our formats.
pub fn eu_file_type_iri(format: &str) -> Option<String> {
    by_format(format).map(|t| format!("{}{}", eu::FILE_TYPE, t.eu_code))
}

/// The IANA IRI of a media type (`https://www.iana.org/assignments/media-types/text/csv`),
/// when it is a well-formed `type/subtype`.
pub fn iana_iri(mime: &str) -> Option<String> {
    let mime = mime.split(';').next()?.trim().to_ascii_lowercase();
    let (kind, sub) = mime.split_once('/')?;
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    };
    (token(kind) && token(sub)).then(|| format!("{IANA_MEDIA_TYPES}{mime}"))
}

/// Our format for an EU file-type code.
pub fn format_of_eu_code(code: &str) -> String {
    FILE_TYPES
        .iter()
        .find(|t| t.eu_code.eq_ignore_ascii_case(code))
        .map_or_else(|| code.to_lowercase(), |t| t.format.to_owned())
}

/// Our format for a media type, when the table knows it.
pub fn format_of_mime(mime: &str) -> Option<&'static str> {
    let mime = mime.split(';').next()?.trim();
    FILE_TYPES
        .iter()
        .find(|t| t.mime.is_some_and(|m| m.eq_ignore_ascii_case(mime)))
        .map(|t| t.format)
}

/// The media type inside an IANA media-type IRI (over http or https, with or without `www`).
pub fn mime_of_iana_iri(iri: &str) -> Option<String> {
    let rest = iri
        .strip_prefix("https://")
        .or_else(|| iri.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let mime = rest.strip_prefix("iana.org/assignments/media-types/")?;
    (!mime.is_empty()).then(|| mime.trim_end_matches('/').to_ascii_lowercase())
}

/// The code inside an EU file-type IRI (over http or https).
pub fn eu_code_of_iri(iri: &str) -> Option<&str> {
    let base = eu::FILE_TYPE.trim_start_matches("http://");
    let rest = iri
        .strip_prefix("https://")
        .or_else(|| iri.strip_prefix("http://"))?;
    rest.strip_prefix(base).filter(|code| !code.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_eu_codes() {
        for t in FILE_TYPES {
            let iri = eu_file_type_iri(t.format).expect("every entry has an IRI");
            let code = eu_code_of_iri(&iri).expect("our own IRI");
            let back = format_of_eu_code(code);
            // `jpeg` shares JPEG with `jpg`, which is what reads back.
            assert!(
                back == t.format || (t.format == "jpeg" && back == "jpg"),
                "{}",
                t.format
            );
        }
    }

    #[test]
    fn iana_iris() {
        assert_eq!(
            iana_iri("text/csv; charset=utf-8").as_deref(),
            Some("https://www.iana.org/assignments/media-types/text/csv")
        );
        assert_eq!(iana_iri("csv"), None);
        assert_eq!(iana_iri("text/c sv"), None);
        assert_eq!(
            mime_of_iana_iri("http://www.iana.org/assignments/media-types/application/json")
                .as_deref(),
            Some("application/json")
        );
        assert_eq!(format_of_mime("application/geo+json"), Some("geojson"));
        assert_eq!(format_of_eu_code("ARC_GZ"), "arc_gz");
    }
}

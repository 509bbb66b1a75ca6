//! Rules about uploaded files: the format from the file name (compound extensions such as
//! `csv.gz` kept), the MIME type from content sniffing and extension, HTML disguised as data,
//! and the extension allow-list.

use crate::reference::ALLOWED_UPLOAD_EXTENSIONS;

/// Extensions that wrap another format: `data.csv.gz` is `csv.gz`.
const WRAPPERS: &[&str] = &["gz", "bz2", "xz", "zip", "7z", "tar", "tgz", "zst"];

/// Extensions that can be wrapped and kept in a compound format.
const WRAPPABLE: &[&str] = &[
    "csv", "tsv", "txt", "json", "jsonl", "ndjson", "geojson", "xml", "tar", "shp", "sql",
    "parquet", "xls", "xlsx", "ods", "gpkg", "kml", "gml", "rdf", "ttl", "nt", "dbf", "sqlite",
    "db", "pdf",
];

/// Lowercased extensions of a file name, last one last (`"Data.CSV.gz"` → `["csv", "gz"]`).
fn extensions(filename: &str) -> Vec<String> {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let parts: Vec<&str> = base.split('.').skip(1).collect();
    // Only the run of well-formed extensions at the end counts.
    let valid =
        |p: &&&str| !p.is_empty() && p.len() <= 10 && p.chars().all(|c| c.is_ascii_alphanumeric());
    let run = parts.iter().rev().take_while(valid).count();
    parts[parts.len() - run..]
        .iter()
        .map(|p| p.to_ascii_lowercase())
        .collect()
}

/// The last extension, lowercased.
pub fn extension(filename: &str) -> Option<String> {
    extensions(filename).pop()
}

/// The format of a file from its name, as udata: the extension, with compound archive
/// extensions kept (`csv.gz`, `csv.tar.gz`) but not arbitrary dotted words (`test.2022.zip` →
/// `zip`).
pub fn format_from_filename(filename: &str) -> Option<String> {
    let exts = extensions(filename);
    let last = exts.last()?.clone();
    let mut format = vec![last.clone()];
    let mut i = exts.len() - 1;
    let mut current = last;
    while i > 0 && WRAPPERS.contains(&current.as_str()) {
        let previous = &exts[i - 1];
        if WRAPPABLE.contains(&previous.as_str()) {
            format.insert(0, previous.clone());
            current = previous.clone();
            i -= 1;
        } else {
            break;
        }
    }
    Some(format.join("."))
}

/// True when the file's last extension is in the allow-list (udata's
/// `ALLOWED_RESOURCES_EXTENSIONS`).
pub fn is_allowed_extension(filename: &str, allowed: &[String]) -> bool {
    match extension(filename) {
        Some(ext) => allowed.iter().any(|a| a.eq_ignore_ascii_case(&ext)),
        None => false,
    }
}

/// The default allow-list, owned.
pub fn default_allowed_extensions() -> Vec<String> {
    ALLOWED_UPLOAD_EXTENSIONS
        .iter()
        .map(|e| (*e).to_owned())
        .collect()
}

/// MIME type usually served for an extension.
pub fn mime_from_extension(ext: &str) -> Option<&'static str> {
    Some(match ext.to_ascii_lowercase().as_str() {
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "txt" => "text/plain",
        "json" => "application/json",
        "jsonl" | "ndjson" => "application/x-ndjson",
        "geojson" => "application/geo+json",
        "xml" | "xsd" => "application/xml",
        "rdf" | "owl" => "application/rdf+xml",
        "ttl" => "text/turtle",
        "n3" => "text/n3",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" | "tgz" => "application/gzip",
        "bz2" => "application/x-bzip2",
        "xz" => "application/x-xz",
        "7z" => "application/x-7z-compressed",
        "rar" => "application/vnd.rar",
        "tar" => "application/x-tar",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ppt" | "pps" => "application/vnd.ms-powerpoint",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "odg" => "application/vnd.oasis.opendocument.graphics",
        "rtf" => "application/rtf",
        "png" => "image/png",
        "jpg" | "jpeg" | "jpe" => "image/jpeg",
        "gif" => "image/gif",
        "svg" | "svgz" => "image/svg+xml",
        "tif" | "tiff" => "image/tiff",
        "webp" => "image/webp",
        "jp2" => "image/jp2",
        "kml" => "application/vnd.google-earth.kml+xml",
        "kmz" => "application/vnd.google-earth.kmz",
        "gpx" => "application/gpx+xml",
        "gpkg" => "application/geopackage+sqlite3",
        "shp" | "shx" | "dbf" => "application/octet-stream",
        "sql" => "application/sql",
        "sqlite" | "db" => "application/vnd.sqlite3",
        "epub" => "application/epub+zip",
        "ics" => "text/calendar",
        "parquet" => "application/vnd.apache.parquet",
        _ => return None,
    })
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Html,
    Pdf,
    Zip,
    Gzip,
    Bzip2,
    SevenZip,
    Rar,
    Png,
    Jpeg,
    Gif,
    Sqlite,
    Parquet,
    Xml,
    /// Looks like text (UTF-8 or single-byte) with no recognised signature.
    Text,
    /// Binary with no recognised signature.
    Unknown,
}

impl Sniffed {
    /// The MIME type of a recognised signature.
    pub fn mime(self) -> Option<&'static str> {
        Some(match self {
            Sniffed::Html => "text/html",
            Sniffed::Pdf => "application/pdf",
            Sniffed::Zip => "application/zip",
            Sniffed::Gzip => "application/gzip",
            Sniffed::Bzip2 => "application/x-bzip2",
            Sniffed::SevenZip => "application/x-7z-compressed",
            Sniffed::Rar => "application/vnd.rar",
            Sniffed::Png => "image/png",
            Sniffed::Jpeg => "image/jpeg",
            Sniffed::Gif => "image/gif",
            Sniffed::Sqlite => "application/vnd.sqlite3",
            Sniffed::Parquet => "application/vnd.apache.parquet",
            Sniffed::Xml | Sniffed::Text | Sniffed::Unknown => return None,
        })
    }
}

/// Looks at the first bytes of a file.
pub fn sniff(head: &[u8]) -> Sniffed {
    const SIGNATURES: &[(&[u8], Sniffed)] = &[
        (b"%PDF-", Sniffed::Pdf),
        (b"PK\x03\x04", Sniffed::Zip),
        (b"PK\x05\x06", Sniffed::Zip),
        (b"\x1f\x8b", Sniffed::Gzip),
        (b"BZh", Sniffed::Bzip2),
        (b"7z\xbc\xaf\x27\x1c", Sniffed::SevenZip),
        (b"Rar!\x1a\x07", Sniffed::Rar),
        (b"\x89PNG\r\n\x1a\n", Sniffed::Png),
        (b"\xff\xd8\xff", Sniffed::Jpeg),
        (b"GIF87a", Sniffed::Gif),
        (b"GIF89a", Sniffed::Gif),
        (b"SQLite format 3\0", Sniffed::Sqlite),
        (b"PAR1", Sniffed::Parquet),
    ];
    for (signature, kind) in SIGNATURES {
        if head.starts_with(signature) {
            return *kind;
        }
    }
    if looks_like_html(head) {
        return Sniffed::Html;
    }
    let text = strip_bom(head);
    let trimmed = trim_start_ascii(text);
    if trimmed.starts_with(b"<?xml") {
        return Sniffed::Xml;
    }
    let binary = text.iter().take(1024).filter(|b| **b == 0).count() > 0;
    if binary {
        Sniffed::Unknown
    } else {
        Sniffed::Text
    }
}

fn strip_bom(head: &[u8]) -> &[u8] {
    head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head)
}

fn trim_start_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// True when the content starts like an HTML document (what a login page or an error page
/// served instead of data looks like), after an optional BOM, white space and comments.
pub fn looks_like_html(head: &[u8]) -> bool {
    let mut text = trim_start_ascii(strip_bom(head));
    // Skip leading comments and an XML declaration, which may precede <!DOCTYPE html>.
    loop {
        if text.starts_with(b"<!--") {
            match find(text, b"-->") {
                Some(end) => text = trim_start_ascii(&text[end + 3..]),
                None => return false,
            }
        } else if text.starts_with(b"<?xml") {
            match find(text, b"?>") {
                Some(end) => text = trim_start_ascii(&text[end + 2..]),
                None => return false,
            }
        } else {
            break;
        }
    }
    let prefix: Vec<u8> = text.iter().take(16).map(u8::to_ascii_lowercase).collect();
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<script",
        b"<iframe",
        b"<title",
    ]
    .iter()
    .any(|tag| {
        prefix.starts_with(tag)
            && prefix
                .get(tag.len())
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The MIME type of an uploaded file: a recognised signature wins, else the extension, else
/// `text/plain` for text and `application/octet-stream` for binaries.
pub fn detect_mime(filename: &str, head: &[u8]) -> String {
    let sniffed = sniff(head);
    let by_extension = extension(filename).and_then(|e| mime_from_extension(&e));
    // Office formats are zip files: keep the more precise type from the extension.
    if sniffed == Sniffed::Zip
        && by_extension.is_some_and(|m| {
            m.contains("openxmlformats")
                || m.contains("opendocument")
                || m.contains("epub")
                || m.contains("kmz")
        })
    {
        return by_extension.unwrap_or("application/zip").to_owned();
    }
    if let Some(mime) = sniffed.mime() {
        return mime.to_owned();
    }
    match (by_extension, sniffed) {
        (Some(mime), _) => mime.to_owned(),
        (None, Sniffed::Xml) => "application/xml".to_owned(),
        (None, Sniffed::Text) => "text/plain".to_owned(),
        _ => "application/octet-stream".to_owned(),
    }
}

/// True when a file claims to be data by its name but is HTML inside: refused with 415, as
/// udata does ("Incorrect file content type: HTML").
pub fn is_disguised_html(filename: &str, head: &[u8]) -> bool {
    let ext = extension(filename).unwrap_or_default();
    !matches!(ext.as_str(), "html" | "htm" | "xhtml") && looks_like_html(head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats() {
        assert_eq!(format_from_filename("data.CSV").as_deref(), Some("csv"));
        assert_eq!(
            format_from_filename("data.csv.gz").as_deref(),
            Some("csv.gz")
        );
        assert_eq!(
            format_from_filename("data.csv.tar.gz").as_deref(),
            Some("csv.tar.gz")
        );
        assert_eq!(
            format_from_filename("test.2022.zip").as_deref(),
            Some("zip")
        );
        assert_eq!(
            format_from_filename("archive.tar.gz").as_deref(),
            Some("tar.gz")
        );
        assert_eq!(format_from_filename("README"), None);
        assert_eq!(format_from_filename("dir.v2/file"), None);
    }

    #[test]
    fn allow_list() {
        let allowed = default_allowed_extensions();
        assert!(is_allowed_extension("a.csv", &allowed));
        assert!(is_allowed_extension("a.CSV.GZ", &allowed));
        assert!(!is_allowed_extension("a.exe", &allowed));
        assert!(!is_allowed_extension("noext", &allowed));
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Sniffed::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(b"id;name\n1;a\n"), Sniffed::Text);
        assert_eq!(sniff(b"\xef\xbb\xbf  <!DOCTYPE html><html>"), Sniffed::Html);
        assert_eq!(sniff(b"<?xml version='1.0'?><rdf:RDF/>"), Sniffed::Xml);
        assert_eq!(sniff(b"\0\x01\x02"), Sniffed::Unknown);
    }

    #[test]
    fn html_disguised_as_csv() {
        assert!(is_disguised_html(
            "data.csv",
            b"<html><body>Login</body></html>"
        ));
        assert!(is_disguised_html("data.json", b"<!-- x --><!doctype html>"));
        assert!(!is_disguised_html("page.html", b"<html>"));
        assert!(!is_disguised_html("data.csv", b"<htmlish;column\n"));
        assert!(!is_disguised_html(
            "data.xml",
            b"<?xml version='1.0'?><root/>"
        ));
    }

    #[test]
    fn mimes() {
        assert_eq!(detect_mime("a.csv", b"a,b\n"), "text/csv");
        assert_eq!(
            detect_mime("a.xlsx", b"PK\x03\x04"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(detect_mime("a.bin", b"%PDF-1.4"), "application/pdf");
        assert_eq!(detect_mime("noext", b"plain words"), "text/plain");
    }

    proptest! {
        #[test]
        fn sniffing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = sniff(&bytes);
            let _ = looks_like_html(&bytes);
            let _ = detect_mime("x.csv", &bytes);
        }

        #[test]
        fn format_is_lowercase_and_made_of_extensions(name in "[A-Za-z0-9._-]{0,40}") {
            if let Some(f) = format_from_filename(&name) {
                prop_assert_eq!(f.clone(), f.to_ascii_lowercase());
                prop_assert!(name.to_ascii_lowercase().ends_with(&f));
            }
        }
    }
}

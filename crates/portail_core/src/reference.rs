//! Small reference lists from udata: resource types and file types, spatial granularities,
//! organization roles, checksum types, closed formats, format families and the file
//! extensions allowed on upload.
//!
//! Their ids are API values that udata clients already send and read, so they are copied
//! verbatim; labels come in English and French like udata's translations.

use serde::Serialize;

/// One entry of a reference list: a stable id and its labels.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Choice {
    /// The value stored and exchanged in the API, e.g. `"main"`.
    pub id: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// French label.
    pub label_fr: &'static str,
}

impl Choice {
    /// The label in `lang` (French for `fr`, `fr-FR`…, English otherwise).
    pub fn label(&self, lang: &str) -> &'static str {
        if is_french(lang) {
            self.label_fr
        } else {
            self.label_en
        }
    }
}

/// Whether a language tag asks for French; everything else falls back to English, the
/// language of udata's source strings.
pub(crate) fn is_french(lang: &str) -> bool {
    lang.get(..2)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("fr"))
}

const fn choice(id: &'static str, label_en: &'static str, label_fr: &'static str) -> Choice {
    Choice {
        id,
        label_en,
        label_fr,
    }
}

/// What a resource is for (`GET /api/1/datasets/resource_types/`).
pub static RESOURCE_TYPES: &[Choice] = &[
    choice("main", "Main file", "Fichier principal"),
    choice("documentation", "Documentation", "Documentation"),
    choice("update", "Update", "Mise à jour"),
    choice("api", "API", "API"),
    choice("code", "Code repository", "Dépôt de code"),
    choice("other", "Other", "Autre"),
];

/// Where a resource's file lives: uploaded to us, or elsewhere.
pub static RESOURCE_FILETYPES: &[Choice] = &[
    choice("file", "Uploaded file", "Fichier uploadé"),
    choice("remote", "Remote file", "Fichier distant"),
];

/// Spatial granularities of data.gouv.fr (`GET /api/1/spatial/granularities/`).
pub static GRANULARITIES: &[Choice] = &[
    choice("country-group", "Country group", "Groupement de pays"),
    choice("country", "Country", "Pays"),
    choice("country-subset", "Country subset", "Sous-ensemble de pays"),
    choice("fr:region", "French region", "Région française"),
    choice("fr:departement", "French county", "Département français"),
    choice(
        "fr:arrondissement",
        "French arrondissement",
        "Arrondissement français",
    ),
    choice("fr:commune", "French town", "Commune française"),
    choice(
        "fr:iris",
        "Iris (Insee districts)",
        "Iris (quartiers INSEE)",
    ),
    choice("fr:canton", "French canton", "Canton français"),
    choice(
        "fr:collectivite",
        "French overseas collectivities",
        "Collectivités d'outre-mer françaises",
    ),
    choice(
        "fr:epci",
        "French intermunicipal (EPCI)",
        "Intercommunalité française (EPCI)",
    ),
    choice("poi", "POI", "Point d'Intérêt"),
    choice("other", "Other", "Autre"),
];

/// Roles of organization members (`GET /api/1/organizations/roles/`).
pub static ORG_ROLES: &[Choice] = &[
    choice("admin", "Administrator", "Administrateur"),
    choice("editor", "Editor", "Éditeur"),
    choice("partial_editor", "Partial editor", "Éditeur partiel"),
];

/// Accepted `checksum.type` values; `sha1` is the default and what uploads compute.
pub static CHECKSUM_TYPES: &[&str] = &["sha1", "sha2", "sha256", "md5", "crc"];

/// Formats that do not count as open for the quality score.
pub static CLOSED_FORMATS: &[&str] = &["pdf", "doc", "docx", "word", "xls", "excel", "xlsx"];

/// File extensions accepted on upload (udata `ALLOWED_RESOURCES_EXTENSIONS`, served by
/// `GET /api/1/datasets/extensions/`). `other` is in udata's list too.
pub static ALLOWED_UPLOAD_EXTENSIONS: &[&str] = &[
    // Archives.
    "tar", "gz", "tgz", "rar", "zip", "7z", "xz", "bz2", // Everything else.
    "csv", "txt", "json", "pdf", "xml", "rtf", "xsd", "ods", "odt", "odp", "odg", "xls", "xlsx",
    "doc", "docx", "pps", "ppt", "jpeg", "jpg", "jpe", "gif", "png", "dwg", "svg", "tiff", "ecw",
    "svgz", "jp2", "webp", "shp", "kml", "kmz", "gpx", "shx", "ovr", "geojson", "gpkg", "grib2",
    "rdf", "ttl", "n3", "dbf", "prj", "sql", "sqlite", "db", "epub", "sbn", "sbx", "cpg", "lyr",
    "owl", "dxf", "ics", "ssim", "other",
];

const TABULAR_FORMATS: &[&str] = &["csv", "parquet", "xls", "xlsx", "ods", "tsv", "csv.gz"];
const MACHINE_READABLE_FORMATS: &[&str] = &["json", "xml", "rdf", "sql", "jsonl", "ndjson"];
const GEOGRAPHICAL_FORMATS: &[&str] = &[
    "shp", "kml", "kmz", "gpx", "shx", "ovr", "geojson", "gpkg", "pmtiles", "mbtiles", "wms",
    "wfs", "ogc:wms", "ogc:wfs",
];
const DOCUMENT_FORMATS: &[&str] = &[
    "pdf", "doc", "docx", "md", "txt", "html", "htm", "rtf", "odt",
];

/// Whether a resource format counts as closed for the quality score: missing, blank, or one
/// of [`CLOSED_FORMATS`] in any case.
pub fn is_closed_or_no_format(format: Option<&str>) -> bool {
    match format.map(str::trim) {
        None | Some("") => true,
        Some(format) => CLOSED_FORMATS
            .iter()
            .any(|closed| closed.eq_ignore_ascii_case(format)),
    }
}

/// The search facet family of a format: `tabular`, `machine_readable`, `geographical`,
/// `documents` or `other`. Case and surrounding spaces are ignored.
pub fn format_family(format: &str) -> &'static str {
    let format = format.trim().to_ascii_lowercase();
    let is_in = |list: &[&str]| list.contains(&format.as_str());
    if is_in(TABULAR_FORMATS) {
        "tabular"
    } else if is_in(MACHINE_READABLE_FORMATS) {
        "machine_readable"
    } else if is_in(GEOGRAPHICAL_FORMATS) {
        "geographical"
    } else if is_in(DOCUMENT_FORMATS) {
        "documents"
    } else {
        "other"
    }
}

/// Finds an entry of a reference list by its exact id.
pub fn find_choice(list: &'static [Choice], id: &str) -> Option<&'static Choice> {
    list.iter().find(|choice| choice.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn assert_unique_ids(list: &[Choice]) {
        let ids: HashSet<_> = list.iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), list.len());
    }

    #[test]
    fn lists_have_udata_sizes_and_unique_ids() {
        assert_eq!(RESOURCE_TYPES.len(), 6);
        assert_eq!(RESOURCE_FILETYPES.len(), 2);
        assert_eq!(GRANULARITIES.len(), 13);
        assert_eq!(ORG_ROLES.len(), 3);
        for list in [RESOURCE_TYPES, RESOURCE_FILETYPES, GRANULARITIES, ORG_ROLES] {
            assert_unique_ids(list);
        }
        let extensions: HashSet<_> = ALLOWED_UPLOAD_EXTENSIONS.iter().collect();
        assert_eq!(extensions.len(), ALLOWED_UPLOAD_EXTENSIONS.len());
    }

    #[test]
    fn find_choice_and_labels() {
        let code = find_choice(RESOURCE_TYPES, "code").expect("known type");
        assert_eq!(code.label("en"), "Code repository");
        assert_eq!(code.label("fr"), "Dépôt de code");
        assert_eq!(code.label("FR-be"), "Dépôt de code");
        assert_eq!(code.label(""), "Code repository");
        let role = find_choice(ORG_ROLES, "partial_editor").expect("known role");
        assert_eq!(role.label("fr"), "Éditeur partiel");
        assert!(find_choice(GRANULARITIES, "fr:commune").is_some());
        assert!(find_choice(GRANULARITIES, "FR:COMMUNE").is_none());
        assert!(find_choice(RESOURCE_FILETYPES, "upload").is_none());
    }

    #[test]
    fn closed_formats() {
        assert!(is_closed_or_no_format(None));
        assert!(is_closed_or_no_format(Some("")));
        assert!(is_closed_or_no_format(Some("  ")));
        assert!(is_closed_or_no_format(Some("PDF")));
        assert!(is_closed_or_no_format(Some("xlsx")));
        assert!(!is_closed_or_no_format(Some("csv")));
        assert!(!is_closed_or_no_format(Some("ods")));
    }

    #[test]
    fn format_families() {
        assert_eq!(format_family("CSV"), "tabular");
        assert_eq!(format_family("csv.gz"), "tabular");
        assert_eq!(format_family("xls"), "tabular");
        assert_eq!(format_family("ndjson"), "machine_readable");
        assert_eq!(format_family("ogc:wms"), "geographical");
        assert_eq!(format_family(" GeoJSON "), "geographical");
        assert_eq!(format_family("pdf"), "documents");
        assert_eq!(format_family("zip"), "other");
        assert_eq!(format_family(""), "other");
    }

    #[test]
    fn choices_serialize_with_both_labels() {
        let json = serde_json::to_value(RESOURCE_FILETYPES[0]).expect("serialisable");
        assert_eq!(
            json,
            serde_json::json!({"id": "file", "label_en": "Uploaded file", "label_fr": "Fichier uploadé"})
        );
    }
}

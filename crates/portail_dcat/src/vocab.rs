//! The RDF terms DCAT(-AP) documents use, grouped by vocabulary, and the namespace prefixes
//! written at the top of exported documents.

use oxrdf::NamedNodeRef;

/// One named constant per term, so the tables below stay one line each. The IRIs are written
/// out in full (no concatenation) so that they can be searched for.
macro_rules! term {
    ($(#[$doc:meta])* $name:ident, $iri:expr) => {
        $(#[$doc])*
        pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked($iri);
    };
}

pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub const DCT: &str = "http://purl.org/dc/terms/";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
pub const SPDX: &str = "http://spdx.org/rdf/terms#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const ADMS: &str = "http://www.w3.org/ns/adms#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// Prefixes declared in exported Turtle, RDF/XML and JSON-LD, in this order.
pub const EXPORT_PREFIXES: &[(&str, &str)] = &[
    ("adms", ADMS),
    ("dcat", DCAT),
    ("dct", DCT),
    ("foaf", FOAF),
    ("hydra", HYDRA),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("skos", SKOS),
    ("spdx", SPDX),
    ("vcard", VCARD),
    ("xsd", XSD),
];

pub mod rdf {
    use super::NamedNodeRef;
    term!(TYPE, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    term!(VALUE, "http://www.w3.org/1999/02/22-rdf-syntax-ns#value");
}

pub mod rdfs {
    use super::NamedNodeRef;
    term!(LABEL, "http://www.w3.org/2000/01/rdf-schema#label");
}

pub mod dcat {
    use super::NamedNodeRef;
    term!(CATALOG, "http://www.w3.org/ns/dcat#Catalog");
    term!(DATASET, "http://www.w3.org/ns/dcat#Dataset");
    term!(DATASET_SERIES, "http://www.w3.org/ns/dcat#DatasetSeries");
    term!(DISTRIBUTION, "http://www.w3.org/ns/dcat#Distribution");
    term!(DATA_SERVICE, "http://www.w3.org/ns/dcat#DataService");
    term!(DATASET_PROP, "http://www.w3.org/ns/dcat#dataset");
    term!(DISTRIBUTION_PROP, "http://www.w3.org/ns/dcat#distribution");
    term!(
        /// A misspelling found in the wild, accepted on input as udata does.
        DISTRIBUTIONS,
        "http://www.w3.org/ns/dcat#distributions"
    );
    term!(KEYWORD, "http://www.w3.org/ns/dcat#keyword");
    term!(THEME, "http://www.w3.org/ns/dcat#theme");
    term!(LANDING_PAGE, "http://www.w3.org/ns/dcat#landingPage");
    term!(CONTACT_POINT, "http://www.w3.org/ns/dcat#contactPoint");
    term!(ACCESS_URL, "http://www.w3.org/ns/dcat#accessURL");
    term!(DOWNLOAD_URL, "http://www.w3.org/ns/dcat#downloadURL");
    term!(ACCESS_SERVICE, "http://www.w3.org/ns/dcat#accessService");
    term!(ENDPOINT_URL, "http://www.w3.org/ns/dcat#endpointURL");
    term!(MEDIA_TYPE, "http://www.w3.org/ns/dcat#mediaType");
    term!(BYTE_SIZE, "http://www.w3.org/ns/dcat#byteSize");
    term!(START_DATE, "http://www.w3.org/ns/dcat#startDate");
    term!(END_DATE, "http://www.w3.org/ns/dcat#endDate");
    term!(BBOX, "http://www.w3.org/ns/dcat#bbox");
    term!(CENTROID, "http://www.w3.org/ns/dcat#centroid");
    term!(SERVES_DATASET, "http://www.w3.org/ns/dcat#servesDataset");
    term!(
        SPATIAL_RESOLUTION,
        "http://www.w3.org/ns/dcat#spatialResolutionInMeters"
    );
}

pub mod dct {
    use super::NamedNodeRef;
    term!(IDENTIFIER, "http://purl.org/dc/terms/identifier");
    term!(TITLE, "http://purl.org/dc/terms/title");
    term!(DESCRIPTION, "http://purl.org/dc/terms/description");
    term!(ABSTRACT, "http://purl.org/dc/terms/abstract");
    term!(
        ACCRUAL_PERIODICITY,
        "http://purl.org/dc/terms/accrualPeriodicity"
    );
    term!(LICENSE, "http://purl.org/dc/terms/license");
    term!(RIGHTS, "http://purl.org/dc/terms/rights");
    term!(ACCESS_RIGHTS, "http://purl.org/dc/terms/accessRights");
    term!(PROVENANCE, "http://purl.org/dc/terms/provenance");
    term!(TEMPORAL, "http://purl.org/dc/terms/temporal");
    term!(SPATIAL, "http://purl.org/dc/terms/spatial");
    term!(CREATED, "http://purl.org/dc/terms/created");
    term!(ISSUED, "http://purl.org/dc/terms/issued");
    term!(MODIFIED, "http://purl.org/dc/terms/modified");
    term!(FORMAT, "http://purl.org/dc/terms/format");
    term!(PUBLISHER, "http://purl.org/dc/terms/publisher");
    term!(LANGUAGE, "http://purl.org/dc/terms/language");
    term!(HAS_PART, "http://purl.org/dc/terms/hasPart");
    term!(LICENSE_DOCUMENT, "http://purl.org/dc/terms/LicenseDocument");
    term!(RIGHTS_STATEMENT, "http://purl.org/dc/terms/RightsStatement");
    term!(FREQUENCY, "http://purl.org/dc/terms/Frequency");
    term!(PERIOD_OF_TIME, "http://purl.org/dc/terms/PeriodOfTime");
    term!(LOCATION, "http://purl.org/dc/terms/Location");
    term!(
        MEDIA_TYPE_OR_EXTENT,
        "http://purl.org/dc/terms/MediaTypeOrExtent"
    );
    term!(MEDIA_TYPE, "http://purl.org/dc/terms/MediaType");
    term!(
        LINGUISTIC_SYSTEM,
        "http://purl.org/dc/terms/LinguisticSystem"
    );
}

pub mod foaf {
    use super::NamedNodeRef;
    term!(AGENT, "http://xmlns.com/foaf/0.1/Agent");
    term!(DOCUMENT, "http://xmlns.com/foaf/0.1/Document");
    term!(NAME, "http://xmlns.com/foaf/0.1/name");
    term!(HOMEPAGE, "http://xmlns.com/foaf/0.1/homepage");
}

pub mod vcard {
    use super::NamedNodeRef;
    term!(KIND, "http://www.w3.org/2006/vcard/ns#Kind");
    term!(FN, "http://www.w3.org/2006/vcard/ns#fn");
    term!(HAS_EMAIL, "http://www.w3.org/2006/vcard/ns#hasEmail");
    term!(HAS_URL, "http://www.w3.org/2006/vcard/ns#hasURL");
}

pub mod spdx {
    use super::NamedNodeRef;
    term!(CHECKSUM, "http://spdx.org/rdf/terms#checksum");
    term!(CHECKSUM_CLASS, "http://spdx.org/rdf/terms#Checksum");
    term!(ALGORITHM, "http://spdx.org/rdf/terms#algorithm");
    term!(
        CHECKSUM_ALGORITHM,
        "http://spdx.org/rdf/terms#ChecksumAlgorithm"
    );
    term!(CHECKSUM_VALUE, "http://spdx.org/rdf/terms#checksumValue");
    /// Prefix of the algorithm individuals (`checksumAlgorithm_sha1`...).
    pub const ALGORITHM_PREFIX: &str = "http://spdx.org/rdf/terms#checksumAlgorithm_";
}

pub mod skos {
    use super::NamedNodeRef;
    term!(PREF_LABEL, "http://www.w3.org/2004/02/skos/core#prefLabel");
    term!(ALT_LABEL, "http://www.w3.org/2004/02/skos/core#altLabel");
    term!(NOTATION, "http://www.w3.org/2004/02/skos/core#notation");
}

pub mod hydra {
    use super::NamedNodeRef;
    term!(COLLECTION, "http://www.w3.org/ns/hydra/core#Collection");
    term!(
        PARTIAL_COLLECTION_VIEW,
        "http://www.w3.org/ns/hydra/core#PartialCollectionView"
    );
    term!(
        PAGED_COLLECTION,
        "http://www.w3.org/ns/hydra/core#PagedCollection"
    );
    term!(VIEW, "http://www.w3.org/ns/hydra/core#view");
    term!(TOTAL_ITEMS, "http://www.w3.org/ns/hydra/core#totalItems");
    term!(
        ITEMS_PER_PAGE,
        "http://www.w3.org/ns/hydra/core#itemsPerPage"
    );
    term!(FIRST, "http://www.w3.org/ns/hydra/core#first");
    term!(LAST, "http://www.w3.org/ns/hydra/core#last");
    term!(NEXT, "http://www.w3.org/ns/hydra/core#next");
    term!(PREVIOUS, "http://www.w3.org/ns/hydra/core#previous");
    term!(FIRST_PAGE, "http://www.w3.org/ns/hydra/core#firstPage");
    term!(LAST_PAGE, "http://www.w3.org/ns/hydra/core#lastPage");
    term!(NEXT_PAGE, "http://www.w3.org/ns/hydra/core#nextPage");
    term!(
        PREVIOUS_PAGE,
        "http://www.w3.org/ns/hydra/core#previousPage"
    );
}

/// schema.org, which some catalogs use for temporal coverage (over http and https).
pub mod schema {
    pub const START_DATE: [&str; 2] = [
        "http://schema.org/startDate",
        "https://schema.org/startDate",
    ];
    pub const END_DATE: [&str; 2] = ["http://schema.org/endDate", "https://schema.org/endDate"];
}

/// OWL-Time, as used by `dct:temporal [ time:hasBeginning [ time:inXSDDate ... ] ]`.
pub mod time {
    use super::NamedNodeRef;
    term!(HAS_BEGINNING, "http://www.w3.org/2006/time#hasBeginning");
    term!(HAS_END, "http://www.w3.org/2006/time#hasEnd");
    term!(IN_XSD_DATE, "http://www.w3.org/2006/time#inXSDDate");
    term!(
        IN_XSD_DATE_TIME,
        "http://www.w3.org/2006/time#inXSDDateTime"
    );
    term!(
        IN_XSD_DATE_TIME_STAMP,
        "http://www.w3.org/2006/time#inXSDDateTimeStamp"
    );
}

/// The statistical-core vocabulary's bounds (`scovo:min` / `scovo:max`), used by old feeds.
pub mod scovo {
    use super::NamedNodeRef;
    term!(MIN, "http://purl.org/NET/scovo#min");
    term!(MAX, "http://purl.org/NET/scovo#max");
}

pub mod locn {
    use super::NamedNodeRef;
    term!(GEOMETRY, "http://www.w3.org/ns/locn#geometry");
}

pub mod xsd {
    use super::NamedNodeRef;
    term!(DATE, "http://www.w3.org/2001/XMLSchema#date");
    term!(DATE_TIME, "http://www.w3.org/2001/XMLSchema#dateTime");
    term!(
        NON_NEGATIVE_INTEGER,
        "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
    );
    term!(INTEGER, "http://www.w3.org/2001/XMLSchema#integer");
    term!(HEX_BINARY, "http://www.w3.org/2001/XMLSchema#hexBinary");
}

/// EU Publications Office authority tables.
pub mod eu {
    pub const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
    pub const ACCESS_RIGHT: &str = "http://publications.europa.eu/resource/authority/access-right/";
    pub const LANGUAGE: &str = "http://publications.europa.eu/resource/authority/language/";
}

/// Base of IANA media-type IRIs (`dcat:mediaType`).
pub const IANA_MEDIA_TYPES: &str = "https://www.iana.org/assignments/media-types/";

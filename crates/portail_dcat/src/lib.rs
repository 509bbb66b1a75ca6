//! DCAT(-AP) to and from Portail's core types. Pure functions: no I/O, no database, no
//! network (JSON-LD contexts are bundled, never fetched).
//!
//! # Reading (harvesting a remote DCAT catalog)
//!
//! [`read_page`] parses one page (Turtle, RDF/XML, JSON-LD, N-Triples, N-Quads or TriG; see
//! [`guess_format`]) and maps every node typed `dcat:Dataset` or `dcat:DatasetSeries` to a
//! [`RemoteRecord`](portail_core::harvest::RemoteRecord), following udata's DCAT backend:
//!
//! - identity: `remote_id` is `dct:identifier`, else the node IRI; a blank node without
//!   identifier fails. A node without `dct:title` fails ("dct:title is missing"), unless it
//!   is only referenced by `dcat:servesDataset` / `dct:hasPart`, when it is skipped;
//! - texts prefer French literals, then English, then untagged, then any language;
//!   descriptions (`dct:description`, else `dct:abstract`) in HTML become plain text;
//! - `skos:altLabel` is the acronym; `dct:accrualPeriodicity` (EU or Dublin Core IRIs, codes
//!   as literals) becomes one of our frequency ids; `dcat:keyword` and `dcat:theme` labels
//!   become normalized tags; the license is guessed (`portail_core::licenses::guess_license`)
//!   from `dct:license`, `dct:rights` and the distributions' `dct:license`;
//! - `dct:temporal` in every form udata reads (DCAT, schema.org, OWL-Time, SCOVO bounds,
//!   `YYYY`, `YYYY-MM`, `YYYY-MM-DD` and `a/b` literals); `dct:spatial` GeoZone ids go to the
//!   zones, other places and geometries to `extras["dcat:spatial"]`;
//! - `dct:created` / `dct:issued` / `dct:modified` (modification dates in the future are
//!   dropped); `dcat:landingPage` is the remote URL, else the IRI;
//! - `extras`: `dcat:rights`, `dcat:accessRights`, `dcat:provenance`,
//!   `dcat:spatialResolutionInMeters`, and `dcat:license` / `dcat:accrualPeriodicity` when
//!   they match nothing of ours;
//! - distributions become resources (see [`read_page`] and `read.rs`): `dcat:downloadURL`
//!   else `dcat:accessURL` (neither: ignored), format from `dct:format` or `dcat:mediaType`,
//!   `dcat:byteSize`, `spdx:checksum`, kind `api` when there is a `dcat:accessService`.
//!
//! Hydra paging (`hydra:next`, legacy `hydra:nextPage`) gives [`DcatPage::next_page`].
//!
//! # Writing (being harvested: DCAT-AP 3 export)
//!
//! [`write_catalog`] writes a `dcat:Catalog` page with Hydra paging that both current and
//! legacy harvesters follow, [`write_dataset`] one dataset. Output is deterministic (same
//! input, same bytes) and validates against the DCAT-AP 3.0.1 SHACL shapes. Mapping:
//!
//! - dataset: its IRI and `dct:identifier` (our id), title, description, `skos:altLabel`,
//!   one `dcat:keyword` per tag, `dcat:landingPage`, the license as a `dct:LicenseDocument`
//!   IRI (licenses without URL: a `dct:RightsStatement` with the title), the EU frequency IRI
//!   (`dct:Frequency`), `dct:temporal` as a `dct:PeriodOfTime` with `xsd:date` bounds, each
//!   GeoZone as a `dct:Location` with that `dct:identifier`, the publisher (`foaf:Agent`), the
//!   contact point (`vcard:Kind`), `dct:issued` / `dct:modified` (`xsd:dateTime`) and
//!   `dct:accessRights` (EU access-right `PUBLIC`, or `NON_PUBLIC` for a private dataset);
//! - distribution: `dcat:accessURL`, `dcat:downloadURL`, `dct:format` as an EU file-type IRI
//!   (other formats: a labelled `dct:MediaTypeOrExtent`), `dcat:mediaType` as an IANA IRI,
//!   `dcat:byteSize` (`xsd:nonNegativeInteger`), `spdx:checksum` (sha1, sha256, md5;
//!   `xsd:hexBinary`), the dataset's license, dates, and a `dcat:accessService` for `api`
//!   resources.

mod dates;
mod error;
mod filetypes;
mod format;
mod graph;
mod html;
mod read;
mod vocab;
mod write;

pub use error::DcatError;
pub use format::{RdfFormat, guess_format};
pub use html::html_to_text;
pub use read::{DcatPage, ReadLimits, read_page};
pub use write::{
    Agent, CatalogInfo, ExportDataset, Paging, ResourceUrls, write_catalog, write_dataset,
};

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

mod dates;
mod error;
// The writer, next, uses the rest of these tables.
#[allow(dead_code)]
mod filetypes;
mod format;
mod graph;
mod html;
mod read;
#[allow(dead_code)]
mod vocab;

pub use error::DcatError;
pub use format::{RdfFormat, guess_format};
pub use html::html_to_text;
pub use read::{DcatPage, ReadLimits, read_page};

//! Writing DCAT-AP 3 for harvesters: a catalog page with Hydra paging, or one dataset.
//!
//! Triples are produced in a fixed order (catalog, page, then each dataset followed by its
//! distributions; subjects grouped in the order they first appear) with blank nodes numbered
//! in that order, so the same input always gives the same bytes.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use oxrdf::{
    BlankNode, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef,
    Triple,
};
use oxrdfio::RdfSerializer;
use portail_core::frequency::parse_frequency;
use portail_core::licenses::find_license;
use portail_core::model::{Checksum, Dataset, Resource};
use url::Url;

use crate::error::DcatError;
use crate::filetypes::{by_format, eu_file_type_iri, iana_iri};
use crate::format::RdfFormat;

mod json_ld;
use crate::vocab::{
    EXPORT_PREFIXES, dcat, dct, eu, foaf, hydra, rdf, rdfs, skos, spdx, vcard, xsd,
};
use json_ld::compact_json_ld;

/// A publisher or contact: an organization or a user of the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// A stable IRI for the agent (its page on the portal).
    pub iri: String,
    pub name: String,
    pub homepage: Option<String>,
    pub email: Option<String>,
}

/// The URLs of one exported resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceUrls {
    /// The distribution's IRI.
    pub iri: String,
    /// `dcat:accessURL`: the portal's permanent link (`/datasets/r/{id}`).
    pub access_url: String,
    /// `dcat:downloadURL`: the file itself. Left out when it is not a valid IRI (a remote
    /// URL with spaces...), since the access URL leads to it anyway.
    pub download_url: String,
}

/// One dataset to export, with what the core model does not know: its IRIs and agents.
#[derive(Debug, Clone)]
pub struct ExportDataset<'a> {
    pub dataset: &'a Dataset,
    /// The dataset's stable IRI (subject of its triples), e.g. `…/datasets/{id}`.
    pub iri: String,
    /// `dcat:landingPage`: the dataset's page, typed `foaf:Document`, so it should be
    /// another IRI than `iri` (e.g. `…/datasets/{slug}/`).
    pub landing_page: String,
    pub publisher: Agent,
    /// `dcat:contactPoint` (a `vcard:Kind` with its name, URL and email), when there is one.
    pub contact_point: Option<Agent>,
    /// One entry per resource, in the order of `dataset.resources`.
    pub resource_urls: Vec<ResourceUrls>,
}

/// The catalog itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogInfo {
    pub iri: String,
    pub title: String,
    pub description: String,
    pub homepage: String,
    /// A language code (`fr`): tags the title and description, and gives `dct:language`.
    pub language: String,
    pub publisher: Agent,
}

/// Where a catalog page sits, for Hydra paging.
pub struct Paging<'a> {
    /// The page written, from 1.
    pub page: u64,
    pub page_size: u64,
    /// Datasets in the whole catalog.
    pub total: u64,
    /// The IRI of page `n` (the page node is `page_iri(page)`).
    pub page_iri: &'a dyn Fn(u64) -> String,
}

/// Writes a catalog page: the `dcat:Catalog` with its `dcat:dataset` links, each dataset
/// with its distributions, and, with `paging`, the Hydra page node typed both
/// `hydra:PartialCollectionView` and `hydra:PagedCollection` with both vocabularies' links,
/// so that udata, current ckanext-dcat and pre-2.1 ckanext-dcat harvesters all page through.
pub fn write_catalog(
    catalog: &CatalogInfo,
    datasets: &[ExportDataset<'_>],
    paging: Option<&Paging<'_>>,
    format: RdfFormat,
) -> Result<Vec<u8>, DcatError> {
    let mut out = Triples::default();
    let node = iri(&catalog.iri)?;
    out.add(&node, rdf::TYPE, dcat::CATALOG);
    if paging.is_some() {
        out.add(&node, rdf::TYPE, hydra::COLLECTION);
    }
    out.add(&node, dct::TITLE, &text(&catalog.title, &catalog.language));
    out.add(
        &node,
        dct::DESCRIPTION,
        &text(&catalog.description, &catalog.language),
    );
    let publisher = out.agent(&catalog.publisher)?;
    out.add(&node, dct::PUBLISHER, &publisher);
    if let Some(homepage) = lenient_iri(&catalog.homepage) {
        out.add(&node, foaf::HOMEPAGE, &homepage);
        out.add(&homepage, rdf::TYPE, foaf::DOCUMENT);
    }
    if let Some(language) = language_iri(&catalog.language) {
        out.add(&node, dct::LANGUAGE, &language);
        out.add(&language, rdf::TYPE, dct::LINGUISTIC_SYSTEM);
    }
    if let Some(paging) = paging {
        out.paging(&node, paging)?;
    }
    for d in datasets {
        let dataset = iri(&d.iri)?;
        out.add(&node, dcat::DATASET_PROP, &dataset);
    }
    for d in datasets {
        out.dataset(d)?;
    }
    out.serialize(format)
}

/// Writes one dataset with its distributions, publisher and contact point.
pub fn write_dataset(d: &ExportDataset<'_>, format: RdfFormat) -> Result<Vec<u8>, DcatError> {
    let mut out = Triples::default();
    out.dataset(d)?;
    out.serialize(format)
}

/// A strict IRI: ours (dataset, distribution, agent IRIs) must be valid.
fn iri(s: &str) -> Result<NamedNode, DcatError> {
    NamedNode::new(s).map_err(|e| DcatError::InvalidIri {
        iri: s.to_owned(),
        message: e.to_string(),
    })
}

/// An IRI from a URL that may need escaping (remote download URLs, homepages); `None` when
/// it cannot be made one.
fn lenient_iri(s: &str) -> Option<NamedNode> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    NamedNode::new(s).ok().or_else(|| {
        let url = Url::parse(s).ok()?;
        NamedNode::new(url.as_str()).ok()
    })
}

/// A literal in `language` when it is a valid language tag, else a plain one.
fn text(value: &str, language: &str) -> Literal {
    Literal::new_language_tagged_literal(value, language)
        .unwrap_or_else(|_| Literal::new_simple_literal(value))
}

fn date_time(at: DateTime<Utc>) -> Literal {
    Literal::new_typed_literal(
        at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        xsd::DATE_TIME,
    )
}

fn date(day: NaiveDate) -> Literal {
    Literal::new_typed_literal(day.format("%Y-%m-%d").to_string(), xsd::DATE)
}

fn integer(n: u64, datatype: NamedNodeRef<'_>) -> Literal {
    Literal::new_typed_literal(n.to_string(), datatype)
}

/// The EU language IRI of a language code, for the languages of EU portals.
fn language_iri(code: &str) -> Option<NamedNode> {
    if code.starts_with("http://") || code.starts_with("https://") {
        return lenient_iri(code);
    }
    let primary = code.split(['-', '_']).next()?.to_ascii_lowercase();
    let eu_code = match primary.as_str() {
        "fr" => "FRA",
        "en" => "ENG",
        "de" => "DEU",
        "es" => "SPA",
        "it" => "ITA",
        "nl" => "NLD",
        "pt" => "POR",
        "ca" => "CAT",
        "br" => "BRE",
        "eu" => "EUS",
        "oc" => "OCI",
        "co" => "COS",
        _ => return None,
    };
    NamedNode::new(format!("{}{eu_code}", eu::LANGUAGE)).ok()
}

/// How a license is written: a `dct:LicenseDocument` IRI for the licenses with a URL, else
/// a `dct:RightsStatement` carrying the license's title (udata writes `dct:rights "title"`).
enum LicenseTerm {
    Document(NamedNode),
    Rights(String),
}

fn license_term(id: &str) -> Option<LicenseTerm> {
    let license = find_license(id)?;
    Some(match license.url.and_then(|u| NamedNode::new(u).ok()) {
        Some(url) => LicenseTerm::Document(url),
        None => LicenseTerm::Rights(license.title.to_owned()),
    })
}

/// The SPDX algorithm and value of a checksum, when it has one of SPDX's algorithms and is
/// valid hexadecimal.
fn spdx_checksum(checksum: &Checksum) -> Option<(&'static str, String)> {
    let value = checksum.value.trim().to_ascii_lowercase();
    if value.is_empty()
        || !value.len().is_multiple_of(2)
        || !value.chars().all(|c| c.is_ascii_hexdigit())
    {
        return None;
    }
    let algorithm = match (checksum.kind.to_ascii_lowercase().as_str(), value.len()) {
        ("sha1", 40) => "sha1",
        ("sha256" | "sha2", 64) => "sha256",
        ("md5", 32) => "md5",
        _ => return None,
    };
    Some((algorithm, value))
}

/// The triples of a document, deduplicated, in insertion order.
#[derive(Default)]
struct Triples {
    triples: Vec<Triple>,
    seen: HashSet<Triple>,
    blank_nodes: u64,
}

impl Triples {
    fn add<'s, 'o>(
        &mut self,
        subject: impl Into<NamedOrBlankNodeRef<'s>>,
        predicate: NamedNodeRef<'_>,
        object: impl Into<TermRef<'o>>,
    ) {
        let triple = Triple::new(
            subject.into().into_owned(),
            predicate,
            object.into().into_owned(),
        );
        if self.seen.insert(triple.clone()) {
            self.triples.push(triple);
        }
    }

    /// A new blank node, numbered in order of creation.
    fn blank(&mut self) -> BlankNode {
        self.blank_nodes += 1;
        BlankNode::new_unchecked(format!("b{}", self.blank_nodes))
    }

    fn agent(&mut self, agent: &Agent) -> Result<NamedNode, DcatError> {
        let node = iri(&agent.iri)?;
        self.add(&node, rdf::TYPE, foaf::AGENT);
        self.add(&node, foaf::NAME, &Literal::new_simple_literal(&agent.name));
        Ok(node)
    }

    fn contact_point(&mut self, subject: &NamedNode, contact: &Agent) {
        let node = self.blank();
        self.add(subject, dcat::CONTACT_POINT, &node);
        self.add(&node, rdf::TYPE, vcard::KIND);
        self.add(
            &node,
            vcard::FN,
            &Literal::new_simple_literal(&contact.name),
        );
        if let Some(url) = contact.homepage.as_deref().and_then(lenient_iri) {
            self.add(&node, vcard::HAS_URL, &url);
        }
        if let Some(email) = contact
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| e.contains('@'))
            .and_then(|e| lenient_iri(&format!("mailto:{e}")))
        {
            self.add(&node, vcard::HAS_EMAIL, &email);
        }
    }

    fn license(&mut self, subject: &NamedNode, license: &LicenseTerm) {
        match license {
            LicenseTerm::Document(url) => {
                self.add(subject, dct::LICENSE, url);
                self.add(url, rdf::TYPE, dct::LICENSE_DOCUMENT);
            }
            LicenseTerm::Rights(title) => {
                let node = self.blank();
                self.add(subject, dct::RIGHTS, &node);
                self.add(&node, rdf::TYPE, dct::RIGHTS_STATEMENT);
                self.add(&node, rdfs::LABEL, &Literal::new_simple_literal(title));
            }
        }
    }

    fn paging(&mut self, catalog: &NamedNode, paging: &Paging<'_>) -> Result<(), DcatError> {
        let page_size = paging.page_size.max(1);
        let last = paging.total.div_ceil(page_size).max(1);
        let page_iri = |n: u64| iri(&(paging.page_iri)(n));
        let page = page_iri(paging.page)?;
        self.add(
            catalog,
            hydra::TOTAL_ITEMS,
            &integer(paging.total, xsd::INTEGER),
        );
        self.add(catalog, hydra::VIEW, &page);
        self.add(&page, rdf::TYPE, hydra::PARTIAL_COLLECTION_VIEW);
        self.add(&page, rdf::TYPE, hydra::PAGED_COLLECTION);
        self.add(
            &page,
            hydra::TOTAL_ITEMS,
            &integer(paging.total, xsd::INTEGER),
        );
        self.add(
            &page,
            hydra::ITEMS_PER_PAGE,
            &integer(page_size, xsd::INTEGER),
        );
        let mut links = vec![
            (hydra::FIRST, hydra::FIRST_PAGE, 1),
            (hydra::LAST, hydra::LAST_PAGE, last),
        ];
        if paging.page > 1 {
            links.push((
                hydra::PREVIOUS,
                hydra::PREVIOUS_PAGE,
                (paging.page - 1).min(last),
            ));
        }
        if paging.page < last {
            links.push((hydra::NEXT, hydra::NEXT_PAGE, paging.page + 1));
        }
        for (current, legacy, n) in links {
            let target = page_iri(n)?;
            self.add(&page, current, &target);
            self.add(&page, legacy, &target);
        }
        Ok(())
    }

    fn dataset(&mut self, d: &ExportDataset<'_>) -> Result<(), DcatError> {
        let ds = d.dataset;
        if d.resource_urls.len() != ds.resources.len() {
            return Err(DcatError::Export(format!(
                "dataset {}: {} resource URLs for {} resources",
                ds.id,
                d.resource_urls.len(),
                ds.resources.len()
            )));
        }
        let node = iri(&d.iri)?;
        self.add(&node, rdf::TYPE, dcat::DATASET);
        self.add(&node, dct::IDENTIFIER, &Literal::new_simple_literal(&ds.id));
        self.add(&node, dct::TITLE, &Literal::new_simple_literal(&ds.title));
        self.add(
            &node,
            dct::DESCRIPTION,
            &Literal::new_simple_literal(&ds.description),
        );
        if let Some(acronym) = ds.acronym.as_deref().filter(|a| !a.trim().is_empty()) {
            self.add(
                &node,
                skos::ALT_LABEL,
                &Literal::new_simple_literal(acronym),
            );
        }
        for tag in &ds.tags {
            self.add(&node, dcat::KEYWORD, &Literal::new_simple_literal(tag));
        }
        if let Some(page) = lenient_iri(&d.landing_page) {
            self.add(&node, dcat::LANDING_PAGE, &page);
            self.add(&page, rdf::TYPE, foaf::DOCUMENT);
        }
        let license = license_term(&ds.license);
        if let Some(license) = &license {
            self.license(&node, license);
        }
        if let Some(uri) = parse_frequency(&ds.frequency).and_then(|f| f.eu_uri()) {
            let frequency = iri(&uri)?;
            self.add(&node, dct::ACCRUAL_PERIODICITY, &frequency);
            self.add(&frequency, rdf::TYPE, dct::FREQUENCY);
        }
        if let Some(coverage) = ds.temporal_coverage {
            let period = self.blank();
            self.add(&node, dct::TEMPORAL, &period);
            self.add(&period, rdf::TYPE, dct::PERIOD_OF_TIME);
            self.add(&period, dcat::START_DATE, &date(coverage.start));
            if let Some(end) = coverage.end {
                self.add(&period, dcat::END_DATE, &date(end));
            }
        }
        // GeoZone ids have no IRIs of their own: each zone is a location identified by it.
        for zone in ds.spatial.iter().flat_map(|s| &s.zones) {
            let location = self.blank();
            self.add(&node, dct::SPATIAL, &location);
            self.add(&location, rdf::TYPE, dct::LOCATION);
            self.add(
                &location,
                dct::IDENTIFIER,
                &Literal::new_simple_literal(zone),
            );
        }
        let publisher = self.agent(&d.publisher)?;
        self.add(&node, dct::PUBLISHER, &publisher);
        if let Some(contact) = &d.contact_point {
            self.contact_point(&node, contact);
        }
        self.add(&node, dct::ISSUED, &date_time(ds.created_at()));
        self.add(&node, dct::MODIFIED, &date_time(ds.last_modified()));
        let access = if ds.private { "NON_PUBLIC" } else { "PUBLIC" };
        let access = iri(&format!("{}{access}", eu::ACCESS_RIGHT))?;
        self.add(&node, dct::ACCESS_RIGHTS, &access);
        self.add(&access, rdf::TYPE, dct::RIGHTS_STATEMENT);

        let mut distributions = Vec::with_capacity(ds.resources.len());
        for urls in &d.resource_urls {
            let distribution = iri(&urls.iri)?;
            self.add(&node, dcat::DISTRIBUTION_PROP, &distribution);
            distributions.push(distribution);
        }
        for ((resource, urls), distribution) in ds
            .resources
            .iter()
            .zip(&d.resource_urls)
            .zip(&distributions)
        {
            self.distribution(distribution, resource, urls, license.as_ref())?;
        }
        Ok(())
    }

    fn distribution(
        &mut self,
        node: &NamedNode,
        r: &Resource,
        urls: &ResourceUrls,
        license: Option<&LicenseTerm>,
    ) -> Result<(), DcatError> {
        self.add(node, rdf::TYPE, dcat::DISTRIBUTION);
        self.add(node, dct::IDENTIFIER, &Literal::new_simple_literal(&r.id));
        if !r.title.trim().is_empty() {
            self.add(node, dct::TITLE, &Literal::new_simple_literal(&r.title));
        }
        if let Some(description) = r.description.as_deref().filter(|d| !d.trim().is_empty()) {
            self.add(
                node,
                dct::DESCRIPTION,
                &Literal::new_simple_literal(description),
            );
        }
        let access = iri(&urls.access_url)?;
        self.add(node, dcat::ACCESS_URL, &access);
        let download = lenient_iri(&urls.download_url);
        if let Some(download) = &download {
            self.add(node, dcat::DOWNLOAD_URL, download);
        }
        let format = r.format.as_deref().map(str::trim).filter(|f| !f.is_empty());
        match format.and_then(eu_file_type_iri) {
            Some(eu_iri) => {
                let file_type = iri(&eu_iri)?;
                self.add(node, dct::FORMAT, &file_type);
                self.add(&file_type, rdf::TYPE, dct::MEDIA_TYPE_OR_EXTENT);
            }
            None => {
                if let Some(format) = format {
                    let extent = self.blank();
                    self.add(node, dct::FORMAT, &extent);
                    self.add(&extent, rdf::TYPE, dct::MEDIA_TYPE_OR_EXTENT);
                    self.add(&extent, rdfs::LABEL, &Literal::new_simple_literal(format));
                }
            }
        }
        let mime = r
            .mime
            .as_deref()
            .or_else(|| format.and_then(by_format).and_then(|t| t.mime));
        if let Some(media_type) = mime.and_then(iana_iri).and_then(|m| NamedNode::new(m).ok()) {
            self.add(node, dcat::MEDIA_TYPE, &media_type);
            self.add(&media_type, rdf::TYPE, dct::MEDIA_TYPE);
        }
        if let Some(size) = r.filesize.and_then(|s| u64::try_from(s).ok()) {
            self.add(
                node,
                dcat::BYTE_SIZE,
                &integer(size, xsd::NON_NEGATIVE_INTEGER),
            );
        }
        if let Some((algorithm, value)) = r.checksum.as_ref().and_then(spdx_checksum) {
            let checksum = self.blank();
            self.add(node, spdx::CHECKSUM, &checksum);
            self.add(&checksum, rdf::TYPE, spdx::CHECKSUM_CLASS);
            let algorithm = iri(&format!("{}{algorithm}", spdx::ALGORITHM_PREFIX))?;
            self.add(&checksum, spdx::ALGORITHM, &algorithm);
            self.add(&algorithm, rdf::TYPE, spdx::CHECKSUM_ALGORITHM);
            self.add(
                &checksum,
                spdx::CHECKSUM_VALUE,
                &Literal::new_typed_literal(value, xsd::HEX_BINARY),
            );
        }
        if let Some(license) = license {
            self.license(node, license);
        }
        self.add(node, dct::ISSUED, &date_time(r.created_at()));
        self.add(node, dct::MODIFIED, &date_time(r.last_modified()));
        if r.kind == "api" {
            let service = self.blank();
            self.add(node, dcat::ACCESS_SERVICE, &service);
            self.add(&service, rdf::TYPE, dcat::DATA_SERVICE);
            self.add(&service, dct::TITLE, &Literal::new_simple_literal(&r.title));
            self.add(
                &service,
                dcat::ENDPOINT_URL,
                download.as_ref().unwrap_or(&access),
            );
        }
        Ok(())
    }

    /// Groups each subject's triples where the subject first appears (what the Turtle and
    /// JSON-LD serializers need to write one block per node), then serializes.
    fn serialize(self, format: RdfFormat) -> Result<Vec<u8>, DcatError> {
        let mut first_seen: HashMap<NamedOrBlankNode, usize> = HashMap::new();
        for triple in &self.triples {
            let next = first_seen.len();
            first_seen.entry(triple.subject.clone()).or_insert(next);
        }
        let mut triples = self.triples;
        triples.sort_by_key(|t| first_seen.get(&t.subject).copied().unwrap_or(usize::MAX));

        let failed = |e: &dyn std::fmt::Display| DcatError::Export(format!("{format} output: {e}"));
        let mut serializer = RdfSerializer::from_format(format.to_oxrdfio());
        for (prefix, namespace) in EXPORT_PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *namespace)
                .map_err(|e| failed(&e))?;
        }
        let mut writer = serializer.for_writer(Vec::new());
        for triple in &triples {
            writer.serialize_triple(triple).map_err(|e| failed(&e))?;
        }
        let bytes = writer.finish().map_err(|e| failed(&e))?;
        if format == RdfFormat::JsonLd {
            return compact_json_ld(&bytes).map_err(|e| failed(&e));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_checked() {
        let c = |kind: &str, value: &str| {
            spdx_checksum(&Checksum {
                kind: kind.to_owned(),
                value: value.to_owned(),
            })
        };
        assert_eq!(c("sha1", &"A".repeat(40)), Some(("sha1", "a".repeat(40))));
        assert_eq!(c("sha2", &"0".repeat(64)).map(|c| c.0), Some("sha256"));
        assert_eq!(c("md5", &"0".repeat(32)).map(|c| c.0), Some("md5"));
        assert_eq!(c("sha1", "abc"), None);
        assert_eq!(c("crc", "abcd"), None);
        assert_eq!(c("sha1", &"g".repeat(40)), None);
    }

    #[test]
    fn languages_and_iris() {
        assert_eq!(
            language_iri("fr-FR").map(|n| n.into_string()).as_deref(),
            Some("http://publications.europa.eu/resource/authority/language/FRA")
        );
        assert_eq!(language_iri("xx"), None);
        assert_eq!(
            lenient_iri("https://x.example/a file.csv")
                .map(|n| n.into_string())
                .as_deref(),
            Some("https://x.example/a%20file.csv")
        );
        assert_eq!(lenient_iri("not a url"), None);
        assert!(iri("not an iri").is_err());
    }
}

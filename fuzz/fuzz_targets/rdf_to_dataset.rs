//! Any bytes through `portail_dcat::read_page`: the first byte picks the RDF format, the rest
//! is the document. Reading must return a page or an error, never panic, and stay within
//! its limits.

#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use portail_dcat::{RdfFormat, ReadLimits, read_page};

fuzz_target!(|data: &[u8]| {
    let Some((first, document)) = data.split_first() else {
        return;
    };
    let format = RdfFormat::ALL[usize::from(*first) % RdfFormat::ALL.len()];
    let limits = ReadLimits {
        max_triples: 20_000,
        max_datasets: 1_000,
    };
    let Some(now) = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).single() else {
        return;
    };
    if let Ok(page) = read_page(
        document,
        format,
        "https://fuzz.example/catalog",
        &limits,
        now,
    ) {
        assert!(page.records.len() <= limits.max_datasets);
    }
});

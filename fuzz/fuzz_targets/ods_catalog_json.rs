//! Any bytes as an OpenDataSoft `/catalog/datasets` page: an error or records, never a panic,
//! and no description keeps a tag.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use portail_harvest::RemoteRecord;
use portail_harvest::ods::read_catalog_page;

fuzz_target!(|data: &[u8]| {
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_else(Utc::now);
    if let Ok(page) = read_catalog_page(data, "https://ods.fuzz", now) {
        for record in &page.records {
            if let RemoteRecord::Dataset(dataset) = record {
                assert!(!dataset.description.contains('<'));
                assert!(dataset.resources.iter().all(|r| r.url.starts_with("https://ods.fuzz/")));
            }
        }
    }
});

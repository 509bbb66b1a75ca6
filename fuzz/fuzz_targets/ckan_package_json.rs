//! Any bytes as a CKAN `package_search` response: an error or records, never a panic, and no
//! description keeps a tag.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use portail_harvest::ckan::read_search_response;
use portail_harvest::RemoteRecord;

fuzz_target!(|data: &[u8]| {
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_else(Utc::now);
    if let Ok(page) = read_search_response(data, "https://ckan.fuzz", now) {
        for record in &page.records {
            if let RemoteRecord::Dataset(dataset) = record {
                assert!(!dataset.description.contains('<'));
                assert!(dataset.modified_at.is_none_or(|at| at <= now));
            }
        }
    }
});

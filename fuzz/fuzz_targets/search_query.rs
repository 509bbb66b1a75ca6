//! Search words and suggestion prefixes, as a visitor types them, against a small index: the
//! engine must answer (or find nothing), never panic.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use portail_search::{SearchIndex, SearchQuery};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| SearchIndex::in_ram().expect("an index in memory"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let index = index();
    let query = SearchQuery {
        q: Some(text.to_string()),
        page: 1,
        page_size: 10,
        ..SearchQuery::default()
    };
    let _ = index.search(&query, &["tags", "organization"]);
    let _ = index.suggest(&text, 5);
    let _ = index.search_organizations(&text, 1, 5);
});

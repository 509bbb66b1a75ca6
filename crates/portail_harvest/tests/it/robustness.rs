//! The mappers never panic, whatever JSON the remote sends (the fuzz targets explore the same
//! entry points with raw bytes).

use chrono::{TimeZone, Utc};
use portail_harvest::RemoteRecord;
use portail_harvest::ckan::{map_package, read_search_response};
use portail_harvest::ods::{map_dataset, read_catalog_page};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Keys the readers look at, so that generated objects reach the mapping code.
const KEYS: &[&str] = &[
    "id",
    "name",
    "title",
    "notes",
    "type",
    "state",
    "resources",
    "tags",
    "extras",
    "key",
    "value",
    "url",
    "resource_type",
    "format",
    "size",
    "created",
    "last_modified",
    "license_id",
    "license_title",
    "metadata_modified",
    "metadata_created",
    "frequency",
    "spatial",
    "temporal_start",
    "temporal_end",
    "dataset_id",
    "has_records",
    "attachments",
    "features",
    "metas",
    "default",
    "description",
    "keyword",
    "theme",
    "license",
    "modified",
    "records_count",
    "fields",
    "label",
    "results",
    "count",
    "total_count",
    "success",
    "result",
    "error",
    "datasets",
    "dataset",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z0-9 <>&;:/.#-]{0,24}".prop_map(Value::String),
        Just(Value::String("2024-02-30T25:61:00".into())),
        Just(Value::String("geo".into())),
        Just(Value::String("api".into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

fn no_tags(records: &[RemoteRecord]) -> bool {
    records.iter().all(|r| match r {
        RemoteRecord::Dataset(d) => !d.description.contains('<'),
        _ => true,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn ckan_mapping_never_panics(value in json_value()) {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("date");
        let record = map_package(&value, "https://ckan.test", now);
        prop_assert!(no_tags(std::slice::from_ref(&record)));
        let body = json!({"success": true, "result": {"count": 1, "results": [value]}}).to_string();
        if let Ok(page) = read_search_response(body.as_bytes(), "https://ckan.test", now) {
            prop_assert!(no_tags(&page.records));
        }
    }

    #[test]
    fn ods_mapping_never_panics(value in json_value()) {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("date");
        let record = map_dataset(&value, "https://ods.test", now);
        prop_assert!(no_tags(std::slice::from_ref(&record)));
        let _ = read_catalog_page(value.to_string().as_bytes(), "https://ods.test", now);
    }

    #[test]
    fn raw_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let now = Utc::now();
        let _ = read_search_response(&bytes, "https://ckan.test", now);
        let _ = read_catalog_page(&bytes, "https://ods.test", now);
    }
}

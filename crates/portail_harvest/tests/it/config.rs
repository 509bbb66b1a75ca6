//! Backends listing and udata-shaped source configuration.

use portail_harvest::{Backend, FilterType, SourceConfig, backends};
use serde_json::json;

#[test]
fn backends_are_listed_in_udata_shape() {
    let listing = serde_json::to_value(backends()).expect("json");
    let ids: Vec<_> = listing
        .as_array()
        .expect("list")
        .iter()
        .map(|b| b["id"].clone())
        .collect();
    assert_eq!(ids, [json!("ckan"), json!("dcat"), json!("ods")]);
    let ckan = &listing[0];
    assert_eq!(ckan["label"], "CKAN");
    assert_eq!(
        ckan["filters"][0],
        json!({"key": "organization", "label": "Organization", "type": "string", "description": "The organization name (slug) on the CKAN portal."})
    );
    assert!(ckan["features"].as_array().is_some_and(Vec::is_empty));
    let extra_keys: Vec<_> = ckan["extra_configs"]
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["key"].clone())
        .collect();
    assert_eq!(
        extra_keys,
        [
            json!("apikey"),
            json!("since"),
            json!("page_size"),
            json!("max_items"),
            json!("time_limit")
        ]
    );
}

#[test]
fn udata_config_is_read_and_checked() {
    let config = SourceConfig::from_udata(
        "https://demo.ckan.org/",
        "dkan",
        &json!({
            "filters": [{"key": "organization", "value": "x"}, {"key": "tags", "value": "y", "type": "exclude"}],
            "features": {},
            "extra_configs": [
                {"key": "apikey", "value": "k"},
                {"key": "max_items", "value": "20"},
                {"key": "since", "value": "2024-01-31"},
                {"key": "page_size", "value": 50}
            ]
        }),
    )
    .expect("valid");
    assert_eq!(config.backend, Backend::Ckan);
    assert_eq!(config.filters[0].kind, FilterType::Include);
    assert_eq!(config.filters[1].kind, FilterType::Exclude);
    assert_eq!(config.api_key.as_deref(), Some("k"));
    assert_eq!(config.max_items, Some(20));
    assert_eq!(config.page_size, Some(50));
    assert_eq!(
        config.since.map(|s| s.to_rfc3339()).as_deref(),
        Some("2024-01-31T00:00:00+00:00")
    );

    let error = SourceConfig::from_udata(
        "https://x.org",
        "ckan",
        &json!({"filters": [{"key": "colour", "value": "red"}]}),
    )
    .expect_err("unknown filter");
    assert_eq!(
        error.to_string(),
        "unknown filter \"colour\" for the CKAN backend (known: organization, tags, groups)"
    );
    let error = SourceConfig::from_udata(
        "https://x.org",
        "ods",
        &json!({"extra_configs": [{"key": "max_items", "value": "-3"}]}),
    )
    .expect_err("negative");
    assert_eq!(
        error.to_string(),
        "max_items must be a positive whole number, not \"-3\""
    );
    assert!(SourceConfig::from_udata("ftp://x.org", "ckan", &json!(null)).is_err());
    assert!(SourceConfig::from_udata("https://x.org", "csw", &json!(null)).is_err());
}

//! A small JSON Schema (draft-07) validator for the CKAN response schemas of
//! `ckan-functional-tests` (in the shared fixtures). The schemas use a handful of keywords;
//! any other keyword fails loudly, so a schema that grows is noticed instead of half-checked.
//! `format` is an annotation (as draft-07 allows): CKAN's ids are UUIDs and ours are not, and
//! CKAN's own dates carry no timezone.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

/// Where the CKAN schemas are: under `$PORTAIL_FIXTURES` (which must then exist), else the
/// shared fixtures beside the work tree; `None` (with a warning) when neither is there.
pub fn ckan_schemas_dir() -> Option<PathBuf> {
    const SUB: &str = "ckan-functional-tests/ckanfunctionaltests/api/schemas";
    match std::env::var("PORTAIL_FIXTURES") {
        Ok(dir) if !dir.is_empty() => {
            let path = PathBuf::from(dir).join(SUB);
            assert!(
                path.is_dir(),
                "PORTAIL_FIXTURES is set but {} does not exist",
                path.display()
            );
            Some(path)
        }
        _ => {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/fixtures")
                .join(SUB);
            if path.is_dir() {
                Some(path)
            } else {
                eprintln!(
                    "warning: CKAN JSON Schemas not found (set PORTAIL_FIXTURES); schema checks skipped"
                );
                None
            }
        }
    }
}

/// The schemas of one folder, by name (`package_show` for `package_show.schema.json`).
pub struct Schemas {
    docs: HashMap<String, Value>,
}

impl Schemas {
    /// Loads every `*.schema.json` of a folder.
    pub fn load(dir: &std::path::Path) -> Schemas {
        let mut docs = HashMap::new();
        for entry in std::fs::read_dir(dir).expect("schemas folder") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".schema.json"))
                .map(str::to_owned);
            if let Some(name) = name {
                let text = std::fs::read_to_string(&path).expect("schema file");
                docs.insert(name, serde_json::from_str(&text).expect("schema JSON"));
            }
        }
        Schemas { docs }
    }

    /// The errors of `value` against schema `name` (empty when valid).
    pub fn validate(&self, name: &str, value: &Value) -> Vec<String> {
        let schema = self
            .docs
            .get(name)
            .unwrap_or_else(|| panic!("no schema {name}"));
        let mut errors = Vec::new();
        self.check(name, schema, value, "$", &mut errors);
        errors
    }

    fn resolve(&self, doc: &str, reference: &str) -> (String, Value) {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file.is_empty() {
            doc.to_owned()
        } else {
            file.trim_end_matches(".schema.json").to_owned()
        };
        let root = self
            .docs
            .get(&file)
            .unwrap_or_else(|| panic!("unresolvable $ref {reference}"));
        let target = if pointer.is_empty() {
            root.clone()
        } else {
            root.pointer(pointer)
                .unwrap_or_else(|| panic!("unresolvable $ref {reference}"))
                .clone()
        };
        (file, target)
    }

    fn check(&self, doc: &str, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let Some(schema) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                errors.push(format!("{at}: not allowed"));
            }
            return;
        };
        for (keyword, arg) in schema {
            match keyword.as_str() {
                "$schema" | "$id" | "title" | "description" | "$comment" | "definitions"
                | "format" => {}
                "$ref" => {
                    let (file, target) = self.resolve(doc, arg.as_str().expect("$ref string"));
                    self.check(&file, &target, value, at, errors);
                }
                "type" => {
                    let types: Vec<&str> = match arg {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                        _ => panic!("bad type"),
                    };
                    if !types.iter().any(|t| has_type(value, t)) {
                        errors.push(format!("{at}: expected {types:?}, got {value}"));
                    }
                }
                "properties" => {
                    if let (Some(props), Some(obj)) = (arg.as_object(), value.as_object()) {
                        for (key, sub) in props {
                            if let Some(v) = obj.get(key) {
                                self.check(doc, sub, v, &format!("{at}.{key}"), errors);
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Some(obj) = value.as_object() {
                        let known: Vec<&String> = schema
                            .get("properties")
                            .and_then(Value::as_object)
                            .map(|p| p.keys().collect())
                            .unwrap_or_default();
                        for (key, v) in obj.iter().filter(|(k, _)| !known.contains(k)) {
                            self.check(doc, arg, v, &format!("{at}.{key}"), errors);
                        }
                    }
                }
                "propertyNames" => {
                    if let Some(obj) = value.as_object() {
                        for key in obj.keys() {
                            self.check(
                                doc,
                                arg,
                                &Value::String(key.clone()),
                                &format!("{at} (key {key})"),
                                errors,
                            );
                        }
                    }
                }
                "required" => {
                    if let Some(obj) = value.as_object() {
                        for key in arg.as_array().expect("required list") {
                            let key = key.as_str().expect("required name");
                            if !obj.contains_key(key) {
                                errors.push(format!("{at}: missing required {key}"));
                            }
                        }
                    }
                }
                "items" => {
                    if let Some(list) = value.as_array() {
                        for (i, item) in list.iter().enumerate() {
                            self.check(doc, arg, item, &format!("{at}[{i}]"), errors);
                        }
                    }
                }
                "allOf" => {
                    for sub in arg.as_array().expect("allOf list") {
                        self.check(doc, sub, value, at, errors);
                    }
                }
                "anyOf" => {
                    let ok = arg.as_array().expect("anyOf list").iter().any(|sub| {
                        let mut errs = Vec::new();
                        self.check(doc, sub, value, at, &mut errs);
                        errs.is_empty()
                    });
                    if !ok {
                        errors.push(format!("{at}: matches none of anyOf ({value})"));
                    }
                }
                "not" => {
                    let mut errs = Vec::new();
                    self.check(doc, arg, value, at, &mut errs);
                    if errs.is_empty() {
                        errors.push(format!("{at}: must not match {arg}"));
                    }
                }
                "enum" => {
                    if !arg.as_array().expect("enum list").contains(value) {
                        errors.push(format!("{at}: {value} not in {arg}"));
                    }
                }
                "const" => {
                    if arg != value {
                        errors.push(format!("{at}: {value} is not {arg}"));
                    }
                }
                "pattern" => {
                    if let Some(s) = value.as_str()
                        && !matches_pattern(arg.as_str().expect("pattern string"), s)
                    {
                        errors.push(format!("{at}: {s:?} does not match {arg}"));
                    }
                }
                other => panic!("JSON Schema keyword {other} is not supported by this validator"),
            }
        }
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        other => panic!("unknown type {other}"),
    }
}

/// Patterns of the form `^[class]+$` (or `*`), the only ones the schemas use.
fn matches_pattern(pattern: &str, s: &str) -> bool {
    let inner = pattern
        .strip_prefix("^[")
        .and_then(|p| p.strip_suffix("]+$").or_else(|| p.strip_suffix("]*$")))
        .unwrap_or_else(|| panic!("pattern {pattern} is not supported by this validator"));
    if pattern.ends_with("+$") && s.is_empty() {
        return false;
    }
    let chars: Vec<char> = inner.chars().collect();
    s.chars().all(|c| {
        let mut i = 0;
        while i < chars.len() {
            if i + 2 < chars.len() && chars[i + 1] == '-' {
                if (chars[i]..=chars[i + 2]).contains(&c) {
                    return true;
                }
                i += 3;
            } else {
                if chars[i] == c {
                    return true;
                }
                i += 1;
            }
        }
        false
    })
}

#[test]
fn the_validator_checks_what_the_schemas_use() {
    assert!(matches_pattern("^[a-z0-9_.-]+$", "air-quality_2024.v2"));
    assert!(!matches_pattern("^[a-z0-9_.-]+$", "Air"));
    assert!(!matches_pattern("^[a-z0-9_.-]+$", ""));
    let mut docs = HashMap::new();
    docs.insert(
        "s".to_owned(),
        serde_json::json!({
            "type": "object", "required": ["a"],
            "properties": {"a": {"anyOf": [{"type": "null"}, {"$ref": "#/definitions/n"}]}},
            "propertyNames": {"not": {"enum": ["secret"]}},
            "definitions": {"n": {"type": "integer"}}
        }),
    );
    let schemas = Schemas { docs };
    assert!(
        schemas
            .validate("s", &serde_json::json!({"a": 1}))
            .is_empty()
    );
    assert!(
        schemas
            .validate("s", &serde_json::json!({"a": null}))
            .is_empty()
    );
    assert_eq!(
        schemas.validate("s", &serde_json::json!({"a": "x"})).len(),
        1
    );
    assert_eq!(schemas.validate("s", &serde_json::json!({})).len(), 1);
    assert_eq!(
        schemas
            .validate("s", &serde_json::json!({"a": 1, "secret": 2}))
            .len(),
        1
    );
}

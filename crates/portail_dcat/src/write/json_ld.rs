//! A context and compact IRIs for the JSON-LD output.

use crate::vocab::EXPORT_PREFIXES;

/// The JSON-LD serializer writes full IRIs and no context: add a context with our prefixes
/// and use them for keys, `@id`s and `@type`s, which is valid JSON-LD and much shorter.
/// Values are IRI-expanded in those three places only, so literals are never touched.
pub(super) fn compact_json_ld(bytes: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
    use serde_json::{Map, Value};

    fn compact_iri(iri: &str) -> String {
        EXPORT_PREFIXES
            .iter()
            .find_map(|(prefix, namespace)| {
                let local = iri.strip_prefix(namespace)?;
                // `prefix://...` would read as an absolute IRI, not a compact one.
                (!local.starts_with("//")).then(|| format!("{prefix}:{local}"))
            })
            .unwrap_or_else(|| iri.to_owned())
    }
    fn walk(value: Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.into_iter().map(walk).collect()),
            Value::Object(object) => Value::Object(
                object
                    .into_iter()
                    .map(|(key, value)| match key.as_str() {
                        "@id" | "@type" => {
                            let value = match value {
                                Value::String(iri) => Value::String(compact_iri(&iri)),
                                Value::Array(items) => Value::Array(
                                    items
                                        .into_iter()
                                        .map(|item| match item {
                                            Value::String(iri) => Value::String(compact_iri(&iri)),
                                            other => other,
                                        })
                                        .collect(),
                                ),
                                other => other,
                            };
                            (key, value)
                        }
                        k if k.starts_with('@') => (key, walk(value)),
                        _ => (compact_iri(&key), walk(value)),
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    let document: Value = serde_json::from_slice(bytes)?;
    let mut context = Map::new();
    for (prefix, namespace) in EXPORT_PREFIXES {
        context.insert((*prefix).to_owned(), Value::String((*namespace).to_owned()));
    }
    let mut out = Map::new();
    out.insert("@context".to_owned(), Value::Object(context));
    match walk(document) {
        Value::Object(object) => out.extend(object.into_iter().filter(|(k, _)| k != "@context")),
        other => {
            out.insert("@graph".to_owned(), other);
        }
    }
    serde_json::to_vec_pretty(&Value::Object(out))
}

//! Small helpers over `serde_json::Value` shared by the readers.

use serde_json::Value;

/// "a string", "a list"...: for messages saying what was found instead of what was expected.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

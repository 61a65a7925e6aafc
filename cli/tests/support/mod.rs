//! Shared by the CLI's end-to-end tests.

use serde_json::Value;

/// The vendored schema, with one fix: the `language` pattern of SARIF 2.1.0
/// (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) has a lone `]`, a literal in ECMA-262 regexes
/// but an error for Rust's regex engines, so it is escaped (same meaning). iamlint emits no
/// `language`, so the pattern constrains nothing we write.
pub fn sarif_schema() -> Value {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    fn fix(v: &mut Value, fixed: &mut usize) {
        match v {
            Value::Object(map) => {
                if map.get("pattern").and_then(Value::as_str) == Some(BROKEN) {
                    map.insert(
                        "pattern".into(),
                        Value::from(BROKEN.replace("}]?", "}\\]?")),
                    );
                    *fixed += 1;
                }
                map.values_mut().for_each(|v| fix(v, fixed));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| fix(v, fixed)),
            _ => {}
        }
    }
    let mut schema: Value =
        serde_json::from_str(include_str!("../sarif-schema-2.1.0.json")).expect("schema parses");
    let mut fixed = 0;
    fix(&mut schema, &mut fixed);
    assert_eq!(fixed, 2, "the schema's two language patterns");
    schema
}

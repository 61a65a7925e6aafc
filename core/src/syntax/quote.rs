//! Writing JSON string literals: the one JSON quoting helper. Every fix, hover and message that
//! writes a string into a JSON policy goes through here, so escaping is done the same way
//! everywhere (quotes, backslashes and control characters; nothing else is escaped, so non-ASCII
//! text stays readable). Writers for other host dialects (HCL, YAML) sit beside their readers in
//! `crate::host`.

/// A JSON string literal for `value`, quotes included, with the escapes JSON requires.
pub fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_json_string(&mut out, value);
    out
}

/// Append [`json_string`]`(value)` to `out`, for fix texts built in one buffer.
pub fn push_json_string(out: &mut String, value: &str) {
    out.push('"');
    push_json_escaped(out, value);
    out.push('"');
}

/// Append `value` with the escapes JSON requires, without quotes (a string literal can be
/// written in parts: escaping is per character).
pub fn push_json_escaped(out: &mut String, value: &str) {
    // Names from the catalog never need an escape: copy them whole.
    // (A fold without early exit, so the check runs over whole words at a time.)
    let needs_escape = value.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if !needs_escape {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_json_requires() {
        assert_eq!(json_string("a\"b"), "\"a\\\"b\"");
        assert_eq!(json_string("back\\slash"), "\"back\\\\slash\"");
        assert_eq!(json_string("line\nnext\u{1}"), "\"line\\nnext\\u0001\"");
        assert_eq!(json_string("é*"), "\"é*\"");
        let mut out = String::new();
        push_json_escaped(&mut out, "s3");
        push_json_escaped(&mut out, ":Get\"");
        assert_eq!(out, "s3:Get\\\"");
    }
}

//! Is this JSON document an IAM policy? Directories and editors hold every kind of JSON file
//! (package.json, tsconfig.json, .eslintrc.json, ...); only policies should get findings. A
//! policy is an object with a top-level `Statement` or `Version` member. The scan reads the top
//! level only and stops at the first such key, so it costs next to nothing even on large files
//! (and it runs before the full parse a CloudFormation template check needs).

/// True when the top-level value of `text` is an object with a `Statement` or `Version` key
/// (exact case: `"version"` in package.json is not a policy's). Tolerates broken JSON after the
/// key, so a policy being typed is still one.
pub fn is_policy_document(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = skip_ws(bytes, 0);
    // A UTF-8 byte order mark.
    if bytes[i..].starts_with(&[0xEF, 0xBB, 0xBF]) {
        i = skip_ws(bytes, i + 3);
    }
    if bytes.get(i) != Some(&b'{') {
        return false;
    }
    i += 1;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b'"') => {}
            Some(b',') => {
                i += 1;
                continue;
            }
            _ => return false,
        }
        let key_start = i + 1;
        i = skip_string(bytes, i);
        let key_end = i.saturating_sub(1).max(key_start);
        if matches!(&bytes[key_start..key_end], b"Statement" | b"Version") {
            return true;
        }
        i = skip_ws(bytes, i);
        if bytes.get(i) != Some(&b':') {
            return false;
        }
        i = skip_value(bytes, skip_ws(bytes, i + 1));
        if i >= bytes.len() {
            return false;
        }
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// From an opening quote to just after the closing one (or the end of the text).
/// (A template's top level is one long `Resources` value, mostly strings: they are skipped
/// with memchr, not byte by byte.)
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(k) = bytes
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'\\', b'"', rest))
    {
        i += k;
        if bytes[i] == b'"' {
            return i + 1;
        }
        i += 2;
    }
    bytes.len()
}

/// Skip one value: a string, a balanced container, or a scalar up to the next `,` or `}`.
fn skip_value(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = skip_string(bytes, i);
                if depth == 0 {
                    return i;
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return i,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::is_policy_document;

    #[test]
    fn policies_have_a_top_level_statement() {
        assert!(is_policy_document(
            r#"{"Version":"2012-10-17","Statement":[]}"#
        ));
        assert!(is_policy_document(
            "\u{feff}{\n \"Id\": \"x\", \"Statement\": {\"Effect\": "
        ));
        assert!(is_policy_document(
            r#"{"Version": {"nested": ["Statement", {"x": "}"}]}, "Statement": 1}"#
        ));
        assert!(is_policy_document(r#"{"Version": "2012-10-17""#));
        assert!(!is_policy_document(
            r#"{"name": "pkg", "scripts": {"Statement": "x"}}"#
        ));
        assert!(!is_policy_document(
            r#"{"name": "pkg", "version": "1.0.0", "config": {"Version": 2}}"#
        ));
        // tsconfig.json and other JSON-with-comments files.
        assert!(!is_policy_document(
            "{\n  // \"Statement\": []\n  \"compilerOptions\": {}\n}"
        ));
        assert!(!is_policy_document(r#"{"statement": []}"#));
        assert!(!is_policy_document(r#"["Statement"]"#));
        assert!(!is_policy_document(""));
        assert!(!is_policy_document("{\"Stat"));
    }
}

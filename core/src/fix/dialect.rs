//! Quoting for the languages that hold policies (Terraform's HCL, YAML), next to the JSON
//! quoting in [`super::edit`]: a fix writes a string value in the host's own syntax.

use super::edit::push_json_escaped;

/// An HCL quoted string for `value`: backslash escapes, and `$${` / `%%{` so that text which
/// looks like a template (an IAM policy variable `${aws:username}`) stays literal.
pub fn hcl_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_hcl_string(&mut out, value);
    out
}

/// Append [`hcl_string`]`(value)` to `out`, for texts built in one buffer (a fix writes
/// thousands of list items).
pub fn push_hcl_string(out: &mut String, value: &str) {
    out.push('"');
    if has_template_start(value) {
        out.push_str(&hcl_escaped(value));
    } else {
        // JSON's escapes add no `${` or `%{`: nothing to double.
        push_json_escaped(out, value);
    }
    out.push('"');
}

/// `value` escaped for the inside of an HCL quoted string.
pub fn hcl_escaped(value: &str) -> String {
    let mut json = String::with_capacity(value.len());
    push_json_escaped(&mut json, value);
    // JSON's escapes are HCL's, except that HCL has no `\/` (never written) and needs the
    // template escapes on top.
    if has_template_start(&json) {
        hcl_template_escaped(&json)
    } else {
        json
    }
}

/// Text for an HCL heredoc or quoted string: `${` and `%{` doubled so they stay literal.
pub fn hcl_template_escaped(text: &str) -> String {
    // HCL's own template starts, not the policy-variable search (`arn::variable_start`): `%{`
    // counts too, and every `${` is doubled whatever follows it.
    if !has_template_start(text) {
        // Most strings (actions, ARNs without a policy variable) have nothing to double: one
        // copy instead of two searches and copies (host fixes write thousands of them).
        return text.to_string();
    }
    text.replace("${", "$${").replace("%{", "%%{")
}

/// True when `text` has `${` or `%{`.
fn has_template_start(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|i| i > 0 && matches!(bytes[i - 1], b'$' | b'%'))
}

/// A string for `aws_iam_policy_document`: policy variables `${...}` are written `&{...}` there
/// (the data source turns them back), and the rest is an HCL string.
pub fn hcl_policy_document_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_hcl_policy_document_string(&mut out, value);
    out
}

/// Append [`hcl_policy_document_string`]`(value)` to `out`, for texts built in one buffer.
pub fn push_hcl_policy_document_string(out: &mut String, value: &str) {
    if crate::arn::has_variable(value) {
        push_hcl_string(out, &value.replace("${", "&{"));
    } else {
        // Most strings (actions, ARNs) have no policy variable: no copy.
        push_hcl_string(out, value);
    }
}

/// A YAML scalar for a string `value`: plain when YAML reads it back as the same string,
/// otherwise single-quoted (or double-quoted when it has characters single quotes cannot hold).
pub fn yaml_scalar(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_yaml_scalar(&mut out, value);
    out
}

/// Append [`yaml_scalar`]`(value)` to `out`, for texts built in one buffer.
pub fn push_yaml_scalar(out: &mut String, value: &str) {
    if yaml_plain_ok(value) {
        out.push_str(value);
    } else if value.chars().any(|c| c.is_control()) {
        out.push('"');
        push_json_escaped(out, value);
        out.push('"');
    } else {
        out.push('\'');
        out.push_str(&yaml_single_escaped(value));
        out.push('\'');
    }
}

/// `value` escaped for the inside of a single-quoted YAML scalar: `'` doubled. A line break in
/// `value` is written as one and folds into a space when read back (text for a JSON policy in
/// such a scalar breaks lines only between tokens, where a space means the same).
pub fn yaml_single_escaped(value: &str) -> String {
    value.replace('\'', "''")
}

/// `value` escaped for the inside of a double-quoted YAML scalar: JSON's escapes, which YAML's
/// double-quoted style reads the same way.
pub fn yaml_double_escaped(value: &str) -> String {
    let mut out = String::new();
    push_json_escaped(&mut out, value);
    out
}

/// Literal text for the template of CloudFormation's `Fn::Sub`, where `${` starts a
/// substitution: a literal `${` (an IAM policy variable) is written `${!`.
pub fn sub_literal(text: &str) -> String {
    text.replace("${", "${!")
}

/// True when `value` written plain reads back as the same string (in block and flow context).
/// One pass over the bytes with a table, no allocation: fixes write many scalars (every item
/// of a list they rewrite).
fn yaml_plain_ok(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    if value.trim() != value || "-?:,[]{}#&*!|>'\"%@`".contains(first) || value.ends_with(':') {
        return false;
    }
    let bytes = value.as_bytes();
    let (mut any, mut all) = (0u8, !0u8);
    for &b in &bytes[1..] {
        any |= YAML_BYTES[usize::from(b)];
        all &= YAML_BYTES[usize::from(b)];
    }
    let head = YAML_BYTES[usize::from(bytes[0])];
    // Flow indicators and control characters anywhere; `: ` and ` #` inside.
    if (any | head) & BREAKS != 0
        || ((any & SPACE) != 0 && (value.contains(": ") || value.contains(" #")))
        || (!value.is_ascii() && value.chars().any(|c| c.is_control()))
    {
        return false;
    }
    // Values YAML would read as something other than a string: a number (one sign first),
    // a date, a boolean or null.
    let number = ((head & NUMBER) != 0 || matches!(bytes[0], b'-' | b'+'))
        && (all & NUMBER) != 0
        && ((any | head) & DIGIT) != 0;
    let date = bytes.len() >= 8 && (all & head & DATE) != 0;
    let special = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]
    .iter()
    .any(|w| value.eq_ignore_ascii_case(w));
    !(special || number || date)
}

const BREAKS: u8 = 1;
const SPACE: u8 = 2;
const NUMBER: u8 = 4;
const DATE: u8 = 8;
const DIGIT: u8 = 16;

/// What each byte is to [`yaml_plain_ok`].
static YAML_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut class = 0;
        if b < 0x20 || b == 0x7f || matches!(b, b',' | b'[' | b']' | b'{' | b'}') {
            class |= BREAKS;
        }
        if b == b' ' {
            class |= SPACE;
        }
        if b.is_ascii_digit() {
            class |= NUMBER | DATE | DIGIT;
        }
        if matches!(b, b'.' | b'_' | b'e' | b'E') {
            class |= NUMBER;
        }
        if matches!(b, b'-' | b':' | b'T') {
            class |= DATE;
        }
        table[i] = class;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hcl_strings_keep_policy_variables_literal() {
        assert_eq!(hcl_string("s3:GetObject"), "\"s3:GetObject\"");
        assert_eq!(
            hcl_string("arn:aws:s3:::b/${aws:username}/*"),
            "\"arn:aws:s3:::b/$${aws:username}/*\""
        );
        assert_eq!(hcl_string("a\"b\\%{x}"), "\"a\\\"b\\\\%%{x}\"");
        assert_eq!(
            hcl_policy_document_string("home/${aws:username}/"),
            "\"home/&{aws:username}/\""
        );
    }

    proptest::proptest! {
        /// The one-buffer writers skip the template pass when there is nothing to double: the
        /// same text as escaping first and doubling after.
        #[test]
        fn hcl_strings_written_in_one_buffer_are_the_escaped_text(
            value in "([a-z:*/${}%&\\\\\"\n\t\u{1} ]|\\PC){0,16}"
        ) {
            proptest::prop_assert_eq!(hcl_string(&value), format!("\"{}\"", hcl_escaped(&value)));
            proptest::prop_assert_eq!(
                hcl_policy_document_string(&value),
                hcl_string(&value.replace("${", "&{"))
            );
        }
    }

    #[test]
    fn yaml_quotes_only_where_needed() {
        assert_eq!(yaml_scalar("s3:GetObject"), "s3:GetObject");
        assert_eq!(yaml_scalar("arn:aws:s3:::b/*"), "arn:aws:s3:::b/*");
        assert_eq!(yaml_scalar("*"), "'*'");
        assert_eq!(yaml_scalar("2012-10-17"), "'2012-10-17'");
        assert_eq!(yaml_scalar("true"), "'true'");
        assert_eq!(yaml_scalar("123"), "'123'");
        assert_eq!(yaml_scalar("it's: x"), "'it''s: x'");
        assert_eq!(yaml_scalar(""), "''");
        assert_eq!(yaml_scalar("a\nb"), "\"a\\nb\"");
        assert_eq!(
            yaml_single_escaped(r#"{"Sid": "it's"}"#),
            r#"{"Sid": "it''s"}"#
        );
        assert_eq!(
            yaml_double_escaped(r#"{"Sid": "a\b"}"#),
            r#"{\"Sid\": \"a\\b\"}"#
        );
        assert_eq!(
            sub_literal("arn:aws:s3:::b/${aws:username}/*"),
            "arn:aws:s3:::b/${!aws:username}/*"
        );
    }
}

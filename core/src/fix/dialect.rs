//! Quoting for the languages that hold policies (Terraform's HCL, YAML), next to the JSON
//! quoting in [`super::edit`]: a fix writes a string value in the host's own syntax.

use super::edit::push_json_escaped;

/// An HCL quoted string for `value`: backslash escapes, and `$${` / `%%{` so that text which
/// looks like a template (an IAM policy variable `${aws:username}`) stays literal.
pub fn hcl_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    out.push_str(&hcl_escaped(value));
    out.push('"');
    out
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
    if !has_template_start(text) {
        // Most strings (actions, ARNs without a policy variable) have nothing to double: one
        // copy instead of two searches and copies (host fixes write thousands of them).
        return text.to_string();
    }
    text.replace("${", "$${").replace("%{", "%%{")
}

/// True when `text` has `${` or `%{`.
fn has_template_start(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[1] == b'{' && (w[0] == b'$' || w[0] == b'%'))
}

/// A string for `aws_iam_policy_document`: policy variables `${...}` are written `&{...}` there
/// (the data source turns them back), and the rest is an HCL string.
pub fn hcl_policy_document_string(value: &str) -> String {
    hcl_string(&value.replace("${", "&{"))
}

/// A YAML scalar for a string `value`: plain when YAML reads it back as the same string,
/// otherwise single-quoted (or double-quoted when it has characters single quotes cannot hold).
pub fn yaml_scalar(value: &str) -> String {
    if yaml_plain_ok(value) {
        return value.to_string();
    }
    if value.chars().any(|c| c.is_control()) {
        return format!("\"{}\"", yaml_double_escaped(value));
    }
    format!("'{}'", yaml_single_escaped(value))
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
/// One pass over the bytes: fixes write many scalars (every item of a list they rewrite).
fn yaml_plain_ok(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    if value.trim() != value || "-?:,[]{}#&*!|>'\"%@`".contains(first) || value.ends_with(':') {
        return false;
    }
    let bytes = value.as_bytes();
    // Whether YAML could read it as a number or a date instead of a string.
    let (mut number, mut date, mut digit) = (true, value.len() >= 8, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            // Flow indicators, a `: ` or ` #` inside, control characters.
            b',' | b'[' | b']' | b'{' | b'}' => return false,
            b':' if bytes.get(i + 1) == Some(&b' ') => return false,
            b' ' if bytes.get(i + 1) == Some(&b'#') => return false,
            _ if b < 0x20 || b == 0x7f => return false,
            _ => {}
        }
        digit |= b.is_ascii_digit();
        let sign = i == 0 && (b == b'-' || b == b'+');
        number &= sign || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'e' | b'E');
        date &= b.is_ascii_digit() || matches!(b, b'-' | b':' | b'T');
    }
    if !value.is_ascii() && value.chars().any(|c| c.is_control()) {
        return false;
    }
    // Values YAML would read as something other than a string.
    let special = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]
    .iter()
    .any(|w| value.eq_ignore_ascii_case(w));
    !(special || (number && digit) || date)
}

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

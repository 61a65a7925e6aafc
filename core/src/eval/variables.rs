//! Policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${s3:prefix, 'home'}`) and
//! the special characters `${*}`, `${?}`, `${$}`. IAM expands them only under Version 2012-10-17.

use super::request::RequestContext;
use crate::arn::variable_start;
use crate::wildcard::Piece;

/// A piece of text with policy variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Text as written (for patterns: `*` and `?` in it are wildcards).
    Text(String),
    /// A variable to take from the request context (key in lower case), with an optional default.
    Variable {
        key_lower: String,
        default: Option<String>,
    },
    /// `${*}`, `${?}`, `${$}`: the character itself, never a wildcard.
    Escaped(char),
}

/// Split `text` into parts. Malformed variables (no closing brace) stay text, as IAM treats them.
pub fn parse_template(text: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = text;
    let mut literal = String::new();
    while let Some(start) = variable_start(rest, 0) {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let inner = &rest[start + 2..start + len];
        literal.push_str(&rest[..start]);
        let part = match inner {
            "*" => Some(Part::Escaped('*')),
            "?" => Some(Part::Escaped('?')),
            "$" => Some(Part::Escaped('$')),
            _ => parse_variable(inner),
        };
        match part {
            Some(p) => {
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                parts.push(p);
            }
            None => literal.push_str(&rest[start..start + len + 1]),
        }
        rest = &rest[start + len + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(Part::Text(literal));
    }
    parts
}

fn parse_variable(inner: &str) -> Option<Part> {
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let d = default.trim();
            let d = d.strip_prefix('\'')?.strip_suffix('\'')?;
            (key.trim(), Some(d.to_string()))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    Some(Part::Variable {
        key_lower: key.to_ascii_lowercase(),
        default,
    })
}

/// True if any part needs the request context.
pub fn has_variables(parts: &[Part]) -> bool {
    parts.iter().any(|p| !matches!(p, Part::Text(_)))
}

/// Resolve the parts into glob pieces: text keeps its wildcards, substituted values are literal.
/// None when a variable has no value and no default (then nothing can match).
pub fn resolve_pieces(parts: &[Part], context: &RequestContext) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    for part in parts {
        match part {
            Part::Text(t) => pieces.extend(crate::wildcard::pieces_of(t)),
            Part::Escaped(c) => pieces.push(Piece::Literal(c.to_string())),
            Part::Variable { key_lower, default } => {
                pieces.push(Piece::Literal(lookup(key_lower, default, context)?))
            }
        }
    }
    Some(pieces)
}

/// Resolve the parts into plain text (for operators without wildcards).
pub fn resolve_text(parts: &[Part], context: &RequestContext) -> Option<String> {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Escaped(c) => out.push(*c),
            Part::Variable { key_lower, default } => {
                out.push_str(&lookup(key_lower, default, context)?)
            }
        }
    }
    Some(out)
}

fn lookup(key_lower: &str, default: &Option<String>, context: &RequestContext) -> Option<String> {
    match context.get_lower(key_lower) {
        // A multi-valued key cannot be substituted into a single string.
        Some(v) if v.values.len() == 1 => Some(v.values[0].clone()),
        Some(_) => None,
        None => default.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::request::ContextValue;

    #[test]
    fn parses_and_resolves() {
        let parts = parse_template("arn:aws:s3:::b/${aws:username}/${*}x/${s3:prefix, 'home'}");
        assert!(has_variables(&parts));
        let mut cx = RequestContext::new();
        cx.set("aws:username", ContextValue::single("alice"));
        assert_eq!(
            resolve_text(&parts, &cx).unwrap(),
            "arn:aws:s3:::b/alice/*x/home"
        );
        let pieces = resolve_pieces(&parts, &cx).unwrap();
        assert!(pieces.iter().all(|p| matches!(p, Piece::Literal(_))));
        assert_eq!(resolve_text(&parse_template("${aws:userid}"), &cx), None);
        // Unclosed and spaced variables stay literal text.
        assert_eq!(
            parse_template("${aws:username"),
            vec![Part::Text("${aws:username".into())]
        );
        assert_eq!(
            parse_template("${aws: username}"),
            vec![Part::Text("${aws: username}".into())]
        );
    }
}

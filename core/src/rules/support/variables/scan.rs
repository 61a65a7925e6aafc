//! Finding policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, the escapes
//! `${*}`, `${?}`, `${$}`) in a string, and what is wrong with each. Offsets are byte indices
//! into the decoded string; map them to the source with `syntax::string_offset`.
//!
//! Text that is a template interpolation rather than an IAM variable — CloudFormation
//! `${AWS::AccountId}`, Terraform `${var.bucket}` — is recognised and left alone: it is replaced
//! before IAM ever sees the policy.

/// One `${...}` occurrence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable<'s> {
    /// Byte range of the whole variable, `${` to `}` inclusive (to the end of the string when
    /// the brace is missing).
    pub start: usize,
    pub end: usize,
    pub kind: VariableKind<'s>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VariableKind<'s> {
    /// A well-formed variable: its key (`aws:username`), the key's byte range, and the default
    /// value without quotes, if one is given.
    Key {
        key: &'s str,
        key_start: usize,
        key_end: usize,
        default: Option<&'s str>,
    },
    /// `${*}`, `${?}` or `${$}`: a literal `*`, `?` or `$`.
    Escape(char),
    /// `${` with no closing brace.
    MissingBrace,
    /// `${}`.
    Empty,
    /// Whitespace inside the key part (`${ aws:username}`, `${aws:user name}`).
    Space,
    /// A default value not wrapped in single quotes (`${aws:username, guest}`).
    MissingQuote,
}

impl Variable<'_> {
    /// True for the variable kinds IAM reports as an error.
    pub fn is_malformed(&self) -> bool {
        !matches!(
            self.kind,
            VariableKind::Key { .. } | VariableKind::Escape(_)
        )
    }
}

/// True when the inside of `${...}` is a template interpolation (no `prefix:name` shape, or
/// CloudFormation's `::`), not an IAM policy variable.
fn is_template(inner: &str) -> bool {
    let key = inner.split(',').next().unwrap_or("").trim();
    !key.contains(':') || key.contains("::") || key.starts_with(':')
}

/// Every policy variable in `text`, in order.
pub fn scan(text: &str) -> Vec<Variable<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = crate::arn::variable_start(text, from) {
        let inner_start = start + 2;
        let Some(close) = text[inner_start..].find('}') else {
            let rest = &text[inner_start..];
            let word = rest.split(['"', '\'', ' ', ',']).next().unwrap_or("");
            if !is_template(word) {
                out.push(Variable {
                    start,
                    end: text.len(),
                    kind: VariableKind::MissingBrace,
                });
            }
            break;
        };
        let inner_end = inner_start + close;
        let end = inner_end + 1;
        let inner = &text[inner_start..inner_end];
        from = end;
        let kind = match inner {
            "" => VariableKind::Empty,
            "*" => VariableKind::Escape('*'),
            "?" => VariableKind::Escape('?'),
            "$" => VariableKind::Escape('$'),
            _ if inner.trim().is_empty() => VariableKind::Empty,
            _ if is_template(inner) => continue,
            _ => classify(inner, inner_start),
        };
        out.push(Variable { start, end, kind });
    }
    out
}

fn classify(inner: &str, inner_start: usize) -> VariableKind<'_> {
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => (k, Some(d)),
        None => (inner, None),
    };
    if key.is_empty() || key.chars().any(char::is_whitespace) {
        return VariableKind::Space;
    }
    let default = match default {
        None => None,
        Some(d) => {
            let d = d.trim();
            let quoted = d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'');
            if !quoted {
                return VariableKind::MissingQuote;
            }
            Some(&d[1..d.len() - 1])
        }
    };
    VariableKind::Key {
        key,
        key_start: inner_start,
        key_end: inner_start + key.len(),
        default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<VariableKind<'_>> {
        scan(text).into_iter().map(|v| v.kind).collect()
    }

    #[test]
    fn finds_keys_defaults_and_escapes() {
        let vars = scan("home/${aws:username}/${aws:PrincipalTag/team, 'none'}${*}");
        assert_eq!(vars.len(), 3);
        assert_eq!((vars[0].start, vars[0].end), (5, 20));
        assert_eq!(
            vars[0].kind,
            VariableKind::Key {
                key: "aws:username",
                key_start: 7,
                key_end: 19,
                default: None
            }
        );
        assert!(matches!(
            vars[1].kind,
            VariableKind::Key {
                key: "aws:PrincipalTag/team",
                default: Some("none"),
                ..
            }
        ));
        assert_eq!(vars[2].kind, VariableKind::Escape('*'));
    }

    #[test]
    fn classifies_malformed_variables() {
        assert_eq!(kinds("a/${aws:username"), vec![VariableKind::MissingBrace]);
        assert_eq!(kinds("a/${}"), vec![VariableKind::Empty]);
        assert_eq!(kinds("${ aws:username}"), vec![VariableKind::Space]);
        assert_eq!(kinds("${aws:user name}"), vec![VariableKind::Space]);
        assert_eq!(
            kinds("${aws:username, guest}"),
            vec![VariableKind::MissingQuote]
        );
        assert_eq!(
            kinds("${aws:username,'guest}"),
            vec![VariableKind::MissingQuote]
        );
        assert!(!scan("${aws:username,'guest'}")[0].is_malformed());
    }

    #[test]
    fn template_interpolations_are_not_variables() {
        assert!(scan("arn:aws:iam::${AWS::AccountId}:root").is_empty());
        assert!(scan("arn:aws:s3:::${var.bucket}/*").is_empty());
        assert!(scan("${data.aws_caller_identity.current.account_id").is_empty());
        assert!(scan("no variables $ here { }").is_empty());
        assert!(scan("é${aws:userid}é").len() == 1);
    }
}

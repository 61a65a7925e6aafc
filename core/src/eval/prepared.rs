//! The compiled forms of a policy's values that both compiling ([`super::compile`]) and
//! evaluating ([`super::condition`]) work with: a condition value parsed once for its operator,
//! and ARN patterns. Compiling builds them, evaluating reads them; neither of those two modules
//! imports the other.

use super::values::{parse_bool, parse_date, parse_number, Cidr};
use super::variables::Part;
use crate::policy::{BaseOperator, ConditionOperator, OperatorFamily};
use crate::span::Span;
use crate::wildcard::Glob;

/// A policy value converted once for its operator family.
#[derive(Clone, Debug)]
pub enum Prepared {
    Text(String),
    Like(Glob),
    Arn(ArnGlob),
    Number(Option<f64>),
    Date(Option<i64>),
    Bool(Option<bool>),
    Cidr(Option<Cidr>),
}

impl Prepared {
    pub fn new(base: BaseOperator, text: &str) -> Prepared {
        match base.family() {
            OperatorFamily::String if base.supports_wildcards() => {
                Prepared::Like(Glob::new(text, false))
            }
            OperatorFamily::String | OperatorFamily::Binary | OperatorFamily::Null => {
                Prepared::Text(text.to_string())
            }
            OperatorFamily::Arn => Prepared::Arn(ArnGlob::new(text)),
            OperatorFamily::Numeric => Prepared::Number(parse_number(text)),
            OperatorFamily::Date => Prepared::Date(parse_date(text)),
            OperatorFamily::Bool => Prepared::Bool(parse_bool(text)),
            OperatorFamily::IpAddress => Prepared::Cidr(Cidr::parse(text)),
        }
    }
}

#[derive(Clone, Debug)]
pub struct CompiledCondition {
    pub operator: ConditionOperator,
    /// The operator as written.
    pub operator_name: String,
    /// The key as written, and in lower case for lookups.
    pub key: String,
    pub key_lower: String,
    pub values: Vec<ConditionValue>,
    pub span: Span,
}

/// A condition value from the policy, pre-parsed for its operator when it holds no variables.
#[derive(Clone, Debug)]
pub enum ConditionValue {
    Static(Prepared),
    Template(Vec<Part>),
}

/// An ARN pattern, matched by the one ARN matcher the rules use too
/// ([`crate::arn::arn_pattern_matches`]: with case, field by field, a `*` that ends a field may
/// run past the colon, `"*"` alone matches anything). Kept as pattern text in IAM's syntax in
/// which the text of substituted variables is escaped (`${*}`, `${?}`, `${$}`), so a `*` that
/// came from a request value is a literal, never a wildcard.
#[derive(Clone, Debug)]
pub struct ArnGlob {
    pattern: String,
}

impl ArnGlob {
    /// The pattern as written in the policy (no variables are expanded here).
    pub fn new(pattern: &str) -> ArnGlob {
        ArnGlob::from_pieces(crate::wildcard::pieces_of(pattern))
    }

    /// Build from pieces where literal pieces may hold any character (substituted values).
    pub fn from_pieces(pieces: Vec<crate::wildcard::Piece>) -> ArnGlob {
        use crate::wildcard::Piece;
        let mut pattern = String::new();
        for piece in pieces {
            match piece {
                Piece::Star => pattern.push('*'),
                Piece::Question => pattern.push('?'),
                Piece::Literal(text) => {
                    for c in text.chars() {
                        match c {
                            '*' => pattern.push_str("${*}"),
                            '?' => pattern.push_str("${?}"),
                            '$' => pattern.push_str("${$}"),
                            c => pattern.push(c),
                        }
                    }
                }
            }
        }
        ArnGlob { pattern }
    }

    pub fn matches(&self, arn: &str) -> bool {
        crate::arn::arn_pattern_matches(&self.pattern, arn)
    }
}

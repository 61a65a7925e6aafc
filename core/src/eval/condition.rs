//! Evaluating one condition (an operator, a key and its values) against the request context,
//! with AWS's rules for missing keys, `IfExists`, negated operators and the set qualifiers.

use std::net::IpAddr;

use super::prepared::{ArnGlob, CompiledCondition, ConditionValue, Prepared};
use super::request::RequestContext;
use super::values::{parse_bool, parse_date, parse_number};
use super::variables::{resolve_pieces, resolve_text};
use crate::policy::{BaseOperator, OperatorFamily, SetQualifier};
use crate::wildcard::Glob;

/// For values with policy variables: resolve against the context, then prepare. Substituted
/// text is literal even under StringLike and ArnLike.
fn resolve(
    base: BaseOperator,
    value: &ConditionValue,
    context: &RequestContext,
) -> Option<Prepared> {
    match value {
        ConditionValue::Static(p) => Some(p.clone()),
        ConditionValue::Template(parts) => match base.family() {
            OperatorFamily::String if base.supports_wildcards() => Some(Prepared::Like(
                Glob::from_pieces(resolve_pieces(parts, context)?, false),
            )),
            OperatorFamily::Arn => Some(Prepared::Arn(ArnGlob::from_pieces(resolve_pieces(
                parts, context,
            )?))),
            _ => Some(Prepared::new(base, &resolve_text(parts, context)?)),
        },
    }
}

/// The positive comparison behind an operator (StringNotEquals compares like StringEquals and is
/// negated by the caller).
fn positive_match(base: BaseOperator, request_value: &str, policy_value: &Prepared) -> bool {
    use BaseOperator::*;
    match (base, policy_value) {
        (StringEquals | StringNotEquals | BinaryEquals, Prepared::Text(p)) => request_value == p,
        (StringEqualsIgnoreCase | StringNotEqualsIgnoreCase, Prepared::Text(p)) => {
            request_value.eq_ignore_ascii_case(p)
                || request_value.to_lowercase() == p.to_lowercase()
        }
        (_, Prepared::Like(g)) => g.matches(request_value),
        (_, Prepared::Arn(g)) => request_value.starts_with("arn:") && g.matches(request_value),
        (_, Prepared::Number(Some(p))) => match parse_number(request_value) {
            Some(v) => match base {
                NumericEquals | NumericNotEquals => v == *p,
                NumericLessThan => v < *p,
                NumericLessThanEquals => v <= *p,
                NumericGreaterThan => v > *p,
                NumericGreaterThanEquals => v >= *p,
                _ => false,
            },
            None => false,
        },
        (_, Prepared::Date(Some(p))) => match parse_date(request_value) {
            Some(v) => match base {
                DateEquals | DateNotEquals => v == *p,
                DateLessThan => v < *p,
                DateLessThanEquals => v <= *p,
                DateGreaterThan => v > *p,
                DateGreaterThanEquals => v >= *p,
                _ => false,
            },
            None => false,
        },
        (_, Prepared::Bool(Some(p))) => parse_bool(request_value) == Some(*p),
        (_, Prepared::Cidr(Some(net))) => request_value
            .trim()
            .parse::<IpAddr>()
            .is_ok_and(|ip| net.contains(ip)),
        _ => false,
    }
}

/// The outcome of one condition, for the explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionOutcome {
    Matched,
    NotMatched,
    /// The key is absent and the operator's rule for a missing key decided.
    MatchedKeyMissing,
    NotMatchedKeyMissing,
}

impl ConditionOutcome {
    pub fn matched(self) -> bool {
        matches!(
            self,
            ConditionOutcome::Matched | ConditionOutcome::MatchedKeyMissing
        )
    }
}

/// Evaluate one condition.
pub fn evaluate(condition: &CompiledCondition, context: &RequestContext) -> ConditionOutcome {
    let op = condition.operator;
    let base = op.base;
    let request = context.get_lower(&condition.key_lower);

    if base == BaseOperator::Null {
        // "true": the key must be absent; "false": it must be present. Any listed value may match.
        let present = request.is_some_and(|v| !v.values.is_empty());
        let matched = condition.values.iter().any(|v| match v {
            ConditionValue::Static(Prepared::Text(t)) => parse_bool(t) == Some(!present),
            _ => false,
        });
        return match (matched, present) {
            (true, false) => ConditionOutcome::MatchedKeyMissing,
            (true, true) => ConditionOutcome::Matched,
            (false, false) => ConditionOutcome::NotMatchedKeyMissing,
            (false, true) => ConditionOutcome::NotMatched,
        };
    }

    let request_values: &[String] = match request {
        Some(v) => &v.values,
        None => &[],
    };
    if request.is_none() || (request_values.is_empty() && op.qualifier.is_none()) {
        // A missing key: IfExists and ForAllValues match; negated operators match; the rest do not.
        let matched = op.if_exists
            || match op.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => base.is_negated(),
            };
        return if matched {
            ConditionOutcome::MatchedKeyMissing
        } else {
            ConditionOutcome::NotMatchedKeyMissing
        };
    }

    let policy_values: Vec<Prepared> = condition
        .values
        .iter()
        .filter_map(|v| resolve(base, v, context))
        .collect();
    // Does one request value satisfy the operator (for negated operators: match none of the
    // policy values)?
    let value_ok = |rv: &str| {
        let any = policy_values.iter().any(|pv| positive_match(base, rv, pv));
        if base.is_negated() {
            !any
        } else {
            any
        }
    };
    let matched = match op.qualifier {
        Some(SetQualifier::ForAllValues) => request_values.iter().all(|rv| value_ok(rv)),
        Some(SetQualifier::ForAnyValue) => request_values.iter().any(|rv| value_ok(rv)),
        // Without a qualifier a multi-valued key behaves as "any value": for negated operators,
        // the condition holds only when no request value matches.
        None if base.is_negated() => request_values.iter().all(|rv| value_ok(rv)),
        None => request_values.iter().any(|rv| value_ok(rv)),
    };
    if matched {
        ConditionOutcome::Matched
    } else {
        ConditionOutcome::NotMatched
    }
}

//! Shared by the EMPTY_ARRAY_CONDITION* rules: which empty value lists belong to which rule.

use crate::policy::{ConditionOperator, SetQualifier};
use crate::rules::{Context, Sink};
use crate::syntax::NodeKind;

use super::walk::{sites, Site};

/// The empty-array rule that applies to an operator: qualifiers first, then IfExists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmptyKind {
    Plain,
    ForAllValues,
    ForAnyValue,
    IfExists,
}

pub fn kind_for(op: &ConditionOperator) -> EmptyKind {
    match (op.qualifier, op.if_exists) {
        (Some(SetQualifier::ForAllValues), _) => EmptyKind::ForAllValues,
        (Some(SetQualifier::ForAnyValue), _) => EmptyKind::ForAnyValue,
        (None, true) => EmptyKind::IfExists,
        (None, false) => EmptyKind::Plain,
    }
}

/// True when the site's value is `[]` and its operator calls for `kind`.
pub fn is_empty_array_for(site: &Site<'_, '_>, kind: EmptyKind) -> bool {
    let empty = matches!(
        site.entry.value_node().map(|n| &n.kind),
        Some(NodeKind::Array(items)) if items.is_empty()
    );
    empty && site.operator().is_some_and(|op| kind_for(&op) == kind)
}

/// Report every `[]` value whose operator calls for `kind`, at the empty list (or at the key
/// when the value is missing). `message` gets the condition key and the operator as written.
pub fn report_empty_arrays(
    cx: &Context<'_>,
    sink: &mut Sink<'_>,
    kind: EmptyKind,
    message: fn(key: &str, operator: &str) -> String,
) {
    for site in sites(cx.policy).filter(|s| is_empty_array_for(s, kind)) {
        let span = site.entry.value_node().map_or(site.key_span(), |n| n.span);
        sink.report(span, message(site.key(), &site.block.operator_key.value));
    }
}

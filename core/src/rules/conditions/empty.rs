//! Shared by the EMPTY_ARRAY_CONDITION* rules: which empty value lists belong to which rule.

use crate::policy::{ConditionOperator, SetQualifier};
use crate::syntax::NodeKind;

use super::walk::Site;

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

//! Shared by the rules that relate a condition key to the actions of its statement: which
//! actions a statement names (wildcards expanded through the catalog) and which of them, or
//! which of their services, support a key.

use std::cmp::Ordering;

use crate::catalog::{Action, Catalog, Service};
use crate::policy::{BaseOperator, Statement};

use super::walk::Site;

/// The catalog actions a statement's `Action` element names ([`Catalog::actions_named`]),
/// ordered by lower-cased full name, as the rules' messages list them.
pub fn statement_actions<'c>(catalog: &'c Catalog, statement: &Statement<'_>) -> Vec<Action<'c>> {
    let items = statement.action.iter().flat_map(|l| l.items.iter());
    let mut actions = catalog.actions_named(items.map(|item| item.value));
    // Without building the names; the list has no repeats, so the order is total.
    actions.sort_unstable_by(cmp_full_names);
    actions
}

/// Compare `prefix:name` of two actions as their ASCII-lower-cased full names compare.
fn cmp_full_names(a: &Action<'_>, b: &Action<'_>) -> Ordering {
    let (ap, bp) = (a.service().prefix(), b.service().prefix());
    if ap == bp {
        // Same service (the usual case): the names decide.
        return lower_bytes(a.name()).cmp(lower_bytes(b.name()));
    }
    lower_bytes(ap)
        .chain([b':'])
        .chain(lower_bytes(a.name()))
        .cmp(lower_bytes(bp).chain([b':']).chain(lower_bytes(b.name())))
}

fn lower_bytes(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().map(|b| b.to_ascii_lowercase())
}

/// True when `action` supports `key`; a key `prefix:Head/tail` is also supported when the
/// action lists `prefix:Head/<placeholder>` however the placeholder is written.
pub fn action_supports(action: &Action<'_>, key: &str) -> bool {
    if action.supports_condition_key(key) {
        return true;
    }
    let Some((head, _)) = key.split_once('/') else {
        return false;
    };
    action.condition_keys().any(|k| {
        k.name()
            .split_once('/')
            .is_some_and(|(h, _)| h.eq_ignore_ascii_case(head))
    })
}

/// True when any action of `service` supports `key`.
pub fn service_supports(service: &Service<'_>, key: &str) -> bool {
    service.actions().any(|a| action_supports(&a, key))
}

/// True when the operator tolerates the key being absent (`...IfExists`, `Null`), so actions
/// that never send the key are handled on purpose.
pub fn tolerates_absent_key(site: &Site<'_, '_>) -> bool {
    site.operator()
        .is_some_and(|op| op.if_exists || op.base == BaseOperator::Null)
}

/// "a, b, c and 4 more" for messages.
pub fn list_some(names: &[String], shown: usize) -> String {
    let mut out = names
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > shown {
        out.push_str(&format!(" and {} more", names.len() - shown));
    }
    out
}

//! Shared by the two DENY_*_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE rules: which services
//! never set a tag condition key, so that a Deny gated on that key never applies to them.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::policy::{ConditionBlock, ConditionEntry, Statement};

use super::security::{action_supports_key, condition_entries, is_tag_key};
use crate::wildcard::action_matches;

/// The tag-key entries of a Deny statement whose operator is false when the key is missing
/// (positive operators without IfExists): for services that never set the key, the Deny is dead.
pub fn dead_tag_entries<'s, 'a>(
    st: &'s Statement<'a>,
) -> Vec<(&'s ConditionBlock<'a>, &'s ConditionEntry<'a>)> {
    if !st.is_deny() {
        return Vec::new();
    }
    condition_entries(st)
        .filter(|(b, e)| {
            is_tag_key(&e.key.value)
                && b.operator.is_some_and(|op| {
                    !op.if_exists
                        && !op.base.is_negated()
                        && op.base != crate::policy::BaseOperator::Null
                })
        })
        .collect()
}

/// For the actions of the statement's Action list: the services (prefix -> example actions)
/// none of whose listed actions support `key`.
pub fn unsupported_services_for_actions(
    catalog: &Catalog,
    st: &Statement<'_>,
    key: &str,
) -> BTreeMap<String, Vec<String>> {
    // By prefix (the catalog's, so ordered as the owned strings would be); a service known to
    // support the key drops out, so its actions are neither checked nor named any more.
    let mut by_service: BTreeMap<&str, (bool, Vec<String>)> = BTreeMap::new();
    let Some(list) = &st.action else {
        return BTreeMap::new();
    };
    let mut expanded = Vec::new();
    for item in &list.items {
        expanded.clear();
        catalog.expand_action_pattern_into(item.value, &mut expanded);
        for action in &expanded {
            let entry = by_service
                .entry(action.service().prefix())
                .or_insert((false, Vec::new()));
            if entry.0 {
                continue;
            }
            if action_supports_key(action, key) {
                *entry = (true, Vec::new());
            } else {
                entry.1.push(action.full_name());
            }
        }
    }
    by_service
        .into_iter()
        .filter(|(_, (supported, _))| !supported)
        .map(|(service, (_, actions))| (service.to_string(), actions))
        .collect()
}

/// For a NotAction statement: the services it covers (not every action excluded) that have no
/// action supporting `key`.
pub fn unsupported_services_for_not_action(
    catalog: &Catalog,
    st: &Statement<'_>,
    key: &str,
) -> Vec<String> {
    let Some(list) = &st.not_action else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for service in catalog.services() {
        let mut covered = false;
        let mut supported = false;
        for action in service.actions() {
            let name = action.full_name();
            if list.items.iter().any(|i| action_matches(i.value, &name)) {
                continue;
            }
            covered = true;
            if action_supports_key(&action, key) {
                supported = true;
                break;
            }
        }
        if covered && !supported {
            out.push(service.prefix().to_string());
        }
    }
    out
}

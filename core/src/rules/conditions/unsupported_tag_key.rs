//! Shared by ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE and its NotAction variant:
//! the services a statement reaches that never set a global tag key.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::policy::Statement;

use super::actions::{service_supports, statement_actions};
use super::walk::glob_match;

/// Prefixes of the services named by the statement's Action that never set `key`.
pub fn unsupported_services_for_action(
    catalog: &Catalog,
    statement: &Statement<'_>,
    key: &str,
) -> Vec<String> {
    let mut services = BTreeMap::new();
    for action in statement_actions(catalog, statement) {
        let service = action.service();
        services
            .entry(service.prefix().to_string())
            .or_insert(service);
    }
    services
        .into_iter()
        .filter(|(_, s)| !service_supports(s, key))
        .map(|(p, _)| p)
        .collect()
}

/// Prefixes of the services an Allow with NotAction still reaches (those not wholly excluded
/// by a `service:*` entry) that never set `key`.
pub fn unsupported_services_for_not_action(
    catalog: &Catalog,
    statement: &Statement<'_>,
    key: &str,
) -> Vec<String> {
    let excluded: Vec<&str> = statement
        .not_action
        .iter()
        .flat_map(|l| l.items.iter())
        .map(|i| i.value)
        .collect();
    catalog
        .services()
        .filter(|s| {
            let all = format!("{}:*", s.prefix());
            !excluded
                .iter()
                .any(|p| glob_match(p, &all) && p.ends_with('*'))
        })
        .filter(|s| !service_supports(s, key))
        .map(|s| s.prefix().to_string())
        .collect()
}

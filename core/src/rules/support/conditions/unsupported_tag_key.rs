//! Shared by ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE and its NotAction variant:
//! the services an Allow reaches that never set a global tag key it is conditioned on.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::policy::Statement;
use crate::rules::{Context, Sink};

use super::actions::{
    is_global_tag_key, service_supports, statement_actions, tolerates_absent_key,
};
use super::walk::sites;
use crate::wildcard::action_matches;

/// How the Allow names the actions it grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Action,
    NotAction,
}

/// Report, at the key, every global tag key an Allow of `reach` is conditioned on (and needs
/// present) that some of the services it reaches never set. `message` gets those services'
/// prefixes (never empty) and the key.
pub fn report_unsupported_tag_keys(
    cx: &Context<'_>,
    sink: &mut Sink<'_>,
    reach: Reach,
    message: fn(services: &[String], key: &str) -> String,
) {
    for site in sites(cx.policy) {
        let st = site.statement;
        let names_actions = match reach {
            Reach::Action => st.action.is_some(),
            Reach::NotAction => st.not_action.is_some(),
        };
        if !st.is_allow()
            || !names_actions
            || !is_global_tag_key(site.key())
            || tolerates_absent_key(&site)
        {
            continue;
        }
        let services = match reach {
            Reach::Action => unsupported_services_for_action(cx.catalog, st, site.key()),
            Reach::NotAction => unsupported_services_for_not_action(cx.catalog, st, site.key()),
        };
        if services.is_empty() {
            continue;
        }
        sink.report(site.key_span(), message(&services, site.key()));
    }
}

/// Prefixes of the services named by the statement's Action that never set `key`.
fn unsupported_services_for_action(
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
fn unsupported_services_for_not_action(
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
                .any(|p| action_matches(p, &all) && p.ends_with('*'))
        })
        .filter(|s| !service_supports(s, key))
        .map(|s| s.prefix().to_string())
        .collect()
}

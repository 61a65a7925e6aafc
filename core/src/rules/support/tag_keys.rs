//! The global tag condition keys (`aws:ResourceTag/...`, `aws:RequestTag/...`, `aws:TagKeys`)
//! and the services that never set them: shared by the ALLOW_* and DENY_*
//! `..._WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE` rules (Action and NotAction forms).
//!
//! Support comes from the catalog, one action at a time ([`action_supports`]). An Allow asks
//! whether a service sets the key at all (if none of its actions does, the grant is empty
//! there); a Deny asks of the very actions it names (each one that never gets the key is never
//! denied).

use std::collections::BTreeMap;

use crate::catalog::{Action, Catalog, Service};
use crate::policy::{BaseOperator, ConditionBlock, ConditionEntry, Statement, StringList};
use crate::rules::{Context, Sink};
use crate::wildcard::action_matches;

use super::conditions::actions::{
    action_supports, service_supports, statement_actions, tolerates_absent_key,
};
use super::conditions::walk::sites;
use super::security::condition_entries;

/// True for the global tag keys whose support varies by service: `aws:ResourceTag/...`,
/// `aws:RequestTag/...` and `aws:TagKeys`.
pub fn is_global_tag_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower == "aws:tagkeys"
        || lower.starts_with("aws:resourcetag/")
        || lower.starts_with("aws:requesttag/")
}

/// The services a NotAction list still reaches, each with its actions the list does not
/// exclude (never empty), in the catalog's order.
fn reached_by_not_action<'c>(
    catalog: &'c Catalog,
    list: &StringList<'_>,
) -> Vec<(Service<'c>, Vec<Action<'c>>)> {
    let mut out = Vec::new();
    for service in catalog.services() {
        let reached: Vec<Action<'c>> = service
            .actions()
            .filter(|action| {
                let name = action.full_name();
                !list.items.iter().any(|i| action_matches(i.value, &name))
            })
            .collect();
        if !reached.is_empty() {
            out.push((service, reached));
        }
    }
    out
}

// ---- Allow ----

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
        let list = match reach {
            Reach::Action => st.action.as_ref(),
            Reach::NotAction => st.not_action.as_ref(),
        };
        let Some(list) = list else {
            continue;
        };
        if !st.is_allow() || !is_global_tag_key(site.key()) || tolerates_absent_key(&site) {
            continue;
        }
        let services = match reach {
            Reach::Action => unsupported_services_for_action(cx, st, site.key()),
            Reach::NotAction => reached_by_not_action(cx.catalog, list)
                .into_iter()
                .filter(|(s, _)| !service_supports(s, site.key()))
                .map(|(s, _)| s.prefix().to_string())
                .collect(),
        };
        if services.is_empty() {
            continue;
        }
        sink.report(site.key_span(), message(&services, site.key()));
    }
}

/// Prefixes of the services named by the statement's Action that never set `key`.
fn unsupported_services_for_action(
    cx: &Context<'_>,
    statement: &Statement<'_>,
    key: &str,
) -> Vec<String> {
    let mut services = BTreeMap::new();
    for action in statement_actions(cx, statement) {
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

// ---- Deny ----

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
            is_global_tag_key(&e.key.value)
                && b.operator.is_some_and(|op| {
                    !op.if_exists && !op.base.is_negated() && op.base != BaseOperator::Null
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
            if action_supports(action, key) {
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

/// For a NotAction statement: the services it reaches none of whose reached actions support
/// `key`.
pub fn unsupported_services_for_not_action(
    catalog: &Catalog,
    st: &Statement<'_>,
    key: &str,
) -> Vec<String> {
    let Some(list) = &st.not_action else {
        return Vec::new();
    };
    reached_by_not_action(catalog, list)
        .into_iter()
        .filter(|(_, actions)| !actions.iter().any(|a| action_supports(a, key)))
        .map(|(s, _)| s.prefix().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_tag_keys_in_any_case() {
        assert!(is_global_tag_key("aws:ResourceTag/team"));
        assert!(is_global_tag_key("AWS:requesttag/x"));
        assert!(is_global_tag_key("aws:TagKeys"));
        assert!(!is_global_tag_key("aws:PrincipalTag/team"));
        assert!(!is_global_tag_key("ec2:ResourceTag/team"));
        assert!(!is_global_tag_key("aws:TagKeysX"));
    }

    #[test]
    fn not_action_reaches_services_with_an_action_left() {
        let text =
            r#"{"Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "sts:*", "s3:Get*"]}]}"#;
        let document = crate::syntax::parse(text);
        let policy = crate::policy::Policy::from_root(document.root.as_ref());
        let catalog = crate::catalog::catalog();
        let list = policy.statements[0].not_action.as_ref().unwrap();
        let reached = reached_by_not_action(catalog, list);
        let prefixes: Vec<&str> = reached.iter().map(|(s, _)| s.prefix()).collect();
        assert!(!prefixes.contains(&"iam") && !prefixes.contains(&"sts"));
        let (_, s3) = reached.iter().find(|(s, _)| s.prefix() == "s3").unwrap();
        assert!(!s3.is_empty() && s3.iter().all(|a| !a.name().starts_with("Get")));
        assert!(prefixes.contains(&"ec2"));
    }
}

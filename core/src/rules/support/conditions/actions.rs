//! Shared by the rules that relate a condition key to the actions of its statement: which
//! actions a statement names (wildcards expanded through the catalog) and which of them, or
//! which of their services, support a key.

use std::cmp::Ordering;

use crate::catalog::{Action, Service};
use crate::policy::{BaseOperator, Statement};
use crate::rules::Context;

use super::walk::Site;
use crate::number_set::NumberSet;

/// The catalog actions a statement's `Action` element names, each once (as
/// [`crate::catalog::Catalog::actions_named`] gives them), ordered by lower-cased full name, as the rules'
/// messages list them. Read from the statement's shared expansion
/// ([`Context::expanded_actions`]) rather than expanding the list again.
pub fn statement_actions(cx: &Context<'_>, statement: &Statement<'_>) -> Vec<Action<'static>> {
    let all = cx.expanded_actions(statement).all();
    // Each action once, where the list first names it: a bit per catalog action.
    let mut actions: Vec<Action<'static>> = if all.len() > 1 {
        let mut seen = NumberSet::below(cx.catalog.action_count());
        all.iter()
            .copied()
            .filter(|a| seen.insert(a.number()))
            .collect()
    } else {
        all.to_vec()
    };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    /// Generated Action lists (a fixed pseudo-random sequence) with repeats, case variants,
    /// overlapping patterns and unknown names: the actions read from the shared expansion are
    /// those the catalog names for the list, in the same order.
    #[test]
    fn statement_actions_are_the_lists_actions_once_each() {
        const ITEMS: &[&str] = &[
            "s3:GetObject",
            "S3:getobject",
            "s3:Get*",
            "s3:*Object",
            "s3:PutObject",
            "ec2:RunInstances",
            "ec2:Describe*",
            "iam:PassRole",
            "*:PassRole",
            "nope:X",
            "s3",
            "kms:*",
        ];
        let catalog = crate::catalog::catalog();
        let mut next = crate::test_random::below(0x9e37_79b9_7f4a_7c15u64);
        let mut repeated = 0;
        for _ in 0..300 {
            let items: Vec<&str> = (0..next(6)).map(|_| ITEMS[next(ITEMS.len())]).collect();
            let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
            let text = format!(
                r#"{{"Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}]}}"#,
                quoted.join(", ")
            );
            let document = crate::syntax::parse(&text);
            let policy = Policy::from_root(document.root.as_ref());
            let policy_type = crate::policy::PolicyType::Identity;
            let cx = Context::new(&text, &document, &policy, &policy_type);
            let st = &policy.statements[0];
            let mut want = catalog.actions_named(items.iter().copied());
            want.sort_unstable_by(cmp_full_names);
            let got = statement_actions(&cx, st);
            let ids = |v: &[Action<'_>]| v.iter().map(Action::id).collect::<Vec<_>>();
            assert_eq!(ids(&got), ids(&want), "{text}");
            if cx.expanded_actions(st).all().len() > got.len() {
                repeated += 1;
            }
        }
        assert!(repeated > 50, "{repeated}");
    }
}

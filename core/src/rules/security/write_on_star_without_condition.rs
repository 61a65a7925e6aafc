use crate::bytes::push_decimal;
use crate::catalog::{AccessLevel, Action};
use crate::diagnostic::{Category, Related};
use crate::number_set::NumberSet;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::narrowing::read_conditions;
use crate::rules::support::security::{is_identity, push_name_list, star_action, star_resource};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "WRITE_ON_STAR_WITHOUT_CONDITION",
        category: Category::Warning,
        summary: "Write or permissions-management actions are allowed on Resource \"*\" with no condition that narrows them.",
        explanation: "Actions at the Write and Permissions management access levels change or \
            delete resources, or change who may use them. Granted on `\"*\"` with no condition, \
            they reach every resource of that kind. Name the resources, or add a condition that \
            pins which resources (a resource tag, `aws:ResourceAccount`), who or from where. A \
            condition that leaves the same resources reachable (`aws:RequestedRegion`, \
            `aws:SecureTransport`, `aws:MultiFactorAuthPresent`, a request tag) does not count; \
            the risk rules read conditions the same way.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteQueue"], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteQueue"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "payments"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !is_identity(cx.policy_type) {
        return;
    }
    for st in &cx.policy.statements {
        // Action "*" has a finding of its own.
        if !st.is_allow() || star_action(st).is_some() {
            continue;
        }
        // Only a condition that pins who, which resources or from where narrows the grant.
        let conditions = read_conditions(st);
        if conditions.narrows() {
            continue;
        }
        let Some(star) = star_resource(st) else {
            continue;
        };
        let Some(list) = &st.action else { continue };
        let expanded = cx.expanded_actions(st);
        // The message spells out four names and counts the rest: only those are built.
        let mut shown: Vec<Action<'static>> = Vec::new();
        // Actions of earlier items, to count an action granted twice once: a bit per catalog
        // action (`Action::number`), set once an item is done (within one item's expansion an
        // action never repeats). Keeping them sorted cost a sort after every item.
        let mut seen = NumberSet::below(cx.catalog.action_count());
        let mut fresh: Vec<usize> = Vec::new();
        let (mut write, mut permissions, mut scoped) = (0usize, 0usize, 0usize);
        let mut sources = Vec::new();
        for (i, item) in list.items.iter().enumerate() {
            let mut from_item = 0usize;
            for action in expanded.item(i) {
                let level = action.access_level();
                if level != AccessLevel::Write && level != AccessLevel::PermissionsManagement {
                    continue;
                }
                let number = action.number();
                if seen.contains(number) {
                    continue;
                }
                fresh.push(number);
                if action.resource_types().next().is_some() {
                    scoped += 1;
                }
                if level == AccessLevel::Write {
                    write += 1;
                } else {
                    permissions += 1;
                }
                if shown.len() < 4 {
                    shown.push(*action);
                }
                from_item += 1;
            }
            if from_item > 0 {
                sources.push((item, from_item));
            }
            if i + 1 < list.items.len() && !fresh.is_empty() {
                for number in fresh.drain(..) {
                    seen.insert(number);
                }
            }
        }
        let total = write + permissions;
        if total == 0 {
            continue;
        }
        let d = sink.report(
            star.span(),
            message(
                st.condition.is_some(),
                write,
                permissions,
                scoped,
                &shown,
                &conditions.note(),
            ),
        );
        for (item, count) in sources {
            let mut message = String::with_capacity(24);
            message.push_str("grants ");
            push_decimal(&mut message, count);
            message.push_str(" of them");
            d.related.push(Related {
                span: item.span(),
                message,
            });
        }
    }
}

/// "Resource \"*\" with no condition grants 2 Write and 1 Permissions management actions on
/// every resource (a, b and c); ...", written into one buffer: `write` and `permissions` are
/// the counts at each level, `scoped` how many of them take a resource, `shown` the first names
/// and `note` what the statement's condition does not narrow (or nothing). A `format!` around a
/// joined list of `format!`ed levels was most of the rule's time outside the walk.
fn message(
    has_condition: bool,
    write: usize,
    permissions: usize,
    scoped: usize,
    shown: &[Action<'_>],
    note: &str,
) -> String {
    let total = write + permissions;
    let mut out = String::with_capacity(320);
    out.push_str("Resource \"*\"");
    if !has_condition {
        out.push_str(" with no condition");
    }
    out.push_str(" grants ");
    if write > 0 {
        push_decimal(&mut out, write);
        out.push_str(" Write");
    }
    if permissions > 0 {
        if write > 0 {
            out.push_str(" and ");
        }
        push_decimal(&mut out, permissions);
        out.push_str(" Permissions management");
    }
    out.push_str(if total == 1 { " action" } else { " actions" });
    out.push_str(" on every resource (");
    push_name_list(&mut out, shown, total, |out, a| {
        out.push_str(a.service().prefix());
        out.push(':');
        out.push_str(a.name());
    });
    out.push(')');
    out.push_str(note);
    out.push_str("; ");
    if scoped == 0 {
        out.push_str(
            "none of them can be limited to named resources, so add a condition (a resource \
             tag, aws:ResourceAccount, the caller or the network)",
        );
    } else if scoped == total {
        out.push_str("name the resources or add a condition");
    } else {
        push_decimal(&mut out, scoped);
        out.push_str(" of them can be limited to named resources; name those, or add a condition");
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "WRITE_ON_STAR_WITHOUT_CONDITION";

    #[test]
    fn points_at_the_star_and_relates_the_write_action() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        let start = text.rfind(r#""*""#).unwrap();
        assert_eq!(found[0].span, crate::span::Span::new(start, start + 3));
        assert!(
            found[0].message.contains("sqs:DeleteQueue"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].related.len(), 1);
        assert_eq!(found[0].related[0].span.slice(text), "\"sqs:DeleteQueue\"");
    }

    #[test]
    fn a_condition_or_read_only_actions_do_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
        let read = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*"}]}"#;
        assert!(findings_of(read, "identity", CODE).is_empty());
    }

    /// Issue 12: any condition silenced the rule; only one that pins who, which resources or
    /// from where does, and the message names the condition it did not count.
    #[test]
    fn only_a_narrowing_condition_silences_it() {
        let with = |condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "sqs:DeleteQueue", "Resource": "*", "Condition": {condition}}}]}}"#
            )
        };
        let region = with(r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#);
        let found = findings_of(&region, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .starts_with("Resource \"*\" grants 1 Write action")
                && found[0].message.contains(
                    "(its condition on aws:RequestedRegion does not limit who, which resources \
                     or from where)"
                ),
            "{}",
            found[0].message
        );
        // Neighbours: conditions that pin what, who or from where silence it.
        for narrowing in [
            r#"{"StringEquals": {"aws:ResourceAccount": "111122223333"}}"#,
            r#"{"StringEquals": {"aws:PrincipalTag/team": "payments"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
        ] {
            assert!(
                findings_of(&with(narrowing), "identity", CODE).is_empty(),
                "{narrowing}"
            );
        }
        // A negated test lets requests without the key through: it does not narrow.
        let negated = with(r#"{"StringNotEquals": {"aws:ResourceAccount": "111122223333"}}"#);
        assert_eq!(findings_of(&negated, "identity", CODE).len(), 1);
    }

    #[test]
    fn action_names_are_unique_without_case() {
        for service in crate::catalog::catalog().services() {
            let names: Vec<String> = service
                .actions()
                .map(|a| a.name().to_ascii_lowercase())
                .collect();
            for w in names.windows(2) {
                assert!(w[0] < w[1], "{} {:?}", service.prefix(), w);
            }
        }
    }

    /// The message written into one buffer against the `format!` it replaced, on generated
    /// counts (either level alone or both, none, some or all scoped, up to four names shown
    /// with or without more) and notes.
    #[test]
    fn message_reads_as_the_formatted_one() {
        use crate::rules::support::security::name_list_of;
        let catalog = crate::catalog::catalog();
        let pool = catalog.expand_action_pattern("sqs:*");
        let mut next = crate::test_random::below(0x0371_7e0a_57a2);
        for _ in 0..500 {
            let (write, permissions) = match next(3) {
                0 => (1 + next(5), 0),
                1 => (0, 1 + next(5)),
                _ => (1 + next(5), 1 + next(5)),
            };
            let total = write + permissions;
            let scoped = [0, total, next(total + 1)][next(3)];
            let shown: Vec<_> = (0..total.min(4)).map(|_| pool[next(pool.len())]).collect();
            let names: Vec<String> = shown.iter().map(|a| a.full_name()).collect();
            let note = ["", " (its condition on aws:SourceIp does not limit who)"][next(2)];
            let has_condition = next(2) == 0;
            let levels: Vec<String> = [(write, "Write"), (permissions, "Permissions management")]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, level)| format!("{n} {level}"))
                .collect();
            let advice = if scoped == 0 {
                "none of them can be limited to named resources, so add a condition (a resource \
                 tag, aws:ResourceAccount, the caller or the network)"
                    .to_string()
            } else if scoped == total {
                "name the resources or add a condition".to_string()
            } else {
                format!("{scoped} of them can be limited to named resources; name those, or add a condition")
            };
            let with = if has_condition {
                ""
            } else {
                " with no condition"
            };
            let want = format!(
                "Resource \"*\"{with} grants {} action{} on every resource ({}){}; {advice}",
                levels.join(" and "),
                if total == 1 { "" } else { "s" },
                name_list_of(&names, total),
                note
            );
            let got = super::message(has_condition, write, permissions, scoped, &shown, note);
            assert_eq!(got, want);
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

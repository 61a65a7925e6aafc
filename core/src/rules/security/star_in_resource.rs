use crate::bytes::push_decimal;
use crate::catalog::Action;
use crate::diagnostic::Category;
use crate::fix::narrow::resource_star_fix;
use crate::number_set::NumberSet;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::narrowing::scoped_by_tag;
use crate::rules::support::security::{is_identity, push_name_list, star_action, star_resource};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "STAR_IN_RESOURCE",
        category: Category::Warning,
        summary: "Resource \"*\" is used with actions that can be limited to specific resources.",
        explanation: "Many actions support resource-level permissions: they can be limited to \
            named buckets, queues, roles or keys. With `\"Resource\": \"*\"` they apply to every \
            such resource in the account, and in other accounts that trust it. Actions that only \
            work with `\"*\"` (such as `s3:ListAllMyBuckets`) are not reported, nor are \
            statements that scope the resources by tag (a positive condition on \
            `aws:ResourceTag/...` or a service's own resource-tag key). The fix replaces \
            `\"*\"` with the ARN patterns of the resource types the actions use, with the names \
            left for you to fill in.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}"#,
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
        if !st.is_allow() || star_action(st).is_some() {
            continue;
        }
        let Some(star) = star_resource(st) else {
            continue;
        };
        // Attribute-based access control: a positive condition on the resource's tags scopes
        // the resources by tag instead of by name. An action whose requests lack the key is
        // not granted at all (the condition cannot hold), so nothing is left open on "*".
        if scoped_by_tag(st) {
            continue;
        }
        if st.action.is_none() {
            continue;
        }
        // Unknown entries are another rule's business; look at the ones the catalog knows.
        let actions = cx.expanded_actions(st).all();
        // The message names a few actions and resource types and counts the rest: only the
        // names shown are kept, as catalog references written straight into the message.
        let mut scoped = 0usize;
        let mut shown: Vec<Action<'static>> = Vec::new();
        // Distinct resource types in order of first use, by the catalog's number for each
        // (a type belongs to its action's service and its name is unique there, as a catalog
        // test checks, so distinct numbers are distinct "service:type" names). A bit per type:
        // a set hashing the names read every name's bytes, a fifth of the rule's time.
        let mut type_count = 0usize;
        let mut shown_types: Vec<(&'static str, &'static str)> = Vec::new();
        let mut seen_types = NumberSet::below(cx.catalog.resource_type_count());
        for a in actions {
            let mut types = a.resource_types().peekable();
            if types.peek().is_none() {
                continue;
            }
            scoped += 1;
            if shown.len() < SHOWN_ACTIONS {
                shown.push(*a);
            }
            for t in types {
                if !seen_types.insert(t.resource_type.index()) {
                    continue;
                }
                type_count += 1;
                if shown_types.len() < SHOWN_TYPES {
                    shown_types.push((a.service().prefix(), t.resource_type.name()));
                }
            }
        }
        if scoped == 0 {
            continue;
        }
        let d = sink.report(
            star.span(),
            message(&shown, scoped, actions.len(), &shown_types, type_count),
        );
        // The fix needs every action to take a resource: with one that only works with "*",
        // there is none to build.
        if scoped < actions.len() {
            continue;
        }
        d.review_fixes_with(|| resource_star_fix(cx.layout(), st, cx.known_actions(st)));
    }
}

/// How many actions and resource types the message names before "and N more".
const SHOWN_ACTIONS: usize = 3;
const SHOWN_TYPES: usize = 4;
/// "s3:GetObject, s3:PutObject and 2 more can be limited to specific resources (resource
/// types s3:object and s3:bucket), but \"*\" grants them on every resource; ...", written into
/// one buffer (see [`push_name_list`]). `shown` are the first of the `scoped` actions that take
/// a resource, out of `total` actions; `shown_types` the first of `type_count` types.
fn message(
    shown: &[Action<'_>],
    scoped: usize,
    total: usize,
    shown_types: &[(&str, &str)],
    type_count: usize,
) -> String {
    let full_name = |out: &mut String, a: &Action<'_>| {
        out.push_str(a.service().prefix());
        out.push(':');
        out.push_str(a.name());
    };
    let mut out = String::with_capacity(256);
    if scoped == total {
        push_name_list(&mut out, shown, scoped, full_name);
    } else {
        push_decimal(&mut out, scoped);
        out.push_str(" of the ");
        push_decimal(&mut out, total);
        out.push_str(" actions here (");
        push_name_list(&mut out, shown, scoped, full_name);
        out.push(')');
    }
    out.push_str(" can be limited to specific resources (resource type");
    if type_count != 1 {
        out.push('s');
    }
    out.push(' ');
    push_name_list(&mut out, shown_types, type_count, |out, &(prefix, name)| {
        out.push_str(prefix);
        out.push(':');
        out.push_str(name);
    });
    out.push_str("), but \"*\" grants ");
    out.push_str(if scoped == 1 { "it" } else { "them" });
    out.push_str(" on every resource; name the resources instead");
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "STAR_IN_RESOURCE";

    #[test]
    fn points_at_the_star_and_offers_arn_patterns() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        let start = text.rfind(r#""*""#).unwrap();
        assert_eq!(found[0].span, crate::span::Span::new(start, start + 3));
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(
            fixed.contains(r#""Resource": "arn:aws:sqs:*:*:QUEUE_NAME""#),
            "{fixed}"
        );
        assert!(findings_of(&fixed, "identity", CODE).is_empty());
    }

    #[test]
    fn actions_that_only_work_with_star_do_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
        // In a resource policy "*" means the resource the policy is attached to.
        let resource = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sqs:SendMessage", "Resource": "*"}]}"#;
        assert!(findings_of(resource, "resource", CODE).is_empty());
    }

    #[test]
    fn tag_scoped_statements_do_not_fire() {
        // Issue 12: the IAM User Guide's ABAC examples scope "*" by the resource's tags.
        for key in [
            "aws:ResourceTag/team",
            "ec2:ResourceTag/team",
            "ssm:resourceTag/team",
        ] {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"], "Resource": "*", "Condition": {{"StringEquals": {{"{key}": "${{aws:PrincipalTag/team}}"}}}}}}]}}"#
            );
            assert!(findings_of(&text, "identity", CODE).is_empty(), "{key}");
        }
        // Close neighbours: a negated tag test leaves untagged resources open; a request-tag
        // test says nothing about which resources.
        for condition in [
            r#"{"StringNotEquals": {"aws:ResourceTag/team": "red"}}"#,
            r#"{"StringEquals": {"aws:RequestTag/team": "red"}}"#,
        ] {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"], "Resource": "*", "Condition": {condition}}}]}}"#
            );
            assert_eq!(findings_of(&text, "identity", CODE).len(), 1, "{condition}");
        }
    }

    /// The message written into one buffer against the `format!` it replaced, on catalog
    /// actions and resource types in generated numbers: all or some of the actions scoped,
    /// one or several shown, with and without "and N more".
    #[test]
    fn message_reads_as_the_formatted_one() {
        fn counted_list(shown: &[String], total: usize) -> String {
            let rest = total.saturating_sub(shown.len());
            match (shown, rest) {
                ([], _) => String::new(),
                ([only], 0) => only.clone(),
                ([head @ .., last], 0) => format!("{} and {last}", head.join(", ")),
                (_, n) => format!("{} and {n} more", shown.join(", ")),
            }
        }
        let catalog = crate::catalog::catalog();
        let pool: Vec<_> = catalog.expand_action_pattern("s3:Get*");
        let mut next = crate::test_random::below(0x57a2_1e55_0a9e);
        for _ in 0..500 {
            let shown: Vec<_> = (0..1 + next(super::SHOWN_ACTIONS))
                .map(|_| pool[next(pool.len())])
                .collect();
            let scoped = shown.len() + [0, 0, 1, 7][next(4)];
            let total = scoped + [0, 0, 2][next(3)];
            let types: Vec<(&str, &str)> = (0..1 + next(super::SHOWN_TYPES))
                .map(|_| {
                    let a = pool[next(pool.len())];
                    let t = a
                        .resource_types()
                        .next()
                        .map_or("object", |t| t.resource_type.name());
                    (a.service().prefix(), t)
                })
                .collect();
            let type_count = types.len() + [0, 0, 3][next(3)];
            let names: Vec<String> = shown.iter().map(|a| a.full_name()).collect();
            let type_names: Vec<String> = types.iter().map(|(p, n)| format!("{p}:{n}")).collect();
            let which = if scoped == total {
                counted_list(&names, scoped)
            } else {
                format!(
                    "{} of the {} actions here ({})",
                    scoped,
                    total,
                    counted_list(&names, scoped)
                )
            };
            let want = format!(
                "{which} can be limited to specific resources (resource type{} {}), but \"*\" grants \
                 {} on every resource; name the resources instead",
                if type_count == 1 { "" } else { "s" },
                counted_list(&type_names, type_count),
                if scoped == 1 { "it" } else { "them" }
            );
            assert_eq!(
                super::message(&shown, scoped, total, &types, type_count),
                want
            );
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

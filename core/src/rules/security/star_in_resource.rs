use crate::diagnostic::Category;
use crate::fix::narrow::resource_star_fix;
use crate::number_set::NumberSet;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::narrowing::scoped_by_tag;
use crate::rules::support::security::{is_identity, star_action, star_resource};

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
        // names shown are built.
        let mut scoped = 0usize;
        let mut shown: Vec<String> = Vec::new();
        // Distinct resource types in order of first use, by the catalog's number for each
        // (a type belongs to its action's service and its name is unique there, as a catalog
        // test checks, so distinct numbers are distinct "service:type" names). A bit per type:
        // a set hashing the names read every name's bytes, a fifth of the rule's time.
        let mut type_count = 0usize;
        let mut shown_types: Vec<String> = Vec::new();
        let mut seen_types = NumberSet::below(cx.catalog.resource_type_count());
        for a in actions {
            let mut types = a.resource_types().peekable();
            if types.peek().is_none() {
                continue;
            }
            scoped += 1;
            if shown.len() < SHOWN_ACTIONS {
                shown.push(a.full_name());
            }
            for t in types {
                if !seen_types.insert(t.resource_type.index()) {
                    continue;
                }
                type_count += 1;
                if shown_types.len() < SHOWN_TYPES {
                    let prefix = a.service().prefix();
                    shown_types.push(format!("{prefix}:{}", t.resource_type.name()));
                }
            }
        }
        if scoped == 0 {
            continue;
        }
        let which = if scoped == actions.len() {
            counted_list(&shown, scoped)
        } else {
            format!(
                "{} of the {} actions here ({})",
                scoped,
                actions.len(),
                counted_list(&shown, scoped)
            )
        };
        let d = sink.report(
            star.span(),
            format!(
                "{which} can be limited to specific resources (resource type{} {}), but \"*\" grants \
                 {} on every resource; name the resources instead",
                if type_count == 1 { "" } else { "s" },
                counted_list(&shown_types, type_count),
                if scoped == 1 { "it" } else { "them" }
            ),
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
/// `name_list` for a list of `total` names of which only the first few (`shown`) were built:
/// "a, b and c", "a, b, c and 4 more".
fn counted_list(shown: &[String], total: usize) -> String {
    let rest = total.saturating_sub(shown.len());
    match (shown, rest) {
        ([], _) => String::new(),
        ([only], 0) => only.clone(),
        ([head @ .., last], 0) => format!("{} and {last}", head.join(", ")),
        (_, n) => format!("{} and {n} more", shown.join(", ")),
    }
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

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

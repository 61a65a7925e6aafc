use crate::diagnostic::Category;
use crate::fix::narrow::resource_star_fix;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use super::common::{is_identity, name_list, star_action, star_resource};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "STAR_IN_RESOURCE",
        category: Category::Warning,
        summary: "Resource \"*\" is used with actions that can be limited to specific resources.",
        explanation: "Many actions support resource-level permissions: they can be limited to \
            named buckets, queues, roles or keys. With `\"Resource\": \"*\"` they apply to every \
            such resource in the account, and in other accounts that trust it. Actions that only \
            work with `\"*\"` (such as `s3:ListAllMyBuckets`) are not reported. The fix replaces \
            `\"*\"` with the ARN patterns of the resource types the actions use, with the names \
            left for you to fill in.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
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
        let Some(list) = &st.action else { continue };
        // Unknown entries are another rule's business; look at the ones the catalog knows.
        let actions: Vec<_> = list
            .items
            .iter()
            .flat_map(|i| cx.catalog.expand_action_pattern(i.value))
            .collect();
        let scoped: Vec<_> = actions
            .iter()
            .filter(|a| a.resource_types().next().is_some())
            .collect();
        if scoped.is_empty() {
            continue;
        }
        // Distinct "service:type" names in order of first use; the set keeps this linear for
        // statements that expand to thousands of actions.
        let mut types: Vec<String> = Vec::new();
        let mut seen_types = std::collections::HashSet::new();
        for a in &scoped {
            let prefix = a.service().prefix();
            for t in a.resource_types() {
                let name = t.resource_type.name();
                if seen_types.insert((prefix, name)) {
                    types.push(format!("{prefix}:{name}"));
                }
            }
        }
        let names: Vec<String> = scoped.iter().map(|a| a.full_name()).collect();
        let which = if scoped.len() == actions.len() {
            name_list(&names, 3)
        } else {
            format!(
                "{} of the {} actions here ({})",
                scoped.len(),
                actions.len(),
                name_list(&names, 3)
            )
        };
        let d = sink.report(
            star.span(),
            format!(
                "{which} can be limited to specific resources (resource type{} {}), but \"*\" grants \
                 {} on every resource; name the resources instead",
                if types.len() == 1 { "" } else { "s" },
                name_list(&types, 4),
                if names.len() == 1 { "it" } else { "them" }
            ),
        );
        if let Some(fix) = resource_star_fix(cx, st) {
            d.fixes.push(fix);
        }
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
    fn examples() {
        check_examples(&super::RULE);
    }
}

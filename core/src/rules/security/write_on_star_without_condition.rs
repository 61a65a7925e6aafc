use crate::catalog::AccessLevel;
use crate::diagnostic::{Category, Related};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use super::common::{is_identity, name_list, star_action, star_resource};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "WRITE_ON_STAR_WITHOUT_CONDITION",
        category: Category::Warning,
        summary: "Write or permissions-management actions are allowed on Resource \"*\" with no condition.",
        explanation: "Actions at the Write and Permissions management access levels change or \
            delete resources, or change who may use them. Granted on `\"*\"` with no condition, \
            they reach every resource of that kind. Name the resources, or add a condition that \
            narrows the grant (a resource tag, `aws:ResourceAccount`, a Region).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteQueue"], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteQueue"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "payments"}}}]}"#,
        example_type: ExampleType::Identity,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !is_identity(cx.policy_type) {
        return;
    }
    for st in &cx.policy.statements {
        // Action "*" has a finding of its own.
        if !st.is_allow() || st.condition.is_some() || star_action(st).is_some() {
            continue;
        }
        let Some(star) = star_resource(st) else {
            continue;
        };
        let Some(list) = &st.action else { continue };
        let mut names: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let (mut write, mut permissions, mut scoped) = (0usize, 0usize, 0usize);
        let mut sources = Vec::new();
        for item in &list.items {
            let mut from_item = 0usize;
            for action in cx.catalog.expand_action_pattern(item.value) {
                let level = action.access_level();
                if level != AccessLevel::Write && level != AccessLevel::PermissionsManagement {
                    continue;
                }
                let name = action.full_name();
                if !seen.insert(name.to_ascii_lowercase()) {
                    continue;
                }
                if action.resource_types().next().is_some() {
                    scoped += 1;
                }
                if level == AccessLevel::Write {
                    write += 1;
                } else {
                    permissions += 1;
                }
                names.push(name);
                from_item += 1;
            }
            if from_item > 0 {
                sources.push((item, from_item));
            }
        }
        if names.is_empty() {
            continue;
        }
        let levels: Vec<String> = [(write, "Write"), (permissions, "Permissions management")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, level)| format!("{n} {level}"))
            .collect();
        let advice = if scoped == 0 {
            "none of them can be limited to named resources, so add a condition (a tag, \
             aws:ResourceAccount, a Region)"
                .to_string()
        } else if scoped == names.len() {
            "name the resources or add a condition".to_string()
        } else {
            format!("{scoped} of them can be limited to named resources; name those, or add a condition")
        };
        let d = sink.report(
            star.span(),
            format!(
                "Resource \"*\" with no condition grants {} action{} on every resource ({}); {advice}",
                levels.join(" and "),
                if write + permissions == 1 { "" } else { "s" },
                name_list(&names, 4)
            ),
        );
        for (item, count) in sources {
            d.related.push(Related {
                span: item.span(),
                message: format!("grants {count} of them"),
            });
        }
    }
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

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

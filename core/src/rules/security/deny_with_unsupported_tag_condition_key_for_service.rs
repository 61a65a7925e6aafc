use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::name_list;
use crate::rules::support::tag_keys::{dead_tag_entries, unsupported_services_for_actions};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        category: Category::Security,
        summary: "A Deny is gated on a tag condition key that some of its services never set, so it never denies their actions.",
        explanation: "A condition such as `StringEquals` on `aws:ResourceTag/env` is false when the \
            request has no such key, and services that do not support the key never send it. A \
            Deny gated on it therefore never applies to those services' actions, which is easy to \
            miss in a guardrail. Deny those actions in a statement of their own, with a condition \
            they support (or none).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["ec2:TerminateInstances", "route53:ChangeResourceRecordSets"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["ec2:TerminateInstances"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        if st.action.is_none() {
            continue;
        }
        for (_, entry) in dead_tag_entries(st) {
            let unsupported = unsupported_services_for_actions(cx.catalog, st, &entry.key.value);
            if unsupported.is_empty() {
                continue;
            }
            let services: Vec<String> = unsupported.keys().cloned().collect();
            let actions: Vec<String> = unsupported.values().flatten().cloned().collect();
            sink.report(
                entry.key.span,
                format!(
                    "{} never set{} {}, so this Deny never applies to {}; deny {} in a statement \
                     of their own, with a condition they support",
                    name_list(&services, 5),
                    if services.len() == 1 { "s" } else { "" },
                    entry.key.value,
                    name_list(&actions, 4),
                    if actions.len() == 1 { "it" } else { "them" },
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE";

    #[test]
    fn points_at_the_tag_key_and_names_the_service() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].span.slice(text), "\"aws:ResourceTag/env\"");
        assert!(
            found[0]
                .message
                .contains("route53:ChangeResourceRecordSets"),
            "{}",
            found[0].message
        );
        assert!(!found[0].message.contains("ec2"), "{}", found[0].message);
    }

    #[test]
    fn supported_services_allow_and_negated_operators_do_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
        let allow = super::RULE.meta.bad_example.replace("Deny", "Allow");
        assert!(findings_of(&allow, "identity", CODE).is_empty());
        // StringNotEquals is true when the key is missing: the Deny applies, nothing is dead.
        let negated = super::RULE
            .meta
            .bad_example
            .replace("StringEquals", "StringNotEquals");
        assert!(findings_of(&negated, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

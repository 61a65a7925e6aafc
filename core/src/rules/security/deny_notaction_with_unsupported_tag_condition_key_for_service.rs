use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::name_list;
use crate::rules::support::tag_keys::{dead_tag_entries, unsupported_services_for_not_action};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        category: Category::Security,
        summary: "A Deny with NotAction is gated on a tag condition key that many of the services it covers never set.",
        explanation: "A Deny with NotAction covers every service it does not exclude, and many \
            services never send tag keys such as `aws:ResourceTag/env` or `aws:TagKeys`. With a \
            condition that is false when the key is missing, the Deny never applies to those \
            services. List the actions to deny instead, or use a condition every covered \
            service supports.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceTag/env": "prod"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        if st.not_action.is_none() {
            continue;
        }
        for (_, entry) in dead_tag_entries(st) {
            let services = unsupported_services_for_not_action(cx.catalog, st, &entry.key.value);
            if services.is_empty() {
                continue;
            }
            sink.report(
                entry.key.span,
                format!(
                    "This Deny with NotAction covers {} services that never set {} ({}), so it never \
                     applies to their actions; list the actions to deny, or use a condition they support",
                    services.len(),
                    entry.key.value,
                    name_list(&services, 5)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE";

    #[test]
    fn points_at_the_tag_key() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(
            spans_of(text, "identity", CODE),
            vec!["\"aws:ResourceTag/env\""]
        );
    }

    #[test]
    fn negated_operator_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

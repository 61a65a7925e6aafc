use crate::diagnostic::{Category, Fix, TextEdit};
use crate::policy::BaseOperator;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MFA_CHECK_WITH_BOOL",
        category: Category::Security,
        summary: "An MFA check on aws:MultiFactorAuthPresent lets requests without the key through.",
        explanation: "Requests signed with long-term access keys carry no \
            `aws:MultiFactorAuthPresent` key at all. A `Deny` with `\"Bool\": {\"aws:MultiFactorAuthPresent\": \
            \"false\"}` therefore never applies to them: use `BoolIfExists`, which also matches when \
            the key is missing. Conversely an `Allow` with `BoolIfExists` ... `\"true\"` allows those \
            requests without MFA: use `Bool`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*MFA*", "sts:GetSessionToken"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*MFA*", "sts:GetSessionToken"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn value_is(node_text: &[&str], want: &str) -> bool {
    node_text.iter().any(|v| v.eq_ignore_ascii_case(want))
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        for block in &st.conditions {
            let Some(op) = block.operator else { continue };
            if op.base != BaseOperator::Bool || op.qualifier.is_some() {
                continue;
            }
            for entry in &block.entries {
                if !entry
                    .key
                    .value
                    .eq_ignore_ascii_case("aws:MultiFactorAuthPresent")
                {
                    continue;
                }
                let mut values: Vec<&str> = entry.values.iter().map(|v| v.value).collect();
                let others: Vec<String> = entry
                    .other_values
                    .iter()
                    .filter_map(|n| match &n.kind {
                        crate::syntax::NodeKind::Bool(b) => Some(b.to_string()),
                        _ => None,
                    })
                    .collect();
                values.extend(others.iter().map(String::as_str));
                let (message, replacement) = if st.is_deny()
                    && !op.if_exists
                    && value_is(&values, "false")
                {
                    (
                        "Requests made with long-term access keys have no aws:MultiFactorAuthPresent, so this \
                         Deny never applies to them; use BoolIfExists",
                        "BoolIfExists",
                    )
                } else if st.is_allow() && op.if_exists && value_is(&values, "true") {
                    (
                        "BoolIfExists also allows requests that have no aws:MultiFactorAuthPresent (long-term \
                         access keys, without MFA); use Bool",
                        "Bool",
                    )
                } else {
                    continue;
                };
                let d = sink.report(block.operator_key.span, message);
                // Renaming the block is only safe when no sibling block already has that name.
                if !st
                    .conditions
                    .iter()
                    .any(|b| b.operator_key.value == replacement)
                {
                    d.fixes.push(Fix::review(
                        format!("Use {replacement}"),
                        vec![TextEdit {
                            span: block.operator_key.span,
                            text: json_string(replacement),
                        }],
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MFA_CHECK_WITH_BOOL";

    #[test]
    fn points_at_the_operator_and_fixes_it() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "\"Bool\"");
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert_eq!(fixed, super::RULE.meta.good_example);
    }

    #[test]
    fn allow_with_if_exists_true_fires_and_allow_with_bool_true_does_not() {
        let allow = r#"{"Statement": [{"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}}]}"#;
        assert_eq!(spans_of(allow, "identity", CODE), vec!["\"BoolIfExists\""]);
        let good = allow.replace("BoolIfExists", "Bool");
        assert!(findings_of(&good, "identity", CODE).is_empty());
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

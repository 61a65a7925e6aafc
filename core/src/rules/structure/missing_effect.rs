use crate::diagnostic::Category;
use crate::policy::STATEMENT_ELEMENTS;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{has_element, members, statement_anchor};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_EFFECT",
        category: Category::Error,
        summary: "A statement has no `Effect`.",
        explanation: "Every statement must say whether it allows or denies: add `\"Effect\": \
            \"Allow\"` or `\"Effect\": \"Deny\"`. IAM rejects a statement without one.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        if !has_element(members(st.node), &["Effect"], STATEMENT_ELEMENTS) {
            sink.report(
                statement_anchor(st),
                format!(
                    "The {} has no `Effect`. Add \"Effect\": \"Allow\" or \"Effect\": \"Deny\".",
                    st.label()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_EFFECT";

    #[test]
    fn points_at_sid_or_brace() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Action": "s3:GetObject", "Resource": "*"}, {"Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "identity", CODE), [r#""Read""#, "{"]);
    }

    #[test]
    fn present_or_misspelt_effect_is_not_missing() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}, {"effect": "Deny", "Action": "s3:*", "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::policy::STATEMENT_ELEMENTS;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{has_element, members, statement_anchor};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_ACTION",
        category: Category::Error,
        summary: "A statement has neither `Action` nor `NotAction`.",
        explanation: "Every statement must name the actions it covers, with `Action` (the listed \
            actions) or `NotAction` (every action except those listed). IAM rejects a statement \
            with neither.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        if !has_element(
            members(st.node),
            &["Action", "NotAction"],
            STATEMENT_ELEMENTS,
        ) {
            sink.report(
                statement_anchor(st),
                format!(
                    "The {} has no `Action` or `NotAction`. Add the actions it should cover, e.g. \"Action\": \"s3:GetObject\".",
                    st.label()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_ACTION";

    #[test]
    fn reports_statement_without_actions() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "NoAction", "Effect": "Allow", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "identity", CODE), [r#""NoAction""#]);
    }

    #[test]
    fn not_action_or_misspelt_action_counts() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}, {"Effect": "Deny", "Actions": "s3:*", "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

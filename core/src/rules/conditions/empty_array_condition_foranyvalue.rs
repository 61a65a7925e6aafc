use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::empty::{report_empty_arrays, EmptyKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_ARRAY_CONDITION_FORANYVALUE",
        category: Category::Suggestion,
        summary: "ForAnyValue with an empty list never matches.",
        explanation: "With `ForAnyValue:` and no values there is nothing for any request value to match, so the condition is always false. Add the values to compare with, or remove the key.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": []}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_empty_arrays(cx, sink, EmptyKind::ForAnyValue, |key, operator| {
        format!("ForAnyValue with no values for \"{key}\" (under {operator}) never matches; add values or remove the key")
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "EMPTY_ARRAY_CONDITION_FORANYVALUE";

    #[test]
    fn reports_the_empty_list() {
        let text = with_condition(
            r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": []}, "StringLike": {"aws:PrincipalTag/team": "a*"}}"#,
        );
        assert_eq!(spans_of(&text, "identity", CODE), vec!["[]"]);
    }

    #[test]
    fn a_list_with_values_is_fine() {
        let text = with_condition(r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::empty::{report_empty_arrays, EmptyKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_ARRAY_CONDITION_FORALLVALUES",
        category: Category::Suggestion,
        summary: "ForAllValues with an empty list only matches when the key is absent.",
        explanation: "With `ForAllValues:` and no values, the condition holds only when the request has no values for the key at all. If that is the intent, say it with `Null` (`\"Null\": {key: \"true\"}`); otherwise add the allowed values.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": []}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_empty_arrays(cx, sink, EmptyKind::ForAllValues, |key, operator| {
        format!("ForAllValues with no values for \"{key}\" (under {operator}) only matches requests without the key; use the Null operator to say that, or list the allowed values")
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "EMPTY_ARRAY_CONDITION_FORALLVALUES";

    #[test]
    fn reports_the_empty_list() {
        let text = with_condition(
            r#"{"ForAllValues:StringEquals": {"aws:TagKeys": []}, "StringLike": {"aws:PrincipalTag/team": "a*"}}"#,
        );
        assert_eq!(spans_of(&text, "identity", CODE), vec!["[]"]);
    }

    #[test]
    fn a_list_with_values_is_fine() {
        let text = with_condition(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

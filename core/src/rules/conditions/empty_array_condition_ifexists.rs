use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::empty::{report_empty_arrays, EmptyKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_ARRAY_CONDITION_IFEXISTS",
        category: Category::Suggestion,
        summary: "An IfExists operator with an empty list only matches when the key is absent.",
        explanation: "With an `...IfExists` operator and no values, a request that has the key never matches, and one without it always does. If that is the intent, say it with `Null`; otherwise add the values to compare with.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEqualsIfExists": {"aws:RequestTag/team": []}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEqualsIfExists": {"aws:RequestTag/team": ["red"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_empty_arrays(cx, sink, EmptyKind::IfExists, |key, operator| {
        format!("{operator} with no values for \"{key}\" only matches requests without the key; use the Null operator to say that, or add values")
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "EMPTY_ARRAY_CONDITION_IFEXISTS";

    #[test]
    fn reports_the_empty_list() {
        let text = with_condition(
            r#"{"StringEqualsIfExists": {"aws:RequestTag/team": []}, "StringLike": {"aws:PrincipalTag/team": "a*"}}"#,
        );
        assert_eq!(spans_of(&text, "identity", CODE), vec!["[]"]);
    }

    #[test]
    fn a_list_with_values_is_fine() {
        let text = with_condition(r#"{"StringEqualsIfExists": {"aws:RequestTag/team": ["red"]}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

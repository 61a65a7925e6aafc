use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::empty::{report_empty_arrays, EmptyKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_ARRAY_CONDITION",
        category: Category::Suggestion,
        summary: "A condition key has an empty list of values.",
        explanation: "A condition key with no values (`[]`) can never match, so the statement never applies. Add the values to compare with, or remove the key.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/team": []}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/team": ["red"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_empty_arrays(cx, sink, EmptyKind::Plain, |key, operator| {
        format!("The condition key \"{key}\" under {operator} has no values, so it never matches; add values or remove the key")
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "EMPTY_ARRAY_CONDITION";

    #[test]
    fn reports_the_empty_list() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:RequestTag/team": []}, "StringLike": {"aws:PrincipalTag/team": "a*"}}"#,
        );
        assert_eq!(spans_of(&text, "identity", CODE), vec!["[]"]);
    }

    #[test]
    fn a_list_with_values_is_fine() {
        let text = with_condition(r#"{"StringEquals": {"aws:RequestTag/team": ["red"]}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::variables::scan::VariableKind;
use crate::rules::support::variables::Element;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_VARIABLE_FOR_OPERATOR",
        category: Category::Error,
        summary: "A policy variable is used with an operator that does not accept variables.",
        explanation: "Condition values may hold policy variables only under the String and ARN \
            operators (StringEquals, StringLike, ArnLike, ...). Under Numeric, Date, Bool, \
            Binary, IpAddress or Null operators the variable is not allowed. Compare with a \
            String operator, or write the value itself.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "${aws:TokenIssueTime}"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for occ in cx.variable_occurrences() {
        let Element::ConditionValue(Some(family)) = occ.element else {
            continue;
        };
        if family.accepts_policy_variables()
            || !matches!(occ.variable.kind, VariableKind::Key { .. })
        {
            continue;
        }
        sink.report(
            occ.span(cx.text),
            format!(
                "\"{}\" cannot be used with a {} operator; policy variables work only with String and ARN operators",
                occ.written(),
                family.as_str()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use crate::rules::variables::tests::policy;

    const CODE: &str = "INVALID_VARIABLE_FOR_OPERATOR";

    #[test]
    fn reports_the_variable() {
        let text = policy(
            "*",
            r#"{"NumericLessThan": {"s3:max-keys": "${aws:PrincipalTag/max}"}}"#,
        );
        assert_eq!(
            spans_of(&text, "identity", CODE),
            vec!["${aws:PrincipalTag/max}"]
        );
    }

    #[test]
    fn string_and_arn_operators_are_fine() {
        let text = policy(
            "*",
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/${aws:username}"}, "StringEquals": {"s3:prefix": "${aws:userid}"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

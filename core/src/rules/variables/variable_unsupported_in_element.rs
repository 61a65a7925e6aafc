use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::variables::scan::VariableKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VARIABLE_UNSUPPORTED_IN_ELEMENT",
        category: Category::Error,
        summary: "A policy variable is used outside Resource, NotResource and condition values.",
        explanation: "IAM replaces policy variables only in `Resource`, `NotResource` and \
            condition values. Elsewhere — `Action`, `NotAction`, `Principal`, `NotPrincipal` — \
            the text is not replaced, so the policy is rejected. Move the test into a \
            condition, e.g. `aws:PrincipalArn` or `aws:username`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/${aws:username}"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:username}/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for occ in cx.variable_occurrences() {
        if occ.element.allows_variables() || !matches!(occ.variable.kind, VariableKind::Key { .. })
        {
            continue;
        }
        sink.report(
            occ.span(cx.text),
            format!(
                "Policy variables are not replaced in {}, so \"{}\" is not allowed here; use variables only in Resource, NotResource or condition values",
                occ.element.name(),
                occ.written()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "VARIABLE_UNSUPPORTED_IN_ELEMENT";

    #[test]
    fn reports_variables_in_action_and_principal() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/${aws:PrincipalTag/role}"]}, "Action": "s3:${aws:username}", "Resource": "*"}]}"#;
        assert_eq!(
            spans_of(text, "resource", CODE),
            vec!["${aws:PrincipalTag/role}", "${aws:username}"]
        );
    }

    #[test]
    fn resources_conditions_and_template_placeholders_are_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${AWS::AccountId}:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}", "Condition": {"StringEquals": {"s3:prefix": "${aws:userid}"}}}]}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

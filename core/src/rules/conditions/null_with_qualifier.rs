use crate::diagnostic::{Category, Safety};
use crate::policy::BaseOperator;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::walk::report_operator_corrections;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NULL_WITH_QUALIFIER",
        category: Category::Suggestion,
        summary: "Null combined with ForAllValues or ForAnyValue gives a constant result.",
        explanation: "`Null` tests whether a key is present in the request. Under `ForAllValues:` \
            or `ForAnyValue:` the test runs over the key's individual values instead, which \
            makes the condition always true or always false. Use `Null` on its own.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAnyValue:Null": {"aws:TagKeys": "true"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"Null": {"aws:TagKeys": "true"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_operator_corrections(cx, sink, Safety::Review, |_, op| {
        let qualifier = op.qualifier?;
        if op.base != BaseOperator::Null {
            return None;
        }
        let mut plain = op;
        plain.qualifier = None;
        let name = plain.name();
        let message = format!(
            "{}: with Null makes the condition constant; use \"{name}\" to test whether the key is present",
            qualifier.as_str()
        );
        Some((name, message))
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "NULL_WITH_QUALIFIER";

    #[test]
    fn reports_the_operator() {
        let text = with_condition(r#"{"ForAllValues:Null": {"aws:TagKeys": "false"}}"#);
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(&text), r#""ForAllValues:Null""#);
        assert!(found[0].fixes[0]
            .apply(&text)
            .unwrap()
            .contains(r#""Null""#));
    }

    #[test]
    fn qualified_string_operator_is_fine() {
        let text = with_condition(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": "a"}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

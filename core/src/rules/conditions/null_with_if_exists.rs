use crate::diagnostic::{Category, Safety};
use crate::policy::BaseOperator;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::walk::report_operator_corrections;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NULL_WITH_IF_EXISTS",
        category: Category::Error,
        summary: "The Null operator cannot take the IfExists suffix.",
        explanation: "`Null` already tests whether a key is present, so `NullIfExists` is not a \
            valid operator and IAM rejects it. Use `Null`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"NullIfExists": {"aws:RequestTag/team": "true"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"Null": {"aws:RequestTag/team": "true"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_operator_corrections(cx, sink, Safety::Safe, |block, op| {
        if op.base != BaseOperator::Null || !op.if_exists {
            return None;
        }
        let mut fixed = op;
        fixed.if_exists = false;
        let name = fixed.name();
        let message = format!(
            "\"{}\" is not valid: Null already checks whether the key exists; use \"{name}\"",
            block.operator_key.value
        );
        Some((name, message))
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "NULL_WITH_IF_EXISTS";

    #[test]
    fn reports_the_operator_with_a_fix() {
        let text = with_condition(r#"{"NullIfExists": {"aws:TagKeys": "false"}}"#);
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(&text), r#""NullIfExists""#);
        let fixed = found[0].fixes[0].apply(&text).unwrap();
        assert!(fixed.contains(r#"{"Null": {"#));
    }

    #[test]
    fn other_if_exists_operators_are_fine() {
        let text = with_condition(
            r#"{"StringEqualsIfExists": {"aws:TagKeys": "a"}, "Null": {"aws:TagKeys": "false"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

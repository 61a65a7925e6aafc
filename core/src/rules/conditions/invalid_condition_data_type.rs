use crate::diagnostic::{Category, Related};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::walk::{sites, values};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_CONDITION_DATA_TYPE",
        category: Category::Error,
        summary: "The values of a condition key mix JSON types.",
        explanation: "All values of one condition key must have the same JSON type: all \
            strings, all numbers or all booleans. Write them the same way, usually as strings \
            (`[\"true\", \"false\"]`, `[\"10\", \"20\"]`).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": ["10", 20]}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": ["10", "20"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let values = values(site.entry);
        let Some(first) = values.first() else {
            continue;
        };
        let first_type = first.node.type_name();
        if let Some(odd) = values.iter().find(|v| v.node.type_name() != first_type) {
            let d = sink.report(
                odd.span(),
                format!(
                    "This value is {} but the first value of \"{}\" is {}; write all values with the same JSON type (usually strings)",
                    odd.node.type_name(),
                    site.key(),
                    first_type
                ),
            );
            d.related.push(Related {
                span: first.span(),
                message: format!("first value, {first_type}"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_CONDITION_DATA_TYPE";

    #[test]
    fn reports_the_first_odd_value() {
        let text = with_condition(r#"{"Bool": {"aws:SecureTransport": [true, "false", "true"]}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""false""#]);
    }

    #[test]
    fn same_types_are_fine() {
        let text = with_condition(
            r#"{"NumericEquals": {"s3:max-keys": [1, 2]}, "Bool": {"aws:SecureTransport": true}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::policy::OperatorFamily;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::policy::values::parse_number;
use crate::rules::support::conditions::value_checks::check_family_values;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "TYPE_MISMATCH_NUMBER",
        category: Category::Warning,
        summary: "A Numeric condition value is not a number.",
        explanation: "Numeric operators (NumericEquals, NumericLessThan, ...) compare numbers. A \
            value that is not an integer or decimal number never matches.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThanEquals": {"s3:max-keys": "ten"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThanEquals": {"s3:max-keys": "10"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    check_family_values(cx, sink, OperatorFamily::Numeric, |site, value| {
        parse_number(&value.text).is_none().then(|| {
            format!(
                "\"{}\" is not a number, so {} on \"{}\" never matches; write an integer or decimal such as \"10\"",
                value.text,
                site.block.operator_key.value,
                site.key()
            )
        })
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "TYPE_MISMATCH_NUMBER";

    #[test]
    fn reports_the_value() {
        let text = with_condition(r#"{"NumericLessThan": {"s3:max-keys": [5, "1e3", "7"]}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""1e3""#]);
    }

    #[test]
    fn numbers_as_strings_or_json_are_fine() {
        let text = with_condition(r#"{"NumericEquals": {"s3:max-keys": [5, "-2.5"]}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

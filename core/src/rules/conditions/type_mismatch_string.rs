use crate::diagnostic::Category;
use crate::policy::OperatorFamily;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::value_checks::check_family_values;
use crate::rules::support::conditions::values::is_base64;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "TYPE_MISMATCH_STRING",
        category: Category::Warning,
        summary: "A BinaryEquals value is not a base64-encoded string.",
        explanation: "`BinaryEquals` compares the key's bytes with the base64-encoded value in \
            the policy. A value that is not valid base64 never matches; encode the bytes you \
            mean with base64.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"BinaryEquals": {"aws:userid": "plain text"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"BinaryEquals": {"aws:userid": "cGxhaW4gdGV4dA=="}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    check_family_values(cx, sink, OperatorFamily::Binary, |site, value| {
        (!value.is_string() || !is_base64(&value.text)).then(|| {
            format!(
                "\"{}\" is not base64, so BinaryEquals on \"{}\" never matches; write the base64 encoding of the bytes",
                value.text,
                site.key()
            )
        })
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "TYPE_MISMATCH_STRING";

    #[test]
    fn reports_the_value() {
        let text = with_condition(r#"{"BinaryEquals": {"aws:userid": ["QUJD", "AB="]}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""AB=""#]);
    }

    #[test]
    fn base64_and_other_operators_are_fine() {
        let text = with_condition(
            r#"{"BinaryEquals": {"aws:userid": "QUJD"}, "StringEquals": {"aws:userid": "AB="}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

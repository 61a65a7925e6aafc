use crate::diagnostic::Category;
use crate::policy::OperatorFamily;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::policy::values::parse_bool;
use crate::rules::support::conditions::value_checks::check_family_values;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "TYPE_MISMATCH_BOOLEAN",
        category: Category::Warning,
        summary: "A Bool or Null condition value is not true or false.",
        explanation: "The `Bool` operator compares with `true` or `false`, and so does `Null` \
            (`true`: the key is absent from the request; `false`: it is present). Any other \
            value never matches, so the condition is always false (or, for a Deny, never \
            applies).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "no"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    check_family_values(cx, sink, OperatorFamily::Bool, |site, value| {
        parse_bool(&value.text).is_none().then(|| {
            format!(
                "\"{}\" is not a boolean, so {} on \"{}\" never matches; use \"true\" or \"false\"",
                value.text,
                site.block.operator_key.value,
                site.key()
            )
        })
    });
    // Null reads its values the way the simulator does (the same parse_bool).
    check_family_values(cx, sink, OperatorFamily::Null, |site, value| {
        parse_bool(&value.text).is_none().then(|| {
            format!(
                "\"{}\" is not a boolean, so Null on \"{}\" never matches; use \"true\" \
                 (the key is absent) or \"false\" (the key is present)",
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

    const CODE: &str = "TYPE_MISMATCH_BOOLEAN";

    #[test]
    fn reports_the_value() {
        let text =
            with_condition(r#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": ["yes", true]}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""yes""#]);
    }

    #[test]
    fn booleans_in_any_case_are_fine() {
        let text = with_condition(
            r#"{"Bool": {"aws:SecureTransport": "True"}, "StringEquals": {"aws:userid": "yes"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    /// Issue 12: Null's values were not checked.
    #[test]
    fn null_values_are_checked_too() {
        let text = with_condition(r#"{"Null": {"aws:TokenIssueTime": ["absent", "true"]}}"#);
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""absent""#]);
        assert!(found[0].message.contains("Null on \"aws:TokenIssueTime\""));
        // Its neighbour: true and false (as JSON booleans too) are fine.
        let text =
            with_condition(r#"{"Null": {"aws:TokenIssueTime": "false", "aws:SourceIp": true}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

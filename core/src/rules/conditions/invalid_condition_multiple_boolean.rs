use crate::diagnostic::Category;
use crate::policy::OperatorFamily;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::walk::{sites, values};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_CONDITION_MULTIPLE_BOOLEAN",
        category: Category::Error,
        summary: "A Bool condition gives more than one value.",
        explanation: "A boolean key is either true or false, so a `Bool` condition takes one \
            value. Listing several (`[\"true\", \"false\"]`) is rejected; keep the one you \
            mean, or drop the condition if either value is acceptable.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": ["false", "true"]}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": ["false"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        if site.operator().map(|op| op.family()) != Some(OperatorFamily::Bool) {
            continue;
        }
        let count = values(site.entry).len();
        if count > 1 {
            let span = site.entry.value_node().map_or(site.key_span(), |n| n.span);
            sink.report(
                span,
                format!(
                    "\"{}\" is given {count} boolean values; a Bool condition takes exactly one (\"true\" or \"false\")",
                    site.key()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_CONDITION_MULTIPLE_BOOLEAN";

    #[test]
    fn reports_the_value_list() {
        let text =
            with_condition(r#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": [true, "true"]}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#"[true, "true"]"#]);
    }

    #[test]
    fn several_strings_under_string_operators_are_fine() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:PrincipalTag/a": ["true", "false"]}, "Bool": {"aws:SecureTransport": ["true"]}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

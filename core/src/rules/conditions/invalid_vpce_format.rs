use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::value_checks::check_key_values;
use crate::rules::support::conditions::values::is_vpce_id;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_VPCE_FORMAT",
        category: Category::Error,
        summary: "A VPC endpoint condition value is not a VPC endpoint ID.",
        explanation: "`aws:SourceVpce` holds VPC endpoint IDs: `vpce-` followed by 8 or 17 lowercase hexadecimal digits. \
            Any other value never matches, so an Allow never grants and a Deny on \
            `StringNotEquals` blocks everything.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpc-1a2b3c4d"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

const KEYS: &[&str] = &["aws:SourceVpce"];

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    check_key_values(cx, sink, KEYS, is_vpce_id, |site, value| {
        format!(
            "\"{}\" is not a VPC endpoint ID, so \"{}\" never equals it; write vpce- followed by 8 or 17 hexadecimal digits, e.g. \"vpce-1a2b3c4d\"",
            value.text,
            site.key()
        )
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_VPCE_FORMAT";

    #[test]
    fn reports_the_value() {
        let text = with_condition(
            r#"{"StringNotEquals": {"aws:SourceVpce": ["vpce-0123456789abcdef0", "vpc-1a2b3c4d"]}}"#,
        );
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""vpc-1a2b3c4d""#]);
    }

    #[test]
    fn ids_and_patterns_are_fine() {
        let text =
            with_condition(r#"{"StringLike": {"aws:SourceVpce": ["vpce-*", "vpce-1a2b3c4d"]}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::value_checks::check_key_values;
use crate::rules::support::conditions::values::is_vpc_id;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_VPC_FORMAT",
        category: Category::Error,
        summary: "A VPC condition value is not a VPC ID.",
        explanation: "`aws:SourceVpc` and `aws:Ec2InstanceSourceVpc` hold VPC IDs: `vpc-` followed by 8 or 17 lowercase hexadecimal digits. \
            Any other value never matches, so an Allow never grants and a Deny on \
            `StringNotEquals` blocks everything.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-12345"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

const KEYS: &[&str] = &["aws:SourceVpc", "aws:Ec2InstanceSourceVpc"];

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    check_key_values(cx, sink, KEYS, is_vpc_id, |site, value| {
        format!(
            "\"{}\" is not a VPC ID, so \"{}\" never equals it; write vpc- followed by 8 or 17 hexadecimal digits, e.g. \"vpc-1a2b3c4d\"",
            value.text,
            site.key()
        )
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_VPC_FORMAT";

    #[test]
    fn reports_the_value() {
        let text = with_condition(
            r#"{"StringNotEquals": {"aws:SourceVpc": ["vpc-0123456789abcdef0", "vpc-12345"]}}"#,
        );
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""vpc-12345""#]);
    }

    #[test]
    fn ids_and_patterns_are_fine() {
        let text =
            with_condition(r#"{"StringLike": {"aws:SourceVpc": ["vpc-*", "vpc-1a2b3c4d"]}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

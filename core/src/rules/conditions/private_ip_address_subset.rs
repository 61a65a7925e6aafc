use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::private_ip::{self, Variant};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PRIVATE_IP_ADDRESS_SUBSET",
        category: Category::Suggestion,
        summary: "aws:SourceIp mixes public and private ranges; the private ones never match.",
        explanation: "`aws:SourceIp` never holds a private address, so the private ranges in this list have no effect; only the public ones can match. Remove them, or cover private callers with `aws:VpcSourceIp` and `aws:SourceVpc`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"]}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    private_ip::check(
        cx,
        sink,
        Variant {
            negated: false,
            subset: true,
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "PRIVATE_IP_ADDRESS_SUBSET";

    #[test]
    fn reports_each_private_value() {
        let text =
            with_condition(r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"]}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec!["\"10.0.0.0/8\""]);
    }

    #[test]
    fn neighbour_is_quiet() {
        let text = with_condition(
            r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::private_ip::{self, Variant};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PRIVATE_NOT_IP_ADDRESS_SUBSET",
        category: Category::Suggestion,
        summary: "NotIpAddress on aws:SourceIp mixes public and private ranges; the private ones have no effect.",
        explanation: "`aws:SourceIp` never holds a private address, so excluding private ranges with `NotIpAddress` changes nothing; only the public ranges in the list matter. Remove the private ones, or handle private callers with `aws:VpcSourceIp` and `aws:SourceVpc`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "fd00::/8"]}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}}]}"#,
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
            negated: true,
            subset: true,
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "PRIVATE_NOT_IP_ADDRESS_SUBSET";

    #[test]
    fn reports_each_private_value() {
        let text =
            with_condition(r#"{"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "fd00::/8"]}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec!["\"fd00::/8\""]);
    }

    #[test]
    fn neighbour_is_quiet() {
        let text = with_condition(
            r#"{"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

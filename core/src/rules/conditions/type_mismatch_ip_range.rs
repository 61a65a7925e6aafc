use crate::diagnostic::Category;
use crate::policy::OperatorFamily;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::policy::values::parse_ip_range;
use crate::rules::support::conditions::value_checks::check_family_values;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "TYPE_MISMATCH_IP_RANGE",
        category: Category::Warning,
        summary: "An IpAddress condition value is not an IP address or CIDR block.",
        explanation: "`IpAddress` and `NotIpAddress` compare with IPv4 or IPv6 addresses and CIDR \
            blocks (`203.0.113.0/24`, `2001:db8::/32`). Anything else never matches, which \
            silently breaks an Allow, or makes a NotIpAddress Deny apply to every request.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/33"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    check_family_values(cx, sink, OperatorFamily::IpAddress, |site, value| {
        parse_ip_range(&value.text).is_none().then(|| {
            format!(
                "\"{}\" is not an IP address or CIDR block, so {} on \"{}\" never matches; write e.g. \"203.0.113.0/24\" or \"2001:db8::/32\"",
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

    const CODE: &str = "TYPE_MISMATCH_IP_RANGE";

    #[test]
    fn reports_the_value() {
        let text = with_condition(
            r#"{"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "192.0.2.300", "::1/129"]}}"#,
        );
        assert_eq!(
            spans_of(&text, "identity", CODE),
            vec![r#""192.0.2.300""#, r#""::1/129""#]
        );
    }

    #[test]
    fn addresses_and_blocks_are_fine() {
        let text =
            with_condition(r#"{"IpAddress": {"aws:SourceIp": ["192.0.2.7", "2001:db8::/32"]}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::private_ip::{self, Variant};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PRIVATE_IP_ADDRESS",
        category: Category::Error,
        summary: "aws:SourceIp lists only private IP ranges, so it never matches.",
        explanation: "Requests reach AWS from public addresses; calls through a VPC endpoint carry the private address in `aws:VpcSourceIp`, not `aws:SourceIp`. An `IpAddress` condition on `aws:SourceIp` with only private ranges therefore never matches. Use `aws:VpcSourceIp` together with `aws:SourceVpc` or `aws:SourceVpce`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.1.0/24"]}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:VpcSourceIp": ["10.0.0.0/8"]}}}]}"#,
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
            subset: false,
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "PRIVATE_IP_ADDRESS";

    #[test]
    fn reports_each_private_value() {
        let text =
            with_condition(r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.1.0/24"]}}"#);
        assert_eq!(
            spans_of(&text, "identity", CODE),
            vec!["\"10.0.0.0/8\"", "\"192.168.1.0/24\""]
        );
    }

    #[test]
    fn neighbour_is_quiet() {
        let text = with_condition(r#"{"IpAddress": {"aws:VpcSourceIp": ["10.0.0.0/8"]}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

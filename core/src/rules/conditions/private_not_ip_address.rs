use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::private_ip::{self, Variant};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PRIVATE_NOT_IP_ADDRESS",
        category: Category::Error,
        summary: "NotIpAddress on aws:SourceIp lists only private ranges, so it always matches.",
        explanation: "`aws:SourceIp` never holds a private address, so `NotIpAddress` with only private ranges is true for every request and restricts nothing. To exclude callers inside your network, use `aws:VpcSourceIp` with `aws:SourceVpc` or `aws:SourceVpce`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "172.16.0.0/12"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}"#,
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
            subset: false,
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "PRIVATE_NOT_IP_ADDRESS";

    #[test]
    fn reports_each_private_value() {
        let text = with_condition(r#"{"NotIpAddress": {"aws:SourceIp": "172.16.0.0/12"}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec!["\"172.16.0.0/12\""]);
    }

    #[test]
    fn neighbour_is_quiet() {
        let text = with_condition(r#"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

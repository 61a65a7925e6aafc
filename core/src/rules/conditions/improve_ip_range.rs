use crate::diagnostic::{Category, Fix, TextEdit};
use crate::policy::OperatorFamily;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;

use crate::policy::values::parse_ip_range;
use crate::rules::support::conditions::walk::{sites, values};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMPROVE_IP_RANGE",
        category: Category::Suggestion,
        summary: "A CIDR block has bits set beyond its prefix length.",
        explanation: "In `10.1.2.3/8` only the first 8 bits count, so the block is really \
            `10.0.0.0/8` — probably wider than the writer meant. Write the network address \
            (or a longer prefix if you meant a smaller block).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.7/24"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        if site.operator().map(|op| op.family()) != Some(OperatorFamily::IpAddress) {
            continue;
        }
        for value in values(site.entry) {
            let Some(range) = parse_ip_range(&value.text) else {
                continue;
            };
            if !range.has_host_bits() {
                continue;
            }
            let normalized = range.normalized();
            sink.report(
                value.span(),
                format!(
                    "\"{}\" has bits set beyond the /{} prefix, so it means \"{normalized}\"; write that (or a longer prefix if you meant a smaller block)",
                    value.text, range.prefix
                ),
            )
            .fixes
            .push(Fix::safe(
                format!("Change to \"{normalized}\""),
                vec![TextEdit {
                    span: value.span(),
                    text: json_string(&normalized),
                }],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "IMPROVE_IP_RANGE";

    #[test]
    fn reports_and_normalises_ipv4_and_ipv6() {
        let text = with_condition(
            r#"{"IpAddress": {"aws:SourceIp": ["198.51.100.0/24", "10.1.2.3/8", "2001:db8::1/32"]}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(&text)).collect();
        assert_eq!(spans, vec![r#""10.1.2.3/8""#, r#""2001:db8::1/32""#]);
        assert!(found[0].fixes[0]
            .apply(&text)
            .unwrap()
            .contains(r#""10.0.0.0/8""#));
        assert!(found[1].fixes[0]
            .apply(&text)
            .unwrap()
            .contains(r#""2001:db8::/32""#));
    }

    #[test]
    fn single_addresses_and_clean_blocks_are_fine() {
        let text = with_condition(
            r#"{"NotIpAddress": {"aws:SourceIp": ["198.51.100.7", "198.51.100.7/32", "::/0"]}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

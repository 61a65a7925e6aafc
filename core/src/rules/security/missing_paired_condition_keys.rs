use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::{condition_entries, entry_restricts};

/// Keys that are weak on their own, and the keys that make them mean something.
const PAIRS: &[(&str, &[&str])] = &[
    // A private IP address is only meaningful inside one network: 10.0.0.1 exists in every VPC.
    ("aws:VpcSourceIp", &["aws:SourceVpc", "aws:SourceVpce"]),
];

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_PAIRED_CONDITION_KEYS",
        category: Category::Security,
        summary: "A condition key that is weak on its own is used without the key it should be paired with.",
        explanation: "Some condition keys only identify a caller together with another key. \
            `aws:VpcSourceIp` is a private address, and the same private address exists in \
            every VPC of every account, so allowing by `aws:VpcSourceIp` alone lets in callers \
            from networks you do not own. Pair it with `aws:SourceVpc` or `aws:SourceVpce`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*", "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*", "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        if !st.is_allow() {
            continue;
        }
        for (block, entry) in condition_entries(st) {
            let Some((key, partners)) = PAIRS
                .iter()
                .find(|(k, _)| entry.key.value.eq_ignore_ascii_case(k))
            else {
                continue;
            };
            if !entry_restricts(block, entry) {
                continue;
            }
            let paired = condition_entries(st)
                .any(|(_, e)| partners.iter().any(|p| e.key.value.eq_ignore_ascii_case(p)));
            if paired {
                continue;
            }
            sink.report(
                entry.key.span,
                format!(
                    "{key} alone matches callers in any network that uses the same private addresses; \
                     add a condition on {} so that only your network matches",
                    partners.join(" or ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn points_at_the_lonely_key() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(
            spans_of(text, "resource", "MISSING_PAIRED_CONDITION_KEYS"),
            vec!["\"aws:VpcSourceIp\""]
        );
    }

    #[test]
    fn paired_key_or_deny_does_not_fire() {
        let text = super::RULE.meta.good_example;
        assert!(findings_of(text, "resource", "MISSING_PAIRED_CONDITION_KEYS").is_empty());
        let deny = super::RULE
            .meta
            .bad_example
            .replace("\"Allow\"", "\"Deny\"");
        assert!(findings_of(&deny, "resource", "MISSING_PAIRED_CONDITION_KEYS").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

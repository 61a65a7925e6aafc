use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{non_whitespace_chars, report_size};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
        category: Category::Warning,
        summary: "The policy is longer than IAM accepts for a managed policy.",
        explanation: "IAM limits a managed policy (and so a permissions boundary) to 6,144 \
            characters, not counting whitespace. Inline policies share a smaller budget per \
            identity: all inline policies of a user together may have 2,048 characters, of a \
            group 5,120, of a role 10,240. Session policies passed to AssumeRole or \
            GetFederationToken are limited to 2,048 characters. Split the policy into several \
            policies, or shorten it with wildcards where that grants nothing unintended.",
        bad_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["#,
            x64!(x3!(r#""arn:aws:s3:::example-bucket/reports/2024/*", "#)),
            r#""arn:aws:s3:::example-bucket/last/*"]}]}"#
        ),
        good_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["#,
            x8!(r#""arn:aws:s3:::example-bucket/reports/2024/*", "#),
            r#""arn:aws:s3:::example-bucket/last/*"]}]}"#
        ),
        example_type: ExampleType::Identity,
        scope: Scope::Document,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let (limit, what) = match cx.policy_type {
        PolicyType::Identity | PolicyType::Boundary => (6_144, "a managed policy"),
        PolicyType::Session => (2_048, "a session policy"),
        _ => return,
    };
    // Every count is at most the number of bytes: small documents need no counting.
    if cx.text.len() <= limit {
        return;
    }
    report_size(
        cx,
        sink,
        non_whitespace_chars(cx.text),
        limit,
        |count, limit| {
            format!(
            "The policy has {count} characters (whitespace not counted); IAM accepts at most {limit} for {what}. Split it into several policies or shorten it."
        )
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA";

    fn policy(resources: usize, indent: usize) -> String {
        let item = format!(
            "\n{}\"arn:aws:s3:::bucket/{}\"",
            " ".repeat(indent),
            "x".repeat(20)
        );
        let list = vec![item; resources].join(",");
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{list}]}}]}}"#
        )
    }

    #[test]
    fn counts_characters_without_whitespace() {
        // 43 non-whitespace characters per item (with its comma) plus 94 of frame: 140 fit, 141 do not.
        let over = policy(141, 8);
        assert_eq!(spans_of(&over, "identity", CODE), ["{"]);
        assert_eq!(spans_of(&over, "boundary", CODE), ["{"]);
        // Heavy indentation does not count against the quota.
        let under = policy(140, 40);
        assert!(under.len() > 6_144);
        assert!(findings_of(&under, "identity", CODE).is_empty());
        // Session policies have the smaller quota.
        assert_eq!(spans_of(&policy(60, 0), "session", CODE), ["{"]);
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

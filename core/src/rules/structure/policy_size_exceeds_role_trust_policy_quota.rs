use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{non_whitespace_chars, report_size};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
        category: Category::Warning,
        summary: "The trust policy is longer than IAM's default quota for role trust policies.",
        explanation: "IAM limits a role's trust policy to 2,048 characters by default, not \
            counting whitespace (the account's `AssumeRolePolicySizeQuota`). The quota can be \
            raised through Service Quotas; otherwise trust an account or an organization and \
            narrow it with conditions such as `aws:PrincipalOrgID` or `aws:PrincipalArn`, \
            instead of listing many principals one by one.",
        bad_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["#,
            x64!(r#""arn:aws:iam::111122223333:role/Deployer", "#),
            r#""arn:aws:iam::111122223333:role/Last"]}, "Action": "sts:AssumeRole"}]}"#
        ),
        good_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["#,
            x8!(r#""arn:aws:iam::111122223333:role/Deployer", "#),
            r#""arn:aws:iam::111122223333:role/Last"]}, "Action": "sts:AssumeRole"}]}"#
        ),
        example_type: ExampleType::Trust,
        scope: Scope::Document,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    // Every count is at most the number of bytes: small documents need no counting.
    if cx.text.len() <= 2_048 {
        return;
    }
    report_size(
        cx,
        sink,
        non_whitespace_chars(cx.text),
        2_048,
        |count, limit| {
            format!(
            "The trust policy has {count} characters (whitespace not counted); the default quota is {limit}. Request a higher AssumeRolePolicySizeQuota, or trust an account or organization and narrow it with conditions."
        )
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA";

    fn trust(principals: usize) -> String {
        let list = vec![r#""arn:aws:iam::111122223333:role/R""#; principals].join(",\n    ");
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": [{list}]}}, "Action": "sts:AssumeRole"}}]}}"#
        )
    }

    #[test]
    fn over_and_under_the_default_quota() {
        // 35 non-whitespace characters per principal with its comma, 105 of frame: 55 fit, 56 do not.
        assert_eq!(spans_of(&trust(56), "trust", CODE), ["{"]);
        assert!(findings_of(&trust(55), "trust", CODE).is_empty());
        assert!(findings_of(&trust(56), "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

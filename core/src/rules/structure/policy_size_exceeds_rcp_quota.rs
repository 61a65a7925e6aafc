use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::report_organizations_policy_size;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "POLICY_SIZE_EXCEEDS_RCP_QUOTA",
        category: Category::Error,
        summary: "The RCP is longer than AWS Organizations accepts.",
        explanation: "AWS Organizations limits a resource control policy to 5,120 characters, and unlike IAM it             counts every character, whitespace included. The console removes whitespace outside             strings when it saves a policy, but the API, the CLI, CloudFormation and Terraform             store the text exactly as given. When the minified policy would fit, the message says             so: minify it before deploying. Otherwise split it into several RCPs (each target             can have up to five). Access Analyzer has no RCP size check yet; iamlint names it like its SCP counterpart.",
        bad_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalAccount": ["#,
            x64!(x8!(r#""111122223333", "#)),
            r#""444455556666"]}}}]}"#
        ),
        good_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalAccount": ["#,
            x8!(r#""111122223333", "#),
            r#""444455556666"]}}}]}"#
        ),
        example_type: ExampleType::Rcp,
        scope: Scope::Document,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_organizations_policy_size(cx, sink, PolicyType::Rcp, "RCP");
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "POLICY_SIZE_EXCEEDS_RCP_QUOTA";

    #[test]
    fn whitespace_counts() {
        assert_organizations_quota(CODE, "rcp");
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

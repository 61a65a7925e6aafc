use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::report_organizations_policy_size;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "POLICY_SIZE_EXCEEDS_SCP_QUOTA",
        category: Category::Error,
        summary: "The SCP is longer than AWS Organizations accepts.",
        explanation: "AWS Organizations limits a service control policy to 5,120 characters, and unlike IAM it             counts every character, whitespace included. The console removes whitespace outside             strings when it saves a policy, but the API, the CLI, CloudFormation and Terraform             store the text exactly as given. When the minified policy would fit, the message says             so: minify it before deploying. Otherwise split it into several SCPs (each target             can have up to five). Access Analyzer's POLICY_SIZE_EXCEEDS_SCP_QUOTA.",
        bad_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"StringNotEquals": {"ec2:InstanceType": ["#,
            x64!(x8!(r#""m7g.large", "#)),
            r#""t4g.nano"]}}}]}"#
        ),
        good_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"StringNotEquals": {"ec2:InstanceType": ["#,
            x8!(r#""m7g.large", "#),
            r#""t4g.nano"]}}}]}"#
        ),
        example_type: ExampleType::Scp,
        scope: Scope::Document,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_organizations_policy_size(cx, sink, PolicyType::Scp, "SCP");
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "POLICY_SIZE_EXCEEDS_SCP_QUOTA";

    #[test]
    fn whitespace_counts() {
        assert_organizations_quota(CODE, "scp");
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

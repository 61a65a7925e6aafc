use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{policy_size, report_size};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
        category: Category::Warning,
        summary: "The resource policy is larger than the service accepts.",
        explanation: "Each service limits the size of the policies it stores, in bytes of the \
            document: S3 bucket policies, Lambda function policies and Secrets Manager secret \
            policies 20,480; SQS queue policies 8,192; SNS topic policies 30,720; KMS key \
            policies 32,768. When the resource type is given (`--type resource:AWS::SQS::Queue`) \
            iamlint uses that service's limit; otherwise it uses 20,480, the most common one, and \
            SQS queue policies can fail sooner. Shorten the policy: merge statements, trust an \
            account or organization with conditions instead of listing principals.",
        bad_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": ["#,
            x64!(x8!(r#""arn:aws:s3:::example-bucket/reports/2024/*", "#)),
            r#""arn:aws:s3:::example-bucket/last/*"]}]}"#
        ),
        good_example: concat!(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": ["#,
            x8!(r#""arn:aws:s3:::example-bucket/reports/2024/*", "#),
            r#""arn:aws:s3:::example-bucket/last/*"]}]}"#
        ),
        example_type: ExampleType::Resource,
        scope: Scope::Document,
    },
    check,
};

/// (limit in bytes, service name) for the resource types whose policy quota is known.
fn quota(resource_type: Option<&str>) -> (usize, &'static str) {
    let known: &[(&str, usize, &str)] = &[
        ("AWS::S3::Bucket", 20_480, "S3 bucket policies"),
        ("AWS::SQS::Queue", 8_192, "SQS queue policies"),
        ("AWS::SNS::Topic", 30_720, "SNS topic policies"),
        ("AWS::KMS::Key", 32_768, "KMS key policies"),
        ("AWS::Lambda::Function", 20_480, "Lambda function policies"),
        (
            "AWS::SecretsManager::Secret",
            20_480,
            "Secrets Manager secret policies",
        ),
    ];
    resource_type
        .and_then(|rt| {
            known
                .iter()
                .find(|(name, _, _)| name.eq_ignore_ascii_case(rt))
        })
        .map(|(_, limit, what)| (*limit, *what))
        .unwrap_or((
            20_480,
            "most resource policies (S3, Lambda, Secrets Manager; SQS allows only 8,192)",
        ))
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let (limit, what) = match cx.policy_type {
        PolicyType::Resource { resource_type } => quota(resource_type.as_deref()),
        // "The size of an endpoint policy cannot exceed 20,480 characters, including white
        // space" (Amazon VPC User Guide, endpoint policies).
        PolicyType::VpcEndpoint => (20_480, "VPC endpoint policies"),
        _ => return,
    };
    let size = policy_size(cx.text);
    report_size(cx, sink, size.bytes, limit, |count, limit| {
        format!(
            "The policy is {count} bytes; {what} may be at most {limit} bytes. Merge statements or trust an account or organization with conditions instead of listing many principals and resources."
        )
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA";

    fn sized(bytes: usize) -> String {
        let frame = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}"#;
        frame.replace(
            r#""Sid": """#,
            &format!(r#""Sid": "{}""#, "A".repeat(bytes - frame.len())),
        )
    }

    #[test]
    fn limit_depends_on_the_resource_type() {
        assert_eq!(sized(9_000).len(), 9_000);
        assert_eq!(
            spans_of(&sized(9_000), "resource:AWS::SQS::Queue", CODE),
            ["{"]
        );
        assert!(findings_of(&sized(9_000), "resource", CODE).is_empty());
        assert!(findings_of(&sized(20_480), "resource", CODE).is_empty());
        assert_eq!(spans_of(&sized(20_481), "resource", CODE), ["{"]);
        assert!(findings_of(&sized(30_000), "resource:AWS::SNS::Topic", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

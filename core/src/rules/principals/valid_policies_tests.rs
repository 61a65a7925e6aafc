//! Typical valid resource, trust, SCP and RCP policies (written after the patterns in the AWS
//! documentation) must not trip an error or warning of the structure or principal rules.

use crate::diagnostic::Category;
use crate::rules::testing::findings;
use crate::rules::{principals, structure};

const POLICIES: &[(&str, &str)] = &[
    // S3 bucket policy for a CloudFront origin access identity and a log-delivery account.
    (
        "resource:AWS::S3::Bucket",
        r#"{"Version": "2012-10-17", "Id": "PolicyForCloudFront", "Statement": [
        {"Sid": "Allow OAI", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHEXAMPLE"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-site/*"},
        {"Sid": "ElbLogs", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::127311923021:root"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-logs/AWSLogs/111122223333/*"},
        {"Sid": "CanonicalRead", "Effect": "Allow", "Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-site/*"},
        {"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::my-site", "arn:aws:s3:::my-site/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#,
    ),
    // CloudTrail bucket policy with a confused-deputy guard.
    (
        "resource",
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::trail/AWSLogs/111122223333/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}}]}"#,
    ),
    // SNS default topic policy.
    (
        "resource:AWS::SNS::Topic",
        r#"{"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["SNS:GetTopicAttributes", "SNS:Publish"], "Resource": "arn:aws:sns:us-east-1:111122223333:alerts", "Condition": {"StringEquals": {"AWS:SourceOwner": "111122223333"}}}]}"#,
    ),
    // KMS key policy.
    (
        "resource:AWS::KMS::Key",
        r#"{"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow use via S3", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": "111122223333"}}}]}"#,
    ),
    // Trust policies: Lambda, cross-account with external ID, GitHub OIDC, SAML, EKS, Roles Anywhere, SSO.
    (
        "trust",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}"#,
    ),
    (
        "trust",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef"]}, "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": {"StringEquals": {"sts:ExternalId": "Unique-ID-12345"}}}]}"#,
    ),
    (
        "trust",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}}}]}"#,
    ),
    (
        "trust",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"], "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}"#,
    ),
    (
        "trust",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:default:app"}}}]}"#,
    ),
    (
        "trust",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/abc"}}}]}"#,
    ),
    // SCPs in the 2025 grammar and an RCP.
    (
        "scp",
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "DenyOutsideEU", "Effect": "Deny", "NotAction": ["iam:*", "organizations:*", "support:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}, "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}}}, {"Sid": "AllowAll", "Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    ),
    (
        "rcp",
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*", "Action": ["s3:*", "sqs:*", "kms:*"], "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}"#,
    ),
    (
        "rcp",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}"#,
    ),
];

#[test]
fn typical_policies_raise_no_errors_or_warnings_here() {
    let ours: Vec<&str> = structure::RULES
        .iter()
        .chain(principals::RULES.iter())
        .map(|r| r.meta.code)
        .collect();
    for (policy_type, text) in POLICIES {
        let noisy: Vec<String> = findings(text, policy_type)
            .into_iter()
            .filter(|d| ours.contains(&d.code))
            .filter(|d| matches!(d.category, Category::Error | Category::Warning))
            .filter(|d| d.code != "MISSING_VERSION")
            .map(|d| format!("{} at {:?}: {}", d.code, d.span.slice(text), d.message))
            .collect();
        assert!(noisy.is_empty(), "{policy_type}: {noisy:#?}\n{text}");
    }
}

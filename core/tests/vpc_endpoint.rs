//! VPC endpoint policies (issue 12): checked as their own type they get the rules that apply to
//! a policy that only limits what passes through an endpoint, like an SCP: no least-privilege or
//! exposure findings on AWS's default `"Principal": "*"`, `"Action": "*"`, `"Resource": "*"`;
//! still the structure rules, among them the Principal that AWS requires.

use iamlint_core::{analyze, AnalyzeOptions, Category, PolicyType};

/// AWS's default endpoint policy (Amazon VPC User Guide, "Control access to VPC endpoints using
/// endpoint policies"), and a data-perimeter one from AWS's examples with PassRole in reach.
const DEFAULT: &str =
    r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}"#;
const PERIMETER: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "AllowOrgIdentitiesToOrgResources", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorgid", "aws:ResourceOrgID": "o-exampleorgid"}}}, {"Sid": "OneBucket", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "iam:PassRole"], "Resource": ["arn:aws:s3:::my-bucket/*", "*"]}]}"#;

fn codes(text: &str, policy_type: PolicyType) -> Vec<(&'static str, Category)> {
    let options = AnalyzeOptions {
        policy_type,
        ..AnalyzeOptions::default()
    };
    analyze(text, &options)
        .diagnostics
        .iter()
        .map(|d| (d.code, d.category))
        .collect()
}

#[test]
fn the_type_has_names_and_comes_from_the_endpoint_resource_type() {
    for name in ["vpc-endpoint", "VPCE", "resource:AWS::EC2::VPCEndpoint"] {
        assert_eq!(
            PolicyType::parse(name),
            Some(PolicyType::VpcEndpoint),
            "{name}"
        );
    }
    assert_eq!(PolicyType::VpcEndpoint.name(), "vpc-endpoint");
    assert!(PolicyType::NAMES.contains(&"vpc-endpoint"));
    // Nothing in the text tells an endpoint policy from a resource policy: auto keeps
    // inferring a resource policy.
    let options = AnalyzeOptions::default();
    assert!(matches!(
        analyze(DEFAULT, &options).policy_type,
        PolicyType::Resource { .. }
    ));
}

#[test]
fn aws_endpoint_policies_get_no_security_findings() {
    for text in [DEFAULT, PERIMETER] {
        let found = codes(text, PolicyType::VpcEndpoint);
        let security: Vec<_> = found
            .iter()
            .filter(|(code, category)| {
                *category == Category::Security
                    || code.starts_with("PASS_ROLE")
                    || code.starts_with("CREATE_SLR")
                    || *code == "STAR_IN_ACTION"
                    || *code == "PUBLIC_ACCESS"
            })
            .collect();
        assert!(security.is_empty(), "{text}: {security:?}");
        // Nor do they break the endpoint-specific limits (UNSUPPORTED_IN_VPC_ENDPOINT_POLICY).
        assert!(
            found
                .iter()
                .all(|(code, _)| *code != "UNSUPPORTED_IN_VPC_ENDPOINT_POLICY"),
            "{text}: {found:?}"
        );
    }
    // The close neighbour: the same default policy checked as a resource policy keeps them.
    let as_resource = codes(DEFAULT, PolicyType::parse("resource").expect("type"));
    assert!(as_resource.iter().any(|(c, _)| *c == "PUBLIC_ACCESS"));
    assert!(as_resource.iter().any(|(c, _)| *c == "STAR_IN_ACTION"));
}

#[test]
fn structure_rules_still_apply() {
    // AWS: "It must contain a Principal element."
    let no_principal = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    let found = codes(no_principal, PolicyType::VpcEndpoint);
    assert!(
        found.iter().any(|(c, _)| *c == "MISSING_PRINCIPAL"),
        "{found:?}"
    );
    assert!(codes(DEFAULT, PolicyType::VpcEndpoint)
        .iter()
        .all(|(c, _)| *c != "MISSING_PRINCIPAL"));
    // The 20,480-character quota, white space included.
    let sid = "A".repeat(20_500);
    let big = DEFAULT.replace(r#""Effect""#, &format!(r#""Sid": "{sid}", "Effect""#));
    let found = codes(&big, PolicyType::VpcEndpoint);
    assert!(found
        .iter()
        .any(|(c, _)| *c == "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA"));
}

use super::*;

fn options() -> AnalyzeOptions {
    AnalyzeOptions::default()
}

#[test]
fn a_plain_policy_gives_exactly_the_analysis_of_today() {
    for text in [
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}"#,
        r#"{"Statement": {"Effect": "Allow" "Action": "iam:*", "Resource": "*"}"#,
        "",
    ] {
        let today = crate::analyze(text, &options());
        let host = analyze(text, Format::Json, &options());
        assert_eq!(host.policies.len(), 1);
        assert!(host.errors.is_empty());
        assert_eq!(host.policies[0].diagnostics, today.diagnostics);
        assert_eq!(host.policies[0].policy_type, today.policy_type);
        assert_eq!(host.diagnostics(), today.diagnostics);
    }
}

#[test]
fn detects_formats_by_extension_and_content() {
    let policy = r#"{"Version": "2012-10-17", "Statement": []}"#;
    let template = r#"{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {}}}}"#;
    assert_eq!(detect(Some("policy.json"), policy), Format::Json);
    assert_eq!(detect(None, policy), Format::Json);
    assert_eq!(detect(Some("t.json"), template), Format::CloudFormationJson);
    assert_eq!(detect(None, template), Format::CloudFormationJson);
    assert_eq!(
        detect(Some("main.tf"), "resource \"a\" \"b\" {}"),
        Format::Terraform
    );
    assert_eq!(
        detect(None, "\nresource \"aws_iam_policy\" \"p\" {\n}"),
        Format::Terraform
    );
    assert_eq!(
        detect(
            Some("template.yaml"),
            "Resources:\n  R:\n    Type: AWS::S3::Bucket\n"
        ),
        Format::CloudFormationYaml
    );
    assert_eq!(
        detect(Some("dir/t.template"), template),
        Format::CloudFormationJson
    );
    assert_eq!(
        detect(None, "AWSTemplateFormatVersion: '2010-09-09'\n"),
        Format::CloudFormationYaml
    );
    assert_eq!(
        detect(Some("package.json"), r#"{"name": "x"}"#),
        Format::Json
    );
}

#[test]
fn format_names_round_trip() {
    for name in Format::NAMES {
        assert_eq!(Format::parse(name).map(Format::as_str), Some(*name));
    }
}

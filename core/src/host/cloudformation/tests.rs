use crate::host::{analyze, read, Format};
use crate::{AnalyzeOptions, PolicyType};

const TEMPLATE: &str = include_str!("../../../tests/fixtures/host/template.yaml");

use crate::host::findings_for_tests as findings;

#[test]
fn yaml_template_policies_types_and_findings() {
    let doc = read(Format::CloudFormationYaml, TEMPLATE);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let got: Vec<(&str, PolicyType)> = doc
        .policies
        .iter()
        .map(|p| (p.name.as_str(), p.policy_type.clone()))
        .collect();
    let resource = |t: &str| PolicyType::Resource {
        resource_type: Some(t.into()),
    };
    assert_eq!(
        got,
        [
            (
                "Resources/OpenRole/AssumeRolePolicyDocument",
                PolicyType::Trust
            ),
            (
                "Resources/OpenRole/Policies/0/PolicyDocument",
                PolicyType::Identity
            ),
            ("Resources/Joined/PolicyDocument", PolicyType::Identity),
            (
                "Resources/BucketPolicy/PolicyDocument",
                resource("AWS::S3::Bucket")
            ),
            ("Resources/AsString/PolicyDocument", PolicyType::Identity),
            ("Resources/Fn/Policies/2", PolicyType::Identity),
            ("Resources/Guard/Content", PolicyType::Scp),
        ]
    );
    // `!Sub` keeps its literal text; `${!aws:username}` is the policy variable.
    assert!(
        doc.policies[1]
            .json
            .contains("\"arn:aws:s3:::${iamlint:unknown1}/home/${aws:username}/*\""),
        "{}",
        doc.policies[1].json
    );
    // `Fn::Join` of literals and references.
    assert!(
        doc.policies[2]
            .json
            .contains("\"arn:aws:sqs:${iamlint:unknown1}:${iamlint:unknown2}:q\""),
        "{}",
        doc.policies[2].json
    );
    assert_eq!(
        findings(TEMPLATE, Format::CloudFormationYaml),
        [
            "Resources/OpenRole/AssumeRolePolicyDocument RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL lambda.amazonaws.com",
            "Resources/OpenRole/Policies/0/PolicyDocument INVALID_ACTION GetObjekt",
            "Resources/Joined/PolicyDocument INVALID_ACTION ReceiveMesage",
            // Reported at the start of the document (the mapping has no brace to point at).
            "Resources/BucketPolicy/PolicyDocument MISSING_VERSION ",
            // Inside the JSON string of a literal block, at its own position.
            "Resources/AsString/PolicyDocument INVALID_ACTION DescribeInstancez",
            "Resources/Fn/Policies/2 MISSING_VERSION ",
            "Resources/Fn/Policies/2 INVALID_ACTION GetItm",
        ]
    );
    let a = analyze(
        TEMPLATE,
        Format::CloudFormationYaml,
        &AnalyzeOptions::default(),
    );
    let missing = &a.policies[3].diagnostics[0];
    let line_start = TEMPLATE[..missing.span.start].rfind('\n').unwrap() + 1;
    assert_eq!(
        &TEMPLATE[line_start..missing.span.start],
        "        ",
        "at the first key of the document"
    );
}

#[test]
fn json_template_with_long_form_intrinsics() {
    let text = r#"{
  "Resources": {
    "Role": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}, "Action": "sts:AssumeRole"}]
        },
        "Policies": [{"PolicyName": "p", "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {"Fn::If": ["C", {"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Ref": "AWS::NoValue"}]},
            {"Effect": "Allow", "Action": "s3:PutObjekt", "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]}}
          ]
        }}]
      }
    },
    "Key": {
      "Type": "AWS::KMS::Key",
      "Properties": {"KeyPolicy": {"Fn::ImportValue": "shared-key-policy"}}
    }
  }
}"#;
    assert_eq!(
        crate::host::detect(Some("t.json"), text),
        Format::CloudFormationJson
    );
    assert_eq!(
        findings(text, Format::CloudFormationJson),
        ["Resources/Role/Policies/0/PolicyDocument INVALID_ACTION PutObjekt"]
    );
}

#[test]
fn files_that_are_not_templates_give_nothing() {
    let compose = "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n";
    assert!(findings(compose, Format::CloudFormationYaml).is_empty());
    let broken = "services: [\n";
    assert!(findings(broken, Format::CloudFormationYaml).is_empty());
}

#[test]
fn a_broken_resource_does_not_hide_the_others() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Broken:
    Type: AWS::IAM::Policy
    Properties:
      PolicyDocument: {Statement: [
  Fine:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: s3:GetObjekt
            Resource: '*'
";
    let found = findings(text, Format::CloudFormationYaml);
    assert!(found[0].starts_with("error "), "{found:#?}");
    assert!(
        found.contains(&"Resources/Fine/PolicyDocument INVALID_ACTION GetObjekt".to_string()),
        "{found:#?}"
    );
}

#[test]
fn never_panics_on_fragments() {
    // Every third cut keeps the test quick; cuts land in every kind of token.
    for end in (0..=TEMPLATE.len()).step_by(3) {
        if TEMPLATE.is_char_boundary(end) {
            let _ = analyze(
                &TEMPLATE[..end],
                Format::CloudFormationYaml,
                &AnalyzeOptions::default(),
            );
        }
    }
}

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

/// Unknown values in every element a rule reads, for each policy type: no finding may be
/// about an unknown value, and none may come from reading an unknown as a wildcard.
#[test]
fn unknown_values_in_every_element_give_no_finding() {
    let elements = [
        "Sid = var.sid",
        "Effect = var.effect",
        "Principal = { AWS = var.p }",
        "Principal = { AWS = [\"arn:aws:iam::${var.account}:root\"] }",
        "Principal = { Service = \"${var.svc}.amazonaws.com\" }",
        "Principal = { Federated = var.idp }",
        "Principal = var.principal",
        "Action = var.action",
        "Action = [\"s3:${var.verb}\"]",
        "Action = [\"${var.service}:GetObject\"]",
        "NotAction = [var.action]",
        "Resource = aws_s3_bucket.b.arn",
        "Resource = \"${aws_s3_bucket.b.arn}/*\"",
        "Resource = \"arn:aws:s3:::${var.b}\"",
        "Resource = \"arn:${data.aws_partition.p.partition}:iam::${var.a}:role/x\"",
        "Resource = [for b in var.buckets : \"arn:aws:s3:::${b}/*\"]",
        "NotResource = var.r",
        "Condition = var.condition",
        "Condition = { StringEquals = var.c }",
        "Condition = { StringEquals = { (var.key) = \"x\" } }",
        "Condition = { StringEquals = { \"aws:PrincipalOrgID\" = var.org } }",
        "Condition = { IpAddress = { \"aws:SourceIp\" = var.cidr } }",
        "Condition = { DateGreaterThan = { \"aws:CurrentTime\" = var.t } }",
        "Condition = { NumericLessThan = { \"aws:MultiFactorAuthAge\" = var.n } }",
        "Condition = { Bool = { \"aws:SecureTransport\" = var.b } }",
        "Condition = { ArnLike = { \"aws:SourceArn\" = \"${aws_sns_topic.t.arn}\" } }",
        "Condition = { (var.operator) = { \"aws:SourceAccount\" = \"111122223333\" } }",
    ];
    let defaults = [
        ("Effect", "Effect = \"Allow\""),
        ("Action", "Action = \"s3:GetObject\""),
        ("Resource", "Resource = \"arn:aws:s3:::bucket/*\""),
    ];
    let mut problems = Vec::new();
    let mut held_back = std::collections::BTreeSet::new();
    for (kind, with_principal) in [
        ("aws_iam_policy", false),
        ("aws_s3_bucket_policy", true),
        ("aws_organizations_policy", false),
    ] {
        for element in elements {
            let mut members = vec![element.to_string()];
            for (name, default) in defaults {
                if !element.starts_with(name) && !element.starts_with(&format!("Not{name}")) {
                    members.push(default.to_string());
                }
            }
            if with_principal && !element.starts_with("Principal") {
                members.push("Principal = { AWS = \"arn:aws:iam::111122223333:root\" }".into());
            }
            let attr = if kind == "aws_organizations_policy" {
                "content"
            } else {
                "policy"
            };
            let text = format!(
                "resource \"{kind}\" \"x\" {{\n  {attr} = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      {}\n    }}]\n  }})\n}}\n",
                members.join("\n      ")
            );
            let a = analyze(&text, Format::Terraform, &options());
            assert!(a.errors.is_empty(), "{text}\n{:?}", a.errors);
            let doc = read(Format::Terraform, &text);
            assert!(!doc.policies[0].unknowns.is_empty(), "{text}");
            // What the rules say on the JSON text alone, before unknown values are taken out:
            // the families whose findings the filter holds back.
            let p = &doc.policies[0];
            let raw = crate::analyze(
                &p.json,
                &AnalyzeOptions {
                    policy_type: p.policy_type.clone(),
                    ..options()
                },
            );
            for d in raw.diagnostics.iter().filter(|d| p.is_on_unknown(d.span)) {
                let family = crate::rules::GROUPS
                    .iter()
                    .find(|(_, rules)| rules.iter().any(|r| r.meta.code == d.code))
                    .map_or("?", |(name, _)| *name);
                held_back.insert(family);
            }
            for d in a.diagnostics() {
                let on_unknown = doc.policies[0]
                    .unknowns
                    .iter()
                    .any(|u| d.span.start <= u.host.end && u.host.start <= d.span.end);
                // Allow with NotAction / NotResource is a finding whatever the list holds.
                let structural = element.starts_with("Not");
                if on_unknown || (d.category == Category::Security && !structural) {
                    problems.push(format!(
                        "{kind} `{element}`: {} at {:?}: {}",
                        d.code,
                        d.span.slice(&text),
                        d.message
                    ));
                }
                assert!(!d.message.contains("iamlint:unknown"), "{}", d.message);
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    // The families that would have fired on an unknown value. (The ARN rules already read a
    // policy variable in an ARN as "any value", so the placeholder keeps them quiet by itself.)
    assert_eq!(
        held_back.into_iter().collect::<Vec<_>>(),
        [
            "actions",
            "conditions",
            "principals",
            "security",
            "structure",
            "variables"
        ]
    );
}

use std::borrow::Cow;

use super::*;
use crate::activity::record::{Event, Identity};
use crate::activity::usage::{Filter, Principal};
use crate::analysis::{analyze, AnalyzeOptions};
use crate::diagnostic::Category;
use crate::eval::{
    evaluate, CompiledPolicy, Decision, PolicySet, Request, RequestContext, RequestPrincipal,
};
use crate::policy::PolicyType;

const ROLE: &str = "arn:aws:iam::111122223333:role/app";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/app/s";

const POLICY: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Storage",
            "Effect": "Allow",
            "Action": [
                "s3:Get*",
                "s3:ListBucket",
                "s3:PutObject"
            ],
            "Resource": "*"
        },
        {
            "Sid": "Describe",
            "Effect": "Allow",
            "Action": "ec2:DescribeInstances",
            "Resource": "*"
        },
        {
            "Sid": "Pass",
            "Effect": "Allow",
            "Action": ["iam:PassRole", "sts:GetCallerIdentity"],
            "Resource": "*"
        },
        {
            "Effect": "Deny",
            "Action": "s3:DeleteBucket",
            "Resource": "*"
        }
    ]
}
"#;

fn usage(events: &[(&str, &str, bool)]) -> Usage {
    let filter = Filter::new(Principal::parse(ROLE).unwrap());
    let mut usage = Usage::new();
    for (source, name, data) in events {
        usage.add_event(
            &filter,
            &Event {
                time: Cow::Borrowed("2026-01-12T09:00:00Z"),
                time_ms: 1_768_208_400_000,
                source: Cow::Borrowed(source),
                name: Cow::Borrowed(name),
                identity: Identity {
                    arn: Some(Cow::Borrowed(SESSION)),
                    issuer_arn: Some(Cow::Borrowed(ROLE)),
                    ..Identity::default()
                },
                management_event: Some(!data),
                ..Event::default()
            },
        );
    }
    usage
}

fn allowed(policy: &str, action: &str) -> bool {
    let set = PolicySet {
        identity: vec![CompiledPolicy::compile("p", policy).expect("compiles")],
        ..PolicySet::default()
    };
    let request = Request {
        principal: RequestPrincipal::parse(SESSION).unwrap(),
        action: action.into(),
        resource: "arn:aws:s3:::bucket/key".into(),
        resource_account: None,
        context: RequestContext::new(),
    };
    evaluate(&set, &request).decision == Decision::Allowed
}

fn no_errors(text: &str) {
    let a = analyze(
        text,
        &AnalyzeOptions {
            policy_type: PolicyType::Identity,
            ..AnalyzeOptions::default()
        },
    );
    let errors: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.category == Category::Error)
        .map(|d| d.code)
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
}

#[test]
fn used_unused_and_untracked_actions() {
    let u = usage(&[
        ("s3.amazonaws.com", "GetObject", true),
        ("s3.amazonaws.com", "ListObjectsV2", true),
        ("sts.amazonaws.com", "GetCallerIdentity", false),
    ]);
    let r = unused(POLICY, &u).unwrap();
    assert_eq!(
        r.used,
        ["s3:GetObject", "s3:ListBucket", "sts:GetCallerIdentity"]
    );
    // iam:PassRole and the actions no event shows (s3:GetObjectVersion is checked during
    // GetObject with a versionId, never an event of its own).
    assert!(r.untracked.contains(&"iam:PassRole".to_string()));
    for a in &r.untracked {
        assert!(matches!(tracking(a), Tracking::NeverLogged(_)), "{a}");
        assert!(!r.unused.iter().any(|i| i.actions.contains(a)), "{a}");
    }
    assert_eq!(r.unused_services, ["ec2"]);
    let items: Vec<(&str, bool)> = r
        .unused
        .iter()
        .map(|i| (i.item.as_str(), i.removed))
        .collect();
    assert_eq!(
        items,
        [
            ("s3:Get*", false),
            ("s3:PutObject", true),
            ("ec2:DescribeInstances", true)
        ]
    );
    assert!(r.unused[0]
        .actions
        .contains(&"s3:GetBucketPolicy".to_string()));
    assert!(!r.unused[0].actions.contains(&"s3:GetObject".to_string()));
    assert_eq!((r.unused[0].line, r.unused[0].column), (8, 17));
    // The narrowed policy: the used and untracked actions only, the Deny untouched.
    let p = &r.policy;
    no_errors(p);
    for a in [
        "s3:GetObject",
        "s3:ListBucket",
        "iam:PassRole",
        "sts:GetCallerIdentity",
    ] {
        assert!(allowed(p, a), "{a}\n{p}");
    }
    for a in [
        "s3:GetBucketPolicy",
        "s3:PutObject",
        "ec2:DescribeInstances",
    ] {
        assert!(!allowed(p, a), "{a}\n{p}");
    }
    assert!(!p.contains("\"Describe\""), "{p}");
    assert!(p.contains("\"s3:DeleteBucket\""));
    // The list keeps its layout: one item per line, same indentation.
    assert!(p.contains("\n                \"s3:GetObject\",\n"), "{p}");
    assert!(
        p.contains("\n                \"s3:ListBucket\"\n            ]"),
        "{p}"
    );
    // Never wider: whatever the narrowed policy allows, the original did.
    for a in catalog()
        .expand_action_pattern("s3:*")
        .iter()
        .chain(&catalog().expand_action_pattern("ec2:Describe*"))
    {
        let name = a.full_name();
        if allowed(p, &name) {
            assert!(allowed(POLICY, &name), "{name}");
        }
    }
}

#[test]
fn data_actions_are_untracked_without_data_events() {
    let u = usage(&[("sts.amazonaws.com", "GetCallerIdentity", false)]);
    let r = unused(POLICY, &u).unwrap();
    assert!(
        r.untracked.contains(&"s3:GetObject".to_string()),
        "{:?}",
        r.untracked
    );
    assert!(r.untracked.contains(&"s3:PutObject".to_string()));
    assert!(!r
        .unused
        .iter()
        .any(|i| i.actions.contains(&"s3:GetObject".to_string())));
    assert!(r.notes.iter().any(|n| n.contains("no data event")));
    assert!(allowed(&r.policy, "s3:PutObject"));
}

#[test]
fn nothing_used_leaves_no_statement_and_bad_policies_are_errors() {
    let policy = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:DescribeVpcs", "Resource": "*"}}"#;
    let r = unused(policy, &usage(&[("s3.amazonaws.com", "GetObject", true)])).unwrap();
    assert_eq!(r.policy, r#"{"Version": "2012-10-17", "Statement": []}"#);
    assert_eq!(r.unused_services, ["ec2"]);
    let e = unused("{\"Version\": ", &usage(&[])).unwrap_err();
    assert_eq!(e[0].line, 1);
    assert!(e[0].message.starts_with("JSON syntax"), "{e:?}");
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["policy"]["Statement"], serde_json::json!([]));
    assert_eq!(v["unused"][0]["item"], "ec2:DescribeVpcs");
}

#[test]
fn each_unused_item_is_a_finding_whose_review_fix_narrows_that_item_alone() {
    let u = usage(&[
        ("s3.amazonaws.com", "GetObject", true),
        ("s3.amazonaws.com", "ListObjectsV2", true),
        ("sts.amazonaws.com", "GetCallerIdentity", false),
    ]);
    let r = unused(POLICY, &u).unwrap();
    let filter = Filter::new(Principal::parse(ROLE).unwrap());
    let found = unused_diagnostics(&r, &filter, &u);
    let at: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d.code, &POLICY[d.span.start..d.span.end]))
        .collect();
    assert_eq!(
        at,
        [
            (UNUSED_GRANT, "\"s3:Get*\""),
            (UNUSED_GRANT, "\"s3:PutObject\""),
            (UNUSED_GRANT, "\"ec2:DescribeInstances\"")
        ]
    );
    // The message names the principal, the period the logs cover and some unused actions,
    // never an untracked or used one.
    let m = &found[0].message;
    assert!(m.contains(ROLE), "{m}");
    assert!(
        m.contains("from 2026-01-12T09:00:00Z to 2026-01-12T09:00:00Z"),
        "{m}"
    );
    assert!(m.contains("s3:GetAccelerateConfiguration"), "{m}");
    assert!(m.contains("more"), "{m}");
    assert!(
        !m.contains("s3:GetObject,") && !m.contains("s3:GetObjectVersion"),
        "{m}"
    );
    let fixed: Vec<String> = found
        .iter()
        .map(|d| {
            assert_eq!(d.fixes.len(), 1);
            assert_eq!(d.fixes[0].safety, crate::diagnostic::Safety::Review);
            d.fixes[0].apply(POLICY).expect("applies")
        })
        .collect();
    // s3:Get* becomes the Get actions used or untracked; the other statements stay.
    assert!(!allowed(&fixed[0], "s3:GetBucketPolicy"));
    assert!(allowed(&fixed[0], "s3:GetObject") && allowed(&fixed[0], "s3:PutObject"));
    assert!(allowed(&fixed[0], "ec2:DescribeInstances"));
    // s3:PutObject alone goes; the list keeps its other items.
    assert!(!allowed(&fixed[1], "s3:PutObject") && allowed(&fixed[1], "s3:GetBucketPolicy"));
    // The only item of "Describe": the statement goes, the next one is untouched.
    assert!(!fixed[2].contains("\"Describe\""), "{}", fixed[2]);
    assert!(allowed(&fixed[2], "iam:PassRole") && allowed(&fixed[2], "s3:PutObject"));
    for text in &fixed {
        no_errors(text);
        // Never wider, item by item.
        for a in catalog().expand_action_pattern("s3:*") {
            let name = a.full_name();
            if allowed(text, &name) {
                assert!(allowed(POLICY, &name), "{name}");
            }
        }
    }
    // Every action used: no finding at all.
    let all = usage(&[("ec2.amazonaws.com", "DescribeInstances", false)]);
    let r = unused(
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}}"#,
        &all,
    )
    .unwrap();
    assert!(unused_diagnostics(&r, &filter, &all).is_empty());
}

#[test]
fn policies_in_a_cloudformation_template_get_findings_on_host_spans_with_yaml_fixes() {
    use crate::host::{read, Format};
    let template = "\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
                  - sts:GetCallerIdentity
                  - ec2:DescribeVpcs
                Resource: '*'
";
    let u = usage(&[("sts.amazonaws.com", "GetCallerIdentity", false)]);
    let filter = Filter::new(Principal::parse(ROLE).unwrap());
    let found = unused_in_host(
        template,
        &read(Format::CloudFormationYaml, template),
        &u,
        &filter,
    );
    // The role's own policy only: the trust policy's sts:AssumeRole is someone else's grant.
    let at: Vec<&str> = found
        .iter()
        .map(|d| &template[d.span.start..d.span.end])
        .collect();
    assert_eq!(at, ["ec2:DescribeVpcs"]);
    let fixed = found[0].fixes[0].apply(template).expect("a YAML fix");
    assert!(!fixed.contains("ec2:DescribeVpcs"), "{fixed}");
    assert!(fixed.contains("- sts:GetCallerIdentity"), "{fixed}");
    assert!(fixed.contains("Action: sts:AssumeRole"), "{fixed}");
}

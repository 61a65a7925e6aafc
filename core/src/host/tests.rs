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
}

/// Reading what `detect_parsed` found (a JSON template parsed once) gives what `read` gives.
#[test]
fn a_detected_template_reads_as_read_does() {
    let template = r#"{
  "Resources": {
    "R": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": {"Fn::Sub": "arn:aws:s3:::${B}/*"}}]
    }}},
    "Broken": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": [}}}
  }
}"#;
    for (name, text) in [
        ("t.json", template),
        ("p.json", r#"{"Version": "2012-10-17", "Statement": []}"#),
        ("package.json", r#"{"name": "x"}"#),
        ("main.tf", "resource \"a\" \"b\" {}"),
    ] {
        let detected = crate::host::detect_parsed(Some(name), text);
        assert_eq!(detected.format, detect(Some(name), text));
        let format = detected.format;
        let once = format!("{:?}", detected.read(text));
        assert_eq!(
            once,
            format!("{:?}", crate::host::read(format, text)),
            "{name}"
        );
    }
    let detected = crate::host::detect_parsed(Some("t.json"), template);
    assert_eq!(detected.format, Format::CloudFormationJson);
    let doc = detected.read(template);
    assert_eq!(doc.policies.len(), 2);
    assert!(!doc.errors.is_empty());
}

/// Files that are neither policies nor templates: no policies, no findings, whichever way they
/// reach the core; a user's word that one is a policy gets it checked as one.
#[test]
fn json_and_yaml_that_are_not_policies_get_no_findings() {
    let package = "{\n  \"name\": \"web\",\n  \"version\": \"1.2.0\",\n  \"scripts\": {\"build\": \"vite build\"},\n  \"dependencies\": {\"Statement\": \"^1.0.0\"}\n}\n";
    let tsconfig = "{\n  // the compiler\n  \"compilerOptions\": {\"strict\": true, \"module\": \"node16\"},\n  \"include\": [\"src\"]\n}\n";
    let eslintrc =
        r#"{"root": true, "extends": ["eslint:recommended"], "rules": {"semi": "error"}}"#;
    let compose = "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n";
    let array = r#"[{"Effect": "Allow", "Action": "*", "Resource": "*"}]"#;
    for (name, text) in [
        ("package.json", package),
        ("tsconfig.json", tsconfig),
        (".eslintrc.json", eslintrc),
        ("list.json", array),
        ("empty.json", ""),
    ] {
        for hint in [Some(name), None] {
            let format = detect(hint, text);
            assert_eq!(format, Format::Other, "{name} ({hint:?})");
            let analysis = analyze(text, format, &AnalyzeOptions::default());
            assert!(analysis.policies.is_empty() && analysis.diagnostics().is_empty());
        }
        // Said to be a policy: checked as one (and then it has findings).
        let forced = detect(Some(name), text).or_policy(true);
        assert_eq!(forced, Format::Json);
        assert!(!analyze(text, forced, &AnalyzeOptions::default())
            .diagnostics()
            .is_empty());
    }
    for hint in [Some("docker-compose.yaml"), Some("ci.yml")] {
        let format = detect(hint, compose);
        assert_eq!(format, Format::CloudFormationYaml);
        assert!(analyze(compose, format, &AnalyzeOptions::default())
            .diagnostics()
            .is_empty());
        // A YAML file is never read as JSON, whatever is said.
        assert_eq!(format.or_policy(true), Format::CloudFormationYaml);
    }
    assert_eq!(detect(None, compose), Format::Other);
    // A policy being typed is a policy from its first key on; a template stays a template.
    let started = r#"{"Version": "2012-10-17", "Stat"#;
    assert_eq!(detect(Some("p.json"), started), Format::Json);
    let template = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}"#;
    assert_eq!(
        detect(Some("t.json"), template).or_policy(true),
        Format::CloudFormationJson
    );
    assert_eq!(Format::Other.or_policy(false), Format::Other);
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

/// Every fix offered on a host applies, leaves the host readable with the same policies, and
/// gives the policy the same fix gives its JSON text. Returns "CODE: old -> new" per fix.
fn check_fixes(text: &str, format: Format) -> Vec<String> {
    let before = read(format, text);
    assert!(before.errors.is_empty(), "{:?}", before.errors);
    let mut applied = Vec::new();
    for (i, p) in before.policies.iter().enumerate() {
        let json_options = AnalyzeOptions {
            policy_type: p.policy_type.clone(),
            ..options()
        };
        for d in crate::analyze(&p.json, &json_options).diagnostics {
            if p.is_on_unknown(d.span) {
                continue;
            }
            for fix in &d.fixes {
                let Some(host_fix) = write::host_fix(text, p, fix) else {
                    continue;
                };
                let fixed = host_fix
                    .apply(text)
                    .unwrap_or_else(|| panic!("{}: fix does not apply", d.code));
                let after = read(format, &fixed);
                assert!(
                    after.errors.is_empty(),
                    "{} / {}: {:?}\n{fixed}",
                    d.code,
                    fix.title,
                    after.errors
                );
                assert_eq!(after.policies.len(), before.policies.len(), "{fixed}");
                let expected: serde_json::Value =
                    serde_json::from_str(&fix.apply(&p.json).unwrap()).unwrap();
                let got: serde_json::Value = serde_json::from_str(&after.policies[i].json).unwrap();
                assert_eq!(got, expected, "{} / {}\n{fixed}", d.code, fix.title);
                let edit = &host_fix.edits[0];
                applied.push(format!(
                    "{}: {} -> {}",
                    d.code,
                    edit.span.slice(text),
                    edit.text
                ));
            }
        }
    }
    // The analysis offers exactly these fixes.
    let offered: usize = analyze(text, format, &options())
        .diagnostics()
        .iter()
        .map(|d| d.fixes.len())
        .sum();
    assert_eq!(offered, applied.len());
    applied
}

#[test]
fn fixes_are_written_in_each_host_syntax() {
    let tf = r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{
      Effect   = "allow"
      Action   = ["s3:GetObjekt", "s3:ListBucket"]
      Resource = ["arn:aws:s3:::b/$${aws:username}/*", "arn:aws:s3:::b"]
    }]
  })
}

resource "aws_iam_policy" "h" {
  policy = <<-EOF
    {"Statement": [{"Effect": "allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/$${aws:username}"}]}
  EOF
}

resource "aws_iam_policy" "q" {
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}]}"
}

data "aws_iam_policy_document" "d" {
  statement {
    effect    = "allow"
    actions   = ["s3:GetObjekt"]
    resources = ["arn:aws:s3:::b/&{aws:username}/*"]
  }
}
"#;
    assert_eq!(
        check_fixes(tf, Format::Terraform),
        [
            // jsonencode: a new key in the siblings' style, strings with HCL escapes.
            "MISSING_VERSION:  -> Version = \"2012-10-17\"\n    ",
            "INVALID_EFFECT: \"allow\" -> \"Allow\"",
            "INVALID_ACTION: \"s3:GetObjekt\" -> \"s3:GetObject\"",
            // Heredoc JSON.
            "MISSING_VERSION:  -> \"Version\": \"2012-10-17\", ",
            "INVALID_EFFECT: \"allow\" -> \"Allow\"",
            "INVALID_ACTION: \"s3:GetObjekt\" -> \"s3:GetObject\"",
            // JSON in a quoted HCL string.
            "INVALID_EFFECT: \\\"allow\\\" -> \\\"Allow\\\"",
            "INVALID_ACTION: \\\"s3:GetObjekt\\\" -> \\\"s3:GetObject\\\"",
            // aws_iam_policy_document.
            "INVALID_EFFECT: \"allow\" -> \"Allow\"",
            "INVALID_ACTION: \"s3:GetObjekt\" -> \"s3:GetObject\"",
        ]
    );
    let yaml = "Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: allow
            Action:
              - s3:GetObjekt
              - s3:ListBucket
            Resource: ['arn:aws:s3:::b/*', !Sub 'arn:aws:s3:::${B}']
      Other: 1
  S:
    Type: AWS::IAM::Policy
    Properties:
      PolicyDocument: |
        {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}]}
";
    assert_eq!(
        check_fixes(yaml, Format::CloudFormationYaml),
        [
            // A block mapping gets a line at the siblings' column; scalars quoted where needed.
            "MISSING_VERSION:  -> Version: '2012-10-17'\n        ",
            "INVALID_EFFECT: allow -> Allow",
            "INVALID_ACTION: s3:GetObjekt -> s3:GetObject",
            // JSON in a literal block.
            "INVALID_EFFECT: \"allow\" -> \"Allow\"",
            "INVALID_ACTION: \"s3:GetObjekt\" -> \"s3:GetObject\"",
        ]
    );
    let json = r#"{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
  "PolicyDocument": {"Statement": [{"Effect": "allow", "Action": "s3:GetObjekt", "Resource": "*"}]}}},
  "S": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}]}"}}}}"#;
    assert_eq!(
        check_fixes(json, Format::CloudFormationJson),
        [
            "MISSING_VERSION:  -> \"Version\": \"2012-10-17\", ",
            "INVALID_EFFECT: \"allow\" -> \"Allow\"",
            "INVALID_ACTION: \"s3:GetObjekt\" -> \"s3:GetObject\"",
            // JSON in a JSON string.
            "INVALID_EFFECT: \\\"allow\\\" -> \\\"Allow\\\"",
            "INVALID_ACTION: \\\"s3:GetObjekt\\\" -> \\\"s3:GetObject\\\"",
        ]
    );
}

#[test]
fn no_fix_on_an_unknown_value() {
    // `var.effect` and the interpolated action would get fixes as literals; none is offered.
    let text = r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = var.effect, Action = "${var.service}:GetObjekt", Resource = "*" }]
  })
}
"#;
    let a = analyze(text, Format::Terraform, &options());
    for d in a.diagnostics() {
        assert!(d.fixes.is_empty(), "{}: {:?}", d.code, d.fixes);
    }
    assert!(check_fixes(text, Format::Terraform).is_empty());
}

/// The fuzz target's checks (fuzz/fuzz_targets/host.rs) on deterministic mutations of the
/// fixtures: no panic, every span inside the text on character boundaries, every fix applies.
#[test]
fn mutated_hosts_keep_spans_in_the_text() {
    let fixtures = [
        (
            include_str!("../../tests/fixtures/host/ec2_role.tf"),
            Format::Terraform,
        ),
        (
            include_str!("../../tests/fixtures/host/template.yaml"),
            Format::CloudFormationYaml,
        ),
    ];
    let inserts = [
        "{", "}", "\"", "$${", "${", "\n", "[", "]", "!", "- ", ": ", "é", "<<EOF\n", "\\",
    ];
    let check = |text: &str, format: Format| {
        let in_text = |s: Span| {
            s.start <= s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        };
        let a = analyze(text, format, &options());
        assert!(a.errors.iter().all(|e| in_text(e.span)), "{text}");
        for d in a.diagnostics() {
            assert!(in_text(d.span), "{}: {text}", d.code);
            assert!(d.related.iter().all(|r| in_text(r.span)), "{text}");
            for f in &d.fixes {
                assert!(f.apply(text).is_some(), "{}: {text}", d.code);
            }
        }
    };
    // A small linear congruential sequence: the same cases every run.
    let mut seed: u64 = 0x1ac0_5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n.max(1)
    };
    for (fixture, format) in fixtures {
        for _ in 0..150 {
            let mut text = fixture.to_string();
            for _ in 0..3 {
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                if next(2) == 0 {
                    text.insert_str(at, inserts[next(inserts.len())]);
                } else {
                    let mut end = (at + 1 + next(8)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, "");
                }
            }
            check(&text, format);
            // The other readers on the same text.
            check(&text, Format::CloudFormationJson);
        }
    }
}

/// Timing of reading and checking a 60-policy Terraform file (run by hand, in release:
/// `cargo test --release -p iamlint-core --lib host::tests::timing -- --ignored --nocapture`).
#[test]
#[ignore]
fn timing_of_a_large_terraform_file() {
    let one = include_str!("../../tests/fixtures/host/ec2_role.tf");
    let mut text = String::new();
    for i in 0..30 {
        text.push_str(
            &one.replace("ec2_role", &format!("r{i}"))
                .replace("s3_read", &format!("p{i}")),
        );
    }
    let lines = text.lines().count();
    let start = std::time::Instant::now();
    let runs = 50;
    let mut policies = 0;
    for _ in 0..runs {
        let doc = read(Format::Terraform, &text);
        policies = doc.policies.len();
        let _ = analyze_document(&text, &doc, &options());
    }
    let both = start.elapsed();
    let read_only = std::time::Instant::now();
    for _ in 0..runs {
        let _ = read(Format::Terraform, &text);
    }
    let per_run = |d: std::time::Duration| d.as_secs_f64() * 1000.0 / runs as f64;
    eprintln!(
        "{lines} lines, {policies} policies: read + analyze {:.2} ms, read {:.2} ms",
        per_run(both),
        per_run(read_only.elapsed())
    );
}

/// A fix that puts several items where one was (a wildcard action replaced by the actions it
/// matches) writes the whole new list, in each host syntax: the host's policy after the fix is
/// the policy JSON after the same fix.
#[test]
fn a_fix_that_replaces_one_item_by_several_writes_the_list() {
    let tf = r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["access-analyzer:List*", "s3:GetObject"]
      Resource = "*"
    }]
  })
}
"#;
    let yaml = "Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action:
              - access-analyzer:List*
              - s3:GetObject
            Resource: '*'
";
    for (text, format) in [(tf, Format::Terraform), (yaml, Format::CloudFormationYaml)] {
        let applied = check_fixes(text, format);
        let list = applied
            .iter()
            .find(|a| a.contains("access-analyzer:ListAccessPreviewFindings"))
            .unwrap_or_else(|| panic!("no list fix in {applied:#?}"));
        // Only the item is rewritten, the other items and the list's layout stay.
        assert!(
            list.contains("access-analyzer:ListAnalyzers") && !list.contains("s3:GetObject"),
            "{list}"
        );
        if format == Format::CloudFormationYaml {
            assert!(
                list.contains("\n              - access-analyzer:ListAnalyzers"),
                "{list}"
            );
        }
    }
}

/// The policy-document data source gives a one-item list as its string (so the policy's size
/// is the size Terraform's JSON has); a fix that makes that string several actions writes them
/// as items of the `actions` list, which stays a list.
#[test]
fn a_one_item_list_of_a_policy_document_is_a_string_and_fixes_keep_the_list() {
    let tf = r#"data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["access-analyzer:List*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc123"]
    }
  }
}
"#;
    let doc = read(Format::Terraform, tf);
    let json: serde_json::Value = serde_json::from_str(&doc.policies[0].json).unwrap();
    let st = &json["Statement"][0];
    assert_eq!(st["Action"], "access-analyzer:List*");
    assert_eq!(st["Resource"], "*");
    assert_eq!(st["Principal"]["AWS"], "arn:aws:iam::111122223333:root");
    assert_eq!(
        st["Condition"]["StringEquals"]["aws:PrincipalOrgID"],
        "o-abc123"
    );
    let applied = check_fixes(tf, Format::Terraform);
    let list = applied
        .iter()
        .find(|a| a.contains("access-analyzer:ListAnalyzers"))
        .unwrap_or_else(|| panic!("no list fix in {applied:#?}"));
    assert!(
        list.contains(": \"access-analyzer:List*\" -> \"access-analyzer:"),
        "{list}"
    );
    // The items are written inside the brackets that are already there.
    assert!(!list.contains('['), "{list}");
}

proptest::proptest! {
    /// Fixes write strings and lists of strings into Terraform with `hcl_string` (and its
    /// policy-document form) without reading the result back with hcl-edit each time; this
    /// is why that is sound: whatever the string, Terraform reads back that very string.
    #[test]
    fn hcl_strings_read_back_as_written(
        value in "([a-zA-Z0-9:*/${}%\\\\\"\n\t ]|\\PC){0,24}"
    ) {
        use crate::fix::dialect::{hcl_policy_document_string, hcl_string};
        let jsonencode = format!(
            "resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{ Statement = [{{ Sid = {}, Action = [{}] }}] }})\n}}\n",
            hcl_string(&value),
            hcl_string(&value)
        );
        let document = format!(
            "data \"aws_iam_policy_document\" \"d\" {{\n  statement {{\n    sid = {}\n    actions = [{}, \"x\"]\n  }}\n}}\n",
            hcl_policy_document_string(&value),
            hcl_policy_document_string(&value)
        );
        for (text, read_back) in [(jsonencode, true), (document, !value.contains('&'))] {
            let doc = read(Format::Terraform, &text);
            proptest::prop_assert!(doc.errors.is_empty(), "{:?}\n{}", doc.errors, text);
            proptest::prop_assert!(doc.policies[0].unknowns.is_empty(), "{}", text);
            let json: serde_json::Value = serde_json::from_str(&doc.policies[0].json).unwrap();
            if read_back {
                // (`&{` is the data source's way to write `${`: a literal `&{` cannot be said.)
                proptest::prop_assert_eq!(json["Statement"][0]["Sid"].as_str(), Some(value.as_str()));
                let action = &json["Statement"][0]["Action"];
                let first = action.as_array().map_or(action, |a| &a[0]);
                proptest::prop_assert_eq!(first.as_str(), Some(value.as_str()));
            }
        }
    }
}

/// A policy written as JSON in a folded block scalar (`>-`): the folding turns line breaks into
/// spaces, and each character still has its place in the file, so findings point at their
/// text and fixes are written there (the file stays YAML, the policy the fixed one).
#[test]
fn json_in_a_folded_yaml_block_has_positions_and_fixes() {
    let yaml = "Resources:
  S:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: >-
        {\"Statement\": [
          {\"Effect\": \"allow\",
           \"Action\": \"s3:GetObjekt\",
           \"Resource\": \"*\"}
        ]}
      Description: folded
";
    let found = findings_for_tests(yaml, Format::CloudFormationYaml);
    assert!(
        found.contains(&"Resources/S/PolicyDocument INVALID_ACTION GetObjekt".to_string()),
        "{found:#?}"
    );
    assert!(
        found.contains(&"Resources/S/PolicyDocument INVALID_EFFECT \"allow\"".to_string()),
        "{found:#?}"
    );
    let applied = check_fixes(yaml, Format::CloudFormationYaml);
    assert!(
        applied.contains(&"INVALID_ACTION: \"s3:GetObjekt\" -> \"s3:GetObject\"".to_string()),
        "{applied:#?}"
    );
    assert!(
        applied.iter().any(|a| a.starts_with("MISSING_VERSION")),
        "{applied:#?}"
    );
}

/// A fix that adds a Condition to a statement of a policy document writes `condition` blocks
/// into that `statement` block, before its closing brace, at the block's indentation.
#[test]
fn a_condition_added_to_a_policy_document_is_a_condition_block() {
    let tf = r#"data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
"#;
    let applied = check_fixes(tf, Format::Terraform);
    let block = applied
        .iter()
        .find(|a| a.contains("condition {"))
        .unwrap_or_else(|| panic!("no condition fix in {applied:#?}"));
    assert!(
        block.contains(" ->     condition {\n      test     = \"")
            && block.contains("\n      variable = \"aws:Source")
            && block.ends_with("]\n    }\n"),
        "{block}"
    );
}

/// A policy written as JSON text in a single- or double-quoted YAML scalar, or in the template
/// of `Fn::Sub` (a literal block, a quoted scalar, a JSON template's string): each character
/// has its place in the file (an escape such as `''` or `\"` is one character, a folded line
/// break one space), so fixes are written into the text in its escaping, `${` as `${!` in a
/// Sub; nothing that touches a `${Ref}` of the Sub is fixed.
#[test]
fn json_in_quoted_yaml_scalars_and_sub_templates_gets_fixes() {
    let yaml = r#"Resources:
  S:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: '{"Statement": [{"Sid": "it''s", "Effect": "allow",
        "Action": "s3:GetObjekt", "Resource": "*"}]}'
  D:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: "{\"Statement\": [{\"Effect\": \"allow\",
        \"Action\": \"s3:GetObjekt\", \"Resource\": \"arn:aws:s3:::b/\\u002a\"}]}"
  B:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !Sub |
        {"Statement": [{"Effect": "allow", "Action": "s3:GetObjekt",
          "Resource": ["arn:aws:s3:::${Bucket}/x", "arn:aws:s3:::b/${!aws:username}/*"]}]}
  Q:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Fn::Sub: "{\"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:GetObjekt\",
          \"Resource\": \"arn:${AWS::Partition}:s3:::b/${!aws:username}\"}]}"
"#;
    let found = findings_for_tests(yaml, Format::CloudFormationYaml);
    assert!(
        found.contains(&"Resources/D/PolicyDocument INVALID_ACTION GetObjekt".to_string()),
        "{found:#?}"
    );
    assert_eq!(
        check_fixes(yaml, Format::CloudFormationYaml),
        [
            // Single-quoted: `''` is one character of the Sid.
            "MISSING_VERSION:  -> \"Version\": \"2012-10-17\", ",
            "UNSUPPORTED_SID: \"it''s\" -> \"itS\"",
            "INVALID_EFFECT: \"allow\" -> \"Allow\"",
            "INVALID_ACTION: \"s3:GetObjekt\" -> \"s3:GetObject\"",
            // Double-quoted: JSON's quotes escaped for YAML.
            "MISSING_VERSION:  -> \\\"Version\\\": \\\"2012-10-17\\\", ",
            "INVALID_EFFECT: \\\"allow\\\" -> \\\"Allow\\\"",
            "INVALID_ACTION: \\\"s3:GetObjekt\\\" -> \\\"s3:GetObject\\\"",
            // `!Sub |`.
            "MISSING_VERSION:  -> \"Version\": \"2012-10-17\", ",
            "INVALID_EFFECT: \"allow\" -> \"Allow\"",
            "INVALID_ACTION: \"s3:GetObjekt\" -> \"s3:GetObject\"",
            // `Fn::Sub` in a double-quoted scalar.
            "MISSING_VERSION:  -> \\\"Version\\\": \\\"2012-10-17\\\", ",
            "INVALID_EFFECT: \\\"allow\\\" -> \\\"Allow\\\"",
            "INVALID_ACTION: \\\"s3:GetObjekt\\\" -> \\\"s3:GetObject\\\"",
        ]
    );
}

/// In a policy document, a fix that renames a condition operator or key rewrites that block's
/// `test` or `variable`, and a fix that changes a statement as a whole (a member removed) writes
/// the `statement` block anew in the block's syntax.
#[test]
fn policy_document_fixes_rename_conditions_and_rewrite_statements() {
    let tf = r#"data "aws_iam_policy_document" "p" {
  statement {
    sid       = "Read"
    actions   = ["codestar-connections:UseConnection"]
    resources = ["*"]
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "codestar-connections:ProviderAction"
      values   = ["GetRepository"]
    }
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
"#;
    assert_eq!(
        check_fixes(tf, Format::Terraform),
        [
            r#"STAR_IN_RESOURCE: "*" -> "arn:aws:codestar-connections:*:*:connection/CONNECTION_ID""#,
            r#"FORALLVALUES_WITH_SINGLE_VALUED_KEY: "ForAllValues:StringEquals" -> "StringEquals""#,
            // The default effect stays unwritten; the principals keep their block.
            r#"ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE: statement {
    actions   = ["sts:AssumeRole"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  } -> statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }"#,
        ]
    );
    // An operator written in two condition blocks is the first block's `test` in the host:
    // renaming it there alone would leave the other block's condition as it was.
    let merged = tf.replacen(
        "    }\n  }\n}\n\ndata \"aws_iam_policy_document\" \"assume\"",
        "    }\n    condition {\n      test     = \"ForAllValues:StringEquals\"\n      variable = \"aws:PrincipalTag/team\"\n      values   = [\"a\"]\n    }\n  }\n}\n\ndata \"aws_iam_policy_document\" \"assume\"",
        1,
    );
    assert_ne!(merged, tf);
    assert!(
        !check_fixes(&merged, Format::Terraform)
            .iter()
            .any(|a| a.starts_with("FORALLVALUES_WITH_SINGLE_VALUED_KEY")),
        "{merged}"
    );
}

/// A YAML template with a policy in each of two resources, after `Conditions`.
fn two_resources() -> String {
    let resource = |name: &str, action: &str| {
        format!(
            "  {name}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        \
             Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            \
             Action: {action}\n            Resource: \"*\"\n"
        )
    };
    format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n\
         Resources:\n{}{}",
        resource("First", "s3:GetObjekt"),
        resource("Second", "sqs:SendMesage")
    )
}

/// Each policy's name and the codes of its findings.
type PolicyCodes = Vec<(String, Vec<&'static str>)>;

/// Each policy's name and finding codes, and the host errors as (span text, message).
fn read_back(text: &str) -> (PolicyCodes, Vec<(String, String)>) {
    let analysis = analyze(text, Format::CloudFormationYaml, &options());
    let policies = analysis
        .policies
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.diagnostics.iter().map(|d| d.code).collect(),
            )
        })
        .collect();
    let errors = analysis
        .errors
        .iter()
        .map(|e| (e.span.slice(text).to_string(), e.message.clone()))
        .collect();
    (policies, errors)
}

/// A syntax error before the resources (here in `Conditions`) stopped the reading: no resource
/// had been read, so their column was unknown, and nothing was checked. The reading now goes
/// on from `Resources:`, with the column the resources are written at.
#[test]
fn a_yaml_error_before_the_resources_keeps_their_findings() {
    let (expected, errors) = read_back(&two_resources());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(expected.len(), 2);
    let broken = two_resources().replacen("[!Ref Env, prod]", "[!Ref Env, prod", 1);
    let (policies, errors) = read_back(&broken);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error_at = analyze(&broken, Format::CloudFormationYaml, &options()).errors[0].span;
    assert!(
        error_at.start > broken.find("IsProd").unwrap()
            && error_at.start < broken.find("  First:").unwrap(),
        "{errors:?}"
    );
    assert_eq!(policies, expected);

    // The first resource's key line moved out of its column (a '{' typed before it): the
    // column is the one the other resources share, and the second is still checked.
    let broken = two_resources().replacen("\n  First:", "\n{  First:", 1);
    let (policies, errors) = read_back(&broken);
    assert!(!errors.is_empty());
    assert_eq!(policies, expected[1..]);
}

/// Neighbours: an error inside a resource still reads on from the next resource (as before),
/// and the continuation line of a quoted string (`s3:::...` after a line break) is not taken
/// for a top-level key to read on from.
#[test]
fn a_yaml_error_in_a_resource_reads_on_from_the_next_resource() {
    let (expected, _) = read_back(&two_resources());
    let broken = two_resources().replacen("Action: s3:GetObjekt", "Action: [s3:GetObjekt", 1);
    let (policies, errors) = read_back(&broken);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(policies.last(), expected.last());

    let broken =
        two_resources().replacen("Resource: \"*\"", "Resource: \"arn:aws\ns3:::bucket/*\"", 1);
    let (policies, errors) = read_back(&broken);
    assert!(!errors.is_empty());
    assert_eq!(policies.last(), expected.last());
}

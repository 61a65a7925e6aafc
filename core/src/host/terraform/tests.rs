use crate::host::{analyze, read, Format};
use crate::{AnalyzeOptions, PolicyType, Span};

const EC2_ROLE: &str = include_str!("../../../tests/fixtures/host/ec2_role.tf");

fn findings(text: &str) -> Vec<String> {
    crate::host::findings_for_tests(text, Format::Terraform)
}

fn at(text: &str, needle: &str) -> Span {
    let start = text.find(needle).unwrap();
    Span::new(start, start + needle.len())
}

#[test]
fn textbook_ec2_role_with_exact_spans() {
    let doc = read(Format::Terraform, EC2_ROLE);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let names: Vec<&str> = doc.policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "aws_iam_role.ec2_role.assume_role_policy",
            "aws_iam_role_policy.s3_read"
        ]
    );
    assert_eq!(doc.policies[0].policy_type, PolicyType::Trust);
    assert_eq!(doc.policies[1].policy_type, PolicyType::Identity);
    // The policy spans are the jsonencode calls.
    assert!(doc.policies[0]
        .span
        .slice(EC2_ROLE)
        .starts_with("jsonencode({\n    Version"));
    assert!(doc.policies[1].span.slice(EC2_ROLE).ends_with("]\n  })"));

    // Every string of the tree maps to its own text in the file.
    let p = &doc.policies[1];
    let second = EC2_ROLE.find("s3_read").unwrap();
    for needle in [
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::my-bucket/*\"",
        "\"2012-10-17\"",
    ] {
        let j = p.json.find(needle).unwrap();
        let host = p.to_host(Span::new(j, j + needle.len()));
        let expected = at(&EC2_ROLE[second..], needle);
        assert_eq!(
            host,
            Span::new(second + expected.start, second + expected.end)
        );
    }
    // An offset inside a string in the file maps into the JSON text and back.
    let get = EC2_ROLE.find("GetObject").unwrap();
    let j = p.to_json(get).unwrap();
    assert_eq!(&p.json[j..j + 9], "GetObject");
    assert_eq!(p.to_json(0), None);

    // The textbook EC2 role draws no finding (issue 12: EC2 documents no source keys for the
    // role it assumes); the same role trusting Glue gets the suggestion at the .tf's place.
    let a = analyze(EC2_ROLE, Format::Terraform, &AnalyzeOptions::default());
    for p in &a.policies {
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }
    let glue_role = EC2_ROLE.replace("ec2.amazonaws.com", "glue.amazonaws.com");
    let a = analyze(&glue_role, Format::Terraform, &AnalyzeOptions::default());
    let trust = &a.policies[0];
    assert_eq!(trust.diagnostics.len(), 1);
    assert_eq!(
        trust.diagnostics[0].code,
        "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"
    );
    assert_eq!(
        trust.diagnostics[0].span,
        at(&glue_role, "\"glue.amazonaws.com\"")
    );
}

#[test]
fn the_same_codes_as_the_plain_json() {
    // Each embedded policy's findings are those of its JSON text checked alone.
    let doc = read(Format::Terraform, EC2_ROLE);
    for p in &doc.policies {
        let alone = crate::analyze(
            &p.json,
            &AnalyzeOptions {
                policy_type: p.policy_type.clone(),
                ..AnalyzeOptions::default()
            },
        );
        let a =
            crate::host::analyze_policy(EC2_ROLE, Format::Terraform, p, &AnalyzeOptions::default());
        let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
        let alone_codes: Vec<&str> = alone.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, alone_codes);
    }
}

#[test]
fn forms_of_the_policy_value() {
    let text = r#"
resource "aws_iam_policy" "heredoc" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]
}
EOF
}

resource "aws_iam_policy" "indented" {
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "ec2:DescribeInstancez", "Resource": "*"}]
    }
  EOT
}

resource "aws_iam_user_policy" "quoted" {
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMesage\", \"Resource\": \"*\"}]}"
}

resource "aws_iam_group_policy" "colons" {
  policy = jsonencode({
    "Version": "2012-10-17",
    "Statement": [{ "Effect": "Allow", "Action": "sns:Publishh", "Resource": "*" }]
  })
}
"#;
    let found = findings(text);
    let invalid: Vec<&String> = found
        .iter()
        .filter(|f| f.contains("INVALID_ACTION"))
        .collect();
    assert_eq!(
        invalid,
        [
            "aws_iam_policy.heredoc INVALID_ACTION GetObjekt",
            "aws_iam_policy.indented INVALID_ACTION DescribeInstancez",
            "aws_iam_user_policy.quoted INVALID_ACTION SendMesage",
            "aws_iam_group_policy.colons INVALID_ACTION Publishh",
        ],
        "{found:#?}"
    );
}

#[test]
fn policy_types_from_where_the_policy_sits() {
    let doc = |attr: &str, kind: &str, extra: &str| {
        format!(
            "resource \"{kind}\" \"x\" {{\n  {extra}\n  {attr} = jsonencode({{Version = \"2012-10-17\", Statement = []}})\n}}\n"
        )
    };
    let resource = |t: &str| PolicyType::Resource {
        resource_type: Some(t.into()),
    };
    let cases = [
        (
            doc("policy", "aws_s3_bucket_policy", ""),
            resource("AWS::S3::Bucket"),
        ),
        (doc("policy", "aws_kms_key", ""), resource("AWS::KMS::Key")),
        (
            doc("policy", "aws_sqs_queue", ""),
            resource("AWS::SQS::Queue"),
        ),
        (
            doc("content", "aws_organizations_policy", ""),
            PolicyType::Scp,
        ),
        (
            doc(
                "content",
                "aws_organizations_policy",
                "type = \"RESOURCE_CONTROL_POLICY\"",
            ),
            PolicyType::Rcp,
        ),
        (doc("policy", "aws_iam_policy", ""), PolicyType::Identity),
    ];
    for (text, expected) in cases {
        let d = read(Format::Terraform, &text);
        assert_eq!(d.policies.len(), 1, "{text}");
        assert_eq!(d.policies[0].policy_type, expected, "{text}");
    }
    // A tag policy is not an IAM policy.
    let tag = doc(
        "content",
        "aws_organizations_policy",
        "type = \"TAG_POLICY\"",
    );
    assert!(read(Format::Terraform, &tag).policies.is_empty());
    // A managed policy used as a permissions boundary is checked as one.
    let boundary = format!(
        "{}resource \"aws_iam_role\" \"r\" {{\n  permissions_boundary = aws_iam_policy.x.arn\n}}\n",
        doc("policy", "aws_iam_policy", "")
    );
    assert_eq!(
        read(Format::Terraform, &boundary).policies[0].policy_type,
        PolicyType::Boundary
    );
}

#[test]
fn policy_document_data_source() {
    let text = r#"
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "home" {
  statement {
    sid       = "Home"
    actions   = ["s3:GetObjekt"]
    resources = ["arn:aws:s3:::bucket/home/&{aws:username}/*"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["home/&{aws:username}/"]
    }
  }
  statement {
    effect        = "Deny"
    not_actions   = ["iam:*"]
    not_resources = ["*"]
  }
}

resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
"#;
    let doc = read(Format::Terraform, text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let by_name = |n: &str| doc.policies.iter().find(|p| p.name == n).unwrap();
    let assume = by_name("data.aws_iam_policy_document.assume");
    assert_eq!(assume.policy_type, PolicyType::Trust);
    // One identifier is written as a string, as the data source writes it.
    assert!(
        assume.json.contains("\"Service\": \"ec2.amazonaws.com\""),
        "{}",
        assume.json
    );
    let home = by_name("data.aws_iam_policy_document.home");
    let json = &home.json;
    assert!(json.contains("\"Effect\": \"Allow\""), "{json}");
    assert!(json.contains("\"Sid\": \"Home\""), "{json}");
    assert!(
        json.contains("arn:aws:s3:::bucket/home/${aws:username}/*"),
        "{json}"
    );
    assert!(json.contains("\"StringLike\": {\n"), "{json}");
    assert!(json.contains("\"NotAction\""), "{json}");
    let found = findings(text);
    assert!(
        found.contains(&"data.aws_iam_policy_document.home INVALID_ACTION GetObjekt".to_string()),
        "{found:#?}"
    );
    // The `&{aws:username}` policy variable is read as one: no finding on it.
    assert!(!found.iter().any(|f| f.contains("&{")), "{found:#?}");
}

#[test]
fn unknown_values_are_never_wrong() {
    let text = r#"
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", var.extra_action]
      Resource = ["${aws_s3_bucket.b.arn}/*", aws_s3_bucket.b.arn, "arn:aws:s3:::${var.bucket}/$${aws:username}/*"]
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }, local.extra_statement, {
      Effect = "Allow"
      Action = [for a in var.actions : a]
      Resource = "arn:aws:s3:::b/*"
    }]
  })
}
"#;
    let found = findings(text);
    assert!(found.is_empty(), "{found:#?}");
    let doc = read(Format::Terraform, text);
    assert!(
        doc.policies[0].json.contains("/${aws:username}/*"),
        "{}",
        doc.policies[0].json
    );
}

#[test]
fn a_broken_block_does_not_hide_the_others() {
    let text = r#"
resource "aws_iam_policy" "broken" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow" Action = "s3:GetObject"
}

resource "aws_iam_policy" "fine" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObjekt", Resource = "*" }]
  })
}
"#;
    let found = findings(text);
    // The error is in the broken block, at the missing separator.
    assert_eq!(found[0], "error \"A\"", "{found:#?}");
    assert!(
        found.contains(&"aws_iam_policy.fine INVALID_ACTION GetObjekt".to_string()),
        "{found:#?}"
    );
}

#[test]
fn never_panics_on_fragments() {
    let text = EC2_ROLE;
    for end in 0..=text.len() {
        if text.is_char_boundary(end) {
            let _ = analyze(&text[..end], Format::Terraform, &AnalyzeOptions::default());
        }
    }
}

#[test]
fn source_and_override_documents_merge_as_terraform_does() {
    let text = r#"
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
  statement {
    sid       = "List"
    actions   = ["s3:ListBuckit"]
    resources = ["arn:aws:s3:::b"]
  }
}

data "aws_iam_policy_document" "patch" {
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::b/uploads/*"]
  }
}

data "aws_iam_policy_document" "derived" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.patch.json]
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["arn:aws:s3:::b/*"]
  }
  statement {
    sid       = "Write"
    actions   = ["s3:*"]
    resources = ["*"]
  }
}
"#;
    let doc = read(Format::Terraform, text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let derived = doc
        .policies
        .iter()
        .find(|p| p.name == "data.aws_iam_policy_document.derived")
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&derived.json).unwrap();
    let statements = json["Statement"].as_array().unwrap();
    let summary: Vec<String> = statements
        .iter()
        .map(|s| format!("{} {}", s["Sid"], s["Action"]))
        .collect();
    // The block's own "Read" replaces the source's at its place; "List" comes from the source;
    // the override document's "Write" replaces the block's own.
    assert_eq!(
        summary,
        [
            r#""Read" ["s3:GetObject","s3:GetObjectVersion"]"#,
            r#""List" "s3:ListBuckit""#,
            r#""Write" "s3:PutObject""#,
        ]
    );
    // A merged statement keeps its place in its own block.
    let write = derived
        .map
        .span(crate::Span::new(
            derived.json.find("s3:PutObject").unwrap(),
            derived.json.find("s3:PutObject").unwrap() + 12,
        ))
        .start;
    assert_eq!(write, text.find("s3:PutObject").unwrap());

    let found = findings(text);
    // The misspelt action is reported once, in the block that writes it; the two "Read" and
    // "Write" Sids are not duplicates (the data source keeps one of each); the wide "s3:*"
    // statement is replaced by the override and gets no finding.
    assert_eq!(
        found
            .iter()
            .filter(|f| f.contains("ListBuckit"))
            .collect::<Vec<_>>(),
        ["data.aws_iam_policy_document.base INVALID_ACTION ListBuckit"],
        "{found:#?}"
    );
    assert!(!found.iter().any(|f| f.contains("SIDS")), "{found:#?}");
    assert!(
        !found
            .iter()
            .any(|f| f.starts_with("data.aws_iam_policy_document.derived")),
        "{found:#?}"
    );
}

#[test]
fn documents_not_in_the_file_are_unknown_statements() {
    // A trust policy made only of documents iamlint cannot see: no finding says it has no
    // statement or no principal.
    let text = r#"
data "aws_iam_policy_document" "assume" {
  source_policy_documents = [var.base_trust, file("trust.json"), data.aws_iam_policy_document.elsewhere.json]
}

data "aws_iam_policy_document" "all_at_once" {
  source_policy_documents = var.documents
  statement {
    actions   = ["s3:GetObjekt"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
"#;
    let doc = read(Format::Terraform, text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let assume = &doc.policies[0];
    assert_eq!(assume.policy_type, PolicyType::Trust);
    assert_eq!(assume.unknowns.len(), 3, "{}", assume.json);
    assert_eq!(
        findings(text),
        ["data.aws_iam_policy_document.all_at_once INVALID_ACTION GetObjekt"]
    );
}

/// Both ways of reading a file (literal heredoc bodies cut out of hcl-edit's input, or every
/// heredoc read by hcl-edit) give the same policies, spans and errors.
fn same_with_and_without_cuts(text: &str) -> String {
    let fast = format!("{:?}", super::read_with(text, true));
    let slow = format!("{:?}", super::read_with(text, false));
    assert_eq!(fast, slow, "{text}");
    fast
}

fn policy_heredoc(open: &str, body: &str, close: &str) -> String {
    format!("resource \"aws_iam_policy\" \"p\" {{\n  policy = {open}\n{body}{close}\n}}\n")
}

#[test]
fn literal_heredocs_read_as_hcl_edit_reads_them() {
    let json = r#"{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/$${aws:username}/%%{x}"}]
}
"#;
    let indented: String = json.lines().map(|l| format!("\t  {l}\n")).collect();
    let with_blank_lines = indented.replace("\"Version\"", "\n  \t\n\"Version\"");
    let crlf = policy_heredoc("<<EOF", json, "EOF").replace('\n', "\r\n");
    let cases = [
        policy_heredoc("<<EOF", json, "EOF"),
        policy_heredoc("<<-EOT", &indented, "  EOT"),
        policy_heredoc("<<-EOT", &with_blank_lines, "EOT"),
        crlf,
        // Lines that start like the marker but are not it.
        policy_heredoc(
            "<<EOT",
            &json.replace("\"Version\"", "EOTX\nEOT_\nEOT-1\n\"Version\""),
            "EOT",
        ),
        // The marker may be followed by more on its line.
        format!(
            "locals {{\n  a = [<<EOT\n{json}EOT\n  ]\n}}\n{}",
            policy_heredoc("<<EOT", json, "EOT")
        ),
        // A heredoc as a value inside jsonencode, and a template heredoc beside literal ones.
        r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = <<EOT
s3:GetObjekt
EOT
      Resource = <<-EOT
        arn:aws:s3:::${var.bucket}/*
      EOT
    }]
  })
}
"#
        .to_string(),
        // Non-ASCII text.
        policy_heredoc(
            "<<EOT",
            &json.replace("s3:GetObjekt", "s3:GetÖbjekt\n\u{a0}é"),
            "EOT",
        ),
    ];
    for text in &cases {
        let read = same_with_and_without_cuts(text);
        assert!(
            read.contains("GetObjekt") || read.contains("GetÖbjekt"),
            "{read}"
        );
        // These are the cases the cut reading is for.
        assert!(super::read_cut(text).is_some(), "{text}");
    }
    // A heredoc whose marker is on its first line: hcl-edit takes the body to run to the next
    // marker line if there is one (here the policy's end, so no policy is found), and so does
    // the cut reading.
    let empty_first = format!(
        "locals {{\n  a = <<EOT\nEOT\n}}\n{}",
        policy_heredoc("<<EOT", json, "EOT")
    );
    same_with_and_without_cuts(&empty_first);
    assert!(super::read_cut(&empty_first).is_some());
}

/// Whether each policy of `text` was written straight from the parse of its JSON text, in
/// order. In a test build `json::read_decoded` checks that this gives what the general reading
/// (a host value, then `value::emit`) gives.
fn written_from_parse(text: &str) -> Vec<bool> {
    // A literal list, so that there is a cut and the reader is the cut reading's.
    let text = format!("{text}locals {{\n  l = [\"x\"]\n}}\n");
    let reader = super::read_cut(&text).expect("a cut reading");
    reader
        .found
        .iter()
        .map(|f| matches!(f.value, super::FoundValue::Json(_)))
        .collect()
}

#[test]
fn json_in_heredocs_and_strings_is_parsed_once() {
    let cases = [
        ("<<EOT", "{\"Version\": \"2012-10-17\", \"Statement\": []}\n"),
        // Empty strings, collections, numbers, literals, a `$` and `%` without `{`, non-ASCII.
        ("<<EOT", "\n  {\"Statement\":[{\"Sid\":\"\",\"Effect\":\"Allow\",\"Action\":[],\"Resource\":{},\n\"Condition\":{\"NumericLessThan\":{\"s3:max-keys\":[10, 1.5e3, -0, true, false, null]}},\"X\":\"a$b%c é\u{a0}\"}]}  \n\n"),
        // Line endings written as CRLF, a repeated key.
        ("<<EOT", "{\r\n  \"Version\": \"2012-10-17\",\r\n  \"Version\": \"2008-10-17\"\r\n}\r\n"),
        // JSON escapes, HCL's `$${` and `%%{` escapes.
        ("<<EOT", "{\"Sid\": \"a\\\"b\\u0041\\/\", \"Statement\": []}\n"),
        ("<<EOT", "{\"Resource\": \"arn:aws:s3:::b/$${aws:username}/%%{x}\", \"$${k}\": 1}\n"),
        // Indentation removed by `<<-`.
        ("<<-EOT", "  {\n    \"Version\": \"2012-10-17\",\n    \"Sid\": \"$${a}\"\n  }\n"),
        // Interpolations: unknown values inside and outside strings.
        ("<<EOT", "{\"Resource\": \"${var.arn}/*\", \"Action\": ${jsonencode(var.a)}, \"${var.k}\": \"\"}\n"),
    ];
    for (open, body) in cases {
        let text = policy_heredoc(open, body, "EOT");
        same_with_and_without_cuts(&text);
        assert_eq!(written_from_parse(&text), [true], "{text}");
    }
    // JSON in quoted strings, with HCL escapes and an interpolation.
    let quoted = r#"resource "aws_iam_policy" "p" {
  policy = "{\"Version\": \"2012-10-17\", \"Sid\": \"a\\\\b\\u00e9$${x}\", \"Resource\": \"${var.b}\"}"
}
resource "aws_iam_policy" "q" {
  name = "x"
  policy = jsonencode({ Version = "2012-10-17" })
}
"#;
    same_with_and_without_cuts(quoted);
    assert_eq!(written_from_parse(quoted), [true, false]);
    // Syntax errors (a control character in a string, a number JSON does not write): read
    // the general way, errors included.
    for body in [
        "{\"Version\": \"2012-10-17\",}\n",
        "{\"Sid\": \"a\tb\", \"Statement\": []}\n",
        "{\"Version\": 01}\n",
    ] {
        let text = policy_heredoc("<<EOT", body, "EOT");
        same_with_and_without_cuts(&text);
        assert_eq!(written_from_parse(&text), [false], "{text}");
        assert!(!read(Format::Terraform, &text).errors.is_empty());
    }
    // Nesting deeper than the tree built while writing goes the general way too.
    let deep = format!("{{\"A\": {}1{}}}\n", "[".repeat(80), "]".repeat(80));
    let text = policy_heredoc("<<EOT", &deep, "EOT");
    same_with_and_without_cuts(&text);
    assert_eq!(written_from_parse(&text), [false]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Random JSON policies in random layouts: written from their parse, which gives what the
    /// general reading gives (checked inside the reader in a test build).
    #[test]
    fn heredoc_json_in_any_layout_reads_as_the_general_path(
        tokens in proptest::collection::vec(
            proptest::sample::select(vec![
                "\"Version\"", "\"2012-10-17\"", "\"\"", "\"s3:Get*\"", "\"a$b%c\"", "\"é\"",
                "1", "2.5", "true", "null", "{}", "[]",
            ]),
            1..12,
        ),
        spaces in proptest::collection::vec(
            proptest::sample::select(vec!["", " ", "\n", "\r\n", "\t", "\n    "]),
            12,
        ),
        nested in proptest::bool::ANY,
    ) {
        // An object of numbered keys, each value a token (or a one-item array of it).
        let mut body = String::from("{");
        for (i, t) in tokens.iter().enumerate() {
            let sp = spaces[i % spaces.len()];
            if i > 0 {
                body.push(',');
            }
            let value = if nested && i % 2 == 1 { format!("[{sp}{t}{sp}]") } else { t.to_string() };
            body.push_str(&format!("{sp}\"K{i}\"{sp}:{sp}{value}"));
        }
        body.push_str(spaces[0]);
        body.push_str("}\n");
        let text = policy_heredoc("<<EOT", &body, "EOT");
        same_with_and_without_cuts(&text);
        proptest::prop_assert_eq!(written_from_parse(&text), vec![true]);
    }
}

#[test]
fn a_heredoc_marker_that_is_not_a_heredoc_is_read_as_before() {
    let json = "{\"Version\": \"2012-10-17\", \"Statement\": []}\n";
    let cases = [
        // `<<EOT` in a comment: cutting the lines after it would change the parse.
        format!(
            "# see <<EOT\nlocals {{\n  x = 1\n}}\n# EOT\n{}",
            policy_heredoc("<<EOT", json, "EOT")
        ),
        "/* <<EOT\n*/\nlocals {\n  x = \"\n}\nEOT\n".to_string(),
        // A syntax error elsewhere: read block by block, as before.
        format!(
            "{}resource \"x\" \"y\" {{\n  a = \n}}\n",
            policy_heredoc("<<EOT", json, "EOT")
        ),
        // A marker followed by a non-ASCII character (which may continue an identifier).
        policy_heredoc(
            "<<EOT",
            &json.replace("s3:GetObjekt", "s3:GetObjekt\nEOTé"),
            "EOT",
        ),
        // No end marker.
        format!("resource \"aws_iam_policy\" \"p\" {{\n  policy = <<EOT\n{json}"),
    ];
    for text in &cases {
        same_with_and_without_cuts(text);
    }
    assert!(super::read_cut(&cases[0]).is_none());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn heredoc_bodies_read_the_same_with_and_without_cuts(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "{", "}", "\"s3:Get*\"", "$${", "%%{", "${", "%{", "$", "%", "\n", "\r\n", " ", "\t",
                "EOT", "EOTX", "<<EOT\n", "-", "_", "é", "\u{a0}", "Version", ":", ",", "[", "]",
            ]),
            0..40,
        ),
        indented in proptest::bool::ANY,
        marker_indent in proptest::sample::select(vec!["", "  ", "\t"]),
    ) {
        let body: String = parts.concat();
        let open = if indented { "<<-EOT" } else { "<<EOT" };
        let text = policy_heredoc(open, &format!("{body}\n"), &format!("{marker_indent}EOT"));
        same_with_and_without_cuts(&text);
    }
}

fn policy_jsonencode(arg: &str) -> String {
    format!("resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({arg})\n}}\n")
}

#[test]
fn literal_collections_read_as_hcl_edit_reads_them() {
    let cases = [
        policy_jsonencode(
            r#"{
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "A"
        Effect   = "Allow",
        Action   = ["s3:GetObjekt", "s3:ListBucket",]
        Resource = "arn:aws:s3:::b/$${aws:username}/%%{x}/\u00e9\"\\\n\t\U0001F600"
        Condition = { "StringEquals" : { "aws:SourceAccount": ["1", 2, 3.5, true, false, null] } }
      },
      { Effect = "Deny", NotAction = [], Resource = {}, Principal = { AWS = "*" } }
    ]
  }"#,
        ),
        // `:` for `=`, every member on one line, CRLF line endings, a tuple as the argument.
        policy_jsonencode(r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}"#),
        policy_jsonencode("{\r\n  Version = \"2012-10-17\"\r\n  Statement = [\r\n    { Effect = \"Allow\", Action = \"s3:GetObjekt\", Resource = \"*\" }\r\n  ]\r\n}"),
        policy_jsonencode("[\n  \"s3:GetObjekt\"\n]"),
        // Non-ASCII text in strings and keys that are not identifiers.
        policy_jsonencode(r#"{ Version = "2012-10-17", Statement = [{ Sid = "é ü", "a-b" = "x", Effect = "Allow", Action = "s3:GetÖbjekt", Resource = "*" }] }"#),
        // A policy document's lists.
        r#"data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObjekt",
                 "s3:ListBucket"]
    resources = ["arn:aws:s3:::b/&{aws:username}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["123456789012"]
    }
  }
  source_policy_documents = ["{}"]
}
"#
        .to_string(),
        // Literal collections elsewhere (tags, locals) beside a policy.
        format!(
            "locals {{\n  a = [1, 2]\n  b = {{ x = [\"y\"] }}\n}}\n{}",
            policy_jsonencode(r#"{ Statement = [{ Action = "s3:GetObjekt" }] }"#)
        ),
    ];
    for text in &cases {
        let read = same_with_and_without_cuts(text);
        assert!(
            read.contains("GetObjekt") || read.contains("GetÖbjekt"),
            "{read}"
        );
        // These are the cases the cut reading is for.
        let reader = super::read_cut(text).unwrap_or_else(|| panic!("not cut: {text}"));
        assert!(
            !reader.literals.is_empty() || !reader.blocks.is_empty(),
            "{text}"
        );
    }
}

#[test]
fn collections_that_are_not_literal_are_read_as_before() {
    let cases = [
        // Computed values: left to hcl-edit, the literal parts around them still cut.
        policy_jsonencode(
            r#"{ Statement = [{ Action = ["s3:GetObjekt"], Resource = aws_s3_bucket.b.arn, Sid = "${var.x}", N = -1, F = length([]), L = [for a in var.x : a] }] }"#,
        ),
        // Comments inside, an operator, a conditional, a parenthesised value.
        policy_jsonencode("{\n  # note\n  Version = \"2012-10-17\"\n}"),
        policy_jsonencode("{ Version = \"2012-10-17\" // note\n}"),
        policy_jsonencode("{ N = 1 + 2, B = true ? [\"a\"] : [] }"),
        policy_jsonencode("{ A = (\"x\") }"),
        // Syntax HCL does not take, read block by block with its error either way.
        policy_jsonencode("{ A = \"x\" B = \"y\" }"),
        policy_jsonencode("{ A = \"x\",, }"),
        policy_jsonencode("{ A =\n \"x\" }"),
        policy_jsonencode("{ A\n = \"x\" }"),
        policy_jsonencode("{ A = \"\\q\" }"),
        policy_jsonencode("{ A = \"x\ny\" }"),
        policy_jsonencode("{ A = 01, B = 1., C = 1e5 }"),
        policy_jsonencode("{ A = \"x\", }"),
        policy_jsonencode("[\"a\",]"),
        policy_jsonencode("{ true = 1, null = 2 }"),
        policy_jsonencode("{ A = [\"x\"]\r }"),
        // `= [` and `jsonencode(` in strings, comments and template heredocs.
        "locals {\n  a = \"x = [1]\"\n  b = \"jsonencode({a = 1})\"\n}\n".to_string(),
        "# a = [1]\n/* b = [2]\n*/\nlocals {\n  c = [3]\n}\n".to_string(),
        "locals {\n  a = <<EOT\n${x}\nb = [1]\nEOT\n}\n".to_string(),
        "locals {\n  a = \"${jsonencode({a = 1})}\"\n}\n".to_string(),
        // Unbalanced: the collection never ends.
        policy_jsonencode("{ A = [\"x\" }"),
    ];
    for text in &cases {
        same_with_and_without_cuts(text);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    #[test]
    fn literal_collections_read_the_same_with_and_without_cuts(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "{", "}", "[", "]", "\"s3:Get*\"", "\"a\\\"b\"", "\"$${x}\"", "\"${x}\"", "\"\\u00e9\"",
                " = ", "=", ":", ",", "\n", "\r\n", " ", "\t", "Action", "true", "null", "1", "0.5",
                "-", "#", "//", "(", ")", "é", "\"", "jsonencode(", "var.x", "<<EOT\n", "EOT\n",
            ]),
            0..40,
        ),
    ) {
        let arg: String = parts.concat();
        same_with_and_without_cuts(&policy_jsonencode(&format!("{{{arg}}}")));
        same_with_and_without_cuts(&format!("locals {{\n  a = [{arg}]\n}}\n"));
    }
}

/// The number of policy document blocks of `text` read by the strict block reader (0 when the
/// file is read without cuts).
fn strict_blocks(text: &str) -> usize {
    super::read_cut(text).map_or(0, |r| r.blocks.len())
}

fn document_block(body: &str) -> String {
    format!(
        "data \"aws_iam_policy_document\" \"d\" {{\n{body}}}\n\nresource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = data.aws_iam_policy_document.d.json\n}}\n"
    )
}

const STATEMENT: &str = r#"  statement {
    sid    = "A"
    effect = "Allow"
    actions = [
      "s3:GetObjekt",
      "s3:ListBucket",
    ]
    not_resources = ["arn:aws:s3:::b/&{aws:username}/*", "arn:aws:s3:::$${x}\u00e9"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::210987654321:root"]
    }
    not_principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["1", 2, true]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalTag/&{aws:username}"
      values   = []
    }
  }
"#;

#[test]
fn policy_document_blocks_read_strictly_as_hcl_edit_reads_them() {
    let cases = [
        document_block(STATEMENT),
        document_block(&format!(
            "  version   = \"2012-10-17\"\n  policy_id = \"P\"\n\n{STATEMENT}\n{STATEMENT}"
        )),
        // CRLF, tabs, blank lines, an empty statement, a principal without identifiers, a
        // condition without test, literal source documents, unknown attributes.
        document_block(&format!(
            "\t\r\n{}\r\n  statement {{\r\n  }}\n  statement {{\n    principals {{\n      type = \"Service\"\n    }}\n    condition {{\n      variable = \"a\"\n    }}\n    other = {{ a = [1] }}\n  }}\n  source_policy_documents = [\"{{}}\", \"x\"]\n  override_policy_documents = \"y\"\n",
            STATEMENT.replace('\n', "\r\n")
        )),
        // Two documents, one using the other as a source (a reference: hcl-edit reads it).
        format!(
            "{}\ndata \"aws_iam_policy_document\" \"e\" {{\n  source_policy_documents = [data.aws_iam_policy_document.d.json]\n{STATEMENT}}}\n",
            document_block(STATEMENT)
        ),
    ];
    for text in &cases {
        let read = same_with_and_without_cuts(text);
        assert!(read.contains("GetObjekt"), "{read}");
        assert!(strict_blocks(text) > 0, "not read strictly: {text}");
    }
    // The second document of the last case names another: only the first is read strictly.
    assert_eq!(strict_blocks(&cases[3]), 1);
}

#[test]
fn policy_document_blocks_the_strict_reader_leaves_to_hcl_edit() {
    let changes = [
        ("\"s3:GetObjekt\"", "\"s3:${var.action}\""),
        ("\"s3:GetObjekt\"", "\"s3:%{if true}x%{endif}\""),
        ("\"s3:GetObjekt\"", "var.action"),
        ("\"s3:GetObjekt\"", "lower(\"S3:GetObjekt\")"),
        ("\"s3:GetObjekt\"", "<<EOT\ns3:GetObjekt\nEOT\n"),
        ("sid    = \"A\"", "sid    = \"A\" # a comment"),
        ("sid    = \"A\"", "# a comment\n    sid = \"A\""),
        ("sid    = \"A\"", "/* a */ sid = \"A\""),
        ("sid    = \"A\"", "sid = \"A\"\n    sid = \"B\""),
        ("sid    = \"A\"", "sid = \"A\" effect = \"Deny\""),
        ("sid    = \"A\"", "sid = 1 + 2"),
        ("sid    = \"A\"", "sid = -1"),
        ("sid    = \"A\"", "sid == \"A\""),
        (
            "  statement {\n    sid",
            "  dynamic \"statement\" {\n    sid",
        ),
        ("  statement {\n    sid", "  statement \"x\" {\n    sid"),
        (
            "  statement {\n    sid",
            "  statement { sid = \"x\" }\n  statement {\n    sid",
        ),
        (
            "  statement {\n    sid",
            "  statement {}\n  statement {\n    sid",
        ),
        (
            "    principals {\n",
            "    principals {\n      dynamic \"x\" {\n      }\n",
        ),
        (
            "    principals {\n",
            "    principals {\n      principals {\n      }\n",
        ),
        ("    principals {\n", "    principals { # c\n"),
        ("    principals {\n", "    princípals {\n"),
    ];
    for (from, to) in changes {
        let text = document_block(&STATEMENT.replacen(from, to, 1));
        assert_ne!(text, document_block(STATEMENT), "{from}");
        same_with_and_without_cuts(&text);
        assert_eq!(strict_blocks(&text), 0, "read strictly: {text}");
    }
    // A document's text inside a heredoc, or a `data` block nested in another.
    for text in [
        format!(
            "locals {{\n  a = <<EOT\n{}EOT\n}}\n",
            document_block(STATEMENT)
        ),
        format!("locals {{\n{}}}\n", document_block(STATEMENT)),
        format!("/*\n{}*/\n", document_block(STATEMENT)),
    ] {
        same_with_and_without_cuts(&text);
        assert_eq!(strict_blocks(&text), 0, "read strictly: {text}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    #[test]
    fn policy_document_blocks_read_the_same_with_and_without_cuts(
        lines in proptest::collection::vec(
            (
                proptest::sample::select(vec!["", "  ", "\t", "    "]),
                proptest::sample::select(vec![
                    "", "statement {", "principals {", "condition {", "not_principals {", "}",
                    "dynamic \"statement\" {", "content {", "sid", "sid =", "effect = ", "actions = ",
                    "type = ", "identifiers=", "test = ", "variable = ", "values = ", "version = ",
                    "policy_id = ", "source_policy_documents = ", "x = ", "{", "# c", "statement {}",
                ]),
                proptest::sample::select(vec![
                    "", "\"s3:Get*\"", "[\"a\", \"b\"]", "[\"&{aws:username}\"]", "\"${x}\"", "[", "]",
                    "\"a\\\"b\"", "1", "true", "null", "var.x", "{ a = 1 }", " # c", " {", " }", "\"é\"",
                    "[\n\"x\",\n]", "<<EOT\nx\nEOT", "-1", "\"*\"",
                ]),
                proptest::sample::select(vec!["\n", "\r\n", " \n", ""]),
            ),
            0..24,
        ),
    ) {
        let body: String = lines
            .iter()
            .map(|(indent, head, value, end)| format!("{indent}{head}{value}{end}"))
            .collect();
        same_with_and_without_cuts(&document_block(&body));
    }
}

/// Both readings agree on every `.tf` file of the folders named by `IAMLINT_TF_DIRS`
/// (separated by `:`), such as the renderings of the managed-policy corpus:
/// `python3 tests/iac/equivalence.py ... --keep DIR`, then
/// `IAMLINT_TF_DIRS=DIR/terraform-jsonencode:DIR/terraform-document:DIR/terraform-heredoc
/// cargo test -p iamlint-core --lib -- --ignored folders_read_the_same`.
/// Files of other host formats in those folders (the CloudFormation renderings) are read
/// too, which checks in a test build that each policy's syntax tree built while its JSON was
/// written is that JSON's parse (`EmbeddedPolicy::from_value`).
#[test]
#[ignore = "reads the folders named by IAMLINT_TF_DIRS"]
fn folders_read_the_same_with_and_without_cuts() {
    let dirs = std::env::var("IAMLINT_TF_DIRS").expect("IAMLINT_TF_DIRS");
    let (mut files, mut blocks, mut strict) = (0, 0, 0);
    for dir in dirs.split(':') {
        for entry in std::fs::read_dir(dir).expect(dir) {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            match crate::host::detect(path.to_str(), &text) {
                Format::Terraform => {
                    same_with_and_without_cuts(&text);
                    blocks += text.matches("\ndata \"aws_iam_policy_document\"").count();
                    strict += strict_blocks(&text);
                }
                format => {
                    read(format, &text);
                }
            }
            files += 1;
        }
    }
    println!("{files} files; {strict} of {blocks} policy document blocks read strictly");
    assert!(files > 0);
}

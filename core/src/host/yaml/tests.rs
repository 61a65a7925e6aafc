//! The strict reader against saphyr: wherever the strict reader reads a text, the value tree
//! (every kind, string part and span) is the one built from saphyr's events, and saphyr finds
//! no error in it.

use super::{parse, strict};

/// Whether the strict reader read `text`; when it did, it read what saphyr reads.
fn agrees(text: &str) -> bool {
    let strict = strict::read(text);
    let (saphyr, errors) = parse(text, 0);
    if let Some(value) = &strict {
        assert!(errors.is_empty(), "saphyr: {errors:?}\n{text}");
        assert_eq!(Some(value), saphyr.as_ref(), "\n{text}");
    }
    strict.is_some()
}

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
# A comment line, and one indented below.
Description: Copy of the managed policy   # after a plain scalar
Parameters:
  Suffix:
    Type: String
    Default: dev
      # deeper comment
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: !Sub "copy-${Suffix}-0"
      Description: !Join [" ", [copy, !Ref Suffix]]
      Other: !Join ['', [a, !GetAtt R.Arn, "b\u00e9\"\\", 'it''s']]
      Map: {Ref: x, "Fn::Sub": 'y', k: [1, true, null]}
      Empty: {}
      None: []
      Tagged: !Ref   Name # comment
      Quoted: "a b"   # comment }
      Single: 'x'
      Numbers: [1, -2, 3.5, 01, 1e3, ~, True]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: First
            Effect: Allow
            Action:
            - s3:Get*
            - "s3:List*"
            -   ec2:Describe*
            Resource: "*"
            Condition:
              StringEquals:
                aws:SourceAccount:
                  - "123456789012"
                  - 123456789012
              Bool: {aws:SecureTransport: false}
          -
            Effect: Deny
            NotAction: iam:*
            Resource:
              - - nested
                - list
              -
              - # a comment after the dash
              - arn:aws:s3:::b/*
            Principal: {AWS: "arn:aws:iam::123456789012:root"}
          - Effect: Allow
            Action: ""
            Resource: !Sub arn:${AWS::Partition}:s3:::${Bucket}/*
            Key with spaces : value with:colon and a#hash # c
            "quoted key"  : 'v'
            true: 1
            é ü: ÿ
Outputs:
  Arn:
    Value: !Ref Policy
  Last:"#;

#[test]
fn the_strict_reader_reads_block_templates_as_saphyr_does() {
    let tail = [
        "",
        "\n",
        "\n\n# trailing comment",
        " # }",
        " # ]",
        "\n  # ]",
        " [x]",
        " {x: y}",
        "\n  - a # ]",
        "\n  - [x]",
    ];
    for end in tail {
        let text = format!("{TEMPLATE}{end}");
        assert!(agrees(&text), "not read strictly:\n{text}");
    }
    let fixtures = [
        include_str!("../../../tests/fixtures/host/template.yaml"),
        include_str!("../../../../tests/iac/cfn/clean.yaml"),
        include_str!("../../../../tests/iac/cfn/identity.yaml"),
        include_str!("../../../../tests/iac/cfn/organizations.yaml"),
        include_str!("../../../../tests/iac/cfn/resource.yaml"),
        include_str!("../../../../tests/iac/cfn/sam.yaml"),
        include_str!("../../../../tests/iac/cfn/trust.yaml"),
    ];
    let strict = fixtures.iter().filter(|t| agrees(t)).count();
    // Some fixtures hold block scalars or multi-line strings on purpose (saphyr's part).
    assert!(strict >= 3, "{strict} of {} read strictly", fixtures.len());
}

#[test]
fn the_strict_reader_leaves_other_yaml_to_saphyr() {
    let cases = [
        // Anchors, aliases, block scalars, complex keys, documents, directives.
        "a: &x 1\nb: *x\n",
        "a: |\n  text\n",
        "a: >-\n  text\n",
        "? a\n: b\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n",
        // Scalars and flows over several lines, tabs, carriage returns, a byte order mark.
        "a: b\n  c\n",
        "a: \"b\n  c\"\n",
        "a: 'b\n  c'\n",
        "a: [b,\n  c]\n",
        "a:\tb\n",
        "a: b\r\n",
        "\u{feff}a: b\n",
        // Tags this reader does not take.
        "a: !!str b\n",
        "a: !Ref\n  b\n",
        "a: !Join\n  - b\n",
        "a: !<x> b\n",
        "a: !Ref-x b\n",
        // Syntax errors.
        "a: b: c\n",
        "a: [b\n",
        "a: [b,]\n",
        "a: {b}\n",
        "a: \"b\"c\n",
        "a: \"b\"#c\n",
        "a: \"\\q\"\n",
        "a: \"\\x+1\"\n",
        "a: - b\n",
        "a:\n  - b\n  c: d\n",
        "a:\n    b: 1\n  c: 2\n",
        "a: 1\n b: 2\n",
        " a: 1\n",
        "- a\n",
        "a: [b: c]\n",
        "a: @b\n",
    ];
    for text in cases {
        assert!(!agrees(text), "read strictly:\n{text}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    #[test]
    fn strict_reader_agrees_with_saphyr(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "Key", "s3:Get*", "arn:aws:s3:::b/*", "1", "-1", "0.5", "true", "null", "~",
                ": ", ":", "\n", "\n  ", "\n    ", "\n- ", "\n  - ", "- ", "-", " ", "  ", "#", " # c",
                "[", "]", "{", "}", ", ", ",", "\"", "'", "\"a b\"", "'it''s'", "\"\\u00e9\\\"\"",
                "\\", "!Ref ", "!Sub ", "!", "&", "*", "|", ">", "?", "é", "\t", "\r\n", "---", "...",
            ]),
            0..40,
        ),
    ) {
        let soup: String = parts.concat();
        agrees(&soup);
        agrees(&format!("Resources:\n  R:\n    Properties:\n      {soup}\n"));
        agrees(&format!("a:\n- {soup}\nb: c"));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    /// Lines of block YAML in random order and indentation: many of them are YAML this
    /// reader takes, so its answers (and where it gives up) are compared with saphyr's.
    #[test]
    fn strict_reader_agrees_with_saphyr_on_block_lines(
        lines in proptest::collection::vec(
            (
                proptest::sample::select(vec!["", "  ", "    ", "      ", " "]),
                proptest::sample::select(vec!["", "", "- ", "- - ", "-   ", "-"]),
                proptest::sample::select(vec![
                    "", "a: ", "a:", "Key:", "\"q k\" : ", "'s': ", "Action:", "true: ", "1: ",
                    "é: ", "a b: ",
                ]),
                proptest::sample::select(vec![
                    "", "x", "s3:Get*", "\"a\\u00e9\"", "'it''s'", "!Ref R", "!Sub 'x${A}'",
                    "!Join [\" \", [a, !Ref B]]", "{a: b, 'c': [1, 2]}", "[]", "{}", "1", "null",
                    "# c", "x # c", "\"q\"  # }", "[x] ", "a b  ", "a:b", "-1", "~",
                ]),
            ),
            1..12,
        ),
    ) {
        let body: Vec<String> = lines
            .iter()
            .map(|(indent, dash, key, value)| format!("{indent}{dash}{key}{value}"))
            .collect();
        agrees(&format!("Resources:\n{}", body.join("\n")));
    }
}

/// Both readings agree on every YAML file of the folders named by `IAMLINT_YAML_DIRS`
/// (separated by `:`), such as the renderings of the managed-policy corpus:
/// `python3 tests/iac/equivalence.py ... --keep DIR`, then
/// `IAMLINT_YAML_DIRS=DIR/cloudformation-yaml:DIR/cloudformation-sub:DIR/cloudformation-yaml-string
/// cargo test -p iamlint-core --lib -- --ignored folders_read_the_same_strictly`.
#[test]
#[ignore = "reads the folders named by IAMLINT_YAML_DIRS"]
fn folders_read_the_same_strictly_and_by_saphyr() {
    let dirs = std::env::var("IAMLINT_YAML_DIRS").expect("IAMLINT_YAML_DIRS");
    for dir in dirs.split(':') {
        let (mut files, mut strict) = (0, 0);
        for entry in std::fs::read_dir(dir).expect(dir) {
            let path = entry.unwrap().path();
            if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            files += 1;
            strict += usize::from(agrees(&text));
        }
        println!("{dir}: {strict} of {files} files read strictly");
        assert!(files > 0, "{dir}");
    }
}

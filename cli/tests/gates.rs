//! The policy gates end to end: the real binary, real files, every exit code and format.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

mod support;

const READ: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
]}
"#;

const READ_WRITE: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"}
]}
"#;

const PUBLIC_BUCKET: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}
]}
"#;

const ORG_BUCKET: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
]}
"#;

fn scratch() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "gates-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [
        ("read.json", READ),
        ("read-write.json", READ_WRITE),
        ("public.json", PUBLIC_BUCKET),
        ("org.json", ORG_BUCKET),
        (
            "broken.json",
            "{\"Statement\": [\n  {\"Effect\": \"Allow\" \"Action\": \"s3:*\"}\n",
        ),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

/// Run iamlint in `dir` with the words of `command` as arguments.
fn iamlint(dir: &Path, command: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(command.split_whitespace())
        .current_dir(dir)
        .output()
        .expect("iamlint runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn no_new_access_pass_fail_and_bad_input() {
    let dir = scratch();
    let pass = iamlint(
        &dir,
        "check-no-new-access --reference-policy read-write.json read.json",
    );
    assert_eq!(code(&pass), 0, "{}", stdout(&pass));
    assert!(stdout(&pass).starts_with("PASS: "));

    let fail = iamlint(
        &dir,
        "check-no-new-access --reference-policy read.json read-write.json",
    );
    assert_eq!(code(&fail), 1);
    let text = stdout(&fail);
    assert!(text.starts_with("FAIL: "), "{text}");
    assert!(
        text.contains(
            "read-write.json:2:3: statement \"Read\" grants s3:PutObject on arn:aws:s3:::reports/*"
        ),
        "{text}"
    );

    let json_out = iamlint(
        &dir,
        "check-no-new-access --reference-policy read.json read-write.json --format json",
    );
    assert_eq!(code(&json_out), 1);
    let v = json(&json_out);
    assert_eq!(v["version"], 1);
    assert_eq!(v["result"], "FAIL");
    let reason = &v["reasons"][0];
    assert_eq!(reason["statementIndex"], 0);
    assert_eq!(reason["statementId"], "Read");
    assert!(reason["description"]
        .as_str()
        .unwrap()
        .contains("s3:PutObject"));

    let broken = iamlint(
        &dir,
        "check-no-new-access --reference-policy read.json broken.json",
    );
    assert_eq!(code(&broken), 2);
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(err.contains("broken.json:2:"), "{err}");
    let missing = iamlint(
        &dir,
        "check-no-new-access --reference-policy nope.json read.json",
    );
    assert_eq!(code(&missing), 2);
    let bad_type = iamlint(
        &dir,
        "check-no-new-access --reference-policy read.json read.json --policy-type nonsense",
    );
    assert_eq!(code(&bad_type), 2);
}

#[test]
fn access_not_granted_pass_fail_and_bad_input() {
    let dir = scratch();
    let pass = iamlint(
        &dir,
        "check-access-not-granted --actions s3:PutObject,s3:DeleteObject read.json",
    );
    assert_eq!(code(&pass), 0, "{}", stdout(&pass));
    let fail = iamlint(&dir, "check-access-not-granted --actions s3:PutObject --resources arn:aws:s3:::reports/x read-write.json --format json");
    assert_eq!(code(&fail), 1);
    let v = json(&fail);
    assert_eq!(v["result"], "FAIL");
    assert_eq!(
        v["reasons"][0]["description"],
        "statement \"Read\" grants s3:PutObject on arn:aws:s3:::reports/x"
    );
    let elsewhere = iamlint(
        &dir,
        "check-access-not-granted --resources arn:aws:s3:::other/* read-write.json",
    );
    assert_eq!(code(&elsewhere), 0);
    let nothing_asked = iamlint(&dir, "check-access-not-granted read.json");
    assert_eq!(code(&nothing_asked), 2);
    let broken = iamlint(&dir, "check-access-not-granted --actions s3:* broken.json");
    assert_eq!(code(&broken), 2);
}

#[test]
fn no_public_access_pass_fail_and_bad_input() {
    let dir = scratch();
    let fail = iamlint(
        &dir,
        "check-no-public-access --resource-type AWS::S3::Bucket public.json",
    );
    assert_eq!(code(&fail), 1, "{}", stdout(&fail));
    assert!(stdout(&fail).contains("statement \"Open\" lets anyone"));
    let pass = iamlint(
        &dir,
        "check-no-public-access --resource-type AWS::S3::Bucket org.json",
    );
    assert_eq!(code(&pass), 0, "{}", stdout(&pass));
    let other_type = iamlint(
        &dir,
        "check-no-public-access --resource-type AWS::SQS::Queue public.json",
    );
    assert_eq!(code(&other_type), 0);
    let unknown = iamlint(
        &dir,
        "check-no-public-access --resource-type AWS::Nope::Thing public.json",
    );
    assert_eq!(code(&unknown), 2);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("AWS::S3::Bucket"));
}

#[test]
fn sarif_validates_and_points_at_the_statement() {
    let dir = scratch();
    let out = iamlint(
        &dir,
        "check-no-public-access --resource-type AWS::S3::Bucket public.json --format sarif",
    );
    assert_eq!(code(&out), 1);
    let log = json(&out);
    let validator = jsonschema::validator_for(&support::sarif_schema()).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "SARIF is invalid: {errors:#?}");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "PUBLIC_ACCESS_GRANTED");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 2);
    assert_eq!(region["startColumn"], 3);
    let pass = iamlint(
        &dir,
        "check-no-public-access --resource-type AWS::S3::Bucket org.json --format sarif",
    );
    assert_eq!(code(&pass), 0);
    assert_eq!(
        json(&pass)["runs"][0]["results"].as_array().unwrap().len(),
        0
    );
}

const TERRAFORM: &str = r#"resource "aws_iam_policy" "read" {
  name = "read"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Read"
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = "arn:aws:s3:::reports/*"
    }]
  })
}

resource "aws_iam_role_policy" "computed" {
  name = "computed"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Any", Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}
"#;

#[test]
fn a_named_policy_inside_a_terraform_file() {
    let dir = scratch();
    std::fs::write(dir.join("main.tf"), TERRAFORM).unwrap();

    let fail = iamlint(
        &dir,
        "check-no-new-access --reference-policy read.json main.tf#aws_iam_policy.read",
    );
    assert_eq!(code(&fail), 1, "{}", stdout(&fail));
    let text = stdout(&fail);
    assert!(
        text.contains("main.tf:5:18: statement \"Read\" grants s3:PutObject"),
        "{text}"
    );
    let sarif = iamlint(
        &dir,
        "check-no-new-access --reference-policy read.json main.tf#aws_iam_policy.read --format sarif",
    );
    let v = json(&sarif);
    let location = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "main.tf");
    assert_eq!(location["region"]["startLine"], 5);

    let pass = iamlint(
        &dir,
        "check-no-new-access --reference-policy read-write.json main.tf#aws_iam_policy.read",
    );
    assert_eq!(code(&pass), 0, "{}", stdout(&pass));

    // A value Terraform computes could be any action: never a PASS on it.
    let computed = iamlint(
        &dir,
        "check-access-not-granted --actions iam:PassRole main.tf#aws_iam_role_policy.computed",
    );
    assert_eq!(code(&computed), 1, "{}", stdout(&computed));
    assert!(stdout(&computed).contains("main.tf:19:18: a value in this statement is only known"));

    // Which policy, when the file holds several or not the one named.
    let unnamed = iamlint(
        &dir,
        "check-access-not-granted --actions iam:PassRole main.tf",
    );
    assert_eq!(code(&unnamed), 2);
    let err = String::from_utf8_lossy(&unnamed.stderr).into_owned();
    assert!(
        err.contains("holds 2 policies") && err.contains("aws_iam_role_policy.computed"),
        "{err}"
    );
    let wrong = iamlint(
        &dir,
        "check-access-not-granted --actions iam:PassRole main.tf#nope",
    );
    assert_eq!(code(&wrong), 2);
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("no policy named 'nope'"));
    let plain = iamlint(
        &dir,
        "check-access-not-granted --actions iam:PassRole read.json#x",
    );
    assert_eq!(code(&plain), 2);
    assert!(String::from_utf8_lossy(&plain.stderr).contains("a policy file"));
}

#[test]
fn a_template_with_one_policy_needs_no_name() {
    let dir = scratch();
    std::fs::write(
        dir.join("bucket.yaml"),
        "Resources:\n  SitePolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: site\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Sid: Open\n            Effect: Allow\n            Principal: '*'\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::site/*\n",
    )
    .unwrap();
    let out = iamlint(
        &dir,
        "check-no-public-access --resource-type AWS::S3::Bucket bucket.yaml --format json",
    );
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let v = json(&out);
    assert_eq!(v["reasons"][0]["statementId"], "Open");
}

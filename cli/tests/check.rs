//! `iamlint check` end to end: the real binary, real files, real exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

mod support;
use support::sarif_schema;

/// A policy every rule should accept: no finding at all.
const CLEAN: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadReports",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::example-reports/*"
        }
    ]
}
"#;

/// A missing comma in the first statement, and an invalid Effect in the second: the second must
/// still be reported.
const BROKEN_THEN_INVALID: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "A", "Effect": "Allow" "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*"},
        {"Sid": "B", "Effect": "Alow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*"}
    ]
}
"#;

fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "check-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn iamlint(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamlint"));
    cmd.current_dir(dir)
        .arg("check")
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run iamlint");
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Codes reported for each file, by path.
fn codes(v: &Value) -> Vec<(String, Vec<String>)> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let codes = f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect();
            (f["path"].as_str().unwrap().to_string(), codes)
        })
        .collect()
}

#[test]
fn clean_policy_exits_zero() {
    let dir = scratch("clean");
    write(&dir, "clean.json", CLEAN);
    let out = iamlint(&dir, &["clean.json", "--format", "json"], None);
    assert_eq!(codes(&json(&out)), vec![("clean.json".into(), vec![])]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let human = iamlint(&dir, &["clean.json"], None);
    assert_eq!(code(&human), 0);
    assert_eq!(
        String::from_utf8_lossy(&human.stdout).trim(),
        "1 file checked: no findings"
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    let dir = scratch("fail-on");
    // Only MISSING_VERSION (a warning): below the default threshold, at `--fail-on warning`.
    let no_version = CLEAN.replace("\"Version\": \"2012-10-17\",", "");
    write(&dir, "p.json", &no_version);
    let out = iamlint(&dir, &["p.json", "--format", "json"], None);
    let v = json(&out);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().all(|d| d["category"] == "warning"),
        "{diags:?}"
    );
    assert!(diags.iter().any(|d| d["code"] == "MISSING_VERSION"));
    assert_eq!(code(&out), 0);
    for (threshold, expected) in [
        ("error", 0),
        ("security", 0),
        ("warning", 1),
        ("suggestion", 1),
    ] {
        let out = iamlint(&dir, &["p.json", "--fail-on", threshold], None);
        assert_eq!(code(&out), expected, "--fail-on {threshold}");
    }
}

#[test]
fn errors_exit_one_and_later_statements_are_still_checked() {
    let dir = scratch("syntax");
    write(&dir, "broken.json", BROKEN_THEN_INVALID);
    let out = iamlint(&dir, &["broken.json", "--format", "json"], None);
    assert_eq!(code(&out), 1);
    let v = json(&out);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    let syntax = diags
        .iter()
        .find(|d| d["code"] == "JSON_SYNTAX_ERROR")
        .expect("syntax error reported");
    assert_eq!(syntax["range"]["start"]["line"], 4);
    let effect = diags
        .iter()
        .find(|d| d["code"] == "INVALID_EFFECT")
        .expect("the second statement's invalid Effect is still reported");
    let start = effect["span"]["start"].as_u64().unwrap() as usize;
    let end = effect["span"]["end"].as_u64().unwrap() as usize;
    assert_eq!(&BROKEN_THEN_INVALID[start..end], "\"Alow\"");
    assert_eq!(effect["range"]["start"]["line"], 5);
}

#[test]
fn stdin_is_read_with_dash() {
    let dir = scratch("stdin");
    let out = iamlint(&dir, &["-", "--format", "json"], Some(BROKEN_THEN_INVALID));
    assert_eq!(code(&out), 1);
    let v = json(&out);
    assert_eq!(v["files"][0]["path"], "<stdin>");
    assert!(codes(&v)[0].1.contains(&"JSON_SYNTAX_ERROR".to_string()));
    let clean = iamlint(&dir, &["-"], Some(CLEAN));
    assert_eq!(code(&clean), 0);
}

#[test]
fn directories_are_searched_recursively_for_json() {
    let dir = scratch("dir");
    write(&dir, "policies/a.json", CLEAN);
    write(&dir, "policies/nested/deeper/b.json", BROKEN_THEN_INVALID);
    write(&dir, "policies/notes.txt", "not a policy");
    write(&dir, "policies/.hidden/c.json", "{");
    write(&dir, "policies/node_modules/d.json", "{");
    let out = iamlint(&dir, &["policies", "--format", "json"], None);
    assert_eq!(code(&out), 1);
    let paths: Vec<String> = codes(&json(&out)).into_iter().map(|(p, _)| p).collect();
    let expected: Vec<String> = ["policies/a.json", "policies/nested/deeper/b.json"]
        .iter()
        .map(|p| Path::new(p).display().to_string())
        .collect();
    assert_eq!(paths, expected);
}

/// The folder walk takes each entry's kind from the listing: a link to a file is checked like
/// the file, a linked folder is not followed (a cycle cannot loop), and files come in name order
/// however many there are.
#[cfg(unix)]
#[test]
fn directory_search_follows_links_to_files_but_not_to_folders() {
    let dir = scratch("links");
    let target = write(&dir, "elsewhere/target.json", BROKEN_THEN_INVALID);
    write(&dir, "elsewhere/inner/e.json", BROKEN_THEN_INVALID);
    for name in ["b", "a", "c10", "c9", "C"] {
        write(&dir, &format!("policies/{name}.json"), BROKEN_THEN_INVALID);
    }
    std::os::unix::fs::symlink(&target, dir.join("policies/linked.json")).unwrap();
    std::os::unix::fs::symlink(dir.join("elsewhere"), dir.join("policies/folder")).unwrap();
    std::os::unix::fs::symlink(dir.join("policies"), dir.join("policies/loop")).unwrap();
    std::os::unix::fs::symlink(dir.join("gone.json"), dir.join("policies/dangling.json")).unwrap();
    let out = iamlint(&dir, &["policies", "--format", "json"], None);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let paths: Vec<String> = codes(&json(&out)).into_iter().map(|(p, _)| p).collect();
    let expected: Vec<String> = ["C", "a", "b", "c10", "c9", "linked"]
        .iter()
        .map(|n| {
            Path::new("policies")
                .join(format!("{n}.json"))
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(paths, expected);
}

#[test]
fn missing_file_is_reported_and_the_rest_still_checked() {
    let dir = scratch("missing");
    write(&dir, "broken.json", BROKEN_THEN_INVALID);
    let out = iamlint(
        &dir,
        &["does-not-exist.json", "broken.json", "--format", "json"],
        None,
    );
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("does-not-exist.json: no such file or directory"),
        "{err}"
    );
    let v = json(&out);
    assert_eq!(codes(&v).len(), 1);
    assert_eq!(codes(&v)[0].0, "broken.json");
    assert_eq!(v["failures"][0]["path"], "does-not-exist.json");
}

#[test]
fn non_utf8_file_is_an_io_error() {
    let dir = scratch("latin1");
    write(&dir, "latin1.json", b"{\"Sid\": \"caf\xe9\"}");
    write(&dir, "clean.json", CLEAN);
    let out = iamlint(&dir, &["latin1.json", "clean.json"], None);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("latin1.json: not UTF-8 text (invalid byte at offset 12)"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 file checked"));
}

#[test]
fn a_closed_output_stops_the_check() {
    // Enough output to fill the pipe and the output buffer many times over, then a file that
    // would be reported on stderr if it were ever read: once the reader has gone, no file after
    // the failed write is checked, and nothing is reported about the files left undone.
    let dir = scratch("closed-output");
    let noisy = BROKEN_THEN_INVALID.replace(
        "\"A\"",
        "\"A\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"maybe\"}}",
    );
    for i in 0..600 {
        write(&dir, &format!("p{i:04}.json"), &noisy);
    }
    write(&dir, "zzzz-latin1.json", b"{\"Sid\": \"caf\xe9\"}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .current_dir(&dir)
        .args(["check", ".", "--format", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run iamlint");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out), "", "nothing to say on a closed pipe");

    // The same folder with the output read: every file is checked, the last one reported.
    let out = iamlint(&dir, &[".", "--format", "json"], None);
    assert!(out.stdout.len() > 1 << 20, "{} bytes", out.stdout.len());
    assert!(
        stderr(&out).contains("zzzz-latin1.json: not UTF-8 text"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_two() {
    let dir = scratch("usage");
    write(&dir, "clean.json", CLEAN);
    for args in [
        vec!["clean.json", "--format", "xml"],
        vec!["clean.json", "--fail-on", "fatal"],
        vec!["clean.json", "--policy-type", "trusted"],
        vec![],
    ] {
        let out = iamlint(&dir, &args, None);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn json_contract_shape() {
    let dir = scratch("contract");
    // Non-ASCII before the error: columns count characters, spans count bytes.
    let text = "{\"Sid\": \"é\", \"Version\": \"2012-10-17\" \"Statement\": []}";
    write(&dir, "p.json", text);
    let out = iamlint(&dir, &["p.json", "--format", "json"], None);
    let v = json(&out);
    let top: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for key in ["version", "catalog", "files", "failures", "summary", "tool"] {
        assert!(top.contains(&key), "missing {key}");
    }
    assert_eq!(v["version"], 1);
    for key in ["package", "version", "date"] {
        assert!(v["catalog"][key].is_string(), "catalog.{key}");
    }
    let file = &v["files"][0];
    assert_eq!(file["path"], "p.json");
    assert!(file["policyType"].is_string());
    let syntax = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "JSON_SYNTAX_ERROR")
        .expect("syntax error");
    let mut keys: Vec<&str> = syntax
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["category", "code", "fixes", "message", "range", "related", "span"]
    );
    assert_eq!(syntax["category"], "error");
    let byte_start = text.find("\"Statement\"").unwrap();
    assert_eq!(syntax["span"]["start"], byte_start);
    // 'é' is two bytes but one character: the column is one less than the byte offset + 1.
    assert_eq!(syntax["range"]["start"]["line"], 1);
    assert_eq!(syntax["range"]["start"]["column"], byte_start);
    assert!(syntax["range"]["end"]["column"].is_u64());

    // Fixes carry title, safety and edits with spans.
    let fix = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["fixes"].as_array().unwrap())
        .next();
    if let Some(fix) = fix {
        assert!(fix["title"].is_string());
        assert!(fix["safety"] == "safe" || fix["safety"] == "review");
        let edit = &fix["edits"][0];
        assert!(edit["span"]["start"].is_u64() && edit["text"].is_string());
    }
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = scratch("sarif");
    write(&dir, "broken.json", BROKEN_THEN_INVALID);
    write(
        &dir,
        "pass role.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}"#,
    );
    let out = iamlint(
        &dir,
        &[
            "broken.json",
            "pass role.json",
            "missing.json",
            "--format",
            "sarif",
        ],
        None,
    );
    assert_eq!(code(&out), 2);
    let log = json(&out);
    let validator = jsonschema::validator_for(&sarif_schema()).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF is invalid: {errors:#?}");

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "JSON_SYNTAX_ERROR"
        && r["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules.md#json_syntax_error")));
    let results = run["results"].as_array().unwrap();
    let syntax = results
        .iter()
        .find(|r| r["ruleId"] == "JSON_SYNTAX_ERROR")
        .unwrap();
    let index = syntax["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "JSON_SYNTAX_ERROR");
    let loc = &syntax["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "broken.json");
    assert_eq!(loc["region"]["startLine"], 4);
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pass%20role.json"
    ));
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn config_is_discovered_upwards_and_applied() {
    let dir = scratch("config");
    write(
        &dir,
        "iamlint.toml",
        "[rules]\ndisable = [\"MISSING_VERSION\"]\n\n[rules.categories]\nJSON_SYNTAX_ERROR = \"suggestion\"\n\n[[policy-types]]\nglob = \"roles/*.trust.json\"\ntype = \"trust\"\n",
    );
    let no_version = CLEAN.replace("\"Version\": \"2012-10-17\",", "");
    write(&dir, "team/p.json", &no_version);
    // Only a syntax error: a trailing comma after Resource.
    let trailing_comma = CLEAN.replace("example-reports/*\"", "example-reports/*\",");
    write(&dir, "team/broken.json", &trailing_comma);
    write(
        &dir,
        "roles/app.trust.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
    );
    let out = iamlint(
        &dir.join("team"),
        &["p.json", "broken.json", "--format", "json"],
        None,
    );
    let v = json(&out);
    assert!(!codes(&v)[0].1.contains(&"MISSING_VERSION".to_string()));
    let broken = &v["files"][1]["diagnostics"];
    assert!(broken
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "JSON_SYNTAX_ERROR" && d["category"] == "suggestion"));
    assert_eq!(code(&out), 0, "recategorised below --fail-on error");

    let out = iamlint(&dir, &["roles", "--format", "json"], None);
    assert_eq!(json(&out)["files"][0]["policyType"], "trust");
    // The command line wins over the configuration.
    let out = iamlint(
        &dir,
        &["roles", "--format", "json", "--policy-type", "resource"],
        None,
    );
    assert_eq!(json(&out)["files"][0]["policyType"], "resource");
}

#[test]
fn bad_config_is_a_usage_error_with_a_position() {
    let dir = scratch("bad-config");
    write(
        &dir,
        "iamlint.toml",
        "[rules]\ndisable = [\"MISSING_VERSON\"]\n",
    );
    write(&dir, "p.json", CLEAN);
    let out = iamlint(&dir, &["p.json"], None);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("iamlint.toml:2:12: invalid configuration: unknown rule code 'MISSING_VERSON'; did you mean 'MISSING_VERSION'?"),
        "{err}"
    );
    // --config points elsewhere: the broken file is not read.
    write(&dir, "other/ok.toml", "");
    let out = iamlint(&dir, &["p.json", "--config", "other/ok.toml"], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = iamlint(&dir, &["p.json", "--config", "nope.toml"], None);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("nope.toml: no such file or directory"));
}

#[test]
fn config_discovery_stops_at_the_repository_root() {
    let dir = scratch("config-repo");
    // Above the repository: not the project's configuration, even broken.
    write(&dir, "iamlint.toml", "[rules\n");
    std::fs::create_dir_all(dir.join("repo/.git")).unwrap();
    let no_version = CLEAN.replace("\"Version\": \"2012-10-17\",", "");
    write(&dir, "repo/team/p.json", &no_version);
    let out = iamlint(
        &dir.join("repo"),
        &["team/p.json", "--format", "json"],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(codes(&json(&out))[0]
        .1
        .contains(&"MISSING_VERSION".to_string()));
    // At the repository root it applies.
    write(
        &dir,
        "repo/iamlint.toml",
        "[rules]\ndisable = [\"MISSING_VERSION\"]\n",
    );
    let out = iamlint(
        &dir.join("repo"),
        &["team/p.json", "--format", "json"],
        None,
    );
    assert!(!codes(&json(&out))[0]
        .1
        .contains(&"MISSING_VERSION".to_string()));
    // Without a repository the walk goes on to the root and meets the broken file.
    std::fs::remove_dir_all(dir.join("repo/.git")).unwrap();
    std::fs::remove_file(dir.join("repo/iamlint.toml")).unwrap();
    let out = iamlint(&dir.join("repo"), &["team/p.json"], None);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("iamlint.toml:1:7: invalid configuration: TOML syntax"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn human_output_has_code_frames() {
    let dir = scratch("human");
    write(&dir, "broken.json", BROKEN_THEN_INVALID);
    let out = iamlint(&dir, &["broken.json"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error[JSON_SYNTAX_ERROR]"), "{text}");
    assert!(text.contains(" --> broken.json:4:"), "{text}");
    // The frame shows the line and a caret under the error.
    assert!(text.contains(
        "4 |         {\"Sid\": \"A\", \"Effect\": \"Allow\" \"Action\": \"s3:GetObject\""
    ));
    assert!(text.contains("^"));
    assert!(text.lines().last().unwrap().starts_with("1 file checked: "));
}

// ---- host files: Terraform and CloudFormation ----

/// The textbook EC2 role, with one misspelt action (line 19) in its inline policy and a computed
/// ARN (line 20).
const TERRAFORM: &str = include_str!("../../tests/iac/ec2-s3-typo.tf");

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OpenRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Alow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
"#;

fn span_text<'t>(text: &'t str, d: &Value) -> &'t str {
    let start = d["span"]["start"].as_u64().unwrap() as usize;
    let end = d["span"]["end"].as_u64().unwrap() as usize;
    &text[start..end]
}

fn find<'v>(v: &'v Value, file: usize, code: &str) -> &'v Value {
    v["files"][file]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {:#}", v["files"][file]))
}

#[test]
fn terraform_findings_point_into_the_tf_file_and_name_their_policy() {
    let dir = scratch("terraform");
    write(&dir, "main.tf", TERRAFORM);
    let out = iamlint(&dir, &["main.tf", "--format", "json"], None);
    let v = json(&out);
    let file = &v["files"][0];
    assert_eq!(file["format"], "terraform");
    assert_eq!(file["policyType"], "mixed");
    let policies: Vec<(&str, &str)> = file["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["policyType"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        policies,
        [
            (
                "aws_iam_role.ec2_s3_access_role.assume_role_policy",
                "trust"
            ),
            ("aws_iam_role_policy.s3_read", "identity")
        ]
    );
    let action = find(&v, 0, "INVALID_ACTION");
    assert_eq!(span_text(TERRAFORM, action), "GetObjekt");
    assert_eq!(action["policy"], "aws_iam_role_policy.s3_read");
    assert_eq!(action["policyType"], "identity");
    assert_eq!(action["range"]["start"]["line"], 19);
    // The interpolated ARN is unknown: never an invalid ARN, never a wildcard.
    for d in file["diagnostics"].as_array().unwrap() {
        assert!(
            !span_text(TERRAFORM, d).contains("aws_s3_bucket"),
            "finding on an unknown value: {d:#}"
        );
    }
    // Human output: the frame shows the .tf lines and says which policy.
    let human = iamlint(&dir, &["main.tf"], None);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("main.tf:19:"), "{text}");
    assert!(
        text.contains("in aws_iam_role_policy.s3_read (identity policy)"),
        "{text}"
    );
}

#[test]
fn cloudformation_findings_point_into_the_template() {
    let dir = scratch("cloudformation");
    write(&dir, "template.yaml", TEMPLATE);
    let out = iamlint(&dir, &["template.yaml", "--format", "json"], None);
    assert_eq!(code(&out), 1);
    let v = json(&out);
    assert_eq!(v["files"][0]["format"], "cloudformation-yaml");
    let effect = find(&v, 0, "INVALID_EFFECT");
    assert_eq!(span_text(TEMPLATE, effect), "Alow");
    assert_eq!(
        effect["policy"],
        "Resources/OpenRole/AssumeRolePolicyDocument"
    );
    assert_eq!(effect["policyType"], "trust");
    assert_eq!(effect["range"]["start"]["line"], 9);
    assert_eq!(effect["range"]["start"]["column"], 21);

    // The same template as JSON (a `.json` file recognised by its content).
    let as_json = r#"{"Resources": {"OpenRole": {"Type": "AWS::IAM::Role", "Properties": {
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Alow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}}}
"#;
    write(&dir, "template.json", as_json);
    let v = json(&iamlint(&dir, &["template.json", "--format", "json"], None));
    assert_eq!(v["files"][0]["format"], "cloudformation-json");
    let effect = find(&v, 0, "INVALID_EFFECT");
    assert_eq!(span_text(as_json, effect), "\"Alow\"");
    assert_eq!(effect["policyType"], "trust");
}

#[test]
fn a_plain_policy_is_checked_and_printed_as_before() {
    let dir = scratch("plain-unchanged");
    write(&dir, "p.json", BROKEN_THEN_INVALID);
    let v = json(&iamlint(&dir, &["p.json", "--format", "json"], None));
    let file = v["files"][0].as_object().unwrap();
    let mut keys: Vec<&str> = file.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["diagnostics", "path", "policyType"]);
    for d in file["diagnostics"].as_array().unwrap() {
        assert!(d.get("policy").is_none() && d.get("policyType").is_none());
    }
}

#[test]
fn directories_include_terraform_and_cloudformation_files() {
    let dir = scratch("dir-hosts");
    write(&dir, "infra/main.tf", TERRAFORM);
    write(&dir, "infra/stack/template.yaml", TEMPLATE);
    write(&dir, "infra/stack/other.yml", TEMPLATE);
    write(&dir, "infra/stack/legacy.template", TEMPLATE);
    write(&dir, "infra/policy.json", CLEAN);
    write(&dir, "infra/README.md", "# not checked");
    // YAML that is not a template: read, nothing found.
    write(
        &dir,
        "infra/docker-compose.yml",
        "services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n",
    );
    let out = iamlint(&dir, &["infra", "--format", "json"], None);
    let v = json(&out);
    let found: Vec<(String, usize)> = codes(&v)
        .into_iter()
        .map(|(p, c)| (p.replace('\\', "/"), c.len()))
        .collect();
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "infra/docker-compose.yml",
            "infra/main.tf",
            "infra/policy.json",
            "infra/stack/legacy.template",
            "infra/stack/other.yml",
            "infra/stack/template.yaml"
        ]
    );
    let count = |p: &str| found.iter().find(|(q, _)| q == p).unwrap().1;
    assert_eq!(count("infra/docker-compose.yml"), 0);
    assert_eq!(count("infra/policy.json"), 0);
    assert!(count("infra/main.tf") > 0);
    assert!(count("infra/stack/legacy.template") > 0);
    assert_eq!(v["files"][0]["policies"], serde_json::json!([]));
}

/// What a JavaScript project holds besides its policies.
const PACKAGE_JSON: &str = "{\n  \"name\": \"web\",\n  \"version\": \"1.2.0\",\n  \"scripts\": {\"build\": \"vite build\"}\n}\n";
const TSCONFIG: &str = "{\n  // compiler settings\n  \"compilerOptions\": {\"strict\": true},\n}\n";
const ESLINTRC: &str = r#"{"root": true, "extends": ["eslint:recommended"]}"#;
const CFN_JSON: &str = r#"{"Resources": {"Bucket": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "b", "PolicyDocument": {"Statement": [{"Effect": "Alow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}}}}"#;

/// The entry of the file whose path ends with `name`.
fn file_entry<'v>(v: &'v Value, name: &str) -> &'v Value {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no {name} in {v:#}"))
}

#[test]
fn json_files_that_are_not_policies_get_no_findings() {
    let dir = scratch("not-policies");
    write(&dir, "app/package.json", PACKAGE_JSON);
    write(&dir, "app/tsconfig.json", TSCONFIG);
    write(&dir, "app/.eslintrc.json", ESLINTRC);
    write(
        &dir,
        "app/docker-compose.yaml",
        "services:\n  web:\n    image: nginx\n",
    );
    write(&dir, "app/policy.json", BROKEN_THEN_INVALID);
    write(&dir, "app/cdk.out/Stack.template.json", CFN_JSON);
    let out = iamlint(&dir, &["app", "--format", "json"], None);
    let v = json(&out);
    let by_path: Vec<(String, String, usize)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().replace('\\', "/"),
                f["format"].as_str().unwrap_or("policy").to_string(),
                f["diagnostics"].as_array().unwrap().len(),
            )
        })
        .collect();
    let get = |p: &str| by_path.iter().find(|(q, _, _)| q == p).unwrap();
    // Each is read and passes silently.
    assert_eq!(get("app/.eslintrc.json").1, "other");
    assert_eq!(get("app/.eslintrc.json").2, 0);
    assert_eq!(get("app/package.json").1, "other");
    assert_eq!(get("app/package.json").2, 0);
    assert_eq!(get("app/tsconfig.json").1, "other");
    assert_eq!(get("app/tsconfig.json").2, 0);
    assert_eq!(get("app/docker-compose.yaml").2, 0);
    // The policy is checked exactly as before; the JSON template is a template.
    assert_eq!(get("app/policy.json").1, "policy");
    assert!(get("app/policy.json").2 > 0);
    assert_eq!(
        get("app/cdk.out/Stack.template.json").1,
        "cloudformation-json"
    );
    let cdk = by_path
        .iter()
        .position(|(p, _, _)| p.contains("cdk.out"))
        .unwrap();
    assert_eq!(
        span_text(CFN_JSON, find(&v, cdk, "INVALID_EFFECT")),
        "\"Alow\""
    );

    // Named on the command line: the same silence in JSON; a note in human output.
    let out = iamlint(&dir, &["app/.eslintrc.json", "--format", "json"], None);
    assert_eq!(code(&out), 0);
    assert_eq!(json(&out)["files"][0]["diagnostics"], serde_json::json!([]));
    let human = iamlint(&dir, &["app/package.json"], None);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("note: app/package.json: nothing checked: it is neither an IAM policy"),
        "{text}"
    );
    // The user's word makes it a policy: --policy-type on a named file, or an iamlint.toml glob.
    let out = iamlint(
        &dir,
        &[
            "app/.eslintrc.json",
            "--policy-type",
            "identity",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(code(&out), 1);
    assert!(codes(&json(&out))[0]
        .1
        .contains(&"MISSING_STATEMENT".to_string()));
    let out = iamlint(
        &dir,
        &["app", "--policy-type", "identity", "--format", "json"],
        None,
    );
    let v = json(&out);
    let package = file_entry(&v, "package.json");
    assert_eq!(
        package["diagnostics"],
        serde_json::json!([]),
        "a directory's package.json is never forced"
    );
    write(
        &dir,
        "app/iamlint.toml",
        "[[policy-types]]\nglob = \"tsconfig.json\"\ntype = \"identity\"\n",
    );
    let out = iamlint(&dir, &["app", "--format", "json"], None);
    let v = json(&out);
    let tsconfig = file_entry(&v, "tsconfig.json");
    assert!(!tsconfig["diagnostics"].as_array().unwrap().is_empty());
    assert!(
        tsconfig.get("format").is_none(),
        "checked as a plain policy"
    );
}

#[test]
fn stdin_is_recognised_by_its_content() {
    let dir = scratch("stdin-host");
    let v = json(&iamlint(&dir, &["-", "--format", "json"], Some(TEMPLATE)));
    assert_eq!(v["files"][0]["format"], "cloudformation-yaml");
    assert_eq!(span_text(TEMPLATE, find(&v, 0, "INVALID_EFFECT")), "Alow");
}

#[test]
fn sarif_of_a_host_file_names_the_policy_as_a_logical_location() {
    let dir = scratch("sarif-host");
    write(&dir, "main.tf", TERRAFORM);
    let log = json(&iamlint(&dir, &["main.tf", "--format", "sarif"], None));
    let validator = jsonschema::validator_for(&sarif_schema()).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF is invalid: {errors:#?}");
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "INVALID_ACTION")
        .expect("INVALID_ACTION result");
    let location = &result["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "main.tf"
    );
    assert_eq!(location["physicalLocation"]["region"]["startLine"], 19);
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "aws_iam_role_policy.s3_read"
    );
    assert_eq!(result["properties"]["policyType"], "identity");
}

//! Unused grants in the editor: an iamlint.toml `[[activity]]` entry names the CloudTrail logs
//! of a role (the fixture logs of tests/activity, copied to a scratch workspace so a test can add
//! to them), and the native server shows the grants the role never used as hints with a review
//! quick-fix, the problems of the entry on iamlint.toml, and reads the logs again when they change.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{json, Value};

const ROLE: &str = "arn:aws:iam::111122223333:role/service/deploy";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A workspace with the fixture logs under logs/, `toml` as its iamlint.toml, and a session
/// initialised on it.
async fn workspace(name: &str, toml: &str) -> (Session, PathBuf, String) {
    let dir =
        std::env::temp_dir().join(format!("iamlint-lsp-unused-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("tests/activity/logs"), &dir.join("logs"));
    std::fs::write(dir.join("iamlint.toml"), toml).unwrap();
    let root_uri = format!("file://{}", dir.display());
    let (mut s, _) = Session::start();
    s.initialize(json!({}), Some(&root_uri)).await;
    (s, dir, root_uri)
}

fn entry(glob: &str, logs: &str) -> String {
    format!("[[activity]]\nglob = \"{glob}\"\nprincipal = \"{ROLE}\"\ncloudtrail = [\"{logs}\"]\n")
}

fn policy() -> String {
    std::fs::read_to_string(root().join("tests/activity/deploy-policy.json")).unwrap()
}

/// The UNUSED_GRANT quick-fix offered for the finding `diagnostic`.
async fn unused_fix(s: &mut Session, uri: &str, diagnostic: &Value) -> Value {
    let actions = unused_fixes(s, uri, diagnostic).await;
    actions
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("a quick-fix for {diagnostic}"))
}

/// The UNUSED_GRANT quick-fixes offered for the finding `diagnostic`.
async fn unused_fixes(s: &mut Session, uri: &str, diagnostic: &Value) -> Vec<Value> {
    let actions = s
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": diagnostic["range"],
                   "context": {"diagnostics": [diagnostic]}}),
        )
        .await;
    actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["diagnostics"][0]["code"] == "UNUSED_GRANT")
        .cloned()
        .collect()
}

#[tokio::test]
async fn unused_grants_are_hints_on_their_items_with_a_review_fix() {
    let (mut s, dir, root_uri) = workspace("hints", &entry("roles/deploy/*.json", "logs/")).await;
    let uri = format!("{root_uri}/roles/deploy/policy.json");
    let text = policy();
    s.open(&uri, &text).await;
    let published = s.diagnostics(&uri).await;
    let found = hints(&published, &text);
    let items = names(&found);
    assert_deploy_hints(&items);
    let (_, delete) = found
        .iter()
        .find(|(t, _)| t == "\"dynamodb:DeleteTable\"")
        .unwrap();
    // Line 13, column 79 as `iamlint unused` prints it.
    assert_eq!(
        delete["range"]["start"],
        json!({"line": 12, "character": 78})
    );
    assert_eq!(delete["severity"], 4, "a hint");
    assert_eq!(delete["tags"], json!([1]), "shown as unnecessary");
    let message = delete["message"].as_str().unwrap();
    assert!(message.contains("dynamodb:DeleteTable"), "{message}");
    assert!(message.contains(ROLE), "{message}");
    assert!(message.contains("from 2026-01-"), "{message}");

    // The quick-fix: labelled review, it removes the item and nothing else.
    let fix = unused_fix(&mut s, &uri, delete).await;
    let title = fix["title"].as_str().unwrap();
    assert!(title.ends_with("(review)"), "{title}");
    assert_ne!(fix["isPreferred"], true);
    let fixed = apply_lsp_edits(&text, fix["edit"]["changes"][&uri].as_array().unwrap());
    assert!(!fixed.contains("dynamodb:DeleteTable"), "{fixed}");
    assert_eq!(
        fixed.replace(", \"dynamodb:DeleteTable\"", ""),
        text.replace(", \"dynamodb:DeleteTable\"", "")
    );
    // The narrowing of lambda:* keeps what was used.
    let (_, lambda) = found.iter().find(|(t, _)| t == "\"lambda:*\"").unwrap();
    let fix = unused_fix(&mut s, &uri, lambda).await;
    let fixed = apply_lsp_edits(&text, fix["edit"]["changes"][&uri].as_array().unwrap());
    assert!(!fixed.contains("lambda:*"), "{fixed}");
    assert!(fixed.contains("\"lambda:UpdateFunctionCode\""), "{fixed}");

    // The same policy where no [[activity]] glob names it: no hint.
    let elsewhere = format!("{root_uri}/other/policy.json");
    s.open(&elsewhere, &text).await;
    let published = s.diagnostics(&elsewhere).await;
    assert!(hints(&published, &text).is_empty(), "{published}");
    assert!(!published["diagnostics"].as_array().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_logs_are_read_again_when_they_change() {
    let (mut s, dir, root_uri) = workspace("reread", &entry("*.json", "logs")).await;
    let uri = format!("{root_uri}/deploy.json");
    let text = policy();
    s.open(&uri, &text).await;
    let before = names(&hints(&s.diagnostics(&uri).await, &text));
    assert!(
        before.contains(&"\"dynamodb:DeleteTable\"".to_string()),
        "{before:?}"
    );
    assert!(
        before.contains(&"\"s3:GetBucketPolicy\"".to_string()),
        "{before:?}"
    );

    // A new log file: the role deleted a table, successfully this time.
    let record = late_delete_table();
    std::fs::write(dir.join("logs/late.json"), record.to_string()).unwrap();
    // The files' stamps are trusted for a moment (so keystrokes do not look at the disk).
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"text": text}]}),
    )
    .await;
    let after = names(&hints(&s.diagnostics_for_version(&uri, 2).await, &text));
    assert!(
        !after.contains(&"\"dynamodb:DeleteTable\"".to_string()),
        "{after:?}"
    );
    assert!(
        after.contains(&"\"s3:GetBucketPolicy\"".to_string()),
        "{after:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn problems_of_an_activity_entry_are_shown_on_iamlint_toml() {
    // Logs that cannot be read: a missing folder and a cut log file, at the value naming them.
    let toml = entry("*.json", "logs/\", \"missing/");
    let (mut s, dir, root_uri) = workspace("problems", &toml).await;
    std::fs::write(dir.join("logs/cut.json"), "{\"Records\": [{\"eventName\": ").unwrap();
    let uri = format!("{root_uri}/deploy.json");
    let text = policy();
    s.open(&uri, &text).await;
    // What could be read is still used.
    let found = names(&hints(&s.diagnostics(&uri).await, &text));
    assert!(
        found.contains(&"\"dynamodb:DeleteTable\"".to_string()),
        "{found:?}"
    );
    let config_uri = format!("{root_uri}/iamlint.toml");
    let config = s.diagnostics(&config_uri).await;
    let problems = config["diagnostics"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{config}");
    for p in problems {
        assert_eq!(covered(&toml, &p["range"]), "[\"logs/\", \"missing/\"]");
        assert_eq!(p["severity"], 2);
    }
    let messages: Vec<&str> = problems
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("missing/: ")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("logs/cut.json:1:")),
        "{messages:?}"
    );
    // Opening and editing iamlint.toml itself (not a policy) does not clear them.
    s.open(&config_uri, &toml).await;
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": config_uri, "version": 2},
               "contentChanges": [{"text": format!("{toml}\n")}]}),
    )
    .await;
    assert!(
        s.quiet_for(&config_uri, 500).await,
        "iamlint.toml's problems were replaced"
    );

    // A bad entry is a configuration error at its value; the policy gets no hint.
    let (mut s, dir2, root_uri) = workspace(
        "bad-entry",
        "[[activity]]\nglob = \"*.json\"\nprincipal = \"deploy\"\ncloudtrail = [\"logs/\"]\n",
    )
    .await;
    let uri = format!("{root_uri}/deploy.json");
    s.open(&uri, &text).await;
    let config = s.diagnostics(&format!("{root_uri}/iamlint.toml")).await;
    let problem = &config["diagnostics"][0];
    assert_eq!(
        problem["range"]["start"],
        json!({"line": 2, "character": 12}),
        "{config}"
    );
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("'deploy' is not an ARN"),
        "{config}"
    );
    assert!(hints(&s.diagnostics(&uri).await, &text).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&dir2);
}

/// A role and its inline policy in Terraform: the trust policy grants others, not the role.
const TERRAFORM: &str = r#"resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["lambda:UpdateFunctionCode", "dynamodb:DeleteTable"]
      Resource = "*"
    }]
  })
}
"#;

#[tokio::test]
async fn unused_grants_of_a_terraform_policy_are_hints_fixed_in_hcl() {
    let (mut s, dir, root_uri) = workspace("terraform", &entry("*.tf", "logs/")).await;
    let uri = format!("{root_uri}/main.tf");
    s.open(&uri, TERRAFORM).await;
    let published = s.diagnostics(&uri).await;
    let found = hints(&published, TERRAFORM);
    // Only the never-used action of the role's own policy: not the used one, not the trust
    // policy's sts:AssumeRole (the role does not call it).
    assert_eq!(names(&found), ["\"dynamodb:DeleteTable\""], "{published}");
    let fix = unused_fix(&mut s, &uri, found[0].1).await;
    let fixed = apply_lsp_edits(TERRAFORM, fix["edit"]["changes"][&uri].as_array().unwrap());
    assert_eq!(
        fixed,
        TERRAFORM.replace(", \"dynamodb:DeleteTable\"", ""),
        "{fixed}"
    );

    // A list that holds a value Terraform computes: the hint stays, but no fix is offered (the
    // host writer does not rewrite around a computed value), and nothing on the computed one.
    let computed = TERRAFORM.replace(
        "\"dynamodb:DeleteTable\"]",
        "\"dynamodb:DeleteTable\", var.extra_action]",
    );
    let uri = format!("{root_uri}/computed.tf");
    s.open(&uri, &computed).await;
    let published = s.diagnostics(&uri).await;
    let found = hints(&published, &computed);
    assert_eq!(names(&found), ["\"dynamodb:DeleteTable\""], "{published}");
    assert!(unused_fixes(&mut s, &uri, found[0].1).await.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

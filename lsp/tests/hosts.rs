//! The language server on Terraform and CloudFormation documents: findings, hovers and
//! completions inside the policies they hold, with positions in the host file.

mod common;

use common::*;
use serde_json::{json, Value};

const TF_URI: &str = "file:///w/main.tf";

/// The textbook EC2 role with a misspelt action and a computed ARN.
const TF: &str = include_str!("../../tests/iac/ec2-s3-typo.tf");

fn pos(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let col: usize = before.rsplit('\n').next().unwrap().encode_utf16().count();
    json!({"line": line, "character": col})
}

async fn started() -> Session {
    let (mut s, _) = Session::start();
    s.initialize(json!({}), None).await;
    s
}

#[tokio::test]
async fn terraform_findings_have_positions_in_the_tf_file() {
    let mut s = started().await;
    s.open(TF_URI, TF).await;
    let d = s.diagnostics(TF_URI).await;
    let action = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "INVALID_ACTION")
        .unwrap_or_else(|| panic!("no INVALID_ACTION in {d}"));
    let at = TF.find("GetObjekt").unwrap();
    assert_eq!(action["range"]["start"], pos(TF, at));
    assert_eq!(action["range"]["end"], pos(TF, at + "GetObjekt".len()));
    // Nothing on the computed ARN.
    let line_of_ref = pos(TF, TF.find("aws_s3_bucket").unwrap())["line"].clone();
    assert!(
        d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["range"]["start"]["line"] != line_of_ref),
        "{d}"
    );
}

#[tokio::test]
async fn hover_and_completion_work_inside_terraform_policies() {
    let mut s = started().await;
    let text = TF.replace("\"s3:ListBucket\"", "\"s3:ListBu\"");
    s.open(TF_URI, &text).await;
    let at = text.find("GetObjekt").unwrap() - 3;
    let h = s
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": TF_URI}, "position": pos(&text, at)}),
        )
        .await;
    let md = h["contents"]["value"]
        .as_str()
        .expect("hover in the .tf file");
    assert!(md.contains("Amazon S3") || md.contains("s3"), "{md}");
    // Outside the policy: nothing.
    let h = s
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": TF_URI}, "position": pos(&text, 2)}),
        )
        .await;
    assert!(h.is_null(), "{h}");

    let end = text.find("s3:ListBu").unwrap() + "s3:ListBu".len();
    let r = s
        .call(
            "textDocument/completion",
            json!({"textDocument": {"uri": TF_URI}, "position": pos(&text, end)}),
        )
        .await;
    let items = completion_items(&r);
    let item = items
        .iter()
        .find(|i| i["label"] == "s3:ListBucket")
        .unwrap_or_else(|| panic!("s3:ListBucket not offered: {r}"));
    let done = apply_lsp_edits(&text, &[item["textEdit"].clone()]);
    assert!(
        done.contains("[\"s3:GetObjekt\", \"s3:ListBucket\"]"),
        "{done}"
    );
}

#[tokio::test]
async fn cloudformation_templates_are_checked_and_other_yaml_is_left_alone() {
    let mut s = started().await;
    let uri = "file:///w/template.yaml";
    let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Alow\n            Principal: {Service: ec2.amazonaws.com}\n            Action: sts:AssumeRole\n";
    s.open(uri, text).await;
    let d = s.diagnostics(uri).await;
    let effect = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "INVALID_EFFECT")
        .unwrap_or_else(|| panic!("no INVALID_EFFECT in {d}"));
    assert_eq!(
        effect["range"]["start"],
        pos(text, text.find("Alow").unwrap())
    );

    let compose = "file:///w/docker-compose.yml";
    s.open(compose, "services:\n  web:\n    image: nginx\n")
        .await;
    assert_eq!(s.diagnostics(compose).await["diagnostics"], json!([]));
}

//! `iamlint/generatePolicy`: the editor's "Generate policy from CloudTrail" command, through the
//! single-threaded driver the VS Code extension runs (the request is a job run at `idle`).

use iamlint_lsp::inline::Inline;
use serde_json::{json, Value};

fn start() -> Inline {
    let mut s = Inline::new();
    let out = s.handle(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": null, "capabilities": {}}}),
    );
    assert_eq!(out[0]["id"], 1);
    s.handle(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    s
}

/// Standard base64, as the extension sends file bytes (logic.ts `toBase64`).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            out.push(if i <= c.len() {
                A[(n >> shift) as usize & 63] as char
            } else {
                '='
            });
        }
    }
    out
}

const ROLE: &str = "arn:aws:iam::111122223333:role/app";

fn event(name: &str, source: &str, extra: &str) -> String {
    format!(
        r#"{{"eventVersion": "1.09", "eventTime": "2026-01-12T09:00:00Z", "eventSource": "{source}",
        "eventName": "{name}", "awsRegion": "us-east-1",
        "userIdentity": {{"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/app/s1",
          "sessionContext": {{"sessionIssuer": {{"type": "Role", "arn": "{ROLE}"}}}}}}{extra}}}"#
    )
}

fn request(s: &mut Inline, id: i64, params: Value) -> Value {
    let now = s.handle(
        json!({"jsonrpc": "2.0", "id": id, "method": "iamlint/generatePolicy",
        "params": params}),
    );
    let mut all = now;
    all.extend(s.idle());
    all.into_iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no answer to {id}"))
}

#[test]
fn generates_a_policy_from_the_logs_sent() {
    let mut s = start();
    let log = format!(
        r#"{{"Records": [{}, {}, {}]}}"#,
        event(
            "GetObject",
            "s3.amazonaws.com",
            r#", "requestParameters": {"bucketName": "data", "key": "a.txt"}"#
        ),
        event("ListFunctions20150331", "lambda.amazonaws.com", ""),
        event("ConsoleLogin", "signin.amazonaws.com", ""),
    );
    let broken = r#"{"Records": [{"eventName": "#;
    let answer = request(
        &mut s,
        7,
        json!({"principal": ROLE, "resources": "star", "files": [
            {"name": "logs/a.json", "base64": base64(log.as_bytes())},
            {"name": "logs/broken.json", "base64": base64(broken.as_bytes())},
            {"name": "logs/odd.bin", "base64": "%%%"},
        ]}),
    );
    let r = &answer["result"];
    let policies = r["policies"].as_array().expect("policies");
    assert_eq!(policies.len(), 1, "{r}");
    let policy: Value = serde_json::from_str(policies[0].as_str().unwrap()).unwrap();
    let actions: Vec<&str> = r["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["lambda:ListFunctions", "s3:GetObject"]);
    assert!(policy.to_string().contains("s3:GetObject"), "{policy}");
    assert_eq!(r["unmapped"][0]["eventName"], "ConsoleLogin");
    let errors: Vec<&str> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("logs/broken.json:1:"), "{errors:?}");
    assert_eq!(errors[1], "logs/odd.bin: not base64");
}

#[test]
fn bad_options_are_invalid_params() {
    let mut s = start();
    let answer = request(&mut s, 8, json!({"principal": "role/app", "files": []}));
    assert_eq!(answer["error"]["code"], -32602);
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not an ARN"),
        "{answer}"
    );
    let answer = request(
        &mut s,
        9,
        json!({"principal": ROLE, "files": [], "resources": "everything"}),
    );
    assert_eq!(answer["error"]["code"], -32602);
    let answer = request(&mut s, 10, json!({"principal": ROLE}));
    assert_eq!(answer["error"]["code"], -32602, "files are required");
}

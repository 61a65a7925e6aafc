//! The single-threaded driver the WebAssembly build runs (the VS Code extension, desktop and
//! browser), tested natively: the same server, jobs run in place, iamlint.toml read through the
//! client's `iamlint/readFile`.

use iamlint_lsp::inline::Inline;
use serde_json::{json, Value};

const ROOT: &str = "vscode-remote://localhost:8080/work/ws";
const POLICY: &str = "{\n  \"Statement\": [\n    {\"Effect\": \"allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}\n";

fn start() -> Inline {
    let mut s = Inline::new();
    let out = s.handle(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": null,
        "workspaceFolders": [{"uri": ROOT, "name": "ws"}],
        "capabilities": {"experimental": {"iamlintReadFile": true}}}}),
    );
    assert_eq!(out[0]["id"], 1);
    assert!(s
        .handle(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        .is_empty());
    s
}

fn open(s: &mut Inline, uri: &str, text: &str) -> Vec<Value> {
    s.handle(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": uri, "languageId": "json", "version": 1, "text": text}}}),
    )
}

fn codes(m: &Value) -> Vec<&str> {
    m["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

#[test]
fn iamlint_toml_is_read_through_the_client_then_applies() {
    let mut s = start();
    let uri = format!("{ROOT}/team/policy.json");
    let asked = open(&mut s, &uri, POLICY);
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0]["method"], "iamlint/readFile");
    assert_eq!(asked[0]["params"]["base"], uri.as_str());
    assert_eq!(asked[0]["params"]["path"], "/work/ws/team/iamlint.toml");
    // Nothing is analysed before the answer.
    assert!(s.idle().is_empty());
    let next = s.handle(json!({"jsonrpc": "2.0", "id": asked[0]["id"], "result": null}));
    assert_eq!(next[0]["params"]["path"], "/work/ws/iamlint.toml");
    let none = s.handle(json!({"jsonrpc": "2.0", "id": next[0]["id"],
        "result": "[rules]\ndisable = [\"MISSING_VERSION\"]\n"}));
    assert!(none.is_empty(), "{none:?}");
    let published = s.idle();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0]["method"], "textDocument/publishDiagnostics");
    let c = codes(&published[0]);
    assert!(c.contains(&"INVALID_EFFECT"), "{c:?}");
    assert!(!c.contains(&"MISSING_VERSION"), "{c:?}");
    // A second document in the same folder needs no new read.
    let other = format!("{ROOT}/team/other.json");
    assert!(open(&mut s, &other, POLICY).is_empty());
    let c = s.idle();
    assert!(!codes(&c[0]).contains(&"MISSING_VERSION"));
    // The file changes: read again.
    let again = s.handle(
        json!({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles",
        "params": {"changes": [{"uri": format!("{ROOT}/iamlint.toml"), "type": 2}]}}),
    );
    assert!(
        again.iter().all(|m| m["method"] == "iamlint/readFile"),
        "{again:?}"
    );
    assert!(!again.is_empty());
}

#[test]
fn a_burst_of_edits_costs_one_analysis_of_the_last_text() {
    let mut s = Inline::new();
    s.handle(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}}));
    s.handle(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let uri = "file:///w/p.json";
    open(&mut s, uri, POLICY);
    assert!(s.has_pending());
    let at = POLICY.find("allow").unwrap()
        - POLICY[..POLICY.find("allow").unwrap()].rfind('\n').unwrap()
        - 1;
    for v in 2..40 {
        let text = if v % 2 == 0 { "A" } else { "a" };
        let out = s.handle(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"range": {"start": {"line": 2, "character": at},
                "end": {"line": 2, "character": at + 1}}, "text": text}]}}),
        );
        assert!(out.is_empty());
    }
    let published = s.idle();
    assert_eq!(published.len(), 1, "{published:?}");
    assert_eq!(published[0]["params"]["version"], 39);
    assert!(codes(&published[0]).contains(&"INVALID_EFFECT"));
    assert!(!s.has_pending());

    // Requests are answered at once: a hover on the action, a quick-fix that narrows it.
    let line2 = POLICY.lines().nth(2).unwrap();
    let action = line2.find("s3:*").unwrap() + 1;
    let hover = s.handle(
        json!({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri}, "position": {"line": 2, "character": action}}}),
    );
    assert!(
        hover[0]["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("s3"),
        "{hover:?}"
    );
    let actions = s.handle(json!({"jsonrpc": "2.0", "id": 6, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 2, "character": action}, "end": {"line": 2, "character": action}},
        "context": {"diagnostics": []}}}));
    let titles: Vec<&str> = actions[0]["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(!titles.is_empty(), "{actions:?}");
    // exit ends the session.
    s.handle(json!({"jsonrpc": "2.0", "id": 7, "method": "shutdown"}));
    s.handle(json!({"jsonrpc": "2.0", "method": "exit"}));
    assert!(s.exited());
}

#[test]
fn warming_up_changes_no_answer() {
    let text =
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}";
    let uri = "file:///w/p.json";
    let published = |warm: bool| {
        let mut s = Inline::new();
        if warm {
            s.warm();
        }
        s.handle(
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": null, "capabilities": {}}}),
        );
        s.handle(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        assert!(open(&mut s, uri, text).is_empty());
        s.idle()
    };
    let cold = published(false);
    assert_eq!(cold[0]["method"], "textDocument/publishDiagnostics");
    assert!(codes(&cold[0]).contains(&"SERVICE_WILDCARD_IN_ACTION"));
    assert_eq!(published(true), cold);
}

#[test]
fn a_code_action_right_after_an_edit_runs_the_waiting_analysis_once_first() {
    let mut s = start();
    let uri = format!("{ROOT}/policy.json");
    let asked = open(&mut s, &uri, POLICY);
    assert_eq!(asked[0]["method"], "iamlint/readFile");
    assert!(s
        .handle(json!({"jsonrpc": "2.0", "id": asked[0]["id"], "result": null}))
        .is_empty());
    assert_eq!(s.idle()[0]["params"]["version"], 1);
    // An edit: its analysis waits for idle...
    let changed = s.handle(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 4, "character": 1}, "end": {"line": 4, "character": 1}}, "text": " "}]}}));
    assert!(changed.is_empty(), "{changed:?}");
    assert!(s.has_pending());
    // ...until a code action on the wildcard asks for it: the diagnostics of version 2 first,
    // then the answer, and nothing left to analyse.
    let out = s.handle(
        json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 2, "character": 40}, "end": {"line": 2, "character": 40}},
        "context": {"diagnostics": []}}}),
    );
    assert_eq!(out.len(), 2, "{out:?}");
    assert_eq!(out[0]["method"], "textDocument/publishDiagnostics");
    assert_eq!(out[0]["params"]["version"], 2);
    assert_eq!(out[1]["id"], 7);
    assert!(!out[1]["result"].as_array().unwrap().is_empty(), "{out:?}");
    assert!(!s.has_pending());
    assert!(s.idle().is_empty());
}

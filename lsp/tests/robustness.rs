//! The real server loop over an in-memory pipe: malformed messages, unknown methods, a burst of
//! edits sent without waiting, and a 10 MB document.

mod common;

use common::*;
use serde_json::{json, Value};

const URI: &str = "file:///w/burst.json";

fn publish_for(uri: &'static str) -> impl Fn(&Value) -> bool {
    move |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_malformed_json_rpc_and_unknown_methods() {
    let mut wire = Wire::start();
    wire.initialize().await;
    // Not JSON at all, JSON that is not a message, and a request for a method nobody knows.
    wire.send_raw(b"{this is not json").await;
    wire.send_raw(b"[1, 2, 3]").await;
    wire.send(json!({"jsonrpc": "2.0", "id": 7, "method": "iamlint/noSuchMethod", "params": {}}))
        .await;
    let reply = wire.read_until(|m| m["id"] == 7).await;
    assert_eq!(reply["error"]["code"], -32601, "{reply}");
    // A hover request with params of the wrong shape gets an error, not a crash.
    wire.send(
        json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", "params": {"nope": 1}}),
    )
    .await;
    let reply = wire.read_until(|m| m["id"] == 8).await;
    assert!(reply["error"].is_object(), "{reply}");
    // Still serving: open a document and get its diagnostics.
    wire.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": URI, "languageId": "json", "version": 1, "text": "{\"Statement\": [{\"Effect\": \"allow\"}]}"}}}))
        .await;
    let d = wire.read_until(publish_for(URI)).await;
    assert!(!d["params"]["diagnostics"].as_array().unwrap().is_empty());
    wire.send(json!({"jsonrpc": "2.0", "id": 9, "method": "shutdown"}))
        .await;
    let reply = wire.read_until(|m| m["id"] == 9).await;
    assert!(
        reply["result"].is_null() && reply.get("error").is_none(),
        "{reply}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_edits_ends_with_diagnostics_of_the_last_text() {
    let mut wire = Wire::start();
    wire.initialize().await;
    let text = "{\"Statement\": [{\"Sid\": \"\", \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    wire.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": URI, "languageId": "json", "version": 1, "text": text}}}),
    )
    .await;
    // 400 single-character edits, typed into the Sid, without waiting for anything; every
    // other one leaves the JSON broken (an unterminated string) for a moment.
    let sid = text.find("\"\"").unwrap() + 1;
    let edits = 400;
    for i in 0..edits {
        let col = sid + i / 2;
        let change = if i % 2 == 0 {
            json!({"range": {"start": {"line": 0, "character": col}, "end": {"line": 0, "character": col + 1}}, "text": ""})
        } else {
            json!({"range": {"start": {"line": 0, "character": col}, "end": {"line": 0, "character": col}}, "text": "A\""})
        };
        wire.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": i + 2}, "contentChanges": [change]}}),
        )
        .await;
    }
    let last_version = edits + 1;
    // The final edit fixes the Effect as well.
    let effect = text.find("allow").unwrap() + edits / 2;
    wire.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": URI, "version": last_version + 1}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": effect}, "end": {"line": 0, "character": effect + 1}}, "text": "A"}]}}))
        .await;
    let final_version = last_version + 1;
    let d = wire
        .read_until(|m| publish_for(URI)(m) && m["params"]["version"] == final_version)
        .await;
    let codes: Vec<&str> = d["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"JSON_SYNTAX_ERROR"), "{codes:?}");
    assert!(!codes.contains(&"INVALID_EFFECT"), "{codes:?}");
    // Nothing older is published afterwards.
    wire.send(
        json!({"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": URI}, "position": {"line": 0, "character": 17}}}),
    )
    .await;
    let mut later = Vec::new();
    let hover = wire
        .read_until(|m| {
            if m["method"] == "textDocument/publishDiagnostics" {
                later.push(m["params"]["version"].clone());
            }
            m["id"] == 99
        })
        .await;
    assert!(
        later.iter().all(|v| *v == json!(final_version)),
        "{later:?}"
    );
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Sid"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_10_mb_document_is_answered_not_analysed() {
    let mut wire = Wire::start();
    wire.initialize().await;
    let mut text = String::from("{\"Version\": \"2012-10-17\", \"Statement\": [\n");
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&format!(
            "  {{\"Sid\": \"S{i}\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket-{i}/*\"}},\n"
        ));
        i += 1;
    }
    text.push_str("  {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}\n]}\n");
    let uri = "file:///w/huge.json";
    wire.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": uri, "languageId": "json", "version": 1, "text": text}}}),
    )
    .await;
    let d = wire.read_until(publish_for(uri)).await;
    let diagnostics = d["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["code"], "DOCUMENT_TOO_LARGE");
    // Hover and completion still answer on it.
    wire.send(
        json!({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri}, "position": {"line": 1, "character": 5}}}),
    )
    .await;
    let hover = wire.read_until(|m| m["id"] == 5).await;
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("**Sid**"));
    // An edit near the end is applied to the large text too.
    let lines = text.lines().count() as u64;
    wire.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": lines - 2, "character": 14}, "end": {"line": lines - 2, "character": 18}}, "text": "Allow"}]}}))
        .await;
    let d = wire
        .read_until(|m| publish_for(uri)(m) && m["params"]["version"] == 2)
        .await;
    assert_eq!(d["params"]["diagnostics"][0]["code"], "DOCUMENT_TOO_LARGE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_request_is_cancellable() {
    let mut wire = Wire::start();
    wire.initialize().await;
    // Over the analysis limit, so a hover parses the whole text in a blocking task each time
    // (its tree is not kept): long enough to be cancelled while it runs.
    let mut text = String::from("{\"Version\": \"2012-10-17\", \"Statement\": [\n");
    let mut i = 0;
    while text.len() < 3 << 20 {
        text.push_str(&format!(
            "  {{\"Sid\": \"S{i}\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket-{i}/*\"}},\n"
        ));
        i += 1;
    }
    text.push_str("  {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}\n]}\n");
    let uri = "file:///w/long.json";
    wire.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": uri, "languageId": "json", "version": 1, "text": text}}}),
    )
    .await;
    let hover = json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 5}});
    wire.send(json!({"jsonrpc": "2.0", "id": 11, "method": "textDocument/hover", "params": hover}))
        .await;
    wire.send(json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 11}}))
        .await;
    let reply = wire.read_until(|m| m["id"] == 11).await;
    assert_eq!(reply["error"]["code"], -32800, "{reply}");
    // The server goes on serving: the same request, not cancelled, is answered.
    wire.send(json!({"jsonrpc": "2.0", "id": 12, "method": "textDocument/hover", "params": hover}))
        .await;
    let reply = wire.read_until(|m| m["id"] == 12).await;
    assert!(
        reply["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**Sid**"),
        "{reply}"
    );
}

//! The server analyses each change without building the narrowing fixes and builds the fixes of
//! the findings at a code action's range when asked (`crate::fixes`). Its code actions must be
//! what the core's eager analysis gives (`ide::code_actions` on `analyze`): the same actions,
//! titles, order, kinds, preferred flags and edits, on every rule's examples, at their findings
//! and over the whole text; for a client that resolves edits (codeAction/resolve) the same
//! edits once resolved. Driven through the single-threaded driver the WebAssembly build runs;
//! the native driver runs the same `Server`.

use iamlint_core::{analyze, ide, rules, AnalyzeOptions, LineIndex, PositionEncoding, Span};
use iamlint_lsp::inline::Inline;
use serde_json::{json, Value};

const URI: &str = "file:///w/example.json";

fn start(resolve: bool, policy_type: &str) -> Inline {
    let capabilities = if resolve {
        json!({"textDocument": {"codeAction": {
            "dataSupport": true, "resolveSupport": {"properties": ["edit"]}}}})
    } else {
        json!({})
    };
    let mut s = Inline::new();
    let out = s.handle(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": null, "capabilities": capabilities,
        // Every example is checked, policy-shaped or not.
        "initializationOptions": {"iamlint": {"policyType": policy_type,
            "policyGlobs": [{"glob": "**/*.json", "type": policy_type}]}}}}),
    );
    let provider = &out[0]["result"]["capabilities"]["codeActionProvider"];
    assert_eq!(
        provider
            .get("resolveProvider")
            .cloned()
            .unwrap_or(Value::Null),
        if resolve { json!(true) } else { Value::Null },
        "{provider}"
    );
    s.handle(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    s
}

fn position(index: &LineIndex, text: &str, offset: usize) -> Value {
    let at = index.line_col(text, offset, PositionEncoding::Utf16);
    json!({"line": at.line, "character": at.col})
}

fn range(index: &LineIndex, text: &str, span: Span) -> Value {
    json!({"start": position(index, text, span.start), "end": position(index, text, span.end)})
}

/// What a client sees of an action: title, kind, preferred, the finding's code, and the edits.
fn seen(action: &Value, edit: &Value) -> Value {
    json!({
        "title": action["title"],
        "kind": action["kind"],
        "isPreferred": action.get("isPreferred").cloned().unwrap_or(json!(false)),
        "code": action["diagnostics"][0]["code"],
        "edits": edit["changes"][URI],
    })
}

fn expected(index: &LineIndex, text: &str, action: &ide::CodeAction) -> Value {
    let edits: Vec<Value> = action
        .edits
        .iter()
        .map(|e| json!({"range": range(index, text, e.span), "newText": e.text}))
        .collect();
    json!({
        "title": action.title,
        "kind": action.kind.as_str(),
        "isPreferred": action.is_preferred,
        "code": action.diagnostic_code,
        "edits": edits,
    })
}

/// Compares the server's actions with the eager ones at every finding of `text`; returns how
/// many actions were compared.
fn compare(name: &str, text: &str, policy_type: &str, resolve: bool) -> usize {
    let options = AnalyzeOptions {
        policy_type: iamlint_core::PolicyType::parse(policy_type).expect("a policy type"),
        ..AnalyzeOptions::default()
    };
    let eager = analyze(text, &options);
    let index = LineIndex::new(text);
    let mut s = start(resolve, policy_type);
    s.handle(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": URI, "languageId": "json", "version": 1, "text": text}}}),
    );
    let published = s.idle();
    assert_eq!(
        published[0]["params"]["diagnostics"]
            .as_array()
            .map(Vec::len),
        Some(eager.diagnostics.len()),
        "{name}: {published:?}"
    );
    let mut spans = vec![Span::empty(0), Span::new(0, text.len())];
    // Every finding of a short example; about 16 spread over the long ones (the policy-size
    // rules' examples have hundreds of findings, and each place costs an eager analysis).
    let every = (eager.diagnostics.len() / 16).max(1);
    for d in eager.diagnostics.iter().step_by(every) {
        spans.push(d.span);
        spans.push(Span::empty(d.span.start));
    }
    let mut compared = 0;
    let mut review = 0;
    let mut id = 10;
    for span in spans {
        id += 1;
        let out = s.handle(
            json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/codeAction",
            "params": {"textDocument": {"uri": URI}, "range": range(&index, text, span),
                       "context": {"diagnostics": []}}}),
        );
        let got = out[0]["result"].as_array().cloned().unwrap_or_default();
        let mut seen_actions = Vec::new();
        for action in &got {
            let edit = if resolve {
                assert!(
                    action.get("edit").is_none(),
                    "{name}: an edit before resolve"
                );
                id += 1;
                let r = s.handle(json!({"jsonrpc": "2.0", "id": id,
                    "method": "codeAction/resolve", "params": action}));
                assert_eq!(r[0]["result"]["title"], action["title"], "{name}");
                r[0]["result"]["edit"].clone()
            } else {
                action["edit"].clone()
            };
            seen_actions.push(seen(action, &edit));
        }
        let want: Vec<Value> = ide::code_actions(text, &eager, span)
            .iter()
            .map(|a| expected(&index, text, a))
            .collect();
        assert_eq!(seen_actions, want, "{name}: code actions at {span:?}");
        compared += want.len();
        review += want
            .iter()
            .filter(|a| a["title"].as_str().is_some_and(|t| t.ends_with("(review)")))
            .count();
    }
    if name.starts_with("SERVICE_WILDCARD_IN_ACTION bad") {
        // The narrowing fixes, which the analysis no longer builds, are among them.
        assert!(review > 0, "{name}: no review fix");
    }
    compared
}

#[test]
fn code_actions_equal_the_eager_ones_on_every_rule_example() {
    let mut compared = 0;
    for rule in rules::all() {
        let policy_type = rule.meta.example_type.policy_type().name();
        for (which, text) in [
            ("bad", rule.meta.bad_example),
            ("good", rule.meta.good_example),
        ] {
            let name = format!("{} {which} example", rule.meta.code);
            compared += compare(&name, text, &policy_type, false);
        }
    }
    // The examples offer many fixes: a comparison of nothing would prove nothing.
    assert!(compared > 100, "only {compared} actions compared");
}

#[test]
fn resolved_code_actions_equal_the_eager_ones_on_every_rule_example() {
    let mut compared = 0;
    for rule in rules::all() {
        let policy_type = rule.meta.example_type.policy_type().name();
        let name = format!("{} bad example, resolved", rule.meta.code);
        compared += compare(&name, rule.meta.bad_example, &policy_type, true);
    }
    assert!(compared > 100, "only {compared} actions compared");
}

#[test]
fn a_resolve_after_the_text_changed_gives_the_action_back_without_an_edit() {
    let text =
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}";
    let index = LineIndex::new(text);
    let mut s = start(true, "identity");
    s.handle(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": URI, "languageId": "json", "version": 1, "text": text}}}),
    );
    s.idle();
    let at = text.find("s3:*").unwrap();
    let out = s.handle(
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction",
        "params": {"textDocument": {"uri": URI}, "range": range(&index, text, Span::empty(at)),
                   "context": {"diagnostics": []}}}),
    );
    let narrowing = out[0]["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().ends_with("(review)"))
        .expect("a narrowing fix")
        .clone();
    let fresh = s.handle(
        json!({"jsonrpc": "2.0", "id": 3, "method": "codeAction/resolve",
        "params": narrowing}),
    );
    assert!(
        fresh[0]["result"]["edit"]["changes"][URI].is_array(),
        "{fresh:?}"
    );
    s.handle(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": URI, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": " "}]}}));
    let stale = s.handle(
        json!({"jsonrpc": "2.0", "id": 4, "method": "codeAction/resolve",
        "params": narrowing}),
    );
    assert_eq!(stale[0]["result"]["title"], narrowing["title"]);
    assert!(stale[0]["result"].get("edit").is_none(), "{stale:?}");
}

//! The language server driven in process with real JSON-RPC messages; the core is the real one.

mod common;

use common::*;
use serde_json::{json, Value};

const URI: &str = "file:///w/policy.json";

/// Lowercase Effect (INVALID_EFFECT, safe fix), no Version (MISSING_VERSION, safe fix), and a
/// duplicated Action key (DUPLICATE_ELEMENT, with related information).
const POLICY: &str = "{\n  \"Statement\": [\n    {\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\"}\n  ]\n}\n";

fn pos(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let col: usize = before.rsplit('\n').next().unwrap().encode_utf16().count();
    json!({"line": line, "character": col})
}

fn find_diag<'a>(params: &'a Value, code: &str) -> &'a Value {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {params}"))
}

async fn started() -> Session {
    let (mut s, _) = Session::start();
    s.initialize(json!({}), None).await;
    s
}

#[tokio::test]
async fn initialize_negotiates_utf8_when_offered_else_utf16() {
    let (mut s, _) = Session::start();
    let r = s
        .initialize(
            json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
            None,
        )
        .await;
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(r["capabilities"]["textDocumentSync"]["change"], 2);
    assert_eq!(r["capabilities"]["hoverProvider"], true);
    let kinds = &r["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert!(kinds
        .as_array()
        .unwrap()
        .contains(&json!("source.fixAll.iamlint")));

    let (mut s, _) = Session::start();
    let r = s
        .initialize(json!({"general": {"positionEncodings": ["utf-16"]}}), None)
        .await;
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-16");
}

#[tokio::test]
async fn publishes_findings_with_severity_link_related_info_and_version() {
    let mut s = started().await;
    s.open(URI, POLICY).await;
    let d = s.diagnostics(URI).await;
    assert_eq!(d["version"], 1);
    let effect = find_diag(&d, "INVALID_EFFECT");
    assert_eq!(effect["severity"], 1, "error -> Error");
    assert_eq!(effect["source"], "iamlint");
    let at = POLICY.find("\"allow\"").unwrap();
    assert_eq!(effect["range"]["start"], pos(POLICY, at));
    assert_eq!(effect["range"]["end"], pos(POLICY, at + 7));
    assert!(effect["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/docs/rules.md#invalid_effect"));
    assert_eq!(
        find_diag(&d, "MISSING_VERSION")["severity"],
        2,
        "warning -> Warning"
    );
    let dup = find_diag(&d, "DUPLICATE_ELEMENT");
    let related = dup["relatedInformation"].as_array().expect("related info");
    assert_eq!(related[0]["location"]["uri"], URI);
}

#[tokio::test]
async fn other_json_files_get_nothing() {
    let mut s = started().await;
    let uri = "file:///w/package.json";
    let text = r#"{"name": "x", "version": "1.0.0", "scripts": {"Statement": "no"}}"#;
    s.open(uri, text).await;
    let d = s.diagnostics(uri).await;
    assert_eq!(d["diagnostics"], json!([]));
    let hover = s
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
        )
        .await;
    assert!(hover.is_null());
    let actions = s
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}},
                   "context": {"diagnostics": []}}),
        )
        .await;
    assert!(actions.is_null());
    // Other JSON that editors open, comments included; a `Version` alone makes a policy.
    for (uri, text, expected) in [
        (
            "file:///w/tsconfig.json",
            "{\n  // strict\n  \"compilerOptions\": {\"strict\": true}\n}\n",
            None,
        ),
        (
            "file:///w/.eslintrc.json",
            r#"{"root": true, "rules": {"semi": "error"}}"#,
            None,
        ),
        (
            "file:///w/new-policy.json",
            r#"{"Version": "2012-10-17"}"#,
            Some("MISSING_STATEMENT"),
        ),
    ] {
        s.open(uri, text).await;
        let d = s.diagnostics(uri).await;
        match expected {
            None => assert_eq!(d["diagnostics"], json!([]), "{uri}"),
            Some(code) => assert!(codes(&d).contains(&code.to_string()), "{d}"),
        }
    }
}

#[tokio::test]
async fn incremental_edits_apply_and_stale_versions_are_ignored() {
    let mut s = started().await;
    s.open(URI, POLICY).await;
    s.diagnostics_for_version(URI, 1).await;
    let at = POLICY.find("\"allow\"").unwrap() + 1;
    let range = json!({"start": pos(POLICY, at), "end": pos(POLICY, at + 1)});
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": range, "text": "A"}]}),
    )
    .await;
    let d = s.diagnostics_for_version(URI, 2).await;
    assert!(!codes(&d).contains(&"INVALID_EFFECT".to_string()), "{d}");
    // A late change with an old version is dropped (applying it would break the JSON).
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "text": "]]"}]}),
    )
    .await;
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 1}, "end": {"line": 0, "character": 1}}, "text": "\"Version\": \"2012-10-17\","}]}),
    )
    .await;
    let d = s.diagnostics_for_version(URI, 3).await;
    let c = codes(&d);
    assert!(!c.contains(&"JSON_SYNTAX_ERROR".to_string()), "{c:?}");
    assert!(!c.contains(&"MISSING_VERSION".to_string()), "{c:?}");
    assert!(c.contains(&"DUPLICATE_ELEMENT".to_string()), "{c:?}");
}

#[tokio::test]
async fn hover_uses_utf16_columns_by_default_and_utf8_when_negotiated() {
    let text = "{\"Statement\": [{\"Sid\": \"😀\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    let key = text.find("\"Effect\"").unwrap();
    for (caps, col_of) in [
        (json!({}), text[..key].encode_utf16().count()),
        (json!({"general": {"positionEncodings": ["utf-8"]}}), key),
    ] {
        let (mut s, _) = Session::start();
        s.initialize(caps, None).await;
        s.open(URI, text).await;
        let h = s
            .call(
                "textDocument/hover",
                json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": col_of + 2}}),
            )
            .await;
        assert_eq!(h["contents"]["kind"], "markdown");
        assert!(h["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**Effect**"));
        assert_eq!(h["range"]["start"]["character"], col_of);
        assert_eq!(h["range"]["end"]["character"], col_of + 8);
    }
}

#[tokio::test]
async fn hover_on_an_action_shows_catalog_facts() {
    let mut s = started().await;
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    s.open(URI, text).await;
    let at = text.find("GetObject").unwrap();
    let h = s
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": at}}),
        )
        .await;
    let md = h["contents"]["value"].as_str().expect("action hover");
    assert!(md.contains("Access level"), "{md}");
}

#[tokio::test]
async fn completes_inside_an_unterminated_string() {
    let mut s = started().await;
    let text = "{\n  \"Statement\": [{\"Effect\": \"Al\n  }]\n}";
    s.open(URI, text).await;
    let end = text.find("Al").unwrap() + 2;
    let r = s
        .call(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": pos(text, end)}),
        )
        .await;
    let items = r.as_array().expect("a completion list");
    let allow = items
        .iter()
        .find(|i| i["label"] == "Allow")
        .expect("Allow offered");
    assert_eq!(allow["textEdit"]["newText"], "Allow\"");
    assert_eq!(allow["textEdit"]["range"]["start"], pos(text, end - 2));
    assert_eq!(
        allow["documentation"]["kind"], "markdown",
        "items carry documentation"
    );
    let done = apply_lsp_edits(text, &[allow["textEdit"].clone()]);
    assert!(done.contains("\"Effect\": \"Allow\"\n"), "{done}");
}

#[tokio::test]
async fn code_actions_offer_quick_fixes_and_fix_all() {
    let mut s = started().await;
    s.open(URI, POLICY).await;
    let d = s.diagnostics(URI).await;
    let effect = find_diag(&d, "INVALID_EFFECT").clone();
    let r = s
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": effect["range"],
                   "context": {"diagnostics": [effect]}}),
        )
        .await;
    let actions = r.as_array().unwrap();
    let quick = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["diagnostics"][0]["code"] == "INVALID_EFFECT")
        .expect("a quick-fix for the Effect");
    assert_eq!(quick["isPreferred"], true);
    let edits = quick["edit"]["changes"][URI].as_array().unwrap();
    assert!(apply_lsp_edits(POLICY, edits).contains("\"Effect\": \"Allow\""));

    // Only fix-all when asked for source.fixAll.
    let r = s
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .await;
    let actions = r.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{r}");
    assert_eq!(actions[0]["kind"], "source.fixAll.iamlint");
    let fixed = apply_lsp_edits(
        POLICY,
        actions[0]["edit"]["changes"][URI].as_array().unwrap(),
    );
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    )
    .await;
    let d = s.diagnostics_for_version(URI, 2).await;
    let c = codes(&d);
    assert!(!c.contains(&"INVALID_EFFECT".to_string()), "{c:?}");
    assert!(!c.contains(&"MISSING_VERSION".to_string()), "{c:?}");
    // The duplicate key needs a person (review fix): fix-all leaves it.
    assert!(c.contains(&"DUPLICATE_ELEMENT".to_string()), "{c:?}");
}

#[tokio::test]
async fn pushed_settings_disable_rules_and_change_categories() {
    let mut s = started().await;
    s.open(URI, POLICY).await;
    s.diagnostics(URI).await;
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"iamlint": {
            "disabledRules": ["MISSING_VERSION"],
            "categoryOverrides": {"INVALID_EFFECT": "suggestion"}
        }}}),
    )
    .await;
    let d = s.diagnostics(URI).await;
    assert!(!codes(&d).contains(&"MISSING_VERSION".to_string()));
    assert_eq!(find_diag(&d, "INVALID_EFFECT")["severity"], 3);
}

#[tokio::test]
async fn pulled_settings_apply_policy_type_and_globs() {
    let (mut s, answer) = Session::start();
    *answer.lock().unwrap() = json!({"policyType": "trust"});
    s.initialize(json!({"workspace": {"configuration": true}}), None)
        .await;
    assert_eq!(
        s.server_requests.recv().await.as_deref(),
        Some("workspace/configuration")
    );
    // An identity-style statement checked as a trust policy misses its Principal.
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}"#;
    s.open(URI, text).await;
    let mut found = false;
    for _ in 0..5 {
        let d = s.diagnostics(URI).await;
        if codes(&d).contains(&"MISSING_PRINCIPAL".to_string()) {
            found = true;
            break;
        }
    }
    assert!(found, "the pulled policyType was applied");
}

fn temp_workspace(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("iamlint-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("trust")).unwrap();
    dir
}

/// A started session whose workspace folder holds `toml` as its iamlint.toml and `POLICY` open
/// as policy.json: the session, the folder and its root URI.
async fn session_with_toml(name: &str, toml: &str) -> (Session, std::path::PathBuf, String) {
    let dir = temp_workspace(name);
    std::fs::write(dir.join("iamlint.toml"), toml).unwrap();
    let root = format!("file://{}", dir.display());
    let (mut s, _) = Session::start();
    s.initialize(json!({}), Some(&root)).await;
    s.open(&format!("{root}/policy.json"), POLICY).await;
    (s, dir, root)
}

#[tokio::test]
async fn iamlint_toml_rules_and_globs_apply_to_workspace_files() {
    let (mut s, dir, root) = session_with_toml(
        "toml",
        "[rules]\ndisable = [\"MISSING_VERSION\"]\n\n[[policy-types]]\nglob = \"trust/*.json\"\ntype = \"trust\"\n",
    )
    .await;
    let policy_uri = format!("{root}/policy.json");
    let d = s.diagnostics(&policy_uri).await;
    assert!(!codes(&d).contains(&"MISSING_VERSION".to_string()), "{d}");
    assert!(codes(&d).contains(&"INVALID_EFFECT".to_string()));

    // A file the glob names is a policy even with neither Statement nor Version yet (the user's
    // word overrides what the content says).
    let trust_uri = format!("{root}/trust/role.json");
    s.open(&trust_uri, r#"{"Id": "ec2-role"}"#).await;
    let d = s.diagnostics(&trust_uri).await;
    assert!(codes(&d).contains(&"MISSING_STATEMENT".to_string()), "{d}");
    // The same text elsewhere is not a policy.
    let other_uri = format!("{root}/role.json");
    s.open(&other_uri, r#"{"Id": "ec2-role"}"#).await;
    assert_eq!(s.diagnostics(&other_uri).await["diagnostics"], json!([]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_broken_iamlint_toml_is_shown_on_the_file_and_the_defaults_apply() {
    let (mut s, dir, root) =
        session_with_toml("broken-toml", "[rules]\ndisable = [\"MISSING_VERSON\"]\n").await;
    let policy_uri = format!("{root}/policy.json");
    // The problem, where it is in the file (line 2, column 12 as the CLI prints it).
    let config = s.diagnostics(&format!("{root}/iamlint.toml")).await;
    let problem = &config["diagnostics"][0];
    assert_eq!(
        problem["range"]["start"],
        json!({"line": 1, "character": 11}),
        "{config}"
    );
    assert_eq!(problem["severity"], 1);
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("MISSING_VERSON")),
        "{config}"
    );
    // The policy is still checked, with the defaults.
    let d = s.diagnostics(&policy_uri).await;
    assert!(codes(&d).contains(&"MISSING_VERSION".to_string()), "{d}");
    assert!(codes(&d).contains(&"INVALID_EFFECT".to_string()), "{d}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn closing_a_document_clears_its_diagnostics() {
    let mut s = started().await;
    s.open(URI, POLICY).await;
    s.diagnostics(URI).await;
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    )
    .await;
    let d = s.diagnostics(URI).await;
    assert_eq!(d["diagnostics"], json!([]));
}

#[tokio::test]
async fn initialization_options_apply_and_survive_a_null_configuration() {
    let (mut s, answer) = Session::start();
    *answer.lock().unwrap() = Value::Null;
    s.call(
        "initialize",
        json!({"processId": null, "rootUri": null,
               "capabilities": {"workspace": {"configuration": true}},
               "initializationOptions": {"iamlint": {"disabledRules": ["MISSING_VERSION"]}}}),
    )
    .await;
    s.notify("initialized", json!({})).await;
    s.open(URI, POLICY).await;
    // Every publication (after the open, and after the configuration pull) keeps the setting.
    let mut publications = vec![s.diagnostics(URI).await];
    while let Ok(Some(note)) = tokio::time::timeout(
        std::time::Duration::from_millis(500),
        s.notifications.recv(),
    )
    .await
    {
        if note["method"] == "textDocument/publishDiagnostics" {
            publications.push(note["params"].clone());
        }
    }
    for d in &publications {
        assert!(!codes(d).contains(&"MISSING_VERSION".to_string()), "{d}");
        assert!(codes(d).contains(&"INVALID_EFFECT".to_string()));
    }
}

#[tokio::test]
async fn completion_documentation_resolves_lazily_when_the_client_can() {
    let (mut s, _) = Session::start();
    let r = s
        .initialize(
            json!({"textDocument": {"completion": {"completionItem": {
                "resolveSupport": {"properties": ["documentation"]}}}}}),
            None,
        )
        .await;
    assert_eq!(
        r["capabilities"]["completionProvider"]["resolveProvider"],
        true
    );
    let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:Get", "Resource": "*"}]}"#;
    s.open(URI, text).await;
    let at = text.find("s3:Get").unwrap() + 6;
    let list = s
        .call(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": at}}),
        )
        .await;
    let item = completion_items(&list)
        .iter()
        .find(|i| i["label"] == "s3:GetObject")
        .expect("s3:GetObject offered")
        .clone();
    assert!(item.get("documentation").is_none(), "{item}");
    let resolved = s.call("completionItem/resolve", item).await;
    assert!(resolved["documentation"]["value"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
}

#[tokio::test]
async fn long_completion_lists_are_cut_to_what_is_typed_and_marked_incomplete() {
    let mut s = started().await;
    let text = r#"{"Statement": [{"Effect": "Allow", "Action": "ec2:", "Resource": "*"}]}"#;
    s.open(URI, text).await;
    let at = text.find("ec2:").unwrap() + 4;
    let r = s
        .call(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": at}}),
        )
        .await;
    assert_eq!(r["isIncomplete"], true, "{r}");
    let items = completion_items(&r);
    assert_eq!(items.len(), iamlint_lsp::COMPLETION_LIMIT);
    assert!(items
        .iter()
        .all(|i| i["label"].as_str().unwrap().starts_with("ec2:")));
    // Typed on: the editor asks again and gets the matches of what is typed.
    let text =
        r#"{"Statement": [{"Effect": "Allow", "Action": "ec2:DescribeInst", "Resource": "*"}]}"#;
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": text}]}),
    )
    .await;
    let at = text.find("ec2:").unwrap() + "ec2:DescribeInst".len();
    let r = s
        .call(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": at}}),
        )
        .await;
    let labels: Vec<&str> = completion_items(&r)
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"ec2:DescribeInstances"), "{labels:?}");
    assert!(labels[0].starts_with("ec2:DescribeInst"), "{labels:?}");
}

//! Unused grants in the WebAssembly server's driver (the VS Code extension's default server,
//! desktop and browser), tested natively: it has no disk, so it asks the client for an
//! `[[activity]]` entry's files with `iamlint/readActivityFiles`. The client is simulated here
//! the way the extension answers: folders expanded (`.json`, `.json.gz`, in name order), the real
//! fixture log bytes of tests/activity in base64, and no bytes for files the server already
//! holds unchanged. The hints and their spans are those the native server gives (lsp/tests/unused.rs).

use std::cell::Cell;
use std::path::{Path, PathBuf};

mod common;

use common::{assert_deploy_hints, covered, hints as unused_hints, late_delete_table, names};
use iamlint_core::encoding::base64url_encode;
use iamlint_lsp::inline::Inline;
use serde_json::{json, Value};

const ROOT: &str = "vscode-remote://localhost:8080/work/ws";
const WS: &str = "/work/ws";
const ROLE: &str = "arn:aws:iam::111122223333:role/service/deploy";

thread_local! {
    /// The server's clock in these tests (milliseconds), moved by hand; each test has its own
    /// thread, and the driver runs on it.
    static NOW: Cell<u64> = const { Cell::new(1_000) };
}

fn now() -> u64 {
    NOW.get()
}

fn wait(ms: u64) {
    NOW.set(NOW.get() + ms);
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/activity")
}

fn policy() -> String {
    std::fs::read_to_string(fixtures().join("deploy-policy.json")).unwrap()
}

fn toml(logs: &str) -> String {
    format!("[[activity]]\nglob = \"*.json\"\nprincipal = \"{ROLE}\"\ncloudtrail = [{logs}]\n")
}

/// The client's file system: the workspace /work/ws is the fixture folder, plus extra files.
struct Client {
    extra: Vec<(String, Vec<u8>, u64)>,
    /// How many files the last answer carried bytes for.
    sent_bytes: usize,
}

fn standard_base64(bytes: &[u8]) -> String {
    let mut s: String = base64url_encode(bytes)
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !s.len().is_multiple_of(4) {
        s.push('=');
    }
    s
}

impl Client {
    fn new() -> Client {
        Client {
            extra: Vec::new(),
            sent_bytes: 0,
        }
    }

    fn list(&self, path: &str, chosen: bool, out: &mut Vec<(String, Vec<u8>, u64)>) -> bool {
        if let Some(f) = self.extra.iter().find(|(p, _, _)| p == path) {
            out.push(f.clone());
            return true;
        }
        let Some(rel) = path.strip_prefix(WS) else {
            return false;
        };
        let disk = fixtures().join(rel.trim_start_matches('/'));
        let prefix = format!("{}/", path.trim_end_matches('/'));
        // Extra files (one level deep) make their folder exist.
        let extra: Vec<String> = self
            .extra
            .iter()
            .filter_map(|(p, _, _)| p.strip_prefix(&prefix).map(str::to_string))
            .collect();
        if disk.is_dir() || !extra.is_empty() {
            let mut names: Vec<String> = std::fs::read_dir(&disk)
                .map(|d| {
                    d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            names.extend(extra);
            names.sort();
            for name in names {
                let child = format!("{}/{name}", path.trim_end_matches('/'));
                self.list(&child, false, out);
            }
            true
        } else if disk.is_file() {
            if chosen || path.ends_with(".json") || path.ends_with(".json.gz") {
                let bytes = std::fs::read(&disk).unwrap();
                out.push((path.to_string(), bytes, 1_767_000_000_000));
            }
            true
        } else {
            false
        }
    }

    /// The answer to an `iamlint/readActivityFiles` request.
    fn answer(&mut self, request: &Value) -> Value {
        let known = request["params"]["known"].as_array().unwrap();
        let mut files = Vec::new();
        let mut errors = Vec::new();
        self.sent_bytes = 0;
        for path in request["params"]["paths"].as_array().unwrap() {
            let path = path.as_str().unwrap();
            let mut found = Vec::new();
            if !self.list(path, true, &mut found) {
                errors.push(json!({"path": path, "message": "file not found"}));
            }
            for (p, bytes, mtime) in found {
                let mut file = json!({"path": p, "size": bytes.len(), "mtime": mtime});
                let same = known.iter().any(|k| {
                    k["path"] == p.as_str() && k["size"] == bytes.len() && k["mtime"] == mtime
                });
                if !same {
                    file["base64"] = json!(standard_base64(&bytes));
                    self.sent_bytes += 1;
                }
                files.push(file);
            }
        }
        json!({"jsonrpc": "2.0", "id": request["id"], "result": {"files": files, "errors": errors}})
    }
}

fn start() -> Inline {
    let mut s = Inline::new();
    s.set_clock(now);
    s.handle(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": null,
        "workspaceFolders": [{"uri": ROOT, "name": "ws"}],
        "capabilities": {"experimental": {"iamlintReadFile": true}}}}),
    );
    s.handle(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    s
}

fn requests<'a>(out: &'a [Value], method: &str) -> Vec<&'a Value> {
    out.iter()
        .filter(|m| m["method"] == method && m.get("id").is_some())
        .collect()
}

/// The text each UNUSED_GRANT finding of a publishDiagnostics message covers.
fn hints(message: &Value, text: &str) -> Vec<String> {
    names(&unused_hints(&message["params"], text))
}

fn published<'a>(out: &'a [Value], uri: &str) -> Option<&'a Value> {
    out.iter()
        .rev()
        .find(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
}

/// Open `uri` with the policy under an iamlint.toml `toml` read through the client; returns
/// what the server sent up to its first analysis (the activity request among them).
fn open_policy(s: &mut Inline, uri: &str, toml: &str) -> Vec<Value> {
    let mut out = s.handle(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": policy()}}}));
    let read = requests(&out, "iamlint/readFile")[0].clone();
    assert_eq!(read["params"]["path"], format!("{WS}/iamlint.toml"));
    out.extend(s.handle(json!({"jsonrpc": "2.0", "id": read["id"], "result": toml})));
    out.extend(s.idle());
    out
}

fn edit(s: &mut Inline, uri: &str, version: u64) -> Vec<Value> {
    let mut out = s.handle(json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": policy()}]}}));
    out.extend(s.idle());
    out
}

#[test]
fn unused_grants_come_from_the_logs_the_client_reads() {
    let mut s = start();
    let mut client = Client::new();
    let uri = format!("{ROOT}/deploy.json");
    let text = policy();
    let out = open_policy(&mut s, &uri, &toml("\"logs/\""));
    // The first analysis does not wait for the logs: the policy's other findings are out.
    let first = published(&out, &uri).expect("diagnostics before the logs came");
    assert!(hints(first, &text).is_empty());
    assert!(
        !first["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{first}"
    );
    let asked = requests(&out, "iamlint/readActivityFiles");
    assert_eq!(asked.len(), 1, "{out:?}");
    assert_eq!(asked[0]["params"]["base"], uri.as_str());
    assert_eq!(asked[0]["params"]["paths"], json!([format!("{WS}/logs/")]));

    // The logs come: the document is analysed again, with the native server's hints.
    let mut out = s.handle(client.answer(asked[0]));
    assert_eq!(client.sent_bytes, 2, "the .json and the .json.gz fixture");
    out.extend(s.idle());
    let second = published(&out, &uri).expect("analysed again");
    let found = hints(second, &text);
    assert_deploy_hints(&found);
    let delete = second["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d["code"] == "UNUSED_GRANT" && covered(&text, &d["range"]) == "\"dynamodb:DeleteTable\""
        })
        .unwrap();
    assert_eq!(
        delete["range"]["start"],
        json!({"line": 12, "character": 78})
    );
    assert_eq!(delete["severity"], 4);
    // Nothing to say on iamlint.toml.
    assert!(
        published(&out, &format!("{ROOT}/iamlint.toml")).is_none(),
        "{out:?}"
    );

    // Keystrokes within the recheck interval do not ask the client.
    wait(100);
    let out = edit(&mut s, &uri, 2);
    assert!(
        requests(&out, "iamlint/readActivityFiles").is_empty(),
        "{out:?}"
    );
    assert_eq!(hints(published(&out, &uri).unwrap(), &text), found);

    // Later, an edit asks again with what the server holds; unchanged files come without bytes,
    // and nothing unchanged analyses the document again.
    wait(600);
    let out = edit(&mut s, &uri, 3);
    let asked = requests(&out, "iamlint/readActivityFiles");
    assert_eq!(asked.len(), 1, "{out:?}");
    assert_eq!(asked[0]["params"]["known"].as_array().unwrap().len(), 2);
    let again = s.handle(client.answer(asked[0]));
    assert_eq!(client.sent_bytes, 0);
    assert!(again.is_empty() && !s.has_pending(), "{again:?}");

    // A new log file: the role deleted a table. Only it is sent; DeleteTable is used now.
    let record = late_delete_table();
    client.extra.push((
        format!("{WS}/logs/late.json"),
        record.to_string().into_bytes(),
        5,
    ));
    wait(600);
    let out = edit(&mut s, &uri, 4);
    let asked = requests(&out, "iamlint/readActivityFiles");
    let mut out = s.handle(client.answer(asked[0]));
    assert_eq!(client.sent_bytes, 1);
    out.extend(s.idle());
    let after = hints(published(&out, &uri).expect("analysed again"), &text);
    let has = |item: &str| after.iter().any(|a| a == item);
    // Used now; the rest as before.
    assert_eq!(
        (
            has("\"dynamodb:DeleteTable\""),
            has("\"s3:GetBucketPolicy\"")
        ),
        (false, true),
        "{after:?}"
    );
}

#[test]
fn what_the_client_cannot_read_is_shown_on_iamlint_toml() {
    let mut s = start();
    let mut client = Client::new();
    client.extra.push((
        format!("{WS}/cut/cut.json"),
        b"{\"Records\": [{\"eventName\": ".to_vec(),
        7,
    ));
    let value = "\"logs\", \"missing/\", \"cut/cut.json\"";
    let toml = toml(value);
    let uri = format!("{ROOT}/deploy.json");
    let text = policy();
    let out = open_policy(&mut s, &uri, &toml);
    let asked = requests(&out, "iamlint/readActivityFiles")[0].clone();
    let mut out = s.handle(client.answer(&asked));
    out.extend(s.idle());
    // What could be read is used.
    let found = hints(published(&out, &uri).unwrap(), &text);
    assert!(
        found.contains(&"\"dynamodb:DeleteTable\"".to_string()),
        "{found:?}"
    );
    let config =
        published(&out, &format!("{ROOT}/iamlint.toml")).expect("problems on iamlint.toml");
    let problems = config["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{config}");
    for p in problems {
        assert_eq!(covered(&toml, &p["range"]), format!("[{value}]"));
        assert_eq!(p["severity"], 2);
        assert_eq!(p["code"], "ACTIVITY_UNREADABLE");
    }
    let messages: Vec<&str> = problems
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("missing/: file not found")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("cut/cut.json:1:")),
        "{messages:?}"
    );

    // The folder appears: the problem goes on the next read.
    client.extra.push((
        format!("{WS}/missing/a.json"),
        b"{\"Records\": []}".to_vec(),
        9,
    ));
    wait(600);
    let out = edit(&mut s, &uri, 2);
    let asked = requests(&out, "iamlint/readActivityFiles")[0].clone();
    let mut out = s.handle(client.answer(&asked));
    out.extend(s.idle());
    let config = published(&out, &format!("{ROOT}/iamlint.toml")).expect("problems again");
    let problems = config["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{config}");
}

#[test]
fn a_first_reading_of_logs_does_not_hold_back_other_documents() {
    let mut s = start();
    let mut client = Client::new();
    // The entry is for deploy.json alone: other.json has no activity to read.
    let toml = format!(
        "[[activity]]\nglob = \"deploy.json\"\nprincipal = \"{ROLE}\"\ncloudtrail = [\"logs/\"]\n"
    );
    let uri = format!("{ROOT}/deploy.json");
    let other = format!("{ROOT}/other.json");
    let out = open_policy(&mut s, &uri, &toml);
    let asked = requests(&out, "iamlint/readActivityFiles")[0].clone();
    // The logs come (deploy.json's analysis now reads them), then another document is opened.
    let mut out = s.handle(client.answer(&asked));
    out.extend(
        s.handle(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": other, "languageId": "json", "version": 1,
                   "text": "{\"Statement\": [{\"Effect\": \"allow\"}]}"}}})),
    );
    for read in requests(&out, "iamlint/readFile") {
        s.handle(json!({"jsonrpc": "2.0", "id": read["id"], "result": toml}));
    }
    assert!(s.has_pending());
    let out = s.idle();
    // The document that reads nothing is published first, then the one whose logs were read.
    let order: Vec<&str> = out
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| m["params"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(order, [other.as_str(), uri.as_str()], "{out:?}");
    assert_deploy_hints(&hints(published(&out, &uri).unwrap(), &policy()));
    assert!(!s.has_pending());
}

#[test]
fn idle_returns_after_each_reading_of_logs() {
    let mut s = start();
    let mut client = Client::new();
    // Two entries, each with its own file: each reads the logs once.
    let entry = |glob: &str| {
        format!(
            "[[activity]]\nglob = \"{glob}\"\nprincipal = \"{ROLE}\"\ncloudtrail = [\"logs/\"]\n"
        )
    };
    let toml = format!("{}{}", entry("a.json"), entry("b.json"));
    let a = format!("{ROOT}/a.json");
    let b = format!("{ROOT}/b.json");
    let out = open_policy(&mut s, &a, &toml);
    let mut asked: Vec<Value> = requests(&out, "iamlint/readActivityFiles")
        .into_iter()
        .cloned()
        .collect();
    let mut out = s.handle(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": b, "languageId": "json", "version": 1, "text": policy()}}}));
    out.extend(s.idle());
    asked.extend(
        requests(&out, "iamlint/readActivityFiles")
            .into_iter()
            .cloned(),
    );
    assert_eq!(asked.len(), 2, "{asked:?}");
    for request in &asked {
        s.handle(client.answer(request));
    }
    // One reading per call: the host gets its turn between the two.
    let first = s.idle();
    assert!(s.has_pending(), "{first:?}");
    let second = s.idle();
    assert!(!s.has_pending());
    let text = policy();
    for (out, uri) in [(&first, &a), (&second, &b)] {
        assert_deploy_hints(&hints(published(out, uri).expect("analysed"), &text));
    }
}

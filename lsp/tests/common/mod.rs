//! Test harnesses: `Session` drives the server in process (its native driver, threads and
//! all) with JSON-RPC messages; `Wire` runs it over a socket pair and speaks raw LSP bytes.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::mpsc;

use iamlint_lsp::native::Connection;

pub const WAIT: Duration = Duration::from_secs(20);

/// A client driving the server in process.
pub struct Session {
    connection: Connection,
    responses: mpsc::UnboundedReceiver<Value>,
    /// Responses that arrived while waiting for another one.
    early: HashMap<i64, Value>,
    /// Notifications the server sent (publishDiagnostics, logMessage, ...).
    pub notifications: mpsc::UnboundedReceiver<Value>,
    /// Server-to-client requests seen (method names), answered by the harness.
    pub server_requests: mpsc::UnboundedReceiver<String>,
    next_id: i64,
}

/// How the harness answers `workspace/configuration`.
pub type SettingsAnswer = std::sync::Arc<std::sync::Mutex<Value>>;

impl Session {
    pub fn start() -> (Session, SettingsAnswer) {
        let (note_tx, notifications) = mpsc::unbounded_channel();
        let (req_tx, server_requests) = mpsc::unbounded_channel();
        let (resp_tx, responses) = mpsc::unbounded_channel();
        let settings: SettingsAnswer = std::sync::Arc::new(std::sync::Mutex::new(json!({})));
        let answer = settings.clone();
        let (connection, _) =
            iamlint_lsp::native::start(move |m: Value, conn: &Connection| {
                match (m.get("method").and_then(Value::as_str), m.get("id")) {
                    (Some(method), Some(id)) => {
                        let _ = req_tx.send(method.to_string());
                        let result = if method == "workspace/configuration" {
                            let n = m["params"]["items"].as_array().map(Vec::len).unwrap_or(1);
                            let value = answer.lock().unwrap().clone();
                            Value::Array(vec![value; n])
                        } else {
                            Value::Null
                        };
                        conn.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
                    }
                    (Some(_), None) => {
                        let _ = note_tx.send(json!({"method": m["method"], "params": m["params"]}));
                    }
                    _ => {
                        let _ = resp_tx.send(m);
                    }
                }
            });
        (
            Session {
                connection,
                responses,
                early: HashMap::new(),
                notifications,
                server_requests,
                next_id: 1,
            },
            settings,
        )
    }

    /// Send a request and wait for its response (`{result}` or `{error}`).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.connection
            .send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(r) = self.early.remove(&id) {
                return r;
            }
            let r = tokio::time::timeout_at(deadline, self.responses.recv())
                .await
                .expect("response in time")
                .expect("server alive");
            match r["id"].as_i64() {
                Some(n) if n == id => return r,
                Some(n) => {
                    self.early.insert(n, r);
                }
                None => {}
            }
        }
    }

    /// The result of a request, panicking on an error response.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params).await;
        if let Some(e) = response.get("error") {
            panic!("{method} failed: {e}");
        }
        response["result"].clone()
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        assert!(
            self.connection
                .send(json!({"jsonrpc": "2.0", "method": method, "params": params})),
            "server alive"
        );
    }

    pub async fn initialize(&mut self, capabilities: Value, root: Option<&str>) -> Value {
        let result = self
            .call(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": root,
                    "capabilities": capabilities,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
        )
        .await;
    }

    /// The next publishDiagnostics for `uri` (other notifications are skipped).
    pub async fn diagnostics(&mut self, uri: &str) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let note = tokio::time::timeout_at(deadline, self.notifications.recv())
                .await
                .expect("diagnostics in time")
                .expect("channel open");
            if note["method"] == "textDocument/publishDiagnostics" && note["params"]["uri"] == uri {
                return note["params"].clone();
            }
        }
    }

    /// Diagnostics for `uri` until one carries `version`.
    pub async fn diagnostics_for_version(&mut self, uri: &str, version: i64) -> Value {
        loop {
            let d = self.diagnostics(uri).await;
            if d["version"] == version {
                return d;
            }
        }
    }

    /// True if no publishDiagnostics for `uri` arrives within `ms`.
    pub async fn quiet_for(&mut self, uri: &str, ms: u64) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_millis(ms);
        loop {
            match tokio::time::timeout_at(deadline, self.notifications.recv()).await {
                Err(_) => return true,
                Ok(None) => return true,
                Ok(Some(note)) => {
                    if note["method"] == "textDocument/publishDiagnostics"
                        && note["params"]["uri"] == uri
                    {
                        return false;
                    }
                }
            }
        }
    }
}

/// Codes of a publishDiagnostics params object.
pub fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// The items of a completion answer: an array, or a list `{isIncomplete, items}`.
pub fn completion_items(answer: &Value) -> &Vec<Value> {
    answer
        .as_array()
        .or_else(|| answer["items"].as_array())
        .unwrap_or_else(|| panic!("a completion answer: {answer}"))
}

/// Apply LSP TextEdits (UTF-16 positions, ASCII test texts) to `text`.
pub fn apply_lsp_edits(text: &str, edits: &[Value]) -> String {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let ch = p["character"].as_u64().unwrap() as usize;
        line_starts.get(line).copied().unwrap_or(text.len()) + ch
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

/// The real server over a socket pair, for raw-protocol tests.
pub struct Wire {
    writer: UnixStream,
    reader: mpsc::UnboundedReceiver<Value>,
}

impl Wire {
    pub fn start() -> Wire {
        let (client, server) = UnixStream::pair().unwrap();
        let server_read = server.try_clone().unwrap();
        std::thread::spawn(move || iamlint_lsp::native::serve(server_read, server));
        let (tx, reader) = mpsc::unbounded_channel();
        let client_read = client.try_clone().unwrap();
        std::thread::spawn(move || {
            iamlint_lsp::transport::read_messages(client_read, |m| tx.send(m).is_ok())
        });
        Wire {
            writer: client,
            reader,
        }
    }

    pub async fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.writer.write_all(header.as_bytes()).unwrap();
        self.writer.write_all(body).unwrap();
        self.writer.flush().unwrap();
    }

    pub async fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes()).await;
    }

    pub async fn read(&mut self) -> Value {
        tokio::time::timeout(WAIT, self.reader.recv())
            .await
            .expect("server writes in time")
            .expect("server closed the stream")
    }

    /// Read messages until one matches.
    pub async fn read_until(&mut self, mut pred: impl FnMut(&Value) -> bool) -> Value {
        loop {
            let m = self.read().await;
            if pred(&m) {
                return m;
            }
        }
    }

    pub async fn initialize(&mut self) {
        self.send(json!({"jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"processId": null, "rootUri": null, "capabilities": {}}}))
            .await;
        self.read_until(|m| m["id"] == 0).await;
        self.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
            .await;
    }
}

/// The UNUSED_GRANT findings of a publishDiagnostics, with the text each covers.
pub fn hints<'a>(published: &'a Value, text: &str) -> Vec<(String, &'a Value)> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "UNUSED_GRANT")
        .map(|d| (covered(text, &d["range"]), d))
        .collect()
}

/// The text a range covers (the test texts are ASCII: UTF-16 columns are byte columns).
pub fn covered(text: &str, range: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let col = p["character"].as_u64().unwrap() as usize;
        text.split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + col
    };
    text[offset(&range["start"])..offset(&range["end"])].to_string()
}

pub fn names(found: &[(String, &Value)]) -> Vec<String> {
    found.iter().map(|(t, _)| t.clone()).collect()
}

/// The hints the deploy role's fixture logs give on tests/activity/deploy-policy.json (by the
/// native server and the WebAssembly driver alike).
pub fn assert_deploy_hints(items: &[String]) {
    // Never used: the refused DeleteTable, the bucket policy read, most of lambda:*.
    for item in [
        "\"dynamodb:DeleteTable\"",
        "\"s3:GetBucketPolicy\"",
        "\"lambda:*\"",
    ] {
        assert!(items.contains(&item.to_string()), "{item}: {items:?}");
    }
    // Used (GetObject, UpdateFunctionCode's neighbours) and untracked (iam:PassRole, never
    // logged) actions get no hint.
    for item in ["\"s3:GetObject\"", "\"s3:PutObject\"", "\"iam:PassRole\""] {
        assert!(!items.contains(&item.to_string()), "{item}: {items:?}");
    }
}

/// A log file in which the deploy role deleted a table, successfully (after the fixture logs,
/// where it was refused).
pub fn late_delete_table() -> Value {
    json!({"Records": [{
        "eventVersion": "1.09", "eventTime": "2026-01-20T10:00:00Z",
        "eventSource": "dynamodb.amazonaws.com", "eventName": "DeleteTable",
        "awsRegion": "eu-west-1", "eventCategory": "Management", "managementEvent": true,
        "requestParameters": {"tableName": "old"},
        "userIdentity": {"type": "AssumedRole",
            "arn": "arn:aws:sts::111122223333:assumed-role/deploy/ci",
            "accountId": "111122223333",
            "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111122223333:role/service/deploy"}}}
    }]})
}

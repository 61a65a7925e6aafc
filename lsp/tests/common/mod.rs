//! Test harnesses: `Session` drives the LspService with JSON-RPC requests in process; `Wire`
//! runs the real `Server` over an in-memory pipe and speaks raw LSP bytes.
#![allow(dead_code)]

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::LspService;

use iamlint_lsp::Backend;

pub const WAIT: Duration = Duration::from_secs(20);

/// A client driving the service in process.
pub struct Session {
    service: LspService<Backend>,
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
        let (service, socket) = iamlint_lsp::service();
        let (note_tx, notifications) = mpsc::unbounded_channel();
        let (req_tx, server_requests) = mpsc::unbounded_channel();
        let settings: SettingsAnswer = std::sync::Arc::new(std::sync::Mutex::new(json!({})));
        let answer = settings.clone();
        let (mut requests, mut responses) = socket.split();
        tokio::spawn(async move {
            while let Some(req) = requests.next().await {
                let (method, id, params) = req.into_parts();
                match id {
                    None => {
                        let _ = note_tx.send(json!({"method": method, "params": params}));
                    }
                    Some(id) => {
                        let _ = req_tx.send(method.to_string());
                        let result = if method == "workspace/configuration" {
                            let n = params
                                .as_ref()
                                .and_then(|p| p["items"].as_array().map(Vec::len))
                                .unwrap_or(1);
                            let value = answer.lock().unwrap().clone();
                            Value::Array(vec![value; n])
                        } else {
                            Value::Null
                        };
                        let _ = responses.send(Response::from_ok(id, result)).await;
                    }
                }
            }
        });
        (
            Session {
                service,
                notifications,
                server_requests,
                next_id: 1,
            },
            settings,
        )
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.next_id;
        self.next_id += 1;
        let req = Request::build(method.to_string())
            .id(id)
            .params(params)
            .finish();
        let service = self.service.ready().await.expect("service ready");
        let response = tokio::time::timeout(WAIT, service.call(req))
            .await
            .expect("response in time")
            .expect("service alive");
        response.expect("a request gets a response")
    }

    /// The result of a request, panicking on an error response.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params).await;
        let (_, body) = response.into_parts();
        body.unwrap_or_else(|e| panic!("{method} failed: {e:?}"))
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let req = Request::build(method.to_string()).params(params).finish();
        let service = self.service.ready().await.expect("service ready");
        let out = service.call(req).await.expect("service alive");
        assert!(out.is_none(), "notifications get no response");
    }

    /// The future of a notification, not yet polled (to send many without waiting).
    pub fn notify_later(
        &mut self,
        method: &str,
        params: Value,
    ) -> impl std::future::Future<Output = ()> + use<> {
        let req = Request::build(method.to_string()).params(params).finish();
        let fut = self.service.call(req);
        async move {
            let _ = fut.await;
        }
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

/// The real server over an in-memory pipe, for raw-protocol tests.
pub struct Wire {
    writer: tokio::io::WriteHalf<tokio::io::DuplexStream>,
    reader: BufReader<tokio::io::ReadHalf<tokio::io::DuplexStream>>,
}

impl Wire {
    pub fn start() -> Wire {
        let (client, server) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server);
        tokio::spawn(iamlint_lsp::serve(server_read, server_write));
        let (client_read, client_write) = tokio::io::split(client);
        Wire {
            writer: client_write,
            reader: BufReader::new(client_read),
        }
    }

    pub async fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.writer.write_all(header.as_bytes()).await.unwrap();
        self.writer.write_all(body).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    pub async fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes()).await;
    }

    pub async fn read(&mut self) -> Value {
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(WAIT, self.reader.read_line(&mut line))
                .await
                .expect("server writes in time")
                .unwrap();
            assert!(n > 0, "server closed the stream");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse().unwrap();
            }
        }
        let mut body = vec![0u8; length];
        self.reader.read_exact(&mut body).await.unwrap();
        serde_json::from_slice(&body).unwrap()
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

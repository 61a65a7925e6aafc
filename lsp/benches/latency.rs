//! Language-server latency benchmark: starts the real `iamlint lsp` binary, opens a large policy
//! (by default the largest AWS managed policy of the corpus that scripts/fetch-corpus.sh
//! fetches), replays typing into it and measures didChange -> publishDiagnostics, the code action
//! request an editor sends right after (at the cursor: the first of each version), hover,
//! completion and code action latencies (p50/p95), and the server's resident memory after
//! opening the policy.
//!
//! cargo build --release -p iamlint
//! cargo bench -p iamlint-lsp --bench latency -- [--bin PATH] [--policy FILE] [--keystrokes N]
//!     [--terraform POLICIES]
//!
//! `--terraform 60` opens a generated Terraform file instead: that many `aws_iam_policy`
//! resources with `jsonencode(...)` policies (50 lines each, so 3,000 lines for 60), and types
//! into the first policy's Action list.
//!
//! The binary defaults to $CARGO_TARGET_DIR/release/iamlint (else target/release/iamlint).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start(bin: &Path) -> Server {
        let mut child = Command::new(bin)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0u8; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(v) = serde_json::from_slice(&body) {
                    if tx.send(v).is_err() {
                        return;
                    }
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == id)
    }

    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self
                .messages
                .recv_timeout(Duration::from_secs(300))
                .expect("server answers");
            if pred(&m) {
                return m;
            }
        }
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i.min(samples.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Line and UTF-16 column of a byte offset (the benchmark texts are ASCII).
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": col})
}

fn largest_policy(root: &Path) -> Option<PathBuf> {
    let dir = root.join(".cache/managed-policies/latest");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .max_by_key(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .map(|e| e.path())
}

/// A Terraform file of `n` IAM policies written with `jsonencode`, 50 lines each: two statements
/// with actions, literal and computed resources and a condition.
fn terraform_file(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&format!(
            r#"resource "aws_iam_policy" "p{i}" {{
  name        = "policy-{i}"
  description = "Generated for the latency benchmark"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid    = "Read{i}"
        Effect = "Allow"
        Action = [
          "s3:GetObject",
          "s3:GetObjectVersion",
          "s3:ListBucket",
          "s3:GetBucketLocation",
        ]
        Resource = [
          "arn:aws:s3:::bucket-{i}",
          "arn:aws:s3:::bucket-{i}/*",
          "${{aws_s3_bucket.b{i}.arn}}/reports/*",
        ]
        Condition = {{
          StringEquals = {{
            "aws:PrincipalTag/team" = "team-{i}"
          }}
        }}
      }},
      {{
        Sid    = "Queue{i}"
        Effect = "Allow"
        Action = [
          "sqs:SendMessage",
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
        ]
        Resource = [
          "arn:aws:sqs:eu-west-1:123456789012:queue-{i}",
        ]
        Condition = {{
          Bool = {{
            "aws:SecureTransport" = "true"
          }}
        }}
      }},
    ]
  }})
}}

"#
        ));
    }
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let bin = arg("--bin")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("release/iamlint"));
    let keystrokes: usize = arg("--keystrokes")
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let terraform: Option<usize> = arg("--terraform").and_then(|v| v.parse().ok());
    let (text, uri, language, anchor_after) = match terraform {
        Some(n) => {
            let text = terraform_file(n);
            println!(
                "server {}\nterraform file: {n} policies, {} lines ({} bytes)",
                bin.display(),
                text.lines().count(),
                text.len()
            );
            (text, "file:///bench/main.tf", "terraform", "Action = [")
        }
        None => {
            let policy = arg("--policy")
                .map(PathBuf::from)
                .or_else(|| largest_policy(&root))
                .expect("no policy: run scripts/fetch-corpus.sh or pass --policy FILE");
            let text = std::fs::read_to_string(&policy).expect("readable policy");
            println!(
                "server {}\npolicy {} ({} bytes)",
                bin.display(),
                policy.display(),
                text.len()
            );
            (text, "file:///bench/policy.json", "json", "\"Action\": [")
        }
    };

    let mut server = Server::start(&bin);
    server.request(
        "initialize",
        // Like VS Code: completion documentation and code action edits are resolved lazily.
        json!({"processId": null, "rootUri": null, "capabilities": {"textDocument": {
            "completion": {"completionItem": {"resolveSupport": {"properties": ["documentation"]}}},
            "codeAction": {"dataSupport": true, "resolveSupport": {"properties": ["edit"]}}}}}),
    );
    server.notify("initialized", json!({}));
    let start = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
    let first = server
        .wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1);
    let open_latency = start.elapsed();
    let findings = first["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    let rss = server.rss_kib();

    // Typing: insert a new action, character by character, after the first Action list's `[`.
    let anchor = text
        .find(anchor_after)
        .map(|i| i + anchor_after.len())
        .unwrap_or(1);
    let typed = "\"s3:GetObject\", ";
    let mut current = text.clone();
    let mut change_samples = Vec::new();
    let mut first_action_samples = Vec::new();
    for (i, ch) in typed.chars().cycle().take(keystrokes).enumerate() {
        let at = anchor + i;
        let version = i as i64 + 2;
        let p = position(&current, at);
        current.insert(at, ch);
        let t = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": p, "end": p}, "text": ch.to_string()}]}),
        );
        server.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
        });
        change_samples.push(t.elapsed());
        // The lightbulb: an editor asks for the actions at the cursor once the text changed.
        let cursor = position(&current, at + 1);
        let t = Instant::now();
        server.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": cursor, "end": cursor},
                   "context": {"diagnostics": []}}),
        );
        first_action_samples.push(t.elapsed());
    }

    // Hover and completion on every action string of the final text (up to 300 of each).
    let mut hover_samples = Vec::new();
    let mut completion_samples = Vec::new();
    let mut action_samples = Vec::new();
    let mut resolve_samples = Vec::new();
    let mut answered = (0, 0, 0);
    for (offset, _) in current
        .match_indices("\"s3:")
        .chain(current.match_indices("\"ec2:"))
        .take(300)
    {
        let t = Instant::now();
        let h = server.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position(&current, offset + 5)}),
        );
        hover_samples.push(t.elapsed());
        answered.0 += usize::from(h["result"].is_object());
        let colon = current[offset..]
            .find(':')
            .map_or(offset + 1, |c| offset + c + 1);
        let t = Instant::now();
        let c = server.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": position(&current, colon)}),
        );
        completion_samples.push(t.elapsed());
        // An array, or a list `{isIncomplete, items}` (long lists are cut to what is typed).
        let items = c["result"]
            .as_array()
            .or_else(|| c["result"]["items"].as_array());
        answered.1 += usize::from(items.is_some_and(|a| !a.is_empty()));
        // The actions on the action string (its findings' fixes, and fix-all).
        let at = position(&current, offset + 2);
        let t = Instant::now();
        let a = server.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": at, "end": at},
                   "context": {"diagnostics": []}}),
        );
        action_samples.push(t.elapsed());
        answered.2 += a["result"].as_array().map_or(0, Vec::len);
        // Choosing the first action: its edit, when the answer left it to be resolved.
        if let Some(first) = a["result"].get(0).filter(|f| f.get("edit").is_none()) {
            let t = Instant::now();
            let r = server.request("codeAction/resolve", first.clone());
            resolve_samples.push(t.elapsed());
            assert!(
                r["result"]["edit"].is_object(),
                "resolved without an edit: {r}"
            );
        }
    }
    let _ = server.request("shutdown", Value::Null);
    server.notify("exit", Value::Null);
    let _ = server.child.wait();

    println!(
        "open -> first diagnostics: {} ({findings} findings)",
        ms(open_latency)
    );
    println!(
        "resident memory after opening: {:.1} MB",
        rss as f64 / 1024.0
    );
    for (name, samples) in [
        ("didChange -> publishDiagnostics", &mut change_samples),
        ("hover", &mut hover_samples),
        ("completion", &mut completion_samples),
        ("codeAction right after a change", &mut first_action_samples),
        ("codeAction", &mut action_samples),
        ("codeAction/resolve", &mut resolve_samples),
    ] {
        if samples.is_empty() {
            continue;
        }
        let n = samples.len();
        println!(
            "{name}: p50 {} p95 {} (n={n})",
            ms(percentile(samples, 0.5)),
            ms(percentile(samples, 0.95))
        );
    }
    println!(
        "hovers with content: {}/{}, non-empty completion lists: {}/{}, code actions: {} in {} answers",
        answered.0,
        hover_samples.len(),
        answered.1,
        completion_samples.len(),
        answered.2,
        action_samples.len()
    );
}

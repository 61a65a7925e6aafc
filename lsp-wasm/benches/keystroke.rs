//! Keystroke to diagnostics through the WebAssembly server's own boundary (`LanguageServer`:
//! JSON text in, JSON text out), compiled natively: the same code as the .wasm the extension
//! runs, so the difference from `vscode-extension/bench/keystroke.mjs` is what WebAssembly
//! itself costs. Opens a policy (default: the largest AWS managed policy of the corpus), types
//! N spaces after its closing brace one at a time, and times handle(didChange) + idle() for each.
//!
//! scripts/fetch-corpus.sh
//! cargo bench -p iamlint-lsp-wasm --bench keystroke -- [--policy FILE] [--keystrokes N]

use std::path::PathBuf;
use std::time::Instant;

use iamlint_lsp_wasm::LanguageServer;
use serde_json::{json, Value};

fn largest() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/latest");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .max_by_key(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .map(|e| e.path())
}

fn main() {
    let mut keystrokes = 60usize;
    let mut policy = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--keystrokes" => keystrokes = args.next().and_then(|v| v.parse().ok()).unwrap_or(60),
            "--policy" => policy = args.next().map(PathBuf::from),
            _ => {} // cargo bench passes --bench
        }
    }
    let Some(file) = policy.or_else(largest) else {
        eprintln!("no policy: run scripts/fetch-corpus.sh or pass --policy FILE");
        return;
    };
    let text = std::fs::read_to_string(&file).expect("read the policy");

    let mut server = LanguageServer::new();
    let send = |server: &mut LanguageServer, m: Value| -> Vec<Value> {
        let mut m = m;
        m["jsonrpc"] = json!("2.0");
        serde_json::from_str(&server.handle(&m.to_string())).expect("JSON out")
    };
    send(
        &mut server,
        json!({"id": 1, "method": "initialize", "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
    );
    send(&mut server, json!({"method": "initialized", "params": {}}));
    let uri = "file:///bench/policy.json";
    let t = Instant::now();
    send(
        &mut server,
        json!({"method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": uri, "languageId": "json", "version": 1, "text": text}}}),
    );
    let first: Value = serde_json::from_str(&server.idle()).expect("JSON out");
    let open = t.elapsed();
    let lines: Vec<&str> = text.split('\n').collect();
    let line = lines.len() - 1;
    let end = lines[line].len();
    let mut times = Vec::with_capacity(keystrokes);
    for i in 0..keystrokes {
        let version = i + 2;
        let col = end + i;
        let change = json!({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": col},
                "end": {"line": line, "character": col}}, "text": " "}]}});
        let start = Instant::now();
        send(&mut server, change);
        let out: Value = serde_json::from_str(&server.idle()).expect("JSON out");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(
            out[0]["params"]["version"], version,
            "diagnostics of this version"
        );
    }
    times.sort_by(f64::total_cmp);
    let q = |p: f64| times[((p * times.len() as f64) as usize).min(times.len() - 1)];
    println!(
        "{} ({} bytes, {} findings): open {:.1} ms, keystroke p50 {:.2} ms p95 {:.2} ms ({keystrokes})",
        file.file_name().unwrap_or_default().to_string_lossy(),
        text.len(),
        first[0]["params"]["diagnostics"].as_array().map_or(0, Vec::len),
        open.as_secs_f64() * 1000.0,
        q(0.5),
        q(0.95),
    );
}

//! The language server as WebAssembly: the same server as `iamlint lsp` (crate `iamlint-lsp`),
//! with its single-threaded driver. The host (the VS Code extension, in its Node or web worker
//! extension host) is a small pump: it hands each JSON-RPC message from the client to `handle`,
//! sends back what it returns, and calls `idle` when no message is pending.
//!
//! Messages cross the boundary as JSON text (one `JSON.parse` on the host side): cheaper than
//! converting objects field by field, and the exact shape LSP defines.
#![forbid(unsafe_code)]

use iamlint_lsp::inline::Inline;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct LanguageServer {
    inner: Inline,
}

impl Default for LanguageServer {
    fn default() -> Self {
        LanguageServer::new()
    }
}

#[wasm_bindgen]
impl LanguageServer {
    #[wasm_bindgen(constructor)]
    pub fn new() -> LanguageServer {
        LanguageServer {
            inner: Inline::new(),
        }
    }

    /// Handle one message (JSON text); returns a JSON array of the messages for the client.
    /// Text that is not JSON is dropped, like the native server drops a malformed frame.
    pub fn handle(&mut self, message: &str) -> String {
        match serde_json::from_str::<Value>(message) {
            Ok(m) => to_json(self.inner.handle(m)),
            Err(_) => "[]".to_string(),
        }
    }

    /// Run pending analyses; returns a JSON array of messages (diagnostics) for the client.
    pub fn idle(&mut self) -> String {
        to_json(self.inner.idle())
    }

    /// Decode the catalog and run the rules once, ahead of the first document (see
    /// `Inline::warm`): for a host whose server has a thread of its own.
    pub fn warm(&mut self) {
        self.inner.warm();
    }

    /// Analyses wait for `idle`.
    #[wasm_bindgen(js_name = hasPending)]
    pub fn has_pending(&self) -> bool {
        self.inner.has_pending()
    }

    /// The client sent `exit`.
    pub fn exited(&self) -> bool {
        self.inner.exited()
    }
}

fn to_json(messages: Vec<Value>) -> String {
    Value::Array(messages).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_in_and_out() {
        let mut s = LanguageServer::new();
        assert_eq!(s.handle("{not json"), "[]");
        let out: Value = serde_json::from_str(&s.handle(
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}"#,
        ))
        .unwrap();
        assert_eq!(out[0]["result"]["serverInfo"]["name"], "iamlint");
        s.handle(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
        s.handle(r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///p.json","languageId":"json","version":1,"text":"{\"Statement\": [{\"Effect\": \"allow\"}]}"}}}"#);
        assert!(s.has_pending());
        let out: Value = serde_json::from_str(&s.idle()).unwrap();
        assert_eq!(out[0]["method"], "textDocument/publishDiagnostics");
        assert!(!s.has_pending());
    }
}

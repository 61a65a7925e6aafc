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

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
extern "C" {
    /// `Date.now()`, in Node and browsers alike.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

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
        #[allow(unused_mut)] // the clock is set on WebAssembly only
        let mut inner = Inline::new();
        // The host's clock: when to ask the client again for `[[activity]]` files.
        #[cfg(target_arch = "wasm32")]
        inner.set_clock(|| date_now() as u64);
        LanguageServer { inner }
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

/// The URL fragment (without `#`) of a playground share link holding `text` with its policy type
/// and its format, which the core detects from the file's name and text (a policy, Terraform,
/// a CloudFormation template): the core's encoder, the one the playground reads links with.
#[wasm_bindgen(js_name = shareLinkFragment)]
pub fn share_link_fragment(text: &str, policy_type: &str, file_name: &str) -> String {
    // The user shares it as a policy: a JSON file that looks like neither a policy nor a template
    // goes as policy JSON.
    let format = iamlint_core::host::detect(Some(file_name), text).or_policy(true);
    iamlint_core::share_link::encode(text, policy_type, format.as_str())
}

/// Warn when a whole share link is longer than this many characters (it may be cut).
#[wasm_bindgen(js_name = longShareLinkChars)]
pub fn long_share_link_chars() -> usize {
    iamlint_core::share_link::LONG_LINK_CHARS
}

fn to_json(messages: Vec<Value>) -> String {
    Value::Array(messages).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_link_fragments_are_the_cores() {
        let fragment = share_link_fragment("{}", "identity", "/w/policy.json");
        let back = iamlint_core::share_link::decode(&fragment)
            .unwrap()
            .unwrap();
        assert_eq!(
            (back.text.as_str(), back.policy_type.as_str()),
            ("{}", "identity")
        );
        assert_eq!(back.format, "json");
        assert!(back.checked);
        let tf = "resource \"aws_iam_policy\" \"p\" {}\n";
        let back = iamlint_core::share_link::decode(&share_link_fragment(tf, "auto", "/w/main.tf"));
        assert_eq!(back.unwrap().unwrap().format, "terraform");
        assert_eq!(long_share_link_chars(), 8_000);
    }

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

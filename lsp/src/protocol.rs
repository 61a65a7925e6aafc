//! JSON-RPC 2.0 as LSP uses it: what kind of message arrived, and the messages the server
//! sends. Messages are `serde_json::Value`s so every transport (stdio, a worker's message port)
//! hands them over as they are.

use serde_json::{json, Value};

/// Error codes of JSON-RPC and LSP that the server answers with.
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INVALID_REQUEST: i64 = -32600;
pub const SERVER_NOT_INITIALIZED: i64 = -32002;
pub const REQUEST_CANCELLED: i64 = -32800;

/// One incoming message, classified.
pub enum Incoming {
    Request {
        id: Value,
        method: String,
        params: Value,
    },
    Notification {
        method: String,
        params: Value,
    },
    Response {
        id: Value,
        result: Option<Value>,
    },
}

impl Incoming {
    /// Classify a message; None for anything that is not a JSON-RPC request, notification or
    /// response (dropped: one malformed message must not end a session).
    pub fn parse(message: Value) -> Option<Incoming> {
        let Value::Object(mut obj) = message else {
            return None;
        };
        let id = obj.remove("id");
        match obj.remove("method") {
            Some(Value::String(method)) => {
                let params = obj.remove("params").unwrap_or(Value::Null);
                Some(match id {
                    Some(id) if is_id(&id) => Incoming::Request { id, method, params },
                    Some(_) => return None,
                    None => Incoming::Notification { method, params },
                })
            }
            Some(_) => None,
            None => {
                let id = id.filter(is_id)?;
                if obj.contains_key("error") {
                    return Some(Incoming::Response { id, result: None });
                }
                let result = obj.remove("result")?;
                Some(Incoming::Response {
                    id,
                    result: Some(result),
                })
            }
        }
    }
}

fn is_id(id: &Value) -> bool {
    id.is_string() || id.is_i64() || id.is_u64() || id.is_null()
}

pub fn response(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

pub fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

pub fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

pub fn request(id: u64, method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_messages_and_rejects_non_messages() {
        assert!(matches!(
            Incoming::parse(json!({"jsonrpc": "2.0", "id": 1, "method": "shutdown"})),
            Some(Incoming::Request { .. })
        ));
        assert!(matches!(
            Incoming::parse(json!({"jsonrpc": "2.0", "method": "exit"})),
            Some(Incoming::Notification { .. })
        ));
        assert!(matches!(
            Incoming::parse(json!({"jsonrpc": "2.0", "id": "a", "result": null})),
            Some(Incoming::Response {
                result: Some(Value::Null),
                ..
            })
        ));
        assert!(Incoming::parse(json!([1, 2, 3])).is_none());
        assert!(Incoming::parse(json!({"id": 1})).is_none());
        assert!(Incoming::parse(json!({"id": {}, "method": "x"})).is_none());
    }
}

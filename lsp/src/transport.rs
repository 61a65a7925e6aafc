//! LSP's framing on a byte stream (`Content-Length` headers, then a JSON body). A frame whose
//! body is not JSON, or whose header is broken, is dropped with a note on stderr (which editors
//! show in their server log): one malformed message from a client must not end the session.

use std::io::{BufRead, BufReader, Read, Write};

use serde_json::Value;

/// Bodies larger than this are skipped unread (a client would never send one; a broken header
/// must not make the server allocate gigabytes).
const MAX_BODY: usize = 256 << 20;

/// Read messages from `input` and hand each to `deliver` until `input` ends or `deliver`
/// returns false.
pub fn read_messages<R: Read>(input: R, mut deliver: impl FnMut(Value) -> bool) {
    let mut reader = BufReader::new(input);
    loop {
        let Ok(Some(length)) = read_headers(&mut reader) else {
            return;
        };
        let Some(length) = length else {
            eprintln!("iamlint lsp: dropped a message without a valid Content-Length header");
            continue;
        };
        if length > MAX_BODY {
            eprintln!("iamlint lsp: skipped a {length}-byte message (limit {MAX_BODY})");
            let skipped =
                std::io::copy(&mut (&mut reader).take(length as u64), &mut std::io::sink());
            if skipped.map_or(true, |n| n < length as u64) {
                return;
            }
            continue;
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        match serde_json::from_slice::<Value>(&body) {
            Ok(message @ Value::Object(_)) => {
                if !deliver(message) {
                    return;
                }
            }
            _ => eprintln!(
                "iamlint lsp: dropped a malformed message ({length} bytes): not a JSON-RPC request, notification or response"
            ),
        }
    }
}

/// Write one message with its header.
pub fn write_message<W: Write>(output: &mut W, message: &Value) -> std::io::Result<()> {
    let body = message.to_string();
    let mut frame = Vec::with_capacity(body.len() + 32);
    frame.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    frame.extend_from_slice(body.as_bytes());
    output.write_all(&frame)?;
    output.flush()
}

/// Read one header block. `None` at the end of input; `Some(None)` when the block has no
/// usable Content-Length.
fn read_headers<R: Read>(reader: &mut BufReader<R>) -> std::io::Result<Option<Option<usize>>> {
    let mut length = None;
    let mut seen_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if seen_header {
                return Ok(Some(length));
            }
            continue;
        }
        seen_header = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn passes_messages_and_drops_garbage() {
        let ok = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let response = r#"{"jsonrpc":"2.0","id":3,"result":null}"#;
        let input = [
            frame("{not json"),
            frame(ok),
            frame("[1,2,3]"),
            "X-Nothing: 1\r\n\r\n".to_string(),
            frame(response),
        ]
        .concat();
        let mut out = Vec::new();
        read_messages(input.as_bytes(), |m| {
            out.push(m);
            true
        });
        let expected: Vec<Value> = [ok, response]
            .iter()
            .map(|s| serde_json::from_str(s).unwrap())
            .collect();
        assert_eq!(out, expected);
        let mut written = Vec::new();
        write_message(&mut written, &expected[1]).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            frame(&expected[1].to_string())
        );
    }

    #[test]
    fn stops_cleanly_on_a_truncated_body() {
        let mut out = Vec::new();
        read_messages("Content-Length: 100\r\n\r\n{\"a\"".as_bytes(), |m| {
            out.push(m);
            true
        });
        assert!(out.is_empty());
    }
}

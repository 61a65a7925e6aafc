//! A guard in front of tower-lsp-server's reader. Its framed reader stops for good after the
//! first message it cannot decode (tokio-util ends a framed stream after a decoder error), so
//! one malformed message from a client would end the session. This layer reads the LSP frames
//! itself, passes on every well-formed JSON-RPC message unchanged, and drops the rest with a
//! note on stderr (which editors show in their server log).

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Bodies larger than this are skipped unread (a client would never send one; a broken header
/// must not make the server allocate gigabytes).
const MAX_BODY: usize = 256 << 20;

/// Copy well-formed LSP messages from `input` to `output` until `input` ends.
pub async fn filter_messages<R, W>(input: R, mut output: W) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(input);
    loop {
        let Some(length) = read_headers(&mut reader).await? else {
            return Ok(());
        };
        let Some(length) = length else {
            eprintln!("iamlint lsp: dropped a message without a valid Content-Length header");
            continue;
        };
        if length > MAX_BODY {
            eprintln!("iamlint lsp: skipped a {length}-byte message (limit {MAX_BODY})");
            let skipped = tokio::io::copy(
                &mut (&mut reader).take(length as u64),
                &mut tokio::io::sink(),
            )
            .await?;
            if skipped < length as u64 {
                return Ok(());
            }
            continue;
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).await.is_err() {
            return Ok(());
        }
        if is_json_rpc(&body) {
            output
                .write_all(format!("Content-Length: {length}\r\n\r\n").as_bytes())
                .await?;
            output.write_all(&body).await?;
            output.flush().await?;
        } else {
            eprintln!("iamlint lsp: dropped a malformed message ({length} bytes): not a JSON-RPC request, notification or response");
        }
    }
}

/// Read one header block. `None` at the end of input; `Some(None)` when the block has no
/// usable Content-Length.
async fn read_headers<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> std::io::Result<Option<Option<usize>>> {
    let mut length = None;
    let mut seen_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
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

fn is_json_rpc(body: &[u8]) -> bool {
    serde_json::from_slice::<Request>(body).is_ok()
        || serde_json::from_slice::<Response>(body).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[tokio::test]
    async fn passes_messages_and_drops_garbage() {
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
        filter_messages(input.as_bytes(), &mut out).await.unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            [frame(ok), frame(response)].concat()
        );
    }

    #[tokio::test]
    async fn stops_cleanly_on_a_truncated_body() {
        let mut out = Vec::new();
        filter_messages("Content-Length: 100\r\n\r\n{\"a\"".as_bytes(), &mut out)
            .await
            .unwrap();
        assert!(out.is_empty());
    }
}

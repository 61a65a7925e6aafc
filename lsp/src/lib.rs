//! The iamlint language server. It translates between LSP and the core and holds no analysis
//! logic: findings come from `iamlint_core::analyze`, hovers, completions and code actions from
//! `iamlint_core::ide`.
//!
//! Ordering: handlers run concurrently, so every didOpen/didChange updates the document store
//! before its first `.await` (tower-lsp-server starts handlers in arrival order). Each change
//! bumps the document's revision; an analysis publishes only if its revision is still current,
//! under a lock that keeps publications in order, so the last diagnostics always describe the
//! last text and carry the version they were computed for.

mod backend;
mod convert;
mod settings;
mod store;
mod transport;

pub use backend::{Backend, COMPLETION_LIMIT};
pub use settings::ClientSettings;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{ClientSocket, LspService, Server};

/// The section of the client's settings the server reads (`iamlint.policyType`, ...).
pub const SETTINGS_SECTION: &str = "iamlint";

/// A language service for in-process use (tests, benchmarks): drive it with JSON-RPC requests
/// and read the server's notifications from the socket.
pub fn service() -> (LspService<Backend>, ClientSocket) {
    LspService::new(Backend::new)
}

/// Serve LSP on `input`/`output` until the client exits or closes `input`. Malformed messages
/// are dropped before they reach the protocol layer (see `transport`).
pub async fn serve<R, W>(input: R, output: W)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin,
{
    let (filtered_write, filtered_read) = tokio::io::duplex(1 << 16);
    let filter = tokio::spawn(async move {
        let _ = transport::filter_messages(input, filtered_write).await;
    });
    let (service, socket) = service();
    Server::new(filtered_read, output, socket)
        .serve(service)
        .await;
    filter.abort();
}

/// Serve LSP on stdin/stdout until the client exits.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(4)
        .enable_all()
        .build()?;
    let (output, writer) = StdoutThread::start()?;
    runtime.block_on(serve(tokio::io::stdin(), output));
    // Blocking analysis tasks of a closing session are not waited for.
    runtime.shutdown_background();
    // What the server wrote last (the shutdown reply) is on its way out: let it through.
    let _ = writer.join();
    Ok(())
}

/// The server's output: a thread that owns stdout and writes what the runtime hands it. Tokio's
/// stdout sends every write to a blocking-pool thread and wakes the writing task when it is
/// done, two thread switches per message; here a reply costs one, and the runtime never waits
/// for the client to read.
struct StdoutThread {
    tx: std::sync::mpsc::Sender<Vec<u8>>,
}

impl StdoutThread {
    fn start() -> std::io::Result<(StdoutThread, std::thread::JoinHandle<()>)> {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
        let writer = std::thread::Builder::new()
            .name("iamlint-lsp-stdout".to_string())
            .spawn(move || {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                for chunk in rx {
                    if out.write_all(&chunk).and_then(|()| out.flush()).is_err() {
                        return;
                    }
                }
            })?;
        Ok((StdoutThread { tx }, writer))
    }
}

impl AsyncWrite for StdoutThread {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(match self.tx.send(buf.to_vec()) {
            Ok(()) => Ok(buf.len()),
            Err(_) => Err(std::io::ErrorKind::BrokenPipe.into()),
        })
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

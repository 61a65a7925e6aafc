//! The iamlint language server. It translates between LSP and the core and holds no analysis
//! logic: findings come from `iamlint_core::analyze`, hovers, completions and code actions from
//! `iamlint_core::ide`.
//!
//! The handling is written once, independent of transport (`server`): messages in, messages
//! and jobs out. Two drivers feed it: `native` (stdio, a thread per job: `iamlint lsp`) and
//! `inline` (single-threaded, jobs in place: the WebAssembly build the VS Code extension runs
//! in a worker, in the desktop and in the browser). The server's parts, by concern:
//!
//! - `server`: state and dispatch of messages; `protocol`: JSON-RPC messages;
//! - `handlers`: initialize, the document lifecycle and the requests;
//! - `schedule`: revisions, one analysis at a time per document, what is published;
//! - `jobs`: the work a driver runs anywhere (analysis, requests that need a parse);
//! - `store`: document texts and incremental changes; `convert`: core answers to LSP types;
//! - `fixes`: each version's analysis (safe fixes only) and the fixes code actions ask for;
//! - `settings`: client settings merged over iamlint.toml; `project`: finding iamlint.toml, on
//!   disk or through the client (`iamlint/readFile`);
//! - `activity`: `iamlint/generatePolicy`, a policy generated from CloudTrail logs the client
//!   sends; `unused`: the unused grants of policies an iamlint.toml `[[activity]]` entry names,
//!   as hints, from files on disk or (`activity_files`) read by the client
//!   (`iamlint/readActivityFiles`).
//!
//! Ordering: messages are handled one at a time, in arrival order. Each change bumps the
//! document's revision; an analysis publishes only if its revision is still current, so the
//! last diagnostics always describe the last text and carry the version they were computed for.

mod activity;
mod activity_files;
mod convert;
mod disk;
mod fixes;
mod handlers;
pub mod inline;
mod jobs;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
mod project;
mod protocol;
mod schedule;
mod server;
mod settings;
mod store;
pub mod transport;
mod unused;

pub use disk::list_folder;
pub use handlers::{COMPLETION_LIMIT, READ_FILE_CAPABILITY};
pub use jobs::{Done, Job, MAX_ANALYSED_BYTES};
pub use server::{Output, Server};
pub use settings::ClientSettings;

/// The section of the client's settings the server reads (`iamlint.policyType`, ...).
pub const SETTINGS_SECTION: &str = "iamlint";

/// Serve LSP on stdin/stdout until the client exits.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_stdio() -> std::io::Result<()> {
    native::serve(std::io::stdin(), std::io::stdout())
}

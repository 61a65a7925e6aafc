//! iamlint-core: everything iamlint knows about AWS IAM policies.
//!
//! Text goes in, findings, hovers, completions, fixes and decisions come out. The faces (CLI,
//! language server, WebAssembly, VS Code) only translate between this crate and their protocols.
//! No I/O, no threads, no global mutable state, and no panics on any input.
#![forbid(unsafe_code)]

pub mod activity;
pub mod analysis;
pub mod arn;
pub mod audit;
pub mod bytes;
pub mod catalog;
pub mod config;
pub mod diagnostic;
pub mod encoding;
pub mod eval;
pub(crate) mod fast_hash;
pub mod fix;
pub mod folder;
pub mod gates;
pub mod host;
pub mod ide;
pub mod incremental;
pub mod line_index;
pub mod number_set;
pub mod policy;
pub mod rules;
pub mod share_link;
pub mod span;
pub mod suggest;
pub mod syntax;
#[cfg(test)]
pub(crate) mod test_random;
pub mod wildcard;

pub use analysis::{
    analyze, analyze_parsed, analyze_parsed_with, analyze_without_fixes, findings_with_fixes,
    fixes_for, Analysis, AnalyzeOptions,
};
pub use diagnostic::{Category, Diagnostic, FindingKey, Fix, FixScope, Related, Safety, TextEdit};
pub use incremental::delta::{FindingsDelta, TextChange};
pub use incremental::Session;
pub use line_index::{LineCol, LineIndex, PositionEncoding};
pub use policy::{Policy, PolicyType};
pub use span::Span;

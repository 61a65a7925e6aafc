//! Editor features as pure functions: hover, completion and code actions at an offset. The
//! language server and the playground show these same answers.
//!
//! Every position in and out is a byte offset into the text (a [`Span`]); the faces convert with
//! [`crate::LineIndex`]. All result types serialise with serde (camelCase) so the WebAssembly face
//! can hand them to JavaScript as they are.

mod actions;
mod complete;
mod docs;
mod host;
mod hover;
mod locate;

use serde::Serialize;

use crate::diagnostic::{Safety, TextEdit};
use crate::span::Span;

pub use actions::{code_actions, code_actions_with, findings_at, fix_all};
pub use complete::{completion_documentation, completion_list, completions, CompletionList};
pub use host::{completion_list_in_host, host_analysis, hover_in_host};
pub use hover::{hover, hover_in};

/// The answer to a hover request: Markdown and the span it describes (the editor highlights it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hover {
    pub markdown: String,
    pub span: Span,
}

/// What a completion item names; the faces map it to their icon kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CompletionKind {
    /// A policy or statement element name (Version, Statement, Effect, ...), or a principal kind.
    Element,
    /// A fixed value (Allow/Deny, a Version date, `*`).
    Value,
    /// A service prefix (`s3:`).
    Service,
    /// An action (`s3:GetObject`).
    Action,
    /// An action pattern with a wildcard (`s3:Get*`).
    ActionWildcard,
    /// A condition operator (`StringEquals`).
    Operator,
    /// A condition key (`aws:SourceIp`).
    ConditionKey,
    /// An ARN built from a resource type's template.
    Arn,
}

/// One completion proposal. Applying it means replacing `replace_span` with `insert_text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionItem {
    /// What the list shows (and what editors filter on).
    pub label: String,
    pub kind: CompletionKind,
    /// A short line shown beside the label (access level, value type, service name, ...).
    pub detail: Option<String>,
    pub documentation_markdown: Option<String>,
    /// Text that replaces `replace_span`; it already carries the JSON quotes the place needs.
    pub insert_text: String,
    /// The same insertion as an LSP/TextMate snippet with tab stops (`${1:Region}`), when the
    /// proposal has parts the user should fill in.
    pub snippet: Option<String>,
    /// The text to replace: the string's contents being typed (or an empty span at the cursor).
    pub replace_span: Span,
    /// Sort key: lower sorts first (e.g. supported keys before global ones).
    pub sort_text: String,
}

/// The LSP code action kinds iamlint produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CodeActionKind {
    /// A fix for one finding.
    #[serde(rename = "quickfix")]
    QuickFix,
    /// All safe fixes of the document at once.
    #[serde(rename = "source.fixAll.iamlint")]
    SourceFixAll,
}

impl CodeActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeActionKind::QuickFix => "quickfix",
            CodeActionKind::SourceFixAll => "source.fixAll.iamlint",
        }
    }
}

/// An edit the editor can offer: one finding's fix, or all safe fixes together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeAction {
    pub title: String,
    pub safety: Safety,
    pub kind: CodeActionKind,
    /// Non-overlapping edits against the analysed text.
    pub edits: Vec<TextEdit>,
    /// The code of the finding this fixes (None for fix-all).
    pub diagnostic_code: Option<String>,
    /// Index into `Analysis::diagnostics` of the finding this fixes (None for fix-all), so a face
    /// can attach the same diagnostic it published.
    pub diagnostic_index: Option<usize>,
    /// True for the fix an editor should apply on "quick fix" without asking (a safe fix that is
    /// the only safe one for its finding).
    pub is_preferred: bool,
}

#[cfg(test)]
mod tests;

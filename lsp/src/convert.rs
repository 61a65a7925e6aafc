//! Core answers to LSP types. Byte spans become LSP ranges here, through the document's
//! `LineIndex`, in the negotiated position encoding.

use std::collections::HashMap;
use std::str::FromStr;

use iamlint_core::activity::unused::UNUSED_GRANT;
use iamlint_core::ide;
use iamlint_core::{Category, PositionEncoding};
use ls_types::{
    self as lsp, CodeDescription, CompletionItemKind, CompletionTextEdit,
    DiagnosticRelatedInformation, DiagnosticSeverity, Documentation, InsertTextFormat, Location,
    MarkupContent, MarkupKind, NumberOrString, Uri, WorkspaceEdit,
};

use crate::store::Text;

pub fn severity(category: Category) -> DiagnosticSeverity {
    match category {
        Category::Error => DiagnosticSeverity::ERROR,
        Category::Security | Category::Warning => DiagnosticSeverity::WARNING,
        Category::Suggestion => DiagnosticSeverity::INFORMATION,
    }
}

/// All findings of an analysis, for publishDiagnostics.
pub fn diagnostics(
    found: &[iamlint_core::Diagnostic],
    text: &Text,
    uri: &Uri,
    enc: PositionEncoding,
) -> Vec<lsp::Diagnostic> {
    found
        .iter()
        .map(|d| diagnostic(d, text, uri, enc))
        .collect()
}

pub fn diagnostic(
    d: &iamlint_core::Diagnostic,
    text: &Text,
    uri: &Uri,
    enc: PositionEncoding,
) -> lsp::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: text.range(r.span, enc),
            },
            message: r.message.clone(),
        })
        .collect();
    // An unused grant is not a problem of the text: a hint, the item shown as unnecessary
    // (faded), its explanation in the activity guide rather than the rule reference.
    let unused = d.code == UNUSED_GRANT;
    let href = if unused {
        format!(
            "{}/blob/main/docs/activity.md#unused-grants-as-you-edit",
            env!("CARGO_PKG_REPOSITORY").trim_end_matches('/')
        )
    } else {
        iamlint_core::rules::reference::url(d.code)
    };
    lsp::Diagnostic {
        range: text.range(d.span, enc),
        severity: Some(if unused {
            DiagnosticSeverity::HINT
        } else {
            severity(d.category)
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: Uri::from_str(&href)
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("iamlint".to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: unused.then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// The one diagnostic of a document too large to analyse as the user types.
pub fn too_large(len: usize, limit: usize) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: lsp::Range::default(),
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String("DOCUMENT_TOO_LARGE".to_string())),
        source: Some("iamlint".to_string()),
        message: format!(
            "iamlint does not check documents over {} KB as you type (this one is {} KB); \
             run `iamlint check` on it instead.",
            limit / 1024,
            len / 1024
        ),
        ..lsp::Diagnostic::default()
    }
}

pub fn hover(h: ide::Hover, text: &Text, enc: PositionEncoding) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: h.markdown,
        }),
        range: Some(text.range(h.span, enc)),
    }
}

fn completion_kind(kind: ide::CompletionKind) -> CompletionItemKind {
    match kind {
        ide::CompletionKind::Element => CompletionItemKind::PROPERTY,
        ide::CompletionKind::Value => CompletionItemKind::VALUE,
        ide::CompletionKind::Service => CompletionItemKind::MODULE,
        ide::CompletionKind::Action => CompletionItemKind::FUNCTION,
        ide::CompletionKind::ActionWildcard => CompletionItemKind::FOLDER,
        ide::CompletionKind::Operator => CompletionItemKind::OPERATOR,
        ide::CompletionKind::ConditionKey => CompletionItemKind::FIELD,
        ide::CompletionKind::Arn => CompletionItemKind::REFERENCE,
    }
}

/// Converts the spans of a completion list, which are all the same span in practice, once.
#[derive(Default)]
pub struct RangeCache {
    last: Option<(iamlint_core::Span, lsp::Range)>,
}

impl RangeCache {
    pub fn range(
        &mut self,
        text: &Text,
        span: iamlint_core::Span,
        enc: PositionEncoding,
    ) -> lsp::Range {
        match self.last {
            Some((s, r)) if s == span => r,
            _ => {
                let r = text.range(span, enc);
                self.last = Some((span, r));
                r
            }
        }
    }
}

/// A completion item whose `replace_span` converts to `range`.
pub fn completion(
    item: ide::CompletionItem,
    range: lsp::Range,
    snippets: bool,
) -> lsp::CompletionItem {
    let (new_text, format) = match item.snippet {
        Some(s) if snippets => (s, InsertTextFormat::SNIPPET),
        _ => (item.insert_text, InsertTextFormat::PLAIN_TEXT),
    };
    lsp::CompletionItem {
        label: item.label,
        kind: Some(completion_kind(item.kind)),
        detail: item.detail,
        documentation: item.documentation_markdown.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        sort_text: Some(item.sort_text),
        insert_text_format: Some(format),
        text_edit: Some(CompletionTextEdit::Edit(lsp::TextEdit { range, new_text })),
        ..lsp::CompletionItem::default()
    }
}

pub fn code_action(
    action: ide::CodeAction,
    diagnostic: Option<lsp::Diagnostic>,
    text: &Text,
    uri: &Uri,
    enc: PositionEncoding,
) -> lsp::CodeAction {
    let edits: Vec<lsp::TextEdit> = action
        .edits
        .iter()
        .map(|e| lsp::TextEdit {
            range: text.range(e.span, enc),
            new_text: e.text.clone(),
        })
        .collect();
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    lsp::CodeAction {
        title: action.title,
        kind: Some(lsp::CodeActionKind::from(action.kind.as_str().to_string())),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: action.is_preferred.then_some(true),
        ..lsp::CodeAction::default()
    }
}

//! Open documents: their text, version and line index, updated by full or incremental changes in
//! the order the client sent them. Positions are converted only through the core's `LineIndex`.

use std::sync::{Arc, OnceLock};

use iamlint_core::host::{self, Format, HostDocument};
use iamlint_core::{syntax, LineCol, LineIndex, PositionEncoding};
use ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use crate::fixes::Analysed;

/// One version of a document's text, immutable, with what every request about it needs: its
/// line index, and (computed once, by whichever needs it first) its syntax tree and whether it
/// is a policy. Shared with analysis tasks and requests without copying.
#[derive(Debug)]
pub struct Text {
    pub text: String,
    pub index: LineIndex,
    syntax: OnceLock<syntax::Document>,
    is_policy: OnceLock<bool>,
    /// What the core read from a Terraform or CloudFormation document; None for a policy.
    host: OnceLock<Option<HostDocument>>,
}

impl Text {
    pub fn new(text: String) -> Arc<Text> {
        let index = LineIndex::new(&text);
        Arc::new(Text {
            text,
            index,
            syntax: OnceLock::new(),
            is_policy: OnceLock::new(),
            host: OnceLock::new(),
        })
    }

    /// The policies of a Terraform or CloudFormation document (read on first use), or None when
    /// the document is JSON: a policy itself, or JSON that is neither a policy nor a template
    /// (checked only when a glob names it: see [`Text::is_policy`]). The file name's extension
    /// and the text decide, as for `iamlint check` (`host::detect`).
    pub fn host(&self, uri: &Uri) -> Option<&HostDocument> {
        self.host
            .get_or_init(|| {
                let decoded = uri.path().decode();
                let path = decoded.to_string_lossy();
                let detected = host::detect_parsed(Some(path.as_ref()), &self.text);
                match detected.format {
                    Format::Json | Format::Other => None,
                    _ => Some(detected.read(&self.text)),
                }
            })
            .as_ref()
    }

    /// The host document has been read (or found to be a policy).
    pub fn is_host_read(&self) -> bool {
        self.host.get().is_some()
    }

    /// The document has been read as a Terraform or CloudFormation document.
    pub fn is_host_with_policies(&self) -> bool {
        matches!(self.host.get(), Some(Some(_)))
    }

    /// The syntax tree of this version (parsed on first use: call from a blocking task unless
    /// [`Text::is_parsed`]).
    pub fn syntax(&self) -> &syntax::Document {
        self.syntax.get_or_init(|| syntax::parse(&self.text))
    }

    pub fn is_parsed(&self) -> bool {
        self.syntax.get().is_some()
    }

    /// The text has a top-level `Statement` or `Version`: the test `host::detect` makes.
    pub fn is_policy(&self) -> bool {
        *self
            .is_policy
            .get_or_init(|| host::is_policy_document(&self.text))
    }

    pub fn offset(&self, pos: Position, enc: PositionEncoding) -> usize {
        self.index.offset(
            &self.text,
            LineCol {
                line: pos.line,
                col: pos.character,
            },
            enc,
        )
    }

    pub fn position(&self, offset: usize, enc: PositionEncoding) -> Position {
        let lc = self.index.line_col(&self.text, offset, enc);
        Position {
            line: lc.line,
            character: lc.col,
        }
    }

    pub fn range(&self, span: iamlint_core::Span, enc: PositionEncoding) -> Range {
        Range {
            start: self.position(span.start, enc),
            end: self.position(span.end, enc),
        }
    }

    /// The byte span of an LSP range (start and end ordered).
    pub fn span(&self, range: Range, enc: PositionEncoding) -> iamlint_core::Span {
        let a = self.offset(range.start, enc);
        let b = self.offset(range.end, enc);
        iamlint_core::Span::new(a.min(b), a.max(b))
    }
}

/// Apply the changes of one didChange, in order, each against the text the previous one left.
pub fn apply_changes(
    current: &Arc<Text>,
    changes: Vec<TextDocumentContentChangeEvent>,
    enc: PositionEncoding,
) -> Arc<Text> {
    let mut text = current.clone();
    for change in changes {
        text = match change.range {
            None => Text::new(change.text),
            Some(range) => {
                let span = text.span(range, enc);
                let mut s = String::with_capacity(text.text.len() + change.text.len());
                s.push_str(&text.text[..span.start]);
                s.push_str(&change.text);
                s.push_str(&text.text[span.end..]);
                Text::new(s)
            }
        };
    }
    text
}

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub version: i32,
    pub text: Arc<Text>,
    /// Bumped on every change and settings change; an analysis publishes only if the revision it
    /// started from is still current.
    pub revision: u64,
    /// The last analysis and the revision it was computed for (code actions reuse it, and the
    /// fixes they built).
    pub analysis: Option<(u64, Arc<Analysed>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        (l1, c1): (u32, u32),
        (l2, c2): (u32, u32),
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position::new(l1, c1),
                end: Position::new(l2, c2),
            }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_changes_apply_in_order_with_utf16_columns() {
        let t = Text::new("{\"Sid\": \"😀x\"\n}".to_string());
        // Column 10 in UTF-16 is after the emoji (2 code units at columns 9-10).
        let out = apply_changes(
            &t,
            vec![change((0, 11), (0, 12), "y"), change((1, 0), (1, 0), "  ")],
            PositionEncoding::Utf16,
        );
        assert_eq!(out.text, "{\"Sid\": \"😀y\"\n  }");
        // The same edit in UTF-8 columns (the emoji is 4 bytes).
        let out = apply_changes(
            &t,
            vec![change((0, 13), (0, 14), "z")],
            PositionEncoding::Utf8,
        );
        assert_eq!(out.text, "{\"Sid\": \"😀z\"\n}");
    }

    #[test]
    fn out_of_range_positions_clamp_instead_of_panicking() {
        let t = Text::new("ab\ncd".to_string());
        let out = apply_changes(
            &t,
            vec![change((9, 9), (0, 1), "X")],
            PositionEncoding::Utf16,
        );
        assert_eq!(out.text, "aX");
        let full = apply_changes(
            &t,
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            }],
            PositionEncoding::Utf16,
        );
        assert_eq!(full.text, "new");
    }
}

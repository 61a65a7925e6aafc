//! 1-based lines and columns (columns in characters) for the outputs, computed only through the
//! core's `LineIndex`; plus whole-text character offsets for SARIF.

use iamlint_core::line_index::LineBlocks;
use iamlint_core::{LineIndex, PositionEncoding, Span};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

pub struct Positions<'t> {
    text: &'t str,
    /// Built on first use: a file without findings needs no positions. Counts per block, not
    /// a line table: each span is converted once and never back.
    lines: std::cell::OnceCell<LineBlocks>,
    /// The line table, for SARIF's character offsets only (built on first use).
    index: std::cell::OnceCell<LineIndex>,
    /// Characters before the start of each line, for SARIF's charOffset (built on first use).
    chars_before_line: Option<Vec<usize>>,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str) -> Positions<'t> {
        Positions {
            text,
            lines: std::cell::OnceCell::new(),
            index: std::cell::OnceCell::new(),
            chars_before_line: None,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let lc = self
            .lines
            .get_or_init(|| LineBlocks::new(self.text))
            .line_col(self.text, offset, PositionEncoding::Chars);
        Position {
            line: lc.line + 1,
            column: lc.col + 1,
        }
    }

    pub fn range(&self, span: Span) -> Range {
        Range {
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }

    /// The character (Unicode scalar) offset of a byte offset from the start of the text.
    pub fn char_offset(&mut self, offset: usize) -> usize {
        let p = self.position(offset);
        let text = self.text;
        // The field itself, so that `chars_before_line` can be borrowed beside it.
        let index = self.index.get_or_init(|| LineIndex::new(text));
        let before = self.chars_before_line.get_or_insert_with(|| {
            let mut counts = Vec::with_capacity(index.line_count());
            let mut total = 0;
            for line in 0..index.line_count() {
                counts.push(total);
                let start = index.line_start(line as u32).unwrap_or(text.len());
                let end = index.line_start(line as u32 + 1).unwrap_or(text.len());
                total += text.get(start..end).map_or(0, |s| s.chars().count());
            }
            counts
        });
        before.get(p.line as usize - 1).copied().unwrap_or(0) + p.column as usize - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_lines_start_at_one() {
        let text = "{\n  \"é😀\": 1\n}";
        let mut p = Positions::new(text);
        let one = text.find('1').unwrap();
        assert_eq!(p.position(one), Position { line: 2, column: 9 });
        assert_eq!(p.position(0), Position { line: 1, column: 1 });
        assert_eq!(p.char_offset(one), text[..one].chars().count());
        assert_eq!(p.char_offset(text.len()), text.chars().count());
    }
}

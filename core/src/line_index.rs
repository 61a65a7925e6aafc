//! Converts byte offsets to (line, column) and back, with columns counted in UTF-8 bytes,
//! UTF-16 code units (LSP's default, JavaScript strings) or characters (human output).
//! Nothing else in the project computes positions.

use std::sync::OnceLock;

use serde::Serialize;

use crate::bytes::words;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum PositionEncoding {
    Utf8,
    Utf16,
    /// Unicode scalar values (what a person counts; used by the CLI's 1-based columns).
    Chars,
}

/// A zero-based line and column; the column unit depends on the encoding used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of every line. A line ends after '\n'; "\r\n" counts as one
    /// line break ('\r' stays part of the line's text).
    line_starts: Vec<usize>,
    /// Lines that contain non-ASCII text; the rest convert with no scanning.
    non_ascii_lines: Vec<bool>,
    /// UTF-16 code-unit offset of the start of every line, so that a whole-text UTF-16 offset
    /// costs one line's scan at most (the playground converts every finding's span: with 5,000
    /// findings in a 1.3 MB policy, measuring the text before each one took seconds). Built on
    /// the first whole-text UTF-16 conversion: the command line never makes one, and building
    /// it for every file was a sixth of its JSON output's time.
    utf16_line_starts: OnceLock<Vec<usize>>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut index = LineIndex {
            line_starts: vec![0],
            non_ascii_lines: vec![false],
            utf16_line_starts: OnceLock::new(),
            len: text.len(),
        };
        let bytes = text.as_bytes();
        // Eight bytes at a time: most words of a policy hold neither a line break nor a
        // non-ASCII byte, and those are skipped whole (the language server indexes the whole
        // text on every keystroke: 230 KB took 155 us byte by byte).
        let chunks = bytes.chunks_exact(8);
        let tail = chunks.remainder();
        for (w, chunk) in chunks.enumerate() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let word = words::word(word);
            if words::non_ascii(word) != 0 {
                index.scan(chunk, w * 8);
                continue;
            }
            // An ASCII word: its line breaks straight from the mask (a pretty-printed policy
            // has one in about every fourth word).
            for at in words::marks(words::equal(word, b'\n')) {
                index.line_starts.push(w * 8 + at + 1);
                index.non_ascii_lines.push(false);
            }
        }
        index.scan(tail, bytes.len() - tail.len());
        index
    }

    /// The UTF-16 offset of each line start, measured on first use.
    fn utf16_starts(&self, text: &str) -> &[usize] {
        self.utf16_line_starts
            .get_or_init(|| self.measure_utf16_starts(text))
    }

    /// The UTF-16 offset of each line start: only non-ASCII lines are measured.
    fn measure_utf16_starts(&self, text: &str) -> Vec<usize> {
        let mut starts = Vec::with_capacity(self.line_starts.len());
        let mut units = 0usize;
        for (line, &start) in self.line_starts.iter().enumerate() {
            starts.push(units);
            let end = self
                .line_starts
                .get(line + 1)
                .copied()
                .unwrap_or(text.len());
            units += if self.non_ascii_lines[line] {
                utf16_len(&text[start..end])
            } else {
                end - start
            };
        }
        starts
    }

    /// Record the line breaks and non-ASCII bytes of `bytes`, which start at `base`.
    fn scan(&mut self, bytes: &[u8], base: usize) {
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                self.line_starts.push(base + i + 1);
                self.non_ascii_lines.push(false);
            } else if b >= 0x80 {
                if let Some(last) = self.non_ascii_lines.last_mut() {
                    *last = true;
                }
            }
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.line_starts.get(line as usize).copied()
    }

    /// Convert a byte offset into a line and column. Offsets past the end clamp to the end;
    /// offsets inside a multi-byte character are moved back to its start.
    pub fn line_col(&self, text: &str, offset: usize, encoding: PositionEncoding) -> LineCol {
        let mut offset = offset.min(self.len).min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts[line];
        position(
            text,
            line,
            start,
            offset,
            !self.non_ascii_lines[line],
            encoding,
        )
    }

    /// Convert a line and column back to a byte offset. A column past the end of the line clamps
    /// to the line's end (before its line break); a line past the end clamps to the text's end; a
    /// column inside a UTF-16 surrogate pair moves to the start of that character.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: PositionEncoding) -> usize {
        let Some(&start) = self.line_starts.get(pos.line as usize) else {
            return self.len;
        };
        let end = self.line_end(text, pos.line as usize);
        let want = pos.col as usize;
        if !self.non_ascii_lines[pos.line as usize] {
            return (start + want).min(end);
        }
        let mut units = 0usize;
        for (i, c) in text[start..end].char_indices() {
            if units >= want {
                return start + i;
            }
            units += match encoding {
                PositionEncoding::Utf8 => c.len_utf8(),
                PositionEncoding::Utf16 => c.len_utf16(),
                PositionEncoding::Chars => 1,
            };
            if units > want {
                return start + i;
            }
        }
        end
    }

    /// Byte offset of the end of `line`'s content (before "\n" or "\r\n").
    fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        let mut end = next;
        if end > self.line_starts[line] && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
            if end > self.line_starts[line] && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        end
    }

    /// Convert a whole-text byte offset to a UTF-16 code-unit offset (what JavaScript strings use).
    pub fn utf16_offset(&self, text: &str, offset: usize) -> usize {
        let lc = self.line_col(text, offset, PositionEncoding::Utf16);
        self.utf16_starts(text)[lc.line as usize] + lc.col as usize
    }

    /// Convert a whole-text UTF-16 code-unit offset (a JavaScript string index) back to a byte
    /// offset. Offsets past the end clamp to the end; an offset inside a surrogate pair moves to
    /// the start of that character.
    pub fn offset_from_utf16(&self, text: &str, utf16: usize) -> usize {
        let len = self.len.min(text.len());
        let utf16_starts = self.utf16_starts(text);
        let line = utf16_starts
            .partition_point(|&s| s <= utf16)
            .saturating_sub(1);
        let start = self.line_starts[line];
        let mut units = utf16_starts[line];
        if !self.non_ascii_lines[line] {
            // Within this line, or past the end of the text when it is the last one.
            return (start + (utf16 - units)).min(len);
        }
        for (i, c) in text[start..].char_indices() {
            let next = units + c.len_utf16();
            if next > utf16 {
                return start + i;
            }
            units = next;
        }
        len
    }
}

/// Lines and columns of byte offsets in characters, UTF-16 units or bytes, as
/// [`LineIndex::line_col`] gives them, from a count of line breaks per block of 64 bytes
/// instead of a table of every line: for a text whose spans are converted once each and never
/// back (the command line's outputs). Counting a block is a few instructions a word with no
/// branch, where a line table pushes two entries per line (a pretty-printed policy has a line
/// every 40 bytes or so); an offset then costs the words of its block before it, and the
/// search back for its line's start.
#[derive(Clone, Debug)]
pub struct LineBlocks {
    /// For each block of 64 bytes (the last one maybe shorter, then one for the end of the
    /// text): the line breaks before it, shifted up a bit, with the low bit set when the
    /// block holds a non-ASCII byte.
    blocks: Vec<u64>,
}

impl LineBlocks {
    const BLOCK: usize = 64;

    pub fn new(text: &str) -> LineBlocks {
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / Self::BLOCK + 2);
        let mut lines = 0u64;
        let mut chunks = bytes.chunks_exact(Self::BLOCK);
        for block in &mut chunks {
            // Each byte of `kept` counts the bytes other than a line break at that place of
            // the eight words (at most 8, so at most 64 in all: `byte_sum` holds them).
            let mut kept = 0u64;
            let mut any = 0u64;
            for chunk in block.chunks_exact(8) {
                let mut w = [0u8; 8];
                w.copy_from_slice(chunk);
                let w = words::word(w);
                kept += words::nonzero(w ^ words::splat(b'\n')) >> 7;
                any |= w;
            }
            blocks.push(lines << 1 | u64::from(words::non_ascii(any) != 0));
            lines += Self::BLOCK as u64 - words::byte_sum(kept);
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            blocks.push(lines << 1 | u64::from(tail.iter().any(|&b| b >= 0x80)));
            lines += tail.iter().filter(|&&b| b == b'\n').count() as u64;
        }
        blocks.push(lines << 1);
        LineBlocks { blocks }
    }

    /// [`LineIndex::line_col`]: offsets past the end clamp to the end; offsets inside a
    /// multi-byte character are moved back to its start.
    pub fn line_col(&self, text: &str, offset: usize, encoding: PositionEncoding) -> LineCol {
        let bytes = text.as_bytes();
        let mut offset = offset.min(bytes.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let block = offset / Self::BLOCK;
        let mut line = self.blocks.get(block).map_or(0, |e| e >> 1);
        // The line breaks of the block before the offset, and where the last of them is.
        let mut last_break = None;
        let mut at = block * Self::BLOCK;
        while at + 8 <= offset {
            let breaks = words::equal(word_at(bytes, at), b'\n');
            if breaks != 0 {
                line += words::count(breaks);
                last_break = Some(at + words::last(breaks));
            }
            at += 8;
        }
        if at < offset {
            // Fewer than eight bytes: the word from here when the text has one, its bytes
            // from the offset on left out.
            let breaks = if at + 8 <= bytes.len() {
                words::equal(word_at(bytes, at), b'\n') & (u64::MAX >> (64 - 8 * (offset - at)))
            } else {
                bytes[at..offset]
                    .iter()
                    .enumerate()
                    .fold(0, |m, (i, &b)| m | (u64::from(b == b'\n') << (8 * i + 7)))
            };
            if breaks != 0 {
                line += words::count(breaks);
                last_break = Some(at + words::last(breaks));
            }
        }
        let start = match last_break {
            Some(b) => b + 1,
            None => self.line_start_before(bytes, block),
        };
        // A block that holds a non-ASCII byte anywhere from the line's start on: measure the
        // line's text (to the same answer as a length when it is ASCII after all).
        let ascii = self.blocks[start / Self::BLOCK..=block]
            .iter()
            .all(|e| e & 1 == 0);
        position(text, line as usize, start, offset, ascii, encoding)
    }

    /// The start of the line that holds the start of `block`: after the last line break of
    /// the nearest block before it that has one (0 when none has).
    fn line_start_before(&self, bytes: &[u8], block: usize) -> usize {
        let mut b = block;
        while b > 0 {
            b -= 1;
            if self.blocks[b + 1] >> 1 == self.blocks[b] >> 1 {
                continue;
            }
            let from = b * Self::BLOCK;
            let to = (from + Self::BLOCK).min(bytes.len());
            if let Some(at) = memchr::memrchr(b'\n', &bytes[from..to]) {
                return from + at + 1;
            }
        }
        0
    }
}

/// The eight bytes from `at` (the text has them) as a word.
#[inline(always)]
/// The position of `offset` on `line`, which starts at `start`: the column is the line's text
/// up to the offset in `encoding`'s units (its byte length when the caller knows that text is
/// ASCII). Both line tables answer through this.
fn position(
    text: &str,
    line: usize,
    start: usize,
    offset: usize,
    ascii: bool,
    encoding: PositionEncoding,
) -> LineCol {
    let col = if ascii {
        offset - start
    } else {
        let segment = &text[start..offset];
        match encoding {
            PositionEncoding::Utf8 => segment.len(),
            PositionEncoding::Utf16 => segment.chars().map(char::len_utf16).sum(),
            PositionEncoding::Chars => segment.chars().count(),
        }
    };
    LineCol {
        line: line as u32,
        col: col as u32,
    }
}

fn word_at(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    words::word(w)
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_lines() {
        let text = "{\n  \"a\": 1\n}\n";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.line_col(text, 0, PositionEncoding::Utf16),
            LineCol { line: 0, col: 0 }
        );
        assert_eq!(
            idx.line_col(text, 4, PositionEncoding::Utf16),
            LineCol { line: 1, col: 2 }
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 2 }, PositionEncoding::Utf8),
            4
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 99 }, PositionEncoding::Utf8),
            10
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 9, col: 0 }, PositionEncoding::Utf8),
            text.len()
        );
    }

    #[test]
    fn astral_and_crlf() {
        let text = "a😀b\r\né";
        let idx = LineIndex::new(text);
        // 'b' is at byte 5; UTF-16 column 3 (the emoji is two code units), char column 2.
        assert_eq!(
            idx.line_col(text, 5, PositionEncoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            idx.line_col(text, 5, PositionEncoding::Chars),
            LineCol { line: 0, col: 2 }
        );
        assert_eq!(
            idx.line_col(text, 5, PositionEncoding::Utf8),
            LineCol { line: 0, col: 5 }
        );
        // Column 2 in UTF-16 is inside the surrogate pair: it maps to the emoji's start.
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 2 }, PositionEncoding::Utf16),
            1
        );
        // The line end excludes "\r\n".
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 50 }, PositionEncoding::Utf16),
            6
        );
        assert_eq!(
            idx.line_col(text, 8, PositionEncoding::Utf16),
            LineCol { line: 1, col: 0 }
        );
        assert_eq!(idx.utf16_offset(text, 8), 6);
    }

    #[test]
    fn utf16_offsets_back_to_bytes() {
        let text = "a😀b\r\né";
        let idx = LineIndex::new(text);
        // 'b' is UTF-16 offset 3 and byte 5; offset 2 is inside the emoji's surrogate pair.
        assert_eq!(idx.offset_from_utf16(text, 3), 5);
        assert_eq!(idx.offset_from_utf16(text, 2), 1);
        assert_eq!(idx.offset_from_utf16(text, 6), 8);
        assert_eq!(idx.offset_from_utf16(text, 99), text.len());
        let ascii = "{\"a\": 1}";
        assert_eq!(LineIndex::new(ascii).offset_from_utf16(ascii, 4), 4);
        assert_eq!(
            LineIndex::new(ascii).offset_from_utf16(ascii, 40),
            ascii.len()
        );
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("é".to_string()),
                Just("€".to_string()),
                Just("😀".to_string()),
                Just("𝄞".to_string()),
                Just("\"".to_string()),
            ],
            0..60,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn round_trips_on_char_boundaries(text in text_strategy()) {
            let idx = LineIndex::new(&text);
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Chars] {
                for (offset, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                    // Between "\r" and "\n" is not a position an editor can name.
                    if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                        continue;
                    }
                    let lc = idx.line_col(&text, offset, enc);
                    let back = idx.offset(&text, lc, enc);
                    // '\r' before '\n' is part of the line; both map back exactly.
                    prop_assert_eq!(back, offset, "offset {} enc {:?} lc {:?}", offset, enc, lc);
                }
            }
        }

        #[test]
        fn indexes_like_a_byte_by_byte_scan(text in text_strategy(), pad in 0usize..9) {
            // Shift the text against the eight-byte words.
            let text = format!("{}{text}", "a".repeat(pad));
            let idx = LineIndex::new(&text);
            let mut starts = vec![0];
            let mut non_ascii = vec![false];
            for (i, b) in text.bytes().enumerate() {
                if b == b'\n' {
                    starts.push(i + 1);
                    non_ascii.push(false);
                } else if b >= 0x80 {
                    *non_ascii.last_mut().unwrap() = true;
                }
            }
            prop_assert_eq!(idx.line_starts, starts);
            prop_assert_eq!(idx.non_ascii_lines, non_ascii);
        }

        #[test]
        fn utf16_offsets_match_javascript(text in text_strategy()) {
            let idx = LineIndex::new(&text);
            for (offset, _) in text.char_indices() {
                let expected: usize = text[..offset].encode_utf16().count();
                prop_assert_eq!(idx.utf16_offset(&text, offset), expected);
            }
        }

        #[test]
        fn utf16_offsets_round_trip(text in text_strategy()) {
            let idx = LineIndex::new(&text);
            for (offset, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                let units = idx.utf16_offset(&text, offset);
                prop_assert_eq!(idx.offset_from_utf16(&text, units), offset);
            }
        }

        #[test]
        fn blocks_agree_with_the_index(parts in proptest::collection::vec(text_strategy(), 0..6),
                                       pad in 0usize..9) {
            // Texts over several blocks, shifted against the words.
            let text = format!("{}{}", "a".repeat(pad), parts.join(&"b".repeat(pad * 7)));
            let idx = LineIndex::new(&text);
            let blocks = LineBlocks::new(&text);
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Chars] {
                for offset in 0..=text.len() + 2 {
                    prop_assert_eq!(blocks.line_col(&text, offset, enc), idx.line_col(&text, offset, enc),
                                    "offset {} enc {:?}", offset, enc);
                }
            }
        }
    }
}

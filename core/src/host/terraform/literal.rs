//! Literal collections of a Terraform file read without hcl-edit: the argument of
//! `jsonencode(...)` and a list after `=` (`actions = ["s3:GetObject"]`), when they hold only
//! objects, tuples, quoted strings without interpolation, numbers, `true`, `false` and `null`.
//!
//! hcl-edit's parser tries its alternatives at every token (winnow backtracking), which made it
//! the largest cost of reading a `jsonencode` policy or a policy document's lists. Such a
//! collection is read here into the same host value [`super::Reader::value`] gives, and its
//! contents are cut out of the text hcl-edit parses (`{}` or `[]` is left), as literal heredoc
//! bodies are. The reading is strict: anything else (a reference, an interpolation, a comment, a
//! function call, an operator, a line break where HCL does not allow one, an escape HCL does
//! not know) leaves the collection to hcl-edit, and a cut that hcl-edit does not find as an
//! empty collection has the whole file read without cuts (see `super::read_cut`).

use super::{decode_quoted, hcl_escape};
use crate::host::value::{HKind, HMember, HStr, HValue};
use crate::span::Span;

/// Collections nested deeper than this are left to hcl-edit.
const MAX_DEPTH: usize = 32;

/// The literal collections of `text` that can be cut (their values, spans in the host,
/// brackets included), in text order and apart from each other and from the spans `skip`
/// (literal heredoc bodies and policy document blocks already read, in text order).
pub(super) fn literal_collections(text: &str, skip: &[Span]) -> Vec<HValue> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut next_skip = 0;
    let mut i = 0;
    while i < b.len() {
        // Only `=` and `j` start a candidate: jump to the next one.
        match b[i..].iter().position(|c| matches!(c, b'=' | b'j')) {
            Some(k) => i += k,
            None => break,
        }
        while skip.get(next_skip).is_some_and(|s| s.end <= i) {
            next_skip += 1;
        }
        if let Some(s) = skip.get(next_skip) {
            if s.start <= i {
                i = s.end;
                continue;
            }
        }
        let start = match b[i] {
            b'=' => after_equals(b, i),
            b'j' => after_jsonencode(b, i),
            _ => None,
        };
        if let Some(at) = start.filter(|_| !in_comment_line(b, i)) {
            let mut reader = Literals::new(text, at);
            if let Some(value) = reader.value(0) {
                let end = value.span.end;
                let before_skip = skip.get(next_skip).is_none_or(|s| end <= s.start);
                // An empty collection has nothing to cut.
                if value.span.len() > 2 && before_skip {
                    found.push(value);
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    found
}

/// Where a list value starts after the `=` at `i` of an attribute (`= [`), if it does.
fn after_equals(b: &[u8], i: usize) -> Option<usize> {
    let prev = i.checked_sub(1).map(|p| b[p]);
    if matches!(prev, Some(b'=' | b'!' | b'<' | b'>')) || matches!(b.get(i + 1), Some(b'=' | b'>'))
    {
        return None;
    }
    let mut j = i + 1;
    while matches!(b.get(j), Some(b' ' | b'\t')) {
        j += 1;
    }
    (b.get(j) == Some(&b'[')).then_some(j)
}

/// Where the argument of the `jsonencode(` at `i` starts, when it is an object or a tuple.
fn after_jsonencode(b: &[u8], i: usize) -> Option<usize> {
    const CALL: &[u8] = b"jsonencode(";
    if !b[i..].starts_with(CALL) || i.checked_sub(1).is_some_and(|p| is_ident_byte(b[p])) {
        return None;
    }
    let mut j = i + CALL.len();
    while matches!(b.get(j), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        j += 1;
    }
    matches!(b.get(j), Some(b'{' | b'[')).then_some(j)
}

/// True when the line of `i` starts with a comment (the cut would then be in it; hcl-edit
/// would tell, but the whole file would be read twice).
fn in_comment_line(b: &[u8], i: usize) -> bool {
    let line_start = b[..i]
        .iter()
        .rposition(|c| *c == b'\n')
        .map_or(0, |p| p + 1);
    let line = &b[line_start..i];
    let first = line.iter().position(|c| !matches!(c, b' ' | b'\t'));
    first.is_some_and(|f| line[f] == b'#' || line[f..].starts_with(b"//"))
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// The strict reader of literal values (also used for the attributes of policy document blocks,
/// see [`super::document`]).
pub(super) struct Literals<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
}

impl<'t> Literals<'t> {
    pub(super) fn new(text: &'t str, pos: usize) -> Self {
        Literals {
            text,
            b: text.as_bytes(),
            pos,
        }
    }

    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    pub(super) fn advance(&mut self, n: usize) {
        self.pos += n;
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    pub(super) fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.b.get(self.pos + ahead).copied()
    }

    pub(super) fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// A line ending (`\n` or `\r\n`), consumed.
    pub(super) fn newline(&mut self) -> bool {
        match (self.peek(), self.b.get(self.pos + 1)) {
            (Some(b'\n'), _) => self.pos += 1,
            (Some(b'\r'), Some(b'\n')) => self.pos += 2,
            _ => return false,
        }
        true
    }

    /// Spaces, tabs and line endings.
    pub(super) fn blank(&mut self) {
        loop {
            self.spaces();
            if !self.newline() {
                return;
            }
        }
    }

    pub(super) fn value(&mut self, depth: usize) -> Option<HValue> {
        match self.peek()? {
            b'"' => {
                let (s, span) = self.string()?;
                Some(HValue::string(s, span))
            }
            b'{' if depth < MAX_DEPTH => self.object(depth + 1),
            b'[' if depth < MAX_DEPTH => self.tuple(depth + 1),
            b'0'..=b'9' => self.number(),
            c if c.is_ascii_alphabetic() => {
                let start = self.pos;
                let word = self.ident()?;
                let kind = match word {
                    "true" => HKind::Bool(true),
                    "false" => HKind::Bool(false),
                    "null" => HKind::Null,
                    // A reference, a function call, a `for`: computed by the host.
                    _ => return None,
                };
                Some(HValue::new(kind, Span::new(start, self.pos)))
            }
            _ => None,
        }
    }

    /// An identifier (ASCII only; anything else is left to hcl-edit), not followed by a
    /// traversal, an index or a call.
    pub(super) fn ident(&mut self) -> Option<&'t str> {
        let start = self.pos;
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            return None;
        }
        while self.peek().is_some_and(is_ident_byte) {
            self.pos += 1;
        }
        if matches!(self.peek(), Some(b'.' | b'[' | b'('))
            || !self.peek().is_none_or(|c| c.is_ascii())
        {
            return None;
        }
        self.text.get(start..self.pos)
    }

    /// A decimal number without sign or exponent (`-1` is an operation in HCL).
    fn number(&mut self) -> Option<HValue> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos - start > 1 && self.b[start] == b'0' {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let digits = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
            if self.pos == digits {
                return None;
            }
        }
        if self
            .peek()
            .is_some_and(|c| is_ident_byte(c) || c == b'.' || !c.is_ascii())
        {
            return None;
        }
        let span = Span::new(start, self.pos);
        Some(HValue::new(
            HKind::Number(span.slice(self.text).to_string()),
            span,
        ))
    }

    /// A quoted string without interpolation or directive: its decoded text and its span,
    /// quotes included.
    fn string(&mut self) -> Option<(HStr, Span)> {
        let start = self.pos;
        self.pos += 1;
        loop {
            let rest = self.b.get(self.pos..)?;
            match *rest.first()? {
                b'"' => break,
                // Only HCL's escapes; hcl-edit reports any other.
                b'\\' => self.pos += hcl_escape(self.text.get(self.pos..)?)?.1,
                // HCL's template starts and their escapes (`$${`), not IAM policy variables.
                b'$' | b'%' if rest.get(1) == Some(&b'{') => return None,
                b'$' | b'%' if rest.get(1) == Some(&rest[0]) && rest.get(2) == Some(&b'{') => {
                    self.pos += 3;
                }
                c if c < b' ' || c == 0x7f => return None,
                _ => self.pos += 1,
            }
        }
        self.pos += 1;
        let mut s = HStr::default();
        decode_quoted(self.text, Span::new(start + 1, self.pos - 1), &mut s);
        Some((s, Span::new(start, self.pos)))
    }

    fn tuple(&mut self, depth: usize) -> Option<HValue> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.blank();
        loop {
            if self.peek()? == b']' {
                break;
            }
            items.push(self.value(depth)?);
            self.blank();
            match self.peek()? {
                b',' => {
                    self.pos += 1;
                    self.blank();
                }
                b']' => break,
                _ => return None,
            }
        }
        self.pos += 1;
        Some(HValue::new(HKind::Array(items), Span::new(start, self.pos)))
    }

    /// Members `key = value` or `key: value`, each ended by a comma or a line ending.
    fn object(&mut self, depth: usize) -> Option<HValue> {
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.blank();
        loop {
            if self.peek()? == b'}' {
                break;
            }
            let key_start = self.pos;
            let key = if self.peek()? == b'"' {
                self.string()?.0
            } else {
                let ident = self.ident()?;
                if matches!(ident, "true" | "false" | "null" | "for") {
                    return None;
                }
                HStr::literal(ident, Span::new(key_start, self.pos))
            };
            let key_span = Span::new(key_start, self.pos);
            self.spaces();
            match (self.peek()?, self.b.get(self.pos + 1)) {
                (b'=', Some(b'=' | b'>')) => return None,
                (b'=' | b':', _) => self.pos += 1,
                _ => return None,
            }
            self.spaces();
            let value = self.value(depth)?;
            members.push(HMember {
                key,
                key_span,
                value,
            });
            self.spaces();
            if self.peek()? == b',' {
                self.pos += 1;
                self.blank();
            } else if self.newline() {
                self.blank();
            } else if self.peek()? != b'}' {
                return None;
            }
        }
        self.pos += 1;
        Some(HValue::new(
            HKind::Object(members),
            Span::new(start, self.pos),
        ))
    }
}

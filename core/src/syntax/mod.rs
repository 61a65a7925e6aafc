//! A hand-written, error-tolerant JSON parser that keeps the byte span of every key and value.
//!
//! Object members stay in source order, so duplicate keys are visible to the rules. After a
//! syntax error the parser resynchronises at the next `,`, `}` or `]` of the enclosing container,
//! so one broken statement does not hide the statements after it. It never panics and runs in
//! time linear in the input (nesting is capped so deep input cannot exhaust the stack).
//!
//! Some mistakes are common enough in copied policies to get their own error with a safe fix:
//! comments (`//` and `/* */`, which JSON and IAM reject) are reported once each and then read
//! as whitespace; a byte-order mark at the start is reported once and skipped; a trailing comma
//! is reported at the comma.

mod decoded;
pub use decoded::{common_word, DecodedStr};
pub mod quote;

use crate::bytes::words;
use crate::diagnostic::{Fix, Safety, TextEdit};
use crate::span::Span;

mod quote_repair;
use quote_repair::Repair;
mod single_edit;
use single_edit::{Change, Edit};
mod strict;

/// Deeper nesting than this is reported as an error instead of being parsed, so hostile input
/// cannot overflow the stack. Real policies nest about six levels deep.
pub const MAX_DEPTH: usize = 128;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// The whole value, quotes and brackets included.
    pub span: Span,
    /// A string whose closing quote is missing (it runs to the end of its line or of the text):
    /// its content runs to the end of the span.
    pub unterminated: bool,
    /// A string whose opening quote is missing (found by the line's quote count): its content
    /// starts at the start of the span.
    pub unopened: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// The number's text as written (JSON numbers are kept exactly; IAM compares them as text
    /// or converts them itself).
    Number(String),
    /// The decoded string value.
    String(DecodedStr),
    Array(Vec<Node>),
    Object(Vec<Member>),
    /// A value that could not be parsed; a syntax error has been reported for it.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The decoded key.
    pub value: DecodedStr,
    /// The key with its quotes.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: Key,
    /// `None` when the value is missing (`{"Effect": }`); an error was reported.
    pub value: Option<Node>,
}

impl Member {
    /// From the key's first quote to the end of the value (or the key, if no value).
    pub fn span(&self) -> Span {
        match &self.value {
            Some(v) => self.key.span.cover(v.span),
            None => self.key.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    /// A repair that cannot change what the policy means (removing a comment, a byte-order
    /// mark or a trailing comma).
    pub fix: Option<Fix>,
}

/// A parsed document: the root value (if any) and every syntax error found on the way.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub root: Option<Node>,
    pub errors: Vec<SyntaxError>,
}

/// `a` and `b` are equal once every span of `a` is moved by `shift` (wrapping, so a move to an
/// earlier offset is a wrapped add).
fn same_shifted(a: &Node, b: &Node, shift: usize) -> bool {
    let moved = |x: Span, y: Span| {
        x.start.wrapping_add(shift) == y.start && x.end.wrapping_add(shift) == y.end
    };
    if !moved(a.span, b.span) || a.unterminated != b.unterminated || a.unopened != b.unopened {
        return false;
    }
    match (&a.kind, &b.kind) {
        (NodeKind::Array(x), NodeKind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_shifted(x, y, shift))
        }
        (NodeKind::Object(x), NodeKind::Object(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|(x, y)| {
                    x.key.value == y.key.value
                        && moved(x.key.span, y.key.span)
                        && match (&x.value, &y.value) {
                            (Some(x), Some(y)) => same_shifted(x, y, shift),
                            (None, None) => true,
                            _ => false,
                        }
                })
        }
        (x, y) => x == y,
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            NodeKind::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// True when `other` is this node moved in the text: the same kinds, values, flags and
    /// keys, every span shifted by the same amount. What an incremental check asks of a
    /// statement before reusing its findings (a syntax error elsewhere can change how the same
    /// characters are read, so equal text alone is not enough).
    pub fn same_moved(&self, other: &Node) -> bool {
        let shift = other.span.start.wrapping_sub(self.span.start);
        same_shifted(self, other, shift)
    }

    /// The first member whose key equals `key` exactly.
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key.value == key)
    }

    /// The span of a string's contents, without its quotes. For other values, the whole span.
    /// Only exact when the string has no escapes; use [`string_offset`] for exact mapping.
    pub fn inner_span(&self) -> Span {
        if !matches!(self.kind, NodeKind::String(_)) {
            return self.span;
        }
        // Without a closing (opening) quote the content runs to the end (from the start):
        // cutting a byte off there could split a character.
        let open = usize::from(!self.unopened);
        let close = usize::from(!self.unterminated);
        if self.span.len() >= open + close {
            Span::new(self.span.start + open, self.span.end - close)
        } else {
            self.span
        }
    }

    /// A short name of the JSON type, for messages ("a string", "an array", ...).
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Number(_) => "a number",
            NodeKind::String(_) => "a string",
            NodeKind::Array(_) => "an array",
            NodeKind::Object(_) => "an object",
            NodeKind::Error => "an invalid value",
        }
    }

    /// Every string scalar as IAM would read a "string or array of strings" element; other
    /// values are returned in the second list so that a rule can report them.
    pub fn string_items(&self) -> (Vec<(&str, &Node)>, Vec<&Node>) {
        self.string_items_as(|s, node| (s, node))
    }

    /// [`Self::string_items`] with each string made into a `T` by `item` as it is found, so a
    /// caller that wants its own item type builds it in place instead of mapping a second list.
    /// The list of strings is allocated once at its final size (an array's length; non-strings
    /// in an array are rare): grown item by item it was reallocated and copied several times
    /// for an action list of a few dozen.
    pub fn string_items_as<'a, T>(
        &'a self,
        mut item: impl FnMut(&'a str, &'a Node) -> T,
    ) -> (Vec<T>, Vec<&'a Node>) {
        let mut others = Vec::new();
        let strings = match &self.kind {
            NodeKind::String(s) => vec![item(s.as_str(), self)],
            NodeKind::Array(items) => {
                let mut strings = Vec::with_capacity(items.len());
                for node in items {
                    match &node.kind {
                        NodeKind::String(s) => strings.push(item(s.as_str(), node)),
                        _ => others.push(node),
                    }
                }
                strings
            }
            _ => {
                others.push(self);
                Vec::new()
            }
        };
        (strings, others)
    }
}

/// Byte offset in the source of the character at `char_index` of a string node's decoded value,
/// accounting for escapes. Returns the end of the contents if the index is past the end.
pub fn string_offset(text: &str, node: &Node, decoded_index: usize) -> usize {
    let inner = node.inner_span();
    let raw = inner.slice(text);
    let mut decoded = 0usize;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if decoded >= decoded_index {
            return inner.start + i;
        }
        if c == '\\' {
            match chars.next() {
                Some((_, 'u')) => {
                    for _ in 0..4 {
                        chars.next();
                    }
                    // A \u escape decodes to one char of 1-4 bytes; count the UTF-8 bytes it yields.
                    let hex = raw
                        .get(i + 2..i + 6)
                        .and_then(|h| u32::from_str_radix(h, 16).ok());
                    decoded += hex
                        .and_then(char::from_u32)
                        .map(char::len_utf8)
                        .unwrap_or(3);
                }
                Some((_, e)) => decoded += e.len_utf8().min(1),
                None => {}
            }
        } else {
            decoded += c.len_utf8();
        }
    }
    inner.end
}

/// Parse `text` as JSON, tolerating errors.
pub fn parse(text: &str) -> Document {
    // A well-formed document (nearly every one) is read by the strict reader, which the
    // tolerant parser reads the same with no error (see `strict`), for a good part of the cost.
    if let Some(doc) = strict::parse(text) {
        return doc;
    }
    // The quote repairs cost a pass over every line; a document that parses without an error
    // has every string on one line, so every line holds an even number of quotes and there is
    // nothing to repair. Only a broken document is parsed again, with them.
    let plain = parse_with(text, false);
    if plain.errors.iter().all(tolerated) {
        return plain;
    }
    // One slip of the finger is the common case: when one character changed makes the document
    // well-formed, that is the mistake, and it is one error.
    if let Some(doc) = parse_with_single_edit(text, &plain) {
        return doc;
    }
    parse_with(text, true)
}

/// `text` parsed when it is well-formed JSON without any error (not even a tolerated one),
/// else None. The same as [`parse`] when that reports no error, without the repair searches it
/// makes for a broken document (the single-character edits, the quote repairs), which cost far
/// more than the parse: for callers that want a clean document or nothing, such as a host fix
/// reading back the value it wrote (`host::write`), where a text that is several values is the
/// expected case, not a typing mistake.
pub(crate) fn parse_clean(text: &str) -> Option<Document> {
    // Every repair reports an error, so a document `parse` reads without error is this one.
    if let Some(doc) = strict::parse(text) {
        return Some(doc);
    }
    let doc = parse_with(text, false);
    doc.errors.is_empty().then_some(doc)
}

/// An error the parser reads past exactly (a comment, a byte-order mark, a trailing comma): its
/// safe fix removes it and nothing else changes.
fn tolerated(error: &SyntaxError) -> bool {
    error.fix.as_ref().is_some_and(|f| f.safety == Safety::Safe)
}

/// The document read with the one edit that makes it well-formed (see [`single_edit`]), with
/// every span back in `text`'s offsets and one error for the edit. Of the candidate edits, one
/// that leaves no object with a repeated key is preferred: a statement whose '{' or '}' is
/// missing also reads as well-formed when two statements merge, with every key twice.
fn parse_with_single_edit(text: &str, plain: &Document) -> Option<Document> {
    let mut best: Option<(usize, Edit, Document)> = None;
    for edit in single_edit::find(text) {
        let doc = parse_with(&edit.apply(text), false);
        if !doc.errors.iter().all(tolerated) {
            continue;
        }
        let repeated = doc.root.as_ref().map_or(0, repeated_keys);
        if best.as_ref().is_none_or(|b| repeated < b.0) {
            best = Some((repeated, edit, doc));
        }
        if repeated == 0 {
            break;
        }
    }
    let (_, edit, mut doc) = best?;
    if let Some(root) = &mut doc.root {
        map_node(root, &edit);
    }
    for error in &mut doc.errors {
        error.span = map_span(error.span, &edit);
        for e in error.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            e.span = map_span(e.span, &edit);
        }
    }
    // The tolerated mistakes as the plain reading of `text` reported them, when it saw the same
    // ones: their fixes were written for `text` (a comment's removal keeps a space between
    // tokens that would otherwise touch, and the edit may have put one there).
    let seen: Vec<&SyntaxError> = plain.errors.iter().filter(|e| tolerated(e)).collect();
    if seen.len() == doc.errors.len() && seen.iter().zip(&doc.errors).all(|(a, b)| a.span == b.span)
    {
        doc.errors = seen.into_iter().cloned().collect();
    }
    doc.errors.push(edit_error(text, &edit));
    doc.errors.sort_by_key(|e| e.span.start);
    Some(doc)
}

/// How many members of the objects under `node` repeat an earlier key of their object.
fn repeated_keys(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Array(items) => items.iter().map(repeated_keys).sum(),
        NodeKind::Object(members) => {
            let own = (1..members.len())
                .filter(|&i| {
                    members[..i]
                        .iter()
                        .any(|m| m.key.value == members[i].key.value)
                })
                .count();
            own + members
                .iter()
                .filter_map(|m| m.value.as_ref())
                .map(repeated_keys)
                .sum::<usize>()
        }
        _ => 0,
    }
}

fn map_span(span: Span, edit: &Edit) -> Span {
    let start = edit.map(span.start, true);
    Span::new(start, edit.map(span.end, false).max(start))
}

fn map_node(node: &mut Node, edit: &Edit) {
    if edit.change == Change::Insert(b'"') && matches!(node.kind, NodeKind::String(_)) {
        // The quote the edit added is not in the text: the string's content starts at the
        // start of its span (or runs to its end).
        node.unopened |= node.span.start == edit.at;
        node.unterminated |= node.span.end == edit.at + 1;
    }
    node.span = map_span(node.span, edit);
    match &mut node.kind {
        NodeKind::Array(items) => items.iter_mut().for_each(|i| map_node(i, edit)),
        NodeKind::Object(members) => {
            for m in members {
                m.key.span = map_span(m.key.span, edit);
                if let Some(v) = &mut m.value {
                    map_node(v, edit);
                }
            }
        }
        _ => {}
    }
}

/// The error for a single-character mistake, with the edit that repairs it as a fix to review
/// (it is inferred from the text, not known).
fn edit_error(text: &str, edit: &Edit) -> SyntaxError {
    let (old, new) = edit.describe(text);
    let span = Span::new(edit.at, edit.at + edit.len);
    // A quote opens a string after a blank or punctuation, and closes one after its text.
    let opens = text.as_bytes()[..edit.at]
        .last()
        .is_none_or(|b| b.is_ascii_whitespace() || b"{[,:".contains(b));
    let quote = match edit.change {
        Change::Insert(b'"') if opens => Some(Repair::Open),
        Change::Insert(b'"') => Some(Repair::Close),
        Change::Replace(b'"') if opens => Some(Repair::OpenWith),
        Change::Replace(b'"') => Some(Repair::CloseWith),
        Change::Delete if text.as_bytes().get(edit.at) == Some(&b'"') => Some(Repair::Drop),
        _ => None,
    };
    let control = text[edit.at..]
        .chars()
        .next()
        .is_some_and(|c| (c as u32) < 0x20);
    let (message, title, replacement) = match edit.change {
        Change::Delete if control => (
            format!(
                "Unexpected {old} inside a string: JSON strings stay on one line and write \
                 control characters as escapes"
            ),
            format!("Remove {old}"),
            String::new(),
        ),
        Change::Delete => (
            format!("Unexpected {old}: the document is well-formed without it"),
            format!("Remove {old}"),
            String::new(),
        ),
        Change::Insert(c) => (
            format!("Missing {new}: the document is well-formed with it here"),
            format!("Insert {new}"),
            (c as char).to_string(),
        ),
        Change::Replace(c) => (
            format!("Expected {new} here, found {old}"),
            format!("Replace {old} by {new}"),
            (c as char).to_string(),
        ),
    };
    // Quotes are described as the quote repair describes them (one home for those messages).
    let message = quote.map_or(message, |q| quote_repair::describe(text, edit.at, q).1);
    SyntaxError {
        span,
        message,
        fix: Some(Fix::review(
            title,
            vec![TextEdit {
                span,
                text: replacement,
            }],
        )),
    }
}

fn parse_with(text: &str, repair_quotes: bool) -> Document {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        errors: Vec::new(),
        comments_reported_to: 0,
        repairs: Vec::new(),
        ws_end: usize::MAX,
        // Sized once for the usual document (a statement list of a few dozen, an action list of
        // a few dozen), so the stacks are not grown (and their nodes copied) several times
        // over in each parse.
        open: Vec::with_capacity(16),
        items: Vec::with_capacity(64),
        members: Vec::with_capacity(32),
    };
    let repairs = if repair_quotes {
        quote_repair::repairs(text)
    } else {
        Vec::new()
    };
    for (at, repair, span, message) in repairs {
        parser.repairs.push((at, repair));
        parser.error(span, message);
    }
    parser.byte_order_mark();
    parser.skip_ws();
    let root = if parser.pos >= parser.bytes.len() {
        parser.error(
            Span::empty(parser.pos),
            "The document is empty: expected a JSON object",
        );
        None
    } else {
        let mut node = parser.value(0);
        parser.skip_ws();
        if parser.peek() == Some(b':') && matches!(node.kind, NodeKind::String(_)) {
            // `"Version": ...` first: the document's '{' is missing.
            node = parser.object_without_brace(node, 0);
            parser.skip_ws();
        }
        if parser.pos < parser.bytes.len() {
            let start = parser.pos;
            parser.error(
                Span::new(start, parser.next_char_end()),
                "Unexpected text after the end of the JSON document",
            );
        }
        Some(node)
    };
    // The quote repairs were reported before parsing; keep the errors in text order.
    let mut errors = parser.errors;
    errors.sort_by_key(|e| e.span.start);
    Document { root, errors }
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    errors: Vec<SyntaxError>,
    /// The end of the last comment reported: recovery may step over a comment again, and it
    /// must be reported once.
    comments_reported_to: usize,
    /// How to read each line with an odd number of quotes (see [`quote_repair`]), by offset.
    repairs: Vec<(usize, Repair)>,
    /// The containers open around `pos`, innermost last: `{` or `[`, and where each opened.
    open: Vec<(u8, usize)>,
    /// Where the last skip of blanks and comments ended (see [`Self::skip_ws`]).
    ws_end: usize,
    /// The items read so far of the arrays open around `pos`, innermost last (each array knows
    /// where its own items start), and the same for the members of objects. A container's elements
    /// are moved into a vector of their exact size when it closes: one allocation per
    /// container instead of a vector grown (and copied) while it is read.
    items: Vec<Node>,
    members: Vec<Member>,
}

/// What follows a closing bracket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Continuation {
    End,
    Open,
    Close(u8),
    Key,
    Item,
    /// Something else (a string followed by another value, a bare word): no evidence.
    Unknown,
}

/// The end of the run of ASCII whitespace at `at` (the layout the closers' look-ahead steps over,
/// which also counts a form feed). A line's indentation is stepped over eight blanks at a time.
fn blanks_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&b) = bytes.get(at) {
        if !b.is_ascii_whitespace() {
            break;
        }
        at += 1;
        if b == b'\n' {
            at = indentation_end(bytes, at);
        }
    }
    at
}

/// `at` moved over the spaces that start a pretty-printed line (nearly half the bytes of a
/// policy file are these), eight bytes at a time: in a word of the text xor-ed with eight spaces,
/// the lowest byte that is not zero is the first that is not a space, so one word gives the
/// whole of an indentation up to eight and what is left of a longer one, with no byte loop for
/// the four or twelve blanks a multiple of eight leaves. Near the end of the text (fewer than
/// eight bytes) the rest is left to the caller's byte loop.
#[inline]
fn indentation_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let spaces = words::first(words::word(w) ^ words::splat(b' '));
        at += spaces;
        if spaces < 8 {
            break;
        }
    }
    at
}

/// The byte-order mark as it is encoded in UTF-8.
const BYTE_ORDER_MARK: &str = "\u{FEFF}";

impl<'t> Parser<'t> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.error_with_fix(span, message, None);
    }

    fn error_with_fix(&mut self, span: Span, message: impl Into<String>, fix: Option<Fix>) {
        // One error per position is enough; recovery can otherwise repeat itself.
        if self
            .errors
            .last()
            .is_some_and(|e| e.span.start == span.start)
        {
            return;
        }
        self.errors.push(SyntaxError {
            span,
            message: message.into(),
            fix,
        });
    }

    /// Windows editors may start a file with a byte-order mark. JSON texts sent over the network
    /// must not start with one (RFC 8259, section 8.1) and IAM does not accept it; report it once
    /// and read the document after it.
    fn byte_order_mark(&mut self) {
        if self.text.starts_with(BYTE_ORDER_MARK) {
            let span = Span::new(0, BYTE_ORDER_MARK.len());
            self.error_with_fix(
                span,
                "The document starts with a byte-order mark (U+FEFF), which IAM does not \
                 accept in a policy; save the file as UTF-8 without a BOM",
                Some(Fix::safe(
                    "Remove the byte-order mark",
                    vec![TextEdit {
                        span,
                        text: String::new(),
                    }],
                )),
            );
            self.pos = span.end;
        }
    }

    /// Whether a comment starts at `pos` (`//` or `/*`).
    fn at_comment(&self) -> bool {
        self.peek() == Some(b'/') && matches!(self.bytes.get(self.pos + 1), Some(b'/' | b'*'))
    }

    /// Step over the comment at `pos`, reporting it (once) with a fix that removes it. JSON has
    /// no comments and IAM rejects a policy that contains one; they are common in examples copied
    /// from documentation, so they are read as whitespace and the rest is checked as usual.
    fn comment(&mut self) {
        let start = self.pos;
        let block = self.bytes.get(start + 1) == Some(&b'*');
        let (end, closed) = if block {
            match self.text[start + 2..].find("*/") {
                Some(i) => (start + 2 + i + 2, true),
                None => (self.bytes.len(), false),
            }
        } else {
            let rest = &self.bytes[start..];
            let eol = rest.iter().position(|&b| b == b'\n' || b == b'\r');
            (eol.map_or(self.bytes.len(), |i| start + i), true)
        };
        self.pos = end;
        if start < self.comments_reported_to {
            return;
        }
        self.comments_reported_to = end;
        let span = Span::new(start, end);
        if !closed {
            self.error(
                span,
                "Unterminated comment: missing '*/' (JSON has no comments; IAM rejects them)",
            );
            return;
        }
        let kind = if block { "/* */" } else { "//" };
        let fix = Fix::safe("Remove the comment", vec![self.comment_removal(span)]);
        self.error_with_fix(
            span,
            format!(
                "Comments are not allowed in JSON: IAM rejects a policy containing a {kind} \
                 comment. Remove it (a \"Sid\" can name a statement)"
            ),
            Some(fix),
        );
    }

    /// The edit that removes a comment: its whole line when it stands alone on it, else the
    /// comment with the blanks before it. If tokens on both sides would then touch, a space stays.
    fn comment_removal(&self, span: Span) -> TextEdit {
        let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
        let before = &self.bytes[..span.start];
        let blanks_before = before.iter().rev().take_while(|b| is_blank(b)).count();
        let line_start = span.start - blanks_before;
        let after = &self.bytes[span.end..];
        let blanks_after = after.iter().take_while(|b| is_blank(b)).count();
        let line_end = span.end + blanks_after;
        let starts_line = line_start == 0 || matches!(self.bytes[line_start - 1], b'\n' | b'\r');
        let newline = match &self.bytes[line_end..] {
            [b'\r', b'\n', ..] => Some(2),
            [b'\n' | b'\r', ..] => Some(1),
            _ => None,
        };
        if starts_line {
            if let Some(n) = newline {
                return TextEdit {
                    span: Span::new(line_start, line_end + n),
                    text: String::new(),
                };
            }
        }
        let (start, end) = if newline.is_some() || line_end == self.bytes.len() {
            (line_start, line_end)
        } else {
            (span.start, line_end)
        };
        let joins = |b: Option<&u8>| b.is_some_and(|b| !b" \t\r\n{}[],:".contains(b));
        let text = if start > 0 && joins(self.bytes.get(start - 1)) && joins(self.bytes.get(end)) {
            " "
        } else {
            ""
        };
        TextEdit {
            span: Span::new(start, end),
            text: text.to_string(),
        }
    }

    /// The quote repair at `at`, if any.
    fn repair_at(&self, at: usize) -> Option<Repair> {
        if self.repairs.is_empty() {
            return None;
        }
        let i = self.repairs.binary_search_by_key(&at, |r| r.0).ok()?;
        Some(self.repairs[i].1)
    }

    /// Whether a string starts at `pos` (a quote, or a repair that reads as one).
    fn opens_string(&self) -> bool {
        match self.repair_at(self.pos) {
            Some(Repair::Open | Repair::OpenWith) => true,
            Some(Repair::Drop) => false,
            _ => self.peek() == Some(b'"'),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// End offset of the character at `pos` (for one-character error spans).
    fn next_char_end(&self) -> usize {
        let mut end = self.pos + 1;
        while end < self.bytes.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        end.min(self.bytes.len())
    }

    /// Skip whitespace, and comments (reported as errors).
    ///
    /// Nothing to do when `pos` is where the last skip ended: where the blanks stop depends only
    /// on the text and the quote repairs, which do not change during a parse. The containers'
    /// loops skip before every element and again after it (to look for ',' and the closer), so
    /// about half the calls start there; this test keeps them to a comparison.
    #[inline]
    fn skip_ws(&mut self) {
        if self.pos != self.ws_end {
            self.skip_blanks_and_comments();
        } else if cfg!(debug_assertions) {
            // The skip this saves, made anyway in a debug build (every test): it must not move.
            let (at, errors) = (self.pos, self.errors.len());
            self.skip_blanks_and_comments();
            debug_assert_eq!((self.pos, self.errors.len()), (at, errors));
        }
    }

    fn skip_blanks_and_comments(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => self.pos = indentation_end(self.bytes, self.pos + 1),
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'/' if self.at_comment() => self.comment(),
                // An extra quote (reported already) is read as a blank.
                b'"' if self.repair_at(self.pos) == Some(Repair::Drop) => self.pos += 1,
                _ => break,
            }
        }
        self.ws_end = self.pos;
    }

    fn describe_here(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "the end of the document".to_string(),
            Some(c) => format!("'{c}'"),
        }
    }

    fn value(&mut self, depth: usize) -> Node {
        let start = self.pos;
        if depth > MAX_DEPTH {
            self.error(
                Span::empty(start),
                format!("Nesting deeper than {MAX_DEPTH} levels"),
            );
            self.skip_to_end_of_nested();
            return Node {
                kind: NodeKind::Error,
                span: Span::new(start, self.pos),
                unterminated: false,
                unopened: false,
            };
        }
        if self.opens_string() {
            return self.string_node();
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't' | b'f' | b'n') => self.keyword(),
            _ => {
                if self.pos >= self.bytes.len() {
                    self.error(
                        Span::empty(start),
                        "Expected a value, found the end of the document",
                    );
                    return Node {
                        kind: NodeKind::Error,
                        span: Span::empty(start),
                        unterminated: false,
                        unopened: false,
                    };
                }
                // Consume a run of bare-word characters so `Allow` without quotes is one error.
                self.skip_bare_word();
                let span = Span::new(start, self.pos);
                let word = span.slice(self.text);
                let message = if word.chars().count() > 1 {
                    format!("Expected a value, found '{word}' (strings need double quotes)")
                } else {
                    format!("Expected a value, found '{word}'")
                };
                self.error(span, message);
                Node {
                    kind: NodeKind::Error,
                    span,
                    unterminated: false,
                    unopened: false,
                }
            }
        }
    }

    fn skip_bare_word(&mut self) {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric()
                || b == b'_'
                || b == b'-'
                || b == b'.'
                || b == b':'
                || b >= 0x80
            {
                self.pos += 1;
            } else {
                break;
            }
        }
        while self.pos < self.bytes.len() && !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
        if self.pos == start && self.pos < self.bytes.len() {
            // Some other stray character: step over it so parsing always makes progress.
            self.pos = self.next_char_end();
        }
    }

    /// Used only when nesting is too deep: skip a balanced run without recursion.
    fn skip_to_end_of_nested(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.string();
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn keyword(&mut self) -> Node {
        let start = self.pos;
        for (word, kind) in [
            ("true", NodeKind::Bool(true)),
            ("false", NodeKind::Bool(false)),
            ("null", NodeKind::Null),
        ] {
            if self.bytes[self.pos..].starts_with(word.as_bytes()) {
                let after = self.bytes.get(self.pos + word.len()).copied();
                if !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    self.pos += word.len();
                    return Node {
                        kind,
                        span: Span::new(start, self.pos),
                        unterminated: false,
                        unopened: false,
                    };
                }
            }
        }
        self.skip_bare_word();
        let span = Span::new(start, self.pos);
        let word = span.slice(self.text).to_string();
        self.error(
            span,
            format!("Expected a value, found '{word}' (strings need double quotes)"),
        );
        Node {
            kind: NodeKind::Error,
            span,
            unterminated: false,
            unopened: false,
        }
    }

    fn number(&mut self) -> Node {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let mut valid = self.pos > int_start;
        if valid && self.bytes[int_start] == b'0' && self.pos - int_start > 1 {
            valid = false;
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let frac = self.pos;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
            valid &= self.pos > frac;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let exp = self.pos;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
            valid &= self.pos > exp;
        }
        let span = Span::new(start, self.pos);
        if !valid {
            self.error(span, format!("Invalid number '{}'", span.slice(self.text)));
            return Node {
                kind: NodeKind::Error,
                span,
                unterminated: false,
                unopened: false,
            };
        }
        Node {
            kind: NodeKind::Number(span.slice(self.text).to_string()),
            span,
            unterminated: false,
            unopened: false,
        }
    }

    fn string_node(&mut self) -> Node {
        let unopened = self.repair_at(self.pos) == Some(Repair::Open);
        let (value, span, unterminated) = self.string();
        Node {
            kind: NodeKind::String(value),
            span,
            unterminated,
            unopened,
        }
    }

    /// Parse a string at `pos` (a `"`, or a quote repair). An unterminated string ends at the end
    /// of its line, so the lines after it are still parsed.
    fn string(&mut self) -> (DecodedStr, Span, bool) {
        let start = self.pos;
        if self.repair_at(start) != Some(Repair::Open) {
            self.pos += 1;
        }
        // Most strings hold no escape and no control character, and most documents need no
        // quote repair: such a string is the text up to the next '"', copied once into a buffer
        // of its exact size (the loop below grows its buffer and looks up repairs at every byte).
        // The first byte JSON would escape ('"', '\\' or a control character) ends it when it is
        // the '"', found eight bytes at a time by the quoting's own scan in one pass.
        if self.repairs.is_empty() {
            let end = quote::next_to_escape(self.bytes, self.pos);
            if self.bytes.get(end) == Some(&b'"') {
                let value = DecodedStr::new(&self.text[self.pos..end]);
                self.pos = end + 1;
                return (value, Span::new(start, self.pos), false);
            }
        }
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            if self.pos > start {
                match self.repair_at(self.pos) {
                    Some(Repair::Close) => {
                        out.push_str(&self.text[run_start..self.pos]);
                        return (DecodedStr::from(out), Span::new(start, self.pos), true);
                    }
                    Some(Repair::CloseWith) => {
                        out.push_str(&self.text[run_start..self.pos]);
                        self.pos += 1;
                        return (DecodedStr::from(out), Span::new(start, self.pos), false);
                    }
                    Some(Repair::Drop) => {
                        out.push_str(&self.text[run_start..self.pos]);
                        self.pos += 1;
                        run_start = self.pos;
                        continue;
                    }
                    _ => {}
                }
            }
            let Some(b) = self.peek() else {
                out.push_str(&self.text[run_start..self.pos]);
                self.error(
                    Span::new(start, self.pos),
                    "Unterminated string: missing closing '\"'",
                );
                return (DecodedStr::from(out), Span::new(start, self.pos), true);
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.pos += 1;
                    return (DecodedStr::from(out), Span::new(start, self.pos), false);
                }
                b'\n' | b'\r' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.error(
                        Span::new(start, self.pos),
                        "Unterminated string: missing closing '\"' before the end of the line",
                    );
                    return (DecodedStr::from(out), Span::new(start, self.pos), true);
                }
                b'\\' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.escape(&mut out);
                    run_start = self.pos;
                }
                0x00..=0x1f => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.error(
                        Span::new(self.pos, self.pos + 1),
                        "Control characters must be escaped inside strings",
                    );
                    self.pos += 1;
                    run_start = self.pos;
                }
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) {
        let esc_start = self.pos;
        self.pos += 1; // the backslash
        let Some(b) = self.peek() else {
            self.error(Span::new(esc_start, self.pos), "Incomplete escape sequence");
            return;
        };
        let simple = match b {
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'/' => Some('/'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            self.pos += 1;
            return;
        }
        if b == b'u' {
            self.pos += 1;
            let Some(first) = self.hex4() else {
                self.error(
                    Span::new(esc_start, self.pos),
                    "Invalid \\u escape: expected four hex digits",
                );
                return;
            };
            // A high surrogate must be followed by a low one (astral-plane characters).
            if (0xD800..0xDC00).contains(&first) {
                if self.bytes[self.pos..].starts_with(b"\\u") {
                    let save = self.pos;
                    self.pos += 2;
                    if let Some(second) = self.hex4().filter(|s| (0xDC00..0xE000).contains(s)) {
                        let cp = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        return;
                    }
                    self.pos = save;
                }
                self.error(
                    Span::new(esc_start, self.pos),
                    "Unpaired surrogate in \\u escape",
                );
                out.push('\u{FFFD}');
                return;
            }
            match char::from_u32(first) {
                Some(c) => out.push(c),
                None => {
                    self.error(
                        Span::new(esc_start, self.pos),
                        "Unpaired surrogate in \\u escape",
                    );
                    out.push('\u{FFFD}');
                }
            }
            return;
        }
        let end = self.next_char_end();
        self.error(
            Span::new(esc_start, end),
            format!("Invalid escape sequence '{}'", &self.text[esc_start..end]),
        );
        self.pos = end;
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let mut v = 0u32;
        for d in digits {
            v = v * 16 + (*d as char).to_digit(16)?;
        }
        self.pos += 4;
        Some(v)
    }

    fn array(&mut self, depth: usize) -> Node {
        let start = self.pos;
        self.pos += 1;
        let base = self.items.len();
        self.array_items(start, depth, base)
    }

    /// The items of an array from `pos` to its end; `start` is where it opened, and its items
    /// are `self.items[base..]`, of which some may be read already (a list whose '[' is missing
    /// starts with one).
    fn array_items(&mut self, start: usize, depth: usize, base: usize) -> Node {
        self.open.push((b'[', start));
        loop {
            self.skip_ws();
            match self.peek() {
                None => {
                    self.error(Span::empty(self.pos), "Unclosed array: missing ']'");
                    break;
                }
                Some(b']') => {
                    if self.closer_is_stray(b'[', start) {
                        self.stray_closer();
                        continue;
                    }
                    self.pos += 1;
                    break;
                }
                Some(b'}') => {
                    let here = Span::new(self.pos, self.pos + 1);
                    if self.closer_is_stray(b'[', start) {
                        self.stray_closer();
                        continue;
                    }
                    // Under the line that opened the array, it is this array's closer mistyped;
                    // else it belongs to an enclosing object and this array was never closed.
                    if self.leads_line_like(start) {
                        self.error(here, "Expected ']' to close the array, found '}'");
                        self.pos += 1;
                    } else {
                        let end = self.items[base..].last().map_or(start + 1, |i| i.span.end);
                        self.missing_closer(end, b']');
                    }
                    break;
                }
                Some(b',') => {
                    self.error(
                        Span::new(self.pos, self.pos + 1),
                        "Expected a value before ','",
                    );
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            let errors = self.errors.len();
            let item = self.value(depth + 1);
            self.skip_ws();
            if self.peek() == Some(b':') && matches!(item.kind, NodeKind::String(_)) {
                if self.key_closes_array(start, item.span.start) {
                    // `"Resource": ...` at the indentation of the line that opened this list:
                    // the list's ']' is missing, and the key is the enclosing object's next
                    // member. Give back the key (and the ',' before it) to the object.
                    let end = self.items[base..].last().map_or(start + 1, |i| i.span.end);
                    self.errors.truncate(errors);
                    self.missing_closer(end, b']');
                    self.pos = end;
                    break;
                }
                // `"Effect": ...` where an item belongs: the object's '{' is missing.
                let object = self.object_without_brace(item, depth + 1);
                self.items.push(object);
                self.skip_ws();
            } else {
                self.items.push(item);
            }
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.trailing_comma(comma, "Trailing comma before ']'");
                    }
                }
                Some(b']') | None | Some(b'}') => {}
                Some(_) => {
                    if self.pos == before {
                        self.pos = self.next_char_end();
                    }
                    self.error(
                        Span::empty(self.pos),
                        "Expected ',' or ']' after an array element",
                    );
                }
            }
        }
        self.open.pop();
        // One copy of the whole run into a vector of its size (a drain collected moved the
        // items one by one).
        let items = self.items.split_off(base);
        Node {
            kind: NodeKind::Array(items),
            span: Span::new(start, self.pos),
            unterminated: false,
            unopened: false,
        }
    }

    /// An object whose '{' is missing, seen at its first key (already read as a string value,
    /// with `pos` at the ':' after it).
    #[cold]
    fn object_without_brace(&mut self, key: Node, depth: usize) -> Node {
        self.error(
            Span::empty(key.span.start),
            "Missing '{': a key and ':' where a value belongs",
        );
        let start = key.span.start;
        let key = Key {
            value: match key.kind {
                NodeKind::String(s) => s,
                _ => DecodedStr::default(),
            },
            span: key.span,
        };
        let base = self.members.len();
        self.open.push((b'{', start));
        self.member_value(key, depth);
        self.open.pop();
        self.object_members(start, depth, base)
    }

    /// A list whose '[' is missing, seen at its first item followed by ',' and another item.
    #[cold]
    fn array_without_bracket(&mut self, first: Node, depth: usize) -> Node {
        self.error(
            Span::empty(first.span.start),
            "Missing '[': a list of values needs square brackets",
        );
        let start = first.span.start;
        self.pos += 1; // the ',' after the first item
        let base = self.items.len();
        self.items.push(first);
        self.array_items(start, depth, base)
    }

    fn object(&mut self, depth: usize) -> Node {
        let start = self.pos;
        self.pos += 1;
        let base = self.members.len();
        self.object_members(start, depth, base)
    }

    /// The members of an object from `pos` to its end, `self.members[base..]` (see
    /// [`Self::array_items`]).
    fn object_members(&mut self, start: usize, depth: usize, base: usize) -> Node {
        self.open.push((b'{', start));
        loop {
            self.skip_ws();
            let quoted = self.opens_string();
            match self.peek() {
                _ if quoted => {}
                None => {
                    self.error(Span::empty(self.pos), "Unclosed object: missing '}'");
                    break;
                }
                Some(b'}') => {
                    if self.closer_is_stray(b'{', start) {
                        self.stray_closer();
                        continue;
                    }
                    self.pos += 1;
                    break;
                }
                Some(b']') => {
                    let here = Span::new(self.pos, self.pos + 1);
                    if self.closer_is_stray(b'{', start) {
                        self.stray_closer();
                        continue;
                    }
                    if self.leads_line_like(start) {
                        self.error(here, "Expected '}' to close the object, found ']'");
                        self.pos += 1;
                    } else {
                        let end = self.members[base..]
                            .last()
                            .map_or(start + 1, |m| m.span().end);
                        self.missing_closer(end, b'}');
                    }
                    break;
                }
                Some(b',') => {
                    self.error(
                        Span::new(self.pos, self.pos + 1),
                        "Expected a key before ','",
                    );
                    self.pos += 1;
                    continue;
                }
                Some(b'"') => {}
                Some(b'{' | b'[') => {
                    // A value where a key belongs (often a missing '}' before the next statement):
                    // close this object here so the value is parsed by the enclosing container.
                    self.error(
                        Span::new(self.pos, self.pos + 1),
                        format!(
                            "Expected a key in double quotes, found {}; is a '}}' missing?",
                            self.describe_here()
                        ),
                    );
                    break;
                }
                Some(_) => {
                    let key_start = self.pos;
                    self.skip_bare_word();
                    let span = Span::new(key_start, self.pos);
                    self.error(
                        span,
                        format!(
                            "Expected a key in double quotes, found '{}'",
                            span.slice(self.text)
                        ),
                    );
                    // Treat a bare word followed by ':' as a key so the member is still usable.
                    self.skip_ws();
                    if self.peek() != Some(b':') {
                        self.recover_in_object();
                        continue;
                    }
                    let key = Key {
                        value: DecodedStr::from(span.slice(self.text)),
                        span,
                    };
                    self.member_value(key, depth);
                    continue;
                }
            }
            let (value, span, _) = self.string();
            let key = Key { value, span };
            self.skip_ws();
            if self.peek() != Some(b':') {
                self.error(
                    Span::empty(self.pos),
                    format!("Expected ':' after the key \"{}\"", key.value),
                );
                if self.opens_string()
                    || matches!(
                        self.peek(),
                        Some(b'{' | b'[' | b't' | b'f' | b'n' | b'-' | b'0'..=b'9')
                    )
                {
                    // `"Effect" "Allow"`: take the value anyway.
                    let value = self.value(depth + 1);
                    self.members.push(Member {
                        key,
                        value: Some(value),
                    });
                    self.after_member();
                } else {
                    self.members.push(Member { key, value: None });
                    self.recover_in_object();
                }
                continue;
            }
            self.member_value(key, depth);
        }
        self.open.pop();
        // As for an array's items (see `array_items`).
        let members = self.members.split_off(base);
        Node {
            kind: NodeKind::Object(members),
            span: Span::new(start, self.pos),
            unterminated: false,
            unopened: false,
        }
    }

    /// The value of the member whose key is read, up to `pos` at its ':', pushed with it.
    fn member_value(&mut self, key: Key, depth: usize) {
        self.pos += 1; // ':'
        self.skip_ws();
        if matches!(self.peek(), None | Some(b',' | b'}')) {
            self.error(
                Span::empty(self.pos),
                format!("Missing value for \"{}\"", key.value),
            );
            self.members.push(Member { key, value: None });
            self.after_member();
            return;
        }
        let mut value = self.value(depth + 1);
        if matches!(value.kind, NodeKind::String(_)) {
            self.skip_ws();
            if self.peek() == Some(b':') {
                // `"Condition": "StringEquals": {`: the value's '{' is missing.
                value = self.object_without_brace(value, depth + 1);
            } else if self.peek() == Some(b',') && self.list_item_follows(self.pos + 1) {
                // `"Action": "s3:GetObject", "s3:PutObject"]`: the list's '[' is missing.
                value = self.array_without_bracket(value, depth + 1);
            }
        }
        let failed = matches!(value.kind, NodeKind::Error);
        self.members.push(Member {
            key,
            value: Some(value),
        });
        if failed {
            self.recover_in_object();
        } else {
            self.after_member();
        }
    }

    /// The indentation (blanks at the start) of the line holding `at`; None for a line that
    /// starts more than a few hundred bytes before `at` (not a pretty-printed line, and a bounded
    /// look keeps hostile input linear).
    fn indent_of(&self, at: usize) -> Option<usize> {
        let from = at.saturating_sub(512);
        let line_start = match self.bytes[from..at]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
        {
            Some(i) => from + i + 1,
            None if from == 0 => 0,
            None => return None,
        };
        Some(
            self.bytes[line_start..]
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count(),
        )
    }

    /// Whether the character at `pos` is the first on its line, indented like the line where
    /// the container that started at `start` opened (pretty-printed JSON aligns them).
    fn leads_line_like(&self, start: usize) -> bool {
        let here = self.leading_indent(self.pos);
        here.is_some() && self.indent_of(start) == here
    }

    /// The indentation of the line holding `at` when `at` is its first non-blank character.
    fn leading_indent(&self, at: usize) -> Option<usize> {
        let before = &self.bytes[..at];
        let blanks = before
            .iter()
            .rev()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let at_line_start = blanks == at || matches!(before[at - blanks - 1], b'\n' | b'\r');
        at_line_start.then_some(blanks)
    }

    /// What comes after `at` (blanks and one ',' skipped), for deciding where a closer belongs.
    fn continuation(&self, mut at: usize) -> Continuation {
        let skip = |at: &mut usize| *at = blanks_end(self.bytes, *at);
        skip(&mut at);
        if self.bytes.get(at) == Some(&b',') {
            at += 1;
            skip(&mut at);
        }
        match self.bytes.get(at) {
            None => Continuation::End,
            Some(b'{' | b'[') => Continuation::Open,
            Some(b'}') => Continuation::Close(b'{'),
            Some(b']') => Continuation::Close(b'['),
            Some(b'"') => {
                // The string's end on its line, then whether a ':' makes it a key. Only the bytes
                // JSON escapes can end it, and a key is usually plain: jump to the next of those.
                at += 1;
                loop {
                    at = quote::next_to_escape(self.bytes, at);
                    match self.bytes.get(at) {
                        Some(b'\\') => at += 2,
                        Some(b'"' | b'\n' | b'\r') | None => break,
                        Some(_) => at += 1,
                    }
                }
                at += 1;
                skip(&mut at);
                match self.bytes.get(at) {
                    Some(b':') => Continuation::Key,
                    Some(b',' | b']') => Continuation::Item,
                    _ => Continuation::Unknown,
                }
            }
            Some(_) => Continuation::Unknown,
        }
    }

    /// Whether a container of kind `kind` may be followed by `next`.
    fn fits(kind: Option<u8>, next: Continuation) -> bool {
        if next == Continuation::Unknown {
            return true;
        }
        match kind {
            Some(b'{') => matches!(next, Continuation::Key | Continuation::Close(b'{')),
            Some(_) => !matches!(next, Continuation::Key | Continuation::Close(b'{')),
            None => next == Continuation::End,
        }
    }

    /// Whether the closer at `pos`, met inside a container of kind `kind`, is an extra one: what
    /// follows it does not fit the enclosing container but does fit this one. In valid JSON what
    /// follows a closer always fits the enclosing container, so this never fires there.
    fn closer_is_stray(&self, kind: u8, start: usize) -> bool {
        let parent = self.open.len().checked_sub(2).map(|i| self.open[i].0);
        // Inside a container of its own kind (an object in an object, a list in a list) what
        // follows fits this one exactly when it fits the enclosing one, so the test below is
        // false whatever follows: no need to read it (the look-ahead reads the next string to
        // its end, and about a third of the closers of a policy are such).
        if parent == Some(kind) {
            return false;
        }
        let next = self.continuation(self.pos + 1);
        if Self::fits(parent, next) || !Self::fits(Some(kind), next) {
            return false;
        }
        // A closer that leads its line aligned with the line that opened this container (or, for
        // the other kind, the nearest enclosing container of its kind) closes that container
        // although what follows does not fit: pretty-printed JSON aligns them, and the mistake
        // is after the closer (a deleted '{') or before it (a missing ']').
        let Some(at) = self.leading_indent(self.pos) else {
            return true;
        };
        let closer = if self.bytes[self.pos] == b'}' {
            b'{'
        } else {
            b'['
        };
        let opened = if closer == kind {
            Some(start)
        } else {
            let outer = &self.open[..self.open.len().saturating_sub(1)];
            outer.iter().rev().find(|o| o.0 == closer).map(|o| o.1)
        };
        opened.is_none_or(|o| self.indent_of(o) != Some(at))
    }

    #[cold]
    fn stray_closer(&mut self) {
        let c = self.bytes[self.pos] as char;
        self.error(
            Span::new(self.pos, self.pos + 1),
            format!("Unexpected '{c}': what follows still belongs inside"),
        );
        self.pos += 1;
    }

    /// Whether a key met where an item of the array that started at `start` belongs, at `key`,
    /// leads its line no deeper than the line where the array opened, inside an object: in
    /// pretty-printed JSON that is the object's next member, so the array's ']' is missing.
    /// (Deeper, it is the first key of an object whose '{' is missing.)
    #[cold]
    fn key_closes_array(&self, start: usize, key: usize) -> bool {
        let parent = self.open.len().checked_sub(2).map(|i| self.open[i].0);
        parent == Some(b'{')
            && matches!(
                (self.leading_indent(key), self.indent_of(start)),
                (Some(at), Some(opened)) if at <= opened
            )
    }

    /// Whether a list item follows `at`: a string, then ',' or ']' (not ':').
    fn list_item_follows(&self, at: usize) -> bool {
        let i = blanks_end(self.bytes, at);
        self.bytes.get(i) == Some(&b'"') && self.continuation(i) == Continuation::Item
    }

    /// After a member: expect ',' or '}'. A missing comma before the next key is reported and
    /// parsing continues with that key.
    fn after_member(&mut self) {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                let comma = self.pos;
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.trailing_comma(comma, "Trailing comma before '}'");
                }
            }
            Some(b'}') | None => {}
            _ if self.opens_string() => {
                self.error(Span::empty(self.pos), "Expected ',' between object members")
            }
            Some(_) => {
                self.error(
                    Span::empty(self.pos),
                    "Expected ',' or '}' after an object member",
                );
                self.recover_in_object();
            }
        }
    }

    /// A container left open: the error is where its closer belongs (after its last element),
    /// with a fix that inserts it there. The place is read from the layout, so the fix is one to
    /// review.
    #[cold]
    fn missing_closer(&mut self, at: usize, closer: u8) {
        let (what, c) = match closer {
            b']' => ("list", ']'),
            _ => ("object", '}'),
        };
        self.error_with_fix(
            Span::empty(at),
            format!("Missing '{c}': the {what} is not closed here"),
            Some(Fix::review(
                format!("Close the {what} here"),
                vec![TextEdit {
                    span: Span::empty(at),
                    text: c.to_string(),
                }],
            )),
        );
    }

    /// A comma with nothing after it in its array or object: the error is on the comma and its
    /// removal is safe.
    fn trailing_comma(&mut self, comma: usize, message: &str) {
        let span = Span::new(comma, comma + 1);
        let fix = Fix::safe(
            "Remove the trailing comma",
            vec![TextEdit {
                span,
                text: String::new(),
            }],
        );
        self.error_with_fix(span, message, Some(fix));
    }

    /// Skip to the next ',' (consumed), '}' or ']' at this nesting level (not consumed),
    /// stepping over strings and balanced brackets.
    fn recover_in_object(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            if self.opens_string() {
                // Step over the string without reporting its errors twice.
                let errors = self.errors.len();
                self.string();
                self.errors.truncate(errors);
                continue;
            }
            match b {
                b'"' => {
                    // An extra quote (reported already).
                    self.pos += 1;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return,
                b'}' | b']' => depth -= 1,
                b',' if depth == 0 => {
                    self.pos += 1;
                    return;
                }
                b'/' if self.at_comment() => {
                    self.comment();
                    continue;
                }
                _ => {}
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests;

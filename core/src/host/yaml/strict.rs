//! A strict reader for the block YAML templates are written in, without saphyr: block mappings
//! and sequences (compact `- key: value` and `- - item` included), plain, single- and
//! double-quoted scalars on one line, flow sequences and mappings on one line, `!Name` short
//! forms and comments.
//!
//! saphyr's scanner and parser, which read a character at a time and build a token and an
//! event for each, were about a third of the work of checking a YAML template. This reader
//! gives the value tree [`super::parse`] builds from saphyr's events, spans included (it asks
//! the same [`super::scalar`], [`super::short_form`], [`super::member`] and [`super::closing`]
//! for each node), reading the bytes once. It is strict: anything else (anchors, aliases,
//! block scalars, scalars or flow collections over several lines, complex keys, directives,
//! document markers, tabs, carriage returns, control characters, a byte order mark) and any
//! syntax error make it give up, and the whole file is read by saphyr as before, with its
//! error recovery. `tests::strict_reader_agrees_with_saphyr` and the ignored folder test hold
//! the two readings equal.

use std::borrow::Cow;

use saphyr_parser::ScalarStyle;

use super::{closing, member, scalar, short_form};
use crate::host::value::{HKind, HValue};
use crate::span::Span;

/// Nesting deeper than this is left to saphyr (the builder's own limit is larger).
const MAX_NESTING: usize = 100;

/// YAML keys are at most 1024 characters on one line; longer ones are left to saphyr (a key's
/// bytes are at least its characters).
const MAX_KEY: usize = 1000;

/// The root mapping of a template written in the YAML this reader takes, or None.
pub(super) fn read(text: &str) -> Option<HValue> {
    if !plain_characters(text) {
        return None;
    }
    let r = Reader {
        text,
        b: text.as_bytes(),
    };
    let first = r.content_line(0)?;
    if first.indent != 0 {
        return None;
    }
    let (root, rest) = r.mapping(first, None, 0)?;
    // Nothing may follow the root mapping (its own lines end only at the end of the text).
    rest.is_none().then_some(root)
}

/// No tab, carriage return or other control character, DEL or byte order mark: YAML gives
/// them rules (indentation, line breaks, printable characters) this reader does not follow.
fn plain_characters(text: &str) -> bool {
    text.bytes().all(|b| (b >= 0x20 && b != 0x7f) || b == b'\n')
        && (text.is_ascii() || !text.contains('\u{feff}'))
}

/// A line with content (not blank, not only a comment): where the content starts, and its
/// indentation.
#[derive(Clone, Copy)]
struct Line {
    at: usize,
    indent: usize,
}

/// A scalar token: its value, style, where it starts and where its span ends (a quoted
/// scalar's runs over the blanks and comment after it, as saphyr's does).
struct Token<'t> {
    value: Cow<'t, str>,
    style: ScalarStyle,
    start: usize,
    end: usize,
}

struct Reader<'t> {
    text: &'t str,
    b: &'t [u8],
}

fn is_flow(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'t> Reader<'t> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// True when the byte at `i` is a blank, a line break or the end of the text.
    fn blank_or_end(&self, i: usize) -> bool {
        matches!(self.at(i), None | Some(b' ' | b'\n'))
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.at(i) == Some(b' ') {
            i += 1;
        }
        i
    }

    /// The end of the line `i` is on (its line break, or the end of the text).
    fn line_end(&self, i: usize) -> usize {
        memchr::memchr(b'\n', &self.b[i..]).map_or(self.b.len(), |n| i + n)
    }

    /// The next line with content at or after the line start `from`; None at the end.
    fn content_line(&self, from: usize) -> Option<Line> {
        let mut i = from;
        loop {
            let start = i;
            i = self.skip_spaces(i);
            match self.at(i)? {
                b'\n' => i += 1,
                b'#' => i = self.line_end(i) + 1,
                _ => {
                    return Some(Line {
                        at: i,
                        indent: i - start,
                    })
                }
            }
        }
    }

    /// After a value ending at `i`: blanks and a comment to the end of the line, then the
    /// start of the next line. None when something else follows.
    fn end_of_line(&self, i: usize) -> Option<usize> {
        let j = self.skip_spaces(i);
        match self.at(j) {
            None => Some(j),
            Some(b'\n') => Some(j + 1),
            Some(b'#') if j > i => Some(self.line_end(j) + 1),
            _ => None,
        }
    }

    /// A block sequence entry's `-` at `i`.
    fn is_entry(&self, i: usize) -> bool {
        self.at(i) == Some(b'-') && self.blank_or_end(i + 1)
    }

    /// The `:` of a mapping value at or after `i` (blanks skipped), when one is there.
    fn colon(&self, i: usize, flow: bool) -> Option<usize> {
        let j = self.skip_spaces(i);
        let value = self.at(j) == Some(b':')
            && (self.blank_or_end(j + 1) || (flow && self.at(j + 1).is_some_and(is_flow)));
        value.then_some(j)
    }

    /// A block mapping whose first key line is `line` (its first key already read, with its
    /// colon, when `first` is given), and the next line with content after it.
    fn mapping(
        &self,
        line: Line,
        first: Option<(HValue, usize)>,
        depth: usize,
    ) -> Option<(HValue, Option<Line>)> {
        if depth > MAX_NESTING {
            return None;
        }
        let col = line.indent;
        let start = line.at;
        let mut end = start;
        let mut members = Vec::new();
        let mut first = first;
        let mut line = line;
        let pending = loop {
            let (key, colon) = match first.take() {
                Some(k) => k,
                None => self.key(line, col)?,
            };
            let (value, next) = self.member_value(col, colon, depth)?;
            end = end.max(value.span.end);
            members.push(member(self.text, 0, key, value));
            match next {
                Some(l) if l.indent == col => line = l,
                Some(l) if l.indent > col => return None,
                other => break other,
            }
        };
        // The end event sits where the next token starts.
        let p = pending.map_or(self.b.len(), |l| l.at);
        let end = closing(self.text, Span::empty(p), b'}').unwrap_or(end);
        let value = HValue::new(HKind::Object(members), Span::new(start, end));
        Some((value, pending))
    }

    /// The key on a mapping's line, and its colon.
    fn key(&self, line: Line, col: usize) -> Option<(HValue, usize)> {
        let b = &self.b[line.at..];
        // A document marker, not a key.
        if col == 0
            && (b.starts_with(b"---") || b.starts_with(b"..."))
            && self.blank_or_end(line.at + 3)
        {
            return None;
        }
        let token = self.scalar_token(line.at, false)?;
        let colon = self.colon(token.end, false)?;
        (colon - line.at <= MAX_KEY).then(|| (self.scalar_node(token, None), colon))
    }

    /// The value after a block mapping key's colon at `colon` (the mapping at column `col`),
    /// and the next line with content after it.
    fn member_value(
        &self,
        col: usize,
        colon: usize,
        depth: usize,
    ) -> Option<(HValue, Option<Line>)> {
        let i = self.skip_spaces(colon + 1);
        if matches!(self.at(i), None | Some(b'\n' | b'#')) {
            let next = self.content_line(self.line_end(i) + 1);
            return match next {
                Some(l) if l.indent > col => self.block_node(l, depth + 1),
                Some(l) if l.indent == col && self.is_entry(l.at) => {
                    self.sequence(l, true, depth + 1)
                }
                _ => Some((self.empty(colon), next)),
            };
        }
        let (value, after) = self.node(i, false, depth + 1)?;
        let next = self.end_of_line(after)?;
        Some((value, self.content_line(next)))
    }

    /// An empty value (`key:` or `-` with nothing after it), where saphyr puts it.
    fn empty(&self, at: usize) -> HValue {
        scalar(
            self.text,
            0,
            Cow::Borrowed(""),
            ScalarStyle::Plain,
            Span::empty(at),
            false,
        )
    }

    /// A block mapping or sequence starting on `line`.
    fn block_node(&self, line: Line, depth: usize) -> Option<(HValue, Option<Line>)> {
        if self.is_entry(line.at) {
            self.sequence(line, false, depth)
        } else {
            self.mapping(line, None, depth)
        }
    }

    /// A block sequence whose first `-` is on `line`; `indentless` when it is a mapping's value
    /// written at the mapping's own column.
    fn sequence(
        &self,
        line: Line,
        indentless: bool,
        depth: usize,
    ) -> Option<(HValue, Option<Line>)> {
        if depth > MAX_NESTING {
            return None;
        }
        let col = line.indent;
        let mut items = Vec::new();
        let mut span_start = None;
        let mut end = 0;
        let mut line = line;
        let pending = loop {
            let dash = line.at;
            let content = self.skip_spaces(dash + 1);
            // saphyr's entry token sits after the `-`, its blanks and a comment.
            let mark = match self.at(content) {
                Some(b'#') => self.line_end(content),
                _ => content,
            };
            let start = *span_start.get_or_insert(if indentless { mark } else { dash });
            end = end.max(start);
            let (item, next) = if matches!(self.at(content), None | Some(b'\n' | b'#')) {
                let next = self.content_line(self.line_end(content) + 1);
                match next {
                    Some(l) if l.indent > col => self.block_node(l, depth + 1)?,
                    _ => (self.empty(mark), next),
                }
            } else {
                let inner = Line {
                    at: content,
                    indent: col + (content - dash),
                };
                if self.is_entry(content) {
                    self.sequence(inner, false, depth + 1)?
                } else {
                    self.entry(inner, depth + 1)?
                }
            };
            end = end.max(item.span.end);
            items.push(item);
            match next {
                Some(l) if l.indent == col && self.is_entry(l.at) => line = l,
                Some(l) if l.indent > col || (l.indent == col && !indentless) => return None,
                other => break other,
            }
        };
        let p = pending.map_or(self.b.len(), |l| l.at);
        let end = closing(self.text, Span::empty(p), b']').unwrap_or(end);
        let start = span_start.unwrap_or(line.at);
        let value = HValue::new(HKind::Array(items), Span::new(start, end));
        Some((value, pending))
    }

    /// A sequence entry's content on the entry's line: a compact mapping (`- key: value`) or
    /// a value.
    fn entry(&self, line: Line, depth: usize) -> Option<(HValue, Option<Line>)> {
        if !matches!(self.at(line.at), Some(b'!' | b'[' | b'{')) {
            let token = self.scalar_token(line.at, false)?;
            if let Some(colon) = self.colon(token.end, false) {
                if colon - line.at > MAX_KEY {
                    return None;
                }
                let key = self.scalar_node(token, None);
                return self.mapping(line, Some((key, colon)), depth);
            }
            let end = token.end;
            let value = self.scalar_node(token, None);
            let next = self.end_of_line(end)?;
            return Some((value, self.content_line(next)));
        }
        let (value, after) = self.node(line.at, false, depth)?;
        let next = self.end_of_line(after)?;
        Some((value, self.content_line(next)))
    }

    /// A value written on one line at `i` (a scalar, a flow collection, either after a tag),
    /// and where it ends.
    fn node(&self, i: usize, flow: bool, depth: usize) -> Option<(HValue, usize)> {
        if depth > MAX_NESTING {
            return None;
        }
        let (tag, at) = match self.at(i)? {
            b'!' => {
                let name_end = i
                    + 1
                    + self.b[i + 1..]
                        .iter()
                        .position(|c| !c.is_ascii_alphanumeric())
                        .unwrap_or(self.b.len() - i - 1);
                let name = &self.text[i + 1..name_end];
                let at = self.skip_spaces(name_end);
                let first_ok = name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
                if !first_ok || at == name_end {
                    return None;
                }
                (Some((i, name)), at)
            }
            _ => (None, i),
        };
        let start = tag.map_or(at, |(t, _)| t);
        let (value, after) = match self.at(at)? {
            b'[' => self.flow_sequence(at, start, depth)?,
            b'{' => self.flow_mapping(at, start, depth)?,
            _ => {
                let token = self.scalar_token(at, flow)?;
                let end = token.end;
                (self.scalar_node(token, tag.map(|(t, _)| t)), end)
            }
        };
        let value = match tag {
            Some((_, name)) => short_form(self.text, 0, name, value),
            None => value,
        };
        Some((value, after))
    }

    /// The node of a scalar token, its span from its tag when it has one.
    fn scalar_node(&self, token: Token<'t>, tag: Option<usize>) -> HValue {
        let span = Span::new(tag.unwrap_or(token.start), token.end);
        scalar(self.text, 0, token.value, token.style, span, tag.is_some())
    }

    /// After a flow collection's entry ending at `after`: the next entry's start, or the
    /// position of the closing bracket `close` (as the error side). None for anything else, a
    /// trailing comma included.
    fn flow_separator(&self, after: usize, close: u8) -> Option<Result<usize, usize>> {
        let j = self.skip_spaces(after);
        match self.at(j)? {
            b',' => {
                let next = self.skip_spaces(j + 1);
                (self.at(next) != Some(close)).then_some(Ok(next))
            }
            c if c == close => Some(Err(j)),
            _ => None,
        }
    }

    /// `[a, b]` on one line, `open` at its `[` (`start` at its tag, if any).
    fn flow_sequence(&self, open: usize, start: usize, depth: usize) -> Option<(HValue, usize)> {
        let mut i = self.skip_spaces(open + 1);
        let mut items = Vec::new();
        if self.at(i) != Some(b']') {
            loop {
                let (item, after) = self.node(i, true, depth + 1)?;
                items.push(item);
                match self.flow_separator(after, b']')? {
                    Ok(next) => i = next,
                    Err(close) => {
                        i = close;
                        break;
                    }
                }
            }
        }
        let value = HValue::new(HKind::Array(items), Span::new(start, i + 1));
        Some((value, i + 1))
    }

    /// `{a: b, c: d}` on one line, `open` at its `{` (`start` at its tag, if any).
    fn flow_mapping(&self, open: usize, start: usize, depth: usize) -> Option<(HValue, usize)> {
        let mut i = self.skip_spaces(open + 1);
        let mut members = Vec::new();
        if self.at(i) != Some(b'}') {
            loop {
                let token = self.scalar_token(i, true)?;
                let colon = self.colon(token.end, true)?;
                if colon - i > MAX_KEY || self.at(colon + 1) != Some(b' ') {
                    return None;
                }
                let key = self.scalar_node(token, None);
                let v = self.skip_spaces(colon + 1);
                if matches!(self.at(v), None | Some(b',' | b'}' | b'\n' | b'#')) {
                    return None;
                }
                let (value, after) = self.node(v, true, depth + 1)?;
                members.push(member(self.text, 0, key, value));
                match self.flow_separator(after, b'}')? {
                    Ok(next) => i = next,
                    Err(close) => {
                        i = close;
                        break;
                    }
                }
            }
        }
        let value = HValue::new(HKind::Object(members), Span::new(start, i + 1));
        Some((value, i + 1))
    }

    /// A plain, single- or double-quoted scalar on one line at `i`.
    fn scalar_token(&self, i: usize, flow: bool) -> Option<Token<'t>> {
        match self.at(i)? {
            b'"' => self.quoted(i, true),
            b'\'' => self.quoted(i, false),
            _ => self.plain(i, flow),
        }
    }

    /// Where saphyr ends a quoted scalar's span: after its closing quote at `close`, the
    /// blanks and a comment after it.
    fn after_quote(&self, close: usize) -> Option<usize> {
        let j = self.skip_spaces(close + 1);
        match self.at(j) {
            // A comment must be apart from the quote.
            Some(b'#') if j == close + 1 => None,
            Some(b'#') => Some(self.line_end(j)),
            _ => Some(j),
        }
    }

    /// A single- or double-quoted scalar on one line, `open` at its quote.
    fn quoted(&self, open: usize, double: bool) -> Option<Token<'t>> {
        let quote = self.b[open];
        let mut i = open + 1;
        // A backslash escape (double) or a doubled quote (single) inside.
        let mut escaped = false;
        loop {
            match self.at(i)? {
                b'\n' => return None,
                b'\\' if double => {
                    escaped = true;
                    i += 2;
                }
                b'\'' if !double && self.at(i + 1) == Some(b'\'') => {
                    escaped = true;
                    i += 2;
                }
                c if c == quote => break,
                _ => i += 1,
            }
        }
        let inner = &self.text[open + 1..i];
        let (value, style) = match (escaped, double) {
            (false, true) => (Cow::Borrowed(inner), ScalarStyle::DoubleQuoted),
            (false, false) => (Cow::Borrowed(inner), ScalarStyle::SingleQuoted),
            (true, true) => (
                Cow::Owned(decode_double(inner, open + 1)?),
                ScalarStyle::DoubleQuoted,
            ),
            (true, false) => (
                Cow::Owned(inner.replace("''", "'")),
                ScalarStyle::SingleQuoted,
            ),
        };
        Some(Token {
            value,
            style,
            start: open,
            end: self.after_quote(i)?,
        })
    }

    /// A plain scalar on one line, as saphyr's scanner ends it: before `: ` (or `:` at the end
    /// of the line, or before a flow indicator in a flow), ` #`, the end of the line, and in a
    /// flow before `,[]{}`. A following line indented more would continue it: the callers
    /// give up on such a line.
    fn plain(&self, start: usize, flow: bool) -> Option<Token<'t>> {
        let first = self.at(start)?;
        let ok = match first {
            b'-' => self
                .at(start + 1)
                .is_some_and(|c| c != b' ' && c != b'\n' && !(flow && is_flow(c))),
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
            _ => true,
        };
        if !ok {
            return None;
        }
        let b = self.b;
        let mut i = start;
        let mut end;
        loop {
            while let Some(&c) = b.get(i) {
                if c == b' ' || c == b'\n' || (flow && is_flow(c)) {
                    break;
                }
                if c == b':' && (self.blank_or_end(i + 1) || (flow && is_flow(b[i + 1]))) {
                    break;
                }
                i += 1;
            }
            end = i;
            if b.get(i) != Some(&b' ') {
                break;
            }
            let j = self.skip_spaces(i);
            match b.get(j) {
                None | Some(b'\n' | b'#') => break,
                Some(&c) if flow && is_flow(c) => break,
                Some(b':') if self.colon(j, flow).is_some() => break,
                // saphyr's error: a `-` before a flow indicator inside a flow.
                Some(b'-') if flow && b.get(j + 1).copied().is_some_and(is_flow) => return None,
                _ => i = j,
            }
        }
        Some(Token {
            value: Cow::Borrowed(&self.text[start..end]),
            style: ScalarStyle::Plain,
            start,
            end,
        })
    }
}

/// The value of a double-quoted scalar's contents `raw` (on one line, at `at`), when each
/// escape is one YAML has (hexadecimal ones with exactly their digits, naming a character).
fn decode_double(raw: &str, at: usize) -> Option<String> {
    let b = raw.as_bytes();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'\\', &b[i..]) {
        i += k + 1;
        let digits = match *b.get(i)? {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            b'0' | b'a' | b'b' | b't' | b'n' | b'v' | b'f' | b'r' | b'e' | b' ' | b'"' | b'/'
            | b'\\' | b'N' | b'_' | b'L' | b'P' => 0,
            _ => return None,
        };
        let hex = b.get(i + 1..i + 1 + digits)?;
        if !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        if digits > 0 {
            let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            char::from_u32(code)?;
        }
        i += 1 + digits;
    }
    super::quoted_scalar(raw, at, true)?.plain()
}

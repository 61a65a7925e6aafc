//! YAML templates: a host value tree (byte spans, CloudFormation short-form tags turned into
//! their long form) built from saphyr-parser events. saphyr counts positions in characters, so
//! they are converted to byte offsets through the text once.
//!
//! saphyr stops at the first syntax error. The tree built up to the error is kept, and the
//! template is read again from the next resource entry after it (a line indented like the
//! resources), so a broken resource does not hide the others; after an error outside the
//! resources (the format version, Parameters, Conditions), from the next top-level key, so the
//! resources after it are still read.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::json::Decoded;
use super::value::{HKind, HMember, HStr, HValue};
use super::{cloudformation, EmbeddedPolicy, HostError};
use crate::span::Span;
use crate::syntax::MAX_DEPTH;

mod strict;
#[cfg(test)]
mod tests;

/// True when YAML text looks like a CloudFormation template.
pub(crate) fn looks_like_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || (text.contains("Resources:") && text.contains("AWS::"))
}

pub(crate) fn read_template(text: &str) -> (Vec<EmbeddedPolicy>, Vec<HostError>) {
    if !looks_like_template(text) {
        return (Vec::new(), Vec::new());
    }
    // Most templates are plain block YAML, which the strict reader takes without saphyr; it
    // gives up on anything else (and on any error), which saphyr then reads.
    let (root, mut errors) = match strict::read(text) {
        Some(root) => (Some(root), Vec::new()),
        None => parse(text, 0),
    };
    let mut root = root.unwrap_or(HValue {
        kind: HKind::Object(Vec::new()),
        span: Span::empty(0),
    });
    // After each syntax error, read on from the next resource entry when the error is among
    // the resources, else from the next top-level key (`Resources:` itself when the error is in
    // the lines before it: Parameters, Conditions, the format version).
    let resources_line = next_key_line(text, 0, 0, Some("Resources:"));
    let mut resume_from = errors.last().map(|e| e.span.start);
    let mut last_start = 0;
    while let Some(at) = resume_from.take() {
        // From the line of the error: the entry it stopped at may be a good one.
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let from = line_start.max(last_start + 1);
        let top = next_key_line(text, from, 0, None);
        let entry = resources_line
            .filter(|&r| r < line_start)
            .and_then(|r| resources_column(text, r).or_else(|| resource_indent(&root, text)))
            .and_then(|indent| next_key_line(text, from, indent, None))
            .filter(|&e| top.is_none_or(|t| e < t));
        let Some(start) = entry.or(top) else {
            break;
        };
        last_start = start;
        let (more, more_errors) = parse(&text[start..], start);
        let progressed = more_errors.last().map(|e| e.span.start);
        errors.extend(more_errors);
        if let Some(HKind::Object(extra)) = more.map(|m| m.kind) {
            if entry.is_some() {
                add_resources(&mut root, extra);
            } else if let HKind::Object(members) = &mut root.kind {
                members.extend(extra);
            }
        }
        resume_from = progressed;
    }
    let (mut policies, errors) = cloudformation::read_template(&root, text, errors);
    // A policy cut short by a syntax error would only report what is missing.
    policies.retain(|p| {
        !errors
            .iter()
            .any(|e| p.span.start <= e.span.start && e.span.start <= p.span.end)
    });
    (policies, errors)
}

fn resources_mut(root: &mut HValue) -> Option<&mut Vec<HMember>> {
    let HKind::Object(members) = &mut root.kind else {
        return None;
    };
    let m = members
        .iter_mut()
        .rev()
        .find(|m| m.key.plain().as_deref() == Some("Resources"))?;
    match &mut m.value.kind {
        HKind::Object(r) => Some(r),
        _ => None,
    }
}

/// Add resources read after a syntax error to the template's `Resources` (made a mapping if the
/// error left it something else).
fn add_resources(root: &mut HValue, extra: Vec<HMember>) {
    if let Some(resources) = resources_mut(root) {
        resources.extend(extra);
        return;
    }
    let HKind::Object(members) = &mut root.kind else {
        return;
    };
    let span = Span::new(
        extra.first().map_or(0, |m| m.key_span.start),
        extra.last().map_or(0, |m| m.value.span.end),
    );
    let value = HValue {
        kind: HKind::Object(extra),
        span,
    };
    match members
        .iter_mut()
        .rev()
        .find(|m| m.key.plain().as_deref() == Some("Resources"))
    {
        Some(m) => m.value = value,
        None => members.push(HMember {
            key: HStr::literal("Resources", Span::empty(span.start)),
            key_span: Span::empty(span.start),
            value,
        }),
    }
}

/// Whether a line's text (after its indentation) starts with a mapping key: a plain or quoted
/// word, then ':' and a blank or the end of the line (`s3:::bucket` on the continuation line of
/// a quoted string is not one).
fn starts_key(body: &str) -> bool {
    let Some(colon) = body.find(':') else {
        return false;
    };
    let after = &body[colon + 1..];
    body.starts_with(|c: char| c.is_alphanumeric() || c == '"' || c == '\'')
        && (after.is_empty() || after.starts_with([' ', '\t', '\r']))
}

/// The column the resources are written at, from the text after the `Resources:` line at
/// `line` (a mistake may have moved the first resource, or no resource could be read before an
/// error): each resource's key line is the line before its `Type:`, and the column most of
/// them share wins (the smaller on a tie).
fn resources_column(text: &str, line: usize) -> Option<usize> {
    let next = line + text[line..].find('\n')? + 1;
    let mut counts: Vec<(usize, usize)> = Vec::new();
    let mut previous: Option<usize> = None;
    for l in text[next..].split('\n') {
        let body = l.trim_start_matches(' ');
        let indent = l.len() - body.len();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if indent == 0 && starts_key(body) {
            break; // the next top-level key
        }
        if body.starts_with("Type:") {
            if let Some(key) = previous.filter(|&k| 0 < k && k < indent) {
                match counts.iter_mut().find(|c| c.0 == key) {
                    Some(c) => c.1 += 1,
                    None => counts.push((key, 1)),
                }
            }
        }
        previous = Some(indent);
    }
    counts
        .into_iter()
        .max_by_key(|&(column, n)| (n, std::cmp::Reverse(column)))
        .map(|(column, _)| column)
}

/// The column of the resource keys (from the first resource read).
fn resource_indent(root: &HValue, text: &str) -> Option<usize> {
    let HKind::Object(resources) = &root.get("Resources")?.kind else {
        return None;
    };
    let first = resources.first()?;
    let line_start = text[..first.key_span.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    Some(first.key_span.start - line_start)
}

/// The start of the first line at or after `from` (a line start) that is indented exactly
/// `indent` columns and starts a key (that key, when `key` is given).
fn next_key_line(text: &str, from: usize, indent: usize, key: Option<&str>) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut offset = if from == 0 || bytes.get(from - 1) == Some(&b'\n') {
        from
    } else {
        from + bytes.get(from..)?.iter().position(|&b| b == b'\n')? + 1
    };
    while offset < text.len() {
        let line = text[offset..].split('\n').next().unwrap_or("");
        let body = line.trim_start_matches(' ');
        if line.len() - body.len() == indent
            && starts_key(body)
            && key.is_none_or(|k| body.starts_with(k))
        {
            return Some(offset);
        }
        offset += line.len() + 1;
    }
    None
}

/// Parse YAML `text` (which starts at `base` in the host) into a host value.
fn parse(text: &str, base: usize) -> (Option<HValue>, Vec<HostError>) {
    let mut b = Builder {
        text,
        base,
        chars: CharOffsets::new(text),
        parser: Parser::new_from_str(text),
        errors: Vec::new(),
        failed: false,
    };
    let mut root = None;
    while let Some((event, span)) = b.next() {
        match event {
            Event::StreamStart | Event::DocumentStart(_) => continue,
            Event::StreamEnd | Event::DocumentEnd => break,
            other => {
                root = Some(b.node(other, span, 0));
                break;
            }
        }
    }
    (root, b.errors)
}

/// Character index to byte offset (identity for ASCII text).
struct CharOffsets {
    offsets: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let offsets = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        CharOffsets {
            offsets,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.offsets {
            None => char_index.min(self.len),
            Some(o) => o.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

struct Builder<'t> {
    text: &'t str,
    base: usize,
    chars: CharOffsets,
    parser: Parser<'t, saphyr_parser::StrInput<'t>>,
    errors: Vec<HostError>,
    failed: bool,
}

impl<'t> Builder<'t> {
    /// The next event with its span in bytes of `text` (not yet shifted by `base`).
    fn next(&mut self) -> Option<(Event<'t>, Span)> {
        if self.failed {
            return None;
        }
        match self.parser.next_event()? {
            Ok((event, span)) => {
                let s = Span::new(
                    self.chars.byte(span.start.index()),
                    self.chars.byte(span.end.index()),
                );
                Some((event, Span::new(s.start, s.end.max(s.start))))
            }
            Err(e) => {
                self.failed = true;
                let at = self.chars.byte(e.marker().index());
                let end = self.text[at..]
                    .chars()
                    .next()
                    .map_or(at, |c| at + c.len_utf8());
                self.errors.push(HostError {
                    span: Span::new(self.base + at, self.base + end),
                    message: format!("YAML syntax error: {}", e.info()),
                });
                None
            }
        }
    }

    fn host(&self, s: Span) -> Span {
        Span::new(self.base + s.start, self.base + s.end)
    }

    fn node(&mut self, event: Event<'t>, span: Span, depth: usize) -> HValue {
        match event {
            Event::Scalar(value, style, _, tag) => {
                let v = scalar(self.text, self.base, value, style, span, tag.is_some());
                self.tagged(tag.as_deref(), v)
            }
            Event::SequenceStart(_, tag) => {
                let mut items = Vec::new();
                let mut end = span.end;
                while let Some((e, s)) = self.next() {
                    if matches!(e, Event::SequenceEnd) {
                        end = closing(self.text, s, b']').unwrap_or(end);
                        break;
                    }
                    items.push(self.child(e, s, depth));
                    end = items
                        .last()
                        .map_or(end, |i: &HValue| (i.span.end - self.base).max(end));
                }
                let v = HValue::new(HKind::Array(items), self.host(Span::new(span.start, end)));
                self.tagged(tag.as_deref(), v)
            }
            Event::MappingStart(_, tag) => {
                let mut members = Vec::new();
                let mut end = span.end;
                while let Some((e, s)) = self.next() {
                    if matches!(e, Event::MappingEnd) {
                        end = closing(self.text, s, b'}').unwrap_or(end);
                        break;
                    }
                    let key = self.child(e, s, depth);
                    let Some((ve, vs)) = self.next() else { break };
                    if matches!(ve, Event::MappingEnd) {
                        end = closing(self.text, vs, b'}').unwrap_or(end);
                        break;
                    }
                    let value = self.child(ve, vs, depth);
                    end = (value.span.end - self.base).max(end);
                    members.push(member(self.text, self.base, key, value));
                }
                let v = HValue::new(
                    HKind::Object(members),
                    self.host(Span::new(span.start, end)),
                );
                self.tagged(tag.as_deref(), v)
            }
            // An alias repeats a value defined elsewhere: unknown here.
            _ => HValue::unknown(self.host(span)),
        }
    }

    fn child(&mut self, event: Event<'t>, span: Span, depth: usize) -> HValue {
        if depth + 1 > MAX_DEPTH {
            self.skip(event);
            return HValue::unknown(self.host(span));
        }
        self.node(event, span, depth + 1)
    }

    /// Skip a nested value without recursion (too deep).
    fn skip(&mut self, event: Event<'t>) {
        let mut open = usize::from(matches!(
            event,
            Event::SequenceStart(..) | Event::MappingStart(..)
        ));
        while open > 0 {
            match self.next() {
                Some((Event::SequenceStart(..) | Event::MappingStart(..), _)) => open += 1,
                Some((Event::SequenceEnd | Event::MappingEnd, _)) => open -= 1,
                Some(_) => {}
                None => return,
            }
        }
    }

    /// A value with a local tag (`!Ref x`) as the short form it is.
    fn tagged(&self, tag: Option<&Tag>, value: HValue) -> HValue {
        match tag.filter(|t| t.handle == "!") {
            Some(tag) => short_form(self.text, self.base, &tag.suffix, value),
            None => value,
        }
    }
}

/// The end of a flow collection's closing bracket, when the end event at `s` (in `text`) is
/// one (a block collection ends with its last value instead, not at the next key).
fn closing(text: &str, s: Span, bracket: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(s.start) == Some(&bracket) {
        Some(s.start + 1)
    } else if s.end > 0 && bytes.get(s.end - 1) == Some(&bracket) {
        Some(s.end)
    } else {
        None
    }
}

/// A mapping's member from its key and value nodes: a key that is not a string (`true`, `1`)
/// is its text as written.
fn member(text: &str, base: usize, key: HValue, value: HValue) -> HMember {
    let key_str = match key.kind {
        HKind::Str(s) => s,
        _ => HStr::literal(key.span.slice_of(text, base), key.span),
    };
    HMember {
        key: key_str,
        key_span: key.span,
        value,
    }
}

/// A CloudFormation short form (`!Ref x`, `!Sub "..."`, tag suffix `suffix`) as its long form
/// `{"Ref": x}`.
fn short_form(text: &str, base: usize, suffix: &str, value: HValue) -> HValue {
    let name = match suffix {
        "Ref" | "Condition" => suffix.to_string(),
        other => format!("Fn::{other}"),
    };
    // Reach back to the tag itself so the whole intrinsic is the value's span.
    let written = format!("!{suffix}");
    let before = &text[..value.span.start.saturating_sub(base).min(text.len())];
    let start = before
        .trim_end()
        .strip_suffix(written.as_str())
        .map_or(value.span.start, |b| base + b.len());
    let tag_span = Span::new(
        start,
        start
            + written
                .len()
                .min(value.span.end - start.min(value.span.end)),
    );
    let span = Span::new(start, value.span.end.max(start));
    HValue::new(
        HKind::Object(vec![HMember {
            key: HStr::literal(&name, Span::empty(start)),
            key_span: tag_span,
            value,
        }]),
        span,
    )
}

/// A scalar node of `text` (which starts at `base` in the host): a boolean, null or number
/// when plain and untagged, else a string mapped to where it is written. `span` is the
/// parser's (bytes of `text`): from the tag when `tagged`, and a quoted scalar's runs to the
/// end of its line's blanks and comment.
fn scalar(
    text: &str,
    base: usize,
    value: Cow<'_, str>,
    style: ScalarStyle,
    span: Span,
    tagged: bool,
) -> HValue {
    let host = Span::new(base + span.start, base + span.end);
    let raw = span.slice(text);
    if style == ScalarStyle::Plain && !tagged {
        match value.as_ref() {
            "true" | "True" | "TRUE" => return HValue::new(HKind::Bool(true), host),
            "false" | "False" | "FALSE" => return HValue::new(HKind::Bool(false), host),
            "null" | "Null" | "NULL" | "~" => return HValue::new(HKind::Null, host),
            v if is_yaml_number(v) => return HValue::new(HKind::Number(v.to_string()), host),
            _ => {}
        }
    }
    let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
    // A tagged scalar's span starts at its tag: the contents start after the quote.
    let quote = raw.find(['"', '\'']).filter(|_| quoted);
    let inner = match quote {
        Some(q) if raw.len() >= q + 2 => Span::new(host.start + q + 1, host.end - 1),
        _ => host,
    };
    if inner.slice_of(text, base) == value {
        // The common case: the scalar's text as written (the parser's own copy, kept).
        return HValue::string(HStr::owned(value.into_owned(), inner), host);
    }
    let value = value.as_ref();
    let mut s = HStr::default();
    if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
        // A tagged block's span starts at its tag (`!Sub |`): its lines start below.
        let body = match raw.starts_with(['!', '|', '>']) {
            true => raw
                .find('\n')
                .map_or(span, |n| Span::new(span.start + n + 1, span.end)),
            false => span,
        };
        s = if style == ScalarStyle::Literal {
            literal_block(text, base, body, value)
        } else {
            folded_block(text, base, body, value)
        }
        .unwrap_or_else(|| HStr::literal(value, inner));
    } else if quoted {
        let double = style == ScalarStyle::DoubleQuoted;
        s = quoted_scalar(inner.slice_of(text, base), inner.start, double)
            .filter(|q| q.plain().as_deref() == Some(value))
            .unwrap_or_else(|| HStr::literal(value, inner));
    } else {
        // Escapes or folded lines: the whole value maps to the whole scalar.
        s.push_text(value, inner);
    }
    HValue::string(s, host)
}

trait SliceOf {
    fn slice_of<'a>(&self, text: &'a str, base: usize) -> &'a str;
}

impl SliceOf for Span {
    /// This host span's text in `text`, which starts at `base` in the host.
    fn slice_of<'a>(&self, text: &'a str, base: usize) -> &'a str {
        Span::new(
            self.start.saturating_sub(base),
            self.end.saturating_sub(base),
        )
        .slice(text)
    }
}

/// A block scalar's lines: where they start, their text and the block's indentation. The
/// scalar's span starts at its first character of content, after the indentation.
fn block_body(text: &str, span: Span) -> Option<(usize, &str, usize)> {
    let body_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let body = text.get(body_start..span.end)?;
    let indent = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())?;
    Some((body_start, body, indent))
}

/// A literal block scalar (`|`) line by line, each line's text mapped to where it is written
/// (the indentation left out), or None when the lines do not give back `value`.
fn literal_block(text: &str, base: usize, span: Span, value: &str) -> Option<HStr> {
    let (body_start, body, indent) = block_body(text, span)?;
    let mut d = Decoded::default();
    let mut offset = body_start;
    for line in body.split_inclusive('\n') {
        let content = line
            .get(indent.min(line.len() - line.trim_start_matches(' ').len())..)
            .unwrap_or("");
        let at = offset + (line.len() - content.len());
        d.push(content, Span::new(base + at, base + at + content.len()));
        offset += line.len();
    }
    let text_ok = d.text.trim_end() == value.trim_end();
    text_ok.then(|| {
        let mut s = HStr::default();
        let mut consumed = 0;
        // Re-split the decoded text by its map: each line is one exact part.
        for line in d.text.split_inclusive('\n') {
            let host_start = d.map.start(consumed);
            s.push_text(line, Span::new(host_start, host_start + line.len()));
            consumed += line.len();
        }
        s
    })
}

/// A folded block scalar (`>`, `>-`) line by line: each line's text mapped to where it is
/// written, and each line break the folding turned into a space (or kept) mapped to that line
/// break, so every character of the value has its own place in the file. None when the lines
/// do not give back `value` this way.
fn folded_block(text: &str, base: usize, span: Span, value: &str) -> Option<HStr> {
    let (body_start, body, indent) = block_body(text, span)?;
    let mut s = HStr::default();
    let mut rest = value;
    let mut offset = body_start;
    for line in body.split_inclusive('\n') {
        let (content, newline) = match line.strip_suffix('\n') {
            Some(c) => (c.strip_suffix('\r').unwrap_or(c), true),
            None => (line, false),
        };
        let skip = indent.min(content.len() - content.trim_start_matches(' ').len());
        let content = &content[skip..];
        let at = offset + skip;
        rest = rest.strip_prefix(content)?;
        s.push_text(content, Span::new(base + at, base + at + content.len()));
        if newline {
            // What the folding made of this line break: a space, a kept newline, or nothing
            // (a break before an empty line, or one the chomping removed).
            if let Some(c @ (' ' | '\n')) = rest.chars().next() {
                let at = offset + line.len() - 1;
                s.push_text(&c.to_string(), Span::new(base + at, base + at + 1));
                rest = &rest[1..];
            }
        }
        offset += line.len();
    }
    rest.trim().is_empty().then_some(s)
}

/// The contents of a single- or double-quoted scalar (between its quotes, at host offset `at`)
/// character by character: each escape (`''`, `\"`, `\n`, `\u00e9`) is one character mapped to
/// the escape, each folded line break (a space, or a kept newline per blank line) to that break,
/// and the rest byte for byte. None for an escape this does not read (the caller then maps the
/// whole value to the whole scalar, and writes no fix into it).
pub(crate) fn quoted_scalar(raw: &str, at: usize, double: bool) -> Option<HStr> {
    let mut s = HStr::default();
    let mut i = 0;
    while let Some(c) = raw[i..].chars().next() {
        let here = |len: usize| Span::new(at + i, at + i + len);
        match c {
            '\'' if !double => {
                raw[i + 1..].starts_with('\'').then_some(())?;
                s.push_text("'", here(2));
                i += 2;
            }
            '\\' if double => {
                let e = raw[i + 1..].chars().next()?;
                let (decoded, len) = match e {
                    '\n' | '\r' => {
                        // An escaped line break: it and the next line's indentation vanish.
                        let rest = &raw[i + 1..];
                        let skipped =
                            rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
                        (rest[..skipped].matches('\n').count() == 1).then_some(())?;
                        (String::new(), 1 + skipped)
                    }
                    'x' => (hex_char(raw.get(i + 2..i + 4)?)?.to_string(), 4),
                    'u' => (hex_char(raw.get(i + 2..i + 6)?)?.to_string(), 6),
                    'U' => (hex_char(raw.get(i + 2..i + 10)?)?.to_string(), 10),
                    _ => {
                        let d = match e {
                            '0' => '\0',
                            'a' => '\u{7}',
                            'b' => '\u{8}',
                            't' | '\t' => '\t',
                            'n' => '\n',
                            'v' => '\u{b}',
                            'f' => '\u{c}',
                            'r' => '\r',
                            'e' => '\u{1b}',
                            ' ' => ' ',
                            '"' => '"',
                            '/' => '/',
                            '\\' => '\\',
                            'N' => '\u{85}',
                            '_' => '\u{a0}',
                            'L' => '\u{2028}',
                            'P' => '\u{2029}',
                            _ => return None,
                        };
                        (d.to_string(), 1 + e.len_utf8())
                    }
                };
                if decoded.is_empty() {
                    // Nothing to map: the next character keeps its own place.
                    s.push_text("", Span::empty(at + i));
                } else {
                    s.push_text(&decoded, here(len));
                }
                i += len;
            }
            ' ' | '\t' | '\r' | '\n' => {
                let rest = &raw[i..];
                let len = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
                let run = &rest[..len];
                let breaks: Vec<usize> = run.match_indices('\n').map(|(k, _)| k).collect();
                match breaks.as_slice() {
                    // Spaces and tabs inside a line are content.
                    [] => s.push_text(run, here(len)),
                    // One line break with the white space around it folds into a space.
                    [_] => s.push_text(" ", here(len)),
                    // Each blank line keeps a newline, mapped to its own line break.
                    [_, kept @ ..] => {
                        for k in kept {
                            s.push_text("\n", Span::new(at + i + k, at + i + k + 1));
                        }
                    }
                }
                i += len;
            }
            _ => {
                s.push_text(&raw[i..i + c.len_utf8()], here(c.len_utf8()));
                i += c.len_utf8();
            }
        }
    }
    Some(s)
}

fn hex_char(digits: &str) -> Option<char> {
    char::from_u32(u32::from_str_radix(digits, 16).ok()?)
}

/// A plain scalar that YAML 1.2's core schema reads as a number.
fn is_yaml_number(v: &str) -> bool {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.')
        // A leading zero keeps the text (account IDs are strings to CloudFormation anyway).
        && (digits.len() == 1 || !digits.starts_with('0'))
}

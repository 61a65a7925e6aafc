//! A hand-written, error-tolerant JSON parser that keeps the byte span of every key and value.
//!
//! Object members stay in source order, so duplicate keys are visible to the rules. After a
//! syntax error the parser resynchronises at the next `,`, `}` or `]` of the enclosing container,
//! so one broken statement does not hide the statements after it. It never panics and runs in
//! time linear in the input (nesting is capped so deep input cannot exhaust the stack).

pub mod quote;

use crate::span::Span;

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
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// The number's text as written (JSON numbers are kept exactly; IAM compares them as text
    /// or converts them itself).
    Number(String),
    /// The decoded string value.
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
    /// A value that could not be parsed; a syntax error has been reported for it.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The decoded key.
    pub value: String,
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
}

/// A parsed document: the root value (if any) and every syntax error found on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub root: Option<Node>,
    pub errors: Vec<SyntaxError>,
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

    /// The first member whose key equals `key` exactly.
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key.value == key)
    }

    /// The span of a string's contents, without its quotes. For other values, the whole span.
    /// Only exact when the string has no escapes; use [`string_offset`] for exact mapping.
    pub fn inner_span(&self) -> Span {
        match self.kind {
            // Without a closing quote the content runs to the end (cutting a byte off there could
            // split a character).
            NodeKind::String(_) if self.unterminated && !self.span.is_empty() => {
                Span::new(self.span.start + 1, self.span.end)
            }
            NodeKind::String(_) if self.span.len() >= 2 => {
                Span::new(self.span.start + 1, self.span.end - 1)
            }
            _ => self.span,
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
        let mut strings = Vec::new();
        let mut others = Vec::new();
        match &self.kind {
            NodeKind::String(s) => strings.push((s.as_str(), self)),
            NodeKind::Array(items) => {
                for item in items {
                    match &item.kind {
                        NodeKind::String(s) => strings.push((s.as_str(), item)),
                        _ => others.push(item),
                    }
                }
            }
            _ => others.push(self),
        }
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
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        errors: Vec::new(),
    };
    parser.skip_ws();
    let root = if parser.pos >= parser.bytes.len() {
        parser.error(
            Span::empty(parser.pos),
            "The document is empty: expected a JSON object",
        );
        None
    } else {
        let node = parser.value(0);
        parser.skip_ws();
        if parser.pos < parser.bytes.len() {
            let start = parser.pos;
            parser.error(
                Span::new(start, parser.next_char_end()),
                "Unexpected text after the end of the JSON document",
            );
        }
        Some(node)
    };
    Document {
        root,
        errors: parser.errors,
    }
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    errors: Vec<SyntaxError>,
}

impl<'t> Parser<'t> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
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
        });
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

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
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
            };
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let (value, span, unterminated) = self.string();
                Node {
                    kind: NodeKind::String(value),
                    span,
                    unterminated,
                }
            }
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
            };
        }
        Node {
            kind: NodeKind::Number(span.slice(self.text).to_string()),
            span,
            unterminated: false,
        }
    }

    /// Parse a string at `pos` (which is a `"`). An unterminated string ends at the end of its
    /// line, so the lines after it are still parsed.
    fn string(&mut self) -> (String, Span, bool) {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            let Some(b) = self.peek() else {
                out.push_str(&self.text[run_start..self.pos]);
                self.error(
                    Span::new(start, self.pos),
                    "Unterminated string: missing closing '\"'",
                );
                return (out, Span::new(start, self.pos), true);
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.pos += 1;
                    return (out, Span::new(start, self.pos), false);
                }
                b'\n' | b'\r' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.error(
                        Span::new(start, self.pos),
                        "Unterminated string: missing closing '\"' before the end of the line",
                    );
                    return (out, Span::new(start, self.pos), true);
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
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => {
                    self.error(Span::empty(self.pos), "Unclosed array: missing ']'");
                    break;
                }
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                Some(b'}') => {
                    // Belongs to an enclosing object: this array was never closed.
                    self.error(
                        Span::new(self.pos, self.pos + 1),
                        "Expected ']' to close the array, found '}'",
                    );
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
            items.push(self.value(depth + 1));
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.error(
                            Span::new(self.pos - 1, self.pos),
                            "Trailing comma before ']'",
                        );
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
        Node {
            kind: NodeKind::Array(items),
            span: Span::new(start, self.pos),
            unterminated: false,
        }
    }

    fn object(&mut self, depth: usize) -> Node {
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => {
                    self.error(Span::empty(self.pos), "Unclosed object: missing '}'");
                    break;
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                Some(b']') => {
                    self.error(
                        Span::new(self.pos, self.pos + 1),
                        "Expected '}' to close the object, found ']'",
                    );
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
                        value: span.slice(self.text).to_string(),
                        span,
                    };
                    self.member_value(key, depth, &mut members);
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
                if matches!(
                    self.peek(),
                    Some(b'"' | b'{' | b'[' | b't' | b'f' | b'n' | b'-' | b'0'..=b'9')
                ) {
                    // `"Effect" "Allow"`: take the value anyway.
                    let value = self.value(depth + 1);
                    members.push(Member {
                        key,
                        value: Some(value),
                    });
                    self.after_member();
                } else {
                    members.push(Member { key, value: None });
                    self.recover_in_object();
                }
                continue;
            }
            self.member_value(key, depth, &mut members);
        }
        Node {
            kind: NodeKind::Object(members),
            span: Span::new(start, self.pos),
            unterminated: false,
        }
    }

    fn member_value(&mut self, key: Key, depth: usize, members: &mut Vec<Member>) {
        self.pos += 1; // ':'
        self.skip_ws();
        if matches!(self.peek(), None | Some(b',' | b'}')) {
            self.error(
                Span::empty(self.pos),
                format!("Missing value for \"{}\"", key.value),
            );
            members.push(Member { key, value: None });
            self.after_member();
            return;
        }
        let value = self.value(depth + 1);
        let failed = matches!(value.kind, NodeKind::Error);
        members.push(Member {
            key,
            value: Some(value),
        });
        if failed {
            self.recover_in_object();
        } else {
            self.after_member();
        }
    }

    /// After a member: expect ',' or '}'. A missing comma before the next key is reported and
    /// parsing continues with that key.
    fn after_member(&mut self) {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.error(
                        Span::new(self.pos - 1, self.pos),
                        "Trailing comma before '}'",
                    );
                }
            }
            Some(b'}') | None => {}
            Some(b'"') => self.error(Span::empty(self.pos), "Expected ',' between object members"),
            Some(_) => {
                self.error(
                    Span::empty(self.pos),
                    "Expected ',' or '}' after an object member",
                );
                self.recover_in_object();
            }
        }
    }

    /// Skip to the next ',' (consumed), '}' or ']' at this nesting level (not consumed),
    /// stepping over strings and balanced brackets.
    fn recover_in_object(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    // Step over the string without reporting its errors twice.
                    let errors = self.errors.len();
                    self.string();
                    self.errors.truncate(errors);
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return,
                b'}' | b']' => depth -= 1,
                b',' if depth == 0 => {
                    self.pos += 1;
                    return;
                }
                _ => {}
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests;

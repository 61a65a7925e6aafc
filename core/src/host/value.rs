//! The policy as a host gives it, before it becomes JSON: objects, arrays and strings whose every
//! character knows where it sits in the host file, and values the host computes (unknown).
//! [`emit`] writes the JSON text the rules read, with its [`SourceMap`] back to the host.

use super::map::SourceMap;
use crate::fix::edit::push_json_escaped;
use crate::span::Span;
use crate::syntax::{Key, Member, Node, NodeKind};

/// The text of an unknown value in the JSON the rules read. It has the form of an IAM policy
/// variable, which the rules already treat as "any value at request time": a resource, a
/// condition value or an ARN part written with it is never a wildcard and never a literal that
/// could be wrong. Findings that land on it are dropped (see [`Unknown`]).
pub const UNKNOWN_PREFIX: &str = "${iamlint:unknown";

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HValue {
    pub kind: HKind,
    /// The whole value in the host (quotes, brackets, a heredoc's markers included).
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum HKind {
    Null,
    Bool(bool),
    Number(String),
    Str(HStr),
    Array(Vec<HValue>),
    Object(Vec<HMember>),
    /// A value the host computes (a reference, a function call, an intrinsic function).
    Unknown,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HMember {
    pub key: HStr,
    /// The key as written (quotes included).
    pub key_span: Span,
    pub value: HValue,
}

/// A string value in pieces: literal text (decoded) and unknown parts.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct HStr {
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Part {
    /// Decoded text. `exact` when it is a byte-for-byte copy of `host` (no escape inside).
    Text {
        text: String,
        host: Span,
        exact: bool,
    },
    /// An interpolation or other computed part.
    Unknown { host: Span },
}

impl HStr {
    /// A string whose whole text sits at `host`, byte for byte when the lengths agree.
    pub fn literal(text: &str, host: Span) -> HStr {
        let mut s = HStr::default();
        s.push_text(text, host);
        s
    }

    /// [`HStr::literal`] of a text already owned (not copied again).
    pub fn owned(text: String, host: Span) -> HStr {
        if text.is_empty() && host.is_empty() {
            return HStr::default();
        }
        let exact = text.len() == host.len();
        HStr {
            parts: vec![Part::Text { text, host, exact }],
        }
    }

    /// Append one decoded character (or a run) that the host writes at `host`.
    pub fn push_text(&mut self, text: &str, host: Span) {
        if text.is_empty() && host.is_empty() {
            return;
        }
        let exact = text.len() == host.len();
        if let Some(Part::Text {
            text: last,
            host: last_host,
            exact: true,
        }) = self.parts.last_mut()
        {
            if exact && last_host.end == host.start {
                last.push_str(text);
                last_host.end = host.end;
                return;
            }
        }
        self.parts.push(Part::Text {
            text: text.to_string(),
            host,
            exact,
        });
    }

    pub fn push_unknown(&mut self, host: Span) {
        self.parts.push(Part::Unknown { host });
    }

    /// The decoded value when it has no unknown part.
    pub fn plain(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text { text, .. } => out.push_str(text),
                Part::Unknown { .. } => return None,
            }
        }
        Some(out)
    }

    #[cfg(test)]
    pub fn has_unknown(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Unknown { .. }))
    }
}

impl HValue {
    pub fn new(kind: HKind, span: Span) -> HValue {
        HValue { kind, span }
    }

    pub fn unknown(span: Span) -> HValue {
        HValue::new(HKind::Unknown, span)
    }

    pub fn string(s: HStr, span: Span) -> HValue {
        HValue::new(HKind::Str(s), span)
    }

    /// The member named `key` (exact case), the last one when repeated.
    pub fn get(&self, key: &str) -> Option<&HValue> {
        match &self.kind {
            HKind::Object(members) => members
                .iter()
                .rev()
                .find(|m| m.key.plain().as_deref() == Some(key))
                .map(|m| &m.value),
            _ => None,
        }
    }

    pub fn plain_str(&self) -> Option<String> {
        match &self.kind {
            HKind::Str(s) => s.plain(),
            _ => None,
        }
    }
}

/// An unknown value in the JSON text: the placeholder and the string literal that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// The placeholder in the JSON text.
    pub json: Span,
    /// The JSON string literal holding it (quotes included).
    pub string: Span,
    /// The computed value in the host.
    pub host: Span,
}

/// JSON text written from a host value, with its map and its unknown values.
#[derive(Clone, Debug, Default)]
pub(crate) struct Emitted {
    pub json: String,
    pub map: SourceMap,
    pub unknowns: Vec<Unknown>,
    /// The syntax tree of `json`, built while it was written: what [`crate::syntax::parse`]
    /// gives for it, without reading it again. None when the text may hold what the parser
    /// reports (a number that is not JSON's, nesting near its depth limit): then it is parsed.
    pub root: Option<Node>,
}

/// Nesting deeper than this has `json` parsed (the parser's own limit is larger).
const MAX_BUILT_DEPTH: usize = 64;

/// Write `value` as indented JSON.
pub(crate) fn emit(value: &HValue) -> Emitted {
    let mut e = Emitter {
        out: Emitted::default(),
        exact: true,
    };
    // A host value always reads (`FromHost` has no unreadable value).
    let root = e.write(&FromHost(std::marker::PhantomData), value, 0);
    e.out.root = root.filter(|_| e.exact);
    e.out
}

/// [`emit`] of the host value that JSON text in a host string reads as, straight from the
/// text's parse: `root` is the parse of `text` (without errors), `map` and `unknowns` the
/// text's map to the host and its placeholders (see [`super::json::Decoded`]). Gives what
/// [`super::json::to_value`] and [`emit`] give together, byte for byte and segment for segment,
/// without the host value in between: the parse's nodes are moved into the tree of the text
/// written, and a string that is a byte-for-byte copy of the host is written at once. None when
/// the text has a number JSON does not write or nests deeper than [`emit`] builds a tree (the
/// caller then takes the general path).
pub(crate) fn emit_parsed(
    text: &str,
    map: &SourceMap,
    unknowns: &[(Span, Span)],
    root: Node,
) -> Option<Emitted> {
    let mut e = Emitter {
        out: Emitted::default(),
        exact: true,
    };
    let source = Parsed {
        text,
        map,
        unknowns,
    };
    let root = e.write(&source, root, 0)?;
    e.out.root = Some(root);
    e.exact.then_some(e.out)
}

/// The text [`emit_parsed`] writes from.
struct Parsed<'a> {
    text: &'a str,
    map: &'a SourceMap,
    unknowns: &'a [(Span, Span)],
}

/// True when `n` is a number as JSON writes it (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`).
fn is_json_number(n: &str) -> bool {
    let b = n.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    match digits(&mut i) {
        0 => return false,
        len if len > 1 && b[int_start] == b'0' => return false,
        _ => {}
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// What [`Emitter::write`] reads a value from: a host value ([`FromHost`], for [`emit`]) or the
/// parse of JSON text in a host string ([`Parsed`], for [`emit_parsed`]). Both are written the
/// same way; only where a value sits in the host and how a string is read differ.
trait Source {
    type Value;
    /// A string value, with what its source needs to write it.
    type Str;
    /// A member's name, likewise.
    type Key;
    type Items: ExactSizeIterator<Item = Self::Value>;
    type Members: ExactSizeIterator<Item = (Self::Key, Option<Self::Value>)>;
    /// Where `v` sits in the host and what it is; None when it cannot be written.
    fn read(&self, v: Self::Value) -> Option<(Span, Shape<Self>)>;
    /// Write a string value and give its value as the JSON parser decodes it.
    fn string(&self, e: &mut Emitter, s: Self::Str) -> String;
    /// Write a member's name and give its value.
    fn key(&self, e: &mut Emitter, key: Self::Key) -> String;
}

/// A value as [`Emitter::write`] sees it.
enum Shape<S: Source + ?Sized> {
    Null,
    Bool(bool),
    Number(String),
    Str(S::Str),
    Array(S::Items),
    Object(S::Members),
}

/// The host value itself (see [`emit`]).
struct FromHost<'a>(std::marker::PhantomData<&'a HValue>);

impl<'a> Source for FromHost<'a> {
    type Value = &'a HValue;
    /// The string, or None for a value the host computes, and where it sits.
    type Str = (Option<&'a HStr>, Span);
    type Key = &'a HMember;
    type Items = std::slice::Iter<'a, HValue>;
    type Members = std::iter::Map<
        std::slice::Iter<'a, HMember>,
        fn(&'a HMember) -> (&'a HMember, Option<&'a HValue>),
    >;

    fn read(&self, v: &'a HValue) -> Option<(Span, Shape<Self>)> {
        let shape = match &v.kind {
            HKind::Null => Shape::Null,
            HKind::Bool(b) => Shape::Bool(*b),
            HKind::Number(n) => Shape::Number(n.clone()),
            HKind::Str(s) => Shape::Str((Some(s), v.span)),
            // Written as a string of one unknown part.
            HKind::Unknown => Shape::Str((None, v.span)),
            HKind::Array(items) => Shape::Array(items.iter()),
            HKind::Object(members) => Shape::Object(members.iter().map(host_member as _)),
        };
        Some((v.span, shape))
    }

    fn string(&self, e: &mut Emitter, (s, host): Self::Str) -> String {
        match s {
            Some(s) => e.string(s, host),
            None => {
                let mut s = HStr::default();
                s.push_unknown(host);
                e.string(&s, host)
            }
        }
    }

    fn key(&self, e: &mut Emitter, m: &'a HMember) -> String {
        e.string(&m.key, m.key_span)
    }
}

fn host_member(m: &HMember) -> (&HMember, Option<&HValue>) {
    (m, Some(&m.value))
}

fn parsed_member(m: Member) -> (Key, Option<Node>) {
    (m.key, m.value)
}

/// A string literal of the parsed text: the literal (quotes included), its contents, where it
/// sits in the host, and its decoded value.
struct ParsedStr {
    literal: Span,
    inner: Span,
    host: Span,
    value: String,
}

impl Source for Parsed<'_> {
    type Value = Node;
    type Str = ParsedStr;
    type Key = Key;
    type Items = std::vec::IntoIter<Node>;
    type Members = std::iter::Map<std::vec::IntoIter<Member>, fn(Member) -> (Key, Option<Node>)>;

    fn read(&self, n: Node) -> Option<(Span, Shape<Self>)> {
        let host = self.map.span(n.span);
        let inner = n.inner_span();
        let shape = match n.kind {
            NodeKind::Null => Shape::Null,
            NodeKind::Bool(b) => Shape::Bool(b),
            NodeKind::Number(number) => Shape::Number(number),
            NodeKind::String(value) => Shape::Str(ParsedStr {
                literal: n.span,
                inner,
                host,
                value: value.into_string(),
            }),
            NodeKind::Array(items) => Shape::Array(items.into_iter()),
            NodeKind::Object(members) => Shape::Object(members.into_iter().map(parsed_member as _)),
            NodeKind::Error => return None,
        };
        Some((host, shape))
    }

    fn string(&self, e: &mut Emitter, s: ParsedStr) -> String {
        e.parsed_string(self, s)
    }

    fn key(&self, e: &mut Emitter, key: Key) -> String {
        let literal = key.span;
        let s = ParsedStr {
            literal,
            inner: super::json::key_contents(literal),
            host: self.map.span(literal),
            value: key.value.into_string(),
        };
        e.parsed_string(self, s)
    }
}

struct Emitter {
    out: Emitted,
    /// False once the tree built may differ from the parse of the text.
    exact: bool,
}

impl Emitter {
    /// Write `text` standing for `host`.
    fn token(&mut self, text: &str, host: Span) {
        let start = self.out.json.len();
        self.out.json.push_str(text);
        self.out
            .map
            .push(Span::new(start, self.out.json.len()), host);
    }

    fn newline(&mut self, depth: usize) {
        self.out.json.push('\n');
        for _ in 0..depth {
            self.out.json.push_str("  ");
        }
    }

    /// Write `v` read from `source` and give its syntax node (spans in the JSON text): the one
    /// walk of [`emit`] and [`emit_parsed`]. None when `source` cannot read a value (only a
    /// parse with an error); past [`MAX_BUILT_DEPTH`] and at a number JSON does not write, the
    /// text is still written and [`Emitter::exact`] cleared.
    fn write<S: Source>(&mut self, source: &S, v: S::Value, depth: usize) -> Option<Node> {
        if depth > MAX_BUILT_DEPTH {
            self.exact = false;
        }
        let start = self.out.json.len();
        let (host, shape) = source.read(v)?;
        let kind = match shape {
            Shape::Null => {
                self.token("null", host);
                NodeKind::Null
            }
            Shape::Bool(b) => {
                self.token(if b { "true" } else { "false" }, host);
                NodeKind::Bool(b)
            }
            Shape::Number(n) => {
                self.token(&n, host);
                self.exact &= is_json_number(&n);
                NodeKind::Number(n)
            }
            Shape::Str(s) => NodeKind::String(source.string(self, s).into()),
            Shape::Array(items) => {
                self.token("[", Span::empty(host.start));
                let mut nodes = Vec::with_capacity(items.len());
                for (i, item) in items.enumerate() {
                    if i > 0 {
                        self.out.json.push(',');
                    }
                    self.newline(depth + 1);
                    nodes.push(self.write(source, item, depth + 1)?);
                }
                if !nodes.is_empty() {
                    self.newline(depth);
                }
                self.token("]", Span::empty(host.end));
                NodeKind::Array(nodes)
            }
            Shape::Object(members) => {
                self.token("{", Span::empty(host.start));
                let mut nodes = Vec::with_capacity(members.len());
                for (i, (key, value)) in members.enumerate() {
                    if i > 0 {
                        self.out.json.push(',');
                    }
                    self.newline(depth + 1);
                    let key_start = self.out.json.len();
                    let key = source.key(self, key);
                    let key_span = Span::new(key_start, self.out.json.len());
                    self.out.json.push_str(": ");
                    let value = self.write(source, value?, depth + 1)?;
                    nodes.push(Member {
                        key: Key {
                            value: key.into(),
                            span: key_span,
                        },
                        value: Some(value),
                    });
                }
                if !nodes.is_empty() {
                    self.newline(depth);
                }
                self.token("}", Span::empty(host.end));
                NodeKind::Object(nodes)
            }
        };
        Some(Node {
            kind,
            span: Span::new(start, self.out.json.len()),
            unterminated: false,
            unopened: false,
        })
    }

    /// Write the string literal at `literal` of the parsed text (contents at `inner`, at `host`
    /// in the host, decoded `value`) and give the value of the string written. A literal that
    /// the host has byte for byte and that needs no escape is copied at once, as
    /// [`Emitter::string`] writes such a string; any other is read into its parts and written
    /// by [`Emitter::string`] itself.
    fn parsed_string(&mut self, source: &Parsed, s: ParsedStr) -> String {
        let ParsedStr {
            literal,
            inner,
            host,
            value,
        } = s;
        let copied = source.unknowns.is_empty()
            && inner.len() + 2 == literal.len()
            && source.map.linear(literal).is_some()
            && !inner
                .slice(source.text)
                .bytes()
                .any(|b| b < b' ' || b == b'\\' || b == b'"');
        if !copied {
            let parts = super::json::string_parts(inner, source.text, source.map, source.unknowns);
            return self.string(&parts, host);
        }
        if inner.is_empty() {
            // No text part: the quotes stand for the string's two ends.
            self.token("\"", Span::empty(host.start));
            self.token("\"", Span::empty(host.end));
        } else {
            // The quotes and the text: one byte-for-byte run, as the three tokens
            // [`Emitter::string`] writes are merged into.
            self.token(literal.slice(source.text), host);
        }
        value
    }

    /// Write `s` as a JSON string literal and give its value (what the JSON parser decodes
    /// from the literal: the text, with the placeholder of each unknown part).
    fn string(&mut self, s: &HStr, host: Span) -> String {
        let mut value = String::new();
        let string_start = self.out.json.len();
        let first_unknown = self.out.unknowns.len();
        let content_start = s.parts.first().map_or(host.start, |p| match p {
            Part::Text { host, .. } | Part::Unknown { host } => host.start,
        });
        let content_end = s.parts.last().map_or(host.end, |p| match p {
            Part::Text { host, .. } | Part::Unknown { host } => host.end,
        });
        let open = Span::new(host.start, content_start.max(host.start));
        self.token(
            "\"",
            if open.len() == 1 {
                open
            } else {
                Span::empty(host.start)
            },
        );
        for part in &s.parts {
            match part {
                Part::Text { text, host, exact } => {
                    value.push_str(text);
                    if *exact {
                        // Byte for byte in runs; a character JSON escapes is its own token.
                        let mut run_start = 0;
                        for (i, c) in text.char_indices() {
                            if c != '"' && c != '\\' && c >= ' ' {
                                continue;
                            }
                            if run_start < i {
                                let run = Span::new(host.start + run_start, host.start + i);
                                self.token(&text[run_start..i], run);
                            }
                            let mut escaped = String::new();
                            push_json_escaped(&mut escaped, &text[i..i + c.len_utf8()]);
                            let at = host.start + i;
                            self.token(&escaped, Span::new(at, at + c.len_utf8()));
                            run_start = i + c.len_utf8();
                        }
                        if run_start < text.len() {
                            let run = Span::new(host.start + run_start, host.end);
                            self.token(&text[run_start..], run);
                        }
                    } else {
                        let mut escaped = String::new();
                        push_json_escaped(&mut escaped, text);
                        self.token(&escaped, *host);
                    }
                }
                Part::Unknown { host } => {
                    let start = self.out.json.len();
                    let text = format!("{UNKNOWN_PREFIX}{}}}", self.out.unknowns.len() + 1);
                    self.token(&text, *host);
                    value.push_str(&text);
                    self.out.unknowns.push(Unknown {
                        json: Span::new(start, self.out.json.len()),
                        string: Span::default(),
                        host: *host,
                    });
                }
            }
        }
        let close = Span::new(content_end.min(host.end), host.end);
        self.token(
            "\"",
            if close.len() == 1 {
                close
            } else {
                Span::empty(host.end)
            },
        );
        let string = Span::new(string_start, self.out.json.len());
        for u in &mut self.out.unknowns[first_unknown..] {
            u.string = string;
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_numbers_are_told_from_other_number_text() {
        for n in ["0", "-0", "12", "1.5", "-1.25e10", "1E+2", "0.0e-1"] {
            assert!(is_json_number(n), "{n}");
            let doc = crate::syntax::parse(n);
            assert!(doc.errors.is_empty(), "{n}: {:?}", doc.errors);
        }
        for n in [
            "", "-", "01", "1.", ".5", "1e", "+1", "0x1F", "1_000", "1.5.2", "Infinity",
        ] {
            assert!(!is_json_number(n), "{n}");
        }
    }

    #[test]
    fn the_tree_built_while_writing_is_the_parse() {
        let mut s = HStr::literal("a\"b\u{1}é", Span::new(0, 6));
        s.push_unknown(Span::new(6, 9));
        let value = HValue::new(
            HKind::Object(vec![HMember {
                key: HStr::literal("K", Span::new(0, 1)),
                key_span: Span::new(0, 1),
                value: HValue::new(
                    HKind::Array(vec![
                        HValue::string(s, Span::new(0, 9)),
                        HValue::new(HKind::Number("1.5".into()), Span::new(9, 12)),
                        HValue::new(HKind::Null, Span::new(12, 13)),
                        HValue::new(HKind::Object(Vec::new()), Span::new(13, 14)),
                    ]),
                    Span::new(0, 14),
                ),
            }]),
            Span::new(0, 14),
        );
        let e = emit(&value);
        let parsed = crate::syntax::parse(&e.json);
        assert_eq!(e.root.as_ref(), parsed.root.as_ref(), "{}", e.json);
        // A number JSON does not write has the text parsed instead.
        let odd = emit(&HValue::new(HKind::Number("0x1F".into()), Span::new(0, 4)));
        assert!(odd.root.is_none());
    }

    #[test]
    fn emits_json_with_a_map_to_the_host() {
        // Host: `{ Action = "s3:Get\u002a" }` with a reference as Resource.
        let host = r#"{ Action = "s3:Get\u002a", Resource = aws_s3_bucket.b.arn }"#;
        let action_at = host.find("\"s3").unwrap();
        let mut action = HStr::default();
        action.push_text("s3:Get", Span::new(action_at + 1, action_at + 7));
        action.push_text("*", Span::new(action_at + 7, action_at + 13));
        let res_at = host.find("aws_s3").unwrap();
        let value = HValue::new(
            HKind::Object(vec![
                HMember {
                    key: HStr::literal("Action", Span::new(2, 8)),
                    key_span: Span::new(2, 8),
                    value: HValue::string(action, Span::new(action_at, action_at + 14)),
                },
                HMember {
                    key: HStr::literal("Resource", Span::new(27, 35)),
                    key_span: Span::new(27, 35),
                    value: HValue::unknown(Span::new(res_at, res_at + 19)),
                },
            ]),
            Span::new(0, host.len()),
        );
        let e = emit(&value);
        assert_eq!(
            e.json,
            "{\n  \"Action\": \"s3:Get*\",\n  \"Resource\": \"${iamlint:unknown1}\"\n}"
        );
        let get = e.json.find("Get").unwrap();
        assert_eq!(
            e.map.span(Span::new(get, get + 3)).slice(host),
            "Get",
            "literal text maps byte for byte"
        );
        let star = e.json.find('*').unwrap();
        assert_eq!(e.map.span(Span::new(star, star + 1)).slice(host), "\\u002a");
        let value_span = Span::new(star - 7, star + 2);
        assert_eq!(e.map.span(value_span).slice(host), "\"s3:Get\\u002a\"");
        assert_eq!(e.unknowns.len(), 1);
        assert_eq!(e.unknowns[0].host.slice(host), "aws_s3_bucket.b.arn");
        assert_eq!(
            e.map.span(e.unknowns[0].string).slice(host),
            "aws_s3_bucket.b.arn"
        );
        assert_eq!(
            e.map.span(Span::new(0, e.json.len())),
            Span::new(0, host.len())
        );
    }
}

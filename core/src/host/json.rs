//! JSON inside a host: a CloudFormation template written in JSON, and a policy written as a
//! JSON string (a Terraform heredoc, a quoted string, a template's `PolicyDocument: "{...}"`).
//! Both are parsed with the one JSON parser ([`crate::syntax`]) and turned into a host value
//! whose spans go through a [`SourceMap`] to the host file.

use super::map::SourceMap;
use super::value::{emit_parsed, Emitted, HKind, HMember, HStr, HValue};
use crate::span::Span;
use crate::syntax::{self, Node, NodeKind};

/// Decoded text standing for a host string, with its map and its unknown parts (each written
/// as a JSON string placeholder that [`to_value`] turns back into an unknown part).
#[derive(Clone, Debug, Default)]
pub(crate) struct Decoded {
    pub text: String,
    pub map: SourceMap,
    /// (placeholder in `text`, host span of the computed value)
    pub unknowns: Vec<(Span, Span)>,
    /// Whether the decoded text up to `scanned` is inside a JSON string (so a placeholder gets
    /// quotes only outside one), and just after a backslash in one. Brought up to date only
    /// when a placeholder is written: most texts have none.
    in_string: bool,
    escaped: bool,
    scanned: usize,
}

const PLACEHOLDER: &str = "${iamlint:unknown}";

impl Decoded {
    /// Append decoded text standing for `host` (byte for byte when the lengths agree).
    pub fn push(&mut self, text: &str, host: Span) {
        let start = self.text.len();
        self.text.push_str(text);
        self.map.push(Span::new(start, self.text.len()), host);
    }

    /// Append an unknown value computed by the host at `host`.
    pub fn push_unknown(&mut self, host: Span) {
        for &b in &self.text.as_bytes()[self.scanned..] {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' && self.in_string {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = !self.in_string;
            }
        }
        let quote = !self.in_string;
        if quote {
            self.text.push('"');
        }
        let start = self.text.len();
        self.text.push_str(PLACEHOLDER);
        let span = Span::new(start, self.text.len());
        self.map.push(span, host);
        if quote {
            self.text.push('"');
        }
        // The placeholder and its quotes leave the state as it was.
        self.scanned = self.text.len();
        self.unknowns.push((span, host));
    }
}

/// Parse decoded JSON text; syntax errors come back as host spans.
pub(crate) fn parse_decoded(decoded: &Decoded) -> (Option<HValue>, Vec<(Span, String)>) {
    converted(&syntax::parse(&decoded.text), decoded)
}

/// The host value and host-span errors of `doc`, the parse of `decoded`'s text.
fn converted(doc: &syntax::Document, decoded: &Decoded) -> (Option<HValue>, Vec<(Span, String)>) {
    let errors = doc
        .errors
        .iter()
        .map(|e| (decoded.map.span(e.span), e.message.clone()))
        .collect();
    let value = doc
        .root
        .as_ref()
        .map(|root| to_value(root, &decoded.text, &decoded.map, &decoded.unknowns));
    (value, errors)
}

/// What JSON text in a host string reads as.
pub(crate) enum ReadJson {
    /// Text without syntax errors, written as the JSON the rules read.
    Emitted(Emitted),
    /// The host value and the syntax errors (host spans), as [`parse_decoded`] gives them.
    Value(Option<HValue>, Vec<(Span, String)>),
}

/// [`parse_decoded`], then [`emit`]: a text that parses without error is written out from
/// its parse directly ([`emit_parsed`], the same JSON text, map and tree without the host value
/// in between); any other is read as [`parse_decoded`] reads it, from the same parse.
pub(crate) fn read_decoded(decoded: &Decoded) -> ReadJson {
    let mut doc = syntax::parse(&decoded.text);
    if doc.errors.is_empty() {
        if let Some(root) = doc.root.take() {
            return match emit_parsed(&decoded.text, &decoded.map, &decoded.unknowns, root) {
                Some(emitted) => {
                    // Every host test checks that this is what the general path writes.
                    #[cfg(test)]
                    {
                        let value = parse_decoded(decoded).0.expect("a value");
                        let general = super::value::emit(&value);
                        assert_eq!(
                            (
                                &emitted.json,
                                &emitted.map,
                                &emitted.unknowns,
                                &emitted.root
                            ),
                            (
                                &general.json,
                                &general.map,
                                &general.unknowns,
                                &general.root
                            ),
                            "{}",
                            decoded.text
                        );
                    }
                    ReadJson::Emitted(emitted)
                }
                // A number JSON does not write, deep nesting: the general path (rare).
                None => {
                    let (value, errors) = parse_decoded(decoded);
                    ReadJson::Value(value, errors)
                }
            };
        }
    }
    let (value, errors) = converted(&doc, decoded);
    ReadJson::Value(value, errors)
}

/// Turn a parsed JSON node of `text` into a host value, mapping spans with `map`.
pub(crate) fn to_value(
    node: &Node,
    text: &str,
    map: &SourceMap,
    unknowns: &[(Span, Span)],
) -> HValue {
    let span = map.span(node.span);
    let kind = match &node.kind {
        NodeKind::Null => HKind::Null,
        NodeKind::Bool(b) => HKind::Bool(*b),
        NodeKind::Number(n) => HKind::Number(n.clone()),
        NodeKind::String(_) => HKind::Str(string_parts(node.inner_span(), text, map, unknowns)),
        NodeKind::Array(items) => HKind::Array(
            items
                .iter()
                .map(|i| to_value(i, text, map, unknowns))
                .collect(),
        ),
        NodeKind::Object(members) => HKind::Object(
            members
                .iter()
                .filter_map(|m| {
                    let value = m.value.as_ref()?;
                    Some(HMember {
                        key: string_parts(key_contents(m.key.span), text, map, unknowns),
                        key_span: map.span(m.key.span),
                        value: to_value(value, text, map, unknowns),
                    })
                })
                .collect(),
        ),
        // Reported as a syntax error already.
        NodeKind::Error => HKind::Unknown,
    };
    HValue::new(kind, span)
}

/// A key's contents: its span without the quotes.
pub(super) fn key_contents(key: Span) -> Span {
    match key.len() >= 2 {
        true => Span::new(key.start + 1, key.end - 1),
        false => key,
    }
}

/// The decoded characters of the JSON string whose contents are at `inner`, each with its host
/// span; placeholders become unknown.
pub(super) fn string_parts(
    inner: Span,
    text: &str,
    map: &SourceMap,
    unknowns: &[(Span, Span)],
) -> HStr {
    let raw = inner.slice(text);
    let mut out = HStr::default();
    let mut i = 0usize;
    while i < raw.len() {
        let at = inner.start + i;
        if let Some((placeholder, host)) = unknowns.iter().find(|(p, _)| p.start == at) {
            out.push_unknown(*host);
            i += placeholder.len();
            continue;
        }
        let rest = &raw[i..];
        // A run of plain characters up to the next escape or placeholder: one piece when the
        // host has it byte for byte (the common case), which keeps long policies cheap.
        let run = rest.find(['\\', '$']).unwrap_or(rest.len());
        if run > 0 {
            if let Some(host) = map.linear(Span::new(at, at + run)) {
                out.push_text(&rest[..run], host);
                i += run;
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        if c != '\\' {
            let len = c.len_utf8();
            out.push_text(&rest[..len], map.span(Span::new(at, at + len)));
            i += len;
            continue;
        }
        // An escape: decode it with the JSON parser itself (one home for JSON escapes).
        let len = escape_len(rest);
        let literal = format!("\"{}\"", &rest[..len]);
        let decoded = syntax::parse(&literal)
            .root
            .and_then(|n| n.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_text(&decoded, map.span(Span::new(at, at + len)));
        i += len;
    }
    out
}

/// Length of the escape sequence at the start of `s` (which starts with a backslash).
fn escape_len(s: &str) -> usize {
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'u') => {
            let mut len = 6.min(s.len());
            // A surrogate pair is one character.
            if s.get(2..6)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .is_some_and(|v| (0xD800..0xDC00).contains(&v))
                && s.get(6..8) == Some("\\u")
            {
                len = 12.min(s.len());
            }
            while !s.is_char_boundary(len) {
                len -= 1;
            }
            len
        }
        Some(_) => {
            let mut len = 2;
            while !s.is_char_boundary(len) {
                len += 1;
            }
            len
        }
        None => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::value::Part;

    #[test]
    fn json_in_a_host_string_keeps_positions_and_unknowns() {
        // Host: a heredoc whose JSON holds an interpolation.
        let host = "<<EOF\n{\"Resource\": \"${aws_s3_bucket.b.arn}/*\"}\nEOF";
        let body = 6;
        let interp = host.find("${").unwrap();
        let interp_end = host.find("}/").unwrap() + 1;
        let mut d = Decoded::default();
        d.push(&host[body..interp], Span::new(body, interp));
        d.push_unknown(Span::new(interp, interp_end));
        let end = host.find("\nEOF").unwrap();
        d.push(&host[interp_end..end], Span::new(interp_end, end));
        let (value, errors) = parse_decoded(&d);
        assert!(errors.is_empty(), "{errors:?}");
        let value = value.unwrap();
        let res = value.get("Resource").unwrap();
        let HKind::Str(s) = &res.kind else {
            panic!("{res:?}")
        };
        assert_eq!(s.parts.len(), 2);
        assert_eq!(
            s.parts[0],
            Part::Unknown {
                host: Span::new(interp, interp_end)
            }
        );
        assert_eq!(res.span.slice(host), "\"${aws_s3_bucket.b.arn}/*\"");
    }

    #[test]
    fn an_unknown_outside_a_string_is_a_whole_value() {
        let mut d = Decoded::default();
        d.push("{\"Action\": ", Span::new(0, 11));
        d.push_unknown(Span::new(11, 30));
        d.push("}", Span::new(30, 31));
        let (value, errors) = parse_decoded(&d);
        assert!(errors.is_empty(), "{errors:?}");
        let action = value.unwrap().get("Action").cloned().unwrap();
        assert!(matches!(&action.kind, HKind::Str(s) if s.has_unknown() && s.parts.len() == 1));
        assert_eq!(action.span, Span::new(11, 30));
    }

    #[test]
    fn escapes_decode_to_one_character_each() {
        let text = r#"{"A": "x\u0041\n"}"#;
        let doc = syntax::parse(text);
        let v = to_value(
            doc.root.as_ref().unwrap(),
            text,
            &SourceMap::identity(text.len()),
            &[],
        );
        let a = v.get("A").unwrap();
        assert_eq!(a.plain_str().as_deref(), Some("xA\n"));
    }
}

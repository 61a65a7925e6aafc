//! The policy as a host gives it, before it becomes JSON: objects, arrays and strings whose every
//! character knows where it sits in the host file, and values the host computes (unknown).
//! [`emit`] writes the JSON text the rules read, with its [`SourceMap`] back to the host.

use super::map::SourceMap;
use crate::fix::edit::push_json_escaped;
use crate::span::Span;

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
}

/// Write `value` as indented JSON.
pub(crate) fn emit(value: &HValue) -> Emitted {
    let mut e = Emitter {
        out: Emitted::default(),
    };
    e.value(value, 0);
    e.out
}

struct Emitter {
    out: Emitted,
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

    fn value(&mut self, v: &HValue, depth: usize) {
        match &v.kind {
            HKind::Null => self.token("null", v.span),
            HKind::Bool(b) => self.token(if *b { "true" } else { "false" }, v.span),
            HKind::Number(n) => self.token(n, v.span),
            HKind::Str(s) => self.string(s, v.span),
            HKind::Unknown => {
                let mut s = HStr::default();
                s.push_unknown(v.span);
                self.string(&s, v.span);
            }
            HKind::Array(items) => {
                self.token("[", Span::empty(v.span.start));
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.json.push(',');
                    }
                    self.newline(depth + 1);
                    self.value(item, depth + 1);
                }
                if !items.is_empty() {
                    self.newline(depth);
                }
                self.token("]", Span::empty(v.span.end));
            }
            HKind::Object(members) => {
                self.token("{", Span::empty(v.span.start));
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        self.out.json.push(',');
                    }
                    self.newline(depth + 1);
                    self.string(&m.key, m.key_span);
                    self.out.json.push_str(": ");
                    self.value(&m.value, depth + 1);
                }
                if !members.is_empty() {
                    self.newline(depth);
                }
                self.token("}", Span::empty(v.span.end));
            }
        }
    }

    fn string(&mut self, s: &HStr, host: Span) {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

//! Writing JSON string literals: the one JSON quoting helper. Every fix, hover and message that
//! writes a string into a JSON policy goes through here, and so does the command line's JSON
//! output, so escaping is done the same way everywhere (quotes, backslashes and control
//! characters; nothing else is escaped, so non-ASCII text stays readable). Writers for other host
//! dialects (HCL, YAML) sit beside their readers in `crate::host`.

use crate::bytes::{push_cut, words};

/// A JSON string literal for `value`, quotes included, with the escapes JSON requires.
pub fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_json_string(&mut out, value);
    out
}

/// Append [`json_string`]`(value)` to `out`, for fix texts built in one buffer.
pub fn push_json_string(out: &mut String, value: &str) {
    out.push('"');
    push_json_escaped(out, value);
    out.push('"');
}

/// Append `value` with the escapes JSON requires, without quotes (a string literal can be
/// written in parts: escaping is per character).
pub fn push_json_escaped(out: &mut String, value: &str) {
    push_json_escaped_to(out, value, ControlEscapes::Unicode);
}

/// The escape written for a backspace and a form feed, the two control characters JSON also
/// has a short escape for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlEscapes {
    /// `\u0008` and `\u000c`: what fixes write (their text also goes where only `\n`, `\r`,
    /// `\t` and `\uXXXX` are escapes, such as HCL strings).
    Unicode,
    /// `\b` and `\f`, as serde_json writes them: the command line's JSON output, whose bytes
    /// are serde_json's.
    Short,
}

/// A buffer escaped text is appended to: a `String` (fix texts) or a byte buffer (the command
/// line's output). Only whole `str` pieces are appended, so a `String` stays valid UTF-8.
pub trait TextBuffer {
    fn push_text(&mut self, text: &str);
    /// Append `text[from..to]` (both character boundaries).
    #[inline]
    fn push_part(&mut self, text: &str, from: usize, to: usize) {
        self.push_text(text.get(from..to).unwrap_or_default());
    }
    /// Make room for at least `additional` more bytes.
    fn reserve_text(&mut self, additional: usize);
}

impl TextBuffer for String {
    #[inline]
    fn push_text(&mut self, text: &str) {
        self.push_str(text);
    }
    #[inline]
    fn reserve_text(&mut self, additional: usize) {
        self.reserve(additional);
    }
}

impl TextBuffer for Vec<u8> {
    #[inline]
    fn push_text(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }
    /// A short part (most parts between two escapes are a name or an indentation) as a copy of
    /// a fixed size cut back to length ([`push_cut`]), when the text has that many bytes there.
    #[inline]
    fn push_part(&mut self, text: &str, from: usize, to: usize) {
        const WIDE: usize = 32;
        let bytes = text.as_bytes();
        match bytes.get(from..from + WIDE) {
            Some(wide) if to - from <= WIDE => {
                let mut chunk = [0u8; WIDE];
                chunk.copy_from_slice(wide);
                push_cut(self, &chunk, to - from);
            }
            _ => self.extend_from_slice(bytes.get(from..to).unwrap_or_default()),
        }
    }
    #[inline]
    fn reserve_text(&mut self, additional: usize) {
        self.reserve(additional);
    }
}

/// [`push_json_escaped`] into any [`TextBuffer`], with the given escapes for backspace and form
/// feed. The text between two escapes is copied in one piece; the next byte to escape is found
/// eight bytes at a time (fix texts written into the output have an escaped quote every twenty
/// bytes or so).
pub fn push_json_escaped_to<S: TextBuffer>(out: &mut S, value: &str, controls: ControlEscapes) {
    let bytes = value.as_bytes();
    let mut at = next_to_escape(bytes, 0);
    if at == bytes.len() {
        // Names from the catalog never need an escape: copy them whole.
        out.push_text(value);
        return;
    }
    out.reserve_text(value.len() + value.len() / 8);
    let mut copied = 0;
    while at < bytes.len() {
        // `at` is an ASCII byte, so the part ends on a character boundary.
        out.push_part(value, copied, at);
        let b = bytes[at];
        // Each short escape is two bytes: a copy of a length known when compiling.
        let short = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 if controls == ControlEscapes::Short => Some("\\b"),
            0x0c if controls == ControlEscapes::Short => Some("\\f"),
            _ => None,
        };
        match short {
            Some(pair) => out.push_text(pair),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xf)],
                ];
                out.push_text(std::str::from_utf8(&code).unwrap_or_default());
            }
        }
        copied = at + 1;
        at = next_to_escape(bytes, copied);
    }
    out.push_part(value, copied, value.len());
}

/// The position of the first byte at or after `from` that JSON requires to be escaped in a
/// string (a control character, `"` or `\\`), or `bytes.len()`. The parser also reads a
/// string's end with it: a string without escapes or control characters ends at the first such
/// byte.
#[inline]
pub(super) fn next_to_escape(bytes: &[u8], from: usize) -> usize {
    words::find(bytes, from, |w| {
        words::first_below_or_equal(w, 0x20, [b'"', b'\\'])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_json_requires() {
        assert_eq!(json_string("a\"b"), "\"a\\\"b\"");
        assert_eq!(json_string("back\\slash"), "\"back\\\\slash\"");
        assert_eq!(json_string("line\nnext\u{1}"), "\"line\\nnext\\u0001\"");
        assert_eq!(json_string("é*"), "\"é*\"");
        assert_eq!(
            json_string("\u{8}\u{c}\u{1f}\u{7f}"),
            "\"\\u0008\\u000c\\u001f\u{7f}\""
        );
        let mut out = String::new();
        push_json_escaped(&mut out, "s3");
        push_json_escaped(&mut out, ":Get\"");
        assert_eq!(out, "s3:Get\\\"");
        let mut bytes = b"x".to_vec();
        push_json_escaped_to(&mut bytes, "\u{8}\u{c}\"", ControlEscapes::Short);
        assert_eq!(bytes, b"x\\b\\f\\\"");
    }

    /// Every character at every place in a word and in the tail after the last whole word, and
    /// every byte value, escape as serde_json escapes them (its short escapes for backspace and
    /// form feed asked for), and as one character at a time.
    #[test]
    fn agrees_with_serde_json_at_every_position() {
        let specials: Vec<char> = (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '/', '\u{7f}', 'é', '😀', 'a'])
            .collect();
        let letters = "abcdefghijklmnopqrstuvwxyz".repeat(3);
        // Short values, and long ones whose parts are copied in fixed-size pieces.
        for len in (0..20).chain([31, 32, 33, 47, 70]) {
            for at in 0..len {
                for &c in &specials {
                    let mut value: String = letters[..len].into();
                    value.replace_range(at..at + 1, c.encode_utf8(&mut [0; 4]));
                    let serde = serde_json::to_string(&value).unwrap();
                    let mut short = b"\"".to_vec();
                    push_json_escaped_to(&mut short, &value, ControlEscapes::Short);
                    short.push(b'"');
                    assert_eq!(String::from_utf8(short).unwrap(), serde, "{value:?}");
                    let mut one_by_one = String::new();
                    for ch in value.chars() {
                        push_json_escaped(&mut one_by_one, ch.encode_utf8(&mut [0; 4]));
                    }
                    let mut whole = String::new();
                    push_json_escaped(&mut whole, &value);
                    assert_eq!(whole, one_by_one, "{value:?}");
                }
            }
        }
    }
}

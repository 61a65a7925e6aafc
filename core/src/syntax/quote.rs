//! Writing JSON string literals: the one JSON quoting helper. Every fix, hover and message that
//! writes a string into a JSON policy goes through here, and so does the command line's JSON
//! output, so escaping is done the same way everywhere (quotes, backslashes and control
//! characters; nothing else is escaped, so non-ASCII text stays readable). Writers for other host
//! dialects (HCL, YAML) sit beside their readers in `crate::host`.

use crate::bytes::words;

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
    /// Make room for at least `additional` more bytes.
    fn reserve_text(&mut self, additional: usize);
    /// Append `value` with the escapes JSON requires ([`push_json_escaped_to`]).
    #[inline]
    fn push_escaped(&mut self, value: &str, controls: ControlEscapes) {
        push_escaped_by_parts(self, value, controls);
    }
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
    #[inline]
    fn reserve_text(&mut self, additional: usize) {
        self.reserve(additional);
    }
    /// Word by word: a byte buffer can take whole words that are cut back afterwards, which a
    /// `String` cannot (a word may end inside a character).
    #[inline]
    fn push_escaped(&mut self, value: &str, controls: ControlEscapes) {
        push_escaped_by_words(self, value, controls);
    }
}

/// [`push_json_escaped`] into any [`TextBuffer`], with the given escapes for backspace and form
/// feed.
#[inline]
pub fn push_json_escaped_to<S: TextBuffer>(out: &mut S, value: &str, controls: ControlEscapes) {
    out.push_escaped(value, controls);
}

/// What each ASCII byte is written as inside a JSON string: the bytes of its escape and, in the
/// last of the eight, their count (0 for a byte written as it is: every byte from 0x20 on
/// except `"` and `\\`). The one list of JSON's escapes, for both ways of writing.
type EscapeTable = [[u8; 8]; 0x80];

const fn escape_table(controls: ControlEscapes) -> EscapeTable {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 8]; 0x80];
    let mut b = 0;
    while b < 0x20 {
        let short = match b {
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x08 if matches!(controls, ControlEscapes::Short) => b'b',
            0x0c if matches!(controls, ControlEscapes::Short) => b'f',
            _ => 0,
        };
        table[b as usize] = if short != 0 {
            [b'\\', short, 0, 0, 0, 0, 0, 2]
        } else {
            [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xf) as usize],
                0,
                6,
            ]
        };
        b += 1;
    }
    table[b'"' as usize] = [b'\\', b'"', 0, 0, 0, 0, 0, 2];
    table[b'\\' as usize] = [b'\\', b'\\', 0, 0, 0, 0, 0, 2];
    table
}

static SHORT_ESCAPES: EscapeTable = escape_table(ControlEscapes::Short);
static UNICODE_ESCAPES: EscapeTable = escape_table(ControlEscapes::Unicode);

#[inline(always)]
fn escapes(controls: ControlEscapes) -> &'static EscapeTable {
    match controls {
        ControlEscapes::Short => &SHORT_ESCAPES,
        ControlEscapes::Unicode => &UNICODE_ESCAPES,
    }
}

/// The escape of `b`, a byte [`next_to_escape`] stopped at (below 0x20, `"` or `\\`).
#[inline(always)]
fn escape_of(table: &EscapeTable, b: u8) -> &[u8; 8] {
    // Every byte JSON escapes is ASCII; the others have an empty entry.
    &table[usize::from(b & 0x7f)]
}

/// The plain way: the text between two escapes copied in one piece, the next byte to escape
/// found eight bytes at a time. For a `String`, and the reference the word-by-word way is
/// tested against.
fn push_escaped_by_parts<S: TextBuffer + ?Sized>(
    out: &mut S,
    value: &str,
    controls: ControlEscapes,
) {
    let table = escapes(controls);
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
        out.push_text(value.get(copied..at).unwrap_or_default());
        let e = escape_of(table, bytes[at]);
        let code = e.get(..usize::from(e[7])).unwrap_or_default();
        out.push_text(std::str::from_utf8(code).unwrap_or_default());
        copied = at + 1;
        at = next_to_escape(bytes, copied);
    }
    out.push_text(value.get(copied..).unwrap_or_default());
}

/// The way for a byte buffer (the command line's output, where most of the escaped text is
/// the fixes' edit text: an escaped quote or line break every six bytes or so). Each word of
/// eight bytes is written whole into a block on the stack; at the first byte to escape the
/// block's end is moved back there, the escape written (eight bytes, of which its length
/// counts), and the next word read from the byte after. No search is started again per escape,
/// and the block goes to `out` in one copy when full and at the end: appending each word to
/// `out` itself cost a capacity test and a reload of its length each (more than the scan).
fn push_escaped_by_words(out: &mut Vec<u8>, value: &str, controls: ControlEscapes) {
    /// Bytes of the block written before it goes to `out`: a word's step writes at most 15
    /// bytes past it, the last bytes' at most 50 (seven escapes of six bytes and a word).
    const ROOM: usize = 192;
    let table = escapes(controls);
    let bytes = value.as_bytes();
    let mut block = [0u8; ROOM + 64];
    let mut o = 0;
    let mut i = 0;
    if let Some(last) = bytes.len().checked_sub(8) {
        while i <= last {
            if o > ROOM {
                out.extend_from_slice(&block[..o]);
                o = 0;
            }
            let w = word_at(bytes, i);
            let m = escape_mask(w);
            block[o..o + 8].copy_from_slice(&w.to_le_bytes());
            if m == 0 {
                o += 8;
                i += 8;
                continue;
            }
            let k = words::first(m) & 7;
            let e = escape_of(table, (w >> (8 * k)) as u8);
            block[o + k..o + k + 8].copy_from_slice(e);
            o += k + usize::from(e[7]);
            i += k + 1;
        }
    }
    // The last bytes (fewer than eight) as one word, lowest first, zeros above them: from the
    // text's last eight bytes shifted down when there are that many, else byte by byte.
    let mut rest = bytes.len() - i;
    if rest > 0 {
        let mut w = match bytes.len().checked_sub(8) {
            Some(last) => word_at(bytes, last) >> (8 * (i - last)),
            None => bytes
                .iter()
                .rev()
                .fold(0u64, |w, &b| (w << 8) | u64::from(b)),
        };
        if o > ROOM {
            out.extend_from_slice(&block[..o]);
            o = 0;
        }
        loop {
            // The zeros above the last byte would be marked as control characters: only the
            // first `rest` bytes count (a mark is exact up to the first: borrows run upwards).
            let m = escape_mask(w) & (u64::MAX >> (64 - 8 * rest));
            block[o..o + 8].copy_from_slice(&w.to_le_bytes());
            if m == 0 {
                o += rest;
                break;
            }
            let k = words::first(m) & 7;
            let e = escape_of(table, (w >> (8 * k)) as u8);
            block[o + k..o + k + 8].copy_from_slice(e);
            o += k + usize::from(e[7]);
            rest -= k + 1;
            if rest == 0 {
                break;
            }
            w >>= 8 * (k + 1);
        }
    }
    out.extend_from_slice(&block[..o]);
}

/// The eight bytes from `at` (the text has them) as a word.
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    words::word(w)
}

/// Marks the first byte of `w` JSON requires escaped (below 0x20, `"` or `\\`), maybe with
/// some after it ([`words::first_below_or_equal`]). Flipping the bit 0x02 of every byte moves
/// `"` (0x22) to 0x20 and keeps every byte below 0x20 below it, and no other byte comes below
/// 0x21 (0x20 goes to 0x22, 0x23 to 0x21): one bound tests both, where a test for `"` of its
/// own cost three instructions a word more.
#[inline(always)]
fn escape_mask(w: u64) -> u64 {
    words::first_below_or_equal(w ^ words::splat(0x02), 0x21, [b'\\' ^ 0x02])
}

/// The position of the first byte at or after `from` that JSON requires to be escaped in a
/// string (a control character, `"` or `\\`), or `bytes.len()`. The parser also reads a
/// string's end with it: a string without escapes or control characters ends at the first such
/// byte.
#[inline]
pub(super) fn next_to_escape(bytes: &[u8], from: usize) -> usize {
    words::find(bytes, from, escape_mask)
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

    fn text_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just("\\".to_string()),
                Just("\n".to_string()),
                Just(",\n        \"".to_string()),
                Just("s3:GetObject".to_string()),
                Just(" ".repeat(16)),
                Just("é😀".to_string()),
                any::<char>().prop_map(String::from),
                (0u8..0x20).prop_map(|b| char::from(b).to_string()),
                "[a-z:*]{0,40}",
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        /// The word-by-word way (byte buffers) writes what the plain way writes, for both kinds
        /// of control escapes, after any bytes already in the buffer.
        #[test]
        fn by_words_agrees_with_by_parts(value in text_strategy(), before in 0usize..9) {
            for controls in [ControlEscapes::Short, ControlEscapes::Unicode] {
                let mut plain = "x".repeat(before);
                push_escaped_by_parts(&mut plain, &value, controls);
                let mut words = b"x".repeat(before);
                push_json_escaped_to(&mut words, &value, controls);
                proptest::prop_assert_eq!(String::from_utf8(words).unwrap(), plain);
            }
        }
    }
}

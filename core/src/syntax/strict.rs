//! The parse of a well-formed document: plain JSON (RFC 8259) read straight into the tree, with
//! none of the error-tolerant parser's bookkeeping, or `None` at the first byte that is not.
//!
//! Nearly every document `iamlint` reads is well-formed (every one of the AWS managed policies),
//! and for such a document the tolerant [`Parser`](super::Parser) spends a good part of its time
//! on what only a broken one needs: the look-ahead at each string value followed by ',' that
//! tells a list whose '[' is missing (it reads the next key to its end), the look-ahead at each
//! closer that tells a stray one, the quote-repair test at every string and blank, the stack of
//! open containers, the error list. Here a document is read as JSON's grammar says and nothing
//! else; any deviation (a comment, a byte-order mark, a trailing comma, an escape, a control
//! character, nesting deeper than [`MAX_DEPTH`], anything after the root value) gives `None`,
//! and the caller parses the text again with the tolerant parser, which reports it.
//!
//! Why the trees are the same: on well-formed JSON the tolerant parser reports no error and takes
//! none of its recovery branches (in valid JSON what follows a closer always fits the enclosing
//! container, a key never stands where an item belongs, a string value is never followed by ':'),
//! so it builds what this reader builds: the same nodes, the same spans (a string's with its
//! quotes, a container's from its opener to after its closer), the same decoded strings
//! ([`DecodedStr::new`] of the text between the quotes), the same number text, no flags. A
//! property test compares the two on random JSON-like texts and the corpus, and the ignored
//! `parse_dump` test digests `parse`'s whole result on 42,000 texts.
//!
//! The one thing it keeps from the tolerant parser is how the elements of a container are
//! gathered: on stacks shared by the whole parse, moved into a vector of their exact size when
//! the container closes (one allocation per container).

use super::{indentation_end, quote, DecodedStr, Document, Key, Member, Node, NodeKind, MAX_DEPTH};
use crate::span::Span;

/// `text` as a [`Document`] with no error when it is plain, well-formed JSON without escapes;
/// else `None` (see the module's comment). When it answers, [`super::parse`] answers the same.
pub(super) fn parse(text: &str) -> Option<Document> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        // Sized as the tolerant parser sizes its stacks (a usual document needs no growth).
        items: Vec::with_capacity(64),
        members: Vec::with_capacity(32),
    };
    reader.skip_ws();
    let root = reader.value(0)?;
    reader.skip_ws();
    (reader.pos == reader.bytes.len()).then(|| Document {
        root: Some(root),
        errors: Vec::new(),
    })
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// The items of the arrays open around `pos`, innermost last, and the members of the objects
    /// (as in the tolerant parser).
    items: Vec<Node>,
    members: Vec<Member>,
}

/// A node that is none of the tolerant parser's repairs.
#[inline]
fn node(kind: NodeKind, start: usize, end: usize) -> Node {
    Node {
        kind,
        span: Span::new(start, end),
        unterminated: false,
        unopened: false,
    }
}

impl Reader<'_> {
    /// Step over JSON's blanks (the tolerant parser's, less comments and repaired quotes): a
    /// line's indentation a word at a time, as there.
    #[inline]
    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\n' => self.pos = indentation_end(self.bytes, self.pos + 1),
                b' ' | b'\t' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let kind = match self.peek()? {
            b'"' => NodeKind::String(self.string()?),
            b'{' => return self.object(depth),
            b'[' => return self.array(depth),
            b'-' | b'0'..=b'9' => self.number()?,
            b't' => self.word("true", NodeKind::Bool(true))?,
            b'f' => self.word("false", NodeKind::Bool(false))?,
            b'n' => self.word("null", NodeKind::Null)?,
            _ => return None,
        };
        Some(node(kind, start, self.pos))
    }

    /// The string at `pos` (its '"'), when nothing in it needs decoding: the text up to the next
    /// '"', found with the tolerant parser's scan for the bytes JSON escapes. An escape or a
    /// control character gives `None`.
    #[inline]
    fn string(&mut self) -> Option<DecodedStr> {
        let from = self.pos + 1;
        let end = quote::next_to_escape(self.bytes, from);
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.pos = end + 1;
        Some(DecodedStr::new(&self.text[from..end]))
    }

    /// `true`, `false` or `null`, not followed by a letter, a digit or '_' (the tolerant parser's
    /// test; anything else after it is the container's to judge).
    fn word(&mut self, word: &str, kind: NodeKind) -> Option<NodeKind> {
        let end = self.pos + word.len();
        if !self.bytes[self.pos..].starts_with(word.as_bytes())
            || self
                .bytes
                .get(end)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            return None;
        }
        self.pos = end;
        Some(kind)
    }

    /// A number as JSON writes it, kept as its text.
    fn number(&mut self) -> Option<NodeKind> {
        let start = self.pos;
        let digits = |this: &mut Self| {
            let from = this.pos;
            while this.peek().is_some_and(|b| b.is_ascii_digit()) {
                this.pos += 1;
            }
            this.pos - from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int = digits(self);
        if int == 0 || (int > 1 && self.bytes[int_start] == b'0') {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return None;
            }
        }
        Some(NodeKind::Number(self.text[start..self.pos].to_string()))
    }

    /// What follows an item of an array or a member of an object: a ',' and the blanks after it
    /// (`Some(false)`: another element comes), or the container's `closer` (`Some(true)`);
    /// anything else is not plain JSON (`None`).
    #[inline]
    fn after_element(&mut self, closer: u8) -> Option<bool> {
        self.skip_ws();
        let b = self.peek()?;
        if b == b',' {
            self.pos += 1;
            self.skip_ws();
            Some(false)
        } else if b == closer {
            self.pos += 1;
            Some(true)
        } else {
            None
        }
    }

    fn array(&mut self, depth: usize) -> Option<Node> {
        let start = self.pos;
        self.pos += 1;
        let base = self.items.len();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                let item = self.value(depth + 1)?;
                self.items.push(item);
                if self.after_element(b']')? {
                    break;
                }
            }
        }
        let items = self.items.split_off(base);
        Some(node(NodeKind::Array(items), start, self.pos))
    }

    fn object(&mut self, depth: usize) -> Option<Node> {
        let start = self.pos;
        self.pos += 1;
        let base = self.members.len();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                if self.peek() != Some(b'"') {
                    return None;
                }
                let key_start = self.pos;
                let value = self.string()?;
                let key = Key {
                    value,
                    span: Span::new(key_start, self.pos),
                };
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return None;
                }
                self.pos += 1;
                self.skip_ws();
                let value = self.value(depth + 1)?;
                self.members.push(Member {
                    key,
                    value: Some(value),
                });
                if self.after_element(b'}')? {
                    break;
                }
            }
        }
        let members = self.members.split_off(base);
        Some(node(NodeKind::Object(members), start, self.pos))
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_with;
    use super::*;
    use proptest::prelude::*;

    /// The strict reading agrees with the tolerant parser's plain reading (no quote repairs, as
    /// [`super::super::parse`] reads first): when it answers, the same document, with no error;
    /// and it answers whenever that reading has no error and the text no escape (so the fast
    /// path is taken for every well-formed policy).
    fn agrees(text: &str) {
        let plain = parse_with(text, false);
        match parse(text) {
            Some(doc) => {
                assert!(plain.errors.is_empty(), "{text:?}: {:?}", plain.errors);
                assert_eq!(doc, plain, "{text:?}");
                assert_eq!(format!("{doc:?}"), format!("{plain:?}"), "{text:?}");
            }
            None => assert!(
                !plain.errors.is_empty() || text.contains('\\'),
                "{text:?} read without error by the tolerant parser only"
            ),
        }
    }

    #[test]
    fn reads_well_formed_json_as_the_tolerant_parser_does() {
        for text in [
            "{}",
            "[]",
            " { } ",
            "\"Effect\"",
            "\"s3:GetObject\"",
            "0",
            "-0",
            "-12.5e+3",
            "1E9",
            "true",
            "null",
            "[true,false,null,1,\"x\",{},[]]",
            "{\"a\":{\"b\":[1,{\"c\":\"d\"}]},\"a\":2}",
            "{\n    \"Version\": \"2012-10-17\",\n\t\"Statement\": [\r\n        {\"Effect\": \"Allow\"}\n    ]\n}\n",
            "{\"é\": \"😀\", \"k\": \"\u{7f}\"}",
        ] {
            assert!(parse(text).is_some(), "{text:?}");
            agrees(text);
        }
    }

    #[test]
    fn leaves_everything_else_to_the_tolerant_parser() {
        for text in [
            "",
            "  ",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "[1,]",
            "[1 2]",
            "{\"a\":1 \"b\":2}",
            "\u{feff}{}",
            "{} // x",
            "/* x */ {}",
            "{}{}",
            "{} x",
            "01",
            "-",
            "1.",
            "1e",
            "1e+",
            "truex",
            "nul",
            "\"a\\nb\"",
            "\"a\u{1}b\"",
            "\"ab",
            "{'a': 1}",
            "{\"a\":\"b\":\"c\"}",
            "\"Action\": \"s3:GetObject\"",
            "[\"a\", \"b\": 1]",
            "{} \u{c}",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
            agrees(text);
        }
        // Nesting: as deep as the tolerant parser reads without error, and no deeper.
        for depth in [super::MAX_DEPTH, super::MAX_DEPTH + 1, super::MAX_DEPTH + 2] {
            let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            agrees(&text);
            let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            agrees(&text);
        }
    }

    /// Every managed policy of the corpus (when it is there), and each with its layout changed:
    /// minified, re-indented with tabs, with CRLF line ends.
    #[test]
    fn reads_the_corpus_as_the_tolerant_parser_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../.cache/managed-policies/latest");
        let Ok(dir) = std::fs::read_dir(&root) else {
            return;
        };
        let mut read = 0;
        for entry in dir.flatten().step_by(3) {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            agrees(&text);
            read += usize::from(parse(&text).is_some());
            let minified: String = {
                // Blanks outside strings dropped (the corpus has no escaped quote).
                let mut inside = false;
                text.chars()
                    .filter(|&c| {
                        inside ^= c == '"';
                        inside || !c.is_ascii_whitespace()
                    })
                    .collect()
            };
            agrees(&minified);
            agrees(&text.replace("    ", "\t"));
            agrees(&text.replace('\n', "\r\n"));
        }
        assert!(read > 0);
    }

    proptest! {
        #[test]
        fn json_like_noise(parts in proptest::collection::vec(prop_oneof![
            Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just("\""),
            Just("\"Effect\""), Just("\"Allow\""), Just("\"s3:Get*\""), Just("1"), Just("-0.5e3"),
            Just("01"), Just("-"), Just("tru"), Just("true"), Just("false"), Just("null"),
            Just("\\"), Just("\\n"), Just(" "), Just("        "), Just("\n"), Just("\r\n"),
            Just("\t"), Just("\u{c}"), Just("\u{1}"), Just("\u{7f}"), Just("é"), Just("😀"),
            Just("//"), Just("/*"), Just("*/"), Just("\u{feff}"), Just("x"),
        ], 0..60)) {
            agrees(&parts.concat());
        }

        /// Well-formed documents built from the same pieces, so that most of them are read.
        #[test]
        fn well_formed(value in json_value(), blank in prop_oneof![
            Just(""), Just(" "), Just("\n    "), Just("\n\t"), Just("\r\n  "),
        ]) {
            let text = render(&value, blank);
            prop_assert!(parse(&text).is_some(), "{:?}", text);
            agrees(&text);
        }
    }

    #[derive(Clone, Debug)]
    enum Value {
        Scalar(&'static str),
        Array(Vec<Value>),
        Object(Vec<(&'static str, Value)>),
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let scalar = prop_oneof![
            Just("\"Allow\""),
            Just("\"s3:GetObject\""),
            Just("\"arn:aws:s3:::bucket/*\""),
            Just("\"\""),
            Just("\"é😀\""),
            Just("0"),
            Just("-12.5E-3"),
            Just("true"),
            Just("false"),
            Just("null"),
        ]
        .prop_map(Value::Scalar);
        scalar.prop_recursive(6, 64, 6, |inner| {
            let key = prop_oneof![
                Just("\"Effect\""),
                Just("\"Sid\""),
                Just("\"aws:SourceAccount\""),
                Just("\"\""),
            ];
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((key, inner), 0..6).prop_map(Value::Object),
            ]
        })
    }

    fn render(value: &Value, blank: &str) -> String {
        match value {
            Value::Scalar(s) => s.to_string(),
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(|v| render(v, blank)).collect();
                format!("[{blank}{}{blank}]", items.join(&format!(",{blank}")))
            }
            Value::Object(members) => {
                let members: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{k}:{blank}{}", render(v, blank)))
                    .collect();
                format!("{{{blank}{}{blank}}}", members.join(&format!(",{blank}")))
            }
        }
    }
}

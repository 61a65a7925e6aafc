//! Reading the layout of the document around an element, so that inserted text looks like it
//! was written by the same hand: the indentation of a line, the indentation unit of the file, and
//! whether a list or object is written on one line or one item per line.

use std::cell::OnceCell;

use crate::span::Span;
use crate::syntax::{Node, NodeKind};

/// The text a fix edits, with its indentation unit found on first use: fixes that write a new
/// multi-line list need it, and finding it reads the whole text, so one analysis asks once.
pub struct Layout<'t> {
    text: &'t str,
    indent_unit: OnceCell<String>,
}

impl<'t> Layout<'t> {
    pub fn new(text: &'t str) -> Layout<'t> {
        Layout {
            text,
            indent_unit: OnceCell::new(),
        }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    /// [`indent_unit`] of the text, computed once.
    pub fn indent_unit(&self) -> &str {
        self.indent_unit.get_or_init(|| indent_unit(self.text))
    }
}

/// The whitespace at the start of the line that contains `offset`.
pub fn line_indent(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let line_start = text
        .get(..offset)
        .and_then(|before| before.rfind('\n').map(|i| i + 1))
        .unwrap_or(0);
    let line = text.get(line_start..).unwrap_or("");
    let width = line
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    line.get(..width).unwrap_or("")
}

/// The file's indentation unit: the smallest non-empty indentation of any line (a tab if lines
/// are indented with tabs), four spaces when nothing is indented.
pub fn indent_unit(text: &str) -> String {
    // Lines as `str::lines` splits them (at "\n", a "\r" before it not counted), found with
    // `memchr`: a fix on a long document asks this once, and it reads every line.
    let bytes = text.as_bytes();
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    let mut best: Option<&str> = None;
    for start in starts {
        let line = &bytes[start..];
        // A line indented with spaces at least as deep as the best so far changes nothing: only
        // the best's width is looked at (most lines of a pretty-printed policy are such).
        if let Some(b) = best {
            if line.first() == Some(&b' ')
                && line
                    .get(..b.len())
                    .is_some_and(|head| head.iter().all(|c| *c == b' ' || *c == b'\t'))
            {
                continue;
            }
        }
        let width = line
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count();
        // A line of blanks only (to its end, or to a "\r\n") has no indentation.
        let blank = match line.get(width) {
            None | Some(b'\n') => true,
            Some(b'\r') => line.get(width + 1) == Some(&b'\n'),
            Some(_) => false,
        };
        if width == 0 || blank {
            continue;
        }
        if line[0] == b'\t' {
            return "\t".to_string();
        }
        if best.is_none_or(|b| width < b.len()) {
            best = text.get(start..start + width);
        }
    }
    best.unwrap_or("    ").to_string()
}

/// True when the text of `span` runs over more than one line.
pub fn is_multiline(text: &str, span: Span) -> bool {
    span.slice(text).contains('\n')
}

/// True when an array or object puts its first element on a new line (one per line).
pub fn items_on_own_lines(text: &str, container: &Node) -> bool {
    let first = match &container.kind {
        NodeKind::Array(items) => items.first().map(|n| n.span.start),
        NodeKind::Object(members) => members.first().map(|m| m.key.span.start),
        _ => None,
    };
    match first {
        Some(start) => text
            .get(container.span.start..start)
            .is_some_and(|between| between.contains('\n')),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_indentation() {
        let text = "{\n  \"a\": [\n    \"x\"\n  ]\n}";
        assert_eq!(line_indent(text, text.find("\"x\"").unwrap()), "    ");
        assert_eq!(indent_unit(text), "  ");
        assert_eq!(indent_unit("{\"a\": 1}"), "    ");
        assert_eq!(indent_unit("{\n\t\"a\": 1\n}"), "\t");
        // Lines of blanks only (before "\r\n", "\n" or the end) do not count.
        assert_eq!(indent_unit("{\r\n   \"a\": [\r\n \r\n  1]\n \n}"), "  ");
        assert_eq!(indent_unit("{\n   \"a\": 1\n "), "   ");
        // A "\r" not before "\n" is text: the line counts.
        assert_eq!(indent_unit("{\n   \"a\": 1\n \r}"), " ");
        assert_eq!(line_indent("", 5), "");
    }

    /// The smallest indentation by a plain reading of every line (as `str::lines` splits them),
    /// to compare with the one that skips lines no shallower than the best so far.
    fn indent_by_lines(text: &str) -> String {
        let mut best: Option<&str> = None;
        for line in text.lines() {
            let width = line.len() - line.trim_start_matches([' ', '\t']).len();
            if width == 0 || width == line.len() {
                continue;
            }
            if line.starts_with('\t') {
                return "\t".to_string();
            }
            if best.is_none_or(|b| width < b.len()) {
                best = Some(&line[..width]);
            }
        }
        best.unwrap_or("    ").to_string()
    }

    proptest::proptest! {
        #[test]
        fn the_unit_is_the_smallest_indentation_of_any_line(text in "[ \t\r\na{]{0,60}") {
            proptest::prop_assert_eq!(indent_unit(&text), indent_by_lines(&text));
        }
    }

    #[test]
    fn tells_one_per_line_from_inline() {
        let text = "[\n  \"a\",\n  \"b\"\n]";
        let doc = crate::syntax::parse(text);
        assert!(items_on_own_lines(text, doc.root.as_ref().unwrap()));
        let text = "[\"a\", \"b\"]";
        let doc = crate::syntax::parse(text);
        assert!(!items_on_own_lines(text, doc.root.as_ref().unwrap()));
    }
}

//! Reading the AWS JSON files with the project's own parser (`crate::syntax`), which keeps
//! positions: a damaged file gives errors at a line and column, and whatever could be parsed is
//! still audited.

use crate::line_index::{LineIndex, PositionEncoding};
use crate::syntax::{self, Node, NodeKind};

use super::{InputError, InputKind};

/// A parsed JSON file with its line index (built only when an error needs a position).
pub struct JsonFile<'t> {
    pub text: &'t str,
    pub root: Option<Node>,
    pub errors: Vec<InputError>,
    kind: InputKind,
}

impl<'t> JsonFile<'t> {
    pub fn parse(kind: InputKind, text: &'t str) -> JsonFile<'t> {
        let doc = syntax::parse(text);
        let mut file = JsonFile {
            text,
            root: doc.root,
            errors: Vec::new(),
            kind,
        };
        for e in doc.errors {
            file.error_at(e.span.start, format!("JSON syntax: {}", e.message));
        }
        file
    }

    /// An error at a byte offset of the file.
    pub fn error_at(&mut self, offset: usize, message: impl Into<String>) {
        let index = LineIndex::new(self.text);
        let lc = index.line_col(self.text, offset, PositionEncoding::Chars);
        self.errors.push(InputError {
            input: self.kind,
            line: lc.line + 1,
            column: lc.col + 1,
            message: message.into(),
        });
    }

    /// An error about a node (at its start).
    pub fn error(&mut self, node: &Node, message: impl Into<String>) {
        self.error_at(node.span.start, message);
    }
}

/// The value of an object member.
pub fn field<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.get(key)?.value.as_ref()
}

pub fn str_field<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    field(node, key)?.as_str()
}

/// An integer member (JSON number), also accepted as a string of digits.
pub fn int_field(node: &Node, key: &str) -> Option<i64> {
    match &field(node, key)?.kind {
        NodeKind::Number(n) => n.parse().ok(),
        NodeKind::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean member (JSON true/false), also accepted as the strings "true"/"false" in any case.
pub fn bool_field(node: &Node, key: &str) -> Option<bool> {
    match &field(node, key)?.kind {
        NodeKind::Bool(b) => Some(*b),
        NodeKind::String(s) => crate::eval::values::parse_bool(s.trim()),
        _ => None,
    }
}

/// The items of an array member (none when absent or not an array).
pub fn array_field<'n>(node: &'n Node, key: &str) -> &'n [Node] {
    field(node, key).and_then(Node::as_array).unwrap_or(&[])
}

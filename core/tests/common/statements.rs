//! The statements of a policy document as text, in document order. Shared by the incremental
//! analysis' unit tests and its integration tests (through `#[path]`); the including module
//! brings `syntax` and `Policy` into scope (the crate's own paths differ between the two).

use super::{syntax, Policy};

pub fn statement_texts(text: &str) -> Vec<String> {
    let document = syntax::parse(text);
    Policy::statement_nodes(document.root.as_ref())
        .into_iter()
        .map(|(_, n)| n.span.slice(text).to_string())
        .collect()
}

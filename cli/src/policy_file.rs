//! Reading a policy file for the commands that evaluate policies (`simulate` and the gates):
//! the text, or messages with `file:line:column` positions for what cannot be read or evaluated.

use std::path::Path;

use iamlint_core::eval::PolicyError;
use iamlint_core::{LineIndex, PositionEncoding, Span};

/// The text of a policy file, or why it cannot be read.
pub fn read(path: &Path) -> Result<String, String> {
    let name = path.display();
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| format!("{name}: not valid UTF-8")),
        Err(e) => Err(format!("{name}: {e}")),
    }
}

/// `file:line:column: message` for each error, columns in characters, both 1-based.
pub fn error_lines(name: &str, text: &str, errors: &[PolicyError]) -> Vec<String> {
    located_lines(
        name,
        text,
        errors.iter().map(|e| (e.span, e.message.as_str())),
    )
}

/// `file:line:column: message` for each (span, message) of `text`, columns in characters, both
/// 1-based: the one way the evaluating commands point into a file.
pub fn located_lines<'m>(
    name: &str,
    text: &str,
    messages: impl Iterator<Item = (Span, &'m str)>,
) -> Vec<String> {
    let index = LineIndex::new(text);
    messages
        .map(|(span, message)| {
            let lc = index.line_col(text, span.start, PositionEncoding::Chars);
            format!("{name}:{}:{}: {message}", lc.line + 1, lc.col + 1)
        })
        .collect()
}

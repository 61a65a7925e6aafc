//! Finding the one missing, extra or mistyped double quote on a line.
//!
//! A JSON string never spans lines, so every line of a valid document holds an even number of
//! unescaped quotes. On a line with an odd number, one quote is wrong, and from there on strings
//! and structure swap places: read as it is, `"Action: [` swallows the bracket that opens the list
//! and every item after it becomes an error of its own. Instead, each single change of one quote
//! (one added, one removed, or one other character read as a quote) is tried, and the change that
//! leaves the line a well-formed piece of JSON with the most structure is taken. The parser then
//! reads the line as changed, and one error is reported for it.

use crate::span::Span;

/// How the parser reads the line at `at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Repair {
    /// A string opens at `at`, without a quote character there.
    Open,
    /// The string open at `at` closes just before `at`, without a quote character there.
    Close,
    /// The character at `at` (one byte) opens a string, as if it were a quote.
    OpenWith,
    /// The character at `at` (one byte) closes the open string, as if it were a quote.
    CloseWith,
    /// The quote at `at` is an extra one: outside strings it is skipped, inside one it is
    /// ignored.
    Drop,
}

/// Lines longer than this are not searched (the search is quadratic in the line's length;
/// pretty-printed policies have short lines).
const MAX_LINE: usize = 400;

/// Total bytes the search may scan in one document, so that hostile input stays linear.
const BUDGET: usize = 4_000_000;

/// The repairs of every line with an odd number of quotes, sorted by offset, with the span and
/// message of the error to report for each.
pub(super) fn repairs(text: &str) -> Vec<(usize, Repair, Span, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut budget = BUDGET;
    let mut start = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        if line.len() <= MAX_LINE && odd_quotes(line) {
            let cost = line.len() * line.len() * 3;
            if cost > budget {
                break;
            }
            budget -= cost;
            if let Some((i, repair)) = best_repair(line) {
                let at = start + i;
                let (span, message) = describe(text, at, repair);
                out.push((at, repair, span, message));
            }
        }
        start = end + 1;
    }
    out
}

fn odd_quotes(line: &[u8]) -> bool {
    let mut count = 0usize;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'\\' => i += 1,
            b'"' => count += 1,
            _ => {}
        }
        i += 1;
    }
    count % 2 == 1
}

pub(super) fn describe(text: &str, at: usize, repair: Repair) -> (Span, String) {
    let char_end = at + text[at..].chars().next().map_or(0, char::len_utf8);
    match repair {
        Repair::Open => (
            Span::empty(at),
            "Missing '\"': a string starts here without its opening quote".to_string(),
        ),
        Repair::Close => (
            Span::empty(at),
            "Missing '\"': the string before this point has no closing quote".to_string(),
        ),
        Repair::OpenWith | Repair::CloseWith => (
            Span::new(at, char_end),
            format!(
                "Expected '\"' here, found '{}'",
                &text[at..char_end].escape_debug()
            ),
        ),
        Repair::Drop => (
            Span::new(at, char_end),
            "Unexpected '\"': this quote leaves a string open to the end of the line".to_string(),
        ),
    }
}

/// The best single-quote change of a line, as (offset in the line, repair).
fn best_repair(line: &[u8]) -> Option<(usize, Repair)> {
    let mut best: Option<(i64, usize, Repair)> = None;
    let mut consider = |edit: Edit| {
        if let Some((score, repair)) = score(line, edit) {
            if best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, edit.at, repair));
            }
        }
    };
    for i in 0..=line.len() {
        // Only between ASCII characters: a key's span is read as its quotes around its text.
        let ascii = |j: usize| line.get(j).is_none_or(u8::is_ascii);
        if ascii(i) && (i == 0 || ascii(i - 1)) {
            consider(Edit {
                at: i,
                kind: EditKind::Insert,
            });
        }
        if i < line.len() {
            if line[i] == b'"' {
                consider(Edit {
                    at: i,
                    kind: EditKind::Delete,
                });
            } else if line[i].is_ascii() && !line[i].is_ascii_whitespace() {
                consider(Edit {
                    at: i,
                    kind: EditKind::Replace,
                });
            }
        }
    }
    best.map(|(_, at, repair)| (at, repair))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EditKind {
    Insert,
    Delete,
    Replace,
}

#[derive(Clone, Copy)]
struct Edit {
    at: usize,
    kind: EditKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Start,
    Str,
    Scalar,
    Colon,
    Comma,
    OpenObject,
    OpenArray,
    Close,
}

/// What may follow a token on one line of JSON (`None` is the end of the line).
fn may_follow(prev: Token, next: Option<Token>) -> bool {
    use Token::*;
    match (prev, next) {
        (Start, Some(Colon)) => false,
        (Start, _) => true,
        (Str, n) => matches!(n, None | Some(Colon | Comma | Close)),
        (Scalar | Close, n) => matches!(n, None | Some(Comma | Close)),
        (Colon | Comma | OpenArray, n) => {
            matches!(n, None | Some(Str | Scalar | OpenObject | OpenArray))
                || (prev == OpenArray && n == Some(Close))
        }
        (OpenObject, n) => matches!(n, None | Some(Str | Close)),
    }
}

/// Score of the line with the edit applied: None if it is not well-formed JSON, else higher for
/// more tokens outside strings and for strings that neither start nor end with a blank; with the
/// repair that the edit means to the parser.
fn score(line: &[u8], edit: Edit) -> Option<(i64, Repair)> {
    // The line as edited, read through a small accessor instead of a copy.
    let len = match edit.kind {
        EditKind::Insert => line.len() + 1,
        EditKind::Delete => line.len() - 1,
        EditKind::Replace => line.len(),
    };
    let at = |i: usize| -> u8 {
        match edit.kind {
            EditKind::Insert if i == edit.at => b'"',
            EditKind::Insert if i > edit.at => line[i - 1],
            EditKind::Delete if i >= edit.at => line[i + 1],
            EditKind::Replace if i == edit.at => b'"',
            _ => line[i],
        }
    };
    let mut repair = Repair::Drop;
    let mut prev = Token::Start;
    let mut tokens = 0i64;
    let mut penalty = 0i64;
    let mut i = 0;
    while i < len {
        let b = at(i);
        let token = match b {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'"' => {
                let open = i;
                i += 1;
                while i < len && at(i) != b'"' {
                    i += if at(i) == b'\\' { 2 } else { 1 };
                }
                if i >= len {
                    return None;
                }
                let replaced = edit.kind == EditKind::Replace;
                if open == edit.at && edit.kind != EditKind::Delete {
                    repair = if replaced {
                        Repair::OpenWith
                    } else {
                        Repair::Open
                    };
                } else if i == edit.at && edit.kind != EditKind::Delete {
                    repair = if replaced {
                        Repair::CloseWith
                    } else {
                        Repair::Close
                    };
                }
                if i > open + 1 && (at(open + 1) == b' ' || at(i - 1) == b' ') {
                    penalty += 1;
                }
                i += 1;
                Token::Str
            }
            b':' | b',' | b'{' | b'[' | b'}' | b']' => {
                i += 1;
                match b {
                    b':' => Token::Colon,
                    b',' => Token::Comma,
                    b'{' => Token::OpenObject,
                    b'[' => Token::OpenArray,
                    _ => Token::Close,
                }
            }
            b'/' if i + 1 < len && at(i + 1) == b'/' => break,
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                let word = i;
                while i < len
                    && (at(i).is_ascii_alphanumeric() || matches!(at(i), b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
                let first = at(word);
                let is_word =
                    |w: &[u8]| (i - word == w.len()) && (0..w.len()).all(|k| at(word + k) == w[k]);
                if first.is_ascii_alphabetic()
                    && !(is_word(b"true") || is_word(b"false") || is_word(b"null"))
                {
                    return None;
                }
                Token::Scalar
            }
            _ => return None,
        };
        if !may_follow(prev, Some(token)) {
            return None;
        }
        prev = token;
        tokens += 1;
    }
    if !may_follow(prev, None) {
        return None;
    }
    // Prefer reading an odd punctuation mark as a quote that was typed wrong over adding one,
    // and adding one over reading a letter or digit as a quote.
    let bias = match edit.kind {
        EditKind::Replace if line[edit.at].is_ascii_alphanumeric() => -2,
        EditKind::Replace => 1,
        _ => 0,
    };
    Some((tokens * 4 - penalty * 2 + bias, repair))
}

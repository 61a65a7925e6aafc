//! One mistake, one error: the single character edit that makes a broken document well-formed.
//!
//! Most broken policies hold one slip: a character typed, deleted or mistyped. Read as it is,
//! one extra `[` or a `,` typed as `:` can give everything after it another role, and the
//! recovering parser's guesses then report errors far from the mistake. In the manner of Burke
//! and Fisher's error repair, this module tries the single-character edits around the point
//! where the text stops being JSON (deleting a character, inserting one of `{}[],:` or writing
//! one of `{}[],:"` in its place) and, for an extra opener, which may be found only where its
//! container fails to close, deleting each earlier `{` or `[`; for a missing `[` before a list
//! of objects (`"Statement": {...}, {...}]`), which shows only after the list's first item,
//! inserting `[` at the start of each earlier member value of the object where the text stops
//! being JSON. Letters and digits are changed only at the failure, or where one stands alone
//! (`1` typed for the document's `{`). A small validator checks each
//! edit, resuming from the state saved before it and stopping at its first error, so most edits
//! cost a few bytes. An edit is taken only when the whole document is then well-formed; the
//! parser reads the edited text, and the mistake is one error with a fix to review.
//!
//! When several edits make the document well-formed, the one that reads it best wins: fewer
//! tolerated mistakes (trailing commas), then closers aligned with the line that opened their
//! container (pretty-printed JSON aligns them), then fewer containers (an extra opener is
//! removed rather than matched by a new closer), then the earliest edit.
//! Reading a letter as punctuation (or deleting it), or a quote as text, comes last: the first
//! loses what was written, and a stray quote is less common than a missing one.
//!
//! The validator accepts what the parser tolerates with a safe fix (comments, a byte-order mark,
//! trailing commas), so that one of those does not stop the search for another mistake. The
//! search has a byte budget, so a large broken document costs a bounded amount of work.

use std::collections::VecDeque;

use super::{BYTE_ORDER_MARK, MAX_DEPTH};

/// Total validator steps one search may take (about a millisecond of work).
const BUDGET: usize = 3_000_000;

/// How many tokens before the point of failure the window of edits reaches back (a missing
/// `]` is found only at the `:` of the key after it, two tokens on).
const TOKENS_BACK: usize = 4;

/// The window never starts further back than this many bytes (long minified lines).
const MAX_WINDOW: usize = 400;

/// Earlier openers tried for deletion (an extra `[` before an item of a long list).
const MAX_OPENERS: usize = 256;

/// How an edit that makes the document well-formed reads it (lower is better): tolerated
/// mistakes, breaks of the layout, a letter read as punctuation, a quote removed or made text,
/// containers, offset (earliest first), and delete before replace before insert.
type Rank = (u32, u32, bool, bool, u32, usize, u8);

/// How many of the best edits the caller compares further.
pub(super) const SHORTLIST: usize = 8;

/// What replaces or is inserted at a position.
const INSERTS: &[u8] = b"{}[],:\"";
const REPLACEMENTS: &[u8] = b"{}[],:\"";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Change {
    /// The character at `at` is removed.
    Delete,
    /// This (ASCII) character is inserted before `at`.
    Insert(u8),
    /// The (ASCII) character at `at` is replaced by this one.
    Replace(u8),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Edit {
    pub at: usize,
    pub change: Change,
    /// The byte length of the character at `at` (removed or replaced).
    pub len: usize,
}

impl Edit {
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 1);
        out.push_str(&text[..self.at]);
        match self.change {
            Change::Delete => out.push_str(&text[self.at + self.len..]),
            Change::Insert(c) => {
                out.push(c as char);
                out.push_str(&text[self.at..]);
            }
            Change::Replace(c) => {
                out.push(c as char);
                out.push_str(&text[self.at + self.len..]);
            }
        }
        out
    }

    /// Where an offset of the edited text is in the original text. An offset at a deleted
    /// character is the end of what comes before it, or (`start`) the start of what follows.
    pub fn map(&self, offset: usize, start: bool) -> usize {
        match self.change {
            Change::Delete if offset > self.at || (offset == self.at && start) => offset + self.len,
            Change::Insert(_) if offset > self.at => offset - 1,
            _ => offset,
        }
    }

    /// The character written by the edit, or the one at `at` in `text`.
    pub fn describe(&self, text: &str) -> (String, String) {
        let old = text[self.at..].chars().next().map(show).unwrap_or_default();
        let new = match self.change {
            Change::Insert(c) | Change::Replace(c) => show(c as char),
            Change::Delete => String::new(),
        };
        (old, new)
    }
}

fn show(c: char) -> String {
    match c {
        '\n' => "a line break".to_string(),
        '\r' => "a carriage return".to_string(),
        '\t' => "a tab".to_string(),
        c if (c as u32) < 0x20 || c == '\u{FEFF}' => format!("U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

/// The text as the edit leaves it, read byte by byte without a copy.
struct View<'a> {
    bytes: &'a [u8],
    edit: Option<Edit>,
}

impl View<'_> {
    #[inline]
    fn get(&self, i: usize) -> Option<u8> {
        match self.edit {
            Some(Edit { at, change, len }) if i >= at => match change {
                Change::Delete => self.bytes.get(i + len).copied(),
                Change::Insert(c) if i == at => Some(c),
                Change::Insert(_) => self.bytes.get(i - 1).copied(),
                Change::Replace(c) if i == at => Some(c),
                Change::Replace(_) => self.bytes.get(i + len - 1).copied(),
            },
            _ => self.bytes.get(i).copied(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// The document's value, or a member's value after ':'.
    Value,
    /// After '[': an item or ']'.
    FirstItem,
    /// After ',' in a list: an item (a ']' makes the comma a trailing one).
    NextItem,
    /// After '{': a key or '}'.
    FirstKey,
    /// After ',' in an object: a key (a '}' makes the comma a trailing one).
    NextKey,
    Colon,
    /// After a value: ',' or a closer, or the end of the document.
    After,
}

/// The validator's state between two tokens: what may come next, the open containers, and the
/// figures that rank the edits.
#[derive(Clone, Debug)]
struct State {
    pos: usize,
    expect: Expect,
    /// Each open container: its opener and the indentation of the line it opened on.
    stack: Vec<(u8, u32)>,
    /// The indentation of the current line, and whether a token has been seen on it.
    indent: u32,
    line_has_token: bool,
    /// Tolerated mistakes (comments, trailing commas, a byte-order mark).
    tolerated: u32,
    /// Closers that lead their line at another indentation than their opener's line.
    misaligned: u32,
    containers: u32,
}

enum Outcome {
    /// The whole text is well-formed (tolerated mistakes aside).
    Valid(State),
    /// The first error is at this offset.
    Fail(usize),
    /// The budget ran out, or the recording reached its end.
    Stopped,
}

/// What a run records on its way, for the search.
#[derive(Default)]
struct Recorder {
    /// States at every position from `from` to `until` (both included).
    from: usize,
    until: usize,
    states: Vec<State>,
    /// The states at the most recent openers before `from`.
    openers: VecDeque<State>,
    /// The starts of the most recent tokens (the first run, to place the window).
    tokens: VecDeque<usize>,
    /// The states where the most recent member values start: just after their ':' and the
    /// blanks after it on its line (where a missing '[' of a list of statements belongs).
    values: VecDeque<State>,
    /// A ':' was read and its value's start is not recorded yet (only in the second run).
    after_colon: bool,
    keep_values: bool,
}

fn start_state(view: &View) -> State {
    let bom = BYTE_ORDER_MARK.as_bytes();
    let has_bom = (0..bom.len()).all(|i| view.get(i) == Some(bom[i]));
    State {
        pos: if has_bom { bom.len() } else { 0 },
        expect: Expect::Value,
        stack: Vec::new(),
        indent: 0,
        line_has_token: false,
        tolerated: u32::from(has_bom),
        misaligned: 0,
        containers: 0,
    }
}

/// Validate `view` from the state `st`.
fn run(view: &View, mut st: State, budget: &mut usize, mut rec: Option<&mut Recorder>) -> Outcome {
    loop {
        if *budget == 0 {
            return Outcome::Stopped;
        }
        *budget -= 1;
        if let Some(r) = rec.as_deref_mut() {
            if st.pos > r.until {
                return Outcome::Stopped;
            }
            if st.pos >= r.from {
                r.states.push(st.clone());
            }
            if r.after_colon && !matches!(view.get(st.pos), Some(b' ' | b'\t')) {
                r.after_colon = false;
                if r.values.len() == MAX_OPENERS {
                    r.values.pop_front();
                }
                r.values.push_back(st.clone());
            }
        }
        let Some(b) = view.get(st.pos) else {
            return if st.stack.is_empty() && st.expect == Expect::After {
                Outcome::Valid(st)
            } else {
                Outcome::Fail(st.pos)
            };
        };
        match b {
            b' ' | b'\t' => {
                st.indent += u32::from(!st.line_has_token);
                st.pos += 1;
                continue;
            }
            b'\n' | b'\r' => {
                st.indent = 0;
                st.line_has_token = false;
                st.pos += 1;
                continue;
            }
            b'/' if view.get(st.pos + 1) == Some(b'/') => {
                while !matches!(view.get(st.pos), None | Some(b'\n' | b'\r')) {
                    st.pos += 1;
                    *budget = budget.saturating_sub(1);
                }
                st.tolerated += 1;
                st.line_has_token = true;
                continue;
            }
            b'/' if view.get(st.pos + 1) == Some(b'*') => {
                let open = st.pos;
                st.pos += 2;
                loop {
                    match view.get(st.pos) {
                        None => return Outcome::Fail(open),
                        Some(b'*') if view.get(st.pos + 1) == Some(b'/') => break,
                        Some(b'\n' | b'\r') => {
                            st.indent = 0;
                            st.line_has_token = false;
                        }
                        _ => {}
                    }
                    st.pos += 1;
                    *budget = budget.saturating_sub(1);
                }
                st.pos += 2;
                st.tolerated += 1;
                st.line_has_token = true;
                continue;
            }
            _ => {}
        }
        // A token starts here.
        if let Some(r) = rec.as_deref_mut() {
            if matches!(b, b'{' | b'[') && st.pos < r.from {
                if r.openers.len() == MAX_OPENERS {
                    r.openers.pop_front();
                }
                r.openers.push_back(st.clone());
            }
            if r.tokens.len() == TOKENS_BACK + 1 {
                r.tokens.pop_front();
            }
            r.tokens.push_back(st.pos);
        }
        let leads = !st.line_has_token;
        st.line_has_token = true;
        // Pretty-printed JSON writes a member's value on the line of its key.
        st.misaligned += u32::from(leads && st.expect == Expect::Value && !st.stack.is_empty());
        let value_here = matches!(
            st.expect,
            Expect::Value | Expect::FirstItem | Expect::NextItem
        );
        let top = st.stack.last().map(|t| t.0);
        match b {
            b'{' | b'[' if value_here => {
                if st.stack.len() >= MAX_DEPTH {
                    return Outcome::Fail(st.pos);
                }
                st.stack.push((b, st.indent));
                st.containers += 1;
                st.expect = if b == b'{' {
                    Expect::FirstKey
                } else {
                    Expect::FirstItem
                };
                st.pos += 1;
            }
            b'}' | b']' => {
                let (opener, trailing, fits) = if b == b'}' {
                    (b'{', Expect::NextKey, Expect::FirstKey)
                } else {
                    (b'[', Expect::NextItem, Expect::FirstItem)
                };
                if top != Some(opener)
                    || !(st.expect == Expect::After || st.expect == fits || st.expect == trailing)
                {
                    return Outcome::Fail(st.pos);
                }
                st.tolerated += u32::from(st.expect == trailing);
                if let Some((_, indent)) = st.stack.pop() {
                    st.misaligned += u32::from(leads && indent != st.indent);
                }
                st.expect = Expect::After;
                st.pos += 1;
            }
            b',' if st.expect == Expect::After && top.is_some() => {
                st.expect = if top == Some(b'{') {
                    Expect::NextKey
                } else {
                    Expect::NextItem
                };
                st.pos += 1;
            }
            b':' if st.expect == Expect::Colon => {
                st.expect = Expect::Value;
                st.pos += 1;
                if let Some(r) = rec.as_deref_mut() {
                    r.after_colon = r.keep_values;
                }
            }
            b'"' if value_here || matches!(st.expect, Expect::FirstKey | Expect::NextKey) => {
                match string_end(view, st.pos, budget) {
                    Ok(end) => st.pos = end,
                    Err(at) => return Outcome::Fail(at),
                }
                st.expect = if value_here {
                    Expect::After
                } else {
                    Expect::Colon
                };
            }
            b'-' | b'0'..=b'9' if value_here => match number_end(view, st.pos) {
                Some(end) => {
                    st.pos = end;
                    st.expect = Expect::After;
                }
                None => return Outcome::Fail(st.pos),
            },
            b't' | b'f' | b'n' if value_here => {
                let word: &[u8] = match b {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                let matches = (0..word.len()).all(|i| view.get(st.pos + i) == Some(word[i]));
                let after = view.get(st.pos + word.len());
                if !matches || after.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
                    return Outcome::Fail(st.pos);
                }
                st.pos += word.len();
                st.expect = Expect::After;
            }
            _ => return Outcome::Fail(st.pos),
        }
    }
}

/// The end of the string whose quote is at `at`, or the offset of its first error.
fn string_end(view: &View, at: usize, budget: &mut usize) -> Result<usize, usize> {
    let hex4 = |i: usize| -> Option<u32> {
        (0..4).try_fold(0u32, |v, k| {
            Some(v * 16 + (view.get(i + k)? as char).to_digit(16)?)
        })
    };
    let mut i = at + 1;
    loop {
        *budget = budget.saturating_sub(1);
        match view.get(i) {
            None => return Err(i),
            Some(b'"') => return Ok(i + 1),
            Some(b'\\') => match view.get(i + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                Some(b'u') => {
                    let first = hex4(i + 2).ok_or(i)?;
                    if (0xD800..0xDC00).contains(&first) {
                        let paired = view.get(i + 6) == Some(b'\\')
                            && view.get(i + 7) == Some(b'u')
                            && hex4(i + 8).is_some_and(|s| (0xDC00..0xE000).contains(&s));
                        if !paired {
                            return Err(i);
                        }
                        i += 12;
                    } else if (0xDC00..0xE000).contains(&first) {
                        return Err(i);
                    } else {
                        i += 6;
                    }
                }
                _ => return Err(i),
            },
            Some(0x00..=0x1f) => return Err(i),
            Some(_) => i += 1,
        }
    }
}

/// The end of the number at `at`, if it is one as JSON writes them.
fn number_end(view: &View, at: usize) -> Option<usize> {
    let digit = |i: usize| view.get(i).is_some_and(|b| b.is_ascii_digit());
    let mut i = at;
    if view.get(i) == Some(b'-') {
        i += 1;
    }
    match view.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while digit(i) {
                i += 1;
            }
        }
        _ => return None,
    }
    if digit(i) {
        return None;
    }
    if view.get(i) == Some(b'.') {
        i += 1;
        if !digit(i) {
            return None;
        }
        while digit(i) {
            i += 1;
        }
    }
    if matches!(view.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(view.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digit(i) {
            return None;
        }
        while digit(i) {
            i += 1;
        }
    }
    Some(i)
}

/// The single edits that make `text` well-formed JSON (tolerated mistakes aside) near its first
/// error, best first (at most [`SHORTLIST`]).
pub(super) fn find(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let plain = View { bytes, edit: None };
    let mut budget = BUDGET;

    // The first error, and the tokens before it.
    let mut first = Recorder {
        from: usize::MAX,
        until: usize::MAX,
        ..Recorder::default()
    };
    let failed_at = match run(&plain, start_state(&plain), &mut budget, Some(&mut first)) {
        Outcome::Fail(at) => at,
        Outcome::Valid(_) | Outcome::Stopped => return Vec::new(),
    };
    // A bad `\u` escape or a tab inside a string is an error of its own that the parser reads
    // past (the string goes on); a line break is not (the string ends there).
    let unicode_escape = bytes.get(failed_at..failed_at + 2) == Some(b"\\u");
    let control = bytes
        .get(failed_at)
        .is_some_and(|&b| b < 0x20 && b != b'\n' && b != b'\r');
    if unicode_escape || control {
        return Vec::new();
    }
    let back = first
        .tokens
        .front()
        .map_or(failed_at, |&t| t.min(failed_at));
    let line_start = |at: usize| {
        bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1)
    };
    let previous_line = line_start(line_start(failed_at).saturating_sub(1));
    let from = line_start(back)
        .min(previous_line)
        .max(failed_at.saturating_sub(MAX_WINDOW));

    // The states along the window, and at the openers before it.
    let mut rec = Recorder {
        from,
        until: failed_at,
        keep_values: true,
        ..Recorder::default()
    };
    run(&plain, start_state(&plain), &mut budget, Some(&mut rec));
    if rec.states.is_empty() {
        return Vec::new();
    }

    let mut valid: Vec<(Rank, Edit)> = Vec::new();
    let mut try_edit = |edit: Edit, state: &State, budget: &mut usize| {
        let view = View {
            bytes,
            edit: Some(edit),
        };
        if let Outcome::Valid(end) = run(&view, state.clone(), budget, None) {
            // Reading a letter or digit as punctuation is the last resort (the quote repair's
            // order: a mistyped mark, then an added one, then a letter).
            let letter = matches!(edit.change, Change::Replace(_) | Change::Delete)
                && bytes.get(edit.at).is_some_and(u8::is_ascii_alphanumeric);
            // A stray quote is less likely than a missing one (`["` reads as an empty list
            // without it, but the writer began an item).
            let quote = bytes.get(edit.at) == Some(&b'"');
            let quote_lost = match edit.change {
                Change::Delete => quote,
                Change::Replace(c) => quote && c != b'"',
                Change::Insert(_) => false,
            };
            let order = match edit.change {
                Change::Delete => 0,
                Change::Replace(_) => 1,
                Change::Insert(_) => 2,
            };
            let rank = (
                end.tolerated,
                end.misaligned,
                letter,
                quote_lost,
                end.containers,
                edit.at,
                order,
            );
            valid.push((rank, edit));
        }
    };

    // Inside a string only its quotes and backslashes are worth changing (anything else there
    // leaves the string a string), except at the failure itself.
    // At a bad escape the mistake may be the character after the backslash (`\)"` for `\"`: a
    // character typed inside an escape).
    let last = failed_at + 1 + usize::from(bytes.get(failed_at) == Some(&b'\\'));
    for (k, state) in rec.states.iter().enumerate() {
        let at = state.pos;
        let next = rec.states.get(k + 1).map_or(last, |s| s.pos);
        // A token of more than one byte that starts with a quote is a string.
        let string = next > at + 1 && bytes.get(at) == Some(&b'"');
        // The token the failure is in: a quote typed as punctuation may be anywhere in it
        // (`"Statement{: [` runs to the end of its line).
        let failing = k + 1 == rec.states.len();
        for p in at..next.min(last) {
            if budget == 0 {
                break;
            }
            // A text that stops short (being typed) can only be missing something at its end.
            if failed_at == bytes.len() && p < failed_at {
                continue;
            }
            if !text.is_char_boundary(p) {
                continue;
            }
            let c = bytes.get(p).copied();
            let inside = string && p > at;
            let at_failure = p + 1 >= failed_at;
            let prev_blank = p == 0 || bytes[p - 1].is_ascii_whitespace();
            let here_blank = c.is_none_or(|c| c.is_ascii_whitespace());
            // Inserts: a closer after a token, anything else before one (all at the failure).
            for &ins in INSERTS {
                let closer = matches!(ins, b'}' | b']');
                // A missing quote may be anywhere in what now reads as a string.
                let fits = if inside {
                    ins == b'"'
                } else if closer {
                    !prev_blank
                } else {
                    !here_blank
                };
                if p == failed_at || fits {
                    {
                        let edit = Edit {
                            at: p,
                            change: Change::Insert(ins),
                            len: 0,
                        };
                        try_edit(edit, state, &mut budget);
                    }
                }
            }
            let Some(c) = c else { continue };
            // Changing a blank is no better than inserting (a line break inside a string is
            // removed only where it broke the string).
            let worth = if here_blank {
                p == failed_at
            } else if at_failure {
                true
            } else if inside {
                matches!(c, b'"' | b'\\') || (failing && !c.is_ascii_alphanumeric())
            } else {
                // A letter or digit that is a token by itself (`1` where the document's '{' or
                // a list's '[' was) may be a mistyped mark; one in a longer word is not.
                !c.is_ascii_alphanumeric() || next == at + 1
            };
            if !worth {
                continue;
            }
            let len = text[p..].chars().next().map_or(1, char::len_utf8);
            let edit = Edit {
                at: p,
                change: Change::Delete,
                len,
            };
            try_edit(edit, state, &mut budget);
            if c.is_ascii() && !here_blank {
                for &new in REPLACEMENTS.iter().filter(|&&r| r != c) {
                    let edit = Edit {
                        at: p,
                        change: Change::Replace(new),
                        len: 1,
                    };
                    try_edit(edit, state, &mut budget);
                }
            }
        }
    }

    // An extra opener is found only where its container fails to close: try removing each of
    // the openers before the window, nearest first.
    for state in rec.openers.iter().rev() {
        if budget == 0 {
            break;
        }
        let edit = Edit {
            at: state.pos,
            change: Change::Delete,
            len: 1,
        };
        try_edit(edit, state, &mut budget);
    }

    // A missing '[' before a list of values (`"Statement": {...}, {...}]`) shows only after its
    // first item, where a ',' is followed by what cannot be a key: try a '[' at the start of
    // each earlier member value of the object the failure is in, nearest first.
    let depth = rec.states.last().map_or(0, |s| s.stack.len());
    for state in rec.values.iter().rev() {
        if budget == 0 {
            break;
        }
        if state.stack.len() != depth {
            continue;
        }
        let edit = Edit {
            at: state.pos,
            change: Change::Insert(b'['),
            len: 0,
        };
        try_edit(edit, state, &mut budget);
    }
    valid.sort_by_key(|v| v.0);
    valid.dedup_by_key(|v| v.1);
    valid.truncate(SHORTLIST);
    valid.into_iter().map(|(_, edit)| edit).collect()
}

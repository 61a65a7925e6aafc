//! What changed between the findings of two versions of a document, so that an editor holding
//! the old list can be sent only the difference (the playground's 5,000 findings, of which a
//! keystroke changes one or two).
//!
//! A [`TextChange`] is the one replaced range between the two texts (their common prefix and
//! suffix). An old finding is *kept* when, with every position of it (span, related locations,
//! fix edits) moved through the change, it equals a new finding with the same place among its
//! equals ([`FindingKey::nths`]); a [`FindingsDelta`] lists the old findings not kept and the new
//! findings not kept, with their index in the new list. [`FindingsDelta::apply`] rebuilds the new
//! list from the old one; `tests/incremental.rs` checks it on random edits.

use crate::bytes::words;
use crate::diagnostic::{Diagnostic, FindingKey, Fix, Related, TextEdit};
use crate::span::Span;

/// Bytes `start..old_end` of the old text became `start..new_end` of the new one; the rest is
/// the same text on both sides. Both ends are on character boundaries of both texts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextChange {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl TextChange {
    /// The smallest single replacement turning `old` into `new`.
    pub fn between(old: &str, new: &str) -> TextChange {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut start = common_prefix(a, b);
        while !(old.is_char_boundary(start) && new.is_char_boundary(start)) {
            start -= 1;
        }
        let room = a.len().min(b.len()) - start;
        let mut suffix = common_suffix(&a[a.len() - room..], &b[b.len() - room..]);
        // The texts after the change are equal, so a boundary in one is a boundary in the other.
        while !old.is_char_boundary(a.len() - suffix) {
            suffix -= 1;
        }
        TextChange {
            start,
            old_end: a.len() - suffix,
            new_end: b.len() - suffix,
        }
    }

    /// Where a position of the old text is in the new one; None strictly inside the replaced
    /// range. A position at `start` stays (so an insertion there goes after it).
    pub fn map(&self, at: usize) -> Option<usize> {
        if at <= self.start {
            Some(at)
        } else if at >= self.old_end {
            Some(at - self.old_end + self.new_end)
        } else {
            None
        }
    }

    /// Whether `self` can be a change from `old` to `new` as far as their lengths and
    /// character boundaries tell (the text outside it is the caller's word: an editor's change).
    pub fn fits(&self, old: &str, new: &str) -> bool {
        self.start <= self.old_end
            && self.start <= self.new_end
            && self.old_end <= old.len()
            && self.new_end <= new.len()
            && old.len() - self.old_end == new.len() - self.new_end
            && old.is_char_boundary(self.start)
            && old.is_char_boundary(self.old_end)
            && new.is_char_boundary(self.start)
            && new.is_char_boundary(self.new_end)
    }

    /// The smallest single replacement inside `self`, a change from `old` to `new` that
    /// [`fits`](Self::fits): its two ranges without their common prefix and suffix. It costs
    /// the length of the ranges, where [`between`](Self::between) compares the whole texts (a
    /// keystroke in a 1.3 MB policy: one character against 1.3 MB twice).
    pub fn narrowed(&self, old: &str, new: &str) -> TextChange {
        let inner = TextChange::between(
            &old[self.start..self.old_end],
            &new[self.start..self.new_end],
        );
        TextChange {
            start: self.start + inner.start,
            old_end: self.start + inner.old_end,
            new_end: self.start + inner.new_end,
        }
    }

    /// The change from text `a` to text `c` when `self` turns `a` into `b` and `next` turns `b`
    /// into `c`: one range covering both (not always the smallest: see [`narrowed`](Self::narrowed)).
    pub fn then(&self, next: &TextChange) -> TextChange {
        // In `b`, everything before the earlier start and from the later end on is outside both
        // changes: the same text in `a` and in `c`.
        let start = self.start.min(next.start);
        let end = self.new_end.max(next.old_end);
        TextChange {
            start,
            old_end: end - self.new_end + self.old_end,
            new_end: end - next.old_end + next.new_end,
        }
    }

    fn map_span(&self, span: Span) -> Option<Span> {
        Some(Span::new(self.map(span.start)?, self.map(span.end)?))
    }
}

/// Texts are compared this many bytes at a time (slice equality, a `memcmp`) before the byte
/// that differs is looked for: a keystroke in a 1.3 MB policy compares it all, and a byte at a
/// time took several milliseconds.
const CHUNK: usize = 64;

/// The length of the longest common prefix of `a` and `b`.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + CHUNK <= n && a[i..i + CHUNK] == b[i..i + CHUNK] {
        i += CHUNK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The length of the longest common suffix of `a` and `b`.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + CHUNK <= n && a[n - i - CHUNK..n - i] == b[n - i - CHUNK..n - i] {
        i += CHUNK;
    }
    i + a[..n - i]
        .iter()
        .rev()
        .zip(b[..n - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// How to turn the old findings into the new ones (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingsDelta {
    pub change: TextChange,
    /// Indices (ascending) into the old list of the findings that are not in the new one.
    pub removed: Vec<usize>,
    /// Indices (ascending) into the new list of the findings that were not in the old one.
    pub added: Vec<usize>,
    /// The length of the new list.
    pub len: usize,
}

impl FindingsDelta {
    /// The difference between `old` (the findings of `old_text`) and `new` (of `new_text`),
    /// both in an analysis's order (by span, then code).
    pub fn between(
        old_text: &str,
        old: &[Diagnostic],
        new_text: &str,
        new: &[Diagnostic],
    ) -> FindingsDelta {
        FindingsDelta::with_change(TextChange::between(old_text, new_text), old, new)
    }

    /// [`between`](Self::between), with `change` a change from the old text to the new one
    /// that the caller knows (an editor's edit, [`TextChange::narrowed`]): the texts are not
    /// compared. Any range that covers every difference gives a delta that rebuilds the new
    /// list; the smallest keeps the most findings.
    pub fn with_change(
        change: TextChange,
        old: &[Diagnostic],
        new: &[Diagnostic],
    ) -> FindingsDelta {
        let (old_nth, new_nth) = (FindingKey::nths(old), FindingKey::nths(new));
        let mut removed = Vec::new();
        let mut added = Vec::new();
        let (mut i, mut j) = (0, 0);
        // Moving positions through the change keeps their order, so both lists can be walked
        // together by (span, code); whatever is paired or not, `apply` gives the new list.
        while i < old.len() && j < new.len() {
            let Some(span) = change.map_span(old[i].span) else {
                removed.push(i);
                i += 1;
                continue;
            };
            let order = (span.start, span.end)
                .cmp(&(new[j].span.start, new[j].span.end))
                .then_with(|| code_order(old[i].code, new[j].code));
            match order {
                std::cmp::Ordering::Less => {
                    removed.push(i);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    added.push(j);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    if old_nth[i] != new_nth[j] || !same_moved(&change, &old[i], &new[j]) {
                        removed.push(i);
                        added.push(j);
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        removed.extend(i..old.len());
        added.extend(j..new.len());
        FindingsDelta {
            change,
            removed,
            added,
            len: new.len(),
        }
    }

    /// The new list, from the old one and the new findings the delta names as added
    /// (`added(k)` gives the finding at index `k` of the new list). None when `old` is not the
    /// list the delta was made from (its length does not fit).
    pub fn apply(
        &self,
        old: &[Diagnostic],
        mut added: impl FnMut(usize) -> Diagnostic,
    ) -> Option<Vec<Diagnostic>> {
        if old.len() + self.added.len() != self.len + self.removed.len() {
            return None;
        }
        let mut removed = self.removed.iter().peekable();
        let mut kept = old
            .iter()
            .enumerate()
            .filter(|(i, _)| removed.next_if_eq(&i).is_none())
            .map(|(_, d)| moved(&self.change, d));
        let mut fresh = self.added.iter().peekable();
        let mut new = Vec::with_capacity(self.len);
        for k in 0..self.len {
            if fresh.next_if_eq(&&k).is_some() {
                new.push(added(k));
            } else {
                new.push(kept.next()??);
            }
        }
        Some(new)
    }
}

/// Whether `old`, moved through `change`, is `new` (spans already compared by the caller).
fn same_moved(change: &TextChange, old: &Diagnostic, new: &Diagnostic) -> bool {
    let related = |a: &Related, b: &Related| {
        change.map_span(a.span) == Some(b.span) && a.message == b.message
    };
    let edit =
        |a: &TextEdit, b: &TextEdit| change.map_span(a.span) == Some(b.span) && a.text == b.text;
    let fix = |a: &Fix, b: &Fix| {
        a.title == b.title
            && a.safety == b.safety
            && a.edits.len() == b.edits.len()
            && a.edits.iter().zip(&b.edits).all(|(x, y)| edit(x, y))
    };
    old.category == new.category
        && same_text(&old.message, &new.message)
        && old.related.len() == new.related.len()
        && old
            .related
            .iter()
            .zip(&new.related)
            .all(|(a, b)| related(a, b))
        && old.fixes.len() == new.fixes.len()
        && old.fixes.iter().zip(&new.fixes).all(|(a, b)| fix(a, b))
}

/// The order of two rule codes: a rule's findings carry the same static string, so equal codes
/// are almost always the same pointer, told without comparing their bytes (in WebAssembly a
/// `memcmp` goes a byte at a time, and a keystroke compares 5,000 pairs).
fn code_order(a: &'static str, b: &'static str) -> std::cmp::Ordering {
    if std::ptr::eq(a, b) {
        std::cmp::Ordering::Equal
    } else {
        a.cmp(b)
    }
}

/// `a == b`, eight bytes at a time: a keystroke in the 5,000-finding policy compares 5,000
/// pairs of equal messages, and WebAssembly's `memcmp` goes a byte at a time (1.7 ms of a
/// 15 ms key in node).
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (x, y) = (a.chunks_exact(8), b.chunks_exact(8));
    let tails = x.remainder() == y.remainder();
    tails
        && x.zip(y).all(|(x, y)| {
            let word = |c: &[u8]| words::word(c.try_into().unwrap_or_default());
            word(x) == word(y)
        })
}

/// `d` with every position moved through `change`; None when one falls inside it.
pub(crate) fn moved(change: &TextChange, d: &Diagnostic) -> Option<Diagnostic> {
    let mut d = d.clone();
    d.span = change.map_span(d.span)?;
    for r in &mut d.related {
        r.span = change.map_span(r.span)?;
    }
    for f in &mut d.fixes {
        for e in &mut f.edits {
            e.span = change.map_span(e.span)?;
        }
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The word-at-a-time comparisons answer as `==` and `cmp` do.
        #[test]
        fn same_text_and_code_order_are_the_plain_ones(
            a in "[ab\u{e9}]{0,40}",
            b in "[ab\u{e9}]{0,40}",
        ) {
            prop_assert_eq!(same_text(&a, &b), a == b);
            prop_assert!(same_text(&a, &a.clone()));
            let (a, b): (&'static str, &'static str) = (a.leak(), b.leak());
            prop_assert_eq!(code_order(a, b), a.cmp(b));
            prop_assert_eq!(code_order(a, a), std::cmp::Ordering::Equal);
        }
    }
}

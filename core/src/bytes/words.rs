//! Eight bytes at a time: masks that say which bytes of a word equal a given byte or lie below a
//! bound, for the scanners that read every byte of every policy (line breaks in
//! [`crate::line_index`], the bytes JSON escapes in [`crate::syntax::quote`], wildcards in
//! [`crate::wildcard`]). Most words hold nothing such a scanner looks for, and one test of the
//! whole word skips them.
//!
//! A mask has the high bit (0x80) of a byte set where that byte matches and no other bit: masks
//! combine with `|`, [`first`] is the lowest marked byte and [`marks`] gives each of them. Words
//! are read little-endian ([`word`]), so the lowest byte is the first.
//!
//! [`zero`], [`equal`] and [`below`] are exact in every byte: each byte's low seven bits are
//! added to a constant that cannot carry out of the byte, and the byte's own high bit is looked
//! at on its own. The well-known shorter test, `(x - 0x0101..) & !x & 0x8080..` for "a zero
//! byte" and `x - n * 0x0101..` for "a byte below n", is exact only in whether any byte matches
//! and in which is the first: a borrow out of a matching byte also marks the byte above it when
//! that one is one more (`[0x00, 0x01]` marks both), and the "below" form holds only for n up to
//! 0x80. It is one instruction a test cheaper, and the scanners that stop at the first match
//! ([`find`]) use it as [`first_below_or_equal`]; the line index, which takes every line break
//! of a word, uses [`equal`].

/// 0x01 in every byte.
const ONES: u64 = u64::from_le_bytes([0x01; 8]);
/// The high bit of every byte: where masks mark.
const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
/// The low seven bits of every byte.
const LOW: u64 = u64::from_le_bytes([0x7f; 8]);

/// Eight bytes as one word, the first byte lowest (so [`first`] counts from the first byte).
#[inline(always)]
pub fn word(chunk: [u8; 8]) -> u64 {
    u64::from_le_bytes(chunk)
}

/// `b` in every byte.
#[inline(always)]
pub const fn splat(b: u8) -> u64 {
    ONES * b as u64
}

/// Marks the bytes of `w` that are zero.
#[inline(always)]
pub fn zero(w: u64) -> u64 {
    !nonzero(w) & HIGH
}

/// Marks the bytes of `w` that are not zero (one instruction less than [`zero`], for a count).
#[inline(always)]
pub fn nonzero(w: u64) -> u64 {
    // A byte's low seven bits plus 0x7f reach the high bit unless they are all zero (and the
    // sum, at most 0xfe, never carries into the next byte); or-ing `w` adds its own high bit.
    (((w & LOW) + LOW) | w) & HIGH
}

/// Marks the bytes of `w` equal to `b`.
#[inline(always)]
pub fn equal(w: u64, b: u8) -> u64 {
    zero(w ^ splat(b))
}

/// Marks the bytes of `w` below `n` (none for `n = 0`).
#[inline(always)]
pub fn below(w: u64, n: u8) -> u64 {
    if n <= 0x80 {
        // Low seven bits plus (0x80 - n) reach the high bit when they are at least n; a byte
        // with its high bit set is at least 0x80 >= n.
        !(((w & LOW) + splat(0x80 - n)) | w) & HIGH
    } else {
        // Below n > 0x80: not (high bit set and low seven bits at least n - 0x80).
        !(((w & LOW) + splat(0x80 - (n - 0x80))) & w) & HIGH
    }
}

/// Marks the first byte of `w` that is below `n` or equal to one of `bytes`, and maybe bytes
/// after it: exact in whether any byte matches and in which is the first (all [`find`] reads),
/// not in the marks above the first (which may be wrong either way). One instruction a test
/// cheaper than the exact `|` of
/// [`below`] and [`equal`], for the scanners that stop at the first match. It is the short
/// borrow test: `x - 0x0101..` sets a byte's high bit when the byte is zero, and `& !x` keeps
/// the bytes whose own high bit is clear; a borrow runs only upwards, out of a byte that
/// matched, so it can change the marks above a match (`[0x00, 0x01]` marks both) but never one
/// below.
#[inline(always)]
pub fn first_below_or_equal<const K: usize>(w: u64, n: u8, bytes: [u8; K]) -> u64 {
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let below_n = if n <= 0x80 {
        w.wrapping_sub(splat(n)) & !w & HIGH
    } else {
        below(w, n)
    };
    bytes.iter().fold(below_n, |m, &b| m | zero(w ^ splat(b)))
}

/// Marks the bytes of `w` that are not ASCII (0x80 and above).
#[inline(always)]
pub fn non_ascii(w: u64) -> u64 {
    w & HIGH
}

/// The index (0 to 7) of the lowest byte `mask` marks; 8 when it marks none.
#[inline(always)]
pub fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The index (0 to 7) of the highest byte `mask` marks; 0 when it marks none.
#[inline(always)]
pub fn last(mask: u64) -> usize {
    ((63 - (mask | 1).leading_zeros()) / 8) as usize
}

/// How many bytes `mask` marks.
#[inline(always)]
pub fn count(mask: u64) -> u64 {
    byte_sum(mask >> 7)
}

/// The sum of the bytes of `w`, when it is below 256 (such as the sum of up to 31 masks each
/// shifted down to the lowest bit of its bytes: `mask >> 7`).
#[inline(always)]
pub fn byte_sum(w: u64) -> u64 {
    w.wrapping_mul(ONES) >> 56
}

/// The index of each byte `mask` marks, lowest first.
#[inline(always)]
pub fn marks(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let at = first(mask);
        mask &= mask - 1;
        Some(at)
    })
}

/// The position of the first byte at or after `from` that `mask` marks, or `bytes.len()` when
/// there is none. `mask` must be exact in its first mark when no byte before it matches (every
/// mask here is): the last bytes (fewer than eight) are read as the text's last word when the
/// bytes of it before them were read here already, and else one at a time, each as a word of
/// its own (both measured cheaper than a last word copied into a padded one).
#[inline(always)]
pub fn find(bytes: &[u8], from: usize, mask: impl Fn(u64) -> u64) -> usize {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let m = mask(word(w));
        if m != 0 {
            return i + first(m);
        }
        i += 8;
    }
    let len = bytes.len();
    if i >= len {
        return len;
    }
    match len.checked_sub(8) {
        // The text's last eight bytes, when those before `i` were read here and not marked:
        // then the first mark in the word is the first match, as above.
        Some(last) if last >= from => {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[last..]);
            let m = mask(word(w));
            if m != 0 {
                last + first(m)
            } else {
                len
            }
        }
        // Fewer than eight bytes from `from` on: one by one, each as a word of its own.
        _ => {
            while i < len && mask(u64::from(bytes[i])) & 0x80 == 0 {
                i += 1;
            }
            i
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The mask of `bytes` by a byte-by-byte test.
    fn by_bytes(bytes: [u8; 8], test: impl Fn(u8) -> bool) -> u64 {
        u64::from_le_bytes(bytes.map(|b| if test(b) { 0x80 } else { 0 }))
    }

    /// Each mask against the byte-by-byte answer: exact ones in every byte, the first-match one
    /// in whether it marks any byte and which it marks first.
    fn check(bytes: [u8; 8], b: u8, n: u8) {
        let w = word(bytes);
        assert_eq!(zero(w), by_bytes(bytes, |x| x == 0), "zero {bytes:x?}");
        assert_eq!(nonzero(w), by_bytes(bytes, |x| x != 0), "{bytes:x?}");
        assert_eq!(
            equal(w, b),
            by_bytes(bytes, |x| x == b),
            "{b:#x} {bytes:x?}"
        );
        assert_eq!(
            below(w, n),
            by_bytes(bytes, |x| x < n),
            "<{n:#x} {bytes:x?}"
        );
        assert_eq!(non_ascii(w), by_bytes(bytes, |x| x >= 0x80), "{bytes:x?}");
        let listed: Vec<usize> = marks(equal(w, b)).collect();
        let expected: Vec<usize> = (0..8).filter(|&i| bytes[i] == b).collect();
        assert_eq!(listed, expected);
        assert_eq!(first(equal(w, b)), expected.first().copied().unwrap_or(8));
        assert_eq!(last(equal(w, b)), expected.last().copied().unwrap_or(0));
        assert_eq!(count(equal(w, b)), expected.len() as u64);
        let matches = |x: u8| x < n || x == b || x == b'"';
        let fast = first_below_or_equal(w, n, [b, b'"']);
        let exact = by_bytes(bytes, matches);
        assert_eq!(fast == 0, exact == 0, "{n:#x} {b:#x} {bytes:x?}");
        assert_eq!(first(fast), first(exact), "{n:#x} {b:#x} {bytes:x?}");
    }

    /// Where the short borrow test goes wrong: a match followed by a byte one above it, bytes
    /// with the high bit set, 0x7f and 0x80 around the bound: each pair of them side by side
    /// at every place, for the bytes the scanners look for and bounds around 0x80.
    #[test]
    fn exact_where_the_borrow_trick_is_not() {
        for b in [
            0x00u8, 0x01, 0x0a, 0x20, 0x22, 0x2a, 0x3f, 0x5c, 0x7f, 0x80, 0x81, 0xfe, 0xff,
        ] {
            let near = [
                0x00,
                0x01,
                0x7f,
                0x80,
                0x81,
                0xff,
                b,
                b.wrapping_add(1),
                b.wrapping_sub(1),
                b ^ 0x80,
            ];
            for at in 0..7 {
                for &x in &near {
                    for &y in &near {
                        for filler in [b'a', 0x00, 0xff, b] {
                            let mut bytes = [filler; 8];
                            bytes[at] = x;
                            bytes[at + 1] = y;
                            check(bytes, b, b);
                            check(bytes, b, 0x20);
                        }
                    }
                }
            }
        }
        // The pitfall itself: `"` then `#` (0x22 0x23: 0x00 0x01 once XORed with `"`) marks
        // both in the short test, only the first in the exact one.
        let w = word(*b"\"#abcdef");
        assert_eq!(first_below_or_equal(w, 0, [b'"']), 0x8080);
        assert_eq!(equal(w, b'"'), 0x80);
    }

    #[test]
    fn below_every_bound_of_every_byte() {
        for n in 0..=255u8 {
            for x in 0..=255u8 {
                check([x, n, x ^ 0x80, 0, 0xff, x, n.wrapping_sub(1), 0x80], x, n);
            }
        }
    }

    /// The first of several bytes in any text, from any place, as a byte-by-byte search finds
    /// it (whole words, the last bytes, a start inside or past the end).
    #[test]
    fn find_agrees_with_a_byte_search() {
        for len in 0..26 {
            for at in 0..len {
                for s in [b'"', 0x00, 0x1f, 0x20, 0x80, 0x23, b'*'] {
                    let mut text = vec![b'x'; len];
                    text[at] = s;
                    if at > 0 {
                        // A match just before, as after an escape written.
                        text[at - 1] = b'"';
                    }
                    for from in 0..=len + 9 {
                        let found = find(&text, from, |w| first_below_or_equal(w, 0x20, [b'"']));
                        let expected = text
                            .get(from..)
                            .and_then(|t| t.iter().position(|&b| b < 0x20 || b == b'"'))
                            .map_or(len, |i| from + i);
                        assert_eq!(found, expected, "{text:x?} from {from}");
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn masks_agree_with_the_byte_by_byte_answer(bytes in any::<[u8; 8]>(), b in any::<u8>(),
                                                    n in any::<u8>()) {
            check(bytes, b, n);
        }

        #[test]
        fn find_agrees_on_any_text(text in proptest::collection::vec(any::<u8>(), 0..40),
                                   from in 0usize..45, b in any::<u8>(), n in any::<u8>()) {
            let found = find(&text, from, |w| first_below_or_equal(w, n, [b]));
            let expected = text
                .get(from..)
                .and_then(|t| t.iter().position(|&x| x < n || x == b))
                .map_or(text.len(), |i| from + i);
            prop_assert_eq!(found, expected);
        }
    }
}

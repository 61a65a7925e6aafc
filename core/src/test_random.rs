//! A fixed pseudo-random sequence for the generated tests (xorshift64): the same inputs on every
//! run, so that a failure shows the same case again.

/// A sequence starting from `seed` (not 0): each call `next(n)` gives its next number below `n`
/// (which must not be 0).
pub(crate) fn below(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}

/// A piece of a generated text: an ASCII byte or a string.
pub(crate) trait Piece {
    fn push_to(&self, out: &mut String);
}

impl Piece for u8 {
    fn push_to(&self, out: &mut String) {
        out.push(*self as char);
    }
}

impl Piece for &str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

/// A text of fewer than `lengths` pieces from `alphabet` (`b"ab$"` or `&["${", "a"]`): the
/// sequence's next number below `lengths` is the count, then one number a piece picks it. The
/// generated tests of many modules draw their texts so, in this order.
pub(crate) fn text<P: Piece, N: FnMut(usize) -> usize + ?Sized>(
    next: &mut N,
    lengths: usize,
    alphabet: &[P],
) -> String {
    let mut out = String::new();
    for _ in 0..next(lengths) {
        alphabet[next(alphabet.len())].push_to(&mut out);
    }
    out
}

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

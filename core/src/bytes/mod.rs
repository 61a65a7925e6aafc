//! Byte-level helpers of the hot scanners and writers, each written once: the word-at-a-time
//! masks ([`words`]) and the fixed-size copy of a short piece ([`push_cut`]), which the JSON
//! quoting here and the command line's JSON writer both use.

pub mod words;

/// Append the first `keep` bytes of `bytes` to `out` (all of them when `keep >= N`) by copying
/// all `N` and cutting the buffer back. A copy whose size is known when compiling is a few moves,
/// where a copy of a length known only when running is a call: for short pieces (an
/// indentation, a number's digits, the text between two escapes) this is the faster one.
#[inline(always)]
pub fn push_cut<const N: usize>(out: &mut Vec<u8>, bytes: &[u8; N], keep: usize) {
    out.extend_from_slice(bytes);
    let len = out.len();
    out.truncate(len - N + keep.min(N));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_cut_appends_the_first_bytes() {
        let mut out = b"ab".to_vec();
        push_cut(&mut out, b"0123", 0);
        assert_eq!(out, b"ab");
        push_cut(&mut out, b"0123", 3);
        assert_eq!(out, b"ab012");
        push_cut(&mut out, b"xy", 9);
        assert_eq!(out, b"ab012xy");
    }
}

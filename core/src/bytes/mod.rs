//! Byte-level helpers of the hot scanners and writers, each written once: the word-at-a-time
//! masks ([`words`]), the fixed-size copy of a short piece ([`push_cut`]), which the JSON
//! quoting here and the command line's JSON writer both use, and the decimal digits of a number
//! ([`decimal`], and [`push_decimal`] into a `String`), which the fixes' titles, the findings'
//! messages and the command line's JSON writer write.

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

/// The hundred pairs of decimal digits, `00` to `99`.
const PAIRS: [u8; 200] = {
    let mut pairs = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        pairs[2 * i] = b'0' + (i / 10) as u8;
        pairs[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    pairs
};

/// `n` in decimal, as `n.to_string()` writes it: the digits at the start of the array, and how
/// many there are (for [`push_cut`], or a `&str` of the first ones). Numbers below 10,000 (most
/// lines, columns and offsets, and every count in a fix's title) are a table's pair or two
/// written in place; larger ones are counted first, then written from the last digit two at a
/// time. One division by 10 a digit, and as many again to count them, cost three times as
/// many instructions.
#[inline(always)]
pub fn decimal(n: u64) -> ([u8; 20], usize) {
    let mut digits = [b'0'; 20];
    if n < 10 {
        digits[0] = b'0' + n as u8;
        return (digits, 1);
    }
    if n < 100 {
        digits[..2].copy_from_slice(pair(n));
        return (digits, 2);
    }
    if n < 10_000 {
        let (high, low) = (n / 100, n % 100);
        if high < 10 {
            digits[0] = b'0' + high as u8;
            digits[1..3].copy_from_slice(pair(low));
            return (digits, 3);
        }
        digits[..2].copy_from_slice(pair(high));
        digits[2..4].copy_from_slice(pair(low));
        return (digits, 4);
    }
    long_decimal(n, digits)
}

/// `n` in decimal, as `n.to_string()` writes it, at the end of `out` (a message or a fix's
/// title built in one buffer), without a `String` of its own.
pub fn push_decimal(out: &mut String, n: usize) {
    let (digits, len) = decimal(n as u64);
    out.push_str(std::str::from_utf8(&digits[..len]).unwrap_or_default());
}

/// [`decimal`] of a number of five digits or more.
fn long_decimal(n: u64, mut digits: [u8; 20]) -> ([u8; 20], usize) {
    let len = n.checked_ilog10().map_or(1, |log| log as usize + 1);
    let mut end = len;
    let mut rest = n;
    while rest >= 100 {
        end -= 2;
        digits[end..end + 2].copy_from_slice(pair(rest % 100));
        rest /= 100;
    }
    if rest >= 10 {
        digits[end - 2..end].copy_from_slice(pair(rest));
    } else {
        digits[end - 1] = b'0' + rest as u8;
    }
    (digits, len)
}

/// The two digits of `n` (below 100).
#[inline(always)]
fn pair(n: u64) -> &'static [u8] {
    let at = 2 * (n as usize % 100);
    &PAIRS[at..at + 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_what_to_string_writes() {
        let edges = [
            0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10_000, 12_345, 99_999,
        ];
        let powers = (0..20).flat_map(|p| {
            let t = 10u64.pow(p);
            [t - 1, t, t + 1]
        });
        for n in edges
            .into_iter()
            .chain(powers)
            .chain([u64::MAX, u64::MAX - 1])
        {
            let (digits, len) = decimal(n);
            assert_eq!(std::str::from_utf8(&digits[..len]).unwrap(), n.to_string());
        }
    }

    proptest::proptest! {
        #[test]
        fn decimal_agrees_with_to_string(n in proptest::prelude::any::<u64>(), shift in 0u32..64) {
            // Numbers of every length, not only the long ones most random words are.
            let n = n >> shift;
            let (digits, len) = decimal(n);
            proptest::prop_assert_eq!(std::str::from_utf8(&digits[..len]).unwrap(), n.to_string());
        }
    }

    #[test]
    fn counts_are_written_as_to_string_writes_them() {
        let mut next = crate::test_random::below(0x5eed_c0de_0bad_f00d);
        let mut numbers: Vec<usize> = vec![0, 1, 9, 10, 99, 100, 12_345, usize::MAX];
        numbers.extend((0..200).map(|_| next(1 << 20)));
        for n in numbers {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

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

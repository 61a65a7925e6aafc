//! "Did you mean" suggestions by edit distance, used by the rules that name an unknown
//! action, service, operator or condition key.

/// The candidate closest to `word` (case-insensitive Damerau-Levenshtein), if it is close enough
/// to be a plausible typo: at most a third of the word's length, and at most 3 edits. The first
/// of equally close candidates wins.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let word_lower = word.to_lowercase();
    let mut best: Option<(usize, &'c str)> = None;
    // Rules ask this of every unknown name against hundreds of candidates (all services, all of
    // a service's actions): compare ASCII names in place, skip candidates whose length alone
    // rules them out, and give up on one as soon as it cannot beat the best so far.
    let mut rows = Vec::new();
    for candidate in candidates {
        // Only a strictly closer candidate replaces the best one.
        let bound = best.map_or(limit, |(bd, _)| limit.min(bd.wrapping_sub(1)));
        if best.is_some_and(|(bd, _)| bd == 0) {
            break;
        }
        let d = if word_lower.is_ascii() && candidate.is_ascii() {
            bounded_ascii_distance(
                word_lower.as_bytes(),
                candidate.as_bytes(),
                bound,
                &mut rows,
            )
        } else {
            distance(&word_lower, &candidate.to_lowercase(), limit)
        };
        if d <= bound {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// [`distance`] between `a` (lower case) and `b` compared without ASCII case, exact when it is
/// at most `bound`, else some value above `bound`. `rows` is scratch space kept between calls.
fn bounded_ascii_distance(a: &[u8], b: &[u8], bound: usize, rows: &mut Vec<usize>) -> usize {
    if a.len().abs_diff(b.len()) > bound || letters_apart(a, b) > bound {
        return bound + 1;
    }
    let width = b.len() + 1;
    // Three rows: i-2 (for transpositions), i-1 and i.
    rows.clear();
    rows.resize(3 * width, 0);
    let (mut r2, mut r1, mut r0) = (0, width, 2 * width);
    for (j, cell) in rows[r1..r1 + width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[r0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let bj = b[j - 1].to_ascii_lowercase();
            let cost = usize::from(a[i - 1] != bj);
            let mut d = (rows[r1 + j] + 1)
                .min(rows[r0 + j - 1] + 1)
                .min(rows[r1 + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2].to_ascii_lowercase() && a[i - 2] == bj {
                d = d.min(rows[r2 + j - 2] + 1);
            }
            rows[r0 + j] = d;
            row_min = row_min.min(d);
        }
        // No cell of a later row is below the smallest of this one (a transposition costs one
        // more than a cell of row i-2, which is no less than the diagonal cell of row i-1).
        if row_min > bound {
            return bound + 1;
        }
        (r2, r1, r0) = (r1, r0, r2);
    }
    rows[r1 + b.len()]
}

/// A lower bound of [`distance`] between `a` (lower case) and `b` (compared without ASCII
/// case) found by counting letters: an insertion, deletion or substitution takes at most one
/// letter from each side's surplus over the other, and a transposition none, so at least as
/// many edits are needed as either word has letters the other lacks. Most candidates (all the
/// services, all of a service's actions) share too few letters with an unknown name; this rules
/// them out in one pass over each word instead of the table of [`bounded_ascii_distance`].
fn letters_apart(a: &[u8], b: &[u8]) -> usize {
    let mut count = [0u16; 256];
    for &c in a {
        count[usize::from(c)] += 1;
    }
    let (mut shared, mut only_b) = (0usize, 0usize);
    for &c in b {
        let slot = &mut count[usize::from(c.to_ascii_lowercase())];
        if *slot > 0 {
            *slot -= 1;
            shared += 1;
        } else {
            only_b += 1;
        }
    }
    (a.len() - shared).max(only_b)
}

/// Optimal string alignment distance between `a` and `b`, giving up early (returning a value
/// above `limit`) when the length difference alone exceeds it.
pub fn distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = d;
        }
    }
    rows[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let ops = ["StringEquals", "StringLike", "ArnLike", "Bool"];
        assert_eq!(did_you_mean("StringEqual", ops), Some("StringEquals"));
        assert_eq!(did_you_mean("stringequals", ops), Some("StringEquals"));
        assert_eq!(did_you_mean("StirngLike", ops), Some("StringLike"));
        assert_eq!(did_you_mean("Completely", ops), None);
        assert_eq!(distance("ab", "ba", 3), 1);
    }

    /// The bounded comparison gives the full distance whenever that is within the bound.
    #[test]
    fn bounded_distance_agrees_with_the_full_one() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "s3",
            "s4",
            "ec2",
            "dynamodb",
            "dynamdb",
            "dyanmodb",
            "getobject",
            "GetObjekt",
            "PutObject",
            "listbuckets",
            "ListBucket",
            "abcdef",
            "badcfe",
            "Completely",
            "stringequals",
            "StringEquals",
            "ca",
            "abc",
            "bca",
        ];
        let mut rows = Vec::new();
        for a in words {
            let a = a.to_lowercase();
            for b in words {
                let full = distance(&a, &b.to_lowercase(), 100);
                for bound in 0..5 {
                    let d = bounded_ascii_distance(a.as_bytes(), b.as_bytes(), bound, &mut rows);
                    if full <= bound {
                        assert_eq!(d, full, "{a} {b} {bound}");
                    } else {
                        assert!(d > bound, "{a} {b} {bound}");
                    }
                }
            }
        }
    }

    /// Generated words over a few letters (a fixed pseudo-random sequence), so that many pairs
    /// are within the bound: the count of letters apart never exceeds the distance, and the
    /// bounded comparison that uses it agrees with the full one.
    #[test]
    fn letters_apart_is_a_lower_bound() {
        let mut next = crate::test_random::below(0x2545_f491_4f6c_dd1du64);
        let word =
            |next: &mut dyn FnMut(usize) -> usize| crate::test_random::text(next, 9, b"abcAB3:");
        let (mut rows, mut close, mut cut) = (Vec::new(), 0, 0);
        for _ in 0..20_000 {
            let a = word(&mut next).to_lowercase();
            let b = word(&mut next);
            let full = distance(&a, &b.to_lowercase(), 100);
            let apart = letters_apart(a.as_bytes(), b.as_bytes());
            assert!(apart <= full, "{a} {b} {apart} {full}");
            let bound = next(4);
            let d = bounded_ascii_distance(a.as_bytes(), b.as_bytes(), bound, &mut rows);
            if full <= bound {
                close += 1;
                assert_eq!(d, full, "{a} {b} {bound}");
            } else {
                assert!(d > bound, "{a} {b} {bound}");
                if apart > bound && a.len().abs_diff(b.len()) <= bound {
                    cut += 1;
                }
            }
        }
        assert!(close > 2000 && cut > 2000, "{close} {cut}");
    }

    #[test]
    fn first_of_equally_close_candidates_wins() {
        assert_eq!(did_you_mean("abcd", ["abce", "abcf"]), Some("abce"));
        assert_eq!(
            did_you_mean("abcd", ["abxx", "abcf", "abcd", "abce"]),
            Some("abcd")
        );
        assert_eq!(
            did_you_mean("Straße", ["strasse", "straße"]),
            Some("straße")
        );
    }
}

//! "Did you mean" suggestions by edit distance, used by the rules that name an unknown
//! action, service, operator or condition key.

/// The candidate closest to `word` (case-insensitive Damerau-Levenshtein), if it is close enough
/// to be a plausible typo: at most a third of the word's length, and at most 3 edits.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let word_lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let d = distance(&word_lower, &candidate.to_lowercase(), limit);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
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
}

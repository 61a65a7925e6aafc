//! A set of small numbers, one bit each: the catalog numbers its actions and resource types
//! densely from 0 ([`crate::catalog::Action::number`], `ResourceType::index`), so the rules and
//! fixes that ask "seen this action before?" across a statement's expansion use a bit per
//! number rather than a hash set (which reads every name's bytes) or a sorted list.

/// Numbers below a bound, as bits. No memory is taken until the first insert, so a set that
/// stays empty (a list of one item, a statement without a finding) costs nothing.
#[derive(Clone, Debug, Default)]
pub struct NumberSet {
    words: Vec<u64>,
    /// The numbers are below this (the catalog's count): the words taken at the first insert.
    bound: usize,
}

impl NumberSet {
    /// An empty set for numbers below `bound` (a larger one still fits: the set grows).
    pub fn below(bound: usize) -> Self {
        NumberSet {
            words: Vec::new(),
            bound,
        }
    }

    /// Adds `n`; true when it was not in the set.
    pub fn insert(&mut self, n: usize) -> bool {
        let at = n / 64;
        if self.words.len() <= at {
            self.words.resize((self.bound / 64 + 1).max(at + 1), 0);
        }
        let bit = 1u64 << (n % 64);
        let word = &mut self.words[at];
        let fresh = *word & bit == 0;
        *word |= bit;
        fresh
    }

    pub fn contains(&self, n: usize) -> bool {
        self.words
            .get(n / 64)
            .is_some_and(|word| word & (1u64 << (n % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::NumberSet;
    use std::collections::BTreeSet;

    proptest::proptest! {
        /// Inserts and lookups answer as a BTreeSet does, for numbers below, at and beyond the
        /// bound.
        #[test]
        fn answers_as_a_set_does(bound in 0usize..300, ops in proptest::collection::vec((0usize..700, proptest::bool::ANY), 0..200)) {
            let mut set = NumberSet::below(bound);
            let mut plain = BTreeSet::new();
            for (n, insert) in ops {
                if insert {
                    proptest::prop_assert_eq!(set.insert(n), plain.insert(n));
                }
                proptest::prop_assert_eq!(set.contains(n), plain.contains(&n));
            }
        }
    }
}

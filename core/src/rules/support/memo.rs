//! Answers about a policy's strings kept on the thread across documents. Some rules ask the
//! catalog costly questions about a Resource ARN (which resource types it can be, whether it can
//! overlap a type's ARN format), and the same ARNs recur from policy to policy: in the managed
//! policies a third of the ARNs asked about are ones asked about before. A memo answers those
//! from a hash of the text. The answers are pure functions of the text and the catalog, so the
//! output is the same with or without it.

use crate::catalog::Catalog;
use crate::fast_hash::FastMap;

/// A bounded map from a string to what was computed for it, tied to one catalog.
pub struct TextMemo<V> {
    /// The catalog the answers are about (its address); another catalog starts afresh. Only
    /// `'static` catalogs are taken: one is never freed, so no other catalog can later sit at
    /// the same address and be given its answers.
    catalog: usize,
    map: FastMap<Box<str>, V>,
}

impl<V> Default for TextMemo<V> {
    fn default() -> Self {
        TextMemo {
            catalog: 0,
            map: FastMap::default(),
        }
    }
}

/// How many strings a memo keeps before it starts again: a few MB at most, bounded for a
/// long-running language server (a corpus of 1,600 managed policies asks about a few hundred).
const MEMO_ENTRIES: usize = 1 << 14;

impl<V> TextMemo<V> {
    /// The entry of `text` (about `catalog`), made by `init` when there is none.
    pub fn entry(
        &mut self,
        catalog: &'static Catalog,
        text: &str,
        init: impl FnOnce() -> V,
    ) -> &mut V {
        let address = catalog as *const Catalog as usize;
        if self.catalog != address || self.map.len() >= MEMO_ENTRIES {
            self.catalog = address;
            self.map.clear();
        }
        // Looked up by the borrowed text first: the key is copied only for a new entry.
        if !self.map.contains_key(text) {
            self.map.insert(text.into(), init());
        }
        self.map
            .get_mut(text)
            .expect("an entry that is there or was just inserted")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_answers_per_text_and_catalog_and_stays_bounded() {
        let catalog = crate::catalog::catalog();
        let mut memo: TextMemo<usize> = TextMemo::default();
        let mut computed = 0;
        for round in 0..3 {
            for i in 0..100 {
                let text = format!("arn:aws:s3:::bucket-{i}");
                let v = *memo.entry(catalog, &text, || {
                    computed += 1;
                    i
                });
                assert_eq!(v, i, "round {round}");
            }
        }
        assert_eq!(computed, 100);
        // Past the bound the memo starts again, and answers are computed anew.
        for i in 0..MEMO_ENTRIES + 10 {
            memo.entry(catalog, &i.to_string(), || i);
        }
        assert!(memo.map.len() <= MEMO_ENTRIES);
        assert_eq!(*memo.entry(catalog, "5", || 99), 99);
    }
}

//! A small, fast, non-cryptographic hasher for the maps and sets the rules and fix builders keep
//! per statement or document (catalog names, action names, object keys, Sids): SipHash, the std
//! default, cost more than the rest of the work there. Its keys can come from the checked policy,
//! so a policy written to collide could make its own check slower (quadratic in its size at worst);
//! it cannot change an answer, since a collision only costs comparisons.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The multiply-rotate hash of rustc's `FxHasher`.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The low bits of a product depend only on the low bits of its factors, and the maps
        // pick a bucket by the hash's low bits: without this fold, strings that differ only past
        // their first bytes of a word ("Stmt1", "Stmt2", ...; "ReadReports0" to
        // "ReadReports4999") all fall into the same few buckets (32 distinct of 8,192 for 5,000
        // such Sids) and every insert walks the same long probe sequence. Folding the high half
        // of the full product into the low half mixes every bit into the low ones.
        let product = u128::from(self.0) * u128::from(SEED);
        (product as u64) ^ ((product >> 64) as u64)
    }
}

/// A `HashSet` with [`FastHasher`].
pub type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_work_as_sets() {
        let mut set: FastSet<(&str, &str)> = FastSet::default();
        assert!(set.insert(("s3", "bucket")));
        assert!(set.insert(("s3", "object")));
        assert!(!set.insert(("s3", "bucket")));
        assert!(set.insert(("s3bucket", "")));
        assert_eq!(set.len(), 3);
    }

    /// Keys that differ only in a word's later bytes still spread over the buckets (a map picks
    /// one by the hash's low bits): 5,000 numbered Sids reach thousands of the 8,192 buckets.
    #[test]
    fn numbered_keys_spread_over_the_low_bits() {
        use std::hash::BuildHasher;
        let build = BuildHasherDefault::<FastHasher>::default();
        for prefix in ["Stmt", "ReadReports", "s3:GetObject"] {
            let buckets: FastSet<u64> = (0..5000)
                .map(|i| build.hash_one(format!("{prefix}{i}")) & 8191)
                .collect();
            assert!(buckets.len() > 3000, "{prefix}: {} buckets", buckets.len());
        }
    }
}

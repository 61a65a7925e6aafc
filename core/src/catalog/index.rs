//! A case-insensitive hash index from names to ids (services by prefix, a service's actions by
//! name). Rules look names up many thousands of times per policy; a binary search comparing
//! byte by byte without case was the largest single cost of the analysis. This index answers
//! with one hash of the name and (almost always) one comparison, and allocates nothing.

/// Open addressing with linear probing; a slot holds `id + 1`, 0 marks an empty slot. The table
/// is at least twice as large as the number of names, so probe runs stay short.
#[derive(Default)]
pub(crate) struct NameIndex {
    slots: Vec<u32>,
}

/// A hash under which names equal without ASCII case hash alike: every byte is taken with its
/// 0x20 bit set (which lower-cases ASCII letters and merges a few pairs of other bytes; equal
/// hashes are then compared exactly), eight bytes per multiplication.
fn hash_ignore_case(name: &str) -> usize {
    const CASE: u64 = 0x2020_2020_2020_2020;
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes = name.as_bytes();
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h ^ (u64::from_le_bytes(word) | CASE)).wrapping_mul(K);
        h ^= h >> 29;
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut word = [0u8; 8];
        word[..tail.len()].copy_from_slice(tail);
        h = (h ^ (u64::from_le_bytes(word) | CASE)).wrapping_mul(K);
    }
    // The table is indexed by the low bits: fold the well-mixed high bits in.
    (h ^ (h >> 32)) as usize
}

impl NameIndex {
    /// Indexes names `0..n` (`name(id)` gives each). When two names are equal without case, the
    /// lower id wins, as it is found first.
    pub fn build<'n>(n: usize, name: impl Fn(u32) -> &'n str) -> NameIndex {
        let size = (n * 2).next_power_of_two().max(2);
        let mask = size - 1;
        let mut slots = vec![0u32; size];
        for id in 0..n as u32 {
            let key = name(id);
            let mut i = hash_ignore_case(key) & mask;
            loop {
                match slots[i] {
                    0 => {
                        slots[i] = id + 1;
                        break;
                    }
                    other if name(other - 1).eq_ignore_ascii_case(key) => break,
                    _ => i = (i + 1) & mask,
                }
            }
        }
        NameIndex { slots }
    }

    /// The id whose name equals `key` without ASCII case, if any.
    pub fn find<'n>(&self, key: &str, name: impl Fn(u32) -> &'n str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash_ignore_case(key) & mask;
        loop {
            match self.slots[i] {
                0 => return None,
                slot if name(slot - 1).eq_ignore_ascii_case(key) => return Some(slot - 1),
                _ => i = (i + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_without_case() {
        let names = ["GetObject", "PutObject", "getobject", "ListBucket", ""];
        let index = NameIndex::build(names.len(), |id| names[id as usize]);
        let name = |id: u32| names[id as usize];
        assert_eq!(
            index.find("GETOBJECT", name),
            Some(0),
            "the first of equal names"
        );
        assert_eq!(index.find("putobject", name), Some(1));
        assert_eq!(index.find("ListBucket", name), Some(3));
        assert_eq!(index.find("", name), Some(4));
        assert_eq!(index.find("ListBuckets", name), None);
        assert_eq!(index.find("GetObjéct", name), None);
        let empty = NameIndex::default();
        assert_eq!(empty.find("x", name), None);
        let none = NameIndex::build(0, name);
        assert_eq!(none.find("x", name), None);
    }
}

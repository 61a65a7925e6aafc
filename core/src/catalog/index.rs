//! A case-insensitive hash index from names to ids (services by prefix, a service's actions by
//! name). Rules look names up many thousands of times per policy; a binary search comparing
//! byte by byte without case was the largest single cost of the analysis. This index answers
//! with one hash of the name and (almost always) one comparison, and allocates nothing.
//!
//! The index keeps its own copy of the names, next to each other: a lookup reads its slot and
//! then the name's bytes, and nothing else. Comparing against the catalog's records instead
//! (the service or action record, then its name span, then the text) cost a cache miss at
//! each step, and that chain was most of the time of expanding a policy's plain action names.

/// Open addressing with linear probing. The table is at least twice as large as the number of
/// names, so probe runs stay short.
#[derive(Default)]
pub(crate) struct NameIndex {
    slots: Vec<Slot>,
    /// Every indexed name, each followed by [`END`].
    names: Vec<u8>,
}

/// One entry of the table: `id + 1` (0 marks an empty slot) and where its name starts in
/// `names`.
#[derive(Clone, Copy, Default)]
struct Slot {
    id: u32,
    start: u32,
}

/// Ends each name in `names`: a byte that never occurs in UTF-8 text, so a name that is a
/// prefix of the key never compares equal to it.
const END: u8 = 0xff;

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
        // The names' bytes are counted first: grown from empty, they were copied several times.
        let bytes: usize = (0..n as u32).map(|id| name(id).len() + 1).sum();
        let mut index = NameIndex {
            slots: vec![Slot::default(); size],
            names: Vec::with_capacity(bytes),
        };
        for id in 0..n as u32 {
            let key = name(id);
            let mut i = hash_ignore_case(key) & mask;
            loop {
                let slot = index.slots[i];
                if slot.id == 0 {
                    // Names are far shorter than 4 GB: a catalog's names together are a few
                    // hundred KB. One that does not fit is left out of the index.
                    if let Ok(start) = u32::try_from(index.names.len()) {
                        index.names.extend_from_slice(key.as_bytes());
                        index.names.push(END);
                        index.slots[i] = Slot { id: id + 1, start };
                    }
                    break;
                }
                if index.holds(slot, key) {
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        index
    }

    /// True when the name of `slot` equals `key` without ASCII case.
    fn holds(&self, slot: Slot, key: &str) -> bool {
        let start = slot.start as usize;
        self.names
            .get(start..start + key.len() + 1)
            .is_some_and(|stored| {
                stored[key.len()] == END && stored[..key.len()].eq_ignore_ascii_case(key.as_bytes())
            })
    }

    /// The id whose name equals `key` without ASCII case, if any.
    pub fn find(&self, key: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash_ignore_case(key) & mask;
        loop {
            let slot = self.slots[i];
            if slot.id == 0 {
                return None;
            }
            if self.holds(slot, key) {
                return Some(slot.id - 1);
            }
            i = (i + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_without_case() {
        let names = ["GetObject", "PutObject", "getobject", "ListBucket", ""];
        let name = |id: u32| names[id as usize];
        let index = NameIndex::build(names.len(), name);
        assert_eq!(index.find("GETOBJECT"), Some(0), "the first of equal names");
        assert_eq!(index.find("putobject"), Some(1));
        assert_eq!(index.find("ListBucket"), Some(3));
        assert_eq!(index.find(""), Some(4));
        assert_eq!(index.find("ListBuckets"), None);
        // A stored name that the key extends, or that extends the key, is another name.
        assert_eq!(index.find("ListBucke"), None);
        assert_eq!(index.find("GetObjectAcl"), None);
        assert_eq!(index.find("GetObjéct"), None);
        let empty = NameIndex::default();
        assert_eq!(empty.find("x"), None);
        let none = NameIndex::build(0, name);
        assert_eq!(none.find("x"), None);
    }
}

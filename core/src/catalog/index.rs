//! A case-insensitive hash index from names to ids (services by prefix, a service's actions by
//! name). Rules look names up many thousands of times per policy; a binary search comparing
//! byte by byte without case was the largest single cost of the analysis. This index answers
//! with one hash of the name and (almost always) one comparison, and allocates nothing.
//!
//! The table's slots point into a text that holds the names next to each other, each followed
//! by an end mark: a lookup reads its slot and then the name's bytes, and nothing else.
//! Comparing against the catalog's records instead (the service or action record, then its name
//! span, then the text) cost a cache miss at each step, and that chain was most of the time of
//! expanding a policy's plain action names. [`NameIndex`] keeps its own copy of the names;
//! [`NameSlots`] is the table alone, over a text kept by its owner: a service's action table
//! writes its names so once, for its own `name()` and for the index (a second copy of every
//! decoded action's name, in the index, was a sixth of the memory of decoding a service's
//! actions, and of the page faults of touching it).

/// Open addressing with linear probing over names in its own text. The table is at least twice
/// as large as the number of names, so probe runs stay short.
#[derive(Default)]
pub(crate) struct NameIndex {
    slots: NameSlots<OWN_END>,
    /// Every indexed name, each followed by [`OWN_END`].
    names: Vec<u8>,
}

/// The table of a [`NameIndex`] without the names: its owner keeps them in a text, each followed
/// by `END`, and hands that text to [`NameSlots::find`].
pub(crate) struct NameSlots<const END: u8> {
    slots: Vec<Slot>,
}

impl<const END: u8> Default for NameSlots<END> {
    fn default() -> Self {
        NameSlots { slots: Vec::new() }
    }
}

/// One entry of the table: `id + 1` (0 marks an empty slot) and where its name starts in the
/// names' text.
#[derive(Clone, Copy, Default)]
struct Slot {
    id: u32,
    start: u32,
}

/// Ends each name in a [`NameIndex`]'s own text: a byte that never occurs in UTF-8 text, so a
/// name that is a prefix of the key never compares equal to it.
const OWN_END: u8 = 0xff;

/// Ends each name in a text that must stay a `String` (a service's action names, which every
/// rule reads as `&str`): NUL, which no catalog name holds (a test checks). A key that holds NUL
/// can then run on past a stored name's end and equal it and the names after it (`Get\0Put`):
/// a name found over such a text is the key's only when it is as long as the key, which the
/// owner, who knows the names' lengths, checks ([`super::decode::ServiceActions::find`]).
pub(crate) const TEXT_END: u8 = 0;

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
        // The names' bytes are counted first: grown from empty, they were copied several times.
        let bytes: usize = (0..n as u32).map(|id| name(id).len() + 1).sum();
        let mut names = Vec::with_capacity(bytes);
        let mut starts = Vec::with_capacity(n);
        for id in 0..n as u32 {
            // Names are far shorter than 4 GB: a catalog's names together are a few hundred KB.
            // One that does not fit is left out of the index.
            starts.push(u32::try_from(names.len()).ok());
            names.extend_from_slice(name(id).as_bytes());
            names.push(OWN_END);
        }
        let slots = NameSlots::build(n, &names, |id| {
            starts[id as usize].map(|start| (start, name(id)))
        });
        NameIndex { slots, names }
    }

    /// The id whose name equals `key` without ASCII case, if any.
    pub fn find(&self, key: &str) -> Option<u32> {
        self.slots.find(&self.names, key)
    }
}

impl<const END: u8> NameSlots<END> {
    /// Indexes names `0..n` of `text`: `at(id)` gives where name `id` starts in `text` and the
    /// name (`text` holds it there, followed by `END`), or `None` to leave it out. When two names
    /// are equal without case, the lower id wins, as it is found first.
    pub fn build<'n>(
        n: usize,
        text: &[u8],
        at: impl Fn(u32) -> Option<(u32, &'n str)>,
    ) -> NameSlots<END> {
        let size = (n * 2).next_power_of_two().max(2);
        let mask = size - 1;
        let mut index = NameSlots {
            slots: vec![Slot::default(); size],
        };
        for id in 0..n as u32 {
            let Some((start, key)) = at(id) else {
                continue;
            };
            let mut i = hash_ignore_case(key) & mask;
            loop {
                let slot = index.slots[i];
                if slot.id == 0 {
                    index.slots[i] = Slot { id: id + 1, start };
                    break;
                }
                if holds::<END>(text, slot, key) {
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        index
    }

    /// The id whose name in `text` (the text the table was built over) equals `key` without
    /// ASCII case, if any; over a text whose `END` is [`TEXT_END`], see there for a key that
    /// holds NUL.
    pub fn find(&self, text: &[u8], key: &str) -> Option<u32> {
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
            if holds::<END>(text, slot, key) {
                return Some(slot.id - 1);
            }
            i = (i + 1) & mask;
        }
    }
}

/// True when the text at `slot`'s name holds `key` without ASCII case, then `END`.
fn holds<const END: u8>(text: &[u8], slot: Slot, key: &str) -> bool {
    let start = slot.start as usize;
    text.get(start..start + key.len() + 1)
        .is_some_and(|stored| {
            stored[key.len()] == END && stored[..key.len()].eq_ignore_ascii_case(key.as_bytes())
        })
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

    /// Names in a text that ends each with [`TEXT_END`], found as [`NameSlots`] finds them and
    /// kept only when as long as the key (the owner's check, as an action table makes it).
    fn find_in_text(names: &[String], key: &str) -> Option<u32> {
        let mut text = Vec::new();
        let mut starts = Vec::new();
        for name in names {
            starts.push(text.len() as u32);
            text.extend_from_slice(name.as_bytes());
            text.push(TEXT_END);
        }
        let slots = NameSlots::<TEXT_END>::build(names.len(), &text, |id| {
            Some((starts[id as usize], names[id as usize].as_str()))
        });
        slots
            .find(&text, key)
            .filter(|&id| names[id as usize].len() == key.len())
    }

    #[test]
    fn a_key_running_past_a_name_in_text_is_not_found() {
        let names: Vec<String> = ["GetObject", "PutObject", "Get"].map(String::from).into();
        assert_eq!(find_in_text(&names, "getobject"), Some(0));
        assert_eq!(find_in_text(&names, "GET"), Some(2));
        for key in [
            "GetObject\0",
            "GetObject\0PutObject",
            "Get\0Object",
            "\0",
            "",
        ] {
            assert_eq!(find_in_text(&names, key), None, "{key:?}");
        }
    }

    proptest::proptest! {
        /// Both kinds of table answer as a scan of the names in id order does: the first name
        /// equal to the key without ASCII case (names and keys hold no NUL in the catalog, but
        /// here they may: the end mark of a text of names).
        #[test]
        fn finds_as_a_scan_of_the_names_does(
            names in proptest::collection::vec("[aAbB\\x00é]{0,19}", 0..40),
            keys in proptest::collection::vec("[aAbB\\x00é]{0,19}", 0..20),
        ) {
            let index = NameIndex::build(names.len(), |id| names[id as usize].as_str());
            // Over a NUL-ended text, a name that holds NUL is not told apart from the names
            // after it; catalog names hold none, and neither do these.
            let plain: Vec<String> = names.iter().filter(|n| !n.contains('\0')).cloned().collect();
            let scan = |names: &[String], key: &str| {
                names.iter().position(|n| n.eq_ignore_ascii_case(key)).map(|i| i as u32)
            };
            for key in keys.iter().chain(&names) {
                proptest::prop_assert_eq!(index.find(key), scan(&names, key), "{:?}", key);
                proptest::prop_assert_eq!(find_in_text(&plain, key), scan(&plain, key), "{:?}", key);
            }
        }
    }
}

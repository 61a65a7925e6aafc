use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use crate::arn::CompiledList;
use crate::diagnostic::{Category, Fix};
use crate::fast_hash::{FastHasher, FastMap};
use crate::fix::edit::remove_array_item;
use crate::policy::StringList;
use crate::rules::support::actions::array_index;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "REDUNDANT_ACTION",
        category: Category::Suggestion,
        summary: "An action is already covered by another entry of the same list.",
        explanation: "When a list holds both `s3:GetObject` and `s3:Get*`, or the same action \
            twice, the narrower entry adds nothing: the policy means the same without it. \
            Removing it makes the policy shorter and easier to review. Action names are compared \
            without regard to case, as IAM does. The fix removes the entry and keeps the list's \
            formatting.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:PutObject"], "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for statement in &cx.policy.statements {
        for list in [&statement.action, &statement.not_action]
            .into_iter()
            .flatten()
        {
            report_list(cx, sink, list);
        }
    }
}

/// For each item covered by another, name the entry that covers it. When two entries cover
/// each other (duplicates), only the later one is redundant.
///
/// Only a pattern (with `*`, `?` or a variable) can cover a different entry; a plain entry only
/// covers its own duplicates (names equal, ignoring ASCII case when `fold_case`, as for
/// actions). `covers(a, b)` (entry indexes) may only hold when `a`'s literal start (before any
/// wildcard or variable) begins `b`'s, compared the same way (true of
/// [`crate::arn::arn_pattern_covers`] and [`crate::arn::action_pattern_covers`]); so each entry
/// is only compared with the patterns whose start begins its own. A long list finds them in one
/// sorted sweep (see [`Record`]): every entry's key and every pattern's start are sorted
/// together, and the starts that begin the current key are kept as a chain while the sweep
/// goes; equal names meet there too, next to each other, so duplicates need no hash map. This
/// keeps lists of thousands of actions or ARNs fast. A pattern whose start fits is still only
/// compared when the entry holds its anchor (see [`Anchors`] and [`holds_anchor`]): most such
/// pairs (`arn:aws:ec2:*:*:instance/*` and `arn:aws:ec2:*:*:volume/*`) fail there, before
/// `covers` compiles either of them.
pub fn covered_items(
    values: &[&str],
    covers: impl Fn(usize, usize) -> bool,
    fold_case: bool,
) -> Vec<(usize, usize)> {
    if values.len() <= SMALL_LIST {
        return covered_items_small(values, covers, fold_case);
    }
    // Each entry's literal start and whether it is a pattern, from one scan of each entry.
    let info: Vec<(usize, bool)> = values
        .iter()
        .map(|v| crate::arn::literal_prefix_and_pattern(v))
        .collect();
    // Each pattern's anchor, found once for the anchor lookup and the test before `covers`.
    let anchor_of: Vec<Option<&str>> = values
        .iter()
        .zip(&info)
        .map(|(value, &(start, pattern))| pattern.then(|| Anchors::anchor(value, start)).flatten())
        .collect();
    let anchors = Anchors::new(&anchor_of, fold_case);
    // The keys names are compared by: the values themselves, or all of them lower-cased (ASCII)
    // into one buffer, in one pass.
    let lowered: Vec<u8> = if fold_case {
        let mut all = Vec::with_capacity(values.iter().map(|v| v.len()).sum());
        for value in values {
            all.extend_from_slice(value.as_bytes());
        }
        all.make_ascii_lowercase();
        all
    } else {
        Vec::new()
    };
    let mut keys: Vec<&[u8]> = Vec::with_capacity(values.len());
    let mut at = 0;
    for value in values {
        keys.push(if fold_case {
            &lowered[at..at + value.len()]
        } else {
            value.as_bytes()
        });
        at += value.len();
    }
    let mut records = Vec::with_capacity(values.len() * 2);
    for (i, (&key, &(start, pattern))) in keys.iter().zip(&info).enumerate() {
        if pattern {
            let kind = if anchors.is_some() && anchor_of[i].is_some() {
                Kind::AnchoredStart
            } else {
                Kind::Start
            };
            records.push(Record::new(key.get(..start).unwrap_or(key), kind, i));
        }
        records.push(Record::new(key, Kind::Entry, i));
    }
    // Stable: records of equal key and kind stay in list order, so the first of equal names is
    // the first of its run, and a group's patterns are in list order. (Lists are often sorted
    // already, in runs, which a stable sort merges rather than sorts again.)
    records.sort_by(|a, b| {
        a.head
            .cmp(&b.head)
            .then_with(|| a.key.cmp(b.key))
            .then(a.kind.cmp(&b.kind))
    });
    let mut found: Vec<Option<u32>> = vec![None; values.len()];
    // The groups of equal starts that begin the current key, shortest first.
    let mut chain: Vec<Group<'_>> = Vec::new();
    // The last entry's key and the first index of its run of equal keys.
    let mut run: Option<(&[u8], u32)> = None;
    let mut candidates = Vec::new();
    for (at, record) in records.iter().enumerate() {
        // In sorted order the texts a start begins follow it without a gap: once a key does not
        // begin with a start, no later key does.
        while chain
            .last()
            .is_some_and(|g| !record.key.starts_with(g.start))
        {
            chain.pop();
        }
        if record.kind != Kind::Entry {
            match chain.last_mut() {
                Some(group) if group.start == record.key => {
                    group.end = at + 1;
                    if record.kind == Kind::Start {
                        group.unanchored_end = at + 1;
                    }
                }
                _ => chain.push(Group {
                    start: record.key,
                    from: at,
                    unanchored_end: if record.kind == Kind::Start {
                        at + 1
                    } else {
                        at
                    },
                    end: at + 1,
                }),
            }
            continue;
        }
        let i = record.index as usize;
        let first = match run {
            Some((key, first)) if key == record.key => Some(first),
            _ => {
                run = Some((record.key, record.index));
                None
            }
        };
        candidates.clear();
        match &anchors {
            Some(anchors) if values[i].is_ascii() => {
                for group in &chain {
                    let members = &records[group.from..group.unanchored_end];
                    candidates.extend(members.iter().map(|r| r.index as usize));
                }
                anchors.patterns_for(&keys, &info, record.key, &mut candidates);
            }
            _ => {
                for group in &chain {
                    let members = &records[group.from..group.end];
                    candidates.extend(members.iter().map(|r| r.index as usize));
                }
            }
        }
        // Sorting restores list order, so the first coverer wins.
        candidates.sort_unstable();
        candidates.dedup();
        let value = values[i];
        let by_pattern = candidates.iter().copied().find(|&j| {
            j != i
                && holds_anchor(anchor_of[j], value, fold_case)
                && covers(j, i)
                && (j < i || !covers(i, j))
        });
        found[i] = by_pattern.map(|j| j as u32).or(first);
    }
    found
        .into_iter()
        .enumerate()
        .filter_map(|(i, j)| Some((i, j? as usize)))
        .collect()
}

/// One line of [`covered_items`]'s sweep: an entry under its key (the whole name, lower-cased
/// when names ignore case), or a pattern under its literal start. A start contains no `*`,
/// `?` or `$`, where an entry's literal start ends, so it begins an entry's key exactly when it
/// begins the entry's literal start. Sorted by key, then kind: a start comes before the
/// entries it begins (an entry equal to it included), and all the texts it begins follow it
/// without a gap.
struct Record<'k> {
    /// The key's first sixteen bytes as big-endian numbers, zero-padded: when two heads differ,
    /// they order their keys as the keys themselves compare (where they differ, at least one
    /// holds a byte of its own, and a zero of padding is below it or begins a longer key), so
    /// most comparisons of the sort take two integer compares instead of a call to compare
    /// slices. Equal heads fall back to the keys.
    head: (u64, u64),
    key: &'k [u8],
    kind: Kind,
    index: u32,
}

impl<'k> Record<'k> {
    fn new(key: &'k [u8], kind: Kind, index: usize) -> Self {
        // Whole words where the key is long enough, else shifted in byte by byte: a copy of a
        // variable length into a padded array is a call to memcpy.
        let word = |at: usize| match key.get(at..at + 8) {
            Some(w) => u64::from_be_bytes(w.try_into().unwrap_or_default()),
            None => key
                .get(at..)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .fold(0, |w, (k, &b)| w | u64::from(b) << (56 - 8 * k)),
        };
        Record {
            head: (word(0), word(8)),
            key,
            kind,
            index: index as u32,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// The start of a pattern that [`Anchors`] does not look up.
    Start,
    /// The start of a pattern that [`Anchors`] looks up for ASCII entries.
    AnchoredStart,
    Entry,
}

/// The patterns with one literal start: `records[from..end]`, of which those up to
/// `unanchored_end` are [`Kind::Start`].
struct Group<'k> {
    start: &'k [u8],
    from: usize,
    unanchored_end: usize,
    end: usize,
}

/// Lists up to this long (most of them) are searched directly, without a sweep.
const SMALL_LIST: usize = 8;

/// [`covered_items`] for a short list: the same answers, by trying every entry.
fn covered_items_small(
    values: &[&str],
    covers: impl Fn(usize, usize) -> bool,
    fold_case: bool,
) -> Vec<(usize, usize)> {
    let mut info = [("", false); SMALL_LIST];
    for (slot, value) in info.iter_mut().zip(values) {
        let (start, pattern) = crate::arn::literal_prefix_and_pattern(value);
        *slot = (value.get(..start).unwrap_or(value), pattern);
    }
    let same = |a: &[u8], b: &[u8]| {
        if fold_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let mut out = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let own = info[i].0.as_bytes();
        // The patterns whose literal start begins this entry's, in list order. (Their anchors
        // are found only here: in most short lists no start fits.)
        let by_pattern = (0..values.len()).find(|&j| {
            let (theirs, pattern) = info[j];
            j != i
                && pattern
                && own
                    .get(..theirs.len())
                    .is_some_and(|head| same(head, theirs.as_bytes()))
                && holds_anchor(Anchors::anchor(values[j], theirs.len()), value, fold_case)
                && covers(j, i)
                && (j < i || !covers(i, j))
        });
        let first = || (0..i).find(|&j| same(values[j].as_bytes(), value.as_bytes()));
        if let Some(j) = by_pattern.or_else(first) {
            out.push((i, j));
        }
    }
    out
}

/// For long lists of patterns sharing a literal start (`arn:aws:ec2:*:*:instance/*`,
/// `arn:aws:ec2:*:*:volume/*`, ...), which the sweep's chain of starts cannot tell apart: each
/// pattern's anchor is the end (up to 12 bytes) of its longest literal piece after the start,
/// and a pattern can only cover an entry that contains its anchor. (A literal character of a
/// pattern only ever covers the same literal character, so each literal piece of the covering
/// pattern appears in the covered entry; for ASCII text without `$`, literally, and in lower
/// case when names ignore case.) ASCII entries then look up the anchors among their own
/// substrings instead of trying every anchored pattern; the sweep gives them only the patterns
/// without an anchor (no piece after the start, non-ASCII, or with `$`).
struct Anchors {
    by_anchor: FastMap<Vec<u8>, Vec<usize>>,
    /// The distinct anchor lengths.
    lengths: Vec<usize>,
}

impl Anchors {
    /// Below this many anchored patterns, trying each pattern is cheaper.
    const MIN_ANCHORED: usize = 32;
    const MAX_ANCHOR: usize = 12;

    /// `anchor_of`: each pattern's [`Anchors::anchor`] (None for the other entries).
    fn new(anchor_of: &[Option<&str>], fold_case: bool) -> Option<Anchors> {
        // Counted first, so that the usual short list allocates nothing here.
        let count = anchor_of.iter().filter(|a| a.is_some()).count();
        if count < Self::MIN_ANCHORED {
            return None;
        }
        let mut by_anchor: FastMap<Vec<u8>, Vec<usize>> = FastMap::default();
        let mut lengths = Vec::new();
        for (i, anchor) in anchor_of.iter().enumerate() {
            let Some(anchor) = anchor else { continue };
            if !lengths.contains(&anchor.len()) {
                lengths.push(anchor.len());
            }
            let anchor = key(anchor, fold_case).into_owned();
            by_anchor.entry(anchor).or_default().push(i);
        }
        Some(Anchors { by_anchor, lengths })
    }

    /// The end (up to [`Self::MAX_ANCHOR`] bytes) of the longest piece of `value` after
    /// `start` between wildcards (the last of the longest), if the value is ASCII without `$`
    /// and such a piece is not empty. One pass over the bytes: this runs for every pattern of
    /// a long list and for each pattern a short list's entry is compared with.
    fn anchor(value: &str, start: usize) -> Option<&str> {
        if !value.is_ascii() {
            return None;
        }
        let bytes = value.as_bytes();
        let (mut best, mut from) = ((0, 0), start);
        for (k, &b) in bytes.iter().enumerate().skip(start) {
            match b {
                b'$' => return None,
                b'*' | b'?' => {
                    if k - from >= best.1 - best.0 {
                        best = (from, k);
                    }
                    from = k + 1;
                }
                _ => {}
            }
        }
        if bytes.len().saturating_sub(from) >= best.1 - best.0 {
            best = (from, bytes.len().max(from));
        }
        if best.1 == best.0 || bytes[..start.min(bytes.len())].contains(&b'$') {
            return None;
        }
        value.get(best.1.saturating_sub(Self::MAX_ANCHOR).max(best.0)..best.1)
    }

    /// Append the anchored patterns that may cover the ASCII entry whose key is `text`: those
    /// whose anchor it contains and whose start begins it. A pattern may be appended more than
    /// once.
    fn patterns_for(
        &self,
        keys: &[&[u8]],
        info: &[(usize, bool)],
        text: &[u8],
        out: &mut Vec<usize>,
    ) {
        let begins = |j: usize| text.starts_with(keys[j].get(..info[j].0).unwrap_or_default());
        for &len in &self.lengths {
            for window in text.windows(len) {
                if let Some(found) = self.by_anchor.get(window) {
                    out.extend(found.iter().copied().filter(|&j| begins(j)));
                }
            }
        }
    }
}

/// False when a pattern with this anchor ([`Anchors::anchor`]) cannot cover the entry `value`:
/// the entry is ASCII and does not contain the anchor (in any case, when names ignore case).
/// True when there is no anchor or the entry is not ASCII, where the argument of [`Anchors`]
/// does not hold; `covers` then decides. Only asked about a pattern whose start fits, so that
/// most entries are never scanned here.
fn holds_anchor(anchor: Option<&str>, value: &str, fold_case: bool) -> bool {
    let Some(anchor) = anchor.map(str::as_bytes) else {
        return true;
    };
    if !value.is_ascii() {
        return true;
    }
    // The anchor is not empty ([`Anchors::anchor`]); its first byte rules out most places. (A
    // search with setup, such as `memchr::memmem`, costs more on these short texts.)
    let text = value.as_bytes();
    if !fold_case {
        let first = anchor[0];
        return text
            .windows(anchor.len())
            .any(|w| w[0] == first && w == anchor);
    }
    let first = anchor[0].to_ascii_lowercase();
    text.windows(anchor.len())
        .any(|w| w[0].to_ascii_lowercase() == first && w.eq_ignore_ascii_case(anchor))
}

/// The bytes names are compared by: lower case (ASCII) when `fold_case`.
fn key(text: &str, fold_case: bool) -> Cow<'_, [u8]> {
    if fold_case && text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.as_bytes().to_ascii_lowercase())
    } else {
        Cow::Borrowed(text.as_bytes())
    }
}

/// A list entry as a hash key, for [`name_hash`]: names equal but for ASCII case hash the same
/// when `fold_case`.
struct Name<'a> {
    text: &'a str,
    fold_case: bool,
}

impl Hash for Name<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Eight bytes at a time. With `fold_case` every byte gets its 0x20 bit set, which maps
        // each ASCII capital to its small letter: names equal but for case hash the same
        // (other characters may collide, which only costs a comparison).
        let mask = if self.fold_case {
            0x2020_2020_2020_2020
        } else {
            0
        };
        let bytes = self.text.as_bytes();
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            state.write_u64(u64::from_le_bytes(w) | mask);
        }
        let rest = words.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        state.write_u64((u64::from_le_bytes(w) | mask) ^ ((rest.len() as u64) << 59));
    }
}

/// A hash of `text`, equal for texts equal but for ASCII case when `fold_case`, for cheap
/// signatures of sets of names.
pub(crate) fn name_hash(text: &str, fold_case: bool) -> u64 {
    let mut hasher = FastHasher::default();
    Name { text, fold_case }.hash(&mut hasher);
    hasher.finish()
}

fn report_list(cx: &Context<'_>, sink: &mut Sink<'_>, list: &StringList<'_>) {
    let values: Vec<&str> = list.items.iter().map(|i| i.value).collect();
    report_redundant(
        cx,
        sink,
        list,
        &values,
        &CompiledList::actions(&values),
        true,
    );
}

/// Report every entry of `list` that another entry repeats or covers, pointing at the one that
/// covers it, with a safe fix removing it. Shared with REDUNDANT_RESOURCE: `compiled` holds the
/// list's patterns and `fold_case` is how two names compare (ignoring ASCII case for actions,
/// exactly for ARNs).
pub fn report_redundant(
    cx: &Context<'_>,
    sink: &mut Sink<'_>,
    list: &StringList<'_>,
    values: &[&str],
    compiled: &CompiledList,
    fold_case: bool,
) {
    let element = &list.key().value;
    let covered = covered_items(values, |a, b| compiled.covers(a, b), fold_case);
    if covered.is_empty() {
        return;
    }
    // Each item's position in the array, found in one walk (the items are the array's string
    // nodes in order) rather than one search per finding.
    let mut positions = vec![None; list.items.len()];
    if let Some(nodes) = list.value().and_then(|array| array.as_array()) {
        let mut k = 0;
        for (position, node) in nodes.iter().enumerate() {
            if list
                .items
                .get(k)
                .is_some_and(|item| std::ptr::eq(node, item.node))
            {
                positions[k] = Some(position);
                k += 1;
            }
        }
    }
    for (i, j) in covered {
        let item = &list.items[i];
        let twice = if fold_case {
            values[i].eq_ignore_ascii_case(values[j])
        } else {
            values[i] == values[j]
        };
        let how = if twice {
            "is listed twice".to_string()
        } else {
            format!("is already covered by \"{}\"", values[j])
        };
        let d = sink.report(
            item.inner_span(),
            format!(
                "\"{}\" {how} in this {element} list, so it adds nothing; remove it.",
                values[i]
            ),
        );
        d.related.push(crate::diagnostic::Related {
            span: list.items[j].inner_span(),
            message: format!("\"{}\" covers it", values[j]),
        });
        let index = positions[i].or_else(|| array_index(list, item));
        let edit = list
            .value()
            .zip(index)
            .and_then(|(array, index)| remove_array_item(cx.text, array, index));
        if let Some(edit) = edit {
            d.fixes.push(Fix::safe(
                format!("Remove the redundant \"{}\"", values[i]),
                vec![edit],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_covered_and_duplicate_actions_with_fixes() {
        let text = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\n  \"s3:GetObject\",\n  \"s3:Get*\",\n  \"s3:PutObject\",\n  \"S3:PUTOBJECT\"\n], \"Resource\": \"*\"}]}";
        let found = findings_of(text, "identity", "REDUNDANT_ACTION");
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, ["s3:GetObject", "S3:PUTOBJECT"]);
        assert!(found[0].message.contains("covered by \"s3:Get*\""));
        assert!(found[1].message.contains("listed twice"));
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert_eq!(
            fixed,
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\n  \"s3:Get*\",\n  \"s3:PutObject\",\n  \"S3:PUTOBJECT\"\n], \"Resource\": \"*\"}]}"
        );
        let fixed = found[1].fixes[0].apply(text).unwrap();
        assert!(
            fixed.ends_with("\"s3:PutObject\"\n], \"Resource\": \"*\"}]}"),
            "{fixed}"
        );
    }

    #[test]
    fn star_covers_everything_in_not_action_too() {
        let text =
            r#"{"Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "*"], "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "identity", "REDUNDANT_ACTION"), ["iam:*"]);
    }

    #[test]
    fn overlapping_but_not_covering_patterns_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:*Object", "ec2:GetObject"], "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", "REDUNDANT_ACTION").is_empty());
        // The same action in two statements is not this rule's business.
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        assert!(findings_of(text, "identity", "REDUNDANT_ACTION").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn the_prefix_index_finds_what_comparing_every_pair_finds(
            // Long enough lists for the anchor lookup to take over (32 anchored patterns).
            picks in proptest::collection::vec(0usize..26, 0..90),
            fold_case: bool,
        ) {
            const NAMES: [&str; 26] = [
                "s3:Get*", "s3:GetObject", "S3:getobject", "s3:*", "*", "s3:Get?bject",
                "s3:G*t", "ec2:Describe*", "ec2:DescribeInstances", "s3:${v}*", "s3:",
                "s", "s*", "s3:GetObject*", "s3:*Object", "S3:*OBJECT*", "s3:*object?",
                "s3:Get*Obj*ct", "arn:aws:ssm:*::document/A-*", "arn:aws:ssm:*::document/*-x",
                "arn:aws:ssm:us-east-1::document/A-x", "arn:aws:ssm:*::document/A-x",
                "arn:aws:ssm:*:*:*", "arn:aws:ssm:*::document/\u{e9}*", "s3:*\u{c9}",
                "s3:get\u{e9}",
            ];
            let values: Vec<&str> = picks.iter().map(|&k| NAMES[k]).collect();
            let covers = |a: usize, b: usize| plain_covers(&values, fold_case, a, b);
            proptest::prop_assert_eq!(
                super::covered_items(&values, covers, fold_case),
                plain_covered(&values, fold_case)
            );
        }

        /// Entries glued from pieces that share starts and literal runs, so that starts fit
        /// and anchors decide, with `*`, `?`, variables, a lone `$`, escapes, case variants
        /// and non-ASCII (the Kelvin sign folds to `k`): the anchor test before `covers` and
        /// the indexes must give the pairs of comparing every pair, in short lists and in
        /// long ones (up to 70 entries: past the anchor lookup's 32 anchored patterns).
        #[test]
        fn random_lists_give_the_pairs_of_comparing_every_pair(
            entries in proptest::collection::vec(
                proptest::collection::vec(0usize..PIECES.len(), 1..6), 0..70),
            fold_case: bool,
        ) {
            let texts: Vec<String> = entries.iter().map(|e| glue(e)).collect();
            let values: Vec<&str> = texts.iter().map(String::as_str).collect();
            let covers = |a: usize, b: usize| plain_covers(&values, fold_case, a, b);
            proptest::prop_assert_eq!(
                super::covered_items(&values, covers, fold_case),
                plain_covered(&values, fold_case)
            );
        }

        /// The rule itself on such lists in Action and NotAction: one finding per pair of
        /// comparing every pair, on the covered entry, pointing at the covering one.
        #[test]
        fn findings_in_action_and_not_action_follow_the_plain_pairs(
            entries in proptest::collection::vec(
                proptest::collection::vec(0usize..PIECES.len(), 1..5), 0..40),
            not_action: bool,
        ) {
            let texts: Vec<String> = entries.iter().map(|e| glue(e)).collect();
            let values: Vec<&str> = texts.iter().map(String::as_str).collect();
            let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
            let element = if not_action { "NotAction" } else { "Action" };
            let text = format!(
                r#"{{"Statement": [{{"Effect": "Allow", "{element}": [{}], "Resource": "*"}}]}}"#,
                quoted.join(", ")
            );
            let found = findings_of(&text, "identity", "REDUNDANT_ACTION");
            let got: Vec<(&str, &str)> = found
                .iter()
                .map(|d| (d.span.slice(&text), d.related[0].span.slice(&text)))
                .collect();
            let want: Vec<(&str, &str)> = plain_covered(&values, true)
                .into_iter()
                .map(|(i, j)| (values[i], values[j]))
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        /// The sweep (which replaced a prefix index searched once per entry and a hash map of
        /// names; the two were compared on these lists before the index went) against comparing
        /// every pair, on glued lists (up to 120 entries: short lists, long ones, past 32
        /// anchored patterns) with some entries repeated later in the list, in another case
        /// half of the time.
        #[test]
        fn the_sweep_gives_the_pairs_of_comparing_every_pair_with_repeats(
            entries in proptest::collection::vec(
                proptest::collection::vec(0usize..PIECES.len(), 1..6), 0..120),
            repeats in proptest::collection::vec((0usize..1000, proptest::bool::ANY), 0..30),
            fold_case: bool,
        ) {
            let mut texts: Vec<String> = entries.iter().map(|e| glue(e)).collect();
            for &(k, upper) in &repeats {
                if !texts.is_empty() {
                    let text = texts[k % texts.len()].clone();
                    texts.push(if upper { text.to_ascii_uppercase() } else { text });
                }
            }
            let values: Vec<&str> = texts.iter().map(String::as_str).collect();
            let covers = |a: usize, b: usize| plain_covers(&values, fold_case, a, b);
            proptest::prop_assert_eq!(
                super::covered_items(&values, covers, fold_case),
                plain_covered(&values, fold_case)
            );
        }

    }

    proptest::proptest! {
        // Each case runs both rules over a whole policy: fewer cases than the list tests.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Both rules on random statement sets: one to four statements, each with Action or
        /// NotAction and Resource or NotResource lists drawn from a small pool (so that entries
        /// repeat within and across statements), in mixed case, some with a Condition: the
        /// findings, their order, messages and fixes follow the plain pairs, list by list.
        /// (Checked against the prefix index the sweep replaced, too, before it went.)
        #[test]
        fn findings_on_statement_sets_follow_the_plain_pairs(
            statements in proptest::collection::vec(
                (
                    proptest::collection::vec((0usize..POOL, proptest::bool::ANY), 0..30),
                    proptest::bool::ANY,
                    proptest::collection::vec(0usize..POOL, 0..20),
                    proptest::bool::ANY,
                    proptest::bool::ANY,
                ),
                1..5,
            ),
            seed in proptest::collection::vec(0usize..PIECES.len(), POOL * 3),
        ) {
            // The pool: entries glued from one to three pieces.
            let pool: Vec<String> = (0..POOL)
                .map(|k| glue(&seed[k * 3..k * 3 + 1 + k % 3]))
                .collect();
            let mut lists: Vec<(bool, Vec<String>, bool, Vec<String>)> = Vec::new();
            let mut body = Vec::new();
            for (actions, not_action, resources, not_resource, condition) in &statements {
                let actions: Vec<String> = actions
                    .iter()
                    .map(|&(k, upper)| {
                        if upper { pool[k].to_ascii_uppercase() } else { pool[k].clone() }
                    })
                    .collect();
                let resources: Vec<String> = resources.iter().map(|&k| pool[k].clone()).collect();
                let quote = |list: &[String]| {
                    list.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
                };
                let condition = if *condition {
                    r#", "Condition": {"StringLike": {"aws:PrincipalTag/team": ["a*", "a*"]}}"#
                } else {
                    ""
                };
                body.push(format!(
                    r#"{{"Effect": "Allow", "{}": [{}], "{}": [{}]{condition}}}"#,
                    if *not_action { "NotAction" } else { "Action" },
                    quote(&actions),
                    if *not_resource { "NotResource" } else { "Resource" },
                    quote(&resources),
                ));
                lists.push((*not_action, actions, *not_resource, resources));
            }
            let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, body.join(", "));
            for (code, actions) in [("REDUNDANT_ACTION", true), ("REDUNDANT_RESOURCE", false)] {
                let found = findings_of(&text, "identity", code);
                let got: Vec<(String, &str, &str, Option<String>)> = found
                    .iter()
                    .map(|d| {
                        (
                            d.message.clone(),
                            d.span.slice(&text),
                            d.related[0].span.slice(&text),
                            d.fixes.first().and_then(|f| f.apply(&text)),
                        )
                    })
                    .collect();
                let mut want_pairs = Vec::new();
                for (_, acts, _, ress) in &lists {
                    let list = if actions { acts } else { ress };
                    let values: Vec<&str> = list.iter().map(String::as_str).collect();
                    for (i, j) in plain_covered(&values, actions) {
                        want_pairs.push((list[i].clone(), list[j].clone()));
                    }
                }
                let got_pairs: Vec<(String, String)> = got
                    .iter()
                    .map(|(_, span, related, _)| (span.to_string(), related.to_string()))
                    .collect();
                proptest::prop_assert_eq!(got_pairs, want_pairs);
                for (message, span, related, fix) in &got {
                    let head = format!("\"{span}\" ");
                    proptest::prop_assert!(message.starts_with(&head));
                    proptest::prop_assert!(message.ends_with("list, so it adds nothing; remove it."));
                    let twice = if actions {
                        span.eq_ignore_ascii_case(related)
                    } else {
                        span == related
                    };
                    proptest::prop_assert_eq!(message.contains("is listed twice"), twice);
                    proptest::prop_assert!(fix.is_some());
                }
            }
        }
    }

    /// The pool of entries [`findings_on_statement_sets_follow_the_plain_pairs`] draws from.
    const POOL: usize = 12;

    proptest::proptest! {
        /// The one-pass anchor against the split it replaced, on glued entries and every start.
        #[test]
        fn the_anchor_is_the_end_of_the_last_longest_piece(
            picks in proptest::collection::vec(0usize..PIECES.len(), 0..6),
            start in 0usize..40,
        ) {
            let value = glue(&picks);
            let start = start.min(value.len());
            proptest::prop_assume!(value.is_char_boundary(start));
            let plain = if !value.is_ascii() || value.contains('$') {
                None
            } else {
                value[start..]
                    .split(['*', '?'])
                    .max_by_key(|piece| piece.len())
                    .filter(|piece| !piece.is_empty())
                    .map(|piece| &piece[piece.len().saturating_sub(12)..])
            };
            proptest::prop_assert_eq!(super::Anchors::anchor(&value, start), plain);
        }
    }

    /// Pieces for [`glue`]: ARN and action parts that share starts and runs, wildcards,
    /// variables and escapes, a lone `$`, case variants, non-ASCII.
    const PIECES: [&str; 22] = [
        "arn:aws:ec2:",
        "*",
        "?",
        ":",
        "instance/",
        "Instance/",
        "volume",
        "s3:",
        "S3:",
        "Get",
        "get",
        "Object",
        "${aws:username}",
        "$",
        "\u{e9}",
        "\u{212a}",
        "k",
        "-",
        "a",
        "A",
        "${*}",
        "*:*",
    ];

    fn glue(picks: &[usize]) -> String {
        picks.iter().map(|&k| PIECES[k]).collect()
    }

    /// Whether entry `a` covers entry `b`, as the rules compare actions (`fold_case`) or ARNs.
    fn plain_covers(values: &[&str], fold_case: bool, a: usize, b: usize) -> bool {
        if fold_case {
            crate::arn::action_pattern_covers(values[a], values[b])
        } else {
            crate::arn::arn_pattern_covers(values[a], values[b])
        }
    }

    /// The reference for [`super::covered_items`]: for each entry, every pattern of the list
    /// in order, then the first duplicate.
    fn plain_covered(values: &[&str], fold_case: bool) -> Vec<(usize, usize)> {
        let covers = |a: usize, b: usize| plain_covers(values, fold_case, a, b);
        let same = |a: &str, b: &str| {
            if fold_case {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        (0..values.len())
            .filter_map(|i| {
                (0..values.len())
                    .find(|&j| {
                        j != i
                            && crate::arn::is_pattern(values[j])
                            && covers(j, i)
                            && (j < i || !covers(i, j))
                    })
                    .or_else(|| (0..i).find(|&j| same(values[j], values[i])))
                    .map(|j| (i, j))
            })
            .collect()
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

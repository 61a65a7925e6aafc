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
/// is only compared with the patterns whose start begins its own, found in a sorted index of
/// the patterns' starts. This keeps lists of thousands of actions or ARNs fast. A pattern
/// whose start fits is still only compared when the entry holds its anchor (see [`Anchors`]
/// and [`holds_anchor`]): most such pairs (`arn:aws:ec2:*:*:instance/*` and
/// `arn:aws:ec2:*:*:volume/*`) fail there, before `covers` compiles either of them.
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
    let start_of = |i: usize| values[i].get(..info[i].0).unwrap_or(values[i]);
    let index = PrefixIndex::new(
        (0..values.len())
            .filter(|&i| info[i].1)
            .map(|i| (start_of(i), i)),
        fold_case,
    );
    // Each pattern's anchor, found once for the anchor lookup and the test before `covers`.
    let anchor_of: Vec<Option<&str>> = values
        .iter()
        .zip(&info)
        .map(|(value, &(start, pattern))| pattern.then(|| Anchors::anchor(value, start)).flatten())
        .collect();
    let anchors = Anchors::new(values, &info, &anchor_of, fold_case);
    let mut first_seen: FastMap<Name<'_>, usize> =
        FastMap::with_capacity_and_hasher(values.len(), Default::default());
    let (mut candidates, mut lowered) = (Vec::new(), Vec::new());
    let mut out = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let first = *first_seen
            .entry(Name {
                text: value,
                fold_case,
            })
            .or_insert(i);
        if index.groups.is_empty() {
            // No pattern in the list: only duplicates.
            if first < i {
                out.push((i, first));
            }
            continue;
        }
        candidates.clear();
        let start = start_of(i);
        match &anchors {
            Some(anchors) if value.is_ascii() => {
                anchors.patterns_for(values, &info, value, start, &mut lowered, &mut candidates)
            }
            _ => index.patterns_starting(start, &mut lowered, &mut candidates),
        }
        // Sorting restores list order, so the first coverer wins.
        candidates.sort_unstable();
        candidates.dedup();
        let by_pattern = candidates.iter().copied().find(|&j| {
            j != i
                && holds_anchor(anchor_of[j], value, fold_case)
                && covers(j, i)
                && (j < i || !covers(i, j))
        });
        if let Some(j) = by_pattern {
            out.push((i, j));
        } else if first < i {
            out.push((i, first));
        }
    }
    out
}

/// Lists up to this long (most of them) are searched directly, without building indexes.
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

/// The patterns of a list grouped by literal start (its bytes, in lower case when names
/// ignore case), sorted, each group linked to the longest other start that begins it: the
/// starts that begin a given text are then the one just before it in sorted order (or one of
/// its links) and that one's links.
struct PrefixIndex<'s> {
    fold_case: bool,
    /// Pattern indexes sorted by start, then by index.
    patterns: Vec<usize>,
    /// One per distinct start, in sorted order.
    groups: Vec<Group<'s>>,
}

struct Group<'s> {
    start: Cow<'s, [u8]>,
    /// [`head`] of `start`.
    head: u64,
    /// The group's range in `patterns`.
    members: std::ops::Range<usize>,
    /// The group with the longest start that is a proper prefix of this one's.
    parent: Option<usize>,
}

/// For long lists of patterns sharing a literal start (`arn:aws:ec2:*:*:instance/*`,
/// `arn:aws:ec2:*:*:volume/*`, ...), which the prefix index cannot tell apart: each pattern's
/// anchor is the end (up to 12 bytes) of its longest literal piece after the start, and a
/// pattern can only cover an entry that contains its anchor. (A literal character of a pattern
/// only ever covers the same literal character, so each literal piece of the covering pattern
/// appears in the covered entry; for ASCII text without `$`, literally, and in lower case when
/// names ignore case.) Entries then look up the anchors among their own substrings instead of
/// trying every pattern.
struct Anchors<'s> {
    /// The patterns without an anchor (no piece after the start, non-ASCII, or with `$`).
    unanchored: PrefixIndex<'s>,
    by_anchor: FastMap<Vec<u8>, Vec<usize>>,
    /// The distinct anchor lengths.
    lengths: Vec<usize>,
    fold_case: bool,
}

impl<'s> Anchors<'s> {
    /// Below this many anchored patterns, trying each pattern is cheaper.
    const MIN_ANCHORED: usize = 32;
    const MAX_ANCHOR: usize = 12;

    /// `info`: each entry's literal start length and whether it is a pattern; `anchor_of`:
    /// each pattern's [`Anchors::anchor`] (None for the other entries).
    fn new(
        values: &[&'s str],
        info: &[(usize, bool)],
        anchor_of: &[Option<&'s str>],
        fold_case: bool,
    ) -> Option<Anchors<'s>> {
        // Counted first, so that the usual short list allocates nothing here.
        let count = anchor_of.iter().filter(|a| a.is_some()).count();
        if count < Self::MIN_ANCHORED {
            return None;
        }
        let mut unanchored = Vec::new();
        let mut anchored = Vec::new();
        for (i, (&value, &(start, pattern))) in values.iter().zip(info).enumerate() {
            match anchor_of[i] {
                Some(anchor) => anchored.push((anchor, i)),
                None if pattern => unanchored.push((value.get(..start).unwrap_or(value), i)),
                None => {}
            }
        }
        let mut by_anchor: FastMap<Vec<u8>, Vec<usize>> = FastMap::default();
        let mut lengths = Vec::new();
        for (anchor, i) in anchored {
            if !lengths.contains(&anchor.len()) {
                lengths.push(anchor.len());
            }
            let anchor = key(anchor, fold_case).into_owned();
            by_anchor.entry(anchor).or_default().push(i);
        }
        Some(Anchors {
            unanchored: PrefixIndex::new(unanchored.into_iter(), fold_case),
            by_anchor,
            lengths,
            fold_case,
        })
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

    /// Append the patterns that may cover the ASCII entry `value` (whose literal start is
    /// `start`): unanchored ones whose start begins `start`, anchored ones whose anchor it
    /// contains and whose start begins `start`. A pattern may be appended more than once.
    fn patterns_for(
        &self,
        values: &[&str],
        info: &[(usize, bool)],
        value: &str,
        start: &str,
        lowered: &mut Vec<u8>,
        out: &mut Vec<usize>,
    ) {
        self.unanchored.patterns_starting(start, lowered, out);
        let text = if self.fold_case {
            lowered.clear();
            lowered.extend(value.bytes().map(|b| b.to_ascii_lowercase()));
            &lowered[..]
        } else {
            value.as_bytes()
        };
        let begins = |j: usize| {
            let theirs = values[j].as_bytes().get(..info[j].0).unwrap_or_default();
            start.as_bytes().get(..theirs.len()).is_some_and(|ours| {
                if self.fold_case {
                    ours.eq_ignore_ascii_case(theirs)
                } else {
                    ours == theirs
                }
            })
        };
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

/// The first eight bytes as a big-endian number, zero-padded: when two heads differ, they
/// order their texts as the texts themselves compare, without a call to compare slices.
fn head(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let n = bytes.len().min(8);
    word[..n].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(word)
}

/// The bytes names are compared by: lower case (ASCII) when `fold_case`.
fn key(text: &str, fold_case: bool) -> Cow<'_, [u8]> {
    if fold_case && text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.as_bytes().to_ascii_lowercase())
    } else {
        Cow::Borrowed(text.as_bytes())
    }
}

impl<'s> PrefixIndex<'s> {
    fn new(patterns: impl Iterator<Item = (&'s str, usize)>, fold_case: bool) -> Self {
        let mut keyed: Vec<(Cow<'s, [u8]>, usize)> = patterns
            .map(|(start, index)| (key(start, fold_case), index))
            .collect();
        keyed.sort_unstable();
        let mut groups: Vec<Group<'s>> = Vec::new();
        // The chain of groups whose starts begin the last group's start, longest last.
        let mut chain: Vec<usize> = Vec::new();
        let mut patterns = Vec::with_capacity(keyed.len());
        for (k, (start, index)) in keyed.into_iter().enumerate() {
            patterns.push(index);
            if let Some(last) = groups.last_mut() {
                if last.start == start {
                    last.members.end = k + 1;
                    continue;
                }
            }
            // In sorted order every start that begins this one is on the chain of the previous.
            while chain
                .last()
                .is_some_and(|&g| !start.starts_with(&groups[g].start))
            {
                chain.pop();
            }
            groups.push(Group {
                head: head(&start),
                start,
                members: k..k + 1,
                parent: chain.last().copied(),
            });
            chain.push(groups.len() - 1);
        }
        PrefixIndex {
            fold_case,
            patterns,
            groups,
        }
    }

    /// Append the patterns whose start begins `text` (in no particular order). `lowered` is
    /// scratch space, so that a query allocates nothing.
    fn patterns_starting(&self, text: &str, lowered: &mut Vec<u8>, out: &mut Vec<usize>) {
        let text = if self.fold_case {
            lowered.clear();
            lowered.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
            &lowered[..]
        } else {
            text.as_bytes()
        };
        // The last start not after `text`: any start that begins `text` begins this one too.
        let text_head = head(text);
        let after = self
            .groups
            .partition_point(|g| g.head < text_head || (g.head == text_head && *g.start <= *text));
        let mut group = after.checked_sub(1);
        while let Some(g) = group {
            if text.starts_with(&self.groups[g].start) {
                break;
            }
            group = self.groups[g].parent;
        }
        while let Some(g) = group {
            let members = self.groups[g].members.clone();
            out.extend_from_slice(self.patterns.get(members).unwrap_or(&[]));
            group = self.groups[g].parent;
        }
    }
}

/// A list entry as a hash key: equal to another when the texts are, ignoring ASCII case when
/// `fold_case`.
struct Name<'a> {
    text: &'a str,
    fold_case: bool,
}

impl PartialEq for Name<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.fold_case {
            self.text.eq_ignore_ascii_case(other.text)
        } else {
            self.text == other.text
        }
    }
}

impl Eq for Name<'_> {}

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
        let twice = Name {
            text: values[i],
            fold_case,
        } == Name {
            text: values[j],
            fold_case,
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

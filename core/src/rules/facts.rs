//! Facts about one document that several rules need, computed once per analysis on first use.
//!
//! Many rules ask the same expensive question of the same statement (which catalog actions does
//! this `Action` list grant?); on a policy with thousands of actions, asking it once per rule was
//! most of the analysis time. The answers live here, behind `OnceCell`s, for the lifetime of one
//! [`Context`](super::Context).

use std::cell::{OnceCell, RefCell};

use crate::arn::Arn;
use crate::catalog::{Action, Catalog, ListExpansion};
use crate::fast_hash::FastMap;
use crate::fix::narrow::{lowercase_items, KnownItems};
use crate::policy::{Policy, StringList};
use crate::rules::support::arns::{parse_arns, ResourceEntry};
use crate::rules::support::risk::OpenIndex;
use crate::rules::support::shapes;
use crate::rules::support::variables::{occurrences, Occurrence};
use crate::wildcard::has_wildcard;

/// The catalog actions an `Action` or `NotAction` list names, item by item.
#[derive(Default)]
pub struct ExpandedList {
    actions: Vec<Action<'static>>,
    /// `ends[i]` is where item i's actions end in `actions`.
    ends: Vec<u32>,
}

impl ExpandedList {
    fn new(catalog: &'static Catalog, list: &StringList<'_>) -> ExpandedList {
        let mut out = ExpandedList {
            actions: Vec::new(),
            ends: Vec::with_capacity(list.items.len()),
        };
        let mut expansion = ListExpansion::new(catalog);
        let mut expand = |mut memo: Option<&mut PatternMemo>| {
            for item in &list.items {
                let wild = has_wildcard(item.value);
                match memo.as_deref_mut().filter(|_| wild) {
                    Some(memo) => memo.expand(catalog, item.value, &mut out.actions),
                    None => expansion.push_read(item.value, wild, &mut out.actions),
                }
                out.ends.push(out.actions.len() as u32);
            }
        };
        // The memo is never borrowed twice (nothing here calls back in) and exists until the
        // thread ends; should either fail, the list is expanded without it.
        let mut expanded = false;
        let _ = PATTERNS.try_with(|memo| {
            if let Ok(mut memo) = memo.try_borrow_mut() {
                expand(Some(&mut memo));
                expanded = true;
            }
        });
        if !expanded {
            expand(None);
        }
        out
    }

    /// The actions item `i` grants (`s3:Get*` gives every s3 Get action; an unknown name nothing).
    pub fn item(&self, i: usize) -> &[Action<'static>] {
        // An index past the list (or into the empty list of a statement without one) gives
        // nothing rather than a panic.
        let start = match i.checked_sub(1) {
            None => 0,
            Some(previous) => self.ends.get(previous).map_or(0, |&e| e as usize),
        };
        let end = self.ends.get(i).map_or(start, |&e| e as usize);
        self.actions.get(start..end).unwrap_or(&[])
    }

    /// Every item's actions in item order; an action named twice appears twice.
    pub fn all(&self) -> &[Action<'static>] {
        &self.actions
    }
}

/// The expansions of the action patterns with a wildcard (`ec2:Describe*`) seen on this thread,
/// by their text. A pattern's expansion searches its service's table and may match every name
/// of it; the same few hundred patterns recur in policy after policy (most items of a corpus
/// repeat an earlier one), and a hash of the text answers them without touching the catalog.
/// Plain names are not kept: their lookup costs about what a memo lookup would.
#[derive(Default)]
struct PatternMemo {
    /// The catalog the expansions are of (its address); another catalog starts a new memo.
    catalog: usize,
    /// Pattern text -> its range in `actions`.
    ranges: FastMap<Box<str>, (u32, u32)>,
    actions: Vec<Action<'static>>,
}

/// How many actions the memo holds at most before it starts again (a few MB, bounded for a
/// long-running language server; the managed-policy corpora's patterns need about a tenth).
const MEMO_ACTIONS: usize = 1 << 18;

thread_local! {
    static PATTERNS: RefCell<PatternMemo> = RefCell::default();
}

impl PatternMemo {
    /// Appends `pattern`'s expansion to `out`, from the memo or from the catalog.
    fn expand(&mut self, catalog: &'static Catalog, pattern: &str, out: &mut Vec<Action<'static>>) {
        let address = catalog as *const Catalog as usize;
        if self.catalog != address || self.actions.len() > MEMO_ACTIONS {
            *self = PatternMemo {
                catalog: address,
                ..PatternMemo::default()
            };
        }
        if let Some(&(start, end)) = self.ranges.get(pattern) {
            if let Some(actions) = self.actions.get(start as usize..end as usize) {
                out.extend_from_slice(actions);
                return;
            }
        }
        let start = out.len();
        catalog.expand_action_pattern_into(pattern, out);
        let (Ok(from), Ok(to)) = (
            u32::try_from(self.actions.len()),
            u32::try_from(self.actions.len() + (out.len() - start)),
        ) else {
            return;
        };
        self.actions.extend_from_slice(&out[start..]);
        self.ranges.insert(pattern.into(), (from, to));
    }
}

/// The lazily computed facts of one document.
pub struct Facts<'a> {
    actions: Vec<OnceCell<ExpandedList>>,
    not_actions: Vec<OnceCell<ExpandedList>>,
    /// Each statement's `Action` values sorted for the narrowing fixes' lookups.
    action_items: Vec<OnceCell<KnownItems<'a>>>,
    variables: OnceCell<Vec<Occurrence<'a>>>,
    /// The Resource and NotResource strings that parse as ARNs, parsed.
    arns: OnceCell<Vec<(ResourceEntry<'a>, Arn<'a>)>>,
    open_index: OnceCell<OpenIndex>,
    shapes: [OnceCell<Vec<Option<shapes::Found>>>; shapes::FAMILIES],
}

impl<'a> Facts<'a> {
    pub fn new(policy: &Policy<'_>) -> Facts<'a> {
        // Statement indexes are positions in the Statement array, which may hold non-objects.
        let n = policy
            .statements
            .iter()
            .map(|st| st.index + 1)
            .max()
            .unwrap_or(0);
        Facts {
            actions: (0..n).map(|_| OnceCell::new()).collect(),
            not_actions: (0..n).map(|_| OnceCell::new()).collect(),
            action_items: (0..n).map(|_| OnceCell::new()).collect(),
            variables: OnceCell::new(),
            arns: OnceCell::new(),
            open_index: OnceCell::new(),
            shapes: Default::default(),
        }
    }

    /// The policy variables of the document (see [`occurrences`]), found once for the eight
    /// rules that look at them.
    pub fn variables(&self, text: &str, policy: &Policy<'a>) -> &[Occurrence<'a>] {
        self.variables.get_or_init(|| {
            // A decoded string holds a `$` only if the text has one or a `\u` escape; most
            // documents have neither, and need no walk.
            if text.contains('$') || text.contains("\\u") {
                occurrences(policy)
            } else {
                Vec::new()
            }
        })
    }

    /// The Resource and NotResource strings of the document that parse as ARNs, parsed once for
    /// the ARN rules (each used to parse every one again).
    pub(crate) fn arns(&self, policy: &Policy<'a>) -> &[(ResourceEntry<'a>, Arn<'a>)] {
        self.arns.get_or_init(|| parse_arns(policy))
    }

    /// The statements that allow or deny on every resource, indexed by service (the risk rules').
    pub(crate) fn open_index(&self, policy: &Policy<'_>) -> &OpenIndex {
        self.open_index.get_or_init(|| OpenIndex::new(policy))
    }

    /// What each statement grants of the PASS_ROLE_* or CREATE_SLR_* family in `slot`, for
    /// the six rules of the family.
    pub(crate) fn shapes(
        &self,
        slot: usize,
        detect: impl FnOnce() -> Vec<Option<shapes::Found>>,
    ) -> &[Option<shapes::Found>] {
        self.shapes
            .get(slot)
            .map_or(&[], |cell| cell.get_or_init(detect))
    }

    /// Statement `k`'s `Action` values as the narrowing fixes search them ([`lowercase_items`]),
    /// sorted once for the two rules whose fixes spell out wildcards of the same list.
    pub(crate) fn action_items(&self, k: usize, list: &StringList<'a>) -> Option<&KnownItems<'a>> {
        self.action_items
            .get(k)
            .map(|cell| cell.get_or_init(|| lowercase_items(list)))
    }

    /// The expansion of statement `k`'s `Action` list (empty when it has none).
    pub fn actions(
        &self,
        catalog: &'static Catalog,
        k: usize,
        list: Option<&StringList<'_>>,
    ) -> &ExpandedList {
        Self::expanded(&self.actions, catalog, k, list)
    }

    /// The expansion of statement `k`'s `NotAction` list (empty when it has none).
    pub fn not_actions(
        &self,
        catalog: &'static Catalog,
        k: usize,
        list: Option<&StringList<'_>>,
    ) -> &ExpandedList {
        Self::expanded(&self.not_actions, catalog, k, list)
    }

    fn expanded<'s>(
        cells: &'s [OnceCell<ExpandedList>],
        catalog: &'static Catalog,
        k: usize,
        list: Option<&StringList<'_>>,
    ) -> &'s ExpandedList {
        static EMPTY: ExpandedList = ExpandedList {
            actions: Vec::new(),
            ends: Vec::new(),
        };
        match (cells.get(k), list) {
            (Some(cell), Some(list)) => cell.get_or_init(|| ExpandedList::new(catalog, list)),
            _ => &EMPTY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The second document's patterns come from this thread's memo: item by item they must
    /// give what the catalog gives, for patterns met first and met again, in any case and
    /// next to plain names of the same service.
    #[test]
    fn memoised_patterns_expand_as_the_catalog_does() {
        let catalog = crate::catalog::catalog();
        let items = [
            "s3:Get*",
            "s3:PutObject",
            "S3:get*",
            "ec2:Describe*",
            "ec2:RunInstances",
            "s3:Get*",
            "*:List*",
            "nope:Get*",
            "s3:*Object?cl",
            "ec2:DescribeInstances",
        ];
        let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
        let text = format!(
            r#"{{"Statement": [{{"Effect": "Allow", "Action": [{}]}}]}}"#,
            quoted.join(", ")
        );
        for _ in 0..2 {
            let document = crate::syntax::parse(&text);
            let policy = Policy::from_root(document.root.as_ref());
            let facts = Facts::new(&policy);
            let st = &policy.statements[0];
            let list = facts.actions(catalog, st.index, st.action.as_ref());
            for (i, item) in items.iter().enumerate() {
                let want: Vec<u64> = catalog
                    .expand_action_pattern(item)
                    .iter()
                    .map(Action::id)
                    .collect();
                let got: Vec<u64> = list.item(i).iter().map(Action::id).collect();
                assert_eq!(got, want, "{item}");
            }
        }
    }

    #[test]
    fn items_past_the_list_are_empty() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "nope:X", "s3:List*"]}, {"Effect": "Allow"}]}"#;
        let document = crate::syntax::parse(text);
        let policy = Policy::from_root(document.root.as_ref());
        let catalog = crate::catalog::catalog();
        let facts = Facts::new(&policy);
        let st = &policy.statements[0];
        let list = facts.actions(catalog, st.index, st.action.as_ref());
        assert_eq!(list.item(0).len(), 1);
        assert!(list.item(1).is_empty());
        assert!(list.item(2).len() > 1);
        assert!(list.item(3).is_empty() && list.item(99).is_empty());
        assert_eq!(list.all().len(), 1 + list.item(2).len());
        let none = facts.actions(catalog, 1, None);
        assert!(none.item(0).is_empty() && none.item(5).is_empty() && none.all().is_empty());
    }
}

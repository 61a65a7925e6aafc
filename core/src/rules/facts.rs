//! Facts about one document that several rules need, computed once per analysis on first use.
//!
//! Many rules ask the same expensive question of the same statement (which catalog actions does
//! this `Action` list grant?); on a policy with thousands of actions, asking it once per rule was
//! most of the analysis time. The answers live here, behind `OnceCell`s, for the lifetime of one
//! [`Context`](super::Context).

use std::cell::OnceCell;

use crate::arn::Arn;
use crate::catalog::{Action, Catalog, ListExpansion};
use crate::fix::narrow::ListedActions;
use crate::policy::{Policy, StringList};
use crate::rules::support::arns::{parse_arns, ResourceEntry};
use crate::rules::support::risk::OpenIndex;
use crate::rules::support::shapes;
use crate::rules::support::variables::{occurrences, Occurrence};

/// The catalog actions an `Action` or `NotAction` list names, item by item.
#[derive(Default)]
pub struct ExpandedList {
    actions: Vec<Action<'static>>,
    /// `ends[i]` is where item i's actions end in `actions`.
    ends: Vec<u32>,
}

impl ExpandedList {
    fn new(catalog: &'static Catalog, list: &StringList<'_>) -> ExpandedList {
        // Most items are plain names of one action each: room for those from the start saves
        // the list's first few reallocations.
        let mut out = ExpandedList {
            actions: Vec::with_capacity(list.items.len()),
            ends: Vec::with_capacity(list.items.len()),
        };
        // No memo across documents: one of every item by its text (5f49bfa's `ItemMemo`) cut
        // 2 % of the instructions on the latest corpus and 3 % on the history corpus, yet made
        // the check of the latest corpus about 7 % slower in time (its copies and map touched
        // ~1,200 more pages and missed the cache), so each list is expanded afresh.
        let mut expansion = ListExpansion::new(catalog);
        for item in &list.items {
            expansion.push(item.value, &mut out.actions);
            out.ends.push(out.actions.len() as u32);
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

/// The lazily computed facts of one document.
pub struct Facts<'a> {
    actions: Vec<OnceCell<ExpandedList>>,
    not_actions: Vec<OnceCell<ExpandedList>>,
    /// The actions each statement's `Action` list names, for the narrowing fixes.
    action_items: Vec<OnceCell<ListedActions>>,
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
            // A decoded string holds a `$` only if its text has one or a `\u` escape; most
            // documents have neither, and need no walk. Only the statements' text is searched:
            // an incremental check's policy holds the few statements that changed in a document
            // of any size.
            let marked = |t: &str| t.contains('$') || t.contains("\\u");
            if policy
                .statements
                .iter()
                .any(|st| marked(st.span().slice(text)))
            {
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

    /// The actions statement `k`'s `Action` list names ([`ListedActions`], built by `build`),
    /// found once for the two rules whose fixes spell out wildcards of the same list.
    pub(crate) fn action_items(
        &self,
        k: usize,
        build: impl FnOnce() -> ListedActions,
    ) -> Option<&ListedActions> {
        self.action_items.get(k).map(|cell| cell.get_or_init(build))
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

    /// Expands `items` as the `key` list (`Action` or `NotAction`) of a one-statement policy and
    /// checks that each item gives what the catalog gives for it alone, and the list all of
    /// them in order.
    fn expands_as_the_catalog_does(key: &str, items: &[&str]) {
        let catalog = crate::catalog::catalog();
        let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
        let text = format!(
            r#"{{"Statement": [{{"Effect": "Allow", "{key}": [{}]}}]}}"#,
            quoted.join(", ")
        );
        let document = crate::syntax::parse(&text);
        let policy = Policy::from_root(document.root.as_ref());
        let facts = Facts::new(&policy);
        let st = &policy.statements[0];
        let list = match key {
            "Action" => facts.actions(catalog, st.index, st.action.as_ref()),
            _ => facts.not_actions(catalog, st.index, st.not_action.as_ref()),
        };
        let mut all = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let want: Vec<u64> = catalog
                .expand_action_pattern(item)
                .iter()
                .map(Action::id)
                .collect();
            let got: Vec<u64> = list.item(i).iter().map(Action::id).collect();
            assert_eq!(got, want, "{item} in {items:?}");
            all.extend(want);
        }
        let got: Vec<u64> = list.all().iter().map(Action::id).collect();
        assert_eq!(got, all, "{items:?}");
    }

    /// The same list in two documents, as in a corpus: item by item both must give what the
    /// catalog gives, for names and patterns, in any case and next to other names of the same
    /// service.
    #[test]
    fn repeated_items_expand_as_the_catalog_does() {
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
        for _ in 0..2 {
            expands_as_the_catalog_does("Action", &items);
        }
    }

    /// Generated lists (a fixed pseudo-random sequence) of names, patterns and unknown items
    /// in several spellings, many repeated from list to list as in a corpus: each list's items
    /// must expand as the catalog expands them one by one, whether met before or not.
    #[test]
    fn generated_lists_expand_as_the_catalog_does() {
        const POOL: &[&str] = &[
            "s3:GetObject",
            "S3:getobject",
            "s3:PutObject",
            "s3:Get*",
            "s3:*Object*",
            "s3:Get?bject",
            "iam:PassRole",
            "iam:*",
            "ec2:Describe*",
            "ec2:DescribeInstances",
            "*:List*",
            "s3*:List*",
            "*",
            "nope:X",
            "s3:NoSuchAction",
            "s3",
            "",
            ":",
            "sagemaker:*Model*",
            "kms:Decrypt",
        ];
        let mut next = crate::test_random::below(0x0d1c_e5ee_d5ee_d001);
        for round in 0..40 {
            let items: Vec<&str> = (0..1 + next(12)).map(|_| POOL[next(POOL.len())]).collect();
            let key = if round % 2 == 0 {
                "Action"
            } else {
                "NotAction"
            };
            expands_as_the_catalog_does(key, &items);
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

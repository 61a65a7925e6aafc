//! Facts about one document that several rules need, computed once per analysis on first use.
//!
//! Many rules ask the same expensive question of the same statement (which catalog actions does
//! this `Action` list grant?); on a policy with thousands of actions, asking it once per rule was
//! most of the analysis time. The answers live here, behind `OnceCell`s, for the lifetime of one
//! [`Context`](super::Context).

use std::cell::OnceCell;

use crate::arn::Arn;
use crate::catalog::{Action, Catalog};
use crate::fix::narrow::{lowercase_items, KnownItems};
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
        let mut out = ExpandedList {
            actions: Vec::new(),
            ends: Vec::with_capacity(list.items.len()),
        };
        let ends = &mut out.ends;
        catalog.expand_action_list_into(
            list.items.iter().map(|item| item.value),
            &mut out.actions,
            |end| ends.push(end as u32),
        );
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

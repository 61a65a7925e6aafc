//! Shared by the risk-category rules (privilege escalation, resource exposure, credentials
//! exposure, data exfiltration): which actions the policy grants on resources that are not
//! narrowed, and where in the text each grant comes from.
//!
//! "Not narrowed" follows cloudsplaining's reading: an Allow statement whose Resource is `"*"`
//! (or that uses NotResource) and whose Condition, if any, does not pin who, what or from where
//! (see [`super::narrowing`]: `aws:RequestedRegion` alone leaves the holder able to do the same
//! thing). A Deny on `"*"` takes the action away again when it has no Condition, or when its
//! one condition is a negated test that leaves only narrowed requests (`denies_everywhere`);
//! other conditioned Denies are not counted, which errs towards reporting.
//!
//! The rules ask about a hundred fixed action names per document. [`OpenIndex`], built once per
//! analysis, keeps only the statements that can answer and sorts their action items by service
//! and the first letter of the name, so a question about `iam:PassRole` glob-matches only the
//! `iam:P...` items, the `iam:` items whose name starts with a wildcard and those whose service
//! part has a wildcard, instead of every item of every statement. Most questions name a service
//! the policy does not grant at all (nine in ten on the managed policies): a mask of the
//! services present answers those before any search.

use std::fmt;
use std::sync::OnceLock;

use crate::policy::{Policy, Statement, StringItem, StringList};
use crate::rules::Context;
use crate::span::Span;

use super::narrowing::{deny_entry_leaves_narrowed, read_conditions, ConditionReading};
use super::security::condition_entries;
use super::shapes::{is_narrower_pattern, pattern_reaches_every};
use crate::catalog::Catalog;
use crate::wildcard::action_matches;

/// Where an action is granted: the element to point at.
#[derive(Clone, Copy, Debug)]
pub struct Grant<'a> {
    pub span: Span,
    /// The granting element, for messages: shows as `"iam:*"` (the Action item, quoted) or
    /// `NotAction`.
    pub via: Via<'a>,
    /// How the granting statement's Condition was read (never `Narrowed`: such statements do
    /// not grant on every resource); messages name the condition that was not counted.
    pub conditions: ConditionReading<'a>,
}

/// The granting element of a [`Grant`]: an Action item's value, or NotAction (`None`).
#[derive(Clone, Copy, Debug)]
pub struct Via<'a>(Option<&'a str>);

impl fmt::Display for Via<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(value) => write!(f, "\"{value}\""),
            None => f.write_str("NotAction"),
        }
    }
}

/// True for an Allow-shaped statement whose resources are not narrowed, by Resource or by a
/// condition that pins who, what or from where.
pub fn open_to_every_resource(st: &Statement<'_>) -> bool {
    open_resources(st) && !read_conditions(st).narrows()
}

/// True when the statement's Resource is `"*"`, or it uses a NotResource that is not `"*"`.
fn open_resources(st: &Statement<'_>) -> bool {
    if let Some(list) = &st.resource {
        return list.contains("*");
    }
    if let Some(list) = &st.not_resource {
        return !list.items.is_empty() && !list.contains("*");
    }
    false
}

/// True for a Deny on `"*"` that takes an action away from "every resource": with no
/// Condition, or with a single condition entry whose negated test leaves only narrowed
/// requests ([`deny_entry_leaves_narrowed`]: `StringNotEquals` on `aws:ResourceAccount` denies
/// every other account's resources, so what an Allow keeps is pinned). Other conditioned
/// Denies take the action away only for some requests and are not counted, which errs towards
/// reporting.
fn denies_everywhere(st: &Statement<'_>) -> bool {
    if !st.is_deny() || !st.resource.as_ref().is_some_and(|r| r.contains("*")) {
        return false;
    }
    if st.condition.is_none() {
        return true;
    }
    let mut entries = condition_entries(st);
    match (entries.next(), entries.next()) {
        (Some((block, entry)), None) => deny_entry_leaves_narrowed(block, entry),
        _ => false,
    }
}

/// The statements of one side (open Allows, or Denies on `"*"`) and their action items.
#[derive(Default)]
struct Side {
    /// Positions in `Policy::statements`, in document order, and whether the statement grants
    /// through NotAction (it has no Action). A statement's rank is its place in this list.
    stmts: Vec<(u32, bool)>,
    /// (key, rank, item) of every item whose service part (before the first `:`, or the whole
    /// value) has no wildcard, sorted by key (see [`action_key`]). Such an item can only match
    /// actions of exactly that service whose name starts with its own first letter (or any
    /// name of the service, when its own starts with a wildcard).
    by_service: Vec<(u64, u32, u32)>,
    /// [`service_bit`] of every key in `by_service`: a question whose bit is not set has no
    /// item of its service here.
    services: u64,
    /// (rank, item) of the items whose service part has a wildcard, in document order.
    wild: Vec<(u32, u32)>,
    /// Whether any statement of the side uses NotAction (covers unless an item excludes).
    any_not_action: bool,
}

/// The Allow statements open to every resource and the Denies on `"*"` that take actions away, with
/// their items by service; see the module documentation. Indexes only, so that it can live in
/// the per-analysis facts; the policy is passed back in to read values and spans.
#[derive(Default)]
pub struct OpenIndex {
    allow: Side,
    deny: Side,
    /// The Allow statements with an Action list and a Resource pattern other than `"*"`
    /// (`function:*`), the only ones [`OpenIndex::type_pattern_grant`] can find, with their
    /// Action items by service: most policies have none, and then the hundred path actions it
    /// is asked about cost nothing; in the others, a path action is matched against the items
    /// of its own service (and the wildcard ones) instead of every item of every statement,
    /// and the catalog is asked only about actions some statement names.
    pattern_allows: Side,
}

/// The name byte of an [`action_key`] for an item whose name starts with `*` or `?` (any action
/// of the service may match), for a value with nothing after its colon, and for a value
/// without a colon. (Questions whose names start with the bytes 0 to 2 share these codes: they
/// then also get those items, which the glob match sorts out.)
const NAME_WILD: u64 = 0;
const NAME_EMPTY: u64 = 1;
const NAME_NONE: u64 = 2;

/// An action or action pattern as an index key: the first seven bytes of its service part
/// (before its first `:`, or all of it), lower-cased, then the first byte of its name,
/// lower-cased ([`NAME_WILD`] for an item's `*` or `?` when `wild_name`, [`NAME_EMPTY`],
/// [`NAME_NONE`]). None when the service part has a wildcard. One pass over the bytes up to
/// the colon: this runs for every item of every open statement.
///
/// Why an item `p` can only match an action `a` whose key is `p`'s, or any key of `p`'s
/// service when `p`'s name byte is [`NAME_WILD`]: `p`'s service part has no wildcard, so its
/// bytes and then its colon must match `a`'s one for one (a character compared without regard
/// to ASCII case has the same length and, lower-cased, the same first byte); `a`'s first colon
/// is then at the same place, the services are equal without regard to ASCII case (equal
/// keys), and `p`'s next byte, unless a wildcard, must match `a`'s next byte. An item with
/// nothing after its colon, or without a colon, has no wildcard at all and matches only an
/// action spelled the same. Services that share their first seven bytes share keys; the glob
/// match tells them apart.
fn action_key(value: &str, wild_name: bool) -> Option<u64> {
    let bytes = value.as_bytes();
    let mut key = [0u8; 8];
    let mut name = NAME_NONE;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b':' => {
                name = match bytes.get(i + 1) {
                    None => NAME_EMPTY,
                    Some(b'*' | b'?') if wild_name => NAME_WILD,
                    Some(&n) => u64::from(n.to_ascii_lowercase()),
                };
                break;
            }
            b'*' | b'?' => return None,
            _ => {
                if let Some(k) = key.get_mut(i) {
                    *k = b.to_ascii_lowercase();
                }
            }
        }
    }
    key[7] = 0;
    Some(u64::from_be_bytes(key) | name)
}

/// One bit of a 64-bit mask for the service of a key: the same for keys of the same service.
fn service_bit(key: u64) -> u64 {
    1 << ((key >> 8).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58)
}

/// An action name the rules ask about, with its index key found once (the risk rules ask the
/// same few dozen names of every document; see [`OpenIndex::grant`]).
#[derive(Clone, Copy, Debug)]
pub struct Asked<'a> {
    pub name: &'a str,
    /// [`action_key`] of the name, a wildcard in its name read as any other byte (only an
    /// item's wildcard matches it); `u64::MAX` when its service part has a wildcard, which is
    /// not a question the rules ask: only the items with a wildcard service are tried.
    key: u64,
    /// [`service_bit`] of `key` (none for `u64::MAX`).
    bit: u64,
}

impl<'a> Asked<'a> {
    pub fn new(name: &'a str) -> Asked<'a> {
        match action_key(name, false) {
            Some(key) => Asked {
                name,
                key,
                bit: service_bit(key),
            },
            None => Asked {
                name,
                key: u64::MAX,
                bit: 0,
            },
        }
    }
}

impl Side {
    fn push(&mut self, pos: usize, st: &Statement<'_>) {
        let (list, not_action) = match (&st.action, &st.not_action) {
            (Some(list), _) => (list, false),
            (None, Some(list)) => (list, true),
            // Neither: the statement grants or denies no action.
            (None, None) => return,
        };
        self.push_list(pos, list, not_action);
    }

    /// Adds statement `pos` with the items of `list`, its Action (or, when `not_action`, its
    /// NotAction) list.
    fn push_list(&mut self, pos: usize, list: &StringList<'_>, not_action: bool) {
        let rank = self.stmts.len() as u32;
        self.stmts.push((pos as u32, not_action));
        self.any_not_action |= not_action;
        self.by_service.reserve(list.items.len());
        for (i, item) in list.items.iter().enumerate() {
            match action_key(item.value, true) {
                Some(key) => {
                    self.services |= service_bit(key);
                    self.by_service.push((key, rank, i as u32));
                }
                None => self.wild.push((rank, i as u32)),
            }
        }
    }

    /// The entries of `by_service` with this key.
    fn group(&self, key: u64) -> &[(u64, u32, u32)] {
        let start = self.by_service.partition_point(|e| e.0 < key);
        let rest = &self.by_service[start..];
        &rest[..rest.partition_point(|e| e.0 == key)]
    }

    fn item<'p, 'a>(
        policy: &'p Policy<'a>,
        stmts: &[(u32, bool)],
        at: (u32, u32),
    ) -> &'p StringItem<'a> {
        let (pos, not_action) = stmts[at.0 as usize];
        let st = &policy.statements[pos as usize];
        let list = if not_action {
            &st.not_action
        } else {
            &st.action
        };
        // Built from this very policy: the list and the item exist.
        &list.as_ref().expect("indexed list").items[at.1 as usize]
    }

    /// Every (rank, item) whose pattern matches the action, in no particular order.
    fn matches<'s>(
        &'s self,
        policy: &'s Policy<'_>,
        asked: Asked<'s>,
    ) -> impl Iterator<Item = (u32, u32)> + 's {
        let item = move |at| Self::item(policy, &self.stmts, at);
        // The items of the action's service whose name starts with a wildcard, then those whose
        // name starts with the action's first letter (see [`action_key`]); none when no item
        // has the action's service.
        let (any_name, same_letter) = if self.services & asked.bit == 0 {
            (&[][..], &[][..])
        } else {
            let any = (asked.key & !0xff) | NAME_WILD;
            let same = if asked.key == any {
                &[][..]
            } else {
                self.group(asked.key)
            };
            (self.group(any), same)
        };
        any_name
            .iter()
            .chain(same_letter)
            .map(|e| (e.1, e.2))
            .chain(self.wild.iter().copied())
            .filter(move |&at| action_matches(item(at).value, asked.name))
    }

    /// True when some statement of the side covers `action`: an Action item matches it, or a
    /// NotAction has no item that matches it.
    fn covers(&self, policy: &Policy<'_>, asked: Asked<'_>) -> bool {
        if self.stmts.is_empty() {
            return false;
        }
        if !self.any_not_action {
            return self.matches(policy, asked).next().is_some();
        }
        let mut excluded: Vec<u32> = Vec::new();
        for (rank, _) in self.matches(policy, asked) {
            if !self.stmts[rank as usize].1 {
                return true;
            }
            excluded.push(rank);
        }
        (0..self.stmts.len() as u32)
            .any(|rank| self.stmts[rank as usize].1 && !excluded.contains(&rank))
    }
}

impl OpenIndex {
    pub fn new(policy: &Policy<'_>) -> OpenIndex {
        let mut index = OpenIndex::default();
        for (pos, st) in policy.statements.iter().enumerate() {
            if st.is_allow() && open_to_every_resource(st) {
                index.allow.push(pos, st);
            } else if denies_everywhere(st) {
                index.deny.push(pos, st);
            }
            let pattern = |i: &StringItem<'_>| is_narrower_pattern(i.value);
            if let Some(list) = st.action.as_ref().filter(|_| {
                st.is_allow()
                    && st
                        .resource
                        .as_ref()
                        .is_some_and(|r| r.items.iter().any(pattern))
            }) {
                index.pattern_allows.push_list(pos, list, false);
            }
        }
        // Grouped by service only: every reader of a group picks the first statement and item
        // by comparing ranks and item numbers itself ([`Side::matches`] yields them in no
        // particular order), and a sort of the keys alone, with their many repeats, costs less
        // than one of whole entries.
        for side in [&mut index.allow, &mut index.deny, &mut index.pattern_allows] {
            side.by_service.sort_unstable_by_key(|e| e.0);
        }
        index
    }

    /// True when some Allow statement is open to every resource (else nothing is granted).
    pub fn has_open_allows(&self) -> bool {
        !self.allow.stmts.is_empty()
    }

    /// True when the policy has a Deny on `"*"` that takes actions away (of any action).
    pub fn has_denies(&self) -> bool {
        !self.deny.stmts.is_empty()
    }

    /// True when a Deny on `"*"` that takes actions away covers the action.
    pub fn denied_everywhere(&self, policy: &Policy<'_>, action: &str) -> bool {
        self.deny.covers(policy, Asked::new(action))
    }

    /// The first Allow statement that names `action` in Action on Resource patterns reaching
    /// every resource of each resource type the action requires (every one it lists, when
    /// none is required), and has no narrowing condition, unless a Deny on `"*"` takes the
    /// action away. `iam:PassRole` on `arn:aws:iam::*:role/*` passes any role, and
    /// `lambda:UpdateFunctionCode` on `arn:aws:lambda:*:*:function:*` rewrites any function, as
    /// `"*"` would (see [`pattern_reaches_every`]). None for actions the catalog does not know
    /// or that take no resource type.
    pub fn type_pattern_grant<'p>(
        &self,
        policy: &'p Policy<'_>,
        catalog: &Catalog,
        asked: Asked<'_>,
    ) -> Option<Grant<'p>> {
        let side = &self.pattern_allows;
        if side.stmts.is_empty() {
            return None;
        }
        let action = asked.name;
        // Each statement that names the action, with the item
        // `security::action_item_for` would pick:
        // the first that equals the action, else the first that matches it. (An item equal to
        // the action without case also matches it, so it is among the matches.)
        let mut named: Vec<(u32, u32, bool)> = Vec::new(); // (rank, item, exact)
        for at in side.matches(policy, asked) {
            let exact = Side::item(policy, &side.stmts, at)
                .value
                .eq_ignore_ascii_case(action);
            match named.iter_mut().find(|n| n.0 == at.0) {
                Some(n) => {
                    if (exact && !n.2) || (exact == n.2 && at.1 < n.1) {
                        *n = (at.0, at.1, exact);
                    }
                }
                None => named.push((at.0, at.1, exact)),
            }
        }
        if named.is_empty() {
            return None;
        }
        named.sort_unstable();
        let found = catalog.action(action)?;
        let mut types: Vec<_> = found.resource_types().filter(|r| r.required).collect();
        if types.is_empty() {
            types = found.resource_types().collect();
        }
        if types.is_empty() || self.deny.covers(policy, asked) {
            return None;
        }
        named.iter().find_map(|&(rank, item, _)| {
            let st = &policy.statements[side.stmts[rank as usize].0 as usize];
            let resources = st.resource.as_ref()?;
            let item = Side::item(policy, &side.stmts, (rank, item));
            let reaches = types.iter().all(|t| {
                t.resource_type.arn_templates().any(|template| {
                    resources
                        .items
                        .iter()
                        .any(|i| pattern_reaches_every(i.value, template))
                })
            });
            if !reaches {
                return None;
            }
            let conditions = read_conditions(st);
            if conditions.narrows() {
                return None;
            }
            Some(Grant {
                span: item.span(),
                via: Via(Some(item.value)),
                conditions,
            })
        })
    }

    /// The first Allow statement that grants `action` on every resource, if the policy has one
    /// and no Deny on `"*"` takes it away: its Action item that names the action (or else the
    /// first that matches it), or its NotAction.
    pub fn open_grant<'p>(&self, policy: &'p Policy<'_>, action: &str) -> Option<Grant<'p>> {
        self.grant(policy, Asked::new(action))
    }

    /// [`OpenIndex::open_grant`] for a name whose key was found once.
    pub fn grant<'p>(&self, policy: &'p Policy<'_>, asked: Asked<'_>) -> Option<Grant<'p>> {
        let allow = &self.allow;
        let action = asked.name;
        if allow.stmts.is_empty() {
            return None;
        }
        // The first covering statement: the lowest rank of an Action statement with a match,
        // or of a NotAction statement without one. Within it, the item that names the action
        // wins over the first pattern that matches it.
        let mut best: Option<(u32, u32, bool)> = None; // (rank, item, exact)
        let mut excluded: Vec<u32> = Vec::new();
        for at in allow.matches(policy, asked) {
            if allow.stmts[at.0 as usize].1 {
                excluded.push(at.0);
                continue;
            }
            let exact = Side::item(policy, &allow.stmts, at)
                .value
                .eq_ignore_ascii_case(action);
            let better = match best {
                None => true,
                Some((rank, item, best_exact)) => {
                    at.0 < rank
                        || (at.0 == rank
                            && ((exact && !best_exact) || (exact == best_exact && at.1 < item)))
                }
            };
            if better {
                best = Some((at.0, at.1, exact));
            }
        }
        let limit = best.map_or(allow.stmts.len() as u32, |(rank, _, _)| rank);
        let not_action = if allow.any_not_action {
            (0..limit).find(|&rank| allow.stmts[rank as usize].1 && !excluded.contains(&rank))
        } else {
            None
        };
        let grant = match (not_action, best) {
            (Some(rank), _) => {
                let st = &policy.statements[allow.stmts[rank as usize].0 as usize];
                Grant {
                    span: st.not_action.as_ref()?.key().span,
                    via: Via(None),
                    conditions: read_conditions(st),
                }
            }
            (None, Some((rank, item, _))) => {
                let st = &policy.statements[allow.stmts[rank as usize].0 as usize];
                let item = Side::item(policy, &allow.stmts, (rank, item));
                Grant {
                    span: item.span(),
                    via: Via(Some(item.value)),
                    conditions: read_conditions(st),
                }
            }
            (None, None) => return None,
        };
        if self.deny.covers(policy, asked) {
            return None;
        }
        Some(grant)
    }
}

/// A fixed list of action names a rule asks every document about, with their [`Asked`] keys
/// found once, at the first document (finding them per document cost about 170 instructions a
/// name: most of these services are eight bytes or longer).
pub struct AskedList {
    names: &'static [&'static str],
    asked: OnceLock<Vec<Asked<'static>>>,
}

impl AskedList {
    pub const fn new(names: &'static [&'static str]) -> AskedList {
        AskedList {
            names,
            asked: OnceLock::new(),
        }
    }

    fn asked(&self) -> &[Asked<'static>] {
        self.asked
            .get_or_init(|| self.names.iter().map(|&name| Asked::new(name)).collect())
    }
}

/// For each granting element, the actions of `actions` it grants on every resource and that can
/// be limited to named resources (see [`can_be_scoped`]), in the order the elements appear.
pub fn grants_by_element<'p>(
    cx: &Context<'p>,
    actions: &AskedList,
) -> Vec<(Grant<'p>, Vec<&'static str>)> {
    let mut out: Vec<(Grant<'p>, Vec<&'static str>)> = Vec::new();
    let index = cx.open_index();
    for &asked in actions.asked() {
        let action = asked.name;
        // The catalog is asked only about granted actions: most documents grant none.
        let Some(grant) = index
            .grant(cx.policy, asked)
            .filter(|_| can_be_scoped(cx, action))
        else {
            continue;
        };
        match out.iter_mut().find(|(g, _)| g.span == grant.span) {
            Some((_, list)) => list.push(action),
            None => out.push((grant, vec![action])),
        }
    }
    out.sort_by_key(|(g, _)| g.span.start);
    out
}

/// True when the action can be limited to named resources (or the catalog does not know it):
/// for an action that only works with `"*"`, "not narrowed" is not something the author can fix.
pub fn can_be_scoped(cx: &Context<'_>, action: &str) -> bool {
    cx.catalog
        .action(action)
        .is_none_or(|a| a.resource_types().next().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use crate::rules::support::security::statement_covers_action;

    /// The straightforward reading the index must agree with: every statement, every item.
    fn reference_denied(policy: &Policy<'_>, action: &str) -> bool {
        policy.statements.iter().any(|st| {
            st.is_deny()
                && st.condition.is_none()
                && st.resource.as_ref().is_some_and(|r| r.contains("*"))
                && statement_covers_action(st, action)
        })
    }

    fn reference_grant(policy: &Policy<'_>, action: &str) -> Option<(Span, String)> {
        if reference_denied(policy, action) {
            return None;
        }
        policy.statements.iter().find_map(|st| {
            if !st.is_allow() || !open_to_every_resource(st) || !statement_covers_action(st, action)
            {
                return None;
            }
            if let Some(list) = &st.action {
                let item = list
                    .items
                    .iter()
                    .find(|i| i.value.eq_ignore_ascii_case(action))
                    .or_else(|| list.items.iter().find(|i| action_matches(i.value, action)))?;
                return Some((item.span(), format!("\"{}\"", item.value)));
            }
            let list = st.not_action.as_ref()?;
            Some((list.key().span, "NotAction".to_string()))
        })
    }

    /// A policy of one to four statements drawn by `next`: each an effect, up to `items.1 - 1`
    /// values of `items.0` made into an element by `action` (given a number below 5, which
    /// picks the kind, and the JSON array), a Resource element and a condition.
    fn generated_policy(
        next: &mut impl FnMut(usize) -> usize,
        items: (&[&str], usize),
        action: impl Fn(usize, &str) -> String,
        resources: &[&str],
        conditions: &[&str],
    ) -> String {
        let mut statements = Vec::new();
        for _ in 0..1 + next(4) {
            let effect = ["Allow", "Deny", "Allow", "allow"][next(4)];
            let count = next(items.1);
            let list = item_list(items.0, count, next);
            let action = action(next(5), &list);
            let resource = resources[next(resources.len())];
            let condition = conditions[next(conditions.len())];
            statements.push(statement(effect, &action, resource, condition));
        }
        format!(r#"{{"Statement": [{}]}}"#, statements.join(", "))
    }

    /// A statement's JSON from its members (the empty ones left out).
    fn statement(effect: &str, action: &str, resource: &str, condition: &str) -> String {
        let effect = format!(r#""Effect": "{effect}""#);
        let members: Vec<&str> = [effect.as_str(), action, resource, condition]
            .into_iter()
            .filter(|m| !m.is_empty())
            .collect();
        format!("{{{}}}", members.join(", "))
    }

    /// A JSON array of `count` values of `items`, each picked by `next`.
    fn item_list(items: &[&str], count: usize, next: &mut impl FnMut(usize) -> usize) -> String {
        let quoted: Vec<String> = (0..count)
            .map(|_| format!("\"{}\"", items[next(items.len())]))
            .collect();
        format!("[{}]", quoted.join(", "))
    }

    /// The straightforward reading of [`OpenIndex::type_pattern_grant`]: every Allow statement
    /// with a Resource pattern, in order, its item as `action_item_for` picks it.
    fn reference_type_pattern_grant(
        policy: &Policy<'_>,
        catalog: &Catalog,
        action: &str,
    ) -> Option<(Span, String)> {
        let found = catalog.action(action)?;
        let mut types: Vec<_> = found.resource_types().filter(|r| r.required).collect();
        if types.is_empty() {
            types = found.resource_types().collect();
        }
        if types.is_empty() || reference_denied(policy, action) {
            return None;
        }
        policy.statements.iter().find_map(|st| {
            let resources = st.resource.as_ref()?;
            if !st.is_allow() || !resources.items.iter().any(|i| is_narrower_pattern(i.value)) {
                return None;
            }
            let item = crate::rules::support::security::action_item_for(st, action)?;
            let reaches = types.iter().all(|t| {
                t.resource_type.arn_templates().any(|template| {
                    resources
                        .items
                        .iter()
                        .any(|i| pattern_reaches_every(i.value, template))
                })
            });
            (reaches && !read_conditions(st).narrows())
                .then(|| (item.span(), format!("\"{}\"", item.value)))
        })
    }

    /// Every item of every indexed statement of `side` that matches the action, by trying each
    /// one: what [`Side::matches`] must find through its keys and mask.
    fn every_match(side: &Side, policy: &Policy<'_>, action: &str) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for rank in 0..side.stmts.len() as u32 {
            let (pos, not_action) = side.stmts[rank as usize];
            let st = &policy.statements[pos as usize];
            let list = if not_action {
                &st.not_action
            } else {
                &st.action
            };
            for (i, item) in list.as_ref().unwrap().items.iter().enumerate() {
                if action_matches(item.value, action) {
                    out.push((rank, i as u32));
                }
            }
        }
        out
    }

    /// The matches found through the keys, sorted, each once.
    fn keyed_matches(side: &Side, policy: &Policy<'_>, action: &str) -> Vec<(u32, u32)> {
        let mut found: Vec<(u32, u32)> = side.matches(policy, Asked::new(action)).collect();
        let count = found.len();
        found.sort_unstable();
        found.dedup();
        assert_eq!(found.len(), count, "{action}: an item found twice");
        found
    }

    /// The keys (service, first letter of the name) and the mask of services leave out no item
    /// that matches: random items and questions glued from pieces that share services up to
    /// the seventh byte and beyond, differ in case, put `*` and `?` in the service, right after
    /// the colon and later, have nothing after the colon or no colon, non-ASCII letters (the
    /// Kelvin sign, `é`), control bytes equal to the key's codes, and a second colon.
    #[test]
    fn keyed_matches_agree_with_trying_every_item() {
        const SERVICES: &[&str] = &[
            "iam",
            "IAM",
            "ia",
            "iamx",
            "i?m",
            "*",
            "cloudformation",
            "cloudfoRMATION",
            "cloudformatio",
            "cloudfo",
            "cloudfox",
            "s3",
            "S3",
            "\\u00e9c2",
            "ec2",
            "",
            "sts",
            "\\u0000",
            "\\u0001am",
            "a:b",
        ];
        const NAMES: &[&str] = &[
            "PassRole",
            "passrole",
            "P*",
            "p?ssRole",
            "*",
            "?",
            "*Role",
            "",
            "Pass\\u212aey",
            "PassKey",
            "\\u00e9",
            "\\u0000",
            "\\u0001",
            "\\u0002x",
            "Get*Object",
            "x:y",
            "*:*",
            "CreateStack",
            "c",
        ];
        let mut next = crate::test_random::below(0x51_7cc1_b727_220a);
        // A value as it stands in the JSON text (escapes not read).
        let piece = |next: &mut dyn FnMut(usize) -> usize| match next(8) {
            0 => SERVICES[next(SERVICES.len())].to_string(),
            1 => format!("{}:", SERVICES[next(SERVICES.len())]),
            _ => format!(
                "{}:{}",
                SERVICES[next(SERVICES.len())],
                NAMES[next(NAMES.len())]
            ),
        };
        let (mut compared, mut found) = (0, 0);
        for _ in 0..1500 {
            let mut statements = Vec::new();
            for _ in 0..1 + next(3) {
                let items: Vec<String> = (0..next(9))
                    .map(|_| format!("\"{}\"", piece(&mut next)))
                    .collect();
                let element = if next(4) == 0 { "NotAction" } else { "Action" };
                statements.push(format!(
                    r#"{{"Effect": "Allow", "{element}": [{}], "Resource": "*"}}"#,
                    items.join(", ")
                ));
            }
            let text = format!(r#"{{"Statement": [{}]}}"#, statements.join(", "));
            let document = crate::syntax::parse(&text);
            let policy = Policy::from_root(document.root.as_ref());
            let index = OpenIndex::new(&policy);
            for _ in 0..8 {
                let question = piece(&mut next);
                // The question as the rules would hold it: JSON escapes read.
                let question: String = serde_json::from_str(&format!("\"{question}\"")).unwrap();
                let want = every_match(&index.allow, &policy, &question);
                assert_eq!(
                    keyed_matches(&index.allow, &policy, &question),
                    want,
                    "{text} {question:?}"
                );
                compared += 1;
                found += want.len();
            }
        }
        assert!(compared == 12_000 && found > 1500, "{found}");
    }

    /// The same on every 4th latest AWS managed policy, asked every action the risk rules ask
    /// about and every action item of the policy itself (skipped when the corpus is not
    /// fetched).
    #[test]
    fn keyed_matches_agree_with_trying_every_item_on_the_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../.cache/managed-policies/latest");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("corpus not fetched ({}): skipped", dir.display());
            return;
        };
        let mut paths: Vec<std::path::PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        // The paths' actions and some of the other risk rules'.
        let fixed: Vec<&str> = crate::rules::security::privilege_escalation::PATHS
            .iter()
            .flat_map(|p| p.actions.iter().copied())
            .chain([
                "sts:AssumeRole",
                "s3:GetObject",
                "ssm:GetParameter",
                "secretsmanager:GetSecretValue",
                "rds-db:connect",
                "cognito-identity:GetCredentialsForIdentity",
            ])
            .collect();
        let (mut compared, mut found) = (0, 0);
        for text in paths
            .iter()
            .step_by(4)
            .filter_map(|p| std::fs::read_to_string(p).ok())
        {
            let document = crate::syntax::parse(&text);
            let policy = Policy::from_root(document.root.as_ref());
            let index = OpenIndex::new(&policy);
            let own = policy.statements.iter().flat_map(|st| {
                st.action
                    .iter()
                    .flat_map(|l| l.items.iter().map(|i| i.value))
            });
            for question in fixed.iter().copied().chain(own) {
                for side in [&index.allow, &index.deny, &index.pattern_allows] {
                    let want = every_match(side, &policy, question);
                    assert_eq!(keyed_matches(side, &policy, question), want, "{question}");
                    compared += 1;
                    found += want.len();
                }
            }
        }
        assert!(compared > 100_000 && found > 10_000, "{compared} {found}");
    }

    /// Generated policies (a fixed pseudo-random sequence) whose statements name path actions
    /// by several items (exact, in other case, by patterns of the service and of no service,
    /// NotAction) on Resource patterns that reach every role or function, or not: the index
    /// must pick the statement and the item the straightforward reading picks.
    #[test]
    fn type_pattern_grant_agrees_with_the_straightforward_reading() {
        const ITEMS: &[&str] = &[
            "*",
            "iam:*",
            "IAM:Pass*",
            "iam:PassRole",
            "iam:passrole",
            "i?m:PassRole",
            "*:PassRole",
            "iam*PassRole",
            "iam:Pass?ole",
            "lambda:*Function*",
            "lambda:UpdateFunctionCode",
            "LAMBDA:updatefunctioncode",
            "lambda:Update*",
            "Lambda:*",
            "s3:Get*",
            "ec2:RunInstances",
            "iam:CreateAccessKey",
            "iam:Create*",
            "iam:passrolex",
            "",
        ];
        const RESOURCES: &[&str] = &[
            r#""Resource": "arn:aws:iam::*:role/*""#,
            r#""Resource": ["arn:aws:lambda:*:*:function:*", "arn:aws:iam::*:role/*"]"#,
            r#""Resource": "arn:aws:lambda:*:*:function:*""#,
            r#""Resource": "arn:aws:iam::*:user/*""#,
            r#""Resource": ["arn:aws:iam::111122223333:role/x", "*"]"#,
            r#""Resource": "*""#,
            r#""NotResource": ["arn:aws:s3:::b"]"#,
        ];
        const QUERIES: &[&str] = &[
            "iam:PassRole",
            "lambda:UpdateFunctionCode",
            "lambda:CreateFunction",
            "iam:CreateAccessKey",
            "ec2:RunInstances",
            "IAM:PASSROLE",
            "iam",
            "",
        ];
        let catalog = crate::catalog::catalog();
        let mut next = crate::test_random::below(0x2545_f491_4f6c_dd1du64);
        let (mut granted, mut later_item, mut asked) = (0, 0, 0);
        let conditions = [
            r#""Condition": {"Bool": {"aws:SecureTransport": "true"}}"#,
            r#""Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}"#,
            "",
            "",
            "",
            "",
        ];
        let action = |kind: usize, list: &str| match kind {
            0..=2 => format!(r#""Action": {list}"#),
            3 => format!(r#""NotAction": {list}"#),
            _ => String::new(),
        };
        for _ in 0..3000 {
            let text = generated_policy(&mut next, (ITEMS, 5), action, RESOURCES, &conditions);
            let document = crate::syntax::parse(&text);
            let policy = Policy::from_root(document.root.as_ref());
            let index = OpenIndex::new(&policy);
            for action in QUERIES {
                asked += 1;
                let ours = index
                    .type_pattern_grant(&policy, catalog, Asked::new(action))
                    .map(|g| (g.span, g.via.to_string()));
                let want = reference_type_pattern_grant(&policy, catalog, action);
                assert_eq!(ours, want, "{text} {action}");
                if let Some((span, via)) = &ours {
                    granted += 1;
                    // The item picked is not the first one that matches: the reading of
                    // exact names before patterns is exercised.
                    let first = policy.statements.iter().find_map(|st| {
                        st.action
                            .as_ref()?
                            .items
                            .iter()
                            .find(|i| i.span() == *span)
                            .map(|_| st)
                    });
                    if first.is_some_and(|st| {
                        st.action.as_ref().is_some_and(|l| {
                            l.items
                                .iter()
                                .position(|i| action_matches(i.value, action))
                                .is_some_and(|p| l.items[p].span() != *span)
                        })
                    }) {
                        later_item += 1;
                    }
                    assert!(via.starts_with('"'));
                }
            }
        }
        assert!(
            granted > 300 && later_item > 20 && asked == 3000 * QUERIES.len(),
            "{granted} {later_item}"
        );
    }

    /// Generated policies (a fixed pseudo-random sequence) over patterns that exercise the
    /// service buckets: case, `?` and `*` in the service part, no colon, non-ASCII, NotAction
    /// on both sides, NotResource, conditions.
    #[test]
    fn index_agrees_with_the_straightforward_reading() {
        const ITEMS: &[&str] = &[
            "*",
            "*:*",
            "iam:*",
            "IAM:Pass*",
            "iam:PassRole",
            "iam:passrole",
            "i?m:PassRole",
            "*:PassRole",
            "iam",
            "iam:Pass?ole",
            "lambda:*Function",
            "lambda:CreateFunction",
            "s3:Get*",
            "ec2:*",
            "e*:Run*",
            "sts:AssumeRole",
            "ssm:GetParam*",
            "\u{ef}am:PassRole",
            "iam:PassR\u{f6}le",
            "",
            "Iam:*Role",
            "*Role",
            "?am:*",
            "Lambda:Invoke?unction",
            "ec2:RunInstances",
            "iam:Create*",
            "*:*Key",
        ];
        const RESOURCES: &[&str] = &[
            r#""Resource": "*""#,
            r#""Resource": ["arn:aws:s3:::b", "*"]"#,
            r#""Resource": "arn:aws:s3:::b""#,
            r#""NotResource": ["arn:aws:s3:::b"]"#,
            r#""NotResource": "*""#,
            r#""NotResource": []"#,
            "",
        ];
        const QUERIES: &[&str] = &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
            "ec2:RunInstances",
            "iam:CreateAccessKey",
            "sts:AssumeRole",
            "ssm:GetParameter",
            "s3:GetObject",
            "iam",
            "\u{ef}am:PassRole",
            "IAM:PASSROLE",
            "x",
            "",
        ];
        let mut next = crate::test_random::below(0x9e37_79b9_7f4a_7c15u64);
        // How often each kind of answer came up, so the sequence keeps testing something.
        let (mut granted, mut through_not_action, mut denied) = (0, 0, 0);
        let conditions = [
            r#""Condition": {"Bool": {"aws:SecureTransport": "true"}}"#,
            "",
            "",
            "",
            "",
        ];
        let action = |kind: usize, list: &str| match kind {
            0 | 1 => format!(r#""Action": {list}"#),
            2 => format!(r#""NotAction": {list}"#),
            3 => format!(r#""Action": {list}, "NotAction": ["iam:*"]"#),
            _ => String::new(),
        };
        for _ in 0..3000 {
            let text = generated_policy(&mut next, (ITEMS, 4), action, RESOURCES, &conditions);
            let document = crate::syntax::parse(&text);
            let policy = Policy::from_root(document.root.as_ref());
            let index = OpenIndex::new(&policy);
            for action in QUERIES {
                assert_eq!(
                    index.denied_everywhere(&policy, action),
                    reference_denied(&policy, action),
                    "{text} {action}"
                );
                let ours = index
                    .open_grant(&policy, action)
                    .map(|g| (g.span, g.via.to_string()));
                assert_eq!(ours, reference_grant(&policy, action), "{text} {action}");
                match ours {
                    Some((_, via)) if via == "NotAction" => through_not_action += 1,
                    Some(_) => granted += 1,
                    None if index.denied_everywhere(&policy, action) => denied += 1,
                    None => {}
                }
            }
        }
        assert!(
            granted > 500 && through_not_action > 100 && denied > 500,
            "{granted} {through_not_action} {denied}"
        );
    }
}

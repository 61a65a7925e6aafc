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
//! analysis, keeps only the statements that can answer and sorts their action items by service,
//! so a question about `iam:PassRole` glob-matches only the `iam:` items and those whose service
//! part has a wildcard, instead of every item of every statement.

use std::fmt;

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
    /// (service key, rank, item) of every item whose service part (before the first `:`, or
    /// the whole value) has no wildcard, sorted by key. Such an item can only match actions of
    /// exactly that service; the key (see [`service_key`]) is equal for equal services.
    by_service: Vec<(u64, u32, u32)>,
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

/// The service part of an action or action pattern (before its first `:`, or all of it) as a
/// key: its first eight bytes, lower-cased, as one number. Equal for services that are equal
/// without regard to case, and rarely equal otherwise (longer services that share eight
/// bytes); the glob match that follows sorts those out. None when the service part has a
/// wildcard. One pass over the bytes: this runs for every item of every open statement.
fn service_key(value: &str) -> Option<u64> {
    let mut key = [0u8; 8];
    for (i, b) in value.bytes().enumerate() {
        match b {
            b':' => break,
            b'*' | b'?' => return None,
            _ => {
                if let Some(k) = key.get_mut(i) {
                    *k = b.to_ascii_lowercase();
                }
            }
        }
    }
    Some(u64::from_be_bytes(key))
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
            match service_key(item.value) {
                Some(key) => self.by_service.push((key, rank, i as u32)),
                None => self.wild.push((rank, i as u32)),
            }
        }
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

    /// Every (rank, item) whose pattern matches `action`, in no particular order.
    fn matches<'s>(
        &'s self,
        policy: &'s Policy<'_>,
        action: &'s str,
    ) -> impl Iterator<Item = (u32, u32)> + 's {
        // An action with a wildcard in its service part is not a question the rules ask; it
        // gets the key of no service, and only the wildcard items are tried.
        let key = service_key(action).unwrap_or(u64::MAX);
        let item = move |at| Self::item(policy, &self.stmts, at);
        let start = self.by_service.partition_point(|e| e.0 < key);
        let same_service = self.by_service[start..]
            .iter()
            .take_while(move |e| e.0 == key)
            .map(|e| (e.1, e.2));
        same_service
            .chain(self.wild.iter().copied())
            .filter(move |&at| action_matches(item(at).value, action))
    }

    /// True when some statement of the side covers `action`: an Action item matches it, or a
    /// NotAction has no item that matches it.
    fn covers(&self, policy: &Policy<'_>, action: &str) -> bool {
        if self.stmts.is_empty() {
            return false;
        }
        if !self.any_not_action {
            return self.matches(policy, action).next().is_some();
        }
        let mut excluded: Vec<u32> = Vec::new();
        for (rank, _) in self.matches(policy, action) {
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
        self.deny.covers(policy, action)
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
        action: &str,
    ) -> Option<Grant<'p>> {
        let side = &self.pattern_allows;
        if side.stmts.is_empty() {
            return None;
        }
        // Each statement that names the action, with the item
        // `security::action_item_for` would pick:
        // the first that equals the action, else the first that matches it. (An item equal to
        // the action without case also matches it, so it is among the matches.)
        let mut named: Vec<(u32, u32, bool)> = Vec::new(); // (rank, item, exact)
        for at in side.matches(policy, action) {
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
        if types.is_empty() || self.denied_everywhere(policy, action) {
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
        let allow = &self.allow;
        if allow.stmts.is_empty() {
            return None;
        }
        // The first covering statement: the lowest rank of an Action statement with a match,
        // or of a NotAction statement without one. Within it, the item that names the action
        // wins over the first pattern that matches it.
        let mut best: Option<(u32, u32, bool)> = None; // (rank, item, exact)
        let mut excluded: Vec<u32> = Vec::new();
        for at in allow.matches(policy, action) {
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
        if self.denied_everywhere(policy, action) {
            return None;
        }
        Some(grant)
    }
}

/// The first Allow statement that grants `action` on every resource, if the policy has one.
pub fn open_grant<'p>(cx: &Context<'p>, action: &str) -> Option<Grant<'p>> {
    cx.open_index().open_grant(cx.policy, action)
}

/// For each granting element, the actions of `actions` it grants on every resource and that can
/// be limited to named resources (see [`can_be_scoped`]), in the order the elements appear.
pub fn grants_by_element<'p>(
    cx: &Context<'p>,
    actions: &[&'static str],
) -> Vec<(Grant<'p>, Vec<&'static str>)> {
    let mut out: Vec<(Grant<'p>, Vec<&'static str>)> = Vec::new();
    for &action in actions {
        // The catalog is asked only about granted actions: most documents grant none.
        let Some(grant) = open_grant(cx, action).filter(|_| can_be_scoped(cx, action)) else {
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
                    .type_pattern_grant(&policy, catalog, action)
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

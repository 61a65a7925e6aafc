//! The statements of a policy as the gates reason about them: sets of actions, resources and
//! principals with the conditions that must hold, and the two questions every gate asks of them:
//! does one statement's set certainly contain another's (coverage), and can two sets share a
//! request at all (overlap). Every answer errs on the side that makes a gate FAIL: a "covered"
//! or "disjoint" answer is certain, the opposite answer may be a missed proof.
//!
//! Patterns are compared by the ARN and action pattern algebra of [`crate::arn`]; concrete
//! actions are matched by the evaluator's [`ActionMatcher`], so the gates, the simulator and
//! the rules agree on what a pattern means.

use crate::arn::{
    action_pattern_covers, action_patterns_may_overlap, arn_pattern_covers,
    arn_patterns_may_overlap, has_variable, is_pattern, plain_pattern_covers, Arn,
};
use crate::eval::ActionMatcher;
use crate::policy::{
    BaseOperator, ConditionOperator, Effect, OperatorFamily, Policy, Statement, StringList,
};
use crate::span::Span;
use crate::syntax::NodeKind;

/// An element that lists values (Resource, Principal) or excludes them (NotResource,
/// NotPrincipal), or is missing (identity policies have no Principal, trust policies no
/// Resource: the evaluator lets a missing element match every request).
#[derive(Clone, Debug)]
pub(crate) enum Elem<T> {
    Absent,
    Only(Vec<T>),
    AllBut(Vec<T>),
}

/// One principal value: `"*"` (anyone) or a typed value such as `AWS` with an account or ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Prin<'t> {
    Anyone,
    Typed { kind: &'t str, value: &'t str },
}

/// A condition as written: operator, key and values (numbers and booleans as their text).
#[derive(Clone, Debug)]
pub(crate) struct Cond<'t> {
    pub op: ConditionOperator,
    pub op_name: &'t str,
    pub key: &'t str,
    pub values: Vec<String>,
}

impl Cond<'_> {
    /// `StringEquals aws:PrincipalOrgID` for messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.op_name, self.key)
    }
}

/// The Action or NotAction element.
pub(crate) struct Actions<'t> {
    pub items: Vec<&'t str>,
    /// True for NotAction: every action except the items.
    pub negated: bool,
    matcher: ActionMatcher,
}

impl Actions<'_> {
    /// Does the element take in the concrete action (lower case)?
    pub fn takes(&self, action_lower: &str) -> bool {
        self.matcher.matches(action_lower) != self.negated
    }

    /// Certainly takes in every action the pattern `a` matches.
    pub fn covers_item(&self, a: &str) -> bool {
        if self.negated {
            return !self.items.iter().any(|e| action_patterns_may_overlap(e, a));
        }
        (!is_pattern(a) && self.matcher.matches(&a.to_ascii_lowercase()))
            || self.items.iter().any(|x| action_pattern_covers(x, a))
    }

    /// Certainly takes in every action of `other` (a whole Action or NotAction element).
    pub fn covers_all(&self, other: &Actions<'_>) -> bool {
        match (self.negated, other.negated) {
            (_, false) => other.items.iter().all(|a| self.covers_item(a)),
            // Everything but E_o fits in everything but E_s when E_s is inside E_o.
            (true, true) => self
                .items
                .iter()
                .all(|es| other.items.iter().any(|eo| action_pattern_covers(eo, es))),
            (false, true) => self.covers_item("*"),
        }
    }

    /// Might take in some action the pattern `a` matches?
    pub fn may_take(&self, a: &str) -> bool {
        if self.negated {
            return !self.items.iter().any(|e| action_pattern_covers(e, a));
        }
        self.items.iter().any(|x| action_patterns_may_overlap(x, a))
    }
}

/// One statement, with the facts the gates need.
pub(crate) struct Stmt<'t> {
    pub index: usize,
    pub sid: Option<&'t str>,
    pub label: String,
    pub span: Span,
    pub effect: Effect,
    pub actions: Actions<'t>,
    pub resources: Elem<&'t str>,
    pub principals: Elem<Prin<'t>>,
    pub conditions: Vec<Cond<'t>>,
    /// Version 2012-10-17: `${...}` in resources and condition values are policy variables.
    pub variables: bool,
}

impl<'t> Stmt<'t> {
    /// A statement that only names resources (read as text, without policy variables): the
    /// resources of a query, to compare with a policy's statements.
    pub fn probe(resources: &[&'t str]) -> Stmt<'t> {
        Stmt {
            index: 0,
            sid: None,
            label: String::new(),
            span: Span::empty(0),
            effect: Effect::Allow,
            actions: Actions {
                items: Vec::new(),
                negated: false,
                matcher: ActionMatcher::default(),
            },
            resources: Elem::Only(resources.to_vec()),
            principals: Elem::Absent,
            conditions: Vec::new(),
            variables: false,
        }
    }
}

/// The statements of a policy, in order. Statements without a valid Effect or without Action
/// and NotAction are left out: the evaluator rejects such policies, and callers check with it
/// first.
pub(crate) fn statements<'t>(policy: &Policy<'t>) -> Vec<Stmt<'t>> {
    let variables = policy.supports_variables();
    policy
        .statements
        .iter()
        .filter_map(|st| statement(st, variables))
        .collect()
}

fn statement<'t>(st: &Statement<'t>, variables: bool) -> Option<Stmt<'t>> {
    let effect = st.effect()?;
    let (list, negated) = match (&st.action, &st.not_action) {
        (Some(l), _) => (l, false),
        (None, Some(l)) => (l, true),
        (None, None) => return None,
    };
    let items = values(list);
    let actions = Actions {
        matcher: ActionMatcher::new(items.iter().copied()),
        items,
        negated,
    };
    let resources = match (&st.resource, &st.not_resource) {
        (Some(l), _) => Elem::Only(values(l)),
        (None, Some(l)) => Elem::AllBut(values(l)),
        (None, None) => Elem::Absent,
    };
    let principals = match (&st.principal, &st.not_principal) {
        (Some(p), _) => Elem::Only(principal_values(p)),
        (None, Some(p)) => Elem::AllBut(principal_values(p)),
        (None, None) => Elem::Absent,
    };
    let mut conditions = Vec::new();
    for block in &st.conditions {
        let Some(op) = block.operator else { continue };
        for entry in &block.entries {
            let values = entry
                .all_value_nodes()
                .into_iter()
                .filter_map(|node| match &node.kind {
                    NodeKind::String(s) => Some(s.as_str().to_owned()),
                    NodeKind::Number(n) => Some(n.clone()),
                    NodeKind::Bool(b) => Some(b.to_string()),
                    _ => None,
                })
                .collect();
            conditions.push(Cond {
                op,
                op_name: block.operator_key.value.as_str(),
                key: entry.key.value.as_str(),
                values,
            });
        }
    }
    Some(Stmt {
        index: st.index,
        sid: st.sid_value(),
        label: st.label(),
        span: st.span(),
        effect,
        actions,
        resources,
        principals,
        conditions,
        variables,
    })
}

fn values<'t>(list: &StringList<'t>) -> Vec<&'t str> {
    list.items.iter().map(|i| i.value).collect()
}

fn principal_values<'t>(p: &crate::policy::Principal<'t>) -> Vec<Prin<'t>> {
    if p.is_star {
        return vec![Prin::Anyone];
    }
    p.entries
        .iter()
        .flat_map(|e| {
            e.values
                .items
                .iter()
                .map(move |v| match (e.kind.value.as_str(), v.value) {
                    ("AWS", "*") => Prin::Anyone,
                    (kind, value) => Prin::Typed { kind, value },
                })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Units: a statement's set split into pieces that one other statement may cover.

/// A piece of a Resource-like element: one listed value, "everything except", or anything.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Unit<'s, T> {
    Item(&'s T),
    AllBut(&'s [T]),
    Any,
}

pub(crate) fn units<T>(elem: &Elem<T>) -> Vec<Unit<'_, T>> {
    match elem {
        Elem::Absent => vec![Unit::Any],
        Elem::Only(list) => list.iter().map(Unit::Item).collect(),
        Elem::AllBut(list) => vec![Unit::AllBut(list)],
    }
}

/// Text for messages: the value, "every resource except ...", or "every resource".
pub(crate) fn unit_text<T: std::fmt::Display>(unit: &Unit<'_, T>, noun: &str) -> String {
    match unit {
        Unit::Item(v) => v.to_string(),
        Unit::AllBut(list) => format!(
            "every {noun} except {}",
            list.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Unit::Any => format!("every {noun}"),
    }
}

impl std::fmt::Display for Prin<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Prin::Anyone => write!(f, "anyone (\"*\")"),
            Prin::Typed { kind, value } => write!(f, "{kind} {value}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Resources.

/// `cover` (from a policy with variables on or off) certainly matches every ARN `subject`
/// matches. A policy variable stands for the same value on both sides only when both policies
/// read `${...}` as variables (Version 2012-10-17) or both read it as text.
fn arn_covers(cover: &str, cover_vars: bool, subject: &str, subject_vars: bool) -> bool {
    if cover == "*" {
        return true;
    }
    if has_variable(cover) && cover_vars != subject_vars {
        return false;
    }
    arn_pattern_covers(cover, subject)
}

/// `t` certainly takes in every resource of `unit` (from statement `s`).
pub(crate) fn resources_cover(t: &Stmt<'_>, s: &Stmt<'_>, unit: &Unit<'_, &str>) -> bool {
    let (tv, sv) = (t.variables, s.variables);
    match (&t.resources, unit) {
        (Elem::Absent, _) => true,
        (Elem::Only(list), Unit::Item(r)) => list.iter().any(|x| arn_covers(x, tv, r, sv)),
        (Elem::Only(list), Unit::AllBut(_) | Unit::Any) => list.contains(&"*"),
        // No excluded ARN can be the subject's (variables read as anything, so this is sure).
        (Elem::AllBut(excl), Unit::Item(r)) => !excl.iter().any(|e| arn_patterns_may_overlap(e, r)),
        // Everything but E_s fits in everything but E_t when E_t is inside E_s.
        (Elem::AllBut(excl_t), Unit::AllBut(excl_s)) => excl_t
            .iter()
            .all(|et| excl_s.iter().any(|es| arn_covers(es, sv, et, tv))),
        (Elem::AllBut(_), Unit::Any) => false,
    }
}

/// `s` might take in some resource of `unit` (a piece of statement `d`).
pub(crate) fn resources_may_overlap(s: &Stmt<'_>, d: &Stmt<'_>, unit: &Unit<'_, &str>) -> bool {
    match (&s.resources, unit) {
        (Elem::Absent, _) | (_, Unit::Any | Unit::AllBut(_)) => true,
        (Elem::Only(list), Unit::Item(r)) => list.iter().any(|x| arn_patterns_may_overlap(x, r)),
        (Elem::AllBut(excl), Unit::Item(r)) => !excl
            .iter()
            .any(|e| arn_covers(e, s.variables, r, d.variables)),
    }
}

// ---------------------------------------------------------------------------------------------
// Principals.

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account of an AWS principal value (an account id or an ARN with a 12-digit account).
fn account_of(value: &str) -> Option<&str> {
    if is_account_id(value) {
        return Some(value);
    }
    Arn::parse(value)
        .ok()
        .map(|a| a.account.value)
        .filter(|a| is_account_id(a))
}

/// True when an AWS principal value names every principal of an account.
fn is_whole_account(value: &str) -> bool {
    is_account_id(value) || (account_of(value).is_some() && value.ends_with(":root"))
}

/// `t` certainly names every caller `p` names.
pub(crate) fn principal_covers(t: &Prin<'_>, p: &Prin<'_>) -> bool {
    match (t, p) {
        (Prin::Anyone, _) => true,
        (_, Prin::Anyone) => false,
        (
            Prin::Typed {
                kind: tk,
                value: tv,
            },
            Prin::Typed {
                kind: pk,
                value: pv,
            },
        ) => {
            if tk != pk {
                return false;
            }
            match *tk {
                "AWS" => {
                    tv == pv
                        || (is_whole_account(tv)
                            && account_of(tv).is_some()
                            && account_of(tv) == account_of(pv))
                }
                "Service" => tv.eq_ignore_ascii_case(pv),
                _ => tv == pv,
            }
        }
    }
}

/// No caller is named by both.
fn principals_disjoint(a: &Prin<'_>, b: &Prin<'_>) -> bool {
    match (a, b) {
        (Prin::Anyone, _) | (_, Prin::Anyone) => false,
        (
            Prin::Typed {
                kind: ak,
                value: av,
            },
            Prin::Typed {
                kind: bk,
                value: bv,
            },
        ) => {
            if ak != bk {
                return true;
            }
            match *ak {
                "AWS" => matches!((account_of(av), account_of(bv)), (Some(x), Some(y)) if x != y),
                "Service" => !av.eq_ignore_ascii_case(bv),
                _ => false,
            }
        }
    }
}

/// `t` certainly names every caller of `unit`.
pub(crate) fn principals_cover(t: &Stmt<'_>, unit: &Unit<'_, Prin<'_>>) -> bool {
    match (&t.principals, unit) {
        (Elem::Absent, _) => true,
        (Elem::Only(list), Unit::Item(p)) => list.iter().any(|x| principal_covers(x, p)),
        (Elem::Only(list), Unit::AllBut(_) | Unit::Any) => list.contains(&Prin::Anyone),
        (Elem::AllBut(excl), Unit::Item(p)) => excl.iter().all(|e| principals_disjoint(e, p)),
        (Elem::AllBut(excl_t), Unit::AllBut(excl_s)) => excl_t
            .iter()
            .all(|et| excl_s.iter().any(|es| principal_covers(es, et))),
        (Elem::AllBut(_), Unit::Any) => false,
    }
}

/// `s` might name some caller of `unit`.
pub(crate) fn principals_may_overlap(s: &Stmt<'_>, unit: &Unit<'_, Prin<'_>>) -> bool {
    match (&s.principals, unit) {
        (Elem::Absent, _) | (_, Unit::Any | Unit::AllBut(_)) => true,
        (Elem::Only(list), Unit::Item(p)) => list.iter().any(|x| !principals_disjoint(x, p)),
        (Elem::AllBut(excl), Unit::Item(p)) => !excl.iter().any(|e| principal_covers(e, p)),
    }
}

// ---------------------------------------------------------------------------------------------
// Conditions.

/// Every request that satisfies all of `s`'s conditions certainly satisfies all of `t`'s.
pub(crate) fn conditions_imply(s: &Stmt<'_>, t: &Stmt<'_>) -> bool {
    unimplied_conditions(s, t).next().is_none()
}

/// The conditions of `t` that no condition of `s` is shown to imply.
pub(crate) fn unimplied_conditions<'a, 't>(
    s: &'a Stmt<'_>,
    t: &'a Stmt<'t>,
) -> impl Iterator<Item = &'a Cond<'t>> + 'a {
    t.conditions.iter().filter(move |ct| {
        !s.conditions
            .iter()
            .any(|cs| condition_implies(cs, s.variables, ct, t.variables))
    })
}

/// `cs` (from a policy with variables on or off) certainly implies `ct`. Policy values are
/// alternatives: a positive operator holds when a request value matches one of them, so fewer
/// (or narrower) values are stricter; a negated operator holds when none matches, so more (or
/// wider) values are stricter. Operators must agree, except that dropping `IfExists` is stricter.
fn condition_implies(cs: &Cond<'_>, sv: bool, ct: &Cond<'_>, tv: bool) -> bool {
    if !cs.key.eq_ignore_ascii_case(ct.key)
        || cs.op.base != ct.op.base
        || cs.op.qualifier != ct.op.qualifier
        || (cs.op.if_exists && !ct.op.if_exists && cs.op.base != BaseOperator::Null)
    {
        return false;
    }
    let variables_differ = sv != tv && cs.values.iter().chain(&ct.values).any(|v| has_variable(v));
    if variables_differ {
        return false;
    }
    let base = cs.op.base;
    let covers = |wide: &str, narrow: &str| value_covers(base, wide, narrow);
    if base.is_negated() {
        ct.values
            .iter()
            .all(|vt| cs.values.iter().any(|vs| covers(vs, vt)))
    } else {
        cs.values
            .iter()
            .all(|vs| ct.values.iter().any(|vt| covers(vt, vs)))
    }
}

/// Every request value the policy value `narrow` accepts under `base`, `wide` accepts too.
fn value_covers(base: BaseOperator, wide: &str, narrow: &str) -> bool {
    if wide == narrow {
        return true;
    }
    match base.family() {
        OperatorFamily::String if base.supports_wildcards() => plain_pattern_covers(wide, narrow),
        OperatorFamily::String
            if matches!(
                base,
                BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase
            ) =>
        {
            wide.to_lowercase() == narrow.to_lowercase()
        }
        OperatorFamily::Arn => arn_pattern_covers(wide, narrow),
        _ => false,
    }
}

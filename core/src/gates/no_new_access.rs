//! No new access: the new policy allows no request that the reference policy does not.
//!
//! The proof has two halves. (1) Every Allow statement of the new policy is covered by the
//! reference's Allow statements: split into pieces (one listed resource and one listed principal
//! each), every action of a piece is taken in by a reference Allow statement that takes in the
//! piece's resource and principal and whose conditions the new statement's conditions imply.
//! (2) No request the reference denies becomes allowed: each piece of each reference Deny
//! statement is covered by the new policy's Deny statements (with conditions the reference's
//! imply), or else no new Allow statement can reach it. Together: a request the new policy
//! allows is allowed by some reference Allow and hit by no reference Deny.

use super::model::{
    conditions_imply, principals_cover, principals_may_overlap, resources_cover,
    resources_may_overlap, statements, unimplied_conditions, unit_text, units, Prin, Stmt, Unit,
};
use super::{name_list, reason, GatePolicy, GateResult, Reason, Universe};
use crate::policy::{Effect, PolicyType};

/// Most names listed in one reason.
const SHOWN: usize = 5;

/// Does `new` allow any request that `reference` does not? PASS only when certainly not.
/// `policy_type` is accepted for the command contract; the reasoning is the same for every type
/// (a principal element, where there is one, is part of the request like the others).
pub fn check_no_new_access(
    reference: &GatePolicy<'_>,
    new: &GatePolicy<'_>,
    _policy_type: &PolicyType,
) -> GateResult {
    let undecided = new.undecided();
    if !undecided.is_empty() {
        return GateResult::from_reasons(undecided);
    }
    let old_view = reference.view();
    let new_view = new.view();
    let old = statements(&old_view);
    let new = statements(&new_view);
    let universe = std::cell::OnceCell::new();
    let universe = || universe.get_or_init(|| Universe::of(&[&old, &new]));
    let allows = |list: &'_ [Stmt<'_>]| -> Vec<usize> {
        (0..list.len())
            .filter(|&i| list[i].effect == Effect::Allow)
            .collect()
    };
    let denies = |list: &'_ [Stmt<'_>]| -> Vec<usize> {
        (0..list.len())
            .filter(|&i| list[i].effect == Effect::Deny)
            .collect()
    };
    let (old_allows, new_allows) = (allows(&old), allows(&new));
    let (old_denies, new_denies) = (denies(&old), denies(&new));

    let mut reasons = Vec::new();
    let old_allow_list: Vec<&Stmt<'_>> = old_allows.iter().map(|&j| &old[j]).collect();
    for &i in &new_allows {
        let s = &new[i];
        let every = |_: &Unit<'_, &str>, _: &Unit<'_, Prin<'_>>, _: &str| true;
        for gap in uncovered(s, &old_allow_list, universe, &every) {
            reasons.push(reason(s, allow_gap_text(s, &gap, &old_allow_list)));
        }
    }
    let new_deny_list: Vec<&Stmt<'_>> = new_denies.iter().map(|&j| &new[j]).collect();
    for &i in &old_denies {
        let d = &old[i];
        // What the new policy no longer denies matters only where a new Allow reaches it.
        let reaching = |res: &Unit<'_, &str>, prin: &Unit<'_, Prin<'_>>, lower: &str| {
            new_allows.iter().any(|&k| {
                let s = &new[k];
                s.actions.takes(lower)
                    && resources_may_overlap(s, d, res)
                    && principals_may_overlap(s, prin)
            })
        };
        for gap in uncovered(d, &new_deny_list, universe, &reaching) {
            for &k in &new_allows {
                let s = &new[k];
                if !(resources_may_overlap(s, d, &gap.resource)
                    && principals_may_overlap(s, &gap.principal))
                {
                    continue;
                }
                let reached: Vec<&str> = gap
                    .actions
                    .iter()
                    .filter(|(lower, _)| s.actions.takes(lower))
                    .map(|(_, shown)| shown.as_str())
                    .collect();
                if reached.is_empty() {
                    continue;
                }
                reasons.push(reason(
                    s,
                    format!(
                        "{} allows {}{} on {}, which the reference's Deny {} refuses; no Deny \
                         statement of this policy is shown to refuse it",
                        s.label,
                        name_list(&reached, SHOWN),
                        if gap.more { " and more" } else { "" },
                        unit_text(&gap.resource, "resource"),
                        d.label
                    ),
                ));
            }
        }
    }
    GateResult::from_reasons(dedup(reasons))
}

/// A piece of a statement that the covering statements do not cover.
struct Gap<'s, 't> {
    resource: Unit<'s, &'t str>,
    principal: Unit<'s, Prin<'t>>,
    /// Uncovered concrete actions (lower case, displayed), at most [`SHOWN`].
    actions: Vec<(String, String)>,
    /// There are more than these.
    more: bool,
}

/// Which uncovered actions of a piece (its resource, its principal, the action) to report.
type Keep<'k> = dyn Fn(&Unit<'_, &str>, &Unit<'_, Prin<'_>>, &str) -> bool + 'k;

/// The pieces of `s` not shown to be covered by the union of `covers`, with the uncovered
/// actions that `keep` selects (the search stops once more than [`SHOWN`] are found).
fn uncovered<'s, 't, 'u>(
    s: &'s Stmt<'t>,
    covers: &[&Stmt<'_>],
    universe: impl Fn() -> &'u Universe,
    keep: &Keep<'_>,
) -> Vec<Gap<'s, 't>> {
    let mut gaps = Vec::new();
    for resource in units(&s.resources) {
        for principal in units(&s.principals) {
            let candidates: Vec<&Stmt<'_>> = covers
                .iter()
                .copied()
                .filter(|t| {
                    resources_cover(t, s, &resource)
                        && principals_cover(t, &principal)
                        && conditions_imply(s, t)
                })
                .collect();
            if candidates.iter().any(|t| t.actions.covers_all(&s.actions)) {
                continue;
            }
            // Not shown at once: look at each action the piece can take.
            let mut actions: Vec<(String, String)> = Vec::new();
            // Returns false (stop) once an action beyond the shown ones is found.
            let mut visit = |lower: &str, shown: &dyn Fn() -> String| {
                if s.actions.takes(lower)
                    && !candidates.iter().any(|t| t.actions.takes(lower))
                    && keep(&resource, &principal, lower)
                    && !actions.iter().any(|(o, _)| o == lower)
                {
                    if actions.len() == SHOWN {
                        return false;
                    }
                    actions.push((lower.to_string(), shown()));
                }
                true
            };
            let u = universe();
            let more = if s.actions.negated {
                !u.scan(None, &mut visit)
            } else {
                !s.actions.items.iter().all(|item| {
                    candidates.iter().any(|t| t.actions.covers_item(item))
                        || u.scan(Some(item), &mut visit)
                })
            };
            if !actions.is_empty() {
                gaps.push(Gap {
                    resource,
                    principal,
                    actions,
                    more,
                });
            }
        }
    }
    gaps
}

/// "statement 2 grants s3:PutObject on arn:aws:s3:::reports/*, which the reference does not",
/// with what the reference asks for when only its conditions are missing.
fn allow_gap_text(s: &Stmt<'_>, gap: &Gap<'_, '_>, old_allows: &[&Stmt<'_>]) -> String {
    let names: Vec<&str> = gap.actions.iter().map(|(_, n)| n.as_str()).collect();
    let to = match &gap.principal {
        Unit::Any => String::new(),
        p => format!(" to {}", unit_text(p, "principal")),
    };
    let what = format!(
        "{} grants {}{} on {}{to}",
        s.label,
        name_list(&names, SHOWN),
        if gap.more { " and more" } else { "" },
        unit_text(&gap.resource, "resource")
    );
    // Reference statements that would cover the piece but for their conditions.
    let conditional: Vec<&Stmt<'_>> = old_allows
        .iter()
        .copied()
        .filter(|t| {
            resources_cover(t, s, &gap.resource)
                && principals_cover(t, &gap.principal)
                && !conditions_imply(s, t)
                && gap.actions.iter().all(|(l, _)| t.actions.takes(l))
        })
        .collect();
    if let Some(t) = conditional.first() {
        let missing: Vec<String> = unimplied_conditions(s, t).map(|c| c.label()).collect();
        return format!(
            "{what} without the condition{} the reference's {} requires ({}): a removed or \
             weakened condition is new access",
            if missing.len() == 1 { "" } else { "s" },
            t.label,
            missing.join(", ")
        );
    }
    let partly = old_allows.iter().any(|t| {
        gap.actions.iter().any(|(l, _)| t.actions.takes(l))
            && resources_may_overlap(t, s, &gap.resource)
    });
    if partly {
        format!(
            "{what}, which the reference is not shown to grant (it grants some of this, but not \
             for every resource, principal or condition this statement allows)"
        )
    } else {
        format!("{what}, which the reference does not")
    }
}

fn dedup(mut reasons: Vec<Reason>) -> Vec<Reason> {
    let mut seen = std::collections::HashSet::new();
    reasons.retain(|r| seen.insert(r.description.clone()));
    reasons
}

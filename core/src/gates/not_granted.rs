//! Access not granted: the policy allows none of the listed actions (on the listed resources).
//! With actions only, on any resource; with resources only, any action on them; with both, any
//! listed action on any listed resource.

use super::model::{resources_cover, resources_may_overlap, statements, Elem, Prin, Stmt, Unit};
use super::{name_list, reason, GatePolicy, GateResult, Universe};
use crate::policy::Effect;

/// What must not be granted. Entries may hold wildcards (`s3:Put*`, `arn:aws:s3:::b/*`).
#[derive(Clone, Debug, Default)]
pub struct AccessQuery {
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

/// Does the policy allow any of the access in `query`? PASS only when certainly not. A Deny
/// statement takes access away only where it refuses every request without conditions.
pub fn check_access_not_granted(policy: &GatePolicy<'_>, query: &AccessQuery) -> GateResult {
    let undecided = policy.undecided();
    if !undecided.is_empty() {
        return GateResult::from_reasons(undecided);
    }
    let view = policy.view();
    let list = statements(&view);
    let universe = Universe::new(
        list.iter()
            .flat_map(|st| st.actions.items.iter().copied())
            .chain(query.actions.iter().map(String::as_str)),
    );
    // Listed actions as the concrete actions they stand for; no list means every action.
    let wanted: Vec<(String, String)> = if query.actions.is_empty() {
        universe.names(None)
    } else {
        let mut out: Vec<(String, String)> = Vec::new();
        for a in &query.actions {
            for entry in universe.names(Some(a)) {
                if !out.iter().any(|e| e.0 == entry.0) {
                    out.push(entry);
                }
            }
        }
        out
    };
    let resources: Vec<&str> = query.resources.iter().map(String::as_str).collect();
    // The listed resources read as text: a probe statement that names them.
    let probe = Stmt::probe(&resources);
    let units: Vec<Unit<'_, &str>> = if resources.is_empty() {
        vec![Unit::Any]
    } else {
        resources.iter().map(Unit::Item).collect()
    };
    let denies: Vec<&Stmt<'_>> = list
        .iter()
        .filter(|d| d.effect == Effect::Deny && d.conditions.is_empty() && refuses_anyone(d))
        .collect();

    let mut reasons = Vec::new();
    for s in list.iter().filter(|s| s.effect == Effect::Allow) {
        let mut granted: Vec<&str> = Vec::new();
        let mut on: Vec<String> = Vec::new();
        for unit in &units {
            if !resources_may_overlap(s, &probe, unit) {
                continue;
            }
            let refusing: Vec<&&Stmt<'_>> = denies
                .iter()
                .filter(|d| resources_cover(d, &probe, unit))
                .collect();
            let mut any = false;
            for (lower, shown) in &wanted {
                if s.actions.takes(lower) && !refusing.iter().any(|d| d.actions.takes(lower)) {
                    any = true;
                    if !granted.contains(&shown.as_str()) {
                        granted.push(shown);
                    }
                }
            }
            if any {
                on.push(super::model::unit_text(unit, "resource"));
            }
        }
        if !granted.is_empty() {
            let on_text = if resources.is_empty() {
                String::new()
            } else {
                format!(" on {}", on.join(", "))
            };
            reasons.push(reason(
                s,
                format!("{} grants {}{on_text}", s.label, name_list(&granted, 5)),
            ));
        }
    }
    GateResult::from_reasons(reasons)
}

/// The Deny applies to every caller: no principal element, `"*"`, or an empty NotPrincipal.
fn refuses_anyone(d: &Stmt<'_>) -> bool {
    match &d.principals {
        Elem::Absent => true,
        Elem::Only(list) => list.contains(&Prin::Anyone),
        Elem::AllBut(list) => list.is_empty(),
    }
}

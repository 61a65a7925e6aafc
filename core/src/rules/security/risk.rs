//! Shared by the risk-category rules (privilege escalation, resource exposure, credentials
//! exposure, data exfiltration): which actions the policy grants on resources that are not
//! narrowed, and where in the text each grant comes from.
//!
//! "Not narrowed" follows cloudsplaining's reading: an Allow statement whose Resource is `"*"`
//! (or that uses NotResource) and that has no Condition. An unconditional Deny on `"*"` takes the
//! action away again. Conditions are not evaluated: a statement with any condition is treated as
//! narrowed, which errs towards fewer findings.

use crate::policy::Statement;
use crate::rules::Context;
use crate::span::Span;

use super::common::{glob_match, statement_covers_action};

/// Where an action is granted: the element to point at.
#[derive(Clone, Debug)]
pub struct Grant {
    pub span: Span,
    /// The text of the granting element, for messages (`"iam:*"`, `NotAction`).
    pub via: String,
}

/// True for an Allow-shaped statement whose resources are not narrowed and that has no Condition.
pub fn open_to_every_resource(st: &Statement<'_>) -> bool {
    if st.condition.is_some() {
        return false;
    }
    if let Some(list) = &st.resource {
        return list.contains("*");
    }
    if let Some(list) = &st.not_resource {
        return !list.items.is_empty() && !list.contains("*");
    }
    false
}

/// True when an unconditional Deny on `"*"` covers the action.
pub fn denied_everywhere(cx: &Context<'_>, action: &str) -> bool {
    cx.policy.statements.iter().any(|st| {
        st.is_deny()
            && st.condition.is_none()
            && st.resource.as_ref().is_some_and(|r| r.contains("*"))
            && statement_covers_action(st, action)
    })
}

/// The first Allow statement that grants `action` on every resource, if the policy has one.
pub fn open_grant(cx: &Context<'_>, action: &str) -> Option<Grant> {
    if denied_everywhere(cx, action) {
        return None;
    }
    cx.policy.statements.iter().find_map(|st| {
        if !st.is_allow() || !open_to_every_resource(st) || !statement_covers_action(st, action) {
            return None;
        }
        if let Some(list) = &st.action {
            let item = list
                .items
                .iter()
                .find(|i| i.value.eq_ignore_ascii_case(action))
                .or_else(|| list.items.iter().find(|i| glob_match(i.value, action)))?;
            return Some(Grant {
                span: item.span(),
                via: format!("\"{}\"", item.value),
            });
        }
        let list = st.not_action.as_ref()?;
        Some(Grant {
            span: list.key().span,
            via: "NotAction".to_string(),
        })
    })
}

/// For each granting element, the actions of `actions` it grants on every resource (in the order
/// the elements appear).
pub fn grants_by_element(cx: &Context<'_>, actions: &[String]) -> Vec<(Grant, Vec<String>)> {
    let mut out: Vec<(Grant, Vec<String>)> = Vec::new();
    for action in actions {
        let Some(grant) = open_grant(cx, action) else {
            continue;
        };
        match out.iter_mut().find(|(g, _)| g.span == grant.span) {
            Some((_, list)) => list.push(action.clone()),
            None => out.push((grant, vec![action.clone()])),
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

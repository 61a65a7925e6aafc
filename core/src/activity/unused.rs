//! Unused grants: for each Action item of each Allow statement of a policy, which of the actions
//! it grants a principal's activity used, which it never used, and which CloudTrail cannot show
//! (data events when the logs have none, `iam:PassRole`, actions no event needs). Untracked
//! actions are never called unused. The narrowed policy drops the unused actions with the same
//! never-wider edits as the quick-fixes ([`crate::fix::narrow`], [`crate::fix::edit`]): an item
//! is removed or replaced by the actions it matched that stay, a statement left with no action is
//! removed, and nothing else changes.

use std::collections::BTreeSet;

use serde::Serialize;

use super::mapping::{actions_for_event, tracking, Tracking};
use super::usage::{Filter, Usage};
use crate::audit::format_time;
use crate::catalog::{catalog, Action};
use crate::diagnostic::{apply_edits, Category, Diagnostic, Fix, TextEdit};
use crate::fix::edit::remove_array_items;
use crate::fix::layout::Layout;
use crate::fix::narrow::{replace_list_item_with_actions, ListedActions};
use crate::host::{in_host, HostDocument};
use crate::line_index::{LineIndex, PositionEncoding};
use crate::policy::{Policy, PolicyType};
use crate::span::Span;
use crate::syntax::{self, NodeKind};

/// An Action item that grants actions the principal never used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnusedItem {
    /// The statement, as findings name it (`statement "Sid"` or `statement 2`).
    pub statement: String,
    /// The item as written (`s3:*`).
    pub item: String,
    /// The actions it grants that were never used (catalog spelling, catalog order).
    pub actions: Vec<String>,
    /// True when none of its actions was used or untracked: the item goes.
    pub removed: bool,
    /// The item's byte span in the policy text (with its quotes).
    #[serde(skip)]
    pub span: Span,
    /// 1-based line and column (characters) of the item.
    pub line: u32,
    pub column: u32,
    /// The edits that drop this item's unused actions alone, with the never-wider edits of the
    /// narrowed policy: the item replaced by the actions that stay, else removed, else (the
    /// statement's only item) the statement removed. Empty when the text cannot be edited.
    #[serde(skip)]
    pub fix: Vec<TextEdit>,
}

/// What `iamlint unused` reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnusedReport {
    /// Granted actions the activity used.
    pub used: Vec<String>,
    /// Services none of whose granted actions was used (or is untracked).
    pub unused_services: Vec<String>,
    pub unused: Vec<UnusedItem>,
    /// Granted actions CloudTrail cannot show; never called unused.
    pub untracked: Vec<String>,
    /// The policy without the unused actions (the text unchanged when nothing is unused).
    pub policy: String,
    pub notes: Vec<String>,
}

/// Why a policy cannot be read for `unused`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Which of the granted actions of `policy_text` the usage shows used.
pub fn unused(policy_text: &str, usage: &Usage) -> Result<UnusedReport, Vec<PolicyError>> {
    let doc = syntax::parse(policy_text);
    let index = LineIndex::new(policy_text);
    let position = |offset: usize| {
        let lc = index.line_col(policy_text, offset, PositionEncoding::Chars);
        (lc.line + 1, lc.col + 1)
    };
    if !doc.errors.is_empty() || doc.root.is_none() {
        let errors = doc
            .errors
            .iter()
            .map(|e| {
                let (line, column) = position(e.span.start);
                PolicyError {
                    line,
                    column,
                    message: format!("JSON syntax: {}", e.message),
                }
            })
            .collect::<Vec<_>>();
        return Err(if errors.is_empty() {
            vec![PolicyError {
                line: 1,
                column: 1,
                message: "the policy file is empty".into(),
            }]
        } else {
            errors
        });
    }
    let policy = Policy::from_root(doc.root.as_ref());
    let used_by_activity = used_actions(usage);
    // Data events show an action only when the trail records them: without any in the logs, the
    // actions that only data events show are untracked.
    let data_logged = usage.stats.data_events > 0;
    let layout = Layout::new(policy_text);
    let mut used = BTreeSet::new();
    let mut untracked = BTreeSet::new();
    // service -> (granted, kept)
    let mut services: std::collections::BTreeMap<String, bool> = Default::default();
    let mut items = Vec::new();
    let mut edits: Vec<TextEdit> = Vec::new();
    let mut removed_statements = Vec::new();
    let mut notes = Vec::new();
    for st in &policy.statements {
        if !st.is_allow() {
            continue;
        }
        if st.not_action.is_some() {
            notes.push(format!(
                "The {} allows with NotAction: what it grants is not listed, so it is not \
                 checked.",
                st.label()
            ));
            continue;
        }
        let Some(list) = &st.action else { continue };
        let known = ListedActions::of_list(list);
        let mut statement_edits = Vec::new();
        let mut removed_items = Vec::new();
        for (i, item) in list.items.iter().enumerate() {
            let actions = catalog().expand_action_pattern(item.value);
            if actions.is_empty() {
                continue;
            }
            let mut kept: Vec<Action<'_>> = Vec::new();
            let mut never: Vec<String> = Vec::new();
            for a in &actions {
                let name = a.full_name();
                let lower = name.to_ascii_lowercase();
                let service = a.service().prefix().to_string();
                if used_by_activity.contains(&lower) {
                    used.insert(name);
                    kept.push(*a);
                    services.insert(service, true);
                } else if is_untracked(&name, data_logged) {
                    untracked.insert(name);
                    kept.push(*a);
                    services.insert(service, true);
                } else {
                    never.push(name);
                    services.entry(service).or_insert(false);
                }
            }
            if never.is_empty() {
                continue;
            }
            let (line, column) = position(item.span().start);
            let removed = kept.is_empty();
            let fix = if removed {
                removed_items.push(i);
                if list.items.len() == 1 && list.invalid.is_empty() {
                    remove_statements(policy_text, &policy, &[st.index], &mut Vec::new())
                } else {
                    list.value()
                        .and_then(|v| remove_array_items(policy_text, v, &[i]))
                        .unwrap_or_default()
                }
            } else {
                let edit =
                    replace_list_item_with_actions(&layout, list, i, kept.into_iter(), &known);
                statement_edits.extend(edit.clone());
                edit.into_iter().collect()
            };
            items.push(UnusedItem {
                statement: st.label(),
                item: item.value.to_string(),
                actions: never,
                removed,
                span: item.span(),
                line,
                column,
                fix,
            });
        }
        if removed_items.len() == list.items.len() && list.invalid.is_empty() {
            removed_statements.push(st.index);
            continue;
        }
        if !removed_items.is_empty() {
            match list
                .value()
                .and_then(|v| remove_array_items(policy_text, v, &removed_items))
            {
                Some(e) => statement_edits.extend(e),
                None => notes.push(format!(
                    "The unused items of the {} could not be removed from its text; remove \
                     them by hand.",
                    st.label()
                )),
            }
        }
        edits.extend(statement_edits);
    }
    if !removed_statements.is_empty() {
        edits.extend(remove_statements(
            policy_text,
            &policy,
            &removed_statements,
            &mut notes,
        ));
    }
    let narrowed = apply_edits(policy_text, &edits).unwrap_or_else(|| {
        notes.push("The narrowed policy could not be written; the policy is unchanged.".into());
        policy_text.to_string()
    });
    if usage.stats.from_rows {
        notes.push(
            "Read from usage rows: whether the logs hold data events is not known, so actions \
             only data events show are untracked."
                .into(),
        );
    } else if !data_logged {
        notes.push(
            "The principal's activity has no data event: actions that only data events show \
             (s3:GetObject, lambda:InvokeFunction, ...) are untracked, not unused."
                .into(),
        );
    }
    Ok(UnusedReport {
        used: used.into_iter().collect(),
        unused_services: services
            .into_iter()
            .filter(|(_, kept)| !kept)
            .map(|(s, _)| s)
            .collect(),
        unused: items,
        untracked: untracked.into_iter().collect(),
        policy: narrowed,
        notes,
    })
}

/// The code of the editor's finding for an Action item that grants actions never used.
pub const UNUSED_GRANT: &str = "UNUSED_GRANT";

/// At most this many unused actions are spelled out in a finding's message.
const NAMED: usize = 6;

/// The report's unused items as findings (code [`UNUSED_GRANT`], category suggestion: nothing is
/// wrong with the policy as written) on each item's span, with the item's own narrowing as a
/// review fix: the activity cannot prove an action will never be needed, a person decides.
/// `filter` is the activity's principal and period, for the message.
pub fn unused_diagnostics(
    report: &UnusedReport,
    filter: &Filter,
    usage: &Usage,
) -> Vec<Diagnostic> {
    let from = filter.since.or(usage.stats.first).map(format_time);
    let to = filter.until.or(usage.stats.last).map(format_time);
    let period = match (from, to) {
        (Some(from), Some(to)) => format!(" from {from} to {to}"),
        _ => String::new(),
    };
    report
        .unused
        .iter()
        .map(|item| {
            let n = item.actions.len();
            let mut named = item.actions[..n.min(NAMED)].join(", ");
            if n > NAMED {
                named.push_str(&format!(" and {} more", n - NAMED));
            }
            let (what, title) = if item.removed {
                (
                    format!("\"{}\" grants only actions", item.item),
                    format!("Remove \"{}\": never used by the principal", item.item),
                )
            } else {
                (
                    format!(
                        "\"{}\" grants {n} action{}",
                        item.item,
                        if n == 1 { "" } else { "s" }
                    ),
                    format!("Narrow \"{}\" to the actions used or untracked", item.item),
                )
            };
            let message = format!(
                "{what} that {}'s CloudTrail activity{period} never used: {named}. Remove \
                 them if the principal does not need them (actions CloudTrail cannot show are \
                 kept).",
                filter.principal.arn()
            );
            let mut d = Diagnostic::new(UNUSED_GRANT, Category::Suggestion, item.span, message);
            if !item.fix.is_empty() {
                d.fixes.push(Fix::review(title, item.fix.clone()));
            }
            d
        })
        .collect()
}

/// [`unused_diagnostics`] of each identity policy in a Terraform or CloudFormation file (those
/// whose type the host does not tell too; a trust or resource policy grants others, not the
/// principal whose activity this is): on host spans, with the fixes written in the host's
/// syntax, or not offered where it cannot write them. Nothing on values the host computes.
pub fn unused_in_host(
    host: &str,
    document: &HostDocument,
    usage: &Usage,
    filter: &Filter,
) -> Vec<Diagnostic> {
    document
        .policies
        .iter()
        .filter(|p| matches!(p.policy_type, PolicyType::Identity | PolicyType::Auto))
        .flat_map(|p| match unused(&p.json, usage) {
            Ok(report) => in_host(
                host,
                document.format,
                p,
                unused_diagnostics(&report, filter, usage),
            ),
            Err(_) => Vec::new(),
        })
        .collect()
}

/// The edits that remove whole statements (all their actions unused). A policy left with no
/// statement keeps an empty Statement list.
fn remove_statements(
    text: &str,
    policy: &Policy<'_>,
    indices: &[usize],
    notes: &mut Vec<String>,
) -> Vec<TextEdit> {
    let Some(value) = policy.statement_member.and_then(|m| m.value.as_ref()) else {
        return Vec::new();
    };
    let all = indices.len() == policy.statements.len();
    if all || !matches!(value.kind, NodeKind::Array(_)) {
        notes.push(
            "No action of the policy was used: the narrowed policy has no statement left.".into(),
        );
        return vec![TextEdit {
            span: value.span,
            text: "[]".into(),
        }];
    }
    remove_array_items(text, value, indices).unwrap_or_default()
}

/// Every action (lower case) that the usage's events needed.
fn used_actions(usage: &Usage) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (source, names) in &usage.entries {
        for name in names.keys() {
            if let Some(mapped) = actions_for_event(source, name) {
                out.extend(mapped.actions.iter().map(|a| a.action.to_ascii_lowercase()));
            }
        }
    }
    out
}

fn is_untracked(action: &str, data_logged: bool) -> bool {
    match tracking(action) {
        Tracking::Management => false,
        Tracking::Data => !data_logged,
        Tracking::NeverLogged(_) => true,
    }
}

impl UnusedReport {
    /// The report as `iamlint unused --format json` prints it: version 1, used, unusedServices,
    /// unused (items as written with their unused actions), untracked, the narrowed policy (a
    /// document) and notes.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Report<'a> {
            version: u32,
            used: &'a [String],
            unused_services: &'a [String],
            unused: &'a [UnusedItem],
            untracked: &'a [String],
            policy: Option<Box<serde_json::value::RawValue>>,
            notes: &'a [String],
        }
        let report = Report {
            version: 1,
            used: &self.used,
            unused_services: &self.unused_services,
            unused: &self.unused,
            untracked: &self.untracked,
            policy: serde_json::value::RawValue::from_string(self.policy.trim().to_string()).ok(),
            notes: &self.notes,
        };
        let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests;

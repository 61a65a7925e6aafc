//! Incremental analysis: the findings of successive versions of one document, reusing the work
//! of the previous version for the statements that did not change.
//!
//! Most rules look at one statement at a time: their findings on a statement depend only on
//! that statement (its text and tree, and its index, which messages name), on the policy type,
//! on `Version` and on the accounts the policy's resource ARNs name. Those are the *statement
//! rules* ([`Scope::Statement`]; each rule's metadata states its [`Scope`]). A [`Session`]
//! keeps, for each statement of the last version, the statement rules' findings; on a new
//! version it re-parses the text, reuses the findings of every statement whose tree and text
//! are the same (moved, with their spans shifted), runs the statement rules only on the
//! others, and runs the *document rules* (those that compare statements or look at the whole
//! text: REDUNDANT_STATEMENT, unique Sids, sizes, syntax errors, ...) on the whole document.
//! Two kinds of document rule cost less: the *split rules* ([`Scope::Split`]), whose findings
//! inside statements are kept like a statement rule's and whose findings outside statements
//! are found again on the document cut down to the changed statements; and the rules that read
//! only some elements of each statement ([`Scope::Across`]), whose findings are moved instead
//! of found again after an edit inside one statement that changes none of those elements
//! (typing in a Sid does not run
//! PRIVILEGE_ESCALATION). The result is the one [`analyze_without_fixes`] gives
//! (`tests/incremental.rs` checks it on random edits); fixes are asked for with
//! [`crate::fixes_for`].
//!
//! On a 1.3 MB policy of 5,000 statements, a keystroke in one statement costs the parse of
//! that statement, the policy view, the document rules that read what changed and one
//! statement's rules, instead of every rule on every statement.
//!
//! [`analyze_without_fixes`]: crate::analyze_without_fixes

use std::collections::BTreeSet;
use std::sync::Arc;

pub mod delta;

use crate::analysis::{run_rules, sort_findings, Analysis, AnalyzeOptions};
use crate::diagnostic::{Diagnostic, FixScope};
use crate::policy::{Policy, PolicyType};
use crate::rules::support::outside::own_accounts;
use crate::rules::{self, Context, RuleMeta, Scope};
use crate::span::Span;
use crate::syntax::{self, Node, NodeKind};

/// True for a rule whose findings a session may keep per statement ([`Scope::Statement`]).
pub fn is_statement_rule(code: &str) -> bool {
    rules::by_code(code).is_some_and(|r| r.meta.scope == Scope::Statement)
}

/// The rules a session runs on the statements that changed: their findings are kept per
/// statement (and, for [`Scope::Split`], found again outside statements).
fn runs_on_changed(meta: &RuleMeta) -> bool {
    matches!(meta.scope, Scope::Statement | Scope::Split)
}

fn is_split(code: &str) -> bool {
    rules::by_code(code).is_some_and(|r| r.meta.scope == Scope::Split)
}

/// What the statement rules read from outside the statement; when it changes, no statement's
/// findings are reused.
#[derive(Clone, PartialEq)]
struct DocumentKey {
    policy_type: PolicyType,
    /// The text of the `Version` element (key and value), if any.
    version: Option<String>,
    own_accounts: BTreeSet<String>,
}

impl DocumentKey {
    fn of(text: &str, policy: &Policy<'_>, policy_type: &PolicyType) -> DocumentKey {
        DocumentKey {
            policy_type: policy_type.clone(),
            version: policy.version.map(|m| m.span().slice(text).to_string()),
            own_accounts: own_accounts(policy)
                .into_iter()
                .map(str::to_string)
                .collect(),
        }
    }
}

/// The last version a session checked.
struct Last {
    /// Shared with the caller of [`Session::analyze_shared`] (an editor's held text): no copy.
    text: Arc<String>,
    document: syntax::Document,
    key: DocumentKey,
    /// For each statement (in order): its index, where it started, and the statement rules'
    /// findings on it, in rule order then report order.
    statements: Vec<Kept>,
    /// The document rules' findings, each rule's in report order.
    document_findings: Vec<Diagnostic>,
}

struct Kept {
    index: usize,
    start: usize,
    findings: Vec<Diagnostic>,
}

/// Checks successive versions of one document (see the module documentation).
pub struct Session {
    options: AnalyzeOptions,
    last: Option<Last>,
}

impl Session {
    pub fn new(options: AnalyzeOptions) -> Session {
        Session {
            options,
            last: None,
        }
    }

    pub fn options(&self) -> &AnalyzeOptions {
        &self.options
    }

    /// Change the options; the next check starts afresh when they differ.
    pub fn set_options(&mut self, options: AnalyzeOptions) {
        if options != self.options {
            self.options = options;
            self.last = None;
        }
    }

    /// The parse of `text` ([`syntax::parse`]'s) when `text` is the version this session
    /// checked last: an editor's other requests on that version (completion at the cursor)
    /// need not parse a large document again.
    pub fn document_of(&self, text: &str) -> Option<&syntax::Document> {
        self.last
            .as_ref()
            // The very text shared with the session is that version without a comparison.
            .filter(|last| std::ptr::eq(last.text.as_str(), text) || *last.text == text)
            .map(|last| &last.document)
    }

    /// The findings of `text`, equal to [`crate::analyze_without_fixes`]`(text, options)`.
    pub fn analyze(&mut self, text: &str) -> Analysis {
        self.analyze_shared(Arc::new(text.to_owned()), None)
    }

    /// [`Session::analyze`] of a text the caller shares, which the session keeps for the next
    /// version without a copy; `since`, when known, is the text it was edited from and the
    /// change that made it (an editor's edits, several joined by [`delta::TextChange::then`]).
    /// The change is used when that text is the one this session checked last (the same `Arc`)
    /// and it fits it: then the whole texts are not compared (a keystroke in a 1.3 MB policy).
    pub fn analyze_shared(
        &mut self,
        shared: Arc<String>,
        since: Option<(&Arc<String>, delta::TextChange)>,
    ) -> Analysis {
        let text = shared.as_str();
        let mut last = self.last.take();
        let known = match (&last, since) {
            (Some(last), Some((from, change)))
                if Arc::ptr_eq(from, &last.text) && change.fits(&last.text, text) =>
            {
                Some(change.narrowed(&last.text, text))
            }
            _ => None,
        };
        // An edit inside one statement of a well-formed document: only that statement is parsed
        // again, and the others are known to be unchanged.
        let mut edited = None;
        let mut touched = None;
        let mut document = None;
        if let Some(last) = &mut last {
            let edit = edited_statement(
                &last.text,
                &last.document,
                text,
                known,
                &self.options.policy_type,
            );
            if let Some(edit) = edit {
                let by = text.len() as isize - last.text.len() as isize;
                let mut spliced = std::mem::take(&mut last.document);
                splice(&mut spliced, edit.index, edit.node, by);
                document = Some(spliced);
                edited = Some(edit.index);
                touched = Some((edit.change, edit.touched));
            }
        }
        let document = document.unwrap_or_else(|| syntax::parse(text));
        let policy = Policy::from_root(document.root.as_ref());
        // An edit inside one statement that changes neither what the statement adds to the
        // policy type's detection nor the accounts its resources name leaves the key as it was
        // (the rest of the document is the same text), without a walk over every statement.
        let key = match (&last, &touched) {
            (Some(last), Some((_, touched))) if touched.same_key => last.key.clone(),
            _ => {
                let policy_type = self.options.policy_type.resolve(&policy);
                DocumentKey::of(text, &policy, &policy_type)
            }
        };
        let policy_type = key.policy_type.clone();
        let mut last = last.filter(|last| last.key == key);

        // The document rules that read none of the elements an edit inside one statement
        // changed: their findings are the last version's, moved through the change.
        let mut reused = Vec::new();
        let mut reused_codes: Vec<&str> = Vec::new();
        if let (Some(last), Some((change, touched))) = (&mut last, &touched) {
            let previous = std::mem::take(&mut last.document_findings);
            for rule in rules::all() {
                let (code, Scope::Across(reads)) = (rule.meta.code, rule.meta.scope) else {
                    continue;
                };
                // Only the Sid changed and the rule reads it only to name the statements its
                // findings point at: the findings stay unless one points into the statement.
                let only_names = reads.sid_names_only
                    && touched.keys.iter().all(|k| k.eq_ignore_ascii_case("Sid"))
                    && !previous.iter().filter(|d| d.code == code).any(|d| {
                        std::iter::once(d.span)
                            .chain(d.related.iter().map(|r| r.span))
                            .any(|s| {
                                s.start <= touched.statement.end && touched.statement.start <= s.end
                            })
                    });
                if !only_names && touched.keys.iter().any(|k| reads.key(k)) {
                    continue;
                }
                let moved: Option<Vec<Diagnostic>> = previous
                    .iter()
                    .filter(|d| d.code == code)
                    .map(|d| delta::moved(change, d))
                    .collect();
                if let Some(moved) = moved {
                    reused.extend(moved);
                    reused_codes.push(code);
                }
            }
        }

        // The findings each statement keeps from the last version, shifted to where it is now
        // (taken from the last version, which is dropped after this: no copy).
        let mut kept: Vec<Option<Vec<Diagnostic>>> = vec![None; policy.statements.len()];
        if let Some(mut last) = last {
            let old_nodes = match edited {
                Some(_) => Vec::new(),
                None => Policy::statement_nodes(last.document.root.as_ref()),
            };
            let mut old = last.statements.iter_mut().enumerate().peekable();
            for (slot, st) in kept.iter_mut().zip(&policy.statements) {
                // Both lists are in index order: walk them together.
                while old.next_if(|(_, k)| k.index < st.index).is_some() {}
                let Some((at, k)) = old.next_if(|(_, k)| k.index == st.index) else {
                    continue;
                };
                let same = match edited {
                    Some(index) => index != st.index,
                    None => old_nodes.get(at).is_some_and(|(_, node)| {
                        node.span.slice(&last.text) == st.node.span.slice(text)
                            && node.same_moved(st.node)
                    }),
                };
                if same {
                    *slot = Some(moved(
                        std::mem::take(&mut k.findings),
                        k.start,
                        st.node.span.start,
                    ));
                }
            }
        }

        // The statement and split rules on the statements that changed, in the document cut
        // down to them (the split rules walk every object of it).
        let is_changed: Vec<bool> = kept.iter().map(Option::is_none).collect();
        let cut = match policy.root {
            Some(root) if is_changed.iter().any(|c| !c) => cut_root(root, |index| {
                policy
                    .statements
                    .binary_search_by_key(&index, |st| st.index)
                    .is_ok_and(|k| is_changed[k])
            }),
            _ => None,
        };
        let changed = Policy {
            statements: policy
                .statements
                .iter()
                .zip(&is_changed)
                .filter(|(_, c)| **c)
                .map(|(st, _)| st.clone())
                .collect(),
            root: cut.as_ref().or(policy.root),
            ..policy.without_statements()
        };
        let mut fresh = Vec::new();
        let cx = Context::for_statements(text, &document, &policy, &changed, &policy_type);
        run_rules(
            &cx,
            &self.options,
            FixScope::None,
            runs_on_changed,
            &mut fresh,
        );
        drop(cx);
        let spans: Vec<Span> = changed.statements.iter().map(|st| st.span()).collect();
        let mut by_statement: Vec<Vec<Diagnostic>> = vec![Vec::new(); spans.len()];
        // The split rules' findings outside every statement, found again at each check.
        let mut outside = Vec::new();
        for d in fresh {
            match statement_of(&spans, &d) {
                Some(k) => by_statement[k].push(d),
                None if is_split(d.code) => outside.push(d),
                // A statement rule reported outside the statement: its findings cannot be
                // kept per statement, so check this version in full (and keep nothing).
                None => return self.analyze_in_full(text, &document),
            }
        }
        let mut by_statement = by_statement.into_iter();
        let statements: Vec<Kept> = policy
            .statements
            .iter()
            .zip(kept)
            .map(|(st, k)| Kept {
                index: st.index,
                start: st.node.span.start,
                findings: k.or_else(|| by_statement.next()).unwrap_or_default(),
            })
            .collect();

        // The document rules on the whole document.
        let cx = Context::new(text, &document, &policy, &policy_type);
        let mut document_findings = Vec::new();
        run_rules(
            &cx,
            &self.options,
            FixScope::None,
            |meta| !runs_on_changed(meta) && !reused_codes.contains(&meta.code),
            &mut document_findings,
        );
        document_findings.append(&mut reused);
        let mut diagnostics: Vec<Diagnostic> = statements
            .iter()
            .flat_map(|k| k.findings.iter().cloned())
            .collect();
        diagnostics.append(&mut outside);
        diagnostics.extend(document_findings.iter().cloned());
        sort_findings(&mut diagnostics);
        drop(cx);
        drop(changed);
        drop(policy);
        self.last = Some(Last {
            text: shared,
            document,
            key,
            statements,
            document_findings,
        });
        Analysis {
            policy_type,
            diagnostics,
        }
    }

    fn analyze_in_full(&mut self, text: &str, document: &syntax::Document) -> Analysis {
        self.last = None;
        crate::analysis::analyze_parsed_with(text, document, &self.options, FixScope::None)
    }
}

/// When `text` differs from `old_text` (whose parse, `old`, has no syntax error) only strictly
/// inside one statement's braces, and that statement's new text parses alone without error
/// (`known`: the change between the texts when the caller knows it, else they are compared):
/// the statement's index and its new node (spans in `text`). The document `text` then parses
/// to `old` with that statement replaced and the spans after it shifted (JSON without errors is
/// read the same wherever it stands; a test checks it against [`syntax::parse`]).
fn edited_statement(
    old_text: &str,
    old: &syntax::Document,
    text: &str,
    known: Option<delta::TextChange>,
    policy_type: &PolicyType,
) -> Option<Edited> {
    if !old.errors.is_empty() {
        return None;
    }
    let change = match known {
        Some(change) => change,
        None if old_text == text => return None,
        None => delta::TextChange::between(old_text, text),
    };
    if change.start == change.old_end && change.start == change.new_end {
        // The same text.
        return None;
    }
    let (index, node) = Policy::statement_nodes(old.root.as_ref())
        .into_iter()
        .find(|(_, n)| n.span.start < change.start && change.old_end < n.span.end)?;
    let end = node.span.end + text.len() - old_text.len();
    let alone = text.get(node.span.start..end)?;
    let parsed = syntax::parse(alone);
    let root = parsed.root.filter(|r| {
        parsed.errors.is_empty()
            && r.span == Span::new(0, alone.len())
            && r.as_object().is_some()
            // Inside the document the statement sits two levels deeper than alone.
            && depth(r) + 2 < syntax::MAX_DEPTH
    })?;
    let mut root = root;
    shift_spans(&mut root, 0, node.span.start as isize);
    Some(Edited {
        touched: Touched {
            keys: touched_keys(old_text, node, text, &root),
            same_key: same_key_part(policy_type, index, node, &root),
            statement: node.span,
        },
        index,
        node: root,
        change,
    })
}

/// Whether statement `index` adds the same to the [`DocumentKey`] as `old` and as `new`: alone,
/// it resolves to the same policy type (the detection ORs what each statement shows: a
/// principal, a trust statement) and its resources name the same accounts (the key's are the
/// union over the statements).
fn same_key_part(policy_type: &PolicyType, index: usize, old: &Node, new: &Node) -> bool {
    let alone = |node| Policy {
        statements: vec![crate::policy::Statement::from_node(index, node)],
        ..Policy::from_root(None)
    };
    let (a, b) = (alone(old), alone(new));
    policy_type.resolve(&a) == policy_type.resolve(&b) && own_accounts(&a) == own_accounts(&b)
}

/// What an edit inside one statement changed.
struct Touched {
    /// The keys of the statement's members whose text changed.
    keys: Vec<String>,
    /// The statement adds the same to the [`DocumentKey`] before and after ([`same_key_part`]).
    same_key: bool,
    /// The statement's span in the old text.
    statement: Span,
}

/// An edit inside one statement ([`edited_statement`]).
struct Edited {
    /// The statement's index, and its new node (spans in the new text).
    index: usize,
    node: Node,
    change: delta::TextChange,
    touched: Touched,
}

/// The keys of the members of statement `old` (in `old_text`) and `new` (in `text`) that
/// differ: compared pair by pair in order, by their text (key and value); a member
/// without a partner is counted too.
fn touched_keys(old_text: &str, old: &Node, text: &str, new: &Node) -> Vec<String> {
    let (a, b) = (
        old.as_object().unwrap_or(&[]),
        new.as_object().unwrap_or(&[]),
    );
    let mut keys: Vec<String> = Vec::new();
    for k in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(k), b.get(k));
        let same = match (x, y) {
            (Some(x), Some(y)) => x.span().slice(old_text) == y.span().slice(text),
            _ => false,
        };
        if !same {
            keys.extend(
                x.into_iter()
                    .chain(y)
                    .map(|m| m.key.value.as_str().to_owned()),
            );
        }
    }
    keys
}

fn depth(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        NodeKind::Object(members) => {
            1 + members
                .iter()
                .filter_map(|m| m.value.as_ref())
                .map(depth)
                .max()
                .unwrap_or(0)
        }
        _ => 0,
    }
}

/// Move every span boundary at or after `at` by `by`.
fn shift_spans(node: &mut Node, at: usize, by: isize) {
    // Nothing in a node that ends before `at` moves; everything in one that starts at or after
    // it does (a keystroke moves the statements after it, and those before it stay).
    if node.span.end < at {
        return;
    }
    if node.span.start >= at {
        return shift_all(node, by);
    }
    let shift = |s: &mut Span| {
        if s.start >= at {
            s.start = s.start.saturating_add_signed(by);
        }
        if s.end >= at {
            s.end = s.end.saturating_add_signed(by);
        }
    };
    shift(&mut node.span);
    match &mut node.kind {
        NodeKind::Array(items) => {
            for item in items {
                shift_spans(item, at, by);
            }
        }
        NodeKind::Object(members) => {
            for m in members {
                shift(&mut m.key.span);
                if let Some(v) = &mut m.value {
                    shift_spans(v, at, by);
                }
            }
        }
        _ => {}
    }
}

/// Move every span of `node` by `by`.
fn shift_all(node: &mut Node, by: isize) {
    let shift = |s: &mut Span| {
        s.start = s.start.saturating_add_signed(by);
        s.end = s.end.saturating_add_signed(by);
    };
    shift(&mut node.span);
    match &mut node.kind {
        NodeKind::Array(items) => {
            for item in items {
                shift_all(item, by);
            }
        }
        NodeKind::Object(members) => {
            for m in members {
                shift(&mut m.key.span);
                if let Some(v) = &mut m.value {
                    shift_all(v, by);
                }
            }
        }
        _ => {}
    }
}

/// Put `node` in place of statement `index` of `document` and move every span after the old
/// statement by `by` (the change in the text's length).
fn splice(document: &mut syntax::Document, index: usize, node: Node, by: isize) {
    let Some(root) = &mut document.root else {
        return;
    };
    let Some(at) = Policy::statement_nodes(Some(root))
        .into_iter()
        .find(|(i, _)| *i == index)
        .map(|(_, n)| n.span.end)
    else {
        return;
    };
    shift_spans(root, at, by);
    let value = match &mut root.kind {
        NodeKind::Object(members) => members
            .iter_mut()
            .rev()
            .find(|m| m.key.value == "Statement")
            .and_then(|m| m.value.as_mut()),
        _ => None,
    };
    let Some(value) = value else { return };
    if let NodeKind::Array(items) = &mut value.kind {
        if let Some(slot) = items.get_mut(index) {
            *slot = node;
        }
    } else if index == 0 {
        *value = node;
    }
}

/// The document `root` cut down to the statements whose index `keep` accepts: the same
/// top-level members, with the policy's `Statement` (the last) holding only those statements
/// and its items that are not statements; None when there is no `Statement` to cut. Only the
/// top-level members and the kept statements are copied.
fn cut_root(root: &Node, keep: impl Fn(usize) -> bool) -> Option<Node> {
    let NodeKind::Object(members) = &root.kind else {
        return None;
    };
    let at = members.iter().rposition(|m| m.key.value == "Statement")?;
    let cut_statements = |value: &Node| {
        let kind = match &value.kind {
            NodeKind::Array(items) => NodeKind::Array(
                items
                    .iter()
                    .enumerate()
                    .filter(|(i, n)| !matches!(n.kind, NodeKind::Object(_)) || keep(*i))
                    .map(|(_, n)| n.clone())
                    .collect(),
            ),
            // A single statement left out: an empty list, which no rule of the cut check
            // reports.
            NodeKind::Object(_) if !keep(0) => NodeKind::Array(Vec::new()),
            _ => return value.clone(),
        };
        Node {
            kind,
            span: value.span,
            unterminated: value.unterminated,
            unopened: value.unopened,
        }
    };
    let members = members
        .iter()
        .enumerate()
        .map(|(i, m)| match (i == at, &m.value) {
            (true, Some(value)) => syntax::Member {
                key: m.key.clone(),
                value: Some(cut_statements(value)),
            },
            _ => m.clone(),
        })
        .collect();
    Some(Node {
        kind: NodeKind::Object(members),
        span: root.span,
        unterminated: root.unterminated,
        unopened: root.unopened,
    })
}

/// `findings` of a statement that started at `from`, moved with it to `to`.
fn moved(mut findings: Vec<Diagnostic>, from: usize, to: usize) -> Vec<Diagnostic> {
    if from == to {
        return findings;
    }
    let shift = |s: Span| Span::new(s.start - from + to, s.end - from + to);
    for d in &mut findings {
        d.span = shift(d.span);
        for r in &mut d.related {
            r.span = shift(r.span);
        }
    }
    findings
}

/// The statement (of `spans`, in text order) that holds the finding and all its locations.
fn statement_of(spans: &[Span], d: &Diagnostic) -> Option<usize> {
    let k = spans.partition_point(|s| s.end < d.span.end);
    let span = spans.get(k)?;
    let inside = |s: Span| span.start <= s.start && s.end <= span.end;
    (inside(d.span) && d.related.iter().all(|r| inside(r.span))).then_some(k)
}

#[cfg(test)]
mod tests;

//! Incremental analysis: the findings of successive versions of one document, reusing the work
//! of the previous version for the statements that did not change.
//!
//! Most rules look at one statement at a time: their findings on a statement depend only on
//! that statement (its text and tree, and its index, which messages name), on the policy type,
//! on `Version` and on the accounts the policy's resource ARNs name. Those are the *statement
//! rules* ([`is_statement_rule`]). A [`Session`] keeps, for each statement of the last version,
//! the statement rules' findings; on a new version it re-parses the text, reuses the findings
//! of every statement whose tree and text are the same (moved, with their spans shifted), runs
//! the statement rules only on the others, and runs the *document rules* (those that compare
//! statements or look at the whole text: REDUNDANT_STATEMENT, unique Sids, sizes, syntax
//! errors, ...) on the whole document. Two kinds of document rule cost less: the *split rules*
//! (`SPLIT_RULES`), whose findings inside statements are kept like a statement rule's and
//! whose findings outside statements are found again on the document cut down to the changed
//! statements; and the rules that read only some elements of each statement
//! (`DOCUMENT_RULE_READS`), whose findings are moved instead of found again after an edit
//! inside one statement that changes none of those elements (typing in a Sid does not run
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

pub mod delta;

use crate::analysis::{run_rules, sort_findings, Analysis, AnalyzeOptions};
use crate::diagnostic::{Diagnostic, FixScope};
use crate::policy::{Policy, PolicyType, STATEMENT_ELEMENTS};
use crate::rules::support::outside::own_accounts;
use crate::rules::Context;
use crate::span::Span;
use crate::syntax::{self, Node, NodeKind};

/// The rules whose findings on a statement depend only on that statement and the
/// [`DocumentKey`] (see the module documentation). A rule missing here is run on the whole
/// document at every check, which is always correct, only slower: new rules start there.
/// `statement_rules_are_local` (tests.rs) checks the list on every rule example, on documents
/// mixing them and on the managed corpus. Left out although they passed it: INVALID_POLICY_ELEMENT
/// (it also reports the document's top-level elements) and RESOURCE_EXPOSURE (it reads the
/// Deny statements of the whole policy). MISSING_ACTION_FOR_CONDITION_KEY reads sibling
/// statements (a trust policy may allow `sts:TagSession` in a statement of its own): it is a
/// document rule, and `cross_statement_cases` in the tests holds a document that shows it.
const STATEMENT_RULES: &[&str] = &[
    "MISSING_EFFECT",
    "INVALID_EFFECT",
    "MISSING_ACTION",
    "MISSING_RESOURCE",
    "MISSING_PRINCIPAL",
    "UNSUPPORTED_PRINCIPAL",
    "UNSUPPORTED_ELEMENT_COMBINATION",
    "UNSUPPORTED_IN_VPC_ENDPOINT_POLICY",
    "UNSUPPORTED_SID",
    "EMPTY_SID_VALUE",
    "EMPTY_ARRAY_ACTION",
    "EMPTY_ARRAY_RESOURCE",
    "SCP_SYNTAX_ERROR_PRINCIPAL",
    "RCP_SYNTAX_ERROR_NOTACTION",
    "RCP_SYNTAX_ERROR_NOTPRINCIPAL",
    "RCP_SYNTAX_ERROR_PRINCIPAL",
    "RCP_SYNTAX_ERROR_ALLOW",
    "INVALID_PRINCIPAL_FORMAT",
    "INVALID_PRINCIPAL_KEY",
    "EMPTY_OBJECT_PRINCIPAL",
    "EMPTY_ARRAY_PRINCIPAL",
    "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
    "INVALID_PRINCIPAL_ARN",
    "INVALID_SERVICE_PRINCIPAL_FORMAT",
    "FEDERATED_PRINCIPAL_NOT_SUPPORTED",
    "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
    "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
    "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
    "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
    "MISMATCHED_ACTION_FOR_PRINCIPAL",
    "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
    "INVALID_ROLE_REFERENCE",
    "INVALID_USER_REFERENCE",
    "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
    "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
    "INVALID_SERVICE_IN_ACTION",
    "INVALID_SERVICE",
    "INVALID_ACTION",
    "WILDCARD_IN_SERVICE_NAME",
    "REDUNDANT_ACTION",
    "RESOURCE_TYPE_MISMATCH",
    "INVALID_ARN_PREFIX",
    "MISSING_ARN_FIELD",
    "INVALID_PARTITION",
    "INVALID_ARN_SERVICE",
    "INVALID_ARN_SERVICE_CASE",
    "INVALID_ARN_REGION",
    "MISSING_ARN_REGION",
    "ARN_REGION_NOT_ALLOWED",
    "INVALID_ARN_ACCOUNT",
    "ARN_ACCOUNT_NOT_ALLOWED",
    "INVALID_ARN_RESOURCE",
    "MISSING_S3_OBJECT_KEY",
    "REDUNDANT_RESOURCE",
    "INVALID_CONDITION_OPERATOR",
    "INVALID_CONDITION_KEY_FORMAT",
    "INVALID_GLOBAL_CONDITION_KEY",
    "INVALID_SERVICE_CONDITION_KEY",
    "TYPE_MISMATCH",
    "MISSING_QUALIFIER",
    "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
    "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
    "IRRELEVANT_CONDITION_KEY_IN_POLICY",
    "CONFIRM_AUDIENCE_CLAIM_TYPE",
    "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
    "NULL_WITH_IF_EXISTS",
    "NULL_WITH_QUALIFIER",
    "MISSING_TAG_KEY_IN_CONDITION",
    "EMPTY_OBJECT_CONDITION",
    "EMPTY_ARRAY_CONDITION",
    "EMPTY_ARRAY_CONDITION_FORALLVALUES",
    "EMPTY_ARRAY_CONDITION_FORANYVALUE",
    "EMPTY_ARRAY_CONDITION_IFEXISTS",
    "INVALID_CONDITION_DATA_TYPE",
    "INVALID_CONDITION_MULTIPLE_BOOLEAN",
    "INVALID_REGION",
    "INVALID_VPC_FORMAT",
    "INVALID_VPCE_FORMAT",
    "PRIVATE_IP_ADDRESS",
    "PRIVATE_NOT_IP_ADDRESS",
    "PRIVATE_IP_ADDRESS_SUBSET",
    "PRIVATE_NOT_IP_ADDRESS_SUBSET",
    "IMPROVE_IP_RANGE",
    "INVALID_DATE_VALUE",
    "TYPE_MISMATCH_BOOLEAN",
    "TYPE_MISMATCH_DATE",
    "TYPE_MISMATCH_IP_RANGE",
    "TYPE_MISMATCH_NUMBER",
    "TYPE_MISMATCH_STRING",
    "WILDCARD_WITHOUT_LIKE_OPERATOR",
    "REDUNDANT_CONDITION_VALUE_NUM",
    "UNSUPPORTED_GLOBAL_CONDITION_KEY",
    "DEPRECATED_GLOBAL_CONDITION_KEY",
    "MISSING_BRACE_IN_VARIABLE",
    "EMPTY_VARIABLE",
    "UNSUPPORTED_SPACE_IN_VARIABLE",
    "MISSING_QUOTE_IN_VARIABLE",
    "VARIABLE_UNSUPPORTED_IN_ELEMENT",
    "VARIABLE_UNSUPPORTED_IN_VERSION",
    "INVALID_VARIABLE_FOR_OPERATOR",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE",
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
    "PASS_ROLE_WITH_NOT_RESOURCE",
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
    "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
    "ALLOW_WITH_NOT_PRINCIPAL",
    "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
    "MISSING_PAIRED_CONDITION_KEYS",
    "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
    "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
    "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
    "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
    "MISSING_GITHUB_REPO_CONDITION_KEY",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE",
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
    "CREATE_SLR_WITH_NOT_RESOURCE",
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
    "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE",
    "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
    "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
    "STAR_IN_ACTION",
    "SERVICE_WILDCARD_IN_ACTION",
    "PREFIX_WILDCARD_IN_ACTION",
    "STAR_IN_RESOURCE",
    "ALLOW_WITH_NOT_ACTION",
    "ALLOW_WITH_NOT_RESOURCE",
    "WRITE_ON_STAR_WITHOUT_CONDITION",
    "PUBLIC_ACCESS",
    "CROSS_ACCOUNT_ACCESS",
    "CROSS_ACCOUNT_TRUST_WITHOUT_EXTERNAL_ID",
    "TRUST_TO_ANY_PRINCIPAL",
    "MFA_CHECK_WITH_BOOL",
];

/// True for a rule whose findings a session may keep per statement.
pub fn is_statement_rule(code: &str) -> bool {
    STATEMENT_RULES.contains(&code)
}

/// The rules whose findings are each either inside one statement and depend only on it (as a
/// statement rule's), or outside every statement and depend only on what lies outside the
/// statements (the top-level elements, the items of `Statement` that are not objects). Run on a
/// document cut down to some statements ([`cut_root`]), they give those statements' findings
/// and all the findings outside statements: a session keeps the first per statement and takes
/// the second from each check. `statement_rules_are_local` (tests.rs) checks the list as it
/// checks [`STATEMENT_RULES`]. The structure rules here walk every object of the document.
const SPLIT_RULES: &[&str] = &[
    "DUPLICATE_ELEMENT",
    "DATA_TYPE_MISMATCH",
    "INVALID_POLICY_ELEMENT",
];

/// Document rules with the statement elements their findings depend on besides the
/// [`DocumentKey`]: after an edit inside one statement that changes none of that statement's
/// members of those elements (compared by text), a session moves the rule's last findings
/// instead of running it. Typing in a Sid does not run the rules that compare grants across
/// statements, nor typing in an Action the unique-Sid rules.
/// `document_rules_read_only_their_elements` (tests.rs) changes, renames and copies the other
/// members of each statement of the test documents and checks the findings only move.
const DOCUMENT_RULE_READS: &[(&str, Reads)] = &[
    ("PRIVILEGE_ESCALATION", Reads::GRANTS),
    ("CREDENTIALS_EXPOSURE", Reads::GRANTS),
    ("DATA_EXFILTRATION", Reads::GRANTS),
    ("RESOURCE_EXPOSURE", Reads::GRANTS),
    ("MISSING_ACTION_FOR_CONDITION_KEY", Reads::GRANTS),
    ("UNSUPPORTED_ACTION_IN_POLICY", Reads::GRANTS),
    ("UNSUPPORTED_RESOURCE_ARN_IN_POLICY", Reads::GRANTS),
    ("UNIQUE_SIDS_REQUIRED", Reads::SID),
    ("UNIQUE_SIDS_RECOMMENDED", Reads::SID),
    // It names the statements by their Sid.
    ("REDUNDANT_STATEMENT", Reads::ALL),
];

/// Which elements of a statement a document rule reads: its `Sid`, the other elements (what it
/// grants or denies, to whom and when), or both. No rule of the list
/// reads the members IAM does not know.
#[derive(Clone, Copy)]
struct Reads {
    sid: bool,
    grants: bool,
}

impl Reads {
    const SID: Reads = Reads {
        sid: true,
        grants: false,
    };
    const GRANTS: Reads = Reads {
        sid: false,
        grants: true,
    };
    const ALL: Reads = Reads {
        sid: true,
        grants: true,
    };

    /// Whether the rule reads a member with this key (any case, so that a key IAM would not
    /// accept but a rule might read loosely counts as read).
    fn key(self, key: &str) -> bool {
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        if is("Sid") {
            self.sid
        } else {
            self.grants && STATEMENT_ELEMENTS.iter().any(|e| is(e))
        }
    }
}

/// True for a rule whose findings are split between statements and the rest (see
/// [`SPLIT_RULES`]).
fn is_split_rule(code: &str) -> bool {
    SPLIT_RULES.contains(&code)
}

/// The rules a session runs on the statements that changed: their findings are kept per
/// statement (and, for the split rules, found again outside statements).
fn runs_on_changed(code: &str) -> bool {
    is_statement_rule(code) || is_split_rule(code)
}

/// What the statement rules read from outside the statement; when it changes, no statement's
/// findings are reused.
#[derive(PartialEq)]
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
    text: String,
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

    /// The findings of `text`, equal to [`crate::analyze_without_fixes`]`(text, options)`.
    pub fn analyze(&mut self, text: &str) -> Analysis {
        let mut last = self.last.take();
        // An edit inside one statement of a well-formed document: only that statement is parsed
        // again, and the others are known to be unchanged.
        let mut edited = None;
        let mut touched = None;
        let mut document = None;
        if let Some(last) = &mut last {
            if let Some(edit) = edited_statement(&last.text, &last.document, text) {
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
        let policy_type = self.options.policy_type.resolve(&policy);
        let key = DocumentKey::of(text, &policy, &policy_type);
        let mut last = last.filter(|last| last.key == key);

        // The document rules that read none of the elements an edit inside one statement
        // changed: their findings are the last version's, moved through the change.
        let mut reused = Vec::new();
        let mut reused_codes: Vec<&str> = Vec::new();
        if let (Some(last), Some((change, touched))) = (&mut last, &touched) {
            let previous = std::mem::take(&mut last.document_findings);
            for &(code, reads) in DOCUMENT_RULE_READS {
                if touched.iter().any(|k| reads.key(k)) {
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
                None if is_split_rule(d.code) => outside.push(d),
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
            |code| !runs_on_changed(code) && !reused_codes.contains(&code),
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
            text: text.to_string(),
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
/// inside one statement's braces, and that statement's new text parses alone without error:
/// the statement's index and its new node (spans in `text`). The document `text` then parses
/// to `old` with that statement replaced and the spans after it shifted (JSON without errors is
/// read the same wherever it stands; a test checks it against [`syntax::parse`]).
fn edited_statement(old_text: &str, old: &syntax::Document, text: &str) -> Option<Edited> {
    if !old.errors.is_empty() || old_text == text {
        return None;
    }
    let change = delta::TextChange::between(old_text, text);
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
        touched: touched_keys(old_text, node, text, &root),
        index,
        node: root,
        change,
    })
}

/// An edit inside one statement ([`edited_statement`]).
struct Edited {
    /// The statement's index, and its new node (spans in the new text).
    index: usize,
    node: Node,
    change: delta::TextChange,
    /// The keys of the statement's members whose text changed.
    touched: Vec<String>,
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
            keys.extend(x.into_iter().chain(y).map(|m| m.key.value.clone()));
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

//! The rule registry. Every rule is one file with its metadata, its check and its tests. Rules are
//! grouped in folders (structure, principals, actions, arns, conditions, variables, security);
//! each group keeps its own list and the registry here joins them, so the groups can grow without
//! touching each other.

use crate::catalog::Catalog;
use crate::diagnostic::{Category, Diagnostic, FindingKey, Fix, FixScope, Safety};
use crate::fix::layout::Layout;
use crate::policy::{Policy, PolicyType, Statement};
use crate::span::Span;
use crate::syntax::Document;

pub mod actions;
pub mod arns;
pub mod conditions;
pub mod facts;
pub mod principals;
pub mod reference;
pub mod security;
pub mod structure;
pub mod support;
pub mod variables;

/// What a rule knows about itself; `docs/rules.md` is generated from this.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code: Access Analyzer's issue code where one exists, else our own in the same style.
    pub code: &'static str,
    /// Default category (a configuration can change it).
    pub category: Category,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Why it matters and what to do, in a few sentences (Markdown).
    pub explanation: &'static str,
    /// A policy that triggers the rule, and the type it is checked as.
    pub bad_example: &'static str,
    /// A close neighbour that must not trigger it.
    pub good_example: &'static str,
    /// The policy type the examples are checked as.
    pub example_type: ExampleType,
    /// What the rule's findings depend on, which decides what an incremental check
    /// ([`crate::incremental`]) may keep from one version of a document to the next.
    pub scope: Scope,
}

/// What a rule's findings depend on besides the policy type, `Version` and the accounts the
/// policy's resource ARNs name (what every rule may read: the incremental session starts afresh
/// when one changes). Each rule states it, so none is left out of the incremental session by
/// mistake; `statement_rules_are_local` and `document_rules_read_only_their_elements`
/// (`incremental/tests.rs`) check each rule's claim on every rule example, documents mixing them
/// and the managed corpus. [`Scope::Document`] is always correct, only slower.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Its findings on a statement depend only on that statement (its text, tree and index)
    /// and lie inside it: a session keeps them per statement and runs the rule only on the
    /// statements that changed.
    Statement,
    /// Each finding is either inside one statement and depends only on it (as for
    /// [`Scope::Statement`]), or outside every statement and depends only on what lies outside
    /// them (the top-level elements, the items of `Statement` that are not objects). The rule
    /// walks the document's objects; a session runs it on the document cut down to the
    /// statements that changed.
    Split,
    /// It compares statements, reading only these elements of each: after an edit inside one
    /// statement that changes none of them, a session moves its last findings instead of
    /// running it.
    Across(Reads),
    /// It may read anything in the document (its size, its syntax, the top-level elements): it
    /// runs on every check.
    Document,
}

/// Which elements of a statement a rule of [`Scope::Across`] reads: its `Sid`, the other
/// elements IAM knows (what it grants or denies, to whom and when), or both. None reads the
/// members IAM does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reads {
    pub sid: bool,
    pub grants: bool,
    /// The rule reads the Sid only to name statements in its findings' messages
    /// ([`crate::policy::Statement::label`]), and only of the statements its findings point at
    /// (span or related location): after an edit of nothing but one statement's Sid, its findings
    /// are the last ones, moved, when none of them points into that statement.
    pub sid_names_only: bool,
}

impl Reads {
    pub const SID: Reads = Reads {
        sid: true,
        grants: false,
        sid_names_only: false,
    };
    pub const GRANTS: Reads = Reads {
        sid: false,
        grants: true,
        sid_names_only: false,
    };
    pub const ALL: Reads = Reads {
        sid: true,
        grants: true,
        sid_names_only: false,
    };
    /// [`Reads::GRANTS`], and the Sid to name statements ([`Reads::sid_names_only`]).
    pub const GRANTS_NAMED: Reads = Reads {
        sid: true,
        grants: true,
        sid_names_only: true,
    };

    /// Whether the rule reads a statement member with this key (in any case, so that a key
    /// IAM would not accept but a rule might read loosely counts as read).
    pub fn key(self, key: &str) -> bool {
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        if is("Sid") {
            self.sid
        } else {
            self.grants && crate::policy::STATEMENT_ELEMENTS.iter().any(|e| is(e))
        }
    }
}

/// The policy type for a rule's examples (a const-friendly mirror of [`PolicyType`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExampleType {
    Identity,
    Resource,
    Trust,
    Scp,
    Rcp,
    Boundary,
    Session,
    VpcEndpoint,
}

impl ExampleType {
    pub fn policy_type(self) -> PolicyType {
        match self {
            ExampleType::Identity => PolicyType::Identity,
            ExampleType::Resource => PolicyType::Resource {
                resource_type: None,
            },
            ExampleType::Trust => PolicyType::Trust,
            ExampleType::Scp => PolicyType::Scp,
            ExampleType::Rcp => PolicyType::Rcp,
            ExampleType::Boundary => PolicyType::Boundary,
            ExampleType::Session => PolicyType::Session,
            ExampleType::VpcEndpoint => PolicyType::VpcEndpoint,
        }
    }
}

/// Everything a rule may look at.
pub struct Context<'a> {
    pub text: &'a str,
    pub document: &'a Document,
    /// The statements to check: the whole policy, or only some of its statements when an
    /// incremental check re-runs the statement rules on the statements that changed (see
    /// [`crate::incremental`]); the other fields are the whole document's either way.
    pub policy: &'a Policy<'a>,
    /// The whole policy, for facts about the document that a statement's findings depend on
    /// (the resource's own accounts).
    whole: &'a Policy<'a>,
    /// The resolved policy type (never `Auto`).
    pub policy_type: &'a PolicyType,
    pub catalog: &'static Catalog,
    /// Answers several rules need, computed on first use (see [`facts`]).
    facts: facts::Facts<'a>,
    layout: Layout<'a>,
}

impl<'a> Context<'a> {
    pub fn new(
        text: &'a str,
        document: &'a Document,
        policy: &'a Policy<'a>,
        policy_type: &'a PolicyType,
    ) -> Context<'a> {
        Context::for_statements(text, document, policy, policy, policy_type)
    }

    /// A context whose rules see only `statements` (a [`Policy`] holding some statements of
    /// `whole`, with their indexes), for re-running the statement rules on what changed.
    pub(crate) fn for_statements(
        text: &'a str,
        document: &'a Document,
        whole: &'a Policy<'a>,
        statements: &'a Policy<'a>,
        policy_type: &'a PolicyType,
    ) -> Context<'a> {
        Context {
            text,
            document,
            policy: statements,
            whole,
            policy_type,
            catalog: crate::catalog::catalog(),
            facts: facts::Facts::new(statements),
            layout: Layout::new(text),
        }
    }

    /// The whole policy, also when [`Context::policy`] holds only some statements.
    pub fn whole_policy(&self) -> &'a Policy<'a> {
        self.whole
    }

    /// The catalog actions each item of the statement's `Action` list grants (computed once).
    pub fn expanded_actions(&self, st: &Statement<'_>) -> &facts::ExpandedList {
        self.facts
            .actions(self.catalog, st.index, st.action.as_ref())
    }

    /// The actions the statement's `Action` list names by their full name, for the narrowing
    /// fixes (read from the shared expansion, once); None when it has no `Action`.
    pub(crate) fn action_items(
        &self,
        st: &Statement<'a>,
    ) -> Option<&crate::fix::narrow::ListedActions> {
        let list = st.action.as_ref()?;
        self.facts.action_items(st.index, || {
            let expanded = self.expanded_actions(st);
            crate::fix::narrow::ListedActions::new(list.items.iter().enumerate().map(
                |(i, item)| match expanded.item(i) {
                    [only] => (item.value, Some(*only)),
                    _ => (item.value, None),
                },
            ))
        })
    }

    /// Every policy variable in the document's strings (computed once).
    pub fn variable_occurrences(&self) -> &[support::variables::Occurrence<'a>] {
        self.facts.variables(self.text, self.policy)
    }

    /// The Resource and NotResource strings that parse as ARNs, with the parsed ARN, in
    /// document order (parsed once).
    pub(crate) fn parsed_arns(&self) -> &[(support::arns::ResourceEntry<'a>, crate::arn::Arn<'a>)] {
        self.facts.arns(self.policy)
    }

    /// The catalog actions each item of the statement's `NotAction` list names (computed once).
    pub fn expanded_not_actions(&self, st: &Statement<'_>) -> &facts::ExpandedList {
        self.facts
            .not_actions(self.catalog, st.index, st.not_action.as_ref())
    }

    /// The document as the fixes see it: its text and its indentation unit (found once).
    pub fn layout(&self) -> &Layout<'a> {
        &self.layout
    }

    /// Every action of the statement's Action list, in item order and with repeats (the shared
    /// expansion); None when an item names nothing the catalog knows.
    pub fn known_actions(&self, st: &Statement<'_>) -> Option<&[crate::catalog::Action<'static>]> {
        let list = st.action.as_ref()?;
        let expanded = self.expanded_actions(st);
        if (0..list.items.len()).any(|i| expanded.item(i).is_empty()) {
            return None;
        }
        Some(expanded.all())
    }

    /// The Allow statements open to every resource and the unconditional Deny-on-`"*"`
    /// statements, with their action items by service (built once; see `support::risk`).
    pub(crate) fn open_index(&self) -> &support::risk::OpenIndex {
        self.facts.open_index(self.policy)
    }

    /// The PASS_ROLE_* or CREATE_SLR_* shape of each statement (in order), found once for the
    /// six rules of the family.
    pub(crate) fn shapes_of(
        &self,
        family: &support::shapes::Family,
    ) -> &[Option<support::shapes::Found>] {
        self.facts.shapes(family.slot, || {
            support::shapes::detect_all(self.policy, family)
        })
    }
}

/// Collects the findings of one rule; it stamps each with the rule's code and category, and
/// knows which findings' fixes are wanted ([`FixScope`]).
pub struct Sink<'r> {
    meta: &'r RuleMeta,
    scope: FixScope<'r>,
    pub(crate) out: Vec<Reported>,
}

impl<'r> Sink<'r> {
    /// A sink that keeps every finding's fixes.
    pub fn new(meta: &'r RuleMeta) -> Sink<'r> {
        Sink::with_scope(meta, FixScope::All)
    }

    /// A sink that keeps the fixes of the findings `scope` names and drops the others'.
    pub fn with_scope(meta: &'r RuleMeta, scope: FixScope<'r>) -> Sink<'r> {
        Sink {
            meta,
            scope,
            out: Vec::new(),
        }
    }

    /// Report a finding and get it back to attach fixes or related locations. Fixes that cost
    /// something to build go through [`Reported::fixes_with`], which builds them only when
    /// they are wanted.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Reported {
        let wants_fixes = match self.scope {
            FixScope::All | FixScope::Safe => true,
            FixScope::None => false,
            FixScope::Only(keys) => {
                let code = self.meta.code;
                let named = |k: &&FindingKey| k.code == code && k.span == span;
                keys.iter().any(|k| named(&k)) && {
                    // The same rule at the same span more than once: told apart by order.
                    let nth = self.out.iter().filter(|d| d.span == span).count();
                    keys.iter().filter(named).any(|k| k.nth == nth)
                }
            }
        };
        self.out.push(Reported {
            diagnostic: Diagnostic::new(self.meta.code, self.meta.category, span, message),
            wants_fixes,
            safe_only: self.scope == FixScope::Safe,
        });
        self.out.last_mut().expect("just pushed")
    }

    /// The findings; those whose fixes are not wanted have none.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.out
            .into_iter()
            .map(|r| {
                let mut d = r.diagnostic;
                if !r.wants_fixes {
                    d.fixes.clear();
                } else if r.safe_only {
                    d.fixes.retain(|f| f.safety == Safety::Safe);
                }
                d
            })
            .collect()
    }
}

/// A finding reported to a [`Sink`]. It reads and changes like the [`Diagnostic`] it holds;
/// its fixes are best attached with [`Reported::fixes_with`], so that a check that does not
/// want them (see [`FixScope`]) does not pay for building them. Fixes pushed directly are
/// dropped by the sink when unwanted, so the findings are the same either way.
pub struct Reported {
    diagnostic: Diagnostic,
    wants_fixes: bool,
    /// Only the safe fixes are kept ([`FixScope::Safe`]).
    safe_only: bool,
}

impl Reported {
    /// Whether this finding's fixes will be kept.
    pub fn wants_fixes(&self) -> bool {
        self.wants_fixes
    }

    /// Build the fixes with `build` and attach them, only when they are wanted.
    pub fn fixes_with<I: IntoIterator<Item = Fix>>(&mut self, build: impl FnOnce() -> I) {
        if self.wants_fixes {
            self.diagnostic.fixes.extend(build());
        }
    }

    /// [`Reported::fixes_with`] for a builder whose fixes are all review (the narrowing
    /// fixes): not run at all when only safe fixes are wanted ([`FixScope::Safe`]).
    pub fn review_fixes_with<I: IntoIterator<Item = Fix>>(&mut self, build: impl FnOnce() -> I) {
        if self.wants_fixes && !self.safe_only {
            let start = self.diagnostic.fixes.len();
            self.diagnostic.fixes.extend(build());
            debug_assert!(
                self.diagnostic.fixes[start..]
                    .iter()
                    .all(|f| f.safety == Safety::Review),
                "{}: a safe fix from a review builder",
                self.diagnostic.code
            );
        }
    }
}

impl std::ops::Deref for Reported {
    type Target = Diagnostic;
    fn deref(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

impl std::ops::DerefMut for Reported {
    fn deref_mut(&mut self) -> &mut Diagnostic {
        &mut self.diagnostic
    }
}

pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Context<'_>, &mut Sink<'_>),
}

/// The rule groups, each owning a list; validation groups first, then security.
pub static GROUPS: &[(&str, &[&Rule])] = &[
    ("structure", structure::RULES),
    ("principals", principals::RULES),
    ("actions", actions::RULES),
    ("arns", arns::RULES),
    ("conditions", conditions::RULES),
    ("variables", variables::RULES),
    ("security", security::RULES),
];

/// Every rule, in a stable order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    GROUPS.iter().flat_map(|(_, rules)| rules.iter().copied())
}

/// Find a rule by its code.
pub fn by_code(code: &str) -> Option<&'static Rule> {
    all().find(|r| r.meta.code == code)
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_upper_snake() {
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            assert!(
                seen.insert(rule.meta.code),
                "duplicate rule code {}",
                rule.meta.code
            );
            assert!(
                rule.meta
                    .code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{} is not UPPER_SNAKE",
                rule.meta.code
            );
            assert!(!rule.meta.summary.is_empty() && !rule.meta.explanation.is_empty());
        }
    }

    #[test]
    fn a_scoped_sink_keeps_the_fixes_of_the_named_findings_only() {
        use crate::diagnostic::{FindingKey, Fix, FixScope};
        let meta = &all().next().expect("a rule").meta;
        let span = Span::new(1, 2);
        let key = FindingKey {
            code: meta.code.to_string(),
            span,
            nth: 1,
        };
        let mut sink = Sink::with_scope(meta, FixScope::Only(std::slice::from_ref(&key)));
        let mut built = Vec::new();
        for title in ["first", "second"] {
            sink.report(span, "same place").fixes_with(|| {
                built.push(title);
                Some(Fix::safe(title, Vec::new()))
            });
        }
        // Pushed directly instead of through fixes_with: still dropped when not asked for.
        sink.report(Span::new(3, 4), "elsewhere")
            .fixes
            .push(Fix::safe("pushed", Vec::new()));
        let out = sink.into_diagnostics();
        let titles: Vec<Vec<&str>> = out
            .iter()
            .map(|d| d.fixes.iter().map(|f| f.title.as_str()).collect())
            .collect();
        assert_eq!(titles, [vec![], vec!["second"], vec![]]);
        assert_eq!(built, ["second"], "only the named finding's fix is built");
        let keys = FindingKey::all(&out);
        assert_eq!(
            keys.iter().map(|k| k.nth).collect::<Vec<_>>(),
            [0, 1, 0],
            "{keys:?}"
        );
        assert_eq!(keys[1], key);
    }

    #[test]
    fn a_safe_only_sink_keeps_safe_fixes_and_builds_no_review_fix() {
        use crate::diagnostic::{Fix, FixScope};
        let meta = &all().next().expect("a rule").meta;
        let mut sink = Sink::with_scope(meta, FixScope::Safe);
        let mut built = Vec::new();
        let d = sink.report(Span::new(1, 2), "one");
        d.fixes.push(Fix::review("pushed review", Vec::new()));
        d.fixes.push(Fix::safe("pushed safe", Vec::new()));
        d.fixes_with(|| {
            built.push("mixed");
            [
                Fix::review("built review", Vec::new()),
                Fix::safe("built safe", Vec::new()),
            ]
        });
        d.review_fixes_with(|| {
            built.push("narrowing");
            Some(Fix::review("narrowing", Vec::new()))
        });
        let out = sink.into_diagnostics();
        let titles: Vec<&str> = out[0].fixes.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(titles, ["pushed safe", "built safe"]);
        assert_eq!(built, ["mixed"], "the review-only builder does not run");
    }

    #[test]
    fn every_rule_example_behaves() {
        for rule in all() {
            testing::check_examples(rule);
        }
    }
}

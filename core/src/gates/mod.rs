//! Policy gates: the three questions a reviewer asks of a policy change, answered offline and
//! soundly, in the manner of IAM Access Analyzer's custom policy checks.
//!
//! - [`check_no_new_access`]: does the new policy allow any request the reference does not?
//! - [`check_access_not_granted`]: does the policy allow any of these actions (on these
//!   resources)?
//! - [`check_no_public_access`]: does this resource policy let anyone in?
//!
//! A PASS is a proof: it holds for every request (every action, resource, principal and context).
//! Where the reasoning cannot show that, the answer is FAIL with reasons that name the statement
//! and what it may allow. Wildcard actions are judged over the actions the embedded catalog lists
//! plus the names written in the policies: an action AWS adds later is not considered.

mod model;
mod no_new_access;
mod not_granted;
mod public;

use serde::Serialize;

use crate::catalog::catalog;
use crate::eval::{CompiledPolicy, PolicyError};
use crate::host::EmbeddedPolicy;
use crate::policy::Policy;
use crate::rules::support::security::name_list;
use crate::span::Span;
use crate::syntax::{self, Document};

pub use no_new_access::check_no_new_access;
pub use not_granted::{check_access_not_granted, AccessQuery};
pub use public::{check_no_public_access, PublicResourceType, PUBLIC_RESOURCE_TYPES};

/// PASS or FAIL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Verdict {
    Pass,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
        }
    }
}

/// Why a check failed: what a statement may allow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub description: String,
    /// Zero-based position of the statement in the checked policy (the new one for
    /// no-new-access), when one statement is to blame.
    pub statement_index: Option<usize>,
    pub statement_id: Option<String>,
    /// The statement in the checked policy's text (for code-scanning locations).
    #[serde(skip)]
    pub span: Option<Span>,
}

/// The answer of a gate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GateResult {
    pub result: Verdict,
    pub reasons: Vec<Reason>,
}

impl GateResult {
    fn from_reasons(reasons: Vec<Reason>) -> GateResult {
        GateResult {
            result: if reasons.is_empty() {
                Verdict::Pass
            } else {
                Verdict::Fail
            },
            reasons,
        }
    }
}

/// A policy read for a gate: its text parsed once, checked to be evaluable.
pub struct GatePolicy<'t> {
    pub name: String,
    pub text: &'t str,
    document: Document,
    /// The strings (in `text`) that hold a value Terraform or CloudFormation computes when it
    /// runs (a reference, an interpolation, an intrinsic function). Nothing is known of them,
    /// so no gate may pass on a statement that holds one.
    unknowns: Vec<Span>,
}

impl<'t> GatePolicy<'t> {
    /// Parse a policy document. A policy the evaluator cannot evaluate (a syntax error, an
    /// Effect other than Allow or Deny, a statement without Action or NotAction, values of the
    /// wrong type, an unknown condition operator) is bad input, with positions. Host documents
    /// (Terraform, CloudFormation) will give the text of one named policy the same way.
    pub fn parse(name: &str, text: &'t str) -> Result<GatePolicy<'t>, Vec<PolicyError>> {
        CompiledPolicy::compile(name, text)?;
        Ok(GatePolicy {
            name: name.to_string(),
            text,
            document: syntax::parse(text),
            unknowns: Vec::new(),
        })
    }

    /// A policy found in a Terraform or CloudFormation file ([`crate::host::read`]). Spans in
    /// errors and reasons are in the policy's JSON text: map them with
    /// [`EmbeddedPolicy::to_host`].
    pub fn from_embedded(policy: &'t EmbeddedPolicy) -> Result<GatePolicy<'t>, Vec<PolicyError>> {
        let mut gate = GatePolicy::parse(&policy.name, &policy.json)?;
        gate.unknowns = policy.unknowns.iter().map(|u| u.string).collect();
        Ok(gate)
    }

    /// A FAIL reason for each statement holding a value only known when the host runs. The
    /// placeholders that stand for such values are read like policy variables elsewhere, and two
    /// of them with the same text may stand for different values in two files: answering on
    /// them could pass a change that grants more. A statement of the reference that holds one
    /// only makes the reference grant less, so only the checked policy is asked.
    fn undecided(&self) -> Vec<Reason> {
        if self.unknowns.is_empty() {
            return Vec::new();
        }
        let view = self.view();
        let list = model::statements(&view);
        let mut reasons: Vec<Reason> = Vec::new();
        for unknown in &self.unknowns {
            let inside = list
                .iter()
                .find(|st| st.span.start <= unknown.start && unknown.end <= st.span.end);
            let description = format!(
                "a value in {} is only known when the template is deployed (a reference, an \
                 interpolation or a function): iamlint cannot decide what it grants",
                inside.map_or("the policy", |_| "this statement")
            );
            match inside {
                Some(st) if reasons.iter().any(|r| r.statement_index == Some(st.index)) => {}
                Some(st) => reasons.push(reason(st, description)),
                None => reasons.push(Reason {
                    description,
                    statement_index: None,
                    statement_id: None,
                    span: Some(*unknown),
                }),
            }
        }
        reasons
    }

    fn view(&self) -> Policy<'_> {
        Policy::from_root(self.document.root.as_ref())
    }
}

fn reason(st: &model::Stmt<'_>, description: String) -> Reason {
    Reason {
        description,
        statement_index: Some(st.index),
        statement_id: st.sid.map(str::to_string),
        span: Some(st.span),
    }
}

/// The actions the gates consider: every action of the catalog, plus the exact names written
/// in the policies (or asked about) that the catalog does not know. Each as (lower case, as
/// displayed).
struct Universe {
    extra: Vec<(String, String)>,
}

impl Universe {
    fn new<'a>(names: impl Iterator<Item = &'a str>) -> Universe {
        let c = catalog();
        let mut extra: Vec<(String, String)> = Vec::new();
        for name in names {
            if name.contains(':') && !crate::arn::is_pattern(name) && c.action(name).is_none() {
                let lower = name.to_ascii_lowercase();
                if !extra.iter().any(|(l, _)| *l == lower) {
                    extra.push((lower, name.to_string()));
                }
            }
        }
        Universe { extra }
    }

    fn of(statements: &[&[model::Stmt<'_>]]) -> Universe {
        Universe::new(
            statements
                .iter()
                .flat_map(|list| list.iter())
                .flat_map(|st| st.actions.items.iter().copied()),
        )
    }

    /// Call `f` with each action the pattern matches (`None`: every action), as (lower case,
    /// displayed name); stop when `f` returns false, and then return false. Names are built in one buffer and displayed
    /// names only on demand: a NotAction element reaches every action of the catalog.
    fn scan(
        &self,
        pattern: Option<&str>,
        mut f: impl FnMut(&str, &dyn Fn() -> String) -> bool,
    ) -> bool {
        let c = catalog();
        let mut buf = String::new();
        let mut visit = |a: crate::catalog::Action<'_>, buf: &mut String| {
            buf.clear();
            buf.push_str(a.service().prefix());
            buf.push(':');
            buf.push_str(a.name());
            buf.make_ascii_lowercase();
            f(buf, &|| a.full_name())
        };
        let go_on = match pattern {
            Some(p) => c
                .expand_action_pattern(p)
                .into_iter()
                .all(|a| visit(a, &mut buf)),
            None => c
                .services()
                .flat_map(|s| s.actions())
                .all(|a| visit(a, &mut buf)),
        };
        if !go_on {
            return false;
        }
        let m = pattern.map(|p| crate::eval::ActionMatcher::new([p]));
        self.extra.iter().all(|(lower, shown)| {
            !m.as_ref().is_none_or(|m| m.matches(lower)) || f(lower, &|| shown.clone())
        })
    }

    /// The displayed names of the actions the pattern matches (`None`: every action).
    fn names(&self, pattern: Option<&str>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        self.scan(pattern, |lower, shown| {
            out.push((lower.to_string(), shown()));
            true
        });
        out
    }
}

#[cfg(test)]
mod tests;

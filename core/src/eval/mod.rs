//! The evaluation engine behind `iamlint simulate`: AWS's policy evaluation logic over identity,
//! resource, boundary, SCP/RCP and session policies, with an explanation of the decision.
//!
//! The order follows the IAM User Guide's evaluation logic: an explicit Deny in any policy wins;
//! then every level of resource control policies and service control policies must allow; then a
//! resource-based policy, identity-based policies, the permissions boundary and the session policy
//! decide according to whether the request stays within one account. Anything not allowed is an
//! implicit deny.

mod compile;
mod condition;
mod input;
mod prepared;
mod principal;
mod request;
/// The grammar of condition values lives with the policy model; the simulator reads it here too.
pub use crate::policy::values;
mod variables;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use crate::wildcard::Glob;
pub use compile::{ActionMatcher, CompiledPolicy, PolicyError};
pub use condition::ConditionOutcome;
pub use input::{check_context_value, InputField, InputProblem, RequestInput};
pub use request::{ContextValue, PrincipalKind, Request, RequestContext, RequestPrincipal};

use crate::policy::Effect;
use crate::span::Span;
use principal::{principal_matches, PrincipalMatch};

/// What kind of resource policy is given; trust policies and KMS key policies must allow the
/// request themselves, even within one account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ResourcePolicyKind {
    #[default]
    Generic,
    /// A role's trust policy (the request is sts:AssumeRole* on the role).
    RoleTrust,
    /// A KMS key policy.
    KmsKey,
}

impl ResourcePolicyKind {
    /// The kind of resource policy that governs a request: a role's trust policy for
    /// sts:AssumeRole* on a role, a key policy for kms:* on a key, otherwise an ordinary resource
    /// policy (kms:ListKeys on `*` has no key policy to consult).
    pub fn for_request(action: &str, resource: &str) -> ResourcePolicyKind {
        let lower = action.to_ascii_lowercase();
        let resource_is = |service: &str, prefix: &str| {
            let mut fields = resource.splitn(6, ':');
            fields.nth(2) == Some(service) && fields.nth(2).is_some_and(|r| r.starts_with(prefix))
        };
        if lower.starts_with("sts:assumerole") && resource_is("iam", "role/") {
            ResourcePolicyKind::RoleTrust
        } else if lower.starts_with("kms:") && resource_is("kms", "key/") {
            ResourcePolicyKind::KmsKey
        } else {
            ResourcePolicyKind::Generic
        }
    }
}

/// Every policy that takes part in a request.
#[derive(Clone, Debug, Default)]
pub struct PolicySet {
    pub identity: Vec<CompiledPolicy>,
    pub resource: Option<CompiledPolicy>,
    pub resource_kind: ResourcePolicyKind,
    pub boundary: Option<CompiledPolicy>,
    pub session: Option<CompiledPolicy>,
    /// Service control policies, one list per level of the organization path (root first; each
    /// level must allow).
    pub scps: Vec<Vec<CompiledPolicy>>,
    /// Resource control policies, one list per level, like SCPs.
    pub rcps: Vec<Vec<CompiledPolicy>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "Allowed",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
        }
    }
}

/// Where a policy sits in the evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyKind {
    Identity,
    Resource,
    Boundary,
    Session,
    Scp,
    Rcp,
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::Boundary => "boundary",
            PolicyKind::Session => "session",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
        }
    }
}

/// Whether one element of a statement matched the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ElementMatch {
    Matched,
    NotMatched,
    /// The statement has no such element (Principal in an identity policy).
    Absent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionTrace {
    pub operator: String,
    pub key: String,
    pub matched: bool,
    /// True when the key was not in the request and the operator's missing-key rule decided.
    pub key_missing: bool,
    pub span: Span,
}

/// How one statement fared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementTrace {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: &'static str,
    pub span: Span,
    pub action: ElementMatch,
    pub resource: ElementMatch,
    pub principal: ElementMatch,
    pub conditions: Vec<ConditionTrace>,
    /// Every element matched: the statement applies to the request.
    pub applies: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyTrace {
    pub kind: PolicyKind,
    pub name: String,
    /// For SCPs and RCPs: the level of the organization path (0 = root).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    pub statements: Vec<StatementTrace>,
}

impl PolicyTrace {
    fn allows(&self) -> bool {
        self.statements
            .iter()
            .any(|s| s.applies && s.effect == "Allow")
    }
}

/// A statement that decided the outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRef {
    pub kind: PolicyKind,
    pub policy: String,
    pub index: usize,
    pub sid: Option<String>,
    pub effect: &'static str,
    pub span: Span,
}

/// The decision with its explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub decision: Decision,
    /// One sentence: why.
    pub reason: String,
    /// The statements that decided: the Deny statements for an explicit deny, the Allow
    /// statements that granted for an allow, none for an implicit deny.
    pub decisive_statements: Vec<StatementRef>,
    /// Whether the principal and the resource are in the same account.
    pub same_account: bool,
    pub policies: Vec<PolicyTrace>,
}

/// Evaluate `request` against `policies`.
pub fn evaluate(policies: &PolicySet, request: &Request) -> Evaluation {
    let action_lower = request.action.to_ascii_lowercase();
    let mut traces = Vec::new();
    let mut trace = |kind, policy: &CompiledPolicy, level| {
        traces.push(trace_policy(kind, policy, level, request, &action_lower));
    };
    for p in &policies.identity {
        trace(PolicyKind::Identity, p, None);
    }
    if let Some(p) = &policies.resource {
        trace(PolicyKind::Resource, p, None);
    }
    if let Some(p) = &policies.boundary {
        trace(PolicyKind::Boundary, p, None);
    }
    if let Some(p) = &policies.session {
        trace(PolicyKind::Session, p, None);
    }
    for (level, list) in policies.scps.iter().enumerate() {
        for p in list {
            trace(PolicyKind::Scp, p, Some(level));
        }
    }
    for (level, list) in policies.rcps.iter().enumerate() {
        for p in list {
            trace(PolicyKind::Rcp, p, Some(level));
        }
    }
    let (decision, reason, decisive_statements, same_account) = decide(policies, request, &traces);
    Evaluation {
        decision,
        reason,
        decisive_statements,
        same_account,
        policies: traces,
    }
}

fn trace_policy(
    kind: PolicyKind,
    policy: &CompiledPolicy,
    level: Option<usize>,
    request: &Request,
    action_lower: &str,
) -> PolicyTrace {
    let statements = policy
        .statements
        .iter()
        .map(|st| {
            let action = match (&st.action, &st.not_action) {
                (Some(m), _) => matched(m.matches(action_lower)),
                (None, Some(m)) => matched(!m.matches(action_lower)),
                (None, None) => ElementMatch::NotMatched,
            };
            let resource = match (&st.resource, &st.not_resource) {
                (Some(pats), _) => matched(
                    pats.iter()
                        .any(|p| p.matches(&request.resource, &request.context)),
                ),
                (None, Some(pats)) => matched(
                    !pats
                        .iter()
                        .any(|p| p.matches(&request.resource, &request.context)),
                ),
                // Trust policies have no Resource: the role itself is the resource.
                (None, None) => ElementMatch::Absent,
            };
            let principal = match (&st.principal, &st.not_principal) {
                (Some(pats), _) => {
                    matched(principal_matches(pats, &request.principal) != PrincipalMatch::None)
                }
                (None, Some(pats)) => {
                    matched(principal_matches(pats, &request.principal) == PrincipalMatch::None)
                }
                (None, None) => ElementMatch::Absent,
            };
            // Conditions are evaluated only as far as needed for speed, but all of them are
            // reported when the other elements matched, so the explanation is complete.
            let elements_match = action == ElementMatch::Matched
                && resource != ElementMatch::NotMatched
                && principal != ElementMatch::NotMatched;
            let mut conditions = Vec::new();
            let mut conditions_ok = true;
            if elements_match {
                for c in &st.conditions {
                    let outcome = condition::evaluate(c, &request.context);
                    conditions_ok &= outcome.matched();
                    conditions.push(ConditionTrace {
                        operator: c.operator_name.clone(),
                        key: c.key.clone(),
                        matched: outcome.matched(),
                        key_missing: matches!(
                            outcome,
                            ConditionOutcome::MatchedKeyMissing
                                | ConditionOutcome::NotMatchedKeyMissing
                        ),
                        span: c.span,
                    });
                }
            }
            StatementTrace {
                index: st.index,
                sid: st.sid.clone(),
                effect: effect_str(st.effect),
                span: st.span,
                action,
                resource,
                principal,
                conditions,
                applies: elements_match && conditions_ok,
            }
        })
        .collect();
    PolicyTrace {
        kind,
        name: policy.name.clone(),
        level,
        statements,
    }
}

fn matched(b: bool) -> ElementMatch {
    if b {
        ElementMatch::Matched
    } else {
        ElementMatch::NotMatched
    }
}

fn effect_str(e: Effect) -> &'static str {
    match e {
        Effect::Allow => "Allow",
        Effect::Deny => "Deny",
    }
}

fn refs<'a>(traces: impl Iterator<Item = &'a PolicyTrace>, effect: &str) -> Vec<StatementRef> {
    traces
        .flat_map(|p| {
            p.statements
                .iter()
                .filter(|s| s.applies && s.effect == effect)
                .map(move |s| StatementRef {
                    kind: p.kind,
                    policy: p.name.clone(),
                    index: s.index,
                    sid: s.sid.clone(),
                    effect: s.effect,
                    span: s.span,
                })
        })
        .collect()
}

/// The decision, its reason, the decisive statements and whether the request stays in one account.
type Outcome = (Decision, String, Vec<StatementRef>, bool);

fn decide(policies: &PolicySet, request: &Request, traces: &[PolicyTrace]) -> Outcome {
    let principal = &request.principal;
    let same_account = match (
        principal.account.as_deref(),
        request.effective_resource_account(),
    ) {
        (Some(p), Some(r)) => p == r,
        // Services and anonymous callers belong to no account: treat as cross-account.
        _ => false,
    };
    let result = |decision, reason: String, decisive| (decision, reason, decisive, same_account);

    // 1. An explicit Deny in any policy that applies wins.
    let denies = refs(traces.iter(), "Deny");
    if !denies.is_empty() {
        let first = &denies[0];
        return result(
            Decision::ExplicitDeny,
            format!(
                "explicitly denied by {} of {} policy {}",
                statement_name(first),
                first.kind.as_str(),
                first.policy
            ),
            denies,
        );
    }

    let by_kind = |kind: PolicyKind| traces.iter().filter(move |t| t.kind == kind);
    let service_or_anonymous = matches!(
        principal.kind,
        PrincipalKind::Service { .. } | PrincipalKind::Anonymous
    );

    // 2. Every level of RCPs must allow (they limit what the resource's account allows).
    for (level, _) in policies
        .rcps
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
    {
        if !by_kind(PolicyKind::Rcp)
            .filter(|t| t.level == Some(level))
            .any(PolicyTrace::allows)
        {
            return result(
                Decision::ImplicitDeny,
                format!("no resource control policy at level {level} of the organization allows the request"),
                Vec::new(),
            );
        }
    }
    // 3. Every level of SCPs must allow (they do not apply to AWS services or anonymous callers).
    if !service_or_anonymous {
        for (level, _) in policies
            .scps
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
        {
            if !by_kind(PolicyKind::Scp)
                .filter(|t| t.level == Some(level))
                .any(PolicyTrace::allows)
            {
                return result(
                    Decision::ImplicitDeny,
                    format!("no service control policy at level {level} of the organization allows the request"),
                    Vec::new(),
                );
            }
        }
    }

    // 4. The resource-based policy: how directly does it name the caller?
    let resource_allow = refs(by_kind(PolicyKind::Resource), "Allow");
    let resource_match = strongest_resource_match(policies, request, traces);
    let identity_allow = refs(by_kind(PolicyKind::Identity), "Allow");
    let boundary_ok =
        policies.boundary.is_none() || by_kind(PolicyKind::Boundary).any(PolicyTrace::allows);
    let session_ok =
        policies.session.is_none() || by_kind(PolicyKind::Session).any(PolicyTrace::allows);
    let identity_ok = !identity_allow.is_empty() && boundary_ok && session_ok;
    let limits = || {
        if !boundary_ok {
            "the permissions boundary does not allow it"
        } else if !session_ok {
            "the session policy does not allow it"
        } else {
            "no identity-based policy allows it"
        }
    };

    if service_or_anonymous {
        // Only a resource-based policy can grant to a service or an anonymous caller.
        return if resource_allow.is_empty() {
            result(
                Decision::ImplicitDeny,
                "no resource-based policy allows this caller".into(),
                Vec::new(),
            )
        } else {
            result(
                Decision::Allowed,
                "allowed by the resource-based policy".into(),
                resource_allow,
            )
        };
    }

    let resource_must_allow = matches!(
        policies.resource_kind,
        ResourcePolicyKind::RoleTrust | ResourcePolicyKind::KmsKey
    );
    if same_account {
        // Within one account, a resource policy that names the caller's own ARN (user, session)
        // grants by itself, unaffected by boundaries and session policies; one that names the role
        // or the account needs the identity side too (boundary and session policy included).
        if resource_match == PrincipalMatch::Exact && !resource_allow.is_empty() {
            return result(
                Decision::Allowed,
                "allowed by the resource-based policy, which names the caller".into(),
                resource_allow,
            );
        }
        if resource_match == PrincipalMatch::Role
            && !resource_allow.is_empty()
            && boundary_ok
            && session_ok
        {
            return result(
                Decision::Allowed,
                "allowed by the resource-based policy, which names the caller's role".into(),
                resource_allow,
            );
        }
        if resource_must_allow && resource_allow.is_empty() {
            let what = if policies.resource_kind == ResourcePolicyKind::KmsKey {
                "key policy"
            } else {
                "role trust policy"
            };
            return result(
                Decision::ImplicitDeny,
                format!("the {what} does not allow the caller"),
                Vec::new(),
            );
        }
        if identity_ok {
            let mut decisive = identity_allow;
            decisive.extend(resource_allow);
            return result(
                Decision::Allowed,
                "allowed by an identity-based policy".into(),
                decisive,
            );
        }
        return result(
            Decision::ImplicitDeny,
            format!("implicitly denied: {}", limits()),
            Vec::new(),
        );
    }

    // Across accounts both sides must allow: the resource's policy and the caller's own.
    if resource_allow.is_empty() {
        let reason = if policies.resource.is_none() {
            "implicitly denied: the resource is in another account and no resource-based policy was given"
        } else {
            "implicitly denied: the resource is in another account and its resource-based policy does not allow the caller"
        };
        return result(Decision::ImplicitDeny, reason.into(), Vec::new());
    }
    if !identity_ok {
        return result(
            Decision::ImplicitDeny,
            format!("implicitly denied across accounts: {}", limits()),
            Vec::new(),
        );
    }
    let mut decisive = identity_allow;
    decisive.extend(resource_allow);
    result(
        Decision::Allowed,
        "allowed across accounts by both the identity-based and the resource-based policy".into(),
        decisive,
    )
}

/// The most specific way an applying Allow statement of the resource policy names the caller.
fn strongest_resource_match(
    policies: &PolicySet,
    request: &Request,
    traces: &[PolicyTrace],
) -> PrincipalMatch {
    let (Some(policy), Some(trace)) = (
        &policies.resource,
        traces.iter().find(|t| t.kind == PolicyKind::Resource),
    ) else {
        return PrincipalMatch::None;
    };
    let mut best = PrincipalMatch::None;
    for (st, st_trace) in policy.statements.iter().zip(&trace.statements) {
        if !(st_trace.applies && st_trace.effect == "Allow") {
            continue;
        }
        let m = match (&st.principal, &st.not_principal) {
            (Some(p), _) => principal_matches(p, &request.principal),
            // NotPrincipal names the caller only by exclusion: treat like a wildcard.
            (None, Some(_)) => PrincipalMatch::Anyone,
            (None, None) => PrincipalMatch::None,
        };
        best = best.max(m);
    }
    best
}

fn statement_name(s: &StatementRef) -> String {
    match &s.sid {
        Some(sid) if !sid.is_empty() => format!("statement \"{sid}\""),
        _ => format!("statement {}", s.index + 1),
    }
}

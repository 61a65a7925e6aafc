//! Matching the Principal and NotPrincipal elements against the caller.

use super::compile::PrincipalPattern;
use super::request::{PrincipalKind, RequestPrincipal};

/// How an element names the caller, from least to most specific. Within one account the
/// specificity decides whether boundaries and session policies still apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    None,
    /// `*` or `{"AWS": "*"}`.
    Anyone,
    /// The caller's account (account id or `:root`).
    Account,
    /// The role of the caller's session.
    Role,
    /// The caller's own ARN (user, session, federated user), service or provider.
    Exact,
}

pub fn principal_matches(
    patterns: &[PrincipalPattern],
    caller: &RequestPrincipal,
) -> PrincipalMatch {
    patterns
        .iter()
        .map(|p| one(p, caller))
        .max()
        .unwrap_or(PrincipalMatch::None)
}

fn one(pattern: &PrincipalPattern, caller: &RequestPrincipal) -> PrincipalMatch {
    match pattern {
        PrincipalPattern::Anyone => PrincipalMatch::Anyone,
        PrincipalPattern::Service(name) => match &caller.kind {
            PrincipalKind::Service { name: n } if n.eq_ignore_ascii_case(name) => {
                PrincipalMatch::Exact
            }
            _ => PrincipalMatch::None,
        },
        PrincipalPattern::Federated(_) | PrincipalPattern::CanonicalUser(_) => PrincipalMatch::None,
        PrincipalPattern::Aws(value) => aws(value, caller),
    }
}

fn aws(value: &str, caller: &RequestPrincipal) -> PrincipalMatch {
    let (Some(account), Some(arn)) = (caller.account.as_deref(), caller.arn.as_deref()) else {
        return PrincipalMatch::None;
    };
    // A bare account id or the account's root ARN: every principal of that account.
    if value == account {
        return PrincipalMatch::Account;
    }
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" {
        return PrincipalMatch::None;
    }
    if parts[4] != account {
        return PrincipalMatch::None;
    }
    if parts[2] == "iam" && parts[5] == "root" {
        return PrincipalMatch::Account;
    }
    if value == arn {
        return PrincipalMatch::Exact;
    }
    // A role ARN (with any path) names every session of that role.
    if let (PrincipalKind::AssumedRole { role_name }, "iam") = (&caller.kind, parts[2]) {
        if let Some(path_and_name) = parts[5].strip_prefix("role/") {
            if path_and_name.rsplit('/').next() == Some(role_name.as_str()) {
                return PrincipalMatch::Role;
            }
        }
    }
    PrincipalMatch::None
}

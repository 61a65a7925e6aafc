//! Who outside the resource's own account a resource or trust policy statement lets in: the
//! "public" judgement of PUBLIC_ACCESS (Principal `"*"` and no condition that ties the caller
//! to a known organisation, account, network or source) and the other accounts it names. Kept
//! here as plain functions so every rule that asks "does this reach outside?" gets one answer.

use std::collections::BTreeSet;

use crate::policy::{Policy, PolicyType, Statement};
use crate::rules::Context;
use crate::span::Span;

use super::security::{arn_account, principal_account, restricting_entry, CALLER_LIMITING_KEYS};

/// The span of the `"*"` principal of an Allow-shaped statement (`"Principal": "*"`, or `"*"`
/// among the AWS values), whether or not a condition limits it.
pub fn anyone_span(st: &Statement<'_>) -> Option<Span> {
    let principal = st.principal.as_ref()?;
    if principal.is_star {
        return principal.member.value.as_ref().map(|v| v.span);
    }
    principal
        .values_of("AWS")
        .find(|v| v.value == "*")
        .map(|v| v.span())
}

/// The `"*"` principal of a statement that is public: no condition with a positive operator ties
/// the caller to an organisation, account, network or source (see [`CALLER_LIMITING_KEYS`]).
pub fn public_principal(st: &Statement<'_>) -> Option<Span> {
    if restricting_entry(st, CALLER_LIMITING_KEYS).is_some() {
        return None;
    }
    anyone_span(st)
}

/// The accounts the policy's Resource (or NotResource) ARNs name: the resource's own account as
/// far as the text tells. Empty when no ARN names one (S3 buckets, `"*"`, trust policies).
pub fn own_accounts<'p>(policy: &'p Policy<'_>) -> BTreeSet<&'p str> {
    policy
        .statements
        .iter()
        .filter_map(|st| st.resources_or_not())
        .flat_map(|l| l.items.iter())
        .filter_map(|i| arn_account(i.value))
        .collect()
}

/// Who outside the resource's own account the statement lets in, for messages: "anyone" for a
/// public principal, else "account 444455556666" for the first AWS principal whose account is
/// not one of `own` (any named account when `own` is empty: the text cannot tell it is the
/// same one). None for service principals, federated ones and the resource's own account.
pub fn outside_principal(st: &Statement<'_>, own: &BTreeSet<&str>) -> Option<String> {
    if public_principal(st).is_some() {
        return Some("anyone".to_string());
    }
    st.principal
        .as_ref()?
        .values_of("AWS")
        .filter_map(|v| principal_account(v.value))
        .find(|account| !own.contains(account))
        .map(|account| format!("account {account}"))
}

/// Where the least-privilege wildcard rules (SERVICE_WILDCARD_IN_ACTION,
/// PREFIX_WILDCARD_IN_ACTION) apply: identity policies, and resource and trust policies for the
/// statements that reach outside the resource's own account (see [`grantee`]). Gives the own
/// accounts to pass to [`grantee`]; None for the policy types that only set a ceiling.
pub fn least_privilege_scope<'p>(cx: &Context<'p>) -> Option<BTreeSet<&'p str>> {
    match cx.policy_type {
        PolicyType::Identity => Some(BTreeSet::new()),
        PolicyType::Resource { .. } | PolicyType::Trust => Some(own_accounts(cx.whole_policy())),
        _ => None,
    }
}

/// Whether a least-privilege wildcard finding applies to the statement, and the words the
/// message adds: "" in an identity policy (the holder is the grantee), " to anyone" or
/// " to account 444455556666" in a resource or trust policy whose statement reaches outside the
/// resource's own account. None for a resource-policy statement that stays inside: there
/// `s3:*` for the account's own role is an administrator's choice the identity side limits.
pub fn grantee(cx: &Context<'_>, st: &Statement<'_>, own: &BTreeSet<&str>) -> Option<String> {
    if *cx.policy_type == PolicyType::Identity {
        return Some(String::new());
    }
    outside_principal(st, own).map(|who| format!(" to {who}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outside(statement: &str) -> Option<String> {
        let text = format!(r#"{{"Statement": [{statement}]}}"#);
        let doc = crate::syntax::parse(&text);
        let policy = Policy::from_root(doc.root.as_ref());
        let own = own_accounts(&policy);
        outside_principal(&policy.statements[0], &own)
    }

    #[test]
    fn names_anyone_and_other_accounts() {
        assert_eq!(
            outside(
                r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b"}"#
            ),
            Some("anyone".to_string())
        );
        assert_eq!(
            outside(
                r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:111122223333:q"}"#
            ),
            Some("account 444455556666".to_string())
        );
        // An S3 ARN names no account: a named account may be another one.
        assert_eq!(
            outside(
                r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "arn:aws:s3:::b"}"#
            ),
            Some("account 111122223333".to_string())
        );
    }

    #[test]
    fn own_account_services_and_limited_star_stay_inside() {
        for statement in [
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/r"}, "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:111122223333:q"}"#,
            r#"{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:111122223333:q"}"#,
            r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}"#,
        ] {
            assert_eq!(outside(statement), None, "{statement}");
        }
    }
}

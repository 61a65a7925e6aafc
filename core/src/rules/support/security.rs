//! Helpers shared by the security rules: wildcard matching of action names, the policy types
//! that grant access, and the questions rules ask about a statement's Condition.

use crate::policy::{
    BaseOperator, ConditionBlock, ConditionEntry, PolicyType, SetQualifier, Statement, StringItem,
};
use crate::wildcard::{action_matches, is_account_id};

/// Policy types whose Allow statements grant access by themselves. SCPs, RCPs, permissions
/// boundaries and session policies only set a ceiling, so "too broad" means nothing there.
pub fn grants_access(policy_type: &PolicyType) -> bool {
    matches!(
        policy_type,
        PolicyType::Identity | PolicyType::Resource { .. } | PolicyType::Trust
    )
}

/// The `"*"` item of the statement's Action list (also `"*:*"`).
pub fn star_action<'s, 'a>(st: &'s Statement<'a>) -> Option<&'s StringItem<'a>> {
    st.action
        .as_ref()?
        .items
        .iter()
        .find(|i| i.value == "*" || i.value == "*:*")
}

/// The `"*"` item of the statement's Resource list.
pub fn star_resource<'s, 'a>(st: &'s Statement<'a>) -> Option<&'s StringItem<'a>> {
    st.resource.as_ref()?.items.iter().find(|i| i.value == "*")
}

/// True when the statement grants `action` through Action (a pattern that matches it) or
/// through NotAction (no pattern excludes it).
pub fn statement_covers_action(st: &Statement<'_>, action: &str) -> bool {
    if let Some(list) = &st.action {
        return list.items.iter().any(|i| action_matches(i.value, action));
    }
    if let Some(list) = &st.not_action {
        return !list.items.iter().any(|i| action_matches(i.value, action));
    }
    false
}

/// The item of Action that grants `action`, preferring an explicit name over a wildcard.
pub fn action_item_for<'s, 'a>(st: &'s Statement<'a>, action: &str) -> Option<&'s StringItem<'a>> {
    let items = &st.action.as_ref()?.items;
    items
        .iter()
        .find(|i| i.value.eq_ignore_ascii_case(action))
        .or_else(|| items.iter().find(|i| action_matches(i.value, action)))
}

/// Every (block, entry) of the statement's Condition.
pub fn condition_entries<'s, 'a>(
    st: &'s Statement<'a>,
) -> impl Iterator<Item = (&'s ConditionBlock<'a>, &'s ConditionEntry<'a>)> + 's {
    st.conditions
        .iter()
        .flat_map(|b| b.entries.iter().map(move |e| (b, e)))
}

/// True when the entry can only let a request through if the key is present and equal (or like)
/// one of its values: a positive, non-IfExists operator (ForAllValues is vacuous on a missing key
/// and does not count), and at least one value that is more than a bare `*`.
pub fn entry_restricts(block: &ConditionBlock<'_>, entry: &ConditionEntry<'_>) -> bool {
    entry_restricts_present(block, entry, false)
}

/// [`entry_restricts`] for a key known to be in every request the statement covers
/// (`key_present`): then `...IfExists` is the plain operator and restricts as it does, and
/// `ForAllValues:` is no longer vacuous (every value the request carries must match).
pub fn entry_restricts_present(
    block: &ConditionBlock<'_>,
    entry: &ConditionEntry<'_>,
    key_present: bool,
) -> bool {
    let Some(op) = block.operator else {
        return false;
    };
    if op.base.is_negated()
        || (op.if_exists && !key_present)
        || op.base == BaseOperator::Null
        || (op.qualifier == Some(SetQualifier::ForAllValues) && !key_present)
    {
        return false;
    }
    let wildcard_ok = op.base.supports_wildcards();
    let meaningful = entry
        .values
        .iter()
        .any(|v| !(wildcard_ok && v.value.chars().all(|c| c == '*' || c == '?')));
    meaningful || !entry.other_values.is_empty()
}

/// The first entry on one of `keys` (case-insensitive) that really restricts the request.
pub fn restricting_entry<'s, 'a>(
    st: &'s Statement<'a>,
    keys: &[&str],
) -> Option<&'s ConditionEntry<'a>> {
    condition_entries(st)
        .find(|(b, e)| {
            keys.iter().any(|k| e.key.value.eq_ignore_ascii_case(k)) && entry_restricts(b, e)
        })
        .map(|(_, e)| e)
}

/// True when any condition key of the statement starts with `prefix` (case-insensitive).
pub fn has_key_with_prefix(st: &Statement<'_>, prefix: &str) -> bool {
    condition_entries(st).any(|(_, e)| {
        e.key
            .value
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    })
}

/// Condition keys that tie a request to a known caller, network or source: with a positive
/// operator they keep a `"*"` principal from meaning "anyone".
pub const CALLER_LIMITING_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:userid",
    "aws:username",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:VpceAccount",
    "aws:VpceOrgID",
    "aws:VpceOrgPaths",
    "kms:CallerAccount",
    "lambda:EventSourceToken",
    "sns:Endpoint",
];

/// Condition keys that pin an AWS service principal to the resource or account acting for you.
pub const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
];

/// The 12-digit account of an AWS principal value: `111122223333`, `arn:aws:iam::111122223333:root`,
/// `arn:aws:iam::111122223333:role/x`, `arn:aws:sts::111122223333:assumed-role/x/y`.
pub fn principal_account(value: &str) -> Option<&str> {
    if is_account_id(value) {
        return Some(value);
    }
    let mut parts = value.splitn(6, ':');
    let (arn, _partition, service, _region, account) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (arn == "arn" && (service == "iam" || service == "sts") && is_account_id(account))
        .then_some(account)
}

/// The account segment of a resource ARN when it is a concrete 12-digit id.
pub fn arn_account(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    is_account_id(account).then_some(account)
}

/// True when an AWS principal value names a whole account (`123...` or `arn:...:root`).
pub fn is_account_root(value: &str) -> bool {
    is_account_id(value) || (value.starts_with("arn:") && value.ends_with(":root"))
}

/// "a, b and c" for messages; shows at most `max` names and says how many more there are.
pub fn name_list<S: AsRef<str>>(names: &[S], max: usize) -> String {
    name_list_of(&names[..names.len().min(max)], names.len())
}

/// [`name_list`] when only the names shown were built: `shown` are the first of `total` names.
pub fn name_list_of<S: AsRef<str>>(shown: &[S], total: usize) -> String {
    let mut out = String::new();
    push_name_list(&mut out, shown, total, |out, name| {
        out.push_str(name.as_ref())
    });
    out
}

/// [`name_list_of`] written into `out`, each shown name by `push`: the messages that name a
/// few actions or resource types write them straight into the message ("s3:GetObject" from its
/// two parts) instead of building a `String` per name, a joined list and a `format!` around it,
/// which was about a third of STAR_IN_RESOURCE's own time on the managed-policy corpus.
pub fn push_name_list<T>(
    out: &mut String,
    shown: &[T],
    total: usize,
    push: impl Fn(&mut String, &T),
) {
    let rest = total.saturating_sub(shown.len());
    for (i, item) in shown.iter().enumerate() {
        if i > 0 {
            out.push_str(if rest == 0 && i + 1 == shown.len() {
                " and "
            } else {
                ", "
            });
        }
        push(out, item);
    }
    if rest > 0 && !shown.is_empty() {
        out.push_str(" and ");
        crate::bytes::push_decimal(out, rest);
        out.push_str(" more");
    }
}

/// The host of GitHub Actions' OIDC provider; condition keys start with it.
pub const GITHUB_OIDC_HOST: &str = "token.actions.githubusercontent.com";

/// Web identity providers that IAM knows by name rather than by an oidc-provider ARN.
const NAMED_WEB_IDENTITY_PROVIDERS: &[&str] = &[
    "accounts.google.com",
    "cognito-identity.amazonaws.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// The provider host of an OIDC federated principal (the prefix of its condition keys):
/// `arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC` gives
/// `oidc.eks.us-east-1.amazonaws.com/id/ABC`. None for SAML providers and anything else.
pub fn oidc_host(federated: &str) -> Option<&str> {
    if let Some((_, host)) = federated.split_once(":oidc-provider/") {
        return (!host.is_empty()).then_some(host);
    }
    NAMED_WEB_IDENTITY_PROVIDERS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(federated))
        .then_some(federated)
}

/// True for GitHub's OIDC provider, including GitHub Enterprise hosts with a path after it.
pub fn is_github_host(host: &str) -> bool {
    host.get(..GITHUB_OIDC_HOST.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(GITHUB_OIDC_HOST))
}

/// What MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL and MISSING_GITHUB_REPO_CONDITION_KEY require
/// of the OIDC providers a trust policy lets assume the role.
pub struct OidcRequirement {
    /// Whether the rule covers the provider with this host.
    pub applies_to: fn(host: &str) -> bool,
    /// Whether a condition on this key (when it restricts) limits who of the provider's
    /// identities gets in.
    pub limited_by: fn(host: &str, key: &str) -> bool,
    /// The finding's message for the host.
    pub message: fn(host: &str) -> String,
    /// The fix's title, and the placeholder value of the `<host>:sub` condition it adds.
    pub fix: fn(host: &str) -> (&'static str, &'static str),
}

/// Report, at the Federated value, every OIDC provider of a trust policy's
/// AssumeRoleWithWebIdentity Allow that `requirement` covers and no restricting condition
/// limits, with a fix adding a StringEquals on `<host>:sub`.
pub fn report_unlimited_oidc_providers(
    cx: &crate::rules::Context<'_>,
    sink: &mut crate::rules::Sink<'_>,
    requirement: &OidcRequirement,
) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() || !statement_covers_action(st, "sts:AssumeRoleWithWebIdentity") {
            continue;
        }
        let Some(principal) = &st.principal else {
            continue;
        };
        for value in principal.values_of("Federated") {
            let Some(host) = oidc_host(value.value).filter(|h| (requirement.applies_to)(h)) else {
                continue;
            };
            let limited = condition_entries(st).any(|(b, e)| {
                (requirement.limited_by)(host, &e.key.value) && entry_restricts(b, e)
            });
            if limited {
                continue;
            }
            let d = sink.report(value.span(), (requirement.message)(host));
            let (title, sub_value) = (requirement.fix)(host);
            let sub_key = format!("{host}:sub");
            if let Some(fix) = crate::fix::narrow::add_condition_fix(
                cx.text,
                st,
                title,
                &[("StringEquals", sub_key.as_str(), sub_value)],
            ) {
                d.fixes.push(fix);
            }
        }
    }
}

/// A skeleton of the conditions that tie an AWS service principal to your resource and account
/// (the confused-deputy protection). The placeholders match nothing until filled in, so the
/// skeleton fails closed.
pub fn service_source_fix(
    text: &str,
    st: &Statement<'_>,
    service_principal: &str,
) -> Option<crate::diagnostic::Fix> {
    let service = service_principal.split('.').next().unwrap_or("SERVICE");
    let source_arn = if service == "s3" {
        "arn:aws:s3:::BUCKET_NAME".to_string()
    } else {
        format!("arn:aws:{service}:*:ACCOUNT_ID:*")
    };
    crate::fix::narrow::add_condition_fix(
        text,
        st,
        format!(
            "Add aws:SourceAccount and aws:SourceArn conditions for {service_principal} (fill in the account and ARN)"
        ),
        &[
            ("StringEquals", "aws:SourceAccount", "ACCOUNT_ID"),
            ("ArnLike", "aws:SourceArn", &source_arn),
        ],
    )
}

/// The service-principal values of a statement's Principal (not `"*"`).
pub fn service_principal_values<'s, 'a>(st: &'s Statement<'a>) -> Vec<&'s StringItem<'a>> {
    match &st.principal {
        Some(p) => p.values_of("Service").collect(),
        None => Vec::new(),
    }
}

/// "12 actions: 2 List, 4 Read, 6 Write": the number of actions and how many of each access
/// level, counted in one pass, written at the end of `out` (a finding's message, built in one
/// buffer).
pub fn push_access_summary(out: &mut String, actions: &[crate::catalog::Action<'_>]) {
    let mut counts = [0usize; crate::catalog::AccessLevel::ALL.len()];
    for a in actions {
        counts[a.access_level() as usize] += 1;
    }
    crate::bytes::push_decimal(out, actions.len());
    out.push_str(if actions.len() == 1 {
        " action: "
    } else {
        " actions: "
    });
    let mut first = true;
    for (level, n) in crate::catalog::AccessLevel::ALL.iter().zip(counts) {
        if n == 0 {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        crate::bytes::push_decimal(out, n);
        out.push(' ');
        out.push_str(level.as_str());
    }
}

/// Only identity policies get the least-privilege findings about wildcards: in a resource
/// policy `"*"` in Resource means "this resource", and a role's trust policy has no Resource.
pub fn is_identity(policy_type: &PolicyType) -> bool {
    *policy_type == PolicyType::Identity
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::quote::json_string;

    #[test]
    fn finds_principal_accounts() {
        assert_eq!(
            principal_account("arn:aws:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(principal_account("444455556666"), Some("444455556666"));
        assert_eq!(principal_account("arn:aws:iam::*:root"), None);
        assert_eq!(principal_account("*"), None);
        assert_eq!(
            arn_account("arn:aws:sqs:us-east-1:111122223333:q"),
            Some("111122223333")
        );
        assert_eq!(arn_account("arn:aws:s3:::bucket"), None);
    }

    /// The list as it was written with `format!` before [`push_name_list`] wrote it: the
    /// reference the writer is tested against.
    fn plain_name_list_of(shown: &[&str], total: usize) -> String {
        let rest = total.saturating_sub(shown.len());
        match (shown.len(), rest) {
            (0, _) => String::new(),
            (1, 0) => shown[0].to_string(),
            (_, 0) => format!(
                "{} and {}",
                shown[..shown.len() - 1].join(", "),
                shown[shown.len() - 1]
            ),
            (_, n) => format!("{} and {n} more", shown.join(", ")),
        }
    }

    /// The writer (and [`name_list_of`], which calls it) against the plain list, on every shape
    /// of list: none, one or several names shown, with nothing, one or many more (and a total
    /// below the names shown).
    #[test]
    fn pushed_name_lists_read_as_name_list_of() {
        let names = ["s3:GetObject", "a", "", "iam:PassRole", "x, y", "ec2:*"];
        let mut next = crate::test_random::below(0x005e_ed11_a70f_5eed);
        for _ in 0..2_000 {
            let shown: Vec<&str> = (0..next(5)).map(|_| names[next(names.len())]).collect();
            let total = next(shown.len() + 4) + shown.len().saturating_sub(1);
            let mut out = String::from("before ");
            push_name_list(&mut out, &shown, total, |o, n| o.push_str(n));
            let plain = plain_name_list_of(&shown, total);
            assert_eq!(out, format!("before {plain}"), "{shown:?} of {total}");
            assert_eq!(name_list_of(&shown, total), plain, "{shown:?} of {total}");
        }
    }

    #[test]
    fn names_lists() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(name_list(&n(&["a"]), 3), "a");
        assert_eq!(name_list(&n(&["a", "b"]), 3), "a and b");
        assert_eq!(name_list(&n(&["a", "b", "c", "d"]), 2), "a, b and 2 more");
        assert_eq!(json_string("a\"b"), "\"a\\\"b\"");
        assert_eq!(
            oidc_host(
                "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
            ),
            Some("token.actions.githubusercontent.com")
        );
        assert_eq!(
            oidc_host("accounts.google.com"),
            Some("accounts.google.com")
        );
        assert_eq!(
            oidc_host("arn:aws:iam::111122223333:saml-provider/Okta"),
            None
        );
        assert!(is_github_host(
            "token.actions.githubusercontent.com/octo-enterprise"
        ));
    }
}

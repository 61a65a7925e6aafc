//! Helpers shared by the principal rules: walking principal values, recognising principal ARNs,
//! federated identity providers and service principal names.

use crate::policy::{Principal, Statement, StringItem};
use crate::syntax::Key;
use crate::wildcard::{has_wildcard, is_account_id};

/// The principal types IAM accepts as keys of a `Principal` object.
pub const PRINCIPAL_KEYS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

/// AWS partitions, for principal ARNs (the one list, in [`crate::arn`]).
pub use crate::arn::PARTITIONS;

/// Web identity providers that are written by name instead of an OIDC provider ARN.
pub const WEB_IDENTITY_PROVIDERS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "cognito-identity.amazonaws.com.cn",
    "www.amazon.com",
    "graph.facebook.com",
    "accounts.google.com",
];

/// One value of a principal entry, with where it came from.
pub struct PrincipalValue<'a, 's> {
    pub kind: &'a Key,
    pub item: &'s StringItem<'a>,
}

/// Principal and NotPrincipal of a statement, with a flag for NotPrincipal.
pub fn principals<'s, 'a>(st: &'s Statement<'a>) -> Vec<(bool, &'s Principal<'a>)> {
    let mut out = Vec::new();
    if let Some(p) = &st.principal {
        out.push((false, p));
    }
    if let Some(p) = &st.not_principal {
        out.push((true, p));
    }
    out
}

/// Every string value of every principal entry in the policy.
pub fn principal_values<'s, 'a>(statements: &'s [Statement<'a>]) -> Vec<PrincipalValue<'a, 's>> {
    let mut out = Vec::new();
    for st in statements {
        for (_, p) in principals(st) {
            for entry in &p.entries {
                for item in &entry.values.items {
                    out.push(PrincipalValue {
                        kind: entry.kind,
                        item,
                    });
                }
            }
        }
    }
    out
}

/// A unique ID as IAM shows it for a deleted role (AROA...) or user (AIDA...).
pub fn unique_id_prefix(value: &str) -> Option<&'static str> {
    let valid = value.len() >= 16
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !valid {
        return None;
    }
    ["AROA", "AIDA"].into_iter().find(|p| value.starts_with(p))
}

/// INVALID_ROLE_REFERENCE / INVALID_USER_REFERENCE: report every AWS principal that is the
/// unique ID with `prefix` ("AROA") of a deleted IAM `entity` ("role").
pub fn report_unique_ids(
    cx: &crate::rules::Context<'_>,
    sink: &mut crate::rules::Sink<'_>,
    prefix: &str,
    entity: &str,
) {
    for pv in principal_values(&cx.policy.statements) {
        if pv.kind.value == "AWS" && unique_id_prefix(pv.item.value) == Some(prefix) {
            sink.report(
                pv.item.inner_span(),
                format!(
                    "\"{}\" is the unique ID of an IAM {entity}, which usually means the {entity} was deleted; a {entity} recreated with the same name will not match. Use the {entity}'s ARN instead.",
                    pv.item.value
                ),
            );
        }
    }
}

/// The six fields of an ARN, if `value` has them.
pub struct Arn<'v> {
    pub partition: &'v str,
    pub service: &'v str,
    pub region: &'v str,
    pub account: &'v str,
    pub resource: &'v str,
}

pub fn parse_arn(value: &str) -> Option<Arn<'_>> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    Some(Arn {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account: parts.next()?,
        resource: parts.next()?,
    })
}

/// What is wrong with an AWS principal value, or None when it is a valid account ID or
/// principal ARN. Wildcards and unique IDs are other rules' business and count as valid here.
pub fn aws_principal_problem(value: &str) -> Option<String> {
    if value == "*"
        || is_account_id(value)
        || unique_id_prefix(value).is_some()
        || has_wildcard(value)
    {
        return None;
    }
    let Some(arn) = parse_arn(value) else {
        if value.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            && value.bytes().filter(u8::is_ascii_digit).count() == 12
        {
            return Some(format!(
                "\"{value}\" looks like an account ID with separators; write the 12 digits only"
            ));
        }
        return Some(format!(
            "\"{value}\" is neither a 12-digit account ID nor an IAM principal ARN (arn:aws:iam::111122223333:root, :user/NAME, :role/NAME, or arn:aws:sts::111122223333:assumed-role/ROLE/SESSION)"
        ));
    };
    if !PARTITIONS.contains(&arn.partition) {
        return Some(format!(
            "\"{}\" is not an AWS partition (aws, aws-cn, aws-us-gov, ...)",
            arn.partition
        ));
    }
    if arn.service != "iam" && arn.service != "sts" {
        return Some(format!(
            "\"{value}\" is an ARN of the {} service, not of a principal; principals are IAM users, roles, accounts or STS sessions",
            arn.service
        ));
    }
    // CloudFront origin access identities are IAM users of a special "cloudfront" account.
    if arn.service == "iam"
        && arn.account == "cloudfront"
        && arn
            .resource
            .starts_with("user/CloudFront Origin Access Identity ")
    {
        return None;
    }
    if !arn.region.is_empty() {
        return Some(format!(
            "principal ARNs have no Region, found \"{}\"",
            arn.region
        ));
    }
    if !is_account_id(arn.account) {
        return Some(format!(
            "the account \"{}\" is not a 12-digit account ID",
            arn.account
        ));
    }
    let (kind, rest) = arn.resource.split_once('/').unwrap_or((arn.resource, ""));
    match (arn.service, kind) {
        ("iam", "root") if rest.is_empty() => None,
        ("iam", "user" | "role") if !rest.is_empty() && !rest.ends_with('/') => None,
        ("iam", "group") => Some("IAM groups cannot be principals; name the users, or the account and filter with conditions".to_string()),
        ("sts", "assumed-role") if rest.split('/').count() == 2 && !rest.split('/').any(str::is_empty) => None,
        ("sts", "federated-user") if !rest.is_empty() => None,
        ("iam", _) => Some(format!(
            "\"{}\" is not a principal resource of IAM; use root, user/NAME or role/NAME",
            arn.resource
        )),
        _ => Some(format!(
            "\"{}\" is not a principal resource of STS; use assumed-role/ROLE/SESSION or federated-user/NAME",
            arn.resource
        )),
    }
}

/// True when `value` is a service principal name such as `lambda.amazonaws.com`.
pub fn is_service_principal(value: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        ".amazonaws.com",
        ".amazonaws.com.cn",
        ".amazon.com",
        ".c2s.ic.gov",
        ".sc2s.sgov.gov",
    ];
    SUFFIXES.iter().any(|suffix| {
        value.strip_suffix(suffix).is_some_and(|name| {
            !name.is_empty()
                && !name.starts_with(['.', '-'])
                && !name.ends_with(['.', '-'])
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        })
    })
}

/// How a federated principal signs in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FederationKind {
    Saml,
    WebIdentity,
}

/// The kind of a Federated principal value, or None when it is not a valid provider.
pub fn federation_kind(value: &str) -> Option<FederationKind> {
    if WEB_IDENTITY_PROVIDERS.contains(&value) {
        return Some(FederationKind::WebIdentity);
    }
    let arn = parse_arn(value)?;
    if !PARTITIONS.contains(&arn.partition)
        || arn.service != "iam"
        || !arn.region.is_empty()
        || !is_account_id(arn.account)
    {
        return None;
    }
    let (kind, name) = arn.resource.split_once('/')?;
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    match kind {
        "saml-provider" if !name.contains('/') => Some(FederationKind::Saml),
        "oidc-provider" if !name.starts_with("http") => Some(FederationKind::WebIdentity),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principal_arns() {
        for ok in [
            "*",
            "111122223333",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:user/path/alice",
            "arn:aws-cn:iam::111122223333:role/R",
            "arn:aws:sts::111122223333:assumed-role/R/session",
            "arn:aws:sts::111122223333:federated-user/bob",
            "AROAEXAMPLEEXAMPLE123",
            "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHEXAMPLE",
            "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123",
        ] {
            assert_eq!(aws_principal_problem(ok), None, "{ok}");
        }
        for bad in [
            "alice",
            "1111-2222-3333",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::11112222333:root",
            "arn:aws:iam:us-east-1:111122223333:root",
            "arn:aws:iam::111122223333:group/admins",
            "arn:aws:iam::111122223333:user/",
            "arn:aws:sts::111122223333:assumed-role/R",
            "arn:amazon:iam::111122223333:root",
        ] {
            assert!(aws_principal_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn service_principals_and_providers() {
        assert!(is_service_principal("lambda.amazonaws.com"));
        assert!(is_service_principal(
            "ec2.application-autoscaling.amazonaws.com"
        ));
        assert!(is_service_principal("alexa-appkit.amazon.com"));
        assert!(!is_service_principal("Lambda.amazonaws.com"));
        assert!(!is_service_principal("lambda"));
        assert!(!is_service_principal(".amazonaws.com"));
        assert_eq!(
            federation_kind("arn:aws:iam::111122223333:saml-provider/Okta"),
            Some(FederationKind::Saml)
        );
        assert_eq!(
            federation_kind(
                "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
            ),
            Some(FederationKind::WebIdentity)
        );
        assert_eq!(
            federation_kind("accounts.google.com"),
            Some(FederationKind::WebIdentity)
        );
        assert_eq!(
            federation_kind("arn:aws:iam::111122223333:oidc-provider/https://x"),
            None
        );
        assert_eq!(federation_kind("okta"), None);
    }

    #[test]
    fn wildcards() {}
}

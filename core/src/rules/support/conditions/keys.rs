//! Condition keys: their shape (`prefix:name`), who defines them (AWS globally, a service, or an
//! identity provider), and how their declared type maps onto an operator family.

use crate::catalog::{Catalog, ConditionKey, ConditionValueType};
use crate::policy::OperatorFamily;

/// Who defines a condition key, judged from its prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOrigin<'k> {
    /// An `aws:` key.
    Global,
    /// A key whose prefix may be a service prefix (`s3:prefix`); `prefix` as written.
    Service { prefix: &'k str },
    /// A key named after an identity provider (`accounts.google.com:aud`,
    /// `token.actions.githubusercontent.com:sub`, `oidc.eks.<region>.amazonaws.com/id/<id>:sub`,
    /// `saml:aud`): IAM accepts any such key, so it cannot be checked against a list.
    IdentityProvider,
}

/// Split a key into prefix and name at the first colon; None when the key is not in the
/// `prefix:name` form IAM requires (no colon, an empty part, or whitespace).
pub fn split_key(key: &str) -> Option<(&str, &str)> {
    let (prefix, name) = key.split_once(':')?;
    if prefix.is_empty() || name.is_empty() || key.chars().any(char::is_whitespace) {
        return None;
    }
    Some((prefix, name))
}

/// Where a well-formed key comes from; None for a malformed key.
pub fn origin(key: &str) -> Option<KeyOrigin<'_>> {
    let (prefix, _) = split_key(key)?;
    Some(if prefix.eq_ignore_ascii_case("aws") {
        KeyOrigin::Global
    } else if prefix.contains(['.', '/']) || prefix.eq_ignore_ascii_case("saml") {
        KeyOrigin::IdentityProvider
    } else {
        KeyOrigin::Service { prefix }
    })
}

/// The tag-key families whose name needs a `/tag-key` suffix (`aws:ResourceTag/team`).
const TAG_KEY_NAMES: &[&str] = &[
    "resourcetag",
    "requesttag",
    "principaltag",
    "existingobjecttag",
    "requestobjecttag",
];

/// True for a tag key written without its tag name: `aws:ResourceTag`, `aws:RequestTag/`,
/// `ec2:ResourceTag`, `s3:ExistingObjectTag`.
pub fn is_tag_key_without_name(key: &str) -> bool {
    let Some((_, name)) = split_key(key) else {
        return false;
    };
    let name = name.strip_suffix('/').unwrap_or(name);
    // Compared without case in place: every condition key of every policy comes here.
    TAG_KEY_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// True for `aws:ARN`, the retired global key that named the principal.
pub fn is_aws_arn_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:ARN")
}

/// The catalog's entry for a key, when the catalog knows it. Besides the catalog's own
/// matching, a key `prefix:Head/anything` matches a catalog key `prefix:Head/<placeholder>`
/// whatever the placeholder is written as (the data has both `${TagKey}` and `tag-key`), and
/// the tag part may itself contain colons (`secretsmanager:ResourceTag/aws:secretsmanager:x`).
pub fn lookup<'c>(catalog: &'c Catalog, key: &str) -> Option<ConditionKey<'c>> {
    if let Some(found) = catalog.condition_key(key) {
        return Some(found);
    }
    let (head, _) = key.split_once('/')?;
    let (prefix, _) = split_key(key)?;
    let same_head = |k: &ConditionKey<'c>| {
        k.name()
            .split_once('/')
            .is_some_and(|(h, _)| h.eq_ignore_ascii_case(head))
    };
    if prefix.eq_ignore_ascii_case("aws") {
        catalog.global_condition_keys().find(same_head)
    } else {
        catalog.service(prefix)?.condition_keys().find(same_head)
    }
}

/// Global keys that AWS's own managed policies use but the catalog's list lacks.
const EXTRA_GLOBAL_KEYS: &[&str] = &["aws:PrincipalOrgMasterAccountId"];

/// True for a global key the catalog does not list but AWS policies use.
pub fn is_extra_global_key(key: &str) -> bool {
    EXTRA_GLOBAL_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
}

/// True once the catalog has data; before that, rules that need it stay silent.
pub fn catalog_loaded(catalog: &Catalog) -> bool {
    catalog.global_condition_keys().next().is_some()
}

/// The operator family that compares values of a key's declared type.
pub fn family_for(value_type: ConditionValueType) -> OperatorFamily {
    use ConditionValueType as T;
    match value_type {
        T::String | T::ArrayOfString => OperatorFamily::String,
        T::Numeric | T::ArrayOfNumeric => OperatorFamily::Numeric,
        T::Date | T::ArrayOfDate => OperatorFamily::Date,
        T::Bool | T::ArrayOfBool => OperatorFamily::Bool,
        T::Binary => OperatorFamily::Binary,
        T::IpAddress => OperatorFamily::IpAddress,
        T::Arn | T::ArrayOfArn => OperatorFamily::Arn,
    }
}

/// The catalog spelling of a concrete key: for a template such as `aws:ResourceTag/${TagKey}`,
/// the written tail is kept (`aws:ResourceTag/team`).
pub fn canonical_spelling(template: &str, written: &str) -> String {
    match (template.split_once('/'), written.split_once('/')) {
        (Some((head, _)), Some((_, tail))) => format!("{head}/{tail}"),
        _ => template.to_string(),
    }
}

/// Keys defined by one service that other services also put in the request context
/// (cross-service keys); they are not tied to the actions of their own service.
pub const CROSS_SERVICE_KEYS: &[&str] = &[
    "ec2:sourceinstancearn",
    "ec2:sourceinstanceprivateipv4",
    "lambda:sourcefunctionarn",
    "glue:roleassumedby",
    "glue:credentialissuingservice",
    "ssm:sourceinstancearn",
    "identitystore:userid",
    "kms:viaservice",
];

pub fn is_cross_service_key(key: &str) -> bool {
    CROSS_SERVICE_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
}

/// The closest known key to `written` among `templates` (catalog spellings, possibly with a
/// `/${TagKey}`-style tail), spelled as the catalog spells it with the written tail kept:
/// `aws:ResourceTags/team` -> `aws:ResourceTag/team`, `aws:SourceIP4` -> `aws:SourceIp`.
pub fn suggest_key<'c>(
    written: &str,
    templates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    let (written_head, written_tail) = match written.split_once('/') {
        Some((h, t)) => (h, Some(t)),
        None => (written, None),
    };
    let templates: Vec<&str> = templates.into_iter().collect();
    let heads: Vec<&str> = templates
        .iter()
        .map(|t| {
            if written_tail.is_some() {
                t.split_once('/').map_or(*t, |(h, _)| h)
            } else {
                t
            }
        })
        .collect();
    let best = crate::suggest::did_you_mean(written_head, heads.iter().copied())?;
    let index = heads.iter().position(|h| *h == best)?;
    let template = templates[index];
    Some(match (template.split_once('/'), written_tail) {
        (Some((head, _)), Some(tail)) => format!("{head}/{tail}"),
        (None, None) => template.to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_origins() {
        assert_eq!(split_key("s3:prefix"), Some(("s3", "prefix")));
        assert!(split_key("SourceIp").is_none() && split_key("aws:").is_none());
        assert!(split_key(":x").is_none() && split_key("aws:Source Ip").is_none());
        assert_eq!(origin("AWS:SourceIp"), Some(KeyOrigin::Global));
        assert_eq!(
            origin("s3:prefix"),
            Some(KeyOrigin::Service { prefix: "s3" })
        );
        for idp in [
            "token.actions.githubusercontent.com:sub",
            "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub",
            "accounts.google.com:aud",
            "cognito-identity.amazonaws.com:amr",
            "saml:aud",
        ] {
            assert_eq!(origin(idp), Some(KeyOrigin::IdentityProvider), "{idp}");
        }
        assert!(is_tag_key_without_name("aws:ResourceTag"));
        assert!(is_tag_key_without_name("ec2:ResourceTag/"));
        assert!(!is_tag_key_without_name("aws:ResourceTag/team"));
        assert!(!is_tag_key_without_name("aws:TagKeys"));
        assert_eq!(
            canonical_spelling("aws:ResourceTag/${TagKey}", "aws:resourcetag/team"),
            "aws:ResourceTag/team"
        );
        assert_eq!(
            canonical_spelling("aws:SourceIp", "aws:sourceip"),
            "aws:SourceIp"
        );
    }
}

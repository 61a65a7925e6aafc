//! Which conditions narrow a grant for the risk rules (privilege escalation, resource,
//! credentials and data exposure): a condition lowers those findings only when it pins who
//! may call (principal, organisation, account), what the call may touch (the resource, its
//! account or tags, a service's own request keys) or from where (network, endpoint, source
//! resource, calling service). A region, the time, TLS, the user agent or the tags a request
//! adds leave the holder able to do the same thing to the same resources, so they do not.
//!
//! A key narrows only with an operator that requires it to be present and equal (or like) a
//! real value: see [`entry_restricts`]. Negated operators, `...IfExists`, `Null` and
//! `ForAllValues` let a request without the key through.

use crate::policy::{BaseOperator, ConditionBlock, ConditionEntry, SetQualifier, Statement};

use super::security::{condition_entries, entry_restricts, entry_restricts_present};

/// Global keys that pin who, what or from where. Entries ending in `/` are prefixes
/// (`aws:PrincipalTag/team`).
const NARROWING_GLOBAL_KEYS: &[&str] = &[
    // Who.
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalTag/",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalType",
    "aws:SourceIdentity",
    "aws:FederatedProvider",
    "aws:userid",
    "aws:username",
    // What.
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
    "aws:ResourceTag/",
    // From where.
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceVpcArn",
    "aws:VpcSourceIp",
    "aws:VpceAccount",
    "aws:VpceOrgID",
    "aws:VpceOrgPaths",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4",
];

/// Boolean global keys that narrow only when required to be true: `aws:ViaAWSService` true
/// means "only when a service calls on the holder's behalf", false means "only direct calls".
const NARROWING_WHEN_TRUE: &[&str] = &[
    "aws:ViaAWSService",
    "aws:PrincipalIsAWSService",
    "aws:IsMcpServiceAction",
];

/// Service keys that describe how a request is signed or sent, not what it touches: they do
/// not narrow, though every other service key is read as pinning "what" (the resource, the
/// policy attached, the service a role is passed to, the object prefix, ...).
const TRANSPORT_SERVICE_KEYS: &[&str] = &[
    "s3:authType",
    "s3:signatureAge",
    "s3:signatureversion",
    "s3:TlsVersion",
    "s3:x-amz-content-sha256",
];

fn is_global(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

fn listed(list: &[&str], key: &str) -> bool {
    list.iter().any(|k| match k.strip_suffix('/') {
        Some(prefix) => key
            .get(..k.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(k) && key.len() > prefix.len() + 1),
        None => k.eq_ignore_ascii_case(key),
    })
}

/// True for a resource-tag condition key: `aws:ResourceTag/<key>` or a service's own
/// (`ec2:ResourceTag/<key>`, `ssm:resourceTag/<key>`, `secretsmanager:ResourceTag/<key>`).
pub fn is_resource_tag_key(key: &str) -> bool {
    key.split_once(':').is_some_and(|(_, name)| {
        name.get(..12)
            .is_some_and(|p| p.eq_ignore_ascii_case("resourcetag/"))
            && name.len() > 12
    })
}

/// True when the entry requires the resource to carry a tag: a positive test of a resource-tag
/// key, including the presence tests AWS's own policies use (`"Null": {"aws:ResourceTag/x":
/// "false"}`, `"StringLike": {"...ResourceTag/x": "*"}`), which limit the grant to the resources
/// tagged for that use.
pub fn entry_scopes_by_tag(block: &ConditionBlock<'_>, entry: &ConditionEntry<'_>) -> bool {
    let Some(op) = block.operator else {
        return false;
    };
    if !is_resource_tag_key(&entry.key.value) || op.if_exists || op.base.is_negated() {
        return false;
    }
    let all = |want: &str| {
        entry.other_values.is_empty()
            && !entry.values.is_empty()
            && entry
                .values
                .iter()
                .all(|v| v.value.eq_ignore_ascii_case(want))
    };
    if op.base == BaseOperator::Null {
        return all("false");
    }
    op.qualifier.is_none() && (all("*") || entry_restricts(block, entry))
}

/// True when the statement's resources are scoped by tag (see [`entry_scopes_by_tag`]).
pub fn scoped_by_tag(st: &Statement<'_>) -> bool {
    condition_entries(st).any(|(b, e)| entry_scopes_by_tag(b, e))
}

/// True when every Action item of the statement belongs to the service of `key` (its prefix):
/// then a service key is in every request the statement covers, so `...IfExists` on it is the
/// plain operator. (`iam:PassedToService` with only `iam:PassRole`.)
fn service_key_always_present(st: &Statement<'_>, key: &str) -> bool {
    let Some((service, _)) = key.split_once(':') else {
        return false;
    };
    st.action.as_ref().is_some_and(|list| {
        !list.items.is_empty()
            && list.items.iter().all(|i| {
                i.value
                    .split_once(':')
                    .is_some_and(|(s, _)| s.eq_ignore_ascii_case(service))
            })
    })
}

/// Service keys that are in every request of the given actions, because the key reads a
/// parameter the API requires (and that cannot be empty). Reviewed entry by entry against the
/// API references (docs/accuracy.md); each has a test. On these, `ForAllValues:` is not vacuous:
/// it requires every value of the request to match, so it narrows like a plain operator.
/// (Which keys an action *supports* is in the catalog; whether a key is always present is not.)
pub const ALWAYS_IN_REQUEST: &[(&str, &[&str], &str)] = &[
    (
        "kms:GrantOperations",
        &["kms:CreateGrant"],
        "AWS KMS API Reference, CreateGrant: Operations is required (at least one operation)",
    ),
    (
        "route53:ChangeResourceRecordSetsNormalizedRecordNames",
        &["route53:ChangeResourceRecordSets"],
        "Route 53 API Reference, ChangeResourceRecordSets: ChangeBatch and its Changes (at least \
         one) are required, and each change's ResourceRecordSet requires Name",
    ),
    (
        "route53:ChangeResourceRecordSetsRecordTypes",
        &["route53:ChangeResourceRecordSets"],
        "Route 53 API Reference, ChangeResourceRecordSets: each change's ResourceRecordSet \
         requires Type",
    ),
    (
        "route53:ChangeResourceRecordSetsActions",
        &["route53:ChangeResourceRecordSets"],
        "Route 53 API Reference, ChangeResourceRecordSets: each change requires Action",
    ),
    (
        "ssm:InventoryTypeName",
        &["ssm:PutInventory"],
        "Systems Manager API Reference, PutInventory: Items is required (1 to 30) and each \
         item requires TypeName",
    ),
];

/// True when every Action item of the statement is an action whose requests always carry `key`
/// ([`ALWAYS_IN_REQUEST`]). Only names written out count: a wildcard may reach actions without it.
fn key_in_every_request(st: &Statement<'_>, key: &str) -> bool {
    let Some((_, actions, _)) = ALWAYS_IN_REQUEST
        .iter()
        .find(|(k, _, _)| k.eq_ignore_ascii_case(key))
    else {
        return false;
    };
    st.action.as_ref().is_some_and(|list| {
        !list.items.is_empty()
            && list
                .items
                .iter()
                .all(|i| actions.iter().any(|a| a.eq_ignore_ascii_case(i.value)))
    })
}

/// True when the statement requires `key` to be present: `"Null": {"<key>": "false"}` (the
/// conditions of a statement are ANDed, so a request without the key is not granted). This is
/// the pairing the IAM User Guide recommends for `ForAllValues:` in an Allow.
fn presence_required(st: &Statement<'_>, key: &str) -> bool {
    condition_entries(st).any(|(block, entry)| {
        block.operator.is_some_and(|op| {
            op.base == BaseOperator::Null && op.qualifier.is_none() && !op.if_exists
        }) && entry.key.value.eq_ignore_ascii_case(key)
            && entry.other_values.is_empty()
            && !entry.values.is_empty()
            && entry
                .values
                .iter()
                .all(|v| v.value.eq_ignore_ascii_case("false"))
    })
}

/// True when `key` is known to be in every request the statement covers, as far as the entry's
/// operator needs it: for `ForAllValues:` the key must be required ([`presence_required`]) or
/// always sent ([`key_in_every_request`]); for `...IfExists` it is enough that every action
/// belongs to the key's service.
fn key_known_present(st: &Statement<'_>, block: &ConditionBlock<'_>, key: &str) -> bool {
    if block
        .operator
        .is_some_and(|op| op.qualifier == Some(SetQualifier::ForAllValues))
    {
        presence_required(st, key) || key_in_every_request(st, key)
    } else {
        !is_global(key) && service_key_always_present(st, key)
    }
}

/// True when a positive test of `key` would pin who, what or from where: a listed global key,
/// or any service key but the transport ones.
fn key_can_narrow(key: &str) -> bool {
    if is_global(key) {
        listed(NARROWING_GLOBAL_KEYS, key) || listed(NARROWING_WHEN_TRUE, key)
    } else {
        !listed(TRANSPORT_SERVICE_KEYS, key)
    }
}

/// True when the entry's operator lets a request without the key through: negated operators
/// (`StringNotEquals`, `ArnNotLike`, ...) and `...IfExists` are true on a missing key (IAM User
/// Guide, "Condition operators"), and `ForAllValues` is vacuously true on it; the last two
/// only matter when the key may be missing ([`key_known_present`]).
fn passes_without_key(st: &Statement<'_>, block: &ConditionBlock<'_>, key: &str) -> bool {
    block.operator.is_some_and(|op| {
        op.base.is_negated()
            || ((op.if_exists || op.qualifier == Some(SetQualifier::ForAllValues))
                && !key_known_present(st, block, key))
    })
}

/// True when the condition entry pins who, what or from where (see the module documentation).
pub fn entry_narrows(
    st: &Statement<'_>,
    block: &ConditionBlock<'_>,
    entry: &ConditionEntry<'_>,
) -> bool {
    let key = entry.key.value.as_str();
    if entry_scopes_by_tag(block, entry) {
        return true;
    }
    if !entry_restricts_present(block, entry, key_known_present(st, block, key)) {
        return false;
    }
    if listed(NARROWING_WHEN_TRUE, key) {
        return entry.other_values.is_empty()
            && entry
                .values
                .iter()
                .all(|v| v.value.eq_ignore_ascii_case("true"));
    }
    if is_global(key) {
        return listed(NARROWING_GLOBAL_KEYS, key);
    }
    !listed(TRANSPORT_SERVICE_KEYS, key)
}

/// True when a Deny whose only condition is this entry leaves, of any Allow, only requests
/// that pin who, what or from where: the entry is a negated test of a key that would narrow
/// (`StringNotEquals` on `aws:ResourceAccount`, `NotIpAddress` on `aws:SourceIp`), without
/// `...IfExists` or a set qualifier, on a real value. Such a Deny applies when the key is
/// absent or differs, so what it leaves is the positive test, which narrows. (The data
/// perimeter pattern of the IAM User Guide and the SCP examples.)
pub fn deny_entry_leaves_narrowed(block: &ConditionBlock<'_>, entry: &ConditionEntry<'_>) -> bool {
    let Some(op) = block.operator else {
        return false;
    };
    let key = entry.key.value.as_str();
    if !op.base.is_negated() || op.if_exists || op.qualifier.is_some() || !key_can_narrow(key) {
        return false;
    }
    let wildcard_ok = op.base.supports_wildcards();
    entry.other_values.is_empty()
        && !entry.values.is_empty()
        && entry
            .values
            .iter()
            .all(|v| !(wildcard_ok && v.value.chars().all(|c| c == '*' || c == '?')))
}

/// How the risk rules read a statement's Condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionReading<'a> {
    /// No Condition element.
    None,
    /// A condition on this key narrows the grant: the statement does not count.
    Narrowed(&'a str),
    /// The statement has conditions, none of which narrows; the first key, for messages.
    NotNarrowing(&'a str),
    /// As `NotNarrowing`, and a key that would narrow is tested with an operator that a request
    /// without the key passes (`StringNotEquals` on `aws:PrincipalTag/x` with `""` lets an
    /// untagged caller through): that key and the operator, for messages.
    PassesWithoutKey(&'a str, &'a str),
}

impl<'a> ConditionReading<'a> {
    pub fn narrows(self) -> bool {
        matches!(self, ConditionReading::Narrowed(_))
    }

    /// The clause a finding adds about the conditions it did not take as narrowing, empty
    /// when there are none.
    pub fn note(self) -> String {
        match self {
            ConditionReading::NotNarrowing(key) => format!(
                " (its condition on {key} does not limit who, which resources or from where)"
            ),
            ConditionReading::PassesWithoutKey(key, operator) => format!(
                " (its condition on {key} uses {operator}, which a request without {key} \
                 passes, so it does not limit who, which resources or from where)"
            ),
            _ => String::new(),
        }
    }
}

/// Reads the statement's Condition: whether an entry narrows, else the first key it tests.
pub fn read_conditions<'s>(st: &'s Statement<'_>) -> ConditionReading<'s> {
    let mut first = None;
    let mut without_key = None;
    for (block, entry) in condition_entries(st) {
        let key = entry.key.value.as_str();
        if entry_narrows(st, block, entry) {
            return ConditionReading::Narrowed(key);
        }
        first.get_or_insert(key);
        if without_key.is_none() && key_can_narrow(key) && passes_without_key(st, block, key) {
            without_key = Some((key, block.operator_key.value.as_str()));
        }
    }
    match (without_key, first) {
        (Some((key, operator)), _) => ConditionReading::PassesWithoutKey(key, operator),
        (None, Some(key)) => ConditionReading::NotNarrowing(key),
        // A Condition element with no usable entry (empty, or not an object): nothing narrows.
        (None, None) if st.condition.is_some() => ConditionReading::NotNarrowing("nothing"),
        (None, None) => ConditionReading::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn reading(condition: &str) -> String {
        let text = format!(
            r#"{{"Statement": [{{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {condition}}}]}}"#
        );
        let doc = crate::syntax::parse(&text);
        let policy = Policy::from_root(doc.root.as_ref());
        format!("{:?}", read_conditions(&policy.statements[0]))
    }

    #[test]
    fn who_what_and_where_narrow() {
        for (condition, key) in [
            (
                r#"{"StringEquals": {"aws:PrincipalOrgID": "o-1"}}"#,
                "aws:PrincipalOrgID",
            ),
            (
                r#"{"StringEquals": {"aws:ResourceTag/team": "red"}}"#,
                "aws:ResourceTag/team",
            ),
            (
                r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#,
                "aws:SourceIp",
            ),
            (
                r#"{"StringEquals": {"aws:SourceVpce": "vpce-1"}}"#,
                "aws:SourceVpce",
            ),
            (
                r#"{"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}"#,
                "iam:PolicyARN",
            ),
            (
                r#"{"Bool": {"aws:ViaAWSService": "true"}}"#,
                "aws:ViaAWSService",
            ),
            // One narrowing entry among others is enough: conditions are ANDed.
            (
                r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1", "aws:PrincipalAccount": "111122223333"}}"#,
                "aws:PrincipalAccount",
            ),
        ] {
            assert_eq!(
                reading(condition),
                format!("Narrowed({key:?})"),
                "{condition}"
            );
        }
    }

    #[test]
    fn region_time_transport_and_loose_operators_do_not() {
        for (condition, key) in [
            (
                r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#,
                "aws:RequestedRegion",
            ),
            (
                r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
                "aws:SecureTransport",
            ),
            (
                r#"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#,
                "aws:MultiFactorAuthPresent",
            ),
            (
                r#"{"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}"#,
                "aws:CurrentTime",
            ),
            (
                r#"{"StringEquals": {"aws:RequestTag/team": "red"}}"#,
                "aws:RequestTag/team",
            ),
            (
                r#"{"StringEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}}"#,
                "s3:signatureversion",
            ),
            (
                r#"{"StringLike": {"aws:PrincipalArn": "*"}}"#,
                "aws:PrincipalArn",
            ),
            (
                r#"{"Bool": {"aws:ViaAWSService": "false"}}"#,
                "aws:ViaAWSService",
            ),
            (
                r#"{"StringEquals": {"aws:ResourceTag/": "x"}}"#,
                "aws:ResourceTag/",
            ),
        ] {
            assert_eq!(
                reading(condition),
                format!("NotNarrowing({key:?})"),
                "{condition}"
            );
        }
    }

    /// Issue 12 (the SageMaker Studio and DataZone managed policies): `StringNotEquals` with
    /// `""` on `aws:PrincipalTag/AmazonDataZoneProject` is true for a caller without the tag,
    /// so it does not narrow, and the reading names the operator that lets such a caller
    /// through. Its neighbour, the positive test of the same tag, narrows.
    #[test]
    fn a_narrowing_key_under_an_operator_a_missing_key_passes() {
        for (condition, key, operator) in [
            (
                r#"{"StringNotEquals": {"aws:PrincipalTag/AmazonDataZoneProject": ""}}"#,
                "aws:PrincipalTag/AmazonDataZoneProject",
                "StringNotEquals",
            ),
            (
                r#"{"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}"#,
                "aws:PrincipalOrgID",
                "StringNotEquals",
            ),
            (
                r#"{"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}"#,
                "aws:SourceVpce",
                "StringEqualsIfExists",
            ),
            // The narrowing-kind key is named even when another key comes first.
            (
                r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}, "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}"#,
                "aws:PrincipalArn",
                "ArnNotLike",
            ),
        ] {
            assert_eq!(
                reading(condition),
                format!("PassesWithoutKey({key:?}, {operator:?})"),
                "{condition}"
            );
        }
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalTag/AmazonDataZoneProject": ""}}}]}"#;
        let doc = crate::syntax::parse(text);
        let policy = Policy::from_root(doc.root.as_ref());
        assert_eq!(
            read_conditions(&policy.statements[0]).note(),
            " (its condition on aws:PrincipalTag/AmazonDataZoneProject uses StringNotEquals, \
             which a request without aws:PrincipalTag/AmazonDataZoneProject passes, so it does \
             not limit who, which resources or from where)"
        );
        assert_eq!(
            reading(r#"{"StringEquals": {"aws:PrincipalTag/AmazonDataZoneProject": "p-1"}}"#),
            "Narrowed(\"aws:PrincipalTag/AmazonDataZoneProject\")"
        );
    }

    fn reading_of(action: &str, condition: &str) -> String {
        let text = format!(
            r#"{{"Statement": [{{"Effect": "Allow", "Action": {action}, "Resource": "*", "Condition": {condition}}}]}}"#
        );
        let doc = crate::syntax::parse(&text);
        let policy = Policy::from_root(doc.root.as_ref());
        format!("{:?}", read_conditions(&policy.statements[0]))
    }

    /// Issue 12, second round: `ForAllValues:` is vacuous only on a request without the key.
    /// `kms:CreateGrant` always carries `kms:GrantOperations` (Operations is a required
    /// parameter), so `ForAllValues:StringEquals` on it pins which operations a grant may allow
    /// (AmazonDataZoneSageMakerManageAccessRolePolicy). Neighbours keep the old reading: an
    /// action of the same statement whose requests lack the key, and a wildcard that may reach
    /// such actions.
    #[test]
    fn for_all_values_on_a_key_every_request_carries_narrows() {
        let grant = r#"{"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}"#;
        assert_eq!(
            reading_of(r#""kms:CreateGrant""#, grant),
            "Narrowed(\"kms:GrantOperations\")"
        );
        for action in [r#"["kms:CreateGrant", "kms:Decrypt"]"#, r#""kms:Create*""#] {
            assert_eq!(
                reading_of(action, grant),
                "PassesWithoutKey(\"kms:GrantOperations\", \"ForAllValues:StringEquals\")",
                "{action}"
            );
        }
        // A bare "*" still says nothing, key present or not.
        assert_eq!(
            reading_of(
                r#""route53:ChangeResourceRecordSets""#,
                r#"{"ForAllValues:StringLike": {"route53:ChangeResourceRecordSetsNormalizedRecordNames": "*"}}"#
            ),
            "NotNarrowing(\"route53:ChangeResourceRecordSetsNormalizedRecordNames\")"
        );
    }

    /// `ForAllValues:` paired with `"Null": {key: "false"}` in the same statement (the IAM User
    /// Guide's advice for an Allow; AWSMarketplaceManageSubscriptions,
    /// SageMakerStudioProjectUserRolePolicy) requires the key, so it narrows whatever the
    /// actions are. Without the Null test, or with `"Null": "true"`, it does not.
    #[test]
    fn for_all_values_with_a_presence_test_narrows() {
        let forall = r#""ForAllValues:StringEquals": {"aws-marketplace:AgreementType": ["PurchaseAgreement"]}"#;
        let action = r#""aws-marketplace:AcceptAgreementPaymentRequest""#;
        assert_eq!(
            reading_of(
                action,
                &format!(r#"{{{forall}, "Null": {{"aws-marketplace:AgreementType": "false"}}}}"#)
            ),
            "Narrowed(\"aws-marketplace:AgreementType\")"
        );
        for condition in [
            format!("{{{forall}}}"),
            format!(r#"{{{forall}, "Null": {{"aws-marketplace:AgreementType": "true"}}}}"#),
            format!(r#"{{{forall}, "Null": {{"aws-marketplace:PartyType": "false"}}}}"#),
        ] {
            assert_eq!(
                reading_of(action, &condition),
                "PassesWithoutKey(\"aws-marketplace:AgreementType\", \"ForAllValues:StringEquals\")",
                "{condition}"
            );
        }
    }

    /// Each reviewed entry must still name real actions that support the key (the catalog says
    /// which keys an action supports; the table adds that the key is always there).
    #[test]
    fn always_in_request_entries_are_supported_keys_of_real_actions() {
        let catalog = crate::catalog::catalog();
        for (key, actions, source) in ALWAYS_IN_REQUEST {
            assert!(!source.is_empty());
            for action in *actions {
                let found = catalog
                    .action(action)
                    .unwrap_or_else(|| panic!("{action} is not in the catalog"));
                assert!(found.supports_condition_key(key), "{action} {key}");
            }
        }
    }
}

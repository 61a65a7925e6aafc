//! No public access: a resource policy lets no one in from anywhere. The judgement of "open to
//! everyone with no condition that pins the caller" is the PUBLIC_ACCESS rule's own
//! ([`public_principal`], [`CALLER_LIMITING_KEYS`]); this gate adds NotPrincipal, which actions
//! matter for the resource type, and the Deny statements that fence everyone else out.

use super::model::{principals_cover, resources_cover, statements, units, Cond, Stmt};
use super::{reason, GatePolicy, GateResult, Reason};
use crate::policy::{Effect, Statement};
use crate::rules::support::outside::public_principal;
use crate::rules::support::security::{restricting_entry, CALLER_LIMITING_KEYS};

/// A resource type the gate knows, as CloudFormation names it, with the service prefixes of the
/// actions its resource policy governs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicResourceType {
    pub name: &'static str,
    pub services: &'static [&'static str],
}

const fn rt(name: &'static str, services: &'static [&'static str]) -> PublicResourceType {
    PublicResourceType { name, services }
}

/// The resource types of Access Analyzer's CheckNoPublicAccess, plus ECR repositories.
pub const PUBLIC_RESOURCE_TYPES: &[PublicResourceType] = &[
    rt("AWS::DynamoDB::Table", &["dynamodb"]),
    rt("AWS::DynamoDB::Stream", &["dynamodb"]),
    rt("AWS::EFS::FileSystem", &["elasticfilesystem"]),
    rt("AWS::OpenSearchService::Domain", &["es"]),
    rt("AWS::Kinesis::Stream", &["kinesis"]),
    rt("AWS::Kinesis::StreamConsumer", &["kinesis"]),
    rt("AWS::KMS::Key", &["kms"]),
    rt("AWS::Lambda::Function", &["lambda"]),
    rt("AWS::S3::Bucket", &["s3"]),
    rt("AWS::S3::AccessPoint", &["s3"]),
    rt("AWS::S3Express::DirectoryBucket", &["s3express"]),
    rt("AWS::S3Express::AccessPoint", &["s3express"]),
    rt("AWS::S3::Glacier", &["glacier"]),
    rt("AWS::S3Outposts::Bucket", &["s3-outposts"]),
    rt("AWS::S3Outposts::AccessPoint", &["s3-outposts"]),
    rt("AWS::SecretsManager::Secret", &["secretsmanager"]),
    rt("AWS::SNS::Topic", &["sns"]),
    rt("AWS::SQS::Queue", &["sqs"]),
    rt("AWS::IAM::AssumeRolePolicyDocument", &["sts"]),
    rt("AWS::S3Tables::TableBucket", &["s3tables"]),
    rt("AWS::S3Tables::Table", &["s3tables"]),
    rt("AWS::ApiGateway::RestApi", &["execute-api"]),
    rt("AWS::CodeArtifact::Domain", &["codeartifact"]),
    rt("AWS::Backup::BackupVault", &["backup"]),
    rt("AWS::CloudTrail::Dashboard", &["cloudtrail"]),
    rt("AWS::CloudTrail::EventDataStore", &["cloudtrail"]),
    rt("AWS::ECR::Repository", &["ecr"]),
];

impl PublicResourceType {
    /// Look a type up by its CloudFormation name (case-insensitive).
    pub fn find(name: &str) -> Option<PublicResourceType> {
        PUBLIC_RESOURCE_TYPES
            .iter()
            .copied()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }
}

/// Can the resource policy grant public access to a resource of this type? PASS only when
/// certainly not.
pub fn check_no_public_access(
    policy: &GatePolicy<'_>,
    resource_type: PublicResourceType,
) -> GateResult {
    let undecided = policy.undecided();
    if !undecided.is_empty() {
        return GateResult::from_reasons(undecided);
    }
    let view = policy.view();
    let list = statements(&view);
    let fences: Vec<&Stmt<'_>> = list.iter().filter(|d| fences_out_strangers(d)).collect();
    let mut reasons: Vec<Reason> = Vec::new();
    for (st, s) in view.statements.iter().zip(&list) {
        debug_assert_eq!(st.index, s.index);
        if s.effect != Effect::Allow {
            continue;
        }
        let services: Vec<String> = resource_type
            .services
            .iter()
            .map(|p| format!("{p}:*"))
            .filter(|all| s.actions.may_take(all))
            .collect();
        if services.is_empty() {
            continue;
        }
        let who = if public_principal(st).is_some() {
            "anyone (Principal \"*\")"
        } else if open_not_principal(st) {
            "everyone but the principals NotPrincipal lists"
        } else if missing_principal(s) {
            "whoever it applies to (it has no Principal)"
        } else {
            continue;
        };
        // A Deny that refuses every caller outside a pinned organization, account or network,
        // for every action and resource of this statement, closes it.
        let fenced = fences.iter().any(|d| {
            (d.actions.covers_all(&s.actions)
                || services.iter().all(|all| d.actions.covers_item(all)))
                && units(&s.resources).iter().all(|u| resources_cover(d, s, u))
        });
        if fenced {
            continue;
        }
        let actions = if s.actions.negated {
            format!("every action except {}", s.actions.items.join(", "))
        } else {
            s.actions.items.join(", ")
        };
        reasons.push(reason(
            s,
            format!(
                "{} lets {who} call {actions} on a resource of type {}, and no condition limits the caller \
                 (such as aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce or \
                 aws:SourceArn)",
                s.label, resource_type.name
            ),
        ));
    }
    GateResult::from_reasons(reasons)
}

/// NotPrincipal in an Allow: everyone but a few, public unless a condition pins the caller.
fn open_not_principal(st: &Statement<'_>) -> bool {
    st.not_principal.is_some() && restricting_entry(st, CALLER_LIMITING_KEYS).is_none()
}

/// A resource policy statement without Principal or NotPrincipal: whom it admits is unknown, so
/// it is treated as open (the evaluator lets a missing Principal match every caller) unless a
/// condition pins the caller.
fn missing_principal(s: &Stmt<'_>) -> bool {
    matches!(s.principals, super::model::Elem::Absent)
        && !s.conditions.iter().any(pins_caller_positively)
}

fn is_caller_key(key: &str) -> bool {
    CALLER_LIMITING_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
}

/// A condition that only holds when a caller-pinning key is present with a listed value.
fn pins_caller_positively(c: &Cond<'_>) -> bool {
    is_caller_key(c.key)
        && !c.op.base.is_negated()
        && !c.op.if_exists
        && c.op.base != crate::policy::BaseOperator::Null
        && c.op.qualifier != Some(crate::policy::SetQualifier::ForAllValues)
        && c.values
            .iter()
            .any(|v| !v.chars().all(|ch| ch == '*' || ch == '?'))
}

/// A Deny for everyone whose conditions all say "the caller is not one of these": it refuses
/// every request whose caller-pinning key is missing or unlisted, so whatever else the policy
/// allows is left only to the listed organization, account, principal or network.
fn fences_out_strangers(d: &Stmt<'_>) -> bool {
    d.effect == Effect::Deny
        && principals_cover(d, &super::model::Unit::Any)
        && !d.conditions.is_empty()
        && d.conditions.iter().all(|c| {
            is_caller_key(c.key)
                && c.op.base.is_negated()
                && !c.op.if_exists
                && c.op.qualifier.is_none()
                && c.values
                    .iter()
                    .any(|v| !v.chars().all(|ch| ch == '*' || ch == '?'))
        })
}

//! What the action rules share: reading an action string into its service prefix and action name
//! (with spans), walking the Action/NotAction lists, the catalog-freshness phrase, and the table of
//! resource-policy types and the services they govern.

use crate::arn::span_in_string_node;
use crate::catalog::{Action, Catalog};
use crate::diagnostic::{Fix, TextEdit};
use crate::policy::{PolicyType, StringItem, StringList};
use crate::rules::{Context, Sink};
use crate::span::Span;
use crate::wildcard::has_wildcard;

/// An action string split at its first colon. Offsets are byte ranges in the decoded string.
#[derive(Clone, Copy, Debug)]
pub struct ActionParts<'a> {
    pub prefix: &'a str,
    pub name: &'a str,
    pub prefix_range: Span,
    pub name_range: Span,
}

/// Split `service:Action`; None when there is no colon.
pub fn split_action(value: &str) -> Option<ActionParts<'_>> {
    // `memchr` rather than `str::find`: this runs on every item of every Action list, for
    // several rules, and the generic char search costs more than the rest of the split.
    let colon = memchr::memchr(b':', value.as_bytes())?;
    Some(ActionParts {
        prefix: &value[..colon],
        name: &value[colon + 1..],
        prefix_range: Span::new(0, colon),
        name_range: Span::new(colon + 1, value.len()),
    })
}

/// True when the text could be a service prefix: letters, digits and dashes (and wildcards).
pub fn is_prefix_shaped(prefix: &str) -> bool {
    !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*' || c == '?')
}

/// One string of an Action or NotAction element.
pub struct ActionItem<'a> {
    pub item: StringItem<'a>,
}

/// Every string in every Action and NotAction element, in document order.
pub fn action_items<'p, 'a: 'p>(cx: &Context<'a>) -> impl Iterator<Item = ActionItem<'a>> + 'p {
    cx.policy.statements.iter().flat_map(|statement| {
        [&statement.action, &statement.not_action]
            .into_iter()
            .flatten()
            .flat_map(|list| list.items.iter().map(|item| ActionItem { item: *item }))
    })
}

/// [`action_items`], each with the catalog actions it names (from the per-analysis expansion
/// that other rules share: an item naming at least one action needs no lookup of its own).
pub fn action_items_expanded<'c, 'a: 'c>(
    cx: &'c Context<'a>,
) -> impl Iterator<Item = (StringItem<'a>, &'c [Action<'static>])> + 'c {
    cx.policy.statements.iter().flat_map(move |statement| {
        let lists = [
            (&statement.action, cx.expanded_actions(statement)),
            (&statement.not_action, cx.expanded_not_actions(statement)),
        ];
        lists.into_iter().flat_map(|(list, expanded)| {
            list.iter()
                .flat_map(|l| l.items.iter())
                .enumerate()
                .map(move |(i, item)| (*item, expanded.item(i)))
        })
    })
}

/// Where `item` sits in its element's JSON array, counting non-string items too.
pub fn array_index(list: &StringList<'_>, item: &StringItem<'_>) -> Option<usize> {
    list.value()?
        .as_array()?
        .iter()
        .position(|n| std::ptr::eq(n, item.node))
}

/// The span in the policy text of a byte range of the item's decoded value.
pub fn sub_span(cx: &Context<'_>, item: &StringItem<'_>, range: Span) -> Span {
    span_in_string_node(cx.text, item.node, range)
}

/// An edit replacing a byte range of the item's decoded value with `text` (which must need no
/// JSON escaping: service prefixes, action names, ARN fields).
pub fn replace_part(cx: &Context<'_>, item: &StringItem<'_>, range: Span, text: &str) -> TextEdit {
    TextEdit {
        span: sub_span(cx, item, range),
        text: text.to_string(),
    }
}

/// The closest known name to an unknown part of an action entry, as the hint shows it and as
/// the fix writes it.
pub struct Correction<'a> {
    /// The text that replaces the unknown part.
    pub replacement: &'a str,
    /// How the hint writes it ("s3:GetObject" for an action name, "s3" for a prefix).
    pub shown: String,
    /// The fix's title.
    pub fix_title: String,
}

/// INVALID_SERVICE and INVALID_ACTION: report the part `range` of an action entry that names
/// nothing in the catalog. `message` gets the hint sentence (" Did you mean ...?" when a close
/// name exists, else `fallback`); a close name also comes as a safe fix writing it in place.
pub fn report_unknown_part(
    cx: &Context<'_>,
    sink: &mut Sink<'_>,
    item: &StringItem<'_>,
    range: Span,
    closest: Option<Correction<'_>>,
    fallback: &str,
    message: impl FnOnce(&str) -> String,
) {
    let hint = match &closest {
        Some(c) => format!(" Did you mean \"{}\"?", c.shown),
        None => fallback.to_string(),
    };
    let d = sink.report(sub_span(cx, item, range), message(&hint));
    if let Some(c) = closest {
        d.fixes.push(Fix::safe(
            c.fix_title,
            vec![replace_part(cx, item, range, c.replacement)],
        ));
    }
}

/// True when the catalog holds data; rules that need it stay silent otherwise.
pub fn catalog_ready(catalog: &Catalog) -> bool {
    catalog.service_count() > 0
}

/// "(catalog data of 2026-09-26)", so a reader knows a brand-new name may simply be missing.
pub fn data_note(catalog: &Catalog) -> String {
    match catalog.data_date() {
        "" => "(iamlint's catalog)".to_string(),
        date => format!("(catalog data of {date})"),
    }
}

/// Resource-policy types (CloudFormation names) and the service prefixes their policies govern:
/// an action or a resource ARN of another service cannot appear in that policy.
const RESOURCE_POLICY_SERVICES: &[(&str, &[&str])] = &[
    ("AWS::S3::Bucket", &["s3"]),
    ("AWS::S3::BucketPolicy", &["s3"]),
    ("AWS::S3::AccessPoint", &["s3"]),
    ("AWS::S3::MultiRegionAccessPoint", &["s3"]),
    ("AWS::S3::Glacier", &["glacier"]),
    ("AWS::Glacier::Vault", &["glacier"]),
    ("AWS::S3Express::DirectoryBucket", &["s3express"]),
    ("AWS::S3Express::AccessPoint", &["s3express"]),
    ("AWS::S3Outposts::Bucket", &["s3-outposts"]),
    ("AWS::S3Outposts::AccessPoint", &["s3-outposts"]),
    ("AWS::S3Tables::TableBucket", &["s3tables"]),
    ("AWS::S3Tables::Table", &["s3tables"]),
    ("AWS::SQS::Queue", &["sqs"]),
    ("AWS::SQS::QueuePolicy", &["sqs"]),
    ("AWS::SNS::Topic", &["sns"]),
    ("AWS::SNS::TopicPolicy", &["sns"]),
    ("AWS::KMS::Key", &["kms"]),
    ("AWS::KMS::ReplicaKey", &["kms"]),
    ("AWS::Lambda::Function", &["lambda"]),
    ("AWS::Lambda::LayerVersion", &["lambda"]),
    ("AWS::SecretsManager::Secret", &["secretsmanager"]),
    ("AWS::SecretsManager::ResourcePolicy", &["secretsmanager"]),
    ("AWS::ECR::Repository", &["ecr"]),
    ("AWS::ECR::PublicRepository", &["ecr-public"]),
    ("AWS::EFS::FileSystem", &["elasticfilesystem"]),
    ("AWS::DynamoDB::Table", &["dynamodb"]),
    ("AWS::DynamoDB::GlobalTable", &["dynamodb"]),
    ("AWS::DynamoDB::Stream", &["dynamodb"]),
    ("AWS::Kinesis::Stream", &["kinesis"]),
    ("AWS::Kinesis::StreamConsumer", &["kinesis"]),
    ("AWS::OpenSearchService::Domain", &["es"]),
    ("AWS::Elasticsearch::Domain", &["es"]),
    ("AWS::ApiGateway::RestApi", &["execute-api"]),
    ("AWS::CodeArtifact::Domain", &["codeartifact"]),
    ("AWS::CodeArtifact::Repository", &["codeartifact"]),
    ("AWS::Backup::BackupVault", &["backup"]),
    ("AWS::Events::EventBus", &["events"]),
    ("AWS::CloudTrail::Dashboard", &["cloudtrail"]),
    ("AWS::CloudTrail::EventDataStore", &["cloudtrail"]),
    ("AWS::CloudTrail::Channel", &["cloudtrail"]),
];

/// The resource type named in the policy type, with the services its policy governs, when the
/// type is one iamlint knows (names compared case-insensitively).
pub fn resource_policy_services(
    policy_type: &PolicyType,
) -> Option<(&'static str, &'static [&'static str])> {
    let PolicyType::Resource {
        resource_type: Some(rt),
    } = policy_type
    else {
        return None;
    };
    RESOURCE_POLICY_SERVICES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(rt.trim()))
        .copied()
}

/// Which services a resource policy governs, and how iamlint knows.
pub struct Governed {
    /// For messages: "a policy attached to AWS::S3::Bucket", or how it was inferred.
    pub label: String,
    pub services: &'static [&'static str],
}

/// The services a resource policy governs: from the declared resource type, or, for a resource
/// policy of unstated type, inferred from `evidence` (service names that all agree, such as the
/// services of its Resource ARNs) when they name one service that has resource policies.
pub fn governed_services<'e>(
    policy_type: &PolicyType,
    evidence: impl IntoIterator<Item = &'e str>,
    evidence_name: &str,
) -> Option<Governed> {
    if let Some((rt, services)) = resource_policy_services(policy_type) {
        return Some(Governed {
            label: format!("a policy attached to {rt}"),
            services,
        });
    }
    if *policy_type
        != (PolicyType::Resource {
            resource_type: None,
        })
    {
        return None;
    }
    let mut seen: Option<String> = None;
    for service in evidence {
        if service.is_empty() || has_wildcard(service) || service.contains("${") {
            return None;
        }
        let service = service.to_ascii_lowercase();
        match &seen {
            Some(s) if *s != service => return None,
            _ => seen = Some(service),
        }
    }
    let service = seen?;
    let services = RESOURCE_POLICY_SERVICES
        .iter()
        .map(|(_, services)| *services)
        .find(|services| services.len() == 1 && services[0] == service)?;
    Some(Governed {
        label: format!(
            "this resource policy (all its {evidence_name} are {service}, so it belongs to a \
             {service} resource)"
        ),
        services,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_actions() {
        let p = split_action("s3:GetObject").unwrap();
        assert_eq!((p.prefix, p.name), ("s3", "GetObject"));
        assert_eq!(p.name_range, Span::new(3, 12));
        assert!(split_action("s3GetObject").is_none());
        let p = split_action("s3:").unwrap();
        assert_eq!(p.name, "");
        assert!(is_prefix_shaped("ec2-instance-connect"));
        assert!(!is_prefix_shaped("s 3"));
        assert!(!is_prefix_shaped(""));
    }

    #[test]
    fn knows_resource_policy_types() {
        let s3 = PolicyType::parse("resource:AWS::S3::Bucket").unwrap();
        assert_eq!(resource_policy_services(&s3).unwrap().1, &["s3"]);
        let unknown = PolicyType::parse("resource:AWS::Foo::Bar").unwrap();
        assert!(resource_policy_services(&unknown).is_none());
        assert!(resource_policy_services(&PolicyType::Identity).is_none());
    }
}

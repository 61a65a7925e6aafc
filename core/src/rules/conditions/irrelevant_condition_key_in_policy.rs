use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::keys::{is_cross_service_key, origin, KeyOrigin};
use crate::rules::support::conditions::walk::sites;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IRRELEVANT_CONDITION_KEY_IN_POLICY",
        category: Category::Suggestion,
        summary: "A service condition key can never be present for this kind of policy.",
        explanation: "A resource-based policy only ever sees requests to its own service: a \
            bucket policy sees S3 requests, a role trust policy sees STS requests. A key of \
            another service (`ec2:...` in a bucket policy, `s3:...` in a trust policy) is \
            never in those requests, so the condition cannot match as intended. Use a key of \
            the resource's service or a global `aws:` key.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"ec2:Region": "eu-west-1"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

/// The service prefixes whose keys a policy of this type can see, when that is decidable.
fn relevant_prefixes(policy_type: &PolicyType) -> Option<Vec<String>> {
    match policy_type {
        PolicyType::Trust => Some(vec!["sts".into(), "iam".into()]),
        PolicyType::Resource {
            resource_type: Some(rt),
        } => {
            let mut parts = rt.split("::");
            let (Some(vendor), Some(service)) = (parts.next(), parts.next()) else {
                return None;
            };
            if !vendor.eq_ignore_ascii_case("AWS") {
                return None;
            }
            let prefix = match service.to_ascii_lowercase().as_str() {
                "opensearchservice" | "elasticsearch" => "es".to_string(),
                "efs" => "elasticfilesystem".to_string(),
                "apigateway" => "execute-api".to_string(),
                "s3outposts" => "s3-outposts".to_string(),
                "iam" => return Some(vec!["sts".into(), "iam".into()]),
                other => other.to_string(),
            };
            Some(vec![prefix])
        }
        _ => None,
    }
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(relevant) = relevant_prefixes(cx.policy_type) else {
        return;
    };
    // Without the catalog we cannot tell a service prefix from a typo or a provider name.
    if !relevant.iter().any(|p| cx.catalog.service(p).is_some()) {
        return;
    }
    for site in sites(cx.policy) {
        let Some(KeyOrigin::Service { prefix }) = origin(site.key()) else {
            continue;
        };
        if relevant.iter().any(|p| p.eq_ignore_ascii_case(prefix))
            || is_cross_service_key(site.key())
            || cx.catalog.service(prefix).is_none()
        {
            continue;
        }
        sink.report(
            site.key_span(),
            format!(
                "\"{}\" is a {prefix} key, which is never present in requests governed by a {} policy; use a {} key or a global aws: key",
                site.key(),
                cx.policy_type.name(),
                relevant.join("/")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "IRRELEVANT_CONDITION_KEY_IN_POLICY";

    const BUCKET: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringNotEquals": {"ec2:Vpc": "x", "s3:x-amz-server-side-encryption": "aws:kms", "aws:SourceVpce": "vpce-1a2b3c4d"}}}]}"#;

    #[test]
    fn reports_other_service_keys_in_a_bucket_policy() {
        assert_eq!(
            spans_of(BUCKET, "resource:AWS::S3::Bucket", CODE),
            vec![r#""ec2:Vpc""#]
        );
    }

    #[test]
    fn undecidable_types_are_quiet() {
        assert!(findings_of(BUCKET, "resource", CODE).is_empty());
        assert!(findings_of(BUCKET, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

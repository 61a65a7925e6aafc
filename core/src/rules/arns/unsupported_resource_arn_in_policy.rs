use crate::diagnostic::Category;
use crate::rules::support::actions::{governed_services, split_action};
use crate::rules::support::arns::{parsed_arns, part_span};
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
        category: Category::Error,
        summary: "A resource policy names a resource of another service.",
        explanation: "A resource policy is attached to one resource and only governs requests \
            to it, so its Resource element can only name resources of that service: a queue ARN \
            in an S3 bucket policy never matches. iamlint checks this when the policy type names \
            the resource type (e.g. `resource:AWS::S3::Bucket`), and for a resource policy of \
            unstated type whose actions all belong to one service that has resource policies.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:sqs:us-east-1:111122223333:orders"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Across(Reads::GRANTS),
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let action_services = cx
        .policy
        .statements
        .iter()
        .flat_map(|st| st.actions_or_not())
        .flat_map(|list| list.items.iter())
        .map(|item| {
            // "*" or a malformed action: nothing can be inferred.
            split_action(item.value).map(|p| p.prefix).unwrap_or("")
        });
    let Some(governed) = governed_services(cx.policy_type, action_services, "actions") else {
        return;
    };
    for (entry, arn) in parsed_arns(cx) {
        let service = arn.service;
        if service.is_empty() || service.is_pattern() {
            continue;
        }
        if governed
            .services
            .iter()
            .any(|s| s.eq_ignore_ascii_case(service.value))
        {
            continue;
        }
        sink.report(
            part_span(cx, &entry.item, service),
            format!(
                "\"{}\" names a {} resource, which {} cannot govern: it only applies to its own \
                 {} resource. Name that resource, or grant access to the {} resource in its own \
                 policy or in an identity policy.",
                entry.item.value,
                service.value,
                governed.label,
                governed.services.join("/"),
                service.value
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const POLICY: &str = r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:sqs:us-east-1:111122223333:q", "arn:aws:*:::x", "*"]}]}"#;

    #[test]
    fn flags_the_foreign_service() {
        assert_eq!(
            spans_of(
                POLICY,
                "resource:AWS::S3::Bucket",
                "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"
            ),
            ["sqs"]
        );
        // Without a declared type, the s3 actions say it is an S3 policy.
        assert_eq!(
            spans_of(POLICY, "resource", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"),
            ["sqs"]
        );
    }

    #[test]
    fn identity_policies_and_mixed_actions_pass() {
        assert!(findings_of(POLICY, "identity", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY").is_empty());
        let mixed = POLICY.replace(
            r#""Action": "s3:GetObject""#,
            r#""Action": ["s3:GetObject", "sqs:SendMessage"]"#,
        );
        assert!(findings_of(&mixed, "resource", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

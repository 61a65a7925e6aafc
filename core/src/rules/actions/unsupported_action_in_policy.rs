use crate::arn::Arn;
use crate::diagnostic::Category;
use crate::rules::support::actions::{action_items, governed_services, split_action};
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};
use crate::wildcard::has_wildcard;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_ACTION_IN_POLICY",
        category: Category::Error,
        summary: "A resource policy names an action of a service that its resource does not \
            belong to.",
        explanation: "A resource policy (a bucket policy, a queue policy, a key policy, ...) only \
            governs requests to its own resource, so it can only grant or deny that service's \
            actions: an `sqs:` action in an S3 bucket policy never applies. iamlint checks this \
            when the policy type names the resource type, e.g. `resource:AWS::S3::Bucket`, and \
            for a resource policy of unstated type whose Resource ARNs all belong to one such \
            service. Move the action to an identity policy or to the other resource's own policy.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Across(Reads::GRANTS),
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let arn_services = cx
        .policy
        .statements
        .iter()
        .flat_map(|st| st.resources_or_not())
        .flat_map(|list| list.items.iter())
        .map(|item| match Arn::parse(item.value) {
            Ok(arn) => arn.service.value,
            // "*" or a malformed value: nothing can be inferred.
            Err(_) => "",
        });
    let Some(governed) = governed_services(cx.policy_type, arn_services, "Resource ARNs") else {
        return;
    };
    let services = governed.services;
    for entry in action_items(cx) {
        let Some(parts) = split_action(entry.item.value) else {
            continue;
        };
        if parts.prefix.is_empty() || has_wildcard(parts.prefix) {
            continue;
        }
        if services
            .iter()
            .any(|s| s.eq_ignore_ascii_case(parts.prefix))
        {
            continue;
        }
        let allowed = services
            .iter()
            .map(|s| format!("\"{s}:\""))
            .collect::<Vec<_>>()
            .join(" or ");
        sink.report(
            entry.item.inner_span(),
            format!(
                "\"{}\" cannot be governed by {}: such a policy only applies to {allowed} \
                 actions. Grant it in an identity policy or in the policy of the {} resource \
                 instead.",
                entry.item.value, governed.label, parts.prefix
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const POLICY: &str = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["s3:GetObject", "sqs:SendMessage", "*", "s3*:Get*"], "Resource": "arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn flags_actions_of_other_services() {
        assert_eq!(
            spans_of(
                POLICY,
                "resource:AWS::S3::Bucket",
                "UNSUPPORTED_ACTION_IN_POLICY"
            ),
            ["sqs:SendMessage"]
        );
        assert_eq!(
            spans_of(
                POLICY,
                "resource:aws::sqs::queue",
                "UNSUPPORTED_ACTION_IN_POLICY"
            ),
            ["s3:GetObject"]
        );
    }

    #[test]
    fn infers_the_service_from_the_resource_arns() {
        assert_eq!(
            spans_of(POLICY, "resource", "UNSUPPORTED_ACTION_IN_POLICY"),
            ["sqs:SendMessage"]
        );
        // ARNs of two services, or a "*", leave the type open.
        let mixed = POLICY.replace(
            r#""Resource": "arn:aws:s3:::b/*""#,
            r#""Resource": ["arn:aws:s3:::b/*", "*"]"#,
        );
        assert!(findings_of(&mixed, "resource", "UNSUPPORTED_ACTION_IN_POLICY").is_empty());
    }

    #[test]
    fn silent_without_a_known_resource_type() {
        assert!(findings_of(
            POLICY,
            "resource:AWS::Foo::Bar",
            "UNSUPPORTED_ACTION_IN_POLICY"
        )
        .is_empty());
        assert!(findings_of(POLICY, "identity", "UNSUPPORTED_ACTION_IN_POLICY").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

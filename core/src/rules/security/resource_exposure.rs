use crate::catalog::AccessLevel;
use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use super::common::name_list;
use super::risk::{denied_everywhere, open_to_every_resource};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RESOURCE_EXPOSURE",
        category: Category::Security,
        summary: "The policy grants permissions-management actions on every resource: they can share resources or change who may use them.",
        explanation: "Actions at the Permissions management access level (`s3:PutBucketPolicy`, \
            `kms:CreateGrant`, `ram:CreateResourceShare`, `lambda:AddPermission`, IAM policy \
            writes, ...) change resource policies and sharing. On `\"*\"` the holder can open any \
            bucket, key, queue or function to the world or to another account. Name the \
            resources, or keep these actions for administrators.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:SetQueueAttributes", "sqs:AddPermission"], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:AddPermission"], "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        example_type: ExampleType::Identity,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(cx.policy_type, PolicyType::Identity) {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() || !open_to_every_resource(st) {
            continue;
        }
        // Action lists only: NotAction and "*" are reported by rules of their own, and expanding
        // them would list most of IAM.
        let Some(list) = &st.action else { continue };
        for item in &list.items {
            if item.value == "*" || item.value == "*:*" {
                continue;
            }
            let mut names: Vec<String> = Vec::new();
            for action in cx.catalog.expand_action_pattern(item.value) {
                if action.access_level() != AccessLevel::PermissionsManagement {
                    continue;
                }
                let name = action.full_name();
                if action.resource_types().next().is_some() && !denied_everywhere(cx, &name) {
                    names.push(name);
                }
            }
            if names.is_empty() {
                continue;
            }
            sink.report(
                item.span(),
                format!(
                    "\"{}\" grants {} permissions-management action{} on every resource ({}): the \
                     caller can change who may use any of these resources; name the resources",
                    item.value,
                    names.len(),
                    if names.len() == 1 { "" } else { "s" },
                    name_list(&names, 4)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "RESOURCE_EXPOSURE";

    #[test]
    fn points_at_the_permissions_management_action() {
        let text = super::RULE.meta.bad_example;
        // SetQueueAttributes can set the queue's policy: the catalog files it under
        // Permissions management too.
        assert_eq!(
            spans_of(text, "identity", CODE),
            vec!["\"sqs:SetQueueAttributes\"", "\"sqs:AddPermission\""]
        );
    }

    #[test]
    fn a_named_queue_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

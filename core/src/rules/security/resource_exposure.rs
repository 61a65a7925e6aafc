use crate::catalog::AccessLevel;
use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use crate::rules::support::risk::open_to_every_resource;
use crate::rules::support::security::name_list_of;

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
    let index = cx.open_index();
    for st in &cx.policy.statements {
        if !st.is_allow() || !open_to_every_resource(st) {
            continue;
        }
        // Action lists only: NotAction and "*" are reported by rules of their own, and expanding
        // them would list most of IAM.
        let Some(list) = &st.action else { continue };
        let expanded = cx.expanded_actions(st);
        for (i, item) in list.items.iter().enumerate() {
            if item.value == "*" || item.value == "*:*" {
                continue;
            }
            // The message shows four names and counts the rest: only those four are spelled out
            // (unless a Deny on "*" needs the name to be matched).
            let mut shown: Vec<String> = Vec::new();
            let mut count = 0usize;
            for action in expanded.item(i) {
                if action.access_level() != AccessLevel::PermissionsManagement
                    || action.resource_types().next().is_none()
                {
                    continue;
                }
                if index.has_denies() {
                    let name = action.full_name();
                    if index.denied_everywhere(cx.policy, &name) {
                        continue;
                    }
                    if shown.len() < SHOWN {
                        shown.push(name);
                    }
                } else if shown.len() < SHOWN {
                    shown.push(action.full_name());
                }
                count += 1;
            }
            if count == 0 {
                continue;
            }
            sink.report(
                item.span(),
                format!(
                    "\"{}\" grants {} permissions-management action{} on every resource ({}): the \
                     caller can change who may use any of these resources; name the resources",
                    item.value,
                    count,
                    if count == 1 { "" } else { "s" },
                    name_list_of(&shown, count)
                ),
            );
        }
    }
}

/// How many action names a finding spells out.
const SHOWN: usize = 4;

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

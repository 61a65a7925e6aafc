use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::risk::{grants_by_element, AskedList};
use crate::rules::support::security::name_list;

/// Actions that read stored data out (cloudsplaining's DataExfiltration list, plus the RDS
/// snapshot copies it notes).
pub const DATA_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
    "rds:CopyDBSnapshot",
    "rds:CopyDBClusterSnapshot",
];

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DATA_EXFILTRATION",
        category: Category::Security,
        summary:
            "The policy grants, on every resource, actions that read out stored data or secrets.",
        explanation: "`s3:GetObject`, `ssm:GetParameter*` and `secretsmanager:GetSecretValue` on \
            `\"*\"` read every object, parameter and secret the account holds, and in other \
            accounts that share with it. Name the buckets, parameter paths and secrets the \
            principal needs.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Across(Reads::GRANTS),
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(cx.policy_type, PolicyType::Identity) {
        return;
    }
    static ASKED: AskedList = AskedList::new(DATA_ACTIONS);
    for (grant, granted) in grants_by_element(cx, &ASKED) {
        sink.report(
            grant.span,
            format!(
                "{} grants {} on every resource{}: every object, parameter or secret in reach can \
                 be read out; name the resources the principal needs",
                grant.via,
                name_list(&granted, 4),
                grant.conditions.note()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "DATA_EXFILTRATION";

    #[test]
    fn points_at_the_action() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(
            spans_of(text, "identity", CODE),
            vec!["\"secretsmanager:GetSecretValue\""]
        );
        let ssm =
            r#"{"Statement": [{"Effect": "Allow", "Action": "ssm:GetParam*", "Resource": "*"}]}"#;
        let found = findings_of(ssm, "identity", CODE);
        assert!(
            found[0].message.contains("ssm:GetParametersByPath"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn named_secrets_do_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
    }

    #[test]
    fn a_region_condition_does_not_narrow() {
        // Issue 12: s3:* on "*" with only aws:RequestedRegion pinned was not reported.
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}"#;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("its condition on aws:RequestedRegion does not limit"),
            "{}",
            found[0].message
        );
        // Close neighbour: pinning the network the call comes from narrows it.
        let vpce = text.replace("aws:RequestedRegion", "aws:SourceVpce");
        assert!(findings_of(&vpce, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::{grants_access, star_action};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "STAR_IN_ACTION",
        category: Category::Security,
        summary: "An Allow statement grants \"Action\": \"*\", every action of every AWS service.",
        explanation: "`\"Action\": \"*\"` grants every action AWS has and every action it will \
            add, including IAM writes that let the holder give themselves anything else. Only \
            break-glass administrator roles should have it. List the actions the principal needs \
            (the access levels in iamlint's hover help) or start from an AWS managed job-function \
            policy.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::example-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !grants_access(cx.policy_type) {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() {
            continue;
        }
        let Some(item) = star_action(st) else {
            continue;
        };
        let count = cx.catalog.action_count();
        let how_many = if count > 0 {
            format!(
                "all {count} actions of {} services",
                cx.catalog.service_count()
            )
        } else {
            "every action of every service".to_string()
        };
        sink.report(
            item.span(),
            format!(
                "\"*\" grants {how_many}, and every action AWS adds later; list the actions this \
                 principal needs"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn points_at_the_star() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", "STAR_IN_ACTION");
        assert_eq!(found.len(), 1);
        let start = text.find(r#""*""#).unwrap();
        assert_eq!(found[0].span, crate::span::Span::new(start, start + 3));
    }

    #[test]
    fn named_actions_and_deny_star_do_not_fire() {
        assert!(
            findings_of(super::RULE.meta.good_example, "identity", "STAR_IN_ACTION").is_empty()
        );
        let deny = super::RULE.meta.bad_example.replace("Allow", "Deny");
        assert!(findings_of(&deny, "identity", "STAR_IN_ACTION").is_empty());
        // An SCP's Allow "*" only sets a ceiling.
        let scp = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
        assert!(findings_of(scp, "scp", "STAR_IN_ACTION").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::fix::narrow::add_condition_fix;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use crate::rules::support::security::{
    is_account_root, principal_account, restricting_entry, statement_covers_action,
};

/// Conditions that pin down who in the other account may assume the role.
const LIMITING: &[&str] = &[
    "sts:ExternalId",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:userid",
];

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CROSS_ACCOUNT_TRUST_WITHOUT_EXTERNAL_ID",
        category: Category::Security,
        summary: "A role trusts a whole AWS account (its root) without sts:ExternalId or another condition on the caller.",
        explanation: "Trusting `arn:aws:iam::<account>:root` lets every principal of that account \
            that has `sts:AssumeRole` permission assume the role. When the account belongs to a \
            third party that assumes roles for many customers, require the `sts:ExternalId` they \
            gave you, so that another of their customers cannot trick them into using your role \
            (the confused-deputy problem). iamlint cannot know whether the account is yours: if \
            it is, name the roles that may assume this one (or condition on `aws:PrincipalArn`).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "a7f3c9e2-vendor-id"}}}]}"#,
        example_type: ExampleType::Trust,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow()
            || !statement_covers_action(st, "sts:AssumeRole")
            || restricting_entry(st, LIMITING).is_some()
        {
            continue;
        }
        let Some(principal) = &st.principal else {
            continue;
        };
        for value in principal.values_of("AWS") {
            if !is_account_root(value.value) {
                continue;
            }
            let Some(account) = principal_account(value.value) else {
                continue;
            };
            let d = sink.report(
                value.span(),
                format!(
                    "Any principal in account {account} that may call sts:AssumeRole can assume this role, \
                     and no sts:ExternalId is required; if {account} is a third party, require the \
                     external id they gave you; if it is your own account, name the roles instead of root"
                ),
            );
            if let Some(fix) = add_condition_fix(
                cx.text,
                st,
                "Require an external id (fill in the one the third party gave you)",
                &[("StringEquals", "sts:ExternalId", "EXTERNAL_ID")],
            ) {
                d.fixes.push(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "CROSS_ACCOUNT_TRUST_WITHOUT_EXTERNAL_ID";

    #[test]
    fn points_at_the_account_root() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "trust", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].span.slice(text),
            "\"arn:aws:iam::999988887777:root\""
        );
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(
            fixed.contains(r#""Condition": {"StringEquals": {"sts:ExternalId": "EXTERNAL_ID"}}"#),
            "{fixed}"
        );
        assert!(findings_of(&fixed, "trust", CODE).is_empty());
        let bare = text.replace("arn:aws:iam::999988887777:root", "999988887777");
        assert_eq!(spans_of(&bare, "trust", CODE), vec!["\"999988887777\""]);
    }

    #[test]
    fn external_id_or_a_named_role_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "trust", CODE).is_empty());
        let role = super::RULE
            .meta
            .bad_example
            .replace(":root", ":role/deployer");
        assert!(findings_of(&role, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

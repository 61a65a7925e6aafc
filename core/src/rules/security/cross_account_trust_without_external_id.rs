use crate::diagnostic::Category;
use crate::fix::narrow::add_condition_fix;
use crate::policy::{PolicyType, Statement};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::{
    condition_entries, entry_restricts, is_account_root, principal_account, statement_covers_action,
};

/// Conditions that say who of the account may assume the role: the external id a third party
/// sends, or the caller's identity, organisation, tags, MFA or session name. Entries ending in
/// `/` are prefixes.
const LIMITING: &[&str] = &[
    "sts:ExternalId",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalTag/",
    "aws:userid",
    "aws:username",
    "aws:MultiFactorAuthAge",
    "sts:RoleSessionName",
    "sts:SourceIdentity",
    "aws:SourceIdentity",
];

/// The first condition of the statement that limits who of the account may assume the role.
fn limiting_condition<'s>(st: &'s Statement<'_>) -> Option<&'s str> {
    condition_entries(st)
        .find(|(b, e)| {
            let key = e.key.value.as_str();
            let listed = LIMITING.iter().any(|k| match k.strip_suffix('/') {
                Some(_) => {
                    key.len() > k.len()
                        && key
                            .get(..k.len())
                            .is_some_and(|p| p.eq_ignore_ascii_case(k))
                }
                None => k.eq_ignore_ascii_case(key),
            });
            // MFA: only a test that it is present (true) narrows.
            let mfa = key.eq_ignore_ascii_case("aws:MultiFactorAuthPresent")
                && e.other_values.is_empty()
                && !e.values.is_empty()
                && e.values
                    .iter()
                    .all(|v| v.value.eq_ignore_ascii_case("true"));
            (listed || mfa) && entry_restricts(b, e)
        })
        .map(|(_, e)| e.key.value.as_str())
}

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CROSS_ACCOUNT_TRUST_WITHOUT_EXTERNAL_ID",
        category: Category::Warning,
        summary: "A role trusts a whole AWS account (its root) with no condition on who of that account may assume it.",
        explanation: "Trusting `arn:aws:iam::<account>:root` lets every principal of that account \
            that has `sts:AssumeRole` permission assume the role. Between your own accounts this \
            is AWS's standard delegation: the other account's administrators decide who gets \
            `sts:AssumeRole`, and a condition on MFA, the session name, the caller's tags or \
            `aws:PrincipalArn` narrows it further. When the account belongs to a third party \
            that assumes roles for many customers, require the `sts:ExternalId` they gave you, \
            so that another of their customers cannot trick them into using your role (the \
            confused-deputy problem). iamlint cannot know whose account it is, so this is a \
            warning, and any of these conditions silences it.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "a7f3c9e2-vendor-id"}}}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
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
            || limiting_condition(st).is_some()
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
            let others = if st.condition.is_some() {
                " (the conditions here do not say who)"
            } else {
                ""
            };
            let d = sink.report(
                value.span(),
                format!(
                    "Any principal in account {account} that may call sts:AssumeRole can assume this \
                     role{others}; if {account} is a third party, require the external id they gave \
                     you (sts:ExternalId); if it is one of your accounts, name the roles, or require \
                     MFA or a session name"
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
    fn mfa_and_session_name_conditions_say_who() {
        // Issue 12: the IAM User Guide's delegation between one's own accounts, with MFA or a
        // session-name condition, is not a third-party trust.
        for condition in [
            r#"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#,
            r#"{"StringLike": {"sts:RoleSessionName": "${aws:username}"}}"#,
            r#"{"StringEquals": {"aws:PrincipalTag/department": "ops"}}"#,
        ] {
            let text = super::RULE.meta.bad_example.replace(
                r#""Action": "sts:AssumeRole""#,
                &format!(r#""Action": "sts:AssumeRole", "Condition": {condition}"#),
            );
            assert!(findings_of(&text, "trust", CODE).is_empty(), "{condition}");
        }
        // Close neighbours: MFA tested as absent, and a region, say nothing about who; the
        // message says the conditions were read.
        for condition in [
            r#"{"Bool": {"aws:MultiFactorAuthPresent": "false"}}"#,
            r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#,
        ] {
            let text = super::RULE.meta.bad_example.replace(
                r#""Action": "sts:AssumeRole""#,
                &format!(r#""Action": "sts:AssumeRole", "Condition": {condition}"#),
            );
            let found = findings_of(&text, "trust", CODE);
            assert_eq!(found.len(), 1, "{condition}");
            assert!(
                found[0].message.contains("do not say who"),
                "{}",
                found[0].message
            );
            assert_eq!(found[0].category, crate::diagnostic::Category::Warning);
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

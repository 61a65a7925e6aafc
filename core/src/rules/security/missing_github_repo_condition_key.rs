use crate::diagnostic::Category;
use crate::fix::narrow::add_condition_fix;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use super::common::{
    condition_entries, entry_restricts, is_github_host, oidc_host, statement_covers_action,
};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_GITHUB_REPO_CONDITION_KEY",
        category: Category::Security,
        summary:
            "A role trusts GitHub Actions' OIDC provider without a condition on the `sub` claim.",
        explanation:
            "Without a condition on `token.actions.githubusercontent.com:sub`, a workflow \
            in any repository on GitHub, yours or anyone else's, can assume the role. The `aud` \
            claim is the same for everyone and does not help. Add `StringEquals` on `sub` naming \
            the repository and branch or environment, e.g. \
            `repo:octo-org/octo-repo:ref:refs/heads/main`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}}}]}"#,
        example_type: ExampleType::Trust,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() || !statement_covers_action(st, "sts:AssumeRoleWithWebIdentity") {
            continue;
        }
        let Some(principal) = &st.principal else {
            continue;
        };
        for value in principal.values_of("Federated") {
            let Some(host) = oidc_host(value.value).filter(|h| is_github_host(h)) else {
                continue;
            };
            let sub_key = format!("{host}:sub");
            let limited = condition_entries(st)
                .any(|(b, e)| e.key.value.eq_ignore_ascii_case(&sub_key) && entry_restricts(b, e));
            if limited {
                continue;
            }
            let d = sink.report(
                value.span(),
                format!(
                    "Workflows in any GitHub repository can assume this role: there is no condition on {sub_key}; \
                     add StringEquals on it naming your repository and branch, \
                     e.g. repo:octo-org/octo-repo:ref:refs/heads/main"
                ),
            );
            if let Some(fix) = add_condition_fix(
                cx.text,
                st,
                "Add a condition on the GitHub repository and branch (fill them in)",
                &[(
                    "StringEquals",
                    sub_key.as_str(),
                    "repo:OWNER/REPOSITORY:ref:refs/heads/BRANCH",
                )],
            ) {
                d.fixes.push(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_GITHUB_REPO_CONDITION_KEY";

    #[test]
    fn points_at_the_provider_and_the_fix_adds_sub() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "trust", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].span.slice(text),
            "\"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com\""
        );
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:OWNER/REPOSITORY:ref:refs/heads/BRANCH""#), "{fixed}");
        assert!(findings_of(&fixed, "trust", CODE).is_empty());
    }

    #[test]
    fn a_specific_sub_does_not_fire_but_a_bare_star_does() {
        assert!(findings_of(super::RULE.meta.good_example, "trust", CODE).is_empty());
        let star = super::RULE.meta.good_example.replace(
            r#""StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}"#,
            r#""StringLike": {"token.actions.githubusercontent.com:sub": "*"}"#,
        );
        assert_eq!(findings_of(&star, "trust", CODE).len(), 1, "{star}");
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

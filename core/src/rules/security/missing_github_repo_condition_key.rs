use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::{
    is_github_host, report_unlimited_oidc_providers, OidcRequirement,
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
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_unlimited_oidc_providers(
        cx,
        sink,
        &OidcRequirement {
            applies_to: is_github_host,
            // The `aud` claim is the same for everyone: only `sub` limits who gets in.
            limited_by: |host, key| key.eq_ignore_ascii_case(&format!("{host}:sub")),
            message: |host| {
                format!(
                    "Workflows in any GitHub repository can assume this role: there is no condition on {host}:sub; \
                     add StringEquals on it naming your repository and branch, \
                     e.g. repo:octo-org/octo-repo:ref:refs/heads/main"
                )
            },
            fix: |_| {
                (
                    "Add a condition on the GitHub repository and branch (fill them in)",
                    "repo:OWNER/REPOSITORY:ref:refs/heads/BRANCH",
                )
            },
        },
    );
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

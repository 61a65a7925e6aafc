use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::wildcard::has_wildcard;

use crate::rules::support::security::{condition_entries, is_github_host, GITHUB_OIDC_HOST};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
        category: Category::Warning,
        summary: "The GitHub `sub` condition uses a wildcard, so more repositories or branches than intended can assume the role.",
        explanation: "A `sub` value such as `repo:octo-org/*` admits every repository of the \
            organisation, and `repo:octo-org/app:*` every branch, tag, pull request and \
            environment of the repository, including branches anyone with write access can push. \
            Name the repository and the branch or environment that deploys: \
            `repo:octo-org/app:ref:refs/heads/main` or `repo:octo-org/app:environment:prod`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/*"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}}}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

/// What a wildcard `sub` value lets in, in words.
fn admits(value: &str) -> String {
    let rest = value.strip_prefix("repo:").unwrap_or(value);
    match rest.split_once(':') {
        None => format!("\"{value}\" matches every repository it can reach and every branch"),
        Some((repo, _)) if has_wildcard(repo) => {
            format!("\"{value}\" matches several repositories ({repo})")
        }
        Some((repo, _)) => format!(
            "\"{value}\" matches several branches, tags, pull requests or environments of {repo}"
        ),
    }
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() {
            continue;
        }
        for (block, entry) in condition_entries(st) {
            let Some((host, claim)) = entry.key.value.rsplit_once(':') else {
                continue;
            };
            if !is_github_host(host) || !claim.eq_ignore_ascii_case("sub") {
                continue;
            }
            let Some(op) = block.operator else { continue };
            if op.base.is_negated() || !op.base.supports_wildcards() {
                continue;
            }
            for value in &entry.values {
                // A bare "*" is no condition at all: MISSING_GITHUB_REPO_CONDITION_KEY reports it.
                if !has_wildcard(value.value) || value.value.chars().all(|c| c == '*' || c == '?') {
                    continue;
                }
                sink.report(
                    value.span(),
                    format!(
                        "{}; name the repository and branch or environment, e.g. \
                         repo:octo-org/octo-repo:ref:refs/heads/main ({GITHUB_OIDC_HOST}:sub)",
                        admits(value.value)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED";

    #[test]
    fn points_at_the_wildcard_value() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(spans_of(text, "trust", CODE), vec!["\"repo:octo-org/*\""]);
        let branches = text.replace("repo:octo-org/*", "repo:octo-org/app:*");
        let found = findings_of(&branches, "trust", CODE);
        assert!(
            found[0].message.contains("branches"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_specific_value_or_a_literal_star_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "trust", CODE).is_empty());
        // StringEquals compares "*" literally: no wildcard, no finding.
        let literal = super::RULE
            .meta
            .bad_example
            .replace("StringLike", "StringEquals");
        assert!(findings_of(&literal, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

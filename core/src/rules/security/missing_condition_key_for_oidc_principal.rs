use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::{
    is_github_host, report_unlimited_oidc_providers, OidcRequirement,
};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
        category: Category::Security,
        summary:
            "A role trusts an OIDC identity provider without a condition on the provider's claims.",
        explanation: "Trusting an OIDC provider with no condition on its keys (such as \
            `<provider>:sub` or `<provider>:aud`) lets every identity that provider issues tokens \
            for assume the role: for an EKS cluster, every service account in the cluster; for a \
            public provider, anyone with an account there. Add a `StringEquals` condition on the \
            provider's `sub` (and `aud`) claim. GitHub's provider has a rule of its own, \
            MISSING_GITHUB_REPO_CONDITION_KEY.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123:sub": "system:serviceaccount:payments:api"}}}]}"#,
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
            // GitHub's provider has a rule of its own.
            applies_to: |host| !is_github_host(host),
            // Any condition on one of the provider's claims narrows who gets in.
            limited_by: |host, key| {
                let prefix = format!("{host}:");
                key.get(..prefix.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(&prefix))
            },
            message: |host| {
                format!(
                    "Any identity that {host} issues a token for can assume this role; add a StringEquals \
                     condition on {host}:sub (and {host}:aud) naming the identities you trust"
                )
            },
            fix: |host| {
                if host.starts_with("oidc.eks.") {
                    (
                        "Add a condition on the service account (fill in namespace and name)",
                        "system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT",
                    )
                } else {
                    (
                        "Add a condition on the token's subject (fill it in)",
                        "SUBJECT",
                    )
                }
            },
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL";

    #[test]
    fn points_at_the_provider() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "trust", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].span.slice(text),
            "\"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123\""
        );
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(findings_of(&fixed, "trust", CODE).is_empty(), "{fixed}");
    }

    #[test]
    fn a_sub_condition_or_another_provider_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "trust", CODE).is_empty());
        // GitHub has its own rule; SAML is not OIDC.
        let github = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#;
        assert!(findings_of(github, "trust", CODE).is_empty());
        let saml = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithSAML"}]}"#;
        assert!(findings_of(saml, "trust", CODE).is_empty());
        // A negated test does not limit who gets in.
        let negated = super::RULE
            .meta
            .good_example
            .replace("StringEquals", "StringNotEquals");
        assert_eq!(findings_of(&negated, "trust", CODE).len(), 1);
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

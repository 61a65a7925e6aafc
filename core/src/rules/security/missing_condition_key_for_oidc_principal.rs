use crate::diagnostic::Category;
use crate::fix::narrow::add_condition_fix;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use super::common::{
    condition_entries, entry_restricts, is_github_host, oidc_host, statement_covers_action,
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
            let Some(host) = oidc_host(value.value) else {
                continue;
            };
            if is_github_host(host) {
                continue;
            }
            let prefix = format!("{host}:");
            let limited = condition_entries(st).any(|(b, e)| {
                e.key
                    .value
                    .get(..prefix.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(&prefix))
                    && entry_restricts(b, e)
            });
            if limited {
                continue;
            }
            let d = sink.report(
                value.span(),
                format!(
                    "Any identity that {host} issues a token for can assume this role; add a StringEquals \
                     condition on {host}:sub (and {host}:aud) naming the identities you trust"
                ),
            );
            let (sub_value, title) = if host.starts_with("oidc.eks.") {
                (
                    "system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT",
                    "Add a condition on the service account (fill in namespace and name)",
                )
            } else {
                (
                    "SUBJECT",
                    "Add a condition on the token's subject (fill it in)",
                )
            };
            let sub_key = format!("{host}:sub");
            if let Some(fix) = add_condition_fix(
                cx.text,
                st,
                title,
                &[("StringEquals", sub_key.as_str(), sub_value)],
            ) {
                d.fixes.push(fix);
            }
        }
    }
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

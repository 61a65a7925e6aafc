use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::principals::{federation_kind, principal_values};
use crate::wildcard::has_wildcard;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
        category: Category::Error,
        summary: "A `Federated` principal in a trust policy is not an identity provider.",
        explanation: "A `Federated` principal is either the ARN of an IAM identity provider — \
            `arn:aws:iam::111122223333:saml-provider/NAME` or \
            `arn:aws:iam::111122223333:oidc-provider/HOST` (the provider URL without `https://`) \
            — or one of the built-in web identity providers: `cognito-identity.amazonaws.com`, \
            `www.amazon.com`, `graph.facebook.com`, `accounts.google.com`. Anything else matches \
            no provider.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/https://token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for pv in principal_values(&cx.policy.statements) {
        let value = pv.item.value;
        if pv.kind.value != "Federated" || has_wildcard(value) || federation_kind(value).is_some() {
            continue;
        }
        let hint = if value.contains(":oidc-provider/http") {
            " Write the provider's host and path without the https:// scheme."
        } else {
            ""
        };
        sink.report(
            pv.item.inner_span(),
            format!(
                "\"{value}\" is not an identity provider. Use arn:aws:iam::ACCOUNT:saml-provider/NAME, arn:aws:iam::ACCOUNT:oidc-provider/HOST, or a built-in provider such as cognito-identity.amazonaws.com.{hint}"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY";

    #[test]
    fn malformed_providers() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": ["okta", "arn:aws:iam::111122223333:saml-provider/Okta", "arn:aws:iam::1111:saml-provider/Okta"]}, "Action": "sts:AssumeRoleWithSAML"}]}"#;
        assert_eq!(
            spans_of(text, "trust", CODE),
            ["okta", "arn:aws:iam::1111:saml-provider/Okta"]
        );
    }

    #[test]
    fn builtin_providers_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::support::structure::type_phrase;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::principals::principals;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "FEDERATED_PRINCIPAL_NOT_SUPPORTED",
        category: Category::Error,
        summary: "A `Federated` principal outside a role trust policy.",
        explanation: "Identity providers (SAML, OIDC, Cognito, Login with Amazon, Facebook, \
            Google) can only be trusted by a role: federated users get AWS credentials by \
            assuming that role with `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithWebIdentity`. \
            A resource policy or an RCP cannot grant anything to a `Federated` principal. Trust \
            the provider in a role's trust policy and grant the role access instead.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/WebUsers"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(
        cx.policy_type,
        PolicyType::Resource { .. } | PolicyType::Rcp
    ) {
        return;
    }
    for st in &cx.policy.statements {
        for (_, p) in principals(st) {
            for entry in p.entries.iter().filter(|e| e.kind.value == "Federated") {
                sink.report(
                    entry.kind.span,
                    format!(
                        "`Federated` principals are not supported in {}; trust the identity provider in a role's trust policy and grant access to that role.",
                        type_phrase(cx.policy_type)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "FEDERATED_PRINCIPAL_NOT_SUPPORTED";

    #[test]
    fn federated_in_resource_policy() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "resource", CODE), [r#""Federated""#]);
        assert_eq!(spans_of(text, "rcp", CODE), [r#""Federated""#]);
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

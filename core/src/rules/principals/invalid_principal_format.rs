use crate::diagnostic::{Category, Fix, TextEdit};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;
use crate::wildcard::is_account_id;

use crate::rules::support::principals::{
    federation_kind, is_service_principal, parse_arn, principals,
};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_PRINCIPAL_FORMAT",
        category: Category::Error,
        summary: "`Principal` is a string other than \"*\".",
        explanation: "`Principal` (and `NotPrincipal`) is either the string `\"*\"` (everyone) or \
            an object that says which kind of principal each value is: \
            `{\"AWS\": \"arn:aws:iam::111122223333:root\"}`, `{\"Service\": \"lambda.amazonaws.com\"}`, \
            `{\"Federated\": \"arn:aws:iam::111122223333:saml-provider/Okta\"}`. A bare ARN or \
            service name is rejected. When the value shows its kind, the fix wraps it in the \
            right object.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "arn:aws:iam::111122223333:root", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

/// The principal key a bare value evidently belongs under.
fn kind_of(value: &str) -> Option<&'static str> {
    // Checked first: cognito-identity.amazonaws.com looks like a service but is an identity provider.
    if federation_kind(value).is_some() {
        return Some("Federated");
    }
    if is_service_principal(value) {
        return Some("Service");
    }
    if is_account_id(value)
        || parse_arn(value).is_some_and(|a| a.service == "iam" || a.service == "sts")
    {
        return Some("AWS");
    }
    None
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        for (negated, p) in principals(st) {
            let Some(node) = &p.member.value else {
                continue;
            };
            let Some(value) = node.as_str() else { continue };
            if value == "*" {
                continue;
            }
            let element = if negated { "NotPrincipal" } else { "Principal" };
            let d = sink.report(
                node.span,
                format!(
                    "`{element}` must be \"*\" or an object naming the principal type, e.g. {{\"AWS\": \"{value}\"}}; a bare string is not accepted."
                ),
            );
            if let Some(kind) = kind_of(value) {
                d.fixes.push(Fix::safe(
                    format!("Write {{\"{kind}\": ...}}"),
                    vec![TextEdit {
                        span: node.span,
                        text: format!("{{\"{kind}\": {}}}", json_string(value)),
                    }],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_PRINCIPAL_FORMAT";

    #[test]
    fn bare_strings_are_wrapped_by_kind() {
        for (value, wrapped) in [
            (
                "arn:aws:iam::111122223333:role/R",
                r#"{"AWS": "arn:aws:iam::111122223333:role/R"}"#,
            ),
            ("111122223333", r#"{"AWS": "111122223333"}"#),
            (
                "lambda.amazonaws.com",
                r#"{"Service": "lambda.amazonaws.com"}"#,
            ),
            (
                "arn:aws:iam::111122223333:saml-provider/Okta",
                r#"{"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}"#,
            ),
        ] {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": "{value}", "Action": "sts:AssumeRole"}}]}}"#
            );
            let found = findings_of(&text, "trust", CODE);
            assert_eq!(found.len(), 1, "{value}");
            assert_eq!(found[0].span.slice(&text), format!("\"{value}\""));
            assert!(found[0].fixes[0]
                .apply(&text)
                .unwrap()
                .contains(&format!(r#""Principal": {wrapped}"#)));
        }
    }

    #[test]
    fn unknown_strings_have_no_fix_and_star_passes() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "everyone", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let found = findings_of(text, "resource", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), r#""everyone""#);
        assert!(found[0].fixes.is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

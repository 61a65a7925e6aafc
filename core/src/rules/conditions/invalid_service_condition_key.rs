use crate::diagnostic::{Category, Fix, TextEdit};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;

use crate::rules::support::conditions::keys::{
    is_tag_key_without_name, lookup, origin, suggest_key, KeyOrigin,
};
use crate::rules::support::conditions::walk::sites;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_SERVICE_CONDITION_KEY",
        category: Category::Error,
        summary: "A service condition key is not defined by that service.",
        explanation: "A key such as `s3:prefix` belongs to the service named by its prefix. If \
            the service defines no key of that name, the key is never present in a request and \
            the condition does not work as intended. iamlint suggests the closest key the \
            service defines. Keys of identity providers (`accounts.google.com:aud`, \
            `token.actions.githubusercontent.com:sub`, `saml:aud`, ...) are not checked.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringLike": {"s3:prefixes": "home/*"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "home/*"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let key = site.key();
        let Some(KeyOrigin::Service { prefix }) = origin(key) else {
            continue;
        };
        // An unknown prefix may be an identity provider or a service newer than the catalog.
        let Some(service) = cx.catalog.service(prefix) else {
            continue;
        };
        if is_tag_key_without_name(key) || lookup(cx.catalog, key).is_some() {
            continue;
        }
        let names: Vec<&str> = service.condition_keys().map(|k| k.name()).collect();
        let suggestion = suggest_key(key, names.iter().copied());
        let message = match &suggestion {
            Some(s) => format!(
                "{} ({}) defines no condition key \"{key}\"; did you mean \"{s}\"?",
                service.name(),
                service.prefix()
            ),
            None => format!(
                "{} ({}) defines no condition key \"{key}\"; check the service's condition keys",
                service.name(),
                service.prefix()
            ),
        };
        let d = sink.report(site.key_span(), message);
        if let Some(s) = suggestion {
            d.fixes.push(Fix::safe(
                format!("Change to \"{s}\""),
                vec![TextEdit {
                    span: site.key_span(),
                    text: json_string(&s),
                }],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_SERVICE_CONDITION_KEY";

    #[test]
    fn reports_unknown_service_keys_with_a_suggestion() {
        let text = with_condition(
            r#"{"StringEquals": {"s3:prefixes": "a", "ec2:InstanceTyp": "t3.micro"}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(&text)).collect();
        assert_eq!(spans, vec![r#""s3:prefixes""#, r#""ec2:InstanceTyp""#]);
        assert!(found[1].fixes[0]
            .apply(&text)
            .unwrap()
            .contains(r#""ec2:InstanceType""#));
    }

    #[test]
    fn identity_provider_keys_and_known_keys_are_fine() {
        let text = with_condition(
            r#"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/heads/main", "oidc.eks.eu-west-1.amazonaws.com/id/ABCD:sub": "system:serviceaccount:a:b", "accounts.google.com:aud": "x", "cognito-identity.amazonaws.com:amr": "authenticated", "saml:aud": "https://signin.aws.amazon.com/saml", "s3:prefix": "a", "EC2:ResourceTag/team": "red", "madeupservice:key": "x"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

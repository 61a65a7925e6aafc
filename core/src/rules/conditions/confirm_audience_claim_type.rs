use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::keys::{origin, KeyOrigin};
use crate::rules::support::conditions::walk::sites;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CONFIRM_AUDIENCE_CLAIM_TYPE",
        category: Category::Suggestion,
        summary: "Confirm whether the identity provider's `aud` claim is single- or multi-valued.",
        explanation: "The `aud` (audience) claim of a web identity token can be one string or a \
            list, depending on the provider. `ForAllValues:`/`ForAnyValue:` only make sense for \
            a list; for a single value use the plain operator (`StringEquals`). Check your \
            provider's tokens and pick the operator to match.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"ForAnyValue:StringEquals": {"accounts.google.com:aud": "1234.apps.googleusercontent.com"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"accounts.google.com:aud": "1234.apps.googleusercontent.com"}}}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let Some(qualifier) = site.operator().and_then(|op| op.qualifier) else {
            continue;
        };
        let key = site.key();
        let is_aud = key
            .rsplit_once(':')
            .is_some_and(|(_, claim)| claim.eq_ignore_ascii_case("aud"));
        if !is_aud || origin(key) != Some(KeyOrigin::IdentityProvider) {
            continue;
        }
        sink.report(
            site.block.operator_span(),
            format!(
                "\"{key}\" is compared with {}: that only fits if the provider sends the audience as a list; if it is a single value, use the operator without the qualifier",
                qualifier.as_str()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "CONFIRM_AUDIENCE_CLAIM_TYPE";

    #[test]
    fn reports_the_operator() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"ForAllValues:StringLike": {"cognito-identity.amazonaws.com:aud": "us-east-1:*"}}}]}"#;
        assert_eq!(
            spans_of(text, "trust", CODE),
            vec![r#""ForAllValues:StringLike""#]
        );
    }

    #[test]
    fn amr_with_a_qualifier_and_plain_aud_are_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}, "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:abc"}}}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

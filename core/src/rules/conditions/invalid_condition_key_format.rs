use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::keys::split_key;
use crate::rules::support::conditions::walk::sites;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_CONDITION_KEY_FORMAT",
        category: Category::Error,
        summary: "The condition key is not in the form `prefix:name`.",
        explanation: "Every condition key is a prefix (`aws`, a service prefix such as `s3`, or \
            an identity provider such as `accounts.google.com`), a colon and a name, with no \
            spaces: `aws:SourceIp`, `s3:prefix`. IAM rejects a key in any other form.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"SourceIp": "203.0.113.0/24"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let key = site.key();
        if split_key(key).is_some() {
            continue;
        }
        let why = if key.chars().any(char::is_whitespace) {
            "contains whitespace"
        } else if !key.contains(':') {
            "has no prefix"
        } else {
            "has an empty prefix or name"
        };
        sink.report(
            site.key_span(),
            format!(
                "The condition key \"{key}\" {why}; write it as prefix:name, e.g. aws:SourceIp or s3:prefix"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_CONDITION_KEY_FORMAT";

    #[test]
    fn reports_the_key() {
        let text = with_condition(
            r#"{"StringEquals": {"PrincipalOrgID": "o-1", "aws:": "x", "aws:Principal OrgID": "y"}}"#,
        );
        assert_eq!(
            spans_of(&text, "identity", CODE),
            vec![
                r#""PrincipalOrgID""#,
                r#""aws:""#,
                r#""aws:Principal OrgID""#
            ]
        );
    }

    #[test]
    fn identity_provider_keys_are_well_formed() {
        let text = with_condition(
            r#"{"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:a:b", "saml:aud": "https://signin.aws.amazon.com/saml"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

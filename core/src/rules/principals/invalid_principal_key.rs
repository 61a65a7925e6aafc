use crate::diagnostic::{Category, Fix};
use crate::rules::support::structure::{closest_name, rename_key};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::principals::{principals, PRINCIPAL_KEYS};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_PRINCIPAL_KEY",
        category: Category::Error,
        summary:
            "A `Principal` object uses a key other than AWS, Service, Federated or CanonicalUser.",
        explanation: "The keys of a `Principal` object name the kind of principal and are \
            case-sensitive: `AWS` (accounts, users, roles, sessions), `Service` (AWS service \
            principals), `Federated` (SAML and OIDC identity providers) and `CanonicalUser` (S3 \
            canonical user IDs). Any other key, including `aws` or `Services`, makes the policy \
            invalid. The fix renames a near miss.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"aws": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        for (_, p) in principals(st) {
            for entry in &p.entries {
                let key = entry.kind.value.as_str();
                if PRINCIPAL_KEYS.contains(&key) {
                    continue;
                }
                match closest_name(key, PRINCIPAL_KEYS) {
                    Some(name) => {
                        let taken = p.entries.iter().any(|e| e.kind.value == name);
                        let d = sink.report(
                            entry.kind.span,
                            format!("`{key}` is not a principal type; did you mean `{name}`? (Keys are case-sensitive.)"),
                        );
                        if !taken {
                            d.fixes.push(Fix::safe(
                                format!("Rename to `{name}`"),
                                vec![rename_key(entry.kind, name)],
                            ));
                        }
                    }
                    None => {
                        sink.report(
                            entry.kind.span,
                            format!("`{key}` is not a principal type. Use AWS, Service, Federated or CanonicalUser."),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_PRINCIPAL_KEY";

    #[test]
    fn near_misses_are_renamed() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"aws": "111122223333", "Services": "lambda.amazonaws.com", "User": "bob"}, "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let found = findings_of(text, "resource", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, [r#""aws""#, r#""Services""#, r#""User""#]);
        assert!(found[0].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#"{"AWS": "111122223333""#));
        assert!(found[1].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#""Service": "lambda"#));
        assert!(found[2].fixes.is_empty());
    }

    #[test]
    fn the_four_keys_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333", "Service": "lambda.amazonaws.com", "Federated": "accounts.google.com", "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

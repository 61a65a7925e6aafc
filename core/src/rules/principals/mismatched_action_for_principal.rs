use crate::diagnostic::{Category, Fix};
use crate::policy::{PolicyType, Statement};
use crate::rules::support::structure::replace_with_string;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::principals::{federation_kind, FederationKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISMATCHED_ACTION_FOR_PRINCIPAL",
        category: Category::Error,
        summary: "A trust statement's assume-role action does not fit its principals.",
        explanation: "Each kind of principal assumes a role through its own STS action: SAML \
            providers with `sts:AssumeRoleWithSAML`, OIDC and web identity providers with \
            `sts:AssumeRoleWithWebIdentity`, and AWS accounts, users, roles and services with \
            `sts:AssumeRole`. A statement that pairs a principal with another kind's action \
            never lets that principal in. Use the action that matches the principal, or split \
            the statement by principal kind.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithSAML"}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

#[derive(Default)]
struct Kinds {
    saml: bool,
    web: bool,
    aws: bool,
}

impl Kinds {
    fn describe(&self) -> String {
        let mut names = Vec::new();
        if self.saml {
            names.push("a SAML provider");
        }
        if self.web {
            names.push("an OIDC/web identity provider");
        }
        if self.aws {
            names.push("AWS or service principals");
        }
        names.join(" and ")
    }

    /// The one assume action that fits, when the statement has one kind of principal.
    fn only_action(&self) -> Option<&'static str> {
        match (self.saml, self.web, self.aws) {
            (true, false, false) => Some("sts:AssumeRoleWithSAML"),
            (false, true, false) => Some("sts:AssumeRoleWithWebIdentity"),
            (false, false, true) => Some("sts:AssumeRole"),
            _ => None,
        }
    }
}

/// The kinds of principal of a statement; None when they cannot be told (wildcard, invalid).
fn kinds(st: &Statement<'_>) -> Option<Kinds> {
    let p = st.principal.as_ref()?;
    if p.is_star {
        return None;
    }
    let mut k = Kinds::default();
    for entry in &p.entries {
        match entry.kind.value.as_str() {
            "AWS" | "Service" | "CanonicalUser" => k.aws |= !entry.values.items.is_empty(),
            "Federated" => {
                for item in &entry.values.items {
                    match federation_kind(item.value)? {
                        FederationKind::Saml => k.saml = true,
                        FederationKind::WebIdentity => k.web = true,
                    }
                }
            }
            _ => return None,
        }
    }
    (k.saml || k.web || k.aws).then_some(k)
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        let Some(actions) = &st.action else { continue };
        let Some(k) = kinds(st) else { continue };
        let fix_target = k.only_action().filter(|a| !actions.contains(a));
        for item in &actions.items {
            let fits = match item.value.to_ascii_lowercase().as_str() {
                "sts:assumerolewithsaml" => k.saml,
                "sts:assumerolewithwebidentity" => k.web,
                "sts:assumerole" => k.aws,
                _ => true,
            };
            if fits {
                continue;
            }
            let d = sink.report(
                item.inner_span(),
                format!(
                    "`{}` does not fit this statement's principals ({}), so they can never assume the role with it.",
                    item.value,
                    k.describe()
                ),
            );
            if let Some(action) = fix_target {
                d.fixes.push(Fix::review(
                    format!("Change to `{action}`"),
                    vec![replace_with_string(item.node, action)],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISMATCHED_ACTION_FOR_PRINCIPAL";

    #[test]
    fn actions_that_do_not_fit() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]}, {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#;
        let found = findings_of(text, "trust", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(
            spans,
            ["sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]
        );
        assert!(found[0].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#"["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]"#));
        assert!(found[1].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#""Action": "sts:AssumeRole"}"#));
    }

    #[test]
    fn matching_actions_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com", "AWS": "111122223333"}, "Action": ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRole"]}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

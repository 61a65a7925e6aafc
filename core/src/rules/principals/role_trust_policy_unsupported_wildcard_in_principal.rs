use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
        category: Category::Error,
        summary: "A role trust policy uses `\"Principal\": \"*\"`.",
        explanation: "A role's trust policy must name who may assume the role; the bare \
            `\"Principal\": \"*\"` is not accepted there. Name the accounts, roles, services or \
            identity providers. If you really mean any AWS principal narrowed by conditions (for \
            example everyone in your organization), write `\"Principal\": {\"AWS\": \"*\"}` with a \
            condition such as `aws:PrincipalOrgID`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        let Some(p) = &st.principal else { continue };
        if p.is_star {
            if let Some(value) = &p.member.value {
                sink.report(
                    value.span,
                    "A role trust policy cannot use \"Principal\": \"*\". Name the principals that may assume the role, or use {\"AWS\": \"*\"} with a condition such as aws:PrincipalOrgID.",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL";

    #[test]
    fn bare_star_in_trust_policy() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}"#;
        assert_eq!(spans_of(text, "trust", CODE), [r#""*""#]);
        assert!(findings_of(text, "resource", CODE).is_empty());
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

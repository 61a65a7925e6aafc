use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
        category: Category::Error,
        summary: "A role trust policy uses `NotPrincipal`.",
        explanation: "IAM does not accept `NotPrincipal` in a role's trust policy. Name the \
            principals that may assume the role with `Principal`; to exclude some of them, add a \
            `Deny` statement with `\"Principal\": {\"AWS\": \"*\"}` and a condition on \
            `aws:PrincipalArn`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "sts:AssumeRole"}]}"#,
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
        if let Some(p) = &st.not_principal {
            sink.report(
                p.member.key.span,
                "Role trust policies do not support `NotPrincipal`. Use `Principal`, and a Deny statement with a condition on aws:PrincipalArn for exceptions.",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL";

    #[test]
    fn not_principal_in_trust_policy() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}]}"#;
        assert_eq!(spans_of(text, "trust", CODE), [r#""NotPrincipal""#]);
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

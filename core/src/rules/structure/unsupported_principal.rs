use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{report_principal_members, type_phrase};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_PRINCIPAL",
        category: Category::Error,
        summary: "`Principal` or `NotPrincipal` in a policy attached to an identity.",
        explanation: "Identity policies, permissions boundaries and session policies apply to the \
            user, group, role or session they are attached to, so they cannot name a principal: \
            IAM rejects `Principal` and `NotPrincipal` there. Remove the element, or move the \
            statement to a resource policy (for example a bucket policy or a role's trust policy) \
            if you meant to grant access to someone else. SCPs report this as \
            SCP_SYNTAX_ERROR_PRINCIPAL.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(
        cx.policy_type,
        PolicyType::Identity | PolicyType::Boundary | PolicyType::Session
    ) {
        return;
    }
    report_principal_members(cx, sink, |key| {
        format!(
            "`{key}` is not allowed in {}: it applies to whoever it is attached to. Remove `{key}`, or put this statement in a resource policy.",
            type_phrase(cx.policy_type)
        )
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNSUPPORTED_PRINCIPAL";

    #[test]
    fn principal_in_identity_like_policies() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}]}"#;
        for ty in ["identity", "boundary", "session"] {
            let found = findings_of(text, ty, CODE);
            assert_eq!(found.len(), 1, "{ty}");
            assert_eq!(found[0].span.slice(text), r#""NotPrincipal""#);
            let fixed = found[0].fixes[0].apply(text).unwrap();
            assert!(fixed.contains(r#"{"Effect": "Deny", "Action": "s3:*""#));
        }
        for ty in ["resource", "trust", "scp", "rcp"] {
            assert!(findings_of(text, ty, CODE).is_empty(), "{ty}");
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

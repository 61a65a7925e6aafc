use crate::diagnostic::Category;
use crate::fix::narrow::add_condition_fix;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::outside::public_principal;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PUBLIC_ACCESS",
        category: Category::Security,
        summary: "A resource policy allows Principal \"*\" with no condition that limits who the caller is.",
        explanation: "`\"Principal\": \"*\"` (or `{\"AWS\": \"*\"}`) means every principal in every \
            AWS account, and for many services anonymous callers too. Unless a condition ties the \
            request to your organisation, account, network or source (`aws:PrincipalOrgID`, \
            `aws:PrincipalAccount`, `aws:SourceVpce`, `aws:SourceArn`, `aws:SourceAccount`, ...) \
            with a positive operator, the resource is public. Conditions on other keys, negated \
            operators and `...IfExists` do not count: they let a request without the key through.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

/// The span of the `"*"` that makes the principal "anyone".
fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(cx.policy_type, PolicyType::Resource { .. }) {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() {
            continue;
        }
        let Some(span) = public_principal(st) else {
            continue;
        };
        let actions: Vec<&str> = st
            .actions_or_not()
            .map(|l| l.items.iter().map(|i| i.value).collect())
            .unwrap_or_default();
        let verb = if st.not_action.is_some() {
            "every action except"
        } else {
            "call"
        };
        let d = sink.report(
            span,
            format!(
                "Anyone, in any AWS account and possibly anonymous, can {verb} {} here: Principal is \"*\" \
                 and no condition limits the caller; add a condition such as aws:PrincipalOrgID or \
                 aws:SourceVpce, or name the principals",
                actions.join(", ")
            ),
        );
        if let Some(fix) = add_condition_fix(
            cx.text,
            st,
            "Limit the caller to your organisation (fill in the organisation id)",
            &[("StringEquals", "aws:PrincipalOrgID", "o-ORGANIZATION_ID")],
        ) {
            d.fixes.push(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "PUBLIC_ACCESS";

    #[test]
    fn points_at_the_star_principal() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "resource", CODE);
        assert_eq!(found.len(), 1);
        let start = text.find(r#""*""#).unwrap();
        assert_eq!(found[0].span, crate::span::Span::new(start, start + 3));
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(findings_of(&fixed, "resource", CODE).is_empty(), "{fixed}");
        let aws_star = text.replace(r#""Principal": "*""#, r#""Principal": {"AWS": ["*"]}"#);
        assert_eq!(spans_of(&aws_star, "resource", CODE), vec!["\"*\""]);
    }

    #[test]
    fn org_condition_or_deny_does_not_fire_but_weak_conditions_do() {
        assert!(findings_of(super::RULE.meta.good_example, "resource", CODE).is_empty());
        let tls_deny = r#"{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#;
        assert!(findings_of(tls_deny, "resource", CODE).is_empty());
        for weak in [
            r#""StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}"#,
            r#""StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}"#,
            r#""StringLike": {"aws:PrincipalOrgID": "*"}"#,
            r#""Bool": {"aws:SecureTransport": "true"}"#,
        ] {
            let text = super::RULE.meta.good_example.replace(
                r#""StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}"#,
                weak,
            );
            assert_eq!(findings_of(&text, "resource", CODE).len(), 1, "{text}");
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

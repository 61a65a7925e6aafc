use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ALLOW_WITH_NOT_PRINCIPAL",
        category: Category::Security,
        summary: "An Allow statement uses NotPrincipal, so it grants access to everyone except the principals listed.",
        explanation: "`Allow` with `NotPrincipal` allows every principal that is not listed: other \
            accounts, and anonymous callers too. It is almost never what was meant. Name the \
            principals that need access in `Principal` instead; keep `NotPrincipal` for `Deny` \
            statements.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Ops"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Ops"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        let Some(not_principal) = &st.not_principal else {
            continue;
        };
        if !st.is_allow() {
            continue;
        }
        sink.report(
            not_principal.member.key.span,
            format!(
                "{} allows every principal except the ones in NotPrincipal, anonymous callers included; \
                 list the principals that need access in Principal instead",
                st.label()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn points_at_not_principal() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(
            spans_of(text, "resource", "ALLOW_WITH_NOT_PRINCIPAL"),
            vec!["\"NotPrincipal\""]
        );
    }

    #[test]
    fn deny_with_not_principal_is_a_guardrail() {
        let text = super::RULE.meta.good_example;
        assert!(findings_of(text, "resource", "ALLOW_WITH_NOT_PRINCIPAL").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::grants_access;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ALLOW_WITH_NOT_RESOURCE",
        category: Category::Security,
        summary: "An Allow statement uses NotResource, so it grants its actions on every resource it does not list.",
        explanation: "`Allow` with `NotResource` grants the actions on every resource except the \
            ones listed: in every account and Region, including resources created later. Name \
            the resources to allow in `Resource`; keep `NotResource` for `Deny` statements.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::payroll/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::public-assets/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !grants_access(cx.policy_type) {
        return;
    }
    for st in &cx.policy.statements {
        let Some(list) = &st.not_resource else {
            continue;
        };
        if !st.is_allow() || list.contains("*") {
            continue;
        }
        sink.report(
            list.key().span,
            "Allow with NotResource grants these actions on every resource in every account except \
             the ones listed, including resources created later; name the resources to allow in \
             Resource instead",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "ALLOW_WITH_NOT_RESOURCE";

    #[test]
    fn points_at_not_resource() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(spans_of(text, "identity", CODE), vec!["\"NotResource\""]);
    }

    #[test]
    fn deny_with_not_resource_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

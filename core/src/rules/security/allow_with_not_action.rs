use crate::diagnostic::Category;
use crate::fix::narrow::not_action_fix;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::grants_access;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ALLOW_WITH_NOT_ACTION",
        category: Category::Security,
        summary: "An Allow statement uses NotAction, so it grants every action it does not list, in every service.",
        explanation: "`Allow` with `NotAction` grants every action of every service except the \
            ones listed, including services AWS launches later. It reads like a restriction but \
            is one of the broadest grants there is. List the actions to allow in `Action`; keep \
            `NotAction` for `Deny` statements (guardrails).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}"#,
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
        let Some(list) = &st.not_action else { continue };
        if !st.is_allow() {
            continue;
        }
        let excluded: Vec<&str> = list.items.iter().map(|i| i.value).collect();
        let d = sink.report(
            list.key().span,
            format!(
                "Allow with NotAction grants every action of every service except {}, including \
                 services added later; list the actions to allow in Action instead",
                if excluded.is_empty() {
                    "nothing".to_string()
                } else {
                    excluded.join(", ")
                }
            ),
        );
        d.review_fixes_with(|| not_action_fix(cx.layout(), cx.catalog, cx.policy_type, st));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "ALLOW_WITH_NOT_ACTION";

    #[test]
    fn points_at_not_action() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(spans_of(text, "identity", CODE), vec!["\"NotAction\""]);
    }

    #[test]
    fn the_fix_lists_the_other_actions_of_the_service() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", CODE);
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""Action": ["#), "{fixed}");
        assert!(
            fixed.contains("s3:GetObject") && !fixed.contains("s3:DeleteBucket\""),
            "{fixed}"
        );
        assert!(findings_of(&fixed, "identity", CODE).is_empty());
    }

    #[test]
    fn deny_with_not_action_is_a_guardrail() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

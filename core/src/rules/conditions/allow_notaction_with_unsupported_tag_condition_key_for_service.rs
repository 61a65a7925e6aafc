use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::actions::list_some;
use crate::rules::support::tag_keys::{report_unsupported_tag_keys, Reach};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        category: Category::Suggestion,
        summary: "An Allow with NotAction is conditioned on a tag key that many of the services it reaches never set.",
        explanation: "`NotAction` in an Allow reaches the actions of nearly every service, but \
            `aws:ResourceTag/...`, `aws:RequestTag/...` and `aws:TagKeys` are only present for \
            services that support tag-based authorization. For the others the key is missing \
            and nothing is granted. List the actions you mean with `Action` instead.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_unsupported_tag_keys(cx, sink, Reach::NotAction, |services, key| {
        format!(
            "NotAction reaches {} services that never set \"{key}\" ({}), so it grants nothing there; list the intended actions with Action instead",
            services.len(),
            list_some(services, 4)
        )
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE";

    #[test]
    fn reports_the_key() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "sts:*"], "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "team"}}}]}"#;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), r#""aws:TagKeys""#);
    }

    #[test]
    fn deny_with_not_action_and_non_tag_keys_are_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}}, {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

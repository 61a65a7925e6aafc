use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::actions::list_some;
use crate::rules::support::tag_keys::{report_unsupported_tag_keys, Reach};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        category: Category::Suggestion,
        summary: "An Allow is conditioned on a tag key that some of its services never set.",
        explanation: "`aws:ResourceTag/...`, `aws:RequestTag/...` and `aws:TagKeys` are only \
            present for services (and actions) that support tag-based authorization. For a \
            service that does not, the key is missing and this Allow never grants its actions. \
            Move those actions to a statement with a condition they support.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:StartInstances", "route53:ListHostedZones"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_unsupported_tag_keys(cx, sink, Reach::Action, |services, key| {
        format!(
            "{} never set \"{key}\", so this Allow never grants their actions; move them to a statement without this condition",
            list_some(services, 4)
        )
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE";

    fn policy(effect: &str, actions: &str, condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "{effect}", "Action": {actions}, "Resource": "*", "Condition": {condition}}}]}}"#
        )
    }

    #[test]
    fn reports_the_key_and_names_the_services() {
        let text = policy(
            "Allow",
            r#"["ec2:StartInstances", "route53:ListHostedZones"]"#,
            r#"{"StringEquals": {"aws:ResourceTag/team": "red"}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(&text), r#""aws:ResourceTag/team""#);
        assert!(
            found[0].message.starts_with("route53 "),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn deny_if_exists_and_supporting_services_are_fine() {
        for text in [
            policy(
                "Deny",
                r#""route53:ListHostedZones""#,
                r#"{"StringEquals": {"aws:ResourceTag/team": "red"}}"#,
            ),
            policy(
                "Allow",
                r#""route53:ListHostedZones""#,
                r#"{"StringEqualsIfExists": {"aws:ResourceTag/team": "red"}}"#,
            ),
            policy(
                "Allow",
                r#""ec2:StartInstances""#,
                r#"{"StringEquals": {"aws:ResourceTag/team": "red"}}"#,
            ),
        ] {
            assert!(findings_of(&text, "identity", CODE).is_empty(), "{text}");
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

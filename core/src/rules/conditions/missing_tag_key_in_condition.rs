use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::keys::is_tag_key_without_name;
use crate::rules::support::conditions::walk::sites;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_TAG_KEY_IN_CONDITION",
        category: Category::Error,
        summary: "A tag condition key has no tag name.",
        explanation: "Tag condition keys name the tag they test after a slash: \
            `aws:ResourceTag/team`, `aws:RequestTag/env`, `aws:PrincipalTag/dept`, \
            `s3:ExistingObjectTag/classification`. Without the tag name the key is invalid. \
            To test which tag keys a request carries, use `aws:TagKeys`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag": "team"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let key = site.key();
        if is_tag_key_without_name(key) {
            let base = key.strip_suffix('/').unwrap_or(key);
            sink.report(
                site.key_span(),
                format!(
                    "\"{key}\" needs the tag name after a slash, e.g. \"{base}/team\"; to test which tag keys a request carries use aws:TagKeys"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_TAG_KEY_IN_CONDITION";

    #[test]
    fn reports_the_key() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:RequestTag/": "x", "s3:ExistingObjectTag": "y"}}"#,
        );
        assert_eq!(
            spans_of(&text, "identity", CODE),
            vec![r#""aws:RequestTag/""#, r#""s3:ExistingObjectTag""#]
        );
    }

    #[test]
    fn named_tags_and_tag_keys_are_fine() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:RequestTag/env": "x"}, "ForAllValues:StringEquals": {"aws:TagKeys": "env"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

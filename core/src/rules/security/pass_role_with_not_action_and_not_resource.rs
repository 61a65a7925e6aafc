use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use super::shapes::{self, Shape, PASS_ROLE};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        category: Category::Security,
        summary: "Allows iam:PassRole on every resource: an Allow with NotAction that does not exclude the action uses NotResource.",
        explanation: "With iam:PassRole on every role, the caller can hand any role in the account, an administrator role included, to a service such as EC2, Lambda or Glue that runs code they control, and so act with that role's permissions. This shape reaches it because an Allow with NotAction that does not exclude the action uses NotResource. \
            Name the resources the action needs in Resource instead of leaving it open.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::secret-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": ["s3:*", "iam:*"], "NotResource": "arn:aws:s3:::secret-bucket/*"}]}"#,
        example_type: ExampleType::Identity,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    shapes::check(cx, sink, &PASS_ROLE, Shape::NotActionAndNotResource);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use crate::span::Span;

    #[test]
    fn points_at_the_open_resource() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(
            text,
            "identity",
            "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        let start = text.find(r#""NotResource""#).unwrap();
        assert_eq!(
            found[0].span,
            Span::new(start, start + "\"NotResource\"".len())
        );
        assert!(found[0].message.contains("iam:PassRole"));
        assert_eq!(found[0].related.len(), 1);
    }

    #[test]
    fn close_neighbour_does_not_fire() {
        let text = super::RULE.meta.good_example;
        assert!(findings_of(
            text,
            "identity",
            "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE"
        )
        .is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

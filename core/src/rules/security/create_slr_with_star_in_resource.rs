use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use super::shapes::{self, Shape, CREATE_SLR};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CREATE_SLR_WITH_STAR_IN_RESOURCE",
        category: Category::Warning,
        summary: "Allows iam:CreateServiceLinkedRole on every resource: the action is named (or matched by a pattern) in Action and Resource is \"*\".",
        explanation: "With iam:CreateServiceLinkedRole on every resource and no iam:AWSServiceName condition, the caller can create the service-linked role of any AWS service, which turns on that service's access to the account. This shape reaches it because the action is named (or matched by a pattern) in Action and Resource is \"*\". \
            Name the resources the action needs in Resource instead of leaving it open.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}}}]}"#,
        example_type: ExampleType::Identity,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    shapes::check(cx, sink, &CREATE_SLR, Shape::StarInResource);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use crate::span::Span;

    #[test]
    fn points_at_the_open_resource() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", "CREATE_SLR_WITH_STAR_IN_RESOURCE");
        assert_eq!(found.len(), 1, "{found:?}");
        let start = text.rfind(r#""*""#).unwrap();
        assert_eq!(found[0].span, Span::new(start, start + 3));
        assert!(found[0].message.contains("iam:CreateServiceLinkedRole"));
        assert_eq!(found[0].related.len(), 1);
    }

    #[test]
    fn close_neighbour_does_not_fire() {
        let text = super::RULE.meta.good_example;
        assert!(findings_of(text, "identity", "CREATE_SLR_WITH_STAR_IN_RESOURCE").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::shapes::{self, Shape, CREATE_SLR};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        category: Category::Warning,
        summary: "Allows iam:CreateServiceLinkedRole on every resource: Action and Resource are both \"*\".",
        explanation: "With iam:CreateServiceLinkedRole on every resource and no iam:AWSServiceName condition, the caller can create the service-linked role of any AWS service, which turns on that service's access to the account. This shape reaches it because Action and Resource are both \"*\". \
            Name the resources the action needs in Resource instead of leaving it open.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::example-bucket/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    shapes::check(cx, sink, &CREATE_SLR, Shape::StarInActionAndResource);
}

#[cfg(test)]
mod tests {
    use crate::rules::support::shapes::testing::{
        assert_good_example_is_silent, assert_points_at_open_resource, OpenResource,
    };
    use crate::rules::testing::check_examples;

    #[test]
    fn points_at_the_open_resource() {
        assert_points_at_open_resource(
            &super::RULE,
            OpenResource::Star,
            "iam:CreateServiceLinkedRole",
        );
    }

    #[test]
    fn close_neighbour_does_not_fire() {
        assert_good_example_is_silent(&super::RULE);
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

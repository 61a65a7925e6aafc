use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::shapes::{self, Shape, PASS_ROLE};

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
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    shapes::check(cx, sink, &PASS_ROLE, Shape::NotActionAndNotResource);
}

#[cfg(test)]
mod tests {
    use crate::rules::support::shapes::testing::{
        assert_good_example_is_silent, assert_points_at_open_resource, OpenResource,
    };
    use crate::rules::testing::check_examples;

    #[test]
    fn points_at_the_open_resource() {
        assert_points_at_open_resource(&super::RULE, OpenResource::NotResource, "iam:PassRole");
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

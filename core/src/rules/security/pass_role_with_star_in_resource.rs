use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::shapes::{self, Shape, PASS_ROLE};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        category: Category::Security,
        summary: "Allows iam:PassRole on every resource: the action is named (or matched by a pattern) in Action and Resource is \"*\".",
        explanation: "With iam:PassRole on every role, the caller can hand any role in the account, an administrator role included, to a service such as EC2, Lambda or Glue that runs code they control, and so act with that role's permissions. This shape reaches it because the action is named (or matched by a pattern) in Action and Resource is \"*\". \
            Name the resources the action needs in Resource instead of leaving it open.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-*", "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    shapes::check(cx, sink, &PASS_ROLE, Shape::StarInResource);
}

#[cfg(test)]
mod tests {
    use crate::rules::support::shapes::testing::{
        assert_good_example_is_silent, assert_points_at_open_resource, OpenResource,
    };
    use crate::rules::testing::*;

    const CODE: &str = "PASS_ROLE_WITH_STAR_IN_RESOURCE";

    #[test]
    fn points_at_the_open_resource() {
        assert_points_at_open_resource(&super::RULE, OpenResource::Star, "iam:PassRole");
    }

    #[test]
    fn close_neighbour_does_not_fire() {
        assert_good_example_is_silent(&super::RULE);
    }

    fn pass_role_on(resource: &str, condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "{resource}"{condition}}}]}}"#
        )
    }

    #[test]
    fn role_patterns_are_worded_by_what_they_reach() {
        // Issue 12: a wildcard in the role name or account passes any role of those accounts.
        for (resource, reach) in [
            ("arn:aws:iam::*:role/*", "any role in any account"),
            (
                "arn:aws:iam::123456789012:role/*",
                "any role in account 123456789012",
            ),
            (
                "arn:aws:iam::1234*:role/*",
                "any role in the accounts matching \"1234*\"",
            ),
        ] {
            let text = pass_role_on(resource, "");
            let found = findings_of(&text, "identity", CODE);
            assert_eq!(found.len(), 1, "{resource}: {found:?}");
            assert_eq!(found[0].span.slice(&text), format!("\"{resource}\""));
            assert!(found[0].message.contains(reach), "{}", found[0].message);
            assert!(
                !found[0].message.contains("in the account,"),
                "{}",
                found[0].message
            );
        }
        // Close neighbours: a name prefix or a path names some roles, not all of them.
        for resource in [
            "arn:aws:iam::123456789012:role/app-*",
            "arn:aws:iam::*:role/service-role/*",
            "arn:aws:iam::123456789012:user/*",
        ] {
            assert!(findings_of(&pass_role_on(resource, ""), "identity", CODE).is_empty());
        }
    }

    #[test]
    fn passed_to_service_already_there_is_not_advised_again() {
        let limited = pass_role_on(
            "*",
            r#", "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}"#,
        );
        let found = findings_of(&limited, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert!(
            !found[0].message.contains("limit the services with"),
            "{}",
            found[0].message
        );
        assert!(found[0]
            .message
            .contains("limits the services, not the roles"));
        // Neighbour: without the condition, the advice names it.
        let open = findings_of(&pass_role_on("*", ""), "identity", CODE);
        assert!(open[0]
            .message
            .contains("limit the services with iam:PassedToService"));
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

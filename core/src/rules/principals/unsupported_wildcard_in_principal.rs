use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::principals::principal_values;
use crate::wildcard::has_wildcard;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
        category: Category::Error,
        summary: "A principal value contains `*` or `?` as part of a name.",
        explanation: "The `Principal` element does not match patterns: the only wildcard it \
            accepts is the whole value `\"*\"` (everyone) under `AWS` (or `\"Principal\": \"*\"`). \
            Values such as `arn:aws:iam::111122223333:role/dev-*` or `*.amazonaws.com` are \
            rejected. To admit a family of principals, use `\"AWS\": \"*\"` with a condition on \
            `aws:PrincipalArn` (`ArnLike`) or `aws:PrincipalAccount`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/dev-*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/dev-*"}}}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for pv in principal_values(&cx.policy.statements) {
        let value = pv.item.value;
        if !has_wildcard(value) || (value == "*" && pv.kind.value == "AWS") {
            continue;
        }
        let advice = if pv.kind.value == "AWS" {
            "Use \"AWS\": \"*\" with an ArnLike condition on aws:PrincipalArn (or aws:PrincipalAccount) instead."
        } else {
            "List each principal by its exact name."
        };
        sink.report(
            pv.item.inner_span(),
            format!(
                "\"{value}\" uses a wildcard inside a `{}` principal, which IAM does not support. {advice}",
                pv.kind.value
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNSUPPORTED_WILDCARD_IN_PRINCIPAL";

    #[test]
    fn partial_wildcards_are_reported() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:user/?ob", "*"], "Service": "*"}, "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert_eq!(
            spans_of(text, "resource", CODE),
            ["arn:aws:iam::111122223333:user/?ob", "*"]
        );
        let found = findings_of(text, "resource", CODE);
        assert_eq!(
            found[1].span.start,
            text.find(r#""Service": "*""#).unwrap() + 12
        );
    }

    #[test]
    fn whole_star_under_aws_passes() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

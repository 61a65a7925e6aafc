use crate::diagnostic::{Category, Fix, TextEdit};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;

use crate::rules::support::conditions::aws_arn_key::{aws_arn_sites, is_resource_based};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DEPRECATED_GLOBAL_CONDITION_KEY",
        category: Category::Warning,
        summary: "`aws:ARN` is deprecated; use `aws:PrincipalArn`.",
        explanation: "The old global key `aws:ARN` has been replaced by `aws:PrincipalArn`, \
            which names the principal making the request and is documented for every policy \
            type. Switch to the new key.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"ArnNotLike": {"aws:ARN": "arn:aws:iam::111122223333:role/admin"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/admin"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if is_resource_based(cx.policy_type) {
        return;
    }
    for site in aws_arn_sites(cx) {
        sink.report(
            site.key_span(),
            format!("\"{}\" is deprecated; use aws:PrincipalArn", site.key()),
        )
        .fixes
        .push(Fix::review(
            "Change to \"aws:PrincipalArn\"",
            vec![TextEdit {
                span: site.key_span(),
                text: json_string("aws:PrincipalArn"),
            }],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "DEPRECATED_GLOBAL_CONDITION_KEY";

    #[test]
    fn reports_the_key_with_a_fix() {
        let text =
            with_condition(r#"{"ArnLike": {"AWS:Arn": "arn:aws:iam::111122223333:user/*"}}"#);
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(&text), r#""AWS:Arn""#);
        assert!(found[0].fixes[0]
            .apply(&text)
            .unwrap()
            .contains(r#""aws:PrincipalArn""#));
    }

    #[test]
    fn principal_arn_is_fine() {
        let text = with_condition(
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:user/*"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

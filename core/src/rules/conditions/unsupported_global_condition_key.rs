use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::aws_arn_key::{aws_arn_sites, is_resource_based};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_GLOBAL_CONDITION_KEY",
        category: Category::Error,
        summary: "`aws:ARN` is not supported in resource-based policies.",
        explanation: "The old global key `aws:ARN` is not supported in resource-based policies \
            (resource, trust and resource control policies). Use `aws:PrincipalArn` to test the \
            caller, or `aws:SourceArn` to test the resource a service acts for.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"ArnLike": {"aws:ARN": "arn:aws:iam::111122223333:role/app-*"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*"}}}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !is_resource_based(cx.policy_type) {
        return;
    }
    for site in aws_arn_sites(cx) {
        sink.report(
            site.key_span(),
            format!(
                "\"{}\" is not supported in a {} policy; use aws:PrincipalArn for the caller or aws:SourceArn for the resource a service acts for",
                site.key(),
                cx.policy_type.name()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNSUPPORTED_GLOBAL_CONDITION_KEY";
    const TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Condition": {"StringLike": {"aws:arn": "arn:aws:iam::111122223333:user/*"}}}]}"#;

    #[test]
    fn reports_the_key_in_resource_based_policies() {
        assert_eq!(spans_of(TRUST, "trust", CODE), vec![r#""aws:arn""#]);
    }

    #[test]
    fn identity_policies_get_the_deprecation_instead() {
        assert!(findings_of(TRUST, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

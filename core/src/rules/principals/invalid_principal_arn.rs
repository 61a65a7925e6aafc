use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::principals::{aws_principal_problem, principal_values};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_PRINCIPAL_ARN",
        category: Category::Error,
        summary: "An `AWS` principal is not an account ID or an IAM principal ARN.",
        explanation:
            "Values under `\"AWS\"` must be `\"*\"`, a 12-digit account ID, or the ARN of \
            a principal: the account (`arn:aws:iam::111122223333:root`), an IAM user or role \
            (`:user/NAME`, `:role/PATH/NAME`), an assumed-role session \
            (`arn:aws:sts::111122223333:assumed-role/ROLE/SESSION`) or a federated user \
            (`arn:aws:sts::111122223333:federated-user/NAME`). Names without an ARN, groups, \
            ARNs of other services, a Region in the ARN or an account that is not 12 digits are \
            rejected (Access Analyzer reports these under its ARN and principal checks; iamlint \
            gives them one code).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:group/Admins"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admins"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for pv in principal_values(&cx.policy.statements) {
        if pv.kind.value != "AWS" {
            continue;
        }
        if let Some(problem) = aws_principal_problem(pv.item.value) {
            sink.report(
                pv.item.inner_span(),
                format!("Invalid AWS principal: {problem}."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_PRINCIPAL_ARN";

    #[test]
    fn malformed_aws_principals() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["bob", "arn:aws:iam::1234:root", "arn:aws:iam::111122223333:root", "111122223333"]}, "Action": "sts:AssumeRole"}]}"#;
        assert_eq!(
            spans_of(text, "trust", CODE),
            ["bob", "arn:aws:iam::1234:root"]
        );
    }

    #[test]
    fn other_principal_types_are_not_checked_here() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "bob"}, "Action": "sts:AssumeRole"}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::arn::{truncated_arn_is_wildcard, Arn, ArnError};
use crate::diagnostic::Category;
use crate::rules::support::arns::resource_entries;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_ARN_FIELD",
        category: Category::Error,
        summary: "An ARN has fewer than its six colon-separated fields, or an empty resource.",
        explanation: "An ARN is `arn:partition:service:region:account:resource`. Region and \
            account may be empty for some services, but their colons must still be there: \
            `arn:aws:s3:::amzn-s3-demo-bucket` has three colons in a row. An ARN missing fields, \
            or with nothing after the last colon, matches no resource. (A value that ends in \
            `*`, such as `arn:aws:ec2:*`, is fine: IAM lets a final `*` stand for the rest.)",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:amzn-s3-demo-bucket"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for entry in resource_entries(cx) {
        let value = entry.item.value;
        if truncated_arn_is_wildcard(value) {
            continue;
        }
        match Arn::parse(value) {
            Err(ArnError::MissingFields { fields }) => {
                sink.report(
                    entry.item.inner_span(),
                    format!(
                        "\"{value}\" has {fields} of the six fields of an ARN \
                         (arn:partition:service:region:account:resource), so it matches no \
                         resource. Keep the colons of empty fields, e.g. \
                         \"arn:aws:s3:::amzn-s3-demo-bucket\"."
                    ),
                );
            }
            Ok(arn) if arn.resource.is_empty() => {
                sink.report(
                    entry.item.inner_span(),
                    format!(
                        "\"{value}\" has nothing after its last colon: the resource field is \
                         empty, so it matches no resource. Name the resource, or end with \"*\"."
                    ),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_short_arns_and_empty_resources() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:b", "arn:aws:s3:::", "arn:aws:s3:::b"]}]}"#;
        assert_eq!(
            spans_of(text, "identity", "MISSING_ARN_FIELD"),
            ["arn:aws:s3:b", "arn:aws:s3:::"]
        );
    }

    #[test]
    fn trailing_star_and_full_arns_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": ["arn:aws:ec2:*", "arn:aws:ec2:us-east-1:111122223333:instance/*", "*", "not-an-arn"]}]}"#;
        assert!(findings_of(text, "identity", "MISSING_ARN_FIELD").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

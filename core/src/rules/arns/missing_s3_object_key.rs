use crate::diagnostic::Category;
use crate::rules::support::arns::{parsed_arns, part_span};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_S3_OBJECT_KEY",
        category: Category::Error,
        summary: "An S3 ARN ends in the bucket name and a slash: an object with an empty key.",
        explanation: "An S3 object ARN is `arn:aws:s3:::bucket/key`, and an object key has at \
            least one character, so `arn:aws:s3:::bucket/` names no object (and it is not the \
            bucket's ARN either, which has no slash): the entry matches nothing. Write \
            `arn:aws:s3:::bucket/*` for every object of the bucket, or `arn:aws:s3:::bucket` for \
            the bucket itself. A longer key ending in a slash (`bucket/reports/`) is a real \
            object key (a folder marker) and is not reported.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for (entry, arn) in parsed_arns(cx) {
        if arn.service.value != "s3" || !arn.region.is_empty() || !arn.account.is_empty() {
            continue;
        }
        let resource = arn.resource;
        let Some(bucket) = resource.value.strip_suffix('/') else {
            continue;
        };
        if bucket.is_empty() || bucket.contains('/') || resource.is_pattern() {
            continue;
        }
        sink.report(
            part_span(cx, &entry.item, resource),
            format!(
                "\"{}\" names an object with an empty key, which S3 does not have, so it matches \
                 nothing; write \"{bucket}/*\" for the bucket's objects or \"{bucket}\" for the \
                 bucket",
                resource.value
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_S3_OBJECT_KEY";

    /// Issue 12: an S3 object ARN with no key part was missed.
    #[test]
    fn flags_a_bucket_with_a_trailing_slash() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::reports/", "arn:aws:s3:::logs/*"]}]}"#;
        assert_eq!(spans_of(text, "identity", CODE), ["reports/"]);
    }

    #[test]
    fn keys_buckets_folders_and_patterns_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*", "arn:aws:s3:::reports/2024/", "arn:aws:s3:::${aws:username}/", "arn:aws:s3:::rep*/", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap/"]}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{report_repeated_sids, requires_unique_sids};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNIQUE_SIDS_RECOMMENDED",
        category: Category::Warning,
        summary: "Two statements share a Sid.",
        explanation: "S3 bucket policies, most other resource policies and session policies \
            accept repeated statement IDs, but a Sid exists to name a statement, and two \
            statements with one name make reviews, findings and later edits ambiguous (some tools \
            that merge policies by Sid silently drop statements). Give each statement its own Sid; \
            the fix renames the repeated one, which does not change access. Where IAM, AWS \
            Organizations, SNS or SQS reject repeats, the finding is UNIQUE_SIDS_REQUIRED.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}, {"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "ReadObjects", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}, {"Sid": "ListBucket", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Across(Reads::SID),
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !requires_unique_sids(cx.policy_type) {
        report_repeated_sids(cx, sink, false);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNIQUE_SIDS_RECOMMENDED";

    #[test]
    fn repeated_sid_where_repeats_are_accepted() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}"#;
        for ty in ["resource", "resource:AWS::S3::Bucket", "session"] {
            let found = findings_of(text, ty, CODE);
            assert_eq!(found.len(), 1, "{ty}");
            assert_eq!(found[0].span.start, text.rfind(r#""Read""#).unwrap());
            assert!(found[0].fixes[0]
                .apply(text)
                .unwrap()
                .contains(r#""Sid": "Read2""#));
        }
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn empty_and_distinct_sids_are_not_repeats() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}, {"Sid": "B", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

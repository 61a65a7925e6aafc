use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{report_repeated_sids, requires_unique_sids};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNIQUE_SIDS_REQUIRED",
        category: Category::Error,
        summary: "Two statements share a Sid in a policy type that requires unique ones.",
        explanation: "IAM rejects a policy in which two statements share a `Sid` (\"Statement \
            IDs (SID) in a single policy must be unique\"): managed and inline identity \
            policies, permissions boundaries and role trust policies. SCPs and RCPs must have \
            unique Sids too, and so must SNS topic and SQS queue policies, whose services address \
            statements by Sid. Other resource policies (S3 buckets, for example) and session \
            policies accept repeats, which get UNIQUE_SIDS_RECOMMENDED instead. The fix renames \
            the repeated Sid, which does not change what the policy allows.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Deny", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}, {"Sid": "Deny", "Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "DenyS3", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}, {"Sid": "DenyIam", "Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}"#,
        example_type: ExampleType::Scp,
        scope: Scope::Across(Reads::SID),
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if requires_unique_sids(cx.policy_type) {
        report_repeated_sids(cx, sink, true);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNIQUE_SIDS_REQUIRED";
    const TEXT: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}, {"Sid": "A2", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}, {"Sid": "A", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#;

    #[test]
    fn repeated_sid_where_the_service_rejects_it() {
        for ty in [
            "identity",
            "boundary",
            "trust",
            "scp",
            "rcp",
            "resource:AWS::SNS::Topic",
        ] {
            let found = findings_of(TEXT, ty, CODE);
            assert_eq!(found.len(), 1, "{ty}");
            assert_eq!(found[0].span.start, TEXT.rfind(r#""A""#).unwrap());
            assert_eq!(found[0].related[0].span.start, TEXT.find(r#""A""#).unwrap());
            // A2 is taken, so the fix picks A3.
            assert!(found[0].fixes[0]
                .apply(TEXT)
                .unwrap()
                .contains(r#""Sid": "A3""#));
        }
        for ty in ["resource", "resource:AWS::S3::Bucket", "session"] {
            assert!(findings_of(TEXT, ty, CODE).is_empty(), "{ty}");
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

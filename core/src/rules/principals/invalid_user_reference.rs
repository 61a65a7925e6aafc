use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::principals::report_unique_ids;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_USER_REFERENCE",
        category: Category::Warning,
        summary: "A principal is an IAM user's unique ID (AIDA...) instead of its ARN.",
        explanation: "When an IAM user named in a policy is deleted, AWS replaces its ARN with             the user's unique ID (`AIDA...`). That ID belongs to the deleted user only: a new             user created with the same name gets a new ID and is not trusted. Replace the ID with             the ARN of the user you mean (`arn:aws:iam::111122223333:user/alice`), or remove it if the access is no longer             needed.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "AIDAEXAMPLEEXAMPLE123"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_unique_ids(cx, sink, "AIDA", "user");
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_USER_REFERENCE";

    #[test]
    fn unique_id_in_principal() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["AROAEXAMPLEEXAMPLE123", "AIDAEXAMPLEEXAMPLE123"]}, "Action": "sts:AssumeRole"}]}"#;
        assert_eq!(spans_of(text, "trust", CODE), ["AIDAEXAMPLEEXAMPLE123"]);
    }

    #[test]
    fn arns_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

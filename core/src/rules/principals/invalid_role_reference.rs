use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::principals::report_unique_ids;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_ROLE_REFERENCE",
        category: Category::Warning,
        summary: "A principal is an IAM role's unique ID (AROA...) instead of its ARN.",
        explanation: "When an IAM role named in a policy is deleted, AWS replaces its ARN with             the role's unique ID (`AROA...`). That ID belongs to the deleted role only: a new             role created with the same name gets a new ID and is not trusted. Replace the ID with             the ARN of the role you mean (`arn:aws:iam::111122223333:role/Deployer`), or remove it if the access is no longer             needed.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "AROAEXAMPLEEXAMPLE123"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Deployer"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_unique_ids(cx, sink, "AROA", "role");
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_ROLE_REFERENCE";

    #[test]
    fn unique_id_in_principal() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["AROAEXAMPLEEXAMPLE123", "AIDAEXAMPLEEXAMPLE123"]}, "Action": "sts:AssumeRole"}]}"#;
        assert_eq!(spans_of(text, "trust", CODE), ["AROAEXAMPLEEXAMPLE123"]);
    }

    #[test]
    fn arns_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Deployer"}, "Action": "sts:AssumeRole"}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

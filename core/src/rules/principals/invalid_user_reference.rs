use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use super::common::{principal_values, unique_id_prefix};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_USER_REFERENCE",
        category: Category::Warning,
        summary: "A principal is an IAM user's unique ID (AIDA...) instead of its ARN.",
        explanation: "When an IAM user named in a policy is deleted, AWS replaces its ARN with             the user's unique ID (`AIDA...`). That ID belongs to the deleted user only: a new             user created with the same name gets a new ID and is not trusted. Replace the ID with             the ARN of the user you mean (`arn:aws:iam::111122223333:user/alice`), or remove it if the access is no longer             needed.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "AIDAEXAMPLEEXAMPLE123"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for pv in principal_values(&cx.policy.statements) {
        if pv.kind.value == "AWS" && unique_id_prefix(pv.item.value) == Some("AIDA") {
            sink.report(
                pv.item.inner_span(),
                format!(
                    "\"{}\" is the unique ID of an IAM user, which usually means the user was deleted; a user recreated with the same name will not match. Use the user's ARN instead.",
                    pv.item.value
                ),
            );
        }
    }
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

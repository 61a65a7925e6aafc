use crate::diagnostic::{Category, Related};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
        category: Category::Error,
        summary: "A condition block names the same key twice, spelled with different case.",
        explanation: "Condition key names are case-insensitive, so `aws:SourceIp` and \
            `aws:sourceip` in one operator block are the same key given twice. IAM rejects \
            this; merge the values into one entry.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24", "aws:sourceip": "198.51.100.0/24"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for statement in &cx.policy.statements {
        for block in &statement.conditions {
            for (i, entry) in block.entries.iter().enumerate() {
                let earlier = block.entries[..i].iter().find(|e| {
                    e.key.value != entry.key.value
                        && e.key.value.eq_ignore_ascii_case(&entry.key.value)
                });
                let Some(earlier) = earlier else { continue };
                let d = sink.report(
                    entry.key.span,
                    format!(
                        "\"{}\" is the same key as \"{}\" (key names ignore case); merge their values into one entry",
                        entry.key.value, earlier.key.value
                    ),
                );
                d.related.push(Related {
                    span: earlier.key.span,
                    message: "first written here".into(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "DUPLICATE_KEYS_WITH_DIFFERENT_CASE";

    #[test]
    fn reports_the_second_spelling() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:PrincipalOrgID": "o-1", "AWS:PrincipalOrgId": "o-2"}}"#,
        );
        assert_eq!(
            spans_of(&text, "identity", CODE),
            vec![r#""AWS:PrincipalOrgId""#]
        );
    }

    #[test]
    fn same_key_in_different_blocks_is_fine() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:PrincipalOrgID": "o-1"}, "StringLike": {"aws:principalorgid": "o-*"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

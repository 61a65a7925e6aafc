use crate::arn::CompiledList;
use crate::diagnostic::Category;
use crate::rules::actions::redundant_action::report_redundant;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "REDUNDANT_RESOURCE",
        category: Category::Suggestion,
        summary: "A resource is already covered by another entry of the same list.",
        explanation: "When a Resource list holds `arn:aws:s3:::amzn-s3-demo-bucket/*` and also \
            `arn:aws:s3:::amzn-s3-demo-bucket/reports/*`, or the same ARN twice, the narrower \
            entry adds nothing. Removing it makes the policy shorter and easier to review. ARNs \
            are compared case-sensitively with IAM's wildcard rules; an entry with a policy \
            variable is only covered by a wildcard or by the same variable in the same place.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket/reports/*"]}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket/reports/*", "arn:aws:s3:::amzn-s3-demo-bucket/logs/*"]}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for statement in &cx.policy.statements {
        for list in [&statement.resource, &statement.not_resource]
            .into_iter()
            .flatten()
        {
            let values: Vec<&str> = list.items.iter().map(|i| i.value).collect();
            report_redundant(cx, sink, list, &values, &CompiledList::arns(&values), false);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_covered_and_duplicate_arns_with_fixes() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/*", "arn:aws:s3:::c", "arn:aws:s3:::c"]}]}"#;
        let found = findings_of(text, "identity", "REDUNDANT_RESOURCE");
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, ["arn:aws:s3:::b/logs/*", "arn:aws:s3:::c"]);
        assert_eq!(found[1].span.start, text.rfind("arn:aws:s3:::c").unwrap());
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(
            fixed.contains(
                r#""Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::c", "arn:aws:s3:::c"]"#
            ),
            "{fixed}"
        );
    }

    #[test]
    fn star_covers_all() {
        let text = r#"{"Statement": [{"Effect": "Deny", "Action": "s3:*", "NotResource": ["*", "arn:aws:s3:::b"]}]}"#;
        assert_eq!(
            spans_of(text, "identity", "REDUNDANT_RESOURCE"),
            ["arn:aws:s3:::b"]
        );
    }

    #[test]
    fn distinct_and_case_different_arns_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::B/*", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/alice/*"]}]}"#;
        assert!(findings_of(text, "identity", "REDUNDANT_RESOURCE").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "JSON_SYNTAX_ERROR",
        category: Category::Error,
        summary: "The policy is not valid JSON.",
        explanation: "IAM rejects a policy that is not valid JSON. iamlint reports each syntax \
            error at its exact position and keeps checking the rest of the document, so one \
            missing comma does not hide the findings in the statements after it.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Document,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for error in &cx.document.errors {
        let found = sink.report(error.span, error.message.clone());
        found.fixes.extend(error.fix.clone());
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn reports_missing_comma_at_its_position() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let found = findings_of(text, "identity", "JSON_SYNTAX_ERROR");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.start, text.find(r#""Action""#).unwrap());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

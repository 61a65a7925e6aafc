use crate::diagnostic::Category;
use crate::policy::OperatorFamily;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::policy::values::{read_date, DateValue};
use crate::rules::support::conditions::value_checks::check_family_values;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "TYPE_MISMATCH_DATE",
        category: Category::Warning,
        summary: "A Date condition value is not a date.",
        explanation: "Date operators compare with dates written in ISO 8601 \
            (`2025-12-31T23:59:59Z`) or as epoch seconds. A value that is not a date never \
            matches.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "end of year"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2025-12-31T23:59:59Z"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    check_family_values(cx, sink, OperatorFamily::Date, |site, value| {
        (read_date(&value.text) == DateValue::NotADate).then(|| {
            format!(
                "\"{}\" is not a date, so {} on \"{}\" never matches; write ISO 8601 such as \"2025-12-31T23:59:59Z\" or epoch seconds",
                value.text,
                site.block.operator_key.value,
                site.key()
            )
        })
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "TYPE_MISMATCH_DATE";

    #[test]
    fn reports_the_value() {
        let text = with_condition(
            r#"{"DateGreaterThan": {"aws:TokenIssueTime": ["2024-01-01", "soon", true]}}"#,
        );
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""soon""#, "true"]);
    }

    #[test]
    fn dates_and_epochs_are_fine_and_dubious_dates_are_another_rule() {
        let text = with_condition(
            r#"{"DateGreaterThan": {"aws:TokenIssueTime": ["2024-01-01T00:00:00Z", 1700000000, "2024-13-01"]}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::policy::OperatorFamily;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::policy::values::{read_date, DateValue};
use crate::rules::support::conditions::value_checks::check_family_values;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_DATE_VALUE",
        category: Category::Warning,
        summary:
            "A date condition value is not a valid ISO 8601 date and may not be read as intended.",
        explanation: "The value looks like a date but is not valid ISO 8601: the month or day \
            is out of range, or the parts are in another order or use other separators \
            (`2024/01/31`, `31-01-2024`, `2023-02-29`). IAM may read it differently from what \
            you meant. Write `YYYY-MM-DD`, optionally with `Thh:mm:ssZ`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2025/12/31"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2025-12-31"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    check_family_values(cx, sink, OperatorFamily::Date, |_, value| {
        (read_date(&value.text) == DateValue::Dubious).then(|| {
            format!(
                "\"{}\" is not a valid ISO 8601 date and may not be read as intended; write YYYY-MM-DD, optionally with Thh:mm:ssZ",
                value.text
            )
        })
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_DATE_VALUE";

    #[test]
    fn reports_the_value() {
        let text = with_condition(
            r#"{"DateLessThanEquals": {"aws:CurrentTime": ["2024-02-30", "2024-02-29"]}}"#,
        );
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""2024-02-30""#]);
    }

    #[test]
    fn leap_day_is_fine() {
        let text = with_condition(
            r#"{"DateLessThanEquals": {"aws:CurrentTime": "2024-02-29T10:00:00+02:00"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

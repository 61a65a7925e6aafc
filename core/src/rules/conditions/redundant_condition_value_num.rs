use crate::diagnostic::{Category, Related};
use crate::policy::BaseOperator;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::policy::values::parse_number;
use crate::rules::support::conditions::walk::{sites, values};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "REDUNDANT_CONDITION_VALUE_NUM",
        category: Category::Suggestion,
        summary: "Several bounds for one numeric comparison where one suffices.",
        explanation: "Values of a key are alternatives: `NumericLessThan` with `[10, 20]` means \
            \"less than 10 or less than 20\", which is just \"less than 20\". Keep the one bound \
            that decides, so the policy says what it does.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThanEquals": {"s3:max-keys": ["10", "100"]}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThanEquals": {"s3:max-keys": "100"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let Some(op) = site.operator() else { continue };
        let keep_largest = match op.base {
            BaseOperator::NumericLessThan | BaseOperator::NumericLessThanEquals => true,
            BaseOperator::NumericGreaterThan | BaseOperator::NumericGreaterThanEquals => false,
            _ => continue,
        };
        let numbers: Vec<_> = values(site.entry)
            .into_iter()
            .filter_map(|v| parse_number(&v.text).map(|n| (v, n)))
            .collect();
        if numbers.len() < 2 {
            continue;
        }
        let decider = numbers
            .iter()
            .enumerate()
            .reduce(|best, cur| {
                let better = if keep_largest {
                    cur.1 .1 > best.1 .1
                } else {
                    cur.1 .1 < best.1 .1
                };
                if better {
                    cur
                } else {
                    best
                }
            })
            .map(|(i, _)| i)
            .unwrap_or(0);
        let (decider_value, _) = &numbers[decider];
        for (i, (value, _)) in numbers.iter().enumerate() {
            if i == decider {
                continue;
            }
            let d = sink.report(
                value.span(),
                format!(
                    "{} with several values matches if any one does, so \"{}\" is redundant next to \"{}\"; keep only \"{}\"",
                    op.base.name(),
                    value.text,
                    decider_value.text,
                    decider_value.text
                ),
            );
            d.related.push(Related {
                span: decider_value.span(),
                message: "this bound decides".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "REDUNDANT_CONDITION_VALUE_NUM";

    #[test]
    fn reports_the_bounds_that_do_not_decide() {
        let text = with_condition(r#"{"NumericGreaterThan": {"s3:max-keys": [5, 1, "3"]}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec!["5", r#""3""#]);
    }

    #[test]
    fn equality_lists_are_fine() {
        let text = with_condition(
            r#"{"NumericEquals": {"s3:max-keys": [5, 1]}, "NumericLessThan": {"s3:max-keys": 9}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::{Category, Fix, TextEdit};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::suggest::did_you_mean;
use crate::syntax::quote::json_string;

use crate::rules::support::conditions::value_checks::check_key_values;
use crate::rules::support::conditions::values::{is_region_name, KNOWN_REGIONS};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_REGION",
        category: Category::Error,
        summary: "A Region condition value is not a Region code.",
        explanation: "`aws:RequestedRegion` and `ec2:Region` hold Region codes such as \
            `eu-west-1`. A value that is not a Region code (a typo, a display name such as \
            `Ireland`, upper case under a case-sensitive operator) never matches: an Allow \
            never grants and a `StringNotEquals` Deny blocks every Region.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central1"]}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

const REGION_KEYS: &[&str] = &["aws:RequestedRegion", "ec2:Region"];

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let mut found = Vec::new();
    check_key_values(cx, sink, REGION_KEYS, is_region_name, |site, value| {
        let suggestion = did_you_mean(&value.text, KNOWN_REGIONS.iter().copied());
        found.push((value.span(), suggestion));
        match suggestion {
            Some(s) => format!(
                "\"{}\" is not a Region code, so \"{}\" never equals it; did you mean \"{s}\"?",
                value.text,
                site.key()
            ),
            None => format!(
                "\"{}\" is not a Region code, so \"{}\" never equals it; use codes such as \"eu-west-1\"",
                value.text,
                site.key()
            ),
        }
    });
    // Attach the did-you-mean fixes; findings were reported in the same order.
    let start = sink.out.len() - found.len();
    for (d, (span, suggestion)) in sink.out[start..].iter_mut().zip(found) {
        if let Some(s) = suggestion {
            d.fixes.push(Fix::review(
                format!("Change to \"{s}\""),
                vec![TextEdit {
                    span,
                    text: json_string(s),
                }],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_REGION";

    #[test]
    fn reports_the_value_with_a_suggestion() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-east1", "Ireland"]}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(&text)).collect();
        assert_eq!(spans, vec![r#""us-east1""#, r#""Ireland""#]);
        assert!(found[0].fixes[0]
            .apply(&text)
            .unwrap()
            .contains(r#"["us-east-1", "us-east-1""#));
        assert!(found[1].fixes.is_empty());
    }

    #[test]
    fn patterns_new_regions_and_ignore_case_are_fine() {
        let text = with_condition(
            r#"{"StringLike": {"aws:RequestedRegion": "eu-*"}, "StringEqualsIgnoreCase": {"ec2:Region": ["EU-WEST-1", "ap-southeast-9"]}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::{Category, Fix};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::suggest::did_you_mean;

use crate::rules::support::structure::replace_with_string;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_EFFECT",
        category: Category::Error,
        summary: "`Effect` is neither \"Allow\" nor \"Deny\".",
        explanation: "`Effect` takes exactly `Allow` or `Deny`, and the value is case-sensitive: \
            `allow` or `DENY` makes IAM reject the policy. A different case or surrounding spaces \
            get a safe fix; a misspelling gets a fix to review.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

const EFFECTS: [&str; 2] = ["Allow", "Deny"];

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        let Some(node) = st.effect.and_then(|m| m.value.as_ref()) else {
            continue;
        };
        let Some(value) = node.as_str() else { continue }; // DATA_TYPE_MISMATCH
        if EFFECTS.contains(&value) {
            continue;
        }
        let d = sink.report(
            node.span,
            format!(
                "\"{value}\" is not a valid Effect. Use \"Allow\" or \"Deny\" (case-sensitive)."
            ),
        );
        if let Some(same) = EFFECTS
            .iter()
            .find(|e| e.eq_ignore_ascii_case(value.trim()))
        {
            d.fixes.push(Fix::safe(
                format!("Change to \"{same}\""),
                vec![replace_with_string(node, same)],
            ));
        } else if let Some(close) = did_you_mean(value, EFFECTS) {
            d.fixes.push(Fix::review(
                format!("Change to \"{close}\""),
                vec![replace_with_string(node, close)],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Safety;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_EFFECT";

    #[test]
    fn case_is_a_safe_fix_and_typo_a_reviewed_one() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:*", "Resource": "*"}, {"Effect": "Dney", "Action": "s3:*", "Resource": "*"}, {"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]}"#;
        let found = findings_of(text, "identity", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, [r#""allow""#, r#""Dney""#, r#""Permit""#]);
        assert_eq!(found[0].fixes[0].safety, Safety::Safe);
        assert!(found[0].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#""Effect": "Allow""#));
        assert_eq!(found[1].fixes[0].safety, Safety::Review);
        assert!(found[1].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#""Effect": "Deny""#));
        assert!(found[2].fixes.is_empty());
    }

    #[test]
    fn valid_effects_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::{Category, Fix, TextEdit};
use crate::policy::{BaseOperator, SetQualifier};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::suggest::did_you_mean;
use crate::syntax::quote::json_string;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_CONDITION_OPERATOR",
        category: Category::Error,
        summary: "The condition operator is not one IAM knows.",
        explanation: "IAM rejects a policy whose Condition uses an operator name it does not \
            define. Operator names are case-sensitive and are built from a base operator \
            (StringEquals, ArnLike, NumericLessThan, ...), an optional `ForAllValues:` or \
            `ForAnyValue:` qualifier and an optional `IfExists` suffix. iamlint suggests the \
            closest valid name.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqual": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

/// Every valid operator name: qualifier x base x IfExists.
pub(crate) fn all_operator_names() -> Vec<String> {
    let mut names = Vec::new();
    for qualifier in [
        None,
        Some(SetQualifier::ForAllValues),
        Some(SetQualifier::ForAnyValue),
    ] {
        for base in BaseOperator::ALL {
            for suffix in ["", "IfExists"] {
                if *base == BaseOperator::Null && (qualifier.is_some() || !suffix.is_empty()) {
                    continue;
                }
                let q = qualifier
                    .map(|q| format!("{}:", q.as_str()))
                    .unwrap_or_default();
                names.push(format!("{q}{}{suffix}", base.name()));
            }
        }
    }
    names
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    // Built only when a policy has an unknown operator: every policy runs this rule.
    let mut names: Option<Vec<String>> = None;
    for statement in &cx.policy.statements {
        for block in &statement.conditions {
            if block.operator.is_some() {
                continue;
            }
            let written = block.operator_key.value.as_str();
            let names = names.get_or_insert_with(all_operator_names);
            let suggestion = did_you_mean(written, names.iter().map(String::as_str));
            let message = match suggestion {
                Some(s) => format!(
                    "\"{written}\" is not a condition operator (names are case-sensitive); did you mean \"{s}\"?"
                ),
                None => format!(
                    "\"{written}\" is not a condition operator; use one such as StringEquals, \
                     StringLike, ArnLike, NumericLessThan, DateGreaterThan, Bool, IpAddress or Null"
                ),
            };
            let d = sink.report(block.operator_span(), message);
            if let Some(s) = suggestion {
                d.fixes.push(Fix::safe(
                    format!("Change to \"{s}\""),
                    vec![TextEdit {
                        span: block.operator_span(),
                        text: json_string(s),
                    }],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_CONDITION_OPERATOR";

    #[test]
    fn typos_get_the_right_suggestion() {
        for (typo, right) in [
            ("StringEqual", "StringEquals"),
            ("stringequals", "StringEquals"),
            ("ForAllValue:StringLike", "ForAllValues:StringLike"),
            ("StringLikeIfExist", "StringLikeIfExists"),
        ] {
            let text = with_condition(&format!(
                r#"{{"{typo}": {{"aws:SourceVpc": "vpc-1a2b3c4d"}}}}"#
            ));
            let found = findings_of(&text, "identity", CODE);
            assert_eq!(found.len(), 1, "{typo}");
            assert_eq!(found[0].span.slice(&text), format!("\"{typo}\""));
            let fixed = found[0].fixes[0].apply(&text).unwrap();
            assert!(fixed.contains(&format!("\"{right}\"")), "{typo} -> {fixed}");
            assert!(findings_of(&fixed, "identity", CODE).is_empty());
        }
    }

    #[test]
    fn no_suggestion_for_nonsense_and_quiet_for_valid_names() {
        let text = with_condition(r#"{"Frobnicate": {"aws:SourceVpc": "vpc-1a2b3c4d"}}"#);
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert!(found[0].fixes.is_empty());
        let ok = with_condition(
            r#"{"ForAnyValue:StringNotLikeIfExists": {"aws:TagKeys": "x*"}, "NullIfExists": {"aws:TagKeys": "true"}}"#,
        );
        assert!(findings_of(&ok, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::{Category, Fix, TextEdit};
use crate::policy::{BaseOperator, OperatorFamily};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;

use crate::rules::support::conditions::walk::{sites, values};
use crate::wildcard::has_wildcard;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "WILDCARD_WITHOUT_LIKE_OPERATOR",
        category: Category::Warning,
        summary: "A value has `*` or `?` but the operator compares literally.",
        explanation: "Only StringLike/StringNotLike (and the ARN operators) treat `*` and `?` as \
            wildcards. Under StringEquals the value `team-*` matches only the literal text \
            `team-*`. Use StringLike if you meant a pattern; if the characters are literal, \
            write them as `${*}` and `${?}` under StringLike.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "platform-*"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalTag/team": "platform-*"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn like_form(base: BaseOperator) -> Option<BaseOperator> {
    match base {
        BaseOperator::StringEquals => Some(BaseOperator::StringLike),
        BaseOperator::StringNotEquals => Some(BaseOperator::StringNotLike),
        _ => None,
    }
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let Some(op) = site.operator() else { continue };
        if op.family() != OperatorFamily::String || op.base.supports_wildcards() {
            continue;
        }
        for value in values(site.entry) {
            if !value.is_string() || !has_wildcard(&value.text) {
                continue;
            }
            let like = like_form(op.base).map(|base| {
                let mut o = op;
                o.base = base;
                o.name()
            });
            let advice = match &like {
                Some(name) => format!("use {name} if you meant a pattern"),
                None => "use StringLike if you meant a pattern".to_string(),
            };
            let d = sink.report(
                value.span(),
                format!(
                    "{} compares \"{}\" literally, so `*` and `?` are not wildcards here; {advice}",
                    site.block.operator_key.value, value.text
                ),
            );
            if let Some(name) = like {
                d.fixes.push(Fix::review(
                    format!("Change the operator to {name} (applies to every key in the block)"),
                    vec![TextEdit {
                        span: site.block.operator_span(),
                        text: json_string(&name),
                    }],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Safety;
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "WILDCARD_WITHOUT_LIKE_OPERATOR";

    #[test]
    fn reports_the_value_with_a_review_fix() {
        let text = with_condition(
            r#"{"ForAnyValue:StringNotEqualsIfExists": {"aws:TagKeys": ["env", "team?"]}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(&text), r#""team?""#);
        assert_eq!(found[0].fixes[0].safety, Safety::Review);
        let fixed = found[0].fixes[0].apply(&text).unwrap();
        assert!(fixed.contains(r#""ForAnyValue:StringNotLikeIfExists""#));
        assert!(findings_of(&fixed, "identity", CODE).is_empty());
    }

    #[test]
    fn like_operators_arn_operators_and_escapes_are_fine() {
        let text = with_condition(
            r#"{"StringLike": {"aws:userid": "AIDA*"}, "ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:111122223333:t"}, "StringEquals": {"aws:userid": "a${*}b"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::{Category, Fix, TextEdit};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::variables::scan::VariableKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_QUOTE_IN_VARIABLE",
        category: Category::Error,
        summary: "A policy variable's default value is not in single quotes.",
        explanation: "A default value for a variable goes after a comma, in single quotes: \
            `${aws:PrincipalTag/team, 'none'}`. Without both quotes IAM cannot read it.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:PrincipalTag/team, none}/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'none'}/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for occ in cx.variable_occurrences() {
        if occ.variable.kind != VariableKind::MissingQuote {
            continue;
        }
        let written = occ.written();
        let span = occ.span(cx.text);
        let inner = written
            .strip_prefix("${")
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or("");
        let (key, default) = inner.split_once(',').unwrap_or((inner, ""));
        let default = default.trim();
        let fixed = (!default.contains('\'') && occ.is_verbatim(cx.text))
            .then(|| format!("${{{key}, '{default}'}}"));
        let d = sink.report(
            span,
            format!(
                "The default value in \"{written}\" must be in single quotes, e.g. ${{{key}, 'value'}}"
            ),
        );
        if let Some(fixed) = fixed {
            d.fixes.push(Fix::safe(
                format!("Change to \"{fixed}\""),
                vec![TextEdit { span, text: fixed }],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use crate::rules::variables::tests::policy;

    const CODE: &str = "MISSING_QUOTE_IN_VARIABLE";

    #[test]
    fn reports_the_variable_with_a_fix() {
        let text = policy(
            "arn:aws:s3:::b/${aws:username,guest}",
            r#"{"StringLike": {"s3:prefix": "${aws:username, 'guest}"}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(&text)).collect();
        assert_eq!(
            spans,
            vec!["${aws:username,guest}", "${aws:username, 'guest}"]
        );
        let fixed = found[0].fixes[0].apply(&text).unwrap();
        assert!(fixed.contains("b/${aws:username, 'guest'}"), "{fixed}");
        assert!(found[1].fixes.is_empty());
    }

    #[test]
    fn quoted_default_is_fine() {
        let text = policy("arn:aws:s3:::b/${aws:username,'guest'}", "{}");
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

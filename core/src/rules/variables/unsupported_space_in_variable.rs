use crate::diagnostic::{Category, Fix, TextEdit};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::variables::scan::VariableKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_SPACE_IN_VARIABLE",
        category: Category::Error,
        summary: "A policy variable's key contains whitespace.",
        explanation: "The key inside `${...}` may not contain spaces: `${ aws:username }` is \
            rejected. Only the default value, after the comma, may be preceded by a space \
            (`${aws:username, 'guest'}`).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${ aws:username }/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:username}/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

/// The variable with whitespace removed from its key part (`${ aws:username , 'x'}` ->
/// `${aws:username, 'x'}`).
fn without_key_spaces(written: &str) -> String {
    let inner = written
        .strip_prefix("${")
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(written);
    let (key, rest) = match inner.split_once(',') {
        Some((k, d)) => (k, Some(d)),
        None => (inner, None),
    };
    let key: String = key.chars().filter(|c| !c.is_whitespace()).collect();
    match rest {
        Some(d) => format!("${{{key},{d}}}"),
        None => format!("${{{key}}}"),
    }
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for occ in cx.variable_occurrences() {
        if occ.variable.kind != VariableKind::Space {
            continue;
        }
        let written = occ.written();
        let fixed = without_key_spaces(written);
        let span = occ.span(cx.text);
        let verbatim = occ.is_verbatim(cx.text);
        let d = sink.report(
            span,
            format!(
                "\"{written}\" has whitespace in its key, which IAM rejects; write \"{fixed}\""
            ),
        );
        if verbatim {
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

    const CODE: &str = "UNSUPPORTED_SPACE_IN_VARIABLE";

    #[test]
    fn reports_the_variable_with_a_fix() {
        let text = policy(
            "arn:aws:s3:::b/${aws:user name}",
            r#"{"StringLike": {"s3:prefix": "${ aws:username , 'x'}/*"}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(&text)).collect();
        assert_eq!(spans, vec!["${aws:user name}", "${ aws:username , 'x'}"]);
        let fixed = found[1].fixes[0].apply(&text).unwrap();
        assert!(fixed.contains("${aws:username, 'x'}/*"), "{fixed}");
    }

    #[test]
    fn space_before_the_default_is_fine() {
        let text = policy("arn:aws:s3:::b/${aws:username, 'guest'}", "{}");
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

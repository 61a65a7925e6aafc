use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::variables::scan::VariableKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VARIABLE_UNSUPPORTED_IN_VERSION",
        category: Category::Error,
        summary: "Policy variables need `\"Version\": \"2012-10-17\"`.",
        explanation: "IAM replaces policy variables only under the 2012-10-17 policy language. \
            With `\"Version\": \"2008-10-17\"` or no Version, `${aws:username}` is taken as \
            literal text, so the resource or condition silently matches nothing. Set \
            `\"Version\": \"2012-10-17\"`.",
        bad_example: r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:username}/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:username}/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if cx.policy.supports_variables() {
        return;
    }
    let version = match cx.policy.version_value() {
        Some(v) => format!("\"Version\": \"{v}\""),
        None => "no Version".to_string(),
    };
    for occ in cx.variable_occurrences() {
        if !occ.element.allows_variables()
            || !matches!(
                occ.variable.kind,
                VariableKind::Key { .. } | VariableKind::Escape(_)
            )
        {
            continue;
        }
        sink.report(
            occ.span(cx.text),
            format!(
                "With {version}, \"{}\" is taken literally instead of being replaced; set \"Version\": \"2012-10-17\"",
                occ.written()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "VARIABLE_UNSUPPORTED_IN_VERSION";

    #[test]
    fn reports_each_variable_under_the_old_version() {
        let text = r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b", "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*", "${*}"]}}}]}"#;
        assert_eq!(
            spans_of(text, "identity", CODE),
            vec!["${aws:username}", "${*}"]
        );
    }

    #[test]
    fn current_version_or_no_variables_is_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b/${aws:username}"}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b/home"}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

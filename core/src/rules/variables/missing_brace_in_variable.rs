use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::variables::scan::VariableKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_BRACE_IN_VARIABLE",
        category: Category::Error,
        summary: "A policy variable has no closing brace.",
        explanation: "A policy variable is written `${key}`. Without the closing `}` IAM cannot read the variable and rejects the policy. Add the brace.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:username/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:username}/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for occ in cx.variable_occurrences() {
        if occ.variable.kind != VariableKind::MissingBrace {
            continue;
        }
        let written = occ.written().to_string();
        sink.report(occ.span(cx.text), format!("The variable \"{written}\" has no closing brace; write it as ${{key}}, e.g. ${{aws:username}}", written = written));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use crate::rules::variables::tests::policy;

    const CODE: &str = "MISSING_BRACE_IN_VARIABLE";

    #[test]
    fn reports_the_variable() {
        let text = policy(
            "arn:aws:s3:::bucket/${aws:username/*",
            r#"{"StringLike": {"s3:prefix": "arn:aws:s3:::bucket/${aws:username/*"}}"#,
        );
        assert_eq!(
            spans_of(&text, "identity", CODE),
            vec!["${aws:username/*", "${aws:username/*"]
        );
    }

    #[test]
    fn well_formed_variable_is_fine() {
        let text = policy(
            "arn:aws:s3:::bucket/${aws:username}/*",
            r#"{"StringLike": {"s3:prefix": "arn:aws:s3:::bucket/${aws:username}/*"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

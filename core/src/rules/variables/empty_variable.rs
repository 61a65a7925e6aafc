use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::variables::scan::VariableKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_VARIABLE",
        category: Category::Error,
        summary: "A policy variable is empty.",
        explanation: "`${}` names no key, so IAM cannot replace it. Put the key inside, e.g. `${aws:username}`, or remove it; for a literal `$` write `${$}`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${}/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:userid}/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for occ in cx.variable_occurrences() {
        if occ.variable.kind != VariableKind::Empty {
            continue;
        }
        let written = occ.written().to_string();
        sink.report(
            occ.span(cx.text),
            format!(
                "\"{written}\" names no key; put one inside, e.g. ${{aws:username}}, or remove it",
                written = written
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use crate::rules::variables::tests::policy;

    const CODE: &str = "EMPTY_VARIABLE";

    #[test]
    fn reports_the_variable() {
        let text = policy(
            "arn:aws:s3:::bucket/${}/*",
            r#"{"StringLike": {"s3:prefix": "arn:aws:s3:::bucket/${}/*"}}"#,
        );
        assert_eq!(spans_of(&text, "identity", CODE), vec!["${}", "${}"]);
    }

    #[test]
    fn well_formed_variable_is_fine() {
        let text = policy(
            "arn:aws:s3:::bucket/${aws:userid}/*",
            r#"{"StringLike": {"s3:prefix": "arn:aws:s3:::bucket/${aws:userid}/*"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

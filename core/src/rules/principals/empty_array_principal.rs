use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::NodeKind;

use crate::rules::support::principals::principals;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_ARRAY_PRINCIPAL",
        category: Category::Suggestion,
        summary: "A principal type maps to an empty array.",
        explanation: "`{\"AWS\": []}` names no principal, so that entry matches nobody. List the \
            principals it should cover, or delete the entry.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": [], "Service": "lambda.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        for (_, p) in principals(st) {
            for entry in &p.entries {
                let Some(value) = entry.values.value() else {
                    continue;
                };
                if matches!(&value.kind, NodeKind::Array(items) if items.is_empty()) {
                    sink.report(
                        value.span,
                        format!(
                            "`{}` lists no principals, so this entry matches nobody. Add the principals or remove the entry.",
                            entry.kind.value
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "EMPTY_ARRAY_PRINCIPAL";

    #[test]
    fn empty_principal_list() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": [ ]}, "Action": "s3:*", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "resource", CODE), ["[ ]"]);
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": ["111122223333"]}, "Action": "s3:*", "Resource": "*"}]}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::NodeKind;

use crate::rules::support::principals::principals;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_OBJECT_PRINCIPAL",
        category: Category::Suggestion,
        summary: "`Principal` is an empty object.",
        explanation: "`\"Principal\": {}` names no one, so the statement never applies. Name the \
            principals (`{\"AWS\": \"arn:aws:iam::111122223333:root\"}`) or delete the statement.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        for (negated, p) in principals(st) {
            let Some(value) = &p.member.value else {
                continue;
            };
            if matches!(&value.kind, NodeKind::Object(m) if m.is_empty()) {
                let element = if negated { "NotPrincipal" } else { "Principal" };
                sink.report(
                    value.span,
                    format!("`{element}` is empty and names no one. Add the principals, or delete the {}.", st.label()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "EMPTY_OBJECT_PRINCIPAL";

    #[test]
    fn empty_principal_object() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": { }, "Action": "s3:*", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "resource", CODE), ["{ }"]);
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

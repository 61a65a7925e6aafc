use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::NodeKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_OBJECT_CONDITION",
        category: Category::Suggestion,
        summary: "A Condition element or operator block is an empty object.",
        explanation: "`\"Condition\": {}` or an operator with no keys (`\"StringEquals\": {}`) \
            adds no condition at all, so the statement applies unconditionally. Add the \
            condition you meant, or remove the empty object.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn is_empty_object(kind: &NodeKind) -> bool {
    matches!(kind, NodeKind::Object(members) if members.is_empty())
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for statement in &cx.policy.statements {
        let Some(condition) = statement.condition else {
            continue;
        };
        let Some(value) = &condition.value else {
            continue;
        };
        if is_empty_object(&value.kind) {
            sink.report(
                value.span,
                "The Condition element is empty, so it adds no condition; add one or remove the element",
            );
            continue;
        }
        for block in &statement.conditions {
            if let Some(v) = block
                .member
                .value
                .as_ref()
                .filter(|v| is_empty_object(&v.kind))
            {
                sink.report(
                    v.span,
                    format!(
                        "The {} block has no condition keys, so it adds no condition; add a key or remove the block",
                        block.operator_key.value
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "EMPTY_OBJECT_CONDITION";

    #[test]
    fn reports_empty_condition_and_empty_block() {
        let text = with_condition("{ }");
        assert_eq!(spans_of(&text, "identity", CODE), vec!["{ }"]);
        let text = with_condition(r#"{"Bool": {"aws:SecureTransport": "true"}, "StringLike": {}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec!["{}"]);
    }

    #[test]
    fn a_block_with_keys_is_fine() {
        let text = with_condition(r#"{"Bool": {"aws:SecureTransport": "true"}}"#);
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

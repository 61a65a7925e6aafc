use crate::diagnostic::Category;
use crate::policy::POLICY_ELEMENTS;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::NodeKind;

use crate::rules::support::structure::{document_anchor, has_element, root_members};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_STATEMENT",
        category: Category::Error,
        summary: "The policy has no statements.",
        explanation: "A policy must have a `Statement` element with at least one statement; a \
            policy without one grants and denies nothing and IAM rejects it. Add a `Statement` \
            array holding objects with `Effect`, `Action` and `Resource`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": []}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Document,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(root) = cx.policy.root else { return };
    if root.as_object().is_none() {
        return;
    }
    match cx.policy.statement_member.and_then(|m| m.value.as_ref()) {
        Some(value) => {
            if matches!(&value.kind, NodeKind::Array(items) if items.is_empty()) {
                sink.report(
                    value.span,
                    "`Statement` is empty. Add at least one statement with `Effect`, `Action` and `Resource`.",
                );
            }
        }
        None => {
            if cx.policy.statement_member.is_none()
                && !has_element(root_members(cx), &["Statement"], POLICY_ELEMENTS)
            {
                sink.report(
                    document_anchor(cx),
                    "The policy has no `Statement` element. Add \"Statement\": [ ... ] with at least one statement.",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_STATEMENT";

    #[test]
    fn missing_and_empty() {
        let text = r#"{"Version": "2012-10-17"}"#;
        assert_eq!(spans_of(text, "identity", CODE), ["{"]);
        let text = r#"{"Version": "2012-10-17", "Statement": [ ]}"#;
        assert_eq!(spans_of(text, "identity", CODE), ["[ ]"]);
    }

    #[test]
    fn single_statement_object_counts() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
        let text = r#"{"Version": "2012-10-17", "statement": []}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{report_empty_arrays, ElementWords};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_ARRAY_RESOURCE",
        category: Category::Suggestion,
        summary: "`Resource` or `NotResource` is an empty array.",
        explanation: "An empty `Resource` list matches no resources, so the statement has no effect             at all; an empty `NotResource` list excludes nothing, so it matches every resource, which             is rarely what the author meant. List the resources the statement is about, or delete the             statement.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": []}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::my-bucket/*"]}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_empty_arrays(
        cx,
        sink,
        &ElementWords {
            element: "Resource",
            not_element: "NotResource",
            singular: "resource",
            plural: "resources",
            example: "\"arn:aws:s3:::my-bucket/*\"",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "EMPTY_ARRAY_RESOURCE";

    #[test]
    fn empty_lists_are_reported() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [], "Resource": []}, {"Effect": "Deny", "NotAction": [ ], "NotResource": [ ]}]}"#;
        assert_eq!(spans_of(text, "identity", CODE), ["[]", "[ ]"]);
    }

    #[test]
    fn non_empty_lists_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

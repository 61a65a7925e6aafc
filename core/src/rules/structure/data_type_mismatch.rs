use crate::diagnostic::{Category, Fix};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;
use crate::syntax::{Member, Node, NodeKind};

use crate::rules::support::structure::{is_broken, members, root_members};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DATA_TYPE_MISMATCH",
        category: Category::Error,
        summary: "A policy element has the wrong JSON type.",
        explanation: "Every element of a policy expects one JSON shape: `Version`, `Id`, `Sid` and \
            `Effect` are strings; `Action`, `NotAction`, `Resource` and `NotResource` are a string \
            or an array of strings; `Statement` is an object or an array of objects; `Principal` is \
            `\"*\"` or an object whose values are strings or arrays of strings; `Condition` is an \
            object of operator blocks, each an object of condition keys whose values are strings, \
            numbers, booleans or arrays of those. IAM rejects a policy with any other shape. The \
            finding points at the value with the wrong type.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", 42], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Split,
    },
    check,
};

/// The JSON shapes an element accepts.
#[derive(Clone, Copy)]
enum Shape {
    String,
    StringOrStringArray,
    StatementList,
    Principal,
    Condition,
}

fn shape_of_policy_element(key: &str) -> Option<Shape> {
    match key {
        "Version" | "Id" => Some(Shape::String),
        "Statement" => Some(Shape::StatementList),
        _ => None,
    }
}

fn shape_of_statement_element(key: &str) -> Option<Shape> {
    match key {
        "Sid" | "Effect" => Some(Shape::String),
        "Action" | "NotAction" | "Resource" | "NotResource" => Some(Shape::StringOrStringArray),
        "Principal" | "NotPrincipal" => Some(Shape::Principal),
        "Condition" => Some(Shape::Condition),
        _ => None,
    }
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(root) = cx.policy.root else { return };
    if !matches!(root.kind, NodeKind::Object(_)) {
        if !is_broken(root) {
            sink.report(
                root.span,
                format!(
                    "A policy must be a JSON object with `Version` and `Statement`, found {}.",
                    root.type_name()
                ),
            );
        }
        return;
    }
    for member in root_members(cx) {
        if let Some(shape) = shape_of_policy_element(&member.key.value) {
            check_member(member, shape, sink);
        }
    }
}

fn check_member(member: &Member, shape: Shape, sink: &mut Sink<'_>) {
    let Some(value) = &member.value else { return };
    if is_broken(value) {
        return;
    }
    let name = member.key.value.as_str();
    match shape {
        Shape::String => {
            if value.as_str().is_none() {
                let d = sink.report(
                    value.span,
                    format!("`{name}` must be a string, found {}.", value.type_name()),
                );
                // A numeric Sid or Id only needs quotes; the meaning is unchanged.
                if let (NodeKind::Number(n), "Sid" | "Id") = (&value.kind, name) {
                    d.fixes.push(Fix::safe(
                        format!("Quote the {name}"),
                        vec![crate::diagnostic::TextEdit {
                            span: value.span,
                            text: json_string(n),
                        }],
                    ));
                }
            }
        }
        Shape::StringOrStringArray => string_list(name, value, sink),
        Shape::StatementList => match &value.kind {
            NodeKind::Object(_) => statement(value, sink),
            NodeKind::Array(items) => {
                for item in items {
                    if matches!(item.kind, NodeKind::Object(_)) {
                        statement(item, sink);
                    } else if !is_broken(item) {
                        sink.report(
                            item.span,
                            format!(
                                "Each entry of `Statement` must be an object, found {}.",
                                item.type_name()
                            ),
                        );
                    }
                }
            }
            _ => {
                sink.report(
                    value.span,
                    format!(
                        "`Statement` must be an object or an array of objects, found {}.",
                        value.type_name()
                    ),
                );
            }
        },
        Shape::Principal => match &value.kind {
            NodeKind::String(_) => {} // "*" or a malformed string: INVALID_PRINCIPAL_FORMAT
            NodeKind::Object(entries) => {
                for entry in entries {
                    if let Some(v) = &entry.value {
                        if !is_broken(v) {
                            string_list(&format!("{name}.{}", entry.key.value), v, sink);
                        }
                    }
                }
            }
            _ => {
                sink.report(
                    value.span,
                    format!(
                        "`{name}` must be \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}, found {}.",
                        value.type_name()
                    ),
                );
            }
        },
        Shape::Condition => condition(value, sink),
    }
}

fn statement(node: &Node, sink: &mut Sink<'_>) {
    for member in members(node) {
        if let Some(shape) = shape_of_statement_element(&member.key.value) {
            check_member(member, shape, sink);
        }
    }
}

fn string_list(name: &str, value: &Node, sink: &mut Sink<'_>) {
    let (_, others) = value.string_items();
    for other in others {
        if is_broken(other) {
            continue;
        }
        let what = if std::ptr::eq(other, value) {
            "a string or an array of strings"
        } else {
            "strings only"
        };
        sink.report(
            other.span,
            format!(
                "`{name}` takes {what}; found {}. Quote the value or remove it.",
                other.type_name()
            ),
        );
    }
}

fn condition(value: &Node, sink: &mut Sink<'_>) {
    let NodeKind::Object(blocks) = &value.kind else {
        sink.report(
            value.span,
            format!(
                "`Condition` must be an object such as {{\"StringEquals\": {{\"aws:PrincipalOrgID\": \"o-abc123\"}}}}, found {}.",
                value.type_name()
            ),
        );
        return;
    };
    for block in blocks {
        let Some(block_value) = &block.value else {
            continue;
        };
        if is_broken(block_value) {
            continue;
        }
        let NodeKind::Object(entries) = &block_value.kind else {
            sink.report(
                block_value.span,
                format!(
                    "The condition operator `{}` must map to an object of condition keys and values, found {}.",
                    block.key.value,
                    block_value.type_name()
                ),
            );
            continue;
        };
        for entry in entries {
            let Some(v) = &entry.value else { continue };
            let items: Vec<&Node> = match &v.kind {
                NodeKind::Array(items) => items.iter().collect(),
                _ => vec![v],
            };
            for item in items {
                if matches!(
                    item.kind,
                    NodeKind::Object(_) | NodeKind::Array(_) | NodeKind::Null
                ) {
                    sink.report(
                        item.span,
                        format!(
                            "Values of the condition key `{}` must be strings, numbers or booleans (or an array of them), found {}.",
                            entry.key.value,
                            item.type_name()
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

    const CODE: &str = "DATA_TYPE_MISMATCH";

    #[test]
    fn points_at_each_value_of_the_wrong_type() {
        let text = r#"{"Version": 2012, "Statement": [{"Sid": 1, "Effect": true, "Action": ["s3:GetObject", 42], "Resource": {"a": 1}, "Principal": ["*"], "Condition": {"StringEquals": "x", "Bool": {"aws:SecureTransport": [null]}}}, "oops"]}"#;
        assert_eq!(
            spans_of(text, "resource", CODE),
            [
                "2012",
                "1",
                "true",
                "42",
                r#"{"a": 1}"#,
                r#"["*"]"#,
                r#""x""#,
                "null",
                r#""oops""#
            ]
        );
    }

    #[test]
    fn numeric_sid_gets_a_quoting_fix() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": 7, "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""Sid": "7""#));
    }

    #[test]
    fn statement_must_be_object_or_array() {
        let text = r#"{"Version": "2012-10-17", "Statement": "Allow everything"}"#;
        assert_eq!(spans_of(text, "identity", CODE), [r#""Allow everything""#]);
        let text = r#"["not", "a", "policy"]"#;
        assert_eq!(spans_of(text, "identity", CODE), [text]);
    }

    #[test]
    fn accepts_well_typed_policies() {
        let text = r#"{"Version": "2012-10-17", "Id": "x", "Statement": {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": "s3:GetObject", "Resource": ["*"], "Condition": {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": true}}}}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

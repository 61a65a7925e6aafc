//! Walking the condition entries of a policy, and reading their values as IAM does (strings,
//! numbers and booleans are all compared as text).

use crate::diagnostic::{Fix, Safety, TextEdit};
use crate::policy::{ConditionBlock, ConditionEntry, ConditionOperator, Policy, Statement};
use crate::rules::{Context, Sink};
use crate::span::Span;
use crate::syntax::quote::json_string;
use crate::syntax::{Node, NodeKind};

/// One condition key in its operator block and statement.
pub struct Site<'p, 'a> {
    pub statement: &'p Statement<'a>,
    pub block: &'p ConditionBlock<'a>,
    pub entry: &'p ConditionEntry<'a>,
}

impl Site<'_, '_> {
    /// The parsed operator, when the name is valid.
    pub fn operator(&self) -> Option<ConditionOperator> {
        self.block.operator
    }
    pub fn key(&self) -> &str {
        &self.entry.key.value
    }
    pub fn key_span(&self) -> Span {
        self.entry.key.span
    }
}

/// Every condition key of every statement, in source order.
pub fn sites<'p, 'a>(policy: &'p Policy<'a>) -> impl Iterator<Item = Site<'p, 'a>> + 'p {
    policy.statements.iter().flat_map(|statement| {
        statement.conditions.iter().flat_map(move |block| {
            block.entries.iter().map(move |entry| Site {
                statement,
                block,
                entry,
            })
        })
    })
}

/// A scalar condition value read as text.
pub struct Value<'a> {
    pub text: String,
    pub node: &'a Node,
}

impl Value<'_> {
    pub fn span(&self) -> Span {
        self.node.span
    }
    pub fn is_string(&self) -> bool {
        matches!(self.node.kind, NodeKind::String(_))
    }
    /// True when the value holds a policy variable (`${...}`), whose value is only known at
    /// request time.
    pub fn has_variable(&self) -> bool {
        self.is_string() && crate::arn::has_variable(&self.text)
    }
}

/// The scalar values of an entry (strings, numbers, booleans) in source order; nested arrays,
/// objects and null are left to the structure rules.
pub fn values<'a>(entry: &ConditionEntry<'a>) -> Vec<Value<'a>> {
    let nodes: Vec<&'a Node> = match entry.member.value.as_ref() {
        Some(Node {
            kind: NodeKind::Array(items),
            ..
        }) => items.iter().collect(),
        Some(node) => vec![node],
        None => Vec::new(),
    };
    nodes
        .into_iter()
        .filter_map(|node| {
            let text = match &node.kind {
                NodeKind::String(s) => s.as_str().to_owned(),
                NodeKind::Number(n) => n.clone(),
                NodeKind::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some(Value { text, node })
        })
        .collect()
}

/// Report every condition operator that `correct` rewrites, at the operator, with a fix of
/// `safety` writing the corrected name in place. `correct` gets the block and its parsed
/// operator and gives the corrected operator's name and the message.
pub fn report_operator_corrections(
    cx: &Context<'_>,
    sink: &mut Sink<'_>,
    safety: Safety,
    correct: impl Fn(&ConditionBlock<'_>, ConditionOperator) -> Option<(String, String)>,
) {
    for statement in &cx.policy.statements {
        for block in &statement.conditions {
            let Some(op) = block.operator else { continue };
            let Some((name, message)) = correct(block, op) else {
                continue;
            };
            sink.report(block.operator_span(), message).fixes.push(Fix {
                title: format!("Change to \"{name}\""),
                safety,
                edits: vec![TextEdit {
                    span: block.operator_span(),
                    text: json_string(&name),
                }],
            });
        }
    }
}

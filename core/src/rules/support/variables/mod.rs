//! Policy variables (`${aws:username}` ...) as the variable rules see them: [`scan`] finds them
//! in a string; [`occurrences`] finds them in a policy, with the element each one sits in.

use crate::policy::{OperatorFamily, Policy};
use crate::span::Span;
use crate::syntax::{self, Node};

pub mod scan;

/// The policy element a string sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Element {
    Action,
    NotAction,
    Principal,
    NotPrincipal,
    Resource,
    NotResource,
    /// A condition value; the operator family when the operator name is valid.
    ConditionValue(Option<OperatorFamily>),
}

impl Element {
    pub fn name(self) -> &'static str {
        match self {
            Element::Action => "Action",
            Element::NotAction => "NotAction",
            Element::Principal => "Principal",
            Element::NotPrincipal => "NotPrincipal",
            Element::Resource => "Resource",
            Element::NotResource => "NotResource",
            Element::ConditionValue(_) => "Condition",
        }
    }

    /// True where IAM expands variables: Resource, NotResource and condition values.
    pub fn allows_variables(self) -> bool {
        matches!(
            self,
            Element::Resource | Element::NotResource | Element::ConditionValue(_)
        )
    }
}

/// A variable found in a policy string.
pub struct Occurrence<'a> {
    pub element: Element,
    pub node: &'a Node,
    pub value: &'a str,
    pub variable: scan::Variable<'a>,
}

impl Occurrence<'_> {
    /// The source span of the decoded byte range `start..end`.
    pub fn span_of(&self, text: &str, start: usize, end: usize) -> Span {
        Span::new(
            syntax::string_offset(text, self.node, start),
            syntax::string_offset(text, self.node, end),
        )
    }

    /// The source span of the whole variable.
    pub fn span(&self, text: &str) -> Span {
        self.span_of(text, self.variable.start, self.variable.end)
    }

    /// The variable's text as written.
    pub fn written(&self) -> &str {
        self.value
            .get(self.variable.start..self.variable.end)
            .unwrap_or("")
    }

    /// True when the source text of the variable is exactly its decoded text (no JSON escapes),
    /// so an edit can rewrite it safely.
    pub fn is_verbatim(&self, text: &str) -> bool {
        self.span(text).slice(text) == self.written()
    }
}

/// Every variable in the string values of Action, NotAction, Principal, NotPrincipal, Resource,
/// NotResource and condition values, in statement order.
pub fn occurrences<'a>(policy: &Policy<'a>) -> Vec<Occurrence<'a>> {
    let mut out = Vec::new();
    let mut push = |element: Element, value: &'a str, node: &'a Node| {
        for variable in scan::scan(value) {
            out.push(Occurrence {
                element,
                node,
                value,
                variable,
            });
        }
    };
    for st in &policy.statements {
        let lists = [
            (Element::Action, &st.action),
            (Element::NotAction, &st.not_action),
            (Element::Resource, &st.resource),
            (Element::NotResource, &st.not_resource),
        ];
        for (element, list) in lists {
            for item in list.iter().flat_map(|l| l.items.iter()) {
                push(element, item.value, item.node);
            }
        }
        for (element, principal) in [
            (Element::Principal, &st.principal),
            (Element::NotPrincipal, &st.not_principal),
        ] {
            for entry in principal.iter().flat_map(|p| p.entries.iter()) {
                for item in &entry.values.items {
                    push(element, item.value, item.node);
                }
            }
        }
        for block in &st.conditions {
            let family = block.operator.map(|op| op.family());
            for entry in &block.entries {
                for item in &entry.values {
                    push(Element::ConditionValue(family), item.value, item.node);
                }
            }
        }
    }
    out
}

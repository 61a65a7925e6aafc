//! A typed, borrowed view over the syntax tree: the policy elements in the words of the IAM
//! documentation, each with its span. String-or-array values are normalised here. The view never
//! rejects anything: elements with the wrong JSON type are kept (as the raw node) so rules can
//! report them with a position.

mod condition;
mod policy_type;
pub mod values;

pub use condition::{
    BaseOperator, ConditionBlock, ConditionEntry, ConditionOperator, OperatorFamily, SetQualifier,
};
pub use policy_type::PolicyType;

use crate::span::Span;
use crate::syntax::{Key, Member, Node, NodeKind};

/// The element names IAM allows at the top of a policy.
pub const POLICY_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
/// The element names IAM allows in a statement.
pub const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// The two legal values of `Version`.
pub const VERSION_2012: &str = "2012-10-17";
pub const VERSION_2008: &str = "2008-10-17";

/// One string in an element that takes a string or a list of strings (Action, Resource, a
/// principal list, condition values).
#[derive(Clone, Copy, Debug)]
pub struct StringItem<'a> {
    pub value: &'a str,
    pub node: &'a Node,
}

impl<'a> StringItem<'a> {
    /// The span with quotes.
    pub fn span(&self) -> Span {
        self.node.span
    }
    /// The span of the contents without quotes.
    pub fn inner_span(&self) -> Span {
        self.node.inner_span()
    }
}

/// An element whose value is a string or an array of strings (Action, NotAction, Resource,
/// NotResource).
#[derive(Clone, Debug)]
pub struct StringList<'a> {
    pub member: &'a Member,
    /// The string items in order.
    pub items: Vec<StringItem<'a>>,
    /// Values that are not strings (numbers, objects, nested arrays, ...).
    pub invalid: Vec<&'a Node>,
    /// True when written as a JSON array (even of one item).
    pub is_array: bool,
}

impl<'a> StringList<'a> {
    fn from_member(member: &'a Member) -> StringList<'a> {
        let mut list = StringList {
            member,
            items: Vec::new(),
            invalid: Vec::new(),
            is_array: false,
        };
        if let Some(value) = &member.value {
            list.is_array = matches!(value.kind, NodeKind::Array(_));
            (list.items, list.invalid) =
                value.string_items_as(|value, node| StringItem { value, node });
        }
        list
    }

    pub fn key(&self) -> &'a Key {
        &self.member.key
    }

    pub fn value(&self) -> Option<&'a Node> {
        self.member.value.as_ref()
    }

    /// The span of the whole value (or of the key when the value is missing).
    pub fn value_span(&self) -> Span {
        self.member
            .value
            .as_ref()
            .map(|v| v.span)
            .unwrap_or(self.member.key.span)
    }

    pub fn contains(&self, value: &str) -> bool {
        self.items.iter().any(|i| i.value == value)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.invalid.is_empty()
    }
}

/// Principal or NotPrincipal.
#[derive(Clone, Debug)]
pub struct Principal<'a> {
    pub member: &'a Member,
    /// `"Principal": "*"`.
    pub is_star: bool,
    /// Entries of the object form: `{"AWS": [...], "Service": "..."}`.
    pub entries: Vec<PrincipalEntry<'a>>,
}

#[derive(Clone, Debug)]
pub struct PrincipalEntry<'a> {
    /// "AWS", "Service", "Federated", "CanonicalUser" (or anything else written there).
    pub kind: &'a Key,
    pub values: StringList<'a>,
}

impl<'a> Principal<'a> {
    fn from_member(member: &'a Member) -> Principal<'a> {
        let mut principal = Principal {
            member,
            is_star: false,
            entries: Vec::new(),
        };
        match member.value.as_ref().map(|v| &v.kind) {
            Some(NodeKind::String(s)) => principal.is_star = s == "*",
            Some(NodeKind::Object(members)) => {
                principal.entries = members
                    .iter()
                    .map(|m| PrincipalEntry {
                        kind: &m.key,
                        values: StringList::from_member(m),
                    })
                    .collect();
            }
            _ => {}
        }
        principal
    }

    /// All values of entries of a kind ("AWS", "Service", ...), compared case-sensitively like IAM.
    pub fn values_of(&self, kind: &str) -> impl Iterator<Item = &StringItem<'a>> + '_ {
        let kind = kind.to_string();
        self.entries
            .iter()
            .filter(move |e| e.kind.value == kind)
            .flat_map(|e| e.values.items.iter())
    }

    /// True when anyone is allowed: `"*"` or `{"AWS": "*"}` (or `"*"` in an AWS list).
    pub fn is_anyone(&self) -> bool {
        self.is_star || self.values_of("AWS").any(|v| v.value == "*")
    }
}

/// One statement of the policy.
#[derive(Clone, Debug)]
pub struct Statement<'a> {
    /// Zero-based position in the Statement array (0 when Statement is a single object).
    pub index: usize,
    pub node: &'a Node,
    pub sid: Option<&'a Member>,
    pub effect: Option<&'a Member>,
    pub principal: Option<Principal<'a>>,
    pub not_principal: Option<Principal<'a>>,
    pub action: Option<StringList<'a>>,
    pub not_action: Option<StringList<'a>>,
    pub resource: Option<StringList<'a>>,
    pub not_resource: Option<StringList<'a>>,
    pub condition: Option<&'a Member>,
    /// The parsed condition blocks (empty when Condition is missing or not an object).
    pub conditions: Vec<ConditionBlock<'a>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl<'a> Statement<'a> {
    pub(crate) fn from_node(index: usize, node: &'a Node) -> Statement<'a> {
        let mut st = Statement {
            index,
            node,
            sid: None,
            effect: None,
            principal: None,
            not_principal: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            condition: None,
            conditions: Vec::new(),
        };
        // The last occurrence of a key wins, as in most JSON parsers (JavaScript, Python, the AWS
        // SDKs and CLI); DUPLICATE_ELEMENT reports the earlier ones as dropped.
        for m in node.as_object().unwrap_or(&[]) {
            match m.key.value.as_str() {
                "Sid" => st.sid = Some(m),
                "Effect" => st.effect = Some(m),
                "Principal" => st.principal = Some(Principal::from_member(m)),
                "NotPrincipal" => st.not_principal = Some(Principal::from_member(m)),
                "Action" => st.action = Some(StringList::from_member(m)),
                "NotAction" => st.not_action = Some(StringList::from_member(m)),
                "Resource" => st.resource = Some(StringList::from_member(m)),
                "NotResource" => st.not_resource = Some(StringList::from_member(m)),
                "Condition" => {
                    st.condition = Some(m);
                    st.conditions = condition::parse_blocks(m);
                }
                _ => {}
            }
        }
        st
    }

    /// The Effect when it is exactly "Allow" or "Deny" (IAM is case-sensitive here).
    pub fn effect(&self) -> Option<Effect> {
        match self.effect?.value.as_ref()?.as_str()? {
            "Allow" => Some(Effect::Allow),
            "Deny" => Some(Effect::Deny),
            _ => None,
        }
    }

    pub fn is_allow(&self) -> bool {
        self.effect() == Some(Effect::Allow)
    }

    pub fn is_deny(&self) -> bool {
        self.effect() == Some(Effect::Deny)
    }

    pub fn sid_value(&self) -> Option<&'a str> {
        self.sid?.value.as_ref()?.as_str()
    }

    /// Action or NotAction, whichever is present (Action first).
    pub fn actions_or_not(&self) -> Option<&StringList<'a>> {
        self.action.as_ref().or(self.not_action.as_ref())
    }

    /// Resource or NotResource, whichever is present (Resource first).
    pub fn resources_or_not(&self) -> Option<&StringList<'a>> {
        self.resource.as_ref().or(self.not_resource.as_ref())
    }

    /// The statement's span, for findings about the statement as a whole.
    pub fn span(&self) -> Span {
        self.node.span
    }

    /// A short span to point at the statement: its Sid, else its opening brace.
    pub fn head_span(&self) -> Span {
        match self.sid.and_then(|m| m.value.as_ref()) {
            Some(v) => v.span,
            None => Span::new(
                self.node.span.start,
                (self.node.span.start + 1).min(self.node.span.end),
            ),
        }
    }

    /// "statement 2" or "statement \"AllowRead\"", for messages.
    pub fn label(&self) -> String {
        match self.sid_value() {
            Some(sid) if !sid.is_empty() => format!("statement \"{sid}\""),
            _ => format!("statement {}", self.index + 1),
        }
    }
}

/// The statements in the value of `Statement` with their indexes: the object itself (index 0),
/// or the objects of the array (other items are skipped but keep their place in the numbering).
fn statement_objects(value: &Node) -> impl Iterator<Item = (usize, &Node)> {
    let items: &[Node] = match &value.kind {
        NodeKind::Object(_) => std::slice::from_ref(value),
        NodeKind::Array(items) => items,
        _ => &[],
    };
    items
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n.kind, NodeKind::Object(_)))
}

/// The typed view of a whole policy document.
#[derive(Clone, Debug)]
pub struct Policy<'a> {
    pub root: Option<&'a Node>,
    pub version: Option<&'a Member>,
    pub id: Option<&'a Member>,
    pub statement_member: Option<&'a Member>,
    pub statements: Vec<Statement<'a>>,
}

impl<'a> Policy<'a> {
    pub fn from_root(root: Option<&'a Node>) -> Policy<'a> {
        let mut policy = Policy {
            root,
            version: None,
            id: None,
            statement_member: None,
            statements: Vec::new(),
        };
        let Some(members) = root.and_then(Node::as_object) else {
            return policy;
        };
        // The last occurrence wins, as for statements.
        for m in members {
            match m.key.value.as_str() {
                "Version" => policy.version = Some(m),
                "Id" => policy.id = Some(m),
                "Statement" => policy.statement_member = Some(m),
                _ => {}
            }
        }
        if let Some(value) = policy.statement_member.and_then(|m| m.value.as_ref()) {
            // Sized for every item of the list at once (a filter's length is not known ahead,
            // and a statement's view is large: grown, it was copied at each doubling).
            let objects = statement_objects(value);
            let mut statements = Vec::with_capacity(objects.size_hint().1.unwrap_or(0));
            statements.extend(objects.map(|(i, n)| Statement::from_node(i, n)));
            policy.statements = statements;
        }
        policy
    }

    /// The statement nodes of the document `root` with their indexes, as [`Policy::from_root`]
    /// finds and numbers them, without building each statement's view.
    pub fn statement_nodes(root: Option<&Node>) -> Vec<(usize, &Node)> {
        let value = root
            .and_then(Node::as_object)
            .and_then(|members| members.iter().rev().find(|m| m.key.value == "Statement"))
            .and_then(|m| m.value.as_ref());
        value.map_or_else(Vec::new, |v| statement_objects(v).collect())
    }

    /// The same document elements with no statement (to fill with some of this policy's).
    pub fn without_statements(&self) -> Policy<'a> {
        Policy {
            root: self.root,
            version: self.version,
            id: self.id,
            statement_member: self.statement_member,
            statements: Vec::new(),
        }
    }

    pub fn version_value(&self) -> Option<&'a str> {
        self.version?.value.as_ref()?.as_str()
    }

    /// True when policy variables are expanded (Version 2012-10-17).
    pub fn supports_variables(&self) -> bool {
        self.version_value() == Some(VERSION_2012)
    }
}

#[cfg(test)]
mod tests;

//! The Condition element: operator blocks, condition keys and their values, and the grammar of
//! condition operator names (`ForAnyValue:StringLikeIfExists`).

use crate::span::Span;
use crate::syntax::{Key, Member, Node, NodeKind};

use super::StringItem;

/// Set qualifier for multi-valued keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

impl SetQualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues",
            SetQualifier::ForAnyValue => "ForAnyValue",
        }
    }
}

/// The type of value an operator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

impl OperatorFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            OperatorFamily::String => "String",
            OperatorFamily::Numeric => "Numeric",
            OperatorFamily::Date => "Date",
            OperatorFamily::Bool => "Bool",
            OperatorFamily::Binary => "Binary",
            OperatorFamily::IpAddress => "IP address",
            OperatorFamily::Arn => "ARN",
            OperatorFamily::Null => "Null",
        }
    }

    /// Whether condition values of this family may hold policy variables (`${aws:username}`):
    /// only String and ARN operators accept them.
    pub fn accepts_policy_variables(self) -> bool {
        matches!(self, OperatorFamily::String | OperatorFamily::Arn)
    }
}

macro_rules! base_operators {
    ($($name:ident => $family:ident, $negated:expr, $like:expr;)*) => {
        /// A condition operator without its qualifier and `IfExists` suffix.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum BaseOperator { $($name,)* }

        impl BaseOperator {
            pub const ALL: &'static [BaseOperator] = &[$(BaseOperator::$name,)*];

            pub fn name(self) -> &'static str {
                match self { $(BaseOperator::$name => stringify!($name),)* }
            }

            pub fn family(self) -> OperatorFamily {
                match self { $(BaseOperator::$name => OperatorFamily::$family,)* }
            }

            /// True for the negated operators (StringNotEquals, NotIpAddress, ArnNotLike, ...).
            pub fn is_negated(self) -> bool {
                match self { $(BaseOperator::$name => $negated,)* }
            }

            /// True when `*` and `?` in values are wildcards (StringLike, ArnLike, and the Arn
            /// operators, which always match with wildcards).
            pub fn supports_wildcards(self) -> bool {
                match self { $(BaseOperator::$name => $like,)* }
            }
        }
    };
}

base_operators! {
    StringEquals => String, false, false;
    StringNotEquals => String, true, false;
    StringEqualsIgnoreCase => String, false, false;
    StringNotEqualsIgnoreCase => String, true, false;
    StringLike => String, false, true;
    StringNotLike => String, true, true;
    NumericEquals => Numeric, false, false;
    NumericNotEquals => Numeric, true, false;
    NumericLessThan => Numeric, false, false;
    NumericLessThanEquals => Numeric, false, false;
    NumericGreaterThan => Numeric, false, false;
    NumericGreaterThanEquals => Numeric, false, false;
    DateEquals => Date, false, false;
    DateNotEquals => Date, true, false;
    DateLessThan => Date, false, false;
    DateLessThanEquals => Date, false, false;
    DateGreaterThan => Date, false, false;
    DateGreaterThanEquals => Date, false, false;
    Bool => Bool, false, false;
    BinaryEquals => Binary, false, false;
    IpAddress => IpAddress, false, false;
    NotIpAddress => IpAddress, true, false;
    ArnEquals => Arn, false, true;
    ArnLike => Arn, false, true;
    ArnNotEquals => Arn, true, true;
    ArnNotLike => Arn, true, true;
    Null => Null, false, false;
}

impl BaseOperator {
    /// Exact, case-sensitive lookup (IAM rejects `stringequals`).
    pub fn from_name(name: &str) -> Option<BaseOperator> {
        BaseOperator::ALL
            .iter()
            .copied()
            .find(|op| op.name() == name)
    }
}

/// A full condition operator: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConditionOperator {
    pub qualifier: Option<SetQualifier>,
    pub base: BaseOperator,
    pub if_exists: bool,
}

impl ConditionOperator {
    /// Parse an operator name. Returns None when it is not a valid operator name. `NullIfExists`
    /// parses (with `if_exists`) so that a rule can report it precisely.
    pub fn parse(name: &str) -> Option<ConditionOperator> {
        let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, name)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let base = BaseOperator::from_name(base)?;
        Some(ConditionOperator {
            qualifier,
            base,
            if_exists,
        })
    }

    pub fn name(&self) -> String {
        let mut s = String::new();
        if let Some(q) = self.qualifier {
            s.push_str(q.as_str());
            s.push(':');
        }
        s.push_str(self.base.name());
        if self.if_exists {
            s.push_str("IfExists");
        }
        s
    }

    pub fn family(&self) -> OperatorFamily {
        self.base.family()
    }
}

/// One condition key in an operator block and its values.
#[derive(Clone, Debug)]
pub struct ConditionEntry<'a> {
    pub member: &'a Member,
    pub key: &'a Key,
    /// String values (condition values are compared as strings after IAM's own conversion).
    pub values: Vec<StringItem<'a>>,
    /// Values that are not strings: numbers and booleans are legal (IAM converts them), nested
    /// arrays, objects and null are not. Rules decide.
    pub other_values: Vec<&'a Node>,
    /// True when the values are written as an array.
    pub is_array: bool,
}

impl ConditionEntry<'_> {
    pub fn value_node(&self) -> Option<&Node> {
        self.member.value.as_ref()
    }

    /// Every value node, strings and others, in source order.
    pub fn all_value_nodes(&self) -> Vec<&Node> {
        match self.member.value.as_ref() {
            Some(Node {
                kind: NodeKind::Array(items),
                ..
            }) => items.iter().collect(),
            Some(node) => vec![node],
            None => Vec::new(),
        }
    }
}

/// One operator block: `"StringEquals": { "aws:PrincipalOrgID": "o-123" }`.
#[derive(Clone, Debug)]
pub struct ConditionBlock<'a> {
    pub member: &'a Member,
    /// The operator name as written, with its span.
    pub operator_key: &'a Key,
    /// The parsed operator, if the name is a valid one.
    pub operator: Option<ConditionOperator>,
    /// Entries when the block's value is an object (empty otherwise; rules report the type).
    pub entries: Vec<ConditionEntry<'a>>,
}

impl ConditionBlock<'_> {
    pub fn operator_span(&self) -> Span {
        self.operator_key.span
    }
}

pub(super) fn parse_blocks(condition: &Member) -> Vec<ConditionBlock<'_>> {
    let Some(members) = condition.value.as_ref().and_then(Node::as_object) else {
        return Vec::new();
    };
    members
        .iter()
        .map(|m| {
            let entries = m
                .value
                .as_ref()
                .and_then(Node::as_object)
                .unwrap_or(&[])
                .iter()
                .map(|entry| {
                    let (values, other_values, is_array) = match entry.value.as_ref() {
                        Some(v) => {
                            let (strings, others) =
                                v.string_items_as(|value, node| StringItem { value, node });
                            (strings, others, matches!(v.kind, NodeKind::Array(_)))
                        }
                        None => (Vec::new(), Vec::new(), false),
                    };
                    ConditionEntry {
                        member: entry,
                        key: &entry.key,
                        values,
                        other_values,
                        is_array,
                    }
                })
                .collect();
            ConditionBlock {
                member: m,
                operator_key: &m.key,
                operator: ConditionOperator::parse(&m.key.value),
                entries,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_operator_names() {
        let op = ConditionOperator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, BaseOperator::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.name(), "ForAnyValue:StringLikeIfExists");
        assert_eq!(
            ConditionOperator::parse("Bool").unwrap().family(),
            OperatorFamily::Bool
        );
        assert!(ConditionOperator::parse("stringequals").is_none());
        assert!(ConditionOperator::parse("ForAllValues:").is_none());
        assert!(ConditionOperator::parse("StringEqualsIfExistsIfExists").is_none());
        assert!(ConditionOperator::parse("NullIfExists").unwrap().if_exists);
    }
}

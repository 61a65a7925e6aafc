//! What is at an offset, in policy terms: which element, which statement, which token. Hover and
//! completion share this walk; they differ only in whether the position just after a token
//! still belongs to it (completion: yes, the cursor is typing it; hover: no).

use crate::catalog::{Action, Catalog};
use crate::span::Span;
use crate::syntax::{Key, Member, Node, NodeKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The character at the offset is what matters (mouse over a character).
    Hover,
    /// The offset is a cursor between characters; a token being typed touches it on the left.
    Complete,
}

/// The token at the offset.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Token<'a> {
    /// An object key (quotes included in its span).
    Key(&'a Key),
    /// A scalar value: a string (terminated or not), or an invalid bare word (NodeKind::Error).
    Value(&'a Node),
    /// No token: whitespace (or a bare word the parser dropped) where a key or a value goes.
    /// `partial` is the bare word already typed before the cursor (may be empty).
    Gap { partial: Span },
}

/// Where in the policy grammar the offset is.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Slot<'a> {
    /// A key of the top-level object.
    PolicyKey,
    /// A key of a statement object.
    StatementKey,
    Version,
    Id,
    Sid,
    Effect,
    /// An item of Action or NotAction.
    Action,
    /// An item of Resource or NotResource.
    Resource,
    /// The string value of Principal/NotPrincipal (only `"*"` is legal there).
    PrincipalValue,
    /// A key of the Principal object: AWS, Service, Federated, CanonicalUser.
    PrincipalKind,
    /// A value in a principal list; `kind` is the key it sits under.
    PrincipalItem {
        kind: &'a Key,
    },
    /// A key of the Condition object: an operator.
    ConditionOperator,
    /// A key of an operator block: a condition key.
    ConditionKey,
    /// A value of a condition key.
    ConditionValue {
        operator: &'a Key,
        key: &'a Key,
    },
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'a> {
    pub slot: Slot<'a>,
    pub token: Token<'a>,
    /// The statement object the place is in, if any.
    pub statement: Option<&'a Node>,
    /// The member whose key or value this is (the key's member, or the member owning the value).
    pub member: Option<&'a Member>,
}

/// Find the place at `offset` in the tree rooted at `root`.
pub(crate) fn locate<'a>(
    text: &str,
    root: Option<&'a Node>,
    offset: usize,
    mode: Mode,
) -> Option<Place<'a>> {
    let root = root?;
    let w = Walker { text, offset, mode };
    w.policy(root)
}

struct Walker<'t> {
    text: &'t str,
    offset: usize,
    mode: Mode,
}

/// What an object or array walk found at the offset.
enum Hit<'a> {
    Key(&'a Member),
    /// Inside (or on) the value of a member.
    Value(&'a Member, &'a Node),
    /// Where a key goes (whitespace or a bare word in the object).
    KeyGap(Span),
    /// After `"key":` with no value yet.
    ValueGap(&'a Member, Span),
}

enum ItemHit<'a> {
    Item(&'a Node),
    Gap(Span),
}

impl<'t> Walker<'t> {
    /// True if the offset is inside a scalar token (string, bare word) for this mode.
    fn in_scalar(&self, node_span: Span, is_string: bool) -> bool {
        let Span { start, end } = node_span;
        let closed =
            is_string && end - start >= 2 && self.text.as_bytes().get(end - 1) == Some(&b'"');
        match self.mode {
            Mode::Hover => start <= self.offset && self.offset < end,
            Mode::Complete if is_string => {
                start < self.offset && (self.offset < end || (self.offset == end && !closed))
            }
            Mode::Complete => start <= self.offset && self.offset <= end,
        }
    }

    /// True if the offset is inside a container's brackets.
    fn in_container(&self, span: Span, close: u8) -> bool {
        let closed = span.len() >= 2 && self.text.as_bytes().get(span.end - 1) == Some(&close);
        span.start < self.offset && (self.offset < span.end || (self.offset == span.end && !closed))
    }

    fn in_key(&self, key: &Key) -> bool {
        self.in_scalar(key.span, true)
    }

    fn in_value(&self, node: &Node) -> bool {
        match node.kind {
            NodeKind::Object(_) => self.in_container(node.span, b'}'),
            NodeKind::Array(_) => self.in_container(node.span, b']'),
            NodeKind::String(_) => self.in_scalar(node.span, true),
            _ => self.in_scalar(node.span, false),
        }
    }

    /// The bare word just before the offset (letters, digits and `:*-_/.`), for gaps.
    fn partial_word(&self) -> Span {
        let bytes = self.text.as_bytes();
        let mut start = self.offset.min(bytes.len());
        while start > 0 {
            let b = bytes[start - 1];
            if b.is_ascii_alphanumeric()
                || matches!(b, b':' | b'*' | b'-' | b'_' | b'/' | b'.' | b'?')
            {
                start -= 1;
            } else {
                break;
            }
        }
        Span::new(start, self.offset.min(bytes.len()))
    }

    /// The last non-whitespace byte before `pos`.
    fn prev_significant(&self, pos: usize) -> Option<u8> {
        self.text.as_bytes()[..pos.min(self.text.len())]
            .iter()
            .rev()
            .copied()
            .find(|b| !b.is_ascii_whitespace())
    }

    fn object<'a>(&self, node: &'a Node) -> Option<Hit<'a>> {
        let members = node.as_object()?;
        if !self.in_container(node.span, b'}') {
            return None;
        }
        let mut last_before: Option<&'a Member> = None;
        for m in members {
            if self.in_key(&m.key) {
                return Some(Hit::Key(m));
            }
            if let Some(v) = &m.value {
                if self.in_value(v) {
                    return Some(Hit::Value(m, v));
                }
            }
            if m.key.span.end <= self.offset {
                last_before = Some(m);
            }
        }
        if self.mode == Mode::Hover {
            return None;
        }
        // A gap: after `"key":` a value goes, else a key.
        let partial = self.partial_word();
        match self.prev_significant(partial.start) {
            Some(b':') => {
                let m = last_before?;
                let value_missing = match &m.value {
                    None => true,
                    // A bare word being typed is an Error node the cursor touches (handled above).
                    Some(v) => v.span.start >= self.offset,
                };
                value_missing.then_some(Hit::ValueGap(m, partial))
            }
            Some(b'{' | b',') => Some(Hit::KeyGap(partial)),
            _ => None,
        }
    }

    fn array<'a>(&self, node: &'a Node) -> Option<ItemHit<'a>> {
        let items = node.as_array()?;
        if !self.in_container(node.span, b']') {
            return None;
        }
        for item in items {
            if self.in_value(item) {
                return Some(ItemHit::Item(item));
            }
        }
        if self.mode == Mode::Hover {
            return None;
        }
        let partial = self.partial_word();
        match self.prev_significant(partial.start) {
            Some(b'[' | b',') => Some(ItemHit::Gap(partial)),
            _ => None,
        }
    }

    fn policy<'a>(&self, root: &'a Node) -> Option<Place<'a>> {
        let place = |slot, token, member| Place {
            slot,
            token,
            statement: None,
            member,
        };
        match self.object(root)? {
            Hit::Key(m) => Some(place(Slot::PolicyKey, Token::Key(&m.key), Some(m))),
            Hit::KeyGap(partial) => Some(place(Slot::PolicyKey, Token::Gap { partial }, None)),
            Hit::ValueGap(m, partial) => {
                let slot = match m.key.value.as_str() {
                    "Version" => Slot::Version,
                    "Id" => Slot::Id,
                    _ => return None,
                };
                Some(place(slot, Token::Gap { partial }, Some(m)))
            }
            Hit::Value(m, v) => match m.key.value.as_str() {
                "Version" => self.scalar(v).map(|t| place(Slot::Version, t, Some(m))),
                "Id" => self.scalar(v).map(|t| place(Slot::Id, t, Some(m))),
                "Statement" => match &v.kind {
                    NodeKind::Object(_) => self.statement(v),
                    NodeKind::Array(_) => match self.array(v)? {
                        ItemHit::Item(item) => self.statement(item),
                        ItemHit::Gap(_) => None,
                    },
                    _ => None,
                },
                _ => None,
            },
        }
    }

    /// A scalar token at the offset (strings and bare words; containers are not tokens).
    fn scalar<'a>(&self, node: &'a Node) -> Option<Token<'a>> {
        match node.kind {
            NodeKind::Object(_) | NodeKind::Array(_) => None,
            _ => Some(Token::Value(node)),
        }
    }

    fn statement<'a>(&self, st: &'a Node) -> Option<Place<'a>> {
        let place = |slot, token, member| Place {
            slot,
            token,
            statement: Some(st),
            member,
        };
        let value_slot = |key: &str| match key {
            "Sid" => Some(Slot::Sid),
            "Effect" => Some(Slot::Effect),
            "Action" | "NotAction" => Some(Slot::Action),
            "Resource" | "NotResource" => Some(Slot::Resource),
            "Principal" | "NotPrincipal" => Some(Slot::PrincipalValue),
            _ => None,
        };
        match self.object(st)? {
            Hit::Key(m) => Some(place(Slot::StatementKey, Token::Key(&m.key), Some(m))),
            Hit::KeyGap(partial) => Some(place(Slot::StatementKey, Token::Gap { partial }, None)),
            Hit::ValueGap(m, partial) => {
                let slot = value_slot(&m.key.value)?;
                Some(place(slot, Token::Gap { partial }, Some(m)))
            }
            Hit::Value(m, v) => {
                let key = m.key.value.as_str();
                match key {
                    "Sid" | "Effect" => {
                        let slot = value_slot(key)?;
                        self.scalar(v).map(|t| place(slot, t, Some(m)))
                    }
                    "Action" | "NotAction" | "Resource" | "NotResource" => {
                        let slot = value_slot(key)?;
                        self.list_item(v).map(|t| place(slot, t, Some(m)))
                    }
                    "Principal" | "NotPrincipal" => match &v.kind {
                        NodeKind::Object(_) => match self.object(v)? {
                            Hit::Key(pm) => {
                                Some(place(Slot::PrincipalKind, Token::Key(&pm.key), Some(pm)))
                            }
                            Hit::KeyGap(partial) => {
                                Some(place(Slot::PrincipalKind, Token::Gap { partial }, None))
                            }
                            Hit::ValueGap(pm, partial) => Some(place(
                                Slot::PrincipalItem { kind: &pm.key },
                                Token::Gap { partial },
                                Some(pm),
                            )),
                            Hit::Value(pm, pv) => self
                                .list_item(pv)
                                .map(|t| place(Slot::PrincipalItem { kind: &pm.key }, t, Some(pm))),
                        },
                        _ => self
                            .scalar(v)
                            .map(|t| place(Slot::PrincipalValue, t, Some(m))),
                    },
                    "Condition" => self.condition(v).map(|(slot, token, member)| Place {
                        slot,
                        token,
                        statement: Some(st),
                        member,
                    }),
                    _ => None,
                }
            }
        }
    }

    /// An item of a string-or-list element.
    fn list_item<'a>(&self, v: &'a Node) -> Option<Token<'a>> {
        match &v.kind {
            NodeKind::Array(_) => match self.array(v)? {
                ItemHit::Item(item) => self.scalar(item),
                ItemHit::Gap(partial) => Some(Token::Gap { partial }),
            },
            NodeKind::Object(_) => None,
            _ => Some(Token::Value(v)),
        }
    }

    #[allow(clippy::type_complexity)]
    fn condition<'a>(&self, v: &'a Node) -> Option<(Slot<'a>, Token<'a>, Option<&'a Member>)> {
        match self.object(v)? {
            Hit::Key(m) => Some((Slot::ConditionOperator, Token::Key(&m.key), Some(m))),
            Hit::KeyGap(partial) => Some((Slot::ConditionOperator, Token::Gap { partial }, None)),
            Hit::ValueGap(..) => None,
            Hit::Value(op, block) => {
                let operator = &op.key;
                match self.object(block)? {
                    Hit::Key(m) => Some((Slot::ConditionKey, Token::Key(&m.key), Some(m))),
                    Hit::KeyGap(partial) => {
                        Some((Slot::ConditionKey, Token::Gap { partial }, None))
                    }
                    Hit::ValueGap(m, partial) => Some((
                        Slot::ConditionValue {
                            operator,
                            key: &m.key,
                        },
                        Token::Gap { partial },
                        Some(m),
                    )),
                    Hit::Value(m, values) => self.list_item(values).map(|t| {
                        (
                            Slot::ConditionValue {
                                operator,
                                key: &m.key,
                            },
                            t,
                            Some(m),
                        )
                    }),
                }
            }
        }
    }
}

/// The actions of the statement the place is in ([`Catalog::actions_named`] of its `Action`
/// list), in the order the statement names them. A lone `*` is left out: it names every action,
/// too many for "which of this statement's actions support this key" to be useful.
pub(crate) fn statement_actions<'c>(place: &Place<'_>, catalog: &'c Catalog) -> Vec<Action<'c>> {
    let Some(value) = place
        .statement
        .and_then(|st| st.get("Action"))
        .and_then(|m| m.value.as_ref())
    else {
        return Vec::new();
    };
    let (items, _) = value.string_items();
    catalog.actions_named(items.into_iter().map(|(v, _)| v).filter(|v| *v != "*"))
}

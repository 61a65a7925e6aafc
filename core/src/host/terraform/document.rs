//! `data "aws_iam_policy_document"` blocks: the small block type both readers build, the policy
//! document read from it, and the strict reader of whole blocks.
//!
//! hcl-edit's parser tries its alternatives at every token (winnow backtracking); with the
//! literal lists already cut out (see [`super::literal`]), parsing the `statement`,
//! `principals` and `condition` blocks around them was still a fifth of checking a folder of
//! policy documents. A block written as the data source is usually written (attributes with
//! literal values, one per line, and nested blocks) is read here instead, and its body is cut
//! out of the text hcl-edit parses, which then finds an empty block there (see
//! `super::read_cut`). The reading is strict: anything else (an interpolation, a reference, a
//! function call, a comment, a heredoc, a `dynamic` block, a label on a nested block, a
//! one-line block, a repeated attribute) leaves the block to hcl-edit.
//!
//! Both readers give a [`DocBlock`], and [`policy_document`] maps it to the policy: the mapping
//! from HCL to IAM has one home whichever reader read the block.

use super::literal::Literals;
use super::{amp_variables, one_item_as_string, LiteralHeredoc};
use crate::host::value::{HKind, HMember, HStr, HValue};
use crate::span::Span;

/// The blocks nested in a policy document that are read (`dynamic` ones are unknown statements
/// and read by hcl-edit only).
pub(super) const NESTED_BLOCKS: [&str; 4] =
    ["statement", "principals", "not_principals", "condition"];

/// How deep blocks are read: the document (0), its statements (1), their principals and
/// conditions (2). Deeper blocks are not part of the policy.
pub(super) const MAX_BLOCK_DEPTH: usize = 2;

/// A block of a policy document as read, with host spans, its attributes' values read as host
/// values (each taken once by the mapping) and its nested blocks in order.
pub(super) struct DocBlock<'a> {
    pub(super) ident: &'a str,
    /// The first label (`dynamic "statement"`).
    pub(super) label: Option<&'a str>,
    /// From the identifier to the closing brace.
    pub(super) span: Span,
    pub(super) attributes: Vec<DocAttribute<'a>>,
    pub(super) blocks: Vec<DocBlock<'a>>,
}

pub(super) struct DocAttribute<'a> {
    pub(super) name: &'a str,
    pub(super) key_span: Span,
    pub(super) value: Option<HValue>,
}

impl<'a> DocBlock<'a> {
    pub(super) fn new(ident: &'a str, label: Option<&'a str>, span: Span) -> Self {
        DocBlock {
            ident,
            label,
            span,
            attributes: Vec::new(),
            blocks: Vec::new(),
        }
    }

    /// The key span and value of attribute `name`, taken out of the block (HCL has no repeated
    /// attributes: hcl-edit reports them and the strict reader does not accept them).
    pub(super) fn take(&mut self, name: &str) -> Option<(Span, HValue)> {
        let attr = self.attributes.iter_mut().find(|a| a.name == name)?;
        Some((attr.key_span, attr.value.take()?))
    }

    fn nested(&mut self, ident: &str) -> Vec<&mut DocBlock<'a>> {
        self.blocks
            .iter_mut()
            .filter(|b| b.ident == ident)
            .collect()
    }
}

/// The policy a `data "aws_iam_policy_document"` block says by its own attributes and
/// statements (source and override documents are merged in by the caller).
pub(super) fn policy_document(mut block: DocBlock<'_>) -> HValue {
    let span = block.span;
    let head = Span::empty(span.start);
    let mut members = Vec::new();
    match block.take("version") {
        Some((key_span, value)) => members.push(doc_member("Version", key_span, value)),
        None => members.push(HMember {
            key: HStr::literal("Version", head),
            key_span: head,
            value: HValue::string(HStr::literal("2012-10-17", head), head),
        }),
    }
    if let Some((key_span, value)) = block.take("policy_id") {
        members.push(doc_member("Id", key_span, value));
    }
    let mut statements = Vec::new();
    let mut first_statement: Option<Span> = None;
    for b in block.blocks {
        match b.ident {
            "statement" => {
                let st = statement(b);
                first_statement.get_or_insert(st.span);
                statements.push(st);
            }
            "dynamic" if b.label == Some("statement") => {
                statements.push(HValue::unknown(b.span));
            }
            _ => {}
        }
    }
    let list_span = first_statement.map_or(head, |f| {
        Span::new(f.start, statements.last().map_or(f.end, |l| l.span.end))
    });
    members.push(HMember {
        key: HStr::literal("Statement", Span::empty(list_span.start)),
        key_span: Span::empty(list_span.start),
        value: HValue::new(HKind::Array(statements), list_span),
    });
    HValue::new(HKind::Object(members), span)
}

/// A member of the policy from an attribute: the element's name at the attribute's key.
fn doc_member(name: &str, key_span: Span, value: HValue) -> HMember {
    HMember {
        key: HStr::literal(name, Span::empty(key_span.start)),
        key_span,
        value: amp_variables(value),
    }
}

/// A value inside a policy document block: as in `jsonencode`, with `&{` for `${`.
fn doc_value(block: &mut DocBlock<'_>, name: &str) -> Option<HValue> {
    block.take(name).map(|(_, v)| amp_variables(v))
}

fn statement(mut block: DocBlock<'_>) -> HValue {
    let span = block.span;
    let mut members = Vec::new();
    let mut has_effect = false;
    for (attr_name, element) in [
        ("sid", "Sid"),
        ("effect", "Effect"),
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some((key_span, value)) = block.take(attr_name) {
            has_effect |= element == "Effect";
            let mut member = doc_member(element, key_span, value);
            member.value = one_item_as_string(member.value);
            members.push(member);
        }
    }
    if !has_effect {
        // The data source's default.
        let at = Span::empty(span.start);
        members.push(HMember {
            key: HStr::literal("Effect", at),
            key_span: at,
            value: HValue::string(HStr::literal("Allow", at), at),
        });
    }
    for (block_name, element) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let blocks = block.nested(block_name);
        if blocks.is_empty() {
            continue;
        }
        let first = blocks[0].span;
        let whole = blocks.iter().fold(first, |acc, b| acc.cover(b.span));
        let mut entries: Vec<HMember> = Vec::new();
        for b in blocks {
            let b_span = b.span;
            let Some(kind) = doc_value(b, "type") else {
                continue;
            };
            let ids = doc_value(b, "identifiers")
                .unwrap_or_else(|| HValue::new(HKind::Array(Vec::new()), b_span));
            let key = as_key(&kind);
            // Several blocks of one type merge into one entry, as the data source does.
            let plain = key.plain();
            if let Some(existing) = entries
                .iter_mut()
                .find(|e| plain.is_some() && e.key.plain() == plain)
            {
                if let (HKind::Array(items), HKind::Array(more)) =
                    (&mut existing.value.kind, ids.kind)
                {
                    items.extend(more);
                    existing.value.span = existing.value.span.cover(ids.span);
                }
                continue;
            }
            entries.push(HMember {
                key,
                key_span: kind.span,
                value: ids,
            });
        }
        let entries: Vec<HMember> = entries
            .into_iter()
            .map(|mut entry| {
                entry.value = one_item_as_string(entry.value);
                entry
            })
            .collect();
        // `type = "*"`, `identifiers = ["*"]` is written `"Principal": "*"`.
        let value = match entries.as_slice() {
            [only] if only.key.plain().as_deref() == Some("*") => match &only.value.kind {
                HKind::Array(items) if items.len() == 1 => items[0].clone(),
                _ => only.value.clone(),
            },
            _ => HValue::new(HKind::Object(entries), whole),
        };
        members.push(HMember {
            key: HStr::literal(element, Span::empty(first.start)),
            key_span: Span::empty(first.start),
            value,
        });
    }
    let conditions = block.nested("condition");
    if !conditions.is_empty() {
        let first = conditions[0].span;
        let whole = conditions.iter().fold(first, |acc, b| acc.cover(b.span));
        let mut operators: Vec<HMember> = Vec::new();
        for c in conditions {
            let c_span = c.span;
            let (Some(op), Some(key)) = (doc_value(c, "test"), doc_value(c, "variable")) else {
                continue;
            };
            let values = doc_value(c, "values")
                .map(one_item_as_string)
                .unwrap_or_else(|| HValue::new(HKind::Array(Vec::new()), c_span));
            let entry = HMember {
                key: as_key(&key),
                key_span: key.span,
                value: values,
            };
            let op_plain = as_key(&op).plain();
            if let Some(block) = operators
                .iter_mut()
                .find(|o| op_plain.is_some() && o.key.plain() == op_plain)
            {
                if let HKind::Object(entries) = &mut block.value.kind {
                    entries.push(entry);
                    block.value.span = block.value.span.cover(c_span);
                }
                continue;
            }
            operators.push(HMember {
                key: as_key(&op),
                key_span: op.span,
                value: HValue::new(HKind::Object(vec![entry]), c_span),
            });
        }
        members.push(HMember {
            key: HStr::literal("Condition", Span::empty(first.start)),
            key_span: Span::empty(first.start),
            value: HValue::new(HKind::Object(operators), whole),
        });
    }
    HValue::new(HKind::Object(members), span)
}

/// A value used as a key (a principal type, a condition operator or key): its string, or an
/// unknown key at its span.
fn as_key(v: &HValue) -> HStr {
    match &v.kind {
        HKind::Str(s) => s.clone(),
        _ => {
            let mut s = HStr::default();
            s.push_unknown(v.span);
            s
        }
    }
}

/// A `data "aws_iam_policy_document"` block read strictly.
pub(super) struct StrictDocument<'t> {
    pub(super) block: DocBlock<'t>,
    /// Between the braces: what is cut out of the text hcl-edit parses.
    pub(super) inner: Span,
}

/// What starts a policy document block at a line start.
const HEAD: &str = "data \"aws_iam_policy_document\"";

/// The `data "aws_iam_policy_document"` blocks of `text` that start at a line start, read
/// strictly, in text order, none overlapping a literal heredoc body of `heredocs` (a block's
/// text inside a heredoc is not a block).
pub(super) fn strict_documents<'t>(
    text: &'t str,
    heredocs: &[LiteralHeredoc],
) -> Vec<StrictDocument<'t>> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    // memmem: every Terraform file is searched, most have no such block.
    while let Some(k) = b
        .get(from..)
        .and_then(|rest| memchr::memmem::find(rest, HEAD.as_bytes()))
    {
        let at = from + k;
        from = at + HEAD.len();
        if at > 0 && b[at - 1] != b'\n' {
            continue;
        }
        let Some(doc) = strict_document(text, at) else {
            continue;
        };
        let end = doc.block.span.end;
        if heredocs
            .iter()
            .any(|h| h.body.start < end && at < h.body.end)
        {
            continue;
        }
        from = end;
        // An empty body has nothing to cut.
        if !doc.inner.is_empty() {
            found.push(doc);
        }
    }
    found
}

/// The block whose `data` is at `at`, when the strict reader accepts it whole.
fn strict_document(text: &str, at: usize) -> Option<StrictDocument<'_>> {
    let mut r = Literals::new(text, at + HEAD.len());
    r.spaces();
    // The name label: a quoted string without escapes or templates.
    if r.peek()? != b'"' {
        return None;
    }
    r.advance(1);
    while r
        .peek()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
    {
        r.advance(1);
    }
    if r.peek()? != b'"' {
        return None;
    }
    r.advance(1);
    r.spaces();
    if r.peek()? != b'{' {
        return None;
    }
    let open = r.pos();
    r.advance(1);
    let mut block = DocBlock::new("data", Some("aws_iam_policy_document"), Span::empty(at));
    block_body(&mut r, &mut block, 0)?;
    block.span = Span::new(at, r.pos());
    let inner = Span::new(open + 1, r.pos() - 1);
    Some(StrictDocument { block, inner })
}

/// The body of a block after its `{`, up to and including its `}`: a line ending, then
/// attributes (`name = literal`) and nested blocks (`name {`), each ended by a line ending.
fn block_body<'t>(r: &mut Literals<'t>, block: &mut DocBlock<'t>, depth: usize) -> Option<()> {
    r.spaces();
    if !r.newline() {
        return None;
    }
    loop {
        r.blank();
        if r.peek()? == b'}' {
            r.advance(1);
            return Some(());
        }
        let start = r.pos();
        let name = r.ident()?;
        let key_span = Span::new(start, r.pos());
        r.spaces();
        match (r.peek()?, r.peek_at(1)) {
            (b'=', Some(b'=' | b'>')) => return None,
            (b'=', _) => {
                if block.attributes.iter().any(|a| a.name == name) {
                    return None;
                }
                r.advance(1);
                r.spaces();
                let value = r.value(0)?;
                block.attributes.push(DocAttribute {
                    name,
                    key_span,
                    value: Some(value),
                });
            }
            (b'{', _) if depth < MAX_BLOCK_DEPTH && NESTED_BLOCKS.contains(&name) => {
                r.advance(1);
                let mut nested = DocBlock::new(name, None, key_span);
                block_body(r, &mut nested, depth + 1)?;
                nested.span = Span::new(start, r.pos());
                block.blocks.push(nested);
            }
            _ => return None,
        }
        r.spaces();
        if !r.newline() {
            return None;
        }
    }
}

//! Fixes in the host's own syntax. A rule's fix is a set of JSON edits against the policy's
//! JSON text; here it becomes an edit of the host file: the smallest value that holds every
//! edit is taken before and after the fix, and the new value is written in the host's dialect
//! over the old one (an HCL string with `$${` escapes, a YAML scalar quoted only where needed,
//! a block or flow collection kept as it was, `actions = [...]` in a policy-document block, JSON
//! escaped for the heredoc or string it sits in). A fix that touches an unknown value, or a
//! value the host does not write (the default `Effect` of a policy-document statement), is not
//! offered.

use super::EmbeddedPolicy;
use crate::diagnostic::{Fix, TextEdit};
use crate::fix::dialect::{
    hcl_escaped, hcl_policy_document_string, hcl_string, hcl_template_escaped,
    push_hcl_policy_document_string, push_hcl_string, push_yaml_scalar, sub_literal,
    yaml_double_escaped, yaml_scalar, yaml_single_escaped,
};
use crate::fix::edit::{json_string, push_json_escaped, push_json_string};
use crate::span::Span;
use crate::syntax::{self, Node, NodeKind};

/// How a policy is written in its host, which decides how a fix is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// JSON in a JSON host (a CloudFormation JSON template).
    Json,
    /// The argument of Terraform's `jsonencode(...)`.
    HclExpression,
    /// A `data "aws_iam_policy_document"` block.
    HclPolicyDocument,
    /// A CloudFormation YAML mapping.
    Yaml,
    /// JSON text in a string of the host (a heredoc, a JSON string, a YAML block or quoted
    /// scalar), maybe the template of `Fn::Sub` (where a literal `${` is written `${!`).
    JsonIn { carrier: Carrier, sub: bool },
    /// Somewhere a fix cannot be written safely (a string built by `Fn::Join`, a quoted scalar
    /// with an escape that is not read character by character).
    NoFixes,
}

/// The host string that holds a policy's JSON text, which decides how inserted text is escaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Carrier {
    /// A Terraform heredoc.
    Heredoc,
    /// A Terraform quoted string.
    HclString,
    /// A JSON string (a JSON template's `PolicyDocument: "{...}"`).
    JsonString,
    /// A YAML literal or folded block (`PolicyDocument: |`, `>-`).
    YamlBlock,
    /// A single-quoted YAML scalar.
    YamlSingle,
    /// A double-quoted YAML scalar.
    YamlDouble,
}

impl Dialect {
    pub(crate) fn json_in(carrier: Carrier) -> Dialect {
        Dialect::JsonIn {
            carrier,
            sub: false,
        }
    }
}

/// One step from a value to a child: the value of member `i`, item `i`, or the key of member `i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Member(usize),
    Item(usize),
    Key(usize),
}

/// The fix written for the host, or None when it cannot be written safely.
pub(crate) fn host_fix(host: &str, policy: &EmbeddedPolicy, fix: &Fix) -> Option<Fix> {
    if policy.dialect == Dialect::NoFixes || fix.edits.is_empty() {
        return None;
    }
    let old_root = policy.document.root.as_ref()?;
    if !policy.document.errors.is_empty() {
        return None;
    }
    // The deepest value holding every edit.
    let mut path: Option<Vec<Step>> = None;
    for edit in &fix.edits {
        let p = path_to(old_root, edit.span);
        path = Some(match path {
            None => p,
            Some(q) => q
                .iter()
                .zip(&p)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    let mut path = path?;
    // The value is written anew; when its new text is not one value (an item replaced by
    // several items), its parent is, and so on up to the root.
    let (old_span, new_text) = loop {
        match path.split_last() {
            Some((Step::Key(i), parent)) => {
                let old = at(old_root, parent)?.as_object()?.get(*i)?;
                let Some(new) = reparse(&policy.json, old.key.span, fix) else {
                    path.pop();
                    continue;
                };
                let old_host = policy.to_host(old.key.span);
                let key = new.root.as_ref()?.as_str()?;
                let text = if policy.dialect == Dialect::HclPolicyDocument {
                    document_key(key, old, old_host.slice(host))?
                } else {
                    render_key(key, policy.dialect, old_host.slice(host))?
                };
                break (old.key.span, text);
            }
            _ => {
                let old = at(old_root, &path)?;
                // A scalar list item's new text is read as a list of items at once: it is
                // often several (a wildcard action replaced by the actions it matches), and
                // reading those as one value first failed only after the parser's error
                // recovery, the costliest part of such fixes.
                let listed = match path.last() {
                    Some(Step::Item(_)) => new_items(policy, old, fix),
                    _ => None,
                };
                let items = listed
                    .as_ref()
                    .and_then(|d| d.root.as_ref())
                    .and_then(Node::as_array);
                let reparsed;
                let new = match items {
                    Some([one]) => one,
                    // An item replaced by several: the new items where the old one was.
                    Some(items) if items.len() > 1 => {
                        if let Some(spliced) = splice_items(host, policy, old, items) {
                            break spliced;
                        }
                        path.pop()?;
                        continue;
                    }
                    _ => {
                        let Some(doc) = reparse(&policy.json, old.span, fix) else {
                            if let Some(spliced) =
                                items.and_then(|items| splice_items(host, policy, old, items))
                            {
                                break spliced;
                            }
                            path.pop()?;
                            continue;
                        };
                        reparsed = doc;
                        reparsed.root.as_ref()?
                    }
                };
                if let Some(edit) = insert_member(host, policy, old, new) {
                    return Some(Fix {
                        title: fix.title.clone(),
                        safety: fix.safety,
                        edits: vec![edit],
                    });
                }
                let old_host = policy.to_host(old.span);
                let was_container = matches!(old.kind, NodeKind::Array(_) | NodeKind::Object(_));
                break (
                    old.span,
                    render(new, policy.dialect, host, old_host, was_container)?,
                );
            }
        }
    };
    if policy
        .unknowns
        .iter()
        .any(|u| old_span.start <= u.json.end && u.json.start <= old_span.end)
    {
        return None;
    }
    let host_span = policy.to_host(old_span);
    if host_span.is_empty() {
        return None;
    }
    Some(Fix {
        title: fix.title.clone(),
        safety: fix.safety,
        edits: vec![TextEdit {
            span: host_span,
            text: new_text,
        }],
    })
}

/// A fix that adds one member to an object (a missing `Version`, a `Condition`) is written as
/// that member alone, in the style of its siblings: `Key = value` on its own line in HCL, a
/// `Key: value` line at the siblings' column in a YAML block mapping, `"Key": value,` in JSON.
fn insert_member(host: &str, policy: &EmbeddedPolicy, old: &Node, new: &Node) -> Option<TextEdit> {
    let (old_members, new_members) = (old.as_object()?, new.as_object()?);
    if old_members.is_empty() || new_members.len() != old_members.len() + 1 {
        return None;
    }
    let text_of =
        |m: &crate::syntax::Member| (m.key.value.clone(), m.value.as_ref().map(json_text));
    let k = (0..new_members.len()).find(|&k| {
        new_members[..k]
            .iter()
            .chain(&new_members[k + 1..])
            .map(text_of)
            .eq(old_members.iter().map(text_of))
    })?;
    let added = &new_members[k];
    let value = added.value.as_ref()?;
    let old_host = policy.to_host(old.span);
    if policy.dialect == Dialect::HclPolicyDocument {
        return condition_blocks(host, old_host, &added.key.value, value);
    }
    let flow = old_host.slice(host).starts_with(['[', '{']);
    // The sibling the new member goes before (or, when it is last, after).
    let (sibling, before) = match old_members.get(k) {
        Some(m) => (m, true),
        None => (old_members.last()?, false),
    };
    let key_host = policy.to_host(sibling.key.span);
    if key_host.is_empty() {
        return None;
    }
    let line_start = host[..key_host.start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &host[line_start..key_host.start];
    let own_line = prefix.chars().all(|c| c == ' ' || c == '\t');
    let column = " ".repeat(key_host.start - line_start);
    let member = match policy.dialect {
        Dialect::HclExpression => {
            let sibling_text = key_host.slice(host);
            let after_key = &host[key_host.end..];
            let colon = after_key.trim_start().starts_with(':');
            let key = hcl_key(&added.key.value, sibling_text.starts_with('"'));
            let indent = if own_line {
                prefix.to_string()
            } else {
                line_indent(host, key_host.start)
            };
            let v = render_hcl(value, &indent, colon);
            format!("{key}{}{v}", if colon { ": " } else { " = " })
        }
        Dialect::Yaml => yaml_member(added),
        Dialect::HclPolicyDocument | Dialect::NoFixes => return None,
        _ => {
            let json = format!("{}: {}", json_string(&added.key.value), json_text(value));
            escape_json_for(policy.dialect, &json)
        }
    };
    let (comma, newline) = match policy.dialect {
        Dialect::Yaml if !flow => ("", format!("\n{column}")),
        Dialect::HclExpression if own_line => ("", format!("\n{prefix}")),
        _ if own_line => (",", format!("\n{prefix}")),
        _ => (",", " ".to_string()),
    };
    let (span, text) = if before {
        (
            Span::empty(key_host.start),
            format!("{member}{comma}{newline}"),
        )
    } else {
        let last_value = sibling.value.as_ref()?;
        let end = policy.to_host(last_value.span).end;
        (Span::empty(end), format!("{comma}{newline}{member}"))
    };
    Some(TextEdit { span, text })
}

/// A `Condition` added to a statement of a policy document, written as that block's
/// `condition { test, variable, values }` blocks before its closing brace. None for any other
/// member, or when the statement is not a block of its own.
fn condition_blocks(host: &str, statement: Span, key: &str, value: &Node) -> Option<TextEdit> {
    let close = statement.end.checked_sub(1)?;
    if key != "Condition" || host.as_bytes().get(close) != Some(&b'}') {
        return None;
    }
    let indent = line_indent(host, statement.start);
    let text = document_condition_blocks(value, &format!("{indent}  "))?;
    // At the start of the line of the closing brace when it is on a line of its own.
    let line_start = host[..close].rfind('\n').map_or(0, |i| i + 1);
    if !host[line_start..close].trim().is_empty() {
        return None;
    }
    Some(TextEdit {
        span: Span::empty(line_start),
        text,
    })
}

/// A `Condition` value as `condition { test, variable, values }` blocks, each line starting
/// with `inner` and ending with a line break.
fn document_condition_blocks(value: &Node, inner: &str) -> Option<String> {
    let mut text = String::new();
    for operator in value.as_object()? {
        for entry in operator.value.as_ref()?.as_object()? {
            text.push_str(&format!(
                "{inner}condition {{\n{inner}  test     = {}\n{inner}  variable = {}\n{inner}  values   = {}\n{inner}}}\n",
                hcl_policy_document_string(&operator.key.value),
                hcl_policy_document_string(&entry.key.value),
                document_strings(entry.value.as_ref()?)?
            ));
        }
    }
    Some(text)
}

/// A string or a list of strings as a policy document's list (`["a", "b"]`): the data source
/// writes a one-item list as its string, so a string is a list of one.
fn document_strings(node: &Node) -> Option<String> {
    let mut out = String::from("[");
    match &node.kind {
        NodeKind::String(v) => push_hcl_policy_document_string(&mut out, v),
        NodeKind::Array(items) => push_document_strings(&mut out, items)?,
        _ => return None,
    }
    out.push(']');
    Some(out)
}

/// Append the strings `items` as a policy document's strings separated by `, `, into one
/// buffer (a fix that expands a wildcard writes hundreds); None when one is not a string.
fn push_document_strings(out: &mut String, items: &[Node]) -> Option<()> {
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        push_hcl_policy_document_string(out, item.as_str()?);
    }
    Some(())
}

/// A policy statement as a `statement { ... }` block of `aws_iam_policy_document`, its first
/// line where the old block starts and the rest at `indent`: `sid`, `effect`, the action and
/// resource lists, `principals`/`not_principals` blocks and `condition` blocks. None when the
/// statement holds what the block cannot say (another member, a value that is not a string).
fn document_statement(node: &Node, indent: &str, old_text: &str) -> Option<String> {
    let inner = format!("{indent}  ");
    // The data source's default effect stays unwritten where it was.
    let wrote_effect = old_text
        .lines()
        .any(|l| l.trim_start().starts_with("effect"));
    let mut attributes: Vec<(usize, String)> = Vec::new();
    let mut principals = String::new();
    let mut conditions = String::new();
    for m in node.as_object()? {
        let value = m.value.as_ref()?;
        let attr = match m.key.value.as_str() {
            "Effect" if value.as_str() == Some("Allow") && !wrote_effect => continue,
            element @ ("Sid" | "Effect" | "Action" | "NotAction" | "Resource" | "NotResource") => {
                DOCUMENT_ATTRIBUTES
                    .iter()
                    .position(|(e, _)| *e == element)?
            }
            "Principal" | "NotPrincipal" => {
                let block = if m.key.value == "Principal" {
                    "principals"
                } else {
                    "not_principals"
                };
                // `"*"` is the block of type `*` with the identifier `*`.
                let entries: Vec<(String, String)> = match &value.kind {
                    NodeKind::String(star) if star == "*" => {
                        vec![(hcl_string("*"), document_strings(value)?)]
                    }
                    NodeKind::Object(entries) => entries
                        .iter()
                        .map(|e| {
                            let ids = document_strings(e.value.as_ref()?)?;
                            Some((hcl_policy_document_string(&e.key.value), ids))
                        })
                        .collect::<Option<_>>()?,
                    _ => return None,
                };
                for (kind, ids) in entries {
                    principals.push_str(&format!(
                        "{inner}{block} {{\n{inner}  type        = {kind}\n{inner}  identifiers = {ids}\n{inner}}}\n"
                    ));
                }
                continue;
            }
            "Condition" => {
                conditions = document_condition_blocks(value, &inner)?;
                continue;
            }
            _ => return None,
        };
        let written = match attr {
            0 | 1 => hcl_policy_document_string(value.as_str()?),
            _ => document_strings(value)?,
        };
        attributes.push((attr, written));
    }
    // In the order the data source documents them.
    attributes.sort_by_key(|(attr, _)| *attr);
    let mut text = String::from("statement {\n");
    for (attr, written) in attributes {
        text.push_str(&format!(
            "{inner}{} = {written}\n",
            DOCUMENT_ATTRIBUTES[attr].1
        ));
    }
    text.push_str(&principals);
    text.push_str(&conditions);
    text.push_str(indent);
    text.push('}');
    Some(text)
}

/// The value at `span` of the policy's JSON after the fix: the text of that value with the fix's
/// edits applied, parsed on its own (the rest of the policy is unchanged, and it parsed without
/// errors). Parsing only this value, not the whole policy once per fix, keeps fixes cheap on
/// large policies with many findings. None when the new value does not parse cleanly (read
/// with [`syntax::parse_clean`]: a new text that is not one value is an expected outcome here,
/// not a typing mistake, and the repair search for one would be wasted on it); an edit
/// outside `span` (only possible around the root value) has the whole policy parsed again.
fn reparse(json: &str, span: Span, fix: &Fix) -> Option<syntax::Document> {
    let inside = fix
        .edits
        .iter()
        .all(|e| span.start <= e.span.start && e.span.end <= span.end);
    if inside {
        let shifted: Vec<TextEdit> = fix
            .edits
            .iter()
            .map(|e| TextEdit {
                span: Span::new(e.span.start - span.start, e.span.end - span.start),
                text: e.text.clone(),
            })
            .collect();
        syntax::parse_clean(&crate::diagnostic::apply_edits(span.slice(json), &shifted)?)
    } else {
        syntax::parse_clean(&fix.apply(json)?)
    }
}

/// The new text of the scalar list item `old` read as the list of items that replace it
/// (`[new text]`), or None when the fix edits more than the item or that text is not a clean
/// list.
fn new_items(policy: &EmbeddedPolicy, old: &Node, fix: &Fix) -> Option<syntax::Document> {
    let inside = fix
        .edits
        .iter()
        .all(|e| old.span.start <= e.span.start && e.span.end <= old.span.end);
    if !inside || matches!(old.kind, NodeKind::Array(_) | NodeKind::Object(_)) {
        return None;
    }
    let shifted: Vec<TextEdit> = fix
        .edits
        .iter()
        .map(|e| TextEdit {
            span: Span::new(e.span.start - old.span.start, e.span.end - old.span.start),
            text: e.text.clone(),
        })
        .collect();
    let items_text = crate::diagnostic::apply_edits(old.span.slice(&policy.json), &shifted)?;
    syntax::parse_clean(&format!("[{items_text}]"))
}

/// The items that replace the list item `old` (its new text is several items, as when a
/// wildcard action becomes the actions it matches), written in place of it in the host's
/// syntax: separated by `, ` inline, or each on a `- ` line at the item's column in a YAML
/// block sequence. None when they cannot be written that way.
fn splice_items(
    host: &str,
    policy: &EmbeddedPolicy,
    old: &Node,
    items: &[Node],
) -> Option<(Span, String)> {
    let old_host = policy.to_host(old.span);
    if old_host.is_empty() {
        return None;
    }
    let line_start = host[..old_host.start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &host[line_start..old_host.start];
    let block_item = policy.dialect == Dialect::Yaml
        && prefix.trim_start().starts_with('-')
        && prefix.trim_start()[1..].trim().is_empty()
        && prefix.trim_start().len() > 1;
    let separator = if block_item {
        format!("\n{prefix}")
    } else {
        ", ".to_string()
    };
    // One buffer for the run of items; strings in HCL written straight into it (what
    // `render_unchecked` writes for them).
    let mut text = String::new();
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            text.push_str(&separator);
        }
        match (policy.dialect, item.as_str()) {
            (Dialect::HclPolicyDocument, Some(s)) => push_hcl_policy_document_string(&mut text, s),
            (Dialect::HclExpression, Some(s)) => push_hcl_string(&mut text, s),
            _ => text.push_str(&render_unchecked(
                item,
                policy.dialect,
                host,
                old_host,
                false,
            )?),
        }
    }
    // HCL is checked once for the whole run of items, not once per item.
    if matches!(
        policy.dialect,
        Dialect::HclExpression | Dialect::HclPolicyDocument
    ) && !items.iter().all(quoted_by_hcl_string)
    {
        hcl_edit::parser::parse_expr(&format!("[{text}]")).ok()?;
    }
    Some((old.span, text))
}

/// JSON text written inside the host string that holds the policy.
fn escape_json_for(dialect: Dialect, json: &str) -> String {
    let Dialect::JsonIn { carrier, sub } = dialect else {
        return json.to_string();
    };
    let literal = if sub {
        sub_literal(json)
    } else {
        json.to_string()
    };
    match carrier {
        Carrier::Heredoc => hcl_template_escaped(&literal),
        Carrier::HclString => hcl_escaped(&literal),
        Carrier::JsonString => {
            let mut out = String::new();
            push_json_escaped(&mut out, &literal);
            out
        }
        Carrier::YamlBlock => literal,
        // Line by line: a line break between JSON tokens stays one (folded into a space when
        // YAML reads it), so an inserted member keeps the layout of its siblings.
        Carrier::YamlSingle => yaml_single_escaped(&literal),
        Carrier::YamlDouble => literal
            .split('\n')
            .map(yaml_double_escaped)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// True when `span` lies inside `node` (an insertion at a container's edge is outside it).
fn holds(node: &Node, span: Span) -> bool {
    let container = matches!(node.kind, NodeKind::Array(_) | NodeKind::Object(_));
    if span.is_empty() && container {
        node.span.start < span.start && span.start < node.span.end
    } else {
        node.span.start <= span.start && span.end <= node.span.end
    }
}

/// The path to the deepest value (or key) holding `span`.
fn path_to(root: &Node, span: Span) -> Vec<Step> {
    let mut path = Vec::new();
    let mut node = root;
    loop {
        let next = match &node.kind {
            NodeKind::Object(members) => members.iter().enumerate().find_map(|(i, m)| {
                if m.key.span.start <= span.start && span.end <= m.key.span.end && !span.is_empty()
                {
                    return Some((Step::Key(i), None));
                }
                m.value
                    .as_ref()
                    .filter(|v| holds(v, span))
                    .map(|v| (Step::Member(i), Some(v)))
            }),
            NodeKind::Array(items) => items
                .iter()
                .enumerate()
                .find(|(_, v)| holds(v, span))
                .map(|(i, v)| (Step::Item(i), Some(v))),
            _ => None,
        };
        match next {
            Some((step, child)) => {
                path.push(step);
                match child {
                    Some(c) => node = c,
                    None => return path,
                }
            }
            None => return path,
        }
    }
}

fn at<'n>(root: &'n Node, path: &[Step]) -> Option<&'n Node> {
    let mut node = root;
    for step in path {
        node = match step {
            Step::Member(i) => node.as_object()?.get(*i)?.value.as_ref()?,
            Step::Item(i) => node.as_array()?.get(*i)?,
            Step::Key(_) => return None,
        };
    }
    Some(node)
}

/// Compact JSON for a value.
fn render_json(node: &Node, out: &mut String) {
    push_flow(node, out, push_json_string);
}

/// A value written compactly in flow style, its strings and keys by `string`: JSON with
/// `push_json_string`, YAML's flow style with `push_yaml_scalar` (JSON's numbers, booleans and
/// null read the same in YAML).
fn push_flow(node: &Node, out: &mut String, string: fn(&mut String, &str)) {
    match &node.kind {
        NodeKind::Null | NodeKind::Error => out.push_str("null"),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Number(n) => out.push_str(n),
        NodeKind::String(s) => string(out, s),
        NodeKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_flow(item, out, string);
            }
            out.push(']');
        }
        NodeKind::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_member(m, out, string);
            }
            out.push('}');
        }
    }
}

/// `key: value` in flow style (a missing value, only in text with syntax errors, as null).
fn push_member(m: &crate::syntax::Member, out: &mut String, string: fn(&mut String, &str)) {
    string(out, &m.key.value);
    out.push_str(": ");
    match &m.value {
        Some(v) => push_flow(v, out, string),
        None => out.push_str("null"),
    }
}

fn json_text(node: &Node) -> String {
    let mut out = String::new();
    render_json(node, &mut out);
    out
}

/// The indentation of the host line where `offset` is.
fn line_indent(host: &str, offset: usize) -> String {
    let start = host[..offset.min(host.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    host[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// `node` written in `dialect` over the host text at `old` (which held a collection when
/// `was_container`).
fn render(
    node: &Node,
    dialect: Dialect,
    host: &str,
    old: Span,
    was_container: bool,
) -> Option<String> {
    // A policy document's one-item list is read as its string (see `one_item_as_string` in
    // `super::terraform`): when that string becomes several, they go into the list as items.
    if dialect == Dialect::HclPolicyDocument && !was_container && in_host_list(host, old) {
        if let NodeKind::Array(items) = &node.kind {
            // Strings only: written by `hcl_string`, which needs no second reading.
            let mut out = String::new();
            push_document_strings(&mut out, items)?;
            return Some(out);
        }
    }
    let text = render_unchecked(node, dialect, host, old, was_container)?;
    // Never hand out text HCL cannot read. Strings and lists of strings are written by
    // `hcl_string` alone (its round trip through the Terraform reader is tested in
    // `host::tests`), so only other values are read back; that reading was most of the cost
    // of a Terraform file's fixes.
    if dialect == Dialect::HclPolicyDocument && text.starts_with("statement") {
        hcl_edit::parser::parse_body(&text).ok()?;
    } else if matches!(dialect, Dialect::HclExpression | Dialect::HclPolicyDocument)
        && !quoted_by_hcl_string(node)
    {
        hcl_edit::parser::parse_expr(&text).ok()?;
    }
    Some(text)
}

/// A string, or a list of strings: what HCL gets as `hcl_string` output alone.
fn quoted_by_hcl_string(node: &Node) -> bool {
    match &node.kind {
        NodeKind::String(_) => true,
        NodeKind::Array(items) => items.iter().all(|i| matches!(i.kind, NodeKind::String(_))),
        _ => false,
    }
}

/// True when the host text at `old` is an item of a bracketed list (`[` or `,` before it).
fn in_host_list(host: &str, old: Span) -> bool {
    host[..old.start.min(host.len())]
        .trim_end()
        .ends_with(['[', ','])
}

/// [`render`] without reading the HCL it writes back.
fn render_unchecked(
    node: &Node,
    dialect: Dialect,
    host: &str,
    old: Span,
    was_container: bool,
) -> Option<String> {
    let old_text = old.slice(host);
    Some(match dialect {
        Dialect::Json | Dialect::JsonIn { .. } => escape_json_for(dialect, &json_text(node)),
        Dialect::HclExpression => {
            // Keys in the sibling style: `Key = value` unless the object is written with ':'.
            let colon = old_text.contains("\":") && !old_text.contains(" = ");
            render_hcl(node, &line_indent(host, old.start), colon)
        }
        Dialect::HclPolicyDocument => match &node.kind {
            NodeKind::String(s) => hcl_policy_document_string(s),
            // A statement block, written anew where it was.
            NodeKind::Object(_) if old_text.starts_with("statement") => {
                document_statement(node, &line_indent(host, old.start), old_text)?
            }
            NodeKind::Array(items) => {
                let mut out = String::from("[");
                push_document_strings(&mut out, items)?;
                out.push(']');
                out
            }
            _ => return None,
        },
        Dialect::Yaml => {
            let flow = old_text.starts_with(['[', '{']);
            let container = matches!(node.kind, NodeKind::Array(_) | NodeKind::Object(_));
            // A block collection only where one was (a scalar after `Key:` takes a flow one).
            if container && was_container && !flow {
                let column = old.start - host[..old.start].rfind('\n').map_or(0, |i| i + 1);
                render_yaml_block(node, &" ".repeat(column))?
            } else {
                render_yaml_flow(node)
            }
        }
        Dialect::NoFixes => return None,
    })
}

fn render_key(key: &str, dialect: Dialect, old_key: &str) -> Option<String> {
    Some(match dialect {
        Dialect::Json | Dialect::JsonIn { .. } => escape_json_for(dialect, &json_string(key)),
        Dialect::HclExpression => hcl_key(key, old_key.starts_with('"')),
        Dialect::Yaml => yaml_scalar(key),
        // See `document_key`.
        Dialect::HclPolicyDocument | Dialect::NoFixes => return None,
    })
}

/// The statement elements a policy document's `statement` block writes as attributes, with
/// their attribute names (the order is the block's).
const DOCUMENT_ATTRIBUTES: [(&str, &str); 6] = [
    ("Sid", "sid"),
    ("Effect", "effect"),
    ("Action", "actions"),
    ("NotAction", "not_actions"),
    ("Resource", "resources"),
    ("NotResource", "not_resources"),
];

/// A key renamed in a policy document: a condition operator is its block's `test` string, a
/// condition key its `variable` string, a statement element the name of its attribute. An
/// operator that stands for several `condition` blocks (the data source merges blocks with the
/// same test) maps to the first block's `test` alone, so it is not renamed.
fn document_key(key: &str, old: &crate::syntax::Member, old_host: &str) -> Option<String> {
    if old_host.starts_with('"') {
        let blocks = match old.value.as_ref().map(|v| &v.kind) {
            Some(NodeKind::Object(entries)) => entries.len(),
            _ => 1,
        };
        return (blocks == 1).then(|| hcl_policy_document_string(key));
    }
    let attribute = |element: &str| {
        DOCUMENT_ATTRIBUTES
            .iter()
            .find(|(e, _)| *e == element)
            .map(|a| a.1)
    };
    (attribute(&old.key.value)? == old_host)
        .then(|| attribute(key).map(str::to_string))
        .flatten()
}

fn hcl_key(key: &str, quoted: bool) -> String {
    let ident = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident && !quoted {
        key.to_string()
    } else {
        hcl_string(key)
    }
}

/// An HCL expression for `jsonencode`: objects one member per line, lists inline.
fn render_hcl(node: &Node, indent: &str, colon: bool) -> String {
    let mut out = String::new();
    push_hcl(&mut out, node, indent, colon);
    out
}

/// Append [`render_hcl`]`(node, ...)` to `out`: one buffer for the whole value.
fn push_hcl(out: &mut String, node: &Node, indent: &str, colon: bool) {
    match &node.kind {
        NodeKind::String(s) => push_hcl_string(out, s),
        NodeKind::Array(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                push_hcl(out, item, indent, colon);
            }
            out.push(']');
        }
        NodeKind::Object(members) if members.is_empty() => out.push_str("{}"),
        NodeKind::Object(members) => {
            let inner = format!("{indent}  ");
            out.push_str("{\n");
            for m in members {
                out.push_str(&inner);
                if colon {
                    push_hcl_string(out, &m.key.value);
                    out.push_str(": ");
                } else {
                    out.push_str(&hcl_key(&m.key.value, false));
                    out.push_str(" = ");
                }
                match &m.value {
                    Some(v) => push_hcl(out, v, &inner, colon),
                    None => out.push_str("null"),
                }
                out.push('\n');
            }
            out.push_str(indent);
            out.push('}');
        }
        _ => out.push_str(&json_text(node)),
    }
}

fn render_yaml_flow(node: &Node) -> String {
    let mut out = String::new();
    push_flow(node, &mut out, push_yaml_scalar);
    out
}

/// `key: value` with the value in flow style.
fn yaml_member(m: &crate::syntax::Member) -> String {
    let mut out = String::new();
    push_member(m, &mut out, push_yaml_scalar);
    out
}

/// A block collection written where the old one started (its first line's indentation is
/// already in the file); nested collections are written in flow style.
fn render_yaml_block(node: &Node, indent: &str) -> Option<String> {
    let mut out = String::new();
    match &node.kind {
        NodeKind::Array(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.push_str(indent);
                }
                out.push_str("- ");
                push_flow(item, &mut out, push_yaml_scalar);
            }
        }
        NodeKind::Object(members) if !members.is_empty() => {
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.push_str(indent);
                }
                push_member(m, &mut out, push_yaml_scalar);
            }
        }
        _ => push_flow(node, &mut out, push_yaml_scalar),
    }
    Some(out)
}

//! Narrowing fixes: edits that make a grant smaller and never wider. Each builder returns `review`
//! fixes (a person decides whether the narrower grant is what they meant) whose edits keep the
//! document's layout: a list written one item per line stays that way, a one-line policy stays on
//! one line, and indentation follows the surrounding lines.
//!
//! What "never wider" means here, and what the property test in `core/tests/never_wider.rs`
//! checks: an action wildcard is replaced by actions it matches; `"*"` in Resource is replaced by
//! ARN patterns (which `*` covers); NotAction is replaced by actions it did not exclude; a
//! condition is only ever added.

use std::collections::BTreeSet;

use crate::catalog::{AccessLevel, Action, Catalog};
use crate::diagnostic::{Fix, TextEdit};
use crate::policy::{PolicyType, Statement, StringItem, StringList};
use crate::syntax::{Node, NodeKind};

use super::edit::insert_member;
use super::layout::{indent_unit, is_multiline, items_on_own_lines, line_indent, Layout};
use crate::fast_hash::FastSet;
use crate::number_set::NumberSet;
use crate::syntax::quote::{json_string, push_json_string};
use crate::wildcard::has_wildcard;

/// A value a fix writes as a JSON string. Actions write their full name straight from the
/// catalog, so spelling out thousands of them builds no `String` per action.
pub trait JsonText: Sized {
    fn push_json(&self, out: &mut String);
    /// The length of the JSON text when nothing needs an escape (for reserving).
    fn json_len(&self) -> usize;
    /// Each of `values` after `between`, as [`join_json`] writes all but the first. Values
    /// whose text begins alike may copy that part once.
    fn push_each_after(out: &mut String, values: &[Self], between: &str) {
        for v in values {
            out.push_str(between);
            v.push_json(out);
        }
    }
}

impl JsonText for String {
    fn push_json(&self, out: &mut String) {
        push_json_string(out, self);
    }
    fn json_len(&self) -> usize {
        self.len() + 2
    }
}

impl JsonText for &str {
    fn push_json(&self, out: &mut String) {
        push_json_string(out, self);
    }
    fn json_len(&self) -> usize {
        self.len() + 2
    }
}

/// An action's full name in two parts, `prefix:name`, as the catalog stores them.
#[derive(Clone, Copy)]
struct FullName<'c> {
    prefix: &'c str,
    name: &'c str,
}

impl JsonText for FullName<'_> {
    fn push_json(&self, out: &mut String) {
        // The same text as `json_string(&action.full_name())`: no catalog prefix or action name
        // needs an escape (a catalog test checks every one), so both are copied as they are.
        out.push('"');
        out.push_str(self.prefix);
        out.push(':');
        out.push_str(self.name);
        out.push('"');
    }
    fn json_len(&self) -> usize {
        self.prefix.len() + self.name.len() + 3
    }
}

/// `values` as JSON strings, each after `lead`, separated by `separator`, in one buffer
/// reserved once for all of them.
fn join_json<T: JsonText>(out: &mut String, values: &[T], lead: &str, separator: &str) {
    let Some((first, rest)) = values.split_first() else {
        return;
    };
    let size: usize = values.iter().map(JsonText::json_len).sum::<usize>()
        + lead.len()
        + rest.len() * (separator.len() + lead.len());
    out.reserve(size);
    out.push_str(lead);
    first.push_json(out);
    if lead.is_empty() {
        T::push_each_after(out, rest, separator);
    } else {
        // One copy between two values rather than two.
        T::push_each_after(out, rest, &[separator, lead].concat());
    }
}

/// Render strings as a JSON array that matches the layout at `at` (the start of the member
/// whose value it becomes): one per line, indented one unit deeper, when the document is written
/// over several lines; on one line otherwise. The document's indentation unit is asked of
/// `doc` only here (most fixes never need it, and finding it reads the whole text).
fn render_array<T: JsonText>(doc: &Layout<'_>, at: usize, multiline: bool, values: &[T]) -> String {
    let mut out = String::new();
    if !multiline {
        out.push('[');
        join_json(&mut out, values, "", ", ");
        out.push(']');
        return out;
    }
    let indent = line_indent(doc.text(), at);
    let mut inner = String::from(indent);
    inner.push_str(doc.indent_unit());
    out.push_str("[\n");
    join_json(&mut out, values, &inner, ",\n");
    out.push('\n');
    out.push_str(indent);
    out.push(']');
    out
}

/// Replace item `index` of a string list with `values` (duplicates of the other items dropped,
/// compared without case), keeping the list's layout. None when nothing would remain or the
/// index is out of range.
pub fn replace_list_item(
    text: &str,
    list: &StringList<'_>,
    index: usize,
    values: &[String],
) -> Option<TextEdit> {
    replace_with_values(&Layout::new(text), list, index, values)
}

/// The catalog actions a list names by their full name, in any case: `S3:getobject` names
/// s3:GetObject, while `s3:Get*` and `s3:GetObjec?` name no action, whatever they match. A bit
/// per catalog action ([`Action::number`]), so a fix asks about each action it offers in a
/// step, where sorting the list's names without case (and searching them) cost more than the
/// fixes themselves on long lists.
#[derive(Default)]
pub struct ListedActions {
    numbers: NumberSet,
}

impl ListedActions {
    /// From each item's value and the one action it stands for, if any: the item's expansion
    /// when that is a single action (the shared expansion of the list) or the catalog's action
    /// of that full name. The catalog expands a value without a wildcard by looking its
    /// service and name up without ASCII case, so such a value that stands for an action is
    /// that action's full name, and no comparison is needed; a pattern that matches a single
    /// action is not written as its name, and does not name it.
    pub fn new<'v, 'c>(items: impl IntoIterator<Item = (&'v str, Option<Action<'c>>)>) -> Self {
        let mut listed = ListedActions::default();
        for (value, action) in items {
            let Some(action) = action else { continue };
            if has_wildcard(value) {
                continue;
            }
            debug_assert!(
                is_full_name(
                    value,
                    FullName {
                        prefix: action.service().prefix(),
                        name: action.name(),
                    }
                ),
                "{value} stands for {}",
                action.full_name()
            );
            listed.numbers.insert(action.number());
        }
        listed
    }

    /// The actions a list names, each item looked up in the catalog (for a list whose
    /// expansion is not at hand).
    pub fn of_list(list: &StringList<'_>) -> Self {
        let catalog = crate::catalog::catalog();
        ListedActions::new(
            list.items
                .iter()
                .map(|i| (i.value, catalog.action(i.value))),
        )
    }

    /// True when the list names `action`.
    fn contains(&self, action: &Action<'_>) -> bool {
        self.numbers.contains(action.number())
    }
}

/// [`replace_list_item`] in the document `doc`.
fn replace_with_values(
    doc: &Layout<'_>,
    list: &StringList<'_>,
    index: usize,
    values: &[String],
) -> Option<TextEdit> {
    let item = list.items.get(index)?;
    // Values already in the list (other than the one replaced) are not repeated.
    let listed = |v: &str| list.items.iter().any(|k| k.value.eq_ignore_ascii_case(v));
    let mut seen: FastSet<String> = FastSet::default();
    let fresh: Vec<&str> = values
        .iter()
        .filter(|v| {
            (v.eq_ignore_ascii_case(item.value) || !listed(v))
                && seen.insert(v.to_ascii_lowercase())
        })
        .map(String::as_str)
        .collect();
    if fresh.is_empty() {
        return None;
    }
    list_item_edit(doc, list, item, &fresh)
}

/// [`replace_list_item`] for catalog actions given in catalog order (by service, then by name
/// without case, as [`crate::catalog::Catalog::expand_action_pattern`] and
/// [`crate::catalog::Service::actions`] give them), with the actions the list names (`listed`):
/// the same edit, without a `String` per action. In that order a repeated action follows
/// itself.
pub fn replace_list_item_with_actions<'c>(
    doc: &Layout<'_>,
    list: &StringList<'_>,
    index: usize,
    actions: impl Iterator<Item = Action<'c>>,
    listed: &ListedActions,
) -> Option<TextEdit> {
    let item = list.items.get(index)?;
    let fresh = offered(item, actions, listed);
    if fresh.is_empty() {
        return None;
    }
    list_item_edit(doc, list, item, &fresh)
}

/// An action offered in place of a list item: its name as written, and its access level.
#[derive(Clone, Copy)]
struct Offer<'c> {
    name: FullName<'c>,
    level: AccessLevel,
}

impl JsonText for Offer<'_> {
    fn push_json(&self, out: &mut String) {
        self.name.push_json(out);
    }
    fn json_len(&self) -> usize {
        self.name.json_len()
    }
    /// Actions come in runs of one service: what is written between two names (`between`, the
    /// quote and `prefix:`) is one copy for the run, then the name and its closing quote (a
    /// fix spells out thousands of actions; one copy each of five pieces cost twice as much).
    fn push_each_after(out: &mut String, values: &[Self], between: &str) {
        let mut head = String::new();
        // The prefix `head` ends with; compared by address, as a service's actions all lend
        // the catalog's one copy of it (another copy only writes `head` again).
        let mut head_of: Option<&str> = None;
        for v in values {
            let FullName { prefix, name } = v.name;
            if !head_of.is_some_and(|p| std::ptr::eq(p, prefix)) {
                head.clear();
                head.push_str(between);
                head.push('"');
                head.push_str(prefix);
                head.push(':');
                head_of = Some(prefix);
            }
            out.push_str(&head);
            out.push_str(name);
            out.push('"');
        }
    }
}

/// The actions (in catalog order) to write in place of `item`: each once, and none that the
/// list names elsewhere (in any case).
fn offered<'c>(
    item: &StringItem<'_>,
    actions: impl Iterator<Item = Action<'c>>,
    listed: &ListedActions,
) -> Vec<Offer<'c>> {
    // Room for every action offered (a filter's upper bound, such as a service's actions of
    // some access levels): one allocation rather than growing by doubling.
    let (low, high) = actions.size_hint();
    let mut fresh: Vec<Offer<'c>> = Vec::with_capacity(high.unwrap_or(low));
    // The action before, and its service's prefix: the prefix is read once per service.
    let mut previous: Option<(Action<'c>, &'c str)> = None;
    for action in actions {
        let prefix = match previous {
            // The same action again: a repeat is written once.
            Some((p, _)) if p.id() == action.id() => continue,
            Some((p, prefix)) if p.same_service(&action) => prefix,
            _ => action.service().prefix(),
        };
        previous = Some((action, prefix));
        let current = FullName {
            prefix,
            name: action.name(),
        };
        // The item itself may be the action's name (when a fix rewrites a plain name).
        if listed.contains(&action) && !is_full_name(item.value, current) {
            continue;
        }
        fresh.push(Offer {
            name: current,
            level: action.access_level(),
        });
    }
    fresh
}

/// True when `value` starts with `prefix:`, without case.
fn has_service_head(value: &[u8], prefix: &[u8]) -> bool {
    value.len() > prefix.len()
        && value[..prefix.len()].eq_ignore_ascii_case(prefix)
        && value[prefix.len()] == b':'
}

/// True when `value` is the action's full name, without case.
fn is_full_name(value: &str, action: FullName<'_>) -> bool {
    let v = value.as_bytes();
    v.len() == action.prefix.len() + 1 + action.name.len()
        && has_service_head(v, action.prefix.as_bytes())
        && v[action.prefix.len() + 1..].eq_ignore_ascii_case(action.name.as_bytes())
}

/// The edit that writes `fresh` in place of `item`, keeping the list's layout.
fn list_item_edit<T: JsonText>(
    doc: &Layout<'_>,
    list: &StringList<'_>,
    item: &StringItem<'_>,
    fresh: &[T],
) -> Option<TextEdit> {
    let text = doc.text();
    let value = list.value()?;
    if list.is_array {
        let mut out = String::new();
        if items_on_own_lines(text, value) {
            let separator = [",\n", line_indent(text, item.span().start)].concat();
            join_json(&mut out, fresh, "", &separator);
        } else {
            join_json(&mut out, fresh, "", ", ");
        }
        return Some(TextEdit {
            span: item.span(),
            text: out,
        });
    }
    if let [only] = fresh {
        let mut out = String::new();
        only.push_json(&mut out);
        return Some(TextEdit {
            span: item.span(),
            text: out,
        });
    }
    let multiline = text.contains('\n');
    Some(TextEdit {
        span: value.span,
        text: render_array(doc, list.key().span.start, multiline, fresh),
    })
}

/// The access-level choices offered when a service wildcard is spelled out.
const LEVEL_CHOICES: &[(&str, &[AccessLevel])] = &[
    ("Read (read-only)", &[AccessLevel::Read]),
    ("List and Read", &[AccessLevel::List, AccessLevel::Read]),
    ("", &AccessLevel::ALL),
];

/// Fixes for a service wildcard (`s3:*`) at item `index` of Action: one per access-level choice,
/// each listing the service's actions of those levels.
pub fn service_wildcard_fixes(
    doc: &Layout<'_>,
    catalog: &Catalog,
    list: &StringList<'_>,
    index: usize,
    prefix: &str,
    listed: &ListedActions,
) -> Vec<Fix> {
    let Some(service) = catalog.service(prefix) else {
        return Vec::new();
    };
    let Some(item) = list.items.get(index) else {
        return Vec::new();
    };
    let mut counts = [0usize; AccessLevel::ALL.len()];
    for action in service.actions() {
        counts[action.access_level() as usize] += 1;
    }
    // What is offered is found once; each choice takes its levels' part of it.
    let offers = offered(item, service.actions(), listed);
    let mut fixes = Vec::new();
    let mut previous = 0usize;
    for (label, levels) in LEVEL_CHOICES {
        let count: usize = levels.iter().map(|&level| counts[level as usize]).sum();
        if count == 0 || count == previous {
            continue;
        }
        previous = count;
        let some: Vec<Offer<'_>>;
        let chosen = if levels.len() == AccessLevel::ALL.len() {
            &offers
        } else {
            some = offers
                .iter()
                .filter(|o| levels.contains(&o.level))
                .copied()
                .collect();
            &some
        };
        if chosen.is_empty() {
            continue;
        }
        if let Some(edit) = list_item_edit(doc, list, item, chosen) {
            let title = if label.is_empty() {
                format!(
                    "Replace {}:* with all {count} of its actions, spelled out",
                    service.prefix(),
                )
            } else {
                format!(
                    "Replace {}:* with its {count} {label} actions",
                    service.prefix(),
                )
            };
            fixes.push(Fix::review(title, vec![edit]));
        }
    }
    fixes
}

/// The fix for an action pattern such as `s3:Get*`: the actions it matches today (`actions`,
/// the item's expansion in catalog order), spelled out.
pub fn prefix_wildcard_fix(
    doc: &Layout<'_>,
    list: &StringList<'_>,
    index: usize,
    actions: &[Action<'_>],
    listed: &ListedActions,
) -> Option<Fix> {
    let item = list.items.get(index)?;
    if actions.is_empty() {
        return None;
    }
    let edit = replace_list_item_with_actions(doc, list, index, actions.iter().copied(), listed)?;
    // "Replace s3:Get* with the 40 actions it matches", without the formatting machinery (a
    // corpus has tens of thousands of these).
    let mut title = String::with_capacity(item.value.len() + 48);
    title.push_str("Replace ");
    title.push_str(item.value);
    title.push_str(" with the ");
    crate::bytes::push_decimal(&mut title, actions.len());
    title.push_str(" actions it matches");
    Some(Fix::review(title, vec![edit]))
}

/// At most this many ARN patterns are offered in place of `"*"`; more would not be a review
/// anyone can do.
const MAX_TEMPLATES: usize = 16;

/// Turn a catalog ARN template into a pattern the author completes: the partition becomes `aws`,
/// Region and account become `*` (valid, and narrower than `"*"`), and every other placeholder
/// becomes an upper-case name to fill in (`${BucketName}` -> `BUCKET_NAME`).
pub fn template_to_placeholder_arn(template: &str) -> String {
    crate::catalog::fill_arn_template(template, |field, name| {
        let is = |word: &str| name.eq_ignore_ascii_case(word);
        // A placeholder in the service, Region or account field (`${Vendor}`, `${Region}`,
        // `${VpcOwnerAccount}`, ...) cannot be an upper-case name: services are lower case, and
        // those fields only hold a Region or a 12-digit ID, so such a name is an error there.
        // Region and account by name too: a few catalog templates hold two ARNs in one string.
        if is("partition") {
            "aws".to_string()
        } else if (2..=4).contains(&field) || is("region") || is("account") || is("accountid") {
            "*".to_string()
        } else {
            upper_snake(name)
        }
    })
}

fn upper_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push('_');
        }
    }
    out
}

/// The ARN templates of the resource types an action is scoped to: its required types, else all
/// its types. Empty for an action that only works with `"*"`.
pub fn scoping_templates<'c>(action: &Action<'c>) -> impl Iterator<Item = &'c str> + 'c {
    let any_required = action.resource_types().any(|t| t.required);
    action
        .resource_types()
        .filter(move |t| t.required || !any_required)
        .flat_map(|t| t.resource_type.arn_templates())
}

/// Replace `"*"` in Resource with the ARN patterns of the resource types the statement's
/// actions use (for each action its required types, else all its types). Offered only when every
/// action can be scoped to a resource: otherwise the actions that only work with `"*"` would stop
/// working, and the author should move them to a statement of their own first.
///
/// `actions` is every action of the statement's Action list, in item order and with repeats,
/// or None when an item names nothing the catalog knows (then nothing is offered).
pub fn resource_star_fix(
    doc: &Layout<'_>,
    st: &Statement<'_>,
    actions: Option<&[Action<'_>]>,
) -> Option<Fix> {
    let list = st.resource.as_ref()?;
    let index = list.items.iter().position(|i| i.value == "*")?;
    // Every action of every service uses hundreds of resource types: nothing to offer.
    if st
        .action
        .as_ref()?
        .items
        .iter()
        .any(|i| i.value.starts_with('*'))
    {
        return None;
    }
    // Repeated actions add no template, so the expansion is walked as it is, repeats and all.
    let actions = actions?;
    if actions.is_empty() {
        return None;
    }
    let mut templates: Vec<String> = Vec::new();
    // Catalog templates already turned into a pattern: many actions share a resource type.
    let mut done: Vec<&str> = Vec::new();
    for action in actions {
        let mut action_templates = scoping_templates(action).peekable();
        action_templates.peek()?;
        for template in action_templates {
            if done.contains(&template) {
                continue;
            }
            done.push(template);
            let arn = template_to_placeholder_arn(template);
            if !templates.contains(&arn) {
                templates.push(arn);
            }
            if templates.len() > MAX_TEMPLATES {
                return None;
            }
        }
    }
    if templates.is_empty() || templates.len() > MAX_TEMPLATES {
        return None;
    }
    let edit = replace_with_values(doc, list, index, &templates)?;
    Some(Fix::review(
        format!(
            "Replace Resource \"*\" with the {} resource ARN pattern{} these actions use (fill in the upper-case names)",
            templates.len(),
            if templates.len() == 1 { "" } else { "s" }
        ),
        vec![edit],
    ))
}

/// At most this many actions replace a NotAction.
const MAX_NOT_ACTION_EXPANSION: usize = 400;

/// Replace Allow + NotAction with the explicit actions it allows within the services it names
/// (and the services of its Resource ARNs). Strictly narrower: actions of every other service
/// are no longer granted.
pub fn not_action_fix(
    doc: &Layout<'_>,
    catalog: &Catalog,
    policy_type: &PolicyType,
    st: &Statement<'_>,
) -> Option<Fix> {
    let list = st.not_action.as_ref()?;
    let value = list.value()?;
    let excluded = |name: &str| {
        list.items
            .iter()
            .any(|i| crate::wildcard::action_matches(i.value, name))
    };
    let arns: Vec<&str> = st
        .resource
        .as_ref()
        .map(|r| r.items.iter().map(|i| i.value).collect())
        .unwrap_or_default();
    let every_resource = arns.is_empty() || arns.contains(&"*");
    // A resource policy only governs the actions of its own resource: without named ARNs there
    // is no telling which service's actions it can list.
    if every_resource && matches!(policy_type, PolicyType::Resource { .. }) {
        return None;
    }
    let mut prefixes: BTreeSet<String> = BTreeSet::new();
    let mut names: Vec<String> = Vec::new();
    if every_resource {
        // Every resource: the services the author had in mind are the ones NotAction names.
        for item in &list.items {
            if let Some((service, _)) = item.value.split_once(':') {
                if !service.contains('*') && !service.contains('?') {
                    prefixes.insert(service.to_ascii_lowercase());
                }
            }
        }
        for prefix in &prefixes {
            let Some(service) = catalog.service(prefix) else {
                continue;
            };
            for action in service.actions() {
                let name = action.full_name();
                if !excluded(&name) {
                    names.push(name);
                }
            }
        }
    } else {
        // Named resources: the actions that can apply to them (by the catalog's resource types),
        // so the result names no action the resources cannot take.
        let mut types: Vec<(String, String)> = Vec::new();
        for arn in &arns {
            // Only the ARN's own service: other services list some ARNs among their resource
            // types (ssm:SendCommand and S3 buckets), but a resource policy cannot govern them.
            let own = arn.split(':').nth(2).unwrap_or("");
            for t in catalog.resource_types_for_arn(arn) {
                if !t.service().prefix().eq_ignore_ascii_case(own) {
                    continue;
                }
                let key = (t.service().prefix().to_string(), t.name().to_string());
                if !types.contains(&key) {
                    prefixes.insert(key.0.clone());
                    types.push(key);
                }
            }
        }
        for prefix in &prefixes {
            let Some(service) = catalog.service(prefix) else {
                continue;
            };
            for action in service.actions() {
                let applies = action.resource_types().any(|r| {
                    types.iter().any(|(p, n)| {
                        p == r.resource_type.service().prefix() && n == r.resource_type.name()
                    })
                });
                let name = action.full_name();
                if applies && !excluded(&name) {
                    names.push(name);
                }
            }
        }
    }
    if names.is_empty() || names.len() > MAX_NOT_ACTION_EXPANSION {
        return None;
    }
    let multiline = text_is_multiline(doc.text(), st.node);
    let services: Vec<&str> = prefixes.iter().map(String::as_str).collect();
    Some(Fix::review(
        format!(
            "Replace NotAction with the {} {} actions it allows",
            names.len(),
            services.join("/")
        ),
        vec![
            TextEdit {
                span: list.key().span,
                text: "\"Action\"".to_string(),
            },
            TextEdit {
                span: value.span,
                text: render_array(doc, list.key().span.start, multiline, &names),
            },
        ],
    ))
}

fn text_is_multiline(text: &str, node: &Node) -> bool {
    is_multiline(text, node.span)
}

/// Render `{"k": v, ...}` where values are already JSON text, laid out like the code at `at`.
fn render_object(text: &str, at: usize, multiline: bool, members: &[(String, String)]) -> String {
    if !multiline {
        let parts: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{}: {v}", json_string(k)))
            .collect();
        return format!("{{{}}}", parts.join(", "));
    }
    let indent = line_indent(text, at);
    let inner = format!("{indent}{}", indent_unit(text));
    let parts: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{inner}{}: {v}", json_string(k)))
        .collect();
    format!("{{\n{}\n{indent}}}", parts.join(",\n"))
}

/// Like [`render_object`], for a value nested one level deeper than the line at `at`.
fn render_nested(
    text: &str,
    at: usize,
    multiline: bool,
    depth: usize,
    members: &[(String, String)],
) -> String {
    if !multiline {
        return render_object(text, at, false, members);
    }
    let unit = indent_unit(text);
    let indent = format!("{}{}", line_indent(text, at), unit.repeat(depth));
    let inner = format!("{indent}{unit}");
    let parts: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{inner}{}: {v}", json_string(k)))
        .collect();
    format!("{{\n{}\n{indent}}}", parts.join(",\n"))
}

/// A fix that adds condition entries to a statement: into an existing block of the same
/// operator, as a new block of an existing Condition, or as a new Condition element. `entries`
/// are (operator, key, value) triples; values are strings.
pub fn add_condition_fix(
    text: &str,
    st: &Statement<'_>,
    title: impl Into<String>,
    entries: &[(&str, &str, &str)],
) -> Option<Fix> {
    let multiline = is_multiline(text, st.node.span);
    let mut operators: Vec<&str> = Vec::new();
    for (op, _, _) in entries {
        if !operators.contains(op) {
            operators.push(op);
        }
    }
    let entries_of = |op: &str| -> Vec<(String, String)> {
        entries
            .iter()
            .filter(|(o, _, _)| *o == op)
            .map(|(_, k, v)| (k.to_string(), json_string(v)))
            .collect()
    };
    let mut edits = Vec::new();
    match st.condition.and_then(|m| m.value.as_ref()) {
        None => {
            if st.condition.is_some() {
                return None;
            }
            let member_at = st
                .node
                .as_object()
                .and_then(|m| m.last())
                .map(|m| m.key.span.start)
                .unwrap_or(st.node.span.start);
            let blocks: Vec<(String, String)> = operators
                .iter()
                .map(|op| {
                    (
                        op.to_string(),
                        render_nested(text, member_at, multiline, 1, &entries_of(op)),
                    )
                })
                .collect();
            let value = render_object(text, member_at, multiline, &blocks);
            edits.push(insert_member(text, st.node, "Condition", &value)?);
        }
        Some(condition) => {
            let NodeKind::Object(blocks) = &condition.kind else {
                return None;
            };
            if blocks.is_empty() {
                // `"Condition": {}`: write every block at once (separate insertions would each
                // replace the same empty object and overlap).
                let at = condition.span.start;
                let rendered: Vec<(String, String)> = operators
                    .iter()
                    .map(|op| {
                        (
                            op.to_string(),
                            render_nested(text, at, multiline, 1, &entries_of(op)),
                        )
                    })
                    .collect();
                edits.push(TextEdit {
                    span: condition.span,
                    text: render_object(text, at, multiline, &rendered),
                });
            }
            for op in operators.iter().filter(|_| !blocks.is_empty()) {
                let existing = blocks.iter().find(|b| b.key.value == *op);
                match existing.and_then(|b| b.value.as_ref()) {
                    Some(block) => {
                        let NodeKind::Object(members) = &block.kind else {
                            return None;
                        };
                        if members.is_empty() {
                            let value =
                                render_object(text, block.span.start, multiline, &entries_of(op));
                            edits.push(TextEdit {
                                span: block.span,
                                text: value,
                            });
                            continue;
                        }
                        for (k, v) in entries_of(op) {
                            if members.iter().any(|m| m.key.value.eq_ignore_ascii_case(&k)) {
                                // Never rewrite an existing test: adding to it could widen it.
                                return None;
                            }
                            edits.push(insert_member(text, block, &k, &v)?);
                        }
                    }
                    None => {
                        let at = blocks
                            .last()
                            .map(|b| b.key.span.start)
                            .unwrap_or(condition.span.start);
                        let value = render_object(text, at, multiline, &entries_of(op));
                        edits.push(insert_member(text, condition, op, &value)?);
                    }
                }
            }
        }
    }
    // Insertions at the same point must be merged to keep edits non-overlapping.
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut merged: Vec<TextEdit> = Vec::new();
    for edit in edits {
        match merged.last_mut() {
            Some(last) if last.span == edit.span && edit.span.is_empty() => {
                last.text.push_str(&edit.text)
            }
            _ => merged.push(edit),
        }
    }
    Some(Fix::review(title, merged))
}

#[cfg(test)]
mod tests;

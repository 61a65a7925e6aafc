//! Hover: Markdown about the thing under the pointer (an element name, an action, a service
//! prefix, a condition operator or key, an ARN, the Version).

use std::fmt::Write as _;

use crate::catalog::{self, AccessLevel, Action, Catalog, ConditionValueType};
use crate::policy::ConditionOperator;
use crate::span::Span;
use crate::suggest::did_you_mean;
use crate::syntax::{self, Node, NodeKind};

use super::docs;
use super::locate::{locate, statement_actions, Mode, Place, Slot, Token};
use super::Hover;

/// How many actions a wildcard hover lists by name.
const WILDCARD_SAMPLE: usize = 10;
/// How many condition keys or resource types an action hover lists before "and N more".
const LIST_LIMIT: usize = 12;

/// The hover at byte `offset` of `text`, or None when there is nothing to say.
pub fn hover(text: &str, offset: usize) -> Option<Hover> {
    hover_in(text, &syntax::parse(text), offset)
}

/// [`hover`] on a document already parsed with [`syntax::parse`] (`document` must be the parse
/// of `text`): an editor parses each text version once, and a hover then costs microseconds.
pub fn hover_in(text: &str, document: &syntax::Document, offset: usize) -> Option<Hover> {
    let place = locate(text, document.root.as_ref(), offset, Mode::Hover)?;
    let catalog = catalog::catalog();
    match place.token {
        Token::Key(key) => {
            let markdown = key_markdown(&place, &key.value, catalog)?;
            Some(Hover {
                markdown,
                span: key.span,
            })
        }
        Token::Value(node) => value_hover(text, &place, node, offset, catalog),
        Token::Gap { .. } => None,
    }
}

fn key_markdown(place: &Place<'_>, name: &str, catalog: &Catalog) -> Option<String> {
    match place.slot {
        Slot::PolicyKey => docs::find(docs::POLICY_ELEMENT_DOCS, name)
            .map(|d| docs::element_markdown(d, "policy element")),
        Slot::StatementKey => docs::find(docs::STATEMENT_ELEMENT_DOCS, name)
            .map(|d| docs::element_markdown(d, "statement element")),
        Slot::PrincipalKind => docs::find(docs::PRINCIPAL_KIND_DOCS, name)
            .map(|d| docs::element_markdown(d, "principal kind")),
        Slot::ConditionOperator => Some(match ConditionOperator::parse(name) {
            Some(op) => docs::operator_markdown(&op),
            None => unknown_operator(name),
        }),
        Slot::ConditionKey => Some(condition_key_markdown(place, name, catalog)),
        _ => None,
    }
}

fn unknown_operator(name: &str) -> String {
    let names: Vec<String> = all_operator_names();
    let mut md = format!("**{name}** is not a condition operator.");
    if let Some(s) = did_you_mean(name, names.iter().map(String::as_str)) {
        let _ = write!(md, " Did you mean `{s}`?");
    }
    md
}

/// Every operator name without qualifiers, with and without IfExists.
pub(crate) fn all_operator_names() -> Vec<String> {
    let mut names = Vec::new();
    for op in crate::policy::BaseOperator::ALL {
        names.push(op.name().to_string());
        if *op != crate::policy::BaseOperator::Null {
            names.push(format!("{}IfExists", op.name()));
        }
    }
    names
}

fn value_hover(
    text: &str,
    place: &Place<'_>,
    node: &Node,
    offset: usize,
    catalog: &Catalog,
) -> Option<Hover> {
    let NodeKind::String(value) = &node.kind else {
        return None;
    };
    let whole = |markdown: String| {
        Some(Hover {
            markdown,
            span: node.span,
        })
    };
    match place.slot {
        Slot::Version => {
            let (_, text) = docs::VERSION_VALUES.iter().find(|(v, _)| v == value)?;
            whole(format!("**Version {value}**\n\n{text}"))
        }
        Slot::Effect => {
            let (_, text) = docs::EFFECT_VALUES.iter().find(|(v, _)| v == value)?;
            whole(format!("**{value}**\n\n{text}"))
        }
        Slot::Action => action_hover(text, node, value, offset, catalog),
        Slot::Resource => whole(arn_markdown(value, catalog)?),
        Slot::PrincipalValue if value == "*" => whole(
            "**`\"*\"`** — every principal: any AWS account, any user or role, and anonymous \
             callers. Narrow it with conditions such as `aws:PrincipalOrgID`, or name the \
             principals."
                .to_string(),
        ),
        Slot::PrincipalItem { kind } if kind.value == "AWS" && value.starts_with("arn:") => {
            whole(arn_markdown(value, catalog)?)
        }
        _ => None,
    }
}

fn action_hover(
    text: &str,
    node: &Node,
    value: &str,
    offset: usize,
    catalog: &Catalog,
) -> Option<Hover> {
    if value == "*" {
        return Some(Hover {
            markdown: wildcard_markdown(value, catalog),
            span: node.span,
        });
    }
    let (prefix, name) = value.split_once(':')?;
    // Pointing at the service prefix describes the service.
    let colon = syntax::string_offset(text, node, prefix.len());
    if offset < colon && !prefix.contains(['*', '?']) {
        let service = catalog.service(prefix)?;
        let start = syntax::string_offset(text, node, 0);
        return Some(Hover {
            markdown: service_markdown(service),
            span: Span::new(start, colon),
        });
    }
    let markdown = if value.contains(['*', '?']) {
        wildcard_markdown(value, catalog)
    } else {
        match catalog.action(value) {
            Some(action) => action_markdown(action, catalog),
            None => {
                let service = catalog.service(prefix)?;
                let mut md = format!("**{value}** is not an action of {}.", service.name());
                let names: Vec<&str> = service.actions().map(|a| a.name()).collect();
                if let Some(s) = did_you_mean(name, names.iter().copied()) {
                    let _ = write!(md, " Did you mean `{}:{s}`?", service.prefix());
                }
                md
            }
        }
    };
    Some(Hover {
        markdown,
        span: node.span,
    })
}

fn data_line(catalog: &Catalog) -> String {
    let date = catalog.data_date();
    if date.is_empty() {
        String::new()
    } else {
        format!(
            "\n\n_AWS catalog data of {date} ({} {})_",
            catalog.source_package(),
            catalog.source_version()
        )
    }
}

fn action_markdown(action: Action<'_>, catalog: &Catalog) -> String {
    let service = action.service();
    let mut md = format!("**{}** — {}", action.full_name(), service.name());
    if !action.description().is_empty() {
        let _ = write!(md, "\n\n{}", action.description());
    }
    let _ = write!(
        md,
        "\n\n**Access level:** {}",
        action.access_level().as_str()
    );
    let resources: Vec<String> = action
        .resource_types()
        .map(|r| {
            if r.required {
                format!("`{}` (required)", r.resource_type.name())
            } else {
                format!("`{}`", r.resource_type.name())
            }
        })
        .collect();
    if resources.is_empty() {
        md.push_str("\n\n**Resource types:** none — use `\"Resource\": \"*\"`");
    } else {
        let _ = write!(md, "\n\n**Resource types:** {}", limited(&resources));
    }
    let keys: Vec<String> = action
        .condition_keys()
        .map(|k| format!("`{}`", k.name()))
        .collect();
    if !keys.is_empty() {
        let _ = write!(md, "\n\n**Condition keys:** {}", limited(&keys));
    }
    let dependent: Vec<String> = action
        .dependent_actions()
        .map(|a| format!("`{a}`"))
        .collect();
    if !dependent.is_empty() {
        let _ = write!(md, "\n\n**Also needs:** {}", limited(&dependent));
    }
    md.push_str(&data_line(catalog));
    md
}

fn limited(items: &[String]) -> String {
    limited_of(items, items.len())
}

/// [`limited`] of a list of `total` items of which `first` holds at least the first
/// `LIST_LIMIT + 1` (or all of them).
fn limited_of(first: &[String], total: usize) -> String {
    if total <= LIST_LIMIT {
        first.join(", ")
    } else {
        format!(
            "{}, and {} more",
            first[..LIST_LIMIT.min(first.len())].join(", "),
            total - LIST_LIMIT
        )
    }
}

/// Counts per access level, in catalog order, skipping empty levels: "Read 12, List 3".
fn by_access_level<'c>(actions: impl Iterator<Item = Action<'c>>) -> String {
    let mut counts = [0usize; AccessLevel::ALL.len()];
    for a in actions {
        if let Some(i) = AccessLevel::ALL.iter().position(|l| *l == a.access_level()) {
            counts[i] += 1;
        }
    }
    AccessLevel::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{} {n}", l.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn wildcard_markdown(pattern: &str, catalog: &Catalog) -> String {
    let actions = catalog.expand_action_pattern(pattern);
    if actions.is_empty() {
        return format!(
            "**{pattern}** matches no action in the AWS catalog.{}",
            data_line(catalog)
        );
    }
    let services = {
        let mut prefixes: Vec<&str> = actions.iter().map(|a| a.service().prefix()).collect();
        prefixes.dedup();
        prefixes.len()
    };
    let mut md = format!(
        "**{pattern}** grants {} action{}",
        actions.len(),
        if actions.len() == 1 { "" } else { "s" }
    );
    if services > 1 {
        let _ = write!(md, " in {services} services");
    }
    let _ = write!(
        md,
        ".\n\n**By access level:** {}\n\n**First:** ",
        by_access_level(actions.iter().copied())
    );
    let sample: Vec<String> = actions
        .iter()
        .take(WILDCARD_SAMPLE)
        .map(|a| format!("`{}`", a.full_name()))
        .collect();
    md.push_str(&sample.join(", "));
    if actions.len() > WILDCARD_SAMPLE {
        let _ = write!(md, ", … ({} more)", actions.len() - WILDCARD_SAMPLE);
    }
    md.push_str(&data_line(catalog));
    md
}

fn service_markdown(service: catalog::Service<'_>) -> String {
    let count = service.actions().count();
    let mut md = format!(
        "**{}** — service prefix of {}\n\n{count} actions: {}",
        service.prefix(),
        service.name(),
        by_access_level(service.actions())
    );
    let types: Vec<String> = service
        .resource_types()
        .map(|r| format!("`{}`", r.name()))
        .collect();
    if !types.is_empty() {
        let _ = write!(md, "\n\n**Resource types:** {}", limited(&types));
    }
    md
}

pub(crate) fn value_type_text(t: ConditionValueType) -> &'static str {
    match t {
        ConditionValueType::String => "String",
        ConditionValueType::Numeric => "Numeric",
        ConditionValueType::Date => "Date",
        ConditionValueType::Bool => "Bool",
        ConditionValueType::Binary => "Binary",
        ConditionValueType::IpAddress => "IP address",
        ConditionValueType::Arn => "ARN",
        ConditionValueType::ArrayOfString => "Array of String",
        ConditionValueType::ArrayOfNumeric => "Array of Numeric",
        ConditionValueType::ArrayOfDate => "Array of Date",
        ConditionValueType::ArrayOfBool => "Array of Bool",
        ConditionValueType::ArrayOfArn => "Array of ARN",
    }
}

fn condition_key_markdown(place: &Place<'_>, name: &str, catalog: &Catalog) -> String {
    let Some(key) = catalog.condition_key(name) else {
        let mut md = format!("**{name}** is not a known condition key.");
        let globals: Vec<&str> = catalog.global_condition_keys().map(|k| k.name()).collect();
        if let Some(s) = did_you_mean(name, globals.iter().copied()) {
            let _ = write!(md, " Did you mean `{s}`?");
        }
        return md;
    };
    let mut md = format!("**{}** (condition key)", key.name());
    let _ = write!(
        md,
        "\n\n**Type:** {} — {}",
        value_type_text(key.value_type()),
        if key.is_multivalued() {
            "multi-valued (use `ForAnyValue:` or `ForAllValues:`)"
        } else {
            "single-valued"
        }
    );
    if !key.description().is_empty() {
        let _ = write!(md, "\n\n{}", key.description());
    }
    let actions = statement_actions(place, catalog);
    let supporting: Vec<&Action<'_>> = actions
        .iter()
        .filter(|a| a.supports_condition_key(name))
        .collect();
    if key.is_global() {
        md.push_str("\n\nA global key: present in requests to every service where it applies.");
    }
    if !supporting.is_empty() {
        let _ = write!(
            md,
            "\n\n**Supported by {} of this statement's {} actions:** {}",
            supporting.len(),
            actions.len(),
            // Only the names shown are formatted (a statement can have a thousand actions).
            limited_of(
                &supporting
                    .iter()
                    .take(LIST_LIMIT + 1)
                    .map(|a| format!("`{}`", a.full_name()))
                    .collect::<Vec<_>>(),
                supporting.len()
            )
        );
    } else if !key.is_global() && !actions.is_empty() {
        md.push_str("\n\n**None** of this statement's actions supports this key.");
    }
    md
}

/// The parts of an ARN and the resource types it matches.
fn arn_markdown(arn: &str, catalog: &Catalog) -> Option<String> {
    if arn == "*" {
        return Some(
            "**`\"*\"`** — every resource. Actions that support resource types can usually be \
             scoped to ARNs instead."
                .to_string(),
        );
    }
    let rest = arn.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let partition = parts.next().unwrap_or("");
    let service = parts.next().unwrap_or("");
    let region = parts.next().unwrap_or("");
    let account = parts.next().unwrap_or("");
    let resource = parts.next().unwrap_or("");
    let show = |s: &str| {
        if s.is_empty() {
            "_(empty)_".to_string()
        } else {
            format!("`{s}`")
        }
    };
    let mut md = format!(
        "**ARN**\n\n| part | value |\n| --- | --- |\n| partition | {} |\n| service | {} |\n| region | {} |\n| account | {} |\n| resource | {} |",
        show(partition),
        show(service),
        show(region),
        show(account),
        show(resource)
    );
    let types = catalog.resource_types_for_arn(arn);
    if types.is_empty() {
        if catalog.service(service).is_some() || service.contains(['*', '?']) {
            md.push_str("\n\nMatches no resource type of the service.");
        }
    } else {
        md.push_str("\n\n**Resource type:** ");
        let names: Vec<String> = types
            .iter()
            .map(|t| {
                let template = t.arn_templates().next().unwrap_or("");
                format!("`{}` of {} (`{template}`)", t.name(), t.service().name())
            })
            .collect();
        md.push_str(&limited(&names));
    }
    Some(md)
}

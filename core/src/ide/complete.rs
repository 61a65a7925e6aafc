//! Completion: what can be typed at the cursor, with the text to insert and the span it replaces.
//! Works inside a string that is still being typed (unterminated), on a bare word, and in the
//! whitespace where a key or a value goes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::AnalyzeOptions;
use crate::catalog::{self, Action, Catalog, ConditionKey, ConditionValueType};
use crate::policy::{BaseOperator, ConditionOperator, Policy, SetQualifier};
use crate::span::Span;
use crate::syntax::{self, Node, NodeKind};

use super::docs;
use super::locate::{locate, statement_actions, Mode, Place, Slot, Token};
use super::{CompletionItem, CompletionKind};

/// The completions at byte `offset` of `text`. `options.policy_type` decides whether Principal
/// is offered (not in identity-like policies); `Auto` infers it from the document.
pub fn completions(text: &str, offset: usize, options: &AnalyzeOptions) -> Vec<CompletionItem> {
    let document = syntax::parse(text);
    collect(text, &document, offset, options, Filter::All).items
}

/// A completion answer for an editor that re-asks as the user types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionList {
    pub items: Vec<CompletionItem>,
    /// Items were left out (they do not match what is typed, or the list was cut at the
    /// limit): the editor must ask again when the user types on (LSP `isIncomplete`).
    pub is_incomplete: bool,
}

/// [`completions`] on a document already parsed with [`syntax::parse`], at most `limit` items.
///
/// A list of at most `limit` proposals comes whole, for the editor to filter. A longer one (the
/// 870 EC2 actions after `ec2:`) keeps only the proposals whose label contains what is typed as
/// a case-insensitive subsequence (what editors' fuzzy filters show; prefix matches first, each
/// group in the usual order), cut at `limit`, and is marked incomplete.
pub fn completion_list(
    text: &str,
    document: &syntax::Document,
    offset: usize,
    options: &AnalyzeOptions,
    limit: usize,
) -> CompletionList {
    collect(text, document, offset, options, Filter::Typed { limit })
}

/// The documentation of the proposal labelled `label` at `offset`: what an editor that resolves
/// completion items lazily asks for (the list itself then goes out without documentation).
pub fn completion_documentation(
    text: &str,
    document: &syntax::Document,
    offset: usize,
    options: &AnalyzeOptions,
    label: &str,
) -> Option<String> {
    collect(text, document, offset, options, Filter::Label(label))
        .items
        .into_iter()
        .find(|i| i.label == label)
        .and_then(|i| i.documentation_markdown)
}

/// Which proposals a request wants.
#[derive(Clone, Copy)]
enum Filter<'a> {
    /// Every proposal.
    All,
    /// Proposals matching the typed text, when there are more than `limit`.
    Typed { limit: usize },
    /// Only the proposal with this label.
    Label(&'a str),
}

/// How well a label matches the typed text: 0 prefix, 1 subsequence, 2 no match (both
/// case-insensitive).
///
/// The label comes in `parts` to be read one after the other, so that the 870 labels of a
/// service's actions need not be built to be ranked.
fn match_rank(parts: &[&str], typed: &str) -> u8 {
    let label = || parts.iter().flat_map(|p| p.bytes());
    let t = typed.as_bytes();
    let mut prefix = label();
    if t.iter()
        .all(|c| prefix.next().is_some_and(|b| b.eq_ignore_ascii_case(c)))
    {
        return 0;
    }
    let mut rest = label();
    let subsequence = t.iter().all(|c| rest.any(|b| b.eq_ignore_ascii_case(c)));
    if subsequence {
        1
    } else {
        2
    }
}

/// The parts read one after the other are `label`.
fn parts_equal(parts: &[&str], label: &str) -> bool {
    let mut rest = label;
    for p in parts {
        match rest.strip_prefix(p) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

fn collect(
    text: &str,
    document: &syntax::Document,
    offset: usize,
    options: &AnalyzeOptions,
    filter: Filter<'_>,
) -> CompletionList {
    let Some(place) = locate(text, document.root.as_ref(), offset, Mode::Complete) else {
        return CompletionList {
            items: Vec::new(),
            is_incomplete: false,
        };
    };
    let target = Target::new(text, &place, offset);
    let catalog = catalog::catalog();
    let mut out = Out {
        target: &target,
        items: Vec::new(),
        ranks: Vec::new(),
        filter,
        filtering: false,
        skipped: 0,
        kept: [0, 0],
    };
    match place.slot {
        Slot::PolicyKey => {
            let present = present_keys(document.root.as_ref(), &place);
            for d in docs::POLICY_ELEMENT_DOCS {
                if !present.contains(&d.name) {
                    out.element(d, "policy element");
                }
            }
        }
        Slot::StatementKey => {
            let policy = Policy::from_root(document.root.as_ref());
            let policy_type = options.policy_type.resolve(&policy);
            let present = present_keys(place.statement, &place);
            let has = |k: &str| present.contains(&k);
            for d in docs::STATEMENT_ELEMENT_DOCS {
                let principal = matches!(d.name, "Principal" | "NotPrincipal");
                if has(d.name)
                    || (principal && policy_type.is_identity_like())
                    || (principal && (has("Principal") || has("NotPrincipal")))
                    || (matches!(d.name, "Action" | "NotAction")
                        && (has("Action") || has("NotAction")))
                    || (matches!(d.name, "Resource" | "NotResource")
                        && (has("Resource") || has("NotResource")))
                {
                    continue;
                }
                out.element(d, "statement element");
            }
        }
        Slot::PrincipalKind => {
            for d in docs::PRINCIPAL_KIND_DOCS {
                out.element(d, "principal kind");
            }
        }
        Slot::Version => {
            for (v, doc) in docs::VERSION_VALUES {
                out.value(v, None, doc);
            }
        }
        Slot::Effect => {
            for (v, doc) in docs::EFFECT_VALUES {
                out.value(v, None, doc);
            }
        }
        Slot::PrincipalValue => out.value(
            "*",
            Some("every principal"),
            "Anyone, including anonymous callers. Narrow it with conditions or use an object \
             of principal kinds.",
        ),
        Slot::Action => action_items(&mut out, catalog),
        Slot::Resource => arn_items(&mut out, &place, catalog),
        Slot::ConditionOperator => operator_items(&mut out),
        Slot::ConditionKey => condition_key_items(&mut out, &place, catalog),
        Slot::ConditionValue { operator, key } => {
            let op = ConditionOperator::parse(&operator.value);
            let is_bool = op
                .is_some_and(|o| matches!(o.base, BaseOperator::Bool | BaseOperator::Null))
                || catalog.condition_key(&key.value).is_some_and(|k| {
                    matches!(
                        k.value_type(),
                        ConditionValueType::Bool | ConditionValueType::ArrayOfBool
                    )
                });
            if is_bool {
                let null = op.is_some_and(|o| o.base == BaseOperator::Null);
                for v in ["true", "false"] {
                    let doc = match (null, v) {
                        (true, "true") => "The key is absent from the request.",
                        (true, _) => "The key is present in the request.",
                        _ => "A boolean value, written as a string.",
                    };
                    out.value(v, None, doc);
                }
            }
        }
        Slot::Id | Slot::Sid | Slot::PrincipalItem { .. } => {}
    }
    out.finish()
}

/// Keys already present in the object around the cursor, except the one being typed.
fn present_keys<'a>(object: Option<&'a Node>, place: &Place<'_>) -> Vec<&'a str> {
    let editing = place.member.map(|m| m.key.span);
    object
        .and_then(Node::as_object)
        .unwrap_or(&[])
        .iter()
        .filter(|m| Some(m.key.span) != editing)
        .map(|m| m.key.value.as_str())
        .collect()
}

/// Where the completion goes and how the inserted text must be wrapped.
struct Target {
    replace: Span,
    /// What has been typed so far (raw text from the start of the token to the cursor).
    typed: String,
    /// Whether the insert needs quotes around it (bare word or gap), and a closing quote only
    /// (unterminated string).
    wrap: Wrap,
    /// The place is a key (so a gap insert gets `: ` after it).
    is_key: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wrap {
    None,
    CloseQuote,
    Quotes,
}

impl Target {
    fn new(text: &str, place: &Place<'_>, offset: usize) -> Target {
        let is_key = matches!(place.token, Token::Key(_))
            || (matches!(place.token, Token::Gap { .. })
                && matches!(
                    place.slot,
                    Slot::PolicyKey
                        | Slot::StatementKey
                        | Slot::PrincipalKind
                        | Slot::ConditionOperator
                        | Slot::ConditionKey
                ));
        let string_target = |span: Span| {
            let closed = span.len() >= 2 && text.as_bytes().get(span.end - 1) == Some(&b'"');
            let start = span.start + 1;
            let end = if closed { span.end - 1 } else { span.end };
            (
                Span::new(start, end.max(start)),
                if closed { Wrap::None } else { Wrap::CloseQuote },
            )
        };
        let (replace, wrap) = match place.token {
            Token::Key(key) => string_target(key.span),
            Token::Value(node) if matches!(node.kind, NodeKind::String(_)) => {
                string_target(node.span)
            }
            Token::Value(node) => (node.span, Wrap::Quotes),
            Token::Gap { partial } => (partial, Wrap::Quotes),
        };
        let typed = text
            .get(replace.start..offset.clamp(replace.start, replace.end.max(replace.start)))
            .unwrap_or("")
            .to_string();
        Target {
            replace,
            typed,
            wrap,
            is_key,
        }
    }

    fn wrap(&self, s: &str) -> String {
        match self.wrap {
            Wrap::None => s.to_string(),
            Wrap::CloseQuote if self.is_key => format!("{s}\": "),
            Wrap::CloseQuote => format!("{s}\""),
            Wrap::Quotes if self.is_key => format!("\"{s}\": "),
            Wrap::Quotes => format!("\"{s}\""),
        }
    }
}

struct Out<'t> {
    target: &'t Target,
    items: Vec<CompletionItem>,
    /// `match_rank` of each item against the typed text (all 0 unless filtering by it).
    ranks: Vec<u8>,
    filter: Filter<'t>,
    /// The list is known to exceed the limit, so proposals that do not match the typed text
    /// are dropped before they are built.
    filtering: bool,
    /// Proposals dropped that way.
    skipped: usize,
    /// Items kept that match the typed text as a prefix, and as a subsequence only.
    kept: [usize; 2],
}

impl Out<'_> {
    fn rank(&self, parts: &[&str]) -> u8 {
        match self.filter {
            Filter::All => 0,
            Filter::Typed { .. } => match_rank(parts, &self.target.typed),
            Filter::Label(l) => u8::from(!parts_equal(parts, l)) * 2,
        }
    }

    /// The rank of a proposal that is wanted; None when the proposal labelled `label` would be
    /// dropped (callers skip building it).
    fn wanted_rank(&self, label: &str) -> Option<u8> {
        self.wanted_rank_of(&[label])
    }

    /// [`Out::wanted_rank`] of the label made of `parts`.
    fn wanted_rank_of(&self, parts: &[&str]) -> Option<u8> {
        match self.filter {
            Filter::All => Some(0),
            Filter::Typed { limit } => {
                let rank = self.rank(parts);
                if !self.filtering {
                    return Some(rank);
                }
                // A proposal that will sort after `limit` kept ones is cut anyway: with `limit`
                // prefix matches kept, any later one; with `limit` matches, a later
                // subsequence match. (After `ec2:` the first hundred actions are built, not 870.)
                let [prefix, subsequence] = self.kept;
                let cut = prefix >= limit || (rank == 1 && prefix + subsequence >= limit);
                (rank < 2 && !cut).then_some(rank)
            }
            Filter::Label(l) => parts_equal(parts, l).then_some(0),
        }
    }

    /// About to propose `n` more items: if that makes the list longer than the limit, filter
    /// from here on by the typed text.
    fn expect(&mut self, n: usize) {
        if let Filter::Typed { limit } = self.filter {
            if self.items.len() + n > limit {
                self.filtering = true;
            }
        }
    }

    /// Skip a proposal that is not wanted, counting it.
    fn skip_unwanted(&mut self, label: &str) -> bool {
        self.skip_unwanted_of(&[label])
    }

    /// [`Out::skip_unwanted`] of the label made of `parts`.
    fn skip_unwanted_of(&mut self, parts: &[&str]) -> bool {
        if self.wanted_rank_of(parts).is_some() {
            return false;
        }
        self.skipped += 1;
        true
    }

    /// Number the items in the usual order (the sort keys editors sort by), then, for a list
    /// over the limit, keep the best matches of the typed text.
    fn finish(self) -> CompletionList {
        let Out {
            mut items,
            ranks,
            filter,
            skipped,
            ..
        } = self;
        for (i, item) in items.iter_mut().enumerate() {
            if item.sort_text.is_empty() {
                item.sort_text = format!("{i:05}");
            }
        }
        let limit = match filter {
            Filter::Typed { limit } => limit,
            Filter::All | Filter::Label(_) => {
                return CompletionList {
                    items,
                    is_incomplete: false,
                }
            }
        };
        if items.len() + skipped <= limit {
            return CompletionList {
                items,
                is_incomplete: false,
            };
        }
        let mut ranked: Vec<(u8, CompletionItem)> = ranks
            .into_iter()
            .zip(items)
            .filter(|(rank, _)| *rank < 2)
            .collect();
        // Stable: each rank keeps the usual order.
        ranked.sort_by_key(|(rank, _)| *rank);
        ranked.truncate(limit);
        CompletionList {
            items: ranked.into_iter().map(|(_, item)| item).collect(),
            is_incomplete: true,
        }
    }

    fn push(
        &mut self,
        label: String,
        kind: CompletionKind,
        detail: Option<String>,
        doc: Option<String>,
        insert: &str,
        snippet: Option<String>,
    ) {
        let Some(rank) = self.wanted_rank(&label) else {
            self.skipped += 1;
            return;
        };
        let insert_text = self.target.wrap(insert);
        let snippet = snippet.map(|s| self.target.wrap(&s));
        if let Some(n) = self.kept.get_mut(usize::from(rank)) {
            *n += 1;
        }
        self.ranks.push(rank);
        self.items.push(CompletionItem {
            label,
            kind,
            detail,
            documentation_markdown: doc,
            insert_text,
            snippet,
            replace_span: self.target.replace,
            sort_text: String::new(),
        });
    }

    fn element(&mut self, d: &docs::ElementDoc, heading: &str) {
        self.push(
            d.name.to_string(),
            CompletionKind::Element,
            Some(d.summary.to_string()),
            Some(docs::element_markdown(d, heading)),
            d.name,
            None,
        );
    }

    fn value(&mut self, v: &str, detail: Option<&str>, doc: &str) {
        self.push(
            v.to_string(),
            CompletionKind::Value,
            detail.map(str::to_string),
            Some(doc.to_string()),
            v,
            None,
        );
    }
}

fn action_items(out: &mut Out<'_>, catalog: &Catalog) {
    let typed = out.target.typed.clone();
    let Some((prefix, _)) = typed.split_once(':') else {
        out.push(
            "*".to_string(),
            CompletionKind::ActionWildcard,
            Some("every action of every service".to_string()),
            Some("Grants every action, now and in the future. Rarely what a policy needs.".into()),
            "*",
            None,
        );
        out.expect(catalog.services().count());
        for service in catalog.services() {
            if out.skip_unwanted_of(&[service.prefix(), ":"]) {
                continue;
            }
            let label = format!("{}:", service.prefix());
            out.push(
                label.clone(),
                CompletionKind::Service,
                Some(service.name().to_string()),
                None,
                &label,
                None,
            );
        }
        return;
    };
    let Some(service) = catalog.service(prefix) else {
        return;
    };
    let p = service.prefix();
    // Verb wildcards and actions follow the service wildcard.
    out.expect(1 + service.actions().count());
    out.push(
        format!("{p}:*"),
        CompletionKind::ActionWildcard,
        Some(format!("every {} action", service.name())),
        None,
        &format!("{p}:*"),
        None,
    );
    // Wildcards by leading verb (`Get*`, `List*`), for verbs shared by several actions.
    let mut verbs: BTreeMap<&str, usize> = BTreeMap::new();
    for a in service.actions() {
        *verbs.entry(leading_verb(a.name())).or_default() += 1;
    }
    for (verb, n) in verbs {
        if n >= 2 && !verb.is_empty() {
            let label = format!("{p}:{verb}*");
            if out.skip_unwanted(&label) {
                continue;
            }
            out.push(
                label.clone(),
                CompletionKind::ActionWildcard,
                Some(format!("{n} actions")),
                None,
                &label,
                None,
            );
        }
    }
    for a in service.actions() {
        action_item(out, a);
    }
}

fn action_item(out: &mut Out<'_>, a: Action<'_>) {
    if out.skip_unwanted_of(&[a.service().prefix(), ":", a.name()]) {
        return;
    }
    let name = a.full_name();
    let doc = if a.description().is_empty() {
        None
    } else {
        Some(a.description().to_string())
    };
    out.push(
        name.clone(),
        CompletionKind::Action,
        Some(a.access_level().as_str().to_string()),
        doc,
        &name,
        None,
    );
}

/// "Get" of "GetObject", "Describe" of "DescribeInstances": the leading capitalised word.
fn leading_verb(name: &str) -> &str {
    let end = name
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .unwrap_or(name.len());
    &name[..end]
}

fn arn_items(out: &mut Out<'_>, place: &Place<'_>, catalog: &Catalog) {
    out.push(
        "*".to_string(),
        CompletionKind::Value,
        Some("every resource".to_string()),
        Some("Needed by actions that support no resource type.".to_string()),
        "*",
        None,
    );
    // Resource type templates, in the order the statement's actions name them.
    let mut seen: Vec<String> = Vec::new();
    for action in statement_actions(place, catalog) {
        for r in action.resource_types() {
            for template in r.resource_type.arn_templates() {
                if seen.iter().any(|s| s == template) {
                    continue;
                }
                seen.push(template.to_string());
                let (plain, snippet) = arn_template_texts(template);
                out.push(
                    template.to_string(),
                    CompletionKind::Arn,
                    Some(format!(
                        "{} {}",
                        r.resource_type.service().prefix(),
                        r.resource_type.name()
                    )),
                    Some(format!(
                        "ARN of the `{}` resource type, used by `{}`.",
                        r.resource_type.name(),
                        action.full_name()
                    )),
                    &plain,
                    Some(snippet),
                );
            }
        }
    }
}

/// An ARN template as plain text (partition `aws`, other placeholders `*`) and as a snippet
/// with one tab stop per placeholder.
fn arn_template_texts(template: &str) -> (String, String) {
    let mut plain = String::new();
    let mut snippet = String::new();
    let mut rest = template;
    let mut stop = 1;
    while let Some(start) = crate::arn::variable_start(rest, 0) {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 2..start + len];
        let literal = &rest[..start];
        plain.push_str(literal);
        snippet.push_str(&escape_snippet(literal));
        if name == "Partition" {
            plain.push_str("aws");
            snippet.push_str(&format!("${{{stop}:aws}}"));
        } else {
            plain.push('*');
            snippet.push_str(&format!("${{{stop}:{}}}", escape_snippet(name)));
        }
        stop += 1;
        rest = &rest[start + len + 1..];
    }
    plain.push_str(rest);
    snippet.push_str(&escape_snippet(rest));
    (plain, snippet)
}

fn escape_snippet(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}

fn operator_items(out: &mut Out<'_>) {
    let typed = out.target.typed.clone();
    // Qualified forms only once the user starts typing a qualifier, to keep the list short.
    let qualified = typed.starts_with("For");
    for &base in BaseOperator::ALL {
        let variants: &[bool] = if base == BaseOperator::Null {
            &[false]
        } else {
            &[false, true]
        };
        for &if_exists in variants {
            let qualifiers: &[Option<SetQualifier>] = if qualified && base != BaseOperator::Null {
                &[
                    Some(SetQualifier::ForAnyValue),
                    Some(SetQualifier::ForAllValues),
                ]
            } else {
                &[None]
            };
            for &qualifier in qualifiers {
                let op = ConditionOperator {
                    qualifier,
                    base,
                    if_exists,
                };
                let name = op.name();
                out.push(
                    name.clone(),
                    CompletionKind::Operator,
                    Some(format!("{} operator", base.family().as_str())),
                    Some(docs::operator_markdown(&op)),
                    &name,
                    None,
                );
            }
        }
    }
    if !qualified {
        for q in [SetQualifier::ForAnyValue, SetQualifier::ForAllValues] {
            let name = format!("{}:", q.as_str());
            out.push(
                name.clone(),
                CompletionKind::Operator,
                Some("set qualifier".to_string()),
                Some(docs::qualifier_text(q).to_string()),
                &name,
                None,
            );
        }
    }
}

fn condition_key_items(out: &mut Out<'_>, place: &Place<'_>, catalog: &Catalog) {
    let mut seen: Vec<&str> = Vec::new();
    let actions = statement_actions(place, catalog);
    let mut keys: Vec<ConditionKey<'_>> = Vec::new();
    for action in &actions {
        for key in action.condition_keys() {
            if seen.contains(&key.name()) {
                continue;
            }
            seen.push(key.name());
            keys.push(key);
        }
    }
    let supported = keys.len();
    for key in catalog.global_condition_keys() {
        if seen.contains(&key.name()) {
            continue;
        }
        seen.push(key.name());
        keys.push(key);
    }
    out.expect(keys.len());
    for (i, key) in keys.into_iter().enumerate() {
        if out.skip_unwanted(key.name()) {
            continue;
        }
        if i < supported {
            let supported_by = actions
                .iter()
                .filter(|a| a.condition_keys().any(|k| k.name() == key.name()))
                .count();
            condition_key_item(
                out,
                key,
                format!(
                    "supported by {supported_by} of {} action{}",
                    actions.len(),
                    if actions.len() == 1 { "" } else { "s" }
                ),
                "0",
            );
        } else {
            condition_key_item(out, key, "global key".to_string(), "1");
        }
    }
}

fn condition_key_item(out: &mut Out<'_>, key: ConditionKey<'_>, why: String, group: &str) {
    let name = key.name();
    // A templated key (`aws:ResourceTag/${TagKey}`) inserts its fixed part; the snippet leaves a
    // tab stop for the variable part.
    let (plain, snippet) = match crate::arn::variable_start(name, 0) {
        Some(i) => {
            let var = name[i + 2..].trim_end_matches('}');
            (
                name[..i].to_string(),
                Some(format!(
                    "{}${{1:{}}}",
                    escape_snippet(&name[..i]),
                    escape_snippet(var)
                )),
            )
        }
        None => (name.to_string(), None),
    };
    let mut doc = format!(
        "**{name}** — {}{}",
        super::hover::value_type_text(key.value_type()),
        if key.is_multivalued() {
            " (multi-valued)"
        } else {
            ""
        }
    );
    if !key.description().is_empty() {
        doc.push_str("\n\n");
        doc.push_str(key.description());
    }
    let index = out.items.len();
    out.push(
        name.to_string(),
        CompletionKind::ConditionKey,
        Some(why),
        Some(doc),
        &plain,
        snippet,
    );
    if out.items.len() > index {
        if let Some(item) = out.items.last_mut() {
            item.sort_text = format!("{group}{index:05}");
        }
    }
}

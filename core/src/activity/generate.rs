//! Policy generation from activity: the actions a principal's events needed (through
//! [`super::mapping`]), grouped by service and sorted, on the resources the events named (or the
//! resource types' ARN patterns, or `"*"`), split into managed policies at IAM's size quota.
//! Events with no known action are listed with their counts, never dropped; notes say what the
//! logs cannot show.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::mapping::{actions_for_event, ResourceRole};
use super::usage::{Entry, Principal, Usage};
use crate::audit::format_time;
use crate::catalog::{catalog, Action};
use crate::fix::narrow::{scoping_templates, template_to_placeholder_arn};
use crate::rules::support::structure::non_whitespace_chars;
use crate::syntax::quote::push_json_string;

/// IAM's quota for a managed policy, in characters without whitespace.
pub const MANAGED_POLICY_QUOTA: usize = 6_144;

/// What Resource the generated statements name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ResourceMode {
    /// The resources the events named (`resources[]`, request parameters); the resource type's
    /// ARN pattern where they named none.
    #[default]
    Observed,
    /// The ARN patterns of the resource types each action is scoped to, with upper-case names
    /// to fill in.
    Placeholder,
    /// `"*"`.
    Star,
}

impl ResourceMode {
    pub fn parse(text: &str) -> Option<ResourceMode> {
        match text {
            "observed" => Some(ResourceMode::Observed),
            "placeholder" => Some(ResourceMode::Placeholder),
            "star" => Some(ResourceMode::Star),
            _ => None,
        }
    }

    /// The mode a face's option names, the default when it names none; Err with the words
    /// every face shows.
    pub fn from_option(text: Option<&str>) -> Result<ResourceMode, String> {
        match text {
            None => Ok(ResourceMode::default()),
            Some(t) => ResourceMode::parse(t)
                .ok_or_else(|| format!("must be observed, placeholder or star, not '{t}'")),
        }
    }
}

/// One action of the generated policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionUse {
    pub action: String,
    /// Events that needed it.
    pub events: u64,
    /// RFC 3339.
    pub last_seen: String,
}

/// Events with no known IAM action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unmapped {
    pub event_source: String,
    pub event_name: String,
    pub events: u64,
}

/// The period the result covers (RFC 3339), from the options or else the events read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A generated set of policies, with what went into them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Policy documents (JSON text), each within the managed-policy quota.
    pub policies: Vec<String>,
    pub actions: Vec<ActionUse>,
    pub unmapped: Vec<Unmapped>,
    pub notes: Vec<String>,
    pub period: Period,
    /// The statements of each policy, to write them again indented for the JSON report.
    documents: Vec<Vec<Statement>>,
}

impl Generated {
    /// The result as `iamlint generate --format json` prints it (docs/activity.md): version 1,
    /// the principal, the period, the policy documents, the actions with their events, the
    /// unmapped events and the notes.
    pub fn to_json(&self, principal: &str) -> String {
        // Indented as the report around them is (serde_json's pretty printer: two spaces).
        let inner = Indent {
            unit: "  ",
            base: "    ",
        };
        let policies: Vec<Box<serde_json::value::RawValue>> = self
            .documents
            .iter()
            .filter_map(|d| serde_json::value::RawValue::from_string(render_policy(d, inner)).ok())
            .collect();
        let mut text =
            serde_json::to_string_pretty(&self.report(principal, policies)).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The report `--format json` prints, with `policies` in the form the face wants them: the
    /// documents as JSON ([`Generated::to_json`]), or their text (the editor, which opens each
    /// one as a document).
    pub fn report<'a, P: Serialize>(&'a self, principal: &'a str, policies: P) -> Report<'a, P> {
        Report {
            version: 1,
            principal,
            period: &self.period,
            policies,
            actions: &self.actions,
            unmapped: &self.unmapped,
            notes: &self.notes,
        }
    }
}

/// The result of a generation as a report (see [`Generated::report`]).
#[derive(Serialize)]
pub struct Report<'a, P> {
    pub version: u32,
    pub principal: &'a str,
    pub period: &'a Period,
    pub policies: P,
    pub actions: &'a [ActionUse],
    pub unmapped: &'a [Unmapped],
    pub notes: &'a [String],
}

/// An action's events, and the resources they named.
#[derive(Default)]
struct Needed {
    events: u64,
    last_seen: i64,
    resources: BTreeSet<String>,
    /// Some event named no resource this action could be scoped to.
    unnamed: bool,
    /// The events named more resources than are kept: which ones were kept depends on the order
    /// the files were read in, so none is listed.
    overflow: bool,
}

/// Generate policies from a principal's usage. `since`/`until` (ms) are the period asked for,
/// if any.
pub fn generate(
    usage: &Usage,
    principal: &Principal,
    mode: ResourceMode,
    since: Option<i64>,
    until: Option<i64>,
) -> Generated {
    let mut needed: BTreeMap<String, Needed> = BTreeMap::new();
    let mut unmapped = Vec::new();
    for (source, names) in &usage.entries {
        for (name, entry) in names {
            let Some(mapped) = actions_for_event(source, name) else {
                unmapped.push(Unmapped {
                    event_source: source.clone(),
                    event_name: name.clone(),
                    events: entry.count,
                });
                continue;
            };
            for a in &mapped.actions {
                let n = needed.entry(a.action.to_string()).or_default();
                n.events += entry.count;
                n.last_seen = n.last_seen.max(entry.last_seen);
                observe(n, a.action, a.resource, entry);
            }
        }
    }
    let actions: Vec<ActionUse> = needed
        .iter()
        .map(|(action, n)| ActionUse {
            action: action.clone(),
            events: n.events,
            last_seen: format_time(n.last_seen),
        })
        .collect();

    let mut notes = Vec::new();
    let statements = statements(&needed, mode, &mut notes);
    let documents = split_policies(statements);
    let policies: Vec<String> = documents
        .iter()
        .map(|d| {
            let mut text = render_policy(d, POLICY_INDENT);
            text.push('\n');
            text
        })
        .collect();
    if policies.len() > 1 {
        notes.push(format!(
            "The actions are split into {} policies: each stays within IAM's quota of 6,144 \
             characters (whitespace not counted) for a managed policy.",
            policies.len(),
        ));
    }
    notes.extend(activity_notes(usage, principal, &unmapped));
    let period = Period {
        from: since.or(usage.stats.first).map(format_time),
        to: until.or(usage.stats.last).map(format_time),
    };
    Generated {
        policies,
        documents,
        actions,
        unmapped,
        notes,
        period,
    }
}

/// Keep the resources of `entry` that `action` can be scoped to.
fn observe(n: &mut Needed, action: &str, role: ResourceRole, entry: &Entry) {
    let (arns, unnamed, overflow) = match role {
        ResourceRole::Target => (
            &entry.resources,
            entry.without_resource,
            entry.resources_overflow,
        ),
        ResourceRole::Source => (&entry.sources, false, entry.sources_incomplete),
    };
    n.unnamed |= unnamed || overflow;
    n.overflow |= overflow;
    let Some(action) = catalog().action(action) else {
        return;
    };
    let mut any = false;
    for arn in arns {
        if scopes_to(&action, arn) {
            any = true;
            n.resources.insert(arn.clone());
        }
    }
    if !any {
        n.unnamed = true;
    }
}

/// Is `arn` of a resource type `action` can be scoped to?
fn scopes_to(action: &Action<'_>, arn: &str) -> bool {
    let types = catalog().resource_types_for_arn(arn);
    action.resource_types().any(|t| {
        let (prefix, name) = (t.resource_type.service().prefix(), t.resource_type.name());
        types
            .iter()
            .any(|rt| rt.service().prefix() == prefix && rt.name() == name)
    })
}

/// A statement being built.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Statement {
    sid: String,
    actions: Vec<String>,
    resources: Vec<String>,
}

/// The Resource list of one action.
fn resources_of(
    action: &str,
    n: &Needed,
    mode: ResourceMode,
    fell_back: &mut Vec<String>,
) -> Vec<String> {
    let star = || vec!["*".to_string()];
    if mode == ResourceMode::Star {
        return star();
    }
    let Some(a) = catalog().action(action) else {
        return star();
    };
    // The ARN patterns the quick-fix of STAR_IN_RESOURCE offers: the required resource types,
    // else all the action's types.
    let mut patterns: Vec<String> = Vec::new();
    for template in scoping_templates(&a) {
        let arn = template_to_placeholder_arn(template);
        if !patterns.contains(&arn) {
            patterns.push(arn);
        }
    }
    let required = a.resource_types().any(|t| t.required);
    if mode == ResourceMode::Placeholder {
        return if patterns.is_empty() {
            star()
        } else {
            patterns
        };
    }
    let mut out: Vec<String> = if n.overflow {
        Vec::new()
    } else {
        n.resources.iter().cloned().collect()
    };
    if n.unnamed || out.is_empty() {
        // Calls that named no resource of an action whose resource types are all optional
        // (cloudwatch:PutMetricData, cloudformation:DescribeStacks listing every stack) were
        // made on "*", which a pattern would not allow.
        if patterns.is_empty() || (!required && out.is_empty() && !n.overflow) {
            return star();
        }
        fell_back.push(action.to_string());
        for p in patterns {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// One statement per service and Resource list, services in order, actions sorted.
fn statements(
    needed: &BTreeMap<String, Needed>,
    mode: ResourceMode,
    notes: &mut Vec<String>,
) -> Vec<Statement> {
    // service -> resources -> actions
    let mut by_service: BTreeMap<String, BTreeMap<Vec<String>, Vec<String>>> = BTreeMap::new();
    let mut fell_back = Vec::new();
    for (action, n) in needed {
        let service = action
            .split(':')
            .next()
            .unwrap_or(action)
            .to_ascii_lowercase();
        let resources = resources_of(action, n, mode, &mut fell_back);
        by_service
            .entry(service)
            .or_default()
            .entry(resources)
            .or_default()
            .push(action.clone());
    }
    let mut out = Vec::new();
    for (service, groups) in by_service {
        let mut groups: Vec<(Vec<String>, Vec<String>)> = groups
            .into_iter()
            .map(|(resources, mut actions)| {
                actions.sort_by_key(|a| a.to_ascii_lowercase());
                (resources, actions)
            })
            .collect();
        groups.sort_by_key(|(_, actions)| actions[0].to_ascii_lowercase());
        let base = sid_base(&service);
        let several = groups.len() > 1;
        for (i, (resources, actions)) in groups.into_iter().enumerate() {
            let sid = if several {
                format!("{base}Group{}", i + 1)
            } else {
                base.clone()
            };
            out.push(Statement {
                sid,
                actions,
                resources,
            });
        }
    }
    if mode == ResourceMode::Placeholder || !fell_back.is_empty() {
        let which = if mode == ResourceMode::Placeholder {
            String::from("Resource")
        } else {
            format!(
                "The events of {} named no resource (or more than iamlint keeps), so their \
                 Resource",
                list_some(&fell_back)
            )
        };
        notes.push(format!(
            "{which} lists the ARN patterns of the resource types the actions act on: replace \
             the upper-case names (BUCKET_NAME) with the real ones, or use --resources star."
        ));
    }
    out
}

/// At most five items, then how many more.
fn list_some(items: &[String]) -> String {
    let mut text = items.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 5 {
        text.push_str(&format!(" and {} more", items.len() - 5));
    }
    text
}

/// `s3` -> `S3`, `elasticloadbalancing` -> `Elasticloadbalancing`, `sso-directory` ->
/// `SsoDirectory` (a Sid is letters and digits).
fn sid_base(service: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in service.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() {
        out.push_str("Statement");
    }
    out
}

/// How a policy document is indented: the unit, and the text before every line but the first
/// (a document inside another JSON document).
#[derive(Clone, Copy)]
struct Indent<'a> {
    unit: &'a str,
    base: &'a str,
}

/// What `iamlint generate` prints: four spaces, as the IAM console writes policies.
const POLICY_INDENT: Indent<'static> = Indent {
    unit: "    ",
    base: "",
};

impl Indent<'_> {
    fn line(&self, out: &mut String, depth: usize) {
        out.push('\n');
        out.push_str(self.base);
        for _ in 0..depth {
            out.push_str(self.unit);
        }
    }
}

/// A statement as JSON text, at depth 2 of a policy document.
fn render_statement(st: &Statement, ind: Indent<'_>, out: &mut String) {
    let list = |out: &mut String, key: &str, values: &[String]| {
        ind.line(out, 3);
        push_json_string(out, key);
        out.push_str(": ");
        if let [only] = values {
            push_json_string(out, only);
            return;
        }
        out.push('[');
        for (i, v) in values.iter().enumerate() {
            ind.line(out, 4);
            push_json_string(out, v);
            if i + 1 < values.len() {
                out.push(',');
            }
        }
        ind.line(out, 3);
        out.push(']');
    };
    out.push('{');
    ind.line(out, 3);
    out.push_str("\"Sid\": ");
    push_json_string(out, &st.sid);
    out.push(',');
    ind.line(out, 3);
    out.push_str("\"Effect\": \"Allow\",");
    list(out, "Action", &st.actions);
    out.push(',');
    list(out, "Resource", &st.resources);
    ind.line(out, 2);
    out.push('}');
}

fn render_policy(statements: &[Statement], ind: Indent<'_>) -> String {
    let mut out = String::from("{");
    ind.line(&mut out, 1);
    out.push_str("\"Version\": \"2012-10-17\",");
    ind.line(&mut out, 1);
    out.push_str("\"Statement\": [");
    for (i, st) in statements.iter().enumerate() {
        ind.line(&mut out, 2);
        render_statement(st, ind, &mut out);
        if i + 1 < statements.len() {
            out.push(',');
        }
    }
    ind.line(&mut out, 1);
    out.push(']');
    ind.line(&mut out, 0);
    out.push('}');
    out
}

fn statement_size(st: &Statement) -> usize {
    let mut text = String::new();
    render_statement(st, POLICY_INDENT, &mut text);
    non_whitespace_chars(&text)
}

/// Pack statements into policies of at most [`MANAGED_POLICY_QUOTA`] characters, in order,
/// splitting a statement too large for a policy of its own by its Resource or Action list.
fn split_policies(statements: Vec<Statement>) -> Vec<Vec<Statement>> {
    let frame = non_whitespace_chars(&render_policy(&[], POLICY_INDENT));
    let room = MANAGED_POLICY_QUOTA - frame;
    let mut pieces = Vec::new();
    for st in statements {
        split_statement(st, room, &mut pieces);
    }
    let mut policies = Vec::new();
    let mut current: Vec<Statement> = Vec::new();
    let mut used = 0;
    for st in pieces {
        // A comma between statements.
        let size = statement_size(&st) + usize::from(!current.is_empty());
        if !current.is_empty() && used + size > room {
            policies.push(std::mem::take(&mut current));
            used = 0;
        }
        used += statement_size(&st) + usize::from(!current.is_empty());
        current.push(st);
    }
    if !current.is_empty() {
        policies.push(current);
    }
    policies
}

fn split_statement(st: Statement, room: usize, out: &mut Vec<Statement>) {
    if statement_size(&st) <= room || (st.actions.len() < 2 && st.resources.len() < 2) {
        out.push(st);
        return;
    }
    let by_resources = st.resources.len() >= st.actions.len();
    let (first, second) = if by_resources {
        let half = st.resources.len() / 2;
        let (a, b) = st.resources.split_at(half);
        (
            Statement {
                resources: a.to_vec(),
                ..st.clone()
            },
            Statement {
                resources: b.to_vec(),
                ..st.clone()
            },
        )
    } else {
        let half = st.actions.len() / 2;
        let (a, b) = st.actions.split_at(half);
        (
            Statement {
                actions: a.to_vec(),
                ..st.clone()
            },
            Statement {
                actions: b.to_vec(),
                ..st.clone()
            },
        )
    };
    let sid = st.sid;
    for (i, mut part) in [first, second].into_iter().enumerate() {
        part.sid = format!("{sid}{}", if i == 0 { "A" } else { "B" });
        split_statement(part, room, out);
    }
}

/// What the logs cannot show, for this principal's activity.
fn activity_notes(usage: &Usage, principal: &Principal, unmapped: &[Unmapped]) -> Vec<String> {
    let stats = &usage.stats;
    let mut notes = Vec::new();
    if stats.counted == 0 {
        notes.push(format!(
            "No event of {} was found in the period: there is no policy to generate.",
            principal.arn()
        ));
    }
    if !unmapped.is_empty() {
        let events: u64 = unmapped.iter().map(|u| u.events).sum();
        notes.push(format!(
            "{} kind{} of event ({events} event{}) have no known IAM action: they are listed \
             under unmapped and are not in the policy.",
            unmapped.len(),
            plural(unmapped.len() as u64),
            plural(events)
        ));
    }
    if stats.failed > 0 {
        notes.push(format!(
            "{} call{} of the principal failed (an errorCode) and {} left out; \
             --include-denied counts them.",
            stats.failed,
            plural(stats.failed),
            if stats.failed == 1 { "is" } else { "are" }
        ));
    }
    if stats.from_rows {
        notes.push(
            "Read from usage rows: the resources the events named, data events, Regions and \
             failed calls are not known, and the period is the one of the query that made the \
             rows (--since/--until only compare with each row's lastSeen)."
                .into(),
        );
    } else {
        if stats.counted > 0 && stats.data_events == 0 {
            notes.push(
                "No data event of the principal was seen: trails record data events (S3 object \
                 reads and writes, Lambda Invoke, DynamoDB item calls, ...) only when configured \
                 to, so actions such as s3:GetObject may be needed and missing here."
                    .into(),
            );
        }
        if stats.events > 0 && !stats.regions.contains("us-east-1") {
            notes.push(
                "The logs have no event from us-east-1, where CloudTrail records the calls to \
                 global services (IAM, STS's global endpoint, CloudFront, Route 53, \
                 Organizations): their actions may be missing."
                    .into(),
            );
        }
    }
    notes.push(
        "iam:PassRole is never logged as an event of its own: if the principal hands roles to \
         services (creating Lambda functions, EC2 instances, CloudFormation stacks, ...), add \
         iam:PassRole on those roles."
            .into(),
    );
    notes
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests;

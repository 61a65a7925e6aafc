//! The playground's simulator: one request evaluated by the core's engine (`iamlint_core::eval`)
//! against the editor's policy (as the identity or the resource policy) and optional boundary and
//! SCP texts. Spans come back as UTF-16 offsets into the text they belong to; bad input comes back
//! as a list of problems, each naming its field (and, for policies, its position), never a panic.

use iamlint_core::eval::{
    evaluate, CompiledPolicy, Decision, ElementMatch, InputField, PolicyKind, PolicySet, Request,
    RequestInput, ResourcePolicyKind,
};
use serde::{Deserialize, Serialize};

use super::Positions;

/// What the page sends; every field but the policy, action and resource has a default.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SimulateInput {
    /// The editor's text.
    pub policy: String,
    /// "identity" (default) or "resource": which role the editor's policy plays.
    pub policy_role: Option<String>,
    /// A permissions boundary text (empty = none).
    pub boundary: Option<String>,
    /// Service control policies, one text per level of the organization path (root first).
    pub scps: Vec<String>,
    pub principal: String,
    pub action: String,
    pub resource: String,
    /// The account owning the resource, when its ARN has none.
    pub resource_account: Option<String>,
    /// `key=value` lines; repeat a key for a multi-valued key. Blank lines are skipped.
    pub context: Vec<String>,
}

impl SimulateInput {
    pub const FIELDS: &'static [&'static str] = &[
        "policy",
        "policyRole",
        "boundary",
        "scps",
        "principal",
        "action",
        "resource",
        "resourceAccount",
        "context",
    ];
}

/// One thing wrong with the input. `field` names the input ("policy", "boundary", "scps",
/// "principal", "action", "resource", "resourceAccount", "context"); `index` is the SCP level or
/// the context line; `start..end` is a UTF-16 range in that policy text, for policy problems.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InputProblem {
    pub field: &'static str,
    pub index: Option<usize>,
    pub message: String,
    pub start: Option<usize>,
    pub end: Option<usize>,
}

impl InputProblem {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        InputProblem {
            field,
            index: None,
            message: message.into(),
            start: None,
            end: None,
        }
    }
}

/// The answer: the evaluation, or every problem with the input.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SimulateOutcome {
    Ok {
        value: SimulationOut,
    },
    Error {
        /// The problems in one sentence each, joined.
        message: String,
        problems: Vec<InputProblem>,
    },
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulationOut {
    pub decision: Decision,
    pub reason: String,
    pub same_account: bool,
    /// How the resource policy was treated: generic, roleTrust or kmsKey.
    pub resource_policy_kind: ResourcePolicyKind,
    pub decisive_statements: Vec<StatementRefOut>,
    pub policies: Vec<PolicyOut>,
    /// The request as evaluated, with the keys added from the principal.
    pub context: Vec<ContextEntryOut>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextEntryOut {
    pub key: String,
    pub values: Vec<String>,
}

/// Which text a policy came from: "editor", "boundary" or "scp" (with `level`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyOut {
    pub kind: PolicyKind,
    pub source: &'static str,
    pub level: Option<usize>,
    pub statements: Vec<StatementOut>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementOut {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: &'static str,
    pub start: usize,
    pub end: usize,
    pub action: ElementMatch,
    pub resource: ElementMatch,
    pub principal: ElementMatch,
    pub conditions: Vec<ConditionOut>,
    pub applies: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionOut {
    pub operator: String,
    pub key: String,
    pub matched: bool,
    pub key_missing: bool,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRefOut {
    pub kind: PolicyKind,
    pub source: &'static str,
    pub level: Option<usize>,
    pub index: usize,
    pub sid: Option<String>,
    pub effect: &'static str,
    pub start: usize,
    pub end: usize,
}

/// A policy text taking part, by the name the engine reports back.
struct Source<'t> {
    name: String,
    source: &'static str,
    level: Option<usize>,
    positions: Positions<'t>,
}

/// Evaluate the request; never panics on any input.
pub fn simulate(input: &SimulateInput) -> SimulateOutcome {
    let mut problems = Vec::new();
    let as_resource = match input.policy_role.as_deref() {
        None | Some("identity") => false,
        Some("resource") => true,
        Some(other) => {
            problems.push(InputProblem::new(
                "policyRole",
                format!("unknown policy role '{other}': use identity or resource"),
            ));
            false
        }
    };
    // Every text taking part: (name the engine reports, source, SCP level, text).
    // The engine's reason reads "... of identity policy in the editor".
    let mut texts: Vec<(String, &'static str, Option<usize>, &str)> = vec![(
        "in the editor".into(),
        "editor",
        None,
        input.policy.as_str(),
    )];
    if let Some(text) = input.boundary.as_deref().filter(|t| !t.trim().is_empty()) {
        texts.push(("in the boundary field".into(), "boundary", None, text));
    }
    for (level, text) in input.scps.iter().enumerate() {
        if !text.trim().is_empty() {
            texts.push((
                format!("in SCP field {}", level + 1),
                "scp",
                Some(level),
                text,
            ));
        }
    }

    let mut set = PolicySet::default();
    let mut sources: Vec<Source> = Vec::new();
    for (name, source, level, text) in texts {
        let positions = Positions::new(text);
        let compiled = match CompiledPolicy::compile(&name, text) {
            Ok(p) => Some(p),
            Err(errors) => {
                for e in errors {
                    let r = positions.range(e.span);
                    problems.push(InputProblem {
                        field: source_field(source),
                        index: level,
                        message: format!("{}: {}", title(source, level), e.message),
                        start: Some(r.start),
                        end: Some(r.end),
                    });
                }
                None
            }
        };
        match source {
            "editor" if as_resource => set.resource = compiled,
            "editor" => set.identity.extend(compiled),
            "boundary" => set.boundary = compiled,
            _ => set.scps.push(compiled.into_iter().collect()),
        }
        sources.push(Source {
            name,
            source,
            level,
            positions,
        });
    }
    let action = input.action.trim();
    let resource = input.resource.trim();
    set.resource_kind = ResourcePolicyKind::for_request(action, resource);

    let request = build_request(input, &mut problems);
    let request = match request {
        Some(r) if problems.is_empty() => r,
        _ => {
            if problems.is_empty() {
                problems.push(InputProblem::new("principal", "invalid request"));
            }
            let message = problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            return SimulateOutcome::Error { message, problems };
        }
    };

    let evaluation = evaluate(&set, &request);
    let find = |name: &str| sources.iter().find(|s| s.name == name);
    let policies = evaluation
        .policies
        .iter()
        .filter_map(|p| {
            let s = find(&p.name)?;
            Some(PolicyOut {
                kind: p.kind,
                source: s.source,
                level: s.level,
                statements: p
                    .statements
                    .iter()
                    .map(|st| {
                        let r = s.positions.range(st.span);
                        StatementOut {
                            index: st.index,
                            sid: st.sid.clone(),
                            effect: st.effect,
                            start: r.start,
                            end: r.end,
                            action: st.action,
                            resource: st.resource,
                            principal: st.principal,
                            conditions: st
                                .conditions
                                .iter()
                                .map(|c| {
                                    let r = s.positions.range(c.span);
                                    ConditionOut {
                                        operator: c.operator.clone(),
                                        key: c.key.clone(),
                                        matched: c.matched,
                                        key_missing: c.key_missing,
                                        start: r.start,
                                        end: r.end,
                                    }
                                })
                                .collect(),
                            applies: st.applies,
                        }
                    })
                    .collect(),
            })
        })
        .collect();
    let decisive_statements = evaluation
        .decisive_statements
        .iter()
        .filter_map(|d| {
            let s = find(&d.policy)?;
            let r = s.positions.range(d.span);
            Some(StatementRefOut {
                kind: d.kind,
                source: s.source,
                level: s.level,
                index: d.index,
                sid: d.sid.clone(),
                effect: d.effect,
                start: r.start,
                end: r.end,
            })
        })
        .collect();
    SimulateOutcome::Ok {
        value: SimulationOut {
            decision: evaluation.decision,
            reason: evaluation.reason,
            same_account: evaluation.same_account,
            resource_policy_kind: set.resource_kind,
            decisive_statements,
            policies,
            context: request
                .context
                .iter()
                .map(|(k, v)| ContextEntryOut {
                    key: k.to_string(),
                    values: v.values.clone(),
                })
                .collect(),
        },
    }
}

/// How a problem names the text it is in.
fn title(source: &str, level: Option<usize>) -> String {
    match source {
        "boundary" => "permissions boundary".into(),
        "scp" => format!("SCP {}", level.unwrap_or(0) + 1),
        _ => "policy".into(),
    }
}

fn source_field(source: &str) -> &'static str {
    match source {
        "boundary" => "boundary",
        "scp" => "scps",
        _ => "policy",
    }
}

/// The request through the core's [`Request::from_input`] (the command line uses it too), with
/// each problem named by the playground's field and, for context entries, by the line.
fn build_request(input: &SimulateInput, problems: &mut Vec<InputProblem>) -> Option<Request> {
    // (line, key, value) of every non-blank context line.
    let mut lines = Vec::new();
    for (line, item) in input.context.iter().enumerate() {
        if item.trim().is_empty() {
            continue;
        }
        match item.split_once('=') {
            Some((key, value)) => lines.push((line, key, value)),
            None => problems.push(InputProblem {
                index: Some(line),
                ..InputProblem::new(
                    "context",
                    format!(
                        "context line {}: '{}' must be key=value",
                        line + 1,
                        item.trim()
                    ),
                )
            }),
        }
    }
    let request_input = RequestInput {
        principal: &input.principal,
        action: &input.action,
        resource: &input.resource,
        resource_account: input
            .resource_account
            .as_deref()
            .filter(|a| !a.trim().is_empty()),
        context: lines.iter().map(|&(_, k, v)| (k, v)).collect(),
    };
    match Request::from_input(&request_input) {
        Ok(request) => Some(request),
        Err(found) => {
            for p in found {
                let line = p.index.and_then(|i| lines.get(i)).map(|&(line, _, _)| line);
                let message = match (p.field, line) {
                    (InputField::Context, Some(line)) => {
                        format!("context line {}: {}", line + 1, p.message)
                    }
                    _ => p.to_string(),
                };
                problems.push(InputProblem {
                    index: line,
                    ..InputProblem::new(p.field.as_str(), message)
                });
            }
            None
        }
    }
}

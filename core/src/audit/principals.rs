//! What each user's and role's policies grant together: inline policies, attached managed
//! policies, and (for users) the inline and attached policies of their groups, limited by the
//! permissions boundary. Uses the same reading as the policy rules' risk checks
//! (`rules::support::risk::OpenIndex`: an Allow on every resource whose conditions pin nothing, less an
//! unconditional Deny on `"*"`) and the same escalation table (`PRIVILEGE_ESCALATION`'s paths),
//! so a principal-level finding and a policy-level finding always agree on what a grant is.

use std::collections::HashMap;

use crate::policy::Policy;
use crate::rules::security::privilege_escalation::{Path, PATHS};
use crate::rules::support::risk::OpenIndex;
use crate::syntax::{self, Document};

use super::authorization::{AuthorizationDetails, Entity, EntityKind, PolicyDocument};

/// Actions that, granted together on every resource, make a principal an administrator in
/// effect: a name in no real service (so only a service wildcard grants it) and the actions
/// that matter most in the services a NotAction would most likely leave out.
const ADMIN_PROBES: &[&str] = &[
    "iamlint-any-service:AnyAction",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:CreateAccessKey",
    "iam:PassRole",
    "sts:AssumeRole",
    "organizations:LeaveOrganization",
    "kms:Decrypt",
    "s3:GetObject",
    "s3:PutBucketPolicy",
    "ec2:RunInstances",
    "lambda:CreateFunction",
    "secretsmanager:GetSecretValue",
    "cloudtrail:StopLogging",
];

/// One policy of a principal, as named in findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// "inline policy 'x'", "managed policy 'y'", "group 'g' inline policy 'z'", ...
    pub label: String,
    /// For attached managed policies: the ARN (to detach it).
    pub managed_arn: Option<String>,
    /// For inline policies: the name (to delete it), and the group it belongs to if any.
    pub inline_name: Option<String>,
    pub via_group: Option<String>,
}

/// A path the principal's policies open, with the policy that grants each of its actions.
pub struct OpenPath {
    pub path: &'static Path,
    /// Index into `Combined::sources`, one per action of the path.
    pub granted_by: Vec<usize>,
}

/// The combined reading of one user or role.
pub struct Combined {
    pub kind: EntityKind,
    pub name: String,
    pub arn: String,
    pub sources: Vec<Source>,
    /// Some when the policies together grant every probe: the sources that grant them.
    pub admin: Option<Vec<usize>>,
    pub escalation: Vec<OpenPath>,
    /// Attached policies (or the boundary) named but absent from the file: their grants are
    /// unknown.
    pub unknown_policies: Vec<String>,
    /// The boundary's name when one limits the reading.
    pub boundary: Option<String>,
}

/// A parsed document and the source it is for.
struct Parsed {
    doc: Document,
}

fn parse_doc(doc: &PolicyDocument) -> Parsed {
    Parsed {
        doc: syntax::parse(&doc.text),
    }
}

/// The policies of one principal: indexes into the parsed documents, with their labels.
struct Plan {
    docs: Vec<(usize, Source)>,
    boundary: Option<(usize, String)>,
    unknown: Vec<String>,
}

pub fn combine(details: &AuthorizationDetails) -> Vec<Combined> {
    // Parse every document once: managed policies by ARN, then each principal's inline ones.
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut managed: HashMap<&str, (usize, &str)> = HashMap::new();
    for p in &details.policies {
        if let Some(doc) = &p.default_version {
            managed.insert(p.arn.as_str(), (parsed.len(), p.name.as_str()));
            parsed.push(parse_doc(doc));
        }
    }
    let inline_of = |e: &Entity, parsed: &mut Vec<Parsed>| -> Vec<(usize, String)> {
        e.inline
            .iter()
            .map(|d| {
                parsed.push(parse_doc(d));
                (parsed.len() - 1, d.name.clone())
            })
            .collect()
    };
    let group_inline: HashMap<&str, Vec<(usize, String)>> = details
        .groups
        .iter()
        .map(|g| (g.name.as_str(), inline_of(g, &mut parsed)))
        .collect();
    let mut plans: Vec<(&Entity, Plan)> = Vec::new();
    for e in details.users.iter().chain(&details.roles) {
        let mut plan = Plan {
            docs: Vec::new(),
            boundary: None,
            unknown: Vec::new(),
        };
        for (i, name) in inline_of(e, &mut parsed) {
            plan.docs.push((
                i,
                Source {
                    label: format!("inline policy '{name}'"),
                    managed_arn: None,
                    inline_name: Some(name),
                    via_group: None,
                },
            ));
        }
        attach(&mut plan, &e.attached, &managed, None);
        for g in &e.groups {
            for (i, name) in group_inline.get(g.as_str()).into_iter().flatten() {
                plan.docs.push((
                    *i,
                    Source {
                        label: format!("group '{g}' inline policy '{name}'"),
                        managed_arn: None,
                        inline_name: Some(name.clone()),
                        via_group: Some(g.clone()),
                    },
                ));
            }
            match details.group(g) {
                Some(group) => attach(&mut plan, &group.attached, &managed, Some(g)),
                None => plan.unknown.push(format!("group '{g}'")),
            }
        }
        if let Some(b) = &e.boundary {
            match managed.get(b.as_str()) {
                Some((i, name)) => plan.boundary = Some((*i, name.to_string())),
                None => plan.unknown.push(format!("permissions boundary {b}")),
            }
        }
        plans.push((e, plan));
    }
    let policies: Vec<Policy<'_>> = parsed
        .iter()
        .map(|p| Policy::from_root(p.doc.root.as_ref()))
        .collect();
    let indexes: Vec<OpenIndex> = policies.iter().map(OpenIndex::new).collect();
    plans
        .into_iter()
        .map(|(e, plan)| read(e, plan, &policies, &indexes))
        .collect()
}

fn attach(
    plan: &mut Plan,
    arns: &[String],
    managed: &HashMap<&str, (usize, &str)>,
    group: Option<&String>,
) {
    for arn in arns {
        let Some((i, name)) = managed.get(arn.as_str()) else {
            plan.unknown.push(format!("managed policy {arn}"));
            continue;
        };
        let label = match group {
            Some(g) => format!("group '{g}' managed policy '{name}'"),
            None => format!("managed policy '{name}'"),
        };
        plan.docs.push((
            *i,
            Source {
                label,
                managed_arn: Some(arn.clone()),
                inline_name: None,
                via_group: group.cloned(),
            },
        ));
    }
}

/// The principal's reading: for each action, the first of its policies that grants it on every
/// resource, unless any of them denies it there or the boundary does not grant it.
fn read(e: &Entity, plan: Plan, policies: &[Policy<'_>], indexes: &[OpenIndex]) -> Combined {
    let mut asked: HashMap<&'static str, Option<usize>> = HashMap::new();
    let mut granted_by = |action: &'static str| -> Option<usize> {
        *asked.entry(action).or_insert_with(|| {
            let denied = plan
                .docs
                .iter()
                .any(|(i, _)| indexes[*i].denied_everywhere(&policies[*i], action));
            let bounded = plan
                .boundary
                .as_ref()
                .is_some_and(|(b, _)| indexes[*b].open_grant(&policies[*b], action).is_none());
            if denied || bounded {
                return None;
            }
            plan.docs
                .iter()
                .position(|(i, _)| indexes[*i].open_grant(&policies[*i], action).is_some())
        })
    };
    let admin: Option<Vec<usize>> = ADMIN_PROBES
        .iter()
        .map(|a| granted_by(a))
        .collect::<Option<Vec<usize>>>()
        .map(|mut v| {
            v.sort_unstable();
            v.dedup();
            v
        });
    let mut escalation = Vec::new();
    for path in PATHS {
        let by: Option<Vec<usize>> = path.actions.iter().map(|a| granted_by(a)).collect();
        if let Some(granted_by) = by {
            escalation.push(OpenPath { path, granted_by });
        }
    }
    Combined {
        kind: e.kind,
        name: e.name.clone(),
        arn: e.arn.clone(),
        sources: plan.docs.into_iter().map(|(_, s)| s).collect(),
        admin,
        escalation,
        unknown_policies: plan.unknown,
        boundary: plan.boundary.map(|(_, name)| name),
    }
}

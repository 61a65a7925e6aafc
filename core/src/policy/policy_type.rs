//! The kinds of IAM policy. The type changes which elements are required or forbidden and which
//! rules apply; `Auto` infers it from the document.

use serde::Serialize;

use super::Policy;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum PolicyType {
    /// Attached to a user, group or role.
    Identity,
    /// Attached to a resource (bucket, queue, key, ...); optionally the CloudFormation-style
    /// resource type, e.g. `AWS::S3::Bucket`.
    Resource {
        #[serde(skip_serializing_if = "Option::is_none")]
        resource_type: Option<String>,
    },
    /// A role's trust policy (AssumeRolePolicyDocument).
    Trust,
    /// A service control policy (AWS Organizations).
    Scp,
    /// A resource control policy (AWS Organizations).
    Rcp,
    /// A permissions boundary.
    Boundary,
    /// A session policy passed to AssumeRole or GetFederationToken.
    Session,
    /// Infer the type from the document.
    Auto,
}

impl PolicyType {
    /// The names accepted on the command line, in config files and in editor settings.
    pub const NAMES: &'static [&'static str] = &[
        "auto", "identity", "resource", "trust", "scp", "rcp", "boundary", "session",
    ];

    /// Parse a name such as `identity`, `trust`, or `resource:AWS::S3::Bucket`.
    pub fn parse(s: &str) -> Option<PolicyType> {
        let s = s.trim();
        if let Some(rt) = s.strip_prefix("resource:") {
            return Some(PolicyType::Resource {
                resource_type: Some(rt.to_string()),
            });
        }
        Some(match s.to_ascii_lowercase().as_str() {
            "identity" => PolicyType::Identity,
            "resource" => PolicyType::Resource {
                resource_type: None,
            },
            "trust" | "role-trust" => PolicyType::Trust,
            "scp" | "service-control" => PolicyType::Scp,
            "rcp" | "resource-control" => PolicyType::Rcp,
            "boundary" | "permissions-boundary" => PolicyType::Boundary,
            "session" => PolicyType::Session,
            "auto" => PolicyType::Auto,
            _ => return None,
        })
    }

    pub fn name(&self) -> String {
        match self {
            PolicyType::Identity => "identity".into(),
            PolicyType::Resource {
                resource_type: Some(rt),
            } => format!("resource:{rt}"),
            PolicyType::Resource {
                resource_type: None,
            } => "resource".into(),
            PolicyType::Trust => "trust".into(),
            PolicyType::Scp => "scp".into(),
            PolicyType::Rcp => "rcp".into(),
            PolicyType::Boundary => "boundary".into(),
            PolicyType::Session => "session".into(),
            PolicyType::Auto => "auto".into(),
        }
    }

    /// Identity-like policies: no Principal, Resource required.
    pub fn is_identity_like(&self) -> bool {
        matches!(
            self,
            PolicyType::Identity | PolicyType::Boundary | PolicyType::Session | PolicyType::Scp
        )
    }

    /// Policies whose statements name a Principal.
    pub fn needs_principal(&self) -> bool {
        matches!(
            self,
            PolicyType::Resource { .. } | PolicyType::Trust | PolicyType::Rcp
        )
    }

    /// Resolve `Auto` by looking at the document; other types are returned unchanged.
    ///
    /// A statement with a Principal and an sts:AssumeRole* action (and no Resource) is a trust
    /// policy; other statements with a Principal make a resource policy; otherwise identity.
    pub fn resolve(&self, policy: &Policy<'_>) -> PolicyType {
        if *self != PolicyType::Auto {
            return self.clone();
        }
        let mut has_principal = false;
        let mut trust_like = false;
        for st in &policy.statements {
            let principal = st.principal.is_some() || st.not_principal.is_some();
            has_principal |= principal;
            let assume = st
                .actions_or_not()
                .map(|a| {
                    a.items
                        .iter()
                        .any(|i| i.value.to_ascii_lowercase().starts_with("sts:assumerole"))
                })
                .unwrap_or(false);
            if principal && assume && st.resources_or_not().is_none() {
                trust_like = true;
            }
        }
        if trust_like {
            PolicyType::Trust
        } else if has_principal {
            PolicyType::Resource {
                resource_type: None,
            }
        } else {
            PolicyType::Identity
        }
    }
}

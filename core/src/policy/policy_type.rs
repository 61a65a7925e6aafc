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
    /// A VPC endpoint policy (`AWS::EC2::VPCEndpoint`): like an SCP it only limits what may
    /// pass through the endpoint, and it must name a Principal (AWS's default is
    /// `"Principal": "*"` with `"Action": "*"` on `"Resource": "*"`).
    VpcEndpoint,
    /// Infer the type from the document.
    Auto,
}

impl PolicyType {
    /// The names accepted on the command line, in config files and in editor settings.
    pub const NAMES: &'static [&'static str] = &[
        "auto",
        "identity",
        "resource",
        "trust",
        "scp",
        "rcp",
        "boundary",
        "session",
        "vpc-endpoint",
    ];

    /// The type of a policy attached to a resource of the given CloudFormation type: a resource
    /// policy, except on a VPC endpoint, whose policy has a type of its own.
    pub fn for_resource_type(resource_type: &str) -> PolicyType {
        if resource_type.eq_ignore_ascii_case("AWS::EC2::VPCEndpoint") {
            PolicyType::VpcEndpoint
        } else {
            PolicyType::Resource {
                resource_type: Some(resource_type.to_string()),
            }
        }
    }

    /// Parse a name such as `identity`, `trust`, or `resource:AWS::S3::Bucket`.
    pub fn parse(s: &str) -> Option<PolicyType> {
        let s = s.trim();
        if let Some(rt) = s.strip_prefix("resource:") {
            return Some(PolicyType::for_resource_type(rt));
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
            "vpc-endpoint" | "vpce" | "endpoint" => PolicyType::VpcEndpoint,
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
            PolicyType::VpcEndpoint => "vpc-endpoint".into(),
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
            PolicyType::Resource { .. }
                | PolicyType::Trust
                | PolicyType::Rcp
                | PolicyType::VpcEndpoint
        )
    }

    /// Resolve `Auto` by looking at the document; other types are returned unchanged.
    ///
    /// A statement with a Principal and an sts:AssumeRole* action (and no Resource) is a trust
    /// policy; other statements with a Principal make a resource policy; otherwise identity.
    /// A VPC endpoint policy is never inferred: nothing in its text tells it from a resource
    /// policy that grants to `"*"` (the endpoint keys such as `aws:SourceVpce` are just as
    /// common in bucket policies), so it is only used when asked for or known from the host.
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

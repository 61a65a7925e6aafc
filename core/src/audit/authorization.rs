//! `aws iam get-account-authorization-details`: every user, group and role with its inline
//! policies, attached managed policies, group memberships and permissions boundary, every role's
//! trust policy and `RoleLastUsed`, and every managed policy with its versions. Policy documents
//! come as JSON objects (the AWS CLI decodes them) or as URL-encoded strings (the raw API); both
//! are read into policy text the policy rules can check.

use crate::eval::values::parse_date;
use crate::syntax::{Node, NodeKind};

use super::json::{array_field, field, int_field, str_field, JsonFile};
use super::{InputError, InputKind};
use crate::encoding;

/// A policy document and what it is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDocument {
    /// The policy's name (inline policies) or `<name>` of a managed policy.
    pub name: String,
    /// The document as JSON text.
    pub text: String,
    /// 1-based line of the document in the authorization-details file.
    pub line: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    User,
    Group,
    Role,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::Role => "role",
        }
    }
}

/// A user, group or role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub kind: EntityKind,
    pub name: String,
    pub arn: String,
    pub path: String,
    pub create_date: Option<i64>,
    pub inline: Vec<PolicyDocument>,
    /// ARNs of the attached managed policies.
    pub attached: Vec<String>,
    /// Users: the names of their groups.
    pub groups: Vec<String>,
    /// The permissions boundary's ARN.
    pub boundary: Option<String>,
    /// Roles: the trust policy.
    pub trust: Option<PolicyDocument>,
    /// Roles: `RoleLastUsed.LastUsedDate` (None when the role has no recorded use).
    pub last_used: Option<i64>,
}

/// A managed policy and the document of its default version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedPolicy {
    pub name: String,
    pub arn: String,
    pub default_version: Option<PolicyDocument>,
    pub attachment_count: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthorizationDetails {
    pub users: Vec<Entity>,
    pub groups: Vec<Entity>,
    pub roles: Vec<Entity>,
    pub policies: Vec<ManagedPolicy>,
}

impl AuthorizationDetails {
    pub fn policy(&self, arn: &str) -> Option<&ManagedPolicy> {
        self.policies.iter().find(|p| p.arn == arn)
    }

    pub fn group(&self, name: &str) -> Option<&Entity> {
        self.groups.iter().find(|g| g.name == name)
    }
}

struct Reader<'t> {
    file: JsonFile<'t>,
    /// Byte offsets of line starts, for document line numbers (errors use the file's index).
    line_starts: Vec<usize>,
}

impl Reader<'_> {
    fn line_of(&self, offset: usize) -> u32 {
        self.line_starts.partition_point(|&s| s <= offset) as u32
    }

    fn document(&mut self, node: Option<&Node>, name: &str) -> Option<PolicyDocument> {
        let node = node?;
        let text = match &node.kind {
            NodeKind::Object(_) => self
                .file
                .text
                .get(node.span.start..node.span.end)?
                .to_string(),
            NodeKind::String(s) => match encoding::percent(s) {
                Some(t) => t,
                None => {
                    self.file.error(
                        node,
                        format!("the document of {name} is not valid URL-encoded text"),
                    );
                    return None;
                }
            },
            _ => {
                self.file.error(
                    node,
                    format!(
                        "the document of {name} must be an object or a URL-encoded string, not {}",
                        node.type_name()
                    ),
                );
                return None;
            }
        };
        Some(PolicyDocument {
            name: name.to_string(),
            text,
            line: self.line_of(node.span.start),
        })
    }

    fn inline(&mut self, entity: &Node, list: &str) -> Vec<PolicyDocument> {
        let mut out = Vec::new();
        for p in array_field(entity, list) {
            let name = str_field(p, "PolicyName")
                .unwrap_or("(unnamed)")
                .to_string();
            if let Some(doc) = self.document(field(p, "PolicyDocument"), &name) {
                out.push(doc);
            }
        }
        out
    }

    fn entity(&mut self, kind: EntityKind, node: &Node) -> Option<Entity> {
        let name_key = match kind {
            EntityKind::User => "UserName",
            EntityKind::Group => "GroupName",
            EntityKind::Role => "RoleName",
        };
        let Some(name) = str_field(node, name_key) else {
            self.file.error(
                node,
                format!("this {} has no {name_key}; it is skipped", kind.as_str()),
            );
            return None;
        };
        let list = match kind {
            EntityKind::User => "UserPolicyList",
            EntityKind::Group => "GroupPolicyList",
            EntityKind::Role => "RolePolicyList",
        };
        let inline = self.inline(node, list);
        let attached = array_field(node, "AttachedManagedPolicies")
            .iter()
            .filter_map(|p| str_field(p, "PolicyArn").map(str::to_string))
            .collect();
        let groups = array_field(node, "GroupList")
            .iter()
            .filter_map(|g| g.as_str().map(str::to_string))
            .collect();
        let boundary = field(node, "PermissionsBoundary")
            .and_then(|b| str_field(b, "PermissionsBoundaryArn"))
            .map(str::to_string);
        let trust = match kind {
            EntityKind::Role => {
                self.document(field(node, "AssumeRolePolicyDocument"), "trust policy")
            }
            _ => None,
        };
        let last_used = field(node, "RoleLastUsed")
            .and_then(|r| str_field(r, "LastUsedDate"))
            .and_then(parse_date);
        Some(Entity {
            kind,
            name: name.to_string(),
            arn: str_field(node, "Arn").unwrap_or_default().to_string(),
            path: str_field(node, "Path").unwrap_or("/").to_string(),
            create_date: str_field(node, "CreateDate").and_then(parse_date),
            inline,
            attached,
            groups,
            boundary,
            trust,
            last_used,
        })
    }

    fn managed(&mut self, node: &Node) -> Option<ManagedPolicy> {
        let Some(name) = str_field(node, "PolicyName") else {
            self.file
                .error(node, "this managed policy has no PolicyName; it is skipped");
            return None;
        };
        let default_id = str_field(node, "DefaultVersionId");
        let versions = array_field(node, "PolicyVersionList");
        let default = versions.iter().find(|v| {
            matches!(
                field(v, "IsDefaultVersion").map(|n| &n.kind),
                Some(NodeKind::Bool(true))
            ) || (default_id.is_some() && str_field(v, "VersionId") == default_id)
        });
        let default_version = match default {
            Some(v) => self.document(field(v, "Document"), name),
            None => None,
        };
        Some(ManagedPolicy {
            name: name.to_string(),
            arn: str_field(node, "Arn").unwrap_or_default().to_string(),
            default_version,
            attachment_count: int_field(node, "AttachmentCount"),
        })
    }
}

pub fn parse(text: &str) -> (AuthorizationDetails, Vec<InputError>) {
    let file = JsonFile::parse(InputKind::AuthorizationDetails, text);
    let mut line_starts = vec![0];
    line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let mut r = Reader { file, line_starts };
    let mut details = AuthorizationDetails::default();
    let Some(root) = r.file.root.take() else {
        r.file.error_at(0, "the file is not a JSON object");
        return (details, r.file.errors);
    };
    let lists = [
        "UserDetailList",
        "GroupDetailList",
        "RoleDetailList",
        "Policies",
    ];
    if root.as_object().is_none() || lists.iter().all(|l| root.get(l).is_none()) {
        r.file.error(
            &root,
            "none of UserDetailList, GroupDetailList, RoleDetailList, Policies: give the output of \
             `aws iam get-account-authorization-details`",
        );
        return (details, r.file.errors);
    }
    for n in array_field(&root, "UserDetailList") {
        details.users.extend(r.entity(EntityKind::User, n));
    }
    for n in array_field(&root, "GroupDetailList") {
        details.groups.extend(r.entity(EntityKind::Group, n));
    }
    for n in array_field(&root, "RoleDetailList") {
        details.roles.extend(r.entity(EntityKind::Role, n));
    }
    for n in array_field(&root, "Policies") {
        details.policies.extend(r.managed(n));
    }
    (details, r.file.errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entities_documents_and_versions() {
        let text = r#"{
  "UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::1:user/alice", "CreateDate": "2024-01-01T00:00:00Z",
    "GroupList": ["devs"],
    "UserPolicyList": [{"PolicyName": "encoded", "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%7D"}],
    "AttachedManagedPolicies": [{"PolicyName": "P", "PolicyArn": "arn:aws:iam::1:policy/P"}],
    "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::1:policy/B"}}],
  "GroupDetailList": [{"GroupName": "devs", "Arn": "arn:aws:iam::1:group/devs", "GroupPolicyList": []}],
  "RoleDetailList": [{"RoleName": "app", "Arn": "arn:aws:iam::1:role/app",
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
    "RoleLastUsed": {"LastUsedDate": "2026-01-02T03:04:05+00:00", "Region": "us-east-1"}}],
  "Policies": [{"PolicyName": "P", "Arn": "arn:aws:iam::1:policy/P", "DefaultVersionId": "v2",
    "PolicyVersionList": [{"Document": {"Statement": []}, "VersionId": "v2", "IsDefaultVersion": true},
                          {"Document": {"Old": 1}, "VersionId": "v1", "IsDefaultVersion": false}]}]
}"#;
        let (d, errors) = parse(text);
        assert!(errors.is_empty(), "{errors:?}");
        let alice = &d.users[0];
        assert_eq!(alice.inline[0].text, "{\"Version\":\"2012-10-17\"}");
        assert_eq!(alice.groups, vec!["devs"]);
        assert_eq!(alice.boundary.as_deref(), Some("arn:aws:iam::1:policy/B"));
        assert_eq!(alice.inline[0].line, 4);
        let role = &d.roles[0];
        assert_eq!(
            role.trust.as_ref().unwrap().text,
            "{\"Version\": \"2012-10-17\", \"Statement\": []}"
        );
        assert_eq!(role.last_used, parse_date("2026-01-02T03:04:05Z"));
        assert_eq!(
            d.policy("arn:aws:iam::1:policy/P")
                .unwrap()
                .default_version
                .as_ref()
                .unwrap()
                .text,
            "{\"Statement\": []}"
        );
        assert!(d.group("devs").is_some());
    }

    #[test]
    fn broken_parts_are_errors_and_the_rest_is_read() {
        let text = r#"{"UserDetailList": [{"Arn": "x"}, {"UserName": "bob", "UserPolicyList": [{"PolicyName": "bad", "PolicyDocument": "%7"}]}]}"#;
        let (d, errors) = parse(text);
        assert_eq!(d.users.len(), 1);
        assert_eq!(errors.len(), 2);
        assert!(errors[0].message.contains("no UserName"));
        assert!(errors[1].message.contains("URL-encoded"));
        let (_, errors) = parse("{\"Users\": []}");
        assert!(errors[0]
            .message
            .contains("get-account-authorization-details"));
    }
}

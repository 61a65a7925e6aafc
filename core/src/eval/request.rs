//! The request being simulated: who asks (the principal), for what (action and resource), and
//! the request context (condition keys with their values).

use serde::Serialize;

/// What kind of caller makes the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum PrincipalKind {
    /// The account's root user (`arn:aws:iam::111122223333:root`).
    Root,
    /// An IAM user.
    User,
    /// An IAM role itself (rarely a caller; usually a session of it).
    Role,
    /// A session of a role: `arn:aws:sts::111122223333:assumed-role/RoleName/session`.
    AssumedRole { role_name: String },
    /// A federated user session from GetFederationToken.
    FederatedUser,
    /// An AWS service such as `lambda.amazonaws.com`.
    Service { name: String },
    /// An unsigned request.
    Anonymous,
}

/// The caller of the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestPrincipal {
    /// The principal's ARN (none for services and anonymous callers).
    pub arn: Option<String>,
    /// The 12-digit account the principal belongs to, when known.
    pub account: Option<String>,
    pub kind: PrincipalKind,
}

impl RequestPrincipal {
    /// Parse `arn:aws:iam::111122223333:user/alice`, `...:role/R`, `...:root`,
    /// `arn:aws:sts::111122223333:assumed-role/R/session`, `arn:aws:sts::...:federated-user/u`,
    /// a service principal (`s3.amazonaws.com`), or `anonymous`.
    pub fn parse(text: &str) -> Result<RequestPrincipal, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("anonymous") || text == "*" {
            return Ok(RequestPrincipal {
                arn: None,
                account: None,
                kind: PrincipalKind::Anonymous,
            });
        }
        if !text.starts_with("arn:") {
            if text.ends_with(".amazonaws.com") || text.ends_with(".amazonaws.com.cn") {
                return Ok(RequestPrincipal {
                    arn: None,
                    account: None,
                    kind: PrincipalKind::Service {
                        name: text.to_string(),
                    },
                });
            }
            return Err(format!(
                "'{text}' is not a principal: give an IAM ARN (user, role, assumed-role session, root), a service principal such as lambda.amazonaws.com, or 'anonymous'"
            ));
        }
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        if parts.len() != 6 {
            return Err(format!(
                "'{text}' is not a complete ARN (arn:partition:service:region:account:resource)"
            ));
        }
        let (service, account, resource) = (parts[2], parts[4], parts[5]);
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("the account in '{text}' must be 12 digits"));
        }
        let kind = match (service, resource.split_once('/').map(|(k, _)| k).unwrap_or(resource)) {
            ("iam", "root") => PrincipalKind::Root,
            ("iam", "user") => PrincipalKind::User,
            ("iam", "role") => PrincipalKind::Role,
            ("sts", "assumed-role") => {
                let mut it = resource.split('/').skip(1);
                let role_name = it.next().filter(|s| !s.is_empty()).ok_or("an assumed-role ARN needs a role name")?;
                if it.next().is_none_or(str::is_empty) {
                    return Err("an assumed-role ARN needs a session name: assumed-role/ROLE/SESSION".to_string());
                }
                PrincipalKind::AssumedRole { role_name: role_name.to_string() }
            }
            ("sts", "federated-user") => PrincipalKind::FederatedUser,
            _ => {
                return Err(format!(
                    "'{text}' is not a principal ARN: expected iam user/role/root or sts assumed-role/federated-user"
                ))
            }
        };
        Ok(RequestPrincipal {
            arn: Some(text.to_string()),
            account: Some(account.to_string()),
            kind,
        })
    }

    /// For a role session, the ARN of the role (`arn:aws:iam::ACCOUNT:role/NAME`; the role's path
    /// is not part of a session ARN, so it is not known here).
    pub fn role_arn(&self) -> Option<String> {
        match &self.kind {
            PrincipalKind::AssumedRole { role_name } => {
                let arn = self.arn.as_deref()?;
                let partition = arn.split(':').nth(1)?;
                Some(format!(
                    "arn:{partition}:iam::{}:role/{role_name}",
                    self.account.as_deref()?
                ))
            }
            PrincipalKind::Role => self.arn.clone(),
            _ => None,
        }
    }

    /// The value of `aws:PrincipalType` for this caller.
    pub fn principal_type(&self) -> &'static str {
        match self.kind {
            PrincipalKind::Root => "Account",
            PrincipalKind::User => "User",
            PrincipalKind::Role | PrincipalKind::AssumedRole { .. } => "AssumedRole",
            PrincipalKind::FederatedUser => "FederatedUser",
            PrincipalKind::Service { .. } => "AWSService",
            PrincipalKind::Anonymous => "Anonymous",
        }
    }
}

/// A condition key's value in the request: one value, or a set (multi-valued keys such as
/// aws:TagKeys). Values are text; each operator family converts them as IAM does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContextValue {
    pub values: Vec<String>,
    pub multi: bool,
}

impl ContextValue {
    pub fn single(value: impl Into<String>) -> ContextValue {
        ContextValue {
            values: vec![value.into()],
            multi: false,
        }
    }
    pub fn multi(values: Vec<String>) -> ContextValue {
        ContextValue {
            values,
            multi: true,
        }
    }
}

/// The request context: condition keys (case-insensitive) and their values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RequestContext {
    /// (key in lower case, key as given, value), in the order given.
    entries: Vec<(String, String, ContextValue)>,
}

impl RequestContext {
    pub fn new() -> RequestContext {
        RequestContext::default()
    }

    /// Set a key (replacing any value it had).
    pub fn set(&mut self, key: &str, value: ContextValue) {
        let lower = key.to_ascii_lowercase();
        match self.entries.iter_mut().find(|(k, _, _)| *k == lower) {
            Some(entry) => entry.2 = value,
            None => self.entries.push((lower, key.to_string(), value)),
        }
    }

    /// Look a key up; `key_lower` must already be lower case.
    pub fn get_lower(&self, key_lower: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key_lower)
            .map(|(_, _, v)| v)
    }

    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.get_lower(&key.to_ascii_lowercase())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(_, k, v)| (k.as_str(), v))
    }
}

/// A request to evaluate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub principal: RequestPrincipal,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN (or `*` for actions that have no resource).
    pub resource: String,
    /// The account that owns the resource. Defaults to the account in the resource ARN, or the
    /// principal's account when the ARN has none (S3 bucket ARNs carry no account).
    pub resource_account: Option<String>,
    pub context: RequestContext,
}

impl Request {
    /// Add the keys AWS always sets from the caller when the user did not give them:
    /// aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username (IAM users),
    /// aws:PrincipalServiceName (services). Other keys depend on the request and must be given.
    pub fn add_principal_keys(&mut self) {
        let p = self.principal.clone();
        let mut put = |key: &str, value: String| {
            if !self.context.contains(key) {
                self.context.set(key, ContextValue::single(value));
            }
        };
        let principal_arn = p.role_arn().or_else(|| p.arn.clone());
        if let Some(arn) = principal_arn {
            put("aws:PrincipalArn", arn);
        }
        if let Some(account) = &p.account {
            put("aws:PrincipalAccount", account.clone());
        }
        if !matches!(p.kind, PrincipalKind::Anonymous) {
            put("aws:PrincipalType", p.principal_type().to_string());
        }
        if let (PrincipalKind::User, Some(arn)) = (&p.kind, &p.arn) {
            if let Some(name) = arn.rsplit('/').next() {
                put("aws:username", name.to_string());
            }
        }
        if let PrincipalKind::Service { name } = &p.kind {
            put("aws:PrincipalServiceName", name.clone());
            put("aws:PrincipalIsAWSService", "true".to_string());
        } else if !matches!(p.kind, PrincipalKind::Anonymous) {
            put("aws:PrincipalIsAWSService", "false".to_string());
        }
    }

    /// The account that owns the resource, as described on `resource_account`.
    pub fn effective_resource_account(&self) -> Option<&str> {
        if let Some(a) = &self.resource_account {
            return Some(a);
        }
        let from_arn = self
            .resource
            .split(':')
            .nth(4)
            .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()));
        from_arn.or(self.principal.account.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_principals() {
        let p =
            RequestPrincipal::parse("arn:aws:sts::111122223333:assumed-role/Dev/alice").unwrap();
        assert_eq!(
            p.kind,
            PrincipalKind::AssumedRole {
                role_name: "Dev".into()
            }
        );
        assert_eq!(p.role_arn().unwrap(), "arn:aws:iam::111122223333:role/Dev");
        assert_eq!(
            RequestPrincipal::parse("arn:aws:iam::111122223333:root")
                .unwrap()
                .kind,
            PrincipalKind::Root
        );
        assert!(matches!(
            RequestPrincipal::parse("lambda.amazonaws.com")
                .unwrap()
                .kind,
            PrincipalKind::Service { .. }
        ));
        assert!(RequestPrincipal::parse("arn:aws:iam::1234:user/x").is_err());
        assert!(RequestPrincipal::parse("arn:aws:s3:::bucket").is_err());
        assert!(RequestPrincipal::parse("bob").is_err());
    }

    #[test]
    fn principal_keys_are_added_but_not_overwritten() {
        let mut r = Request {
            principal: RequestPrincipal::parse("arn:aws:iam::111122223333:user/alice").unwrap(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            resource_account: None,
            context: RequestContext::new(),
        };
        r.context.set("aws:username", ContextValue::single("given"));
        r.add_principal_keys();
        assert_eq!(
            r.context.get("AWS:PrincipalAccount").unwrap().values,
            ["111122223333"]
        );
        assert_eq!(r.context.get("aws:username").unwrap().values, ["given"]);
        assert_eq!(r.effective_resource_account(), Some("111122223333"));
    }
}

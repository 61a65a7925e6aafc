//! `aws iam get-account-summary` and `aws iam get-account-password-policy` (or that call's
//! NoSuchEntity error, which means no password policy is set).

use crate::syntax::NodeKind;

use super::json::{bool_field, int_field, JsonFile};
use super::{InputError, InputKind};

/// The `SummaryMap` of the account summary: names and integer values, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountSummary {
    pub values: Vec<(String, i64)>,
}

impl AccountSummary {
    pub fn get(&self, name: &str) -> Option<i64> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }
}

pub fn parse_summary(text: &str) -> (AccountSummary, Vec<InputError>) {
    let mut file = JsonFile::parse(InputKind::AccountSummary, text);
    let mut summary = AccountSummary::default();
    let Some(root) = file.root.take() else {
        file.error_at(0, "the file is not a JSON object");
        return (summary, file.errors);
    };
    let Some(map) = root.get("SummaryMap").and_then(|m| m.value.as_ref()) else {
        file.error(
            &root,
            "no SummaryMap: give the output of `aws iam get-account-summary`",
        );
        return (summary, file.errors);
    };
    let Some(members) = map.as_object() else {
        file.error(
            map,
            format!("SummaryMap must be an object, not {}", map.type_name()),
        );
        return (summary, file.errors);
    };
    for m in members {
        match m.value.as_ref().map(|v| &v.kind) {
            Some(NodeKind::Number(n)) if n.parse::<i64>().is_ok() => {
                summary
                    .values
                    .push((m.key.value.as_str().to_owned(), n.parse().unwrap_or(0)));
            }
            _ => {
                let at = m.key.span.start;
                file.error_at(at, format!("SummaryMap.{} is not an integer", m.key.value));
            }
        }
    }
    (summary, file.errors)
}

/// The settings of a password policy, as `get-account-password-policy` gives them. Each is None
/// when the file does not have it (AWS omits MaxPasswordAge and PasswordReusePrevention when
/// they are not set).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub minimum_password_length: Option<i64>,
    pub require_symbols: Option<bool>,
    pub require_numbers: Option<bool>,
    pub require_uppercase_characters: Option<bool>,
    pub require_lowercase_characters: Option<bool>,
    pub allow_users_to_change_password: Option<bool>,
    pub expire_passwords: Option<bool>,
    pub max_password_age: Option<i64>,
    pub password_reuse_prevention: Option<i64>,
    pub hard_expiry: Option<bool>,
}

/// What the password-policy file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordPolicyInput {
    /// The NoSuchEntity error: the account has no password policy (AWS's default applies).
    NotSet,
    Set(PasswordPolicy),
}

/// True for the text of the error `get-account-password-policy` gives when no policy is set,
/// as the AWS CLI prints it or as the JSON error body.
fn is_no_such_entity(text: &str) -> bool {
    text.contains("NoSuchEntity")
}

pub fn parse_password_policy(text: &str) -> (Option<PasswordPolicyInput>, Vec<InputError>) {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('{') && is_no_such_entity(text) {
        return (Some(PasswordPolicyInput::NotSet), Vec::new());
    }
    let mut file = JsonFile::parse(InputKind::PasswordPolicy, text);
    let Some(root) = file.root.take() else {
        file.error_at(
            0,
            "not the output of `aws iam get-account-password-policy` nor its NoSuchEntity error",
        );
        return (None, file.errors);
    };
    let Some(p) = root.get("PasswordPolicy").and_then(|m| m.value.as_ref()) else {
        if is_no_such_entity(text) {
            return (Some(PasswordPolicyInput::NotSet), file.errors);
        }
        file.error(
            &root,
            "no PasswordPolicy member: give the output of `aws iam get-account-password-policy`",
        );
        return (None, file.errors);
    };
    if p.as_object().is_none() {
        file.error(
            p,
            format!("PasswordPolicy must be an object, not {}", p.type_name()),
        );
        return (None, file.errors);
    }
    let policy = PasswordPolicy {
        minimum_password_length: int_field(p, "MinimumPasswordLength"),
        require_symbols: bool_field(p, "RequireSymbols"),
        require_numbers: bool_field(p, "RequireNumbers"),
        require_uppercase_characters: bool_field(p, "RequireUppercaseCharacters"),
        require_lowercase_characters: bool_field(p, "RequireLowercaseCharacters"),
        allow_users_to_change_password: bool_field(p, "AllowUsersToChangePassword"),
        expire_passwords: bool_field(p, "ExpirePasswords"),
        max_password_age: int_field(p, "MaxPasswordAge"),
        password_reuse_prevention: int_field(p, "PasswordReusePrevention"),
        hard_expiry: bool_field(p, "HardExpiry"),
    };
    (Some(PasswordPolicyInput::Set(policy)), file.errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_values_and_errors() {
        let (s, errors) =
            parse_summary(r#"{"SummaryMap": {"AccountMFAEnabled": 0, "Users": 12, "Bad": "x"}}"#);
        assert_eq!(s.get("AccountMFAEnabled"), Some(0));
        assert_eq!(s.get("Users"), Some(12));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("SummaryMap.Bad"));
        let (_, errors) = parse_summary("{\"Users\": 1}");
        assert!(errors[0].message.contains("no SummaryMap"));
    }

    #[test]
    fn password_policy_and_its_absence() {
        let (p, errors) = parse_password_policy(
            r#"{"PasswordPolicy": {"MinimumPasswordLength": 8, "RequireSymbols": false, "ExpirePasswords": true, "MaxPasswordAge": 180}}"#,
        );
        assert!(errors.is_empty());
        let Some(PasswordPolicyInput::Set(p)) = p else {
            panic!("{p:?}")
        };
        assert_eq!(p.minimum_password_length, Some(8));
        assert_eq!(p.require_symbols, Some(false));
        assert_eq!(p.max_password_age, Some(180));
        assert_eq!(p.password_reuse_prevention, None);
        let cli = "\nAn error occurred (NoSuchEntity) when calling the GetAccountPasswordPolicy operation: The Password Policy with domain name 111122223333 cannot be found.\n";
        assert_eq!(
            parse_password_policy(cli).0,
            Some(PasswordPolicyInput::NotSet)
        );
        let body = r#"{"Error": {"Code": "NoSuchEntity", "Message": "The Password Policy with domain name 1 cannot be found."}}"#;
        assert_eq!(
            parse_password_policy(body).0,
            Some(PasswordPolicyInput::NotSet)
        );
        let (p, errors) = parse_password_policy("{\"Other\": 1}");
        assert_eq!((p, errors.len()), (None, 1));
    }
}

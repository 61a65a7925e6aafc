//! The audit rules, one file each, in the order they run and are documented: the root user,
//! users' credentials, the password policy, then roles and principals' combined permissions.

use super::credential_report::{AccessKey, CredentialRow, Stamp};
use super::{AuditContext, AuditRule};

mod access_key_not_rotated;
mod access_key_unused_since_creation;
mod console_user_without_mfa;
mod credential_unused;
mod multiple_active_access_keys;
mod password_policy_missing;
mod password_policy_weak;
mod principal_admin_equivalent;
mod principal_privilege_escalation;
mod role_unused;
mod root_access_key_active;
mod root_mfa_not_enabled;
mod root_used_recently;

/// Every audit rule, in a stable order.
pub static RULES: &[&AuditRule] = &[
    &root_access_key_active::RULE,
    &root_mfa_not_enabled::RULE,
    &root_used_recently::RULE,
    &console_user_without_mfa::RULE,
    &access_key_not_rotated::RULE,
    &credential_unused::RULE,
    &multiple_active_access_keys::RULE,
    &access_key_unused_since_creation::RULE,
    &password_policy_missing::RULE,
    &password_policy_weak::RULE,
    &role_unused::RULE,
    &principal_admin_equivalent::RULE,
    &principal_privilege_escalation::RULE,
];

pub fn all() -> impl Iterator<Item = &'static AuditRule> {
    RULES.iter().copied()
}

pub fn by_code(code: &str) -> Option<&'static AuditRule> {
    all().find(|r| r.meta.code.eq_ignore_ascii_case(code))
}

/// The users of the credential report other than the root user.
fn users<'a>(cx: &'a AuditContext<'_>) -> impl Iterator<Item = &'a CredentialRow> {
    cx.inputs
        .credential_report
        .iter()
        .flat_map(|r| r.rows.iter())
        .filter(|r| !r.is_root())
}

/// "access key 1 of user 'bob'".
fn key_label(row: &CredentialRow, key: &AccessKey) -> String {
    format!("access key {} of user '{}'", key.number, row.user)
}

/// How a time value reads in a message.
fn when(cx: &AuditContext<'_>, stamp: Stamp) -> String {
    match stamp {
        Stamp::At(ms) => format!("{} days ago", cx.days_since(ms)),
        Stamp::NotApplicable => "never (N/A)".to_string(),
        Stamp::NoInformation => "never, or before AWS tracked it (no_information)".to_string(),
        Stamp::NotSupported => "not applicable (not_supported)".to_string(),
        Stamp::Missing => "unknown".to_string(),
    }
}

/// Report a finding about a user's access key(s), with a command that needs a key ID: the
/// report numbers keys but does not name them, so the command that lists the IDs is appended.
fn report_key(out: &mut super::Out<'_>, row: &CredentialRow, message: String, command: String) {
    let user = &row.user;
    out.report(
        user,
        &row.arn,
        message,
        Some(format!(
            "{command}  # ids: aws iam list-access-keys --user-name {user}"
        )),
    );
}

/// The AWS CLI command that takes one of a principal's policies away from it: detach a managed
/// policy or delete an inline one, from the group it comes through if any.
fn remove_command(c: &super::principals::Combined, s: &super::principals::Source) -> String {
    let (target, name) = match &s.via_group {
        Some(g) => ("group", g.as_str()),
        None => (c.kind.as_str(), c.name.as_str()),
    };
    match (&s.managed_arn, &s.inline_name) {
        (Some(arn), _) => {
            format!("aws iam detach-{target}-policy --{target}-name {name} --policy-arn {arn}")
        }
        (None, Some(policy)) => {
            format!("aws iam delete-{target}-policy --{target}-name {name} --policy-name {policy}")
        }
        (None, None) => format!("aws iam list-attached-{target}-policies --{target}-name {name}"),
    }
}

/// " (not counted: ...)" for the policies a principal names that the file does not hold.
fn unknown_note(c: &super::principals::Combined) -> String {
    if c.unknown_policies.is_empty() {
        return String::new();
    }
    format!(
        "; not in the file, so not counted: {}",
        crate::rules::support::security::name_list(&c.unknown_policies, 3)
    )
}

/// A rule as the registry hands it out.
pub type AuditRuleRef = &'static AuditRule;

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_not_policy_rule_codes() {
        let mut codes: Vec<&str> = all().map(|r| r.meta.code).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n);
        for c in codes {
            assert!(
                crate::rules::by_code(c).is_none(),
                "{c} is also a policy rule"
            );
        }
    }
}

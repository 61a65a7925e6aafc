use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out, PasswordPolicyInput};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "PASSWORD_POLICY_MISSING",
        category: Category::Warning,
        summary: "The account has no password policy.",
        explanation: "Without one, AWS accepts any password of 8 characters or more, with no \
            complexity and no reuse prevention. Fires when the password-policy file is the \
            NoSuchEntity error of `aws iam get-account-password-policy`. Set a policy; the \
            command in the finding uses the thresholds of `iamlint.toml`.",
        input: InputKind::PasswordPolicy,
        cis_v3: &["1.8", "1.9"],
        cis_v5: &["1.7", "1.8"],
        bad_example: "An error occurred (NoSuchEntity) when calling the GetAccountPasswordPolicy operation: The Password Policy with domain name 111122223333 cannot be found.\n",
        good_example: r#"{"PasswordPolicy": {"MinimumPasswordLength": 14, "RequireSymbols": true, "RequireNumbers": true, "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "AllowUsersToChangePassword": true, "ExpirePasswords": false, "PasswordReusePrevention": 24, "HardExpiry": false}}"#,
    },
    check,
};

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    if cx.inputs.password_policy == Some(PasswordPolicyInput::NotSet) {
        out.report(
            "account",
            "",
            "the account has no password policy, so AWS accepts any password of 8 characters or more; set one",
            Some(super::password_policy_weak::command(cx, None)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;

    #[test]
    fn the_command_uses_the_settings() {
        let m = &super::RULE.meta;
        let found = run(&super::RULE, m.input, m.bad_example);
        let command = found[0].command.as_deref().unwrap();
        assert!(
            command.contains("--minimum-password-length 14"),
            "{command}"
        );
        assert!(
            command.contains("--password-reuse-prevention 24"),
            "{command}"
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

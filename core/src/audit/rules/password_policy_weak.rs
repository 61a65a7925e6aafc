use crate::audit::{
    AuditContext, AuditRule, AuditRuleMeta, InputKind, Out, PasswordPolicy, PasswordPolicyInput,
};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "PASSWORD_POLICY_WEAK",
        category: Category::Warning,
        summary: "A setting of the password policy is weaker than the configured threshold.",
        explanation: "One finding per weak setting, named: `MinimumPasswordLength` below \
            `password-min-length` (default 14; CIS 1.8 / 1.7), `PasswordReusePrevention` absent \
            or below `password-reuse-prevention` (default 24; CIS 1.9 / 1.8), each of \
            `RequireSymbols`, `RequireNumbers`, `RequireUppercaseCharacters` and \
            `RequireLowercaseCharacters` off, and, when `password-max-age-days` is set above 0 \
            (default 0: current NIST and CIS guidance no longer ask for expiry), `MaxPasswordAge` \
            absent or above it. `update-account-password-policy` replaces the whole policy, so \
            the command in the finding restates every setting: the policy's own where it is \
            strong enough, the threshold where it is not.",
        input: InputKind::PasswordPolicy,
        cis_v3: &["1.8", "1.9"],
        cis_v5: &["1.7", "1.8"],
        bad_example: r#"{"PasswordPolicy": {"MinimumPasswordLength": 8, "RequireSymbols": true, "RequireNumbers": true, "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "AllowUsersToChangePassword": true, "ExpirePasswords": false, "PasswordReusePrevention": 24}}"#,
        good_example: r#"{"PasswordPolicy": {"MinimumPasswordLength": 16, "RequireSymbols": true, "RequireNumbers": true, "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "AllowUsersToChangePassword": true, "ExpirePasswords": false, "PasswordReusePrevention": 24}}"#,
    },
    check,
};

/// `aws iam update-account-password-policy` with every setting at least as strong as the
/// thresholds, keeping the policy's own values where they are stronger.
pub(super) fn command(cx: &AuditContext<'_>, policy: Option<&PasswordPolicy>) -> String {
    let s = cx.settings;
    let p = policy.cloned().unwrap_or_default();
    let length = p
        .minimum_password_length
        .unwrap_or(0)
        .max(s.password_min_length);
    let reuse = p
        .password_reuse_prevention
        .unwrap_or(0)
        .max(s.password_reuse_prevention);
    let mut c = format!(
        "aws iam update-account-password-policy --minimum-password-length {length} --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --password-reuse-prevention {reuse}"
    );
    let max_age = match (p.max_password_age, s.password_max_age_days) {
        (Some(a), 0) => Some(a),
        (Some(a), limit) => Some(a.min(limit)),
        (None, 0) => None,
        (None, limit) => Some(limit),
    };
    if let Some(age) = max_age {
        c.push_str(&format!(" --max-password-age {age}"));
    }
    c.push_str(if p.allow_users_to_change_password == Some(false) {
        " --no-allow-users-to-change-password"
    } else {
        " --allow-users-to-change-password"
    });
    if p.hard_expiry == Some(true) {
        c.push_str(" --hard-expiry");
    }
    c
}

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    let Some(PasswordPolicyInput::Set(p)) = &cx.inputs.password_policy else {
        return;
    };
    let s = cx.settings;
    let mut weak: Vec<(String, &[&str])> = Vec::new();
    match p.minimum_password_length {
        Some(n) if n >= s.password_min_length => {}
        n => weak.push((
            format!(
                "MinimumPasswordLength is {}; require at least {}",
                n.map_or("not set".to_string(), |n| n.to_string()),
                s.password_min_length
            ),
            &["CIS v3.0 1.8", "CIS v5.0 1.7"],
        )),
    }
    match p.password_reuse_prevention {
        Some(n) if n >= s.password_reuse_prevention => {}
        n => weak.push((
            format!(
                "PasswordReusePrevention is {}; remember at least {} previous passwords",
                n.map_or("not set".to_string(), |n| n.to_string()),
                s.password_reuse_prevention
            ),
            &["CIS v3.0 1.9", "CIS v5.0 1.8"],
        )),
    }
    let flags = [
        ("RequireSymbols", p.require_symbols, "a symbol"),
        ("RequireNumbers", p.require_numbers, "a number"),
        (
            "RequireUppercaseCharacters",
            p.require_uppercase_characters,
            "an upper-case letter",
        ),
        (
            "RequireLowercaseCharacters",
            p.require_lowercase_characters,
            "a lower-case letter",
        ),
    ];
    for (name, value, what) in flags {
        if value != Some(true) {
            weak.push((format!("{name} is off; require {what}"), &[]));
        }
    }
    let limit = s.password_max_age_days;
    if limit > 0 {
        match p.max_password_age {
            Some(a) if a <= limit && p.expire_passwords != Some(false) => {}
            a => weak.push((
                format!(
                    "MaxPasswordAge is {}; expire passwords after at most {limit} days",
                    a.map_or("not set".to_string(), |a| a.to_string())
                ),
                &[],
            )),
        }
    }
    let command = command(cx, Some(p));
    for (message, benchmarks) in weak {
        out.report(
            "account",
            "",
            format!("password policy: {message}"),
            Some(command.clone()),
        );
        if let Some(f) = out.found.last_mut() {
            f.benchmarks = benchmarks.iter().map(|b| b.to_string()).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::{AuditSettings, InputKind};

    #[test]
    fn one_finding_per_weak_setting_each_with_its_controls() {
        let text = r#"{"PasswordPolicy": {"MinimumPasswordLength": 8, "RequireSymbols": false, "RequireNumbers": true, "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "AllowUsersToChangePassword": false, "ExpirePasswords": true, "MaxPasswordAge": 365, "HardExpiry": true}}"#;
        let found = run(&super::RULE, InputKind::PasswordPolicy, text);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "password policy: MinimumPasswordLength is 8; require at least 14",
                "password policy: PasswordReusePrevention is not set; remember at least 24 previous passwords",
                "password policy: RequireSymbols is off; require a symbol",
            ]
        );
        assert_eq!(found[0].benchmarks, vec!["CIS v3.0 1.8", "CIS v5.0 1.7"]);
        assert!(found[2].benchmarks.is_empty());
        let command = found[0].command.as_deref().unwrap();
        assert!(
            command.ends_with(
                "--max-password-age 365 --no-allow-users-to-change-password --hard-expiry"
            ),
            "{command}"
        );
        let expiry = AuditSettings {
            password_max_age_days: 90,
            ..Default::default()
        };
        let found = run_with(&super::RULE, InputKind::PasswordPolicy, text, &expiry);
        assert_eq!(found.len(), 4);
        assert!(found[3].message.contains("MaxPasswordAge is 365"));
        assert!(found[3]
            .command
            .as_deref()
            .unwrap()
            .contains("--max-password-age 90"));
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::audit::credential_report::{CredentialRow, Stamp};
use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "CREDENTIAL_UNUSED",
        category: Category::Warning,
        summary: "A password or active access key has not been used for 45 days or more.",
        explanation: "A credential nobody uses can still be stolen and used. Fires for a user's \
            password (`password_enabled` true) or active key whose last use is \
            `credential-unused-days` (default 45) or more days ago, and for one never used \
            (`no_information`, `N/A`) that was set that long ago (since `password_last_changed` \
            or `user_creation_time` for a password, since `access_key_N_last_rotated` for a key). \
            Prowler counts from the last use only, so it passes a key that was never used; this \
            rule does not. Remove the password or deactivate the key.",
        input: InputKind::CredentialReport,
        cis_v3: &["1.12"],
        cis_v5: &["1.11"],
        bad_example: "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed\nbob,arn:aws:iam::111122223333:user/bob,2025-01-10T00:00:00+00:00,true,2026-02-01T00:00:00+00:00,2025-01-10T00:00:00+00:00\n",
        good_example: "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed\nbob,arn:aws:iam::111122223333:user/bob,2025-01-10T00:00:00+00:00,true,2026-05-01T00:00:00+00:00,2025-01-10T00:00:00+00:00\n",
    },
    check,
};

/// Days since the credential was last used, or (never used) since it was set; None when the
/// report gives neither.
fn idle(cx: &AuditContext<'_>, last_used: Stamp, set: Option<i64>) -> Option<(i64, bool)> {
    match last_used {
        Stamp::At(ms) => Some((cx.days_since(ms), true)),
        Stamp::NotApplicable | Stamp::NoInformation => set.map(|ms| (cx.days_since(ms), false)),
        Stamp::NotSupported | Stamp::Missing => None,
    }
}

fn describe(days: i64, used: bool, limit: i64) -> String {
    if used {
        format!("has not been used for {days} days ({limit} or more)")
    } else {
        format!("has never been used in the {days} days since it was set ({limit} or more)")
    }
}

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    let limit = cx.settings.credential_unused_days;
    for row in super::users(cx) {
        password(cx, row, limit, out);
        for key in row.active_keys() {
            let Some((days, used)) = idle(cx, key.last_used, key.last_rotated.at()) else {
                continue;
            };
            if days < limit {
                continue;
            }
            let user = &row.user;
            super::report_key(
                out,
                row,
                format!("{} {}; deactivate it, and delete it if nothing breaks", super::key_label(row, key), describe(days, used, limit)),
                format!("aws iam update-access-key --user-name {user} --access-key-id <key id> --status Inactive"),
            );
        }
    }
}

fn password(cx: &AuditContext<'_>, row: &CredentialRow, limit: i64, out: &mut Out<'_>) {
    if row.password_enabled != Some(true) {
        return;
    }
    let set = row
        .password_last_changed
        .at()
        .or(row.user_creation_time.at());
    let Some((days, used)) = idle(cx, row.password_last_used, set) else {
        return;
    };
    if days < limit {
        return;
    }
    let user = &row.user;
    out.report(
        user,
        &row.arn,
        format!(
            "the console password of user '{user}' {}; remove it",
            describe(days, used, limit)
        ),
        Some(format!("aws iam delete-login-profile --user-name {user}")),
    );
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::InputKind;

    #[test]
    fn never_used_counts_from_when_it_was_set() {
        let text = "user,user_creation_time,password_enabled,password_last_used,password_last_changed,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date\n\
carol,2026-01-01T00:00:00Z,true,no_information,N/A,true,2026-01-01T00:00:00Z,N/A\n\
dan,2026-05-01T00:00:00Z,true,no_information,N/A,true,2026-05-01T00:00:00Z,N/A\n";
        let found = run(&super::RULE, InputKind::CredentialReport, text);
        assert_eq!(subjects(&found), vec!["carol", "carol"]);
        assert!(
            found[0].message.contains("never been used in the 151 days"),
            "{}",
            found[0].message
        );
        assert!(found[1].message.starts_with("access key 1 of user 'carol'"));
    }

    #[test]
    fn exactly_the_limit_fires_and_inactive_keys_do_not() {
        let text = "user,password_enabled,access_key_1_active,access_key_1_last_used_date,access_key_2_active,access_key_2_last_used_date\nerin,false,true,2026-04-17T00:00:00Z,false,2020-01-01T00:00:00Z\n";
        let found = run(&super::RULE, InputKind::CredentialReport, text);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("45 days"));
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

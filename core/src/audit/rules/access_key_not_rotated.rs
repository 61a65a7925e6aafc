use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "ACCESS_KEY_NOT_ROTATED",
        category: Category::Warning,
        summary: "An active access key is older than 90 days.",
        explanation: "The longer a key lives, the more places it may have leaked to. Fires for \
            each active key of a user (the root user's keys are ROOT_ACCESS_KEY_ACTIVE) whose \
            `access_key_N_last_rotated` is more than `access-key-max-age-days` (default 90) days \
            ago. Create a new key, move its users to it, then deactivate and delete the old one.",
        input: InputKind::CredentialReport,
        cis_v3: &["1.14"],
        cis_v5: &["1.13"],
        bad_example: "user,arn,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date\nci,arn:aws:iam::111122223333:user/ci,true,2025-12-01T00:00:00+00:00,2026-05-30T00:00:00+00:00\n",
        good_example: "user,arn,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date\nci,arn:aws:iam::111122223333:user/ci,true,2026-04-01T00:00:00+00:00,2026-05-30T00:00:00+00:00\nold,arn:aws:iam::111122223333:user/old,false,2020-01-01T00:00:00+00:00,N/A\n",
    },
    check,
};

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    let limit = cx.settings.access_key_max_age_days;
    for row in super::users(cx) {
        for key in row.active_keys() {
            let Some(rotated) = key.last_rotated.at() else {
                continue;
            };
            let age = cx.days_since(rotated);
            if age <= limit {
                continue;
            }
            let user = &row.user;
            super::report_key(
                out,
                row,
                format!(
                    "{} is {age} days old (more than {limit}); create a new key, switch to it, then deactivate and delete this one",
                    super::key_label(row, key)
                ),
                format!("aws iam create-access-key --user-name {user} && aws iam update-access-key --user-name {user} --access-key-id <old key id> --status Inactive && aws iam delete-access-key --user-name {user} --access-key-id <old key id>"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::{AuditSettings, InputKind};

    #[test]
    fn each_key_on_its_own_and_the_limit_is_a_setting() {
        let text = "user,arn,access_key_1_active,access_key_1_last_rotated,access_key_2_active,access_key_2_last_rotated\nbob,arn:aws:iam::1:user/bob,true,2025-01-01T00:00:00Z,TRUE,2026-03-10T00:00:00Z\n";
        let found = run(&super::RULE, InputKind::CredentialReport, text);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .starts_with("access key 1 of user 'bob' is 516 days old"),
            "{}",
            found[0].message
        );
        let strict = AuditSettings {
            access_key_max_age_days: 30,
            ..Default::default()
        };
        assert_eq!(
            run_with(&super::RULE, InputKind::CredentialReport, text, &strict).len(),
            2
        );
        // Exactly 90 days is still within the limit.
        let edge =
            "user,access_key_1_active,access_key_1_last_rotated\nbob,true,2026-03-03T00:00:00Z\n";
        assert!(run(&super::RULE, InputKind::CredentialReport, edge).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

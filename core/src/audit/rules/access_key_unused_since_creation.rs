use crate::audit::credential_report::Stamp;
use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "ACCESS_KEY_UNUSED_SINCE_CREATION",
        category: Category::Warning,
        summary: "An active access key has never been used.",
        explanation: "A key nobody uses is a secret with no purpose; CIS asks that keys not be \
            created up front with a console user. Fires for each active key of a user whose \
            `access_key_N_last_used_date` is `N/A`, whatever its age and whether or not the user \
            has a password (Prowler checks only console users; a never-used key of an API-only \
            user is the same risk). The message says whether the key was made with the user (the \
            same day). Delete the key; create one when it is needed.",
        input: InputKind::CredentialReport,
        cis_v3: &["1.11"],
        cis_v5: &["1.10"],
        bad_example: "user,arn,user_creation_time,password_enabled,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date\nalice,arn:aws:iam::111122223333:user/alice,2026-05-20T08:00:00+00:00,true,true,2026-05-20T08:01:00+00:00,N/A\n",
        good_example: "user,arn,user_creation_time,password_enabled,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date\nalice,arn:aws:iam::111122223333:user/alice,2026-05-20T08:00:00+00:00,true,false,2026-05-20T08:01:00+00:00,N/A\nci,arn:aws:iam::111122223333:user/ci,2026-05-20T08:00:00+00:00,false,true,2026-05-20T08:01:00+00:00,2026-05-21T00:00:00+00:00\n",
    },
    check,
};

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    for row in super::users(cx) {
        for key in row.active_keys() {
            if key.last_used != Stamp::NotApplicable {
                continue;
            }
            let with_user = match (row.user_creation_time.at(), key.last_rotated.at()) {
                (Some(user), Some(made)) if cx_days(made - user) < 1 => {
                    " and was created with the user"
                }
                _ => "",
            };
            let user = &row.user;
            super::report_key(
                out,
                row,
                format!(
                    "{} has never been used{with_user}; delete it and create a key only when one is needed",
                    super::key_label(row, key)
                ),
                format!("aws iam delete-access-key --user-name {user} --access-key-id <key id>"),
            );
        }
    }
}

/// Whole days in a span of milliseconds.
fn cx_days(ms: i64) -> i64 {
    ms.div_euclid(86_400_000)
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::InputKind;

    #[test]
    fn api_only_users_count_too() {
        let text = "user,password_enabled,access_key_2_active,access_key_2_last_used_date\nsvc,false,true,N/A\n";
        let found = run(&super::RULE, InputKind::CredentialReport, text);
        assert_eq!(subjects(&found), vec!["svc"]);
        assert!(!found[0].message.contains("created with the user"));
        let m = &super::RULE.meta;
        assert!(run(&super::RULE, m.input, m.bad_example)[0]
            .message
            .contains("created with the user"));
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "MULTIPLE_ACTIVE_ACCESS_KEYS",
        category: Category::Warning,
        summary: "A user has two active access keys.",
        explanation: "Two keys are for the few days of a rotation; kept longer, one of them is \
            usually forgotten. Fires when both `access_key_1_active` and `access_key_2_active` \
            are true for a user (the root user is ROOT_ACCESS_KEY_ACTIVE). The message says when \
            each was last used; deactivate the one not in use.",
        input: InputKind::CredentialReport,
        cis_v3: &["1.13"],
        cis_v5: &["1.12"],
        bad_example: "user,arn,access_key_1_active,access_key_1_last_used_date,access_key_2_active,access_key_2_last_used_date\nci,arn:aws:iam::111122223333:user/ci,true,2026-05-30T00:00:00+00:00,true,N/A\n",
        good_example: "user,arn,access_key_1_active,access_key_1_last_used_date,access_key_2_active,access_key_2_last_used_date\nci,arn:aws:iam::111122223333:user/ci,true,2026-05-30T00:00:00+00:00,false,N/A\n",
    },
    check,
};

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    for row in super::users(cx) {
        if row.active_keys().count() < 2 {
            continue;
        }
        let user = &row.user;
        super::report_key(
                out,
                row,
                format!(
                "user '{user}' has two active access keys (key 1 last used {}, key 2 last used {}); keep one and deactivate the other",
                super::when(cx, row.keys[0].last_used),
                super::when(cx, row.keys[1].last_used)
            ),
                format!("aws iam update-access-key --user-name {user} --access-key-id <unused key id> --status Inactive"),
            );
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;

    #[test]
    fn says_when_each_key_was_used() {
        let m = &super::RULE.meta;
        let found = run(&super::RULE, m.input, m.bad_example);
        assert!(
            found[0]
                .message
                .contains("key 1 last used 2 days ago, key 2 last used never (N/A)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

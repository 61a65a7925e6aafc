use crate::audit::credential_report::Stamp;
use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "ROOT_USED_RECENTLY",
        category: Category::Warning,
        summary: "The root user signed in or used an access key recently.",
        explanation: "The root user is for the few tasks only it can do; everyday work belongs to \
            roles or users with MFA. Fires when the `<root_account>` row's `password_last_used` or \
            either key's `access_key_N_last_used_date` is within `root-recent-use-days` (default \
            30). `no_information` and `N/A` mean no recorded use. Look at what root did in \
            CloudTrail and move that work to a role.",
        input: InputKind::CredentialReport,
        cis_v3: &["1.7"],
        cis_v5: &["1.6"],
        bad_example: "user,arn,password_last_used,access_key_1_last_used_date\n<root_account>,arn:aws:iam::111122223333:root,2026-05-28T09:15:00+00:00,N/A\n",
        good_example: "user,arn,password_last_used,access_key_1_last_used_date\n<root_account>,arn:aws:iam::111122223333:root,2025-11-02T09:15:00+00:00,N/A\n",
    },
    check,
};

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    let Some(root) = cx.inputs.credential_report.as_ref().and_then(|r| r.root()) else {
        return;
    };
    let uses = [
        ("signed in", root.password_last_used),
        ("used access key 1", root.keys[0].last_used),
        ("used access key 2", root.keys[1].last_used),
    ];
    let recent: Vec<String> = uses
        .iter()
        .filter_map(|(what, stamp)| match stamp {
            Stamp::At(ms) if cx.days_since(*ms) < cx.settings.root_recent_use_days => {
                Some(format!("{what} {} days ago", cx.days_since(*ms).max(0)))
            }
            _ => None,
        })
        .collect();
    if recent.is_empty() {
        return;
    }
    out.report(
        &root.user,
        &root.arn,
        format!(
            "the root user {} (within {} days); keep root for the tasks only it can do and review what it did",
            recent.join(" and "),
            cx.settings.root_recent_use_days
        ),
        Some("aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root".to_string()),
    );
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::InputKind;

    #[test]
    fn key_use_counts_and_the_threshold_is_a_setting() {
        let key = "user,password_last_used,access_key_2_last_used_date\n<root_account>,no_information,2026-05-30T00:00:00Z\n";
        let found = run(&super::RULE, InputKind::CredentialReport, key);
        assert!(
            found[0].message.contains("used access key 2 2 days ago"),
            "{}",
            found[0].message
        );
        let settings = crate::audit::AuditSettings {
            root_recent_use_days: 1,
            ..Default::default()
        };
        assert!(run_with(&super::RULE, InputKind::CredentialReport, key, &settings).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

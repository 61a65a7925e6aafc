use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "ROOT_ACCESS_KEY_ACTIVE",
        category: Category::Security,
        summary: "The root user has an active access key.",
        explanation: "A root access key can do anything in the account, and no policy can limit \
            it. Read from the credential report's `<root_account>` row (either key active) or, \
            when only the account summary is given, from `AccountAccessKeysPresent`. Delete the \
            key while signed in as the root user; use roles or IAM Identity Center for programmatic \
            access.",
        input: InputKind::CredentialReport,
        cis_v3: &["1.4"],
        cis_v5: &["1.3"],
        bad_example: "user,arn,access_key_1_active,access_key_2_active\n<root_account>,arn:aws:iam::111122223333:root,true,false\n",
        good_example: "user,arn,access_key_1_active,access_key_2_active\n<root_account>,arn:aws:iam::111122223333:root,false,false\nalice,arn:aws:iam::111122223333:user/alice,true,false\n",
    },
    check,
};

const COMMAND: &str = "aws iam delete-access-key --access-key-id <root key id>  # signed in as the root user; `aws iam list-access-keys` shows the id";

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    if let Some(root) = cx.inputs.credential_report.as_ref().and_then(|r| r.root()) {
        let keys: Vec<String> = root.active_keys().map(|k| k.number.to_string()).collect();
        if !keys.is_empty() {
            let which = if keys.len() == 1 {
                format!("access key {}", keys[0])
            } else {
                format!("access keys {}", keys.join(" and "))
            };
            out.report(
                &root.user,
                &root.arn,
                format!("the root user has active {which}; delete it (root keys cannot be limited by any policy) and use roles instead"),
                Some(COMMAND.to_string()),
            );
        }
        return;
    }
    let present = cx
        .inputs
        .account_summary
        .as_ref()
        .and_then(|s| s.get("AccountAccessKeysPresent"));
    if present.is_some_and(|n| n > 0) {
        out.report(
            crate::audit::credential_report::ROOT_USER,
            "",
            "the account summary says the root user has an access key (AccountAccessKeysPresent is 1); delete it and use roles instead",
            Some(COMMAND.to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::InputKind;

    #[test]
    fn root_keys_from_the_report_or_the_summary() {
        let both = "user,arn,access_key_1_active,access_key_2_active\n<root_account>,arn:aws:iam::1:root,TRUE,True\n";
        let found = run(&super::RULE, InputKind::CredentialReport, both);
        assert_eq!(subjects(&found), vec!["<root_account>"]);
        assert!(found[0].message.contains("access keys 1 and 2"));
        let summary = r#"{"SummaryMap": {"AccountAccessKeysPresent": 1}}"#;
        assert_eq!(
            run(&super::RULE, InputKind::AccountSummary, summary).len(),
            1
        );
        let none = r#"{"SummaryMap": {"AccountAccessKeysPresent": 0}}"#;
        assert!(run(&super::RULE, InputKind::AccountSummary, none).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "ROOT_MFA_NOT_ENABLED",
        category: Category::Security,
        summary: "The root user has no MFA device.",
        explanation: "Anyone with the root password can then take the whole account. Read from \
            the `<root_account>` row's `mfa_active` or, without a credential report, from the \
            account summary's `AccountMFAEnabled`. A root user whose report row shows no password \
            (`password_enabled` false, as when an organization manages root access centrally) and \
            no active key is not reported: it has no credential to protect. Enable MFA for the \
            root user (a hardware key for CIS level 2, control 1.6 / 1.5, which the files cannot \
            show).",
        input: InputKind::CredentialReport,
        cis_v3: &["1.5"],
        cis_v5: &["1.4"],
        bad_example: "user,arn,password_enabled,mfa_active\n<root_account>,arn:aws:iam::111122223333:root,not_supported,false\n",
        good_example: "user,arn,password_enabled,mfa_active\n<root_account>,arn:aws:iam::111122223333:root,not_supported,true\n",
    },
    check,
};

fn command(account: &str) -> String {
    format!(
        "aws iam create-virtual-mfa-device --virtual-mfa-device-name root-mfa --outfile root-mfa.png --bootstrap-method QRCodePNG && aws iam enable-mfa-device --serial-number arn:aws:iam::{account}:mfa/root-mfa --authentication-code1 <code> --authentication-code2 <next code>  # signed in as the root user"
    )
}

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    if let Some(root) = cx.inputs.credential_report.as_ref().and_then(|r| r.root()) {
        let has_credentials =
            root.password_enabled != Some(false) || root.active_keys().next().is_some();
        if root.mfa_active == Some(false) && has_credentials {
            out.report(
                &root.user,
                &root.arn,
                "the root user has no MFA device; enable one (a hardware key is best)",
                Some(command(crate::audit::account_of(&root.arn))),
            );
        }
        return;
    }
    let enabled = cx
        .inputs
        .account_summary
        .as_ref()
        .and_then(|s| s.get("AccountMFAEnabled"));
    if enabled == Some(0) {
        out.report(
            crate::audit::credential_report::ROOT_USER,
            "",
            "the account summary says the root user has no MFA device (AccountMFAEnabled is 0); enable one",
            Some(command("<account-id>")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::InputKind;

    #[test]
    fn summary_and_root_without_credentials() {
        let summary = r#"{"SummaryMap": {"AccountMFAEnabled": 0}}"#;
        assert_eq!(
            subjects(&run(&super::RULE, InputKind::AccountSummary, summary)),
            vec!["<root_account>"]
        );
        assert!(run(
            &super::RULE,
            InputKind::AccountSummary,
            r#"{"SummaryMap": {"AccountMFAEnabled": 1}}"#
        )
        .is_empty());
        let no_credentials = "user,password_enabled,mfa_active,access_key_1_active\n<root_account>,FALSE,FALSE,false\n";
        assert!(run(&super::RULE, InputKind::CredentialReport, no_credentials).is_empty());
        let key_only = "user,password_enabled,mfa_active,access_key_1_active\n<root_account>,false,false,true\n";
        assert_eq!(
            run(&super::RULE, InputKind::CredentialReport, key_only).len(),
            1
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

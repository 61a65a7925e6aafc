use crate::audit::{account_of, AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "CONSOLE_USER_WITHOUT_MFA",
        category: Category::Security,
        summary: "A user with a console password has no MFA device.",
        explanation: "A stolen or guessed password is then enough to sign in. Fires for every \
            user (not the root user, see ROOT_MFA_NOT_ENABLED) whose `password_enabled` is true \
            and `mfa_active` false. Enable an MFA device for the user, or remove the password if \
            the user does not need the console.",
        input: InputKind::CredentialReport,
        cis_v3: &["1.10"],
        cis_v5: &["1.9"],
        bad_example: "user,arn,password_enabled,mfa_active\nalice,arn:aws:iam::111122223333:user/alice,true,false\n",
        good_example: "user,arn,password_enabled,mfa_active\nalice,arn:aws:iam::111122223333:user/alice,true,true\nbuild,arn:aws:iam::111122223333:user/build,false,false\n",
    },
    check,
};

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    for row in super::users(cx) {
        if row.password_enabled == Some(true) && row.mfa_active == Some(false) {
            let user = &row.user;
            let account = account_of(&row.arn);
            out.report(
                user,
                &row.arn,
                format!("user '{user}' can sign in to the console with a password alone; enable an MFA device, or remove the password if the console is not needed (aws iam delete-login-profile --user-name {user})"),
                Some(format!(
                    "aws iam create-virtual-mfa-device --virtual-mfa-device-name {user} --outfile {user}-mfa.png --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name {user} --serial-number arn:aws:iam::{account}:mfa/{user} --authentication-code1 <code> --authentication-code2 <next code>"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::InputKind;

    #[test]
    fn any_case_and_root_is_another_rule() {
        let text = "user,arn,password_enabled,mfa_active\n<root_account>,arn:aws:iam::1:root,not_supported,false\nbob,arn:aws:iam::1:user/bob,TRUE,False\n";
        let found = run(&super::RULE, InputKind::CredentialReport, text);
        assert_eq!(subjects(&found), vec!["bob"]);
        assert!(found[0]
            .command
            .as_deref()
            .unwrap()
            .contains("arn:aws:iam::1:mfa/bob"));
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

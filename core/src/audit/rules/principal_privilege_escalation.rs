use crate::audit::principals::{Combined, OpenPath};
use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;
use crate::rules::support::security::name_list;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "PRINCIPAL_PRIVILEGE_ESCALATION",
        category: Category::Security,
        summary: "A user's or role's policies together allow a known privilege-escalation path.",
        explanation: "The policy rule PRIVILEGE_ESCALATION looks at one document; a principal \
            holds several, and a path can be split across them (`iam:PassRole` in one, \
            `lambda:CreateFunction` and `lambda:InvokeFunction` in another). This rule asks the \
            same table of paths about the principal's inline, attached and group policies \
            together, with the same reading as PRINCIPAL_ADMIN_EQUIVALENT (every resource, no narrowing \
            Condition, less unconditional Denies on `\"*\"` and outside the permissions \
            boundary). One finding per principal: the path shown first is one no single policy \
            grants when there is one, each action named with the policy that grants it, then the \
            count of other paths. A principal that is admin-equivalent is reported by that rule \
            instead.",
        input: InputKind::AuthorizationDetails,
        cis_v3: &[],
        cis_v5: &[],
        bad_example: r#"{"UserDetailList": [{"UserName": "dev", "Arn": "arn:aws:iam::111122223333:user/dev",
  "UserPolicyList": [{"PolicyName": "pass-roles", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}}],
  "AttachedManagedPolicies": [{"PolicyName": "LambdaDev", "PolicyArn": "arn:aws:iam::111122223333:policy/LambdaDev"}]}],
 "Policies": [{"PolicyName": "LambdaDev", "Arn": "arn:aws:iam::111122223333:policy/LambdaDev", "DefaultVersionId": "v1",
  "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]}}]}]}"#,
        good_example: r#"{"UserDetailList": [{"UserName": "dev", "Arn": "arn:aws:iam::111122223333:user/dev",
  "UserPolicyList": [{"PolicyName": "pass-roles", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/lambda-basic"}]}}],
  "AttachedManagedPolicies": [{"PolicyName": "LambdaDev", "PolicyArn": "arn:aws:iam::111122223333:policy/LambdaDev"}]}],
 "Policies": [{"PolicyName": "LambdaDev", "Arn": "arn:aws:iam::111122223333:policy/LambdaDev", "DefaultVersionId": "v1",
  "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]}}]}]}"#,
    },
    check,
};

/// The number of different policies a path takes.
fn spread(p: &OpenPath) -> usize {
    let mut by = p.granted_by.clone();
    by.sort_unstable();
    by.dedup();
    by.len()
}

fn describe(c: &Combined, p: &OpenPath) -> String {
    p.path
        .actions
        .iter()
        .zip(&p.granted_by)
        .map(|(a, &i)| format!("{a} ({})", c.sources[i].label))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    for c in cx.combined() {
        if c.admin.is_some() || c.escalation.is_empty() {
            continue;
        }
        // Show first a path that only the combination opens: the one no single policy shows.
        let first = c
            .escalation
            .iter()
            .find(|p| spread(p) > 1)
            .unwrap_or(&c.escalation[0]);
        let combined = if spread(first) > 1 {
            "; no single policy grants all of it"
        } else {
            ""
        };
        let others: Vec<String> = c
            .escalation
            .iter()
            .filter(|p| !std::ptr::eq(*p, first))
            .map(|p| p.path.actions.join(" + "))
            .collect();
        let more = if others.is_empty() {
            String::new()
        } else {
            format!(
                "; {} more path{}: {}",
                others.len(),
                if others.len() == 1 { "" } else { "s" },
                name_list(&others, 3)
            )
        };
        out.report(
            &c.name,
            &c.arn,
            format!(
                "{} '{}' can escalate its privileges: {} on every resource lets it {}{combined}{more}; name the resources in these policies or remove one action of each path{}",
                c.kind.as_str(),
                c.name,
                describe(c, first),
                first.path.how,
                super::unknown_note(c)
            ),
            Some(super::remove_command(c, &c.sources[first.granted_by[0]])),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::InputKind;

    #[test]
    fn names_each_policy_of_a_split_path() {
        let m = &super::RULE.meta;
        let found = run(&super::RULE, m.input, m.bad_example);
        assert_eq!(subjects(&found), vec!["dev"]);
        assert!(
            found[0].message.contains("iam:PassRole (inline policy 'pass-roles') + lambda:CreateFunction (managed policy 'LambdaDev') + lambda:InvokeFunction (managed policy 'LambdaDev') on every resource lets it create and run a function with any role; no single policy grants all of it"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].command.as_deref(),
            Some("aws iam delete-user-policy --user-name dev --policy-name pass-roles")
        );
    }

    #[test]
    fn a_deny_in_another_policy_and_unknown_policies() {
        let text = r#"{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::1:role/r",
  "RolePolicyList": [{"PolicyName": "keys", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}]}},
                     {"PolicyName": "guard", "PolicyDocument": {"Statement": [{"Effect": "Deny", "Action": "iam:Create*", "Resource": "*"}]}}],
  "AttachedManagedPolicies": [{"PolicyName": "Gone", "PolicyArn": "arn:aws:iam::1:policy/Gone"}]},
 {"RoleName": "s", "Arn": "arn:aws:iam::1:role/s",
  "RolePolicyList": [{"PolicyName": "keys", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}]}}],
  "AttachedManagedPolicies": [{"PolicyName": "Gone", "PolicyArn": "arn:aws:iam::1:policy/Gone"}]}]}"#;
        let found = run(&super::RULE, InputKind::AuthorizationDetails, text);
        assert_eq!(subjects(&found), vec!["s"]);
        assert!(
            found[0].message.ends_with(
                "not in the file, so not counted: managed policy arn:aws:iam::1:policy/Gone"
            ),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

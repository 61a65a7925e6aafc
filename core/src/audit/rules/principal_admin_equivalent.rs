use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "PRINCIPAL_ADMIN_EQUIVALENT",
        category: Category::Security,
        summary: "A user's or role's policies together allow every action on every resource.",
        explanation: "Such a principal is an administrator, whatever its policies are called. \
            Its inline policies, attached managed policies and (for a user) its groups' policies \
            are read together, as the policy rules' risk checks read one policy: an Allow counts \
            when it is on every resource (`\"*\"` or NotResource) and its Condition, if any, does \
            not pin who, what or from where (an MFA condition does not), and an \
            unconditional Deny on `\"*\"` in any of them takes the action away; a permissions \
            boundary must allow it too. The principal is admin-equivalent when they grant an \
            action of a service that does not exist (only a service wildcard or NotAction can) \
            and each of a set of critical actions (IAM policy and key changes, `iam:PassRole`, \
            `sts:AssumeRole`, KMS decryption, S3 reads and bucket policies, EC2 and Lambda \
            launches, secrets, CloudTrail): `\"*\"`, `\"*:*\"`, or a NotAction that leaves none of \
            them out. The finding names the policies that grant it and the command that removes \
            the first.",
        input: InputKind::AuthorizationDetails,
        cis_v3: &["1.16"],
        cis_v5: &["1.15"],
        bad_example: r#"{"RoleDetailList": [{"RoleName": "deploy", "Arn": "arn:aws:iam::111122223333:role/deploy", "RolePolicyList": [{"PolicyName": "all-but-billing", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": ["aws-portal:*", "billing:*"], "Resource": "*"}]}}]}]}"#,
        good_example: r#"{"RoleDetailList": [{"RoleName": "deploy", "Arn": "arn:aws:iam::111122223333:role/deploy", "RolePolicyList": [{"PolicyName": "all-but-iam", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}]}}]}]}"#,
    },
    check,
};

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    for c in cx.combined() {
        let Some(granting) = &c.admin else {
            continue;
        };
        let labels: Vec<&str> = granting
            .iter()
            .map(|&i| c.sources[i].label.as_str())
            .collect();
        let boundary = match &c.boundary {
            Some(b) => format!(" (its permissions boundary '{b}' allows it too)"),
            None => String::new(),
        };
        out.report(
            &c.name,
            &c.arn,
            format!(
                "{} '{}' can do anything on every resource{boundary}: {} {} every action; give it only what it needs{}",
                c.kind.as_str(),
                c.name,
                crate::rules::support::security::name_list(&labels, 4),
                if labels.len() == 1 { "grants" } else { "grant between them" },
                super::unknown_note(c)
            ),
            Some(super::remove_command(c, &c.sources[granting[0]])),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::InputKind;

    const DETAILS: &str = r#"{
  "UserDetailList": [
    {"UserName": "ops", "Arn": "arn:aws:iam::1:user/ops", "GroupList": ["admins"]},
    {"UserName": "bounded", "Arn": "arn:aws:iam::1:user/bounded", "GroupList": ["admins"],
     "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::1:policy/ReadOnlyBoundary"}},
    {"UserName": "denied", "Arn": "arn:aws:iam::1:user/denied", "GroupList": ["admins"],
     "UserPolicyList": [{"PolicyName": "no-iam", "PolicyDocument": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%22iam%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"}]},
    {"UserName": "mfa", "Arn": "arn:aws:iam::1:user/mfa",
     "UserPolicyList": [{"PolicyName": "mfa-admin", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}}]},
    {"UserName": "office", "Arn": "arn:aws:iam::1:user/office",
     "UserPolicyList": [{"PolicyName": "office-admin", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}}]}
  ],
  "GroupDetailList": [{"GroupName": "admins", "Arn": "arn:aws:iam::1:group/admins",
     "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}],
  "Policies": [
    {"PolicyName": "AdministratorAccess", "Arn": "arn:aws:iam::aws:policy/AdministratorAccess", "DefaultVersionId": "v1",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]},
    {"PolicyName": "ReadOnlyBoundary", "Arn": "arn:aws:iam::1:policy/ReadOnlyBoundary", "DefaultVersionId": "v1",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*"], "Resource": "*"}]}}]}
  ]
}"#;

    #[test]
    fn through_groups_and_not_past_boundaries_denies_or_conditions_that_pin_where() {
        let found = run(&super::RULE, InputKind::AuthorizationDetails, DETAILS);
        // An MFA condition does not limit what the holder can do; a source network does (the
        // risk rules' reading of conditions, `rules::support::narrowing`).
        assert_eq!(subjects(&found), vec!["ops", "mfa"]);
        assert!(
            found[0].message.contains(
                "group 'admins' managed policy 'AdministratorAccess' grants every action;"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].command.as_deref(),
            Some("aws iam detach-group-policy --group-name admins --policy-arn arn:aws:iam::aws:policy/AdministratorAccess")
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::audit::{AuditContext, AuditRule, AuditRuleMeta, InputKind, Out};
use crate::diagnostic::Category;

pub static RULE: AuditRule = AuditRule {
    meta: AuditRuleMeta {
        code: "ROLE_UNUSED",
        category: Category::Warning,
        summary: "A role has not been used for 90 days or more, or never and is older than that.",
        explanation: "An idle role keeps its permissions and its trust; whoever it trusts can \
            still use it. Fires when `RoleLastUsed.LastUsedDate` is `role-unused-days` (default \
            90) or more days ago, or when the role has no recorded use and its `CreateDate` is \
            that old. AWS tracks use for the last 400 days. Service-linked roles (path \
            `/aws-service-role/`) are left out: their service manages them. Confirm nothing needs \
            the role, then delete it (detach its policies and remove it from instance profiles \
            first).",
        input: InputKind::AuthorizationDetails,
        cis_v3: &[],
        cis_v5: &[],
        bad_example: r#"{"RoleDetailList": [{"RoleName": "old-etl", "Arn": "arn:aws:iam::111122223333:role/old-etl", "Path": "/", "CreateDate": "2024-03-01T00:00:00Z", "RoleLastUsed": {"LastUsedDate": "2025-12-01T00:00:00Z", "Region": "eu-west-1"}}]}"#,
        good_example: r#"{"RoleDetailList": [{"RoleName": "etl", "Arn": "arn:aws:iam::111122223333:role/etl", "Path": "/", "CreateDate": "2024-03-01T00:00:00Z", "RoleLastUsed": {"LastUsedDate": "2026-05-30T00:00:00Z", "Region": "eu-west-1"}}, {"RoleName": "AWSServiceRoleForSupport", "Arn": "arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport", "Path": "/aws-service-role/support.amazonaws.com/", "CreateDate": "2020-01-01T00:00:00Z", "RoleLastUsed": {}}]}"#,
    },
    check,
};

fn check(cx: &AuditContext<'_>, out: &mut Out<'_>) {
    let Some(details) = &cx.inputs.authorization_details else {
        return;
    };
    let limit = cx.settings.role_unused_days;
    for role in &details.roles {
        if role.path.starts_with("/aws-service-role/") {
            continue;
        }
        let how = match (role.last_used, role.create_date) {
            (Some(used), _) if cx.days_since(used) >= limit => {
                format!("was last used {} days ago", cx.days_since(used))
            }
            (None, Some(created)) if cx.days_since(created) >= limit => {
                format!(
                    "has no recorded use and was created {} days ago",
                    cx.days_since(created)
                )
            }
            _ => continue,
        };
        let name = &role.name;
        out.report(
            name,
            &role.arn,
            format!("role '{name}' {how} ({limit} or more); if nothing needs it, delete it"),
            Some(format!(
                "aws iam delete-role --role-name {name}  # first: aws iam list-attached-role-policies --role-name {name}; aws iam list-instance-profiles-for-role --role-name {name}"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::audit::InputKind;

    #[test]
    fn never_used_counts_from_creation() {
        let text = r#"{"RoleDetailList": [{"RoleName": "never", "Arn": "arn:aws:iam::1:role/never", "CreateDate": "2025-01-01T00:00:00Z", "RoleLastUsed": {}}, {"RoleName": "new", "CreateDate": "2026-05-01T00:00:00Z"}]}"#;
        let found = run(&super::RULE, InputKind::AuthorizationDetails, text);
        assert_eq!(subjects(&found), vec!["never"]);
        assert!(
            found[0]
                .message
                .contains("no recorded use and was created 516 days ago"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::report_principal_members;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SCP_SYNTAX_ERROR_PRINCIPAL",
        category: Category::Error,
        summary: "An SCP uses `Principal` or `NotPrincipal`.",
        explanation: "A service control policy applies to every IAM user and role in the accounts \
            it is attached to, so it cannot name principals: AWS Organizations rejects \
            `Principal` and `NotPrincipal` in SCPs. To exempt some principals, add a condition \
            such as `ArnNotLike` on `aws:PrincipalArn`.\n\n\
            Since September 2025 SCPs support the full IAM policy language: conditions, \
            specific resource ARNs and `NotAction` in `Allow` statements, `NotResource` in any \
            statement, and wildcards anywhere in an action name. The older Access Analyzer \
            checks SCP_SYNTAX_ERROR_ALLOW_CONDITION, SCP_SYNTAX_ERROR_ALLOW_NOTACTION, \
            SCP_SYNTAX_ERROR_ALLOW_RESOURCE, SCP_SYNTAX_ERROR_NOTRESOURCE and \
            SCP_SYNTAX_ERROR_ACTION_WILDCARD therefore describe restrictions that no longer \
            exist, and iamlint does not report them; the ban on principals remains.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}"#,
        example_type: ExampleType::Scp,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Scp {
        return;
    }
    report_principal_members(cx, sink, |key| {
        format!(
            "SCPs apply to every principal in the account and cannot use `{key}`. Remove it; to exempt principals use a condition on aws:PrincipalArn."
        )
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "SCP_SYNTAX_ERROR_PRINCIPAL";

    #[test]
    fn principal_in_scp() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "s3:*", "Resource": "*"}]}"#;
        let found = findings_of(text, "scp", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), r#""NotPrincipal""#);
        assert!(found[0].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#"{"Effect": "Deny", "Action": "s3:*""#));
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn relaxed_2025_grammar_is_accepted() {
        // Allow with NotAction, a condition, specific ARNs; NotResource; mid-string wildcards.
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}, {"Effect": "Deny", "Action": "ec2:*Instances", "NotResource": "arn:aws:ec2:*:*:instance/i-1"}]}"#;
        let codes: Vec<&str> = findings(text, "scp")
            .iter()
            .map(|d| d.code)
            .filter(|c| c.starts_with("SCP_"))
            .collect();
        assert!(codes.is_empty(), "{codes:?}");
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::risk::{grants_by_element, AskedList};
use crate::rules::support::security::name_list;

/// Actions whose response carries credentials, tokens or passwords (cloudsplaining's
/// CredentialsExposure list), less `ecr:GetAuthorizationToken`: its token carries the caller's
/// own ECR permissions, not another identity's, and the action only works with `"*"`, so
/// "name the resources" could not be followed (the Service Authorization Reference lists no
/// resource type for it). `sts:GetSessionToken` stays for the list's sake but is filtered the
/// same way by [`can_be_scoped`](crate::rules::support::risk::can_be_scoped). Also less
/// `iam:UpdateAccessKey`: the IAM API Reference says it only changes a key's status (Active or
/// Inactive) and its response has no elements; it hands out nothing (the IAM User Guide's
/// "Limits managed policies that can be applied to a new IAM user" example grants it on `"*"`).
pub const CREDENTIAL_ACTIONS: &[&str] = &[
    "chime:CreateApiKey",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "connect:GetFederationToken",
    "ec2:GetPasswordData",
    "gamelift:RequestUploadCredentials",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "sso:GetRoleCredentials",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CREDENTIALS_EXPOSURE",
        category: Category::Security,
        summary: "The policy grants, on every resource, actions that return credentials.",
        explanation: "Actions such as `iam:CreateAccessKey`, `sts:AssumeRole` or \
            `redshift:GetClusterCredentials` hand out keys, tokens or passwords. On `\"*\"` they \
            hand out the credentials of every user, role or database in reach. Name the \
            resources they apply to. Actions that only work with `\"*\"` and return the \
            caller's own credentials (`ecr:GetAuthorizationToken`, `sts:GetSessionToken`) are \
            not reported: there is nothing to name.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "s3:ListAllMyBuckets"], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/reporting"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Across(Reads::GRANTS),
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(cx.policy_type, PolicyType::Identity) {
        return;
    }
    static ASKED: AskedList = AskedList::new(CREDENTIAL_ACTIONS);
    for (grant, granted) in grants_by_element(cx, &ASKED) {
        sink.report(
            grant.span,
            format!(
                "{} grants {} action{} that return{} credentials on every resource ({}){}; name \
                 the resources they apply to",
                grant.via,
                granted.len(),
                if granted.len() == 1 { "" } else { "s" },
                if granted.len() == 1 { "s" } else { "" },
                name_list(&granted, 4),
                grant.conditions.note()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "CREDENTIALS_EXPOSURE";

    #[test]
    fn points_at_the_action() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(spans_of(text, "identity", CODE), vec!["\"sts:AssumeRole\""]);
    }

    #[test]
    fn named_roles_and_actions_that_only_work_with_star_do_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
        // ecr:GetAuthorizationToken cannot be limited to a resource: "*" is not a choice.
        let ecr = r#"{"Statement": [{"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}]}"#;
        assert!(findings_of(ecr, "identity", CODE).is_empty());
    }

    /// Issue 12, found with the IAM User Guide's "IAM: Limits managed policies that can be
    /// applied to a new IAM user, group, or role": `iam:UpdateAccessKey` turns a key on or off
    /// and returns no credentials, so it is not reported; `iam:CreateAccessKey` of the same
    /// statement returns a secret key and keeps its finding.
    #[test]
    fn update_access_key_returns_no_credentials() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:UpdateAccessKey", "iam:ListGroups"], "Resource": "*"}]}"#;
        assert_eq!(
            spans_of(text, "identity", CODE),
            vec!["\"iam:CreateAccessKey\""]
        );
        let update_only = text.replace(r#""iam:CreateAccessKey", "#, "");
        assert!(findings_of(&update_only, "identity", CODE).is_empty());
    }

    /// Issue 12 (risk rules): a Region-only condition does not narrow; neither does the
    /// SageMaker Studio / DataZone managed policies' `StringNotEquals` with `""` on a principal
    /// tag, which a caller without the tag passes (the message says so). A positive test of
    /// the same tag narrows: the close neighbour.
    #[test]
    fn conditions_that_do_not_say_who_keep_the_finding() {
        let region = r#"{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}"#;
        let found = findings_of(region, "identity", CODE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("aws:RequestedRegion"));
        let datazone = r#"{"Statement": [{"Sid": "AllowAssumeAccessRole", "Effect": "Allow", "Action": ["sts:AssumeRole"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalTag/AmazonDataZoneProject": ""}}}]}"#;
        let found = findings_of(datazone, "identity", CODE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].span.slice(datazone), "\"sts:AssumeRole\"");
        assert!(
            found[0].message.contains(
                "uses StringNotEquals, which a request without \
                 aws:PrincipalTag/AmazonDataZoneProject passes"
            ),
            "{}",
            found[0].message
        );
        let tagged = datazone.replace(
            r#""StringNotEquals": {"aws:PrincipalTag/AmazonDataZoneProject": ""}"#,
            r#""StringEquals": {"aws:PrincipalTag/AmazonDataZoneProject": "p-1"}"#,
        );
        assert!(findings_of(&tagged, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

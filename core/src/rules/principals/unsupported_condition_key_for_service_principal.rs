use crate::diagnostic::Category;
use crate::policy::BaseOperator;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
        category: Category::Error,
        summary: "A statement for service principals tests a key that describes an IAM principal.",
        explanation: "When an AWS service principal (`lambda.amazonaws.com`, \
            `cloudtrail.amazonaws.com`, ...) calls on its own behalf, the request has no IAM \
            identity behind it, so keys that describe the calling IAM principal or its session \
            are absent: `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalOrgID`, \
            `aws:PrincipalOrgPaths`, `aws:PrincipalTag/...`, `aws:userid`, `aws:username`, \
            `aws:SourceIdentity`, `aws:FederatedProvider`, `aws:TokenIssueTime` and the MFA keys. \
            A condition on them never matches (or, negated, always does). To restrict a service \
            principal, test the resource it acts for with `aws:SourceArn`, `aws:SourceAccount`, \
            `aws:SourceOrgID` or `aws:SourceOrgPaths`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::trail-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::trail-bucket/*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

/// Keys that describe an IAM principal or its session (lowercase; `aws:principaltag/` is a prefix).
const PRINCIPAL_KEYS: &[&str] = &[
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:userid",
    "aws:username",
    "aws:sourceidentity",
    "aws:federatedprovider",
    "aws:tokenissuetime",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
];

fn describes_iam_principal(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    PRINCIPAL_KEYS.contains(&key.as_str()) || key.starts_with("aws:principaltag/")
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        let Some(p) = &st.principal else { continue };
        // Only statements whose principals are all services.
        if p.is_star || p.entries.is_empty() || p.entries.iter().any(|e| e.kind.value != "Service")
        {
            continue;
        }
        for block in &st.conditions {
            // Null tests presence, and IfExists skips absent keys: both are deliberate.
            let Some(op) = block.operator else { continue };
            if op.base == BaseOperator::Null || op.if_exists {
                continue;
            }
            for entry in &block.entries {
                if describes_iam_principal(&entry.key.value) {
                    sink.report(
                        entry.key.span,
                        format!(
                            "`{}` is absent when a service principal makes the request, so this condition never matches as intended. Use aws:SourceArn, aws:SourceAccount or aws:SourceOrgID to restrict a service principal.",
                            entry.key.value
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL";

    #[test]
    fn principal_keys_with_service_principals() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123", "aws:PrincipalTag/team": "x"}, "StringEqualsIfExists": {"aws:PrincipalArn": "x"}, "Null": {"aws:userid": "true"}}}]}"#;
        assert_eq!(
            spans_of(text, "resource", CODE),
            [r#""aws:PrincipalOrgID""#, r#""aws:PrincipalTag/team""#]
        );
    }

    #[test]
    fn mixed_principals_or_source_keys_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com", "AWS": "111122223333"}, "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}, {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}}}]}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

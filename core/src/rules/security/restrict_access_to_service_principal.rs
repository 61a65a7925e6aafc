use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::{
    restricting_entry, service_principal_values, service_source_fix, SOURCE_KEYS,
};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
        category: Category::Security,
        summary: "A resource policy grants an AWS service principal access without saying on whose behalf (aws:SourceArn / aws:SourceAccount).",
        explanation: "A service principal such as `sns.amazonaws.com` acts for every customer of \
            that service. Without `aws:SourceArn` or `aws:SourceAccount` (or `aws:SourceOrgID`), \
            anyone can point their own topic, bucket or rule at your resource and have the \
            service use this grant for them: the confused-deputy problem. Add a condition naming \
            your source resource and account.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:events"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:events", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:orders"}}}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(cx.policy_type, PolicyType::Resource { .. }) {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() || restricting_entry(st, SOURCE_KEYS).is_some() {
            continue;
        }
        let services = service_principal_values(st);
        let Some(first) = services.first() else {
            continue;
        };
        let d = sink.report(
            first.span(),
            format!(
                "{} can use this grant on behalf of any account; add aws:SourceArn (your source resource) \
                 and aws:SourceAccount (your account) conditions",
                first.value
            ),
        );
        if let Some(fix) = service_source_fix(cx.text, st, first.value) {
            d.fixes.push(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL";

    #[test]
    fn points_at_the_service_and_offers_the_skeleton() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "resource", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "\"sns.amazonaws.com\"");
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""Condition": {"StringEquals": {"aws:SourceAccount": "ACCOUNT_ID"}, "ArnLike": {"aws:SourceArn": "arn:aws:sns:*:ACCOUNT_ID:*"}}"#), "{fixed}");
        assert!(findings_of(&fixed, "resource", CODE).is_empty());
    }

    #[test]
    fn source_arn_or_a_trust_policy_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "resource", CODE).is_empty());
        let trust = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
        assert!(findings_of(trust, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

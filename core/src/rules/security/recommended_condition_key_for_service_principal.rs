use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::security::{
    restricting_entry, service_principal_values, service_source_fix, SOURCE_KEYS,
};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
        category: Category::Suggestion,
        summary:
            "A role trusts an AWS service principal without aws:SourceArn or aws:SourceAccount.",
        explanation: "Where the service passes them when it assumes the role, `aws:SourceArn` and \
            `aws:SourceAccount` make sure the service assumes the role only for your resources \
            and not on behalf of another customer. Many services document them for the roles \
            they assume (Glue, SageMaker, CodeBuild, ECS tasks, Lambda). EC2 is not reported: \
            an instance profile's role reaches an instance only through `iam:PassRole` in the \
            role's own account, and AWS documents no source key for it.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

/// Service principals whose role trust AWS documents without source keys, with the reason.
/// Reviewed entry by entry (docs/accuracy.md); each has a test.
pub const NO_SOURCE_KEYS: &[(&str, &str)] = &[(
    "ec2.amazonaws.com",
    "EC2 User Guide \"IAM roles for Amazon EC2\": the role's trust policy is shown with no \
     condition, and EC2 has no cross-service confused-deputy page naming aws:SourceArn or \
     aws:SourceAccount for it; the role reaches an instance only through an instance profile \
     and iam:PassRole in the role's own account, so another customer cannot make EC2 assume it",
)];

fn documents_no_source_keys(service: &str) -> bool {
    NO_SOURCE_KEYS
        .iter()
        .any(|(s, _)| s.eq_ignore_ascii_case(service))
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() || restricting_entry(st, SOURCE_KEYS).is_some() {
            continue;
        }
        let services = service_principal_values(st);
        let Some(first) = services.iter().find(|s| !documents_no_source_keys(s.value)) else {
            continue;
        };
        let d = sink.report(
            first.span(),
            format!(
                "Consider aws:SourceAccount and aws:SourceArn conditions so that {} assumes this role only \
                 for your own resources",
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

    const CODE: &str = "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL";

    #[test]
    fn points_at_the_service() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(
            spans_of(text, "trust", CODE),
            vec!["\"glue.amazonaws.com\""]
        );
    }

    #[test]
    fn source_account_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "trust", CODE).is_empty());
    }

    /// Issue 12: the EC2 instance-profile trust policy of the EC2 User Guide is not a finding.
    #[test]
    fn ec2_instance_role_is_not_reported() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
        for (service, reason) in super::NO_SOURCE_KEYS {
            assert!(!reason.is_empty(), "{service}");
            let text = text.replace("ec2.amazonaws.com", service);
            assert!(findings_of(&text, "trust", CODE).is_empty(), "{service}");
        }
    }

    /// Close neighbours: another service trusted beside EC2 keeps the finding, on that
    /// service; so does an ECS task role, whose documentation gives the source keys.
    #[test]
    fn a_service_beside_ec2_keeps_the_finding() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}"#;
        assert_eq!(
            spans_of(text, "trust", CODE),
            vec!["\"ecs-tasks.amazonaws.com\""]
        );
        let found = findings_of(text, "trust", CODE);
        assert!(found[0].message.contains("ecs-tasks.amazonaws.com"));
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}

#[cfg(test)]
mod regression_tests {
    use crate::analysis::{analyze, AnalyzeOptions};
    use crate::policy::PolicyType;

    /// Found by the fuzzer: a statement whose Condition is an empty object got two insertions
    /// replacing the same `{}`, so the fix could not be applied.
    #[test]
    fn fix_into_an_empty_condition_applies() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{}}]}"#;
        let found = analyze(
            text,
            &AnalyzeOptions {
                policy_type: PolicyType::Trust,
                ..AnalyzeOptions::default()
            },
        );
        let d = found
            .diagnostics
            .iter()
            .find(|d| d.code == super::RULE.meta.code)
            .expect("finding");
        let fixed = d.fixes[0].apply(text).expect("edits apply");
        assert!(
            fixed.contains(r#""StringEquals": {"aws:SourceAccount": "ACCOUNT_ID"}"#),
            "{fixed}"
        );
        assert!(
            fixed.contains(r#""ArnLike": {"aws:SourceArn": "arn:aws:glue:*:ACCOUNT_ID:*"}"#),
            "{fixed}"
        );
        assert!(crate::syntax::parse(&fixed).errors.is_empty(), "{fixed}");
    }

    #[test]
    fn every_fix_of_the_fuzzer_input_applies() {
        let text =
            include_str!("../../../../fuzz/regressions/recommended-condition-key-fix-overlap.json");
        for ty in [
            PolicyType::Trust,
            PolicyType::Auto,
            PolicyType::Resource {
                resource_type: None,
            },
        ] {
            for d in analyze(
                text,
                &AnalyzeOptions {
                    policy_type: ty,
                    ..AnalyzeOptions::default()
                },
            )
            .diagnostics
            {
                for fix in &d.fixes {
                    assert!(fix.apply(text).is_some(), "{}: {}", d.code, fix.title);
                }
            }
        }
    }
}

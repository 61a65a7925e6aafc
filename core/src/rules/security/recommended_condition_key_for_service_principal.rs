use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

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
            and not on behalf of another customer. Many services do (for example Lambda URL \
            invocations, SageMaker, Glue, CodeBuild); EC2 and Lambda execution roles do not need \
            them.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]}"#,
        example_type: ExampleType::Trust,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
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

//! Helpers for rule tests: analyse a policy and pick out one rule's findings.

use crate::analysis::{analyze, AnalyzeOptions};
use crate::diagnostic::Diagnostic;
use crate::policy::PolicyType;
use crate::rules::Rule;

/// All findings for `text` checked as `policy_type` (a name like "identity", "trust").
pub fn findings(text: &str, policy_type: &str) -> Vec<Diagnostic> {
    let policy_type = PolicyType::parse(policy_type).expect("known policy type");
    analyze(
        text,
        &AnalyzeOptions {
            policy_type,
            ..AnalyzeOptions::default()
        },
    )
    .diagnostics
}

/// The findings of one rule code.
pub fn findings_of(text: &str, policy_type: &str, code: &str) -> Vec<Diagnostic> {
    findings(text, policy_type)
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

/// The text each finding of `code` points at.
pub fn spans_of<'t>(text: &'t str, policy_type: &str, code: &str) -> Vec<&'t str> {
    findings_of(text, policy_type, code)
        .iter()
        .map(|d| d.span.slice(text))
        .collect()
}

/// The rule's bad example triggers it, and its good example does not.
pub fn check_examples(rule: &Rule) {
    let ty = rule.meta.example_type.policy_type();
    let options = AnalyzeOptions {
        policy_type: ty,
        ..AnalyzeOptions::default()
    };
    let bad = analyze(rule.meta.bad_example, &options).diagnostics;
    assert!(
        bad.iter().any(|d| d.code == rule.meta.code),
        "{}: bad example does not trigger the rule; got {:?}",
        rule.meta.code,
        bad.iter().map(|d| d.code).collect::<Vec<_>>()
    );
    let good = analyze(rule.meta.good_example, &options).diagnostics;
    assert!(
        !good.iter().any(|d| d.code == rule.meta.code),
        "{}: good example triggers the rule: {:?}",
        rule.meta.code,
        good.iter()
            .filter(|d| d.code == rule.meta.code)
            .collect::<Vec<_>>()
    );
    for d in bad.iter().chain(good.iter()) {
        assert!(
            d.span.end
                <= rule
                    .meta
                    .bad_example
                    .len()
                    .max(rule.meta.good_example.len())
        );
    }
}

/// The test of the AWS Organizations size quota rules (SCP and RCP): 5,120 characters,
/// whitespace included, reported at the document's `{` with the minify advice, only for
/// `policy_type`.
pub fn assert_organizations_quota(code: &str, policy_type: &str) {
    let padded = |chars: usize| {
        let frame = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#;
        format!("{}{}", frame, " ".repeat(chars - frame.len()))
    };
    let over = padded(5_121);
    let found = findings_of(&over, policy_type, code);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].span.slice(&over), "{");
    assert!(found[0].message.contains("minify"));
    assert!(findings_of(&padded(5_120), policy_type, code).is_empty());
    assert!(findings_of(&over, "identity", code).is_empty());
}

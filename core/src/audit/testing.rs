//! Helpers for the audit rules' tests: run one rule on one input file.

use super::{
    AuditContext, AuditFiles, AuditRule, AuditSettings, Finding, InputKind, Out, EXAMPLE_NOW,
};

/// The findings of `rule` on a file of kind `kind`, at [`EXAMPLE_NOW`] with default settings.
/// Input errors fail the test: examples must be well-formed.
pub fn run(rule: &AuditRule, kind: InputKind, text: &str) -> Vec<Finding> {
    run_with(rule, kind, text, &AuditSettings::default())
}

pub fn run_with(
    rule: &AuditRule,
    kind: InputKind,
    text: &str,
    settings: &AuditSettings,
) -> Vec<Finding> {
    let mut files = AuditFiles::default();
    match kind {
        InputKind::CredentialReport => files.credential_report = Some(text),
        InputKind::AccountSummary => files.account_summary = Some(text),
        InputKind::PasswordPolicy => files.password_policy = Some(text),
        InputKind::AuthorizationDetails => files.authorization_details = Some(text),
    }
    let (inputs, errors) = files.parse();
    assert!(errors.is_empty(), "input errors: {errors:?}");
    let cx = AuditContext::new(&inputs, settings, EXAMPLE_NOW);
    let mut out = Out::new(&rule.meta);
    (rule.check)(&cx, &mut out);
    out.found
}

/// The subjects of the findings.
pub fn subjects(found: &[Finding]) -> Vec<&str> {
    found.iter().map(|f| f.subject.as_str()).collect()
}

/// The bad example triggers the rule, the good one does not, and every finding carries an AWS
/// CLI command and only the rule's benchmarks.
pub fn check_examples(rule: &AuditRule) {
    let m = &rule.meta;
    let bad = run(rule, m.input, m.bad_example);
    assert!(
        !bad.is_empty(),
        "{}: the bad example does not trigger it",
        m.code
    );
    for f in &bad {
        assert_eq!(f.code, m.code);
        assert!(
            f.command.as_deref().is_some_and(|c| c.starts_with("aws ")),
            "{}: finding without an AWS CLI command: {f:?}",
            m.code
        );
        // A rule may name fewer controls on a finding (one per weak setting), never others.
        let all = m.benchmarks();
        assert!(
            f.benchmarks.iter().all(|b| all.contains(b)),
            "{}: {f:?}",
            m.code
        );
    }
    let good = run(rule, m.input, m.good_example);
    assert!(
        good.is_empty(),
        "{}: the good example triggers it: {good:?}",
        m.code
    );
}

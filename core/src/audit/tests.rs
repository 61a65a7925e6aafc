//! The whole audit over the fixture files in tests/audit/ (written in the formats AWS gives):
//! every rule, every odd value, and the findings each file must give.

use super::*;

const REPORT_CSV: &str = include_str!("../../../tests/audit/credential-report.csv");
const REPORT_JSON: &str = include_str!("../../../tests/audit/credential-report.json");
const REPORT_REORDERED: &str = include_str!("../../../tests/audit/credential-report-reordered.csv");
const SUMMARY: &str = include_str!("../../../tests/audit/account-summary.json");
const PASSWORD_POLICY: &str = include_str!("../../../tests/audit/password-policy.json");
const NO_PASSWORD_POLICY: &str = include_str!("../../../tests/audit/password-policy-missing.txt");
const DETAILS: &str = include_str!("../../../tests/audit/authorization-details.json");

fn run(files: AuditFiles<'_>) -> (Vec<Finding>, Vec<InputError>) {
    let (inputs, errors) = files.parse();
    (
        audit(&inputs, &AuditSettings::default(), EXAMPLE_NOW),
        errors,
    )
}

fn pairs(found: &[Finding]) -> Vec<(&str, &str)> {
    found.iter().map(|f| (f.code, f.subject.as_str())).collect()
}

const REPORT_FINDINGS: &[(&str, &str)] = &[
    ("ROOT_ACCESS_KEY_ACTIVE", "<root_account>"),
    ("ROOT_MFA_NOT_ENABLED", "<root_account>"),
    ("ROOT_USED_RECENTLY", "<root_account>"),
    ("CONSOLE_USER_WITHOUT_MFA", "alice"),
    ("ACCESS_KEY_NOT_ROTATED", "carol"),
    ("ACCESS_KEY_NOT_ROTATED", "dave"),
    ("CREDENTIAL_UNUSED", "bob"),
    ("CREDENTIAL_UNUSED", "dave"),
    ("CREDENTIAL_UNUSED", "dave"),
    ("MULTIPLE_ACTIVE_ACCESS_KEYS", "carol"),
    ("ACCESS_KEY_UNUSED_SINCE_CREATION", "carol"),
    ("ACCESS_KEY_UNUSED_SINCE_CREATION", "dave"),
];

#[test]
fn the_credential_report_gives_each_expected_finding_and_its_truncated_line_an_error() {
    let (found, errors) = run(AuditFiles {
        credential_report: Some(REPORT_CSV),
        ..Default::default()
    });
    assert_eq!(pairs(&found), REPORT_FINDINGS);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].line, errors[0].input),
        (8, InputKind::CredentialReport)
    );
    assert!(
        errors[0].message.contains("truncated"),
        "{}",
        errors[0].message
    );
    // Every credential finding names the ARN of its row and carries a command.
    for f in &found {
        assert!(f.arn.starts_with("arn:aws:iam::111122223333:"), "{f:?}");
        assert!(
            f.command.as_deref().is_some_and(|c| c.starts_with("aws ")),
            "{f:?}"
        );
    }
}

#[test]
fn the_json_response_gives_the_same_findings_and_its_generation_time() {
    let (inputs, errors) = AuditFiles {
        credential_report: Some(REPORT_JSON),
        ..Default::default()
    }
    .parse();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.starts_with("in the decoded Content"));
    assert_eq!(default_now(&inputs), Some(EXAMPLE_NOW));
    let found = audit(&inputs, &AuditSettings::default(), EXAMPLE_NOW);
    assert_eq!(pairs(&found), REPORT_FINDINGS);
}

#[test]
fn reordered_and_extra_columns_read_the_same() {
    let (found, errors) = run(AuditFiles {
        credential_report: Some(REPORT_REORDERED),
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:?}");
    let full: Vec<(&str, &str)> = REPORT_FINDINGS
        .iter()
        .copied()
        .filter(|(_, s)| *s == "alice" || *s == "carol")
        .collect();
    assert_eq!(pairs(&found), full);
}

#[test]
fn the_summary_speaks_for_the_root_user_only_without_a_report() {
    let (found, _) = run(AuditFiles {
        account_summary: Some(SUMMARY),
        ..Default::default()
    });
    assert_eq!(
        pairs(&found),
        vec![
            ("ROOT_ACCESS_KEY_ACTIVE", "<root_account>"),
            ("ROOT_MFA_NOT_ENABLED", "<root_account>")
        ]
    );
    let (found, _) = run(AuditFiles {
        account_summary: Some(SUMMARY),
        credential_report: Some(REPORT_CSV),
        ..Default::default()
    });
    assert_eq!(pairs(&found), REPORT_FINDINGS);
}

#[test]
fn password_policy_weak_settings_and_missing_policy() {
    let (found, errors) = run(AuditFiles {
        password_policy: Some(PASSWORD_POLICY),
        ..Default::default()
    });
    assert!(errors.is_empty());
    let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "password policy: MinimumPasswordLength is 8; require at least 14",
            "password policy: PasswordReusePrevention is 5; remember at least 24 previous passwords",
            "password policy: RequireUppercaseCharacters is off; require an upper-case letter",
        ]
    );
    let (found, _) = run(AuditFiles {
        password_policy: Some(NO_PASSWORD_POLICY),
        ..Default::default()
    });
    assert_eq!(pairs(&found), vec![("PASSWORD_POLICY_MISSING", "account")]);
    assert_eq!(
        found[0].benchmarks,
        vec![
            "CIS v3.0 1.8",
            "CIS v3.0 1.9",
            "CIS v5.0 1.7",
            "CIS v5.0 1.8"
        ]
    );
}

#[test]
fn authorization_details_principals_roles_and_documents() {
    let (found, errors) = run(AuditFiles {
        authorization_details: Some(DETAILS),
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:?}");
    let audit_pairs: Vec<(&str, &str)> = pairs(&found)
        .into_iter()
        .filter(|(c, _)| rules::by_code(c).is_some())
        .collect();
    assert_eq!(
        audit_pairs,
        vec![
            ("ROLE_UNUSED", "old-etl"),
            ("PRINCIPAL_ADMIN_EQUIVALENT", "ops"),
            ("PRINCIPAL_ADMIN_EQUIVALENT", "deployer"),
            ("PRINCIPAL_PRIVILEGE_ESCALATION", "dev"),
        ]
    );
    let has =
        |code: &str, subject: &str| found.iter().any(|f| f.code == code && f.subject == subject);
    // The policy rules run on every document, named by principal or policy.
    assert!(has("TRUST_TO_ANY_PRINCIPAL", "partner-access"));
    assert!(has("ALLOW_WITH_NOT_ACTION", "deployer"));
    assert!(has("PASS_ROLE_WITH_STAR_IN_RESOURCE", "dev"));
    // AWS managed policies are not checked, nor are versions that are not the default.
    assert!(!found.iter().any(|f| f.subject == "AdministratorAccess"));
    assert!(!found
        .iter()
        .any(|f| f.subject == "LambdaDeveloper" && f.code == "STAR_IN_ACTION"));
    let trust = found
        .iter()
        .find(|f| f.code == "TRUST_TO_ANY_PRINCIPAL")
        .unwrap();
    assert!(
        trust
            .message
            .starts_with("trust policy of role 'partner-access' (line "),
        "{}",
        trust.message
    );
}

#[test]
fn disabled_codes_are_skipped_for_audit_and_policy_rules() {
    let (inputs, _) = AuditFiles {
        authorization_details: Some(DETAILS),
        ..Default::default()
    }
    .parse();
    let settings = AuditSettings {
        disabled: vec!["role_unused".into(), "TRUST_TO_ANY_PRINCIPAL".into()],
        ..Default::default()
    };
    let found = audit(&inputs, &settings, EXAMPLE_NOW);
    assert!(!found
        .iter()
        .any(|f| f.code == "ROLE_UNUSED" || f.code == "TRUST_TO_ANY_PRINCIPAL"));
    assert!(found.iter().any(|f| f.code == "PRINCIPAL_ADMIN_EQUIVALENT"));
}

#[test]
fn now_accepts_rfc3339_and_dates_only() {
    assert_eq!(parse_now("2026-06-01"), Some(EXAMPLE_NOW));
    assert_eq!(parse_now("2026-06-01T02:00:00+02:00"), Some(EXAMPLE_NOW));
    assert_eq!(parse_now("1780272000"), None);
    assert_eq!(parse_now("June"), None);
}

#[test]
fn garbage_inputs_give_errors_never_panics() {
    for text in [
        "",
        "\u{0}",
        "{",
        "[1,2]",
        "user\n\"",
        "{\"Content\": 5}",
        "%%%",
        "{\"SummaryMap\": []}",
    ] {
        let files = AuditFiles {
            credential_report: Some(text),
            account_summary: Some(text),
            password_policy: Some(text),
            authorization_details: Some(text),
        };
        let (inputs, errors) = files.parse();
        assert!(!errors.is_empty(), "{text:?}");
        let _ = audit(&inputs, &AuditSettings::default(), EXAMPLE_NOW);
    }
}

#[test]
fn format_time_is_the_inverse_of_parse_now() {
    for t in [
        "2026-06-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "2000-02-29T23:59:59Z",
        "1969-12-31T12:30:05Z",
        "2400-12-31T01:02:03Z",
    ] {
        assert_eq!(format_time(parse_now(t).unwrap()), t);
    }
}

//! The playground's "Account audit" tab: the files AWS gives about an account, read and audited
//! by the core exactly as `iamlint audit` does with its default thresholds. Only translation
//! happens here.

use iamlint_core::audit::{self, AuditFiles, AuditSettings, Finding as AuditFinding};
use serde::{Deserialize, Serialize};

/// The texts of the files given (absent or blank: not given) and the audit's "today".
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditInput {
    pub credential_report: Option<String>,
    pub account_summary: Option<String>,
    pub password_policy: Option<String>,
    pub authorization_details: Option<String>,
    /// "Today" as an RFC 3339 time or a date; when absent, the credential report's generation
    /// time, else `clock`.
    pub now: Option<String>,
    /// The browser's clock, milliseconds since the epoch (the core reads no clock).
    pub clock: Option<f64>,
}

impl AuditInput {
    pub const FIELDS: &'static [&'static str] = &[
        "credentialReport",
        "accountSummary",
        "passwordPolicy",
        "authorizationDetails",
        "now",
        "clock",
    ];
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditOut {
    /// The "today" used, milliseconds since the epoch, and where it came from: "option",
    /// "report" or "clock".
    pub now: i64,
    pub now_source: &'static str,
    /// Input errors first (code INVALID_AUDIT_INPUT, the file as subject), then the audit's.
    pub findings: Vec<AuditFinding>,
}

fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

/// Audit what was given; an error when nothing was or `now` cannot be read.
pub fn audit_account(input: &AuditInput) -> Result<AuditOut, String> {
    let files = AuditFiles {
        credential_report: given(&input.credential_report),
        account_summary: given(&input.account_summary),
        password_policy: given(&input.password_policy),
        authorization_details: given(&input.authorization_details),
    };
    if files.credential_report.is_none()
        && files.account_summary.is_none()
        && files.password_policy.is_none()
        && files.authorization_details.is_none()
    {
        return Err("give at least one file: credential report, account summary, password policy or authorization details".into());
    }
    let explicit = match input.now.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => Some(audit::parse_now(t).ok_or_else(|| {
            format!("'{t}' is not an RFC 3339 time or a date (2026-06-01, 2026-06-01T12:00:00Z)")
        })?),
        _ => None,
    };
    let (parsed, errors) = files.parse();
    let (now, now_source) = match (explicit, audit::default_now(&parsed)) {
        (Some(ms), _) => (ms, "option"),
        (None, Some(ms)) => (ms, "report"),
        (None, None) => (input.clock.unwrap_or(0.0) as i64, "clock"),
    };
    let mut findings: Vec<AuditFinding> = errors.iter().map(|e| e.to_finding()).collect();
    findings.extend(audit::audit(&parsed, &AuditSettings::default(), now));
    Ok(AuditOut {
        now,
        now_source,
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/../tests/audit/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_fixtures_give_the_clis_audit_findings() {
        let input = AuditInput {
            credential_report: Some(fixture("credential-report.json")),
            account_summary: Some(fixture("account-summary.json")),
            password_policy: Some(fixture("password-policy.json")),
            authorization_details: Some(fixture("authorization-details.json")),
            ..AuditInput::default()
        };
        let out = audit_account(&input).unwrap();
        assert_eq!(out.now_source, "report");
        let found: Vec<(&str, &str)> = out
            .findings
            .iter()
            .map(|f| (f.code, f.subject.as_str()))
            .collect();
        // Lines of the CLI's expected list (its first line is about the JSON report, not given).
        for line in fixture("expected-findings.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1)
        {
            let (code, subject) = line.split_once(' ').unwrap();
            assert!(found.contains(&(code, subject)), "{line} not in {found:?}");
        }
    }

    #[test]
    fn nothing_given_or_a_bad_date_is_an_error_and_blank_files_are_not_given() {
        assert!(audit_account(&AuditInput::default()).is_err());
        let blank = AuditInput {
            account_summary: Some("  \n".into()),
            ..AuditInput::default()
        };
        assert!(audit_account(&blank).is_err());
        let bad_now = AuditInput {
            password_policy: Some(fixture("password-policy.json")),
            now: Some("yesterday".into()),
            ..AuditInput::default()
        };
        assert!(audit_account(&bad_now).unwrap_err().contains("yesterday"));
        let clock = AuditInput {
            password_policy: Some(fixture("password-policy.json")),
            clock: Some(1.78e12),
            ..AuditInput::default()
        };
        let out = audit_account(&clock).unwrap();
        assert_eq!((out.now, out.now_source), (1_780_000_000_000, "clock"));
    }

    #[test]
    fn a_damaged_file_is_an_input_finding_with_its_position() {
        let input = AuditInput {
            account_summary: Some("{\"SummaryMap\": [".into()),
            now: Some("2026-06-01".into()),
            ..AuditInput::default()
        };
        let out = audit_account(&input).unwrap();
        assert_eq!(out.now_source, "option");
        let error = &out.findings[0];
        assert_eq!(error.code, "INVALID_AUDIT_INPUT");
        assert!(
            error.message.starts_with("line 1, column"),
            "{}",
            error.message
        );
    }
}

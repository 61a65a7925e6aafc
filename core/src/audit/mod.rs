//! The account audit: the files AWS gives about an account's credentials and permissions (the
//! IAM credential report, the account summary, the password policy and the account authorization
//! details), read and checked offline. Pure functions: the faces read the files and pass their
//! text in, with the time to count from.
//!
//! Audit rules are one file each under [`rules`], with metadata like the policy rules (code,
//! category, summary, the CIS AWS Foundations Benchmark controls they cover, a failing and a
//! passing example); `docs/audit-rules.md` is generated from it. Every policy document of the
//! authorization details is also checked with the policy rules (`crate::rules`), each finding
//! naming the principal or policy it belongs to.

use std::cell::OnceCell;

use serde::Serialize;

use crate::analysis::{analyze, AnalyzeOptions, CategoryOverrides, RuleCodes};
use crate::diagnostic::Category;
use crate::policy::PolicyType;

pub mod account;
pub mod authorization;
pub mod credential_report;
mod json;
mod principals;
pub mod reference;
pub mod rules;

pub use account::{AccountSummary, PasswordPolicy, PasswordPolicyInput};
pub use authorization::AuthorizationDetails;
pub use credential_report::CredentialReport;

/// Which file an input error or a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    CredentialReport,
    AccountSummary,
    PasswordPolicy,
    AuthorizationDetails,
}

impl InputKind {
    pub const ALL: [InputKind; 4] = [
        InputKind::CredentialReport,
        InputKind::AccountSummary,
        InputKind::PasswordPolicy,
        InputKind::AuthorizationDetails,
    ];

    /// The name of the file kind, as the command-line flag spells it (without `--`).
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::CredentialReport => "credential-report",
            InputKind::AccountSummary => "account-summary",
            InputKind::PasswordPolicy => "password-policy",
            InputKind::AuthorizationDetails => "authorization-details",
        }
    }

    /// The AWS CLI command whose output the file is.
    pub fn aws_command(self) -> &'static str {
        match self {
            InputKind::CredentialReport => "aws iam get-credential-report",
            InputKind::AccountSummary => "aws iam get-account-summary",
            InputKind::PasswordPolicy => "aws iam get-account-password-policy",
            InputKind::AuthorizationDetails => "aws iam get-account-authorization-details",
        }
    }
}

/// A problem reading an input file, at a 1-based line and column (in characters) of that file
/// (for the credential report in JSON form, of the decoded CSV when the message says so).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub input: InputKind,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The thresholds of the audit rules (`[audit]` in `iamlint.toml`), and the audit rules that are
/// switched off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditSettings {
    /// ACCESS_KEY_NOT_ROTATED: an active key older than this many days.
    pub access_key_max_age_days: i64,
    /// CREDENTIAL_UNUSED: a password or active key unused (or never used) for this many days.
    pub credential_unused_days: i64,
    /// ROLE_UNUSED: a role not used for this many days (or never, and older than that).
    pub role_unused_days: i64,
    /// ROOT_USED_RECENTLY: the root user signed in or used a key within this many days.
    pub root_recent_use_days: i64,
    /// PASSWORD_POLICY_WEAK: the least acceptable MinimumPasswordLength.
    pub password_min_length: i64,
    /// PASSWORD_POLICY_WEAK: the least acceptable PasswordReusePrevention.
    pub password_reuse_prevention: i64,
    /// PASSWORD_POLICY_WEAK: the largest acceptable MaxPasswordAge (0, the default: expiry is not
    /// required, as current NIST and CIS guidance no longer ask for it).
    pub password_max_age_days: i64,
    /// Audit rule codes (and policy rule codes, for the documents' checks) switched off.
    pub disabled: Vec<String>,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            access_key_max_age_days: 90,
            credential_unused_days: 45,
            role_unused_days: 90,
            root_recent_use_days: 30,
            password_min_length: 14,
            password_reuse_prevention: 24,
            password_max_age_days: 0,
            disabled: Vec::new(),
        }
    }
}

impl AuditSettings {
    /// The setting names of `[audit]` in `iamlint.toml`, with their defaults.
    pub const NAMES: [&'static str; 7] = [
        "access-key-max-age-days",
        "credential-unused-days",
        "role-unused-days",
        "root-recent-use-days",
        "password-min-length",
        "password-reuse-prevention",
        "password-max-age-days",
    ];

    /// The threshold called `name` in `iamlint.toml`.
    pub fn threshold_mut(&mut self, name: &str) -> Option<&mut i64> {
        Some(match name {
            "access-key-max-age-days" => &mut self.access_key_max_age_days,
            "credential-unused-days" => &mut self.credential_unused_days,
            "role-unused-days" => &mut self.role_unused_days,
            "root-recent-use-days" => &mut self.root_recent_use_days,
            "password-min-length" => &mut self.password_min_length,
            "password-reuse-prevention" => &mut self.password_reuse_prevention,
            "password-max-age-days" => &mut self.password_max_age_days,
            _ => return None,
        })
    }

    fn is_disabled(&self, code: &str) -> bool {
        self.disabled.iter().any(|c| c.eq_ignore_ascii_case(code))
    }
}

/// The parsed inputs; any of them may be absent.
#[derive(Clone, Debug, Default)]
pub struct AuditInputs {
    pub credential_report: Option<CredentialReport>,
    pub account_summary: Option<AccountSummary>,
    pub password_policy: Option<PasswordPolicyInput>,
    pub authorization_details: Option<AuthorizationDetails>,
}

/// The text of each input file given.
#[derive(Clone, Copy, Debug, Default)]
pub struct AuditFiles<'a> {
    pub credential_report: Option<&'a str>,
    pub account_summary: Option<&'a str>,
    pub password_policy: Option<&'a str>,
    pub authorization_details: Option<&'a str>,
}

impl AuditFiles<'_> {
    /// Parse every file given; errors of all files, in input order.
    pub fn parse(&self) -> (AuditInputs, Vec<InputError>) {
        let mut inputs = AuditInputs::default();
        let mut errors = Vec::new();
        if let Some(text) = self.credential_report {
            let (report, e) = credential_report::parse(text);
            inputs.credential_report = Some(report);
            errors.extend(e);
        }
        if let Some(text) = self.account_summary {
            let (summary, e) = account::parse_summary(text);
            inputs.account_summary = Some(summary);
            errors.extend(e);
        }
        if let Some(text) = self.password_policy {
            let (policy, e) = account::parse_password_policy(text);
            inputs.password_policy = policy;
            errors.extend(e);
        }
        if let Some(text) = self.authorization_details {
            let (details, e) = authorization::parse(text);
            inputs.authorization_details = Some(details);
            errors.extend(e);
        }
        (inputs, errors)
    }
}

/// One finding of the audit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub category: Category,
    /// A user, group, role or policy name, `<root_account>`, or `account`.
    pub subject: String,
    /// The subject's ARN when known (empty otherwise).
    pub arn: String,
    /// What is wrong and what to do.
    pub message: String,
    /// The AWS CLI command that does it (placeholders in `<angle brackets>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Controls this finding fails, such as `CIS v3.0 1.14`.
    pub benchmarks: Vec<String>,
}

/// What an audit rule knows about itself; `docs/audit-rules.md` is generated from this.
#[derive(Debug)]
pub struct AuditRuleMeta {
    pub code: &'static str,
    pub category: Category,
    pub summary: &'static str,
    /// Why it matters and how the rule decides (Markdown).
    pub explanation: &'static str,
    /// The file the rule reads (its examples are of this kind).
    pub input: InputKind,
    /// CIS AWS Foundations Benchmark v3.0.0 controls covered.
    pub cis_v3: &'static [&'static str],
    /// CIS AWS Foundations Benchmark v5.0.0 controls covered.
    pub cis_v5: &'static [&'static str],
    /// An input that triggers the rule (checked at [`EXAMPLE_NOW`]).
    pub bad_example: &'static str,
    /// A close neighbour that must not.
    pub good_example: &'static str,
}

impl AuditRuleMeta {
    pub fn benchmarks(&self) -> Vec<String> {
        let v3 = self.cis_v3.iter().map(|c| format!("CIS v3.0 {c}"));
        v3.chain(self.cis_v5.iter().map(|c| format!("CIS v5.0 {c}")))
            .collect()
    }
}

pub struct AuditRule {
    pub meta: AuditRuleMeta,
    pub check: fn(&AuditContext<'_>, &mut Out<'_>),
}

/// The time the rules' examples are checked at: 2026-06-01T00:00:00Z.
pub const EXAMPLE_NOW: i64 = 1_780_272_000_000;

/// Milliseconds in a day.
const DAY: i64 = 86_400_000;

/// Everything an audit rule may look at.
pub struct AuditContext<'a> {
    pub inputs: &'a AuditInputs,
    pub settings: &'a AuditSettings,
    /// "Today", in milliseconds since the Unix epoch.
    pub now: i64,
    combined: OnceCell<Vec<principals::Combined>>,
}

impl<'a> AuditContext<'a> {
    pub fn new(inputs: &'a AuditInputs, settings: &'a AuditSettings, now: i64) -> Self {
        AuditContext {
            inputs,
            settings,
            now,
            combined: OnceCell::new(),
        }
    }

    /// Whole days from `then` to now (negative for times after now).
    pub fn days_since(&self, then: i64) -> i64 {
        (self.now - then).div_euclid(DAY)
    }

    /// What each user's and role's policies grant together (computed once).
    pub(crate) fn combined(&self) -> &[principals::Combined] {
        self.combined
            .get_or_init(|| match &self.inputs.authorization_details {
                Some(d) => principals::combine(d),
                None => Vec::new(),
            })
    }
}

/// Collects one rule's findings, stamping each with the rule's code, category and benchmarks.
pub struct Out<'r> {
    meta: &'r AuditRuleMeta,
    pub(crate) found: Vec<Finding>,
}

impl<'r> Out<'r> {
    pub fn new(meta: &'r AuditRuleMeta) -> Out<'r> {
        Out {
            meta,
            found: Vec::new(),
        }
    }

    pub fn report(
        &mut self,
        subject: impl Into<String>,
        arn: impl Into<String>,
        message: impl Into<String>,
        command: Option<String>,
    ) {
        self.found.push(Finding {
            code: self.meta.code,
            category: self.meta.category,
            subject: subject.into(),
            arn: arn.into(),
            message: message.into(),
            command,
            benchmarks: self.meta.benchmarks(),
        });
    }
}

/// The code of the findings made from input errors (a file or a row that cannot be read).
pub const INPUT_ERROR_CODE: &str = "INVALID_AUDIT_INPUT";

impl InputError {
    /// The error as a finding of category error, so that it shows and counts with the others.
    pub fn to_finding(&self) -> Finding {
        Finding {
            code: INPUT_ERROR_CODE,
            category: Category::Error,
            subject: self.input.as_str().to_string(),
            arn: String::new(),
            message: format!(
                "line {}, column {}: {}",
                self.line, self.column, self.message
            ),
            command: None,
            benchmarks: Vec::new(),
        }
    }
}

/// "Today" when the caller does not say: the credential report's generation time, if known.
pub fn default_now(inputs: &AuditInputs) -> Option<i64> {
    inputs.credential_report.as_ref()?.generated
}

/// Parse `--now`: an RFC 3339 time or a date (`2026-06-01`), in milliseconds since the epoch.
pub fn parse_now(text: &str) -> Option<i64> {
    let t = text.trim();
    // Epoch seconds are a condition-value form, not a way to say "today".
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    crate::eval::values::parse_date(t)
}

/// Run every audit rule that is not switched off, then check every policy document of the
/// authorization details with the policy rules. Findings come rule by rule, in registry order.
pub fn audit(inputs: &AuditInputs, settings: &AuditSettings, now: i64) -> Vec<Finding> {
    let cx = AuditContext::new(inputs, settings, now);
    let mut findings = Vec::new();
    for rule in rules::all() {
        if settings.is_disabled(rule.meta.code) {
            continue;
        }
        let mut out = Out::new(&rule.meta);
        (rule.check)(&cx, &mut out);
        findings.extend(out.found);
    }
    if let Some(details) = &inputs.authorization_details {
        check_documents(details, settings, &mut findings);
    }
    findings
}

/// AWS managed policies are AWS's to write; their findings would repeat in every account.
fn is_aws_managed(arn: &str) -> bool {
    arn.contains(":iam::aws:policy/")
}

/// Every customer managed policy's default version and every inline and trust policy (but those
/// of service-linked roles), checked with the policy rules.
fn check_documents(
    details: &AuthorizationDetails,
    settings: &AuditSettings,
    out: &mut Vec<Finding>,
) {
    let disabled = RuleCodes::new(settings.disabled.iter().cloned());
    let options = |policy_type: PolicyType| AnalyzeOptions {
        policy_type,
        disabled_rules: disabled.clone(),
        category_overrides: CategoryOverrides::default(),
    };
    let identity = options(PolicyType::Identity);
    let trust = options(PolicyType::Trust);
    let mut check = |doc: &authorization::PolicyDocument,
                     options: &AnalyzeOptions,
                     subject: &str,
                     arn: &str,
                     what: &str| {
        for d in analyze(&doc.text, options).diagnostics {
            out.push(Finding {
                code: d.code,
                category: d.category,
                subject: subject.to_string(),
                arn: arn.to_string(),
                message: format!("{what} (line {}): {}", doc.line, d.message),
                command: None,
                benchmarks: Vec::new(),
            });
        }
    };
    for p in &details.policies {
        if is_aws_managed(&p.arn) {
            continue;
        }
        if let Some(doc) = &p.default_version {
            let what = format!("managed policy '{}', default version", p.name);
            check(doc, &identity, &p.name, &p.arn, &what);
        }
    }
    let entities = details
        .users
        .iter()
        .chain(&details.groups)
        .chain(&details.roles);
    for e in entities {
        for doc in &e.inline {
            let what = format!(
                "inline policy '{}' of {} '{}'",
                doc.name,
                e.kind.as_str(),
                e.name
            );
            check(doc, &identity, &e.name, &e.arn, &what);
        }
        // Service-linked roles' trust policies are written by AWS, like AWS managed policies.
        let service_linked = e.path.starts_with("/aws-service-role/");
        if let Some(doc) = e.trust.as_ref().filter(|_| !service_linked) {
            let what = format!("trust policy of role '{}'", e.name);
            check(doc, &trust, &e.name, &e.arn, &what);
        }
    }
}

/// The account ID in an ARN (`arn:aws:iam::111122223333:user/x`), or a placeholder.
pub(crate) fn account_of(arn: &str) -> &str {
    arn.split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .unwrap_or("<account-id>")
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests;

/// Milliseconds since the Unix epoch as RFC 3339 in UTC (`2026-06-01T00:00:00Z`), for the
/// reports' "generated" time.
pub fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days, the inverse of eval::values' days_from_civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

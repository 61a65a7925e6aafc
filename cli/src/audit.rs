//! `iamlint audit`: reads the files AWS gives about an account (credential report, account
//! summary, password policy, authorization details), hands their text to the core's audit and
//! prints the findings as text, JSON or SARIF. Exit codes as for `check`: 0 when nothing reaches
//! `--fail-on`, 1 when something does, 2 for usage or I/O problems. A file or row that cannot be
//! read is a finding of category error (INVALID_AUDIT_INPUT) with its line; the rest is audited.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use iamlint_core::audit::{self, AuditFiles, AuditSettings, Finding, InputKind};
use iamlint_core::Category;

use crate::check::{config, inputs, Format};

mod human;
mod json;
mod sarif;

#[derive(clap::Args)]
pub struct Args {
    /// The IAM credential report: the CSV, or the JSON of `aws iam get-credential-report`.
    #[arg(long, value_name = "FILE")]
    pub credential_report: Option<PathBuf>,

    /// The JSON of `aws iam get-account-summary`.
    #[arg(long, value_name = "FILE")]
    pub account_summary: Option<PathBuf>,

    /// The JSON of `aws iam get-account-password-policy`, or its NoSuchEntity error text.
    #[arg(long, value_name = "FILE")]
    pub password_policy: Option<PathBuf>,

    /// The JSON of `aws iam get-account-authorization-details`.
    #[arg(long, value_name = "FILE")]
    pub authorization_details: Option<PathBuf>,

    /// "Today": an RFC 3339 time or a date. Default: the credential report's generation time
    /// when the report is the JSON response, else the clock.
    #[arg(long, value_name = "T")]
    pub now: Option<String>,

    /// Use this iamlint.toml ([audit] thresholds) instead of looking for one from the current
    /// folder upwards.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with 1 when a finding of this category or a more severe one is found
    /// (error > security > warning > suggestion).
    #[arg(long, value_name = "CATEGORY", value_parser = crate::check::parse_category, default_value = "error")]
    pub fail_on: Category,
}

/// Where "today" came from, for the reports.
#[derive(Clone, Copy)]
pub enum NowSource {
    Option,
    Report,
    Clock,
}

impl NowSource {
    fn as_str(self) -> &'static str {
        match self {
            NowSource::Option => "option",
            NowSource::Report => "report",
            NowSource::Clock => "clock",
        }
    }
}

/// One input file as given.
pub struct Given {
    pub kind: InputKind,
    pub path: String,
    pub text: String,
}

/// Everything the outputs show.
pub struct Report {
    pub now: i64,
    pub now_source: NowSource,
    pub given: Vec<Given>,
    pub findings: Vec<Finding>,
}

fn read(path: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| inputs::io_message(&e))?;
        return Ok(text);
    }
    inputs::read_text(path)
}

fn settings(args: &Args) -> Result<AuditSettings, String> {
    let found = match &args.config {
        Some(p) => Some(config::load_explicit(p)?),
        // The same iamlint.toml `iamlint check` would use for a file in the current folder.
        None => {
            let here = std::env::current_dir().map_err(|e| inputs::io_message(&e))?;
            config::ConfigFinder::default().for_dir(&here)?
        }
    };
    Ok(found.map(|c| c.config.audit.clone()).unwrap_or_default())
}

fn clock_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

pub fn run(args: Args) -> ExitCode {
    let wanted = [
        (InputKind::CredentialReport, &args.credential_report),
        (InputKind::AccountSummary, &args.account_summary),
        (InputKind::PasswordPolicy, &args.password_policy),
        (InputKind::AuthorizationDetails, &args.authorization_details),
    ];
    if wanted.iter().all(|(_, p)| p.is_none()) {
        eprintln!("iamlint audit: give at least one of --credential-report, --account-summary, --password-policy, --authorization-details");
        return ExitCode::from(2);
    }
    let explicit_now = match args.now.as_deref().map(|t| (t, audit::parse_now(t))) {
        Some((t, None)) => {
            eprintln!("iamlint audit: --now '{t}' is not an RFC 3339 time or a date (2026-06-01, 2026-06-01T12:00:00Z)");
            return ExitCode::from(2);
        }
        Some((_, Some(ms))) => Some(ms),
        None => None,
    };
    let settings = match settings(&args) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut given = Vec::new();
    let mut unreadable = false;
    for (kind, path) in wanted {
        let Some(path) = path else { continue };
        match read(path) {
            Ok(text) => given.push(Given {
                kind,
                path: path.display().to_string(),
                text,
            }),
            Err(e) => {
                eprintln!("iamlint: {}: {e}", path.display());
                unreadable = true;
            }
        }
    }
    if unreadable {
        return ExitCode::from(2);
    }
    let mut files = AuditFiles::default();
    for g in &given {
        let slot = match g.kind {
            InputKind::CredentialReport => &mut files.credential_report,
            InputKind::AccountSummary => &mut files.account_summary,
            InputKind::PasswordPolicy => &mut files.password_policy,
            InputKind::AuthorizationDetails => &mut files.authorization_details,
        };
        *slot = Some(g.text.as_str());
    }
    let (parsed, errors) = files.parse();
    let (now, now_source) = match (explicit_now, audit::default_now(&parsed)) {
        (Some(ms), _) => (ms, NowSource::Option),
        (None, Some(ms)) => (ms, NowSource::Report),
        (None, None) => (clock_now(), NowSource::Clock),
    };
    let mut findings: Vec<Finding> = errors
        .iter()
        .map(|e| {
            let mut f = e.to_finding();
            if let Some(g) = given.iter().find(|g| g.kind == e.input) {
                f.subject = g.path.clone();
                f.message = format!("{}:{}:{}: {}", g.path, e.line, e.column, e.message);
            }
            f
        })
        .collect();
    findings.extend(audit::audit(&parsed, &settings, now));
    let report = Report {
        now,
        now_source,
        given,
        findings,
    };

    let stdout = std::io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Human => human::write(&mut out, &report, color),
        Format::Json => json::write(&mut out, &report),
        Format::Sarif => sarif::write(&mut out, &report),
    }
    .and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("iamlint: cannot write output: {e}");
        }
        return ExitCode::from(2);
    }
    let threshold = args.fail_on.rank();
    if report
        .findings
        .iter()
        .any(|f| f.category.rank() <= threshold)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

impl Report {
    /// Findings per category, most severe first.
    pub fn counts(&self) -> Vec<(Category, usize)> {
        Category::ALL
            .iter()
            .map(|c| {
                (
                    *c,
                    self.findings.iter().filter(|f| f.category == *c).count(),
                )
            })
            .collect()
    }
}

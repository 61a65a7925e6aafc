//! `iamlint audit` end to end: the real binary on the fixture files of tests/audit/ (written in
//! the formats AWS gives), real exit codes, JSON and SARIF.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod support;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/audit")
}

fn audit(args: &[&str]) -> Output {
    audit_in(&fixtures(), args)
}

fn audit_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .current_dir(dir)
        .arg("audit")
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const ALL: &[&str] = &[
    "--credential-report",
    "credential-report.json",
    "--account-summary",
    "account-summary.json",
    "--password-policy",
    "password-policy.json",
    "--authorization-details",
    "authorization-details.json",
];

/// Codes of the audit rules, as docs/audit-rules.md lists them.
fn iamlint_core_audit_code(code: &str) -> bool {
    let reference = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/audit-rules.md"),
    )
    .unwrap();
    reference.contains(&format!("\n## {code}\n"))
}

/// The expected code and subject of every finding on the four fixture files, in output order
/// (tests/audit/expected-findings.txt, one `CODE subject` per line).
fn expected() -> Vec<(String, String)> {
    std::fs::read_to_string(fixtures().join("expected-findings.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (c, s) = l.split_once(' ').unwrap();
            (c.to_string(), s.to_string())
        })
        .collect()
}

#[test]
fn json_contract_on_every_fixture() {
    let out = audit(&[ALL, &["--format", "json"]].concat());
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["version"], 1);
    // "Today" defaults to the report's GeneratedTime.
    assert_eq!(v["generated"], "2026-06-01T00:00:00Z");
    assert_eq!(v["now_source"], "report");
    let audit_pairs: Vec<(String, String)> = pairs(&v)
        .into_iter()
        .filter(|(c, _)| c == "INVALID_AUDIT_INPUT" || iamlint_core_audit_code(c))
        .collect();
    assert_eq!(audit_pairs, expected());
    // Then the policy rules on every document, each naming its principal or policy.
    let all = pairs(&v);
    for (code, subject) in [
        ("TRUST_TO_ANY_PRINCIPAL", "partner-access"),
        ("PASS_ROLE_WITH_STAR_IN_RESOURCE", "dev"),
        ("ALLOW_WITH_NOT_ACTION", "deployer"),
    ] {
        assert!(
            all.contains(&(code.to_string(), subject.to_string())),
            "{code} {subject}: {all:?}"
        );
    }
    for f in v["findings"].as_array().unwrap() {
        for key in ["code", "category", "subject", "arn", "message"] {
            assert!(f[key].is_string(), "{key} in {f}");
        }
        assert!(f["benchmarks"].is_array());
    }
    let rotated = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "ACCESS_KEY_NOT_ROTATED")
        .unwrap();
    assert_eq!(
        rotated["benchmarks"],
        serde_json::json!(["CIS v3.0 1.14", "CIS v5.0 1.13"])
    );
    assert_eq!(rotated["arn"], "arn:aws:iam::111122223333:user/ci/carol");
    assert!(rotated["command"]
        .as_str()
        .unwrap()
        .starts_with("aws iam create-access-key --user-name carol"));
    let error = &v["findings"][0];
    assert_eq!(error["code"], "INVALID_AUDIT_INPUT");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .starts_with("credential-report.json:8:1: in the decoded Content: the row is truncated"));
}

#[test]
fn now_from_the_option_or_the_clock() {
    let out = audit(&[
        "--credential-report",
        "credential-report.csv",
        "--now",
        "2026-06-01",
        "--format",
        "json",
    ]);
    let v = json(&out);
    assert_eq!(
        (v["generated"].as_str(), v["now_source"].as_str()),
        (Some("2026-06-01T00:00:00Z"), Some("option"))
    );
    let out = audit(&[
        "--credential-report",
        "credential-report.csv",
        "--format",
        "json",
    ]);
    assert_eq!(json(&out)["now_source"], "clock");
    let out = audit(&[
        "--credential-report",
        "credential-report.csv",
        "--now",
        "soon",
    ]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--now 'soon'"));
}

#[test]
fn exit_codes_follow_fail_on() {
    // Only warnings: below the default threshold (error).
    let out = audit(&["--password-policy", "password-policy.json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "warning PASSWORD_POLICY_WEAK account: password policy: MinimumPasswordLength is 8"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "    fix: aws iam update-account-password-policy --minimum-password-length 14"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n3 findings (3 warning) from password-policy as of "),
        "{text}"
    );
    assert_eq!(
        code(&audit(&[
            "--password-policy",
            "password-policy.json",
            "--fail-on",
            "warning"
        ])),
        1
    );
    assert_eq!(
        code(&audit(&[
            "--password-policy",
            "password-policy-missing.txt",
            "--fail-on",
            "security"
        ])),
        0
    );
    // Usage and I/O problems.
    assert_eq!(code(&audit(&[])), 2);
    assert_eq!(code(&audit(&["--account-summary", "no-such-file.json"])), 2);
}

#[test]
fn reordered_columns_and_thresholds_from_iamlint_toml() {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("audit-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let report = fixtures().join("credential-report-reordered.csv");
    let report = report.to_str().unwrap();
    let args = [
        "--credential-report",
        report,
        "--now",
        "2026-06-01",
        "--format",
        "json",
    ];
    let v = json(&audit_in(&dir, &args));
    let found = pairs(&v);
    assert!(
        found.contains(&("ACCESS_KEY_NOT_ROTATED".into(), "carol".into())),
        "{found:?}"
    );
    std::fs::write(
        dir.join("iamlint.toml"),
        "[audit]\naccess-key-max-age-days = 400\ndisable = [\"CONSOLE_USER_WITHOUT_MFA\"]\n",
    )
    .unwrap();
    let v = json(&audit_in(&dir, &args));
    let codes: Vec<String> = pairs(&v).into_iter().map(|(c, _)| c).collect();
    assert!(
        !codes.contains(&"ACCESS_KEY_NOT_ROTATED".to_string()),
        "{codes:?}"
    );
    assert!(
        !codes.contains(&"CONSOLE_USER_WITHOUT_MFA".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"MULTIPLE_ACTIVE_ACCESS_KEYS".to_string()),
        "{codes:?}"
    );
    std::fs::write(
        dir.join("iamlint.toml"),
        "[audit]\naccess-key-max-age = 1\n",
    )
    .unwrap();
    let out = audit_in(&dir, &args);
    assert_eq!(code(&out), 2);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("iamlint.toml:2:1: invalid configuration: unknown key 'access-key-max-age'"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let out = audit(&[ALL, &["--format", "sarif"]].concat());
    assert_eq!(code(&out), 1);
    let log = json(&out);
    let validator = jsonschema::validator_for(&support::sarif_schema()).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF is invalid: {errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let findings = json(&audit(&[ALL, &["--format", "json"]].concat()))["findings"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(results.len(), findings);
    let escalation = results
        .iter()
        .find(|r| r["ruleId"] == "PRINCIPAL_PRIVILEGE_ESCALATION")
        .unwrap();
    assert_eq!(
        escalation["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "authorization-details.json"
    );
    assert_eq!(
        escalation["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "arn:aws:iam::111122223333:user/dev"
    );
}

//! `iamlint generate` (and `unused`) end to end: the real binary on the CloudTrail fixture logs of
//! tests/activity (S3-delivered files plain and gzipped, lookup-events output), every option of
//! the command contract, bad input, and the generated policies checked by `iamlint check`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const ROLE: &str = "arn:aws:iam::111122223333:role/service/deploy";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixtures() -> Vec<String> {
    let dir = root().join("tests/activity");
    vec![
        dir.join("logs").display().to_string(),
        dir.join("lookup-events.json").display().to_string(),
    ]
}

fn iamlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(args)
        .output()
        .expect("runs")
}

fn generate(extra: &[&str]) -> Output {
    let logs = fixtures();
    let mut args = vec!["generate", "--cloudtrail", &logs[0], &logs[1]];
    args.extend_from_slice(extra);
    iamlint(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/activity/expected").join(name)).unwrap()
}

fn scratch() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "activity-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The actions of a `--format json` report.
fn actions(o: &Output) -> Vec<String> {
    let v: Value = serde_json::from_str(&stdout(o)).expect("JSON output");
    v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap().to_string())
        .collect()
}

/// `iamlint check` finds no error in the policy text.
fn assert_checks_clean(policy: &str) {
    let dir = scratch();
    let file = dir.join("generated.json");
    std::fs::write(&file, policy).unwrap();
    let out = iamlint(&["check", "--format", "json", file.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("check JSON");
    let text = v.to_string();
    assert!(!text.contains("\"category\":\"error\""), "{text}");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_roles_policy_in_each_resource_mode() {
    for mode in ["observed", "placeholder", "star"] {
        let out = generate(&["--principal", ROLE, "--resources", mode]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let policy = stdout(&out);
        assert_eq!(policy, expected(&format!("deploy-{mode}.json")), "{mode}");
        assert_checks_clean(&policy);
        // What the logs cannot show goes to stderr, with the event no action is known for.
        let err = stderr(&out);
        assert!(err.contains("note: iam:PassRole is never logged"), "{err}");
        assert!(
            err.contains("unmapped: internal-tools.amazonaws.com FrobnicateWidget (1 event)"),
            "{err}"
        );
    }
    // The default is observed.
    assert_eq!(
        stdout(&generate(&["--principal", ROLE])),
        expected("deploy-observed.json")
    );
}

#[test]
fn json_report_of_a_user() {
    let out = generate(&[
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), expected("alice.json"));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    for key in [
        "version",
        "principal",
        "period",
        "policies",
        "actions",
        "unmapped",
        "notes",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
}

#[test]
fn sessions_denied_calls_and_the_period() {
    let json = ["--format", "json"];
    let role = actions(&generate(&[&["--principal", ROLE][..], &json].concat()));
    assert!(role.contains(&"s3:DeleteObject".to_string()));
    assert!(!role.contains(&"dynamodb:DeleteTable".to_string()));
    // Failed calls count when asked.
    let denied = actions(&generate(
        &[&["--principal", ROLE, "--include-denied"][..], &json].concat(),
    ));
    assert_eq!(denied.len(), role.len() + 1);
    assert!(denied.contains(&"dynamodb:DeleteTable".to_string()));
    // A date as --until means the end of that day; DeleteObject was on the 20th.
    let until = actions(&generate(
        &[&["--principal", ROLE, "--until", "2026-01-14"][..], &json].concat(),
    ));
    assert!(!until.contains(&"s3:DeleteObject".to_string()));
    assert_eq!(until.len(), role.len() - 1);
    let since = actions(&generate(
        &[
            &["--principal", ROLE, "--since", "2026-01-13T00:00:00Z"][..],
            &json,
        ]
        .concat(),
    ));
    assert!(!since.contains(&"s3:GetObject".to_string()));
    assert!(since.contains(&"lambda:ListFunctions".to_string()));
    // One session of the role: only its own calls.
    let nightly = actions(&generate(
        &[
            &[
                "--principal",
                "arn:aws:sts::111122223333:assumed-role/deploy/nightly",
            ][..],
            &json,
        ]
        .concat(),
    ));
    assert_eq!(
        nightly,
        [
            "cloudformation:DescribeStacks",
            "cloudwatch:PutMetricData",
            "dynamodb:GetItem",
            "dynamodb:UpdateItem",
            "lambda:ListFunctions",
            "lambda:UpdateFunctionCode"
        ]
    );
    // Another account's role of the same kind matches nothing here.
    let other = generate(
        &[
            &["--principal", "arn:aws:iam::111122223333:role/reporting"][..],
            &json,
        ]
        .concat(),
    );
    assert!(actions(&other).is_empty());
    assert!(stdout(&other).contains("No event of arn:aws:iam::111122223333:role/reporting"));
}

#[test]
fn bad_records_are_reported_and_the_rest_is_read() {
    let dir = scratch();
    let good = root().join("tests/activity/logs");
    let broken = dir.join("broken.json");
    std::fs::write(
        &broken,
        "{\"Records\": [\n  {\"eventTime\": \"2026-01-12T09:00:00Z\", \"eventSource\": 5},\n  {\"eventName\": tru}\n",
    )
    .unwrap();
    let out = iamlint(&[
        "generate",
        "--cloudtrail",
        good.to_str().unwrap(),
        broken.to_str().unwrap(),
        "--principal",
        ROLE,
        "--resources",
        "star",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let name = broken.display().to_string();
    assert!(
        err.contains(&format!("{name}:2:3: the event has no eventSource")),
        "{err}"
    );
    assert!(err.contains(&format!("{name}:3:")), "{err}");
    assert!(err.contains("cut short"), "{err}");
    // The good logs were still read.
    assert!(stdout(&out).contains("s3:GetObject"), "{}", stdout(&out));
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        vec!["--principal", ROLE, "--resources", "some"],
        vec!["--principal", ROLE, "--format", "yaml"],
        vec!["--principal", "deploy"],
        vec!["--principal", ROLE, "--since", "last week"],
    ] {
        let out = generate(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stdout(&out).is_empty());
        assert!(
            stderr(&out).starts_with("iamlint generate: "),
            "{}",
            stderr(&out)
        );
    }
    let out = iamlint(&["generate", "--principal", ROLE]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--cloudtrail"));
    let out = iamlint(&[
        "generate",
        "--cloudtrail",
        "/nonexistent/logs",
        "--principal",
        ROLE,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/logs"));
}

#[test]
fn usage_rows_give_the_same_policy_as_the_logs() {
    // The rows the query of docs/activity.md gives for these logs (tests/activity/sql checks
    // the query itself with DuckDB): one per session, event source and event name.
    let dir = scratch();
    let rows = dir.join("usage.csv");
    let s = "arn:aws:sts::111122223333:assumed-role/deploy";
    std::fs::write(
        &rows,
        format!(
            "principal,eventSource,eventName,count,lastSeen\n\
             {s}/ci,s3.amazonaws.com,GetObject,1,2026-01-12T09:00:00Z\n\
             {s}/ci,s3.amazonaws.com,HeadObject,1,2026-01-12T09:00:05Z\n\
             {s}/ci,s3.amazonaws.com,PutObject,1,2026-01-12T09:01:00Z\n\
             {s}/ci,s3.amazonaws.com,ListObjectsV2,1,2026-01-12T09:01:30Z\n\
             {s}/ci,s3.amazonaws.com,CopyObject,1,2026-01-12T09:02:00Z\n\
             {s}/ci,s3.amazonaws.com,DeleteObject,1,2026-01-20T09:00:00Z\n\
             {s}/ci,iam.amazonaws.com,GetRole,1,2026-01-12T09:05:00Z\n\
             {s}/ci,sts.amazonaws.com,GetCallerIdentity,1,2026-01-12T09:05:01Z\n\
             {s}/nightly,dynamodb.amazonaws.com,GetItem,1,2026-01-13T02:00:00Z\n\
             {s}/nightly,dynamodb.amazonaws.com,UpdateItem,1,2026-01-13T02:00:01Z\n\
             {s}/nightly,lambda.amazonaws.com,UpdateFunctionCode20150331v2,1,2026-01-13T02:00:02Z\n\
             {s}/nightly,lambda.amazonaws.com,ListFunctions20150331,1,2026-01-13T02:00:03Z\n\
             {s}/nightly,monitoring.amazonaws.com,PutMetricData,1,2026-01-13T02:00:04Z\n\
             {s}/nightly,internal-tools.amazonaws.com,FrobnicateWidget,1,2026-01-14T03:00:00Z\n\
             {s}/nightly,cloudformation.amazonaws.com,DescribeStacks,1,2026-01-13T04:00:00Z\n\
             arn:aws:iam::111122223333:user/alice,ec2.amazonaws.com,DescribeInstances,1,2026-01-13T10:00:00Z\n"
        ),
    )
    .unwrap();
    for mode in ["placeholder", "star"] {
        let from_rows = iamlint(&[
            "generate",
            "--usage",
            rows.to_str().unwrap(),
            "--principal",
            ROLE,
            "--resources",
            mode,
        ]);
        assert_eq!(from_rows.status.code(), Some(0), "{}", stderr(&from_rows));
        assert_eq!(
            stdout(&from_rows),
            expected(&format!("deploy-{mode}.json")),
            "{mode}"
        );
    }
}

#[test]
fn unused_grants_of_the_roles_policy() {
    let logs = fixtures();
    let policy = root().join("tests/activity/deploy-policy.json");
    let run = |format: &str| {
        iamlint(&[
            "unused",
            "--policy",
            policy.to_str().unwrap(),
            "--cloudtrail",
            &logs[0],
            &logs[1],
            "--principal",
            ROLE,
            "--format",
            format,
        ])
    };
    let out = run("json");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], 1);
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let used = strings(&v["used"]);
    for a in [
        "s3:GetObject",
        "s3:PutObject",
        "lambda:UpdateFunctionCode",
        "cloudwatch:PutMetricData",
    ] {
        assert!(used.contains(&a.to_string()), "{a}: {used:?}");
    }
    // Denied calls are not use: DeleteTable was refused.
    let items: Vec<(String, bool)> = v["unused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["item"].as_str().unwrap().to_string(),
                i["removed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        items.contains(&("dynamodb:DeleteTable".into(), true)),
        "{items:?}"
    );
    assert!(
        items.contains(&("s3:GetBucketPolicy".into(), true)),
        "{items:?}"
    );
    assert!(items.contains(&("lambda:*".into(), false)), "{items:?}");
    assert!(strings(&v["untracked"]).contains(&"iam:PassRole".to_string()));
    // The narrowed policy is a document, and `iamlint check` finds no error in it.
    let narrowed = serde_json::to_string_pretty(&v["policy"]).unwrap();
    assert!(!narrowed.contains("dynamodb:DeleteTable") && narrowed.contains("iam:PassRole"));
    assert_checks_clean(&narrowed);

    let human = run("human");
    assert_eq!(human.status.code(), Some(0));
    let text = stdout(&human);
    assert!(
        text.contains("deploy-policy.json:13:79: statement \"Deploy\" \"dynamodb:DeleteTable\": 1 never used (the item goes)"),
        "{text}"
    );
    assert!(text.contains("The policy without the unused actions:"));

    let missing = iamlint(&[
        "unused",
        "--policy",
        "/nonexistent.json",
        "--cloudtrail",
        &logs[0],
        "--principal",
        ROLE,
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

/// A folder of logs with a link back up the tree: each log is read once (following the link
/// would read it once per lap and multiply every count), the link is named on standard error,
/// and the result is the one of the folder without the link.
#[cfg(unix)]
#[test]
fn a_link_back_up_a_log_folder_is_not_followed() {
    let dir = scratch();
    let logs = dir.join("logs");
    let status = Command::new("cp")
        .args(["-r", &fixtures()[0], logs.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    let report = |logs: &Path| {
        let logs = logs.to_str().unwrap();
        iamlint(&[
            "generate",
            "--cloudtrail",
            logs,
            "--principal",
            ROLE,
            "--format",
            "json",
        ])
    };
    let plain = report(&logs);
    std::os::unix::fs::symlink("..", logs.join("AWSLogs").join("up")).unwrap();
    let looped = report(&logs);
    assert_eq!(looped.status.code(), Some(0), "{}", stderr(&looped));
    assert_eq!(stdout(&looped), stdout(&plain));
    assert!(
        stderr(&looped).contains("AWSLogs/up: a link to a folder is not followed"),
        "{}",
        stderr(&looped)
    );
}

//! Speed of the check: parsing and the full analysis (all rules) of a 1 KB policy, of the largest
//! AWS managed policy, and of the whole latest managed-policy corpus (one thread). The last two
//! need `scripts/fetch-corpus.sh` to have run; without the cache they are skipped.
//!   cargo bench -p iamlint-core --bench check

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamlint_core::{
    analyze, analyze_without_fixes, fixes_for, syntax, AnalyzeOptions, FindingKey, PolicyType,
    Session,
};

/// About 1 KB: the size of a typical hand-written identity policy.
const ONE_KB: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadWriteReports",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"],
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "reports"}}
        },
        {
            "Sid": "PassOnlyTheAppRole",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "arn:aws:iam::111122223333:role/app-*",
            "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
        },
        {
            "Sid": "DenyOutsideRegions",
            "Effect": "Deny",
            "NotAction": ["iam:*", "sts:*", "cloudfront:*"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}
        },
        {
            "Sid": "Logs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "arn:aws:logs:eu-west-1:111122223333:log-group:/app/*"
        }
    ]
}
"#;

fn identity() -> AnalyzeOptions {
    AnalyzeOptions {
        policy_type: PolicyType::Identity,
        ..AnalyzeOptions::default()
    }
}

fn latest_corpus() -> Option<Vec<(PathBuf, String)>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/latest");
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    files.sort();
    (!files.is_empty()).then_some(files)
}

fn small(c: &mut Criterion) {
    let mut group = c.benchmark_group("1kb");
    group.throughput(Throughput::Bytes(ONE_KB.len() as u64));
    group.bench_function("parse", |b| b.iter(|| syntax::parse(black_box(ONE_KB))));
    let options = identity();
    group.bench_function("check", |b| b.iter(|| analyze(black_box(ONE_KB), &options)));
    group.finish();
}

fn corpus(c: &mut Criterion) {
    let Some(files) = latest_corpus() else {
        eprintln!("check bench: no corpus in .cache/ (run scripts/fetch-corpus.sh); skipping");
        return;
    };
    let options = identity();
    let (largest_path, largest) = files
        .iter()
        .max_by_key(|(_, t)| t.len())
        .expect("non-empty");
    let name = largest_path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let mut group = c.benchmark_group("largest-managed-policy");
    group.throughput(Throughput::Bytes(largest.len() as u64));
    group.sample_size(20);
    group.bench_function(format!("parse/{name}"), |b| {
        b.iter(|| syntax::parse(black_box(largest)))
    });
    group.bench_function(format!("check/{name}"), |b| {
        b.iter(|| analyze(black_box(largest), &options))
    });
    group.finish();

    let total: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut group = c.benchmark_group("latest-corpus");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.bench_function(format!("check/{}-files-one-thread", files.len()), |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(_, t)| analyze(black_box(t), &options).diagnostics.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

/// Long lists whose patterns share a literal start (`arn:aws:ssm:*::document/Name7-*`, ...;
/// `s3:Get*Object7`, ...): the redundancy rules must not compare every pair.
fn shared_prefixes(c: &mut Criterion) {
    let n = 2000;
    let resources: Vec<String> = (0..n)
        .map(|k| format!("\"arn:aws:ssm:*::document/Name{k}-*\""))
        .collect();
    let actions: Vec<String> = (0..n).map(|k| format!("\"s3:Get*Object{k}\"")).collect();
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": [{}]}}]}}"#,
        actions.join(", "),
        resources.join(", ")
    );
    let options = identity();
    let mut group = c.benchmark_group("shared-prefixes");
    group.sample_size(10);
    group.bench_function(format!("check/{n}-patterns-each"), |b| {
        b.iter(|| analyze(black_box(&text), &options))
    });
    group.finish();
}

/// The playground's big policy (`web-demo/tests/big-policy.mjs`): 5,000 statements granting
/// `s3:*`, 1.3 MB, 5,001 findings with three narrowing fixes each. The check with every fix, the
/// same check building none, and the fixes of one finding and of a page of 50 asked afterwards
/// (what the playground does per keystroke and when a page of findings is shown), and a
/// keystroke checked by a session that keeps the previous version's work.
fn many_findings(c: &mut Criterion) {
    let text = five_thousand_statements();
    let options = identity();
    let keys = FindingKey::all(&analyze_without_fixes(&text, &options).diagnostics);
    let mut group = c.benchmark_group("5000-service-wildcards");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("check/with-fixes", |b| {
        b.iter(|| analyze(black_box(&text), &options))
    });
    group.bench_function("check/without-fixes", |b| {
        b.iter(|| analyze_without_fixes(black_box(&text), &options))
    });
    group.bench_function("fixes/one-finding", |b| {
        b.iter(|| fixes_for(black_box(&text), &options, &keys[2500..2501]))
    });
    group.bench_function("fixes/50-findings", |b| {
        b.iter(|| fixes_for(black_box(&text), &options, &keys[2500..2550]))
    });
    // A keystroke in a session (core::incremental): one character typed into statement 2500's
    // Sid and taken out again, each version checked after the other, as an editor does.
    let at = text.find("ReadReports2500\"").expect("the Sid") + "ReadReports2500".len();
    let typed = format!("{}x{}", &text[..at], &text[at..]);
    let mut session = Session::new(options.clone());
    session.analyze(&text);
    let mut flip = false;
    group.bench_function("session/keystroke", |b| {
        b.iter(|| {
            flip = !flip;
            session.analyze(black_box(if flip { &typed } else { &text }))
        })
    });
    group.finish();
}

/// The playground's big policy (1.3 MB, 5,000 statements).
fn five_thousand_statements() -> String {
    let statements: Vec<String> = (0..5000)
        .map(|i| {
            format!(
                "    {{\n      \"Sid\": \"ReadReports{i}\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:*\",\n      \
                 \"Resource\": \"arn:aws:s3:::example-reports-{i}/*\",\n      \"Condition\": {{\n        \
                 \"IpAddress\": {{\n          \"aws:SourceIp\": \"203.0.113.0/24\"\n        }}\n      }}\n    }}"
            )
        })
        .collect();
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}",
        statements.join(",\n")
    )
}

/// The same 1.3 MB policy with one or two mistakes: the parse of a broken document tries single
/// edits (a bounded search) before the recovering parse, so it must stay linear. The '[' of
/// `"Statement": [` deleted (the text stops being JSON only at the second statement, and each
/// earlier member value is tried), a quote deleted in the middle statement, and two mistakes
/// (no single edit repairs them: the whole search runs, then the recovering parse).
fn broken_documents(c: &mut Criterion) {
    let text = five_thousand_statements();
    let middle = text.find("\"ReadReports2500\"").expect("statement 2500");
    let mut no_list = text.clone();
    no_list.remove(text.find('[').expect("the statement list"));
    let mut no_quote = text.clone();
    no_quote.remove(middle);
    let mut two = no_quote.clone();
    two.remove(two.find("\"Allow\"").expect("an Effect"));
    let mut group = c.benchmark_group("broken-1.3mb");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("parse/valid", |b| {
        b.iter(|| syntax::parse(black_box(&text)))
    });
    for (name, broken) in [
        ("missing-statement-bracket", &no_list),
        ("missing-quote-in-the-middle", &no_quote),
        ("two-mistakes", &two),
    ] {
        assert!(!syntax::parse(broken).errors.is_empty(), "{name}");
        group.bench_function(format!("parse/{name}"), |b| {
            b.iter(|| syntax::parse(black_box(broken)))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    small,
    corpus,
    shared_prefixes,
    many_findings,
    broken_documents
);
criterion_main!(benches);

//! Fixes built on request are the fixes the eager analysis builds: for every rule's examples,
//! a generated policy of many service wildcards, and the AWS managed policies of
//! `scripts/fetch-corpus.sh` (every 4th latest policy by default, each as found and as a
//! resource policy; `LAZY_FIXES_SAMPLE_EVERY=1` checks all of them; skipped without the corpus).
//!
//! For each text: `analyze_without_fixes` gives the same findings as `analyze` with no fix;
//! `fixes_for` with every finding's key gives exactly `analyze`'s findings; with one key it
//! gives that finding alone; a key that names nothing (the text changed) gives None.
//! An analysis with safe fixes only (`FixScope::Safe`, what the language server makes on each
//! change) gives `analyze`'s findings with their safe fixes, and the code actions an editor
//! gets from it (`ide::code_actions_with`, the other fixes asked of `findings_with_fixes` for
//! the findings at the cursor) are `ide::code_actions` of the eager analysis, at every finding.

use std::path::{Path, PathBuf};

use iamlint_core::{analyze, analyze_without_fixes, fixes_for, AnalyzeOptions, FindingKey};
use iamlint_core::{analyze_parsed_with, findings_with_fixes, ide, rules, syntax};
use iamlint_core::{FixScope, PolicyType, Safety, Span};

/// Checks `text` as described at the top; returns how many fixes were compared.
fn check_lazy_matches_eager(name: &str, text: &str, options: &AnalyzeOptions) -> usize {
    let eager = analyze(text, options).diagnostics;
    let lazy = analyze_without_fixes(text, options).diagnostics;
    assert_eq!(eager.len(), lazy.len(), "{name}: finding count");
    for (e, l) in eager.iter().zip(&lazy) {
        assert!(
            l.fixes.is_empty(),
            "{name}: {} has fixes without asking",
            l.code
        );
        let mut e = e.clone();
        e.fixes.clear();
        assert_eq!(&e, l, "{name}: findings differ apart from fixes");
    }
    let keys = FindingKey::all(&lazy);
    assert_eq!(keys, FindingKey::all(&eager), "{name}: keys");
    let all = fixes_for(text, options, &keys);
    assert_eq!(all.len(), keys.len());
    for (i, (got, want)) in all.iter().zip(&eager).enumerate() {
        assert_eq!(
            got.as_ref(),
            Some(want),
            "{name}: finding {i} asked with all keys"
        );
    }
    // One key alone: the first finding of each code that has fixes (that is where a rule's
    // builder could depend on state left by its earlier findings).
    let mut seen = Vec::new();
    for (key, want) in keys.iter().zip(&eager) {
        if want.fixes.is_empty() || seen.contains(&want.code) {
            continue;
        }
        seen.push(want.code);
        let one = fixes_for(text, options, std::slice::from_ref(key));
        assert_eq!(one, vec![Some(want.clone())], "{name}: {key:?} asked alone");
    }
    if let Some(key) = keys.first() {
        let stale = FindingKey {
            span: Span::new(key.span.start, key.span.end + text.len() + 1),
            ..key.clone()
        };
        assert_eq!(fixes_for(text, options, &[stale]), vec![None], "{name}");
    }
    check_code_actions(name, text, options);
    eager.iter().map(|d| d.fixes.len()).sum()
}

/// The code actions built from a safe-fixes-only analysis equal the eager ones at findings (its
/// span, and a cursor at its start: every finding of a short text, about 16 spread over a long
/// one, as each place costs an analysis), at the start of the text and over the whole text.
fn check_code_actions(name: &str, text: &str, options: &AnalyzeOptions) {
    let eager = analyze(text, options);
    let document = syntax::parse(text);
    let safe = analyze_parsed_with(text, &document, options, FixScope::Safe);
    assert_eq!(eager.diagnostics.len(), safe.diagnostics.len(), "{name}");
    for (e, s) in eager.diagnostics.iter().zip(&safe.diagnostics) {
        let mut e = e.clone();
        e.fixes.retain(|f| f.safety == Safety::Safe);
        assert_eq!(&e, s, "{name}: safe-only finding");
    }
    let keys = FindingKey::all(&safe.diagnostics);
    let mut spans = vec![Span::empty(0), Span::new(0, text.len())];
    let every = (eager.diagnostics.len() / 16).max(1);
    for d in eager.diagnostics.iter().step_by(every) {
        spans.push(d.span);
        spans.push(Span::empty(d.span.start));
    }
    for span in spans {
        let at = ide::findings_at(&safe, span);
        let wanted: Vec<FindingKey> = at.iter().map(|&i| keys[i].clone()).collect();
        let full = findings_with_fixes(text, &document, options, &wanted);
        let lazy = ide::code_actions_with(text, &safe, span, |i| {
            let n = at.iter().position(|&j| j == i)?;
            full[n].as_ref()
        });
        assert_eq!(
            lazy,
            ide::code_actions(text, &eager, span),
            "{name}: code actions at {span:?}"
        );
    }
}

fn options(policy_type: PolicyType) -> AnalyzeOptions {
    AnalyzeOptions {
        policy_type,
        ..AnalyzeOptions::default()
    }
}

#[test]
fn every_rule_example() {
    let mut fixes = 0;
    for rule in rules::all() {
        let options = options(rule.meta.example_type.policy_type());
        for (which, text) in [
            ("bad", rule.meta.bad_example),
            ("good", rule.meta.good_example),
        ] {
            let name = format!("{} {which} example", rule.meta.code);
            fixes += check_lazy_matches_eager(&name, text, &options);
        }
    }
    // The examples offer fixes; a comparison of nothing would prove nothing.
    assert!(fixes > 20, "only {fixes} fixes compared");
}

#[test]
fn many_service_wildcards() {
    // The playground's big policy in small: each statement grants s3:* (three narrowing fixes).
    let statements: Vec<String> = (0..200)
        .map(|i| {
            format!(
                "{{\"Sid\": \"Reports{i}\", \"Effect\": \"Allow\", \"Action\": [\"s3:*\", \"s3:Get*\"], \
                 \"Resource\": \"arn:aws:s3:::example-reports-{i}/*\"}}"
            )
        })
        .collect();
    let text = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [\n{}\n]}}",
        statements.join(",\n")
    );
    let fixes = check_lazy_matches_eager("generated", &text, &options(PolicyType::Identity));
    assert!(fixes >= 600, "{fixes}");
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn managed_policies() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/latest");
    let files = json_files(&dir);
    if files.is_empty() {
        eprintln!(
            "skipped: {} not fetched (scripts/fetch-corpus.sh)",
            dir.display()
        );
        return;
    }
    let every: usize = std::env::var("LAZY_FIXES_SAMPLE_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let resource = PolicyType::parse("resource").expect("a policy type");
    let mut fixes = 0;
    for path in files.iter().step_by(every.max(1)) {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.display().to_string();
        fixes += check_lazy_matches_eager(&name, &text, &AnalyzeOptions::default());
        fixes += check_lazy_matches_eager(&name, &text, &options(resource.clone()));
    }
    assert!(fixes > 100, "only {fixes} fixes compared");
}

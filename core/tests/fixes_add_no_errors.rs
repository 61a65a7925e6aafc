//! No fix may introduce a new error: applying any single fix offered on an AWS managed policy
//! leaves no error-category finding that the policy did not have (counted per rule code, since
//! the edit moves spans).
//!
//! Both corpora of `scripts/fetch-corpus.sh` are sampled deterministically (every 16th latest
//! policy, every 64th historical version, the fixes of each distinct rule code per document) so
//! the test takes seconds; it is skipped without the corpus. `FIXES_SAMPLE_EVERY=1` checks every
//! document.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iamlint_core::{analyze, AnalyzeOptions, Category, Diagnostic};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn error_counts(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.category == Category::Error) {
        *counts.entry(d.code).or_default() += 1;
    }
    counts
}

#[test]
fn applying_a_fix_adds_no_error() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies");
    let latest = files(&root.join("latest"));
    if latest.is_empty() {
        eprintln!(
            "skipped: {} not fetched (scripts/fetch-corpus.sh)",
            root.display()
        );
        return;
    }
    let history = files(&root.join("history"));
    let scale: usize = std::env::var("FIXES_SAMPLE_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let sample: Vec<&PathBuf> = latest
        .iter()
        .step_by(scale)
        .chain(history.iter().step_by(scale * 4))
        .collect();
    let options = AnalyzeOptions::default();
    let mut applied = 0usize;
    let mut problems = Vec::new();
    for path in &sample {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let before = analyze(&text, &options).diagnostics;
        let errors_before = error_counts(&before);
        let mut seen_codes = Vec::new();
        for d in &before {
            if d.fixes.is_empty() || seen_codes.contains(&d.code) {
                continue;
            }
            seen_codes.push(d.code);
            for fix in &d.fixes {
                let Some(fixed) = fix.apply(&text) else {
                    problems.push(format!(
                        "{}: {} fix {:?} does not apply",
                        path.display(),
                        d.code,
                        fix.title
                    ));
                    continue;
                };
                applied += 1;
                let after = analyze(&fixed, &options).diagnostics;
                for (code, n) in error_counts(&after) {
                    if n > errors_before.get(code).copied().unwrap_or(0) {
                        let example = after
                            .iter()
                            .find(|a| a.code == code)
                            .map(|a| a.message.clone())
                            .unwrap_or_default();
                        problems.push(format!(
                            "{}: applying {} fix {:?} adds {code}: {example}",
                            path.strip_prefix(&root).unwrap_or(path).display(),
                            d.code,
                            fix.title
                        ));
                    }
                }
            }
        }
    }
    eprintln!("{} documents, {applied} fixes applied", sample.len());
    assert!(applied > 50, "only {applied} fixes exercised");
    assert!(
        problems.is_empty(),
        "{} fixes add errors:\n{}",
        problems.len(),
        problems[..problems.len().min(30)].join("\n")
    );
}

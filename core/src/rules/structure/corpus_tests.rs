//! The structure and principal rules over the AWS managed policies (fetched by
//! scripts/fetch-corpus.sh into the git-ignored .cache/). Real policies that AWS attaches to
//! millions of roles must not trip an error of these groups; the test is skipped when the corpus
//! has not been fetched.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::analysis::{analyze, AnalyzeOptions};
use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{principals, structure};

#[test]
fn managed_policies_raise_no_structure_or_principal_errors() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/latest");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipped: {} not fetched (scripts/fetch-corpus.sh)",
            dir.display()
        );
        return;
    };
    let ours: Vec<&str> = structure::RULES
        .iter()
        .chain(principals::RULES.iter())
        .map(|r| r.meta.code)
        .collect();
    let options = AnalyzeOptions {
        policy_type: PolicyType::Identity,
        ..AnalyzeOptions::default()
    };
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut files = 0;
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        files += 1;
        for d in analyze(&text, &options).diagnostics {
            if !ours.contains(&d.code) {
                continue;
            }
            *counts.entry(d.code).or_default() += 1;
            if d.category == Category::Error {
                errors.push(format!(
                    "{}: {} {}",
                    entry.file_name().to_string_lossy(),
                    d.code,
                    d.message
                ));
            }
        }
    }
    eprintln!("{files} managed policies; findings of our rules: {counts:?}");
    assert!(files > 1000, "corpus looks incomplete: {files} files");
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

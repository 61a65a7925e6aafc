//! The structure and principal rules over the AWS managed policies (fetched by
//! scripts/fetch-corpus.sh into the git-ignored .cache/). Real policies that AWS attaches to
//! millions of roles must not trip an error of these groups; the test is skipped when the corpus
//! has not been fetched.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{principals, structure};

/// Only this folder's and the principal rules, so the test stays fast and isolated.
fn our_findings(text: &str, policy_type: &PolicyType) -> Vec<crate::diagnostic::Diagnostic> {
    let ours: Vec<&crate::rules::Rule> = structure::RULES
        .iter()
        .chain(principals::RULES.iter())
        .copied()
        .collect();
    crate::rules::support::structure::run_rules(&ours, text, policy_type)
}

#[test]
fn managed_policies_raise_no_structure_or_principal_errors() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies");
    let Ok(latest) = std::fs::read_dir(root.join("latest")) else {
        eprintln!(
            "skipped: {} not fetched (scripts/fetch-corpus.sh)",
            root.display()
        );
        return;
    };
    // The latest versions, then every older version AWS has published.
    let mut paths: Vec<PathBuf> = latest.flatten().map(|e| e.path()).collect();
    let history = std::fs::read_dir(root.join("history"))
        .into_iter()
        .flatten();
    for dir in history.flatten() {
        let versions = std::fs::read_dir(dir.path()).into_iter().flatten();
        paths.extend(versions.flatten().map(|e| e.path()));
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut files = 0;
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        files += 1;
        for d in our_findings(&text, &PolicyType::Identity) {
            *counts.entry(d.code).or_default() += 1;
            if d.category == Category::Error {
                let name = path.strip_prefix(&root).unwrap_or(path);
                errors.push(format!("{}: {} {}", name.display(), d.code, d.message));
            }
        }
    }
    eprintln!("{files} managed policy documents; findings of our rules: {counts:?}");
    assert!(files > 1000, "corpus looks incomplete: {files} files");
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

//! Every `every`-th latest AWS managed policy (`scripts/fetch-corpus.sh`) as (path, text); none
//! when the corpus is not fetched. Shared by the integration tests and, through `#[path]`, the
//! incremental analysis' unit tests.

use std::path::PathBuf;

pub fn latest_corpus(every: usize) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/latest");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus not fetched ({}): skipped", dir.display());
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    paths
        .iter()
        .step_by(every.max(1))
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

//! Speed of check-no-new-access over the history corpus: every AWS managed policy that has more
//! than one version, its latest version checked against the one before (one thread, the whole
//! run timed; best of three). Needs `scripts/fetch-corpus.sh`; without the cache it says so.
//!   cargo bench -p iamlint-core --bench gates

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use iamlint_core::gates::{check_no_new_access, GatePolicy, Verdict};
use iamlint_core::PolicyType;

/// (name, previous version's text, latest version's text) for each policy with two or more.
fn pairs(history: &Path) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(history) else {
        return out;
    };
    let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let path = e.path();
                let n = path
                    .file_stem()?
                    .to_str()?
                    .strip_prefix('v')?
                    .parse()
                    .ok()?;
                Some((n, path))
            })
            .collect();
        versions.sort();
        if let [.., (_, previous), (_, latest)] = versions.as_slice() {
            let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
            let name = dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            out.push((name, read(previous), read(latest)));
        }
    }
    out
}

fn main() {
    let history = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/history");
    let pairs = pairs(&history);
    if pairs.is_empty() {
        println!(
            "gates: no corpus at {} (run scripts/fetch-corpus.sh)",
            history.display()
        );
        return;
    }
    let mut best = Duration::MAX;
    let (mut pass, mut fail, mut bad) = (0, 0, 0);
    let mut slowest = (Duration::ZERO, String::new());
    for _ in 0..3 {
        (pass, fail, bad) = (0, 0, 0);
        let start = Instant::now();
        for (name, previous, latest) in &pairs {
            let one = Instant::now();
            match (
                GatePolicy::parse("previous", previous),
                GatePolicy::parse("latest", latest),
            ) {
                (Ok(old), Ok(new)) => {
                    match check_no_new_access(&old, &new, &PolicyType::Identity).result {
                        Verdict::Pass => pass += 1,
                        Verdict::Fail => fail += 1,
                    }
                }
                _ => bad += 1,
            }
            let took = one.elapsed();
            if took > slowest.0 {
                slowest = (took, name.clone());
            }
        }
        best = best.min(start.elapsed());
    }
    println!(
        "gates: check-no-new-access on {} pairs (latest vs previous version): {} PASS, {} FAIL, \
         {} not evaluable; whole run {:.0} ms (best of 3), slowest pair {} ({:.1} ms)",
        pairs.len(),
        pass,
        fail,
        bad,
        best.as_secs_f64() * 1000.0,
        slowest.1,
        slowest.0.as_secs_f64() * 1000.0
    );
}

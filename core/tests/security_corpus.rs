//! Counts the security findings on the AWS managed policy corpus (`scripts/fetch-corpus.sh`),
//! for docs/managed-policy-findings.md. Ignored by default because it needs the corpus on disk:
//!
//!   scripts/fetch-corpus.sh
//!   cargo test -p iamlint-core --test security_corpus -- --ignored --nocapture
//!
//! IAMLINT_CORPUS overrides the directory (default `.cache/managed-policies/latest`);
//! IAMLINT_SAMPLE=CODE prints every finding of one code with the policy name and the text it
//! points at, for review by hand. Also checks, on every policy, that each security fix applies and
//! leaves valid JSON.

use std::collections::BTreeMap;
use std::path::PathBuf;

use std::time::Instant;

use iamlint_core::policy::Policy;
use iamlint_core::rules::{Context, Sink};
use iamlint_core::{syntax, Diagnostic, PolicyType};

/// Run only the security rules (the corpus run reports their counts; the other groups have
/// their own corpus tests), as an identity policy: managed policies are identity policies.
fn security_findings(text: &str) -> Vec<Diagnostic> {
    let document = syntax::parse(text);
    let policy = Policy::from_root(document.root.as_ref());
    let cx = Context::new(text, &document, &policy, &PolicyType::Identity);
    let mut out = Vec::new();
    for rule in iamlint_core::rules::security::RULES {
        let mut sink = Sink::new(&rule.meta);
        (rule.check)(&cx, &mut sink);
        out.extend(sink.into_diagnostics());
    }
    out
}

#[test]
#[ignore = "needs the managed policy corpus: scripts/fetch-corpus.sh"]
fn count_security_findings_on_managed_policies() {
    let dir = std::env::var("IAMLINT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/latest")
        });
    let sample = std::env::var("IAMLINT_SAMPLE").ok();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    let mut findings: BTreeMap<&str, usize> = BTreeMap::new();
    let mut policies: BTreeMap<&str, usize> = BTreeMap::new();
    let mut fixes = 0usize;
    for path in &entries {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let started = Instant::now();
        let diagnostics = security_findings(&text);
        let took = started.elapsed();
        if took.as_millis() > 500 {
            println!("slow: {name} took {took:?}");
        }
        let mut seen_here: Vec<&str> = Vec::new();
        for d in &diagnostics {
            *findings.entry(d.code).or_insert(0) += 1;
            if !seen_here.contains(&d.code) {
                seen_here.push(d.code);
                *policies.entry(d.code).or_insert(0) += 1;
            }
            if sample.as_deref() == Some(d.code) {
                println!("{name}: {} -- {}", d.span.slice(&text), d.message);
            }
            for fix in &d.fixes {
                let fixed = fix
                    .apply(&text)
                    .unwrap_or_else(|| panic!("{name}: {} does not apply", fix.title));
                serde_json::from_str::<serde_json::Value>(&fixed)
                    .unwrap_or_else(|e| panic!("{name}: {} gives invalid JSON: {e}", fix.title));
                fixes += 1;
            }
        }
    }
    println!(
        "{} policies, {} fixes applied and parsed",
        entries.len(),
        fixes
    );
    println!("| Code | Category | Findings | Policies |");
    println!("|---|---|---:|---:|");
    for rule in iamlint_core::rules::security::RULES {
        let code = rule.meta.code;
        println!(
            "| `{code}` | {} | {} | {} |",
            rule.meta.category.as_str(),
            findings.get(code).copied().unwrap_or(0),
            policies.get(code).copied().unwrap_or(0)
        );
    }
    assert!(!entries.is_empty(), "no policies in {}", dir.display());
}

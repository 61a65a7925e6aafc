//! One broken block does not hide the others: a single inserted, deleted or replaced character
//! in one block of a Terraform file or one resource of a CloudFormation template leaves every
//! policy of the other blocks found under the same name, with the same findings at the same
//! (shifted) places.
//!
//! The documents are the host fixtures (`core/tests/fixtures/host`, `tests/iac`). Positions and
//! characters are drawn from a fixed-seed generator so the test is deterministic; the ignored
//! test `every_structural_position` (`cargo test -p iamlint-core --test host_resilience --
//! --ignored`) tries every punctuation position with every character.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iamlint_core::host::{self, Format};
use iamlint_core::AnalyzeOptions;

mod mutation;
use mutation::{Mutation, Rng};

/// What breaks HCL, YAML or JSON structure, and a letter, a digit and blanks.
const CHARACTERS: &[char] = &[
    '{', '}', '[', ']', '(', ')', '=', ',', ':', '"', '\'', '#', '-', '!', '|', '\n', ' ', 'x', '1',
];

/// The share of sampled mutations allowed to break the rule. The goal is none; this ratchet
/// records where the readers stand and may only go down.
const MAX_FAILURE_RATE: f64 = 0.002;

fn fixtures() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["tests/fixtures/host", "../tests/iac", "../tests/iac/cfn"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        paths.extend(entries.flatten().map(|e| e.path()).filter(|p| {
            p.extension()
                .is_some_and(|e| e == "tf" || e == "yaml" || e == "json")
        }));
    }
    paths.sort();
    let docs: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((name_of(p), text))
        })
        .collect();
    assert!(docs.len() >= 8, "host fixtures missing: {}", docs.len());
    docs
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The offsets where the blocks of a host start: a Terraform top-level block (a line that starts
/// with a letter), a top-level key or a resource of a YAML template (indented at most two
/// columns), a top-level key or a resource of a JSON template (a key indented at most four).
/// Block `k` runs from start `k` to start `k + 1`.
fn block_starts(format: Format, text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let first = line[indent..].chars().next();
        let starts_block = match format {
            Format::Terraform => indent == 0 && first.is_some_and(|c| c.is_ascii_alphabetic()),
            Format::CloudFormationYaml => {
                indent <= 2 && first.is_some_and(|c| c.is_ascii_alphanumeric())
            }
            Format::CloudFormationJson => indent <= 4 && first == Some('"'),
            _ => false,
        };
        if starts_block && offset > 0 {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
}

fn block_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

/// Each policy's name, and its findings as (code, host span).
type Findings = BTreeMap<String, Vec<(&'static str, usize, usize)>>;

/// Each policy's findings by name, where each policy starts, and whether the host or a policy
/// in it has a syntax error.
fn findings(text: &str, format: Format) -> (Findings, Vec<(String, usize)>, bool) {
    let analysis = host::analyze(text, format, &AnalyzeOptions::default());
    let broken = !analysis.errors.is_empty()
        || analysis
            .policies
            .iter()
            .any(|p| p.diagnostics.iter().any(|d| d.code == "JSON_SYNTAX_ERROR"));
    let mut by_name = Findings::new();
    let mut spans = Vec::new();
    for p in &analysis.policies {
        spans.push((p.name.clone(), p.span.start));
        by_name.insert(
            p.name.clone(),
            p.diagnostics
                .iter()
                .map(|d| (d.code, d.span.start, d.span.end))
                .collect(),
        );
    }
    (by_name, spans, broken)
}

/// Mutations that left the host well-formed (not held to the rule; see `check`).
static WELL_FORMED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The problems with one mutated host, if any.
fn check(text: &str, format: Format, mutation: Mutation) -> Option<String> {
    let (before, spans, _) = findings(text, format);
    let mutated = mutation.apply(text);
    let (after, _, broken) = findings(&mutated, format);
    // A mistake that leaves the host well-formed (`"Resources"` renamed, a `#` that comments out
    // a line) has no syntax error to recover from: the reader must read what is written.
    if !broken {
        WELL_FORMED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return None;
    }
    let starts = block_starts(format, text);
    let (lo, hi) = mutation.touched(text);
    let touched = (
        block_of(&starts, lo),
        block_of(&starts, hi.saturating_sub(1)),
    );
    let mut problems = Vec::new();
    for (name, start) in spans {
        let block = block_of(&starts, start);
        if touched.0 <= block && block <= touched.1 {
            continue;
        }
        let expected: Vec<(&str, usize, usize)> = before[&name]
            .iter()
            .map(|&(code, s, e)| (code, mutation.shift(text, s), mutation.shift(text, e)))
            .collect();
        match after.get(&name) {
            None => problems.push(format!("policy {name} is no longer found")),
            Some(found) if *found != expected => problems.push(format!(
                "policy {name}: findings {found:?}, expected {expected:?}"
            )),
            Some(_) => {}
        }
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// The character boundaries of the punctuation of a host (what breaks its structure) and of
/// each line's first character (YAML's indentation is structure).
fn structural(text: &str) -> Vec<usize> {
    let mut out: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| {
            matches!(
                c,
                '{' | '}' | '[' | ']' | '(' | ')' | '=' | ',' | ':' | '"' | '-'
            ) || (i > 0 && text.as_bytes()[i - 1] == b'\n')
        })
        .map(|(i, _)| i)
        .collect();
    out.dedup();
    out
}

fn run(mutations: impl Fn(usize, &str) -> Vec<Mutation>) {
    let mut tried = 0usize;
    let mut failures = Vec::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_file: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, (name, text)) in fixtures().iter().enumerate() {
        let format = host::detect(Some(name), text);
        assert!(
            matches!(
                format,
                Format::Terraform | Format::CloudFormationYaml | Format::CloudFormationJson
            ),
            "{name}: {format:?}"
        );
        let entry = by_file.entry(name.clone()).or_default();
        for m in mutations(i, text) {
            tried += 1;
            entry.0 += 1;
            if let Some(problem) = check(text, format, m) {
                entry.1 += 1;
                *kinds.entry(m.kind(text)).or_default() += 1;
                let at = m.at();
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                failures.push(format!(
                    "{name}: {m:?} on line {:?}\n{problem}",
                    &text[line_start..line_end]
                ));
            }
        }
    }
    eprintln!(
        "{tried} mutated hosts ({} still well-formed), {} failures",
        WELL_FORMED.load(std::sync::atomic::Ordering::Relaxed),
        failures.len()
    );
    eprintln!("by file (tried, failed): {by_file:?}");
    mutation::judge(tried, &failures, &kinds, MAX_FAILURE_RATE);
}

fn all_at(at: usize) -> Vec<Mutation> {
    let mut all = vec![Mutation::Delete(at)];
    for &c in CHARACTERS {
        all.push(Mutation::Insert(at, c));
        all.push(Mutation::Replace(at, c));
    }
    all
}

#[test]
fn a_single_character_mistake_in_one_block_keeps_the_other_blocks_findings() {
    run(|i, text| {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ (i as u64 + 1));
        let marks = structural(text);
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut out = Vec::new();
        // Per file, 40 positions on punctuation and 20 anywhere, each with every kind of edit.
        for pick in 0..60 {
            let at = if pick < 40 {
                marks[rng.below(marks.len())]
            } else {
                boundaries[rng.below(boundaries.len())]
            };
            let c = CHARACTERS[rng.below(CHARACTERS.len())];
            out.push(Mutation::Insert(at, c));
            out.push(Mutation::Delete(at));
            out.push(Mutation::Replace(at, c));
        }
        out
    });
}

#[test]
#[ignore = "every punctuation position of the host fixtures with every character: minutes"]
fn every_structural_position() {
    run(|_, text| structural(text).into_iter().flat_map(all_at).collect());
}

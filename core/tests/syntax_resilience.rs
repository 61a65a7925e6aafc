//! One mistake, one error: a single inserted, deleted or replaced character in a valid policy
//! gives at most three syntax errors, and every statement the mistake does not touch is still
//! parsed exactly as before (so the rules still check it).
//!
//! The documents are the latest AWS managed policies (`scripts/fetch-corpus.sh`; the test is
//! skipped without them). Positions and characters are drawn from a fixed-seed generator so the
//! test is deterministic; `cargo test` runs a sample that takes seconds, and the ignored test
//! `every_structural_position` (`cargo test -p iamlint-core --test syntax_resilience -- --ignored`)
//! tries every structural character of every document.

use std::path::PathBuf;

use iamlint_core::syntax::{self, Node, NodeKind};
use iamlint_core::Policy;

mod mutation;
use mutation::{Mutation, Rng};

/// The characters a slip of the finger or a bad copy brings into JSON.
const INSERTS: &[char] = &[
    '{', '}', '[', ']', ',', ':', '"', '/', '\\', 'x', '1', ' ', '\n', '*', '#', '\'',
];

const MAX_ERRORS: usize = 3;

/// The share of sampled mutations allowed to break the rule. The goal is none; the recovery does
/// not reach it yet (see the kinds printed by a failing run), so this ratchet records where it
/// stands and may only go down.
const MAX_FAILURE_RATE: f64 = 0.0008;

fn corpus() -> Option<Vec<(String, String)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/latest");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipped: {} not fetched (scripts/fetch-corpus.sh)",
            dir.display()
        );
        return None;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    let docs: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, text))
        })
        .collect();
    assert!(docs.len() > 1000, "corpus looks incomplete: {}", docs.len());
    Some(docs)
}

/// Same JSON structure and values (spans aside).
fn same(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Array(x), NodeKind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (NodeKind::Object(x), NodeKind::Object(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|(a, b)| {
                    a.key.value == b.key.value
                        && match (&a.value, &b.value) {
                            (Some(a), Some(b)) => same(a, b),
                            (None, None) => true,
                            _ => false,
                        }
                })
        }
        (x, y) => x == y,
    }
}

/// Mutations that left well-formed JSON (not held to the rule; see `check`).
static WELL_FORMED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The problems with one mutated document, if any.
fn check(text: &str, mutation: Mutation) -> Option<String> {
    let mutated = mutation.apply(text);
    let original = syntax::parse(text);
    let doc = syntax::parse(&mutated);
    let mut problems = Vec::new();
    if doc.errors.len() > MAX_ERRORS {
        let list: Vec<String> = doc
            .errors
            .iter()
            .map(|e| format!("{:?} {}", e.span.slice(&mutated), e.message))
            .collect();
        problems.push(format!("{} syntax errors: {list:#?}", doc.errors.len()));
    }
    // A mistake that leaves well-formed JSON (`"Statement{": [`, a letter changed in a key) has
    // no syntax error to recover from: the parser must read what is written, and what it means
    // is the rules' business (an unknown key, a missing Statement).
    if doc.errors.is_empty() {
        WELL_FORMED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return None;
    }
    let before = Policy::from_root(original.root.as_ref());
    let after = Policy::from_root(doc.root.as_ref());
    let (lo, hi) = mutation.touched(text);
    for st in &before.statements {
        let span = st.node.span;
        if lo < span.end && span.start < hi {
            continue;
        }
        let start = mutation.shift(text, span.start);
        let end = mutation.shift(text, span.end);
        let kept = after
            .statements
            .iter()
            .any(|a| a.node.span.start == start && a.node.span.end == end && same(a.node, st.node));
        if !kept {
            problems.push(format!(
                "statement {} at {}..{} is no longer parsed as before",
                st.index, span.start, span.end
            ));
        }
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// The character boundaries of the JSON punctuation of a document (`{}[],:"`).
fn structural(text: &str) -> Vec<usize> {
    text.char_indices()
        .filter(|(_, c)| matches!(c, '{' | '}' | '[' | ']' | ',' | ':' | '"'))
        .map(|(i, _)| i)
        .collect()
}

fn mutations_at(at: usize, c: char) -> [Mutation; 3] {
    [
        Mutation::Insert(at, c),
        Mutation::Delete(at),
        Mutation::Replace(at, c),
    ]
}

fn run(docs: &[(String, String)], mutations: impl Fn(usize, &str) -> Vec<Mutation>) {
    let mut failures = Vec::new();
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    let mut tried = 0usize;
    for (i, (name, text)) in docs.iter().enumerate() {
        for m in mutations(i, text) {
            tried += 1;
            if let Some(problem) = check(text, m) {
                let kind = m.kind(text);
                // RESILIENCE_KIND=... shows the failures of one kind first (for debugging).
                let shown = std::env::var("RESILIENCE_KIND").is_ok_and(|k| kind.contains(&k));
                *kinds.entry(kind).or_default() += 1;
                let at = m.at();
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                let report = format!(
                    "{name}: {m:?} on line {:?}\n{problem}",
                    &text[line_start..line_end]
                );
                if shown {
                    failures.insert(0, report);
                } else {
                    failures.push(report);
                }
            }
        }
    }
    eprintln!(
        "{tried} mutated documents ({} still well-formed JSON), {} failures",
        WELL_FORMED.load(std::sync::atomic::Ordering::Relaxed),
        failures.len()
    );
    mutation::judge(tried, &failures, &kinds, MAX_FAILURE_RATE);
}

#[test]
fn a_single_character_mistake_gives_few_errors_and_keeps_the_other_statements() {
    let Some(docs) = corpus() else { return };
    run(&docs, |i, text| {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
        let marks = structural(text);
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut out = Vec::new();
        // Two positions on punctuation (where mistakes break structure) and one anywhere.
        for pick in 0..3 {
            let at = if pick < 2 && !marks.is_empty() {
                marks[rng.below(marks.len())]
            } else {
                boundaries[rng.below(boundaries.len())]
            };
            let c = INSERTS[rng.below(INSERTS.len())];
            out.extend(mutations_at(at, c));
        }
        out
    });
}

#[test]
#[ignore = "every punctuation position of the corpus with every character: minutes"]
fn every_structural_position() {
    let Some(docs) = corpus() else { return };
    run(&docs, |_, text| {
        structural(text)
            .into_iter()
            .flat_map(|at| {
                let mut all = vec![Mutation::Delete(at)];
                for &c in INSERTS {
                    all.push(Mutation::Insert(at, c));
                    all.push(Mutation::Replace(at, c));
                }
                all
            })
            .collect()
    });
}

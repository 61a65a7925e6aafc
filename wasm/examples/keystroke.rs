//! The playground worker's keystroke, natively: a policy (the many-findings benchmark's, 1.3 MB
//! of 5,000 statements with 5,001 findings, written by `web-demo/tests/big-policy.mjs`), checked
//! once by a [`Checker`] holding the text, then `KEYS` characters typed one by one after the first
//! statement's Sid, each sent to the checker as the change it is and answered by `check_held`
//! against the last answer, as the worker does for the page (`bench/playground-many.mjs` types
//! into the same Sid). Everything but the wasm-bindgen conversions is the worker's own Rust
//! code, so instruction counts of this loop are the worker's keystroke in the core:
//!
//!     node -e 'import("./web-demo/tests/big-policy.mjs").then((m) =>
//!         require("fs").writeFileSync("/tmp/big.json", m.manyWildcards()))'
//!     cargo build --release -p iamlint-wasm --example keystroke
//!     valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
//!         target/release/examples/keystroke /tmp/big.json 2   # and 12: the difference / 10 is a key
//!
//! `--grant` types into the first statement's Resource instead (a grant element: the rules that
//! compare grants across statements run again).

use iamlint_wasm::api::{CheckAnswer, Checker, Options};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: keystroke POLICY.json [KEYS] [--grant]");
    let text = std::fs::read_to_string(&path).expect("a policy file");
    assert!(text.is_ascii(), "UTF-16 offsets are byte offsets here");
    let keys: usize = args.next().and_then(|k| k.parse().ok()).unwrap_or(10);
    let grant = args.next().as_deref() == Some("--grant");
    let options = Options {
        policy_type: Some("identity".into()),
        format: Some("json".into()),
        fix_edits: Some(false),
        fix_limit: Some(100),
        ..Options::default()
    };
    let mut checker = Checker::default();
    let mut base = None;
    let answer = |checker: &mut Checker, base: &mut Option<u32>| {
        let start = std::time::Instant::now();
        let answer = checker.check_held(&options, *base).expect("a policy");
        let (id, what) = match &answer {
            CheckAnswer::Full { id, result } => (*id, format!("full, {}", result.findings.len())),
            CheckAnswer::Delta {
                id,
                added,
                removed,
                count,
                ..
            } => (
                *id,
                format!("delta, {count}: -{} +{}", removed.len(), added.len()),
            ),
        };
        *base = Some(id);
        (start.elapsed(), what)
    };
    let (marker, after) = if grant {
        ("example-reports-0/", "example-reports-0".len())
    } else {
        ("\"ReadReports0\"", "\"ReadReports0".len())
    };
    let at = text.find(marker).expect("the first statement") + after;
    let mut length = text.len();
    checker.set_text(0, text);
    let (first, what) = answer(&mut checker, &mut base);
    eprintln!("first check: {first:?} ({what})");
    let mut times = Vec::new();
    for k in 0..keys {
        let version = k as u32;
        length += 1;
        let typed = checker.edit(
            version,
            version + 1,
            &[(at + k, at + k, "K".into())],
            length,
        );
        assert!(typed, "the change fits the text held");
        let (took, what) = answer(&mut checker, &mut base);
        times.push(took);
        eprintln!("key: {took:?} ({what})");
    }
    times.sort();
    if let Some(median) = times.get(times.len() / 2) {
        eprintln!("median of {keys} keys: {median:?}");
    }
}

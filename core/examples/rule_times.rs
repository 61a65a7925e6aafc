//! Per-rule time of the full analysis on one or more policies (release build recommended):
//!   cargo run --release -p iamlint-core --example rule_times -- FILE... [--runs N] [--top K]
//! Prints, per rule, the best-of-N time summed over the files, then the full `analyze` time
//! (median and worst of N runs, summed over the files).

use std::time::{Duration, Instant};

use iamlint_core::rules::{self, Context, Sink};
use iamlint_core::{analyze, syntax, AnalyzeOptions, Policy, PolicyType};

fn main() {
    let mut files = Vec::new();
    let mut runs = 5usize;
    let mut top = 15usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            "--top" => top = args.next().and_then(|v| v.parse().ok()).unwrap_or(top),
            _ => files.push(a),
        }
    }
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("readable file"))
        .collect();
    let options = AnalyzeOptions {
        policy_type: PolicyType::Identity,
        ..AnalyzeOptions::default()
    };
    // Warm the catalog's lazy parts.
    for text in &texts {
        analyze(text, &options);
    }
    let rules: Vec<_> = rules::all().collect();
    let mut per_rule = vec![Duration::ZERO; rules.len()];
    for text in &texts {
        let document = syntax::parse(text);
        let policy = Policy::from_root(document.root.as_ref());
        let policy_type = options.policy_type.resolve(&policy);
        let cx = Context::new(text, &document, &policy, &policy_type);
        for (k, rule) in rules.iter().enumerate() {
            let mut best = Duration::MAX;
            for _ in 0..runs {
                let mut sink = Sink::new(&rule.meta);
                let start = Instant::now();
                (rule.check)(&cx, &mut sink);
                best = best.min(start.elapsed());
                std::hint::black_box(sink.into_diagnostics());
            }
            per_rule[k] += best;
        }
    }
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(per_rule[k]));
    for &k in order.iter().take(top) {
        println!("{:>10.3} ms  {}", ms(per_rule[k]), rules[k].meta.code);
    }
    let mut totals: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            for text in &texts {
                std::hint::black_box(analyze(text, &options));
            }
            start.elapsed()
        })
        .collect();
    totals.sort();
    println!(
        "analyze total: median {:.3} ms, worst {:.3} ms over {runs} runs, {} file(s)",
        ms(totals[totals.len() / 2]),
        ms(totals[totals.len() - 1]),
        texts.len()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

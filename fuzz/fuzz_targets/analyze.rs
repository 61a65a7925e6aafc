//! Any bytes that are UTF-8 go through parse + analyze for every policy type. The core must not
//! panic, and every span it reports (findings, related locations, fix edits) must lie inside the
//! text on character boundaries; every fix must apply cleanly.
#![no_main]

use iamlint_core::{analyze, AnalyzeOptions, PolicyType, Span};
use libfuzzer_sys::fuzz_target;

fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} splits a character"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first byte picks the policy type, so every type's rules get exercised.
    let types = [
        PolicyType::Auto,
        PolicyType::Identity,
        PolicyType::Resource {
            resource_type: None,
        },
        PolicyType::Trust,
        PolicyType::Scp,
        PolicyType::Rcp,
        PolicyType::Boundary,
        PolicyType::Session,
    ];
    let policy_type = types[data.first().map_or(0, |b| *b as usize % types.len())].clone();
    let _ = iamlint_core::syntax::parse(text);
    let analysis = analyze(
        text,
        &AnalyzeOptions {
            policy_type,
            ..AnalyzeOptions::default()
        },
    );
    assert_ne!(analysis.policy_type, PolicyType::Auto);
    for d in &analysis.diagnostics {
        assert_span(text, d.span, d.code);
        for r in &d.related {
            assert_span(text, r.span, "related");
        }
        for fix in &d.fixes {
            for e in &fix.edits {
                assert_span(text, e.span, "fix edit");
            }
            assert!(
                fix.apply(text).is_some(),
                "{}: fix '{}' does not apply",
                d.code,
                fix.title
            );
        }
    }
});

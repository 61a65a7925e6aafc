//! Any bytes that are UTF-8 go through parse + analyze for every policy type. The core must not
//! panic, and every span it reports (findings, related locations, fix edits) must lie inside the
//! text on character boundaries; every fix must apply cleanly.
#![no_main]

use iamlint_core::{analyze, AnalyzeOptions, PolicyType};
use libfuzzer_sys::fuzz_target;

#[path = "checks.rs"]
mod checks;

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
        PolicyType::VpcEndpoint,
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
    checks::assert_diagnostics(text, &analysis.diagnostics);
});

//! Any UTF-8 text through the host readers (Terraform, CloudFormation YAML and JSON) and the
//! analysis of what they find. The core must not panic; every span (host errors, findings,
//! related locations, fix edits) must lie inside the host text on character boundaries, and
//! every fix must apply.
#![no_main]

use iamlint_core::host::{self, Format};
use iamlint_core::AnalyzeOptions;
use libfuzzer_sys::fuzz_target;

#[path = "checks.rs"]
mod checks;
use checks::assert_span;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first byte picks the host language, so each reader gets every input.
    let formats = [
        Format::Terraform,
        Format::CloudFormationYaml,
        Format::CloudFormationJson,
    ];
    let format = formats[data.first().map_or(0, |b| *b as usize % formats.len())];
    let _ = host::detect(Some("x.tf"), text);
    let _ = host::detect(None, text);
    let analysis = host::analyze(text, format, &AnalyzeOptions::default());
    for e in &analysis.errors {
        assert_span(text, e.span, "host error");
    }
    for p in &analysis.policies {
        assert_span(text, p.span, "policy");
    }
    checks::assert_diagnostics(text, &analysis.diagnostics());
});

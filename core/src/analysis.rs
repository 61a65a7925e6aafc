//! The entry point: text in, findings out.

use serde::Serialize;

use crate::diagnostic::{Category, Diagnostic};
use crate::policy::{Policy, PolicyType};
use crate::rules::{self, Context, Sink};
use crate::syntax;

/// How to analyse a document. Built from CLI flags, editor settings or `iamlint.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalyzeOptions {
    pub policy_type: PolicyType,
    /// Rule codes that are switched off.
    pub disabled_rules: Vec<String>,
    /// Rule codes whose category is changed.
    pub category_overrides: Vec<(String, Category)>,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            policy_type: PolicyType::Auto,
            disabled_rules: Vec::new(),
            category_overrides: Vec::new(),
        }
    }
}

/// The result of analysing one document.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    /// The policy type used (resolved when `Auto` was asked for).
    pub policy_type: PolicyType,
    /// Findings sorted by position, then code.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and check a policy document.
pub fn analyze(text: &str, options: &AnalyzeOptions) -> Analysis {
    analyze_parsed(text, &syntax::parse(text), options)
}

/// Check a policy document already parsed with [`syntax::parse`] (`document` must be the parse
/// of `text`). The language server parses each text version once and shares the tree between
/// the analysis, hovers and completions.
pub fn analyze_parsed(
    text: &str,
    document: &syntax::Document,
    options: &AnalyzeOptions,
) -> Analysis {
    let policy = Policy::from_root(document.root.as_ref());
    let policy_type = options.policy_type.resolve(&policy);
    let cx = Context::new(text, document, &policy, &policy_type);
    let mut diagnostics = Vec::new();
    for rule in rules::all() {
        if options
            .disabled_rules
            .iter()
            .any(|c| c.eq_ignore_ascii_case(rule.meta.code))
        {
            continue;
        }
        let mut sink = Sink::new(&rule.meta);
        (rule.check)(&cx, &mut sink);
        let mut found = sink.into_diagnostics();
        if let Some((_, category)) = options
            .category_overrides
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(rule.meta.code))
        {
            for d in &mut found {
                d.category = *category;
            }
        }
        diagnostics.extend(found);
    }
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    Analysis {
        policy_type,
        diagnostics,
    }
}

//! The entry point: text in, findings out.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, FindingKey, FixScope};
use crate::policy::{Policy, PolicyType};
use crate::rules::{self, Context, Sink};
use crate::syntax;

mod rule_codes;

pub use rule_codes::{CategoryOverrides, RuleCodes};

/// How to analyse a document. Built from CLI flags, editor settings or `iamlint.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalyzeOptions {
    pub policy_type: PolicyType,
    /// Rule codes that are switched off.
    pub disabled_rules: RuleCodes,
    /// Rule codes whose category is changed.
    pub category_overrides: CategoryOverrides,
}

impl AnalyzeOptions {
    /// True when findings of `code` are switched off (any case, as configurations write codes).
    /// Also for codes outside the rule registry, such as the activity's `UNUSED_GRANT`.
    pub fn is_disabled(&self, code: &str) -> bool {
        self.disabled_rules.contains(code)
    }
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            policy_type: PolicyType::Auto,
            disabled_rules: RuleCodes::default(),
            category_overrides: CategoryOverrides::default(),
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

/// Builds the catalog and the tables the checks build on their first use and then keep (the
/// ARN templates, the indexes of ARNs and of condition keys). Checking needs no call to this;
/// a caller about to check many documents on several threads can run it first on a core that
/// is otherwise idle, so the work is done meanwhile rather than by a worker while the others
/// wait for it.
pub fn prepare() {
    let catalog = crate::catalog::catalog();
    catalog.prepare();
    rules::support::arns::prepare(catalog);
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
    analyze_parsed_with(text, document, options, FixScope::All)
}

/// [`analyze`] with no fix built: the same findings, each with an empty `fixes`. For faces that
/// show many findings and the fixes of a few: they ask [`fixes_for`] when a person opens one.
pub fn analyze_without_fixes(text: &str, options: &AnalyzeOptions) -> Analysis {
    analyze_parsed_with(text, &syntax::parse(text), options, FixScope::None)
}

/// [`analyze_parsed`] building only the fixes `scope` asks for; the findings are the same.
pub fn analyze_parsed_with(
    text: &str,
    document: &syntax::Document,
    options: &AnalyzeOptions,
    scope: FixScope<'_>,
) -> Analysis {
    run(text, document, options, scope, |_| true)
}

/// The findings of `text` that `keys` name (see [`FindingKey::all`]), each with its fixes built
/// by the same code and so exactly as [`analyze`] gives them; one answer per key, None when
/// the text has no such finding (it changed since the key was taken). Only the rules of the
/// keys' codes run, so this costs a parse and those rules, whatever the size of the rest.
pub fn fixes_for(
    text: &str,
    options: &AnalyzeOptions,
    keys: &[FindingKey],
) -> Vec<Option<Diagnostic>> {
    findings_with_fixes(text, &syntax::parse(text), options, keys)
}

/// [`fixes_for`] on a document already parsed from `text`.
pub fn findings_with_fixes(
    text: &str,
    document: &syntax::Document,
    options: &AnalyzeOptions,
    keys: &[FindingKey],
) -> Vec<Option<Diagnostic>> {
    if keys.is_empty() {
        return Vec::new();
    }
    let analysis = run(text, document, options, FixScope::Only(keys), |code| {
        keys.iter().any(|k| k.code == code)
    });
    let found = FindingKey::all(&analysis.diagnostics);
    let at: std::collections::HashMap<&FindingKey, usize> =
        found.iter().enumerate().map(|(i, k)| (k, i)).collect();
    keys.iter()
        .map(|key| at.get(key).map(|&i| analysis.diagnostics[i].clone()))
        .collect()
}

/// Run the rules whose code `run_rule` accepts, building the fixes `scope` asks for.
fn run(
    text: &str,
    document: &syntax::Document,
    options: &AnalyzeOptions,
    scope: FixScope<'_>,
    run_rule: impl Fn(&str) -> bool,
) -> Analysis {
    let policy = Policy::from_root(document.root.as_ref());
    let policy_type = options.policy_type.resolve(&policy);
    let cx = Context::new(text, document, &policy, &policy_type);
    let mut diagnostics = Vec::new();
    run_rules(
        &cx,
        options,
        scope,
        |meta| run_rule(meta.code),
        &mut diagnostics,
    );
    sort_findings(&mut diagnostics);
    Analysis {
        policy_type,
        diagnostics,
    }
}

/// Run the rules whose code `run_rule` accepts and that `options` leaves on, in registry order,
/// adding their findings (with `options`' categories) to `out` in the order reported.
pub(crate) fn run_rules(
    cx: &Context<'_>,
    options: &AnalyzeOptions,
    scope: FixScope<'_>,
    run_rule: impl Fn(&rules::RuleMeta) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    // The options' codes are resolved to the registry's indexes (`RuleCodes`): one look-up a
    // rule rather than a comparison with every code written.
    for (index, rule) in rules::all().enumerate() {
        if !run_rule(&rule.meta) || options.disabled_rules.contains_rule(index) {
            continue;
        }
        let mut sink = Sink::with_scope(&rule.meta, scope);
        (rule.check)(cx, &mut sink);
        let mut found = sink.into_diagnostics();
        if let Some(category) = options.category_overrides.for_rule(index) {
            for d in &mut found {
                d.category = category;
            }
        }
        out.extend(found);
    }
}

/// The order of [`Analysis::diagnostics`]: by position, then code; a stable sort, so the
/// findings of one rule at one place stay in the order the rule reported them.
pub(crate) fn sort_findings(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
}

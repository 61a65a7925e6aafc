//! The `iamlint.toml` model: disabled rules, category overrides, path globs mapped to policy
//! types. Core owns the model, its parser and the rule that finds the file that applies
//! ([`discover`]); the CLI and the language server only read files for it.
//!
//! ```toml
//! [rules]
//! disable = ["MISSING_VERSION"]
//!
//! [rules.categories]
//! PASS_ROLE_WITH_STAR_IN_RESOURCE = "error"
//!
//! [[policy-types]]          # first match wins
//! glob = "trust/*.json"
//! type = "trust"
//!
//! [audit]                   # `iamlint audit` thresholds (crate::audit::AuditSettings)
//! access-key-max-age-days = 90
//! disable = ["ROLE_UNUSED"]
//!
//! [[activity]]              # CloudTrail activity of the policies' principal (see `activity`)
//! glob = "roles/app/*.json"
//! principal = "arn:aws:iam::111122223333:role/app"
//! cloudtrail = ["logs/"]
//! ```
//!
//! Every problem (a TOML syntax error, an unknown key, an unknown rule code, a bad category or
//! policy type, a bad glob) is reported with the byte span of the offending text, all at once.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::analysis::{AnalyzeOptions, CategoryOverrides, RuleCodes};
use crate::audit::AuditSettings;
use crate::diagnostic::Category;
use crate::line_index::{LineIndex, PositionEncoding};
use crate::policy::PolicyType;
use crate::rules;
use crate::span::Span;
use crate::suggest::did_you_mean;

/// Codes of findings made outside the rule registry that `[rules] disable` can switch off too:
/// the editor's unused grants from CloudTrail activity (always shown as hints, so they have no
/// category to change).
const DISABLE_ALSO: &[&str] = &[crate::activity::unused::UNUSED_GRANT];

mod activity;
mod discover;
mod glob;

pub use activity::ActivitySource;
pub use discover::{discover, parsed, BrokenConfig, Discovery, FileRead, Found};
pub use glob::Glob;

/// The conventional file name, looked up from a checked file's folder upwards.
pub const FILE_NAME: &str = "iamlint.toml";

/// A parsed `iamlint.toml`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Rule codes switched off, as the registry spells them.
    pub disabled_rules: RuleCodes,
    /// Rule codes whose category is changed.
    pub category_overrides: CategoryOverrides,
    /// Globs mapped to policy types, in file order; the first match wins.
    pub policy_types: Vec<PolicyTypeGlob>,
    /// The `[audit]` table: thresholds and switched-off rules of `iamlint audit`.
    pub audit: AuditSettings,
    /// `[[activity]]` entries, in file order; the first whose glob matches a policy file applies.
    pub activity: Vec<ActivitySource>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyTypeGlob {
    pub glob: Glob,
    pub policy_type: PolicyType,
}

/// A problem in `iamlint.toml`, at a byte span of its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub span: Span,
    pub message: String,
}

impl ConfigError {
    fn new(span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            span: Span::new(span.start, span.end),
            message: message.into(),
        }
    }

    /// 1-based line and column (in characters) of the start of the error in `text`.
    pub fn line_column(&self, text: &str) -> (u32, u32) {
        let lc = LineIndex::new(text).line_col(text, self.span.start, PositionEncoding::Chars);
        (lc.line + 1, lc.col + 1)
    }
}

impl Config {
    /// Parse the text of an `iamlint.toml`. On failure, every error found, sorted by position.
    pub fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
        let root = match DeTable::parse(text) {
            Ok(root) => root,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let span = clamp(text, span);
                return Err(vec![ConfigError::new(
                    span,
                    format!("TOML syntax: {}", e.message().trim()),
                )]);
            }
        };
        let mut parser = Parser::default();
        parser.root(root.get_ref());
        if parser.errors.is_empty() {
            let mut config = parser.config;
            config.disabled_rules = RuleCodes::new(parser.disabled);
            config.category_overrides = CategoryOverrides::new(parser.categories);
            Ok(config)
        } else {
            parser.errors.sort_by_key(|e| (e.span.start, e.span.end));
            Err(parser.errors)
        }
    }

    /// The policy type of the first `[[policy-types]]` glob that matches `path` (relative to the
    /// configuration file's folder, `/`-separated).
    pub fn policy_type_for(&self, path: &str) -> Option<&PolicyType> {
        self.policy_types
            .iter()
            .find(|p| p.glob.matches(path))
            .map(|p| &p.policy_type)
    }

    /// The first `[[activity]]` entry whose glob matches `path` (relative to the configuration
    /// file's folder, `/`-separated).
    pub fn activity_for(&self, path: &str) -> Option<&ActivitySource> {
        self.activity.iter().find(|a| a.glob.matches(path))
    }

    /// The options for analysing the file at `path` (relative to the configuration file's
    /// folder): this configuration's rules, and the policy type its globs give (else `Auto`).
    /// The rules' codes are shared, not copied: this runs for every file of a check.
    pub fn analyze_options(&self, path: &str) -> AnalyzeOptions {
        AnalyzeOptions {
            policy_type: self
                .policy_type_for(path)
                .cloned()
                .unwrap_or(PolicyType::Auto),
            disabled_rules: self.disabled_rules.clone(),
            category_overrides: self.category_overrides.clone(),
        }
    }
}

/// TOML error spans can point one past the end at end of input; keep them inside the text and on
/// character boundaries.
fn clamp(text: &str, span: Range<usize>) -> Range<usize> {
    let fix = |mut o: usize| {
        o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    let start = fix(span.start);
    start..fix(span.end).max(start)
}

#[derive(Default)]
struct Parser {
    config: Config,
    /// `[rules] disable` and `[rules.categories]` as read, for the config's resolved forms.
    disabled: Vec<String>,
    categories: Vec<(String, Category)>,
    errors: Vec<ConfigError>,
}

type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

impl Parser {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(ConfigError::new(span, message));
    }

    fn unknown_key(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        place: &str,
        known: &[&str],
    ) {
        let name: &str = key.get_ref();
        let hint = match did_you_mean(name, known.iter().copied()) {
            Some(s) => format!("; did you mean '{s}'?"),
            None => format!("; expected one of: {}", known.join(", ")),
        };
        self.error(key.span(), format!("unknown key '{name}' in {place}{hint}"));
    }

    fn root(&mut self, table: &DeTable<'_>) {
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "rules" => self.rules(value),
                "policy-types" => self.policy_types(value),
                "audit" => self.audit(value),
                "activity" => self.activity(value),
                _ => self.unknown_key(
                    key,
                    "iamlint.toml",
                    &["rules", "policy-types", "audit", "activity"],
                ),
            }
        }
    }

    fn expect_table<'a, 'i>(
        &mut self,
        value: &'a Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.error(
                    value.span(),
                    format!("{what} must be a table, not {}", type_name(other)),
                );
                None
            }
        }
    }

    fn rules(&mut self, value: &Spanned<DeValue<'_>>) {
        let Some(table) = self.expect_table(value, "[rules]") else {
            return;
        };
        let entries: Vec<Entry<'_, '_>> = table.iter().collect();
        for (key, value) in entries {
            match key.get_ref().as_ref() {
                "disable" => self.disable(value),
                "categories" => self.categories(value),
                _ => self.unknown_key(key, "[rules]", &["disable", "categories"]),
            }
        }
    }

    fn disable(&mut self, value: &Spanned<DeValue<'_>>) {
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                value.span(),
                "rules.disable must be an array of rule codes, e.g. [\"MISSING_VERSION\"]",
            );
            return;
        };
        for item in items {
            let Some(code) = item.get_ref().as_str() else {
                self.error(
                    item.span(),
                    format!(
                        "rules.disable items must be rule codes (strings), not {}",
                        type_name(item.get_ref())
                    ),
                );
                continue;
            };
            if let Some(code) = self.rule_code(code, item.span(), DISABLE_ALSO) {
                if !self.disabled.contains(&code) {
                    self.disabled.push(code);
                }
            }
        }
    }

    fn categories(&mut self, value: &Spanned<DeValue<'_>>) {
        let Some(table) = self.expect_table(value, "[rules.categories]") else {
            return;
        };
        for (key, value) in table.iter() {
            let code = self.rule_code(key.get_ref(), key.span(), &[]);
            let category = match value.get_ref().as_str().and_then(Category::parse) {
                Some(c) => Some(c),
                None => {
                    let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                    self.error(
                        value.span(),
                        format!("a category must be one of: {}", names.join(", ")),
                    );
                    None
                }
            };
            if let (Some(code), Some(category)) = (code, category) {
                self.categories.push((code, category));
            }
        }
    }

    /// The registry's spelling of a rule code, or an error with a suggestion.
    /// `also`: codes outside the registry that are accepted here.
    fn rule_code(
        &mut self,
        code: &str,
        span: Range<usize>,
        also: &[&'static str],
    ) -> Option<String> {
        let codes = || {
            rules::all()
                .map(|r| r.meta.code)
                .chain(also.iter().copied())
        };
        if let Some(known) = codes().find(|c| c.eq_ignore_ascii_case(code)) {
            return Some(known.to_string());
        }
        let hint = match did_you_mean(code, codes()) {
            Some(s) => format!("; did you mean '{s}'?"),
            None => "; see docs/rules.md for the list".to_string(),
        };
        self.error(span, format!("unknown rule code '{code}'{hint}"));
        None
    }

    fn audit(&mut self, value: &Spanned<DeValue<'_>>) {
        let Some(table) = self.expect_table(value, "[audit]") else {
            return;
        };
        let entries: Vec<Entry<'_, '_>> = table.iter().collect();
        for (key, value) in entries {
            let name: &str = key.get_ref();
            if name == "disable" {
                self.audit_disable(value);
                continue;
            }
            if self.config.audit.threshold_mut(name).is_none() {
                let mut known = AuditSettings::NAMES.to_vec();
                known.push("disable");
                self.unknown_key(key, "[audit]", &known);
                continue;
            }
            let number = match value.get_ref() {
                DeValue::Integer(i) => i.as_str().parse::<i64>().ok().filter(|n| *n >= 0),
                _ => None,
            };
            match (number, self.config.audit.threshold_mut(name)) {
                (Some(n), Some(slot)) => *slot = n,
                _ => self.error(
                    value.span(),
                    format!("audit.{name} must be a whole number of 0 or more"),
                ),
            }
        }
    }

    /// `[audit] disable`: audit rule codes, or policy rule codes (for the checks of the
    /// authorization details' documents).
    fn audit_disable(&mut self, value: &Spanned<DeValue<'_>>) {
        let DeValue::Array(items) = value.get_ref() else {
            self.error(value.span(), "audit.disable must be an array of rule codes");
            return;
        };
        for item in items {
            let Some(code) = item.get_ref().as_str() else {
                self.error(
                    item.span(),
                    "audit.disable items must be rule codes (strings)",
                );
                continue;
            };
            let known = crate::audit::rules::by_code(code)
                .map(|r| r.meta.code)
                .or_else(|| {
                    rules::all()
                        .map(|r| r.meta.code)
                        .find(|c| c.eq_ignore_ascii_case(code))
                });
            match known {
                Some(c) => self.config.audit.disabled.push(c.to_string()),
                None => {
                    let codes = crate::audit::rules::all()
                        .map(|r| r.meta.code)
                        .chain(rules::all().map(|r| r.meta.code));
                    let hint = match did_you_mean(code, codes) {
                        Some(s) => format!("; did you mean '{s}'?"),
                        None => "; see docs/audit-rules.md and docs/rules.md".to_string(),
                    };
                    self.error(item.span(), format!("unknown rule code '{code}'{hint}"));
                }
            }
        }
    }

    fn policy_types(&mut self, value: &Spanned<DeValue<'_>>) {
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                value.span(),
                "policy-types must be an array of tables: [[policy-types]] glob = \"...\" type = \"...\"",
            );
            return;
        };
        for item in items {
            let Some(table) = self.expect_table(item, "each [[policy-types]] entry") else {
                continue;
            };
            self.policy_type_entry(item.span(), table);
        }
    }

    fn policy_type_entry(&mut self, span: Range<usize>, table: &DeTable<'_>) {
        let mut glob = None;
        let mut policy_type = None;
        let mut seen_glob = false;
        let mut seen_type = false;
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "glob" => {
                    seen_glob = true;
                    match value.get_ref().as_str().map(Glob::new) {
                        Some(Ok(g)) => glob = Some(g),
                        Some(Err(e)) => self.error(value.span(), e),
                        None => self.error(value.span(), "glob must be a string"),
                    }
                }
                "type" => {
                    seen_type = true;
                    match value.get_ref().as_str().and_then(PolicyType::parse) {
                        Some(t) => policy_type = Some(t),
                        None => self.error(
                            value.span(),
                            format!(
                                "type must be one of: {} (or resource:<ResourceType>)",
                                PolicyType::NAMES.join(", ")
                            ),
                        ),
                    }
                }
                _ => self.unknown_key(key, "[[policy-types]]", &["glob", "type"]),
            }
        }
        if !seen_glob {
            self.error(span.clone(), "this [[policy-types]] entry has no glob");
        }
        if !seen_type {
            self.error(span, "this [[policy-types]] entry has no type");
        }
        if let (Some(glob), Some(policy_type)) = (glob, policy_type) {
            self.config
                .policy_types
                .push(PolicyTypeGlob { glob, policy_type });
        }
    }
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests;

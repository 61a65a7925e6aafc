//! The playground's API as plain Rust: options in, serialisable answers out, every position a
//! UTF-16 code-unit offset (what JavaScript strings and CodeMirror count). `lib.rs` only moves
//! these values across the wasm-bindgen boundary, so everything here is testable natively.
//!
//! The shapes are mirrored by the TypeScript declarations in `types.rs`; keep the two in step.

use iamlint_core::catalog;
use iamlint_core::rules;
use iamlint_core::{analyze, AnalyzeOptions, Category, Diagnostic, LineIndex, PolicyType, Span};
use serde::{Deserialize, Serialize};

/// A result or an error, tagged with `type` so TypeScript can narrow it.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Outcome<T> {
    Ok { value: T },
    Error { message: String },
}

impl<T> From<Result<T, String>> for Outcome<T> {
    fn from(r: Result<T, String>) -> Self {
        match r {
            Ok(value) => Outcome::Ok { value },
            Err(message) => Outcome::Error { message },
        }
    }
}

/// How to analyse; every field is optional on the JavaScript side.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Options {
    /// A policy type name as the CLI takes it ("auto", "identity", "resource:AWS::S3::Bucket", ...).
    pub policy_type: Option<String>,
    /// Rule codes to switch off.
    pub disabled_rules: Vec<String>,
}

impl Options {
    pub fn to_core(&self) -> Result<AnalyzeOptions, String> {
        let policy_type = match &self.policy_type {
            None => PolicyType::Auto,
            Some(name) => PolicyType::parse(name).ok_or_else(|| {
                format!(
                    "unknown policy type '{name}'; expected one of: {}",
                    PolicyType::NAMES.join(", ")
                )
            })?,
        };
        Ok(AnalyzeOptions {
            policy_type,
            disabled_rules: self.disabled_rules.clone(),
            ..AnalyzeOptions::default()
        })
    }
}

/// A half-open range in UTF-16 code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FixOut {
    pub title: String,
    pub safety: iamlint_core::Safety,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelatedOut {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: String,
    pub category: Category,
    pub message: String,
    pub start: usize,
    pub end: usize,
    pub related: Vec<RelatedOut>,
    pub fixes: Vec<FixOut>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// The policy type used, by name (resolved when "auto" was asked for).
    pub policy_type: String,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogInfo {
    pub iamlint_version: String,
    pub source_package: String,
    pub source_version: String,
    pub data_date: String,
    pub service_count: usize,
    pub action_count: usize,
    pub resource_type_count: usize,
    pub condition_key_count: usize,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleDoc {
    pub code: String,
    pub category: Category,
    pub summary: String,
    pub explanation: String,
}

/// Converts core byte spans to UTF-16 offsets (and back) for one text, through the core's
/// `LineIndex`, the only place positions are computed.
pub struct Positions<'t> {
    text: &'t str,
    index: LineIndex,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str) -> Self {
        Positions {
            text,
            index: LineIndex::new(text),
        }
    }

    pub fn to_utf16(&self, byte: usize) -> usize {
        self.index.utf16_offset(self.text, byte)
    }

    pub fn range(&self, span: Span) -> Range {
        Range {
            start: self.to_utf16(span.start),
            end: self.to_utf16(span.end),
        }
    }

    pub fn to_byte(&self, utf16: usize) -> usize {
        self.index.offset_from_utf16(self.text, utf16)
    }

    pub fn edit(&self, e: &iamlint_core::TextEdit) -> Edit {
        let r = self.range(e.span);
        Edit {
            start: r.start,
            end: r.end,
            text: e.text.clone(),
        }
    }

    pub fn finding(&self, d: &Diagnostic) -> Finding {
        let r = self.range(d.span);
        Finding {
            code: d.code.to_string(),
            category: d.category,
            message: d.message.clone(),
            start: r.start,
            end: r.end,
            related: d
                .related
                .iter()
                .map(|rel| {
                    let r = self.range(rel.span);
                    RelatedOut {
                        start: r.start,
                        end: r.end,
                        message: rel.message.clone(),
                    }
                })
                .collect(),
            fixes: d
                .fixes
                .iter()
                .map(|f| FixOut {
                    title: f.title.clone(),
                    safety: f.safety,
                    edits: f.edits.iter().map(|e| self.edit(e)).collect(),
                })
                .collect(),
        }
    }
}

/// Analyse `text`: findings with their fixes, positions in UTF-16.
pub fn check(text: &str, options: &Options) -> Result<CheckResult, String> {
    let core_options = options.to_core()?;
    let analysis = analyze(text, &core_options);
    let positions = Positions::new(text);
    Ok(CheckResult {
        policy_type: analysis.policy_type.name(),
        findings: analysis
            .diagnostics
            .iter()
            .map(|d| positions.finding(d))
            .collect(),
    })
}

/// The version and size of the embedded AWS catalog, and iamlint's own version.
pub fn catalog_info() -> CatalogInfo {
    let c = catalog::catalog();
    CatalogInfo {
        iamlint_version: env!("CARGO_PKG_VERSION").to_string(),
        source_package: c.source_package().to_string(),
        source_version: c.source_version().to_string(),
        data_date: c.data_date().to_string(),
        service_count: c.service_count(),
        action_count: c.action_count(),
        resource_type_count: c.resource_type_count(),
        condition_key_count: c.condition_key_count(),
    }
}

/// Every rule's code, category and documentation, for the findings panel's explanations.
pub fn rule_docs() -> Vec<RuleDoc> {
    rules::all()
        .map(|r| RuleDoc {
            code: r.meta.code.to_string(),
            category: r.meta.category,
            summary: r.meta.summary.to_string(),
            explanation: r.meta.explanation.to_string(),
        })
        .collect()
}

/// The policy type names the selector offers.
pub fn policy_types() -> Vec<String> {
    PolicyType::NAMES.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests;

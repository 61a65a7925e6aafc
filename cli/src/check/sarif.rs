//! `--format sarif`: SARIF 2.1.0 with every rule's metadata (help links into docs/rules.md),
//! regions in 1-based lines and Unicode code-point columns, fixes as artifact changes, and files
//! that could not be read as tool execution notifications.

use std::io::Write;

use iamlint_core::rules::{self, reference};
use iamlint_core::{Category, Span};
use serde_json::{json, Value};

use super::positions::Positions;
use super::{Checked, Failure};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(category: Category) -> &'static str {
    match category {
        Category::Error | Category::Security => "error",
        Category::Warning => "warning",
        Category::Suggestion => "note",
    }
}

fn rule_descriptors() -> Vec<Value> {
    rules::all()
        .map(|rule| {
            let m = &rule.meta;
            let mut tags = vec![m.category.as_str()];
            if m.category == Category::Security {
                tags.push("security");
                tags.dedup();
            }
            json!({
                "id": m.code,
                "name": m.code,
                "shortDescription": { "text": m.summary.trim() },
                "fullDescription": { "text": m.explanation.trim() },
                "help": {
                    "text": format!("{} See {}", m.explanation.trim(), reference::url(m.code)),
                    "markdown": format!("{}\n\n[Rule reference]({})", m.explanation.trim(), reference::url(m.code)),
                },
                "helpUri": reference::url(m.code),
                "defaultConfiguration": { "level": level(m.category) },
                "properties": { "category": m.category.as_str(), "tags": tags },
            })
        })
        .collect()
}

fn region(positions: &mut Positions<'_>, span: Span) -> Value {
    let range = positions.range(span);
    let char_start = positions.char_offset(span.start);
    let char_end = positions.char_offset(span.end);
    json!({
        "startLine": range.start.line,
        "startColumn": range.start.column,
        "endLine": range.end.line,
        "endColumn": range.end.column,
        "charOffset": char_start,
        "charLength": char_end.saturating_sub(char_start),
    })
}

/// SARIF URIs are URI references: keep the path relative, with `/` and percent-escapes.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn write(
    out: &mut impl Write,
    checked: &[Checked],
    failures: &[Failure],
) -> std::io::Result<()> {
    let rules: Vec<&str> = rules::all().map(|r| r.meta.code).collect();
    let mut results = Vec::new();
    for file in checked {
        let mut positions = Positions::new(&file.text);
        let location = uri(&file.path);
        for (i, d) in file.analysis.diagnostics.iter().enumerate() {
            let policy = file.policy_of(i);
            let physical = |positions: &mut Positions<'_>, span| {
                json!({
                    "physicalLocation": {
                        "artifactLocation": { "uri": location },
                        "region": region(positions, span),
                    }
                })
            };
            let mut primary = physical(&mut positions, d.span);
            let policy_type = match policy {
                Some(p) => p.policy_type.name(),
                None => file.file_policy_type(),
            };
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.category),
                "message": { "text": d.message },
                "properties": {
                    "category": d.category.as_str(),
                    "policyType": policy_type,
                },
            });
            // In a Terraform or CloudFormation file, the policy is a logical location.
            if let Some(p) = policy {
                primary["logicalLocations"] =
                    json!([{ "fullyQualifiedName": p.name, "kind": "resource" }]);
                result["properties"]["policy"] = json!(p.name);
            }
            result["locations"] = json!([primary]);
            if let Some(i) = rules.iter().position(|c| *c == d.code) {
                result["ruleIndex"] = json!(i);
            }
            if !d.related.is_empty() {
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, r)| {
                        let mut loc = physical(&mut positions, r.span);
                        loc["id"] = json!(id);
                        loc["message"] = json!({ "text": r.message });
                        loc
                    })
                    .collect();
                result["relatedLocations"] = Value::Array(related);
            }
            if !d.fixes.is_empty() {
                let fixes: Vec<Value> = d
                    .fixes
                    .iter()
                    .map(|f| {
                        let replacements: Vec<Value> = f
                            .edits
                            .iter()
                            .map(|e| {
                                json!({
                                    "deletedRegion": region(&mut positions, e.span),
                                    "insertedContent": { "text": e.text },
                                })
                            })
                            .collect();
                        json!({
                            "description": { "text": format!("{} ({})", f.title, safety(f.safety)) },
                            "artifactChanges": [{
                                "artifactLocation": { "uri": location },
                                "replacements": replacements,
                            }],
                        })
                    })
                    .collect();
                result["fixes"] = Value::Array(fixes);
            }
            results.push(result);
        }
    }
    let notifications: Vec<Value> = failures
        .iter()
        .map(|f| {
            json!({
                "level": "error",
                "message": { "text": format!("{}: {}", f.path, f.error) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&f.path) } } }],
            })
        })
        .collect();
    let c = iamlint_core::catalog::catalog();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "iamlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rule_descriptors(),
                    "properties": {
                        "catalog": {
                            "package": c.source_package(),
                            "version": c.source_version(),
                            "date": c.data_date(),
                        }
                    }
                }
            },
            "invocations": [{
                "executionSuccessful": failures.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &log).map_err(std::io::Error::other)?;
    writeln!(out)
}

fn safety(s: iamlint_core::Safety) -> &'static str {
    match s {
        iamlint_core::Safety::Safe => "safe",
        iamlint_core::Safety::Review => "review",
    }
}

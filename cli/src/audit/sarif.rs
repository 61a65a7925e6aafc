//! `iamlint audit --format sarif`: SARIF 2.1.0. Each finding is a result located in the input
//! file it came from, with the principal or policy as a logical location; the audit rules and
//! the policy rules that fired are the rule table.

use std::io::Write;

use iamlint_core::audit::{self, rules as audit_rules, Finding, InputKind};
use iamlint_core::rules;
use iamlint_core::Category;
use serde_json::{json, Value};

use super::Report;

fn level(category: Category) -> &'static str {
    match category {
        Category::Error | Category::Security => "error",
        Category::Warning => "warning",
        Category::Suggestion => "note",
    }
}

/// The file a finding's code reads: the audit rule's input, the authorization details for the
/// policy rules, the file named in an input error.
fn input_of(f: &Finding) -> Option<InputKind> {
    if let Some(r) = audit_rules::by_code(f.code) {
        return Some(r.meta.input);
    }
    if f.code == audit::INPUT_ERROR_CODE {
        return InputKind::ALL.into_iter().find(|k| f.subject == k.as_str());
    }
    Some(InputKind::AuthorizationDetails)
}

fn descriptor(code: &str) -> Value {
    let (summary, explanation, category) = if let Some(r) = audit_rules::by_code(code) {
        (r.meta.summary, r.meta.explanation, r.meta.category)
    } else if let Some(r) = rules::by_code(code) {
        (r.meta.summary, r.meta.explanation, r.meta.category)
    } else {
        (
            "An input file or one of its rows cannot be read.",
            "",
            Category::Error,
        )
    };
    json!({
        "id": code,
        "name": code,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": if explanation.is_empty() { summary } else { explanation }},
        "defaultConfiguration": {"level": level(category)},
    })
}

pub fn write(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let mut codes: Vec<&str> = Vec::new();
    for f in &report.findings {
        if !codes.contains(&f.code) {
            codes.push(f.code);
        }
    }
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let path = input_of(f)
                .and_then(|k| report.given.iter().find(|g| g.kind == k))
                .map(|g| g.path.replace('\\', "/"))
                .unwrap_or_else(|| f.subject.clone());
            let mut text = f.message.clone();
            if let Some(c) = &f.command {
                text.push_str(&format!(" Fix: {c}"));
            }
            json!({
                "ruleId": f.code,
                "ruleIndex": codes.iter().position(|c| *c == f.code),
                "level": level(f.category),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": path}},
                    "logicalLocations": [{"name": f.subject, "fullyQualifiedName": if f.arn.is_empty() { f.subject.clone() } else { f.arn.clone() }}],
                }],
                "properties": {"category": f.category.as_str(), "benchmarks": f.benchmarks},
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "iamlint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": codes.iter().map(|c| descriptor(c)).collect::<Vec<_>>(),
            }},
            "results": results,
            "properties": {"generated": audit::format_time(report.now)},
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

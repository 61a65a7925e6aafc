//! `iamlint audit --format json`: `{"version": 1, "generated", "findings": [...]}` (see
//! docs/audit.md), with the time the audit counted from and the inputs it read. Findings are
//! written one at a time: a report of 100,000 users gives some 200,000 findings, and a whole
//! JSON tree of them would more than double the memory the findings take.

use std::io::Write;

use iamlint_core::audit::format_time;
use serde_json::json;

use super::Report;

pub fn write(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let counts: serde_json::Map<String, serde_json::Value> = report
        .counts()
        .into_iter()
        .map(|(c, n)| (c.as_str().to_string(), json!(n)))
        .collect();
    let inputs: Vec<_> = report
        .given
        .iter()
        .map(|g| json!({"kind": g.kind.as_str(), "path": g.path}))
        .collect();
    let field = |value: serde_json::Value| serde_json::to_string(&value).unwrap_or_default();
    writeln!(out, "{{")?;
    writeln!(out, "  \"version\": 1,")?;
    writeln!(
        out,
        "  \"generated\": {},",
        field(json!(format_time(report.now)))
    )?;
    writeln!(
        out,
        "  \"now_source\": {},",
        field(json!(report.now_source.as_str()))
    )?;
    writeln!(out, "  \"inputs\": {},", field(json!(inputs)))?;
    writeln!(out, "  \"summary\": {},", field(json!(counts)))?;
    write!(out, "  \"findings\": [")?;
    for (i, f) in report.findings.iter().enumerate() {
        let mut v = json!({
            "code": f.code,
            "category": f.category.as_str(),
            "subject": f.subject,
            "arn": f.arn,
            "message": f.message,
            "benchmarks": f.benchmarks,
        });
        if let Some(c) = &f.command {
            v["command"] = json!(c);
        }
        write!(out, "{}\n    {}", if i == 0 { "" } else { "," }, field(v))?;
    }
    if !report.findings.is_empty() {
        write!(out, "\n  ")?;
    }
    writeln!(out, "]\n}}")
}

//! `iamlint audit --format json`: `{"version": 1, "generated", "findings": [...]}` (see
//! docs/audit.md), with the time the audit counted from and the inputs it read.

use std::io::Write;

use iamlint_core::audit::format_time;
use serde_json::json;

use super::Report;

pub fn write(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let findings: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
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
            v
        })
        .collect();
    let counts: serde_json::Map<String, serde_json::Value> = report
        .counts()
        .into_iter()
        .map(|(c, n)| (c.as_str().to_string(), json!(n)))
        .collect();
    let value = json!({
        "version": 1,
        "generated": format_time(report.now),
        "now_source": report.now_source.as_str(),
        "inputs": report.given.iter().map(|g| json!({"kind": g.kind.as_str(), "path": g.path})).collect::<Vec<_>>(),
        "summary": counts,
        "findings": findings,
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}

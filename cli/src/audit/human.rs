//! `iamlint audit` for people: one block per finding (category, code, subject, message, the
//! command, the benchmarks), then a summary line.

use std::io::Write;

use iamlint_core::audit::format_time;
use iamlint_core::Category;

use super::Report;

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub fn write(out: &mut impl Write, report: &Report, color: bool) -> std::io::Result<()> {
    for f in &report.findings {
        let tint = match f.category {
            Category::Error | Category::Security => "1;31",
            Category::Warning => "1;33",
            Category::Suggestion => "1;36",
        };
        writeln!(
            out,
            "{} {} {}: {}",
            paint(color, tint, f.category.as_str()),
            paint(color, "1", f.code),
            f.subject,
            f.message
        )?;
        if let Some(c) = &f.command {
            writeln!(out, "    fix: {c}")?;
        }
        if !f.benchmarks.is_empty() {
            writeln!(out, "    benchmarks: {}", f.benchmarks.join(", "))?;
        }
    }
    let counts: Vec<String> = report
        .counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| format!("{n} {}", c.as_str()))
        .collect();
    let inputs: Vec<&str> = report.given.iter().map(|g| g.kind.as_str()).collect();
    writeln!(
        out,
        "{} finding{} ({}) from {} as of {}",
        report.findings.len(),
        if report.findings.len() == 1 { "" } else { "s" },
        if counts.is_empty() {
            "none".to_string()
        } else {
            counts.join(", ")
        },
        inputs.join(", "),
        format_time(report.now)
    )
}

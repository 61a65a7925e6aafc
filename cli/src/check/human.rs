//! `--format human`: each finding as a code frame with its span underlined (annotate-snippets),
//! its related locations and fixes, then one summary line. Colour only on a terminal, and never
//! when NO_COLOR is set.

use std::io::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use iamlint_core::host::Format as HostFormat;
use iamlint_core::{Category, Diagnostic, LineIndex, PositionEncoding, Safety, Span};

use super::json::Summary;
use super::Checked;

/// One file's findings as code frames, each followed by a blank line, appended to `out`.
pub fn render_file(file: &Checked, color: bool, mut out: Vec<u8>) -> Vec<u8> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // A file named on the command line that holds nothing to check says so, rather than look
    // like a clean policy (a directory's package.json and docker-compose.yaml pass silently).
    if let Some(host) = file
        .host
        .as_ref()
        .filter(|h| file.named && h.policies.is_empty())
    {
        let why = match host.format {
            HostFormat::Other => {
                "it is neither an IAM policy (no top-level Statement or Version) nor a \
                 CloudFormation template; --policy-type TYPE checks it as a policy"
            }
            _ => "no policy found in it",
        };
        if file.analysis.diagnostics.is_empty() {
            let _ = writeln!(out, "note: {}: nothing checked: {why}\n", file.path);
        }
    }
    let index = LineIndex::new(&file.text);
    for (i, d) in file.analysis.diagnostics.iter().enumerate() {
        let mut report = report(&file.path, &file.text, &index, d);
        // In a Terraform or CloudFormation file, say which policy the finding is in.
        if let Some(p) = file.policy_of(i) {
            if let Some(group) = report.pop() {
                let note = format!("in {} ({} policy)", p.name, p.policy_type.name());
                report.push(group.element(Level::NOTE.message(note)));
            }
        }
        // Writing to a Vec cannot fail.
        let _ = writeln!(out, "{}\n", renderer.render(&report));
    }
    out
}

/// The closing summary line.
pub fn write_summary(
    out: &mut impl Write,
    summary: &Summary,
    failed: usize,
) -> std::io::Result<()> {
    writeln!(out, "{}", summary_line(summary, failed))
}

fn level(category: Category) -> Level<'static> {
    match category {
        Category::Error => Level::ERROR,
        Category::Security => Level::ERROR.with_name("security"),
        Category::Warning => Level::WARNING,
        Category::Suggestion => Level::HELP.with_name("suggestion"),
    }
}

/// The lines a span covers, as (byte offset of the first line, text of those lines, 1-based
/// number of the first line). Frames show only these lines so that large policies render fast.
fn window<'t>(text: &'t str, index: &LineIndex, span: Span) -> (usize, &'t str, usize) {
    let first = index
        .line_col(text, span.start, PositionEncoding::Utf8)
        .line;
    let mut last = index.line_col(text, span.end, PositionEncoding::Utf8).line;
    // A span that ends right after a line break ends on the line before.
    if last > first
        && index
            .line_start(last)
            .is_some_and(|s| s == span.end.min(text.len()))
    {
        last -= 1;
    }
    let start = index.line_start(first).unwrap_or(0);
    let end = index.line_start(last + 1).unwrap_or(text.len());
    (
        start,
        text.get(start..end).unwrap_or(""),
        first as usize + 1,
    )
}

fn report<'a>(
    path: &'a str,
    text: &'a str,
    index: &LineIndex,
    d: &'a Diagnostic,
) -> Vec<Group<'a>> {
    let (offset, lines, line_start) = window(text, index, d.span);
    let relative = |span: Span| {
        let start = span.start.saturating_sub(offset).min(lines.len());
        start..span.end.saturating_sub(offset).clamp(start, lines.len())
    };
    let mut main = Snippet::source(lines)
        .line_start(line_start)
        .path(path)
        .fold(true)
        .annotation(AnnotationKind::Primary.span(relative(d.span)));
    // Related places on the frame's lines are labelled in the same frame; others get their own.
    let mut elsewhere = Vec::new();
    for r in &d.related {
        if r.span.start >= offset && r.span.end <= offset + lines.len() {
            main = main.annotation(
                AnnotationKind::Context
                    .span(relative(r.span))
                    .label(r.message.as_str()),
            );
        } else {
            let (o, l, first) = window(text, index, r.span);
            let start = r.span.start.saturating_sub(o).min(l.len());
            let end = r.span.end.saturating_sub(o).clamp(start, l.len());
            elsewhere.push(
                Snippet::source(l)
                    .line_start(first)
                    .path(path)
                    .fold(true)
                    .annotation(
                        AnnotationKind::Context
                            .span(start..end)
                            .label(r.message.as_str()),
                    ),
            );
        }
    }
    let mut group = level(d.category)
        .primary_title(d.message.as_str())
        .id(d.code)
        .element(main);
    for snippet in elsewhere {
        group = group.element(snippet);
    }
    for fix in &d.fixes {
        let safety = match fix.safety {
            Safety::Safe => "safe fix",
            Safety::Review => "fix to review",
        };
        group = group.element(Level::HELP.message(format!("{safety}: {}", fix.title)));
    }
    vec![group]
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn summary_line(s: &Summary, failed: usize) -> String {
    let files = plural(s.files, "file", "files");
    let findings = s.error + s.security + s.warning + s.suggestion;
    let mut line = if findings == 0 {
        format!("{files} checked: no findings")
    } else {
        format!(
            "{files} checked: {}, {}, {}, {}",
            plural(s.error, "error", "errors"),
            plural(s.security, "security finding", "security findings"),
            plural(s.warning, "warning", "warnings"),
            plural(s.suggestion, "suggestion", "suggestions"),
        )
    };
    if failed > 0 {
        line.push_str(&format!(
            "; {} could not be read",
            plural(failed, "file", "files")
        ));
    }
    line
}

//! `--format json`: the stable contract documented in docs/cli-json.md. Field names and meanings
//! only ever grow; a breaking change bumps `version`.

use std::io::Write;

use iamlint_core::{catalog, Diagnostic, Span};
use serde::Serialize;

use super::positions::{Positions, Range};
use super::{Checked, Failure, HostPolicy};

/// The contract's version; bump it only for a breaking change.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    catalog: CatalogInfo<'a>,
    files: Vec<File<'a>>,
    failures: Vec<FailureOut<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct CatalogInfo<'a> {
    package: &'a str,
    version: &'a str,
    date: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct File<'a> {
    path: &'a str,
    policy_type: String,
    /// Only for host files (Terraform, CloudFormation), so a plain policy's output is unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policies: Option<Vec<PolicyOut<'a>>>,
    diagnostics: Vec<DiagnosticOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PolicyOut<'a> {
    name: &'a str,
    policy_type: String,
    span: Span,
    range: Range,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiagnosticOut<'a> {
    code: &'a str,
    category: &'a str,
    message: &'a str,
    /// The policy of a host file the finding is in (absent for plain policies and host syntax
    /// errors), and the type it was checked as.
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy_type: Option<String>,
    span: Span,
    range: Range,
    fixes: Vec<FixOut<'a>>,
    related: Vec<RelatedOut<'a>>,
}

#[derive(Serialize)]
struct FixOut<'a> {
    title: &'a str,
    safety: iamlint_core::Safety,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    span: Span,
    range: Range,
    text: &'a str,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    span: Span,
    range: Range,
    message: &'a str,
}

#[derive(Serialize)]
struct FailureOut<'a> {
    path: &'a str,
    error: &'a str,
}

#[derive(Serialize, Default, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub error: usize,
    pub security: usize,
    pub warning: usize,
    pub suggestion: usize,
}

impl Summary {
    /// The counts of one file's findings (`files` is 1).
    pub fn of_file(analysis: &iamlint_core::Analysis) -> Summary {
        let mut s = Summary {
            files: 1,
            ..Summary::default()
        };
        for d in &analysis.diagnostics {
            match d.category {
                iamlint_core::Category::Error => s.error += 1,
                iamlint_core::Category::Security => s.security += 1,
                iamlint_core::Category::Warning => s.warning += 1,
                iamlint_core::Category::Suggestion => s.suggestion += 1,
            }
        }
        s
    }

    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.error += other.error;
        self.security += other.security;
        self.warning += other.warning;
        self.suggestion += other.suggestion;
    }

    pub fn count(&self, category: iamlint_core::Category) -> usize {
        match category {
            iamlint_core::Category::Error => self.error,
            iamlint_core::Category::Security => self.security,
            iamlint_core::Category::Warning => self.warning,
            iamlint_core::Category::Suggestion => self.suggestion,
        }
    }
}

fn diagnostic<'a>(
    d: &'a Diagnostic,
    policy: Option<&'a HostPolicy>,
    positions: &Positions<'_>,
) -> DiagnosticOut<'a> {
    DiagnosticOut {
        code: d.code,
        category: d.category.as_str(),
        message: &d.message,
        policy: policy.map(|p| p.name.as_str()),
        policy_type: policy.map(|p| p.policy_type.name()),
        span: d.span,
        range: positions.range(d.span),
        fixes: d
            .fixes
            .iter()
            .map(|f| FixOut {
                title: &f.title,
                safety: f.safety,
                edits: f
                    .edits
                    .iter()
                    .map(|e| EditOut {
                        span: e.span,
                        range: positions.range(e.span),
                        text: &e.text,
                    })
                    .collect(),
            })
            .collect(),
        related: d
            .related
            .iter()
            .map(|r| RelatedOut {
                span: r.span,
                range: positions.range(r.span),
                message: &r.message,
            })
            .collect(),
    }
}

fn file_out(file: &Checked) -> File<'_> {
    let positions = Positions::new(&file.text);
    File {
        path: &file.path,
        policy_type: file.file_policy_type(),
        format: file.host.as_ref().map(|h| h.format.as_str()),
        policies: file.host.as_ref().map(|h| {
            h.policies
                .iter()
                .map(|p| PolicyOut {
                    name: &p.name,
                    policy_type: p.policy_type.name(),
                    span: p.span,
                    range: positions.range(p.span),
                })
                .collect()
        }),
        diagnostics: file
            .analysis
            .diagnostics
            .iter()
            .enumerate()
            .map(|(i, d)| diagnostic(d, file.policy_of(i), &positions))
            .collect(),
    }
}

/// One file's entry of the `files` array, pretty-printed and indented exactly as
/// `serde_json::to_writer_pretty` prints it inside the whole output (two levels deep), so that
/// files can be rendered in parallel and joined. Appended to `out`.
pub fn render_file(file: &Checked, mut out: Vec<u8>) -> Vec<u8> {
    out.extend_from_slice(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, NestedPretty::new(2));
    // Writing to a Vec cannot fail, and every field serialises.
    let _ = file_out(file).serialize(&mut serializer);
    out
}

/// serde_json's `PrettyFormatter` (two spaces a level), starting at a given depth.
struct NestedPretty {
    depth: usize,
    has_value: bool,
}

impl NestedPretty {
    fn new(depth: usize) -> NestedPretty {
        NestedPretty {
            depth,
            has_value: false,
        }
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn next_line<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for NestedPretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next_line(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next_line(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The whole output with an empty file list, pretty-printed; the files are written between the
/// `[` and `]` serde_json printed for that list, so that they can be rendered in parallel and
/// streamed, and the bytes are the same as printing the whole structure at once.
fn skeleton(summary: &Summary, failures: &[Failure]) -> std::io::Result<(String, usize)> {
    let c = catalog::catalog();
    let output = Output {
        version: VERSION,
        tool: Tool {
            name: "iamlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        catalog: CatalogInfo {
            package: c.source_package(),
            version: c.source_version(),
            date: c.data_date(),
        },
        files: Vec::new(),
        failures: failures
            .iter()
            .map(|f| FailureOut {
                path: &f.path,
                error: &f.error,
            })
            .collect(),
        summary: *summary,
    };
    let text = serde_json::to_string_pretty(&output).map_err(std::io::Error::other)?;
    let marker = "\n  \"files\": [],";
    let at = text
        .find(marker)
        .ok_or_else(|| std::io::Error::other("internal error: no file list in the output"))?;
    // The position of the list's `[`.
    Ok((text, at + marker.len() - 3))
}

/// Everything before the first file.
pub fn write_head(out: &mut impl Write) -> std::io::Result<()> {
    let (text, open) = skeleton(&Summary::default(), &[])?;
    out.write_all(&text.as_bytes()[..=open])
}

/// One file rendered by [`render_file`]; `before` is how many were written before it.
pub fn write_file(out: &mut impl Write, before: usize, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(if before == 0 { b"\n" } else { b",\n" })?;
    out.write_all(bytes)
}

/// Everything after the last file: the failures and the summary.
pub fn write_tail(
    out: &mut impl Write,
    summary: &Summary,
    failures: &[Failure],
) -> std::io::Result<()> {
    let (text, open) = skeleton(summary, failures)?;
    if summary.files > 0 {
        out.write_all(b"\n  ")?;
    }
    out.write_all(&text.as_bytes()[open + 1..])?;
    writeln!(out)
}

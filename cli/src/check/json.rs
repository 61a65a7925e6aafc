//! `--format json`: the stable contract documented in docs/cli-json.md. Field names and meanings
//! only ever grow; a breaking change bumps `version`.

use std::io::Write;

use iamlint_core::bytes::{decimal, push_cut};
use iamlint_core::syntax::quote::{push_json_escaped_to, ControlEscapes};
use iamlint_core::{catalog, Diagnostic, Span};
use serde::Serialize;

use super::positions::Positions;
use super::{Checked, Failure, HostPolicy};

/// The contract's version; bump it only for a breaking change.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    catalog: CatalogInfo<'a>,
    /// Always empty: the files are written between its brackets (see [`skeleton`]).
    files: [(); 0],
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

/// One file's entry of the `files` array, pretty-printed and indented exactly as
/// `serde_json::to_writer_pretty` prints it inside the whole output (two levels deep), so that
/// files can be rendered in parallel and joined. Appended to `out`.
///
/// Written directly rather than through serde: borrowing every finding into output structs (a
/// vector each for its fixes, their edits and its related places) and serde's formatter calls
/// cost as much as the bytes themselves, and this is most of the output of a large corpus.
/// Strings are escaped by serde_json's own escaper, so the bytes are what serde_json printed.
pub fn render_file(file: &Checked, mut out: Vec<u8>) -> Vec<u8> {
    let positions = Positions::new(&file.text);
    // One allocation for the whole entry rather than growing the buffer by doubling (each time
    // copying what is written).
    out.reserve(estimated_len(file));
    let mut w = Pretty::new(out, 2);
    w.open(b'{');
    w.key("path");
    w.string(&file.path);
    w.key("policyType");
    w.string(&file.file_policy_type());
    // Only for host files (Terraform, CloudFormation), so a plain policy's output is unchanged.
    if let Some(host) = &file.host {
        w.key("format");
        w.name(host.format.as_str());
        w.key("policies");
        w.open(b'[');
        for p in &host.policies {
            w.item();
            w.open(b'{');
            w.key("name");
            w.string(&p.name);
            w.key("policyType");
            w.string(&p.policy_type.name());
            w.span_and_range(p.span, &positions);
            w.close(b'}');
        }
        w.close(b']');
    }
    w.key("diagnostics");
    w.open(b'[');
    for (i, d) in file.analysis.diagnostics.iter().enumerate() {
        w.item();
        w.diagnostic(d, file.policy_of(i), &positions);
    }
    w.close(b']');
    w.close(b'}');
    w.out
}

/// About the length of a file's entry, a little over: its strings (the edits' text with room for
/// its escapes) and the layout around each (at most 500 bytes for a finding, 110 for a fix, 500
/// for an edit, 420 for a related place; measured on the managed corpus' output).
fn estimated_len(file: &Checked) -> usize {
    let policies = file
        .host
        .as_ref()
        .map_or(0, |h| h.policies.iter().map(|p| 500 + p.name.len()).sum());
    let findings: usize = file
        .analysis
        .diagnostics
        .iter()
        .map(|d| {
            let fixes: usize = d
                .fixes
                .iter()
                .map(|f| {
                    let edits: usize = f
                        .edits
                        .iter()
                        .map(|e| 500 + e.text.len() + e.text.len() / 8)
                        .sum();
                    110 + f.title.len() + edits
                })
                .sum();
            let related: usize = d.related.iter().map(|r| 420 + r.message.len()).sum();
            500 + d.message.len() + fixes + related
        })
        .sum();
    200 + file.path.len() + policies + findings
}

/// A writer of serde_json's pretty layout (two spaces a level, `"key": value`, empty
/// containers as `[]` and `{}`), starting at a given depth.
///
/// What costs here is the number of small copies, not their size (a managed corpus is 18 MB of
/// output in about 250,000 keys and 20,000 spans): a copy whose length is known when compiling
/// is a few moves, one whose length is known only when running is a call. So indentation and
/// numbers are written as a fixed-size copy cut back to length, keys are literals, and the
/// fixed-shape `span`/`range` block is a few precomputed pieces per depth ([`SpanBlock`]).
struct Pretty {
    out: Vec<u8>,
    depth: usize,
    /// Nothing written yet in the innermost open container.
    empty: bool,
}

/// A line break and the deepest indentation written in one copy; deeper levels (never reached
/// by `check`'s output) are written in several.
const LINE: [u8; 64] = {
    let mut line = [b' '; 64];
    line[0] = b'\n';
    line
};

impl Pretty {
    /// Starts with the indentation of the first value at `depth`.
    fn new(out: Vec<u8>, depth: usize) -> Pretty {
        let mut w = Pretty {
            out,
            depth,
            empty: true,
        };
        // No line break before the first value: its line was started by whoever wrote before.
        w.out.extend(std::iter::repeat_n(b' ', 2 * depth));
        w
    }

    /// A line break and the indentation of the current depth.
    #[inline(always)]
    fn newline(&mut self) {
        let mut n = 1 + 2 * self.depth;
        if n <= LINE.len() {
            push_cut(&mut self.out, &LINE, n);
            return;
        }
        self.out.extend_from_slice(&LINE);
        n -= LINE.len();
        while n > 0 {
            let k = n.min(LINE.len() - 1);
            self.out.extend_from_slice(&LINE[1..=k]);
            n -= k;
        }
    }

    #[inline(always)]
    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    #[inline(always)]
    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.empty {
            self.newline();
        }
        self.out.push(bracket);
        self.empty = false;
    }

    /// Starts the next value of an array.
    #[inline(always)]
    fn item(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.newline();
        self.empty = false;
    }

    /// Starts the next member of an object; `name` (always a literal) needs no escaping.
    #[inline(always)]
    fn key(&mut self, name: &str) {
        self.item();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// A string that needs no escape, copied without a scan: a finding's code, category or
    /// fix safety, or a host format (names of letters, digits, `_` and `-`, which a test checks;
    /// not a policy type, which may hold a template's resource type).
    fn name(&mut self, value: &str) {
        debug_assert!(!value.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
        self.out.push(b'"');
        self.out.extend_from_slice(value.as_bytes());
        self.out.push(b'"');
    }

    fn string(&mut self, value: &str) {
        self.out.push(b'"');
        push_json_escaped_to(&mut self.out, value, ControlEscapes::Short);
        self.out.push(b'"');
    }

    /// A number in decimal, as serde_json writes it.
    #[inline(always)]
    fn number(&mut self, value: u64) {
        let (digits, len) = decimal(value);
        push_cut(&mut self.out, &digits, len);
    }

    /// `"span": {...}, "range": {...}` of a byte span: the numbers between the pieces
    /// [`SpanBlock::new`] precomputed for the current depth.
    fn span_and_range(&mut self, span: Span, positions: &Positions<'_>) {
        let range = positions.range(span);
        // Blocks for members at the current depth (after a `,` when not the first member).
        let deeper;
        let block = match SpanBlock::table().get(self.depth) {
            Some(b) => b,
            None => {
                deeper = SpanBlock::new(self.depth);
                &deeper
            }
        };
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        let [p0, p1, p2, p3, p4, p5, p6] = &block.pieces;
        self.out.reserve(block.len + 6 * 20);
        self.out.extend_from_slice(p0);
        self.number(span.start as u64);
        self.out.extend_from_slice(p1);
        self.number(span.end as u64);
        self.out.extend_from_slice(p2);
        self.number(u64::from(range.start.line));
        self.out.extend_from_slice(p3);
        self.number(u64::from(range.start.column));
        self.out.extend_from_slice(p4);
        self.number(u64::from(range.end.line));
        self.out.extend_from_slice(p5);
        self.number(u64::from(range.end.column));
        self.out.extend_from_slice(p6);
    }

    /// One finding; for a host file, the policy it is in (absent for plain policies and host
    /// syntax errors) and the type that policy was checked as.
    fn diagnostic(
        &mut self,
        d: &Diagnostic,
        policy: Option<&HostPolicy>,
        positions: &Positions<'_>,
    ) {
        self.open(b'{');
        self.key("code");
        self.name(d.code);
        self.key("category");
        self.name(d.category.as_str());
        self.key("message");
        self.string(&d.message);
        if let Some(p) = policy {
            self.key("policy");
            self.string(&p.name);
            self.key("policyType");
            self.string(&p.policy_type.name());
        }
        self.span_and_range(d.span, positions);
        self.key("fixes");
        self.open(b'[');
        for f in &d.fixes {
            self.item();
            self.open(b'{');
            self.key("title");
            self.string(&f.title);
            self.key("safety");
            self.name(f.safety.as_str());
            self.key("edits");
            self.open(b'[');
            for e in &f.edits {
                self.item();
                self.open(b'{');
                self.span_and_range(e.span, positions);
                self.key("text");
                self.string(&e.text);
                self.close(b'}');
            }
            self.close(b']');
            self.close(b'}');
        }
        self.close(b']');
        self.key("related");
        self.open(b'[');
        for r in &d.related {
            self.item();
            self.open(b'{');
            self.span_and_range(r.span, positions);
            self.key("message");
            self.string(&r.message);
            self.close(b'}');
        }
        self.close(b']');
        self.close(b'}');
    }
}

/// The text of a `span`/`range` block around its six numbers, at one depth.
struct SpanBlock {
    pieces: [Vec<u8>; 7],
    /// Their total length.
    len: usize,
}

impl SpanBlock {
    /// The deepest block precomputed; `check`'s output goes to depth 9.
    const DEPTHS: usize = 16;

    /// The blocks of the depths `check`'s output has, built on first use.
    fn table() -> &'static [SpanBlock] {
        static BLOCKS: std::sync::OnceLock<Vec<SpanBlock>> = std::sync::OnceLock::new();
        BLOCKS.get_or_init(|| (0..Self::DEPTHS).map(SpanBlock::new).collect())
    }

    /// The block as the general writer writes it, with a marker byte (never in its text) for
    /// each number, cut at the markers.
    fn new(depth: usize) -> SpanBlock {
        const MARK: u8 = 0;
        let mut w = Pretty {
            out: Vec::new(),
            depth,
            empty: true,
        };
        w.key("span");
        w.open(b'{');
        for name in ["start", "end"] {
            w.key(name);
            w.out.push(MARK);
        }
        w.close(b'}');
        w.key("range");
        w.open(b'{');
        for name in ["start", "end"] {
            w.key(name);
            w.open(b'{');
            for member in ["line", "column"] {
                w.key(member);
                w.out.push(MARK);
            }
            w.close(b'}');
        }
        w.close(b'}');
        let mut parts = w.out.split(|&b| b == MARK).map(<[u8]>::to_vec);
        let pieces = std::array::from_fn(|_| parts.next().unwrap_or_default());
        let len = pieces.iter().map(Vec::len).sum();
        SpanBlock { pieces, len }
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
        files: [],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::positions::Range;
    use crate::check::Host;
    use iamlint_core::host::Format as HostFormat;
    use iamlint_core::{Analysis, Category, Fix, PolicyType, TextEdit};

    /// The layout serde_json prints for the same fields, as `check` printed it before the
    /// output was written by hand: the contract in serde's words.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct FileOut {
        path: String,
        policy_type: String,
        format: &'static str,
        policies: Vec<PolicyOut>,
        diagnostics: Vec<DiagnosticOut>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct PolicyOut {
        name: String,
        policy_type: String,
        span: Span,
        range: Range,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct DiagnosticOut {
        code: &'static str,
        category: Category,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        policy_type: Option<String>,
        span: Span,
        range: Range,
        fixes: Vec<FixOut>,
        related: Vec<SpanText>,
    }
    #[derive(Serialize)]
    struct FixOut {
        title: String,
        safety: iamlint_core::Safety,
        edits: Vec<EditOut>,
    }
    #[derive(Serialize)]
    struct EditOut {
        span: Span,
        range: Range,
        text: String,
    }
    #[derive(Serialize)]
    struct SpanText {
        span: Span,
        range: Range,
        message: String,
    }

    #[test]
    fn prints_what_serde_json_prints() {
        let text = "{\n  \"é\": [\"\\u0001\", 2]\n}\n";
        let span = |start, end| Span { start, end };
        let odd = "quote \" backslash \\ newline \n tab \t bell \u{7} backspace \u{8} é";
        let fix = Fix::review(
            format!("title {odd}"),
            vec![
                TextEdit {
                    span: span(4, 7),
                    text: odd.into(),
                },
                TextEdit {
                    span: span(text.len(), text.len()),
                    text: String::new(),
                },
            ],
        );
        let with_fix = iamlint_core::Diagnostic::new("A_CODE", Category::Warning, span(2, 9), odd)
            .with_related(span(12, 20), "over there")
            .with_related(span(0, 1), odd);
        let mut with_fix = with_fix;
        with_fix.fixes = vec![fix, Fix::safe("nothing to do", Vec::new())];
        let plain = iamlint_core::Diagnostic::new("B", Category::Error, span(0, 0), "");
        let checked = Checked {
            path: "dir/fïle \"x\".yaml".into(),
            text: text.into(),
            analysis: Analysis {
                policy_type: PolicyType::Trust,
                diagnostics: vec![with_fix, plain],
            },
            host: Some(Host {
                format: HostFormat::CloudFormationYaml,
                policies: vec![HostPolicy {
                    name: "Resources/Role".into(),
                    policy_type: PolicyType::Trust,
                    span: span(2, text.len()),
                }],
                owners: vec![Some(0), None],
            }),
            named: true,
        };

        let positions = Positions::new(text);
        let mirror = FileOut {
            path: checked.path.clone(),
            policy_type: checked.file_policy_type(),
            format: HostFormat::CloudFormationYaml.as_str(),
            policies: vec![PolicyOut {
                name: "Resources/Role".into(),
                policy_type: "trust".into(),
                span: span(2, text.len()),
                range: positions.range(span(2, text.len())),
            }],
            diagnostics: checked
                .analysis
                .diagnostics
                .iter()
                .enumerate()
                .map(|(i, d)| DiagnosticOut {
                    code: d.code,
                    category: d.category,
                    message: d.message.clone(),
                    policy: checked.policy_of(i).map(|p| p.name.clone()),
                    policy_type: checked.policy_of(i).map(|p| p.policy_type.name()),
                    span: d.span,
                    range: positions.range(d.span),
                    fixes: d
                        .fixes
                        .iter()
                        .map(|f| FixOut {
                            title: f.title.clone(),
                            safety: f.safety,
                            edits: f
                                .edits
                                .iter()
                                .map(|e| EditOut {
                                    span: e.span,
                                    range: positions.range(e.span),
                                    text: e.text.clone(),
                                })
                                .collect(),
                        })
                        .collect(),
                    related: d
                        .related
                        .iter()
                        .map(|r| SpanText {
                            span: r.span,
                            range: positions.range(r.span),
                            message: r.message.clone(),
                        })
                        .collect(),
                })
                .collect(),
        };
        // Inside the whole output a file sits in the `files` list, with the indents it has in
        // serde_json's layout of `{"a": [file]}`.
        #[derive(Serialize)]
        struct Whole {
            a: Vec<FileOut>,
        }
        let whole = serde_json::to_string_pretty(&Whole { a: vec![mirror] }).unwrap();
        let expected = whole
            .strip_prefix("{\n  \"a\": [\n")
            .and_then(|s| s.strip_suffix("\n  ]\n}"))
            .unwrap();

        let rendered = String::from_utf8(render_file(&checked, Vec::new())).unwrap();
        assert_eq!(rendered, expected);
        assert!(rendered.contains("\\b") && rendered.contains("\\u0007"));
        // Appends to what the buffer holds.
        let again = render_file(&checked, b"xyz".to_vec());
        assert_eq!(&again[..3], b"xyz");
        assert_eq!(&again[3..], rendered.as_bytes());
    }

    /// What [`Pretty::name`] writes without escaping: every rule's code (and the two codes
    /// made outside the rules), category, fix safety and host format.
    #[test]
    fn names_need_no_escape() {
        let codes = iamlint_core::rules::all().map(|r| r.meta.code).chain([
            iamlint_core::host::HOST_SYNTAX_ERROR,
            iamlint_core::activity::unused::UNUSED_GRANT,
        ]);
        let names: Vec<&str> = codes
            .chain(Category::ALL.map(Category::as_str))
            .chain([iamlint_core::Safety::Safe, iamlint_core::Safety::Review].map(|s| s.as_str()))
            .chain(
                [
                    HostFormat::Json,
                    HostFormat::Terraform,
                    HostFormat::CloudFormationYaml,
                    HostFormat::CloudFormationJson,
                    HostFormat::Other,
                ]
                .map(HostFormat::as_str),
            )
            .collect();
        assert!(names.len() > 100);
        for name in names {
            assert!(
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
                "{name:?}"
            );
        }
    }
}

//! The playground's API as plain Rust: options in, serialisable answers out, every position a
//! UTF-16 code-unit offset (what JavaScript strings and CodeMirror count). `lib.rs` only moves
//! these values across the wasm-bindgen boundary, so everything here is testable natively.
//!
//! The shapes are mirrored by the TypeScript declarations in `types.rs`; keep the two in step.

use iamlint_core::catalog;
use iamlint_core::host::{self, Format, HostDocument};
use iamlint_core::ide::{self, CodeActionKind, CompletionKind};
use iamlint_core::rules;
use iamlint_core::{analyze, AnalyzeOptions, Category, Diagnostic, LineIndex, PolicyType, Span};
use iamlint_core::{
    analyze_parsed_with, findings_with_fixes, syntax, FindingKey, FindingsDelta, FixScope, Session,
    TextChange,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

mod audit;
mod compare;
mod share;
mod simulate;
pub use audit::{audit_account, AuditInput, AuditOut};
pub use compare::{compare, CompareOutcome};
pub use share::{decode_share_link, encode_share_link, LinkOutcome, ShareLinkOut, SharedOut};
pub use simulate::{simulate, SimulateInput, SimulateOutcome};

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
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// A policy type name as the CLI takes it ("auto", "identity", "resource:AWS::S3::Bucket", ...).
    pub policy_type: Option<String>,
    /// Rule codes to switch off.
    pub disabled_rules: Vec<String>,
    /// What the text is: "json" (a policy), "terraform", "cloudformation-yaml",
    /// "cloudformation-json"; absent or "auto": recognised from the text, and JSON that is
    /// neither a policy nor a template is then "other" and gets no findings ("json" checks it).
    pub format: Option<String>,
    /// false: `check` leaves every fix's `edits` empty (ask [`fix`] for them when one is
    /// applied). A narrowing fix of `s3:*` carries its expanded action list, so 5,000 such
    /// findings would otherwise be 80 MB of replacement text to build and hand to JavaScript.
    pub fix_edits: Option<bool>,
    /// Findings carry their fixes only when there are at most this many; above, none does (the
    /// core then builds no fix at all) and [`fixes`] gives those of the findings asked for.
    /// Absent: always. Terraform and CloudFormation files always carry them.
    pub fix_limit: Option<usize>,
}

impl Options {
    /// The option names JavaScript may pass (camelCase).
    pub const FIELDS: &'static [&'static str] = &[
        "policyType",
        "disabledRules",
        "format",
        "fixEdits",
        "fixLimit",
    ];

    /// The language of `text`: the one asked for, or the one the text looks like.
    pub fn format(&self, text: &str) -> Result<Format, String> {
        match self.format.as_deref() {
            None | Some("auto") => Ok(host::detect(None, text)),
            Some(name) => Format::parse(name).ok_or_else(|| {
                format!(
                    "unknown format '{name}'; expected auto or one of: {}",
                    Format::NAMES.join(", ")
                )
            }),
        }
    }

    /// The policies of `text` when it is a Terraform or CloudFormation file, None for a policy.
    fn host(&self, text: &str) -> Result<Option<HostDocument>, String> {
        Ok(match self.format(text)? {
            Format::Json => None,
            format => Some(host::read(format, text)),
        })
    }

    /// The analysis of `text` in its language, with spans in `text`.
    fn analyze(&self, text: &str) -> Result<iamlint_core::Analysis, String> {
        let core_options = self.to_core()?;
        Ok(match self.host(text)? {
            None => analyze(text, &core_options),
            Some(document) => ide::host_analysis(text, &document, &core_options),
        })
    }

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
            disabled_rules: self.disabled_rules.iter().cloned().collect(),
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
    /// Index in `CheckResult.policies` of the policy the finding is in (Terraform and
    /// CloudFormation files); None in a policy file and for a host syntax error.
    pub policy: Option<usize>,
    /// Its place among the findings with the same code, start and end (almost always 0): with
    /// those, it names the finding when asking for its fixes ([`FindingRef`]).
    pub nth: usize,
}

/// Names a finding of [`check`]: its code, UTF-16 start and end, and `nth`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct FindingRef {
    pub code: String,
    pub start: usize,
    pub end: usize,
    pub nth: usize,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// The policy type used, by name (resolved when "auto" was asked for); for a Terraform or
    /// CloudFormation file, that of its first policy (each has its own, in `policies`).
    pub policy_type: String,
    /// The language the text was read as ("json", "terraform", ...).
    pub format: String,
    /// The policies found in a Terraform or CloudFormation file (empty for a policy).
    pub policies: Vec<PolicyOut>,
    pub findings: Vec<Finding>,
}

/// A policy inside a host file: its name, its type from where it sits, where it is.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyOut {
    pub name: String,
    pub policy_type: String,
    pub start: usize,
    pub end: usize,
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
/// `LineIndex`, the only place positions are computed. In an ASCII text both offsets are the same
/// and no index is built (a keystroke in the playground's 1.3 MB policy converts a handful of
/// positions: indexing the whole text for them was a tenth of the worker's time).
pub struct Positions<'t> {
    text: &'t str,
    ascii: bool,
    index: std::cell::OnceCell<LineIndex>,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str) -> Self {
        Positions::known_ascii(text, text.is_ascii())
    }

    /// `ascii`: whether `text` is all ASCII, when the caller knows.
    fn known_ascii(text: &'t str, ascii: bool) -> Self {
        Positions {
            text,
            ascii,
            index: std::cell::OnceCell::new(),
        }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(self.text))
    }

    pub fn to_utf16(&self, byte: usize) -> usize {
        if self.ascii {
            return byte.min(self.text.len());
        }
        self.index().utf16_offset(self.text, byte)
    }

    pub fn range(&self, span: Span) -> Range {
        Range {
            start: self.to_utf16(span.start),
            end: self.to_utf16(span.end),
        }
    }

    pub fn to_byte(&self, utf16: usize) -> usize {
        if self.ascii {
            return utf16.min(self.text.len());
        }
        self.index().offset_from_utf16(self.text, utf16)
    }

    pub fn edit(&self, e: &iamlint_core::TextEdit) -> Edit {
        let r = self.range(e.span);
        Edit {
            start: r.start,
            end: r.end,
            text: e.text.clone(),
        }
    }

    /// `d` as JavaScript sees it; `policy` is the index of its policy in a host file; without
    /// `edits` each fix keeps only its title and safety.
    pub fn finding(
        &self,
        d: &Diagnostic,
        policy: Option<usize>,
        nth: usize,
        edits: bool,
    ) -> Finding {
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
            fixes: d.fixes.iter().map(|f| self.fix(f, edits)).collect(),
            policy,
            nth,
        }
    }

    fn fix(&self, f: &iamlint_core::Fix, edits: bool) -> FixOut {
        FixOut {
            title: f.title.clone(),
            safety: f.safety,
            edits: if edits {
                f.edits.iter().map(|e| self.edit(e)).collect()
            } else {
                Vec::new()
            },
        }
    }
}

/// The core's answer for `text` before it is converted for JavaScript: every finding in the
/// order `check` gives them, each with the index of its policy in a host file.
struct Checked {
    policy_type: String,
    format: Format,
    policies: Vec<PolicyOut>,
    diagnostics: Vec<(Option<usize>, Diagnostic)>,
}

/// A version of a [`Checker`]'s text, shared with its session and its last answer (a 1.3 MB
/// policy is then not copied for them at each keystroke), with the text it was edited from and
/// the change that made it when known (the session and the delta then need not compare the
/// whole texts to find the change).
struct Version<'a> {
    text: &'a Arc<String>,
    since: Option<&'a (Arc<String>, TextChange)>,
}

fn checked(
    text: &str,
    options: &Options,
    positions: &Positions,
    session: Option<&mut Option<Session>>,
    version: Option<&Version>,
) -> Result<Checked, String> {
    let core_options = options.to_core()?;
    let format = options.format(text)?;
    if format == Format::Json {
        let analysis = match (options.fix_limit, session) {
            (None, _) => analyze(text, &core_options),
            (Some(limit), Some(session)) => {
                let session = session.get_or_insert_with(|| Session::new(core_options.clone()));
                session.set_options(core_options.clone());
                let analysis = match version {
                    Some(v) => {
                        session.analyze_shared(v.text.clone(), v.since.map(|(from, c)| (from, *c)))
                    }
                    None => session.analyze(text),
                };
                with_fixes_within(text, &core_options, limit, analysis, None)
            }
            (Some(limit), None) => {
                let document = syntax::parse(text);
                let analysis = analyze_parsed_with(text, &document, &core_options, FixScope::None);
                with_fixes_within(text, &core_options, limit, analysis, Some(&document))
            }
        };
        return Ok(Checked {
            policy_type: analysis.policy_type.name(),
            format,
            policies: Vec::new(),
            diagnostics: analysis
                .diagnostics
                .into_iter()
                .map(|d| (None, d))
                .collect(),
        });
    }
    let mut analysis = host::analyze(text, format, &core_options);
    let policies: Vec<PolicyOut> = analysis
        .policies
        .iter()
        .map(|p| {
            let r = positions.range(p.span);
            PolicyOut {
                name: p.name.clone(),
                policy_type: p.policy_type.name(),
                start: r.start,
                end: r.end,
            }
        })
        .collect();
    Ok(Checked {
        policy_type: policies.first().map_or_else(
            || core_options.policy_type.name(),
            |p| p.policy_type.clone(),
        ),
        format,
        policies,
        diagnostics: analysis.take_owned_diagnostics(),
    })
}

/// `analysis` (of `text`, made without fixes) with every finding's fixes when there are at most
/// `limit` findings, else with none: the fixes are built on request, only for the findings that
/// need them. `document` is the parse of `text` when the caller has it.
fn with_fixes_within(
    text: &str,
    options: &AnalyzeOptions,
    limit: usize,
    mut analysis: iamlint_core::Analysis,
    document: Option<&syntax::Document>,
) -> iamlint_core::Analysis {
    if analysis.diagnostics.len() <= limit {
        let keys = FindingKey::all(&analysis.diagnostics);
        let parsed;
        let document = match document {
            Some(d) => d,
            None => {
                parsed = syntax::parse(text);
                &parsed
            }
        };
        let with_fixes = findings_with_fixes(text, document, options, &keys);
        for (d, full) in analysis.diagnostics.iter_mut().zip(with_fixes) {
            if let Some(full) = full {
                *d = full;
            }
        }
    }
    analysis
}

/// Analyse `text`: findings with their fixes, positions in UTF-16. A Terraform or CloudFormation
/// file is checked policy by policy, each as the type its place gives it.
pub fn check(text: &str, options: &Options) -> Result<CheckResult, String> {
    check_in(text, options, None)
}

/// Checks successive versions of one document, as an editor sends them: the same answers as
/// [`check`], with a policy's findings from the core's incremental session
/// (`iamlint_core::incremental`), which re-checks only the statements that changed. The session
/// serves checks made with `fixLimit` (the fixes of a few findings are built afresh); others,
/// and Terraform and CloudFormation files, are checked in full. [`Checker::check_since`] also
/// answers with only what changed since an earlier answer.
#[derive(Default)]
pub struct Checker {
    session: Option<Session>,
    last: Option<LastAnswer>,
    answers: u32,
    /// The editor's text as the caller last set or edited it ([`Checker::set_text`],
    /// [`Checker::edit`]), checked by [`Checker::check_held`]: a keystroke then crosses into the
    /// wasm as its change instead of the whole text (1.3 MB in the many-findings benchmark,
    /// which wasm-bindgen copies into the module a character at a time).
    held: Option<HeldText>,
}

/// A version of the editor's text held by a [`Checker`].
struct HeldText {
    version: u32,
    text: Arc<String>,
    /// The text this one was made from by [`Checker::edit`] since the last check of the held
    /// text (or its setting), and one change covering those edits.
    since: Option<(Arc<String>, TextChange)>,
    /// Whether `text` is all ASCII (its UTF-16 offsets are then its byte offsets).
    ascii: bool,
}

/// One change of the editor's text: UTF-16 offsets `from..to` of the version it applies to
/// replaced by `inserted`.
pub type TextEdit = (usize, usize, String);

/// The last answer of [`Checker::check_since`], which the next one may be a delta against.
struct LastAnswer {
    id: u32,
    options: Options,
    text: Arc<String>,
    policy_type: String,
    diagnostics: Vec<Diagnostic>,
}

/// An answer of [`Checker::check_since`]: the whole result, or what changed since the answer
/// the caller holds (`base`), which it applies to its findings (see `web-demo/src/delta.ts`).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CheckAnswer {
    Full {
        id: u32,
        result: CheckResult,
    },
    #[serde(rename_all = "camelCase")]
    Delta {
        id: u32,
        base: u32,
        policy_type: String,
        format: String,
        /// UTF-16 offsets `start..oldEnd` of the old text became `start..newEnd`: the old
        /// findings' positions at or before `start` stay, those at or after `oldEnd` move by
        /// `newEnd - oldEnd` (no kept finding has one in between).
        change: ChangeOut,
        /// Indices (ascending) into the old findings of those that are gone.
        removed: Vec<usize>,
        /// The new findings, each with its index (ascending) in the new list; the other places
        /// are the old findings not removed, in order, moved through `change`.
        added: Vec<AddedOut>,
        /// How many findings the new list has.
        count: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeOut {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AddedOut {
    pub index: usize,
    pub finding: Finding,
}

impl Checker {
    pub fn check(&mut self, text: &str, options: &Options) -> Result<CheckResult, String> {
        self.last = None;
        check_in(text, options, Some(&mut self.session))
    }

    /// [`Checker::check`], answered as a delta against answer `base` when that was this
    /// checker's last answer, for the same options, a policy (not a Terraform or CloudFormation
    /// file) of the same policy type, and the delta is smaller than the whole; else in full.
    pub fn check_since(
        &mut self,
        text: &str,
        options: &Options,
        base: Option<u32>,
    ) -> Result<CheckAnswer, String> {
        let shared = Arc::new(text.to_owned());
        let version = Version {
            text: &shared,
            since: None,
        };
        self.answer_since(&version, &Positions::new(text), options, base)
    }

    /// Hold `text` as version `version` of the editor's text.
    pub fn set_text(&mut self, version: u32, text: String) {
        let ascii = text.is_ascii();
        self.held = Some(HeldText {
            version,
            text: Arc::new(text),
            since: None,
            ascii,
        });
    }

    /// Hold no text (the next edit fails, so the caller sends the whole text).
    pub fn forget_text(&mut self) {
        self.held = None;
    }

    /// Apply `changes` (UTF-16 offsets into version `from` of the text, in order and not
    /// overlapping, as CodeMirror lists them) to the held text, which becomes version `version`
    /// of `length` UTF-16 code units. False when the held text is not version `from` or the
    /// changes do not fit it: nothing is held then, and the caller sends the whole text.
    pub fn edit(&mut self, from: u32, version: u32, changes: &[TextEdit], length: usize) -> bool {
        let Some(mut held) = self.held.take().filter(|h| h.version == from) else {
            return false;
        };
        if changes.is_empty() {
            // Nothing changed since the version held (a completion request right after the
            // check of its text): keep the text, no copy.
            let held_length =
                Positions::known_ascii(&held.text, held.ascii).to_utf16(held.text.len());
            if held_length != length {
                return false;
            }
            held.version = version;
            self.held = Some(held);
            return true;
        }
        let old = held.text.as_str();
        let positions = Positions::known_ascii(old, held.ascii);
        let old_length = positions.to_utf16(old.len());
        let mut text = String::with_capacity(old.len() + 64);
        let mut ascii = held.ascii;
        // The end of the last change, in UTF-16 units and in bytes of the old text; where the
        // first began, in bytes.
        let (mut done, mut at) = (0, 0);
        let mut first = None;
        for (start, end, inserted) in changes {
            if start < &done || start > end || *end > old_length {
                return false;
            }
            let (a, b) = (positions.to_byte(*start), positions.to_byte(*end));
            first.get_or_insert(a);
            text.push_str(&old[at..a]);
            text.push_str(inserted);
            ascii &= inserted.is_ascii();
            (done, at) = (*end, b);
        }
        text.push_str(&old[at..]);
        if !held.ascii {
            // The change may have taken out the last character beyond ASCII.
            ascii = text.is_ascii();
        }
        let new_length = if ascii {
            text.len()
        } else {
            text.encode_utf16().count()
        };
        if new_length != length {
            return false;
        }
        // One range over every change (the text after the last one is the same).
        let change = TextChange {
            start: first.unwrap_or(at),
            old_end: at,
            new_end: text.len() - (old.len() - at),
        };
        let since = match held.since {
            Some((from, before)) => (from, before.then(&change)),
            None => (held.text, change),
        };
        self.held = Some(HeldText {
            version,
            text: Arc::new(text),
            since: Some(since),
            ascii,
        });
        true
    }

    /// [`Checker::check_since`] of the held text ([`Checker::set_text`], [`Checker::edit`]).
    pub fn check_held(
        &mut self,
        options: &Options,
        base: Option<u32>,
    ) -> Result<CheckAnswer, String> {
        let mut held = self
            .held
            .take()
            .ok_or_else(|| "no text to check: set it first".to_string())?;
        let positions = Positions::known_ascii(&held.text, held.ascii);
        let version = Version {
            text: &held.text,
            since: held.since.as_ref(),
        };
        let answer = self.answer_since(&version, &positions, options, base);
        // The next edits start from this version, which the session and the answer now hold.
        held.since = None;
        self.held = Some(held);
        answer
    }

    /// [`completions`] at `offset` of the held text, on the parse its last check made when
    /// that check was of this text (a 1.3 MB policy is then not parsed again for each
    /// keystroke's completion request).
    pub fn complete_held(
        &self,
        offset: usize,
        options: &Options,
    ) -> Result<Vec<CompletionOut>, String> {
        let held = self
            .held
            .as_ref()
            .ok_or_else(|| "no text to complete in: set it first".to_string())?;
        let positions = Positions::known_ascii(&held.text, held.ascii);
        let parsed = self
            .session
            .as_ref()
            .and_then(|s| s.document_of(&held.text));
        complete_in(&held.text, &positions, offset, options, parsed)
    }

    fn answer_since(
        &mut self,
        version: &Version,
        positions: &Positions,
        options: &Options,
        base: Option<u32>,
    ) -> Result<CheckAnswer, String> {
        let text = version.text.as_str();
        let last = self.last.take();
        let checked = checked(
            text,
            options,
            positions,
            Some(&mut self.session),
            Some(version),
        )?;
        self.answers += 1;
        let id = self.answers;
        let edits = options.fix_edits.unwrap_or(true);
        if checked.format != Format::Json {
            return Ok(CheckAnswer::Full {
                id,
                result: result_of(checked, positions, edits),
            });
        }
        let diagnostics: Vec<Diagnostic> =
            checked.diagnostics.into_iter().map(|(_, d)| d).collect();
        let nths = FindingKey::nths(&diagnostics);
        let finding = |k: usize| positions.finding(&diagnostics[k], None, nths[k], edits);
        let delta = last
            .filter(|l| {
                Some(l.id) == base && l.options == *options && l.policy_type == checked.policy_type
            })
            .map(|l| {
                // The change the editor made since the last answer's text, when it is known.
                let change = match version.since {
                    Some((from, c)) if Arc::ptr_eq(from, &l.text) && c.fits(&l.text, text) => {
                        c.narrowed(&l.text, text)
                    }
                    _ => TextChange::between(&l.text, text),
                };
                let delta = FindingsDelta::with_change(change, &l.diagnostics, &diagnostics);
                let c = delta.change;
                let start = positions.to_utf16(c.start);
                let change = ChangeOut {
                    start,
                    old_end: start + l.text[c.start..c.old_end].encode_utf16().count(),
                    new_end: positions.to_utf16(c.new_end),
                };
                (l.id, change, delta)
            })
            .filter(|(_, _, delta)| delta.added.len() * 2 <= delta.len);
        let answer = match delta {
            Some((base, change, delta)) => CheckAnswer::Delta {
                id,
                base,
                policy_type: checked.policy_type.clone(),
                format: checked.format.as_str().to_string(),
                change,
                removed: delta.removed,
                added: delta
                    .added
                    .iter()
                    .map(|&index| AddedOut {
                        index,
                        finding: finding(index),
                    })
                    .collect(),
                count: delta.len,
            },
            None => CheckAnswer::Full {
                id,
                result: CheckResult {
                    policy_type: checked.policy_type.clone(),
                    format: checked.format.as_str().to_string(),
                    policies: checked.policies,
                    findings: (0..diagnostics.len()).map(finding).collect(),
                },
            },
        };
        self.last = Some(LastAnswer {
            id,
            options: options.clone(),
            text: version.text.clone(),
            policy_type: checked.policy_type,
            diagnostics,
        });
        Ok(answer)
    }
}

fn check_in(
    text: &str,
    options: &Options,
    session: Option<&mut Option<Session>>,
) -> Result<CheckResult, String> {
    let positions = Positions::new(text);
    let checked = checked(text, options, &positions, session, None)?;
    Ok(result_of(
        checked,
        &positions,
        options.fix_edits.unwrap_or(true),
    ))
}

/// `checked` as JavaScript sees it.
fn result_of(checked: Checked, positions: &Positions, edits: bool) -> CheckResult {
    let nths = FindingKey::nths(checked.diagnostics.iter().map(|(_, d)| d));
    CheckResult {
        policy_type: checked.policy_type,
        format: checked.format.as_str().to_string(),
        policies: checked.policies,
        findings: checked
            .diagnostics
            .iter()
            .zip(nths)
            .map(|((policy, d), nth)| positions.finding(d, *policy, nth, edits))
            .collect(),
    }
}

/// The fixes of the findings of `check(text, options)` that `findings` name, one answer per
/// name (None when the text has no such finding: it changed since). In a policy only the rules
/// of the named findings run, and only their fixes are built; `fixEdits: false` leaves the
/// edits out here too.
pub fn fixes(
    text: &str,
    options: &Options,
    findings: &[FindingRef],
) -> Result<Vec<Option<Vec<FixOut>>>, String> {
    let positions = Positions::new(text);
    let edits = options.fix_edits.unwrap_or(true);
    let keys: Vec<FindingKey> = findings
        .iter()
        .map(|f| FindingKey {
            code: f.code.clone(),
            span: Span::new(positions.to_byte(f.start), positions.to_byte(f.end)),
            nth: f.nth,
        })
        .collect();
    let found: Vec<Option<Diagnostic>> = if options.format(text)? == Format::Json {
        findings_with_fixes(text, &syntax::parse(text), &options.to_core()?, &keys)
    } else {
        // A host file's fixes are written in its own syntax by the host analysis: take them from
        // the whole check (such files are small).
        let everything = Options {
            fix_limit: None,
            ..options.clone()
        };
        let checked = checked(text, &everything, &positions, None, None)?;
        let diagnostics: Vec<Diagnostic> =
            checked.diagnostics.into_iter().map(|(_, d)| d).collect();
        let all = FindingKey::all(&diagnostics);
        keys.iter()
            .map(|k| {
                all.iter()
                    .position(|a| a == k)
                    .map(|i| diagnostics[i].clone())
            })
            .collect()
    };
    Ok(found
        .iter()
        .map(|d| {
            d.as_ref()
                .map(|d| d.fixes.iter().map(|f| positions.fix(f, edits)).collect())
        })
        .collect())
}

/// Fix number `fix` of the finding `finding` names, with its edits; None when there is no such
/// fix (the text has changed since).
pub fn fix(
    text: &str,
    options: &Options,
    finding: &FindingRef,
    fix: usize,
) -> Result<Option<FixOut>, String> {
    let with_edits = Options {
        fix_edits: Some(true),
        ..options.clone()
    };
    let mut found = fixes(text, &with_edits, std::slice::from_ref(finding))?;
    Ok(found
        .pop()
        .flatten()
        .and_then(|fixes| fixes.into_iter().nth(fix)))
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HoverOut {
    pub markdown: String,
    /// The element the hover describes (the editor highlights it).
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionOut {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// Replaces `start..end`; it already carries the JSON quotes the place needs.
    pub insert_text: String,
    /// The same insertion with `${1:Name}` tab stops, when it has parts to fill in.
    pub snippet: Option<String>,
    pub start: usize,
    pub end: usize,
    pub sort_text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeActionOut {
    pub title: String,
    pub safety: iamlint_core::Safety,
    pub kind: CodeActionKind,
    pub edits: Vec<Edit>,
    pub diagnostic_code: Option<String>,
    /// Index into `CheckResult.findings` of the finding this fixes (null for fix-all).
    pub diagnostic_index: Option<usize>,
    pub is_preferred: bool,
}

impl Positions<'_> {
    fn code_action(&self, a: &ide::CodeAction) -> CodeActionOut {
        CodeActionOut {
            title: a.title.clone(),
            safety: a.safety,
            kind: a.kind,
            edits: a.edits.iter().map(|e| self.edit(e)).collect(),
            diagnostic_code: a.diagnostic_code.clone(),
            diagnostic_index: a.diagnostic_index,
            is_preferred: a.is_preferred,
        }
    }
}

/// The hover at UTF-16 `offset`, or None when there is nothing to say there.
pub fn hover(text: &str, offset: usize, options: &Options) -> Option<HoverOut> {
    let positions = Positions::new(text);
    let at = positions.to_byte(offset);
    let h = match options.host(text).ok()? {
        None => ide::hover(text, at)?,
        Some(document) => ide::hover_in_host(&document, at)?,
    };
    let r = positions.range(h.span);
    Some(HoverOut {
        markdown: h.markdown,
        start: r.start,
        end: r.end,
    })
}

/// What can be typed at UTF-16 `offset`.
pub fn completions(
    text: &str,
    offset: usize,
    options: &Options,
) -> Result<Vec<CompletionOut>, String> {
    complete_in(text, &Positions::new(text), offset, options, None)
}

/// [`completions`], with `parsed` the policy's parse of `text` when it is at hand.
fn complete_in(
    text: &str,
    positions: &Positions,
    offset: usize,
    options: &Options,
    parsed: Option<&syntax::Document>,
) -> Result<Vec<CompletionOut>, String> {
    let core_options = options.to_core()?;
    let at = positions.to_byte(offset);
    let items = match (options.host(text)?, parsed) {
        (None, None) => ide::completions(text, at, &core_options),
        // No limit: the whole list, as `ide::completions` gives it.
        (None, Some(document)) => {
            ide::completion_list(text, document, at, &core_options, usize::MAX).items
        }
        (Some(document), _) => {
            ide::completion_list_in_host(&document, at, &core_options, usize::MAX).items
        }
    };
    Ok(items
        .into_iter()
        .map(|c| {
            let r = positions.range(c.replace_span);
            CompletionOut {
                label: c.label,
                kind: c.kind,
                detail: c.detail,
                documentation: c.documentation_markdown,
                insert_text: c.insert_text,
                snippet: c.snippet,
                start: r.start,
                end: r.end,
                sort_text: c.sort_text,
            }
        })
        .collect())
}

/// The quick-fixes for the findings touching the UTF-16 range `start..end`, then fix-all.
pub fn code_actions(
    text: &str,
    start: usize,
    end: usize,
    options: &Options,
) -> Result<Vec<CodeActionOut>, String> {
    let analysis = options.analyze(text)?;
    let positions = Positions::new(text);
    let (a, b) = (positions.to_byte(start), positions.to_byte(end));
    let span = Span::new(a.min(b), a.max(b));
    Ok(ide::code_actions(text, &analysis, span)
        .iter()
        .map(|a| positions.code_action(a))
        .collect())
}

/// One action applying every safe fix of the document, or None when there is none.
pub fn fix_all(text: &str, options: &Options) -> Result<Option<CodeActionOut>, String> {
    let analysis = options.analyze(text)?;
    let positions = Positions::new(text);
    Ok(ide::fix_all(text, &analysis).map(|a| positions.code_action(&a)))
}

#[cfg(test)]
mod tests;

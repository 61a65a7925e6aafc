//! Host documents: files that hold IAM policies written in another language (Terraform,
//! CloudFormation), and plain policy files.
//!
//! Reading a host ([`read`]) finds each policy in it and gives it as an [`EmbeddedPolicy`]: its
//! name (`aws_iam_policy.admin`, `Resources/OpenRole/AssumeRolePolicyDocument`), its policy type
//! from where it sits, and the policy as the JSON text and syntax tree the rules read, with a map
//! from that text back to byte ranges in the host file. [`analyze`] runs the usual analysis on
//! each policy and gives every finding with spans in the host file.
//!
//! # Use (for the faces)
//! ```
//! use iamlint_core::host::{self, Format};
//! use iamlint_core::{AnalyzeOptions, LineIndex, PositionEncoding};
//!
//! let text = r#"resource "aws_iam_policy" "admin" {
//!   policy = jsonencode({
//!     Version   = "2012-10-17"
//!     Statement = [{ Effect = "Allow", Action = "s3:GetObjekt", Resource = "*" }]
//!   })
//! }
//! "#;
//! let format = host::detect(Some("main.tf"), text); // by extension, then by content
//! assert_eq!(format, Format::Terraform);
//! let analysis = host::analyze(text, format, &AnalyzeOptions::default());
//! let policy = &analysis.policies[0];
//! assert_eq!(policy.name, "aws_iam_policy.admin"); // name it in JSON output
//! let finding = &policy.diagnostics[0];
//! assert_eq!(finding.code, "INVALID_ACTION");
//! // Spans are byte ranges in the host file: convert them as for any policy file.
//! assert_eq!(finding.span.slice(text), "GetObjekt");
//! let index = LineIndex::new(text);
//! let pos = index.line_col(text, finding.span.start, PositionEncoding::Utf8);
//! assert_eq!((pos.line, pos.col), (3, 50));
//! // Fixes are host edits written in HCL.
//! let fixed = finding.fixes[0].apply(text).unwrap();
//! assert!(fixed.contains(r#"Action = "s3:GetObject""#));
//! // One list with host syntax errors (code HOST_SYNTAX_ERROR) for a flat output:
//! assert_eq!(analysis.diagnostics().len(), 1);
//! ```
//! For hover and completion at a cursor: [`read`] once per text version, then
//! [`crate::ide::hover_in_host`] and [`crate::ide::completion_list_in_host`] with host offsets.
//! A plain policy file (`Format::Json`) goes through the same calls and gives exactly what
//! [`crate::analyze`] and [`crate::ide`] give; `Format::CloudFormationYaml` on YAML that is not a
//! template, and [`Format::Other`] (JSON that is neither a policy nor a template), give no
//! policies and no errors.
//!
//! # Why the rules read JSON text and not the host's own text
//! Rules slice their text (sub-spans inside strings through [`crate::syntax::string_offset`],
//! fixes built as JSON edits, size quotas counted on the text). So each embedded policy is
//! written out as JSON ([`EmbeddedPolicy::json`]), each character of each string mapped to where
//! it is in the host. The rules run unchanged on that text; their spans are mapped back with
//! [`EmbeddedPolicy::to_host`]. For a plain policy file the JSON text is the file itself and the
//! map is the identity, so the result is exactly [`crate::analyze`]'s.
//!
//! # Unknown values
//! What the host computes (`aws_s3_bucket.b.arn`, `"${var.x}/*"`, `jsonencode(...)` of a
//! variable, `!Ref`, `!Sub` with a reference, `Fn::Join`, `Fn::If`, ...) is unknown. In the JSON
//! text an unknown value is written as the placeholder `${iamlint:unknownN}`, in the form of an IAM
//! policy variable: the rules already treat a policy variable as "some value at request time",
//! so it is never taken for a wildcard, never matched as a literal ARN or action, and it keeps
//! the literal text around it (`arn:aws:s3:::${...}/*`) checkable. Any finding on a string that
//! holds an unknown part and touches that part (or the string as a whole) is dropped, and no fix
//! edits an unknown value. Policy variables written in host escaping (`$${aws:username}` in HCL,
//! `&{aws:username}` in `aws_iam_policy_document`, `${!aws:username}` in `!Sub`) are decoded to
//! the policy variable `${aws:username}` and checked as such.
//!
//! # Syntax errors
//! A host syntax error is a [`HostError`] with a span; reading goes on with the rest of the file
//! (a Terraform file block by block, a YAML template resource by resource), so one broken block
//! does not hide the findings in the others.

mod cloudformation;
mod json;
pub mod map;
mod sniff;
mod terraform;
pub mod value;
mod write;
mod yaml;

use serde::Serialize;

pub use map::SourceMap;
pub use sniff::is_policy_document;
pub use value::Unknown;

use crate::analysis::{analyze_parsed, AnalyzeOptions};
use crate::diagnostic::{Category, Diagnostic};
use crate::policy::PolicyType;
use crate::span::Span;
use crate::syntax;

/// The code of a finding made from a [`HostError`] by [`HostAnalysis::diagnostics`].
pub const HOST_SYNTAX_ERROR: &str = "HOST_SYNTAX_ERROR";

/// The language a file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Format {
    /// A plain IAM policy document.
    Json,
    /// Terraform (HCL), `.tf`.
    Terraform,
    /// A CloudFormation or SAM template in YAML (or YAML that is not a template: no policies).
    CloudFormationYaml,
    /// A CloudFormation template in JSON (as CDK synthesises them).
    CloudFormationJson,
    /// Neither a policy nor a template (package.json, tsconfig.json, .eslintrc.json): no
    /// policies, no findings. Never chosen by name; a user who says the file is a policy anyway
    /// gets it checked as one ([`Format::or_policy`]).
    Other,
}

impl Format {
    /// Names for settings and command-line flags.
    pub const NAMES: &'static [&'static str] = &[
        "json",
        "terraform",
        "cloudformation-yaml",
        "cloudformation-json",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Terraform => "terraform",
            Format::CloudFormationYaml => "cloudformation-yaml",
            Format::CloudFormationJson => "cloudformation-json",
            Format::Other => "other",
        }
    }

    /// The format to read a text detected as `self` in when the user has said that it is a
    /// policy (a policy type given for that very file, a glob of the settings or `iamlint.toml`
    /// naming it): what is neither a policy nor a template is then checked as a policy, so its
    /// mistakes are reported instead of the file being passed over. A template stays one.
    pub fn or_policy(self, said_policy: bool) -> Format {
        match self {
            Format::Other if said_policy => Format::Json,
            format => format,
        }
    }

    /// Parse a name from [`Format::NAMES`] (`tf`, `yaml`, `cfn` are accepted too).
    pub fn parse(name: &str) -> Option<Format> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "json" | "policy" => Format::Json,
            "terraform" | "tf" | "hcl" => Format::Terraform,
            "cloudformation-yaml" | "cloudformation" | "cfn" | "yaml" | "sam" => {
                Format::CloudFormationYaml
            }
            "cloudformation-json" | "cfn-json" => Format::CloudFormationJson,
            _ => return None,
        })
    }
}

/// Which language `text` is in, and whether it can hold a policy at all. `path_hint` is the
/// file name if there is one (only its extension is read). The content decides, the extension
/// only says which language to try:
/// - `.tf` (`.hcl`) is Terraform;
/// - JSON text (whatever the extension) is a policy when its top level has `Statement` or
///   `Version` ([`is_policy_document`]), a CloudFormation template when it has
///   `AWSTemplateFormatVersion` or `Resources` entries of `Type: AWS::...`, and
///   [`Format::Other`] otherwise (package.json, tsconfig.json);
/// - `.yaml`, `.yml` and `.template` are YAML templates (a YAML file that is not a template, such
///   as docker-compose.yaml, reads as one with no policies);
/// - without an extension the text alone decides (Terraform blocks, YAML template keys);
///   anything else is [`Format::Other`].
pub fn detect(path_hint: Option<&str>, text: &str) -> Format {
    detect_parsed(path_hint, text).format
}

/// What [`detect_parsed`] found: the format, and the parse of the text when telling a
/// CloudFormation JSON template from other JSON took one, so that reading the template
/// ([`Detected::read`]) does not parse it a second time.
#[derive(Clone, Debug)]
pub struct Detected {
    pub format: Format,
    parsed: Option<syntax::Document>,
}

impl Detected {
    /// [`Format::or_policy`] of the format found.
    pub fn or_policy(self, said_policy: bool) -> Detected {
        Detected {
            format: self.format.or_policy(said_policy),
            parsed: self.parsed,
        }
    }

    /// [`read`] of `text` (the text it was detected from) in the format found.
    pub fn read(self, text: &str) -> HostDocument {
        match (self.format, self.parsed) {
            (Format::CloudFormationJson, Some(doc)) => {
                let (policies, errors) = cloudformation::read_json_parsed(text, &doc);
                host_document(self.format, policies, errors)
            }
            (format, _) => read(format, text),
        }
    }
}

/// [`detect`], keeping the parse it made (for the faces that read the file next).
pub fn detect_parsed(path_hint: Option<&str>, text: &str) -> Detected {
    let detected = |format| Detected {
        format,
        parsed: None,
    };
    let ext = path_hint
        .and_then(|p| p.rsplit(['/', '\\']).next())
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase());
    let looks_json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '[']);
    match ext.as_deref() {
        Some("tf") | Some("hcl") => detected(Format::Terraform),
        Some("yaml" | "yml" | "template") if !looks_json => detected(Format::CloudFormationYaml),
        // The cheap top-level scan first: most JSON files checked are policies, and a template
        // needs a full parse to tell.
        _ if looks_json && is_policy_document(text) => detected(Format::Json),
        _ if looks_json => {
            let doc = syntax::parse(text);
            if cloudformation::is_json_template(&doc) {
                Detected {
                    format: Format::CloudFormationJson,
                    parsed: Some(doc),
                }
            } else {
                detected(Format::Other)
            }
        }
        Some("json") => detected(Format::Other),
        _ if terraform::looks_like_terraform(text) => detected(Format::Terraform),
        _ if yaml::looks_like_template(text) => detected(Format::CloudFormationYaml),
        _ => detected(Format::Other),
    }
}

/// A syntax error in the host language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HostError {
    /// Byte range in the host text.
    pub span: Span,
    pub message: String,
}

/// One policy found in a host.
#[derive(Clone, Debug)]
pub struct EmbeddedPolicy {
    /// Where it is: `aws_iam_policy.admin`, `data.aws_iam_policy_document.assume`,
    /// `aws_iam_role.r.inline_policy[0]`, `Resources/OpenRole/AssumeRolePolicyDocument`,
    /// `Resources/Role/Policies/0/PolicyDocument`. Empty for a plain policy file.
    pub name: String,
    /// The type from where it sits ([`PolicyType::Auto`] for a plain policy file or where the
    /// host does not say).
    pub policy_type: PolicyType,
    /// The whole policy value in the host (the `jsonencode(...)` call, the heredoc, the data
    /// block, the YAML mapping).
    pub span: Span,
    /// The policy as the JSON text the rules read.
    pub json: String,
    /// The parse of [`EmbeddedPolicy::json`] (spans are offsets in `json`; map them with
    /// [`EmbeddedPolicy::to_host`]).
    pub document: syntax::Document,
    /// The unknown values (placeholders in `json`, computed values in the host).
    pub unknowns: Vec<Unknown>,
    /// Offsets in `json` to offsets in the host.
    pub map: SourceMap,
    /// How fixes are written back.
    pub(crate) dialect: write::Dialect,
}

impl EmbeddedPolicy {
    /// The host span of a span in [`EmbeddedPolicy::json`].
    pub fn to_host(&self, span: Span) -> Span {
        self.map.span(span)
    }

    /// The offset in [`EmbeddedPolicy::json`] of a host offset inside this policy (for hover
    /// and completion at a cursor), or None when the offset is not in the policy.
    pub fn to_json(&self, host_offset: usize) -> Option<usize> {
        if !self.span.touches(host_offset) {
            return None;
        }
        self.map.json_offset(host_offset)
    }

    /// True when `span` (in `json`) is about an unknown value: it lies in a string that holds an
    /// unknown part and touches that part, or covers the string's whole contents.
    pub fn is_on_unknown(&self, span: Span) -> bool {
        self.unknowns.iter().any(|u| {
            let inside = u.string.start <= span.start && span.end <= u.string.end;
            let touches = span.start <= u.json.end && u.json.start <= span.end;
            let whole = span.start <= u.string.start + 1 && span.end + 1 >= u.string.end;
            inside && (touches || whole)
        })
    }

    fn identity(text: &str) -> EmbeddedPolicy {
        EmbeddedPolicy {
            name: String::new(),
            policy_type: PolicyType::Auto,
            span: Span::new(0, text.len()),
            json: text.to_string(),
            document: syntax::parse(text),
            unknowns: Vec::new(),
            map: SourceMap::identity(text.len()),
            dialect: write::Dialect::Json,
        }
    }

    pub(crate) fn from_value(
        name: String,
        policy_type: PolicyType,
        value: &value::HValue,
        dialect: write::Dialect,
        span: Span,
    ) -> Self {
        let span = span.cover(value.span);
        Self::from_emitted(name, policy_type, value::emit(value), dialect, span)
    }

    /// The policy of JSON text written for it ([`value::emit`], [`value::emit_parsed`]).
    pub(crate) fn from_emitted(
        name: String,
        policy_type: PolicyType,
        mut emitted: value::Emitted,
        dialect: write::Dialect,
        span: Span,
    ) -> Self {
        let document = match emitted.root.take() {
            // Built while the text was written: the same as its parse, without the parse.
            Some(root) => syntax::Document {
                root: Some(root),
                errors: Vec::new(),
            },
            None => syntax::parse(&emitted.json),
        };
        // Every host test checks that the built tree is the parse.
        #[cfg(test)]
        assert_eq!(document, syntax::parse(&emitted.json), "{}", emitted.json);
        EmbeddedPolicy {
            name,
            policy_type,
            span,
            document,
            json: emitted.json,
            unknowns: emitted.unknowns,
            map: emitted.map,
            dialect,
        }
    }
}

/// What [`read`] finds in a host file.
#[derive(Clone, Debug)]
pub struct HostDocument {
    pub format: Format,
    /// In the order they appear in the host.
    pub policies: Vec<EmbeddedPolicy>,
    /// Syntax errors of the host language (a plain policy's JSON syntax errors are reported by
    /// the analysis as `JSON_SYNTAX_ERROR`, as before).
    pub errors: Vec<HostError>,
}

/// Find the policies in `text`, read as `format`. Never panics; a file with nothing to check
/// gives no policies.
pub fn read(format: Format, text: &str) -> HostDocument {
    let (policies, errors) = match format {
        Format::Json => (vec![EmbeddedPolicy::identity(text)], Vec::new()),
        Format::Terraform => terraform::read(text),
        Format::CloudFormationYaml => yaml::read_template(text),
        Format::CloudFormationJson => cloudformation::read_json(text),
        Format::Other => (Vec::new(), Vec::new()),
    };
    host_document(format, policies, errors)
}

fn host_document(
    format: Format,
    mut policies: Vec<EmbeddedPolicy>,
    errors: Vec<HostError>,
) -> HostDocument {
    policies.sort_by_key(|p| p.span.start);
    HostDocument {
        format,
        policies,
        errors,
    }
}

/// The findings of one embedded policy.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyAnalysis {
    pub name: String,
    /// The type the policy was checked as (never `Auto`).
    pub policy_type: PolicyType,
    /// The policy in the host.
    pub span: Span,
    /// Findings with host spans, sorted by position then code.
    pub diagnostics: Vec<Diagnostic>,
}

/// The findings of a host file.
#[derive(Clone, Debug, Serialize)]
pub struct HostAnalysis {
    pub format: Format,
    pub policies: Vec<PolicyAnalysis>,
    pub errors: Vec<HostError>,
}

impl HostAnalysis {
    /// Every finding of the file in one list sorted by position, host syntax errors included
    /// (code [`HOST_SYNTAX_ERROR`], category error).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.clone()
            .take_owned_diagnostics()
            .into_iter()
            .map(|(_, d)| d)
            .collect()
    }

    /// Every finding of the file in the order of [`HostAnalysis::diagnostics`], each with the
    /// index in [`HostAnalysis::policies`] of the policy it is in (`None` for a host syntax
    /// error). Takes the findings out of the policies; their names, types and spans stay.
    pub fn take_owned_diagnostics(&mut self) -> Vec<(Option<usize>, Diagnostic)> {
        let mut all: Vec<(Option<usize>, Diagnostic)> = self
            .errors
            .iter()
            .map(|e| {
                let d = Diagnostic::new(
                    HOST_SYNTAX_ERROR,
                    Category::Error,
                    e.span,
                    e.message.clone(),
                );
                (None, d)
            })
            .collect();
        for (i, p) in self.policies.iter_mut().enumerate() {
            all.extend(
                std::mem::take(&mut p.diagnostics)
                    .into_iter()
                    .map(|d| (Some(i), d)),
            );
        }
        all.sort_by(|(_, a), (_, b)| {
            (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
        });
        all
    }
}

/// Read `text` as `format` and check every policy in it.
///
/// The policy type: for a plain policy file, `options.policy_type` as in [`crate::analyze`]; for
/// a policy inside a host, the type from where it sits (a trust policy is checked as one
/// whatever the options say), and `options.policy_type` only where the host does not tell.
pub fn analyze(text: &str, format: Format, options: &AnalyzeOptions) -> HostAnalysis {
    analyze_document(text, &read(format, text), options)
}

/// [`analyze`] of a document already read with [`read`] from `text`.
pub fn analyze_document(
    text: &str,
    document: &HostDocument,
    options: &AnalyzeOptions,
) -> HostAnalysis {
    let policies = document
        .policies
        .iter()
        .map(|p| analyze_policy(text, document.format, p, options))
        .collect();
    HostAnalysis {
        format: document.format,
        policies,
        errors: document.errors.clone(),
    }
}

/// Check one embedded policy; findings come back with host spans.
pub fn analyze_policy(
    host: &str,
    format: Format,
    policy: &EmbeddedPolicy,
    options: &AnalyzeOptions,
) -> PolicyAnalysis {
    let mut options = options.clone();
    if policy.policy_type != PolicyType::Auto {
        options.policy_type = policy.policy_type.clone();
    }
    let analysis = analyze_parsed(&policy.json, &policy.document, &options);
    let diagnostics = in_host(host, format, policy, analysis.diagnostics);
    PolicyAnalysis {
        name: policy.name.clone(),
        policy_type: analysis.policy_type,
        span: policy.span,
        diagnostics,
    }
}

/// Findings on `policy`'s JSON text as findings of the host file: none on unknown values or on
/// statements merged in from another block, spans in the host, fixes in its syntax.
pub(crate) fn in_host(
    host: &str,
    format: Format,
    policy: &EmbeddedPolicy,
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    if format == Format::Json {
        return diagnostics;
    }
    diagnostics
        .into_iter()
        .filter(|d| !policy.is_on_unknown(d.span))
        // A statement merged in from another block (a policy document's
        // `source_policy_documents`) is checked where it is written, once.
        .filter(|d| {
            let at = policy.to_host(d.span);
            policy.span.start <= at.start && at.end <= policy.span.end
        })
        .map(|d| to_host_diagnostic(host, policy, d))
        .collect()
}

fn to_host_diagnostic(host: &str, policy: &EmbeddedPolicy, mut d: Diagnostic) -> Diagnostic {
    d.span = policy.to_host(d.span);
    // Messages quote values: show an unknown value as the host writes it.
    if d.message.contains(value::UNKNOWN_PREFIX) {
        for (i, u) in policy.unknowns.iter().enumerate().rev() {
            let placeholder = format!("{}{}}}", value::UNKNOWN_PREFIX, i + 1);
            d.message = d.message.replace(&placeholder, u.host.slice(host));
        }
    }
    for r in &mut d.related {
        r.span = policy.to_host(r.span);
    }
    // Each fix is written in the host's own syntax, or not offered.
    d.fixes = d
        .fixes
        .iter()
        .filter_map(|f| write::host_fix(host, policy, f))
        .collect();
    d
}

/// "name CODE host-text" for every finding, and "error host-text" for host errors.
#[cfg(test)]
pub(crate) fn findings_for_tests(text: &str, format: Format) -> Vec<String> {
    let a = analyze(text, format, &AnalyzeOptions::default());
    let mut out: Vec<String> = a
        .errors
        .iter()
        .map(|e| format!("error {:?}", e.span.slice(text)))
        .collect();
    for p in &a.policies {
        for d in &p.diagnostics {
            out.push(format!("{} {} {}", p.name, d.code, d.span.slice(text)));
        }
    }
    out
}

#[cfg(test)]
mod tests;

//! Terraform (HCL): policies in `jsonencode(...)`, heredocs, quoted JSON strings and
//! `data "aws_iam_policy_document"` blocks, with the policy type from the attribute they sit in.
//!
//! hcl-edit keeps byte spans on every node but stops at the first syntax error, so a file that
//! does not parse whole is cut into its top-level blocks and each is parsed alone: a broken
//! block is one error and the others are still read.

use std::cell::Cell;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::template::{Element, Template};
use hcl_edit::Span as _;

use super::json::{read_decoded, Decoded, ReadJson};
use super::value::{Emitted, HKind, HMember, HStr, HValue};
use super::write::{Carrier, Dialect};
use super::{EmbeddedPolicy, HostError};
use crate::policy::PolicyType;
use crate::span::Span;

mod document;
mod literal;

use document::{DocAttribute, DocBlock, MAX_BLOCK_DEPTH, NESTED_BLOCKS};

/// True when the text has a top-level Terraform block (`resource "..."`, `data "..."`, ...).
pub(crate) fn looks_like_terraform(text: &str) -> bool {
    text.lines().any(|line| block_keyword(line).is_some())
}

const BLOCK_KEYWORDS: &[&str] = &[
    "resource",
    "data",
    "provider",
    "module",
    "variable",
    "output",
    "terraform",
    "locals",
    "moved",
    "import",
    "check",
    "removed",
];

/// The keyword when `line` starts a top-level block at column 0 (`resource "x" "y" {`).
fn block_keyword(line: &str) -> Option<&'static str> {
    BLOCK_KEYWORDS.iter().copied().find(|k| {
        line.strip_prefix(k)
            .is_some_and(|rest| rest.starts_with([' ', '\t', '{', '"']))
    })
}

/// Where a policy sits: resource type, attribute, policy type.
fn policy_type_of(resource_type: &str, attribute: &str) -> Option<PolicyType> {
    let resource = PolicyType::for_resource_type;
    Some(match (resource_type, attribute) {
        ("aws_iam_policy", "policy")
        | ("aws_iam_role_policy", "policy")
        | ("aws_iam_user_policy", "policy")
        | ("aws_iam_group_policy", "policy")
        | ("aws_iam_role", "inline_policy")
        | ("aws_iam_user", "inline_policy") => PolicyType::Identity,
        ("aws_iam_role", "assume_role_policy") => PolicyType::Trust,
        ("aws_s3_bucket_policy" | "aws_s3_bucket", "policy") => resource("AWS::S3::Bucket"),
        ("aws_sqs_queue_policy" | "aws_sqs_queue", "policy") => resource("AWS::SQS::Queue"),
        ("aws_sns_topic_policy" | "aws_sns_topic", "policy") => resource("AWS::SNS::Topic"),
        ("aws_kms_key" | "aws_kms_replica_key", "policy") => resource("AWS::KMS::Key"),
        ("aws_ecr_repository_policy", "policy") => resource("AWS::ECR::Repository"),
        ("aws_secretsmanager_secret_policy" | "aws_secretsmanager_secret", "policy") => {
            resource("AWS::SecretsManager::Secret")
        }
        ("aws_vpc_endpoint" | "aws_vpc_endpoint_policy", "policy") => {
            resource("AWS::EC2::VPCEndpoint")
        }
        _ => return None,
    })
}

/// The policy type of an `aws_organizations_policy` from its `type` (SCP when absent, as in
/// the provider); None for the Organizations policy kinds that are not IAM policies.
fn organizations_type(kind: Option<&str>) -> Option<PolicyType> {
    match kind.unwrap_or("SERVICE_CONTROL_POLICY") {
        "SERVICE_CONTROL_POLICY" => Some(PolicyType::Scp),
        "RESOURCE_CONTROL_POLICY" => Some(PolicyType::Rcp),
        _ => None,
    }
}

/// A `data "aws_iam_policy_document"` block before its source and override documents are
/// merged in.
struct DocumentBlock {
    name: String,
    /// The policy its own `statement` blocks say.
    own: HValue,
    /// `source_policy_documents`, in order.
    sources: Vec<DocumentSource>,
    /// `override_policy_documents`, in order.
    overrides: Vec<DocumentSource>,
}

/// One entry of `source_policy_documents` or `override_policy_documents`.
#[derive(Clone)]
enum DocumentSource {
    /// `data.aws_iam_policy_document.NAME.json`: a document of the same file.
    Document(String),
    /// Anything else (a variable, a file, a resource attribute, a whole list computed at once):
    /// statements nobody can know, at this host span.
    Unknown(Span),
}

/// A policy document found in an attribute, before its type is final.
struct Found {
    name: String,
    policy_type: PolicyType,
    value: FoundValue,
    dialect: Dialect,
    /// The whole attribute value (a heredoc, a `jsonencode(...)` call).
    span: Span,
}

/// A policy found, as a host value, or already written as the JSON the rules read (JSON text
/// in a string or heredoc, see [`read_decoded`]).
enum FoundValue {
    Host(HValue),
    Json(Emitted),
}

#[derive(Default)]
struct Reader<'t> {
    text: &'t str,
    base: usize,
    /// The literal heredoc bodies and collections cut out of the text hcl-edit parsed (see
    /// [`read_cut`]): its offsets are mapped back to the host's through them.
    cuts: Vec<Cut>,
    /// The values of the collections cut out (indexed by [`CutKind::Collection`]).
    /// Each is taken by the one expression that reads it (not copied).
    literals: Vec<Cell<Option<HValue>>>,
    /// The policy document blocks whose bodies were cut out (indexed by [`CutKind::Block`]),
    /// each taken by the block that reads it.
    blocks: Vec<Cell<Option<DocBlock<'t>>>>,
    found: Vec<Found>,
    errors: Vec<HostError>,
    /// `data.aws_iam_policy_document.NAME.json` uses: (NAME, policy type of the use).
    document_uses: Vec<(String, PolicyType)>,
    /// `aws_iam_policy.NAME` used as a permissions boundary.
    boundaries: Vec<String>,
    /// Each `data "aws_iam_policy_document"`, as written in its own block.
    documents: Vec<DocumentBlock>,
    /// Index in `found` of each `aws_iam_policy` (for boundaries).
    managed: Vec<(String, usize)>,
}

pub(crate) fn read(text: &str) -> (Vec<EmbeddedPolicy>, Vec<HostError>) {
    read_with(text, true)
}

/// [`read`], with `cut` false reading every heredoc through hcl-edit (the tests compare both).
fn read_with(text: &str, cut: bool) -> (Vec<EmbeddedPolicy>, Vec<HostError>) {
    if cut {
        if let Some(r) = read_cut(text) {
            return r.finish();
        }
    }
    let mut r = Reader {
        text,
        ..Reader::default()
    };
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => r.body(&body),
        Err(_) => {
            for chunk in top_level_chunks(text) {
                let Some(source) = text.get(chunk.start..chunk.end) else {
                    continue;
                };
                match hcl_edit::parser::parse_body(source) {
                    Ok(body) => {
                        r.base = chunk.start;
                        r.body(&body);
                    }
                    Err(e) => {
                        let at = (chunk.start + e.location().offset()).min(chunk.end);
                        let mut end = at + 1;
                        while end < text.len() && !text.is_char_boundary(end) {
                            end += 1;
                        }
                        r.errors.push(HostError {
                            span: Span::new(at, end.min(text.len()).max(at)),
                            message: format!("Terraform syntax error: {}", e.message()),
                        });
                    }
                }
            }
        }
    }
    r.finish()
}

/// The text with what can be read without hcl-edit cut out, parsed whole, or None when there
/// is nothing to cut, the cut text does not parse, or a cut is not where hcl-edit finds what
/// was cut (then the text is read as it is). Two things are cut:
/// - the body of each heredoc that holds only literal text: hcl-edit's template parser tries
///   its alternatives at every character of a heredoc, which made it the largest cost of
///   reading a heredoc policy; a body without `${` or `%{` is decoded from the host text
///   directly instead, as hcl-edit would have read it;
/// - the body of each `data "aws_iam_policy_document"` block written as the data source
///   usually is (see [`document`]): `{}` is left;
/// - the contents of each literal collection that `jsonencode(...)` takes or an attribute is
///   set to (`{...}` or `[...]` of strings, numbers, objects and tuples, see [`literal`]),
///   which are read as hcl-edit would read them at a fraction of its cost; `{}` or `[]` is left.
fn read_cut(text: &str) -> Option<Reader<'_>> {
    let heredocs = literal_heredocs(text);
    let documents = document::strict_documents(text, &heredocs);
    let mut skip: Vec<Span> = heredocs
        .iter()
        .map(|h| h.body)
        .chain(documents.iter().map(|d| d.inner))
        .collect();
    skip.sort_unstable_by_key(|s| s.start);
    let literals = literal::literal_collections(text, &skip);
    if heredocs.is_empty() && literals.is_empty() && documents.is_empty() {
        return None;
    }
    // (start, end) of the text removed, and what it was, in text order.
    let mut removals: Vec<(usize, usize, CutKind)> = heredocs
        .into_iter()
        .map(|h| (h.body.start, h.last_line_end, CutKind::Heredoc(h)))
        .chain(
            literals
                .iter()
                .enumerate()
                .map(|(k, v)| (v.span.start + 1, v.span.end - 1, CutKind::Collection(k))),
        )
        .chain(
            documents
                .iter()
                .enumerate()
                .map(|(k, d)| (d.inner.start, d.inner.end, CutKind::Block(k))),
        )
        .collect();
    removals.sort_by_key(|r| r.0);
    let mut cut_text = String::with_capacity(text.len());
    let mut cuts = Vec::with_capacity(removals.len());
    let mut from = 0;
    for (start, end, kind) in removals {
        // A heredoc's body up to its last line ending: what is left, `<<EOT\n\nEOT`, is a
        // heredoc whose body is that line ending alone, at the place of the old body.
        cut_text.push_str(&text[from..start]);
        let removed = cuts.last().map_or(0, |c: &Cut| c.removed) + (end - start);
        cuts.push(Cut {
            at: cut_text.len(),
            removed,
            kind,
        });
        from = end;
    }
    cut_text.push_str(&text[from..]);
    let body = hcl_edit::parser::parse_body(&cut_text).ok()?;
    // Every cut must be where hcl-edit found a heredoc's body or an empty collection, or the
    // guess was wrong (`<<` in a comment, `= [` in a string, in another heredoc).
    let mut found = CutPlaces::default();
    hcl_edit::visit::Visit::visit_body(&mut found, &body);
    found.heredocs.sort_unstable();
    found.collections.sort_unstable();
    found.blocks.sort_unstable();
    let in_place = |c: &Cut| match c.kind {
        CutKind::Heredoc(_) => found.heredocs.binary_search(&c.at).is_ok(),
        CutKind::Collection(_) => found.collections.binary_search(&c.at).is_ok(),
        CutKind::Block(_) => found.blocks.binary_search(&c.at).is_ok(),
    };
    if !cuts.iter().all(in_place) {
        return None;
    }
    let mut r = Reader {
        text,
        cuts,
        literals: literals.into_iter().map(|v| Cell::new(Some(v))).collect(),
        blocks: documents
            .into_iter()
            .map(|d| Cell::new(Some(d.block)))
            .collect(),
        ..Reader::default()
    };
    r.body(&body);
    // A block cut out that was not read as a top-level policy document (a `data` block nested
    // in another at column 0) would be read by hcl-edit otherwise: read the text as it is.
    if r.blocks.iter().any(|b| b.take().is_some()) {
        return None;
    }
    Some(r)
}

/// Where each heredoc's template starts in a parse, where the inside of each empty
/// collection is (after its `{` or `[`), and where the closing brace of each empty block is.
#[derive(Default)]
struct CutPlaces {
    heredocs: Vec<usize>,
    collections: Vec<usize>,
    blocks: Vec<usize>,
}

impl hcl_edit::visit::Visit for CutPlaces {
    fn visit_heredoc_template(&mut self, node: &hcl_edit::template::HeredocTemplate) {
        if let Some(r) = node.template.span() {
            self.heredocs.push(r.start);
        }
        hcl_edit::visit::visit_heredoc_template(self, node);
    }

    fn visit_block(&mut self, node: &Block) {
        if node.body.is_empty() {
            if let Some(r) = node.span() {
                self.blocks.push(r.end - 1);
            }
        }
        hcl_edit::visit::visit_block(self, node);
    }

    fn visit_array(&mut self, node: &hcl_edit::expr::Array) {
        if node.is_empty() {
            if let Some(r) = node.span() {
                self.collections.push(r.start + 1);
            }
        }
        hcl_edit::visit::visit_array(self, node);
    }

    fn visit_object(&mut self, node: &hcl_edit::expr::Object) {
        if node.is_empty() {
            if let Some(r) = node.span() {
                self.collections.push(r.start + 1);
            }
        }
        hcl_edit::visit::visit_object(self, node);
    }
}

/// What was cut out of the text hcl-edit parses.
#[derive(Clone, Copy)]
enum CutKind {
    /// A literal heredoc's body.
    Heredoc(LiteralHeredoc),
    /// The contents of a literal collection: its value is `Reader::literals[k]`.
    Collection(usize),
    /// The body of a policy document block: it is `Reader::blocks[k]`.
    Block(usize),
}

/// A heredoc body or a collection's contents cut out of the text hcl-edit parses.
#[derive(Clone, Copy)]
struct Cut {
    /// Where the body was, in the cut text.
    at: usize,
    /// Bytes removed up to and including this cut.
    removed: usize,
    kind: CutKind,
}

/// A heredoc whose body has no interpolation or directive.
#[derive(Clone, Copy, Default)]
struct LiteralHeredoc {
    /// The body in the host, from the line after `<<EOT` to the line ending before the closing
    /// `EOT`, that line ending included (the span hcl-edit gives its literal).
    body: Span,
    /// Where the line ending that ends the body starts.
    last_line_end: usize,
    /// What hcl-edit strips from each line for `<<-` (0 for `<<`).
    indent: usize,
}

/// The heredocs of `text` whose bodies are literal text, as hcl-edit reads them: the opening
/// `<<ID` or `<<-ID` ends its line; the body ends at the first line ending followed by spaces
/// or tabs and `ID` not followed by an identifier character; `$${` and `%%{` are escapes, any
/// other `${` or `%{` makes the heredoc a template (left to hcl-edit). A `<<` that is not a
/// heredoc (in a comment or a string) is caught by [`read_cut`]'s check.
fn literal_heredocs(text: &str) -> Vec<LiteralHeredoc> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = text.get(i..).and_then(|rest| rest.find("<<")) {
        let start = i + at + 2;
        i = start;
        let indented = bytes.get(start) == Some(&b'-');
        let id_start = start + usize::from(indented);
        let mut id_end = id_start;
        while id_end < bytes.len() && is_ascii_id_continue(bytes[id_end]) {
            id_end += 1;
        }
        let body_start = match bytes.get(id_end..) {
            Some([b'\n', ..]) => id_end + 1,
            Some([b'\r', b'\n', ..]) => id_end + 2,
            _ => continue,
        };
        let id = &bytes[id_start..id_end];
        if !id
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        {
            continue;
        }
        let Some(end) = literal_body_end(bytes, body_start, id) else {
            continue;
        };
        // An empty body is cheap for hcl-edit, and a marker on the first line is its own case.
        if end == body_start {
            continue;
        }
        let line_end = end + if bytes[end] == b'\r' { 2 } else { 1 };
        let body = Span::new(body_start, line_end);
        found.push(LiteralHeredoc {
            body,
            last_line_end: end,
            indent: if indented {
                heredoc_indent(body.slice(text))
            } else {
                0
            },
        });
        i = line_end;
    }
    found
}

/// Where the body from `from` ends (at the line ending before the closing marker `id`), or None
/// when it holds an interpolation or directive, has a non-ASCII character after a marker, or
/// has no end.
fn literal_body_end(bytes: &[u8], from: usize, id: &[u8]) -> Option<usize> {
    let mut p = from;
    while p < bytes.len() {
        // Only these bytes start anything below: jump to the next one.
        p += bytes[p..]
            .iter()
            .position(|b| matches!(b, b'$' | b'%' | b'\n' | b'\r'))?;
        let rest = &bytes[p..];
        // Terraform's own templates (`${`, `%{`, doubled to escape), not IAM policy variables:
        // `arn::variable_start` does not serve here.
        if rest.starts_with(b"$${") || rest.starts_with(b"%%{") {
            p += 3;
            continue;
        }
        if rest.starts_with(b"${") || rest.starts_with(b"%{") {
            return None;
        }
        let line_ending = match rest {
            [b'\n', ..] => 1,
            [b'\r', b'\n', ..] => 2,
            _ => 0,
        };
        if line_ending > 0 {
            let mut q = p + line_ending;
            while matches!(bytes.get(q), Some(b' ' | b'\t')) {
                q += 1;
            }
            if bytes[q..].starts_with(id) {
                match bytes.get(q + id.len()) {
                    Some(b) if !b.is_ascii() => return None,
                    Some(b) if is_ascii_id_continue(*b) => {}
                    _ => return Some(p),
                }
            }
        }
        p += 1;
    }
    None
}

fn is_ascii_id_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The indentation hcl-edit removes from a `<<-` heredoc's literal body: the fewest leading
/// whitespace characters of its non-empty lines, or 0 when a line starts with another
/// character.
fn heredoc_indent(body: &str) -> usize {
    let mut indent: Option<usize> = None;
    for line in body.lines().filter(|l| !l.is_empty()) {
        let leading = line.chars().take_while(|c| c.is_whitespace()).count();
        if leading == 0 {
            return 0;
        }
        indent = Some(indent.map_or(leading, |i| i.min(leading)));
    }
    indent.unwrap_or(0)
}

impl<'t> Reader<'t> {
    fn span(&self, s: Option<std::ops::Range<usize>>) -> Span {
        s.map_or(Span::empty(self.base), |r| {
            Span::new(
                self.base + self.uncut(r.start),
                self.base + self.uncut(r.end),
            )
        })
    }

    /// The host offset of an offset in the text hcl-edit parsed.
    fn uncut(&self, offset: usize) -> usize {
        match self.cuts.partition_point(|c| c.at <= offset) {
            0 => offset,
            k => offset + self.cuts[k - 1].removed,
        }
    }

    /// The heredoc whose body was cut where `template` starts.
    fn cut_heredoc(&self, template: &Template) -> Option<LiteralHeredoc> {
        let at = template.span()?.start;
        let k = self.cuts.binary_search_by_key(&at, |c| c.at).ok()?;
        match self.cuts[k].kind {
            CutKind::Heredoc(h) => Some(h),
            CutKind::Collection(_) | CutKind::Block(_) => None,
        }
    }

    /// The value of the literal collection whose contents were cut out of the (now empty)
    /// array or object `expr`, taken out of the reader: each expression is read once.
    fn cut_collection(&self, expr: &Expression) -> Option<HValue> {
        let at = expr.span()?.start + 1;
        let k = self.cuts.binary_search_by_key(&at, |c| c.at).ok()?;
        match self.cuts[k].kind {
            CutKind::Collection(i) => self.literals.get(i)?.take(),
            CutKind::Heredoc(_) | CutKind::Block(_) => None,
        }
    }

    /// The policy document block whose body was cut out of the (now empty) block `block`,
    /// taken out of the reader.
    fn cut_block(&self, block: &Block) -> Option<DocBlock<'t>> {
        if !block.body.is_empty() {
            return None;
        }
        let at = block.span()?.end - 1;
        let k = self.cuts.binary_search_by_key(&at, |c| c.at).ok()?;
        match self.cuts[k].kind {
            CutKind::Block(i) => self.blocks.get(i)?.take(),
            CutKind::Heredoc(_) | CutKind::Collection(_) => None,
        }
    }

    /// A policy document block read by hcl-edit, as the strict reader gives it: attribute
    /// values read as host values, the blocks the policy is made of read to
    /// [`MAX_BLOCK_DEPTH`], others kept with their span only. The top level's source and
    /// override documents are left out (they are references, read by
    /// [`Reader::document_sources`]).
    fn doc_block<'b>(&self, block: &'b Block, depth: usize) -> DocBlock<'b> {
        let mut read = DocBlock::new(
            block.ident.as_str(),
            block.labels.first().map(label_str),
            self.span(block.span()),
        );
        for s in block.body.iter() {
            match s {
                Structure::Attribute(attr) => {
                    let name = attr.key.as_str();
                    if depth == 0
                        && matches!(
                            name,
                            "source_policy_documents" | "override_policy_documents"
                        )
                    {
                        continue;
                    }
                    read.attributes.push(DocAttribute {
                        name,
                        key_span: self.span(attr.key.span()),
                        value: Some(self.value(strip_parens(&attr.value))),
                    });
                }
                Structure::Block(b) => read.blocks.push(
                    if depth < MAX_BLOCK_DEPTH && NESTED_BLOCKS.contains(&b.ident.as_str()) {
                        self.doc_block(b, depth + 1)
                    } else {
                        DocBlock::new(
                            b.ident.as_str(),
                            b.labels.first().map(label_str),
                            self.span(b.span()),
                        )
                    },
                ),
            }
        }
        read
    }

    fn body(&mut self, body: &Body) {
        for s in body.iter() {
            if let Structure::Block(block) = s {
                self.top_block(block);
            }
        }
    }

    fn top_block(&mut self, block: &Block) {
        let labels: Vec<&str> = block.labels.iter().map(label_str).collect();
        match (block.ident.as_str(), labels.as_slice()) {
            ("resource", [kind, name]) => self.resource(block, kind, name),
            ("data", ["aws_iam_policy_document", name]) => {
                let (own, sources, overrides) = match self.cut_block(block) {
                    Some(mut read) => {
                        let mut sources = |attribute| {
                            read.take(attribute)
                                .map_or_else(Vec::new, |(_, v)| literal_sources(v))
                        };
                        let sources_read = sources("source_policy_documents");
                        let overrides = sources("override_policy_documents");
                        (document::policy_document(read), sources_read, overrides)
                    }
                    None => (
                        document::policy_document(self.doc_block(block, 0)),
                        self.document_sources(block, "source_policy_documents"),
                        self.document_sources(block, "override_policy_documents"),
                    ),
                };
                self.documents.push(DocumentBlock {
                    name: name.to_string(),
                    own,
                    sources,
                    overrides,
                });
            }
            _ => {}
        }
    }

    fn resource(&mut self, block: &Block, kind: &str, name: &str) {
        let prefix = format!("{kind}.{name}");
        for s in block.body.iter() {
            match s {
                Structure::Attribute(attr) => {
                    let key = attr.key.as_str();
                    if key == "permissions_boundary" {
                        if let Some(target) = reference_to(&attr.value, "aws_iam_policy") {
                            self.boundaries.push(target);
                        }
                        continue;
                    }
                    let policy_type = if kind == "aws_organizations_policy" && key == "content" {
                        let org_kind = block
                            .body
                            .get_attribute("type")
                            .and_then(|a| a.value.as_str().map(str::to_string));
                        match organizations_type(org_kind.as_deref()) {
                            Some(t) => t,
                            None => continue,
                        }
                    } else {
                        match policy_type_of(kind, key) {
                            Some(t) => t,
                            None => continue,
                        }
                    };
                    let name = if key == "policy" || key == "content" {
                        prefix.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    if kind == "aws_iam_policy" {
                        self.managed.push((name.clone(), self.found.len()));
                    }
                    self.policy_value(&attr.value, name, policy_type);
                }
                Structure::Block(inner) if inner.ident.as_str() == "inline_policy" => {
                    let index = block
                        .body
                        .get_blocks("inline_policy")
                        .position(|b| std::ptr::eq(b, inner))
                        .unwrap_or(0);
                    if let Some(attr) = inner.body.get_attribute("policy") {
                        self.policy_value(
                            &attr.value,
                            format!("{prefix}.inline_policy[{index}]"),
                            PolicyType::Identity,
                        );
                    }
                }
                Structure::Block(_) => {}
            }
        }
    }

    /// A policy attribute's value: `jsonencode(...)`, a JSON string or heredoc, or a reference
    /// to a policy document data source.
    fn policy_value(&mut self, expr: &Expression, name: String, policy_type: PolicyType) {
        let expr = strip_parens(expr);
        let mut dialect = Dialect::HclExpression;
        let value = match expr {
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
                match call.args.iter().next() {
                    Some(arg) => FoundValue::Host(self.value(strip_parens(arg))),
                    None => return,
                }
            }
            Expression::String(_)
            | Expression::StringTemplate(_)
            | Expression::HeredocTemplate(_) => {
                dialect = if matches!(expr, Expression::HeredocTemplate(_)) {
                    Dialect::json_in(Carrier::Heredoc)
                } else {
                    Dialect::json_in(Carrier::HclString)
                };
                let mut decoded = Decoded::default();
                self.string_into(expr, &mut decoded);
                if !decoded.text.trim_start().starts_with('{') {
                    // A file name, an ARN, anything but an inline document.
                    return;
                }
                match read_decoded(&decoded) {
                    ReadJson::Emitted(json) => FoundValue::Json(json),
                    ReadJson::Value(value, errors) => {
                        self.errors
                            .extend(errors.into_iter().map(|(span, message)| HostError {
                                span,
                                message: format!(
                                    "JSON syntax error in the policy string: {message}"
                                ),
                            }));
                        match value {
                            Some(v) => FoundValue::Host(v),
                            None => return,
                        }
                    }
                }
            }
            _ => {
                if let Some(doc) = document_reference(expr) {
                    self.document_uses.push((doc, policy_type));
                }
                return;
            }
        };
        if matches!(&value, FoundValue::Host(v) if matches!(v.kind, HKind::Unknown)) {
            return;
        }
        self.found.push(Found {
            name,
            policy_type,
            value,
            dialect,
            span: self.span(expr.span()),
        });
    }

    /// An HCL expression as a JSON value (`jsonencode`'s argument).
    fn value(&self, expr: &Expression) -> HValue {
        let span = self.span(expr.span());
        match expr {
            Expression::Null(_) => HValue::new(HKind::Null, span),
            Expression::Bool(b) => HValue::new(HKind::Bool(*b.value()), span),
            Expression::Number(n) => {
                HValue::new(HKind::Number(span.slice(self.text).to_string()), {
                    let _ = n;
                    span
                })
            }
            Expression::String(_)
            | Expression::StringTemplate(_)
            | Expression::HeredocTemplate(_) => {
                let mut s = HStr::default();
                self.string_into(expr, &mut s);
                HValue::string(s, span)
            }
            Expression::Array(items) if items.is_empty() => match self.cut_collection(expr) {
                Some(v) => v,
                None => HValue::new(HKind::Array(Vec::new()), span),
            },
            Expression::Array(items) => HValue::new(
                HKind::Array(items.iter().map(|i| self.value(i)).collect()),
                span,
            ),
            Expression::Object(object) if object.is_empty() => match self.cut_collection(expr) {
                Some(v) => v,
                None => HValue::new(HKind::Object(Vec::new()), span),
            },
            Expression::Object(object) => {
                let members = object
                    .iter()
                    .map(|(key, value)| {
                        let key_span = self.span(key.span());
                        let key_str = match key {
                            ObjectKey::Ident(ident) => HStr::literal(ident.as_str(), key_span),
                            ObjectKey::Expression(e) => match strip_parens(e) {
                                e @ (Expression::String(_) | Expression::StringTemplate(_)) => {
                                    let mut s = HStr::default();
                                    self.string_into(e, &mut s);
                                    s
                                }
                                Expression::Variable(v) => HStr::literal(v.as_str(), key_span),
                                _ => {
                                    let mut s = HStr::default();
                                    s.push_unknown(key_span);
                                    s
                                }
                            },
                        };
                        HMember {
                            key: key_str,
                            key_span,
                            value: self.value(strip_parens(value.expr())),
                        }
                    })
                    .collect();
                HValue::new(HKind::Object(members), span)
            }
            Expression::Parenthesis(p) => self.value(p.inner()),
            _ => HValue::unknown(span),
        }
    }

    /// Decode a string expression (quoted, template or heredoc) into `out`.
    fn string_into(&self, expr: &Expression, out: &mut dyn TextSink) {
        match expr {
            Expression::String(s) => {
                let span = self.span(s.span());
                let inner = Span::new(
                    (span.start + 1).min(span.end),
                    span.end.saturating_sub(1).max(span.start),
                );
                decode_quoted(self.text, inner, out);
            }
            Expression::StringTemplate(t) => self.template_into(t, false, 0, out),
            Expression::HeredocTemplate(h) => match self.cut_heredoc(&h.template) {
                Some(cut) => decode_heredoc(self.text, cut.body, cut.indent, out),
                None => self.template_into(&h.template, true, h.indent().unwrap_or(0), out),
            },
            other => out.unknown(self.span(other.span())),
        }
    }

    fn template_into(
        &self,
        template: &Template,
        heredoc: bool,
        indent: usize,
        out: &mut dyn TextSink,
    ) {
        for element in template.iter() {
            match element {
                Element::Literal(lit) => {
                    let span = self.span(lit.span());
                    if heredoc {
                        decode_heredoc(self.text, span, indent, out);
                    } else {
                        decode_quoted(self.text, span, out);
                    }
                }
                Element::Interpolation(i) => out.unknown(self.span(i.span())),
                Element::Directive(d) => out.unknown(self.span(d.span())),
            }
        }
    }

    /// The entries of a `source_policy_documents` or `override_policy_documents` list.
    fn document_sources(&self, block: &Block, attribute: &str) -> Vec<DocumentSource> {
        let Some(attr) = block.body.get_attribute(attribute) else {
            return Vec::new();
        };
        let value = strip_parens(&attr.value);
        if let Some(literal) = self.cut_collection(value) {
            return literal_sources(literal);
        }
        match value {
            Expression::Array(items) => items
                .iter()
                .map(|item| match document_reference(strip_parens(item)) {
                    Some(name) => DocumentSource::Document(name),
                    None => DocumentSource::Unknown(self.span(item.span())),
                })
                .collect(),
            other => vec![DocumentSource::Unknown(self.span(other.span()))],
        }
    }

    fn finish(mut self) -> (Vec<EmbeddedPolicy>, Vec<HostError>) {
        for (name, idx) in &self.managed {
            let short = name.trim_start_matches("aws_iam_policy.");
            if self.boundaries.iter().any(|b| b == short) {
                if let Some(f) = self.found.get_mut(*idx) {
                    f.policy_type = PolicyType::Boundary;
                }
            }
        }
        let mut policies: Vec<EmbeddedPolicy> = std::mem::take(&mut self.found)
            .into_iter()
            .map(|f| match f.value {
                FoundValue::Host(value) => {
                    EmbeddedPolicy::from_value(f.name, f.policy_type, &value, f.dialect, f.span)
                }
                // Within the attribute's span, as the value read from it would be.
                FoundValue::Json(json) => {
                    EmbeddedPolicy::from_emitted(f.name, f.policy_type, json, f.dialect, f.span)
                }
            })
            .collect();
        let documents = std::mem::take(&mut self.documents);
        for (i, block) in documents.iter().enumerate() {
            // The type of the first use decides (a document used as a trust policy is one).
            let policy_type = self
                .document_uses
                .iter()
                .find(|(n, _)| *n == block.name)
                .map_or(PolicyType::Auto, |(_, t)| t.clone());
            let doc = merged_document(&documents, i, 0);
            policies.push(EmbeddedPolicy::from_value(
                format!("data.aws_iam_policy_document.{}", block.name),
                policy_type,
                &doc,
                Dialect::HclPolicyDocument,
                doc.span,
            ));
        }
        (policies, self.errors)
    }
}

/// How deep `source_policy_documents` may chain before the rest is taken as unknown (a cycle
/// is an error Terraform reports; here it only must not recurse forever).
const MAX_DOCUMENT_DEPTH: usize = 8;

/// Document `index` with its source and override documents merged in as the data source does:
/// the source documents' statements in order, then the block's own statements, then each
/// override document's; a statement with a Sid replaces an earlier one with the same Sid, one
/// without a Sid is appended. A document of the same file is merged with its own sources; any
/// other document is an unknown statement (it may hold anything, so it is never read as
/// holding nothing). Statements that come from another block keep their spans there: the
/// findings on them are reported in that block (see `super::analyze_policy`), while the
/// checks of the policy as a whole (its size, its Sids, a trust policy's principals) see them.
fn merged_document(
    documents: &[DocumentBlock],
    index: usize,
    depth: usize,
) -> std::borrow::Cow<'_, HValue> {
    let block = &documents[index];
    if block.sources.is_empty() && block.overrides.is_empty() {
        // Nothing merged in: the block as written (not copied, it is only read).
        return std::borrow::Cow::Borrowed(&block.own);
    }
    let mut statements: Vec<HValue> = Vec::new();
    let merge_from = |statements: &mut Vec<HValue>, source: &DocumentSource| {
        let found = match source {
            DocumentSource::Document(name) if depth < MAX_DOCUMENT_DEPTH => {
                documents.iter().position(|d| d.name == *name)
            }
            _ => None,
        };
        match found {
            Some(j) => {
                if let Some(HKind::Array(items)) = merged_document(documents, j, depth + 1)
                    .get("Statement")
                    .map(|v| &v.kind)
                {
                    merge_statements(statements, items.iter().cloned());
                }
            }
            None => {
                let span = match source {
                    DocumentSource::Unknown(span) => *span,
                    // A name with no block in this file (or a chain too deep): where the
                    // block names it is not known here, so at the block's start.
                    DocumentSource::Document(_) => Span::empty(block.own.span.start),
                };
                statements.push(HValue::unknown(span));
            }
        }
    };
    for source in &block.sources {
        merge_from(&mut statements, source);
    }
    if let Some(HKind::Array(own)) = block.own.get("Statement").map(|v| &v.kind) {
        merge_statements(&mut statements, own.iter().cloned());
    }
    for source in &block.overrides {
        merge_from(&mut statements, source);
    }
    let mut doc = block.own.clone();
    if let HKind::Object(members) = &mut doc.kind {
        for m in members.iter_mut() {
            if m.key.plain().as_deref() == Some("Statement") {
                if let HKind::Array(items) = &mut m.value.kind {
                    *items = std::mem::take(&mut statements);
                }
            }
        }
    }
    std::borrow::Cow::Owned(doc)
}

/// The entries of a `source_policy_documents` or `override_policy_documents` that is a literal
/// value: literal items are never a document's reference, so each list item (or the whole
/// value when it is not a list) is statements nobody can know.
fn literal_sources(value: HValue) -> Vec<DocumentSource> {
    match value.kind {
        HKind::Array(items) => items
            .iter()
            .map(|item| DocumentSource::Unknown(item.span))
            .collect(),
        _ => vec![DocumentSource::Unknown(value.span)],
    }
}

/// Append `new` statements to `statements`, each replacing the one with the same Sid.
fn merge_statements(statements: &mut Vec<HValue>, new: impl Iterator<Item = HValue>) {
    for statement in new {
        let sid = statement
            .get("Sid")
            .and_then(HValue::plain_str)
            .filter(|s| !s.is_empty());
        let same = sid.as_ref().and_then(|sid| {
            statements
                .iter()
                .position(|s| s.get("Sid").and_then(HValue::plain_str).as_ref() == Some(sid))
        });
        match same {
            Some(i) => statements[i] = statement,
            None => statements.push(statement),
        }
    }
}

/// Where decoded text goes: a host string (jsonencode values) or JSON text to parse.
pub(crate) trait TextSink {
    fn text(&mut self, text: &str, host: Span);
    fn unknown(&mut self, host: Span);
}

impl TextSink for HStr {
    fn text(&mut self, text: &str, host: Span) {
        self.push_text(text, host);
    }
    fn unknown(&mut self, host: Span) {
        self.push_unknown(host);
    }
}

impl TextSink for Decoded {
    fn text(&mut self, text: &str, host: Span) {
        self.push(text, host);
    }
    fn unknown(&mut self, host: Span) {
        self.push_unknown(host);
    }
}

/// Decode the raw contents of a quoted HCL string literal at `span` in `text`: backslash
/// escapes, `$${` for `${` and `%%{` for `%{`.
pub(crate) fn decode_quoted(text: &str, span: Span, out: &mut dyn TextSink) {
    decode_literal(text, span, None, out);
}

/// Decode a literal part of a heredoc: no backslash escapes, `$${` and `%%{` escapes, and for
/// `<<-` the common indentation (`indent` columns) removed at each line start.
fn decode_heredoc(text: &str, span: Span, indent: usize, out: &mut dyn TextSink) {
    decode_literal(text, span, Some(indent), out);
}

/// The one decoder of HCL template literals; `heredoc` is the indentation to strip, or None
/// for a quoted string (which has backslash escapes).
fn decode_literal(text: &str, span: Span, heredoc: Option<usize>, out: &mut dyn TextSink) {
    let raw = span.slice(text);
    let bytes = raw.as_bytes();
    let indent = heredoc.unwrap_or(0);
    let quoted = heredoc.is_none();
    let flush = |out: &mut dyn TextSink, from: usize, to: usize| {
        if to > from {
            out.text(
                &raw[from..to],
                Span::new(span.start + from, span.start + to),
            );
        }
    };
    let mut i = 0;
    let mut run = 0;
    let mut line_start =
        indent > 0 && (span.start == 0 || text.as_bytes().get(span.start - 1) == Some(&b'\n'));
    while i < raw.len() {
        if line_start {
            line_start = false;
            let mut skip = 0;
            while skip < indent && matches!(bytes.get(i + skip), Some(b' ' | b'\t')) {
                skip += 1;
            }
            if skip > 0 {
                flush(out, run, i);
                i += skip;
                run = i;
                continue;
            }
        }
        // Only these bytes start anything below: jump to the next one (text between is
        // copied as it is).
        let Some(k) = bytes[i..].iter().position(|&b| {
            b == b'$' || b == b'%' || (quoted && b == b'\\') || (indent > 0 && b == b'\n')
        }) else {
            break;
        };
        i += k;
        let rest = &raw[i..];
        if bytes[i] == b'\n' {
            i += 1;
            line_start = true;
            continue;
        }
        let escape = if rest.starts_with("$${") || rest.starts_with("%%{") {
            Some((rest[1..3].to_string(), 3))
        } else if quoted && rest.starts_with('\\') {
            // What hcl-edit and the literal reader accept has only HCL's escapes; anything else
            // is kept without its backslash, so that a decode never fails.
            Some(match hcl_escape(rest) {
                Some((v, len)) => (v.to_string(), len),
                None => {
                    let c = rest[1..].chars().next();
                    (
                        c.map(String::from).unwrap_or_default(),
                        1 + c.map_or(0, char::len_utf8),
                    )
                }
            })
        } else {
            None
        };
        match escape {
            Some((decoded, len)) => {
                flush(out, run, i);
                out.text(&decoded, Span::new(span.start + i, span.start + i + len));
                i += len;
                run = i;
            }
            // A `$` or `%` that starts no escape.
            None => i += 1,
        }
    }
    flush(out, run, raw.len());
}

/// One HCL backslash escape at the start of `s` (which starts with `\`): its value and its
/// length, or None when HCL has no such escape (hcl-edit's grammar: `\n \r \t \" \\`, and
/// `\u` or `\U` with exactly 4 or 8 hex digits naming a character). The decoder and the
/// literal reader both ask here.
fn hcl_escape(s: &str) -> Option<(char, usize)> {
    let mut chars = s.chars();
    chars.next();
    let c = chars.next()?;
    let simple = match c {
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        _ => None,
    };
    if let Some(v) = simple {
        return Some((v, 2));
    }
    let digits = match c {
        'u' => 4,
        'U' => 8,
        _ => return None,
    };
    let hex = s
        .get(2..2 + digits)
        .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))?;
    let v = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((v, 2 + digits))
}

/// A list of one string as that string: the data source writes `actions = ["s3:GetObject"]`
/// as `"Action": "s3:GetObject"` in the JSON it gives (and so for resources, principals'
/// identifiers and condition values), and the size quotas count that JSON. The string keeps
/// its own span in the list; a fix that makes it several items writes them in the list
/// (`super::write`).
fn one_item_as_string(v: HValue) -> HValue {
    match v.kind {
        HKind::Array(mut items)
            if items.len() == 1 && matches!(items[0].kind, HKind::Str(_) | HKind::Unknown) =>
        {
            items.remove(0)
        }
        kind => HValue::new(kind, v.span),
    }
}

/// Only an exact text part can hold a `&{` to read as `${`.
fn holds_amp(part: &super::value::Part) -> bool {
    matches!(part, super::value::Part::Text { text, exact: true, .. } if text.contains("&{"))
}

/// In `aws_iam_policy_document`, `&{...}` is written for the policy variable `${...}`.
fn amp_variables(mut v: HValue) -> HValue {
    match &mut v.kind {
        // A string without `&{` is left as it is (most are; rebuilding every string was about
        // 2 % of reading a policy-document corpus).
        HKind::Str(s) if s.parts.iter().any(holds_amp) => {
            let mut out = HStr::default();
            for part in std::mem::take(&mut s.parts) {
                match part {
                    super::value::Part::Text { text, host, exact }
                        if exact && text.contains("&{") =>
                    {
                        let mut from = 0;
                        for (i, _) in text.match_indices("&{") {
                            out.push_text(
                                &text[from..i],
                                Span::new(host.start + from, host.start + i),
                            );
                            out.push_text("${", Span::new(host.start + i, host.start + i + 2));
                            from = i + 2;
                        }
                        out.push_text(&text[from..], Span::new(host.start + from, host.end));
                    }
                    other => out.parts.push(other),
                }
            }
            *s = out;
        }
        HKind::Array(items) => {
            let taken = std::mem::take(items);
            *items = taken.into_iter().map(amp_variables).collect();
        }
        _ => {}
    }
    v
}

fn strip_parens(mut expr: &Expression) -> &Expression {
    while let Expression::Parenthesis(p) = expr {
        expr = p.inner();
    }
    expr
}

fn label_str(label: &BlockLabel) -> &str {
    match label {
        BlockLabel::Ident(i) => i.as_str(),
        BlockLabel::String(s) => s.value().as_str(),
    }
}

/// The attribute names of a traversal `root.a.b...` (None when it has index or splat steps).
fn traversal_path(expr: &Expression) -> Option<Vec<&str>> {
    let Expression::Traversal(t) = expr else {
        return None;
    };
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    let mut path = vec![root.as_str()];
    for op in &t.operators {
        match op.value() {
            TraversalOperator::GetAttr(ident) => path.push(ident.as_str()),
            _ => return None,
        }
    }
    Some(path)
}

/// `data.aws_iam_policy_document.NAME.json` (or `.minified_json`) -> NAME.
fn document_reference(expr: &Expression) -> Option<String> {
    match traversal_path(expr)?.as_slice() {
        ["data", "aws_iam_policy_document", name, "json" | "minified_json"] => {
            Some(name.to_string())
        }
        _ => None,
    }
}

/// `KIND.NAME.arn` (or `.id`) -> NAME.
fn reference_to(expr: &Expression, kind: &str) -> Option<String> {
    match traversal_path(strip_parens(expr))?.as_slice() {
        [k, name, "arn" | "id"] if *k == kind => Some(name.to_string()),
        _ => None,
    }
}

/// The top-level blocks of a file that does not parse whole, by byte range. A block starts at
/// a line beginning (column 0) with a block keyword; this is how `terraform fmt` writes files,
/// and it holds even when a brace is missing inside a block.
fn top_level_chunks(text: &str) -> Vec<Span> {
    let mut starts = Vec::new();
    let mut offset = 0;
    let mut in_heredoc: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(marker) = &in_heredoc {
            if trimmed == marker {
                in_heredoc = None;
            }
        } else {
            if block_keyword(line).is_some() {
                starts.push(offset);
            }
            if let Some(pos) = line.find("<<") {
                let rest = line[pos + 2..].trim_start_matches('-');
                let marker: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !marker.is_empty() && rest[marker.len()..].trim().is_empty() {
                    in_heredoc = Some(marker);
                }
            }
        }
        offset += line.len();
    }
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &s)| Span::new(s, starts.get(i + 1).copied().unwrap_or(text.len())))
        .collect()
}

#[cfg(test)]
mod tests;

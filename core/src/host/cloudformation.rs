//! CloudFormation and SAM templates: where policies sit in a template, their policy types, and
//! intrinsic functions (long form; the YAML reader turns short forms into long ones).

use std::borrow::Cow;

use super::json::{parse_decoded, to_value, Decoded};
use super::map::SourceMap;
use super::value::{HKind, HMember, HStr, HValue, Part};
use super::write::{Carrier, Dialect};
use super::{EmbeddedPolicy, HostError};
use crate::policy::PolicyType;
use crate::span::Span;

/// True when a parsed JSON text is a CloudFormation template: a top-level object with
/// `AWSTemplateFormatVersion`, or `Resources` whose entries have a `Type` of `AWS::...`.
pub(crate) fn is_json_template(doc: &crate::syntax::Document) -> bool {
    let Some(root) = doc.root.as_ref() else {
        return false;
    };
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    root.get("Resources")
        .and_then(|m| m.value.as_ref())
        .and_then(|r| r.as_object())
        .is_some_and(|resources| {
            resources.iter().any(|r| {
                r.value
                    .as_ref()
                    .and_then(|v| v.get("Type"))
                    .and_then(|t| t.value.as_ref())
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.starts_with("AWS::"))
            })
        })
}

pub(crate) fn read_json(text: &str) -> (Vec<EmbeddedPolicy>, Vec<HostError>) {
    read_json_parsed(text, &crate::syntax::parse(text))
}

/// [`read_json`] of a text already parsed (by [`super::detect_parsed`]).
pub(crate) fn read_json_parsed(
    text: &str,
    doc: &crate::syntax::Document,
) -> (Vec<EmbeddedPolicy>, Vec<HostError>) {
    let errors = doc
        .errors
        .iter()
        .map(|e| HostError {
            span: e.span,
            message: format!("JSON syntax error: {}", e.message),
        })
        .collect();
    let Some(root) = doc.root.as_ref() else {
        return (Vec::new(), errors);
    };
    let value = to_value(root, text, &SourceMap::identity(text.len()), &[]);
    read_template(&value, text, errors)
}

/// Where a document sits in a resource: (resource type, property) -> policy type.
fn document_properties(resource_type: &str) -> &'static [(&'static str, Kind)] {
    match resource_type {
        "AWS::IAM::Policy"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::IAM::RolePolicy"
        | "AWS::IAM::UserPolicy"
        | "AWS::IAM::GroupPolicy" => &[("PolicyDocument", Kind::Identity)],
        "AWS::IAM::Role" => &[
            ("AssumeRolePolicyDocument", Kind::Trust),
            ("Policies", Kind::InlineList),
        ],
        "AWS::IAM::User" | "AWS::IAM::Group" => &[("Policies", Kind::InlineList)],
        "AWS::S3::BucketPolicy" => &[("PolicyDocument", Kind::Resource("AWS::S3::Bucket"))],
        "AWS::SQS::QueuePolicy" => &[("PolicyDocument", Kind::Resource("AWS::SQS::Queue"))],
        "AWS::SNS::TopicPolicy" => &[("PolicyDocument", Kind::Resource("AWS::SNS::Topic"))],
        "AWS::KMS::Key" | "AWS::KMS::ReplicaKey" => {
            &[("KeyPolicy", Kind::Resource("AWS::KMS::Key"))]
        }
        "AWS::ECR::Repository" => &[(
            "RepositoryPolicyText",
            Kind::Resource("AWS::ECR::Repository"),
        )],
        "AWS::SecretsManager::ResourcePolicy" => &[(
            "ResourcePolicy",
            Kind::Resource("AWS::SecretsManager::Secret"),
        )],
        "AWS::EC2::VPCEndpoint" => &[("PolicyDocument", Kind::Resource("AWS::EC2::VPCEndpoint"))],
        "AWS::Organizations::Policy" => &[("Content", Kind::Organizations)],
        "AWS::Serverless::Function" | "AWS::Serverless::StateMachine" => {
            &[("Policies", Kind::SamPolicies)]
        }
        _ => &[],
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Identity,
    Trust,
    Resource(&'static str),
    /// `Policies: [{PolicyName, PolicyDocument}]`.
    InlineList,
    /// `Content` with the policy `Type` beside it.
    Organizations,
    /// SAM `Policies`: names, policy templates and inline documents mixed.
    SamPolicies,
}

pub(crate) fn read_template(
    root: &HValue,
    text: &str,
    mut errors: Vec<HostError>,
) -> (Vec<EmbeddedPolicy>, Vec<HostError>) {
    let mut found: Vec<(String, PolicyType, &HValue)> = Vec::new();
    let Some(HKind::Object(resources)) = root.get("Resources").map(|r| &r.kind) else {
        return (Vec::new(), errors);
    };
    let mut boundaries: Vec<String> = Vec::new();
    for r in resources {
        let Some(id) = r.key.plain() else { continue };
        let Some(rtype) = r.value.get("Type").and_then(HValue::plain_str) else {
            continue;
        };
        let Some(props) = r.value.get("Properties") else {
            continue;
        };
        if let Some(b) = props.get("PermissionsBoundary").and_then(|b| b.get("Ref")) {
            boundaries.extend(b.plain_str());
        }
        for (property, kind) in document_properties(&rtype) {
            let Some(value) = props.get(property) else {
                continue;
            };
            let base = format!("Resources/{id}/{property}");
            match kind {
                Kind::Identity => found.push((base, PolicyType::Identity, value)),
                Kind::Trust => found.push((base, PolicyType::Trust, value)),
                Kind::Resource(t) => found.push((base, PolicyType::for_resource_type(t), value)),
                Kind::Organizations => {
                    let t = props.get("Type").and_then(HValue::plain_str);
                    let pt = match t.as_deref() {
                        Some("SERVICE_CONTROL_POLICY") => PolicyType::Scp,
                        Some("RESOURCE_CONTROL_POLICY") => PolicyType::Rcp,
                        _ => continue,
                    };
                    found.push((base, pt, value));
                }
                Kind::InlineList => {
                    if let HKind::Array(items) = &value.kind {
                        for (i, item) in items.iter().enumerate() {
                            if let Some(doc) = item.get("PolicyDocument") {
                                found.push((
                                    format!("{base}/{i}/PolicyDocument"),
                                    PolicyType::Identity,
                                    doc,
                                ));
                            }
                        }
                    }
                }
                Kind::SamPolicies => {
                    let items: Vec<&HValue> = match &value.kind {
                        HKind::Array(items) => items.iter().collect(),
                        _ => vec![value],
                    };
                    for (i, item) in items.into_iter().enumerate() {
                        // Only inline documents: managed policy names and SAM policy templates
                        // are expanded by SAM, not written here.
                        if item.get("Statement").is_some() {
                            found.push((format!("{base}/{i}"), PolicyType::Identity, item));
                        }
                    }
                }
            }
        }
    }
    let mut policies = Vec::new();
    for (name, mut policy_type, value) in found {
        let id = name.split('/').nth(1).unwrap_or("");
        if policy_type == PolicyType::Identity
            && name.ends_with("/PolicyDocument")
            && name.matches('/').count() == 2
            && boundaries.iter().any(|b| b == id)
        {
            policy_type = PolicyType::Boundary;
        }
        let Some((document, dialect)) = document_value(value, text, &mut errors) else {
            continue;
        };
        policies.push(EmbeddedPolicy::from_value(
            name,
            policy_type,
            &document,
            dialect,
            value.span,
        ));
    }
    (policies, errors)
}

/// A policy document property as a JSON value: an object (intrinsics resolved to unknown
/// values) or a JSON string parsed with positions inside the string.
fn document_value<'v>(
    value: &'v HValue,
    text: &str,
    errors: &mut Vec<HostError>,
) -> Option<(Cow<'v, HValue>, Dialect)> {
    let json_host = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    match &value.kind {
        HKind::Object(members) if intrinsic(value).is_some() => {
            // `Fn::Sub` of a JSON text: its literal text is read, and fixes are written into
            // it (a literal `${` as `${!`) where each character has its own place. Any other
            // computed document (`Fn::Join`, `Fn::If`, ...) gets no fixes.
            let resolved = resolve(value);
            let HKind::Str(s) = resolved.kind else {
                return None;
            };
            let template = match &members[0].value.kind {
                HKind::Array(items) => items.first(),
                _ => Some(&members[0].value),
            };
            let dialect = match template {
                Some(t) if intrinsic(value).as_deref() == Some("Fn::Sub") => {
                    match (&t.kind, carrier(t, text, json_host)) {
                        (HKind::Str(t), Some(carrier)) if char_by_char(t) => {
                            Dialect::JsonIn { carrier, sub: true }
                        }
                        _ => Dialect::NoFixes,
                    }
                }
                _ => Dialect::NoFixes,
            };
            Some((Cow::Owned(json_string(&s, errors)?), dialect))
        }
        HKind::Object(_) => Some((
            // Most documents have no intrinsic function: read as they are, not copied.
            match computed(value) {
                true => Cow::Owned(resolve(value)),
                false => Cow::Borrowed(value),
            },
            if json_host {
                Dialect::Json
            } else {
                Dialect::Yaml
            },
        )),
        HKind::Str(s) => {
            let dialect = match carrier(value, text, json_host) {
                Some(c) if char_by_char(s) => Dialect::json_in(c),
                _ => Dialect::NoFixes,
            };
            Some((Cow::Owned(json_string(s, errors)?), dialect))
        }
        _ => None,
    }
}

/// How the string `value` is written: a JSON string in a JSON template; in YAML a single- or
/// double-quoted scalar, or a literal or folded block (after a tag such as `!Sub`).
fn carrier(value: &HValue, text: &str, json_host: bool) -> Option<Carrier> {
    if json_host {
        return Some(Carrier::JsonString);
    }
    let raw = value.span.slice(text);
    let raw = raw.strip_prefix('!').map_or(raw, |tagged| {
        tagged.trim_start_matches(|c: char| !c.is_whitespace())
    });
    Some(match raw.trim_start().chars().next()? {
        '\'' => Carrier::YamlSingle,
        '"' => Carrier::YamlDouble,
        // A block scalar (its span may start at its first line of content). A plain scalar
        // cannot start with `{`, and one over several lines is not read character by
        // character (`char_by_char`).
        _ => Carrier::YamlBlock,
    })
}

/// True when each character of `s` has its own place in the host: text copied byte for byte,
/// and each escape or folded line break one character of its own (see
/// `yaml::quoted_scalar`). Then an edit of the JSON inside maps to the host text it stands for;
/// a string mapped as a whole to its scalar gets no fixes.
fn char_by_char(s: &HStr) -> bool {
    s.parts.iter().all(|p| match p {
        Part::Text { text, exact, .. } => *exact || text.chars().count() == 1,
        Part::Unknown { .. } => true,
    })
}

fn json_string(s: &HStr, errors: &mut Vec<HostError>) -> Option<HValue> {
    let mut d = Decoded::default();
    for p in &s.parts {
        match p {
            Part::Text { text, host, exact } => {
                if *exact {
                    d.push(text, *host);
                } else {
                    // Keep offsets inside the text: each character maps to the whole part.
                    for c in text.chars() {
                        d.push(c.encode_utf8(&mut [0; 4]), *host);
                    }
                }
            }
            Part::Unknown { host } => d.push_unknown(*host),
        }
    }
    if !d.text.trim_start().starts_with('{') {
        return None;
    }
    let (value, errs) = parse_decoded(&d);
    errors.extend(errs.into_iter().map(|(span, message)| HostError {
        span,
        message: format!("JSON syntax error in the policy string: {message}"),
    }));
    value
}

/// The intrinsic function name when `value` is `{"Ref": ...}` or `{"Fn::X": ...}`.
fn intrinsic(value: &HValue) -> Option<String> {
    let HKind::Object(members) = &value.kind else {
        return None;
    };
    let [only] = members.as_slice() else {
        return None;
    };
    let name = only.key.plain()?;
    (name == "Ref" || name == "Condition" || name.starts_with("Fn::")).then_some(name)
}

/// Resolve intrinsic functions: literal text that can be read (`Fn::Sub` around references,
/// `Fn::Join` of strings) is kept with its positions; everything computed is unknown.
fn resolve(value: &HValue) -> HValue {
    match &value.kind {
        HKind::Object(members) => {
            if let Some(name) = intrinsic(value) {
                let arg = &members[0].value;
                return match name.as_str() {
                    "Fn::Sub" => sub(arg, value.span),
                    "Fn::Join" => join(arg, value.span),
                    _ => HValue::unknown(value.span),
                };
            }
            HValue::new(
                HKind::Object(
                    members
                        .iter()
                        .map(|m| HMember {
                            key: m.key.clone(),
                            key_span: m.key_span,
                            value: resolve(&m.value),
                        })
                        .collect(),
                ),
                value.span,
            )
        }
        HKind::Array(items) => HValue::new(
            HKind::Array(items.iter().map(resolve).collect()),
            value.span,
        ),
        HKind::Str(s) => HValue::string(dynamic_references(s), value.span),
        _ => value.clone(),
    }
}

/// True when [`resolve`] would change `value`: it holds an intrinsic function or a dynamic
/// reference.
fn computed(value: &HValue) -> bool {
    match &value.kind {
        HKind::Object(members) => match members.as_slice() {
            // The key of a one-member object is read (and copied) only when it may name a
            // function.
            [only]
                if only.key.parts.iter().any(|p| match p {
                    Part::Text { text, .. } => text.starts_with(['R', 'C', 'F']),
                    Part::Unknown { .. } => true,
                }) && intrinsic(value).is_some() =>
            {
                true
            }
            _ => members.iter().any(|m| computed(&m.value)),
        },
        HKind::Array(items) => items.iter().any(computed),
        HKind::Str(s) => s.parts.iter().any(|p| match p {
            Part::Text { text, .. } => {
                memchr::memchr(b'{', text.as_bytes()).is_some() && text.contains(DYNAMIC_REFERENCE)
            }
            Part::Unknown { .. } => false,
        }),
        _ => false,
    }
}

const DYNAMIC_REFERENCE: &str = "{{resolve:";

/// `{{resolve:...}}` dynamic references are computed at deploy time.
fn dynamic_references(s: &HStr) -> HStr {
    split_text(s, |text| {
        let start = text.find(DYNAMIC_REFERENCE)?;
        let end = text[start..]
            .find("}}")
            .map_or(text.len(), |e| start + e + 2);
        Some((start, end, None))
    })
}

/// `Fn::Sub`: `${Name}` is unknown, `${!Name}` is the literal `${Name}` (a policy variable).
fn sub(arg: &HValue, span: Span) -> HValue {
    let template = match &arg.kind {
        HKind::Array(items) => items.first(),
        _ => Some(arg),
    };
    let Some(HKind::Str(s)) = template.map(|t| &t.kind) else {
        return HValue::unknown(span);
    };
    let resolved = split_text(s, |text| {
        // CloudFormation's own `${` (a substitution, `${!` for a literal one), not the search for
        // an IAM policy variable (`arn::variable_start`), though the two bytes are the same.
        let start = text.find("${")?;
        let end = text[start..]
            .find('}')
            .map_or(text.len(), |e| start + e + 1);
        if text[start..].starts_with("${!") {
            // The literal `${` + rest: drop the `!`.
            Some((start, end, Some(format!("${{{}", &text[start + 3..end]))))
        } else {
            Some((start, end, None))
        }
    });
    HValue::string(dynamic_references(&resolved), span)
}

/// Split the exact text parts of `s` at the ranges `find` reports: `None` makes the range an
/// unknown part, `Some(text)` replaces it by literal text.
fn split_text(s: &HStr, find: impl Fn(&str) -> Option<(usize, usize, Option<String>)>) -> HStr {
    let mut out = HStr::default();
    for p in &s.parts {
        match p {
            Part::Text {
                text,
                host,
                exact: true,
            } => {
                let mut from = 0;
                while let Some((a, b, replacement)) = find(&text[from..]) {
                    let (a, b) = (from + a, from + b);
                    out.push_text(&text[from..a], Span::new(host.start + from, host.start + a));
                    let range = Span::new(host.start + a, host.start + b);
                    match replacement {
                        None => out.push_unknown(range),
                        Some(r) => out.push_text(&r, range),
                    }
                    from = b;
                    if from >= text.len() {
                        break;
                    }
                }
                out.push_text(&text[from..], Span::new(host.start + from, host.end));
            }
            Part::Text { text, host, .. } if find(text).is_some() => out.push_unknown(*host),
            other => out.parts.push(other.clone()),
        }
    }
    out
}

/// `Fn::Join [delimiter, [parts]]` of strings and intrinsics: one string, computed parts
/// unknown. A computed list is unknown as a whole.
fn join(arg: &HValue, span: Span) -> HValue {
    let HKind::Array(args) = &arg.kind else {
        return HValue::unknown(span);
    };
    let (Some(delimiter), Some(HKind::Array(items))) = (
        args.first().and_then(HValue::plain_str),
        args.get(1).map(|a| &a.kind),
    ) else {
        return HValue::unknown(span);
    };
    let delim_span = args[0].span;
    let mut out = HStr::default();
    for (i, item) in items.iter().enumerate() {
        if i > 0 && !delimiter.is_empty() {
            out.push_text(&delimiter, delim_span);
        }
        match resolve(item).kind {
            HKind::Str(s) => out.parts.extend(s.parts),
            _ => out.push_unknown(item.span),
        }
    }
    HValue::string(out, span)
}

#[cfg(test)]
mod tests;

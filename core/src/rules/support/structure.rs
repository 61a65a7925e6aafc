//! Helpers shared by the structure and principal rules: walking the elements of a policy, and
//! building the text edits their fixes make (rename a key, replace a string, insert or remove an
//! object member) so that every fix leaves valid JSON in the document's own layout.

use crate::bytes::words;
use crate::fast_hash::{FastMap, FastSet};

use crate::diagnostic::TextEdit;
use crate::policy::{PolicyType, Statement};
use crate::rules::Context;
use crate::span::Span;
use crate::syntax::quote::json_string;
use crate::syntax::{Key, Member, Node, NodeKind};

/// The members of an object node; empty for any other value.
pub fn members(node: &Node) -> &[Member] {
    node.as_object().unwrap_or(&[])
}

/// The root object's members (empty when the document is not an object).
pub fn root_members<'a>(cx: &Context<'a>) -> &'a [Member] {
    cx.policy.root.map(members).unwrap_or(&[])
}

/// True for a value the parser could not read: JSON_SYNTAX_ERROR already reported it, so other
/// rules stay quiet about it.
pub fn is_broken(node: &Node) -> bool {
    matches!(node.kind, NodeKind::Error)
}

/// A span to point at a statement when the finding is about something it lacks: its Sid value
/// when it has one, else its opening brace.
pub fn statement_anchor(st: &Statement<'_>) -> Span {
    st.head_span()
}

/// The first character of the root value (its `{`), for findings about the whole document.
pub fn document_anchor(cx: &Context<'_>) -> Span {
    match cx.policy.root {
        Some(root) => {
            // One character, even when the document starts with a multi-byte one.
            let width = cx
                .text
                .get(root.span.start..)
                .and_then(|rest| rest.chars().next())
                .map_or(0, char::len_utf8);
            Span::new(
                root.span.start,
                (root.span.start + width).min(root.span.end),
            )
        }
        None => Span::empty(0),
    }
}

/// A human name of the policy type for messages ("an identity policy", "an SCP").
pub fn type_phrase(policy_type: &PolicyType) -> String {
    match policy_type {
        PolicyType::Identity => "an identity policy".into(),
        PolicyType::Resource {
            resource_type: Some(rt),
        } => format!("a resource policy ({rt})"),
        PolicyType::Resource {
            resource_type: None,
        } => "a resource policy".into(),
        PolicyType::Trust => "a role trust policy".into(),
        PolicyType::Scp => "a service control policy (SCP)".into(),
        PolicyType::Rcp => "a resource control policy (RCP)".into(),
        PolicyType::Boundary => "a permissions boundary".into(),
        PolicyType::Session => "a session policy".into(),
        PolicyType::VpcEndpoint => "a VPC endpoint policy".into(),
        PolicyType::Auto => "a policy".into(),
    }
}

/// Replace a key with another name.
pub fn rename_key(key: &Key, name: &str) -> TextEdit {
    TextEdit {
        span: key.span,
        text: json_string(name),
    }
}

/// Replace a value (quotes included) with a string.
pub fn replace_with_string(node: &Node, value: &str) -> TextEdit {
    TextEdit {
        span: node.span,
        text: json_string(value),
    }
}

/// Delete member `index` of an object together with one separating comma, so the object stays
/// valid JSON and the following members keep their indentation. None when a neighbour has no
/// value (the text around it is broken and an edit could make it worse).
pub fn remove_member(members: &[Member], index: usize) -> Option<TextEdit> {
    let member = members.get(index)?;
    member.value.as_ref()?;
    let span = if let Some(next) = members.get(index + 1) {
        // From this key to the next key: takes the comma and the line break after it.
        Span::new(member.key.span.start, next.key.span.start)
    } else if index > 0 {
        let prev = &members[index - 1];
        prev.value.as_ref()?;
        // The last member: take the comma after the previous member instead.
        Span::new(prev.span().end, member.span().end)
    } else {
        member.span()
    };
    Some(TextEdit {
        span,
        text: String::new(),
    })
}

/// Every object member of the policy document at any depth, each with the object holding it,
/// for rules that look at every key (duplicates).
pub fn each_object<'a>(node: &'a Node, visit: &mut dyn FnMut(&'a Node)) {
    match &node.kind {
        NodeKind::Object(members) => {
            visit(node);
            for m in members {
                if let Some(v) = &m.value {
                    each_object(v, visit);
                }
            }
        }
        NodeKind::Array(items) => {
            // Action and Resource arrays hold thousands of strings: no call for each.
            for item in items {
                if matches!(item.kind, NodeKind::Object(_) | NodeKind::Array(_)) {
                    each_object(item, visit);
                }
            }
        }
        _ => {}
    }
}

/// Case-insensitive exact match or a plausible typo of one of `names`.
pub fn closest_name(word: &str, names: &'static [&'static str]) -> Option<&'static str> {
    if let Some(exact) = names.iter().find(|n| n.eq_ignore_ascii_case(word)) {
        return Some(exact);
    }
    // Plurals and stray spaces are the common slips: "Actions", " Effect".
    let trimmed = word.trim();
    let singular = trimmed.strip_suffix('s').unwrap_or(trimmed);
    if let Some(n) = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case(trimmed) || n.eq_ignore_ascii_case(singular))
    {
        return Some(n);
    }
    crate::suggest::did_you_mean(word, names.iter().copied())
}

/// True when an object has one of `wanted`, or a key that is a misspelling of one of them
/// (INVALID_POLICY_ELEMENT already reports and fixes that, so "missing" rules stay quiet).
pub fn has_element(members: &[Member], wanted: &[&str], all: &'static [&'static str]) -> bool {
    members.iter().any(|m| {
        let key = m.key.value.as_str();
        wanted.contains(&key)
            || (!all.contains(&key) && closest_name(key, all).is_some_and(|n| wanted.contains(&n)))
    })
}

/// Policy types whose Sids must be unique. IAM rejects repeated Sids in the policies it stores
/// (managed, inline and trust policies: "Statement IDs (SID) in a single policy must be unique"),
/// and so does AWS Organizations; SNS and SQS address statements by Sid. S3 bucket policies and
/// other resource policies, and session policies, accept repeats.
pub fn requires_unique_sids(policy_type: &PolicyType) -> bool {
    match policy_type {
        PolicyType::Identity
        | PolicyType::Boundary
        | PolicyType::Trust
        | PolicyType::Scp
        | PolicyType::Rcp => true,
        PolicyType::Resource {
            resource_type: Some(rt),
        } => ["AWS::SNS::Topic", "AWS::SQS::Queue"]
            .iter()
            .any(|t| t.eq_ignore_ascii_case(rt)),
        _ => false,
    }
}

/// Every repeated, non-empty Sid: (the earlier statement's Sid value, the repeated one).
pub fn repeated_sids<'a>(statements: &[Statement<'a>]) -> Vec<(&'a Node, &'a Node, &'a str)> {
    // A map from Sid to its first use keeps this linear in the number of statements.
    let mut first_use: FastMap<&'a str, &'a Node> = FastMap::default();
    let mut out = Vec::new();
    for st in statements {
        let Some(node) = st.sid.and_then(|m| m.value.as_ref()) else {
            continue;
        };
        let Some(value) = node.as_str().filter(|v| !v.is_empty()) else {
            continue;
        };
        match first_use.get(value) {
            Some(first) => out.push((*first, node, value)),
            None => {
                first_use.insert(value, node);
            }
        }
    }
    out
}

/// Picks Sids that no statement uses yet: `base2`, `base3`, ... Remembers what it handed out
/// and where each base's numbering stopped, so many repeats of one Sid stay linear.
pub struct FreshSids {
    used: FastSet<String>,
    next: FastMap<String, usize>,
}

impl FreshSids {
    pub fn new(statements: &[Statement<'_>]) -> FreshSids {
        FreshSids {
            used: statements
                .iter()
                .filter_map(|s| s.sid_value())
                .map(str::to_string)
                .collect(),
            next: FastMap::default(),
        }
    }

    pub fn fresh(&mut self, base: &str) -> String {
        let mut n = self.next.get(base).copied().unwrap_or(2);
        loop {
            let candidate = format!("{base}{n}");
            n += 1;
            if self.used.insert(candidate.clone()) {
                self.next.insert(base.to_string(), n);
                return candidate;
            }
        }
    }
}

/// Report each repeated Sid with a safe renaming fix (a Sid has no effect on access).
pub fn report_repeated_sids(cx: &Context<'_>, sink: &mut crate::rules::Sink<'_>, required: bool) {
    let repeated = repeated_sids(&cx.policy.statements);
    if repeated.is_empty() {
        return;
    }
    let mut fresh_sids = FreshSids::new(&cx.policy.statements);
    for (first, repeated, value) in repeated {
        let message = if required {
            format!(
                "The Sid \"{value}\" is used by another statement; {} requires unique statement IDs. Rename one of them.",
                type_phrase(cx.policy_type)
            )
        } else {
            format!(
                "The Sid \"{value}\" is used by another statement. Give each statement its own Sid so that findings and reviews can name it."
            )
        };
        let d = sink.report(repeated.span, message);
        d.related.push(crate::diagnostic::Related {
            span: first.span,
            message: format!("\"{value}\" is first used here"),
        });
        let fresh = fresh_sids.fresh(value);
        d.fixes.push(crate::diagnostic::Fix::safe(
            format!("Rename to \"{fresh}\""),
            vec![replace_with_string(repeated, &fresh)],
        ));
    }
}

/// The `[]` values of the named statement elements, with the element name.
fn empty_arrays<'a>(
    statements: &[Statement<'a>],
    names: &[&'static str],
) -> Vec<(&'static str, &'a Node, usize)> {
    let mut out = Vec::new();
    for st in statements {
        for m in members(st.node) {
            let Some(name) = names.iter().find(|n| **n == m.key.value) else {
                continue;
            };
            if let Some(v) = &m.value {
                if matches!(&v.kind, NodeKind::Array(items) if items.is_empty()) {
                    out.push((*name, v, st.index));
                }
            }
        }
    }
    out
}

/// How the EMPTY_ARRAY_* messages name an element pair such as Action / NotAction.
pub struct ElementWords {
    /// "Action".
    pub element: &'static str,
    /// "NotAction".
    pub not_element: &'static str,
    /// "action".
    pub singular: &'static str,
    /// "actions".
    pub plural: &'static str,
    /// A value to suggest, quoted as JSON: "\"s3:GetObject\"".
    pub example: &'static str,
}

/// Report every `[]` value of the element or its Not form: the first matches nothing, the
/// second excludes nothing.
pub fn report_empty_arrays(
    cx: &Context<'_>,
    sink: &mut crate::rules::Sink<'_>,
    words: &ElementWords,
) {
    let ElementWords {
        element,
        not_element,
        singular,
        plural,
        example,
    } = words;
    for (name, node, index) in empty_arrays(&cx.policy.statements, &[*element, *not_element]) {
        let message = if name == *element {
            format!(
                "`{element}` is empty, so statement {} matches no {plural} and has no effect. List the {plural} (e.g. {example}) or delete the statement.",
                index + 1
            )
        } else {
            format!(
                "`{not_element}` is empty, so statement {} excludes nothing and matches every {singular}. List the {plural} to exclude, or use `{element}`.",
                index + 1
            )
        };
        sink.report(node.span, message);
    }
}

/// Sizes of a policy document as the quotas count them.
pub struct PolicySize {
    /// Every character (AWS Organizations counts these for SCPs and RCPs).
    pub chars: usize,
    /// Characters that are not whitespace (IAM does not count whitespace).
    pub non_whitespace: usize,
    /// Characters outside strings that are not whitespace, plus every character in strings:
    /// what is left after minifying the JSON.
    pub minified: usize,
    /// UTF-8 bytes (services such as S3 and SQS limit bytes).
    pub bytes: usize,
}

pub fn policy_size(text: &str) -> PolicySize {
    let mut size = PolicySize {
        chars: 0,
        non_whitespace: 0,
        minified: 0,
        bytes: text.len(),
    };
    let (mut in_string, mut escaped) = (false, false);
    // Byte by byte, decoding only non-ASCII characters: this runs over every document.
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (white, len) = if b.is_ascii() {
            // `char::is_whitespace` on ASCII: also the vertical tab, unlike `u8::is_ascii_whitespace`.
            (matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '), 1)
        } else {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            }
        };
        i += len;
        size.chars += 1;
        if !white {
            size.non_whitespace += 1;
        }
        if in_string || !white {
            size.minified += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        }
    }
    size
}

/// [`PolicySize::non_whitespace`] alone, in a pass the compiler can vectorise when the text is
/// ASCII (IAM's quota check runs on every identity policy). WebAssembly without SIMD gets no
/// vector code: there the text is read a word at a time ([`non_whitespace_by_words`]; the
/// playground counts its 1.3 MB test policy on every keystroke).
pub fn non_whitespace_chars(text: &str) -> usize {
    if cfg!(target_arch = "wasm32") {
        non_whitespace_by_words(text)
    } else {
        non_whitespace_by_bytes(text)
    }
}

/// [`non_whitespace_chars`] eight bytes at a time: the ASCII whitespace bytes of each word
/// marked ([`words`]) and counted, noting any non-ASCII byte; text with one is counted again by
/// characters.
fn non_whitespace_by_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    let (mut space, mut high) = (0usize, 0u64);
    for chunk in &mut chunks {
        let w = words::word(chunk.try_into().unwrap_or([0; 8]));
        // 9..=13 are the bytes below 14 and not below 9; each mark is one bit.
        let marks = words::equal(w, b' ') | (words::below(w, 14) ^ words::below(w, 9));
        space += marks.count_ones() as usize;
        high |= words::non_ascii(w);
    }
    let rest = chunks.remainder();
    if high != 0 || !rest.is_ascii() {
        return text.chars().filter(|c| !c.is_whitespace()).count();
    }
    space += rest
        .iter()
        .filter(|&&b| b == b' ' || (9..=13).contains(&b))
        .count();
    bytes.len() - space
}

/// [`non_whitespace_chars`] a byte at a time, in byte-wide counters the compiler vectorises.
fn non_whitespace_by_bytes(text: &str) -> usize {
    // One pass counting ASCII non-whitespace (9..=13 and the space are whitespace) in byte-wide
    // counters, noting any non-ASCII byte; text with one is counted again by characters.
    let mut count = 0usize;
    let mut high = 0u8;
    for chunk in text.as_bytes().chunks(255) {
        let mut n = 0u8;
        for &b in chunk {
            n += u8::from(b != b' ' && b.wrapping_sub(9) > 4);
            high |= b;
        }
        count += usize::from(n);
    }
    if high < 0x80 {
        count
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// Report the whole document (at its opening brace) when a count is over a quota.
pub fn report_size(
    cx: &Context<'_>,
    sink: &mut crate::rules::Sink<'_>,
    count: usize,
    limit: usize,
    message: impl FnOnce(usize, usize) -> String,
) {
    if count > limit {
        sink.report(document_anchor(cx), message(count, limit));
    }
}

/// Report, at its key, every statement element named `element` in a policy of `policy_type`,
/// which does not support it (RCP_SYNTAX_ERROR_NOTACTION, RCP_SYNTAX_ERROR_NOTPRINCIPAL).
pub fn report_unsupported_element(
    cx: &Context<'_>,
    sink: &mut crate::rules::Sink<'_>,
    policy_type: PolicyType,
    element: &str,
    message: &str,
) {
    if *cx.policy_type != policy_type {
        return;
    }
    for st in &cx.policy.statements {
        for m in members(st.node).iter().filter(|m| m.key.value == element) {
            sink.report(m.key.span, message);
        }
    }
}

/// The AWS Organizations quota shared by SCPs and RCPs: 5,120 characters, whitespace included.
/// `abbreviation` ("SCP") names the policy in the message.
pub fn report_organizations_policy_size(
    cx: &Context<'_>,
    sink: &mut crate::rules::Sink<'_>,
    policy_type: PolicyType,
    abbreviation: &str,
) {
    if *cx.policy_type != policy_type {
        return;
    }
    // No count exceeds the number of bytes.
    if cx.text.len() <= 5_120 {
        return;
    }
    let size = policy_size(cx.text);
    report_size(cx, sink, size.chars, 5_120, |count, limit| {
        let hint = if size.minified <= limit {
            format!(" Without whitespace outside strings it has {} characters and fits: minify it before deploying.", size.minified)
        } else {
            format!(" Split it into several {abbreviation}s.")
        };
        format!("The {abbreviation} has {count} characters (whitespace counts); AWS Organizations accepts at most {limit}.{hint}")
    });
}

/// Run only the given rules over `text` (tests of one group, without every other rule's cost).
#[cfg(test)]
pub fn run_rules(
    rules: &[&crate::rules::Rule],
    text: &str,
    policy_type: &PolicyType,
) -> Vec<crate::diagnostic::Diagnostic> {
    let document = crate::syntax::parse(text);
    let policy = crate::policy::Policy::from_root(document.root.as_ref());
    let cx = Context::new(text, &document, &policy, policy_type);
    let mut out = Vec::new();
    for rule in rules {
        let mut sink = crate::rules::Sink::new(&rule.meta);
        (rule.check)(&cx, &mut sink);
        out.extend(sink.into_diagnostics());
    }
    out
}

/// Report every `Principal` and `NotPrincipal` member of every statement, at its key, with a
/// review fix that removes it: for the policy types that take no principal (identity-like
/// policies, SCPs). `message` gets the key as written.
pub fn report_principal_members(
    cx: &crate::rules::Context<'_>,
    sink: &mut crate::rules::Sink<'_>,
    message: impl Fn(&str) -> String,
) {
    for st in &cx.policy.statements {
        let list = members(st.node);
        for (i, m) in list.iter().enumerate() {
            let key = m.key.value.as_str();
            if key != "Principal" && key != "NotPrincipal" {
                continue;
            }
            let d = sink.report(m.key.span, message(key));
            if let Some(edit) = remove_member(list, i) {
                d.fixes.push(crate::diagnostic::Fix::review(
                    format!("Remove `{key}`"),
                    vec![edit],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::apply_edits;
    use crate::policy::STATEMENT_ELEMENTS;
    use crate::syntax::parse;

    #[test]
    fn removes_members_keeping_json_valid() {
        for (text, index, expected) in [
            (r#"{"a": 1, "b": 2, "c": 3}"#, 1, r#"{"a": 1, "c": 3}"#),
            (r#"{"a": 1, "b": 2}"#, 1, r#"{"a": 1}"#),
            (r#"{"a": 1}"#, 0, r#"{}"#),
            ("{\n  \"a\": 1,\n  \"b\": 2\n}", 0, "{\n  \"b\": 2\n}"),
        ] {
            let doc = parse(text);
            let root = doc.root.unwrap();
            let edit = remove_member(members(&root), index).unwrap();
            assert_eq!(apply_edits(text, &[edit]).unwrap(), expected);
        }
    }

    #[test]
    fn inserts_first_member_in_the_document_layout() {
        for (text, expected) in [
            (
                "{\n    \"Statement\": []\n}",
                "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": []\n}",
            ),
            (
                r#"{"Statement": []}"#,
                r#"{"Version": "2012-10-17", "Statement": []}"#,
            ),
            ("{}", r#"{"Version": "2012-10-17"}"#),
        ] {
            let doc = parse(text);
            let root = doc.root.unwrap();
            let edit =
                crate::fix::edit::insert_first_member(text, &root, "Version", "\"2012-10-17\"")
                    .unwrap();
            assert_eq!(apply_edits(text, &[edit]).unwrap(), expected);
        }
    }

    #[test]
    fn quotes_json_strings() {
        assert_eq!(json_string("a\"b\\c\n"), r#""a\"b\\c\n""#);
    }

    #[test]
    fn finds_close_element_names() {
        assert_eq!(closest_name("effect", STATEMENT_ELEMENTS), Some("Effect"));
        assert_eq!(closest_name("Actions", STATEMENT_ELEMENTS), Some("Action"));
        assert_eq!(
            closest_name("Resorce", STATEMENT_ELEMENTS),
            Some("Resource")
        );
        assert_eq!(closest_name("Banana", STATEMENT_ELEMENTS), None);
    }

    #[test]
    fn counts_sizes_like_the_quotas() {
        let size = policy_size("{ \"a b\": \"c\\\"d\" }");
        assert_eq!(size.chars, 17);
        assert_eq!(size.non_whitespace, 13);
        assert_eq!(size.minified, 14);
        assert_eq!(size.bytes, 17);
        let size = policy_size("{\u{b}\u{a0}\"é\u{2003}\"\u{2003}é}");
        assert_eq!(size.chars, 10);
        assert_eq!(size.non_whitespace, 6);
        assert_eq!(size.minified, 7);
        for text in [
            "{\u{b}\u{a0}\"é\u{2003}\"\u{2003}é}",
            "{ \"a b\":\t\"c\\\"d\" }\r\n",
        ] {
            assert_eq!(non_whitespace_chars(text), policy_size(text).non_whitespace);
        }
        assert_eq!(non_whitespace_chars(&"x".repeat(1000)), 1000);
        assert_eq!(non_whitespace_chars(&" a\n".repeat(300)), 300);
    }

    proptest::proptest! {
        /// Both counts (the word-at-a-time one serves WebAssembly) are the characters' count,
        /// on text made mostly of ASCII around whitespace and the bytes next to it, with now and
        /// then a character beyond ASCII (a Unicode space too).
        #[test]
        fn both_counts_of_non_whitespace_agree(
            text in "([\\x00-\\x21a{}\"]|\u{a0}|\u{2003}|é){0,80}",
        ) {
            let want = text.chars().filter(|c| !c.is_whitespace()).count();
            proptest::prop_assert_eq!(non_whitespace_by_words(&text), want);
            proptest::prop_assert_eq!(non_whitespace_by_bytes(&text), want);
        }
    }
}

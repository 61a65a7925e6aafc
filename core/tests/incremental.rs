//! A session's findings after any series of edits are the findings of a full analysis of the
//! same text: same codes, categories, spans, related locations and messages, in the same order.
//!
//! Documents: every rule example (bad and good, as its example type), pairs of examples put in
//! one policy (so a statement meets others), a generated policy of many service wildcards, and
//! the latest AWS managed policies when fetched (`scripts/fetch-corpus.sh`), as identity and as
//! resource policies. Edits: a character, a snippet of policy text (a statement, a Deny, a Sid,
//! an account ARN, brackets and quotes) or nothing put in place of a random range, a whole
//! statement copied or deleted, several in a row, each checked.

use std::sync::{Arc, OnceLock};

use iamlint_core::rules;
use iamlint_core::syntax;
use iamlint_core::{
    analyze_without_fixes, AnalyzeOptions, Diagnostic, FindingsDelta, Policy, PolicyType, Session,
    TextChange,
};
use proptest::prelude::*;

/// What edits insert: typing, and the pieces that change what other statements' findings
/// depend on (the policy type inferred, Version, the accounts named, repeated Sids,
/// statements that repeat or deny others), and the shapes the structure rules report.
const SNIPPETS: &[&str] = &[
    "x",
    "\"",
    ",",
    "{",
    "}",
    "[",
    "]",
    ":",
    "*",
    "\\u0041",
    " ",
    "\n",
    "\"Sid\": \"Same\", ",
    "\"Effect\": \"Deny\", ",
    "\"Principal\": \"*\", ",
    "\"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"}, ",
    "\"Resource\": \"arn:aws:sqs:us-east-1:111122223333:queue\", ",
    // Inside a statement: what the automatic policy type and the own accounts depend on (a
    // trust statement; another account in a Resource).
    "\"Action\": \"sts:AssumeRole\", ",
    "\"NotResource\": \"arn:aws:sqs:us-east-1:777788889999:q\", ",
    "777788889999",
    "\"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-abc\"}}, ",
    "{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}, ",
    "{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}, ",
    "{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"}, ",
    "\"Version\": \"2008-10-17\", ",
    "${aws:username}",
    // Duplicated, mistyped and unknown elements, and items of Statement that are not objects
    // (the split rules' findings inside and outside statements).
    "\"Action\": \"s3:GetObject\", ",
    "\"Action\": 42, ",
    "\"Sid\": [\"a\"], ",
    "\"Actoin\": \"s3:*\", ",
    "\"Statement\": [7, {\"Effect\": \"Allow\", \"Effect\": \"Deny\"}], ",
    "42, ",
];

/// A policy of `n` statements granting `s3:*` on a bucket each (the playground's big policy).
fn many_wildcards(n: usize) -> String {
    let statements: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "    {{\n      \"Sid\": \"ReadReports{i}\",\n      \"Effect\": \"Allow\",\n      \
                 \"Action\": \"s3:*\",\n      \"Resource\": \"arn:aws:s3:::example-reports-{i}/*\"\n    }}"
            )
        })
        .collect();
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}",
        statements.join(",\n")
    )
}

mod common {
    pub mod latest_corpus;
}
#[path = "common/statements.rs"]
mod statements;
use statements::statement_texts;

fn corpus() -> Vec<String> {
    common::latest_corpus::latest_corpus(1)
        .into_iter()
        .map(|(_, text)| text)
        .collect()
}

/// Every starting document with the policy type to check it as.
fn documents() -> &'static [(String, PolicyType)] {
    static DOCS: OnceLock<Vec<(String, PolicyType)>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let resource = PolicyType::Resource {
            resource_type: None,
        };
        let mut docs = Vec::new();
        let examples: Vec<_> = rules::all().collect();
        for (k, rule) in examples.iter().enumerate() {
            let t = rule.meta.example_type.policy_type();
            docs.push((rule.meta.bad_example.to_string(), t.clone()));
            docs.push((rule.meta.good_example.to_string(), t.clone()));
            // This rule's bad example with the next rule's statements after it.
            let next = examples[(k + 1) % examples.len()];
            let mut statements = statement_texts(rule.meta.bad_example);
            statements.extend(statement_texts(next.meta.bad_example));
            statements.extend(statement_texts(rule.meta.good_example));
            docs.push((
                format!(
                    "{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}",
                    statements.join(", ")
                ),
                t,
            ));
        }
        docs.push((many_wildcards(60), PolicyType::Identity));
        docs.push((many_wildcards(60), PolicyType::Auto));
        for text in corpus() {
            docs.push((text.clone(), PolicyType::Auto));
            docs.push((text, resource.clone()));
        }
        docs
    })
}

#[derive(Clone, Debug)]
enum Edit {
    /// Replace the bytes at (start, length) fractions of the text with a snippet (or nothing).
    Replace(f64, f64, Option<usize>),
    /// Copy statement k (modulo the count) to just after itself.
    CopyStatement(usize),
    /// Delete statement k with the comma after it (or before it, for the last).
    DeleteStatement(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (0.0..1.0f64, 0.0..0.01f64, proptest::option::of(0..SNIPPETS.len()))
            .prop_map(|(a, b, c)| Edit::Replace(a, b, c)),
        1 => any::<usize>().prop_map(Edit::CopyStatement),
        1 => any::<usize>().prop_map(Edit::DeleteStatement),
    ]
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `text` with `edit` made, and a change covering what it replaced (as an editor reports it).
fn apply(text: &str, edit: &Edit) -> (String, TextChange) {
    let spans: Vec<(usize, usize)> = {
        let document = syntax::parse(text);
        Policy::statement_nodes(document.root.as_ref())
            .into_iter()
            .map(|(_, n)| (n.span.start, n.span.end))
            .collect()
    };
    let splice = |start: usize, end: usize, with: &str| {
        let (start, end) = (floor_boundary(text, start), floor_boundary(text, end));
        let end = end.max(start);
        let change = TextChange {
            start,
            old_end: end,
            new_end: start + with.len(),
        };
        (format!("{}{with}{}", &text[..start], &text[end..]), change)
    };
    match *edit {
        Edit::Replace(at, len, snippet) => {
            let start = (at * text.len() as f64) as usize;
            let end = start + (len * text.len() as f64) as usize;
            splice(start, end, snippet.map_or("", |k| SNIPPETS[k]))
        }
        Edit::CopyStatement(k) if !spans.is_empty() => {
            let (start, end) = spans[k % spans.len()];
            splice(end, end, &format!(", {}", &text[start..end]))
        }
        Edit::DeleteStatement(k) if !spans.is_empty() => {
            let k = k % spans.len();
            let (start, end) = spans[k];
            match (spans.get(k + 1), k.checked_sub(1).map(|p| spans[p])) {
                (Some(&(next, _)), _) => splice(start, next, ""),
                (None, Some((_, previous_end))) => splice(previous_end, end, ""),
                (None, None) => splice(start, end, ""),
            }
        }
        _ => (text.to_string(), TextChange::default()),
    }
}

fn check_session(text: &str, policy_type: &PolicyType, edits: &[Edit]) {
    let options = AnalyzeOptions {
        policy_type: policy_type.clone(),
        ..AnalyzeOptions::default()
    };
    let mut session = Session::new(options.clone());
    // A second session told each change as an editor tells it (analyze_shared), checking every
    // other version, so that it also gets two changes joined (TextChange::then).
    let mut told = Session::new(options.clone());
    let mut shared = Arc::new(text.to_string());
    let mut since: Option<(Arc<String>, TextChange)> = None;
    let mut text = text.to_string();
    let mut last: Option<(String, Vec<Diagnostic>)> = None;
    let mut change = TextChange::default();
    for step in 0..=edits.len() {
        if step > 0 {
            (text, change) = apply(&text, &edits[step - 1]);
            let next = Arc::new(text.clone());
            since = Some(match since.take() {
                Some((from, before)) => (from, before.then(&change)),
                None => (shared, change),
            });
            shared = next;
        }
        if step % 2 == 0 || step == edits.len() {
            let told_findings = told.analyze_shared(
                shared.clone(),
                since.as_ref().map(|(from, change)| (from, *change)),
            );
            since = None;
            assert_eq!(
                told_findings.diagnostics,
                analyze_without_fixes(&text, &options).diagnostics,
                "told the changes, after edits {:?} the text is:\n{text}",
                &edits[..step]
            );
            if let Some(document) = told.document_of(&shared) {
                assert_eq!(document, &syntax::parse(&text));
            }
        }
        let incremental = session.analyze(&text);
        // The parse the session keeps for other requests on this version is the text's.
        if let Some(document) = session.document_of(&text) {
            assert_eq!(
                document,
                &syntax::parse(&text),
                "after edits {:?}",
                &edits[..step]
            );
        }
        // What an editor holding the last findings is sent instead of the whole list.
        if let Some((old_text, old)) = &last {
            let delta = FindingsDelta::between(old_text, old, &text, &incremental.diagnostics);
            let rebuilt = delta.apply(old, |k| incremental.diagnostics[k].clone());
            assert_eq!(
                rebuilt.as_ref(),
                Some(&incremental.diagnostics),
                "the delta after edits {:?} gives another list",
                &edits[..step]
            );
            // The same from the editor's change, narrowed, without comparing the texts.
            assert!(change.fits(old_text, &text));
            let known = change.narrowed(old_text, &text);
            let delta = FindingsDelta::with_change(known, old, &incremental.diagnostics);
            assert_eq!(
                delta.apply(old, |k| incremental.diagnostics[k].clone()),
                Some(incremental.diagnostics.clone()),
                "the delta from the known change after edits {:?} gives another list",
                &edits[..step]
            );
        }
        last = Some((text.clone(), incremental.diagnostics.clone()));
        let full = analyze_without_fixes(&text, &options);
        assert_eq!(
            incremental.policy_type,
            full.policy_type,
            "after edits {:?}",
            &edits[..step]
        );
        assert_eq!(
            incremental.diagnostics,
            full.diagnostics,
            "after edits {:?} the text is:\n{text}",
            &edits[..step]
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn incremental_equals_full(
        doc in any::<proptest::sample::Index>(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let docs = documents();
        let (text, policy_type) = &docs[doc.index(docs.len())];
        check_session(text, policy_type, &edits);
    }
}

/// The replaced range between two texts, from their common characters at both ends, for
/// `TextChange::between` (which compares bytes, many at a time) to agree with.
fn change_by_characters(old: &str, new: &str) -> TextChange {
    let common = |a: &mut dyn Iterator<Item = char>, b: &mut dyn Iterator<Item = char>| -> usize {
        a.zip(b)
            .take_while(|(x, y)| x == y)
            .map(|(x, _)| x.len_utf8())
            .sum()
    };
    let start = common(&mut old.chars(), &mut new.chars());
    let suffix = common(
        &mut old[start..].chars().rev(),
        &mut new[start..].chars().rev(),
    );
    TextChange {
        start,
        old_end: old.len() - suffix,
        new_end: new.len() - suffix,
    }
}

proptest! {
    #[test]
    fn text_change_is_the_common_prefix_and_suffix(
        prefix in "[ab\u{e9}]{0,300}",
        old in "[ab\u{e9}]{0,4}",
        new in "[ab\u{e9}]{0,4}",
        suffix in "[ab\u{e9}]{0,300}",
    ) {
        let (old, new) = (format!("{prefix}{old}{suffix}"), format!("{prefix}{new}{suffix}"));
        prop_assert_eq!(TextChange::between(&old, &new), change_by_characters(&old, &new));
    }
}

/// `text` with `change`'s old range replaced by `new`'s new range.
fn replaced(old: &str, new: &str, change: &TextChange) -> String {
    format!(
        "{}{}{}",
        &old[..change.start],
        &new[change.start..change.new_end],
        &old[change.old_end..]
    )
}

proptest! {
    /// Two edits joined (`then`) cover every difference, and `narrowed` finds inside the cover
    /// the smallest replacement there: what `between` finds when the cover is everything.
    #[test]
    fn joined_and_narrowed_changes_rebuild_the_text(
        text in "[ab\u{e9}]{0,40}",
        first in (0.0..1.0f64, 0.0..0.3f64, "[ab\u{e9}]{0,4}"),
        second in (0.0..1.0f64, 0.0..0.3f64, "[ab\u{e9}]{0,4}"),
    ) {
        let edit = |text: &str, (at, len, with): &(f64, f64, String)| {
            let start = floor_boundary(text, (at * text.len() as f64) as usize);
            let end = floor_boundary(text, start + (len * text.len() as f64) as usize).max(start);
            let change = TextChange { start, old_end: end, new_end: start + with.len() };
            (format!("{}{with}{}", &text[..start], &text[end..]), change)
        };
        let (middle, a) = edit(&text, &first);
        let (last, b) = edit(&middle, &second);
        for (old, new, cover) in [(&text, &middle, a), (&middle, &last, b), (&text, &last, a.then(&b))] {
            prop_assert!(cover.fits(old, new));
            prop_assert_eq!(&replaced(old, new, &cover), new);
            let narrow = cover.narrowed(old, new);
            prop_assert!(narrow.fits(old, new));
            prop_assert_eq!(&replaced(old, new, &narrow), new);
            prop_assert!(cover.start <= narrow.start && narrow.old_end <= cover.old_end);
            prop_assert_eq!(narrow.narrowed(old, new), narrow);
            let everything = TextChange { start: 0, old_end: old.len(), new_end: new.len() };
            prop_assert_eq!(everything.narrowed(old, new), TextChange::between(old, new));
        }
    }
}

#[test]
fn every_rule_example_with_a_typed_character_in_each_statement() {
    for rule in rules::all() {
        let t = rule.meta.example_type.policy_type();
        for text in [rule.meta.bad_example, rule.meta.good_example] {
            let edits: Vec<Edit> = (0..8)
                .map(|k| Edit::Replace(k as f64 / 8.0, 0.0, Some(0)))
                .collect();
            check_session(text, &t, &edits);
        }
    }
}

#[test]
fn options_and_type_changes_start_afresh() {
    let text = many_wildcards(5);
    let mut session = Session::new(AnalyzeOptions::default());
    session.analyze(&text);
    for options in [
        AnalyzeOptions {
            policy_type: PolicyType::Resource {
                resource_type: None,
            },
            ..AnalyzeOptions::default()
        },
        AnalyzeOptions {
            disabled_rules: ["SERVICE_WILDCARD_IN_ACTION"].into_iter().collect(),
            ..AnalyzeOptions::default()
        },
        AnalyzeOptions {
            category_overrides: [(
                "SERVICE_WILDCARD_IN_ACTION".to_string(),
                iamlint_core::Category::Error,
            )]
            .into_iter()
            .collect(),
            ..AnalyzeOptions::default()
        },
    ] {
        session.set_options(options.clone());
        assert_eq!(
            session.analyze(&text).diagnostics,
            analyze_without_fixes(&text, &options).diagnostics,
            "{options:?}"
        );
    }
}

/// A key typed into a Sid of a big policy: the delta is the one character and the findings
/// whose text changed, not the hundreds that moved.
#[test]
fn a_keystroke_sends_only_what_changed() {
    let text = many_wildcards(200);
    let mut session = Session::new(AnalyzeOptions {
        policy_type: PolicyType::Identity,
        ..AnalyzeOptions::default()
    });
    let before = session.analyze(&text).diagnostics;
    let at = text.find("ReadReports100").unwrap() + "ReadReports100".len();
    let typed = format!("{}K{}", &text[..at], &text[at..]);
    let after = session.analyze(&typed).diagnostics;
    assert!(after.len() > 200, "{} findings", after.len());
    let delta = FindingsDelta::between(&text, &before, &typed, &after);
    assert_eq!(
        delta.change,
        TextChange {
            start: at,
            old_end: at,
            new_end: at + 1
        }
    );
    // Only the size finding (its message counts the characters) is sent again.
    assert_eq!((&delta.removed[..], &delta.added[..]), (&[0][..], &[0][..]));
    assert_eq!(after[0].code, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA");
    assert_eq!(
        delta.apply(&before, |k| after[k].clone()),
        Some(after.clone())
    );
    // Statement 100 allowing s3:GetObject instead: its two findings go, the size is re-sent.
    let narrowed = typed
        .replacen("\"s3:*\"", "\"s3:GetObject\"", 101)
        .replacen("\"s3:GetObject\"", "\"s3:*\"", 100);
    let fewer = session.analyze(&narrowed).diagnostics;
    let delta = FindingsDelta::between(&typed, &after, &narrowed, &fewer);
    assert_eq!(
        (delta.removed.len(), delta.added.len(), delta.len),
        (3, 1, after.len() - 2)
    );
    assert_eq!(delta.apply(&after, |k| fewer[k].clone()), Some(fewer));
    // A list the delta was not made from is refused.
    assert_eq!(delta.apply(&before[1..], |k| after[k].clone()), None);
}

//! The list of statement rules against what the rules do: on every rule example, on documents
//! that put many examples' statements together (so statements meet others that could change
//! their findings), and on the AWS managed policies when fetched, each statement rule's findings
//! on the whole document are exactly its findings on each statement alone, inside that
//! statement. `tests/incremental.rs` checks whole sessions against full analyses.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::rules::{self, ExampleType, Reads};

/// What a rule does on a document against the session's two ways of keeping findings.
#[derive(Default)]
struct NonLocal {
    /// Rules whose findings on `text` are not the union of their findings on each statement
    /// alone (or fall outside it), with a line saying how: not statement rules.
    statement: BTreeMap<&'static str, String>,
    /// Rules whose findings are not those outside statements (the same on the document cut
    /// down to no statement and to each one) with each statement's own: not split rules.
    split: BTreeMap<&'static str, String>,
}

fn by_code(list: &[Diagnostic]) -> BTreeMap<&'static str, Vec<Diagnostic>> {
    let mut map: BTreeMap<&'static str, Vec<Diagnostic>> = BTreeMap::new();
    for d in list {
        map.entry(d.code).or_default().push(d.clone());
    }
    for v in map.values_mut() {
        v.sort_by_key(|d| (d.span.start, d.span.end));
    }
    map
}

/// Each code whose lists differ in `a` and `b`, with a line saying how.
fn differences(
    a: &[Diagnostic],
    b: &[Diagnostic],
    what: &str,
    out: &mut BTreeMap<&'static str, String>,
) {
    let (a, b) = (by_code(a), by_code(b));
    let codes: BTreeSet<&'static str> = a.keys().chain(b.keys()).copied().collect();
    for code in codes {
        let (x, y) = (a.get(code), b.get(code));
        if x != y {
            out.entry(code).or_insert_with(|| {
                format!(
                    "{} findings {what}; first of each: {:?} / {:?}",
                    format_args!(
                        "{} against {}",
                        x.map_or(0, Vec::len),
                        y.map_or(0, Vec::len)
                    ),
                    x.and_then(|v| v.first()).map(|d| (&d.message, d.span)),
                    y.and_then(|v| v.first()).map(|d| (&d.message, d.span)),
                )
            });
        }
    }
}

fn non_local(text: &str, options: &AnalyzeOptions, out: &mut NonLocal) {
    let document = syntax::parse(text);
    let policy = Policy::from_root(document.root.as_ref());
    let policy_type = options.policy_type.resolve(&policy);
    let cx = Context::new(text, &document, &policy, &policy_type);
    let mut whole = Vec::new();
    run_rules(&cx, options, FixScope::None, |_| true, &mut whole);
    // The rules on the document cut down to the statements `keep` accepts, as a session runs
    // them on the statements that changed.
    let run_cut = |keep: &dyn Fn(usize) -> bool| {
        let cut = policy.root.and_then(|root| cut_root(root, keep));
        let some = Policy {
            statements: policy
                .statements
                .iter()
                .filter(|st| keep(st.index))
                .cloned()
                .collect(),
            root: cut.as_ref().or(policy.root),
            ..policy.without_statements()
        };
        let cx = Context::for_statements(text, &document, &policy, &some, &policy_type);
        let mut found = Vec::new();
        run_rules(&cx, options, FixScope::None, |_| true, &mut found);
        let spans: Vec<Span> = some.statements.iter().map(|st| st.span()).collect();
        found
            .into_iter()
            .partition::<Vec<_>, _>(|d| statement_of(&spans, d).is_some())
    };
    let (_, top) = run_cut(&|_| false);
    let mut alone = Vec::new();
    for st in &policy.statements {
        let (inside, outside) = run_cut(&|index| index == st.index);
        for d in &outside {
            out.statement
                .entry(d.code)
                .or_insert_with(|| format!("reports outside its statement: {d:?}"));
        }
        differences(
            &outside,
            &top,
            "outside statements with one statement and with none",
            &mut out.split,
        );
        alone.extend(inside);
    }
    differences(
        &whole,
        &alone,
        "on the whole and on statements alone",
        &mut out.statement,
    );
    let mut split = alone;
    split.extend(top);
    differences(
        &whole,
        &split,
        "on the whole and on statements alone with those outside statements",
        &mut out.split,
    );
}

fn options(policy_type: PolicyType) -> AnalyzeOptions {
    AnalyzeOptions {
        policy_type,
        ..AnalyzeOptions::default()
    }
}

#[path = "../../tests/common/statements.rs"]
mod statements;
use statements::statement_texts;

/// For each example type, one document with the statements of every rule example of that type
/// (bad and good), and the same in reverse order.
pub(super) fn mixed_examples() -> Vec<(String, PolicyType)> {
    let mut by_type: Vec<(ExampleType, Vec<String>)> = Vec::new();
    for rule in rules::all() {
        let t = rule.meta.example_type;
        let slot = match by_type.iter().position(|(x, _)| *x == t) {
            Some(i) => i,
            None => {
                by_type.push((t, Vec::new()));
                by_type.len() - 1
            }
        };
        for example in [rule.meta.bad_example, rule.meta.good_example] {
            by_type[slot].1.extend(statement_texts(example));
        }
    }
    let mut out = Vec::new();
    for (t, mut statements) in by_type {
        for _ in 0..2 {
            out.push((
                format!(
                    "{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}",
                    statements.join(",\n")
                ),
                t.policy_type(),
            ));
            statements.reverse();
        }
    }
    out
}

#[path = "../../tests/common/latest_corpus.rs"]
mod latest_corpus;
use latest_corpus::latest_corpus as corpus_sample;

/// Documents where a rule's finding on one statement depends on another statement, which the
/// rule examples and the corpus sample do not show: each keeps its rule off the statement list.
fn cross_statement_cases() -> Vec<(&'static str, PolicyType)> {
    vec![(
        // MISSING_ACTION_FOR_CONDITION_KEY: sts:TagSession allowed in a sibling statement.
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/a"}, "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"aws:RequestTag/team": "red"}}},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/a"}, "Action": "sts:TagSession"}]}"#,
        PolicyType::Trust,
    )]
}

#[test]
fn cross_statement_cases_show_their_rules_are_not_local() {
    for (text, t) in cross_statement_cases() {
        let mut found = NonLocal::default();
        non_local(text, &options(t), &mut found);
        assert!(
            !found.statement.is_empty() && !found.split.is_empty(),
            "no rule is shown non-local by {text}"
        );
    }
}

/// A session over an edit of one statement that changes another statement's finding: adding
/// `sts:TagSession` in its own statement lifts MISSING_ACTION_FOR_CONDITION_KEY from the
/// AssumeRole statement, and removing it brings the finding back.
#[test]
fn an_edit_of_a_sibling_statement_updates_the_others_findings() {
    let (with_sibling, t) = cross_statement_cases().remove(0);
    let without = with_sibling.replace(r#""sts:TagSession""#, r#""sts:GetCallerIdentity""#);
    let mut session = Session::new(options(t.clone()));
    for text in [without.as_str(), with_sibling, without.as_str()] {
        let full = crate::analyze_without_fixes(text, &options(t.clone()));
        assert_eq!(
            session.analyze(text).diagnostics,
            full.diagnostics,
            "{text}"
        );
    }
}

/// REDUNDANT_STATEMENT reads the Sid only to name statements: typing in the Sid of a statement
/// none of its findings points at keeps them (moved); typing in the Sid of one they point at, or
/// adding a Sid where there was none, names it anew.
#[test]
fn a_sid_edit_names_the_redundant_statements_anew() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Other", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
  {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Effect": "Allow", "Action": "s3:getobject", "Resource": ["*"]},
  {"Sid": "Tail", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}
]}"#;
    let mut session = Session::new(options(PolicyType::Identity));
    let edits = [
        text.to_string(),
        text.replace(r#""Sid": "Other""#, r#""Sid": "OtherX""#),
        text.replace(r#""Sid": "Tail""#, r#""Sid": "TailX""#),
        text.replace(r#""Sid": "Read""#, r#""Sid": "ReadX""#),
        text.replace(
            r#"{"Effect": "Allow", "Action": "s3:getobject""#,
            r#"{"Sid": "New", "Effect": "Allow", "Action": "s3:getobject""#,
        ),
    ];
    // Back to the first text after each edit: every step is an edit inside one statement.
    for edited in edits.iter().flat_map(|e| [e, &edits[0]]) {
        let full = crate::analyze_without_fixes(edited, &options(PolicyType::Identity));
        assert!(full
            .diagnostics
            .iter()
            .any(|d| d.code == "REDUNDANT_STATEMENT"));
        assert_eq!(
            session.analyze(edited).diagnostics,
            full.diagnostics,
            "{edited}"
        );
    }
}

fn every_document() -> Vec<(String, AnalyzeOptions)> {
    let mut docs = Vec::new();
    for rule in rules::all() {
        for text in [rule.meta.bad_example, rule.meta.good_example] {
            docs.push((
                text.to_string(),
                options(rule.meta.example_type.policy_type()),
            ));
        }
    }
    for (text, t) in mixed_examples() {
        docs.push((text, options(t)));
    }
    for (text, t) in cross_statement_cases() {
        docs.push((text.to_string(), options(t)));
    }
    let every = std::env::var("INCREMENTAL_SAMPLE_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    for (_, text) in corpus_sample(every) {
        for t in [
            PolicyType::Identity,
            PolicyType::Resource {
                resource_type: None,
            },
        ] {
            docs.push((text.clone(), options(t)));
        }
    }
    docs
}

#[test]
fn statement_rules_are_local() {
    let mut found = NonLocal::default();
    for (text, options) in every_document() {
        non_local(&text, &options, &mut found);
    }
    let local = |map: &BTreeMap<&str, String>| -> Vec<&str> {
        rules::all()
            .map(|r| r.meta.code)
            .filter(|c| !map.contains_key(c))
            .collect()
    };
    let split: Vec<&str> = local(&found.split)
        .into_iter()
        .filter(|c| !is_statement_rule(c))
        .collect();
    eprintln!(
        "rules local on every document ({}): {:?}\nsplit and not local: {split:?}\nnot split: {:#?}",
        local(&found.statement).len(),
        local(&found.statement),
        found.split
    );
    let wrong: Vec<_> = found
        .statement
        .iter()
        .filter(|(code, _)| is_statement_rule(code))
        .chain(
            found
                .split
                .iter()
                .filter(|(code, _)| is_statement_rule(code) || is_split(code)),
        )
        .collect();
    assert!(
        wrong.is_empty(),
        "listed as statement or split rules: {wrong:#?}"
    );
}

/// Where a statement is edited in place, the spliced tree is exactly the parse of the new text.
#[test]
fn a_statement_parsed_alone_and_spliced_is_the_parse_of_the_whole() {
    let mut texts: Vec<String> = rules::all()
        .flat_map(|r| {
            [
                r.meta.bad_example.to_string(),
                r.meta.good_example.to_string(),
            ]
        })
        .collect();
    texts.extend(mixed_examples().into_iter().map(|(t, _)| t));
    texts.extend(corpus_sample(40).into_iter().map(|(_, t)| t));
    texts.push(
        "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}"
            .to_string(),
    );
    let inserts = [
        "x",
        "\"",
        "{",
        "}",
        ",",
        "\\",
        " ",
        "é",
        "[1, {\"a\": 2}]",
        "",
    ];
    let (mut spliced, mut tried) = (0, 0);
    for text in &texts {
        let old = syntax::parse(text);
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let step = (boundaries.len() / 40).max(1);
        for (k, &at) in boundaries.iter().step_by(step).enumerate() {
            let insert = inserts[k % inserts.len()];
            // Insert, or (for "") delete the next character.
            let end = if insert.is_empty() {
                boundaries.iter().copied().find(|&b| b > at).unwrap_or(at)
            } else {
                at
            };
            let new = format!("{}{insert}{}", &text[..at], &text[end..]);
            tried += 1;
            // Found by comparing the texts, and from the change an editor reports.
            let told = delta::TextChange {
                start: at,
                old_end: end,
                new_end: at + insert.len(),
            };
            let compared = edited_statement(text, &old, &new, None, &PolicyType::Auto);
            let known = edited_statement(text, &old, &new, Some(told), &PolicyType::Auto);
            for edit in [compared, known].into_iter().flatten() {
                let mut document = old.clone();
                splice(
                    &mut document,
                    edit.index,
                    edit.node,
                    new.len() as isize - text.len() as isize,
                );
                assert_eq!(document, syntax::parse(&new), "{new}");
                spliced += 1;
            }
        }
    }
    eprintln!("{spliced} of {tried} edits parsed one statement alone");
    assert!(spliced > tried / 10, "{spliced} of {tried}");
}

/// The findings of the rules `run` accepts on `text`, by code.
fn findings_of(
    text: &str,
    options: &AnalyzeOptions,
    run: impl Fn(&str) -> bool,
) -> BTreeMap<&'static str, Vec<Diagnostic>> {
    let document = syntax::parse(text);
    let policy = Policy::from_root(document.root.as_ref());
    let policy_type = options.policy_type.resolve(&policy);
    let cx = Context::new(text, &document, &policy, &policy_type);
    let mut found = Vec::new();
    run_rules(&cx, options, FixScope::None, |m| run(m.code), &mut found);
    by_code(&found)
}

/// Each document rule of [`Scope::Across`] on every test document, against the same
/// document with one member of a statement that the rule does not read changed: its value
/// replaced by a string or by the value of the same element in another statement, or its key
/// renamed. Where the edit keeps the policy type and the other things the statement rules read
/// ([`DocumentKey`]), the findings must be the first ones moved through the edit.
#[test]
fn document_rules_read_only_their_elements() {
    let (mut edits, mut compared) = (0, 0);
    for (text, options) in every_document() {
        let document = syntax::parse(&text);
        let policy = Policy::from_root(document.root.as_ref());
        let policy_type = options.policy_type.resolve(&policy);
        let key = DocumentKey::of(&text, &policy, &policy_type);
        let across: Vec<(&str, Reads)> = rules::all()
            .filter_map(|r| match r.meta.scope {
                Scope::Across(reads) => Some((r.meta.code, reads)),
                _ => None,
            })
            .collect();
        let before = findings_of(&text, &options, |c| {
            across.iter().any(|(code, _)| *code == c)
        });
        // A member's value in another statement, by key.
        let elsewhere = |index: usize, key: &str| {
            policy
                .statements
                .iter()
                .filter(|st| st.index != index)
                .flat_map(|st| st.node.as_object().unwrap_or(&[]))
                .find(|m| m.key.value == key)
                .and_then(|m| m.value.as_ref())
                .map(|v| v.span.slice(&text).to_string())
        };
        // At most about 60 edits per document, spread over its statements.
        let members: Vec<(usize, &syntax::Member)> = policy
            .statements
            .iter()
            .flat_map(|st| {
                let members = st.node.as_object().unwrap_or(&[]);
                members.iter().map(move |m| (st.index, m))
            })
            .collect();
        let step = (members.len() / 20).max(1);
        for &(index, member) in members.iter().step_by(step) {
            let Some(value) = &member.value else { continue };
            let mut changes = vec![
                (value.span, "\"iamlint-test\"".to_string()),
                (
                    Span::new(member.key.span.end - 1, member.key.span.end - 1),
                    "Zz".to_string(),
                ),
            ];
            if let Some(other) = elsewhere(index, &member.key.value) {
                changes.push((value.span, other));
            }
            let read_by: Vec<&str> = across
                .iter()
                .filter(|(_, reads)| !reads.key(&member.key.value))
                .map(|(code, _)| *code)
                .collect();
            // The rules that read a Sid only to name the statements their findings point at
            // (`Reads::sid_names_only`): a new Sid value (not a renamed key) of a statement none
            // of their findings points into leaves their findings as they were.
            let statement = policy
                .statements
                .iter()
                .find(|st| st.index == index)
                .map(|st| st.node.span);
            let named_by: Vec<&str> = across
                .iter()
                .filter(|(code, reads)| {
                    reads.sid_names_only
                        && member.key.value.eq_ignore_ascii_case("Sid")
                        && statement.is_some_and(|at| {
                            !before.get(code).is_some_and(|found| {
                                found.iter().any(|d| {
                                    std::iter::once(d.span)
                                        .chain(d.related.iter().map(|r| r.span))
                                        .any(|s| s.start <= at.end && at.start <= s.end)
                                })
                            })
                        })
                })
                .map(|(code, _)| *code)
                .collect();
            if read_by.is_empty() && named_by.is_empty() {
                continue;
            }
            for (k, (span, with)) in changes.into_iter().enumerate() {
                // Change 1 renames the key.
                let read_by: Vec<&str> = read_by
                    .iter()
                    .chain(if k == 1 { &[][..] } else { &named_by[..] })
                    .copied()
                    .collect();
                let new = format!("{}{with}{}", &text[..span.start], &text[span.end..]);
                let new_document = syntax::parse(&new);
                let new_policy = Policy::from_root(new_document.root.as_ref());
                let new_type = options.policy_type.resolve(&new_policy);
                if DocumentKey::of(&new, &new_policy, &new_type) != key {
                    continue;
                }
                edits += 1;
                let change = delta::TextChange::between(&text, &new);
                let after = findings_of(&new, &options, |c| read_by.contains(&c));
                for code in &read_by {
                    let moved: Option<Vec<Diagnostic>> = before
                        .get(code)
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .map(|d| delta::moved(&change, d))
                        .collect();
                    let now = after.get(code).cloned().unwrap_or_default();
                    compared += now.len();
                    assert_eq!(
                        moved.as_ref(),
                        Some(&now),
                        "{code} changed when {} of statement {index} became {with:?} in:\n{text}",
                        member.key.value
                    );
                }
            }
        }
    }
    eprintln!("{edits} edits, {compared} findings compared");
    assert!(
        edits > 1000 && compared > 100,
        "{edits} edits, {compared} findings"
    );
}

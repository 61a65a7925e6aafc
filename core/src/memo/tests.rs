//! A memo shared by a sequence of documents gives each exactly the analysis it gets alone:
//! documents built from a pool of statements (every rule example's, and some that name accounts
//! or get narrowing fixes that write indented lists) in varied styles: indentation of two or
//! four spaces or tabs, "\n" or "\r\n", statements on their own lines, after the `[` on the
//! same line or as the `Statement` element's only value, at varied indexes, under varied policy
//! types and Versions.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

use super::*;
use crate::analysis::analyze_parsed_with;
use crate::policy::PolicyType;
use crate::rules;

/// Statements whose findings read the document around them: accounts named in resource ARNs
/// (CROSS_ACCOUNT_ACCESS compares them with the principals'), and fixes that write a new list
/// or object indented like the code (NotAction, service and prefix wildcards, `"*"` resources).
const EXTRA: &[&str] = &[
    r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    r#"{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/x"}"#,
    r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "arn:aws:s3:::b"}"#,
    r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#,
    r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#,
    r#"{"Effect": "Allow", "Action": ["ec2:Describe*", "s3:Get*"], "Resource": "*"}"#,
    r#"{"Effect": "Allow", "Action": ["iam:PassRole", "iam:CreateServiceLinkedRole"], "Resource": "*"}"#,
    r#"{"Sid": "A", "Effect": "allow", "Action": "S3:getobject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}"#,
];

/// The statements of every rule example, and [`EXTRA`], as text.
fn pool() -> Vec<String> {
    let mut out: Vec<String> = EXTRA.iter().map(|s| s.to_string()).collect();
    for rule in rules::all() {
        for text in [rule.meta.bad_example, rule.meta.good_example] {
            let document = syntax::parse(text);
            for (_, node) in Policy::statement_nodes(document.root.as_ref()) {
                let s = node.span.slice(text).to_string();
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

const TYPES: &[&str] = &[
    "identity", "resource", "trust", "scp", "rcp", "boundary", "session", "auto",
];
const VERSIONS: &[Option<&str>] = &[Some("2012-10-17"), None, Some("2008-10-17")];
const UNITS: &[&str] = &["  ", "    ", "\t"];
const NEWLINES: &[&str] = &["\n", "\r\n"];

/// Write `value` one member or item per line, indented by `unit` from `depth`.
fn render(value: &Value, unit: &str, nl: &str, depth: usize, out: &mut String) {
    let pad = |out: &mut String, d: usize| (0..d).for_each(|_| out.push_str(unit));
    match value {
        Value::Object(members) if !members.is_empty() => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { "," });
                out.push_str(nl);
                pad(out, depth + 1);
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                render(v, unit, nl, depth + 1, out);
            }
            out.push_str(nl);
            pad(out, depth);
            out.push('}');
        }
        Value::Array(items) if items.len() > 1 => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { "," });
                out.push_str(nl);
                pad(out, depth + 1);
                render(v, unit, nl, depth + 1, out);
            }
            out.push_str(nl);
            pad(out, depth);
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// How a document is written.
#[derive(Debug, Clone)]
struct Style {
    policy_type: usize,
    version: usize,
    unit: usize,
    newline: usize,
    /// 0: one statement per line; 1: the first after `[` on the same line; 2: the statement
    /// as the element's value (one statement only).
    layout: usize,
    /// 0: no `Id`; 1: an `Id` indented like the rest; 2: an `Id` indented by one space (which
    /// makes that the file's indentation unit).
    id: usize,
    /// Each statement: its place in the pool, and how it is written: 0 its own text, 1 again
    /// in the document's style, 2 the same with its first member on the line of its `{`.
    statements: Vec<(usize, usize)>,
}

const DIMENSIONS: usize = 8;

impl Style {
    /// This style with one thing changed (`which` picks it, `value` says to what).
    fn varied(&self, which: usize, value: usize) -> Style {
        let mut s = self.clone();
        let n = s.statements.len();
        match which % DIMENSIONS {
            0 => s.policy_type = value % TYPES.len(),
            1 => s.version = value % VERSIONS.len(),
            2 => s.unit = value % UNITS.len(),
            3 => s.newline = value % NEWLINES.len(),
            4 => s.layout = value % 3,
            5 => s.id = value % 3,
            // Other indexes for the same statements.
            6 => s.statements.rotate_left(1 + value % n),
            _ => s.statements[value % n].1 = (value / n) % 3,
        }
        s
    }
}

fn style() -> impl Strategy<Value = Style> {
    (
        0..TYPES.len(),
        0..VERSIONS.len(),
        0..UNITS.len(),
        0..NEWLINES.len(),
        0..3usize,
        0..3usize,
        proptest::collection::vec((0..8usize, 0..3usize), 1..5),
    )
        .prop_map(
            |(policy_type, version, unit, newline, layout, id, statements)| Style {
                policy_type,
                version,
                unit,
                newline,
                layout,
                id,
                statements,
            },
        )
}

/// The document `style` describes, its statements taken from `pool[base..base + 8]`
/// (circularly), and its options.
fn document(style: &Style, pool: &[String], base: usize) -> (String, AnalyzeOptions) {
    let (unit, nl) = (UNITS[style.unit], NEWLINES[style.newline]);
    let depth = if style.layout == 0 { 2 } else { 1 };
    let statements: Vec<String> = style
        .statements
        .iter()
        .map(|&(i, mode)| {
            let text = &pool[(base + i) % pool.len()];
            match serde_json::from_str::<Value>(text) {
                Ok(value) if mode > 0 => {
                    let mut out = String::new();
                    render(&value, unit, nl, depth, &mut out);
                    if mode == 2 {
                        let opening = format!("{{{nl}{}", unit.repeat(depth + 1));
                        if let Some(rest) = out.strip_prefix(&opening) {
                            out = format!("{{{rest}");
                        }
                    }
                    out
                }
                _ => text.clone(),
            }
        })
        .collect();
    let mut text = String::from("{");
    match style.id {
        0 => {}
        1 => text.push_str(&format!("{nl}{unit}\"Id\": \"x\",")),
        _ => text.push_str(&format!("{nl} \"Id\": \"x\",")),
    }
    if let Some(v) = VERSIONS[style.version] {
        text.push_str(&format!("{nl}{unit}\"Version\": \"{v}\","));
    }
    text.push_str(&format!("{nl}{unit}\"Statement\": "));
    match style.layout {
        0 => {
            text.push('[');
            for (i, st) in statements.iter().enumerate() {
                text.push_str(if i == 0 { "" } else { "," });
                text.push_str(&format!("{nl}{unit}{unit}{st}"));
            }
            text.push_str(&format!("{nl}{unit}]"));
        }
        1 => {
            text.push('[');
            text.push_str(&statements.join(", "));
            text.push(']');
        }
        _ => text.push_str(&statements[0]),
    }
    text.push_str(&format!("{nl}}}{nl}"));
    let options = AnalyzeOptions {
        policy_type: PolicyType::parse(TYPES[style.policy_type]).expect("a known type"),
        ..AnalyzeOptions::default()
    };
    (text, options)
}

/// Check each document with `memo` and alone; they must agree. Gives how many statements the
/// memo answered.
fn check_sequence(
    docs: &[(String, AnalyzeOptions)],
    scope: FixScope<'_>,
    memo: &mut StatementMemo,
) -> usize {
    let mut reused = 0;
    for (text, options) in docs {
        let document = syntax::parse(text);
        let before = memo.reused;
        let with = analyze_parsed_memo(text, &document, options, scope, &mut *memo);
        reused += memo.reused - before;
        let alone = analyze_parsed_with(text, &document, options, scope);
        assert_eq!(with.policy_type, alone.policy_type);
        assert!(
            with.diagnostics == alone.diagnostics,
            "with the memo and alone differ on\n{text}\nwith: {:#?}\nalone: {:#?}",
            with.diagnostics,
            alone.diagnostics
        );
    }
    reused
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Documents that differ from one style in one thing each (so most statements come back in
    /// the same surroundings, and some in surroundings that differ in one respect).
    #[test]
    fn a_shared_memo_changes_no_analysis(
        base in any::<Index>(),
        style in style(),
        variations in proptest::collection::vec((0..DIMENSIONS, 0..12usize), 1..8),
    ) {
        let pool = pool();
        let base = base.index(pool.len());
        let docs: Vec<_> = std::iter::once(style.clone())
            .chain(variations.iter().map(|&(which, value)| style.varied(which, value)))
            .map(|s| document(&s, &pool, base))
            .collect();
        let mut memo = StatementMemo::default();
        check_sequence(&docs, FixScope::All, &mut memo);
    }
}

/// The styles of the property test, each document checked twice in a row: the second check
/// answers every statement from the memo (the property test's random documents only sometimes
/// repeat a statement in the same place and style).
#[test]
fn repeated_documents_are_answered_from_the_memo_and_unchanged() {
    let pool = pool();
    let mut memo = StatementMemo::default();
    let mut reused = 0;
    let mut statements = 0;
    for (k, st) in pool.iter().enumerate() {
        let style = Style {
            policy_type: k % TYPES.len(),
            version: k % VERSIONS.len(),
            unit: k % UNITS.len(),
            newline: (k / 3) % NEWLINES.len(),
            layout: (k / 2) % 3,
            id: k % 3,
            statements: vec![(0, k % 3)],
        };
        let (text, options) = document(&style, std::slice::from_ref(st), 0);
        let twice = [(text.clone(), options.clone()), (text, options)];
        reused += check_sequence(&twice, FixScope::All, &mut memo);
        statements += 1;
    }
    // Statements with a syntax error are never kept (their documents are checked in full).
    assert!(reused * 10 > statements * 9, "{reused} of {statements}");
}

/// The same statement in surroundings that change its fixes or messages: the memo must tell
/// them apart (each difference alone makes the analyses differ).
#[test]
fn statements_in_other_surroundings_are_not_confused() {
    // Over two lines, its first member on the first: the narrowing fixes of `sqs:*` write a
    // list indented from the indentation of the first line, by the file's unit.
    let st = "{\"Effect\": \"Allow\", \"Action\": \"sqs:*\",\n      \"Resource\": \"*\"}";
    let account = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    let own = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:q"}"#;
    let docs = [
        format!("{{\n  \"Statement\": [\n    {st}\n  ]\n}}"),
        // The indentation unit alone.
        format!("{{\n \"Id\": \"x\",\n  \"Statement\": [\n    {st}\n  ]\n}}"),
        // The indentation of the statement's line alone.
        format!("{{\n  \"Statement\": [\n      {st}\n  ]\n}}"),
        // The index alone.
        format!("{{\n  \"Statement\": [{{}},\n    {st}\n  ]\n}}"),
        // The Version alone.
        format!("{{\n  \"Version\": \"2008-10-17\",\n  \"Statement\": [\n    {st}\n  ]\n}}"),
        format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {st}\n  ]\n}}"),
        // The policy's own accounts alone (the first statement's finding goes with the second).
        format!("{{\"Statement\": [{account}]}}"),
        format!("{{\"Statement\": [{account}, {own}]}}"),
    ];
    let options = |t: &str| AnalyzeOptions {
        policy_type: PolicyType::parse(t).expect("a known type"),
        ..AnalyzeOptions::default()
    };
    // The policy type alone (with one memo for all).
    let mut memo = StatementMemo::default();
    for policy_type in ["identity", "resource", "trust", "identity"] {
        let docs: Vec<_> = docs
            .iter()
            .map(|d| (d.clone(), options(policy_type)))
            .collect();
        check_sequence(&docs, FixScope::All, &mut memo);
        // Each twice: the second time from the memo.
        let twice: Vec<_> = docs.iter().flat_map(|d| [d.clone(), d.clone()]).collect();
        let mut memo = StatementMemo::default();
        assert!(check_sequence(&twice, FixScope::All, &mut memo) >= docs.len());
    }
}

/// Other options and fix scopes start afresh; a small bound forgets and still answers right.
#[test]
fn options_scopes_and_the_bound() {
    let pool = pool();
    let styles: Vec<Style> = (0..40)
        .map(|k| Style {
            policy_type: k % TYPES.len(),
            version: 0,
            unit: k % UNITS.len(),
            newline: 0,
            layout: 0,
            id: 0,
            statements: (0..4).map(|j| (j, 1)).collect(),
        })
        .collect();
    let docs: Vec<_> = styles
        .iter()
        .map(|s| document(s, &pool, 3 * s.policy_type))
        .collect();
    let mut memo = StatementMemo::default();
    for scope in [FixScope::All, FixScope::Safe, FixScope::None, FixScope::All] {
        check_sequence(&docs, scope, &mut memo);
    }
    let mut disabled = docs.clone();
    for (_, o) in &mut disabled {
        o.disabled_rules = vec!["star_in_resource".into()];
        o.category_overrides = vec![("allow_with_not_action".into(), crate::Category::Error)];
    }
    check_sequence(&disabled, FixScope::All, &mut memo);
    check_sequence(&docs, FixScope::All, &mut memo);
    // Each document twice in a row: the second time from the memo, which forgets all along.
    let twice: Vec<_> = docs.iter().flat_map(|d| [d.clone(), d.clone()]).collect();
    let mut small = StatementMemo::with_limit(6000);
    assert!(check_sequence(&twice, FixScope::All, &mut small) > docs.len());
    assert!(small.bytes <= 6000 && small.len() < 4 * docs.len() / 2);
}

use super::*;

fn keys(node: &Node) -> Vec<&str> {
    node.as_object()
        .unwrap()
        .iter()
        .map(|m| m.key.value.as_str())
        .collect()
}

#[test]
fn parses_valid_json_with_spans() {
    let text = r#"{"a": [1, -2.5e3, true, null], "b": "x\"y\u00e9"}"#;
    let doc = parse(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let root = doc.root.unwrap();
    assert_eq!(keys(&root), ["a", "b"]);
    let b = root.get("b").unwrap();
    assert_eq!(b.key.span.slice(text), "\"b\"");
    assert_eq!(b.value.as_ref().unwrap().as_str(), Some("x\"yé"));
    assert_eq!(
        b.value.as_ref().unwrap().span.slice(text),
        r#""x\"y\u00e9""#
    );
    let a = root
        .get("a")
        .unwrap()
        .value
        .as_ref()
        .unwrap()
        .as_array()
        .unwrap();
    assert_eq!(a[1].kind, NodeKind::Number("-2.5e3".into()));
    assert_eq!(a[2].span.slice(text), "true");
}

#[test]
fn duplicate_keys_are_kept_in_order() {
    let doc = parse(r#"{"Effect": "Allow", "Effect": "Deny"}"#);
    let root = doc.root.unwrap();
    assert_eq!(keys(&root), ["Effect", "Effect"]);
    assert!(doc.errors.is_empty());
}

#[test]
fn surrogate_pairs_decode() {
    let doc = parse(r#"["\ud83d\ude00", "\ud83d"]"#);
    let arr = doc.root.as_ref().unwrap().as_array().unwrap();
    assert_eq!(arr[0].as_str(), Some("😀"));
    assert_eq!(doc.errors.len(), 1);
    assert!(doc.errors[0].message.contains("surrogate"));
}

#[test]
fn missing_comma_between_members_is_reported_and_parsing_continues() {
    let text = "{\"Effect\": \"Allow\"\n \"Action\": \"s3:*\"}";
    let doc = parse(text);
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(doc.errors[0].span.start, text.find("\"Action\"").unwrap());
    assert_eq!(keys(doc.root.as_ref().unwrap()), ["Effect", "Action"]);
}

#[test]
fn error_in_one_statement_keeps_later_statements() {
    let text = r#"{"Statement": [
  {"Effect": Allow, "Action": "s3:GetObject", "Resource": "*"},
  {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
]}"#;
    let doc = parse(text);
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    assert_eq!(doc.errors[0].span.slice(text), "Allow");
    let stmts = doc
        .root
        .as_ref()
        .unwrap()
        .get("Statement")
        .unwrap()
        .value
        .as_ref()
        .unwrap();
    let stmts = stmts.as_array().unwrap();
    assert_eq!(stmts.len(), 2);
    assert_eq!(keys(&stmts[0]), ["Effect", "Action", "Resource"]);
    assert_eq!(
        stmts[1]
            .get("Effect")
            .unwrap()
            .value
            .as_ref()
            .unwrap()
            .as_str(),
        Some("Deny")
    );
}

#[test]
fn missing_closing_brace_before_next_statement() {
    let text = r#"{"Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
]}"#;
    let doc = parse(text);
    assert!(!doc.errors.is_empty());
    let stmts = doc
        .root
        .as_ref()
        .unwrap()
        .get("Statement")
        .unwrap()
        .value
        .as_ref()
        .unwrap();
    let stmts = stmts.as_array().unwrap();
    assert_eq!(stmts.len(), 2, "{:?}", doc.errors);
    assert_eq!(
        stmts[1]
            .get("Effect")
            .unwrap()
            .value
            .as_ref()
            .unwrap()
            .as_str(),
        Some("Deny")
    );
}

#[test]
fn unterminated_string_ends_at_line_end() {
    let text = "{\"Statement\": [\n {\"Effect\": \"Allow,\n  \"Action\": \"s3:*\"}\n]}";
    let doc = parse(text);
    // The line's odd quote is found: the closing quote of "Allow" is missing.
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    assert!(
        doc.errors[0].message.contains("no closing quote"),
        "{:?}",
        doc.errors
    );
    assert_eq!(doc.errors[0].span.start, text.find("Allow,").unwrap() + 5);
    let st = &doc
        .root
        .as_ref()
        .unwrap()
        .get("Statement")
        .unwrap()
        .value
        .as_ref()
        .unwrap()
        .as_array()
        .unwrap()[0];
    assert!(st.get("Action").is_some(), "{:?}", doc.errors);
}

/// The content of a string without its closing quote runs to the end of the line (or text); its
/// inner span must not cut the last character, which may be several bytes long (found by the
/// fuzzer: INVALID_ARN_PREFIX pointed into the middle of a two-byte character).
#[test]
fn unterminated_string_content_keeps_its_last_character() {
    for (text, content) in [
        ("[\"ab\u{482}\n]", "ab\u{482}"),
        ("[\"ab\u{482}", "ab\u{482}"),
        ("[\"ab\u{1F600}\r\n]", "ab\u{1F600}"),
        ("[\"\n]", ""),
        ("[\"", ""),
        ("[\"ok\"]", "ok"),
    ] {
        let doc = parse(text);
        let root = doc.root.as_ref().expect("an array");
        let item = &root.as_array().expect("array")[0];
        assert_eq!(item.inner_span().slice(text), content, "{text:?}");
        assert_eq!(item.as_str(), Some(content), "{text:?}");
    }
}

#[test]
fn trailing_commas_and_garbage() {
    let doc = parse(r#"{"a": [1, 2,], "b": 3,}"#);
    assert_eq!(doc.errors.len(), 2);
    let doc = parse(r#"{"a": 1} x"#);
    assert_eq!(doc.errors.len(), 1);
    let doc = parse("");
    assert!(doc.root.is_none());
    assert_eq!(doc.errors.len(), 1);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = "[".repeat(100_000);
    let doc = parse(&text);
    assert!(!doc.errors.is_empty());
    let text = "{\"a\":".repeat(50_000);
    let doc = parse(&text);
    assert!(!doc.errors.is_empty());
}

#[test]
fn string_offset_accounts_for_escapes() {
    let text = r#""a\"bc""#;
    let doc = parse(text);
    let node = doc.root.as_ref().unwrap();
    assert_eq!(node.as_str(), Some("a\"bc"));
    // decoded index 2 ('b') is at byte 4 of the source.
    assert_eq!(string_offset(text, node, 2), 4);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_and_spans_are_on_boundaries(text in "\\PC{0,200}") {
            check_spans(&text);
        }

        #[test]
        fn json_like_noise(parts in proptest::collection::vec(prop_oneof![
            Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just("\""),
            Just("\"Effect\""), Just("\"Allow\""), Just("1"), Just("tru"), Just("null"), Just("\\"),
            Just(" "), Just("\n"), Just("é"), Just("😀"), Just("\\u12"), Just("\\ud83d"),
        ], 0..80)) {
            check_spans(&parts.concat());
        }
    }

    fn check_spans(text: &str) {
        let doc = parse(text);
        for e in &doc.errors {
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len(),
                "{e:?}"
            );
            assert!(
                text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end),
                "{e:?}"
            );
        }
        if let Some(root) = &doc.root {
            walk(root, text);
        }
    }

    fn walk(node: &Node, text: &str) {
        assert!(node.span.start <= node.span.end && node.span.end <= text.len());
        assert!(text.is_char_boundary(node.span.start) && text.is_char_boundary(node.span.end));
        match &node.kind {
            NodeKind::Array(items) => items.iter().for_each(|n| walk(n, text)),
            NodeKind::Object(members) => {
                for m in members {
                    assert!(
                        text.is_char_boundary(m.key.span.start)
                            && text.is_char_boundary(m.key.span.end)
                    );
                    if let Some(v) = &m.value {
                        walk(v, text);
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn valid_json_agrees_with_serde_json() {
    let samples = [
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}]}"#,
        r#"[1.5, -0, 1e10, "\t\n\\\/", {"": {}}]"#,
        r#""\ud83d\ude00é""#,
    ];
    for s in samples {
        let ours = parse(s);
        assert!(ours.errors.is_empty(), "{s}: {:?}", ours.errors);
        let theirs: serde_json::Value = serde_json::from_str(s).unwrap();
        assert_eq!(to_value(ours.root.as_ref().unwrap()), theirs);
    }
}

fn to_value(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Number(n) => serde_json::from_str(n).unwrap(),
        NodeKind::String(s) => Value::String(s.as_str().to_owned()),
        NodeKind::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        NodeKind::Object(m) => Value::Object(
            m.iter()
                .map(|m| {
                    (
                        m.key.value.as_str().to_owned(),
                        to_value(m.value.as_ref().unwrap()),
                    )
                })
                .collect(),
        ),
        NodeKind::Error => panic!("error node"),
    }
}

fn apply_fix(text: &str, error: &SyntaxError) -> String {
    error
        .fix
        .as_ref()
        .expect("a fix")
        .apply(text)
        .expect("the fix applies")
}

/// The error is on the comma itself (it was on the blank before the bracket), and removing the
/// comma is offered.
#[test]
fn trailing_comma_is_reported_at_the_comma() {
    let text = "{\"Action\": [\n  \"s3:GetObject\",\n  \"s3:PutObject\",\n  ],\n  \"Effect\": \"Allow\",\n}";
    let doc = parse(text);
    assert_eq!(doc.errors.len(), 2, "{:?}", doc.errors);
    for e in &doc.errors {
        assert_eq!(e.span.slice(text), ",", "{e:?}");
    }
    assert_eq!(doc.errors[0].span.start, text.find("\",\n  ]").unwrap() + 1);
    let fixed = apply_fix(text, &doc.errors[0]);
    let fixed = apply_fix(&fixed, &parse(&fixed).errors[0]);
    assert!(parse(&fixed).errors.is_empty(), "{fixed}");
    // A comma between two elements is no error.
    assert!(parse("[1,\n 2\n]").errors.is_empty());
}

const COMMENTED: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                // read the objects
                "s3:GetObject",
                "s3:ListBucket" /* and list */
            ],
            "Resource": "*" // everything
        },
        /* the second statement
           denies deletes */
        {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
    ]
}"#;

/// One error per comment, each with a fix that removes it; the tree is the tree of the same
/// document without comments.
#[test]
fn comments_are_one_error_each_and_read_as_whitespace() {
    let doc = parse(COMMENTED);
    let spans: Vec<&str> = doc.errors.iter().map(|e| e.span.slice(COMMENTED)).collect();
    assert_eq!(
        spans,
        [
            "// read the objects",
            "/* and list */",
            "// everything",
            "/* the second statement\n           denies deletes */"
        ]
    );
    let mut text = COMMENTED.to_string();
    while let Some(e) = parse(&text).errors.first().cloned() {
        assert!(e.message.contains("Comments are not allowed"), "{e:?}");
        text = apply_fix(&text, &e);
    }
    let plain: serde_json::Value = serde_json::from_str(&text).expect("valid JSON after fixes");
    assert_eq!(to_value(doc.root.as_ref().unwrap()), plain);
    assert!(
        !text.contains("\n\n"),
        "whole-line comments leave no blank line:\n{text}"
    );
    assert!(text.contains("\"s3:ListBucket\"\n"), "{text}");
}

#[test]
fn comment_edge_cases() {
    // A comment between two tokens that would otherwise touch leaves a space.
    let doc = parse("[1/**/2]");
    let fixed = apply_fix("[1/**/2]", &doc.errors[0]);
    assert_eq!(fixed, "[1 2]");
    // An unterminated block comment is reported, without a fix that would delete the rest.
    let text = "{\"a\": 1 /* open";
    let doc = parse(text);
    assert!(doc.errors[0].message.contains("Unterminated comment"));
    assert!(doc.errors[0].fix.is_none());
    // `//` inside a string is text.
    let doc = parse(r#"["https://example.com"]"#);
    assert!(doc.errors.is_empty());
    // A single '/' is still an error of its own.
    let doc = parse("[1, /2]");
    assert!(!doc.errors.is_empty());
    assert!(doc.errors.iter().all(|e| !e.message.contains("Comment")));
    // Comments at both ends of the document.
    let text = "// policy\n{\"a\": 1}\n// end";
    let doc = parse(text);
    assert_eq!(doc.errors.len(), 2, "{:?}", doc.errors);
    assert!(doc.root.is_some());
}

/// A byte-order mark is one error with a safe fix; the rest of the document is parsed.
#[test]
fn byte_order_mark_is_reported_once() {
    let text = "\u{FEFF}{\"Version\": \"2012-10-17\", \"Statement\": []}";
    let doc = parse(text);
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    assert_eq!(doc.errors[0].span, Span::new(0, 3));
    assert!(doc.errors[0].message.contains("byte-order mark"));
    assert!(doc.root.as_ref().unwrap().get("Statement").is_some());
    assert_eq!(apply_fix(text, &doc.errors[0]), &text[3..]);
    // Elsewhere, U+FEFF is not whitespace in JSON: still an error, without that message.
    let doc = parse("{\"a\": 1}\u{FEFF}");
    assert_eq!(doc.errors.len(), 1);
    assert!(!doc.errors[0].message.contains("byte-order"));
}

/// The keys of each statement of a parsed policy, and the number of items of each list value.
fn statement_shapes(doc: &Document) -> Vec<Vec<(String, usize)>> {
    let statements = doc.root.as_ref().and_then(|r| r.get("Statement"));
    let Some(list) = statements.and_then(|m| m.value.as_ref()?.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .map(|st| {
            st.as_object()
                .unwrap_or_default()
                .iter()
                .map(|m| {
                    let n = m
                        .value
                        .as_ref()
                        .and_then(|v| v.as_array())
                        .map_or(1, <[Node]>::len);
                    (m.key.value.as_str().to_owned(), n)
                })
                .collect()
        })
        .collect()
}

const TWO_STATEMENTS: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "s3:GetObject",
                "s3:PutObject"
            ],
            "Resource": "*"
        },
        {
            "Effect": "Deny",
            "Action": "s3:DeleteObject",
            "Resource": [
                "arn:aws:s3:::a/*"
            ]
        }
    ]
}"#;

/// `TWO_STATEMENTS` with the character at the `nth` occurrence of `what` removed.
fn delete_nth(what: &str, nth: usize) -> (String, usize) {
    let at = TWO_STATEMENTS.match_indices(what).nth(nth).unwrap().0;
    let mut text = TWO_STATEMENTS.to_string();
    text.remove(at);
    (text, at)
}

#[test]
fn a_missing_bracket_is_closed_before_the_next_key_of_its_object() {
    let expected = statement_shapes(&parse(TWO_STATEMENTS));
    // The ']' of the first Action list, before "Resource".
    let (text, _) = delete_nth("],", 0);
    let doc = parse(&text);
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    let error = &doc.errors[0];
    let after_item = text.find("\"s3:PutObject\"").unwrap() + "\"s3:PutObject\"".len();
    assert_eq!(error.span, Span::empty(after_item));
    assert!(
        error.message.starts_with("Missing ']'"),
        "{}",
        error.message
    );
    assert_eq!(statement_shapes(&doc), expected);
    // The fix inserts the bracket there (for review: the place is read from the layout).
    let fix = error.fix.as_ref().unwrap();
    assert_eq!(fix.safety, crate::diagnostic::Safety::Review);
    let fixed = apply_fix(&text, error);
    assert!(parse(&fixed).errors.is_empty(), "{fixed}");

    // The ']' of the last member of a statement, before the statement's '}'.
    let (text, _) = delete_nth("]\n        }", 0);
    let doc = parse(&text);
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    assert!(doc.errors[0].message.starts_with("Missing ']'"));
    let after_item = text.find("\"arn:aws:s3:::a/*\"").unwrap() + "\"arn:aws:s3:::a/*\"".len();
    assert_eq!(doc.errors[0].span, Span::empty(after_item));
    assert_eq!(statement_shapes(&doc), expected);
}

#[test]
fn a_missing_brace_is_found_from_the_layout() {
    let expected = statement_shapes(&parse(TWO_STATEMENTS));
    // The '{' of the second statement: the '}' before it still closes the first one.
    let (text, at) = delete_nth("{\n            \"Effect\"", 1);
    let doc = parse(&text);
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    assert!(doc.errors[0].message.starts_with("Missing '{'"));
    assert_eq!(doc.errors[0].span.start, text[at..].find('"').unwrap() + at);
    assert_eq!(statement_shapes(&doc), expected);

    // The document's own '{'.
    let (text, _) = delete_nth("{", 0);
    let doc = parse(&text);
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    assert!(doc.errors[0].message.starts_with("Missing '{'"));
    assert_eq!(statement_shapes(&doc), expected);
}

/// Neighbour: a closer that leads its line but is aligned with no container it could close is
/// still an extra one, and the text after it is read where it belongs.
#[test]
fn an_extra_closer_out_of_alignment_is_still_skipped() {
    let expected = statement_shapes(&parse(TWO_STATEMENTS));
    let text = TWO_STATEMENTS.replacen(
        "        {\n            \"Effect\": \"Allow\"",
        "        {\n      ]     \"Effect\": \"Allow\"",
        1,
    );
    let doc = parse(&text);
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    assert!(doc.errors[0].message.starts_with("Unexpected ']'"));
    assert_eq!(statement_shapes(&doc), expected);
    // A list item at the indentation of its list's opening line is still an item.
    let text = "{\n  \"Action\": [\n  \"a\",\n  \"b\"\n  ]\n}";
    let doc = parse(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
}

/// One character changed in `TWO_STATEMENTS`: exactly one error, which starts with `message`,
/// every statement read as before, and the fix (for review) gives back the policy's JSON.
fn one_mistake(text: &str, message: &str) {
    let doc = parse(text);
    assert_eq!(doc.errors.len(), 1, "{text}\n{:?}", doc.errors);
    let error = &doc.errors[0];
    assert!(error.message.starts_with(message), "{text}\n{error:?}");
    assert_eq!(
        statement_shapes(&doc),
        statement_shapes(&parse(TWO_STATEMENTS)),
        "{text}"
    );
    let fix = error.fix.as_ref().expect("a fix");
    assert_eq!(fix.safety, crate::diagnostic::Safety::Review);
    let fixed = parse(&apply_fix(text, error));
    assert!(fixed.errors.is_empty(), "{text}\n{:?}", fixed.errors);
    let original = parse(TWO_STATEMENTS).root.map(|r| to_value(&r));
    assert_eq!(fixed.root.map(|r| to_value(&r)), original, "{text}");
}

/// The kinds of single-character mistake that used to cascade (issue 12): an extra opener, a
/// line break inside an ARN, an extra quote or colon after a key, a comma typed as a colon.
#[test]
fn a_single_character_mistake_is_one_error_that_undoes_it() {
    let cases = [
        // An extra '{' where a key belongs.
        (
            "\"Effect\": \"Deny\"",
            "{\"Effect\": \"Deny\"",
            "Unexpected '{'",
        ),
        // An extra '[' before an item: found only where the list fails to close.
        ("\"s3:GetObject\"", "[\"s3:GetObject\"", "Unexpected '['"),
        // A quote mistyped as '{' or '['.
        (
            "\"s3:PutObject\"",
            "{s3:PutObject\"",
            "Expected '\"' here, found '{'",
        ),
        (
            "\"Effect\": \"Allow\"",
            "[Effect\": \"Allow\"",
            "Expected '\"' here, found '['",
        ),
        // A line break inside an ARN.
        (
            "s3:::a/*",
            "s3\n:::a/*",
            "Unexpected a line break inside a string",
        ),
        // A quote or a colon typed twice after a key.
        ("\"Action\": [", "\"Action\"\": [", "Unexpected '\"'"),
        (
            "\"Resource\": \"*\"",
            "\"Resource\":: \"*\"",
            "Unexpected ':'",
        ),
        // A comma typed as a colon, at the end of a member and between items.
        ("\"Allow\",", "\"Allow\":", "Expected ',' here, found ':'"),
        (
            "\"s3:GetObject\",",
            "\"s3:GetObject\":",
            "Expected ',' here, found ':'",
        ),
        // An extra '}' or ']' before a key.
        (
            "\"Effect\": \"Deny\"",
            "}\"Effect\": \"Deny\"",
            "Unexpected '}'",
        ),
    ];
    for (from, to, message) in cases {
        assert!(TWO_STATEMENTS.contains(from), "{from}");
        one_mistake(&TWO_STATEMENTS.replacen(from, to, 1), message);
    }
}

/// Neighbours: a statement whose '}' or '{' is missing also reads as well-formed when two
/// statements merge (every key twice); the edit that keeps them apart is taken. A list whose
/// ']' is missing could lose its '[' instead; the layout (items on lines of their own under the
/// key) keeps the list.
#[test]
fn the_single_edit_that_keeps_statements_apart_and_lists_whole_is_taken() {
    let (text, _) = delete_nth("},", 0);
    one_mistake(&text, "Missing '}'");
    let (text, _) = delete_nth("{\n            \"Effect\": \"Deny\"", 0);
    one_mistake(&text, "Missing '{'");
    let (text, _) = delete_nth("]\n        }", 0);
    one_mistake(&text, "Missing ']'");
    // Two mistakes: no single edit repairs them, and the recovering parser reads on.
    let text = TWO_STATEMENTS
        .replacen("\"Allow\",", "\"Allow\":", 1)
        .replacen("\"Deny\",", "\"Deny\":", 1);
    let doc = parse(&text);
    assert!(!doc.errors.is_empty());
    assert!(doc
        .errors
        .iter()
        .all(|e| !e.message.contains("well-formed")));
}

/// `TWO_STATEMENTS` with a third statement, so that the list runs on well past the window of
/// the single-edit search around the point where the text stops being JSON.
fn three_statements() -> String {
    TWO_STATEMENTS.replacen(
        "\n    ]\n}",
        ",\n        {\n            \"Effect\": \"Allow\",\n            \"Action\": [\n                \
         \"sqs:SendMessage\",\n                \"sqs:ReceiveMessage\"\n            ],\n            \
         \"Resource\": \"*\"\n        }\n    ]\n}",
        1,
    )
}

/// The one error of `text`, with its fix (for review) applied: the fixed text is `expected`.
fn only_error<'d>(doc: &'d Document, text: &str, expected: &str) -> &'d SyntaxError {
    assert_eq!(doc.errors.len(), 1, "{text}\n{:?}", doc.errors);
    let error = &doc.errors[0];
    let fix = error.fix.as_ref().expect("a fix");
    assert_eq!(fix.safety, crate::diagnostic::Safety::Review);
    assert_eq!(apply_fix(text, error), expected);
    error
}

/// The '[' of `"Statement": [` deleted: the first statement reads as the value of "Statement"
/// and the text stops being JSON only at the '{' of the second, beyond the lines searched
/// around it. The '[' belongs at the start of a member value of the object the failure is in.
#[test]
fn a_missing_bracket_before_a_list_of_statements_is_found_at_its_key() {
    let original = three_statements();
    let at = original.find("\"Statement\": [").unwrap() + "\"Statement\": ".len();
    let mut text = original.clone();
    text.remove(at);
    let doc = parse(&text);
    let error = only_error(&doc, &text, &original);
    assert_eq!(error.span, Span::empty(at));
    assert_eq!(
        error.message,
        "Missing '[': the document is well-formed with it here"
    );
    assert_eq!(
        error.fix.as_ref().unwrap().title,
        "Insert '['",
        "{:?}",
        error.fix
    );
    assert_eq!(statement_shapes(&doc), statement_shapes(&parse(&original)));
    assert_eq!(statement_shapes(&doc).len(), 3);

    // The '[' typed as a line break: inserted where it was, after the key's ':'.
    let mut text = original.clone();
    text.replace_range(at..at + 1, "\n");
    let doc = parse(&text);
    let error = only_error(&doc, &text, &original.replacen("[", "[\n", 1));
    assert_eq!(error.span, Span::empty(at));
    assert_eq!(statement_shapes(&doc), statement_shapes(&parse(&original)));
}

/// Neighbours: one statement given as an object (no list) is valid JSON and no '[' is
/// proposed; and a '[' missing in a statement's own list is not looked for at the key of the
/// statement list (only the object where the text stops being JSON is searched).
#[test]
fn a_statement_object_without_a_list_needs_no_bracket() {
    let text = "{\n    \"Statement\": {\n        \"Effect\": \"Allow\",\n        \"Action\": \"s3:GetObject\",\n        \"Resource\": \"*\"\n    }\n}";
    assert!(parse(text).errors.is_empty());

    let original = three_statements();
    let at = original.find("\"Action\": [").unwrap() + "\"Action\": ".len();
    let mut text = original.clone();
    text.remove(at);
    let doc = parse(&text);
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    // Not at the statement list's key: within the first statement.
    assert!(doc.errors[0].span.start > original.find("\"Effect\"").unwrap());
    assert_eq!(statement_shapes(&doc).len(), 3, "{:?}", doc.errors);
}

/// A '{' or '[' typed as a digit or letter that stands alone (`1` where the document's '{'
/// was): the one-character word is read as the mark.
#[test]
fn a_mark_typed_as_a_lone_digit_is_read_as_the_mark() {
    let original = three_statements();
    let text = original.replacen('{', "1", 1);
    let doc = parse(&text);
    let error = only_error(&doc, &text, &original);
    assert_eq!(error.span, Span::new(0, 1));
    assert_eq!(error.message, "Expected '{' here, found '1'");
    assert_eq!(error.fix.as_ref().unwrap().title, "Replace '1' by '{'");
    assert_eq!(statement_shapes(&doc), statement_shapes(&parse(&original)));

    // The '[' of a statement's Action list.
    let at = original.find("\"Action\": [").unwrap() + "\"Action\": ".len();
    let mut text = original.clone();
    text.replace_range(at..at + 1, "x");
    let doc = parse(&text);
    let error = only_error(&doc, &text, &original);
    assert_eq!(error.span, Span::new(at, at + 1));
    assert_eq!(error.message, "Expected '[' here, found 'x'");
    assert_eq!(statement_shapes(&doc), statement_shapes(&parse(&original)));
}

/// Neighbour: a number followed by a missing ',' keeps its digit; the comma is what is missing.
/// And a digit inside a longer word is not read as a mark.
#[test]
fn a_digit_that_is_a_value_stays_a_value() {
    let text = "{\n    \"a\": 1\n    \"b\": 2\n}";
    let doc = parse(text);
    let error = only_error(&doc, text, "{\n    \"a\": 1\n    ,\"b\": 2\n}");
    assert_eq!(error.span, Span::empty(text.find("\"b\"").unwrap()));
    assert_eq!(
        error.message,
        "Missing ',': the document is well-formed with it here"
    );

    let text = three_statements().replacen('{', "12", 1);
    let doc = parse(&text);
    assert!(doc
        .errors
        .iter()
        .all(|e| !e.message.starts_with("Expected '{' here")));
}

/// A character typed inside an escape (`\)"` for `\"`): the parser reports the bad escape,
/// and the single edit that removes the character after the backslash is found (the search
/// reached only up to the backslash).
#[test]
fn a_character_typed_inside_an_escape_is_removed() {
    let original = r#"{"Statement": [{"Sid": "say \"hi\"", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    let at = original.find("\\\"hi").unwrap() + 1;
    let mut text = original.to_string();
    text.insert(at, ')');
    let doc = parse(&text);
    let error = only_error(&doc, &text, original);
    assert_eq!(error.span, Span::new(at, at + 1));
    assert_eq!(
        error.message,
        "Unexpected ')': the document is well-formed without it"
    );
    assert_eq!(statement_shapes(&doc), statement_shapes(&parse(original)));

    // Neighbour: a stray backslash before a letter is itself removed (the letter kept).
    let text = original.replacen("GetObject", "Get\\Object", 1);
    let doc = parse(&text);
    let error = only_error(&doc, &text, original);
    assert_eq!(error.span.slice(&text), "\\");
}

mod indentation {
    use super::super::indentation_end;
    use proptest::prelude::*;

    proptest! {
        /// The word-at-a-time step over a line's indentation stops where the spaces stop, or
        /// earlier only in the text's last eight bytes (where the caller's byte loop goes on);
        /// it never steps over anything but spaces.
        #[test]
        fn stops_where_the_spaces_stop(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b' '), Just(b' '), Just(b'\t'), Just(b'\n'), Just(b'"'), any::<u8>()],
                0..48,
            ),
            at in 0usize..48,
        ) {
            let at = at.min(bytes.len());
            let spaces_end = at + bytes[at..].iter().take_while(|&&b| b == b' ').count();
            let end = indentation_end(&bytes, at);
            prop_assert!(at <= end && end <= spaces_end);
            prop_assert!(end == spaces_end || end + 8 > bytes.len());
        }
    }
}

/// The parse (tree and errors, every span) of each managed policy of the corpus, of damaged
/// copies of some of them (a byte deleted, a quote, a brace or a comma put in, at places spread
/// over the text) and of seeded random JSON-like noise, one digest a line, written to the file
/// `IAMLINT_PARSE_DUMP` names. Run on two versions of the parser and compared, it shows that a
/// change of how the parser works left what it reads unchanged:
/// `IAMLINT_PARSE_DUMP=/tmp/a cargo test -p iamlint-core parse_dump -- --ignored`.
#[test]
#[ignore]
fn parse_dump() {
    use std::collections::hash_map::DefaultHasher;
    use std::fmt::Write as _;
    use std::hash::{Hash, Hasher};
    let Ok(out) = std::env::var("IAMLINT_PARSE_DUMP") else {
        return;
    };
    let digest = |text: &str| {
        let mut h = DefaultHasher::new();
        format!("{:?}", parse(text)).hash(&mut h);
        h.finish()
    };
    let mut dump = String::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies");
    let mut files = Vec::new();
    for corpus in ["latest", "history"] {
        let mut stack = vec![root.join(corpus)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    for (n, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(&root).unwrap_or(path);
        writeln!(dump, "{} {:x}", name.display(), digest(&text)).unwrap();
        if n % 8 != 0 || text.len() < 16 {
            continue;
        }
        for k in 1..4 {
            let mut at = text.len() * k / 4;
            while !text.is_char_boundary(at) {
                at += 1;
            }
            let next = text[at..].chars().next().map_or(0, char::len_utf8);
            for edit in ["", "\"", "}", ",", "]"] {
                let damaged = format!("{}{edit}{}", &text[..at], &text[at + next..]);
                writeln!(dump, "  {k} {edit:?} {:x}", digest(&damaged)).unwrap();
            }
        }
    }
    // Seeded noise (a linear congruential generator: the same texts on every run).
    let parts = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\"Effect\"",
        "\"Allow\"",
        "1",
        "tru",
        "null",
        "\\",
        " ",
        "\n",
        "    ",
        "é",
        "\\u12",
        "\\ud83d",
        "//",
        "/*",
        "*/",
        "\"Action\": [",
        "\"s3:*\"",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..20_000 {
        let mut text = String::new();
        for _ in 0..(i % 60) {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            text.push_str(parts[(seed >> 33) as usize % parts.len()]);
        }
        writeln!(dump, "noise {i} {:x}", digest(&text)).unwrap();
    }
    std::fs::write(out, dump).unwrap();
}

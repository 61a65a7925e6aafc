use super::*;

fn utf16_index(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].encode_utf16().count()
}

#[test]
fn findings_are_placed_in_utf16_units() {
    // The emoji is 4 bytes but 2 UTF-16 units: a byte offset would land 2 units too far right.
    let text = "{\"Sid\": \"😀 é\" \"Statement\": []}";
    let result = check(text, &Options::default()).expect("valid options");
    let syntax: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| f.code == "JSON_SYNTAX_ERROR")
        .collect();
    assert_eq!(syntax.len(), 1, "{:?}", result.findings);
    assert_eq!(syntax[0].start, utf16_index(text, "\"Statement\""));
    assert_eq!(syntax[0].category, Category::Error);
}

#[test]
fn well_formed_json_has_no_syntax_finding() {
    let text = "{\"Sid\": \"😀 é\", \"Statement\": []}";
    let result = check(text, &Options::default()).expect("valid options");
    assert!(result.findings.iter().all(|f| f.code != "JSON_SYNTAX_ERROR"));
}

#[test]
fn unknown_policy_type_is_an_error_value() {
    let options = Options {
        policy_type: Some("bucket".into()),
        ..Options::default()
    };
    let err = check("{}", &options).unwrap_err();
    assert!(err.contains("unknown policy type 'bucket'"), "{err}");
    assert!(err.contains("identity"), "{err}");
}

#[test]
fn asked_policy_type_is_reported_back() {
    let options = Options {
        policy_type: Some("scp".into()),
        ..Options::default()
    };
    assert_eq!(check("{}", &options).unwrap().policy_type, "scp");
    let options = Options {
        policy_type: Some("resource:AWS::S3::Bucket".into()),
        ..Options::default()
    };
    assert_eq!(
        check("{}", &options).unwrap().policy_type,
        "resource:AWS::S3::Bucket"
    );
}

#[test]
fn disabled_rules_are_not_reported() {
    let text = "{\"Statement\": [ }";
    let options = Options {
        disabled_rules: vec!["json_syntax_error".into()],
        ..Options::default()
    };
    let result = check(text, &options).unwrap();
    assert!(result.findings.iter().all(|f| f.code != "JSON_SYNTAX_ERROR"));
    let result = check(text, &Options::default()).unwrap();
    assert!(result.findings.iter().any(|f| f.code == "JSON_SYNTAX_ERROR"));
}

#[test]
fn fix_edits_are_converted_like_findings() {
    let text = "{\"Sid\": \"😀\"}";
    let positions = Positions::new(text);
    let edit = iamlint_core::TextEdit {
        span: Span::new(text.len() - 1, text.len() - 1),
        text: ", \"Version\": \"2012-10-17\"".into(),
    };
    let out = positions.edit(&edit);
    let js_end = text.encode_utf16().count() - 1;
    assert_eq!((out.start, out.end), (js_end, js_end));
    assert_eq!(positions.to_byte(js_end), text.len() - 1);
}

#[test]
fn outcome_is_tagged_with_type() {
    let ok: Outcome<u8> = Ok(1).into();
    let err: Outcome<u8> = Err("no".to_string()).into();
    assert!(matches!(ok, Outcome::Ok { value: 1 }));
    assert!(matches!(err, Outcome::Error { ref message } if message == "no"));
}

#[test]
fn rule_docs_cover_the_registry() {
    let docs = rule_docs();
    assert_eq!(docs.len(), rules::all().count());
    let syntax = docs.iter().find(|d| d.code == "JSON_SYNTAX_ERROR").unwrap();
    assert!(!syntax.summary.is_empty());
}
